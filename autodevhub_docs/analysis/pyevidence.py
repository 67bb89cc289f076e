# Evidence that a Python framework or ORM is used by the application itself: imports in application code (not in
# tests, migrations or samples), and the files an adapter would have read but that did not parse.
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from autodevhub_docs.analysis.codebase import is_application_code, is_sample_path
from autodevhub_docs.analysis.pyscan import PyFile
from autodevhub_docs.model import SourceRef


def import_evidence(files: Mapping[str, PyFile], *modules: str, limit: int = 3) -> list[SourceRef]:
    """Where application code imports one of these modules (or a submodule), first files first.

    Args:
        files: Python file summaries by path.
        modules: Dotted module names (`flask_sqlalchemy`, `rest_framework`).
        limit: Most references returned.
    """
    found: list[SourceRef] = []
    prefixes = tuple(m + "." for m in modules)
    for path in sorted(files):
        line = next((n for name, n in files[path].imports if name in modules or name.startswith(prefixes)), None)
        if line is not None and is_application_code(path):  # the import test first: it rules out most files
            found.append(SourceRef(path=path, line=line))
            if len(found) >= limit:
                break
    return found


def unparsed(paths: Iterable[str], files: Mapping[str, PyFile], wanted: Callable[[str], bool]) -> tuple[str, ...]:
    """Python files an adapter would read that the one pass could not parse, each with the reason.

    Args:
        paths: Every tracked path.
        files: The files the pass parsed.
        wanted: Which paths the adapter cares about (`urls.py`, migration folders...).
    """
    return tuple(f"{p}: not parsed as Python (a syntax error, another Python version, or not readable)"
                 for p in paths if p.endswith(".py") and p not in files and not is_sample_path(p) and wanted(p))
