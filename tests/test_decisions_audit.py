# On a generated history of thousands of commits (bumps, real replacements, manifests moved, lockfiles deleted and
# restored, feature branches merged after main moved, noise subjects with decision words), no mined claim is
# contradicted by `git grep` at its cited commit, every cited commit changed what the record names, and there are
# no duplicate titles, no flapping pairs and no unclean titles.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.catalog import technology_of_package
from autodevhub_docs.model.decisions import Decision, Evidence
from benchmarks.audit_decisions import Audit, _check, audit
from benchmarks.history_gen import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "repo"
    generate(root, 2500, seed=11)
    return root


def test_thousands_of_commits_mine_only_true_records(generated: Path) -> None:
    result = audit(generated)
    assert result.records >= 20  # the history's real replacements are there
    assert result.clean, (result.contradicted, result.misattributed, result.duplicates, result.flapping,
                          result.unclean)


def test_the_audit_catches_a_false_record(generated: Path) -> None:
    head = (generated / ".git" / "refs" / "heads" / "main").read_text().strip()
    manifest = next(p for p in (generated / "requirements.txt", generated / "requirements/base.txt") if p.exists())
    declared = manifest.read_text().split(">=", 1)[0]
    tech = technology_of_package("pypi", declared)
    assert tech is not None
    wrong = Decision(id="x", title=f"Stop using {tech.name} (#12)", category="Python web framework", kind="remove",
                     chosen=(), replaced=(tech.name,), date="2020-01-01", last_date="2020-01-01", status="accepted",
                     decision_makers=(), evidence=(Evidence(kind="commit", ref=head, date="2020-01-01", title="x",
                                                            changes=("Gemfile: removed it",)),))
    found = Audit()
    _check(generated, wrong, found)
    assert found.unclean == [wrong.title]
    assert found.misattributed == [f"{wrong.title} cites {head[:7]}"]
    assert found.contradicted == [f"{wrong.title}: {tech.name} still declared at {head[:7]}"]
