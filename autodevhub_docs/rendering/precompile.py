# The page templates compiled on the other core while the build does its other work. Jinja compiles a template's
# source into Python code the first time it is loaded, and keeps the result in the build's bytecode cache
# (`make_env(bytecode_dir=...)`), so only the first build with a cache pays for it: about 0.5 s for the 13 built-in
# templates here, at the end of a cold build, when the build runs on one core and the other sits idle. A child
# process started as the pipeline starts compiles them into that same cache, in the order opposite to the one the
# pages are rendered in, and the build loads each template from the cache if the child got there first, or compiles
# it itself if not (Jinja writes a cache file under a temporary name and renames it, so a file is whole or absent).
# First it works out what each page template reads of its context (`template_reads`, which the page digests need
# before any page is rendered) and leaves it beside the cache, with the digest of the templates it was worked out
# from; the build takes it when that digest is its own. Nothing waits for the child and nothing depends on it: it
# only ever saves the build parsing or compiling a template again.
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from autodevhub_docs.cores import cores

BYTECODE_FOLDER = "templates"
"""The template bytecode cache, under the build's `cache_dir`."""
READS_FILE = "reads.json"
"""What each page template reads (`TemplateReads.as_json`) and the templates' digest, in the bytecode cache."""


def compile_in_background(custom_templates: Path | None, bytecode_dir: Path) -> subprocess.Popen[bytes] | None:
    """Start compiling the templates into `bytecode_dir` in a child process, when it holds none yet.

    Args:
        custom_templates: The user's templates folder (compiled with the built-in ones it overrides), if any.
        bytecode_dir: The build's template bytecode cache (`make_env`'s `bytecode_dir`).

    Returns:
        The child process, or None when the cache is already filled or there is no second core to run it on.
    """
    if cores() < 2:
        return None
    try:
        if bytecode_dir.is_dir() and any(bytecode_dir.iterdir()):
            return None  # compiled by an earlier build: what changed since is compiled as it is loaded
    except OSError:
        return None
    args = [sys.executable, "-m", "autodevhub_docs.rendering.precompile", str(bytecode_dir)]
    if custom_templates is not None:
        args.append(str(custom_templates))
    try:
        child = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    # Held until it is seen to have ended (at the next start, as `mkdocs serve` builds again), so that it is reaped
    # rather than dropped while running.
    _running[:] = [*(c for c in _running if c.poll() is None), child]
    return child


_running: list[subprocess.Popen[bytes]] = []
"""The children started and not yet seen to have ended."""


def compile_all(bytecode_dir: Path, custom_templates: Path | None = None) -> list[str]:
    """Work out the page templates' reads, then compile every template into the bytecode cache, last rendered first.

    Returns:
        The names compiled. A template that does not compile is left to the build, which reports it.
    """
    import jinja2

    from autodevhub_docs.rendering.env import make_env
    from autodevhub_docs.rendering.template_reads import TemplateReads

    env = make_env(custom_templates, bytecode_dir=bytecode_dir)
    names = sorted((n for n in env.list_templates() if n.endswith(".jinja")), reverse=True)
    reads = TemplateReads(env)
    for name in names:
        if name.endswith(".md.jinja"):  # a page's template (the others are included by them)
            reads.of(name)
    with contextlib.suppress(OSError):
        partial = bytecode_dir / f"{READS_FILE}.{os.getpid()}.tmp"
        partial.write_text(json.dumps({"templates": reads.fingerprint(), "reads": reads.as_json()}), encoding="utf-8")
        partial.replace(bytecode_dir / READS_FILE)  # whole or absent, as Jinja's own cache files
    compiled: list[str] = []
    for name in names:
        try:
            env.get_template(name)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            continue
        compiled.append(name)
    return compiled


def precompiled_reads(bytecode_dir: Path, fingerprint: str) -> Any:
    """The reads the child worked out, when it worked them out from these templates (`fingerprint`), else None."""
    try:
        found = json.loads((bytecode_dir / READS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found.get("reads") if isinstance(found, dict) and found.get("templates") == fingerprint else None


if __name__ == "__main__":
    compile_all(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    sys.stdout.flush()
    os._exit(0)  # nothing to free: the templates are on disk
