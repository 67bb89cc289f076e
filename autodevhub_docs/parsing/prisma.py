# The Prisma schema language, read with a small tokenizer and parser (no tree-sitter grammar ships as a wheel): its
# blocks (`model`, `enum`, `type`, `datasource`...), each model's fields with their type, list and optional marks and
# `@attributes`, and block `@@attributes`. Both passes are one scan forward over the text, so a hostile file is read
# in time proportional to its size; a line that is not a well-formed field is skipped up to the next line break.
from __future__ import annotations

from dataclasses import dataclass, field

_PUNCTUATION = frozenset("{}()[],:=?!@.")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_BLOCKS = frozenset({"model", "view", "type", "enum", "datasource", "generator"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: `name`, `string`, `punct` or `newline`."""

    kind: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Attribute:
    """An `@attribute(...)` or `@@attribute(...)`: its name and arguments (`None` key for positional ones)."""

    name: str
    args: tuple[tuple[str | None, str | tuple[str, ...]], ...] = ()
    """Each argument's value: a string's content, a list's items, or the argument's text."""

    def arg(self, key: str, position: int | None = None) -> str | tuple[str, ...] | None:
        """An argument by name, or else by position among the positional ones."""
        for name, value in self.args:
            if name == key:
                return value
        positional = [value for name, value in self.args if name is None]
        return positional[position] if position is not None and position < len(positional) else None


@dataclass(frozen=True, slots=True)
class Field:
    """A line of a block: a model field (`name Type[]? @attrs`), an enum value or a `key = value` setting."""

    name: str
    type: str
    line: int
    is_list: bool = False
    optional: bool = False
    attributes: tuple[Attribute, ...] = ()
    value: str = ""
    """The value of a `key = value` line (datasource and generator blocks), a string's content."""

    def attribute(self, name: str) -> Attribute | None:
        """The first attribute with a name."""
        return next((a for a in self.attributes if a.name == name), None)


@dataclass
class Block:
    """A top-level block."""

    kind: str
    name: str
    line: int
    fields: list[Field] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)


def tokens(text: str) -> list[Token]:
    """Split a schema into tokens, dropping comments; one pass over the characters."""
    found: list[Token] = []
    line, index, size = 1, 0, len(text)
    while index < size:
        char = text[index]
        if char == "\n":
            found.append(Token("newline", "\n", line))
            line += 1
            index += 1
        elif char in " \t\r\f\v":
            index += 1
        elif char == "/" and text.startswith("//", index):
            end = text.find("\n", index)
            index = size if end < 0 else end
        elif char == '"':
            end, value = _string(text, index + 1)
            found.append(Token("string", value, line))
            line += text.count("\n", index, end)
            index = end
        elif char in _NAME_CHARS:
            end = index + 1
            while end < size and text[end] in _NAME_CHARS:
                end += 1
            found.append(Token("name", text[index:end], line))
            index = end
        else:
            found.append(Token("punct", char, line))
            index += 1
    return found


def _string(text: str, start: int) -> tuple[int, str]:
    """The end offset and content of a string literal whose content starts at `start` (ends at a line break)."""
    parts = []
    index = start
    while index < len(text) and text[index] not in '"\n':
        if text[index] == "\\" and index + 1 < len(text):
            parts.append(text[index + 1])
            index += 2
            continue
        parts.append(text[index])
        index += 1
    return (index + 1 if index < len(text) and text[index] == '"' else index), "".join(parts)


def parse(text: str) -> list[Block]:
    """The blocks of a schema, in order; unknown or broken lines are skipped."""
    items = tokens(text)
    blocks: list[Block] = []
    index = 0
    while index < len(items):
        token = items[index]
        if (token.kind == "name" and token.text in _BLOCKS and index + 2 < len(items)
                and items[index + 1].kind == "name" and items[index + 2].text == "{"):
            block = Block(kind=token.text, name=items[index + 1].text, line=token.line)
            index = _body(items, index + 3, block)
            blocks.append(block)
        else:
            index += 1
    return blocks


def _body(items: list[Token], index: int, block: Block) -> int:
    """Read a block's lines up to its closing brace; returns the index after it."""
    while index < len(items):
        end = index
        while end < len(items) and items[end].kind != "newline" and items[end].text != "}":
            end += 1
        line = items[index:end]
        if line:
            _line(line, block)
        if end < len(items) and items[end].text == "}":
            return end + 1
        index = end + 1
    return index


def _line(line: list[Token], block: Block) -> None:
    first = line[0]
    if first.text == "@" and len(line) > 1 and line[1].text == "@":
        attribute, _ = _attribute(line, 2)
        if attribute is not None:
            block.attributes.append(attribute)
        return
    if first.kind != "name":
        return
    if len(line) >= 3 and line[1].text == "=":
        value = line[2].text if line[2].kind == "string" else "".join(t.text for t in line[2:])
        block.fields.append(Field(name=first.text, type="", line=first.line, value=value))
        return
    if len(line) == 1 or line[1].kind != "name":
        block.fields.append(Field(name=first.text, type="", line=first.line))
        return
    kind, index = line[1].text, 2
    if index < len(line) and line[index].text == "(":  # Unsupported("polygon")
        index = _skip_group(line, index)
    is_list = index + 1 < len(line) and line[index].text == "[" and line[index + 1].text == "]"
    index += 2 if is_list else 0
    optional = index < len(line) and line[index].text == "?"
    index += 1 if optional else 0
    attributes = []
    while index < len(line) and line[index].text == "@":
        attribute, index = _attribute(line, index + 1)
        if attribute is None:
            break
        attributes.append(attribute)
    if index < len(line):  # something after the attributes: not a field line (`model A {` inside a block)
        return
    block.fields.append(Field(name=first.text, type=kind, line=first.line, is_list=is_list, optional=optional,
                              attributes=tuple(attributes)))


def _skip_group(line: list[Token], index: int) -> int:
    """The index after the bracket group that starts at `index`."""
    depth = 0
    while index < len(line):
        if line[index].text in "([":
            depth += 1
        elif line[index].text in ")]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _attribute(line: list[Token], index: int) -> tuple[Attribute | None, int]:
    """An attribute whose name starts at `index` (after its `@`), and the index after it."""
    if index >= len(line) or line[index].kind != "name":
        return None, len(line)
    name = [line[index].text]
    index += 1
    while index + 1 < len(line) and line[index].text == "." and line[index + 1].kind == "name":
        name.append(line[index + 1].text)
        index += 2
    if index >= len(line) or line[index].text != "(":
        return Attribute(name=".".join(name)), index
    end = _skip_group(line, index)
    return Attribute(name=".".join(name), args=tuple(_arguments(line[index + 1:end - 1]))), end


def _arguments(tokens_: list[Token]) -> list[tuple[str | None, str | tuple[str, ...]]]:
    args: list[tuple[str | None, str | tuple[str, ...]]] = []
    depth, start = 0, 0
    for index, token in enumerate([*tokens_, Token("punct", ",", 0)]):
        if token.text in "([":
            depth += 1
        elif token.text in ")]":
            depth -= 1
        elif token.text == "," and depth == 0:
            part = tokens_[start:index]
            start = index + 1
            if part:
                args.append(_argument(part))
    return args


def _argument(part: list[Token]) -> tuple[str | None, str | tuple[str, ...]]:
    key = None
    if len(part) >= 2 and part[0].kind == "name" and part[1].text == ":":
        key, part = part[0].text, part[2:]
    if part and part[0].text == "[":
        return key, tuple(t.text for t in part[1:] if t.kind in ("name", "string"))
    if len(part) == 1 and part[0].kind == "string":
        return key, part[0].text
    return key, "".join(t.text for t in part)
