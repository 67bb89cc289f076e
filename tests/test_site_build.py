from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.settings import from_mkdocs_yml
from tests.helpers import Repo, build_in_process, mkdocs_build, write_mkdocs_yml

CONTRACT_PAGES = [
    "architecture/index.md", "architecture/system-overview.md", "architecture/api-specification.md",
    "architecture/database-schema.md", "architecture/deployment-architecture.md", "adr/index.md", "stories/index.md",
    "development/setup-guide.md", "development/deployment.md", "changes/index.md",
]


def _generate(config: Path) -> pipeline.BuildResult:
    return pipeline.run_build(from_mkdocs_yml(config).with_changes(docs_dir=None))


def _assert_no_debris(text: str) -> None:
    assert "None" not in re.sub(r"`[^`]*`", "", text), text
    assert "{{" not in text and "{%" not in text
    assert not re.search(r"\|---[|:-]*\|\n(?!\|)", text), f"empty table in:\n{text}"


def test_strict_build_produces_every_contract_page(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    for uri in CONTRACT_PAGES:
        html = site / uri.replace("index.md", "index.html").replace(".md", "/index.html").replace(
            "/index/index.html", "/index.html")
        assert html.is_file(), uri
    report = json.loads((sample_repo.root / ".cache/autodevhub/report.json").read_text())
    assert report["mode"] == "offline"
    assert report["commit"] == sample_repo.git("rev-parse", "HEAD").strip()
    assert set(CONTRACT_PAGES) <= set(report["pages"])
    assert report["llm"]["calls"] == 0 and report["warnings"] == []
    assert set(report["durations_s"]) == {"sources", "analysis", "generation", "total"}
    # Pages are generated, never written into the docs folder.
    assert sorted(p.name for p in (sample_repo.root / "docs").rglob("*.md")) == [
        "0001-record-architecture-decisions.md", "0002-use-sqlite.md", "index.md"]


def test_architecture_page_states_what_the_repository_shows(sample_repo: Repo) -> None:
    pages = _generate(write_mkdocs_yml(sample_repo.root)).pages
    index = pages["architecture/index.md"]
    assert index.startswith("# System Architecture\n")
    assert "Sample is a tiny service that stores notes and serves them over HTTP." in index
    assert "| Python | 3 | 6 |" in index
    assert "| sample | package | Python | 2 | 2 |" in index
    assert "| Test files | 1 |" in index
    assert "`.github/workflows/ci.yml`" in index and "`pyproject.toml`" in index
    assert "4 commits from 2024-01-05 to 2024-04-01 by 2 contributors." in index
    assert "| Ada Lovelace | 3 | 2024-01-05 | 2024-04-01 |" in index
    assert "`v0.2.0` (2024-04-01)" in index
    assert "ada@example.com" not in index  # emails are never published
    assert "```mermaid\nflowchart TB" in index
    for uri in CONTRACT_PAGES:
        _assert_no_debris(pages[uri])
        assert f"Generated from commit `{sample_repo.git('rev-parse', '--short=7', 'HEAD').strip()}`" in pages[uri]


def test_handwritten_adrs_are_listed_and_included_verbatim(sample_repo: Repo, tmp_path: Path) -> None:
    # Outside the docs folder (CLI generate), the records are copied verbatim next to the index.
    pages = _generate(write_mkdocs_yml(sample_repo.root)).pages
    original = (sample_repo.root / "docs/adr/0002-use-sqlite.md").read_text()
    assert pages["adr/0002-use-sqlite.md"] == original
    index = pages["adr/index.md"].replace("\\-", "-")
    assert "| 0001 | [Record architecture decisions](<0001-record-architecture-decisions.md>) | Accepted | 2024-03-01 |" \
        in index
    assert "| 0002 | [Use SQLite for storage](<0002-use-sqlite.md>) | accepted | 2024-03-15 |" in index
    # The workflow added in history says nothing beyond its diff: a minor change, not a numbered record.
    assert "| Use GitHub Actions for continuous integration | " in index and "| 0003 |" not in index


def test_handwritten_adrs_inside_docs_are_not_duplicated(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root)
    site = build_in_process(config)
    html = (site / "adr/0001-record-architecture-decisions/index.html").read_text()
    assert "We will use ADRs." in html
    result = pipeline.run_build(from_mkdocs_yml(config))
    assert "adr/0001-record-architecture-decisions.md" not in result.pages  # already part of the site


def test_sections_without_data_say_so_in_one_line(repo: Repo) -> None:
    repo.commit("init", {"main.go": "package main\n\nfunc main() {}\n"})
    pages = _generate(write_mkdocs_yml(repo.root)).pages
    assert "No HTTP endpoints were found" in pages["architecture/api-specification.md"]
    assert "No data model" in pages["architecture/database-schema.md"]
    assert "No container, orchestration or CI/CD configuration was found" in pages[
        "architecture/deployment-architecture.md"]
    assert "No decision records were found" in pages["adr/index.md"]
    assert "No issues were available" in pages["stories/index.md"]
    assert "| Go | 1 | 3 |" in pages["architecture/index.md"]
    for text in pages.values():
        _assert_no_debris(text)


def test_sections_option_limits_the_pages(sample_repo: Repo) -> None:
    pages = _generate(write_mkdocs_yml(sample_repo.root, {"sections": ["adr"]})).pages
    assert sorted(pages) == ["adr/0001-record-architecture-decisions.md", "adr/0002-use-sqlite.md",
                             "adr/index.md", "llms.txt"]


def test_disabled_plugin_generates_nothing(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"enabled": False})
    site = build_in_process(config)
    assert not (site / "architecture").exists()


def test_explicit_nav_gets_generated_sections(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root, nav=[{"Home": "index.md"}])
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    home = (sample_repo.root / "site/index.html").read_text()
    for title in ("Architecture", "Decisions", "User Stories", "Development", "Changes"):
        assert f">{title}<" in home or f"> {title} <" in home or title in home
    assert "architecture/system-overview/" in home


def test_changes_page_compares_with_previous_build(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root)
    first = _generate(config).pages["changes/index.md"]
    assert "This is the first build" in first
    assert "| 2024-04-01 |" in first and "ci: add workflow" in first
    assert _generate(config).pages["changes/index.md"] == first  # nothing changed: same page
    sample_repo.commit("docs: decide on caching", {
        "docs/adr/0009-use-redis.md": "# 9. Use Redis\n\nDate: 2024-05-01\n\n## Status\n\nProposed\n"})
    after = re.sub(r"\\(.)", r"\1", _generate(config).pages["changes/index.md"])
    assert "Compared with the build of" in after
    assert "docs: decide on caching" in after
    assert "0009" in after and "Use Redis" in after
    assert "adr/0009-use-redis.md" in after


def test_mermaid_fence_missing_is_a_warning(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root, fence=False)
    strict = mkdocs_build(config)
    assert strict.returncode != 0
    assert "no mermaid fence" in strict.stderr and "fence_code_format" in strict.stderr
    assert mkdocs_build(config, strict=False).returncode == 0


def test_serve_reload_reuses_results(sample_repo: Repo) -> None:
    from mkdocs.config import load_config

    config = load_config(str(write_mkdocs_yml(sample_repo.root)))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["autodevhub"]
    from mkdocs.commands.build import build

    build(config)
    first = plugin.result
    assert first is not None
    # A reload: mkdocs reloads the config, the plugin instance (kept alive by on_startup) is reused.
    build(config)
    assert plugin.result is first
    sample_repo.commit("new work", {"extra.py": "x = 1\n"})
    build(config)
    assert plugin.result is not first


@pytest.mark.parametrize("sections", [["architecture", "changes"]])
def test_page_output_is_deterministic(sample_repo: Repo, sections: list[str]) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"sections": sections})
    assert _generate(config).pages == _generate(config).pages
