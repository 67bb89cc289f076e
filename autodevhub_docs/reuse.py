# A rebuild with nothing changed reuses the last build's pages instead of running the pipeline again.
#
# Why: a warm build already costs zero tokens (every answer is cached), but it still reads the history, analyses
# the code and renders every page, and importing that machinery alone costs more than MkDocs' own start-up. So the
# plugin first takes a fingerprint of everything a build reads, and when it matches the fingerprint of the last
# clean build, it serves the stored pages without importing the pipeline at all. (`generate` always runs.)
#
# The fingerprint covers: the commit and every tracked file that differs from it (path, size, mtime), the options,
# the issues export, the custom and built-in templates and this package's own code, the secrets a page could be
# masked against, and whether an API key is set. A build that syncs GitHub is never reused: only the sync can tell
# whether issues changed. A build with warnings (a failed call, a fallback, a budget stop) is never stored, so the
# next build tries again.
from __future__ import annotations

import hashlib
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autodevhub_docs import __version__, builtin_templates
from autodevhub_docs.log import get_logger
from autodevhub_docs.redact import secret_values
from autodevhub_docs.report import write_report
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import open_store, read_json_readonly

if TYPE_CHECKING:
    from autodevhub_docs.pipeline import BuildResult

log = get_logger(__name__)

PACKAGE = Path(__file__).resolve().parent
"""This package's folder: its code is part of the fingerprint (an editable install changes without a new version)."""
_NAMESPACE = "reuse"


@dataclass(frozen=True)
class Outcome:
    """The pages of a build, whether it ran the pipeline or reused the last clean build."""

    pages: dict[str, str]
    """Docs-relative URI to text (Markdown pages, `changes/feed.xml`, `llms.txt`)."""
    report: dict[str, Any]
    """The content of report.json."""
    result: BuildResult | None
    """The full result when the pipeline ran (facts and documents, for re-rendering under serve); None if reused."""


def build(settings: Settings) -> Outcome:
    """Reuse the last clean build's pages when nothing it read has changed, else run the pipeline.

    Args:
        settings: Build options.

    Returns:
        The pages and the report (also written to `<cache_dir>/report.json`).

    Raises:
        AutodevhubError: As `pipeline.run_build`.
    """
    started = time.perf_counter()
    key = fingerprint(settings)
    if key is not None:
        reused = _load(settings, key)
        if reused is not None:
            pages, report = reused
            llm = dict(report.get("llm", {}))
            answers = int(llm.get("calls", 0)) + int(llm.get("cache_hits", 0))
            llm.update(calls=0, cache_hits=answers, failures=0, input_tokens=0, output_tokens=0, cache_read_tokens=0,
                       cache_write_tokens=0, cost_usd=0.0)
            total = round(time.perf_counter() - started, 3)
            report = {**report, "llm": llm, "github": {"requests": 0, "not_modified": 0}, "reused": True,
                      "durations_s": {"sources": total, "analysis": 0.0, "generation": 0.0, "total": total}}
            write_report(settings.cache_dir, report)
            log.debug("nothing changed since the last build: its %d pages are reused", len(pages))
            return Outcome(pages=pages, report=report, result=None)
    from autodevhub_docs import pipeline  # the whole pipeline is loaded only when it has work to do

    result = pipeline.run_build(settings)
    clean = not result.report.get("warnings") and not result.report.get("llm", {}).get("failures")
    if key is not None and clean and fingerprint(settings) == key:  # nothing moved while we built
        _save(settings, key, result.pages, result.report)
    return Outcome(pages=result.pages, report=result.report, result=result)


def fingerprint(settings: Settings) -> str | None:
    """Digest of everything a build reads, or None when a build cannot be reused (GitHub sync, no git).

    Args:
        settings: Build options.
    """
    if settings.issues_file is None and _syncs_github(settings):
        return None
    status = _git(settings.repo_path, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no")
    if status is None:
        return None
    sha = hashlib.sha256()
    for part in (__version__, repr(settings), status, repr(sorted(secret_values())),
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
    for folder in (PACKAGE, builtin_templates(), settings.custom_templates):
        if folder is not None and folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".jinja")))
    for path in files:
        _stat(sha, path)
    return sha.hexdigest()


def head(repo_path: Path) -> str:
    """The HEAD sha of the repository ('' when unknown); cheap enough for every serve reload."""
    return (_git(repo_path, "rev-parse", "-q", "--verify", "HEAD") or "").strip()


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


def _stat(sha: Any, path: Path) -> None:
    try:
        info = path.stat()
        sha.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    except OSError:
        sha.update(f"{path}\0missing\0".encode("utf-8", "surrogateescape"))


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.decode("utf-8", "surrogateescape") if proc.returncode == 0 else None


def _load(settings: Settings, key: str) -> tuple[dict[str, str], dict[str, Any]] | None:
    """The stored pages for this fingerprint, or None on any doubt.

    The file is read read-only and never repaired here: the pipeline opens, checks and sets aside a damaged
    cache itself, and reports it.
    """
    stored = read_json_readonly(settings.cache_dir, _NAMESPACE, "last")
    if not isinstance(stored, dict) or stored.get("fingerprint") != key:
        return None
    pages, report = stored.get("pages"), stored.get("report")
    return (pages, report) if isinstance(pages, dict) and isinstance(report, dict) else None


def _save(settings: Settings, key: str, pages: dict[str, str], report: dict[str, Any]) -> None:
    store = open_store(settings.cache_dir)
    try:
        store.put_json(_NAMESPACE, "last", {"fingerprint": key, "pages": pages, "report": report})
    finally:
        store.close()
