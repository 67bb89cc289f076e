# The one `git log` pass over the whole history. It feeds both the history of the pages (every commit reachable from
# HEAD, with the paths `git log --name-only` lists) and the manifest history of decision mining (the first-parent
# line, oldest first, with each change's status as `git log --first-parent --no-renames --name-status` gives it).
# Reading the history twice cost a second pass of the same size on large repositories (issue 18).
#
# How one pass gives both:
#   - `--diff-merges=first-parent` diffs a merge against its first parent, which is what `--first-parent` shows for
#     it; the history leaves merges' paths out, as a plain `git log --name-only` does.
#   - `%P` gives the parents, so the first-parent line is walked from HEAD through the first parents.
#   - Renames are detected as the user's git config says (what `--name-only` lists: the new path); the manifest
#     history splits each rename back into a deletion and an addition, as `--no-renames` reports them, in path order.
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from autodevhub_docs.model import Commit
from autodevhub_docs.sources.git_runner import git_text

_RS, _US = "\x1e", "\x1f"
_FORMAT = f"{_RS}%H{_US}%P{_US}%aN{_US}%aE{_US}%aI{_US}%s{_US}%B{_US}"


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One commit as the log pass read it."""

    sha: str
    parents: tuple[str, ...]
    """Parent shas, the first parent first (none for a root commit or a shallow boundary)."""
    author: str
    email: str
    date: str
    """Author date, ISO 8601."""
    subject: str
    """`%s`: the first paragraph of the message on one line."""
    message: str
    """`%B`: the raw message."""
    lines: tuple[str, ...]
    """The `--name-status` lines: `M\\tpath`, `R100\\told\\tnew`..."""

    def names(self) -> tuple[str, ...]:
        """The paths `git log --name-only` lists for this commit (none for a merge; a rename's new path)."""
        if len(self.parents) > 1:
            return ()
        return tuple([line.rsplit("\t", 1)[-1] for line in self.lines])  # a list is made faster than a generator

    def changes(self) -> list[tuple[str, str]]:
        """(status letter, path) as `--no-renames --name-status` reports them: a rename is a deletion and an addition.

        A copy (`diff.renames=copies`) is an addition: its source, unless changed too, is not listed without
        rename detection.
        """
        found: list[tuple[str, str]] = []
        split = False
        for line in self.lines:
            status, _, rest = line.partition("\t")
            if status[:1] in ("R", "C"):
                old, _, new = rest.partition("\t")
                if status[:1] == "R":
                    found.append(("D", old))
                found.append(("A", new))
                split = True
            elif rest:
                found.append((status[:1], rest))
        if split:  # git lists a diff in path order; a detected rename sits where its new path would
            found.sort(key=lambda change: change[1])
        return found


@dataclass(frozen=True, slots=True)
class GitLog:
    """Every commit reachable from HEAD, in `git log` order (newest first)."""

    records: tuple[LogRecord, ...]

    def commits(self) -> tuple[Commit, ...]:
        """The history as the pages show it, newest first."""
        out: list[Commit] = []
        add = out.append  # 62k commits at real size: every lookup saved counts
        for record in self.records:
            subject, _, body = record.message.strip().partition("\n")
            add(Commit(sha=record.sha, author=record.author, email=record.email, date=record.date,
                       subject=subject.strip(), body=body.strip(), files=record.names()))
        return tuple(out)

    def first_parent(self) -> list[LogRecord]:
        """The first-parent line of HEAD, oldest first (what `git log --first-parent --reverse` lists)."""
        if not self.records:
            return []
        by_sha = {record.sha: record for record in self.records}
        line = []
        record: LogRecord | None = self.records[0]  # git log starts at HEAD
        while record is not None:
            line.append(record)
            record = by_sha.get(record.parents[0]) if record.parents else None
        line.reverse()
        return line


def _command(since: str | None) -> tuple[str, ...]:
    return ("log", "--no-color", "--name-status", f"--format={_FORMAT}", *([f"{since}..HEAD"] if since else []))


class LogPrefetch:
    """The whole history's `git log`, started in a thread of its own so that git works while the build goes on.

    On a big repository git spends seconds producing the log (1.5 s of its own CPU for 62k commits): started
    before the sources are parsed, it runs on the other core meanwhile. `read_log` takes its output.

    Args:
        root: Repository root.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._output = ""
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="autodevhub-git-log", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._output = git_text(self.root, *_command(None), "--diff-merges=first-parent", check=False)
        except BaseException as error:  # handed to the reader, which raises it in the build's thread
            self._error = error

    def output(self) -> str:
        """What git printed (empty when it failed), once it has finished.

        Raises:
            SourceError: git could not be run at all.
        """
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._output


def read_log(root: Path, since: str | None = None, prefetched: LogPrefetch | None = None) -> GitLog:
    """Read the history of HEAD in one `git log` process.

    Args:
        root: Repository root.
        since: Only the commits HEAD has and this one has not (`since..HEAD`); the whole history by default.
        prefetched: The whole history's log, already started (taken when `since` is None).
    """
    command = _command(since)
    if prefetched is not None and since is None:
        out = prefetched.output()
    else:
        out = git_text(root, *command, "--diff-merges=first-parent", check=False)
    if not out:  # git before 2.31 has no --diff-merges (and fails): then merges list no paths, in both readers
        out = git_text(root, *command, check=False)
    records = []
    for record in out.split(_RS)[1:]:
        parts = record.split(_US)
        if len(parts) < 8:
            continue
        sha, parents, author, email, date, subject, message, names = parts[:8]
        records.append(LogRecord(sha=sha, parents=tuple(parents.split()), author=author, email=email, date=date,
                                 subject=subject, message=message,
                                 lines=tuple(line for line in names.split("\n") if line)))
    return GitLog(records=tuple(records))
