# Page bodies kept by the digest of their inputs (`pages.render_documents`): a page whose context changed anywhere
# its template reads, down to one field of a record nested in a value that many pages share, is rendered again; an
# unchanged one comes from the store, and so does one whose change lies only where its template does not read (an
# attribute of a fact record it never reads, a value it never names); a value shared by many pages is serialised for
# the digest once per build, not once per page.
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.generators import Document
from autodevhub_docs.model import FileInfo, RepoFacts
from autodevhub_docs.pages import render_documents
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import Store, open_store


@dataclass(frozen=True, slots=True)
class Inner:
    value: str


@dataclass(frozen=True, slots=True)
class Outer:
    inner: Inner
    count: int


@dataclass
class Loose:
    """A dataclass whose state is more than its fields (its instances have a `__dict__`)."""

    name: str


class Counted:
    """A context value that counts how often it is pickled."""

    reductions = 0

    def __init__(self, text: str) -> None:
        self.text = text

    def __reduce_ex__(self, protocol: Any) -> Any:
        type(self).reductions += 1
        return (Counted, (self.text,))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "cache")
    yield opened
    opened.close()


def _settings(tmp_path: Path) -> Settings:
    templates = tmp_path / "templates"
    if not templates.is_dir():  # written once: the templates' files are part of every page's digest
        templates.mkdir()
        (templates / "page.md.jinja").write_text(
            "# {{ title }}\n\n{{ facts.name }} has {{ facts.files | length }} file(s); {{ outer.inner.value }} x "
            "{{ outer.count }}; {{ loose.name }} {{ loose.extra | default('none') }}{{ shared | default('') }}\n", encoding="utf-8")
    return Settings(repo_path=tmp_path, cache_dir=tmp_path / "cache", llm="offline", custom_templates=templates)


def _facts(*paths: str, branch: str | None = None) -> RepoFacts:
    return RepoFacts(name="demo", root="/nowhere", head="", branch=branch,
                     files=tuple(FileInfo(path=p, size=1, language="Python", lines=1) for p in paths))


def _documents(facts: RepoFacts, outer: Outer, loose: Loose, shared: Any = None) -> list[Document]:
    return [Document(uri=f"page{n}.md", title=f"Page {n}", template="page.md.jinja",
                     context={"title": f"Page {n}", "facts": facts, "outer": outer, "loose": loose,
                              "shared": shared})
            for n in range(5)]


def _render(tmp_path: Path, store: Store, documents: list[Document]) -> Any:
    rendered = render_documents(_settings(tmp_path), _documents_facts(documents), documents, "offline", store)
    if rendered.changed:
        store.put_json("memo:pages", "bodies", rendered.kept)
    return rendered


def _documents_facts(documents: list[Document]) -> RepoFacts:
    facts: RepoFacts = documents[0].context["facts"]
    return facts


def test_a_change_deep_in_a_shared_record_renders_every_page_that_holds_it_again(tmp_path: Path, store: Store) -> None:
    facts, outer, loose = _facts("a.py"), Outer(inner=Inner("red"), count=2), Loose("loose")
    first = _render(tmp_path, store, _documents(facts, outer, loose))
    assert (first.rendered, first.reused) == (5, 0)
    assert "demo has 1 file(s); red x 2; loose none" in first.pages["page3.md"]

    same = _render(tmp_path, store, _documents(_facts("a.py"), Outer(inner=Inner("red"), count=2), Loose("loose")))
    assert (same.rendered, same.reused) == (0, 5)  # equal values, other objects: the same digest
    assert same.pages == first.pages

    deeper = _render(tmp_path, store, _documents(facts, replace(outer, inner=Inner("blue")), loose))
    assert (deeper.rendered, deeper.reused) == (5, 0)
    assert "red" not in deeper.pages["page0.md"] and "blue x 2" in deeper.pages["page0.md"]

    more_files = _render(tmp_path, store, _documents(_facts("a.py", "b.py"), outer, loose))
    assert (more_files.rendered, more_files.reused) == (5, 0)
    assert "demo has 2 file(s)" in more_files.pages["page4.md"]

    unread = _render(tmp_path, store, _documents(_facts("a.py", "b.py", branch="other"), outer, loose,
                                                 shared=None))
    assert (unread.rendered, unread.reused) == (0, 5)  # `facts.branch` is not read by the template

    extra = Loose("loose")
    extra.extra = "outside its fields"  # type: ignore[attr-defined]  # state a field-only digest would miss
    outside = _render(tmp_path, store, _documents(facts, outer, extra))
    assert (outside.rendered, outside.reused) == (5, 0)
    assert "loose outside its fields" in outside.pages["page1.md"]


def test_a_value_shared_by_every_page_is_serialised_once_for_the_digest(tmp_path: Path, store: Store) -> None:
    shared = Counted("the same object in five contexts")  # `Counted` has no fields: read whole
    Counted.reductions = 0
    rendered = _render(tmp_path, store, _documents(_facts("a.py"), Outer(Inner("x"), 1), Loose("l"), shared))
    assert rendered.rendered == 5
    assert Counted.reductions == 1


def test_a_value_the_template_never_names_is_not_serialised(tmp_path: Path, store: Store) -> None:
    unread = Counted("not in the template")
    documents = [Document(uri="only.md", title="Only", template="page.md.jinja",
                          context={"title": "Only", "facts": _facts("a.py"), "outer": Outer(Inner("x"), 1),
                                   "loose": Loose("l"), "shared": None, "unread": unread})]
    Counted.reductions = 0
    first = _render(tmp_path, store, documents)
    assert (first.rendered, Counted.reductions) == (1, 0)
    documents[0].context["unread"] = Counted("changed, still not in the template")
    assert _render(tmp_path, store, documents).reused == 1


def test_equal_values_digest_alike_however_their_parts_are_shared(tmp_path: Path, store: Store) -> None:
    # A record decoded from the store shares no part with another; the same records just worked out may share one
    # (the same `Inner` in two places). Both must give the page the same digest, or every page holding records taken
    # from the memos would be rendered again after each commit.
    inner = Inner("same")
    shared = (Outer(inner, 1), Outer(inner, 2))
    copies = (Outer(Inner("same"), 1), Outer(Inner("sa" + "me"), 2))
    assert shared == copies
    first = _render(tmp_path, store, _documents(_facts("a.py"), Outer(Inner("x"), 1), Loose("l"), shared))
    again = _render(tmp_path, store, _documents(_facts("a.py"), Outer(Inner("x"), 1), Loose("l"), copies))
    assert (first.rendered, again.reused) == (5, 5)
