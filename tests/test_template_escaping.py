# Escaping by construction (issue 13): every built-in template is rendered with hostile strings in every string
# field of its context. The contexts come from a real build of a rich repository (so their types and shapes are
# the real ones) and every string in them, through dataclasses, mappings and lists, is replaced by hypothesis with
# hostile text, except the words the template itself compares with (its own string literals, e.g. `"commit"`).
# For each page: no template code is left for mkdocs-macros, the HTML that Python-Markdown makes with the site's
# extensions has no foreign tag, handler or script link, and every Mermaid diagram parses with mermaid 11.
from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown as python_markdown
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jinja2 import nodes

from autodevhub_docs import builtin_templates
from autodevhub_docs.generators.base import Document
from autodevhub_docs.pipeline import run_build
from autodevhub_docs.rendering.env import SourceLinker, make_env, render
from autodevhub_docs.settings import Settings
from tests import hostile_repos as hostile
from tests import mermaid as mermaid_checker
from tests.fakes.arch_repos import FASTAPI_FILES
from tests.fakes.history import land_new_decision, migration_repo
from tests.helpers import mkdocs_build, write_mkdocs_yml
from tests.test_hostile_text import TOKENS

# One environment for the module: every example renders every template, and compiling them again for each example
# was most of the test's time. Rendering does not change the environment.
shared_env = functools.cache(make_env)

HOSTILE_WORDS = [*TOKENS, hostile.XSS, hostile.MACRO, '"]] --> click n0 call alert(1)', "%%{init: {}}%%",
                 "x\n---\nstatus: injected\n", "a\n# Injected heading", "</code></pre><script>alert(1)</script>",
                 "{{7*7}}", "{%- raw -%}", "`code` | cell | ", "[REDACTED]", "\\\\", "é中😀", ""]
hostile_words = st.lists(st.one_of(st.sampled_from(HOSTILE_WORDS), st.text(max_size=12)), min_size=3, max_size=12)

# Keys of diagram specs that are structure (node ids, shapes, kinds), not text a reader sees.
_SPEC_STRUCTURE = frozenset({"kind", "direction", "shape", "class", "classes", "card", "key", "from", "to", "group",
                             "dotted", "actor", "reply"})
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
ALLOWED_TAGS = {"p", "code", "pre", "div", "span", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "h1",
                "h2", "h3", "h4", "br", "hr", "a", "strong", "em", "blockquote", "input"}
EXTENSIONS = ["admonition", "tables", "attr_list", "toc", "md_in_html", "pymdownx.superfences", "pymdownx.tasklist"]
EXTENSION_CONFIGS = {"pymdownx.superfences": {"custom_fences": [
    {"name": "mermaid", "class": "mermaid", "format": __import__("pymdownx.superfences").superfences.fence_code_format}]}}
ISSUES = [
    {"number": n, "title": title, "body": body, "state": state, "url": f"https://github.com/acme/shop/issues/{n}",
     "labels": [{"name": label}], "author": {"login": "ada"}, "createdAt": "2024-01-02T10:00:00Z",
     "updatedAt": "2024-01-03T10:00:00Z", "closedAt": None,
     "milestone": {"number": 1, "title": "v1.0", "description": "First release", "dueOn": "2024-06-01T00:00:00Z"}
     if n < 3 else None}
    for n, title, body, state, label in [
        (1, "As a shopper I want to save my cart", "As a shopper, I want to save my cart, so that I can come back."
         "\n\n- [ ] the cart survives a reload\n- [x] it is per user", "OPEN", "enhancement"),
        (2, "Checkout crashes", "### Steps to reproduce\n\n1. pay", "OPEN", "bug"),
        (3, "Add gift cards", "Shops want gift cards.", "OPEN", "feature"),
    ]]


class Documents(list[Document]):
    """The documents of a build, with a short repr (hypothesis prints its arguments when an example fails)."""

    def __repr__(self) -> str:
        return f"<{len(self)} documents>"


def build_documents(root: Path) -> Documents:
    """The documents of a second build (so the changes page compares with a first) of a repository that has
    endpoints, a data model, services, workflows, decisions, hand-written ADRs and stories."""
    repo = migration_repo(root)
    repo.commit("Add the FastAPI backend", {**FASTAPI_FILES, "Makefile": "test:\n\tpytest\n",
                                            ".env.example": "APP_PORT=8000\n"})
    (root / "issues.json").write_text(json.dumps(ISSUES), encoding="utf-8")
    options = Settings(repo_path=root, cache_dir=root.parent / "cache", llm="offline", issues_file=root / "issues.json")
    run_build(options)
    land_new_decision(repo)
    return Documents(run_build(options).documents)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Documents:
    return build_documents(tmp_path_factory.mktemp("templates") / "shop")


@functools.cache
def _literals(template: str) -> frozenset[str]:
    """Every string literal of a template and the templates it imports or includes."""
    env = shared_env()
    found: set[str] = set()
    pending, seen = [template], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
        found |= {n.value for n in tree.find_all(nodes.Const) if isinstance(n.value, str)}
        pending += [n.template.value for n in tree.find_all((nodes.FromImport, nodes.Import, nodes.Include))
                    if isinstance(n.template, nodes.Const)]
    return frozenset(found)


def hostile_copy(value: Any, words: Iterator[str], keep: frozenset[str], key: str = "") -> Any:
    """A copy of template data with every string replaced by the next hostile word (except `keep` and spec structure)."""
    if isinstance(value, str):
        return value if value in keep or key in _SPEC_STRUCTURE else next(words)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: hostile_copy(getattr(value, f.name), words, keep) for f in dataclasses.fields(value)
                   if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, Mapping):
        if key == "classes":
            return dict(value)
        return {k: hostile_copy(v, words, keep, k if isinstance(k, str) else "") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        copied = [hostile_copy(item, words, keep, key) for item in value]
        return copied if isinstance(value, list) else tuple(copied)
    return value


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            text = value or ""
            if name.startswith("on") or name not in {"class", "id", "href", "title", "style", "type", "checked",
                                                      "disabled"}:
                self.bad.append(f"{tag} {name}")
            if name == "style" and not re.fullmatch(r"text-align: (left|right|center);", text):
                self.bad.append(f"style {text}")
            if name == "href" and not (text.startswith(("https://", "http://", "#")) or
                                       ":" not in text.split("/", 1)[0]):
                self.bad.append(f"href {text}")
            if tag == "input" and (name, text) not in {("type", "checkbox"), ("disabled", ""), ("checked", "")}:
                self.bad.append(f"input {name}={text}")

    def handle_comment(self, data: str) -> None:
        self.bad.append("<!--")


def outside_fences(page: str) -> str:
    """The page without its fenced code blocks: text inside a fence is shown as it is, so it cannot inject."""
    kept, fence = [], ""
    for line in page.split("\n"):
        if fence:
            if re.fullmatch(f"`{{{len(fence)},}}", line.strip()):
                fence = ""
        elif opening := re.match(r"`{3,}", line):
            fence = opening.group(0)
        else:
            kept.append(line)
    assert not fence, "a fence that never closes"
    return "\n".join(kept)


@functools.cache
def _converter() -> python_markdown.Markdown:
    """One converter with the site's extensions for every page, reset before each (building one costs ~20 ms)."""
    return python_markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def assert_inert(uri: str, page: str) -> None:
    assert not re.search(r"\{[{%#]", page), f"template code left for mkdocs-macros in {uri}"
    prose = outside_fences(page)
    assert "\n---\nstatus: injected" not in prose and "\n# Injected heading" not in prose, uri
    body = page
    front = _FRONT_MATTER.match(page)
    if front:  # as MkDocs does: YAML meta data, then the Markdown after it
        meta = yaml.safe_load(front.group(1))
        assert set(meta) <= {"status", "date", "decision-makers", "supersedes", "superseded_by", "generated"}, uri
        assert all(isinstance(v, (str, list, bool)) for v in meta.values()), (uri, meta)
        assert not re.search(r"[<>(){}]", front.group(1)), f"markup in the front matter of {uri}"
        body = page[front.end():]
    html = _converter().reset().convert(body)
    tags = _Tags()
    tags.feed(html)
    assert tags.bad == [], (uri, tags.bad)
    # A heading of its own starts with the injected words; a heading whose title is a hostile name (an entity
    # called "a\n# Injected heading") shows the whole name, "a # Injected heading", and is not one.
    assert not re.search(r"<h[1-6][^>]*>\s*Injected heading", html), f"an injected heading in {uri}"


def render_hostile(documents: list[Document], words: list[str]) -> dict[str, str]:
    env = shared_env()
    linker = SourceLinker("https://github.com/acme/shop", "0123456789abcdef0123456789abcdef01234567")
    cycle = itertools.cycle(words)
    pages = {}
    for doc in documents:
        if not doc.template:
            continue
        context = hostile_copy(dict(doc.context), cycle, _literals(doc.template))
        pages[doc.uri] = render(env, doc.template, {**context, "src": linker})
    return pages


def test_the_build_uses_every_built_in_template(documents: list[Document]) -> None:
    templates = {p.relative_to(builtin_templates()).as_posix() for p in builtin_templates().rglob("*.md.jinja")}
    assert {doc.template for doc in documents if doc.template} == templates
    assert any(doc.template == "changes/index.md.jinja" and doc.context.get("previous") for doc in documents)


@pytest.mark.mermaid
# No shrinking: each example renders every page and starts the mermaid parser; a failure prints its words.
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=hostile_words)
def test_every_template_with_hostile_strings_in_every_field_is_inert(documents: list[Document],
                                                                     words: list[str]) -> None:
    pages = render_hostile(documents, words)
    for uri, page in pages.items():
        assert_inert(uri, page)
    diagrams = mermaid_checker.diagrams_in(pages.values())
    assert diagrams
    mermaid_checker.assert_all_parse(diagrams)


def test_no_template_code_from_data_evaluates_under_mkdocs_macros(documents: list[Document], tmp_path: Path) -> None:
    pages = render_hostile(documents, [hostile.MACRO, hostile.XSS, "{{ 'xx' ~ 'zleak' }}", "{% include 'mkdocs.yml' %}"])
    docs = {**pages, "index.md": "# Home\n\nMacros run here: {{ 6 * 7 }}.\n"}
    config = write_mkdocs_yml(tmp_path / "site", docs=docs, extra={"theme": {"name": "material", "font": False},
                                                                  "plugins": ["search", "macros"]})
    done = mkdocs_build(config, strict=False)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site" / "site"
    assert "Macros run here: 42." in (site / "index.html").read_text(encoding="utf-8")  # the plugin is active
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "pwned" not in text and "xxzleak" not in text and "evaluated<" not in text, page
        assert str(tmp_path / "site" / "docs") not in text and "site_name" not in text, page
