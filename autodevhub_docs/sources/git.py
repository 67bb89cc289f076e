# Reads a git checkout with a handful of git processes: one `ls-files`, one `log` for the whole history,
# one `for-each-ref` for tags. Parsing 10,000 commits this way takes well under a second.
from __future__ import annotations

import fnmatch
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from autodevhub_docs.log import get_logger
from autodevhub_docs.model import Commit, Contributor, FileInfo, Tag
from autodevhub_docs.sources.checkout import Checkout, count_lines, read_regular
from autodevhub_docs.sources.git_log import GitLog, LogPrefetch, read_log
from autodevhub_docs.sources.git_runner import git_text, head_of, run_git
from autodevhub_docs.sources.languages import language_of, language_of_script
from autodevhub_docs.sources.remote import clean_remote, find_root, github_repo_from_remote  # noqa: F401 (callers' git.*)

log = get_logger(__name__)

_US = "\x1f"
_GITLINK_MODE = "160000"
_README_NAMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
_CONTRIBUTING_NAMES = ("CONTRIBUTING.md", "CONTRIBUTING.rst", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md")


@dataclass(frozen=True, kw_only=True, slots=True)
class GitData:
    """What `read_repository` found."""

    root: Path
    """Repository top level."""
    head: str
    """HEAD sha, '' when there are no commits."""
    branch: str | None
    """Current branch."""
    remote_url: str | None
    """origin URL without credentials."""
    shallow: bool
    """Whether the clone is shallow."""
    files: tuple[FileInfo, ...]
    """Tracked files after exclusion."""
    commits: tuple[Commit, ...]
    """History, newest first."""
    tags: tuple[Tag, ...]
    """Tags, newest first."""
    contributors: tuple[Contributor, ...]
    """Authors, most commits first."""
    submodules: tuple[str, ...]
    """Paths of submodules (not read)."""
    log: GitLog
    """The one `git log` pass the history was read from (the manifest history reads its first-parent line)."""
    blobs: Mapping[str, str] = field(default_factory=dict)
    """`mode:blob sha` of each tracked file the working tree has unchanged (what per-file results are kept by)."""


LogReader = Callable[[Path, str, bool, Callable[[], None]], GitLog]
"""Reads the history: (root, HEAD, shallow, meanwhile); it calls `meanwhile` once, while git produces the log."""
"""Reads the history of a checkout, given its root, its HEAD sha and whether it is shallow."""


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """Tell whether a path matches one of the `exclude` globs (a folder pattern excludes everything under it)."""
    matcher = exclusion_matcher(tuple(patterns))
    return matcher is not None and matcher.match(path) is not None


@lru_cache(maxsize=64)
def exclusion_matcher(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """The `exclude` globs as one compiled expression (None when there are none), built once per option value.

    Each glob matches as `fnmatch.fnmatchcase` does, and so does its folder (`docs`, `docs/` and `docs/**` all
    leave out everything under `docs/`).
    """
    alternatives = []
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if bare.endswith("/**"):
            bare = bare[:-3]
        alternatives += [fnmatch.translate(pattern), f"(?s:{re.escape(bare)}(?:/.*)?)\\Z"]
    return re.compile("|".join(alternatives)) if alternatives else None


@dataclass(frozen=True, slots=True)
class Listing:
    """The tracked files as the index lists them, before any is read (work on the sources can start with it)."""

    paths: tuple[str, ...]
    """Every listed file after exclusion, in the index's order (the order of `GitData.files`)."""
    found: tuple[FileInfo | int, ...]
    """For each path, what an earlier build found (its blob is unchanged), else its size, still to be read."""
    submodules: tuple[str, ...]
    blobs: dict[str, str]
    """`mode:blob sha` of every file the working tree has unchanged (see `list_files`)."""


def list_files(root: Path, exclude: Sequence[str] = (), known: Mapping[str, tuple[str, FileInfo]] | None = None,
               ) -> tuple[tuple[FileInfo, ...], tuple[str, ...], dict[str, str]]:
    """List tracked files with size, language and line count.

    Args:
        root: Repository root.
        exclude: Globs of paths to leave out.
        known: (`mode:blob sha`, file) an earlier build found, by path: a file whose mode and blob are the same
            and which the working tree has unchanged is not read again (its FileInfo is the very one given).

    Returns:
        The files, the paths of submodules (which are never read), and `mode:blob sha` of every file the working
        tree has unchanged (`git diff-files` lists the others by their stat data; those whose content still hashes
        to the index's blob count as unchanged, see `_same_content`).
    """
    listing = list_tracked(root, exclude, known)
    return describe(root, listing), listing.submodules, listing.blobs


def list_tracked(root: Path, exclude: Sequence[str] = (), known: Mapping[str, tuple[str, FileInfo]] | None = None,
                 ) -> Listing:
    """The first half of `list_files`: what git's index says, and each file's size; no file is read yet."""
    entries = []
    for entry in git_text(root, "ls-files", "-s", "-z").split("\0"):
        if entry:
            meta, _, path = entry.partition("\t")
            entries.append((path, *[*meta.split(" ", 2), "", ""][:2]))
    changed = set(git_text(root, "diff-files", "--name-only", "-z", check=False).split("\0")) - {""}
    if changed:
        changed -= _same_content(root, {path: (mode, blob) for path, mode, blob in entries if path in changed})
    excluded = exclusion_matcher(tuple(exclude))
    paths: list[str] = []
    found: list[FileInfo | int] = []
    submodules: list[str] = []
    blobs: dict[str, str] = {}
    for path, mode, blob in entries:
        if mode == _GITLINK_MODE:
            submodules.append(path)
            continue
        if excluded and excluded.match(path):
            continue
        if path not in changed:
            blobs[path] = f"{mode}:{blob}"  # a symlink may have a regular file's blob: the mode tells them apart
            stored = (known or {}).get(path)
            if stored is not None and stored[0] == blobs[path]:
                paths.append(path)
                found.append(stored[1])
                continue
        try:
            size = (root / path).lstat().st_size
        except OSError:
            continue  # deleted in the working tree but still in the index
        paths.append(path)
        found.append(size)
    return Listing(paths=tuple(paths), found=tuple(found), submodules=tuple(submodules), blobs=blobs)


def describe(root: Path, listing: Listing) -> tuple[FileInfo, ...]:
    """The second half of `list_files`: each listed file's language and line count (read unless known)."""
    files: list[FileInfo] = []
    for path, found in zip(listing.paths, listing.found, strict=True):
        if isinstance(found, FileInfo):
            files.append(found)
            continue
        full = root / path
        lines, binary = count_lines(full, found)
        language = language_of(path)
        if language is None and not binary and "." not in path.rsplit("/", 1)[-1]:
            language = _script_language(full)
        files.append(FileInfo(path=path, size=found, language=language, lines=lines, binary=binary))
    return tuple(files)


def _same_content(root: Path, listed: Mapping[str, tuple[str, str]]) -> set[str]:
    """The files `git diff-files` listed whose working-tree content is still their index blob.

    diff-files compares stat data without refreshing the index (our git runs take no optional locks, so the index
    is never written): a copied, restored or touched checkout lists every file, and each would be read and parsed
    again by every build until something refreshes the index. `git hash-object --stdin-paths` hashes the content
    as `git add` would (with the path's attributes); a regular file whose hash and executable bit match the index
    is unchanged. Anything else (a symlink, a deleted file, a path with a newline) stays changed.

    Args:
        root: Repository root.
        listed: (mode, blob sha) in the index, by path, of the files diff-files listed.
    """
    paths = []
    for path, (mode, _) in listed.items():
        if mode not in ("100644", "100755") or "\n" in path:
            continue
        try:
            info = (root / path).lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and (mode == "100755") == bool(info.st_mode & stat.S_IXUSR):
            paths.append(path)
    if not paths:
        return set()
    hashes = run_git(root, "hash-object", "--stdin-paths", stdin="\n".join(paths).encode("utf-8", "surrogateescape")
                     + b"\n", check=False).decode("ascii", "replace").split()
    if len(hashes) != len(paths):
        return set()  # git failed part way: every listed file counts as changed, as before
    return {path for path, sha in zip(paths, hashes, strict=True) if sha == listed[path][1]}


def _script_language(full: Path) -> str | None:
    """The language of an extensionless script, from its `#!` line (symlinks and special files are not read)."""
    if full.is_symlink():
        return None
    data = read_regular(full)
    return language_of_script(data[:200]) if data is not None else None


def read_history(root: Path) -> tuple[Commit, ...]:
    """Read the whole history of HEAD in one `git log`, newest first."""
    return read_log(root).commits()


def read_tags(root: Path) -> tuple[Tag, ...]:
    """Read tags with the commit they point at, newest first."""
    fmt = f"%(refname:short){_US}%(*objectname){_US}%(objectname){_US}%(*committerdate:iso-strict){_US}" \
          f"%(committerdate:iso-strict)"
    out = git_text(root, "for-each-ref", "--sort=-creatordate", f"--format={fmt}", "refs/tags", check=False)
    tags = []
    for line in out.splitlines():
        name, peeled, obj, peeled_date, date = (line.split(_US) + [""] * 5)[:5]
        tags.append(Tag(name=name, sha=peeled or obj, date=peeled_date or date))
    return tuple(tags)


def contributors_of(commits: Iterable[Commit]) -> tuple[Contributor, ...]:
    """Group commits by author email (mailmap already applied by git)."""
    people: dict[str, list[Commit]] = {}
    for commit in commits:
        people.setdefault(commit.email.lower() or commit.author, []).append(commit)
    result = [
        Contributor(name=items[0].author, email=key, commits=len(items), first=items[-1].date, last=items[0].date)
        for key, items in people.items()
    ]
    return tuple(sorted(result, key=lambda c: (-c.commits, c.name.lower())))


def read_repository(path: Path, exclude: Sequence[str] = (), *,
                    known_files: Mapping[str, tuple[str, FileInfo]] | None = None,
                    log_reader: LogReader | None = None,
                    meanwhile: Callable[[tuple[str, ...], Mapping[str, str]], None] | None = None) -> GitData:
    """Read everything git knows about a checkout.

    Args:
        path: A folder inside the repository.
        exclude: Globs of paths to leave out.
        known_files: What an earlier build found of each file, by path, with its blob sha (see `list_files`).
        log_reader: Reads the history (by default all of it with one `read_log`).
        meanwhile: Work on the files (their paths and blob shas given) that does not need the history: it runs
            while git produces the log, on the other core (a cold build parses the sources then), before the files
            are read for their line counts.

    Raises:
        SourceError: git fails or the folder is missing.
        NotAGitRepositoryError: The folder is not in a git repository.
    """
    root = find_root(path)
    head = head_of(root)
    shallow = git_text(root, "rev-parse", "--is-shallow-repository", check=False).strip() == "true"
    if shallow:
        log.warning(
            "the repository is a shallow clone, so history, contributors and decision records are incomplete. "
            "In GitHub Actions, set 'fetch-depth: 0' on actions/checkout."
        )
    if not head:
        log.warning("the repository has no commits yet; pages will describe its files only.")
    branch = git_text(root, "symbolic-ref", "--short", "-q", "HEAD", check=False).strip() or None
    remote = git_text(root, "config", "--get", "remote.origin.url", check=False).strip()
    listing = list_tracked(root, exclude, known_files)
    if listing.submodules:
        log.info("skipping %d submodule(s): %s", len(listing.submodules), ", ".join(listing.submodules[:5]))
    described: list[tuple[FileInfo, ...]] = []

    def work() -> None:
        # The paths are enough to start the sources' work (the Python pass goes to a child process); the files are
        # then read for their line counts while that runs and git writes the log.
        if meanwhile is not None:
            meanwhile(listing.paths, listing.blobs)
        described.append(describe(root, listing))

    if not head:
        work()
        history = GitLog(records=())
    elif log_reader is not None:
        history = log_reader(root, head, shallow, work)
    else:
        prefetch = LogPrefetch(root) if meanwhile is not None else None
        work()
        history = read_log(root, prefetched=prefetch)
    files = described[0] if described else describe(root, listing)
    commits = history.commits()
    return GitData(
        root=root,
        head=head,
        branch=branch,
        remote_url=clean_remote(remote) if remote else None,
        shallow=shallow,
        files=files,
        commits=commits,
        tags=read_tags(root) if head else (),
        contributors=contributors_of(commits),
        submodules=listing.submodules,
        log=history,
        blobs=listing.blobs,
    )


def find_document(root: Path, files: Sequence[FileInfo], names: Sequence[str]) -> tuple[str | None, str]:
    """Return the path and text of the first tracked file among `names` (README, CONTRIBUTING...)."""
    tracked = {f.path: f for f in files}
    checkout = Checkout(root)
    for name in names:
        info = tracked.get(name)
        if info and not info.binary:
            text = checkout.read_text(name)  # never follows a symlink out of the repository
            if text is not None:
                return name, text
    return None, ""


def find_readme(root: Path, files: Sequence[FileInfo]) -> tuple[str | None, str]:
    """Return the README's path and text."""
    return find_document(root, files, _README_NAMES)


def find_contributing(root: Path, files: Sequence[FileInfo]) -> tuple[str | None, str]:
    """Return the CONTRIBUTING file's path and text."""
    return find_document(root, files, _CONTRIBUTING_NAMES)


def web_url_from_remote(remote_url: str | None) -> str | None:
    """Return a browsable https URL for a remote on a known forge, or None."""
    if not remote_url:
        return None
    url = remote_url
    scp = re.match(r"^[\w.-]+@([\w.-]+):(.+)$", url)
    if scp:
        url = f"https://{scp.group(1)}/{scp.group(2)}"
    if url.startswith("ssh://"):
        url = "https://" + url.removeprefix("ssh://").split("@", 1)[-1]
    if not url.startswith(("https://", "http://")):
        return None
    return url.removesuffix("/").removesuffix(".git")
