# Engine compatibility: the plugin under ProperDocs (the maintained MkDocs 1.x fork), and `generate --out` output
# as plain Markdown that builds with no plugin at all (the pre-build step for Zensical or any other engine).
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.helpers import MERMAID_FENCE, Repo, mkdocs_build, write_mkdocs_yml

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def sample(root: Path) -> Repo:
    repo = Repo(root)
    repo.commit("Initial commit", {
        "README.md": "# Notes\n\nNotes stores notes and serves them over HTTP.\n",
        "notes/__init__.py": "", "notes/app.py": "print('hi')\n", "Dockerfile": "FROM python:3.12-slim\n",
        "docs/adr/0001-use-sqlite.md": "# 1. Use SQLite\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n"
                                       "c\n\n## Decision\n\nd\n\n## Consequences\n\ne\n",
    })
    return repo


def test_the_plugin_builds_under_properdocs(tmp_path: Path) -> None:
    properdocs = shutil.which("properdocs", path=str(BIN)) or shutil.which("properdocs")
    assert properdocs, "properdocs is missing: it is in the [test] extra (pip install -e '.[test]')"
    repo = sample(tmp_path / "notes")
    config = write_mkdocs_yml(repo.root, {"llm": "offline"})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([properdocs, "build", "--strict", "-q", "-f", str(config)], capture_output=True, text=True,
                          env=env, cwd=repo.root, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    site = repo.root / "site"
    for page in ("architecture/index.html", "adr/index.html", "changes/index.html", "development/setup-guide/index.html"):
        assert "Generated from commit" in (site / page).read_text(encoding="utf-8"), page
    ET.fromstring((site / "changes" / "feed.xml").read_bytes())
    assert (site / "llms.txt").read_text(encoding="utf-8").startswith("# notes documentation")


def test_generate_out_builds_as_plain_markdown_without_the_plugin(tmp_path: Path) -> None:
    repo = sample(tmp_path / "notes")
    # the pages are generated for the repository; the site that shows them knows nothing of the plugin
    out = tmp_path / "plain" / "docs"
    done = subprocess.run([str(BIN / "autodevhub-docs"), "generate", "--out", str(out), "--offline"],
                          capture_output=True, text=True, cwd=repo.root, check=False, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    (out / "index.md").write_text("# Notes\n\nGenerated with `autodevhub-docs generate`.\n", encoding="utf-8")
    config = {"site_name": "Plain", "theme": {"name": "material"}, "plugins": ["search"],
              "markdown_extensions": [MERMAID_FENCE]}
    config_file = tmp_path / "plain" / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False).replace(
        "'!!python/name:pymdownx.superfences.fence_code_format'",
        "!!python/name:pymdownx.superfences.fence_code_format"), encoding="utf-8")
    assert "autodevhub" not in config_file.read_text(encoding="utf-8")
    built = mkdocs_build(config_file)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "plain" / "site"
    assert "Generated from commit" in (site / "architecture" / "index.html").read_text(encoding="utf-8")
    assert (site / "adr" / "index.html").is_file() and (site / "changes" / "index.html").is_file()
    ET.fromstring((site / "changes" / "feed.xml").read_bytes())
    assert (site / "llms.txt").is_file()
    assert '<pre class="mermaid">' in (site / "architecture" / "index.html").read_text(encoding="utf-8")
