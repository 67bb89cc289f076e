# Safe reads of files in the checkout: no symlink ever leaves the repository, binary and huge files are skipped,
# invalid UTF-8 is replaced, and the result is cached for the build.
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MAX_TEXT_BYTES = 1_000_000
"""Files larger than this are counted but never read as text."""

_SNIFF_BYTES = 8192


class Checkout:
    """Read access to the files of one checkout.

    Args:
        root: Absolute path of the repository root.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        """Absolute repository root."""
        self._cache = lru_cache(maxsize=4096)(self._read)

    def read_text(self, path: str) -> str | None:
        """Return a tracked file's text, or None when it is binary, huge, missing or points outside the repository.

        Args:
            path: Repository-relative path with forward slashes.
        """
        return self._cache(path)

    def _read(self, path: str) -> str | None:
        full = self.root / path
        try:
            if full.is_symlink() and not full.resolve().is_relative_to(self.root):
                return None
            if not full.is_file() or full.stat().st_size > MAX_TEXT_BYTES:
                return None
            data = full.read_bytes()
        except OSError:
            return None
        if b"\0" in data[:_SNIFF_BYTES]:
            return None
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def count_lines(full: Path, size: int) -> tuple[int, bool]:
    """Count the lines of a file without decoding it.

    Args:
        full: Absolute path (not followed when it is a symlink).
        size: Its size in bytes, from `lstat`.

    Returns:
        The number of lines, and whether the file is binary or too large to count.
    """
    if size > MAX_TEXT_BYTES or full.is_symlink():
        return 0, True
    try:
        data = full.read_bytes()
    except OSError:
        return 0, True
    if b"\0" in data[:_SNIFF_BYTES]:
        return 0, True
    if not data:
        return 0, False
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1), False
