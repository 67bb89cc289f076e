# The database an application opens, from its framework's configuration: Rails' `config/database.yml`
# (`adapter:` per environment, so development on SQLite and production on PostgreSQL are both told, each with
# its line), Laravel's `.env.example` `DB_CONNECTION` and the `default` of `config/database.php`. Names come from
# the technology catalog, through the connection-string scheme each adapter or driver name stands for.
from __future__ import annotations

import re
from typing import Any

from autodevhub_docs.analysis.catalog import technology_of_scheme
from autodevhub_docs.analysis.endpoints import php_values
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.formats import load_yaml
from autodevhub_docs.parsing.treesitter import Parsed

_RAILS_ADAPTERS = {"sqlite3": "sqlite", "mysql2": "mysql", "trilogy": "mysql", "postgis": "postgresql",
                   "sqlserver": "sqlserver"}
"""Rails adapter names that are not themselves connection-string schemes."""
_LARAVEL_DRIVERS = {"pgsql": "postgresql", "sqlsrv": "sqlserver"}
"""Laravel driver names that are not themselves connection-string schemes."""
_ERB = re.compile(r"<%.*?%>", re.DOTALL)


def _technology(name: str, aliases: dict[str, str]) -> str | None:
    lowered = name.strip().lower()
    tech = technology_of_scheme(aliases.get(lowered, lowered))
    return tech.name if tech is not None and tech.layer == "database" else None


def rails_databases(path: str, text: str | None) -> tuple[list[tuple[str, SourceRef]], str]:
    """The database of each environment of a `config/database.yml`, and a problem when it cannot be read.

    Args:
        path: Repository-relative path of the file.
        text: Its text (None when unreadable).
    """
    if text is None:
        return [], f"{path}: unreadable"
    # ERB tags (`<%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>`) are evaluated before the YAML is read; they are
    # replaced by a placeholder, keeping the lines where they are.
    loaded = load_yaml(_ERB.sub(lambda m: "erb" + "\n" * m.group(0).count("\n"), text))
    if loaded.problem or not isinstance(loaded.data, dict):
        return [], f"{path}: {loaded.problem or 'not a mapping of environments'}"
    lines = text.split("\n")
    found: list[tuple[str, SourceRef]] = []
    seen: set[str] = set()
    for environment in loaded.data.values():
        adapter = _adapter(environment)
        name = _technology(adapter, _RAILS_ADAPTERS) if adapter else None
        if name is None or name in seen:
            continue
        seen.add(name)
        line = next((n for n, raw in enumerate(lines, 1)
                     if re.match(rf"\s*adapter:\s*[\"']?{re.escape(adapter)}\b", raw)), None)
        found.append((name, SourceRef(path=path, line=line)))
    return found, ""


def _adapter(environment: Any) -> str:
    """An environment's adapter (a multi-database environment names one per database: the primary first)."""
    if not isinstance(environment, dict):
        return ""
    if isinstance(environment.get("adapter"), str):
        return str(environment["adapter"])
    first = next(iter(environment.values()), None)
    return str(first["adapter"]) if isinstance(first, dict) and isinstance(first.get("adapter"), str) else ""


def env_connection(path: str, text: str | None) -> list[tuple[str, SourceRef]]:
    """The database `DB_CONNECTION=` names in a `.env.example` file."""
    for number, raw in enumerate((text or "").split("\n"), 1):
        key, _, value = raw.strip().partition("=")
        if key.strip() == "DB_CONNECTION":
            name = _technology(value.strip().strip("'\""), _LARAVEL_DRIVERS)
            return [(name, SourceRef(path=path, line=number))] if name else []
    return []


def laravel_default(path: str, parsed: Parsed | None) -> list[tuple[str, SourceRef]]:
    """The database `'default' => env('DB_CONNECTION', 'sqlite')` falls back to in `config/database.php`."""
    if parsed is None:
        return []
    for array in php_values.nodes(parsed, "array_creation_expression"):
        entries = php_values.entries(parsed, array)
        default = entries.get("default")
        if default is None:
            continue
        value = php_values.value(parsed, default)
        if isinstance(value, php_values.EnvCall):
            value = value.default
        name = _technology(value, _LARAVEL_DRIVERS) if isinstance(value, str) else None
        return [(name, SourceRef(path=path, line=default.start_point[0] + 1))] if name else []
    return []
