# The database a .NET application configures, read from the calls that configure it: EF Core's provider calls
# (`options.UseSqlite(...)`, `UseNpgsql`, `UseSqlServer`, `UseMySql`). When the call sits
# in a branch on the hosting environment (`if (env.IsDevelopment()) ... else ...`, or `?:`), the environment is
# told, so SQLite in development and PostgreSQL in production are both named, each for its environment.
from __future__ import annotations

import re
from typing import Any

from autodevhub_docs.analysis.endpoints.csharp_source import CsProgram, simple_name
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed, walk

PROVIDERS = {"UseSqlite": "SQLite", "UseNpgsql": "PostgreSQL", "UseSqlServer": "SQL Server",
             "UseAzureSql": "SQL Server", "UseMySql": "MySQL", "UseMySQL": "MySQL"}
"""EF Core provider calls -> the database they configure."""
_PROVIDER_BYTES = tuple(name.encode() for name in PROVIDERS)
EF_NAMESPACE = "Microsoft.EntityFrameworkCore"
"""The namespace of the provider extension methods: a file calls them only when it imports it (or a global
`using` does)."""
_ENVIRONMENT_CHECK = re.compile(r"\bIs(Development|Production|Staging)\s*\(\s*\)|\bIsEnvironment\s*\(\s*\"(\w+)\"")
MAX_ANCESTORS = 64


def _environment(parsed: Parsed, node: Any) -> str:
    """The hosting environment a call runs in when a branch on it encloses the call ('' when none does)."""
    child, parent = node, node.parent
    for _ in range(MAX_ANCESTORS):
        if parent is None:
            return ""
        if parent.type in ("if_statement", "conditional_expression"):
            condition = parent.child_by_field_name("condition")
            check = _ENVIRONMENT_CHECK.search(parsed.text(condition)) if condition is not None else None
            if check is not None and child is not condition:
                name = check.group(1) or check.group(2)
                negated = parsed.text(condition).lstrip().startswith("!")
                alternative = parent.child_by_field_name("alternative")
                in_else = alternative is not None and child.start_byte >= alternative.start_byte
                return f"not {name}" if in_else != negated else name
        child, parent = parent, parent.parent
    return ""


def configured_databases(program: CsProgram) -> tuple[tuple[str, SourceRef], ...]:
    """Every database or cache the application's code configures, with the call that configures it."""
    return tuple((name, ref) for name, ref, _ in configured_stores(program))


def environments(program: CsProgram) -> tuple[tuple[str, str], ...]:
    """(store, hosting environment) of the stores configured in a branch on the environment."""
    return tuple(dict.fromkeys((name, env) for name, _, env in configured_stores(program) if env))


def configured_stores(program: CsProgram) -> tuple[tuple[str, SourceRef, str], ...]:
    """Every database configured, with the call and the hosting environment it is configured for ('' for all)."""
    if "stores" not in program.derived:
        program.derived["stores"] = _configured(program)
    found: tuple[tuple[str, SourceRef, str], ...] = program.derived["stores"]
    return found


def _imports_ef(names: list[str]) -> bool:
    return any(n == EF_NAMESPACE or n.startswith(EF_NAMESPACE + ".") for n in names)


def _configured(program: CsProgram) -> tuple[tuple[str, SourceRef, str], ...]:
    everywhere = _imports_ef([n for f in program.files for n, _, is_global in f.usings if is_global])
    found: list[tuple[str, SourceRef, str]] = []
    for file in program.files:
        if not everywhere and not _imports_ef([n for n, _, _ in file.usings]):
            continue
        parsed = file.parsed
        if not any(name in parsed.source for name in _PROVIDER_BYTES):
            continue  # a provider call is written with its name: the tree need not be walked
        for call in walk(parsed.root, frozenset({"invocation_expression"})):
            name = simple_name(parsed, call.child_by_field_name("function"))
            if name in PROVIDERS:
                found.append((PROVIDERS[name], file.ref(call), _environment(parsed, call)))
    return tuple(dict.fromkeys(found))
