# Safe reads of files in the checkout. Repository contents come from strangers, so a read never leaves the
# repository (a symlink or `..` that resolves outside it is refused), never opens anything but a regular file
# (a FIFO would block, `/dev/zero` would never end), never reads more than the size limit, skips binary files and
# replaces invalid UTF-8. Results are cached for the build.
from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

MAX_TEXT_BYTES = 1_000_000
"""Files larger than this are counted but never read as text."""

_SNIFF_BYTES = 8192
# Opening a FIFO for reading blocks until a writer appears unless O_NONBLOCK is set; O_NOFOLLOW refuses a
# symlink swapped in after the path was resolved; O_NOCTTY keeps a terminal device from becoming ours.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)


def inside(root: Path, path: str) -> Path | None:
    """Resolve a repository-relative path, or None when it is missing or resolves outside `root`.

    Args:
        root: Absolute, resolved repository root.
        path: Repository-relative path with forward slashes.
    """
    try:
        resolved = (root / path).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    return resolved if resolved.is_relative_to(root) else None


def read_regular(full: Path, limit: int = MAX_TEXT_BYTES) -> bytes | None:
    """Read at most `limit` bytes of a regular file; None for anything else or a larger file.

    The file is opened without following a final symlink and without blocking, then checked with `fstat` on the
    open descriptor, so a device, FIFO or socket is never read, whatever the path looked like before.
    """
    try:
        descriptor = os.open(full, _OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            data = handle.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def decode(data: bytes) -> str | None:
    """Text of file contents: None when binary, invalid UTF-8 replaced, CRLF line ends made LF."""
    if b"\0" in data[:_SNIFF_BYTES]:
        return None
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


class Checkout:
    """Read access to the files of one checkout.

    Args:
        root: Absolute path of the repository root.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        """Absolute repository root."""
        self._cache = lru_cache(maxsize=4096)(self._read)
        # Resolving a path costs one lstat per component; a folder is resolved once for all the files in it.
        self._folder = lru_cache(maxsize=4096)(lambda folder: inside(self.root, folder or "."))

    def read_text(self, path: str) -> str | None:
        """Return a file's text, or None when it is binary, huge, missing, not a regular file or outside the repository.

        Args:
            path: Repository-relative path with forward slashes.
        """
        return self._cache(path)

    def _read(self, path: str) -> str | None:
        full = self._locate(path)
        data = read_regular(full) if full is not None else None
        return decode(data) if data is not None else None

    def _locate(self, path: str) -> Path | None:
        """Like `inside`, with the folder's resolution cached: only a symlinked file itself is resolved again."""
        folder, _, name = path.rpartition("/")
        real_folder = self._folder(folder)
        if real_folder is None or name in ("", ".", ".."):
            return None
        candidate = real_folder / name
        try:
            info = os.lstat(candidate)
        except OSError:
            return None
        return inside(self.root, path) if stat.S_ISLNK(info.st_mode) else candidate


def count_lines(full: Path, size: int) -> tuple[int, bool]:
    """Count the lines of a file without decoding it.

    Args:
        full: Absolute path (not followed when it is a symlink).
        size: Its size in bytes, from `lstat`.

    Returns:
        The number of lines, and whether the file is binary, too large or not a regular file.
    """
    if size > MAX_TEXT_BYTES or full.is_symlink():
        return 0, True
    data = read_regular(full)
    if data is None or b"\0" in data[:_SNIFF_BYTES]:
        return 0, True
    if not data:
        return 0, False
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1), False
