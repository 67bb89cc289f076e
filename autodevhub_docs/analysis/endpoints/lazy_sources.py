# Source files parsed only when a reader needs them (the Go and C# program readers; the JVM reader uses its word
# index). Parsing is most of
# the cost of reading a program, and most files of an application hold nothing the route and model readers look
# at. Two kinds of need are exact without parsing:
#   - a reader that *scans* for something (a framework import, a `[Route]` attribute, a `DbSet<T>`) only finds it
#     in a file whose bytes hold a marker the thing is written with: such files are parsed up front ("eager");
#   - a reader that *looks a declaration up by name* (the class `Item` of `DbSet<Item>`, the Go function
#     `Register`) only finds it in a file where that name is written as a word (a declaration's name is an
#     identifier token of its file): the files holding the word are parsed when the name is first looked up
#     (the files parsed up front need no such test: they are all read already).
# Words are maximal runs of ASCII letters, digits and `_` (any other byte separates words, so an identifier is
# always a whole word); a name that is not such a word is looked up with a plain substring test instead.
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.parsing.treesitter import MAX_PARSE_BYTES, Parsed

K = TypeVar("K")
_SEPARATORS = bytes(b if chr(b).isascii() and (chr(b).isalnum() or b == 0x5F) else 0x20 for b in range(256))
"""Byte table keeping ASCII word bytes and turning every other byte into a space."""


def is_word(name: str) -> bool:
    """Whether a name is one word of the index (ASCII letters, digits and `_`), so `word_index` can find it."""
    return name.isascii() and name.replace("_", "a").isalnum()


def word_index(texts: Iterable[tuple[K, str]]) -> dict[bytes, list[K]]:
    """The keys of the texts each word is written in, by the word's ASCII bytes, in the order given (once each).

    Args:
        texts: (key, text) pairs: a file's path or rank, and its text.
    """
    words: dict[bytes, list[K]] = {}
    for key, text in texts:  # words stay bytes: decoding each file's words would cost more than the look-ups save
        for word in set(text.encode("utf-8", "surrogatepass").translate(_SEPARATORS).split()):
            words.setdefault(word, []).append(key)
    return words


class LazySources:
    """A language's application files, read up front, parsed on demand.

    Args:
        code: The codebase.
        paths: The files of the program, in the order readers see them (path order).
        grammar: Their tree-sitter grammar.
        markers: A file holding one of these substrings is parsed up front.
        folded_markers: Likewise, compared with the file's text in lower case.
        on_parse: Called once with each file parsed, in the order they are parsed.
    """

    def __init__(self, code: Codebase, paths: Iterable[str], grammar: str, markers: Iterable[str],
                 on_parse: Callable[[str, Parsed], None], *, folded_markers: Iterable[str] = ()) -> None:
        self._code = code
        self._grammar = grammar
        self._on_parse = on_parse
        self.order: dict[str, int] = {}
        """Path -> its rank in path order."""
        self.texts: dict[str, str] = {}
        """Path -> text of every readable file small enough to parse."""
        self.problems: list[str] = []
        """Files that cannot be read or are too large to parse, with the reason."""
        self.parsed: dict[str, Parsed] = {}
        """Files parsed so far."""
        self.parse_order: list[str] = []
        """Files parsed so far, in the order they were."""
        self._words: dict[bytes, list[str]] | None = None
        self._looked_up: set[tuple[str, str | None, str | None]] = set()
        self._with_keyword: dict[str, set[str]] = {}
        self._by_folder: dict[str, dict[str, list[str]]] = {}
        self._lazy: list[str] = []
        self.folders: dict[str, str] = {}
        """Path -> its folder."""
        wanted, folded = tuple(markers), tuple(folded_markers)
        self.eager: list[str] = []
        """Files holding a marker, in path order."""
        for path in paths:
            text = code.text(path)
            if text is None or (len(text) * 4 > MAX_PARSE_BYTES and
                                len(text.encode("utf-8", "surrogatepass")) > MAX_PARSE_BYTES):
                self.problems.append(f"{path}: unreadable or too large to parse")
                continue
            self.order[path] = len(self.order)
            self.texts[path] = text
            self.folders[path] = Codebase.folder(path)
            if any(m in text for m in wanted) or (folded and any(m in text.lower() for m in folded)):
                self.eager.append(path)
            else:
                self._lazy.append(path)

    def start(self) -> None:
        """Parse the files holding a marker (once the reader's `on_parse` can take them)."""
        for path in self.eager:
            self.parse(path)

    def parse(self, path: str) -> Parsed | None:
        """The parse of one of the files (parsed now if it was not yet)."""
        if path in self.parsed:
            return self.parsed[path]
        if path not in self.texts:
            return None
        parsed = self._code.parse(path, self._grammar)
        if parsed is None:  # pragma: no cover - readable and small enough files always parse
            return None
        self.parsed[path] = parsed
        self.parse_order.append(path)
        self._on_parse(path, parsed)
        return parsed

    def with_word(self, name: str, folder: str | None = None) -> list[str]:
        """The files not parsed up front where a name is written (as a whole word when it is one), in path order.

        Args:
            name: The name.
            folder: Only the files of this folder.
        """
        if not name:
            return []
        if not is_word(name):
            found = [p for p in self._lazy if name in self.texts[p]]
            return found if folder is None else [p for p in found if self.folders[p] == folder]
        if self._words is None:
            self._words = word_index((path, self.texts[path]) for path in self._lazy)
        found = self._words.get(name.encode(), [])
        if folder is None or not found:
            return found
        if name not in self._by_folder:
            by_folder: dict[str, list[str]] = {}
            for path in found:
                by_folder.setdefault(self.folders[path], []).append(path)
            self._by_folder[name] = by_folder
        return self._by_folder[name].get(folder, [])

    def need(self, name: str, folder: str | None = None, keyword: str | None = None) -> None:
        """Parse every file that could declare `name`.

        Args:
            name: The name looked up.
            folder: Only the files of this folder (a Go package) can declare it.
            keyword: A word every declaration of the kind looked up is written with (Go's `type`, `func`).
        """
        key = (name, folder, keyword)
        if key in self._looked_up:
            return
        self._looked_up.add(key)
        paths = self.with_word(name, folder)
        if keyword is not None and paths:
            if keyword not in self._with_keyword:
                self._with_keyword[keyword] = set(self.with_word(keyword))
            paths = [p for p in paths if p in self._with_keyword[keyword]]
        for path in paths:
            if path not in self.parsed:
                self.parse(path)
