# The history of every file that shows which tools a project uses: dependency manifests, lockfiles, compose files,
# CI workflows, pre-commit hooks, Dockerfiles, UI-kit configuration and environment examples. It is read along the
# default branch's first-parent history (`git log --first-parent`), so every change is attributed to the commit or
# merge that brought it to the branch, never to a commit of a side branch; with one `git log` and one
# `git cat-file --batch` process. Decision mining compares each version with the one before.
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from autodevhub_docs.model import ManifestChange
from autodevhub_docs.sources.git import is_excluded
from autodevhub_docs.sources.git_runner import run_git
from autodevhub_docs.sources.manifests import is_manifest
from autodevhub_docs.sources.paths import is_sample_path

MAX_CHANGES = 20_000
"""Most file changes read; older ones beyond this are dropped (the newest history matters most)."""
MAX_MANIFEST_BYTES = 256_000
"""Manifest versions larger than this are treated as unreadable."""

_RS, _US = "\x1e", "\x1f"
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
    if any(part in path for part in _SKIP_DIRS) or is_sample_path(path):
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


def _text(texts: Sequence[str | None], index: int | None) -> str | None:
    """The text read for one version: None when absent, '' for a presence-only file (index -1)."""
    if index is None:
        return None
    return "" if index < 0 else texts[index]


RawChange = tuple[str, str, str, str, str, str]
"""(sha, author, date, subject, status, path) of one change to a followed file, before its text is read."""


@dataclass(frozen=True)
class FirstParentLog:
    """What one `git log --first-parent` showed: the commits, and their changes to followed files."""

    commits: tuple[tuple[str, str], ...]
    """(sha, first parent or '') of every commit it showed, oldest first."""
    changes: tuple[RawChange, ...]
    """Their changes to followed files, oldest first."""


def first_parent_log(root: Path, exclude: Sequence[str] = (), since: str | None = None) -> FirstParentLog:
    """The changes to followed files along the first-parent history of HEAD, oldest first, without their texts.

    Args:
        root: Repository root.
        exclude: Globs of paths left out of analysis.
        since: Only the commits after this one (`since..HEAD`); the whole history by default.
    """
    fmt = f"{_RS}%H{_US}%P{_US}%aN{_US}%aI{_US}%s{_US}"
    log_out = run_git(root, "log", "--first-parent", "--reverse", "--no-renames", "--no-color", "--name-status",
                      f"--format={fmt}", *([f"{since}..HEAD"] if since else []), "--", check=False)
    commits: list[tuple[str, str]] = []
    raw: list[RawChange] = []
    for record in log_out.decode("utf-8", "replace").split(_RS)[1:]:
        parts = record.split(_US)
        if len(parts) < 6:
            continue
        sha, parents, author, date, subject, names = parts[:6]
        commits.append((sha, parents.split(" ", 1)[0]))
        for line in names.strip("\n").split("\n"):
            status, _, path = line.partition("\t")
            if not path or not is_tracked_kind(path) or is_excluded(path, exclude):
                continue
            raw.append((sha, author, date, subject, status[:1], path))
    return FirstParentLog(commits=tuple(commits), changes=tuple(raw))


def read_changes(root: Path, raw: Sequence[RawChange], *, first_before: bool = False) -> tuple[ManifestChange, ...]:
    """Read the texts of changes to followed files with one `git cat-file --batch`.

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


def read_manifest_history(root: Path, exclude: Sequence[str] = ()) -> tuple[ManifestChange, ...]:
    """Return every change to a followed file along the first-parent history of HEAD, oldest first.

    Args:
        root: Repository root.
        exclude: Globs of paths left out of analysis.
    """
    return read_changes(root, first_parent_log(root, exclude).changes[-MAX_CHANGES:], first_before=True)


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
    paths = [p for p in listing.split("\0") if p and kind_of(p) is not None and not is_excluded(p, exclude)]
    read = [p for p in paths if kind_of(p) != "status"]
    texts = dict(zip(read, read_blobs(root, [f"{rev}:{p}" for p in read]), strict=True))
    found: dict[str, str] = {}
    for path in paths:
        text = texts.get(path, "")
        if text is None:
            continue
        found[path] = env_names(text) if kind_of(path) == "env" else text
    return found
