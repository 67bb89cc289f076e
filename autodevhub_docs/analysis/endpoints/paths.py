# One readable form for every path: parameters as `{name}`, whatever the framework writes (`:id`, `<int:pk>`,
# `(?P<slug>[-\w]+)`, `{id:int}`, `[id]`), one slash between parts, no trailing slash except the root.
from __future__ import annotations

import re

_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()\\]|\\.|\([^()]*\))*\)")
_ANGLE = re.compile(r"<(?:[\w.]+:)?(\w+)>")
_BRACE = re.compile(r"\{\s*\*{0,2}(\w+)(?:[:?][^{}]*)?\s*\}\??")
_COLON = re.compile(r"(?<![\w:]):(\w+)\??")
_BRACKET = re.compile(r"\[(?:\.\.\.)?(\w+)\]")
_CATCH_ALL = re.compile(r"(?<=/)\*(\w+)")
_FORMS = (("(", _REGEX_GROUP), ("<", _ANGLE), ("{", _BRACE), ("[", _BRACKET), (":", _COLON), ("*", _CATCH_ALL))
"""Each parameter form with the character its pattern cannot match without, in the order they are rewritten."""
_SLASHES = re.compile(r"/{2,}")


def _as_parameter(match: re.Match[str]) -> str:
    return "{" + match.group(1) + "}"


def normalise_path(path: str) -> str:
    """Show a route path with `{param}` parameters and clean slashes.

    Args:
        path: A path as the framework writes it (regex anchors and optional trailing slashes allowed).
    """
    text = path.strip()
    text = text.removeprefix("^").removesuffix("$")
    text = text.removesuffix("/?") if text.endswith("/?") else text
    for mark, pattern in _FORMS:  # a pattern cannot match without its mark, and most paths hold few marks
        if mark in text:
            text = pattern.sub(_as_parameter, text)
    text = "/" + text.lstrip("/")
    text = _SLASHES.sub("/", text) if "//" in text else text
    return text if text == "/" else text.rstrip("/")


def join(*parts: str) -> str:
    """Join route prefixes and a path with exactly one slash between them (`/api/` + `/users` = `/api/users`)."""
    pieces = [p.strip("/") for p in parts if p and p.strip("/")]
    return "/" + "/".join(pieces) if pieces else "/"
