# This repository's generated pages built with the real Zensical, exactly as the workflow that
# `init --engine zensical` writes builds them, then read in Debian's headless chromium: every Mermaid block is an
# SVG, the nav holds the generated sections in order, and search finds a generated page. Mermaid is served from
# the npm package on 127.0.0.1 (Zensical's unpkg request is answered locally); every other host is blocked.
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from autodevhub_docs.cli import main
from autodevhub_docs.engines.nav import NAV_TOML, NAV_YAML
from tests.browser_tools import (
    CHROMIUM,
    DIAGRAM_SVGS,
    DIAGRAMS_RENDERED,
    ERROR_PROBE,
    MERMAID_JS,
    OPEN_SHADOW_ROOTS,
    guard_requests,
    launch,
    serve_folder,
)
from tests.engines_tools import BIN, clone_this_repository, run_step, workflow_steps

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Not a silent skip in CI: scripts/test installs zensical (the [test] extra), chromium and the npm packages.
    assert shutil.which("zensical", path=str(BIN)), "zensical is missing: it is in the [test] extra"
    assert CHROMIUM.is_file(), "Debian's chromium is missing: scripts/test installs it (apt-get install chromium)"
    assert MERMAID_JS.is_file(), "node_modules/mermaid is missing: run `npm ci` (scripts/test does)"
    repo = clone_this_repository(tmp_path_factory.mktemp("zensical") / "autodevhub-docs")
    done = CliRunner().invoke(main, ["init", "--dir", str(repo), "--engine", "zensical", "--force"])
    assert done.exit_code == 0, done.output
    steps = workflow_steps(repo / ".github" / "workflows" / "docs.yml", "build")
    for name in ("Generate the pages", "Build the site"):
        run_step(steps[name], repo)
    return repo


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context()
    blocked = guard_requests(context, mermaid_file=MERMAID_JS)
    context.add_init_script(OPEN_SHADOW_ROOTS)  # Zensical draws diagrams and the search dialog in shadow roots
    context.add_init_script(ERROR_PROBE)
    yield context.new_page(), blocked
    context.close()


def generated_nav(repo: Path) -> list[dict[str, list[str]]]:
    return yaml.safe_load((repo / "docs" / "generated" / NAV_YAML).read_text(encoding="utf-8"))["nav"]


def page_url(uri: str) -> str:
    return uri.removesuffix("index.md").removesuffix(".md") + ("/" if not uri.endswith("index.md") else "")


def test_the_workflow_builds_every_generated_page(built: Path) -> None:
    site = built / "site"
    pages = sorted(p.relative_to(built / "docs").as_posix() for p in (built / "docs" / "generated").rglob("*.md"))
    sections = {uri.split("/")[1] for uri in pages}
    assert sections == {"architecture", "adr", "stories", "development", "changes"}, pages
    assert {f"generated/architecture/{name}.md" for name in ("index", "system-overview", "api-specification",
                                                            "database-schema", "deployment-architecture")} <= set(pages)
    for uri in pages:
        html = (site / page_url(uri) / "index.html").read_text(encoding="utf-8")
        assert "Generated from commit" in html, uri
        fences = (built / "docs" / uri).read_text(encoding="utf-8").count("```mermaid")
        assert html.count('<pre class="mermaid"><code>') == fences, uri
    assert (site / "generated" / "changes" / "feed.xml").is_file() and (site / "generated" / "llms.txt").is_file()
    assert not list(site.rglob(NAV_TOML)) and not list(site.rglob(NAV_YAML))  # the fragments are not published


def test_every_mermaid_block_renders_as_svg(built: Path, page: tuple[Any, list[str]]) -> None:
    tab, blocked = page
    with serve_folder(built / "site") as base:
        diagrams = 0
        for html in sorted((built / "site" / "generated").rglob("index.html")):
            expected = html.read_text(encoding="utf-8").count('<pre class="mermaid">')
            if not expected:
                continue
            tab.goto(base + html.parent.relative_to(built / "site").as_posix() + "/")
            tab.wait_for_function(DIAGRAMS_RENDERED, arg=expected, timeout=60_000)
            assert tab.evaluate("window.__pageErrors") == [], html
            svgs = tab.evaluate(DIAGRAM_SVGS)
            assert len(svgs) == expected and all(svg and svg["role"] for svg in svgs), (html, svgs)
            diagrams += expected
    assert diagrams >= 4  # system overview, components, deployment, ADR timeline...
    assert not [url for url in blocked if "mermaid" in url]


def test_the_nav_holds_the_generated_sections_in_order(built: Path, page: tuple[Any, list[str]]) -> None:
    tab, _ = page
    nav = generated_nav(built)
    with serve_folder(built / "site") as base:
        tab.goto(base)
        titles = tab.evaluate("""() => [...document.querySelectorAll('nav.md-nav--primary > ul > li')]
            .map(li => li.querySelector('.md-ellipsis').textContent.trim())""")
        assert titles == ["Home", "Architecture", "Decisions", "User Stories", "Development", "Changes"]
        assert titles[1:] == [next(iter(entry)) for entry in nav]
        decisions = tab.evaluate("""() => [...document.querySelectorAll('nav.md-nav--primary > ul > li')][2]
            .querySelectorAll('a.md-nav__link')""" + ".length")
    adr_pages = next(entry["Decisions"] for entry in nav if "Decisions" in entry)
    assert decisions == len(adr_pages)  # the section index and one entry per ADR


def test_search_finds_a_generated_page(built: Path, page: tuple[Any, list[str]]) -> None:
    tab, _ = page
    # a page below the section index: this repository's history has no decision that needs a full record
    target = next(entry["Architecture"] for entry in generated_nav(built) if "Architecture" in entry)[1]
    lines = (built / "docs" / target).read_text(encoding="utf-8").splitlines()
    title = next(line.removeprefix("# ") for line in lines if line.startswith("# "))
    with serve_folder(built / "site") as base:
        tab.goto(base)
        tab.click(".md-search__button")
        tab.locator("dialog input").fill(title)
        result = tab.locator("dialog a", has_text=title).first
        result.wait_for(timeout=30_000)
        href = result.get_attribute("href")
    assert href.split("?")[0] == base + page_url(target), href


def test_zensical_strict_really_fails_on_a_broken_link(built: Path, tmp_path: Path) -> None:
    # the build step's --strict means something: a generated folder with a dangling link fails it
    broken = tmp_path / "site-copy"
    shutil.copytree(built, broken, ignore=shutil.ignore_patterns("site", ".git", "node_modules", ".venv*"))
    (broken / "docs" / "index.md").write_text("# Home\n\n[gone](generated/no-such-page.md)\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "zensical"), "build", "--strict", "-f", "zensical.site.toml"], cwd=broken,
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode != 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "page does not exist" in output and "Aborted because --strict flag is set" in output
