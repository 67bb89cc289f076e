# The checkout read once and kept in the store: a later build reads from git only the commits since the last build's
# HEAD (`git log last..HEAD`) and the files whose blob changed; the rest comes from the store. Commits are put in the
# order `git rev-list HEAD` gives, which is the order `git log` shows them in, so the log is the same as a full read.
# When the new commits are one line of single-parent commits on top of the last HEAD (the usual commit or
# fast-forward), that order is theirs followed by the last build's, which is kept: no walk of the whole history.
# A history rewritten since (force-push, the last HEAD no longer an ancestor), a shallow clone, or another .mailmap
# or diff configuration (they shape what `git log` prints) is read in full again, with an info line.
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autodevhub_docs.log import get_logger
from autodevhub_docs.model import FileInfo
from autodevhub_docs.sources import git
from autodevhub_docs.sources.git_log import GitLog, LogPrefetch, LogRecord, read_log
from autodevhub_docs.sources.git_runner import git_text
from autodevhub_docs.store import Store

log = get_logger(__name__)

HISTORY = "memo:history"
"""Where the kept history's state is (`state`: the HEAD it was read up to, the git settings it was read with;
`order`: the shas of that HEAD's history in `git rev-list` order)."""
COMMITS = "memo:commits"
"""The kept log records, in chunks of `CHUNK` rows (`[sha, *fields]`) by a zero-padded chunk number."""
CHUNK = 2048
"""Records a stored chunk holds. Only the newest chunk gains records, so a build writes one chunk or a few, and
reading 62k kept records is 31 rows of the store to decode rather than 62k."""
FILES = "memo:files"
"""What each file was found to be, by path, with its mode and blob sha."""


@dataclass(frozen=True)
class Continued:
    """A history read as the continuation of the last build's."""

    since: str
    """The HEAD of the last build."""
    new: frozenset[str]
    """The commits read from git this time (`git log since..HEAD`)."""


@dataclass(frozen=True)
class Kept:
    """The checkout, and how much of its history came from the store."""

    data: git.GitData
    continued: Continued | None
    """None when the history was read in full."""
    files_read: int
    """Files whose size, language and lines were read again (the others' blob was unchanged)."""


def read_repository_kept(path: Path, exclude: Sequence[str], store: Store,
                         meanwhile: Callable[[tuple[str, ...], Mapping[str, str]], None] | None = None) -> Kept:
    """`git.read_repository`, reading only what changed since the last build and keeping the rest for the next.

    Args:
        path: A folder inside the repository.
        exclude: Globs of paths to leave out.
        store: Where the history and the files are kept.
        meanwhile: Work on the files that does not need the history (`git.read_repository`); when the history is
            read in full, it runs while git produces the log.
    """
    stored_files = store.memo(FILES)
    known = {p: (v[0], _file(p, v[1:])) for p, v in stored_files.items() if isinstance(v, list) and len(v) == 5}
    continued: list[Continued] = []
    data = git.read_repository(path, exclude, known_files=known, meanwhile=meanwhile,
                               log_reader=lambda root, head, shallow, work: _history(root, head, shallow, store,
                                                                                     continued, meanwhile=work))
    current = {f.path: [data.blobs[f.path], f.size, f.language, f.lines, f.binary] for f in data.files
               if f.path in data.blobs}
    store.put_memo(FILES, {p: v for p, v in current.items() if stored_files.get(p) != v},
                   drop=[p for p in stored_files if p not in current])
    reused = sum(1 for f in data.files if f.path in known and known[f.path][1] is f)  # taken, not read again
    return Kept(data=data, continued=continued[0] if continued else None, files_read=len(data.files) - reused)


def _file(path: str, values: list[Any]) -> FileInfo:
    size, language, lines, binary = values
    return FileInfo(path=path, size=int(size), language=language, lines=int(lines), binary=bool(binary))


def _log_settings(root: Path) -> str:
    """What `git log` output depends on besides the commits: author mapping (`%aN`) and rename detection."""
    sha = hashlib.sha256(git_text(root, "config", "--get-regexp", r"^(mailmap|diff|log)\.", check=False).encode())
    try:
        sha.update((root / ".mailmap").read_bytes())
    except OSError:
        sha.update(b"no .mailmap")
    return sha.hexdigest()


def _history(root: Path, head: str, shallow: bool, store: Store, continued: list[Continued], *,
             meanwhile: Callable[[], None]) -> GitLog:
    settings = _log_settings(root)
    state = store.get_json(HISTORY, "state") or {}
    last = state.get("head")
    ran_meanwhile = False
    if shallow:  # its boundary moves with every fetch: nothing kept would be sure to hold
        log.info("the clone is shallow, so its history is read in full")
    elif last and state.get("settings") != settings:
        log.info("the .mailmap or git's log settings changed since the last build, so the history is read in full")
    elif last:
        meanwhile()  # the few commits since the last build take git no time worth overlapping
        ran_meanwhile = True
        merged = _continued(root, head, last, store, continued)
        if merged is not None:
            return merged
    prefetch = None
    if not ran_meanwhile:
        prefetch = LogPrefetch(root)  # git writes the whole log on the other core while `meanwhile` runs here
        meanwhile()
    whole = read_log(root, prefetched=prefetch)
    _keep(store, store.memo(COMMITS) if last else {}, whole.records, head, settings, drop=None,
          order=[r.sha for r in whole.records])
    return whole


def _continued(root: Path, head: str, last: str, store: Store, continued: list[Continued]) -> GitLog | None:
    """The stored log continued with the commits since `last`, or None when it cannot be (with an info line)."""
    since = read_log(root, since=last).records if last != head else ()
    new = {r.sha: r for r in since}
    kept_order = store.get_json(HISTORY, "order")
    order = _linear_order(new, head, last, kept_order)
    if order is None:  # merges, or a history that no longer holds `last`: git walks it
        order = git_text(root, "rev-list", "HEAD", "--").split()
        if last not in set(order):
            log.info("the history was rewritten since the last build (%s is no longer an ancestor of HEAD), so it "
                     "is read in full", last[:12])
            return None
    reachable = set(order)
    chunks = store.memo(COMMITS)
    kept = {row[0]: row for rows in chunks.values() if isinstance(rows, list) for row in rows}
    if not all(sha in new or sha in kept for sha in order):
        log.info("the kept history misses commits of HEAD, so it is read in full")
        return None
    records = tuple(new.get(sha) or _record(kept[sha]) for sha in order)
    _keep(store, chunks, list(new.values()), head, _log_settings(root),
          drop={sha for sha in kept if sha not in reachable}, order=order if new or kept_order != order else None)
    continued.append(Continued(since=last, new=frozenset(new)))
    return GitLog(records=records)


def _linear_order(new: dict[str, LogRecord], head: str, last: str, kept_order: Any) -> list[str] | None:
    """HEAD's `git rev-list` order when the new commits are one line of single-parent commits from `last` to HEAD.

    Walking by date from HEAD, git then holds one commit at each step, down to `last`, and from there lists what it
    listed for `last`: the kept order. None when that does not hold (a merge, a history without `last`, no kept
    order): then git walks the whole history.
    """
    if not isinstance(kept_order, list) or not kept_order or kept_order[0] != last:
        return None
    line, sha = [], head
    while sha != last:
        record = new.get(sha)
        if record is None or len(record.parents) != 1:
            return None
        line.append(sha)
        sha = record.parents[0]
    return line + kept_order if len(line) == len(new) else None


def _keep(store: Store, chunks: dict[str, Any], records: Sequence[LogRecord], head: str, settings: str, *,
          drop: set[str] | None, order: list[str] | None) -> None:
    """Store new records and the state; `order` None leaves the kept order as it is (HEAD did not move).

    New records fill the newest chunk and then new ones; the other chunks are left as they are. `drop` None replaces
    every chunk (a full read); commits to drop (no longer reachable: a rewritten history) rewrite every chunk.
    """
    rows = [_row(r) for r in records]
    if drop is None or drop:
        kept = [] if drop is None else [row for part in _in_order(chunks) for row in part if row[0] not in drop]
        changed = _chunked(kept + rows, 0)
        stale = [key for key in chunks if key not in changed]
    else:
        parts = _in_order(chunks)
        start = max(len(parts) - 1, 0)  # the newest chunk takes records until it is full
        changed = _chunked([*(parts[-1] if parts else []), *rows], start) if rows else {}
        stale = []
    store.put_memo(COMMITS, changed, drop=stale)
    store.put_json(HISTORY, "state", {"head": head, "settings": settings})
    if order is not None:
        store.put_json(HISTORY, "order", order)


def _in_order(chunks: dict[str, Any]) -> list[list[Any]]:
    """The stored chunks' rows, oldest chunk first."""
    return [chunks[key] for key in sorted(chunks)]


def _chunked(rows: list[list[Any]], start: int) -> dict[str, list[list[Any]]]:
    """Rows cut into chunks of `CHUNK`, numbered from `start`."""
    return {f"{start + n // CHUNK:08d}": rows[n:n + CHUNK] for n in range(0, len(rows), CHUNK)}


def _row(record: LogRecord) -> list[Any]:
    return [record.sha, list(record.parents), record.author, record.email, record.date, record.subject,
            record.message, list(record.lines)]


def _record(row: list[Any]) -> LogRecord:
    sha, parents, author, email, date, subject, message, lines = row
    return LogRecord(sha, tuple(parents), author, email, date, subject, message, tuple(lines))  # in field order
