# `mkdocs serve` as MkDocs drives it (the config reloaded for every rebuild, the plugin instance kept because it
# defines on_startup). One fingerprint (reuse.fingerprint) decides: edits of files the pipeline does not read and
# custom template edits never rerun it; an edit of a tracked file, committed or not, does, so a reload shows it.
from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from tests.helpers import Repo
from tests.test_reading import make_site


def test_serve_computes_once_and_rerenders_custom_templates_without_the_pipeline(tmp_path: Path) -> None:
    custom = tmp_path / "notes" / "doc-templates"
    config_file = make_site(tmp_path / "notes", {"custom_templates": "doc-templates"})
    (custom / "stories").mkdir(parents=True)
    (custom / "stories" / "index.md.jinja").write_text("# User Stories\n\nVersion one of our stories page.\n")
    report_file = config_file.parent / ".cache" / "autodevhub" / "report.json"
    site = config_file.parent / "site"

    first = load_config(str(config_file))
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["autodevhub"]
    try:
        build(first)
        result, report_text = plugin.result, report_file.read_text()  # type: ignore[attr-defined]
        assert "Version one" in (site / "stories" / "index.html").read_text()

        # an edit of the user's own page that git does not track: a rebuild with a fresh config, the same plugin,
        # no pipeline run (the pipeline reads tracked files only)
        (config_file.parent / "docs" / "index.md").write_text("# Home\n\nEdited while serving.\n")
        second = load_config(str(config_file))
        assert second.plugins["autodevhub"] is plugin
        build(second)
        assert plugin.result is result  # type: ignore[attr-defined]
        assert report_file.read_text() == report_text  # run_build rewrites report.json on every run
        assert "Edited while serving" in (site / "index.html").read_text()

        # a custom template edit: the same documents rendered again, still no pipeline run (no sources, no LLM)
        (custom / "stories" / "index.md.jinja").write_text("# User Stories\n\nVersion two of our stories page.\n")
        third = load_config(str(config_file))
        build(third)
        assert plugin.result is not result and plugin.result.documents is result.documents  # type: ignore[attr-defined]
        assert plugin.result.report is result.report  # type: ignore[attr-defined]
        assert report_file.read_text() == report_text
        assert "Version two" in (site / "stories" / "index.html").read_text()

        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
        plugin.on_serve(server, config=third, builder=None)  # type: ignore[attr-defined]
        watched = set(server._watched_paths)
        assert str(custom) in watched
        assert not any(".cache" in path for path in watched)
    finally:
        first.plugins.on_shutdown()


def test_a_new_commit_reruns_the_pipeline_under_serve(tmp_path: Path) -> None:
    config_file = make_site(tmp_path / "notes")
    first = load_config(str(config_file))
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["autodevhub"]
    build(first)
    result = plugin.result  # type: ignore[attr-defined]
    repo = Repo(config_file.parent)  # `git init` again on an existing repository changes nothing
    repo.commit("Add a module", {"notes.py": "x = 1\n"})
    build(load_config(str(config_file)))
    assert plugin.result is not result and plugin.result.report["commit"] != result.report["commit"]  # type: ignore[attr-defined]


def test_an_uncommitted_readme_edit_shows_on_the_next_reload(tmp_path: Path) -> None:
    config_file = make_site(tmp_path / "notes")
    readme = config_file.parent / "README.md"
    page = config_file.parent / "site" / "architecture" / "index.html"
    first = load_config(str(config_file))
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["autodevhub"]
    try:
        build(first)
        before = plugin.result  # type: ignore[attr-defined]
        assert "encrypted vault" not in page.read_text()

        readme.write_text("# Notes\n\nNotes now live in an encrypted vault.\n")  # edited, not committed
        build(load_config(str(config_file)))
        edited = plugin.result  # type: ignore[attr-defined]
        assert edited is not before and edited.report["commit"] == before.report["commit"]
        assert "encrypted vault" in edited.pages["architecture/index.md"]
        assert "encrypted vault" in page.read_text()

        build(load_config(str(config_file)))  # nothing changed since: the result in memory is kept
        assert plugin.result is edited  # type: ignore[attr-defined]

        readme.write_text("# Notes\n\nNotes are kept as plain files.\n")  # a second edit of the same file
        build(load_config(str(config_file)))
        assert "plain files" in page.read_text() and "encrypted vault" not in page.read_text()
    finally:
        first.plugins.on_shutdown()
