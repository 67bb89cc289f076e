# The history of every file that shows which tools a project uses: dependency manifests, lockfiles, compose files,
# CI workflows, pre-commit hooks, Dockerfiles, UI-kit configuration and environment examples. It is read along the
# default branch's first-parent history (`git log --first-parent`), so every change is attributed to the commit or
# merge that brought it to the branch, never to a commit of a side branch; with one `git log` and one
# `git cat-file --batch` process. Decision mining compares each version with the one before.
from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, cast

from autodevhub_docs.model import ManifestChange
from autodevhub_docs.sources.git import exclusion_matcher
from autodevhub_docs.sources.git_log import GitLog, LogRecord, read_log
from autodevhub_docs.sources.git_runner import run_git
from autodevhub_docs.sources.manifests import is_manifest
from autodevhub_docs.sources.paths import is_sample_folder

MAX_CHANGES = 20_000
"""Most file changes read; older ones beyond this are dropped (the newest history matters most)."""
MAX_MANIFEST_BYTES = 256_000
"""Manifest versions larger than this are treated as unreadable (and never read from git)."""
MAX_TOTAL_BYTES = 64_000_000
"""Most bytes of old versions read in one build; older versions beyond it are treated as unreadable."""

_SKIP_DIRS = ("node_modules/", "vendor/", "third_party/", ".venv/", "site-packages/", "bower_components/")
_TEXT_KINDS = re.compile(
    r"(?P<compose>(?:docker-)?compose[\w.-]*\.ya?ml)|(?P<precommit>\.pre-commit-config\.ya?ml)|"
    r"(?P<dockerfile>Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.dockerfile)|(?P<components>components\.json)|"
    r"(?P<env>\.env(?:\.[\w-]+)?|[\w-]+\.env)|(?P<gitlab>\.gitlab-ci\.ya?ml)")
_STATUS_ONLY = re.compile(
    r"poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|"
    r"\.travis\.yml|Jenkinsfile|azure-pipelines\.yml|appveyor\.yml|bitbucket-pipelines\.yml")


@lru_cache(maxsize=65536)
def kind_of(path: str) -> str | None:
    """What decision mining reads in a file, or None when it does not follow it.

    `manifest`, `compose`, `workflow`, `precommit`, `dockerfile`, `components`, `env` and `gitlab` files are read at
    every version; `status` files (lockfiles, other CI systems) count by their presence only.

    Paths repeat across the history, so the answer is cached per path.
    """
    if any(part in path for part in _SKIP_DIRS) or is_sample_folder(path):
        return None
    name = path.rsplit("/", 1)[-1]
    if path.startswith(".github/workflows/") and name.endswith((".yml", ".yaml")):
        return "workflow"
    if path == ".circleci/config.yml" or _STATUS_ONLY.fullmatch(name):
        return "status"
    match = _TEXT_KINDS.fullmatch(name)
    if match:
        return match.lastgroup
    return "manifest" if is_manifest(path) else None


def is_tracked_kind(path: str) -> bool:
    """Tell whether a path is a file that decision mining follows."""
    return kind_of(path) is not None


_ENV_NAME = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def env_names(text: str) -> str:
    """Only the variable names of an environment file, one per line: its values may be secrets and are never kept."""
    return "\n".join(m.group(1) for line in text.split("\n") if (m := _ENV_NAME.match(line))) + "\n"


def _batch(root: Path, mode: str, lines: Sequence[str]) -> tuple[subprocess.Popen[bytes], IO[bytes], threading.Thread]:
    """Start `git cat-file <mode>` and write its requests from a thread.

    Writing from a thread means git never blocks on a full output pipe while we are still writing.
    Returns the process, its output and the writer thread.
    """
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    process = subprocess.Popen(["git", "-c", "core.quotepath=off", "-C", str(root), "cat-file", mode],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    stdin, stdout = cast("IO[bytes]", process.stdin), cast("IO[bytes]", process.stdout)

    def write() -> None:
        try:
            stdin.write(("\n".join(lines) + "\n").encode("utf-8"))
        except OSError:
            pass  # git stopped early (a broken pipe); the reader sees the end of its output
        finally:
            stdin.close()

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return process, stdout, thread


def _finish(process: subprocess.Popen[bytes], stdout: IO[bytes], writer: threading.Thread) -> None:
    stdout.close()
    writer.join()
    process.wait()


def _headers(root: Path, specs: Sequence[str]) -> list[tuple[str, int] | None]:
    """`(object id, size)` of each spec that names a blob, from `git cat-file --batch-check` (no content is read)."""
    process, stdout, writer = _batch(root, "--batch-check", specs)
    found: list[tuple[str, int] | None] = []
    for _ in specs:
        fields = stdout.readline().decode("utf-8", "replace").split()
        # "<oid> blob <size>", or "<spec> missing" / "ambiguous" for names that are not objects
        found.append((fields[0], int(fields[2])) if len(fields) == 3 and fields[1] == "blob" and fields[2].isdigit()
                     else None)
    _finish(process, stdout, writer)
    return found


def _wanted(headers: Sequence[tuple[str, int] | None]) -> set[int]:
    """Indexes of the blobs to read: each under the per-file limit, newest first until the total budget is spent."""
    chosen: set[int] = set()
    budget = MAX_TOTAL_BYTES
    for index in range(len(headers) - 1, -1, -1):  # specs are oldest first; the newest history matters most
        header = headers[index]
        if header is not None and header[1] <= MAX_MANIFEST_BYTES and header[1] <= budget:
            chosen.add(index)
            budget -= header[1]
    return chosen


def read_blobs(root: Path, specs: Sequence[str]) -> list[str | None]:
    """Read `<rev>:<path>` objects with bounded memory.

    One `git cat-file --batch-check` gives every object's type and size without its content; one
    `git cat-file --batch` then streams only the blobs under `MAX_MANIFEST_BYTES`, newest first until
    `MAX_TOTAL_BYTES` are read, each read as exactly its size. A 200 MB old version is never read at all.

    Args:
        root: Repository root.
        specs: Object names such as `abc123:pyproject.toml` or `abc123^:package.json`.

    Returns:
        The text of each object, or None when it does not exist, is not a file, is binary or is too large.
    """
    if not specs:
        return []
    headers = _headers(root, specs)
    wanted = _wanted(headers)
    chosen = [(index, header[0]) for index, header in enumerate(headers) if header and index in wanted]
    results: list[str | None] = [None] * len(specs)
    if not chosen:
        return results
    process, stdout, writer = _batch(root, "--batch", [oid for _, oid in chosen])
    for index, _ in chosen:
        fields = stdout.readline().split()
        if len(fields) != 3 or not fields[2].isdigit():
            break  # git stopped answering (the repository changed under us): the rest stay unread
        size = int(fields[2])
        content = stdout.read(size)
        stdout.read(1)  # the newline after each object
        if fields[1] == b"blob" and len(content) == size and b"\0" not in content[:8192]:
            results[index] = content.decode("utf-8", "replace").replace("\r\n", "\n")
    _finish(process, stdout, writer)
    return results


def _text(texts: Sequence[str | None], index: int | None) -> str | None:
    """The text read for one version: None when absent, '' for a presence-only file (index -1)."""
    if index is None:
        return None
    return "" if index < 0 else texts[index]


RawChange = tuple[str, str, str, str, str, str]
"""(sha, author, date, subject, status, path) of one change to a followed file, before its text is read."""


def first_parent_changes(records: Iterable[LogRecord], exclude: Sequence[str] = ()) -> list[RawChange]:
    """The changes to followed files of first-parent commits, in their order, without their texts.

    Args:
        records: Commits of the first-parent line, oldest first (`GitLog.first_parent`).
        exclude: Globs of paths left out of analysis.
    """
    excluded = exclusion_matcher(tuple(exclude))
    raw: list[RawChange] = []
    for record in records:
        for status, path in record.changes():
            if kind_of(path) is not None and not (excluded and excluded.match(path)):
                raw.append((record.sha, record.author, record.date, record.subject, status, path))
    return raw


def read_changes(root: Path, raw: Sequence[RawChange], *, first_before: bool = False) -> tuple[ManifestChange, ...]:
    """Read the texts of changes to followed files with `git cat-file` (see `read_blobs`).

    Args:
        root: Repository root.
        raw: The changes, oldest first.
        first_before: Also read the text before the first change of each path that is not an addition (for a
            history that starts mid-way and is not given the tree it starts from).
    """
    specs: list[str] = []
    wanted: list[tuple[int | None, int | None]] = []
    seen: set[str] = set()
    for sha, _, _, _, status, path in raw:
        if kind_of(path) == "status":
            wanted.append((-1 if status != "A" else None, -1 if status != "D" else None))  # present, never read
            continue
        before = after = None
        first = path not in seen
        seen.add(path)
        if first_before and status != "A" and first:  # later versions' "before" is the previous change's "after"
            before = len(specs)
            specs.append(f"{sha}^:{path}")
        if status != "D":
            after = len(specs)
            specs.append(f"{sha}:{path}")
        wanted.append((before, after))
    texts = read_blobs(root, specs)
    texts = [env_names(t) if t is not None and kind_of(spec.split(":", 1)[1]) == "env" else t
             for spec, t in zip(specs, texts, strict=True)]
    return tuple(
        ManifestChange(sha=sha, date=date, author=author, subject=subject, path=path, status=status,
                       before=_text(texts, b), after=_text(texts, a))
        for (sha, author, date, subject, status, path), (b, a) in zip(raw, wanted, strict=True)
    )


def read_manifest_history(root: Path, exclude: Sequence[str] = (), log: GitLog | None = None
                          ) -> tuple[ManifestChange, ...]:
    """Return every change to a followed file along the first-parent history of HEAD, oldest first.

    Args:
        root: Repository root.
        exclude: Globs of paths left out of analysis.
        log: The history's log pass, when it was already read (`GitData.log`); else it is read here.
    """
    raw = first_parent_changes((log or read_log(root)).first_parent(), exclude)
    return read_changes(root, raw[-MAX_CHANGES:], first_before=True)


def read_tree(root: Path, rev: str, exclude: Sequence[str] = ()) -> dict[str, str]:
    """Every followed file as it is at one commit: path -> text ('' for presence-only files such as lockfiles).

    Decision mining re-reads the repository at a record's cited commits with this, to check each claim
    independently of the history it was mined from.

    Args:
        root: Repository root.
        rev: A commit, e.g. `abc123` or `abc123^1` (the first parent); an unknown revision gives an empty tree.
        exclude: Globs of paths left out of analysis.
    """
    listing = run_git(root, "ls-tree", "-r", "--name-only", "-z", rev, check=False).decode("utf-8", "replace")
    excluded = exclusion_matcher(tuple(exclude))
    paths = [p for p in listing.split("\0") if p and kind_of(p) is not None and not (excluded and excluded.match(p))]
    read = [p for p in paths if kind_of(p) != "status"]
    texts = dict(zip(read, read_blobs(root, [f"{rev}:{p}" for p in read]), strict=True))
    found: dict[str, str] = {}
    for path in paths:
        text = texts.get(path, "")
        if text is None:
            continue
        found[path] = env_names(text) if kind_of(path) == "env" else text
    return found
