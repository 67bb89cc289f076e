# The history of dependency manifests, lockfiles, compose files and CI configuration, read with one
# `git log` and one `git cat-file --batch` process. Decision mining compares each version with the one before.
from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from autodevhub_docs.model import ManifestChange
from autodevhub_docs.sources.git import is_excluded
from autodevhub_docs.sources.git_runner import run_git

MAX_CHANGES = 20_000
"""Most file changes read; older ones beyond this are dropped (the newest history matters most)."""
MAX_MANIFEST_BYTES = 256_000
"""Manifest versions larger than this are treated as unreadable."""

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


def read_blobs(root: Path, specs: Sequence[str]) -> list[str | None]:
    """Read `<rev>:<path>` objects in one `git cat-file --batch` process.

    Args:
        root: Repository root.
        specs: Object names such as `abc123:pyproject.toml` or `abc123^:package.json`.

    Returns:
        The text of each object, or None when it does not exist, is not a file, or is too large.
    """
    if not specs:
        return []
    out = run_git(root, "cat-file", "--batch", stdin=("\n".join(specs) + "\n").encode("utf-8"), check=False)
    results: list[str | None] = []
    pos = 0
    for _ in specs:
        end = out.find(b"\n", pos)
        if end < 0:
            results.append(None)
            continue
        header = out[pos:end].decode("utf-8", "replace").split(" ")
        pos = end + 1
        if len(header) != 3 or header[1] not in ("blob", "tree", "commit", "tag"):
            results.append(None)  # "<spec> missing" or "ambiguous"
            continue
        size = int(header[2])
        content = out[pos:pos + size]
        pos += size + 1
        if header[1] != "blob" or size > MAX_MANIFEST_BYTES or b"\0" in content[:8192]:
            results.append(None)
            continue
        results.append(content.decode("utf-8", "replace").replace("\r\n", "\n"))
    return results


def read_manifest_history(root: Path, exclude: Sequence[str] = ()) -> tuple[ManifestChange, ...]:
    """Return every change to a followed file over the history of HEAD, oldest first.

    Args:
        root: Repository root.
        exclude: Globs of paths left out of analysis.
    """
    fmt = f"{_RS}%H{_US}%aN{_US}%aI{_US}%s{_US}"
    log_out = run_git(root, "log", "--reverse", "--no-renames", "--no-color", "--name-status", f"--format={fmt}",
                      check=False)
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
