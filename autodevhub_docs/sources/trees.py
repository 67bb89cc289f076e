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

_GROUP = 256
"""Requests written before their answers are read (small enough for the pipe's buffer: git never waits on us)."""
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
        read = [oid for path, oid, is_blob in entries if kind_of(path) != "status" and is_blob]
        self._fetch_sizes(read)
        wanted = self._wanted(read)
        self._fetch_texts([oid for oid in read if oid in wanted])
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
        width = len(tree) // 2  # 20 bytes of SHA-1, 32 of SHA-256
        parsed: list[tuple[bytes, str, bool, str]] = []
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
            parsed.append((mode, prefix + name, readable, content[nul + 1:nul + 1 + width].hex()))
            position = nul + 1 + width
        folders = [(path + "/", oid) for mode, path, _, oid in parsed if mode == _TREE_MODE]
        walked = [(folder, oid) for folder, oid in folders if not any(part in folder for part in _SKIP_DIRS)]
        # The subtrees no revision had yet, asked for together: one round trip to git per folder, not per subtree.
        unknown = [oid for folder, oid in walked if (oid, folder) not in self._listed]
        subtrees = dict(zip(unknown, self._commands("contents", unknown), strict=True))
        skipped = {folder for folder, _ in folders} - {folder for folder, _ in walked}
        found: list[Entry] = []
        for mode, path, readable, oid in parsed:
            if mode == _TREE_MODE:
                folder = path + "/"
                if folder not in skipped:
                    header, sub = subtrees.get(oid, ((oid, "tree", 0), b""))
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
        self._fetch_sizes([oid])
        return self._sizes[oid]

    def _fetch_sizes(self, oids: list[str]) -> None:
        unknown = list(dict.fromkeys(oid for oid in oids if oid not in self._sizes))
        for oid, (header, _) in zip(unknown, self._commands("info", unknown), strict=True):
            self._sizes[oid] = header[2] if header is not None and header[1] == "blob" else None

    def _text(self, oid: str) -> str | None:
        self._fetch_texts([oid])
        return self._texts[oid]

    def _fetch_texts(self, oids: list[str]) -> None:
        unknown = list(dict.fromkeys(oid for oid in oids if oid not in self._texts))
        for oid, (header, content) in zip(unknown, self._commands("contents", unknown), strict=True):
            readable = header is not None and header[1] == "blob" and b"\0" not in content[:8192]
            self._texts[oid] = content.decode("utf-8", "replace").replace("\r\n", "\n") if readable else None

    def _command(self, command: str, name: str) -> tuple[tuple[str, str, int] | None, bytes]:
        """One request: `(object id, type, size)` and the content (`contents` only); None for a missing object."""
        return self._commands(command, [name])[0]

    def _commands(self, command: str, names: list[str]) -> list[tuple[tuple[str, str, int] | None, bytes]]:
        """Requests of one kind, written in groups before their answers are read (a round trip per group)."""
        results: list[tuple[tuple[str, str, int] | None, bytes]] = []
        for start in range(0, len(names), _GROUP):
            group = names[start:start + _GROUP]
            sent = [name for name in group if "\n" not in name]
            answers = dict(zip(sent, self._answers(command, sent), strict=True)) if sent else {}
            results += [answers.get(name, (None, b"")) for name in group]
        return results

    def _answers(self, command: str, names: list[str]) -> list[tuple[tuple[str, str, int] | None, bytes]]:
        process = self._start()
        stdin, stdout = cast("IO[bytes]", process.stdin), cast("IO[bytes]", process.stdout)
        try:
            stdin.write("".join(f"{command} {name}\n" for name in names).encode())
            stdin.flush()
        except OSError:
            self.close()
            return [(None, b"")] * len(names)
        answers: list[tuple[tuple[str, str, int] | None, bytes]] = []
        for _ in names:
            fields = stdout.readline().split()
            if not fields:  # git went away: the rest are unanswered
                self.close()
                break
            if len(fields) != 3 or not fields[2].isdigit():
                answers.append((None, b""))  # "<name> missing"
                continue
            header = (fields[0].decode("ascii"), fields[1].decode("ascii"), int(fields[2]))
            if command != "contents":
                answers.append((header, b""))
                continue
            content = stdout.read(header[2])
            if len(content) != header[2]:  # git went away mid-object: what was read is not the object
                self.close()
                break
            stdout.read(1)  # the newline after each object
            answers.append((header, content))
        return answers + [(None, b"")] * (len(names) - len(answers))

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
            self._process = subprocess.Popen(
                ["git", "-C", str(self._root), "cat-file", "--batch-command"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        return self._process
