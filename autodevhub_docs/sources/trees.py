# The followed files at many revisions, read through one `git cat-file --batch-command` process: decision mining
# re-reads the repository at every cited commit to verify its records (hundreds of revisions on a long history).
# `read_tree` costs a `git ls-tree -r` of the whole tree and two `cat-file` processes per revision; here a revision
# costs its root tree, the subtrees no earlier revision had (a tree object never changes, so a folder's followed files
# are listed once per tree id), and the blobs not read before (a blob is read once). The result is `read_tree`'s:
# the same paths in the same order, the same texts, the same limits.
from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO, cast

from autodevhub_docs.sources.git import exclusion_matcher
from autodevhub_docs.sources.manifest_history import MAX_MANIFEST_BYTES, MAX_TOTAL_BYTES, env_names, kind_of

_TREE_MODE = b"40000"
_SKIP_DIRS = ("node_modules/", "vendor/", "third_party/", ".venv/", "site-packages/", "bower_components/")
"""Folders `kind_of` follows nothing in (any path that holds one of these is not followed): not walked at all."""

Entry = tuple[str, str, bool]
"""(path, object id, whether the entry is a file git stores as a blob: a regular file or a symbolic link)."""


class TreeReader:
    """Reads every followed file at a revision, as `manifest_history.read_tree` does, with one git process.

    Args:
        root: Repository root.
        exclude: Globs of paths left out of analysis.
    """

    def __init__(self, root: Path, exclude: Sequence[str] = ()) -> None:
        self._root = root
        self._excluded = exclusion_matcher(tuple(exclude))
        self._process: subprocess.Popen[bytes] | None = None
        self._listed: dict[tuple[str, str], tuple[Entry, ...]] = {}
        """(tree id, folder prefix) -> the followed entries under it, in `git ls-tree -r` order."""
        self._sizes: dict[str, int | None] = {}
        """Blob id -> its size (None when it is not a blob)."""
        self._texts: dict[str, str | None] = {}
        """Blob id -> its text (None when binary)."""

    def __enter__(self) -> TreeReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the git process (a new one is started if the reader is used again)."""
        process, self._process = self._process, None
        if process is not None:
            cast("IO[bytes]", process.stdin).close()
            cast("IO[bytes]", process.stdout).close()
            process.wait()

    def read(self, rev: str) -> dict[str, str]:
        """Every followed file at `rev`: path -> text ('' for presence-only files); an unknown revision gives {}."""
        header, content = self._command("contents", f"{rev}^{{tree}}")
        if header is None or header[1] != "tree":
            return {}
        entries = self._walk(header[0], content, "")
        read = [(path, oid) for path, oid, is_blob in entries if kind_of(path) != "status" and is_blob]
        wanted = self._wanted([oid for _, oid in read])
        found: dict[str, str] = {}
        for path, oid, is_blob in entries:
            kind = kind_of(path)
            if kind == "status":
                found[path] = ""
                continue
            text = self._text(oid) if is_blob and oid in wanted else None
            if text is not None:
                found[path] = env_names(text) if kind == "env" else text
        return found

    def _wanted(self, oids: list[str]) -> set[str]:
        """The blobs `read_blobs` would read: each under the per-file limit, newest (last) first within the budget."""
        chosen: set[str] = set()
        budget = MAX_TOTAL_BYTES
        for oid in reversed(oids):
            size = self._size(oid)
            if size is not None and size <= MAX_MANIFEST_BYTES and size <= budget:
                chosen.add(oid)
                budget -= size
        return chosen

    def _walk(self, tree: str, content: bytes, prefix: str) -> tuple[Entry, ...]:
        key = (tree, prefix)
        known = self._listed.get(key)
        if known is not None:
            return known
        found: list[Entry] = []
        width = len(tree) // 2  # 20 bytes of SHA-1, 32 of SHA-256
        position = 0
        while position < len(content):
            space, nul = content.find(b" ", position), content.find(b"\0", position)
            if space < 0 or nul < space or nul + 1 + width > len(content):
                break  # not a tree as git writes them
            mode, raw = content[position:space], content[space + 1:nul]
            try:
                name, readable = raw.decode("utf-8"), True
            except UnicodeDecodeError:  # `read_tree` names it with replacement characters, which git cannot find
                name, readable = raw.decode("utf-8", "replace"), False
            oid = content[nul + 1:nul + 1 + width].hex()
            position = nul + 1 + width
            path = prefix + name
            if mode == _TREE_MODE:
                folder = path + "/"
                if not any(part in folder for part in _SKIP_DIRS):
                    header, sub = self._command("contents", oid)
                    if header is not None and header[1] == "tree":
                        found.extend(self._walk(oid, sub, folder))
                continue
            if kind_of(path) is not None and not (self._excluded and self._excluded.match(path)):
                # A submodule's commit is no file of this repository.
                found.append((path, oid, readable and mode != b"160000"))
        listed = tuple(found)
        self._listed[key] = listed
        return listed

    def _size(self, oid: str) -> int | None:
        if oid not in self._sizes:
            header, _ = self._command("info", oid)
            self._sizes[oid] = header[2] if header is not None and header[1] == "blob" else None
        return self._sizes[oid]

    def _text(self, oid: str) -> str | None:
        if oid not in self._texts:
            header, content = self._command("contents", oid)
            readable = header is not None and header[1] == "blob" and b"\0" not in content[:8192]
            self._texts[oid] = content.decode("utf-8", "replace").replace("\r\n", "\n") if readable else None
        return self._texts[oid]

    def _command(self, command: str, name: str) -> tuple[tuple[str, str, int] | None, bytes]:
        """One request: `(object id, type, size)` and the content (`contents` only); None for a missing object."""
        if "\n" in name:
            return None, b""
        process = self._start()
        stdin, stdout = cast("IO[bytes]", process.stdin), cast("IO[bytes]", process.stdout)
        try:
            stdin.write(f"{command} {name}\n".encode())
            stdin.flush()
        except OSError:
            self.close()
            return None, b""
        fields = stdout.readline().split()
        if len(fields) != 3 or not fields[2].isdigit():
            return None, b""  # "<name> missing" (or git went away)
        header = (fields[0].decode("ascii"), fields[1].decode("ascii"), int(fields[2]))
        if command != "contents":
            return header, b""
        content = stdout.read(header[2])
        if len(content) != header[2]:  # git went away mid-object: what was read is not the object
            self.close()
            return None, b""
        stdout.read(1)  # the newline after each object
        return header, content

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
            self._process = subprocess.Popen(
                ["git", "-C", str(self._root), "cat-file", "--batch-command"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        return self._process
