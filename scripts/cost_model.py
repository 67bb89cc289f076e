# Measures the cost model of organisation-wide builds (site_src/org.md): what `autodevhub-docs plan --json` says a
# repository costs cold (empty cache), warm (nothing changed) and warm after one README edit. The cache is filled by
# a real build whose Claude calls go to the Anthropic API fake on 127.0.0.1, so nothing is sent anywhere.
# Usage: .venv/bin/python scripts/cost_model.py   (prints a Markdown table)
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.anthropic_server import FakeAnthropic  # noqa: E402 - after the path is set
from tests.helpers import Repo  # noqa: E402

CLI = str(Path(sys.executable).parent / "autodevhub-docs")


def plan(repo: Path, env: dict[str, str]) -> dict[str, float]:
    """The totals of `autodevhub-docs plan --json` in a repository."""
    done = subprocess.run([CLI, "plan", "--json"], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def measure(name: str, repo: Path, fake: FakeAnthropic) -> list[str]:
    """Table rows for one repository: plan cold, then warm after a build, then warm after a README edit."""
    env = {**os.environ, "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "",
           "NO_MKDOCS_2_WARNING": "1"}
    claude = {**env, "ANTHROPIC_API_KEY": "cost-model", "ANTHROPIC_BASE_URL": fake.url}
    cold = plan(repo, env)
    subprocess.run([CLI, "generate", "--out", str(repo.parent / f"{repo.name}-pages")], cwd=repo, env=claude,
                   capture_output=True, text=True, check=True)
    warm = plan(repo, env)
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOne more sentence about the project.\n",
                      encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "commit", "-qam", "docs: one more sentence"], check=True,
                   env={**env, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com",
                        "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.com"})
    edited = plan(repo, env)
    rows = []
    for label, figures in (("cold (empty cache)", cold), ("warm, nothing changed", warm),
                           ("warm, README edited", edited)):
        rows.append(f"| {name} | {label} | {figures['misses']} of {figures['sections']} | "
                    f"{figures['input_tokens']:,} | {figures['output_tokens']:,} | ${figures['cost_usd']:.4f} | "
                    f"${figures['cost_usd'] / 2:.4f} |")
    return rows


def main() -> None:
    """Print the cost table for a clone of this repository and a small generated service."""
    with tempfile.TemporaryDirectory() as tmp, FakeAnthropic() as fake:
        base = Path(tmp)
        this = base / "autodevhub-docs"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(this)], check=True)
        small = Repo(base / "notes-service")
        small.commit("Initial commit", {
            "README.md": "# Notes\n\nNotes stores notes and serves them over HTTP.\n",
            "pyproject.toml": "[project]\nname = 'notes'\ndependencies = ['fastapi', 'sqlalchemy']\n",
            "notes/__init__.py": "", "notes/api.py": "from fastapi import FastAPI\napp = FastAPI()\n\n"
                                                     "@app.get('/notes')\ndef notes():\n    return []\n",
            "Dockerfile": "FROM python:3.12-slim\nEXPOSE 8000\n",
        })
        print("| Repository | Cache | Sections for Claude | Input tokens | Output tokens | Cost | Batch cost |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for name, repo in (("this repository", this), ("small service", small.root)):
            print("\n".join(measure(name, repo, fake)))


if __name__ == "__main__":
    main()
