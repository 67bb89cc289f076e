# Facts read from the git checkout: files, history, people, and hand-written documents.
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, slots=True)
class FileInfo:
    """A file git tracks."""

    path: str
    """Path relative to the repository root, with forward slashes."""
    size: int
    """Size in bytes."""
    language: str | None
    """Language name from the file extension or name, or None when unknown."""
    lines: int
    """Number of lines (0 for binary or skipped files)."""
    binary: bool = False
    """True when the file is binary or too large to read as text."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Commit:
    """One commit of the history."""

    sha: str
    """Full commit hash."""
    author: str
    """Author name."""
    email: str
    """Author email."""
    date: str
    """Author date, ISO 8601 with offset."""
    subject: str
    """First line of the message."""
    body: str
    """The rest of the message."""
    files: tuple[str, ...] = ()
    """Paths the commit changed."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Tag:
    """A git tag."""

    name: str
    """Tag name."""
    sha: str
    """Commit the tag points at."""
    date: str
    """Date of the tagged commit, ISO 8601."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Contributor:
    """A person who authored commits."""

    name: str
    """Display name as it appears in commits."""
    email: str
    """Email address used in commits (never published on pages)."""
    commits: int
    """Number of commits authored."""
    first: str
    """Date of the first commit, ISO 8601."""
    last: str
    """Date of the latest commit, ISO 8601."""


@dataclass(frozen=True, kw_only=True, slots=True)
class HandWrittenAdr:
    """An Architecture Decision Record that a person wrote under `adr_dir`."""

    path: str
    """Path relative to the repository root."""
    filename: str
    """File name, e.g. `0001-record-architecture-decisions.md`."""
    number: int | None
    """Record number taken from the file name or title, if any."""
    title: str
    """Title without the number."""
    status: str | None
    """Status as written (accepted, superseded by ADR-0003, ...)."""
    date: str | None
    """Date as written, or the date of the first commit touching the file."""
    supersedes: tuple[int, ...] = ()
    """Numbers of the records this one supersedes."""
    superseded_by: tuple[int, ...] = ()
    """Numbers of the records that supersede this one."""
    text: str = ""
    """The file's full text, included verbatim on the site."""


@dataclass(frozen=True, kw_only=True, slots=True)  # spelled out: mypy does not see through the FACT alias
class ManifestChange:
    """One commit's change to a dependency manifest, lockfile, compose file or CI configuration."""

    sha: str
    """Commit that made the change."""
    date: str
    """Author date of the commit, ISO 8601."""
    author: str
    """Author name."""
    subject: str
    """Commit subject (untrusted text)."""
    path: str
    """Path of the file, relative to the repository root."""
    status: str
    """A (added), M (modified) or D (deleted); renames appear as a D and an A."""
    before: str | None = None
    """Text in the parent commit, read only for the first change of each path (a later change's old text is the
    previous change's `after`); None when absent; '' for lockfiles and other presence-only files, never read."""
    after: str | None = None
    """Text of the file after the commit (None when deleted; '' for presence-only files)."""
