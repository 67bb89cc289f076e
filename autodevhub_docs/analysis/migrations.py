# Folders of schema migrations (Alembic, Django, Prisma, plain SQL) and how many migration files each holds.
from __future__ import annotations

import re
from pathlib import PurePosixPath

from autodevhub_docs.model import MigrationSet


def migrations(paths: list[str]) -> list[MigrationSet]:
    """Folders of schema migrations and the number of migration files in each."""
    path_set = set(paths)
    counts: dict[tuple[str, str], int] = {}
    for path in paths:
        if not path.endswith((".py", ".sql")):
            continue
        pure = PurePosixPath(path)
        folder = str(pure.parent)
        if pure.parent.name == "versions" and pure.suffix == ".py" and (
                str(pure.parent.parent / "env.py") in path_set
                or str(pure.parent.parent / "script.py.mako") in path_set):
            counts[("Alembic", folder)] = counts.get(("Alembic", folder), 0) + 1
        elif pure.parent.name == "migrations" and pure.suffix == ".py" and re.match(r"\d{4}_", pure.name):
            counts[("Django", folder)] = counts.get(("Django", folder), 0) + 1
        elif pure.name == "migration.sql" and pure.parent.parent.name == "migrations":
            key = ("Prisma", str(pure.parent.parent))
            counts[key] = counts.get(key, 0) + 1
        elif pure.suffix == ".sql" and "migrations" in pure.parts[:-1]:
            counts[("SQL", folder)] = counts.get(("SQL", folder), 0) + 1
    return [MigrationSet(tool=tool, path=folder, count=n) for (tool, folder), n in sorted(counts.items(),
                                                                                           key=lambda kv: kv[0][1])]
