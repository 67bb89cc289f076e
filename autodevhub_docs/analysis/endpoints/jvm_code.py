# The Java and Kotlin side of a codebase, shared by the JVM adapters (Spring, JAX-RS, JPA, MyBatis): source files
# read into declarations (each file parsed at most once, and kept here for every adapter), look-ups of
# declarations by simple name, supertype walks, and the evidence that a framework is present.
#
# A file is parsed only when an adapter can need it, which most files of a JVM service (its services, helpers and
# repositories) never are. What makes this exact, rather than a guess:
# - an adapter asks for the declarations of the files whose text holds one of its markers (`Controller`, `Entity`,
#   an import prefix): a declaration carrying an annotation or an import has its name in its file's text;
# - a look-up by name (a supertype, a sub-resource class) parses every file where that name is written as a word
#   (`lazy_sources.word_index`): a declaration's name is an identifier token of its file;
# - compile-time constants can be referred to from any file, so every file that can declare one (Java text with
#   both `static` and `final`, or with `interface`; Kotlin text with `const`) is read at the start.
# Whatever an adapter is shown is therefore what reading every file would have shown it, in file order.
from __future__ import annotations

import bisect
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from autodevhub_docs.analysis.codebase import Codebase, is_sample_path
from autodevhub_docs.analysis.endpoints.lazy_sources import is_word, word_index
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.jvm import Declaration, JvmFile, read_file
from autodevhub_docs.parsing.jvm_values import Constants
from autodevhub_docs.parsing.treesitter import grammar_for, parse

_MAX_HIERARCHY = 12
"""Deepest chain of supertypes followed."""


def _may_declare_constants(path: str, text: str) -> bool:
    if path.endswith(".kt"):
        return "const" in text
    return ("static" in text and "final" in text) or "interface" in text


@dataclass(frozen=True)
class _Source:
    order: int
    path: str
    text: str


class JvmCode:
    """The Java and Kotlin files of a codebase, each parsed when an adapter first needs it."""

    def __init__(self, code: Codebase) -> None:
        self._sources: list[_Source] = []
        self._read: dict[int, JvmFile | None] = {}
        self._problems: dict[int, str] = {}
        for order, path in enumerate(code.source_files(".java", ".kt")):
            text = code.text(path)
            self._sources.append(_Source(order, path, text or ""))
            if text is None:
                self._read[order] = None
                self._problems[order] = f"{path}: could not be read"
        self._by_name: dict[str, list[tuple[int, JvmFile, Declaration]]] = {}
        self._words: dict[bytes, list[int]] | None = None
        self._looked_up: set[str] = set()
        self.constants = Constants(())
        """Their compile-time string constants."""
        for source in self._sources:
            if _may_declare_constants(source.path, source.text):
                self._load(source)

    @property
    def problems(self) -> list[str]:
        """The files read so far that could not be read whole, with the reason, in file order."""
        return [self._problems[order] for order in sorted(self._problems)]

    @property
    def parsed_paths(self) -> list[str]:
        """The files parsed so far, in file order (the others could not matter to any look-up made)."""
        return [self._sources[order].path for order in sorted(self._read) if self._read[order] is not None]

    def _load(self, source: _Source) -> JvmFile | None:
        if source.order in self._read:
            return self._read[source.order]
        grammar = grammar_for(source.path)
        parsed = parse(grammar, source.text) if grammar else None
        jvm = read_file(source.path, parsed) if parsed is not None else None
        self._read[source.order] = jvm
        if parsed is None or jvm is None:
            self._problems[source.order] = f"{source.path}: too large to parse"
            return None
        if jvm.problem_line is not None:
            self._problems[source.order] = (
                f"{source.path}:{jvm.problem_line}: the {parsed.grammar} grammar cannot read the code here; "
                "declarations in it may be missed")
        self.constants.add(jvm, source.order)
        for declaration in jvm.declarations:
            bisect.insort(self._by_name.setdefault(declaration.name, []), (source.order, jvm, declaration),
                          key=lambda entry: entry[0])
        return jvm

    def declarations(self, *markers: str) -> Iterator[tuple[JvmFile, Declaration]]:
        """Every declaration of the files whose text holds one of the markers, in file order.

        Args:
            markers: Words of the text every declaration the caller looks for has in its file (an annotation's
                simple name, an import's package).
        """
        for source in self._sources:
            if any(marker in source.text for marker in markers):
                jvm = self._load(source)
                if jvm is not None:
                    yield from ((jvm, declaration) for declaration in jvm.declarations)

    def named(self, name: str) -> list[tuple[JvmFile, Declaration]]:
        """Every declaration of this simple name, in file order."""
        if name not in self._looked_up:
            self._looked_up.add(name)
            if not is_word(name):  # a Kotlin name in backticks: a plain text test
                writing = [s.order for s in self._sources if s.order not in self._read and name in s.text]
            else:
                if self._words is None:  # one pass over the files not read yet, on the first look-up
                    self._words = word_index((s.order, s.text) for s in self._sources if s.order not in self._read)
                writing = self._words.get(name.encode(), [])
            for order in writing:
                self._load(self._sources[order])
        return [(jvm, declaration) for _, jvm, declaration in self._by_name.get(name, ())]

    def hierarchy(self, jvm: JvmFile, declaration: Declaration) -> Iterator[tuple[JvmFile, Declaration]]:
        """The declaration, then its supertypes found in the codebase, nearest first (each once).

        Args:
            jvm: File of the declaration.
            declaration: Where to start.
        """
        seen = {(jvm.path, declaration.line)}
        queue = [(jvm, declaration, 0)]
        while queue:
            current_file, current, depth = queue.pop(0)
            yield current_file, current
            if depth >= _MAX_HIERARCHY:
                continue
            for name in current.supertypes:
                for parent_file, parent in self.named(name)[:1]:
                    if (parent_file.path, parent.line) not in seen:
                        seen.add((parent_file.path, parent.line))
                        queue.append((parent_file, parent, depth + 1))

    def import_of(self, prefixes: tuple[str, ...]) -> SourceRef | None:
        """Where the first file imports a name under one of these packages."""
        words = tuple(prefix.rstrip(".*") for prefix in prefixes)
        for source in self._sources:
            if any(word in source.text for word in words):
                jvm = self._load(source)
                hit = jvm.imports_any(*prefixes) if jvm is not None else None
                if hit is not None:
                    return SourceRef(path=source.path, line=hit[1])
        return None


_READ: dict[int, JvmCode] = {}
"""What `read_jvm` read, by codebase; an entry goes when its codebase is collected."""


def read_jvm(code: Codebase) -> JvmCode:
    """The Java and Kotlin source files of a codebase (sample folders left out), read once for every adapter.

    A file the grammar reads with errors is still used for what it shows, and named in `problems` (the Kotlin
    grammar, for one, misreads some one-line bodies such as `object A { const val X = "x" }`).

    Args:
        code: The codebase.
    """
    cached = _READ.get(id(code))
    if cached is not None:
        return cached
    result = JvmCode(code)
    _READ[id(code)] = result
    weakref.finalize(code, _READ.pop, id(code), None)
    return result
def dependency_evidence(code: Codebase, names: Iterable[str]) -> SourceRef | None:
    """Where a runtime Maven or Gradle dependency with one of these `group:artifact` names is declared.

    A manifest in a sample folder (`examples/`, `tests/fixtures/`) declares another program's dependencies.

    Args:
        code: The codebase.
        names: `group:artifact` names; a trailing `*` is a prefix.
    """
    own = Codebase(paths=code.paths, read_text=code.read_text,
                   dependencies=tuple(d for d in code.dependencies if not is_sample_path(d.path)))
    dependency = own.dependency("maven", names)
    return Codebase.ref(dependency) if dependency is not None else None
