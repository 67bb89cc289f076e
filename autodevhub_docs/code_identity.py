# What identifies the code that made a result: this package's version and the size and modification time of each of
# its files and built-in templates. The reuse fingerprint and the memos of incremental builds are keyed by it, so
# that an upgrade, or an edit in a source checkout, never serves what older code made.
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from autodevhub_docs import __version__, builtin_templates

PACKAGE = Path(__file__).resolve().parent
"""This package's folder."""


def stat_into(sha: Any, path: Path) -> None:
    """Add a file's path, size and modification time to a running hash (`missing` when it is gone).

    Args:
        sha: A `hashlib` object.
        path: The file.
    """
    try:
        info = path.stat()
        sha.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    except OSError:
        sha.update(f"{path}\0missing\0".encode("utf-8", "surrogateescape"))


def code_digest() -> str:
    """A digest of this package's code, data and built-in templates (version, and each file's size and mtime).

    What a build makes of the same inputs changes with it, so every result kept between builds is keyed by it.
    """
    sha = hashlib.sha256(__version__.encode() + b"\0")
    for folder in (PACKAGE, builtin_templates()):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".jinja", ".toml")):
                stat_into(sha, path)
    return sha.hexdigest()
