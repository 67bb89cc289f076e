"""`mkdocs serve` reloads: what a page edit and a custom-template edit cost compared with the first build.

Drives MkDocs as `mkdocs serve` does (a fresh config per rebuild, the plugin instance kept because it defines
on_startup) on a generated repository, and counts pipeline runs by report.json rewrites.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from tests.helpers import Repo, write_mkdocs_yml


def _timed(fn):
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(quick: bool) -> dict:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    modules = 40 if quick else 400
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        repo = Repo(Path(tmp) / "app")
        files = {f"app/module_{i:03d}.py": f"import os\n\ndef f{i}():\n    return {i}\n" for i in range(modules)}
        repo.commit("Initial commit", {"README.md": "# App\n\nAn app.\n", **files})
        config_file = write_mkdocs_yml(repo.root, {"llm": "offline", "custom_templates": "tpl"},
                                       docs={"index.md": "# Home\n", "guide.md": "# Guide\n"})
        (repo.root / "tpl" / "stories").mkdir(parents=True)
        (repo.root / "tpl" / "stories" / "index.md.jinja").write_text("# User Stories\n\nOne.\n")
        report = repo.root / ".cache" / "autodevhub" / "report.json"

        first = load_config(str(config_file))
        first.plugins.on_startup(command="serve", dirty=False)
        plugin = first.plugins["autodevhub"]
        t_first = _timed(lambda: build(first))
        stamp = report.stat().st_mtime_ns

        (repo.root / "docs" / "guide.md").write_text("# Guide\n\nEdited.\n")
        t_page = _timed(lambda: build(load_config(str(config_file))))
        runs_page = int(report.stat().st_mtime_ns != stamp)

        (repo.root / "tpl" / "stories" / "index.md.jinja").write_text("# User Stories\n\nTwo.\n")
        t_template = _timed(lambda: build(load_config(str(config_file))))
        runs_template = int(report.stat().st_mtime_ns != stamp)
        rerendered = "Two." in (repo.root / "site" / "stories" / "index.html").read_text()
        first.plugins.on_shutdown()
        del plugin

    ok = runs_page == 0 and runs_template == 0 and rerendered
    return {
        "title": "mkdocs serve reloads",
        "rows": [
            ["repository modules", modules],
            ["first build (pipeline + MkDocs)", f"{t_first:.2f} s"],
            ["rebuild after editing one of your pages", f"{t_page:.2f} s ({t_page / t_first:.0%} of the first)"],
            ["pipeline runs for that rebuild (target 0)", runs_page],
            ["rebuild after editing a custom template", f"{t_template:.2f} s ({t_template / t_first:.0%} of the first)"],
            ["pipeline runs for that rebuild (target 0)", runs_template],
            ["template change visible in the site", "yes" if rerendered else "**no**"],
        ],
        "notes": "A pipeline run rewrites report.json; the counts compare its modification time before and after.",
        "ok": ok,
    }
