# The Java and Kotlin side of a codebase, shared by the JVM adapters (Spring, JAX-RS, JPA, MyBatis): every source
# file read into declarations (the tree-sitter parse is cached by the codebase, so each file is parsed once), an
# index of declarations by simple name, supertype walks, and the evidence that a framework is present.
from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from autodevhub_docs.analysis.codebase import Codebase, is_sample_path
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.jvm import Declaration, JvmFile, read_file
from autodevhub_docs.parsing.jvm_values import Constants

_MAX_HIERARCHY = 12
"""Deepest chain of supertypes followed."""


@dataclass
class JvmCode:
    """The Java and Kotlin files of a codebase, read once per adapter run."""

    files: list[JvmFile]
    """Every readable source file."""
    problems: list[str]
    """Files that could not be read, with the reason."""
    constants: Constants = field(init=False)
    """Their compile-time string constants."""
    by_name: dict[str, list[tuple[JvmFile, Declaration]]] = field(init=False)
    """Declarations by simple name."""

    def __post_init__(self) -> None:
        self.constants = Constants(self.files)
        self.by_name = {}
        for jvm in self.files:
            for declaration in jvm.declarations:
                self.by_name.setdefault(declaration.name, []).append((jvm, declaration))

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
                for parent_file, parent in self.by_name.get(name, [])[:1]:
                    if (parent_file.path, parent.line) not in seen:
                        seen.add((parent_file.path, parent.line))
                        queue.append((parent_file, parent, depth + 1))

    def declarations(self) -> Iterator[tuple[JvmFile, Declaration]]:
        """Every declaration of every file, in file order."""
        for jvm in self.files:
            for declaration in jvm.declarations:
                yield jvm, declaration

    def import_of(self, prefixes: tuple[str, ...]) -> SourceRef | None:
        """Where the first file imports a name under one of these packages."""
        for jvm in self.files:
            hit = jvm.imports_any(*prefixes)
            if hit is not None:
                return SourceRef(path=jvm.path, line=hit[1])
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
    files: list[JvmFile] = []
    problems: list[str] = []
    for path in code.source_files(".java", ".kt"):
        parsed = code.parse(path)
        if parsed is None:
            problems.append(f"{path}: could not be read or is too large to parse")
            continue
        jvm = read_file(path, parsed)
        if jvm.problem_line is not None:
            problems.append(f"{path}:{jvm.problem_line}: the {parsed.grammar} grammar cannot read the code here; "
                            "declarations in it may be missed")
        files.append(jvm)
    result = JvmCode(files=files, problems=problems)
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
