# One fingerprint decides whether a build can reuse earlier pages: in memory under `mkdocs serve` (plugin.py) and
# on disk across builds (here).
#
# Why: a warm build already costs zero tokens (every answer is cached), but it still reads the history, analyses
# the code and renders every page, and importing that machinery alone costs more than MkDocs' own start-up. So the
# plugin first takes a fingerprint of everything a build reads, and when it matches the fingerprint of the last
# build whose Claude calls all succeeded, it serves the stored pages without importing the pipeline at all, and
# says that build's warnings again so `--strict` fails alike. (`generate` always runs.)
#
# The fingerprint covers: the commit and every tracked file that differs from it, committed or not (path, size,
# mtime), the options, the issues export, the custom templates (by content, so serve can tell a template edit
# apart and only render again), the built-in templates and this package's own code, the secrets a page could be
# masked against, and whether an API key is set. A build that reads GitHub first refreshes the snapshot (ETag
# requests only: a warm build's answers are all 304) and adds the snapshot's content digest, so a build is reused
# exactly when GitHub said nothing new; without a token, or with GitHub unreachable, the snapshot it has stands (with
# one warning). A serve session keeps its first sync until something local changes.
# A build with warnings (a failed call, a fallback, a budget stop) is never stored, so the next build tries again;
# the one exception is the stale-snapshot warning, since the snapshot's digest is part of the key already.
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from autodevhub_docs.code_identity import code_digest, stat_into
from autodevhub_docs.errors import SourceError
from autodevhub_docs.log import get_logger
from autodevhub_docs.redact import secret_values
from autodevhub_docs.rendering.precompile import BYTECODE_FOLDER, compile_in_background
from autodevhub_docs.report import BuildResult, reused_report, write_report
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.git_runner import git_text
from autodevhub_docs.sources.refresh import SnapshotRefresh, refresh_snapshot, resolve_repo
from autodevhub_docs.store import Store, open_store, read_json_readonly

log = get_logger(__name__)

_NAMESPACE = "reuse"


@dataclass(frozen=True)
class Fingerprint:
    """What a build would read, in three parts (see the module comment)."""

    inputs: str
    """Digest of everything a build reads except the custom templates."""
    templates: str
    """Digest of the custom templates' names and contents ('' without custom templates)."""
    reads_github: bool
    """The build reads GitHub: `build` refreshes the snapshot and fills in `github` before deciding."""
    github: str = ""
    """Digest of the GitHub snapshot the build reads ('' when it reads none)."""

    @property
    def key(self) -> str:
        """The whole fingerprint as one string (what the disk copy is stored under)."""
        return hashlib.sha256(f"{self.inputs}\0{self.templates}\0{self.github}".encode()).hexdigest()


def build(settings: Settings, key: Fingerprint | None = None) -> BuildResult:
    """Reuse the last build's pages (and repeat its warnings) when nothing it read has changed, else run the pipeline.

    Args:
        settings: Build options.
        key: `fingerprint(settings)` when the caller has just taken it (taken here otherwise).

    Returns:
        The pages and the report (also written to `<cache_dir>/report.json`); `facts` is None when reused.

    Raises:
        AutodevhubError: As `pipeline.run_build`.
    """
    started = time.perf_counter()
    key = key or fingerprint(settings)
    if key is None or not key.reads_github:
        stored = _load(read_json_readonly(settings.cache_dir, _NAMESPACE, "last"), key)
        if stored is not None:
            return _reused(settings, stored, started)
        return _run(settings, key)
    store = open_store(settings.cache_dir)
    try:
        repo = resolve_repo(settings)
        refresh = refresh_snapshot(settings, repo, store) if repo else None
        key = replace(key, github=refresh.digest if refresh else "")
        stored = _load(store.get_json(_NAMESPACE, "last"), key)
        if stored is not None:
            return _reused(settings, stored, started, refresh)
        return _run(settings, key, store, refresh)
    finally:
        store.close()


def _reused(settings: Settings, stored: tuple[dict[str, str], dict[str, Any]], started: float,
            refresh: SnapshotRefresh | None = None) -> BuildResult:
    pages, previous = stored
    report = reused_report(previous, time.perf_counter() - started)
    # The stored build's own warnings hold for the same inputs: say them again, so `--strict` fails alike.
    repeated = [str(w) for w in previous.get("warnings", []) if isinstance(w, str)]
    for warning in repeated:
        log.warning("%s", warning)
    if refresh is not None:  # what asking GitHub cost (304s), and the stale-snapshot warning if any
        report.update(github=dict(refresh.stats), warnings=[*refresh.warnings, *repeated])
    write_report(settings.cache_dir, report)
    log.debug("nothing changed since the last build: its %d pages are reused", len(pages))
    return BuildResult(pages=pages, report=report)


def _run(settings: Settings, key: Fingerprint | None, store: Store | None = None,
         refresh: SnapshotRefresh | None = None) -> BuildResult:
    """Run the pipeline, and store its pages when the build was clean and nothing moved while it ran."""
    # The first build with this cache compiles the page templates on the other core meanwhile (`precompile`).
    compile_in_background(settings.custom_templates, settings.cache_dir / BYTECODE_FOLDER)
    from autodevhub_docs import pipeline  # the whole pipeline is loaded only when it has work to do

    result = pipeline.run_build(settings, store=store, github=refresh)
    known = set(refresh.warnings) if refresh else set()
    # A section Claude could not write (a failed call, the budget reached) is worth trying again next time; any other
    # warning is a fact about these inputs and is stored with the pages (without the snapshot's own warnings, which
    # the next refresh says again if they hold).
    llm = result.report.get("llm", {})
    retry = bool(llm.get("failures") or llm.get("degraded"))
    after = fingerprint(settings)
    if key is not None and not retry and after is not None and (after.inputs, after.templates) == (key.inputs,
                                                                                                   key.templates):
        report = {**result.report, "warnings": [w for w in result.report.get("warnings", []) if w not in known]}
        _save(settings, key.key, result.pages, report, store)
    return result


def fingerprint(settings: Settings) -> Fingerprint | None:
    """Take the fingerprint of everything a build reads, or None when git cannot read the checkout.

    Args:
        settings: Build options.
    """
    status = _git(settings.repo_path, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no")
    if status is None:
        return None
    sha = hashlib.sha256()
    for part in (code_digest(), repr(settings), status, repr(sorted(secret_values())),
                 str(bool(os.environ.get(settings.api_key_env)))):
        sha.update(part.encode("utf-8", "surrogateescape") + b"\0")
    files: list[Path] = []
    changed = _changed_paths(status)
    if changed:  # porcelain paths are relative to the top of the work tree
        root = _git(settings.repo_path, "rev-parse", "--show-toplevel")
        if root is None:
            return None
        files += [Path(root.strip()) / name for name in changed]
    if settings.issues_file is not None:
        files.append(settings.issues_file)
    for path in files:
        stat_into(sha, path)
    return Fingerprint(inputs=sha.hexdigest(), templates=_templates_digest(settings.custom_templates),
                       reads_github=settings.issues_file is None and _syncs_github(settings))


def _templates_digest(folder: Path | None) -> str:
    """Names and contents of the custom templates: serve renders the same documents again when only they change."""
    if folder is None or not folder.is_dir():
        return ""
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*.jinja")):
        try:
            sha.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes())
        except OSError:
            sha.update(str(path).encode("utf-8", "surrogateescape") + b"\0missing")
        sha.update(b"\0")
    return sha.hexdigest()


_FIELDS_BEFORE_PATH = {"1": 8, "2": 9, "u": 10}
"""`git status --porcelain=v2` entries: ordinary, renamed or copied, unmerged; the path (spaces and all) follows."""


def _changed_paths(status: str) -> list[str]:
    """The paths of changed tracked files in `git status --porcelain=v2 -z` output (a rename's old path too)."""
    paths = []
    for entry in status.split("\0"):
        if not entry or entry.startswith("#"):
            continue
        fields = _FIELDS_BEFORE_PATH.get(entry[:1]) if entry[1:2] == " " else None
        paths.append(entry.split(" ", fields)[-1] if fields else entry)  # no known prefix: a rename's old path
    return paths


def _syncs_github(settings: Settings) -> bool:
    """Whether the build would read GitHub (the same rule as `collect.resolve_github_repo`)."""
    if settings.github_repo or os.environ.get("GITHUB_REPOSITORY"):
        return True
    remote = _git(settings.repo_path, "config", "--get", "remote.origin.url") or ""
    return "github.com" in remote.lower()


def _git(root: Path, *args: str) -> str | None:
    """Output of a git command (paths kept byte for byte), or None when it fails: then nothing is reused."""
    try:
        return git_text(root, *args, errors="surrogateescape", timeout=30)
    except SourceError:
        return None


def _load(stored: Any, key: Fingerprint | None) -> tuple[dict[str, str], dict[str, Any]] | None:
    """The stored pages when they were stored under this fingerprint, or None on any doubt.

    Without GitHub the file is read read-only and never repaired here: the pipeline opens, checks and sets aside a
    damaged cache itself, and reports it.
    """
    if key is None or not isinstance(stored, dict) or stored.get("fingerprint") != key.key:
        return None
    pages, report = stored.get("pages"), stored.get("report")
    return (pages, report) if isinstance(pages, dict) and isinstance(report, dict) else None


def _save(settings: Settings, key: str, pages: dict[str, str], report: dict[str, Any], store: Store | None) -> None:
    own = store is None
    store = store or open_store(settings.cache_dir)
    try:
        store.put_json(_NAMESPACE, "last", {"fingerprint": key, "pages": pages, "report": report})
    finally:
        if own:
            store.close()
