# Escaping for untrusted text (issue and PR text, commit messages, file names, model output).
# The rule: untrusted text is data. It never becomes raw HTML, a link target we did not build, a snippets
# include (`--8<--`), template syntax, a Mermaid directive, or an @-mention.
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from autodevhub_docs.slug import anchor_slug

__all__ = ["anchor_slug", "block", "cell", "clean", "code", "fenced", "inline", "link", "safe_url"]

MAX_INLINE = 300
"""Longest untrusted one-line text kept (titles, subjects)."""
MAX_BLOCK = 4000
"""Longest untrusted paragraph text kept (bodies)."""

_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]()#+!|~-])")  # < > { } become entities below
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_MENTION = re.compile(r"@(?=[A-Za-z0-9_-])")
_BRACES = {"{": "&#123;", "}": "&#125;"}


def clean(text: object) -> str:
    """Drop NUL, control and bidi-override characters; keep newlines and tabs as spaces-or-newlines."""
    value = "" if text is None else str(text)
    value = value.translate(_BIDI)
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _entities(text: str) -> str:
    text = "".join(_HTML.get(ch, ch) for ch in text)
    text = "".join(_BRACES.get(ch, ch) for ch in text)
    return _MENTION.sub("&#64;", text)


def inline(text: object, limit: int = MAX_INLINE) -> str:
    """Escape untrusted text for one line of Markdown (a table cell, a heading, a list item).

    Newlines collapse to spaces, Markdown punctuation is backslash-escaped, HTML and braces become entities,
    and `@` before a name is written as an entity so nobody is mentioned.
    """
    flat = " ".join(clean(text).split())
    flat = _truncate(flat, limit)
    escaped = _INLINE_SPECIAL.sub(r"\\\1", flat)
    return _entities(escaped)


def block(text: object, limit: int = MAX_BLOCK) -> str:
    """Escape untrusted multi-line text as plain paragraphs (no lists, headings, code or HTML survive).

    Blank lines separate paragraphs; every other line break becomes a space.
    """
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", clean(text))]
    kept = _truncate("\n\n".join(p for p in paragraphs if p), limit)
    return "\n\n".join(inline(p, limit) for p in kept.split("\n\n"))


def code(text: object, limit: int = MAX_INLINE) -> str:
    """Render untrusted text as inline code, choosing a fence longer than any backtick run inside it."""
    flat = _truncate(" ".join(clean(text).split()), limit)
    flat = _entities(flat) if "<" in flat or "{" in flat else flat
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def cell(text: object, limit: int = MAX_INLINE) -> str:
    """Escape untrusted text for a Markdown table cell ('—' when empty)."""
    value = inline(text, limit)
    return value or "—"




def safe_url(url: object) -> str | None:
    """Return the URL if it is http(s) (or a relative path we built), percent-encoding risky characters; else None."""
    value = clean(url).strip()
    if not value:
        return None
    lowered = value.lower()
    if not lowered.startswith(("https://", "http://")):
        return None
    return quote(value, safe=":/?#[]@!$&'*+,;=%-._~")


def link(text: object, url: object) -> str:
    """A Markdown link with escaped text; plain escaped text when the URL is not http(s)."""
    target = safe_url(url)
    label = inline(text)
    return f"[{label}](<{target}>)" if target else label


def fenced(text: object, lang: str = "text") -> str:
    """Put text in a code block whose fence is longer than any backtick run inside it (so it cannot close early)."""
    body = clean(text).rstrip("\n")
    longest = max((len(m) for m in re.findall(r"`{3,}", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{re.sub(r'[^a-z0-9_+-]', '', lang.lower())}\n{body}\n{fence}"
