# The depth bound of the single Python pass is exact: a file is skipped exactly when its syntax tree is deeper than
# the limit, however the nesting is spread (one long line, many lines, statements, f-strings, decorators, CR line
# ends, non-ASCII text). The width shortcut only ever skips subtrees that provably fit, so these compare it with a
# full walk at many limits.
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autodevhub_docs.analysis import pyscan

SOURCES = {
    "long line": "x = " + " + ".join(["'a'"] * 300) + "\n",
    "long chain over lines": "x = (" + " +\n ".join(["1"] * 300) + ")\n",
    "elif chain": "if a:\n    pass\n" + "elif b:\n    pass\n" * 300,
    "nested lists over lines": "x = " + "[\n" * 150 + "1" + "\n]" * 150 + "\n",
    "f-string": "f'{" + "a+" * 200 + "b}'\n",
    "nested f-strings": "x = f'{x!r:>{w}}' + f'{f\"{y}\"}'\n",
    "decorators": "@d\n@e(" + "g(" * 150 + ")" * 150 + ")\ndef f():\n    pass\n",
    "unary": "x = -" + "-" * 280 + "1\n",
    "lambdas": "f = " + "lambda: " * 150 + "1\n",
    "attributes": "a" + ".b" * 260 + "\n",
    "conditional chain": "x = " + "a if b else " * 260 + "c\n",
    "non-ASCII over lines": "s = ('é' +\n" + " 'ü' +\n" * 200 + " 'ß')\n",
    "CR line ends": "x = (1 +\r" + " 2 +\r" * 200 + " 3)\ry = 1\r",
    "ordinary module": (Path(pyscan.__file__)).read_text(encoding="utf-8"),
}


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_depth_bound_agrees_with_a_full_walk_at_every_limit(name: str) -> None:
    text = SOURCES[name]
    tree = ast.parse(text)
    depth = _depth(tree)
    starts = pyscan.line_starts(text)
    for limit in sorted({1, 2, 3, 5, 8, 13, 40, 100, 250, 400, depth - 1, depth, depth + 1} - {0}):
        assert pyscan._deeper_than(tree, limit, starts) is (depth > limit), (name, limit, depth)
        assert pyscan._deeper_than(tree, limit) is (depth > limit), (name, limit, depth)


def test_line_starts_are_byte_offsets_as_the_parser_counts_lines() -> None:
    text = "a = 'é'\rb = (1,\r\n 2)\nc = 3"
    starts = pyscan.line_starts(text)
    encoded = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    tree = ast.parse(text)
    spans = [encoded[starts[n.lineno - 1] + n.col_offset:starts[n.end_lineno - 1] + n.end_col_offset].decode()
             for n in tree.body]
    assert spans == ["a = 'é'", "b = (1,\n 2)", "c = 3"]


def test_statements_come_out_in_source_order_with_nested_ones() -> None:
    tree = ast.parse("import a\n"
                     "def f():\n    import b\n    if x:\n        import c\n    else:\n        import d\n"
                     "try:\n    import e\nexcept E:\n    import f\nelse:\n    import g\nfinally:\n    import h\n"
                     "class K:\n    import i\n"
                     "match v:\n    case 1:\n        import j\n    case 2:\n        import k\n")
    imported = [n.names[0].name for n in pyscan.statements(tree.body) if isinstance(n, ast.Import)]
    assert imported == ["a", "b", "c", "d", "e", "g", "f", "h", "i", "k", "j"]
