# Decision mining on a long history: a repository whose manifests change in most commits (dependency bumps,
# a few real migrations). Measures the git reads (one log + one cat-file) and the mining itself.
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from autodevhub_docs.analysis.decisions import mine_decisions
from autodevhub_docs.model import RepoFacts
from autodevhub_docs.sources.git import read_history
from autodevhub_docs.sources.manifest_history import read_manifest_history

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "b@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _history(root: Path, commits: int) -> None:
    """Write the history with `git fast-import` (thousands of commits in a second)."""
    stream = []
    clients = ["requests", "httpx", "aiohttp"]
    for i in range(commits):
        client = clients[min(i * len(clients) // commits, len(clients) - 1)]
        requirements = f"flask=={i % 7}.0\n{client}>=1.{i}\npytest\n" + "".join(f"lib{j}=={i}\n" for j in range(20))
        package = json.dumps({"name": "web", "version": f"1.{i}.0", "dependencies": {
            "react": f"^18.{i}", "axios" if i < commits // 2 else "ky": "^1"}, "devDependencies": {
            ("jest" if i < commits * 3 // 4 else "vitest"): "^1", **{f"pkg{j}": f"^{i}" for j in range(30)}}})
        when = 1_600_000_000 + i * 3600
        stream.append(f"commit refs/heads/main\ncommitter Bench <b@example.com> {when} +0000\n"
                      f"data {len(f'bump {i}')}\nbump {i}\n")
        for path, text in (("requirements.txt", requirements), ("web/package.json", package)):
            data = text.encode()
            stream.append(f"M 100644 inline {path}\ndata {len(data)}\n{text}\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input="".join(stream).encode(), check=True,
                   env=ENV)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "main"], check=True, env=ENV)


def run(quick: bool) -> dict:
    commits = 300 if quick else 3000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        _history(root, commits)
        started = time.perf_counter()
        changes = read_manifest_history(root)
        history = read_history(root)
        read_s = time.perf_counter() - started
        facts = RepoFacts(name="bench", root=str(root), head=history[0].sha, commits=history,
                          manifest_changes=changes)
        started = time.perf_counter()
        decisions = mine_decisions(facts)
        mine_s = time.perf_counter() - started
    titles = sorted(d.title for d in decisions)
    expected = {"Replace requests with HTTPX", "Replace HTTPX with aiohttp", "Replace axios with ky",
                "Replace Jest with Vitest"}
    ok = expected <= set(titles) and read_s + mine_s < 10
    return {
        "title": "Decision mining",
        "rows": [["commits", commits], ["manifest versions read", len(changes)],
                 ["git reads (log + cat-file)", f"{read_s:.2f} s"], ["mining", f"{mine_s:.2f} s"],
                 ["decisions found", len(decisions)], ["migrations found", ", ".join(sorted(expected & set(titles)))]],
        "notes": "Every commit changes `requirements.txt` and `web/package.json` (50 dependencies); the HTTP "
                 "client changes twice, the JS client and test runner once. Target: the four migrations found, "
                 "no other replacement, under 10 s for 3,000 commits (6,000 manifest versions).",
        "ok": ok,
    }
