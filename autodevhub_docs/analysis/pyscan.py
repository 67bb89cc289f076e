# One pass over every Python file: each file is read and parsed exactly once, the small facts every analysis
# needs (imports, aliases, string constants) are kept, and the AST is handed to the analyses that asked for it
# (by a cheap text test) before it is dropped. Keeping every AST alive would cost gigabytes on large trees.
from __future__ import annotations

import ast
import gc
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.log import get_logger

log = get_logger(__name__)

ReadText = Callable[[str], "str | None"]

MAX_AST_DEPTH = 250
"""Deepest syntax tree analysed. The parser caps bracket nesting at 200, but an operator chain (a route built from
2,000 concatenated strings) has no limit, and the recursive evaluators of the analyses would hit Python's recursion
limit; ordinary code stays under 100."""


@dataclass
class PyFile:
    """What one Python file contributes to the cross-file analyses."""

    path: str
    """Repository-relative path."""
    module: str
    """Dotted module name relative to its package root."""
    is_package: bool
    """True for `__init__.py`."""
    imports: list[tuple[str, int]] = field(default_factory=list)
    """Absolute dotted names imported (relative imports resolved), with their line."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Local name -> dotted target (`module` or `module.attr`)."""
    constants: dict[str, str] = field(default_factory=dict)
    """Module-level and class-level string constants (`NAME` or `Class.NAME`)."""
    facts: dict[str, Any] = field(default_factory=dict)
    """What the adapters' visitors kept of this file, by visitor key (the AST itself is not kept)."""


def module_names(paths: Iterable[str]) -> dict[str, str]:
    """Map each Python file to its dotted module name, relative to the first folder without `__init__.py`.

    Files outside any package are named from their path, minus a leading `src/`.
    """
    # Plain string splits, not PurePosixPath: git's paths are normalised already, and a big repository has
    # thousands of files (the path objects cost 0.1 s of every build).
    path_list = [p for p in paths if p.endswith(".py")]
    packages = {_folder(p) for p in path_list if p.endswith("/__init__.py")}
    names = {}
    for path in path_list:
        folder, _, name = path.rpartition("/")
        folder = folder or "."
        stem = name[:-3] if len(name) > 3 else name  # ".py" is its suffix (a file named ".py" has none)
        parts = [stem] if name != "__init__.py" else []
        inner = folder
        while inner in packages:
            parent, _, last = inner.rpartition("/")
            parts.insert(0, last)
            inner = parent or "."
        if folder not in packages:
            # Not inside a package (a script or a namespace package): name it from its path.
            parts = [p for p in (folder.split("/") if folder != "." else []) if p not in (".", "src")] + [stem]
        names[path] = ".".join(parts) or (folder.rpartition("/")[2] if folder != "." else "") or "root"
    return names


def _folder(path: str) -> str:
    """A path's folder as PurePosixPath writes it (`.` for the top)."""
    return path.rpartition("/")[0] or "."


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)] if level - 1 <= len(base) else []
    return ".".join([*base, *([name] if name else [])])


_TRY_STAR = getattr(ast, "TryStar", ast.Try)
_NESTED_BODIES: dict[type, tuple[str, ...]] = {
    **dict.fromkeys((ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith, ast.ExceptHandler),
                    ("body",)),
    **dict.fromkeys((ast.If, ast.For, ast.AsyncFor, ast.While), ("orelse", "body")),
    **dict.fromkeys((ast.Try, _TRY_STAR), ("finalbody", "handlers", "orelse", "body")),
}
"""Statement lists of each compound statement, in the order they are pushed (so `body` comes out first)."""


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested ones included, without descending into expressions (cheap on large files).

    Statements come out in source order, a compound one before its `body`, then its `orelse`, `handlers` and
    `finalbody` (the cases of a `match` last to first). Nodes are looked up by their exact class, as `ast.parse`
    makes them: a lookup per statement instead of a dozen `isinstance` tests.
    """
    stack: list[Any] = list(reversed(body))
    nested, match = _NESTED_BODIES, ast.Match
    while stack:
        node = stack.pop()
        yield node
        kind = type(node)
        attrs = nested.get(kind)
        if attrs is not None:
            for attr in attrs:
                children = getattr(node, attr)
                if children:
                    stack.extend(reversed(children))
        elif kind is match:
            for case in node.cases:
                stack.extend(reversed(case.body))


def _imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of a body, nested ones included, in source order.

    What `statements` yields, imports only: most statements are not imports, and are not yielded one by one.
    """
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[Any] = list(reversed(body))
    nested, match, plain, relative = _NESTED_BODIES, ast.Match, ast.Import, ast.ImportFrom
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is plain or kind is relative:
            found.append(node)
            continue
        attrs = nested.get(kind)
        if attrs is not None:
            for attr in attrs:
                children = getattr(node, attr)
                if children:
                    stack.extend(reversed(children))
        elif kind is match:
            for case in node.cases:
                stack.extend(reversed(case.body))
    return found


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def summarise(path: str, module: str, tree: ast.Module) -> PyFile:
    """Collect imports, aliases and string constants of one parsed file."""
    info = PyFile(path=path, module=module, is_package=path.endswith("__init__.py"))
    for node in tree.body:
        _constants(node, "", info.constants)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                _constants(item, node.name + ".", info.constants)
    for node in _imports(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                info.imports.append((alias.name, node.lineno))
                if alias.asname:
                    info.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    info.aliases.setdefault(head, head)
        elif isinstance(node, ast.ImportFrom):
            source = (_resolve_relative(module, info.is_package, node.level, node.module) if node.level
                      else node.module or "")
            if not source:
                continue
            for alias in node.names:
                if alias.name == "*":
                    info.imports.append((source, node.lineno))
                    continue
                info.imports.append((f"{source}.{alias.name}", node.lineno))
                info.aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
    return info


def _constants(node: ast.stmt, prefix: str, out: dict[str, str]) -> None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        value = _string(node.value)
        if value is not None:
            out[prefix + node.targets[0].id] = value
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        value = _string(node.value)
        if value is not None:
            out[prefix + node.target.id] = value


Visitor = Callable[[PyFile, ast.Module, str], None]
"""Receives a file's summary, its AST and its text; called only when the visitor's text test matched."""


@dataclass
class PyScan:
    """All Python files' summaries, plus the counts of what was parsed."""

    files: dict[str, PyFile] = field(default_factory=dict)
    """Summary by path."""
    failed: list[str] = field(default_factory=list)
    """Files that did not parse (syntax errors, other Python versions)."""


def scan(paths: Iterable[str], read_text: ReadText, visitors: Iterable[tuple[Callable[[str], bool], Visitor]],
         known: Mapping[str, PyFile] | None = None) -> PyScan:
    """Read and parse each Python file once, summarise it and pass its AST to the interested visitors.

    Args:
        paths: Every tracked path.
        read_text: Safe reader of the checkout.
        visitors: (text test, visitor) pairs; the visitor runs only when its test accepts the file text.
        known: Summaries an earlier build made of files unchanged since; they are taken as they are, in their place
            in the path order, when their module name still holds. The visitors keep everything in `PyFile.facts`, so
            a stored summary stands for its file.
    """
    result = PyScan()
    visitor_list = list(visitors)
    path_list = [p for p in paths if p.endswith(".py")]
    names = module_names(path_list)
    # ASTs hold no reference cycles, so reference counting frees each tree; the cyclic collector would only
    # rescan the ever-growing set of live summaries on every few thousand new nodes (quadratic on big trees).
    collector_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _scan_files(path_list, names, read_text, visitor_list, result, known=known or {})
    finally:
        if collector_was_enabled:
            gc.enable()
    return result


def _scan_files(path_list: list[str], names: dict[str, str], read_text: ReadText,
                visitor_list: list[tuple[Callable[[str], bool], Visitor]], result: PyScan, *,
                known: Mapping[str, PyFile]) -> None:
    for path in path_list:
        stored = known.get(path)
        if stored is not None and stored.module == names[path]:
            result.files[path] = stored
            continue
        text = read_text(path)
        if text is None:
            continue
        try:
            tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            result.failed.append(path)
            continue
        if _deeper_than(tree, MAX_AST_DEPTH, line_starts(text)):
            log.warning("%s: its syntax tree is nested deeper than %d levels (a very long expression); the file is "
                        "skipped.", path, MAX_AST_DEPTH)
            result.failed.append(path)
            continue
        info = summarise(path, names[path], tree)
        result.files[path] = info
        for wants, visit in visitor_list:
            if wants(text):
                visit(info, tree, text)


def _deeper_than(tree: ast.AST, limit: int, starts: Sequence[int] = ()) -> bool:
    """Tell whether a syntax tree is nested deeper than `limit` (iteratively: the check itself cannot recurse).

    Walking every node costs about as much as the parse, so nodes are bounded by their width instead: every child
    lies strictly inside its parent's span (Expr and its value excepted, and at most one node without a position,
    such as `arguments`, between two that have one), so a node `w` bytes wide holds at most about `2 * w` levels.
    A node over several lines is as wide as the bytes between its start and its end, counted from `starts` (see
    `line_starts`; without them only single-line nodes are bounded). Only nodes wider than that allowance, or
    whose children may sit outside them (decorators) or carry unreliable columns (f-strings) are opened.
    Children are tested as their parent is opened, so the many that fit never go on the stack.
    """
    if limit < 1:
        return True
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    pop, push, kinds = stack.pop, stack.append, _KINDS
    while stack:
        node, depth = pop()
        child_depth = depth + 1
        levels_left = limit - child_depth
        for name in node._fields:
            value: Any = getattr(node, name, None)
            for child in (value if type(value) is list else (value,)):
                kind = type(child)
                shape = kinds.get(kind) or _shape(kind)
                if shape == _NOT_A_NODE:
                    continue
                if child_depth > limit:
                    return True
                if shape != _UNPLACED:
                    try:
                        first, last = child.lineno, child.end_lineno
                        width = child.end_col_offset - child.col_offset
                        if last != first:
                            width += starts[last - 1] - starts[first - 1]
                        if 2 * width + 4 <= levels_left and (kind not in _DECORATED or not child.decorator_list):
                            continue
                    except (TypeError, IndexError):  # a position left unset, or lines beyond `starts`
                        pass
                if shape == _UNBOUNDED_NODE:
                    if _deeper_unbounded(child, child_depth, limit):
                        return True
                    continue
                push((child, child_depth))
    return False


_NOT_A_NODE, _UNPLACED, _PLACED, _UNBOUNDED_NODE = range(1, 5)
_KINDS: dict[type, int] = {}
"""What `_deeper_than` makes of each class of field value, worked out once per class (a type test per child
instead of an `isinstance` chain and an exception for each node without a position)."""
_DECORATED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
"""Nodes whose decorators sit before their start (so outside their span)."""


def _shape(kind: type) -> int:
    if not issubclass(kind, ast.AST):
        shape = _NOT_A_NODE
    elif issubclass(kind, _UNBOUNDED):  # placed, but their children's columns are not reliable
        shape = _UNBOUNDED_NODE
    else:  # operators, contexts, `arguments`, `comprehension`...: no position, so opened (their children are placed)
        shape = _PLACED if "end_col_offset" in kind._attributes else _UNPLACED
    _KINDS[kind] = shape
    return shape


def line_starts(text: str) -> list[int]:
    """Offset in UTF-8 bytes of the start of each line, as the parser counts lines and columns (CR ends one too)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    lengths = map(len, lines) if text.isascii() else (len(line.encode("utf-8", "surrogatepass")) for line in lines)
    return list(itertools.accumulate((length + 1 for length in lengths), initial=0))  # + 1: the line's end


_UNBOUNDED = (ast.JoinedStr, ast.FormattedValue)
"""Nodes whose descendants' columns are not reliable (f-strings): their subtree is walked in full."""


def _deeper_unbounded(node: ast.AST, depth: int, limit: int) -> bool:
    """Whether the subtree of `node`, itself at `depth`, reaches deeper than `limit`, walking every node."""
    stack = [(node, depth)]
    while stack:
        current, level = stack.pop()
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(current))
    return False


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node of a tree in `ast.walk`'s order (breadth first), about twice as fast: no generator per node."""
    todo: deque[ast.AST] = deque([node])
    take, put, node_class = todo.popleft, todo.append, ast.AST
    while todo:
        current = take()
        for name in current._fields:
            value = getattr(current, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_class):
                        put(item)
            elif isinstance(value, node_class):
                put(value)
        yield current


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def call_name(node: ast.expr) -> str:
    """The last name of a called function (`APIRouter` for `fastapi.APIRouter(...)`), '' when not a call."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def keyword(node: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument `name`, if given."""
    return next((k.value for k in node.keywords if k.arg == name), None)
