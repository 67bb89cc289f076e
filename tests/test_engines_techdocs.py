# Backstage TechDocs: this repository scaffolded with `init --backstage` and built with the real mkdocs-techdocs-core
# (`plugins: [techdocs-core, autodevhub]`, --strict) in .venv-techdocs, the environment scripts/test creates with
# `pip install -e . mkdocs-techdocs-core` (so that command resolving is part of the suite). Backstage strips the
# page's JavaScript; the TechDocs Mermaid add-on then draws every `.mermaid` element that has a `code` child
# (backstage-plugin-techdocs-addon-mermaid, dist/Mermaid/Mermaid.esm.js). The browser test does exactly that with
# the real mermaid package, on the built pages with their own scripts removed.
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from autodevhub_docs.cli import main
from tests.browser_tools import CHROMIUM, MERMAID_JS, guard_requests, launch, serve_folder
from tests.engines_tools import ROOT, clone_this_repository

pytestmark = pytest.mark.slow
TECHDOCS_BIN = ROOT / ".venv-techdocs" / "bin"

# What the add-on does for each `.mermaid` block with a `code` child: mermaid.render(id, code.textContent).
ADDON_RENDER = """
async () => {
  mermaid.initialize({startOnLoad: false, suppressErrorRendering: true});
  const results = [];
  let n = 0;
  for (const block of document.querySelectorAll(".mermaid")) {
    const code = block.querySelector("code");
    if (!code) { results.push({error: "no code element"}); continue; }
    try {
      const {svg} = await mermaid.render(`mermaid-${n++}`, code.textContent);
      results.push({svg: svg.startsWith("<svg"), role: /aria-roledescription="([^"]+)"/.exec(svg)?.[1]});
    } catch (e) { results.push({error: String(e && e.message || e)}); }
  }
  return results;
}
"""


def techdocs_build(config: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": "",
           "GITHUB_REPOSITORY": ""}
    return subprocess.run([str(TECHDOCS_BIN / "mkdocs"), "build", "--strict", "-f", str(config),
                           *(["-d", str(site)] if site else [])],
                          cwd=config.parent, env=env, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Not a silent skip in CI: scripts/test creates .venv-techdocs.
    assert (TECHDOCS_BIN / "mkdocs").is_file(), "run scripts/test: it creates .venv-techdocs with techdocs-core"
    repo = clone_this_repository(tmp_path_factory.mktemp("techdocs") / "autodevhub-docs")
    done = CliRunner().invoke(main, ["init", "--dir", str(repo), "--backstage", "--force"])
    assert done.exit_code == 0, done.output
    result = techdocs_build(repo / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return repo


def test_the_package_installs_next_to_techdocs_core_without_conflict() -> None:
    assert (TECHDOCS_BIN / "pip").is_file(), "run scripts/test: it creates .venv-techdocs with techdocs-core"
    check = subprocess.run([str(TECHDOCS_BIN / "pip"), "check"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout
    listed = subprocess.run([str(TECHDOCS_BIN / "pip"), "list", "--format=json"], capture_output=True, text=True,
                            check=True)
    versions = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}
    assert {"mkdocs-techdocs-core", "autodevhub-docs", "pymdown-extensions"} <= set(versions)


def test_techdocs_core_builds_every_generated_page_strict(built: Path) -> None:
    site = built / "site"
    assert (site / "techdocs_metadata.json").is_file()  # techdocs-core really ran
    report = json.loads((built / ".cache" / "autodevhub" / "report.json").read_text(encoding="utf-8"))
    assert {uri.split("/")[0] for uri in report["pages"]} == {"architecture", "adr", "stories", "development",
                                                               "changes"}, report["pages"]
    for uri in report["pages"]:
        folder = uri.removesuffix("index.md") if uri.endswith("index.md") else uri.removesuffix(".md") + "/"
        html = (site / folder / "index.html").read_text(encoding="utf-8")
        assert "Generated from commit" in html, uri
    assert (site / "llms.txt").is_file() and (site / "changes" / "feed.xml").is_file()


def test_every_diagram_is_the_markup_the_mermaid_addon_reads(built: Path) -> None:
    diagrams = 0
    for html_file in (built / "site").rglob("index.html"):
        html = html_file.read_text(encoding="utf-8")
        diagrams += html.count('<pre class="mermaid"><code>')
        assert "language-mermaid" not in html, html_file  # no diagram left as a highlighted code block
    assert diagrams >= 4


def test_without_the_fence_techdocs_strict_fails_on_the_plugin_warning(built: Path, tmp_path: Path) -> None:
    # techdocs-core alone configures no mermaid fence: then diagrams would stay code, and the plugin says so
    config = built / "mkdocs-without-fence.yml"
    config.write_text((built / "mkdocs.yml").read_text(encoding="utf-8").split("markdown_extensions:")[0],
                      encoding="utf-8")
    done = techdocs_build(config, tmp_path / "site")
    assert done.returncode != 0
    assert "no mermaid fence" in done.stderr


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), "Debian's chromium is missing: scripts/test installs it"
    assert MERMAID_JS.is_file(), "node_modules/mermaid is missing: run `npm ci` (scripts/test does)"
    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


@pytest.mark.browser
def test_the_mermaid_addon_draws_every_diagram_without_the_page_scripts(built: Path, browser: Any) -> None:
    context = browser.new_context()
    blocked = guard_requests(context)
    context.route("**/*.js", lambda route: route.abort())  # Backstage removes the page's JavaScript
    tab = context.new_page()
    drawn = 0
    with serve_folder(built / "site") as base:
        for html_file in sorted((built / "site").rglob("index.html")):
            expected = html_file.read_text(encoding="utf-8").count('<pre class="mermaid">')
            if not expected:
                continue
            tab.goto(base + html_file.parent.relative_to(built / "site").as_posix() + "/")
            assert tab.evaluate("typeof mermaid") == "undefined"  # the theme's loader did not run
            tab.add_script_tag(content=MERMAID_JS.read_text(encoding="utf-8"))
            results = tab.evaluate(ADDON_RENDER)
            assert len(results) == expected and all(r.get("svg") and r.get("role") for r in results), \
                (html_file, results)
            drawn += expected
    context.close()
    assert drawn >= 4
    assert not [url for url in blocked if "mermaid" in url]
