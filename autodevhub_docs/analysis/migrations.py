# Folders of schema migrations (Alembic, Django, Prisma, plain SQL) and how many migration files each holds.
from __future__ import annotations

import re

from autodevhub_docs.model import MigrationSet


def migrations(paths: list[str]) -> list[MigrationSet]:
    """Folders of schema migrations and the number of migration files in each."""
    path_set = set(paths)
    counts: dict[tuple[str, str], int] = {}
    for path in paths:
        if not path.endswith((".py", ".sql")):
            continue  # most paths: answered before splitting (no PurePosixPath per path: issue 18)
        folders = path.split("/")
        name = folders.pop()
        folder = "/".join(folders) or "."
        parent = folders[-1] if folders else ""
        grandparent = "/".join(folders[:-1])
        above = f"{grandparent}/" if grandparent else ""
        if parent == "versions" and name.endswith(".py") and (
                f"{above}env.py" in path_set or f"{above}script.py.mako" in path_set):
            key = ("Alembic", folder)
        elif parent == "migrations" and name.endswith(".py") and _DJANGO_NAME.match(name):
            key = ("Django", folder)
        elif name == "migration.sql" and len(folders) >= 2 and folders[-2] == "migrations":
            key = ("Prisma", grandparent)
        elif name.endswith(".sql") and "migrations" in folders:
            key = ("SQL", folder)
        else:
            continue
        counts[key] = counts.get(key, 0) + 1
    return [MigrationSet(tool=tool, path=folder, count=n) for (tool, folder), n in sorted(counts.items(),
                                                                                           key=lambda kv: kv[0][1])]


_DJANGO_NAME = re.compile(r"\d{4}_")
"""A Django migration's file name starts with its four-digit number (`0001_initial.py`); a file name, not code."""
