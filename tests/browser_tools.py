# Helpers to look at a built site in Debian's headless chromium through playwright: a 127.0.0.1 file server,
# a browser launch that never downloads anything, and a request guard that keeps every page air-gapped.
from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

# Material renders each diagram into a *closed* shadow root; tests open it so they can see the SVG inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
"""

# Page errors (a diagram mermaid rejects is an unhandled rejection) recorded where a wait can see them.
ERROR_PROBE = """
window.__pageErrors = [];
addEventListener("error", e => window.__pageErrors.push(String(e.message)));
addEventListener("unhandledrejection", e => window.__pageErrors.push(String(e.reason && e.reason.message || e.reason)));
"""

# Done when every diagram is an SVG, or as soon as the page reports an error (the test then shows the error).
DIAGRAMS_RENDERED = """
(expected) => {
  const hosts = [...document.querySelectorAll("div.mermaid")];
  const done = hosts.length >= expected && hosts.every(h => h.shadowRoot && h.shadowRoot.querySelector("svg"));
  return done || window.__pageErrors.length > 0;
}
"""

DIAGRAM_SVGS = """
() => [...document.querySelectorAll("div.mermaid")].map(h => {
  const svg = h.shadowRoot && h.shadowRoot.querySelector("svg");
  return svg ? {role: svg.getAttribute("aria-roledescription"), text: svg.textContent} : null;
})
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        """Keep test output clean."""


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 (random port) and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def require_browser_tools() -> None:
    """Fail (never skip) when the browser tools are missing: scripts/test installs them, so CI always has them."""
    import importlib.util

    assert CHROMIUM.is_file(), "Debian's chromium is missing: scripts/test installs it (apt-get install chromium)"
    assert MERMAID_JS.is_file(), "node_modules/mermaid is missing: run `npm ci` (scripts/test does)"
    assert importlib.util.find_spec("playwright") is not None, "playwright is missing: pip install -e '.[test]'"


def launch(playwright: Any) -> Any:
    """Start Debian's chromium (never a downloaded browser build)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def guard_requests(context: Any, *, mermaid_file: Path | None = None) -> list[str]:
    """Block (and record) every request that leaves 127.0.0.1.

    Args:
        context: A playwright browser context.
        mermaid_file: If given, material's unpkg mermaid request is answered from this file instead (used for
            screenshots of a site built without `mermaid_js`); the request is then not recorded.

    Returns:
        The list the blocked URLs are appended to.
    """
    blocked: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if host == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        elif mermaid_file is not None and host == "unpkg.com" and url.endswith("/mermaid.min.js"):
            route.fulfill(path=str(mermaid_file), content_type="application/javascript")
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    return blocked

