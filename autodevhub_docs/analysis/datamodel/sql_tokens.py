# A linear SQL tokenizer: one pass over the text, each character looked at a bounded number of times, so a
# hostile file (100 KB of `create table a(`) costs what a normal file of its size costs. Comments are dropped;
# strings ('...', E'...', $tag$...$tag$), quoted identifiers ("x", `x`, [x]), words, numbers and punctuation come
# out with their line. An unterminated string or comment runs to the end of the text, as the database reads it.
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z_\u00c0-\uffff][\w$\u00c0-\uffff]*")
_NUMBER = re.compile(r"\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_]\w*)?\$")
_BRACKET = re.compile(r"\[[^\]\n]+\]")
_QUOTES = {'"': '"', "`": "`"}


@dataclass(frozen=True, slots=True)
class Token:
    """One token of SQL text."""

    kind: str
    """`word`, `quoted` (a quoted identifier), `string`, `number` or `punct`."""
    text: str
    """The word or punctuation as written; the content of a quoted identifier or string."""
    line: int
    """1-based line where it starts."""

    def is_word(self, *words: str) -> bool:
        """Whether it is an unquoted word equal (ignoring case) to one of these."""
        return self.kind == "word" and self.text.upper() in words

    @property
    def is_name(self) -> bool:
        """Whether it can be an identifier (a word or a quoted identifier)."""
        return self.kind in ("word", "quoted")


def _quoted_end(text: str, start: int, quote: str) -> int:
    """Index just past the closing quote, with a doubled quote as an escaped one (end of text when unclosed)."""
    index = start + 1
    while True:
        found = text.find(quote, index)
        if found < 0:
            return len(text)
        if text.startswith(quote, found + 1):
            index = found + 2
            continue
        return found + 1


def tokens(text: str) -> Iterator[Token]:  # noqa: PLR0912 - one branch per lexical form
    """The tokens of SQL text, comments left out.

    Args:
        text: A SQL script or statement.
    """
    index, line, size = 0, 1, len(text)
    while index < size:
        char = text[index]
        start = index
        if char in " \t\r\n\f\v":
            index += 1
            if char == "\n":
                line += 1
            continue
        if text.startswith("--", index):
            end = text.find("\n", index)
            index = size if end < 0 else end
            continue
        if text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = size if end < 0 else end + 2
            line += text.count("\n", start, index)
            continue
        kind, value = "punct", char
        if char == "'" or (char in "eEnN" and text.startswith("'", index + 1)):
            begin = index + (char != "'")
            index = _quoted_end(text, begin, "'")
            kind, value = "string", text[begin + 1:index - 1]
        elif char in _QUOTES:
            index = _quoted_end(text, index, _QUOTES[char])
            kind, value = "quoted", text[start + 1:index - 1]
        elif char == "[" and (bracket := _BRACKET.match(text, index)):
            index = bracket.end()
            kind, value = "quoted", bracket.group(0)[1:-1]
        elif char == "$" and (tag := _DOLLAR_TAG.match(text, index)):
            end = text.find(tag.group(0), tag.end())
            index = size if end < 0 else end + len(tag.group(0))
            kind, value = "string", text[tag.end():end if end >= 0 else size]
        elif (word := _WORD.match(text, index)) is not None:
            index = word.end()
            kind, value = "word", word.group(0)
        elif (number := _NUMBER.match(text, index)) is not None:
            index = number.end()
            kind, value = "number", number.group(0)
        else:
            index += 1
        yield Token(kind=kind, text=value, line=line)
        if kind in ("string", "quoted"):
            line += text.count("\n", start, index)
