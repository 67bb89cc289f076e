# Runs the real mermaid 11 parser (node + jsdom, from the npm packages in package.json) over diagram texts.
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKER = Path(__file__).resolve().parent / "mermaid_check.mjs"
_FENCE = re.compile(r"^```mermaid\n(.*?)^```", re.M | re.S)


def available() -> bool:
    """True when node and the mermaid + jsdom packages are installed (scripts/test installs them)."""
    return shutil.which("node") is not None and (ROOT / "node_modules" / "mermaid").is_dir() and (
        ROOT / "node_modules" / "jsdom").is_dir()


def require() -> None:
    """Fail (never skip) when the parser is missing: scripts/test installs it, so a missing one is a broken setup."""
    assert available(), "node with node_modules/mermaid and node_modules/jsdom is needed: run `npm ci` (scripts/test does)"


def parse_all(diagrams: Sequence[str]) -> list[str | None]:
    """Parse every diagram in one node process; None means it parsed, else the parser's message."""
    if not diagrams:
        return []
    if not available():
        raise RuntimeError("node_modules/mermaid is missing: run 'npm install' (scripts/test does it)")
    proc = subprocess.run(["node", str(CHECKER)], input=json.dumps(list(diagrams)), capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"mermaid checker failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def diagrams_in(markdown_pages: Iterable[str]) -> list[str]:
    """Extract the body of every ```mermaid fence."""
    return [m.group(1) for page in markdown_pages for m in _FENCE.finditer(page)]


def assert_all_parse(diagrams: Sequence[str]) -> None:
    """Fail with the diagram and the parser's message when any diagram does not parse."""
    for text, error in zip(diagrams, parse_all(diagrams), strict=True):
        assert error is None, f"mermaid rejected:\n{text}\n---\n{error}"
