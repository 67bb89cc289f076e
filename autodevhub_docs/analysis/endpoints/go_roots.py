# Where the Go route reader starts when the program's own start-up code (`main`, `init`) does not reach every
# router: the functions and methods whose signature takes or returns a router of a web framework (registration
# functions, router constructors), read from the signature only, callers first.
from __future__ import annotations

from collections.abc import Set
from typing import Any

from autodevhub_docs.analysis.endpoints import go_frameworks
from autodevhub_docs.analysis.endpoints.go_source import GoDecl, GoFile, GoProgram

_CALLEE_QUERY = """
(call_expression function: (identifier) @name)
(call_expression function: (selector_expression field: (field_identifier) @name))
"""


def _is_router_type(written: Any, file: GoFile) -> bool:
    type_node = written
    while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
        type_node = type_node.named_children[0]
    if type_node is None or type_node.type != "qualified_type":
        return False
    package, name = type_node.child_by_field_name("package"), type_node.child_by_field_name("name")
    import_path = file.imports.get(file.parsed.text(package)) if package is not None else None
    return bool(import_path and name is not None and go_frameworks.router_type(import_path, file.parsed.text(name)))


def _handles_routers(decl: GoDecl, memo: dict[tuple[str, str], bool]) -> bool:
    """Whether a function takes or returns a router of a web framework."""
    parsed = decl.file.parsed
    types = []
    for field_name in ("parameters", "result"):
        node = decl.node.child_by_field_name(field_name)
        if node is None:
            continue
        declarations = node.named_children if node.type == "parameter_list" else [node]
        types += [d.child_by_field_name("type") if d.type.endswith("parameter_declaration") else d
                  for d in declarations]
    for written in types:
        if written is None:
            continue
        key = (decl.file.path, parsed.text(written))  # the same parameter types recur across a file
        if key not in memo:
            memo[key] = _is_router_type(written, decl.file)
        if memo[key]:
            return True
    return False


def router_functions(program: GoProgram, *, exclude: Set[int] = frozenset()) -> list[GoDecl]:
    """The functions and methods that take or return a router, the ones other such functions call last.

    Args:
        program: The program.
        exclude: Ids of the declaration nodes already run.
    """
    memo: dict[tuple[str, str], bool] = {}
    # A router type is `pkg.Name` of a framework package the file imports: a file that imports none has no such
    # signature.
    importing = [f for f in program.files if any(go_frameworks.framework_of(p) for p in f.imports.values())]
    found = [d for f in importing for d in program.declared_in(f) if id(d.node) not in exclude
             and _handles_routers(d, memo)]
    called: set[str] = set()
    for decl in found:
        captured = decl.file.parsed.captures(_CALLEE_QUERY, decl.node)
        called.update(decl.file.parsed.text(n) for n in captured.get("name", []))
    return sorted(found, key=lambda d: (d.name in called, d.file.path, d.node.start_byte))
