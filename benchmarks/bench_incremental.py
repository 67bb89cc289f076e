"""One-commit rebuilds: the incremental build after one commit against a plain `mkdocs build` and a cold build.

The repository is made by `benchmarks/history_gen.py` (6,000 and 60,000 commits on the main line, plus merged
feature branches; 1,000 with ``quick``). Everything is measured in one run, each build in a fresh child process
(`bench_scale.measure`), offline and with no GitHub origin, so that only the incremental steps differ:

- cold: `mkdocs build` with the plugin and an empty cache;
- plain: a plain `mkdocs build` of the same pages (the Markdown of `autodevhub-docs generate --out`, no plugin);
- one-commit: one commit (a code file changed and a dependency bumped), then `mkdocs build` with the plugin: the
  history is read from the last HEAD on, only the changed files are parsed again, the decision timeline resumes;
- full rebuild after one commit: the same commit built from a copy of the cache whose memos were forgotten (what
  the build did before incremental rebuilds: the whole pipeline again, with the same LLM cache and build history).

Plain and one-commit builds: best of five, alternated (the machine is shared); each one-commit round makes a new commit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from autodevhub_docs.store import open_store
from benchmarks.bench_scale import BIN, measure
from benchmarks.history_gen import ENV, generate

TARGET_ONE_COMMIT = 2.0
"""One-commit rebuild / plain mkdocs build."""
ROUNDS = 5
"""Plain and one-commit builds, alternated: the plain build of the same pages took 1.3-2.0 s across runs minutes apart."""
FULL = (6_000, 60_000)
QUICK = (1_000,)


def _site(folder: Path, repo: Path, *, plugin: bool) -> Path:
    """An mkdocs.yml (with the plugin, offline, when asked) and a home page."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text("# History\n\nThe incremental benchmark's site.\n", encoding="utf-8")
    plugins: list[Any] = ["search"]
    if plugin:
        plugins.append({"autodevhub": {"repo_path": os.path.relpath(repo, folder), "cache_dir": ".cache/autodevhub",
                                       "llm": "offline"}})
    text = ("site_name: History\ntheme:\n  name: material\nmarkdown_extensions:\n  - pymdownx.superfences:\n"
            "      custom_fences:\n        - name: mermaid\n          class: mermaid\n"
            "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
            f"plugins: {json.dumps(plugins)}\n")  # JSON is YAML
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"


def _commit(root: Path, round_: int) -> None:
    """One ordinary commit: a module edited and a dependency bumped."""
    (root / "src" / "module1.py").write_text(f"VALUE = {round_}\nROUND = {round_}\n", encoding="utf-8")
    requirements = next(p for p in (root / "requirements.txt", root / "requirements" / "base.txt") if p.is_file())
    requirements.write_text(requirements.read_text(encoding="utf-8") + f"# pinned in round {round_}\n",
                            encoding="utf-8")
    for args in (["add", "-A"], ["commit", "-q", "-m", f"Bench round {round_}"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=ENV, capture_output=True)


def _forget_memos(cache: Path) -> None:
    store = open_store(cache)
    try:
        store.clear_memos()
    finally:
        store.close()


def _measure_size(work: Path, commits: int) -> dict[str, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "",
           "ANTHROPIC_API_KEY": ""}
    mkdocs = [str(BIN / "mkdocs"), "build", "-q", "-f"]
    repo = work / "repo"
    generate(repo, commits)
    config = _site(work / "site", repo, plugin=True)
    cold = measure([*mkdocs, str(config)], config.parent, env)["wall"]
    plain = work / "plain"
    shutil.copytree(config.parent / "docs", plain / "docs")
    subprocess.run([str(BIN / "autodevhub-docs"), "generate", "-f", str(config), "--out", str(plain / "docs")],
                   env=env, cwd=config.parent, check=True, capture_output=True)
    plain_config = _site(plain, repo, plugin=False)
    plain_runs, one_commit_runs = [], []
    for round_ in range(ROUNDS):  # alternate, so load from other processes hits each alike
        plain_runs.append(measure([*mkdocs, str(plain_config)], plain, env)["wall"])
        _commit(repo, round_)
        one_commit_runs.append(measure([*mkdocs, str(config)], config.parent, env)["wall"])
    _commit(repo, ROUNDS)
    full_site = work / "full-site"
    shutil.copytree(config.parent, full_site, ignore=shutil.ignore_patterns("site"))
    _forget_memos(full_site / ".cache" / "autodevhub")
    full = measure([*mkdocs, str(full_site / "mkdocs.yml")], full_site, env)["wall"]
    return {"cold": cold, "plain": min(plain_runs), "one_commit": min(one_commit_runs), "full": full}


def run(quick: bool = False) -> dict[str, Any]:
    """Generate the repositories, measure, and report (see the module docstring)."""
    rows: list[list[str]] = []
    ok = True
    for commits in QUICK if quick else FULL:
        with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
            found = _measure_size(Path(tmp), commits)
        ratio = found["one_commit"] / found["plain"]
        ok = ok and ratio <= TARGET_ONE_COMMIT
        rows += [
            [f"{commits:,} commits: cold build", f"{found['cold']:.2f} s"],
            [f"{commits:,} commits: plain mkdocs build of the same pages", f"{found['plain']:.2f} s"],
            [f"{commits:,} commits: one-commit incremental rebuild", f"{found['one_commit']:.2f} s"],
            [f"{commits:,} commits: one-commit rebuild / plain",
             f"{ratio:.2f}× (target ≤ {TARGET_ONE_COMMIT}×){'' if ratio <= TARGET_ONE_COMMIT else ' MISSED'}"],
            [f"{commits:,} commits: one-commit rebuild / cold", f"{found['one_commit'] / found['cold']:.2f}×"],
            [f"{commits:,} commits: full rebuild after one commit (memos forgotten)", f"{found['full']:.2f} s"],
        ]
    return {"title": "Incremental rebuilds after one commit", "rows": rows, "ok": ok,
            "notes": "Offline, no GitHub origin; the warm build with a github.com origin is in the scale section."}
