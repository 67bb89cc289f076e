# Shared test helpers: real git repositories and real MkDocs builds in tmp folders.
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Lovelace", "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Lovelace", "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}

MERMAID_FENCE = {"pymdownx.superfences": {"custom_fences": [
    {"name": "mermaid", "class": "mermaid", "format": "!!python/name:pymdownx.superfences.fence_code_format"}]}}


class Repo:
    """A throwaway git repository driven by the real git binary."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        full_env = {**os.environ, **GIT_ENV, **(env or {})}
        return subprocess.run(["git", "-C", str(self.root), *args], check=True, capture_output=True, text=True,
                              env=full_env).stdout

    def write(self, files: Mapping[str, str | bytes]) -> None:
        for path, content in files.items():
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def commit(self, message: str, files: Mapping[str, str | bytes] | None = None, *, date: str | None = None,
               author: tuple[str, str] | None = None, remove: tuple[str, ...] = ()) -> str:
        if files:
            self.write(files)
        for path in remove:
            self.git("rm", "-q", path)
        self.git("add", "-A")
        env: dict[str, str] = {}
        if date:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        if author:
            env.update(GIT_AUTHOR_NAME=author[0], GIT_AUTHOR_EMAIL=author[1])
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def tag(self, name: str, message: str | None = None) -> None:
        if message:
            self.git("tag", "-a", name, "-m", message)
        else:
            self.git("tag", name)


def write_mkdocs_yml(folder: Path, plugin: Mapping[str, Any] | None = None, *, nav: Any = None,
                     extra: Mapping[str, Any] | None = None, fence: bool = True, docs: Mapping[str, str] | None = None
                     ) -> Path:
    """Write an mkdocs.yml using the material theme and the autodevhub plugin, plus a docs folder."""
    docs_dir = folder / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (docs or {"index.md": "# Home\n\nWelcome.\n"}).items():
        (docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (docs_dir / name).write_text(text, encoding="utf-8")
    config: dict[str, Any] = {
        "site_name": "Test site",
        "theme": {"name": "material"},
        "plugins": ["search", {"autodevhub": {"cache_dir": ".cache/autodevhub", **(plugin or {})}}],
    }
    if fence:
        config["markdown_extensions"] = [MERMAID_FENCE]
    if nav is not None:
        config["nav"] = nav
    config.update(extra or {})
    text = yaml.safe_dump(config, sort_keys=False).replace(
        "'!!python/name:pymdownx.superfences.fence_code_format'", "!!python/name:pymdownx.superfences.fence_code_format"
    )
    path = folder / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


# The engine the site builds run under: `mkdocs`, or `properdocs` (the maintained MkDocs 1.x fork), chosen by the
# engine axis of the matrix in .github/workflows/tests.yml.
BUILD_ENGINE = os.environ.get("AUTODEVHUB_TEST_ENGINE", "mkdocs")
assert BUILD_ENGINE in ("mkdocs", "properdocs"), f"AUTODEVHUB_TEST_ENGINE={BUILD_ENGINE}: use mkdocs or properdocs"


def mkdocs_build(config_file: Path, *, strict: bool = True, env: Mapping[str, str] | None = None,
                 quiet: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build` (or `properdocs build`, see BUILD_ENGINE) in a subprocess, as a user would.

    `env` overrides variables last. Not quiet by default: `-q` sets the mkdocs logger to ERROR, and then `--strict`
    no longer counts warnings.
    """
    args = [sys.executable, "-m", BUILD_ENGINE, "build", *(["-q"] if quiet else []), "-f", str(config_file)]
    args += ["--strict"] if strict else []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": "",
           "GITHUB_REPOSITORY": "", **(env or {})}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=config_file.parent, check=False)


def build_in_process(config_file: Path, *, strict: bool = True) -> Path:
    """Build a site with mkdocs' own `build()` in this process and return the site folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)
