# Files written by `autodevhub-docs init`. Existing files are never overwritten without --force.
from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from autodevhub_docs.errors import ConfigError

MKDOCS_YML = """\
site_name: {name}
docs_dir: docs
theme:
  name: material
  features:
    - navigation.sections
    - navigation.indexes
    - navigation.top
    - search.suggest
    - search.highlight
    - content.code.copy
plugins:
  - search
  - autodevhub
  # Options (all optional), e.g.:
  #     issues_file: issues.json          # offline export of `gh issue list --json ...`
markdown_extensions:
  - admonition
  - tables
  - attr_list
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""

INDEX_MD = """\
# {name}

Welcome. The Architecture, Decisions, User Stories, Development and Changes sections are generated from
this repository by AutoDevHub Docs on every build.
"""

# One source for the Pages workflow: `init --github-pages` writes it for any repository, and this repository's own
# `.github/workflows/docs.yml` is the same text with `pip install -e .` (a test compares them).
WORKFLOW = """\
# Builds the documentation site with AutoDevHub Docs and publishes it on GitHub Pages.
# Runs on every push to main, every night (so issues, PRs and releases show up without a push) and on demand.
name: docs

on:
  push:
    branches: [main]
  schedule:
    - cron: "17 3 * * *"
  workflow_dispatch:

permissions:
  contents: read

# One Pages deployment at a time; a running deployment is never cancelled halfway.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # full history: ADR dates, contributors and the changes page need it
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - name: Date for the cache key
        id: date
        run: echo "today=$(date -u +%Y-%m-%d)" >> "$GITHUB_OUTPUT"
      # The LLM and GitHub cache: today's key is new, so the restore-keys bring back the latest cache
      # (yesterday's) and only what changed since is regenerated.
      - uses: actions/cache@v4
        with:
          path: .cache/autodevhub
          key: autodevhub-${{{{ steps.date.outputs.today }}}}-${{{{ github.sha }}}}
          restore-keys: |
            autodevhub-${{{{ steps.date.outputs.today }}}}-
            autodevhub-
      - name: Install
        run: {install}
      # With no ANTHROPIC_API_KEY secret the variable is empty and the build runs offline (llm: auto).
      - name: Build the site
        env:
          GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
          ANTHROPIC_API_KEY: ${{{{ secrets.ANTHROPIC_API_KEY }}}}
          NO_MKDOCS_2_WARNING: "1"
        run: mkdocs build --strict
      - name: Job summary
        if: always()
        run: python -m autodevhub_docs.summary .cache/autodevhub/report.json >> "$GITHUB_STEP_SUMMARY"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

INSTALL_PUBLISHED = "pip install autodevhub-docs"
"""How a scaffolded repository installs the plugin."""
INSTALL_THIS_REPO = "pip install -e ."
"""How this repository installs itself in its own docs workflow."""


def workflow_text(install: str = INSTALL_PUBLISHED) -> str:
    """Return the GitHub Pages workflow, installing the plugin with the given command."""
    return WORKFLOW.format(install=install)


def scaffold(folder: Path, *, github_pages: bool = False, force: bool = False) -> list[tuple[Path, str]]:
    """Write mkdocs.yml, docs/index.md and (optionally) the GitHub Pages workflow.

    Args:
        folder: Repository root.
        github_pages: Also write `.github/workflows/docs.yml`.
        force: Overwrite existing files.

    Returns:
        Each file with `created`, `replaced` or `updated`.

    Raises:
        ConfigError: A file exists and `force` is not set.
    """
    return write_files(folder, mkdocs_files(folder, github_pages=github_pages), force=force)


def site_name(folder: Path) -> str:
    """The site name `init` writes: the repository folder's name."""
    return folder.resolve().name


def mkdocs_files(folder: Path, *, github_pages: bool = False) -> dict[Path, str | bytes]:
    """The files of an MkDocs site with the plugin: mkdocs.yml, docs/index.md and optionally the Pages workflow."""
    name = site_name(folder)
    # json.dumps gives a double-quoted YAML scalar, safe for any folder name (`:`, `#`, quotes...)
    mkdocs_yml = self_hosted_mermaid(no_font_requests(MKDOCS_YML.format(name=json.dumps(name))))
    files: dict[Path, str | bytes] = {folder / "mkdocs.yml": mkdocs_yml,
                                      folder / "docs" / "index.md": INDEX_MD.format(name=name),
                                      folder / "docs" / MERMAID_SITE_PATH: pinned_mermaid()}
    if github_pages:
        files[folder / ".github" / "workflows" / "docs.yml"] = workflow_text()
    return files


def write_files(folder: Path, files: Mapping[Path, str | bytes], *, force: bool = False) -> list[tuple[Path, str]]:
    """Write scaffolded files, refusing to overwrite any unless `force` is set.

    `.cache/` (the plugin's cache) is also added to `<folder>/.gitignore` when it is not listed yet; that file is
    only ever appended to.

    Args:
        folder: Repository root.
        files: Text of each file to write.
        force: Overwrite existing files.

    Returns:
        Each file with `created`, `replaced` or `updated`.

    Raises:
        ConfigError: A file exists and `force` is not set.
    """
    existing = [p for p in files if p.exists()]
    if existing and not force:
        raise ConfigError(
            f"Refusing to overwrite existing file(s): {', '.join(str(p) for p in existing)}.",
            "Move them aside, or run 'autodevhub-docs init --force' to replace them.",
        )
    results = []
    for path, text in files.items():
        status = "replaced" if path.exists() else "created"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        results.append((path, status))
    ignored = _ignore_cache(folder / ".gitignore")
    if ignored:
        results.append((folder / ".gitignore", ignored))
    return results


# Private by default: a site made by `init` sends its readers to no other host. The theme's Google Fonts are off
# (`theme.font: false`, the system fonts are used) and Mermaid is served from the site itself instead of unpkg.
# Everything else material may fetch (e.g. a custom font, icons in social cards) is the job of material's
# `privacy` plugin, documented in SECURITY.md.
MERMAID_SITE_PATH = "assets/javascripts/mermaid.min.js"
"""Where `init` puts the pinned Mermaid, inside docs_dir (so it is published as a site file)."""


def no_font_requests(mkdocs_yml: str) -> str:
    """Add `font: false` to the theme, so readers' browsers never ask fonts.googleapis.com for a font."""
    return mkdocs_yml.replace("theme:\n  name: material\n", "theme:\n  name: material\n  font: false\n", 1)


def self_hosted_mermaid(mkdocs_yml: str) -> str:
    """Point the plugin's `mermaid_js` at the Mermaid copy that `init` writes into the docs folder."""
    return mkdocs_yml.replace("  - autodevhub\n", f"  - autodevhub:\n      mermaid_js: {MERMAID_SITE_PATH}\n", 1)


def pinned_mermaid() -> bytes:
    """The Mermaid build this package pins (`autodevhub_docs/assets/mermaid.min.js`, MIT licence beside it)."""
    return resources.files("autodevhub_docs").joinpath("assets").joinpath("mermaid.min.js").read_bytes()


def _ignore_cache(gitignore: Path) -> str | None:
    """Append `.cache/` to .gitignore unless it is already ignored; return what was done."""
    text = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    if any(line.strip() in (".cache", ".cache/", "/.cache", "/.cache/") for line in text.splitlines()):
        return None
    separator = "" if not text or text.endswith("\n") else "\n"
    addition = separator + "# AutoDevHub Docs cache (LLM results, GitHub data)\n.cache/\n"
    with gitignore.open("a", encoding="utf-8") as handle:
        handle.write(addition)
    return "updated" if text else "created"
