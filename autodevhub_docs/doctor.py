# Checks behind `autodevhub-docs doctor`: configuration, tokens (presence only, never values), clone depth,
# the Mermaid fence and cache health.
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from autodevhub_docs.errors import AutodevhubError
from autodevhub_docs.settings import from_mkdocs_yml, plugin_options, read_mkdocs_yml
from autodevhub_docs.sources import git


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    level: str  # ok, info, warn or fail
    message: str


def run_checks(config_file: Path, environ: Mapping[str, str]) -> Iterator[Check]:
    """Yield every check, stopping early only when the configuration itself cannot be read."""
    try:
        data = read_mkdocs_yml(config_file)
        settings = from_mkdocs_yml(config_file)
    except AutodevhubError as error:
        yield Check("config", "fail", str(error))
        return
    listed = plugin_options(data) is not None
    yield Check("config", "ok" if listed else "warn",
                f"{config_file} is valid" + ("" if listed else "; the autodevhub plugin is not listed under plugins"))
    fences = (data.get("markdown_extensions") or [])
    has_fence = any(isinstance(e, dict) and "pymdownx.superfences" in e and "mermaid" in str(e) for e in fences)
    yield Check("mermaid", "ok" if has_fence else "warn",
                "the mermaid fence is configured" if has_fence else
                "no pymdownx.superfences mermaid fence: diagrams will show as code (run 'autodevhub-docs init')")
    try:
        root = git.find_root(settings.repo_path)
        shallow = git.head_of(root) and git._git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        yield Check("git", "warn" if shallow else "ok",
                    f"{root} is a shallow clone: use 'fetch-depth: 0'" if shallow else f"{root} has full history")
    except AutodevhubError as error:
        yield Check("git", "fail", str(error))
    for label, var in (("github token", settings.github_token_env), ("anthropic key", settings.api_key_env)):
        present = bool(environ.get(var, "").strip())
        yield Check(label, "ok" if present else "info",
                    f"${var} is set" if present else f"${var} is not set (that part runs offline)")
    db = settings.cache_dir / "autodevhub.sqlite"
    if not db.exists():
        yield Check("cache", "info", f"no cache yet at {db} (the first build creates it)")
    else:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
            yield Check("cache", "ok" if result == "ok" else "warn", f"{db}: {result}")
        except sqlite3.DatabaseError as error:
            yield Check("cache", "warn", f"{db} is unreadable ({error}); the next build sets it aside and rebuilds it")
