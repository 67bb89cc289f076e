# The database a Go program opens, read from the calls that open it: a driver package's constructor
# (`gorm.Open(sqlite.Open("app.db"))`, `postgres.Open(dsn)`, `pgxpool.New(ctx, url)`, `redis.NewClient(...)`) or
# `database/sql` with a driver name (`sql.Open("sqlite3", path)`). A driver that go.mod only lists, `// indirect`
# or not, is not evidence: the call is.
from __future__ import annotations

from autodevhub_docs.analysis.catalog import technology_of_package
from autodevhub_docs.analysis.endpoints.go_source import GoProgram
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import walk

SQL_DRIVERS = {"sqlite3": "SQLite", "sqlite": "SQLite", "postgres": "PostgreSQL", "pgx": "PostgreSQL",
               "postgresql": "PostgreSQL", "cloudsqlpostgres": "PostgreSQL", "mysql": "MySQL",
               "sqlserver": "SQL Server", "mssql": "SQL Server"}
"""`database/sql` driver names as the drivers register them."""
_SQL_OPENERS = {"database/sql": {"Open"}, "github.com/jmoiron/sqlx": {"Open", "Connect", "MustOpen", "MustConnect"}}
_CONSTRUCTORS = frozenset({"Open", "New", "Connect", "NewClient", "NewPool", "NewWithConfig", "ConnectConfig",
                           "OpenDB", "NewConnector", "Dial", "NewClusterClient", "NewFailoverClient"})
_STORES = frozenset({"database", "cache"})


def opened_databases(program: GoProgram) -> tuple[tuple[str, SourceRef], ...]:
    """Every database or cache the program's code opens, with the call that opens it."""
    found: list[tuple[str, SourceRef]] = []
    for file in program.files:
        parsed = file.parsed
        for call in walk(parsed.root, frozenset({"call_expression"})):
            function = call.child_by_field_name("function")
            if function is None or function.type != "selector_expression":
                continue
            operand, name_node = function.child_by_field_name("operand"), function.child_by_field_name("field")
            if operand is None or name_node is None or operand.type != "identifier":
                continue
            import_path = file.imports.get(parsed.text(operand))
            name = parsed.text(name_node)
            if import_path is None:
                continue
            if name in _SQL_OPENERS.get(import_path, ()):
                arguments = call.child_by_field_name("arguments")
                first = arguments.named_children[0] if arguments is not None and arguments.named_child_count \
                    else None
                driver = parsed.literal(first) if first is not None else None
                if driver in SQL_DRIVERS:
                    found.append((SQL_DRIVERS[driver], file.ref(call)))
                continue
            tech = technology_of_package("go", import_path) if name in _CONSTRUCTORS else None
            if tech is not None and tech.layer in _STORES:
                found.append((tech.name, file.ref(call)))
    return tuple(dict.fromkeys(found))
