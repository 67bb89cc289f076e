"""`mkdocs serve` reloads: what each kind of edit costs compared with the first build, and whether it shows.

Drives MkDocs as `mkdocs serve` does (a fresh config per rebuild, the plugin instance kept because it defines
on_startup) on a generated repository, and counts pipeline runs by report.json rewrites. One fingerprint
(autodevhub_docs/reuse.py) decides: an edit of a file the pipeline does not read (a page git does not track) or
of a custom template reruns nothing; an edit of a tracked file, committed or not (a tracked page, the README),
reruns the pipeline, because what a fresh build would show may have changed (its text, its line counts).
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


def _runs(report: Path, stamp: int) -> tuple[int, int]:
    """(pipeline runs since `stamp`, the new stamp): a run rewrites report.json."""
    now = report.stat().st_mtime_ns
    return int(now != stamp), now


def run(quick: bool) -> dict:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    modules = 40 if quick else 400
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        repo = Repo(Path(tmp) / "app")
        files = {f"app/module_{i:03d}.py": f"import os\n\ndef f{i}():\n    return {i}\n" for i in range(modules)}
        repo.commit("Initial commit", {"README.md": "# App\n\nAn app that does a handful of things.\n", **files})
        config_file = write_mkdocs_yml(repo.root, {"llm": "offline", "custom_templates": "tpl"},
                                       docs={"index.md": "# Home\n", "guide.md": "# Guide\n"})
        repo.git("add", "docs/guide.md")  # the guide is tracked, as most sites' pages are; the home page is not
        repo.git("commit", "-q", "-m", "Add the guide")
        (repo.root / "tpl" / "stories").mkdir(parents=True)
        (repo.root / "tpl" / "stories" / "index.md.jinja").write_text("# User Stories\n\nOne.\n")
        report = repo.root / ".cache" / "autodevhub" / "report.json"
        site = repo.root / "site"

        first = load_config(str(config_file))
        first.plugins.on_startup(command="serve", dirty=False)
        t_first = _timed(lambda: build(first))
        stamp = report.stat().st_mtime_ns

        def rebuild_after(path: Path, text: str) -> tuple[float, int]:
            nonlocal stamp
            path.write_text(text)
            seconds = _timed(lambda: build(load_config(str(config_file))))
            runs, stamp = _runs(report, stamp)
            return seconds, runs

        t_untracked, runs_untracked = rebuild_after(repo.root / "docs" / "index.md", "# Home\n\nEdited.\n")
        t_template, runs_template = rebuild_after(repo.root / "tpl" / "stories" / "index.md.jinja",
                                                  "# User Stories\n\nTwo.\n")
        template_shown = "Two." in (site / "stories" / "index.html").read_text()
        t_tracked, runs_tracked = rebuild_after(repo.root / "docs" / "guide.md", "# Guide\n\nEdited.\n")
        t_readme, runs_readme = rebuild_after(repo.root / "README.md",
                                              "# App\n\nAn app that now keeps its notes in a vault.\n")
        readme_shown = "keeps its notes in a vault" in (site / "architecture" / "index.html").read_text()
        first.plugins.on_shutdown()

    ok = (runs_untracked, runs_template, runs_tracked, runs_readme) == (0, 0, 1, 1) and template_shown and readme_shown

    def share(seconds: float) -> str:
        return f"{seconds:.2f} s ({seconds / t_first:.0%} of the first)"

    def target(runs: int, wanted: int) -> str:
        return f"{runs} (target {wanted}){'' if runs == wanted else ' MISSED'}"

    return {
        "title": "mkdocs serve reloads",
        "rows": [
            ["repository modules", modules],
            ["first build (pipeline + MkDocs)", f"{t_first:.2f} s"],
            ["rebuild after editing a page git does not track", share(t_untracked)],
            ["pipeline runs for that rebuild", target(runs_untracked, 0)],
            ["rebuild after editing a custom template", share(t_template)],
            ["pipeline runs for that rebuild (the documents are rendered again)", target(runs_template, 0)],
            ["template change visible in the site", "yes" if template_shown else "**no** MISSED"],
            ["rebuild after editing a tracked page (not committed)", share(t_tracked)],
            ["pipeline runs for that rebuild", target(runs_tracked, 1)],
            ["rebuild after editing the README (not committed)", share(t_readme)],
            ["pipeline runs for that rebuild", target(runs_readme, 1)],
            ["README change visible in the site", "yes" if readme_shown else "**no** MISSED"],
        ],
        "notes": "A pipeline run rewrites report.json; the counts compare its modification time before and after "
                 "each rebuild. A rerun under serve never calls Claude (answers come from the cache or the offline "
                 "writer), so its cost is reading and analysing the repository again.",
        "ok": ok,
    }
