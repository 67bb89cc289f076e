# The history of dependency manifests, lockfiles, compose files and CI configuration, read with one
# `git log` and one `git cat-file --batch` process. Decision mining compares each version with the one before.
from __future__ import annotations

import fnmatch
import os
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import IO, cast

from autodevhub_docs.model import ManifestChange
from autodevhub_docs.sources.git import is_excluded

MAX_CHANGES = 20_000
"""Most file changes read; older ones beyond this are dropped (the newest history matters most)."""
MAX_MANIFEST_BYTES = 256_000
"""Manifest versions larger than this are treated as unreadable (and never read from git)."""
MAX_TOTAL_BYTES = 64_000_000
"""Most bytes of old versions read in one build; older versions beyond it are treated as unreadable."""

TEXT_MANIFESTS = (
    "requirements*.txt", "requirements/*.txt", "pyproject.toml", "Pipfile", "setup.cfg", "package.json", "go.mod",
    "Cargo.toml", "Gemfile", "docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml",
)
"""Files whose text is read at every version (dependency and service lists)."""
STATUS_ONLY = (
    "poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock", "package-lock.json", "yarn.lock", "pnpm-lock.yaml",
    "bun.lockb", ".travis.yml", ".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml", "appveyor.yml",
    ".circleci/config.yml", ".github/workflows/*.yml", ".github/workflows/*.yaml", "bitbucket-pipelines.yml",
)
"""Files whose presence alone is a signal (package manager lockfiles, CI systems); never read."""

_RS, _US = "\x1e", "\x1f"
_SKIP_DIRS = ("node_modules/", "vendor/", "third_party/", ".venv/", "site-packages/")


def _matches(path: str, patterns: Sequence[str]) -> bool:
    name = PurePosixPath(path).name
    return any(fnmatch.fnmatchcase(path, p) if "/" in p else fnmatch.fnmatchcase(name, p) for p in patterns)


def is_tracked_kind(path: str) -> bool:
    """Tell whether a path is a manifest, lockfile, compose or CI file that decision mining follows."""
    if any(part in path for part in _SKIP_DIRS):
        return False
    return _matches(path, TEXT_MANIFESTS) or _matches(path, STATUS_ONLY)


def _run(root: Path, args: Sequence[str], data: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    proc = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(root), *args], input=data,
                          capture_output=True, env=env, check=False)
    return proc.stdout if proc.returncode == 0 else b""


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


def read_manifest_history(root: Path, exclude: Sequence[str] = ()) -> tuple[ManifestChange, ...]:
    """Return every change to a followed file over the history of HEAD, oldest first.

    Args:
        root: Repository root.
        exclude: Globs of paths left out of analysis.
    """
    fmt = f"{_RS}%H{_US}%aN{_US}%aI{_US}%s{_US}"
    log_out = _run(root, ["log", "--reverse", "--no-renames", "--no-color", "--name-status", f"--format={fmt}"])
    raw: list[tuple[str, str, str, str, str, str]] = []
    for record in log_out.decode("utf-8", "replace").split(_RS)[1:]:
        parts = record.split(_US)
        if len(parts) < 5:
            continue
        sha, author, date, subject, names = parts[:5]
        for line in names.strip("\n").split("\n"):
            status, _, path = line.partition("\t")
            if not path or not is_tracked_kind(path) or is_excluded(path, exclude):
                continue
            raw.append((sha, author, date, subject, status[:1], path))
    raw = raw[-MAX_CHANGES:]
    specs: list[str] = []
    wanted: list[tuple[int | None, int | None]] = []
    seen: set[str] = set()
    for sha, _, _, _, status, path in raw:
        if not _matches(path, TEXT_MANIFESTS):
            wanted.append((None, None))
            continue
        before = after = None
        first = path not in seen
        seen.add(path)
        if status != "A" and first:  # later versions' "before" is the previous change's "after": read once
            before = len(specs)
            specs.append(f"{sha}^:{path}")
        if status != "D":
            after = len(specs)
            specs.append(f"{sha}:{path}")
        wanted.append((before, after))
    texts = read_blobs(root, specs)
    return tuple(
        ManifestChange(sha=sha, date=date, author=author, subject=subject, path=path, status=status,
                       before=texts[b] if b is not None else None, after=texts[a] if a is not None else None)
        for (sha, author, date, subject, status, path), (b, a) in zip(raw, wanted, strict=True)
    )
