# The checkout read once and kept in the store: a later build reads from git only the commits since the last build's
# HEAD (`git log last..HEAD`) and the files whose blob changed; the rest comes from the store. Commits are put in the
# order `git rev-list HEAD` gives, which is the order `git log` shows them in, so the history is the same as a full
# read. A history rewritten since (force-push, the last HEAD no longer an ancestor), a shallow clone or another
# .mailmap is read in full again, with an info line.
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autodevhub_docs.log import get_logger
from autodevhub_docs.model import Commit, FileInfo
from autodevhub_docs.sources import git
from autodevhub_docs.sources.git_runner import git_text
from autodevhub_docs.store import Store

log = get_logger(__name__)

HISTORY = "memo:history"
"""Where the state of the kept history is (`state`: the HEAD it was read up to and the mailmap it was read with)."""
COMMITS = "memo:commits"
"""The kept commits, by sha."""
FILES = "memo:files"
"""What each file was found to be, by path, with its blob sha."""


def read_repository_kept(path: Path, exclude: Sequence[str], store: Store) -> git.GitData:
    """`git.read_repository`, reading only what changed since the last build and keeping the rest for the next.

    Args:
        path: A folder inside the repository.
        exclude: Globs of paths to leave out.
        store: Where the history and the files are kept.
    """
    stored_files = store.memo(FILES)
    known = {p: (v[0], _file(p, v[1:])) for p, v in stored_files.items() if isinstance(v, list) and len(v) == 5}
    data = git.read_repository(path, exclude, known_files=known,
                               history=lambda root, head, shallow: _history(root, head, shallow, store))
    current = {f.path: [data.blobs[f.path], f.size, f.language, f.lines, f.binary] for f in data.files
               if f.path in data.blobs}
    store.put_memo(FILES, {p: v for p, v in current.items() if stored_files.get(p) != v},
                   drop=[p for p in stored_files if p not in current])
    return data


def _file(path: str, values: list[Any]) -> FileInfo:
    size, language, lines, binary = values
    return FileInfo(path=path, size=int(size), language=language, lines=int(lines), binary=bool(binary))


def _mailmap(root: Path) -> str:
    """What author names are mapped with (`%aN` follows .mailmap): a change means every stored name may be wrong."""
    sha = hashlib.sha256(git_text(root, "config", "--get-regexp", r"^mailmap\.", check=False).encode())
    try:
        sha.update((root / ".mailmap").read_bytes())
    except OSError:
        sha.update(b"no .mailmap")
    return sha.hexdigest()


def _history(root: Path, head: str, shallow: bool, store: Store) -> git.History:
    mailmap = _mailmap(root)
    state = store.get_json(HISTORY, "state") or {}
    last = state.get("head")
    if shallow:  # its boundary moves with every fetch: nothing kept would be sure to hold
        log.info("the clone is shallow, so its history is read in full")
        return _all(git.read_history(root))
    order = git_text(root, "rev-list", "HEAD", "--").split()
    if last and state.get("mailmap") != mailmap:
        log.info("the .mailmap changed since the last build, so the history is read in full")
    elif last and last not in set(order):
        log.info("the history was rewritten since the last build (%s is no longer an ancestor of HEAD), so it is "
                 "read in full", last[:12])
    elif last:
        new = {c.sha: c for c in (git.read_history(root, last) if last != head else ())}
        kept = store.memo(COMMITS)
        if all(sha in new or sha in kept for sha in order):
            store.put_memo(COMMITS, {sha: _row(c) for sha, c in new.items()})
            store.put_json(HISTORY, "state", {"head": head, "mailmap": mailmap})
            return git.History(commits=tuple(new.get(sha) or _commit(sha, kept[sha]) for sha in order), since=last,
                               new=frozenset(new))
        log.info("the kept history misses commits of HEAD, so it is read in full")
    commits = git.read_history(root)
    reachable = set(order)
    stale = [sha for sha in store.memo(COMMITS) if sha not in reachable] if last else []
    store.put_memo(COMMITS, {c.sha: _row(c) for c in commits}, drop=stale)
    store.put_json(HISTORY, "state", {"head": head, "mailmap": mailmap})
    return _all(commits)


def _all(commits: tuple[Commit, ...]) -> git.History:
    return git.History(commits=commits, new=frozenset(c.sha for c in commits))


def _row(commit: Commit) -> list[Any]:
    return [commit.author, commit.email, commit.date, commit.subject, commit.body, list(commit.files)]


def _commit(sha: str, row: list[Any]) -> Commit:
    author, email, date, subject, body, files = row
    return Commit(sha=sha, author=author, email=email, date=date, subject=subject, body=body, files=tuple(files))
