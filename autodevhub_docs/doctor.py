# Checks behind `autodevhub-docs doctor`: configuration, tokens (presence only, never values), clone depth,
# the Mermaid fence and cache health.
from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from autodevhub_docs.errors import AutodevhubError, CacheError
from autodevhub_docs.settings import Settings, from_mkdocs_yml, plugin_options, read_mkdocs_yml
from autodevhub_docs.sources import git
from autodevhub_docs.sources.git_runner import git_text, head_of
from autodevhub_docs.store import STORE_FILE, check_file, open_store


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
        shallow = head_of(root) and git_text(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        yield Check("git", "warn" if shallow else "ok",
                    f"{root} is a shallow clone: use 'fetch-depth: 0'" if shallow else f"{root} has full history")
    except AutodevhubError as error:
        yield Check("git", "fail", str(error))
    for label, var in (("github token", settings.github_token_env), ("anthropic key", settings.api_key_env)):
        present = bool(environ.get(var, "").strip())
        yield Check(label, "ok" if present else "info",
                    f"${var} is set" if present else f"${var} is not set (that part runs offline)")
    yield from github_checks(settings, environ)
    db = settings.cache_dir / STORE_FILE
    if not db.exists():
        yield Check("cache", "info", f"no cache yet at {db} (the first build creates it)")
    else:
        try:
            result = check_file(db)
            yield Check("cache", "ok" if result == "ok" else "warn", f"{db}: {result}")
        except CacheError as error:
            yield Check("cache", "warn", f"{error.problem}; the next build sets it aside and rebuilds it")


def github_checks(settings: Settings, environ: Mapping[str, str]) -> Iterator[Check]:
    """GitHub App variables, the rate limit left (one `GET /rate_limit`) and the snapshot's age."""
    from autodevhub_docs.sources.issues import rate_limit, resolve_repo, snapshot_age

    app = [v for v in ("GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY") if environ.get(v, "").strip()]
    if app:
        complete = len(app) == 2 or bool(environ.get("GITHUB_APP_PRIVATE_KEY_FILE", "").strip())
        yield Check("github app", "ok" if complete else "warn",
                    "$GITHUB_APP_ID and its private key are set" if complete else
                    "GitHub App auth needs both $GITHUB_APP_ID and $GITHUB_APP_PRIVATE_KEY (or _FILE)")
    repo = resolve_repo(settings)
    if settings.issues_file is not None:
        yield Check("github", "info", f"issues come from the export {settings.issues_file}")
    if not repo:
        yield Check("github", "info", "no GitHub repository configured or detected (set 'github_repo')")
        return
    token = bool(environ.get(settings.github_token_env, "").strip()) or len(app) == 2
    if token or settings.github_repo:
        try:
            remaining, limit, reset = rate_limit(settings, repo)
            minutes = max(int((reset - time.time()) // 60), 0)
            level = "ok" if remaining > 50 or limit < 0 else "warn"
            yield Check("github rate limit", level, f"{remaining} of {limit} requests left (resets in {minutes} min)")
        except AutodevhubError as error:
            yield Check("github rate limit", "warn", error.problem)
    db = settings.cache_dir / STORE_FILE
    if not db.exists():
        yield Check("github snapshot", "info", f"no snapshot of {repo} yet (run 'autodevhub-docs sync')")
        return
    try:
        store = open_store(settings.cache_dir)
    except AutodevhubError as error:
        yield Check("github snapshot", "warn", error.problem)
        return
    try:
        age = snapshot_age(store, repo)
    finally:
        store.close()
    if age is None:
        yield Check("github snapshot", "info", f"no complete snapshot of {repo} yet (run 'autodevhub-docs sync')")
    else:
        hours = age / 3600
        yield Check("github snapshot", "ok" if hours < 48 else "warn",
                    f"snapshot of {repo} is {hours:.1f} h old" + ("" if hours < 48 else "; run 'autodevhub-docs sync'"))
