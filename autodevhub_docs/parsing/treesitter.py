# Code in languages other than Python is read with tree-sitter and the per-language grammar wheels, which ship
# compiled parsers: nothing is downloaded at run time (unlike tree-sitter-language-pack 1.x). Parsing is linear in
# the size of the file, and files above `MAX_PARSE_BYTES` are not parsed at all.
from __future__ import annotations

import importlib
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from autodevhub_docs.log import get_logger

log = get_logger(__name__)

MAX_PARSE_BYTES = 1_000_000
"""Larger files are skipped (generated bundles, vendored code); they never hold hand-written routes."""
MATCH_LIMIT = 512
"""Most query matches in progress at once. A pattern stays in progress while the cursor walks the node it started
on, so thousands of nested nodes (a 7,000-call chain) would make a query quadratic; past the limit the oldest
candidates are dropped, which hand-written code never reaches."""

_GRAMMARS: dict[str, tuple[str, str]] = {
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "ruby": ("tree_sitter_ruby", "language"),
    "java": ("tree_sitter_java", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "groovy": ("tree_sitter_groovy", "language"),
    "go": ("tree_sitter_go", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "csharp": ("tree_sitter_c_sharp", "language"),
}
"""Grammar name -> (module of the grammar wheel, function returning the language pointer)."""

_EXTENSIONS = {
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".rb": "ruby", ".rake": "ruby", ".java": "java", ".kt": "kotlin", ".kts": "kotlin", ".gradle": "groovy",
    ".groovy": "groovy", ".go": "go", ".php": "php", ".cs": "csharp",
}
_FILE_NAMES = {"Gemfile": "ruby", "Rakefile": "ruby", "Guardfile": "ruby"}


def grammar_for(path: str) -> str | None:
    """The grammar that reads a file, by extension or well-known name (None when there is none).

    Args:
        path: Repository-relative path.
    """
    name = path.rsplit("/", 1)[-1]
    if name in _FILE_NAMES:
        return _FILE_NAMES[name]
    if name.endswith(".gemspec"):
        return "ruby"
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:].lower()) if dot > 0 else None


@cache
def _language(grammar: str) -> Any:
    import tree_sitter

    module_name, function = _GRAMMARS[grammar]
    module = importlib.import_module(module_name)
    return tree_sitter.Language(getattr(module, function)())


@cache
def _parser(grammar: str) -> Any:
    import tree_sitter

    return tree_sitter.Parser(_language(grammar))


@lru_cache(maxsize=512)
def query(grammar: str, source: str) -> Any:
    """A compiled tree-sitter query (compiled once per grammar and source).

    Args:
        grammar: A key of the grammar table (`ruby`, `go`...).
        source: Query in tree-sitter's S-expression syntax.
    """
    import tree_sitter

    return tree_sitter.Query(_language(grammar), source)


@dataclass(frozen=True)
class Parsed:
    """A parsed file: its tree and the bytes it was parsed from."""

    grammar: str
    """Grammar used."""
    source: bytes
    """UTF-8 bytes of the file."""
    root: Any
    """Root `tree_sitter.Node`."""

    def text(self, node: Any) -> str:
        """The source text of a node."""
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def literal(self, node: Any) -> str | None:  # noqa: PLR0911 - one return per literal form
        """The value of a string literal or symbol node, or None when it is not one or interpolates code.

        `'a'`, `"a"`, `` `a` `` (with no `${}`), Ruby `:a` and `a:`, C# `@"a"` all give `a`.
        """
        kind = node.type
        if kind == "simple_symbol":
            return self.text(node).lstrip(":")
        if kind == "hash_key_symbol":
            return self.text(node)
        if kind not in _STRING_TYPES:
            return None
        kotlin = self.grammar == "kotlin"
        parts = []
        for child in node.children:  # one pass: any interpolation (or Kotlin `$`) means no literal value
            child_kind = child.type
            if _is_interpolation(child_kind):
                return None
            if kotlin and self.text(child) == "$":
                return None  # the Kotlin grammar reads `"a$name"` as plain content
            if child_kind in _CONTENT:
                parts.append(self.text(child))
        if parts or node.child_count > 1:
            return "".join(parts)
        raw = self.text(node).lstrip("@$")
        return raw[1:-1] if len(raw) >= 2 and raw[0] in "'\"`" and raw[-1] == raw[0] else raw

    def captures(self, query_source: str, node: Any | None = None) -> dict[str, list[Any]]:
        """Run a query over the tree (or a subtree) and return its captures by name, in source order."""
        import tree_sitter

        cursor = tree_sitter.QueryCursor(query(self.grammar, query_source), match_limit=MATCH_LIMIT)
        found = cursor.captures(node or self.root)
        return {name: sorted(nodes, key=_START) for name, nodes in found.items()}

    def matches(self, query_source: str, node: Any | None = None) -> list[dict[str, list[Any]]]:
        """Run a query and return each match's captures by name, in source order of the matches."""
        import tree_sitter

        cursor = tree_sitter.QueryCursor(query(self.grammar, query_source), match_limit=MATCH_LIMIT)
        found = cursor.matches(node or self.root)
        ordered = sorted(found, key=lambda m: min((n.start_byte for ns in m[1].values() for n in ns), default=0))
        return [dict(captures) for _, captures in ordered]


_START = operator.attrgetter("start_byte")
"""Sort key of nodes in source order (a C getter: queries sort every capture list)."""
_STRING_TYPES = frozenset({
    "string", "string_literal", "template_string", "interpreted_string_literal", "raw_string_literal",
    "encapsed_string", "verbatim_string_literal", "character_literal",
})
_CONTENT = frozenset({
    "string_fragment", "string_content", "interpreted_string_literal_content", "raw_string_literal_content",
    "string_literal_content", "escape_sequence", "string_value",
})


@lru_cache(maxsize=1024)
def _is_interpolation(kind: str) -> bool:
    return "interpolat" in kind or "substitution" in kind or kind in ("variable_name", "dynamic_variable_name")


def parse(grammar: str, text: str) -> Parsed | None:
    """Parse text with a grammar; None when the text is too large to be hand-written code.

    A syntax error does not stop tree-sitter: the tree holds ERROR nodes where the code is broken and everything
    else is read as usual.

    Args:
        grammar: A key of the grammar table.
        text: The file's text.
    """
    source = text.encode("utf-8", "surrogatepass")
    if len(source) > MAX_PARSE_BYTES:
        return None
    return Parsed(grammar=grammar, source=source, root=_parser(grammar).parse(source).root_node)


def reparse(parsed: Parsed, first: Any, last: Any) -> Any:
    """Parse the span from one top-level node to another on its own, and return the root of that parse.

    Node positions stay those of the whole file, so `parsed.text` reads the new nodes. The Kotlin grammar needs
    this: a declaration it reads as an expression in a whole file (`object A {...}` as an infix call) is read right
    when parsed alone.

    Args:
        parsed: The whole file.
        first: First node of the span.
        last: Last node of the span.
    """
    import tree_sitter

    parser = tree_sitter.Parser(_language(parsed.grammar))
    parser.included_ranges = [tree_sitter.Range(first.start_point, last.end_point, first.start_byte, last.end_byte)]
    return parser.parse(parsed.source).root_node


def walk(node: Any, types: frozenset[str] | None = None) -> Iterator[Any]:
    """Every descendant of a node (itself included), depth first in source order, without recursion.

    Args:
        node: Where to start.
        types: Only yield nodes of these types (all when None).
    """
    stack = [node]
    while stack:
        current = stack.pop()
        if types is None or current.type in types:
            yield current
        stack.extend(reversed(current.children))
