# XML read with the line of every element (the standard library's ElementTree keeps none), for files whose facts
# must cite a line: MyBatis mappers, Liquibase changelogs. Documents that declare entities are refused (no such
# file needs them, and they are how XML bombs work), external DTDs are never fetched, and nesting is capped.
from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

MAX_DEPTH = 256
"""Deepest element nesting accepted."""


@dataclass
class Element:
    """One element: its local name, attributes, line, and content in document order."""

    tag: str
    """Local name (namespace left out)."""
    attributes: dict[str, str]
    """Attributes by local name."""
    line: int
    """1-based line of the start tag."""
    content: list[str | Element] = field(default_factory=list)
    """Character data and child elements, in document order."""

    @property
    def children(self) -> list[Element]:
        """Child elements."""
        return [c for c in self.content if isinstance(c, Element)]

    def text(self) -> str:
        """All character data inside the element, nested elements included, in document order."""
        parts: list[str] = []
        stack: list[str | Element] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            else:
                stack.extend(reversed(item.content))
        return "".join(parts)

    def iter(self) -> list[Element]:
        """The element and every descendant, in document order."""
        found: list[Element] = []
        stack: list[Element] = [self]
        while stack:
            item = stack.pop()
            found.append(item)
            stack.extend(reversed(item.children))
        return found


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def parse_xml(text: str) -> tuple[Element | None, str]:
    """Parse a document; (root, '') or (None, the reason it was not read).

    Args:
        text: The file's text.
    """
    if "<!ENTITY" in text:
        return None, "declares XML entities, not read"
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    root: list[Element] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels, not read")
        element = Element(tag=_local(name), attributes={_local(k): v for k, v in attributes.items()},
                          line=parser.CurrentLineNumber)
        if stack:
            stack[-1].content.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(name: str) -> None:
        del name
        stack.pop()

    def data(chunk: str) -> None:
        if stack:
            stack[-1].content.append(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        return None, str(refused)
    except expat.ExpatError as error:
        return None, f"not valid XML ({expat.ErrorString(error.code)} at line {error.lineno})"
    return (root[0], "") if root else (None, "empty XML document")
