# The classes, functions and module-level names of every Python file, and names resolved through imports across
# the repository: `views.ArticleViewSet` in a urls.py is `conduit.apps.articles.views.ArticleViewSet`, a class of
# the repository with its bases; `db.Model` is `flask_sqlalchemy.SQLAlchemy().Model` when `db = SQLAlchemy()`.
# Framework and ORM adapters read base classes, decorators and class attributes from here.
from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from autodevhub_docs.analysis.codebase import is_sample_path
from autodevhub_docs.analysis.memo_codec import Deferred, Unencodable
from autodevhub_docs.analysis.pyscan import PyFile, dotted
from autodevhub_docs.log import get_logger

log = get_logger(__name__)

KEY = "symbols"
"""Key of this visitor's facts in `PyFile.facts`."""
NOT_LITERAL = object()
"""What `literal` returns for an expression that is not a literal."""
MAX_DEPTH = 8
"""Bound on alias and inheritance chains (a cycle in stranger's code must not loop)."""


def literal(node: ast.expr | None) -> Any:
    """The value of a literal (string, number, bool, None, or a list/tuple/set of them), else `NOT_LITERAL`."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = [literal(e) for e in node.elts]
        return NOT_LITERAL if any(v is NOT_LITERAL for v in values) else tuple(values)
    if isinstance(node, ast.Dict):
        keys, values = [literal(k) for k in node.keys], [literal(v) for v in node.values]
        if any(v is NOT_LITERAL for v in keys + values):
            return NOT_LITERAL
        try:
            return dict(zip(keys, values, strict=True))
        except TypeError:  # `{{1: 2}: 3}` parses, but its key cannot be hashed
            return NOT_LITERAL
    return NOT_LITERAL


def strings(value: Any) -> tuple[str, ...]:
    """The strings of a literal list or tuple (a single string counts as one)."""
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, tuple) else ()


@dataclass(frozen=True, slots=True)
class Decorator:
    """A decorator as written: `@action(detail=True, methods=["post"])`."""

    name: str
    """Dotted name of the decorator (the called function when it is a call)."""
    args: tuple[Any, ...] = ()
    """Positional arguments as literals (`NOT_LITERAL` where not)."""
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    """Keyword arguments as literals."""


@dataclass(frozen=True, slots=True)
class Function:
    """A function or method."""

    name: str
    line: int
    decorators: tuple[Decorator, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A class of the repository."""

    module: str
    """Module that defines it."""
    name: str
    """Class name."""
    path: str
    """File that defines it."""
    line: int
    """Line of the `class` statement."""
    bases: tuple[str, ...]
    """Base classes as written (dotted)."""
    keywords: Mapping[str, Any]
    """Class keywords as literals (`table=True`)."""
    attrs: Mapping[str, Any]
    """Class-level assignments whose value is a literal (`lookup_field = "slug"`)."""
    methods: frozenset[str]
    """Names of the methods it defines."""
    decorated: Mapping[str, Function]
    """Its decorated methods (`@action(...)`), by name."""
    inner: Mapping[str, Mapping[str, Any]]
    """Literal attributes of nested classes (`Meta`), by class name."""
    decorators: tuple[Decorator, ...] = ()
    """Class decorators (`@as_declarative()`)."""

    @property
    def qualname(self) -> str:
        """`module.Class`."""
        return f"{self.module}.{self.name}"


@dataclass
class FileSymbols:
    """The top-level definitions of one file (stored summaries decode it when a build first reads it)."""

    MEMO_DEFERRED: ClassVar[bool] = True

    classes: dict[str, ClassInfo] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    """Module-level `name = other.name` (kept as `other.name`) and `name = factory(...)` (kept as `factory()`)."""


def wants(text: str) -> bool:
    """Cheap test: does the file define classes or functions worth resolving?"""
    return "class " in text or "def " in text or " = " in text


def _decorator(node: ast.expr) -> Decorator | None:
    if isinstance(node, ast.Call):
        name = dotted(node.func)
        if name is None:
            return None
        return Decorator(name=name, args=tuple(literal(a) for a in node.args),
                         kwargs={k.arg: literal(k.value) for k in node.keywords if k.arg})
    name = dotted(node)
    return Decorator(name=name) if name else None


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Function:
    if not node.decorator_list:  # most functions: no generator to run
        return Function(node.name, node.lineno)
    decorators = tuple(d for d in (_decorator(x) for x in node.decorator_list) if d is not None)
    return Function(node.name, node.lineno, decorators)


def _assigned(stmt: ast.stmt) -> tuple[str, ast.expr] | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id, stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        return stmt.target.id, stmt.value
    return None


def _class(module: str, path: str, node: ast.ClassDef) -> ClassInfo:
    attrs: dict[str, Any] = {}
    methods: list[str] = []
    decorated: dict[str, Function] = {}
    inner: dict[str, dict[str, Any]] = {}
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods.append(stmt.name)
            if stmt.decorator_list:  # only decorated methods need a record: most classes have none
                decorated[stmt.name] = _function(stmt)
        elif isinstance(stmt, ast.ClassDef):
            inner[stmt.name] = {name: value for s in stmt.body if (pair := _assigned(s))
                                for name, value in [(pair[0], literal(pair[1]))] if value is not NOT_LITERAL}
        elif (pair := _assigned(stmt)) is not None:
            value = literal(pair[1])
            if value is not NOT_LITERAL:
                attrs[pair[0]] = value
    return ClassInfo(module=module, name=node.name, path=path, line=node.lineno,
                     bases=tuple(b for b in (dotted(x) for x in node.bases) if b),
                     keywords={k.arg: literal(k.value) for k in node.keywords if k.arg}, attrs=attrs,
                     methods=frozenset(methods), decorated=decorated, inner=inner,
                     decorators=tuple(d for d in (_decorator(x) for x in node.decorator_list) if d is not None))


def top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those under `if`/`try` (conditional imports and definitions)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from top_level(stmt.body + stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from top_level(stmt.body + stmt.orelse + stmt.finalbody)


def visit(info: PyFile, tree: ast.Module, text: str) -> None:
    """Keep the classes, functions and module-level names of one file."""
    del text
    found = FileSymbols()
    for stmt in top_level(tree.body):
        if isinstance(stmt, ast.ClassDef):
            found.classes[stmt.name] = _class(info.module, info.path, stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.functions[stmt.name] = _function(stmt)
        elif (pair := _assigned(stmt)) is not None:
            name, value = pair
            if isinstance(value, ast.Call) and (called := dotted(value.func)):
                found.values[name] = called + "()"
            elif (target := dotted(value)) is not None:
                found.values[name] = target
    info.facts[KEY] = found


VISITOR = (wants, visit)
"""The symbol visitor, shared by every adapter that resolves names."""


class Symbols:
    """Every file's definitions, with names resolved through imports and module-level assignments.

    Args:
        files: Python file summaries by path (`Codebase.python`).
    """

    def __init__(self, files: Mapping[str, PyFile]) -> None:
        self.files = files
        self.modules: dict[str, PyFile] = {info.module: info for info in files.values()}
        self._symbols = {info.module: info.facts.get(KEY) for info in files.values()}

    def of(self, module: str) -> FileSymbols:
        """The definitions of a module (empty when unknown)."""
        found = self._symbols.get(module)
        if isinstance(found, Deferred):
            try:
                found = self._symbols[module] = found.value
            except Unencodable as error:  # a damaged store: the module's names stay unresolved
                log.warning("the stored summary of module %s does not decode (%s); its names are not resolved. "
                            "--> delete the cache folder to parse every file again", module, error)
                found = self._symbols[module] = None
        return found if isinstance(found, FileSymbols) else FileSymbols()

    def qualify(self, name: str, module: str, depth: int = 0) -> str:
        """The fully qualified name a dotted name means inside a module.

        Repository definitions come out as `module.Name`; imported names as their import target; module-level
        `x = factory()` as `factory()` qualified; unknown names as written.

        Args:
            name: Dotted name as written (`views.ArticleViewSet`, `db.Model`).
            module: Module where it is written.
            depth: Recursion guard.
        """
        head, dot, rest = name.partition(".")
        base = self._lookup(head, module, depth) or head
        return self.canonical(base + dot + rest, depth + 1) if rest else base

    def _lookup(self, head: str, module: str, depth: int) -> str | None:
        if depth > MAX_DEPTH:
            return None
        symbols = self.of(module)
        if head in symbols.classes or head in symbols.functions:
            return f"{module}.{head}"
        if head in symbols.values:
            value = symbols.values[head]
            call = value.endswith("()")
            return self.qualify(value.removesuffix("()"), module, depth + 1) + ("()" if call else "")
        info = self.modules.get(module)
        if info is not None and head in info.aliases:
            return self.canonical(info.aliases[head], depth + 1)
        return None

    def canonical(self, qualname: str, depth: int = 0) -> str:
        """Follow a qualified name into the repository module that defines it (re-exports and aliases)."""
        if depth > MAX_DEPTH:
            return qualname
        parts = qualname.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module not in self.modules:
                continue
            if cut == len(parts):
                return qualname
            base = self._lookup(parts[cut], module, depth + 1)
            if base is None:
                return qualname
            rest = ".".join(parts[cut + 1:])
            return self.canonical(f"{base}.{rest}", depth + 1) if rest else base
        return qualname

    def cls(self, qualname: str) -> ClassInfo | None:
        """The repository class of a qualified name, if it is one."""
        module, _, name = qualname.rpartition(".")
        return self.of(module).classes.get(name) if module else None

    def function(self, qualname: str) -> Function | None:
        """The repository function of a qualified name, if it is one."""
        module, _, name = qualname.rpartition(".")
        return self.of(module).functions.get(name) if module else None

    def ancestors(self, cls: ClassInfo) -> Iterator[ClassInfo | str]:
        """The class, then its bases depth first, left to right, each once.

        Repository classes come as `ClassInfo`, classes outside the repository as their qualified name
        (`rest_framework.generics.ListAPIView`).
        """
        seen: set[str] = set()
        stack: list[tuple[ClassInfo | str, int]] = [(cls, 0)]
        while stack:
            item, depth = stack.pop()
            key = item if isinstance(item, str) else item.qualname
            if key in seen:
                continue
            seen.add(key)
            yield item
            if isinstance(item, str) or depth >= MAX_DEPTH:
                continue
            bases: list[ClassInfo | str] = []
            for base in item.bases:
                qualname = self.qualify(base, item.module)
                bases.append(self.cls(qualname) or qualname)
            stack.extend((b, depth + 1) for b in reversed(bases))

    def external_bases(self, cls: ClassInfo) -> list[str]:
        """Qualified names of the classes outside the repository that a class inherits from."""
        return [a for a in self.ancestors(cls) if isinstance(a, str)]

    def classes(self) -> Iterator[ClassInfo]:
        """Every repository class outside sample folders."""
        for info in self.files.values():
            if not is_sample_path(info.path):
                yield from self.of(info.module).classes.values()
