# The reading experience of a real `mkdocs build --strict`: nav sections, edit links only on the user's own pages,
# the "generated from" line, search index, feed and llms.txt in the site, self-hosted mermaid, and serve reuse.
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autodevhub_docs.rendering.llms import page_url
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml

EDIT_BUTTON = re.compile(r'<a [^>]*title="Edit this page"')


def adr(number: int, title: str) -> str:
    return (f"# {number}. {title}\n\nDate: 2024-01-0{number}\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n"
            "## Decision\n\nd\n\n## Consequences\n\ne\n")


def make_site(root: Path, plugin: dict[str, object] | None = None, **kwargs: object) -> Path:
    repo = Repo(root)
    repo.commit("Initial commit", {"README.md": "# Notes\n\nA notes service.\n", "app.py": "print('hi')\n",
                                   "docs/adr/0001-use-sqlite.md": adr(1, "Use SQLite")})
    repo.commit("Add a page", {"docs/guide.md": "# Guide\n\nHow to use it.\n"})
    theme = {"name": "material", "features": ["content.action.edit", "navigation.sections"]}
    return write_mkdocs_yml(repo.root, {"llm": "offline", **(plugin or {})},
                            docs={"index.md": "# Home\n\nWelcome.\n", "guide.md": "# Guide\n\nHow to use it.\n"},
                            extra={"theme": theme, "repo_url": "https://github.com/example/notes",
                                   "edit_uri": "edit/main/docs/", **kwargs})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_site(tmp_path_factory.mktemp("reading") / "notes",
                       nav=["index.md", "guide.md"])
    done = mkdocs_build(config)
    assert done.returncode == 0, done.stderr
    return config.parent / "site"


def test_edit_button_only_on_the_users_own_pages(site: Path) -> None:
    for own in (site / "index.html", site / "guide" / "index.html"):
        html = own.read_text(encoding="utf-8")
        assert EDIT_BUTTON.search(html) and "Generated from commit" not in html, own
    report = json.loads((site.parent / ".cache" / "autodevhub" / "report.json").read_text(encoding="utf-8"))
    assert len(report["pages"]) >= 8
    for uri in report["pages"]:
        page = site / page_url(uri).removeprefix("./") / "index.html"
        html = page.read_text(encoding="utf-8")
        assert not EDIT_BUTTON.search(html), uri
        assert re.search(r"Generated from commit <code>[0-9a-f]{7}</code> on \d{4}-\d{2}-\d{2}", html), uri


def test_nav_has_a_section_per_generated_area_and_no_feed_entry(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    for title in ("Architecture", "Decisions", "User Stories", "Development", "Changes"):
        assert re.search(rf">\s*{title}\s*<", nav), title
    assert "feed.xml" not in nav and "llms.txt" not in nav


def test_search_index_holds_the_generated_pages(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert {"architecture/", "adr/", "changes/", "guide/"} <= locations
    titles = {doc["title"] for doc in index["docs"]}
    assert "1. Use SQLite" in titles and "System Architecture" in titles


def test_feed_and_llms_txt_are_published_at_their_addresses(site: Path) -> None:
    root = ET.fromstring((site / "changes" / "feed.xml").read_bytes())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    assert llms.startswith("# notes documentation") and "<!-- page: adr/index.md -->" in llms
    changes = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in changes
    # No <link rel="alternate"> autodiscovery: mkdocs-material reads every such link as another language's site
    # and fetches its sitemap.xml (a 404 and a console error on every page, seen in the browser tests).
    assert 'type="application/atom+xml"' not in (site / "index.html").read_text(encoding="utf-8")


def test_nothing_is_written_into_docs_dir(site: Path) -> None:
    docs = site.parent / "docs"
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) == [
        "adr/0001-use-sqlite.md", "guide.md", "index.md"]


def test_mermaid_js_from_outside_docs_is_published_and_loaded_first(tmp_path: Path) -> None:
    config = make_site(tmp_path / "notes", {"mermaid_js": "vendor/mermaid.min.js"})
    (config.parent / "vendor").mkdir()
    (config.parent / "vendor" / "mermaid.min.js").write_text("globalThis.mermaid = {pinned: true};\n")
    done = mkdocs_build(config)
    assert done.returncode == 0, done.stderr
    site = config.parent / "site"
    copied = site / "assets" / "javascripts" / "autodevhub" / "mermaid.min.js"
    assert copied.read_text() == "globalThis.mermaid = {pinned: true};\n"
    html = (site / "architecture" / "index.html").read_text(encoding="utf-8")
    ours = html.index('src="../assets/javascripts/autodevhub/mermaid.min.js"')
    assert ours > html.index("assets/javascripts/bundle.")  # material's bundle only reads the global later


def test_mermaid_js_url_and_wrong_path(tmp_path: Path) -> None:
    config = make_site(tmp_path / "notes", {"mermaid_js": "https://cdn.example.org/mermaid@11.4.1/mermaid.min.js"})
    assert mkdocs_build(config).returncode == 0
    html = (config.parent / "site" / "index.html").read_text(encoding="utf-8")
    assert 'src="https://cdn.example.org/mermaid@11.4.1/mermaid.min.js"' in html

    wrong = make_site(tmp_path / "other", {"mermaid_js": "vendor/missing.js"})
    done = mkdocs_build(wrong)
    assert done.returncode != 0
    assert "mermaid_js 'vendor/missing.js' is neither a URL nor a file" in done.stderr and "--> " in done.stderr
    assert "Traceback" not in done.stderr
