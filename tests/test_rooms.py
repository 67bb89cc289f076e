# One room per concern: generators stay pure, SQL lives only in store.py, one technology table. Each checker is
# also run on a bad example, so a broken checker cannot pass silently.
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "autodevhub_docs"
_IMPURE_NAMES = {"mine_decisions", "triage", "Store", "open_store", "sqlite3", "analyse"}


def generator_impurities(source: str) -> list[str]:
    """What makes a generator module impure: importing analysis or the store, or naming their entry points."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(("autodevhub_docs.analysis", "autodevhub_docs.store")):
                found.append(f"imports {node.module}")
            found += [f"imports {a.name}" for a in node.names if a.name in _IMPURE_NAMES]
        elif isinstance(node, ast.Import):
            found += [f"imports {a.name}" for a in node.names if a.name.startswith("autodevhub_docs.analysis")]
        elif isinstance(node, ast.Name) and node.id in _IMPURE_NAMES:
            found.append(f"uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in ("store", "documents"):
            found.append(f"reads .{node.attr}")
    return found


def sql_calls(source: str) -> list[int]:
    """Lines that execute SQL (`.execute`, `.executemany`, `.executescript`)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany", "executescript")]


def test_generators_are_pure() -> None:
    for path in sorted((PACKAGE / "generators").glob("*.py")):
        assert generator_impurities(path.read_text(encoding="utf-8")) == [], path.name


def test_the_purity_checker_catches_an_impure_generator() -> None:
    bad = ("from autodevhub_docs.analysis.decisions import mine_decisions\n"
           "def build(ctx):\n    rows = ctx.documents[0]\n    return mine_decisions(ctx.facts), ctx.store\n")
    assert set(generator_impurities(bad)) == {"imports autodevhub_docs.analysis.decisions", "imports mine_decisions",
                                              "uses mine_decisions", "reads .store", "reads .documents"}


def test_only_the_store_executes_sql_in_the_analysis_generators_and_pipeline() -> None:
    rooms = [PACKAGE / "pipeline.py", PACKAGE / "changes.py", *(PACKAGE / "analysis").rglob("*.py"),
             *(PACKAGE / "generators").glob("*.py")]
    for path in rooms:
        assert sql_calls(path.read_text(encoding="utf-8")) == [], path.name


def test_the_sql_checker_catches_a_statement() -> None:
    assert sql_calls("def f(store):\n    store.conn.execute('SELECT 1')\n") == [2]
