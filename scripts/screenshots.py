#!/usr/bin/env python3
# Regenerates docs-assets/screenshots/*.png: builds this repository's own docs site (offline), serves it on
# 127.0.0.1 and photographs the main pages in Debian's headless chromium (mermaid answered from node_modules).
# Usage: .venv/bin/python scripts/screenshots.py   (after `bash scripts/test` or `npm ci` + the [test] extra)
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_tools import (  # noqa: E402 - the repository root is put on sys.path first
    DIAGRAMS_RENDERED,
    MERMAID_JS,
    OPEN_SHADOW_ROOTS,
    guard_requests,
    launch,
    serve_folder,
)

PAGES = {
    "home": "",
    "architecture": "architecture/",
    "system-overview": "architecture/system-overview/",
    "decisions": "adr/",
    "changes": "changes/",
}
DIAGRAM_SHOTS = {"architecture-diagram": "architecture/", "how-it-works": "how-it-works/"}
"""Pages photographed with their first diagram scrolled into view."""
OUT = ROOT / "docs-assets" / "screenshots"


def main() -> int:
    """Build the site, then save one PNG per main page."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autodevhub-shots-") as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANTHROPIC_API_KEY": ""}
        mkdocs = Path(sys.executable).parent / "mkdocs"
        subprocess.run([str(mkdocs), "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                       check=True, env=env, cwd=ROOT)
        with serve_folder(site) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
            context.add_init_script(OPEN_SHADOW_ROOTS)
            guard_requests(context, mermaid_file=MERMAID_JS)  # fonts fall back to local ones
            for name, url in {**PAGES, **DIAGRAM_SHOTS}.items():
                html = (site / url / "index.html").read_text(encoding="utf-8")
                page = context.new_page()
                page.goto(base + url, wait_until="load")
                expected = len(re.findall(r'<pre class="mermaid">', html))
                if expected:
                    page.wait_for_function(DIAGRAMS_RENDERED, arg=expected, timeout=30_000)
                if name in DIAGRAM_SHOTS and expected:
                    page.evaluate("document.querySelector('div.mermaid').scrollIntoView({block: 'center'})")
                    page.wait_for_timeout(600)  # let the header finish its title cross-fade (a picture, not a test)
                page.screenshot(path=str(OUT / f"{name}.png"))
                page.close()
                print(f"saved {OUT / f'{name}.png'}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
