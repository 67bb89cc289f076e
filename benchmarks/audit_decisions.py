# An audit of mined decision records against git itself, by other means than the miner uses: `git grep` at the cited
# commits for the packages a record says were adopted or dropped, `git show --first-parent` for whether the cited
# commit changed the files the record names. Run it on any repository:
#     python -m benchmarks.audit_decisions /path/to/repo
from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autodevhub_docs.analysis import catalog
from autodevhub_docs.analysis.decisions import mine
from autodevhub_docs.analysis.decisions.drafts import days_between
from autodevhub_docs.model import RepoFacts
from autodevhub_docs.model.decisions import Decision
from autodevhub_docs.sources.git import read_history
from autodevhub_docs.sources.manifest_history import read_manifest_history

_MANIFEST_GLOBS = ("*requirements*.txt", "*pyproject.toml", "*package.json", "*Pipfile", "*setup.cfg")


@dataclass
class Audit:
    """What the audit found."""

    records: int = 0
    contradicted: list[str] = field(default_factory=list)
    misattributed: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    flapping: list[str] = field(default_factory=list)
    unclean: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether no problem was found."""
        return not (self.contradicted or self.misattributed or self.duplicates or self.flapping or self.unclean)


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    return proc.stdout.decode("utf-8", "replace")


def _declared(root: Path, rev: str, technology: str) -> bool | None:
    """Whether a manifest at `rev` names one of the technology's PyPI/npm packages (None: not checkable by grep)."""
    rows = catalog._load().exact
    packages = [name for (key, name), tech in rows.items() if tech.name == technology and key in ("pypi", "npm")]
    if not packages:
        return None
    pattern = "|".join(re.escape(p) for p in packages)
    proc = subprocess.run(["git", "-C", str(root), "grep", "-i", "-E", "-q", "-e",
                           f'(^|[[:space:]"])({pattern})([[:space:]<>=~^,"[]|:|$)', rev, "--", *_MANIFEST_GLOBS],
                          capture_output=True, check=False)
    return proc.returncode == 0


def audit(root: Path) -> Audit:
    """Mine a repository's decisions and check every record by independent means."""
    commits = read_history(root)
    facts = RepoFacts(name=root.name, root=str(root), head=commits[0].sha if commits else "", commits=commits,
                      manifest_changes=read_manifest_history(root))
    decisions = mine(facts).decisions
    result = Audit(records=len(decisions))
    for decision in decisions:
        _check(root, decision, result)
    titles = Counter(d.title.lower() for d in decisions)
    result.duplicates = sorted(t for t, n in titles.items() if n > 1)
    stops = {d.replaced[0]: d for d in decisions if d.kind == "remove" and d.replaced}
    for d in decisions:
        earlier = next((s for name, s in stops.items() if name in d.chosen and s.date <= d.date), None)
        if earlier and days_between(earlier.date, d.date) <= 90:
            result.flapping.append(f"{earlier.title} / {d.title}")
    return result


def _check(root: Path, decision: Decision, result: Audit) -> None:
    cited = [e for e in decision.evidence if e.kind == "commit" and e.changes]
    if re.search(r"\(#\d+\)\s*$|`", decision.title) or any(unicodedata.category(c) == "So" for c in decision.title):
        result.unclean.append(decision.title)
    if not cited:
        return
    for item in cited:
        changed = set(_git(root, "show", "--first-parent", "-m", "--name-only", "--format=", item.ref).split())
        named = {line.split(":", 1)[0] for line in item.changes}
        if not changed & named:
            result.misattributed.append(f"{decision.title} cites {item.ref[:7]}")
    last = cited[-1].ref
    for technology in decision.replaced:
        if _declared(root, last, technology):
            result.contradicted.append(f"{decision.title}: {technology} still declared at {last[:7]}")
    in_manifest = any(re.search(r"(requirements[^:]*\.txt|pyproject\.toml|package\.json): .*added", line)
                      for item in cited for line in item.changes)
    for technology in decision.chosen if in_manifest else ():
        if _declared(root, last, technology) is False:
            result.contradicted.append(f"{decision.title}: {technology} not declared at {last[:7]}")


if __name__ == "__main__":
    report = audit(Path(sys.argv[1]))
    print(f"{report.records} records; contradicted {len(report.contradicted)}, misattributed "
          f"{len(report.misattributed)}, duplicates {len(report.duplicates)}, flapping {len(report.flapping)}, "
          f"unclean titles {len(report.unclean)}")
    for line in report.contradicted + report.misattributed + report.duplicates + report.flapping + report.unclean:
        print(" -", line)
    sys.exit(0 if report.clean else 1)
