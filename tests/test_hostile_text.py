# Property tests: any string, once escaped by rendering/markdown.py and rendered by Python-Markdown with the
# site's extensions (and a few more that a user may enable), shows exactly its own characters as text, creates
# no HTML of its own, no link, no snippet include, no template code and no mention.
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown as python_markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pymdownx.snippets import SnippetPreprocessor

from autodevhub_docs.rendering import markdown as md
from autodevhub_docs.slug import anchor_slug

SECRET = "SNIPPET-SECRET-CONTENT-42"
HOSTILE = "<>&\"'`[](){}|#*_!@:;%-=~^$+?/.\\\n\r\t\x00\x1b\u202e\u2066\u200b\ufeff 1aZé中😀"
TOKENS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<javascript:alert(1)>", "[x](javascript:alert(1))",
    "[x]: javascript:alert(1)", "[x][y]\n\n[y]: data:text/html,hi", "<http://example.com>", "![i](http://evil.test/i.png)",
    '--8<-- "secret.txt"', ';--8<-- "secret.txt"', "--8<--\nsecret.txt\n--8<--", "{{ config }}", "{% include 'x' %}",
    "{# c #}", "@octocat", "#123", "1. ", "1) ", "- ", "* ", "+ ", "> ", "# ", "!!! danger", "??? note", "/// note",
    ": def", "| a | b |\n|---|---|", "```", "~~~", "    indented", "{: onclick=alert(1) }", ":smile:", "==mark==",
    "^^ins^^", "~~del~~", "++ctrl+alt++", "$x$", "{++ins++}", "*[HTML]: x", "[^1]", "\u202eevil", "&lt;", "&#60;",
    "&#x3C;", "javascript&colon;", "<!--", "-->", "\\", "\n\n", "\r\n", "---", "===", "<div markdown=1>", "vbscript:",
    "www.example.com", "user@example.com", "<b>", "</p>", "\x02wzxhzdk:0\x03",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet=HOSTILE, max_size=12), st.text(max_size=8)), max_size=8,
).map("".join)

EXTENSIONS = ["admonition", "tables", "attr_list", "toc", "def_list", "footnotes", "abbr", "md_in_html",
              "pymdownx.superfences", "pymdownx.details", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark",
              "pymdownx.keys", "pymdownx.critic", "pymdownx.arithmatex", "pymdownx.emoji", "pymdownx.snippets", "pymdownx.blocks.admonition", "pymdownx.blocks.details"]
# Tags Markdown itself produces for our output; anything else would be HTML that came from the text.
ALLOWED_TAGS = {"p", "code", "pre", "div", "span", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "h2",
                "br", "hr", "a"}


@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("snippets")
    (base / "secret.txt").write_text(SECRET, encoding="utf-8")
    configs = {
        "pymdownx.snippets": {"base_path": [str(base)], "check_paths": False},
        "pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid",
                                                    "format": __import__("pymdownx.superfences").superfences.fence_code_format}]},
    }

    # One converter of each kind for the whole module, reset before every text (Markdown.reset() clears what the
    # extensions keep between documents: footnotes, abbreviations, the toc). Building one costs ~20 ms with these
    # extensions, converting a short text ~0.3 ms, and the properties convert thousands.
    # magiclink turns bare http(s) URLs into links, as GitHub does; that is allowed (assert_inert checks the
    # scheme), but it is kept out of the exact-text comparison, which runs without it.
    linked = python_markdown.Markdown(extensions=[*EXTENSIONS, "pymdownx.magiclink"], extension_configs=configs)
    plain = python_markdown.Markdown(extensions=EXTENSIONS, extension_configs=configs)

    def _render(text: str) -> str:
        assert_inert(linked.reset().convert(text), "")
        return plain.reset().convert(text)

    return _render


class _Page(HTMLParser):
    """Collects tags, attributes and the visible text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", []))


def parse(html_text: str) -> _Page:
    page = _Page()
    page.feed(html_text)
    page.close()
    return page


def assert_inert(rendered: str, markdown_text: str) -> _Page:
    """No foreign tag, no event handler, no script link, no snippet content; the markdown has no template code."""
    page = parse(rendered)
    for tag, attrs in page.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> in {rendered!r}"
        for name, value in attrs:
            assert not name.startswith("on"), rendered
            assert name in {"class", "id", "href", "title"}, f"attribute {name} in {rendered!r}"
            if name == "href":
                assert (value or "").startswith(("http://", "https://", "#")), rendered
    assert SECRET not in rendered
    assert not re.search(r"\{[{%#]", markdown_text), markdown_text
    assert jinja2.Template(markdown_text).render() == markdown_text.rstrip("\n") or \
        jinja2.Template(markdown_text, keep_trailing_newline=True).render() == markdown_text
    for line in markdown_text.splitlines():
        assert not SnippetPreprocessor.RE_ALL_SNIPPETS.match(line), line
    return page


def flat(text: str, limit: int = md.MAX_INLINE) -> str:
    value = " ".join(md.clean(text).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def visible(page: _Page) -> str:
    return " ".join("".join(page.text).split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text)
@example("<script>alert(1)</script>")
@example('--8<-- "secret.txt"')
@example("1. {{ x }} @admin :smile: <https://x>")
def test_inline_shows_the_text_and_nothing_else(render, text: str) -> None:
    escaped = md.inline(text)
    assert "\n" not in escaped
    assert not re.search(r"@\w", escaped)
    for wrapper, prefix in (("{}", ""), ("Title: {}", "Title: "), ("- {}", ""), ("## {}", ""),
                            ("| a | b |\n|---|---|\n| {} | x |", "a b ")):
        page = assert_inert(render(wrapper.format(escaped)), escaped)
        expected = " ".join((prefix + flat(text) + (" x" if wrapper.startswith("|") else "")).split())
        assert visible(page) == expected
        assert not [t for t, _ in page.tags if t == "a"], "no link may come from text"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text)
def test_block_keeps_paragraph_text_only(render, text: str) -> None:
    escaped = md.block(text)
    page = assert_inert(render(escaped), escaped)
    assert {t for t, _ in page.tags} <= {"p"}
    expected = " ".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", md.clean(text)) if p.strip())
    shown = visible(page)
    assert shown == " ".join(expected.split()) or (len(expected) > md.MAX_BLOCK and shown.endswith("…"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text)
def test_code_shows_the_text_as_code(render, text: str) -> None:
    escaped = md.code(text)
    page = assert_inert(render(f"See {escaped} here."), escaped)
    assert [t for t, _ in page.tags] == ["p", "code"]
    assert visible(page) == " ".join(f"See {flat(text)} here.".split())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text, st.sampled_from(["text", "bash", "mermaid", "js\n```"]))
@example('--8<-- "secret.txt"\t0', "text")
def test_fenced_shows_the_text_verbatim(render, text: str, lang: str) -> None:
    escaped = md.fenced(text, lang)
    rendered = render(f"Before\n\n{escaped}\n\nAfter")
    page = assert_inert(rendered, escaped)
    assert "mermaid" not in rendered
    body = md.clean(text).rstrip("\n")
    shown = "".join(page.text)
    assert shown.startswith("Before") and shown.rstrip().endswith("After")
    def norm(t: str) -> str:  # Python-Markdown expands tabs and drops trailing blanks; nothing else may change
        return "\n".join(line.rstrip() for line in t.expandtabs(4).strip("\n").split("\n")).strip("\n")

    assert norm(shown.removeprefix("Before").rstrip().removesuffix("After")) == norm(body) \
        or not body.strip()


LINK_CONVERTER = python_markdown.Markdown(extensions=["attr_list", "pymdownx.magiclink"])


@settings(max_examples=100, deadline=None)
@given(hostile_text, hostile_text)
def test_link_only_ever_points_at_http(text: str, url: str) -> None:
    out = md.link(text, url)
    rendered = LINK_CONVERTER.reset().convert(out)
    for tag, attrs in parse(rendered).tags:
        assert tag in {"p", "a"}
        for name, value in attrs:
            assert name in {"href", "class", "title"}
            if name == "href":
                assert (value or "").startswith(("http://", "https://")), rendered


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<b>",
                                 "vbscript:msgbox", "//evil.test/x", "file:///etc/passwd", "\u202ejavascript:x"])
def test_dangerous_schemes_are_refused(url: str) -> None:
    assert md.safe_url(url) is None
    assert "](" not in md.link("click", url)


def test_href_never_carries_a_scheme() -> None:
    assert md.href("javascript:alert(1).md") == "javascript%3Aalert%281%29.md"
    rendered = python_markdown.markdown(f"[x](<{md.href('javascript:alert(1).md')}>)")
    assert 'href="javascript%3Aalert%281%29.md"' in rendered
    assert md.href("0001-use-redis.md") == "0001-use-redis.md"


def test_long_bodies_are_bounded() -> None:
    assert len(md.inline("x" * 100_000)) <= md.MAX_INLINE
    assert len(md.block("word " * 100_000)) <= md.MAX_BLOCK + 10
    assert len(md.fenced("y" * 1_000_000)) <= md.MAX_FENCED + 20


def test_normal_text_reads_naturally() -> None:
    assert md.inline("Add the notes package") == "Add the notes package"
    assert md.code("src/app.py") == "`src/app.py`"
    assert md.cell("") == "—"
    assert md.fenced("pip install -e .", "bash") == "```bash\npip install -e .\n```"
    assert anchor_slug("Use Redis for caching") == "use-redis-for-caching"
    assert md.link("docs", "https://example.com/a b") == "[docs](<https://example.com/a%20b>)"


def test_control_and_bidi_characters_are_removed() -> None:
    assert md.clean("a\x00b\x07c\u202ed\u2066e\ufefff\r\ng\rh") == "abcdef\ng\nh"
    assert md.clean("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"
    assert md.clean("x\ud800y") == "xy"
    Path("/dev/null").write_text(md.inline("x\ud800y"), encoding="utf-8")  # writable as UTF-8
