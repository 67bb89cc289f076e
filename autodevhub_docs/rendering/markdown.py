# Escaping for untrusted text (issue and PR text, commit messages, branch and file names, model output).
# The rule: untrusted text is data. It never becomes raw HTML, a link target we did not build, a snippets
# include (`--8<--`), template syntax (`{{ }}`, `{% %}`), a Mermaid diagram, an extension's block syntax
# (admonitions, details, attribute lists, emoji, ...) or an @-mention.
#
# How: every character that means something to Python-Markdown, CommonMark or the common pymdownx extensions is
# written as a backslash escape (when Python-Markdown knows that escape) or as a numeric character reference.
# Both render as the character itself, in Python-Markdown and in any CommonMark engine (`generate --out`), and
# neither can be read as markup again. Property tests in tests/test_hostile_text.py check that the rendered
# HTML of any string is exactly that string as text.
from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

from autodevhub_docs.redact import redact

MAX_INLINE = 300
"""Longest untrusted one-line text kept (titles, subjects)."""
MAX_BLOCK = 4000
"""Longest untrusted paragraph text kept (bodies)."""
MAX_FENCED = 20_000
"""Longest untrusted text kept in a code block."""

# Bidi embeddings, overrides, isolates and marks (Trojan Source), plus the byte order mark.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff"))
_KEEP_FORMAT = frozenset("\u200c\u200d")  # zero-width (non-)joiners build emoji and Indic text; they are inert

# Python-Markdown's own backslash escapes (Markdown.ESCAPED_CHARS); these read better than references.
# Brackets use references instead: arithmatex reads `\[`...`\]` as math.
_BACKSLASH = frozenset("\\`*_#+-!")
# Everything else that any engine or extension may read as markup, as numeric character references:
# HTML (< > & "), Jinja and mkdocs-macros ({ }), attr_list/critic ({ }), mentions (@), tables (|), links ([ ]),
# tilde/caret/mark (~ ^ =), arithmatex ($), and the `'` of HTML attributes and smart quotes.
# Parentheses stay literal: a link needs a literal `]` before them, and arithmatex's `\(` needs an odd run of
# backslashes, which cannot occur because every backslash in the text is doubled.
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;",
           "@": "&#64;", "|": "&#124;", "[": "&#91;", "]": "&#93;", "~": "&#126;",
           "^": "&#94;", "=": "&#61;", "$": "&#36;"}
# A hyphen or apostrophe between two letters or digits (`2026-11-25`, `it's`, `read-only`) starts no markup in
# any engine, so it stays literal and the Markdown source stays readable.
_INWORD = frozenset("-'")
_EMOJI = re.compile(r":(?=[+\-\w]+:)")  # `:smile:` becomes an emoji image; break the opening colon
_ORDERED = re.compile(r"^(\d{1,9})([.)])")  # `1. item` at the start of a paragraph would start a list
# Openers of extension blocks at the start of a paragraph: `??? note` (details), `/// note` (blocks), `: def`.
_BLOCK_START = {"???": "&#63;", "///": "&#47;", ":": "&#58;"}
_SNIPPET = re.compile(r"-+8<|8<-+")  # pymdownx.snippets markers, wherever they appear in a line
# Jinja / mkdocs-macros delimiters, and pymdownx.critic marks ({++ ++}, {-- --}, {~~ ~~}, {== ==}, {>> <<}),
# which preprocessors act on even inside code blocks.
_TEMPLATE = re.compile(r"\{[{%#+\-~=>]|[}%#]\}")


class Safe(str):
    """Markdown built by the builders of this package (escaped text, links, code, diagrams).

    The Jinja environment writes a `Safe` value as it is and escapes every other value, so a page gets raw markup
    only from code that built it. Any operation on the string (concatenation, slicing, a Jinja filter) returns a
    plain `str` again, which is escaped: safety is never inherited by accident.
    """

    __slots__ = ()


def clean(text: object) -> str:
    """Drop NUL, control, bidi-override and other invisible format characters; keep newlines and tabs.

    Carriage returns become newlines. Lone surrogates (which cannot be written as UTF-8) are dropped too.
    Secrets (token values, key shapes) are masked here, before escaping could split them.
    """
    value = redact("" if text is None else str(text))
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_BIDI)
    return "".join(
        ch for ch in value if ch in "\n\t" or ch in _KEEP_FORMAT or unicodedata.category(ch)[0] != "C"
    )


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def _escape(text: str) -> str:
    """Escape one line of plain text so every Markdown engine shows it as exactly these characters."""
    text = _EMOJI.sub("\x00", text)  # placeholder: NUL cannot occur here (clean() removed it)
    out = []
    for i, ch in enumerate(text):
        if ch == "\x00":
            out.append("&#58;")
        elif ch in _INWORD and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            out.append(ch)
        elif ch in _ENTITY:
            out.append(_ENTITY[ch])
        elif ch in _BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    ordered = _ORDERED.match(escaped)
    if ordered:
        escaped = f"{ordered.group(1)}\\{ordered.group(2)}{escaped[ordered.end():]}"
    else:
        for opener, reference in _BLOCK_START.items():
            if escaped.startswith(opener):
                escaped = reference + escaped[1:]
                break
    return escaped


def _html_text(text: str) -> str:
    """Escape text for the inside of an HTML element we write ourselves (entities only, also for braces)."""
    return "".join(_ENTITY.get(ch, ch) for ch in text)


def inline(text: object, limit: int = MAX_INLINE) -> Safe:
    """Escape untrusted text for one line of Markdown (a table cell, a heading, a list item, a link label).

    Newlines collapse to spaces, the text is cut at `limit` characters, and every character that could be
    read as Markdown, HTML, template syntax or a mention is escaped, so the page shows the text as written.
    """
    flat = _truncate(" ".join(clean(text).split()), limit)
    return Safe(_escape(flat))


def finalize(value: object, limit: int = MAX_BLOCK) -> Safe:
    """Escape any value a template writes with `{{ }}` and no builder (the Jinja environment's `finalize`).

    Like `inline`, but spaces at either end are kept, so a fragment such as `"PR "` still joins the next value.
    Line breaks become spaces: a value can never start a new line (a heading, a list, a front matter key).
    """
    flat = _truncate(re.sub(r"[ \t]*\n\s*", " ", clean(value)), limit)
    return Safe(_escape(flat))


def yaml_scalar(value: object) -> Safe:
    r"""Write a value as a YAML front matter value: a JSON string (or list of strings), which YAML reads as is.

    Every character a Markdown preprocessor, a template engine or a link acts on (`{ } % < > & @ [ ] ( )`...) is a
    `\u` escape, so the front matter says exactly the value, and an engine that shows it as text shows no markup.
    """
    if isinstance(value, (list, tuple)):
        return Safe("[" + ", ".join(yaml_scalar(item) for item in value) + "]")
    encoded = json.dumps(" ".join(clean(value).split()), ensure_ascii=True)
    return Safe("".join(f"\\u{ord(ch):04x}" if ch in "{}%<>&@#`|*!'[]()=~^$:;" else ch for ch in encoded))


def block(text: object, limit: int = MAX_BLOCK) -> Safe:
    """Escape untrusted multi-line text as plain paragraphs (no lists, headings, code or HTML survive).

    Blank lines separate paragraphs; every other line break becomes a space. At most `limit` characters are kept.
    """
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", clean(text))]
    kept = _truncate("\n\n".join(p for p in paragraphs if p), limit)
    return Safe("\n\n".join(_escape(p) for p in kept.split("\n\n") if p))


def code(text: object, limit: int = MAX_INLINE) -> Safe:
    """Render untrusted text as inline code.

    Plain text gets a backtick code span whose fence is longer than any backtick run inside it. Text that a
    preprocessor would act on even inside a code span (template braces, snippet markers), or a `|` that a
    GitHub-flavoured table would split on, is written as a
    `<code>` element with escaped content instead, which shows the same characters.
    """
    flat = _truncate(" ".join(clean(text).split()), limit)
    if any(ch in flat for ch in "{}|") or _SNIPPET.search(flat):
        return Safe(f"<code>{_escape(flat)}</code>" if flat else "<code></code>")
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return Safe(f"{fence}{pad}{flat}{pad}{fence}")


def cell(text: object, limit: int = MAX_INLINE) -> Safe:
    """Escape untrusted text for a Markdown table cell ('—' when empty)."""
    value = inline(text, limit)
    return value or Safe("—")


def literal(value: object) -> Safe:
    """Literal text from the repository (a path, a handler, a command) for a table cell or a sentence.

    Inline code when a code span shows it exactly; escaped text when it holds characters the code builder would
    turn into entities (which a code span would show verbatim); '—' when empty.
    """
    if value is None or value == "":
        return Safe("—")
    shown = str(value)
    return cell(shown) if "{" in shown or "<" in shown else code(shown)



# Characters kept as they are in each part of a URL we publish; everything else is percent-encoded. None of them
# can end a `<...>` link destination or an HTML attribute.
_URL_PATH_SAFE = "/%-._~!$&*+,;=:@"
_URL_QUERY_SAFE = _URL_PATH_SAFE + "?"
_SEGMENT_SAFE = "-._~!$*+,;=@"  # no `&`: `&colon;` in a link target is decoded to `:`
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_USERINFO = re.compile(r"^(https?://)[^/?#@]*@", re.I)


def safe_url(url: object) -> Safe | None:
    """Return the URL if it is http(s), without credentials and with risky characters percent-encoded; else None.

    `javascript:`, `data:`, `vbscript:`, protocol-relative (`//host`) and every other scheme are refused. A
    `user:password@` part is dropped. A `%` that starts no escape becomes `%25`.
    """
    value = clean(url).strip()
    if not value.lower().startswith(("https://", "http://")) or len(value) > 2000:
        return None
    value = _USERINFO.sub(r"\1", value)  # before parsing: a masked password holds brackets, read as an IPv6 host
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:  # an invalid port or bracketed host
        return None
    if not host:
        return None
    netloc = quote(f"[{host}]" if ":" in host else host, safe="[]:-._~") + port

    def encoded(part: str, safe: str) -> str:
        return quote(_STRAY_PERCENT.sub("%25", part), safe=safe)

    return Safe(urlunsplit((parts.scheme.lower(), netloc, encoded(parts.path, _URL_PATH_SAFE),
                            encoded(parts.query, _URL_QUERY_SAFE), encoded(parts.fragment, _URL_QUERY_SAFE))))


def path_segments(path: object) -> Safe:
    """Percent-encode a repository path segment by segment, for use inside a URL we build.

    Every character that means something in a URL (`#`, `?`, `%`, `:`) is encoded, so a file named
    `a#b?c%2e%2e%2fd` links to exactly that file, never to an anchor, a query or another folder.
    """
    return Safe("/".join(quote(segment, safe=_SEGMENT_SAFE) for segment in clean(path).split("/")))


def href(path: object) -> Safe:
    """Percent-encode a relative link target built from a file name, so it can never carry a scheme.

    `javascript:alert(1).md` becomes `javascript%3Aalert%281%29.md`, a harmless relative path; `#`, `?` and `%`
    in a file name are encoded too, so the link reaches that file.
    """
    value = clean(path).strip().lstrip("/\\")
    return Safe(path_segments(value) or ".")


def link(text: object, url: object) -> Safe:
    """A Markdown link with escaped text; plain escaped text when the URL is not http(s)."""
    target = safe_url(url)
    label = inline(text)
    return Safe(f"[{label}](<{target}>)") if target else label


def fenced(text: object, lang: str = "text", limit: int = MAX_FENCED) -> Safe:
    """Put untrusted text in a code block that shows it exactly and cannot end early.

    The fence is longer than any backtick run inside. Text that a preprocessor would act on even inside a
    fence (snippet markers, template braces) is written as an HTML `<pre><code>` block with escaped content.
    The language can never be `mermaid`: untrusted text never becomes a diagram.
    """
    body = _truncate(clean(text).rstrip("\n"), limit)
    language = re.sub(r"[^a-z0-9_+-]", "", str(lang).lower())
    if language == "mermaid":
        language = "text"
    if _SNIPPET.search(body) or _TEMPLATE.search(body):
        # Tabs as references: Python-Markdown would expand them counting the HTML around them as columns.
        escaped = "\n".join(_html_text(line).replace("\t", "&#9;") for line in body.split("\n"))
        return Safe(f'<pre><code class="language-{language}">{escaped}</code></pre>')
    longest = max((len(m) for m in re.findall(r"`{3,}", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return Safe(f"{fence}{language}\n{body}\n{fence}")
