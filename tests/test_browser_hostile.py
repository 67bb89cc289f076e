# A site built from a hostile repository (commit messages, file names, README, ADR file names and titles; and,
# once the issue export source exists, a hostile issue set) opened in real headless Chromium: no script runs
# (no dialog opens), no event handler or javascript: link exists, and nothing is fetched from outside 127.0.0.1.
from __future__ import annotations

import functools
import html
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests import mermaid as mermaid_checker
from tests.browser_tools import CHROMIUM, MERMAID_JS, require_browser_tools
from tests.helpers import Repo, build_in_process, write_mkdocs_yml

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

PAYLOADS = [
    "<script>alert('script')</script>", "<img src=x onerror=alert('img')>", "[click](javascript:alert('link'))",
    "<javascript:alert('autolink')>", "[ref][r]\n\n[r]: javascript:alert('ref')", "<svg onload=alert('svg')>",
    "![t](http://198.51.100.7/track.png)", '--8<-- "/etc/passwd"', "{{ config.site_name }}", "{% raw %}x",
    "@octocat please look", "\u202egnp.exe", "x\x00y\x1b[31m", "%%{init: {'securityLevel': 'loose'}}%%",
    "click n0 call alert('mermaid')", '"><iframe src=javascript:alert(\'iframe\')>', "{: onclick=alert('attr') }",
]


def hostile_repo(root: Path) -> Repo:
    repo = Repo(root)
    readme = "# Hostile <script>alert('readme')</script>\n\n" + "\n\n".join(p.replace("\n", " ") for p in PAYLOADS) + \
        "\n\n## Installation\n\n```bash\n--8<-- \"/etc/passwd\"\necho {{ config }} </code><script>alert('fence')</script>\n```\n"
    repo.commit("Initial commit", {
        "README.md": readme,
        "pyproject.toml": "[project]\nname = 'hostile'\n",
        "app/__init__.py": "",
        "app/<img src=x onerror=alert('file')>.py": "x = 1\n",
        "app/javascript:alert('name').py": "y = 2\n",
        "app/{{ config }}.py": "z = 3\n",
        "app/@octocat.py": "w = 4\n",
        "doc/adr/javascript:alert('adr').md": "# 1. Use a plain title\n\n## Status\n\nAccepted\n",
        "doc/adr/0002-hostile.md": "# 2. Use {{ config.site_name }} &amp; @octocat (see #12) *now*\n\n## Status\n\n"
                                   "Accepted\n",
    }, date="2024-01-01T10:00:00+00:00")
    for index, payload in enumerate(PAYLOADS):
        message = f"{payload}\n\nBody {payload}".replace("\x00", "")  # git refuses NUL; all else goes in
        repo.commit(message, {f"app/m{index}.py": f"v = {index}\n"},
                    date=f"2024-02-{index + 1:02d}T10:00:00+00:00",
                    author=(f"Mallory {payload[:20]}".replace("\n", " ").replace("\x00", ""), "m@example.com"))
    return repo


def build_site(root: Path, plugin: dict[str, object] | None = None) -> Path:
    repo = hostile_repo(root)
    # Self-hosted mermaid (a global `mermaid` stops mkdocs-material from loading it from unpkg) and no web fonts,
    # so that any request leaving 127.0.0.1 can only come from the content.
    (repo.root / "docs" / "js").mkdir(parents=True)
    shutil.copy(MERMAID_JS, repo.root / "docs" / "js" / "mermaid.min.js")
    config = write_mkdocs_yml(repo.root, {"llm": "offline", **(plugin or {})},
                              extra={"theme": {"name": "material", "font": False},
                                     "extra_javascript": ["js/mermaid.min.js"]})
    build_in_process(config, strict=False)
    return repo.root / "site"


@pytest.fixture
def serve() -> Iterator[callable]:  # type: ignore[valid-type]
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def check_in_browser(site: Path, base_url: str) -> dict[str, list[str]]:
    require_browser_tools()
    from playwright import sync_api as playwright_api
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    found: dict[str, list[str]] = {"dialogs": [], "outside": [], "handlers": [], "script_links": []}
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()

            def route(route_: object) -> None:
                url = route_.request.url  # type: ignore[attr-defined]
                if url.startswith(base_url) or url.startswith(("data:", "blob:", "about:")):
                    route_.continue_()  # type: ignore[attr-defined]
                else:
                    found["outside"].append(url)
                    route_.abort()  # type: ignore[attr-defined]

            context.route("**/*", route)
            page = context.new_page()
            page.on("dialog", lambda dialog: (found["dialogs"].append(f"{dialog.message}"), dialog.dismiss()))
            for uri in pages:
                page.goto(base_url + uri, wait_until="load")
                page.wait_for_load_state("networkidle")
                bad = page.evaluate("""() => {
                    const out = {handlers: [], links: []};
                    for (const el of document.querySelectorAll('article *')) {
                        for (const a of el.attributes) {
                            if (a.name.startsWith('on')) out.handlers.push(el.tagName + ' ' + a.name);
                            if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(a.name) &&
                                /^\\s*(javascript|data|vbscript):/i.test(a.value)) out.links.push(a.value);
                        }
                    }
                    return out;
                }""")
                found["handlers"] += [f"{uri}: {h}" for h in bad["handlers"]]
                found["script_links"] += [f"{uri}: {h}" for h in bad["links"]]
        finally:
            browser.close()
    return found


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_repository_site_runs_no_script_and_fetches_nothing_outside(tmp_path: Path, serve) -> None:
    require_browser_tools()
    site = build_site(tmp_path / "hostile")
    markdown_pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    assert any("click n0 call alert('mermaid')" in html.unescape(t) for t in markdown_pages.values()), \
        "the hostile commit subjects must be on the site, as text"
    for path, text in markdown_pages.items():
        assert "root:x:0:0" not in text, f"snippet include in {path}"
        assert not re.search(r"<script>alert|<img src=\"?x\"? onerror|<svg onload|<iframe", text), path
        assert "Test site</p>" not in text  # {{ config.site_name }} was not evaluated
    found = check_in_browser(site, serve(site))
    assert found == {"dialogs": [], "outside": [], "handlers": [], "script_links": []}


@pytest.mark.mermaid
def test_hostile_repository_diagrams_parse(tmp_path: Path) -> None:
    mermaid_checker.require()
    from autodevhub_docs import pipeline
    from autodevhub_docs.settings import from_options

    repo = hostile_repo(tmp_path / "hostile")
    result = pipeline.run_build(from_options({"llm": "offline"}, base_dir=repo.root))
    diagrams = mermaid_checker.diagrams_in(result.pages.values())
    assert diagrams
    mermaid_checker.assert_all_parse(diagrams)
    for diagram in diagrams:
        assert "%%" not in diagram and "<script" not in diagram.lower()


def hostile_issues() -> list[dict[str, object]]:
    return [{"number": n + 1, "title": payload, "body": f"{payload}\n\n{payload}", "state": "OPEN",
             "labels": [{"name": "bug"}], "author": {"login": "mallory"}, "createdAt": "2024-03-01T10:00:00Z",
             "closedAt": None, "url": f"https://github.com/o/r/issues/{n + 1}",
             "comments": [{"author": {"login": "eve"}, "body": payload, "createdAt": "2024-03-02T10:00:00Z"}]}
            for n, payload in enumerate(PAYLOADS)]


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_issue_set_site_runs_no_script(tmp_path: Path, serve) -> None:
    require_browser_tools()
    export = tmp_path / "issues.json"
    export.write_text(json.dumps(hostile_issues()), encoding="utf-8")
    site = build_site(tmp_path / "hostile", {"issues_file": str(export)})
    found = check_in_browser(site, serve(site))
    assert found == {"dialogs": [], "outside": [], "handlers": [], "script_links": []}
