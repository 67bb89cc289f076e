# The database a Go program opens, read from the calls that open it: a driver package's constructor
# (`gorm.Open(sqlite.Open("app.db"))`, `postgres.Open(dsn)`, `pgxpool.New(ctx, url)`, `redis.NewClient(...)`) or
# `database/sql` with a driver name (`sql.Open("sqlite3", path)`). A driver that go.mod only lists, `// indirect`
# or not, is not evidence: the call is.
from __future__ import annotations

from autodevhub_docs.analysis.catalog import technology_of_package
from autodevhub_docs.analysis.endpoints.go_source import STORE_LAYERS, GoProgram
from autodevhub_docs.model import SourceRef

SQL_DRIVERS = {"sqlite3": "SQLite", "sqlite": "SQLite", "postgres": "PostgreSQL", "pgx": "PostgreSQL",
               "postgresql": "PostgreSQL", "cloudsqlpostgres": "PostgreSQL", "mysql": "MySQL",
               "sqlserver": "SQL Server", "mssql": "SQL Server"}
"""`database/sql` driver names as the drivers register them."""
_SQL_OPENERS = {"database/sql": {"Open"}, "github.com/jmoiron/sqlx": {"Open", "Connect", "MustOpen", "MustConnect"}}
_CONSTRUCTORS = frozenset({"Open", "New", "Connect", "NewClient", "NewPool", "NewWithConfig", "ConnectConfig",
                           "OpenDB", "NewConnector", "Dial", "NewClusterClient", "NewFailoverClient"})
_STORES = STORE_LAYERS


_SELECTOR_CALLS = """
(call_expression function: (selector_expression operand: (identifier) @operand field: (field_identifier) @name)
  arguments: (argument_list) @arguments) @call
"""


def _opens_stores(import_path: str) -> bool:
    tech = technology_of_package("go", import_path)
    return import_path in _SQL_OPENERS or (tech is not None and tech.layer in _STORES)


def opened_databases(program: GoProgram) -> tuple[tuple[str, SourceRef], ...]:
    """Every database or cache the program's code opens, with the call that opens it (read once per program)."""
    if "databases" not in program.derived:
        program.derived["databases"] = _opened(program)
    found: tuple[tuple[str, SourceRef], ...] = program.derived["databases"]
    return found


def _opened(program: GoProgram) -> tuple[tuple[str, SourceRef], ...]:
    found: list[tuple[str, SourceRef]] = []
    for file in program.files:
        openers = {alias: path for alias, path in file.imports.items() if _opens_stores(path)}
        if not openers:
            continue  # only a file that imports a driver or database/sql can call one
        parsed = file.parsed
        for match in parsed.matches(_SELECTOR_CALLS):
            import_path = openers.get(parsed.text(match["operand"][0]))
            if import_path is None:
                continue
            name, call, arguments = parsed.text(match["name"][0]), match["call"][0], match["arguments"][0]
            if name in _SQL_OPENERS.get(import_path, ()):
                first = arguments.named_children[0] if arguments.named_child_count else None
                driver = parsed.literal(first) if first is not None else None
                if driver in SQL_DRIVERS:
                    found.append((SQL_DRIVERS[driver], file.ref(call)))
                continue
            tech = technology_of_package("go", import_path) if name in _CONSTRUCTORS else None
            if tech is not None and tech.layer in _STORES:
                found.append((tech.name, file.ref(call)))
    return tuple(dict.fromkeys(found))
