# A rebuild with nothing changed reuses the last build's pages and says its warnings again; any change to what a
# build reads runs the pipeline again. Real `mkdocs build` runs on throwaway repositories; report.json says which
# kind of build it was.
from __future__ import annotations

import json
from pathlib import Path

from autodevhub_docs.reuse import fingerprint
from autodevhub_docs.settings import Settings
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml


def _build(config: Path) -> dict:
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return json.loads((config.parent / ".cache/autodevhub/report.json").read_text(encoding="utf-8"))


def _page(config: Path, uri: str = "architecture/index.html") -> str:
    return (config.parent / "site" / uri).read_text(encoding="utf-8")


def test_an_unchanged_rebuild_reuses_the_pages_and_a_changed_file_rebuilds(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root)
    first = _build(config)
    page = _page(config)
    second = _build(config)

    assert not first.get("reused") and second["reused"] is True
    assert second["pages"] == first["pages"] and second["commit"] == first["commit"]
    assert second["llm"]["calls"] == 0 and second["github"]["requests"] == 0
    assert _page(config) == page  # the same site, without running the pipeline
    assert "reused: nothing changed" in mkdocs_build(config).stderr

    # an uncommitted edit of a tracked file is read by the next build
    (sample_repo.root / "README.md").write_text("# Sample\n\nSample now keeps notes in a vault.\n", encoding="utf-8")
    third = _build(config)
    assert not third.get("reused")
    assert "keeps notes in a vault" in _page(config)

    # and so is a new commit
    sample_repo.commit("Add a store module", {"sample/store.py": "def save(note):\n    return note\n"})
    fourth = _build(config)
    assert not fourth.get("reused") and fourth["commit"] != first["commit"]
    assert f"Generated from commit <code>{fourth['commit'][:7]}</code>" in _page(config)


def test_options_and_templates_are_part_of_the_fingerprint(sample_repo: Repo, tmp_path: Path) -> None:
    base = Settings(repo_path=sample_repo.root, cache_dir=tmp_path / "cache")
    key = fingerprint(base)
    assert key is not None and fingerprint(base) == key
    assert fingerprint(base.with_changes(sections=("architecture",))) != key

    templates = tmp_path / "templates"
    (templates / "stories").mkdir(parents=True)
    (templates / "stories" / "index.md.jinja").write_text("# Stories\n", encoding="utf-8")
    custom = base.with_changes(custom_templates=templates)
    before = fingerprint(custom)
    (templates / "stories" / "index.md.jinja").write_text("# Stories, edited\n", encoding="utf-8")
    assert fingerprint(custom) != before


def test_builds_that_read_github_sync_first_and_builds_with_warnings_repeat_them(repo: Repo, sample_repo: Repo,
                                                                   tmp_path: Path) -> None:
    # Only a sync can tell whether issues changed, so a build that reads GitHub refreshes the snapshot before deciding.
    local = fingerprint(Settings(repo_path=sample_repo.root))
    assert local is not None and not local.reads_github
    explicit = fingerprint(Settings(repo_path=sample_repo.root, github_repo="acme/notes"))
    assert explicit is not None and explicit.reads_github
    sample_repo.git("remote", "add", "origin", "https://github.com/acme/notes.git")
    from_remote = fingerprint(Settings(repo_path=sample_repo.root))
    assert from_remote is not None and from_remote.reads_github

    # A build with warnings (here: a repository with no commits yet) is reused too, and says its warnings again,
    # so a `--strict` build fails on the reused pages exactly as it failed on the first.
    config = write_mkdocs_yml(repo.root)
    result = mkdocs_build(config, strict=False, quiet=False)
    assert result.returncode == 0, result.stderr
    report = json.loads((repo.root / ".cache/autodevhub/report.json").read_text(encoding="utf-8"))
    assert report["warnings"] and not report.get("reused")
    again = mkdocs_build(config, strict=True, quiet=False)
    reused = json.loads((repo.root / ".cache/autodevhub/report.json").read_text(encoding="utf-8"))
    assert reused.get("reused") is True and reused["warnings"] == report["warnings"]
    assert again.returncode != 0 and all(w in again.stderr for w in report["warnings"]), again.stderr


def test_changed_paths_keep_spaces_and_renames(repo: Repo) -> None:
    from autodevhub_docs.reuse import _changed_paths

    repo.commit("Add files", {"my notes.txt": "a\n", "old name.txt": "b\n"})
    (repo.root / "my notes.txt").write_text("edited\n", encoding="utf-8")
    repo.git("mv", "old name.txt", "new name.txt")
    status = repo.git("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no")

    assert sorted(_changed_paths(status)) == ["my notes.txt", "new name.txt", "old name.txt"]


def test_a_build_started_from_another_folder_is_still_reused(sample_repo: Repo) -> None:
    # The shell's PWD and OLDPWD change with every `cd`; they are no secrets, so they are not part of the fingerprint
    # (they used to be, through the secret-name rule, and an unchanged build then ran the whole pipeline again).
    config = write_mkdocs_yml(sample_repo.root)
    assert not _build(config).get("reused")
    elsewhere = {"PWD": str(sample_repo.root / "docs-folder"), "OLDPWD": "/a/folder/the/shell/came/from"}
    result = mkdocs_build(config, env=elsewhere)
    assert result.returncode == 0, result.stderr
    report = json.loads((config.parent / ".cache/autodevhub/report.json").read_text(encoding="utf-8"))
    assert report["reused"] is True

    # a secret that does change still counts
    changed = mkdocs_build(config, env={**elsewhere, "DEPLOY_TOKEN": "a-new-deploy-token-value"})
    assert changed.returncode == 0, changed.stderr
    report = json.loads((config.parent / ".cache/autodevhub/report.json").read_text(encoding="utf-8"))
    assert not report.get("reused")
