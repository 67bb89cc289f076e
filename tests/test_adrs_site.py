# The ADR section end to end: real git history -> pipeline -> MADR pages, numbering across builds, supersede links,
# hand-written records kept verbatim, and model references that do not exist removed.
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from autodevhub_docs.analysis.decisions import covered_by_hand, mine_decisions
from autodevhub_docs.analysis.numbering import number_decisions
from autodevhub_docs.collect import collect
from autodevhub_docs.generators.adrs import AdrGenerator
from autodevhub_docs.generators.base import GenContext
from autodevhub_docs.llm.client import ProseRequest
from autodevhub_docs.llm.offline import OfflineWriter
from autodevhub_docs.model import ArchitectureFacts, PullRequest
from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.pipeline import run_build
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import open_store
from tests import mermaid
from tests.fakes.history import MADR_ADR, NYGARD_ADR, github_facts, land_new_decision, migration_repo
from tests.fakes.writer import ScriptedWriter
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml


@pytest.fixture
def shop(tmp_path: Path) -> Repo:
    r = migration_repo(tmp_path / "shop")
    r.git("remote", "add", "origin", "https://github.com/acme/shop.git")
    return r


def settings_for(repo: Repo, cache: Path) -> Settings:
    return Settings(repo_path=repo.root, cache_dir=cache, sections=("adr",), llm="offline")


def numbering(pages: dict[str, str]) -> dict[str, str]:
    """Title -> record number, read from the generated pages."""
    found = {}
    for uri, text in pages.items():
        match = re.fullmatch(r"adr/(\d{4})-.*\.md", uri)
        if match and text.startswith("---\n") and "\ngenerated: true\n" in text:
            found[re.search(r"^# (.+)$", text, re.M).group(1)] = match.group(1)  # type: ignore[union-attr]
    return found


def front_matter(text: str) -> dict[str, Any]:
    return yaml.safe_load(text.split("---\n")[1])


def test_offline_build_writes_madr_records_after_hand_written_ones(shop: Repo, tmp_path: Path) -> None:
    pages = run_build(settings_for(shop, tmp_path / "cache")).pages
    # hand-written records: copied verbatim, numbers kept
    assert pages["adr/0001-record-architecture-decisions.md"] == NYGARD_ADR
    assert pages["adr/0002-use-flask.md"] == MADR_ADR
    numbers = numbering(pages)
    assert min(int(n) for n in numbers.values()) == 3  # generated records never reuse hand-written numbers
    assert numbers["Replace requests with HTTPX"] < numbers["Replace HTTPX with aiohttp"]
    httpx = next(t for u, t in pages.items() if u.startswith(f"adr/{numbers['Replace requests with HTTPX']}-"))
    meta = front_matter(httpx)
    assert meta["status"] == f"superseded by ADR-{numbers['Replace HTTPX with aiohttp']}"
    assert str(meta["date"]) == "2023-02-14"
    assert meta["decision-makers"] == "Grace Hopper"
    assert "supersedes" not in meta  # the first adoption of requests is a minor change, not a record
    for section in ("## Context and Problem Statement", "## Decision Drivers", "## Considered Options",
                    "## Decision Outcome", "### Consequences", "## More Information"):
        assert section in httpx
    assert "`requirements.txt`: removed requests; added httpx" in httpx
    assert "The sources state no decision drivers." in httpx
    assert "written without Claude" in httpx
    new = numbers["Replace HTTPX with aiohttp"]
    assert f"Superseded by [ADR-{new}](<{new}-replace-httpx-with-aiohttp.md>)" in httpx
    commit = re.search(r"\[`([0-9a-f]{7})`\]\(<https://github\.com/acme/shop/commit/([0-9a-f]{40})>\)", httpx)
    assert commit and commit.group(2).startswith(commit.group(1))
    index = pages["adr/index.md"]
    assert "| 0001 | [Record architecture decisions](<0001-record-architecture-decisions.md>) | Accepted |" in index
    assert f"superseded by [ADR-{numbers['Replace HTTPX with aiohttp']}]" in index
    # changes with nothing to say beyond their diff: one row each, and who replaced them
    assert "## Minor dependency changes" in index
    assert f"| Use requests as the HTTP client | 2022-11-01 | replaced by [ADR-{numbers['Replace requests with HTTPX']}]" \
        in index
    assert "| Use pytest as the test runner | 2022-11-01 | in use |" in index
    assert not any("use-pytest-as-the-test-runner" in uri for uri in pages)
    assert "```mermaid\ntimeline" in index and "```mermaid\nflowchart LR" in index


@pytest.mark.mermaid
def test_every_adr_diagram_parses(shop: Repo, tmp_path: Path) -> None:
    pages = run_build(settings_for(shop, tmp_path / "cache")).pages
    diagrams = mermaid.diagrams_in(text for uri, text in pages.items() if uri.endswith(".md"))
    assert len(diagrams) == 2
    mermaid.assert_all_parse(diagrams)


def test_numbers_are_stable_across_builds_clean_caches_and_new_decisions(shop: Repo, tmp_path: Path) -> None:
    first = numbering(run_build(settings_for(shop, tmp_path / "a")).pages)
    assert numbering(run_build(settings_for(shop, tmp_path / "a")).pages) == first  # same cache
    assert numbering(run_build(settings_for(shop, tmp_path / "b")).pages) == first  # clean cache
    land_new_decision(shop)
    after = numbering(run_build(settings_for(shop, tmp_path / "a")).pages)
    assert {t: n for t, n in after.items() if t in first} == first
    assert after["Replace Jest with Vitest"] == f"{int(max(first.values())) + 1:04d}"
    assert numbering(run_build(settings_for(shop, tmp_path / "c")).pages) == after  # clean cache again


def _build_adrs(settings: Settings, facts: Any, store: Any) -> dict[str, str]:
    analysis = number_decisions(Analysis(facts=facts, architecture=ArchitectureFacts(),
                                         decisions=mine_decisions(facts), github_usable=facts.github is not None,
                                         covered_decisions=covered_by_hand(mine_decisions(facts), facts.adrs)), store)
    ctx = GenContext(settings=settings, analysis=analysis)
    generator = AdrGenerator()
    docs = generator.build(ctx, OfflineWriter().write(generator.plan(ctx), {}))
    return {d.uri: d.title for d in docs}


def test_an_older_decision_surfacing_later_does_not_renumber(shop: Repo, tmp_path: Path) -> None:
    settings = settings_for(shop, tmp_path / "cache")
    run_build(settings)
    store = open_store(settings.cache_dir)
    try:
        # the facts with their manifest history (a build mines it from its stored timeline instead, see increments)
        facts = collect(settings, store, [])
        before = {t: u for u, t in _build_adrs(settings, facts, store).items()}
        old_pr = PullRequest(number=3, title="Adopt a monorepo layout", body="One repository for web and API.",
                             state="closed", labels=("decision",), created_at="2022-10-01T10:00:00Z",
                             merged_at="2022-10-02T10:00:00Z")
        github = dataclasses.replace(github_facts(), pulls=(old_pr,), issues=())
        after = {t: u for u, t in _build_adrs(settings, dataclasses.replace(facts, github=github), store).items()}
    finally:
        store.close()
    assert {t: after[t] for t in before} == before
    highest = max(int(u[4:8]) for u in before.values() if u[4:8].isdigit())
    assert after["Adopt a monorepo layout"].startswith(f"adr/{highest + 1:04d}-")


def test_a_new_hand_written_record_keeps_its_number(shop: Repo, tmp_path: Path) -> None:
    settings = settings_for(shop, tmp_path / "cache")
    first = numbering(run_build(settings).pages)
    taken = next(t for t, n in first.items() if n == "0003")
    shop.commit("docs: ADR 3", {"docs/adr/0003-use-sqlite-for-tests.md":
                                "# 3. Use SQLite for tests\n\nDate: 2024-05-01\n\n## Status\n\nAccepted\n"})
    pages = run_build(settings).pages
    assert pages["adr/0003-use-sqlite-for-tests.md"].startswith("# 3. Use SQLite for tests")
    moved = numbering(pages)
    assert moved[taken] != "0003"
    assert {t: n for t, n in moved.items() if t != taken} == {t: n for t, n in first.items() if t != taken}


def _fake_claude(request: ProseRequest) -> dict[str, Any] | None:
    if not request.key.startswith("adr/"):
        return None
    real = sorted(r for r in request.known_refs if len(r) == 7)
    return {
        "context": f"As discussed in #999 and commit deadbee1, the team moved on (see {real[0] if real else ''}).",
        "drivers": ["async support (#4242)"], "options": [{"name": "Keep the old one", "description": "see #31337"}],
        "outcome": "Chosen option: the new one, because of 0123abcd.", "good": ["fewer blocking calls"],
        "bad": ["a migration (PR #777)"], "refs": ["#999", *real],
    }


def test_references_the_model_invents_are_removed(shop: Repo, tmp_path: Path) -> None:
    writer = ScriptedWriter(_fake_claude)
    result = run_build(settings_for(shop, tmp_path / "cache"), llm=writer)
    assert writer.requests and all(r.known_refs for r in writer.requests)
    records = [t for u, t in result.pages.items() if re.fullmatch(r"adr/\d{4}-.*\.md", u) and "\ngenerated: true\n" in t]
    assert records
    for text in records:
        for fake in ("999", "deadbee1", "4242", "31337", "0123abcd", "777"):
            assert fake not in text
        assert "written without Claude" not in text
        assert "do not exist and were removed" in text
    httpx = next(t for t in records if "# Replace requests with HTTPX" in t)
    assert "fewer blocking calls" in httpx and "Good, because" in httpx
    # seven invented references per record: #999 twice, deadbee1, #4242, #31337, 0123abcd, #777
    assert result.report["llm"]["dropped_refs"] == 7 * len(records)
    assert json.loads((tmp_path / "cache" / "report.json").read_text())["llm"]["dropped_refs"] == 7 * len(records)
    sent = next(r for r in writer.requests if r.data["title"] == "Replace requests with HTTPX")
    assert sent.data["evidence"][0]["manifest_changes"] == ["requirements.txt: removed requests; added httpx"]
    assert sent.data["evidence"][0]["changed_files"] == ["requirements.txt"]


def test_mkdocs_strict_build_publishes_the_records(shop: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site_src"
    config = write_mkdocs_yml(site, {"repo_path": str(shop.root), "sections": ["adr"], "llm": "offline"})
    proc = mkdocs_build(config)
    assert proc.returncode == 0, proc.stderr
    built = site / "site" / "adr"
    assert (built / "0001-record-architecture-decisions" / "index.html").is_file()
    html = next(built.glob("*-replace-mysql-with-postgresql/index.html")).read_text(encoding="utf-8")
    assert "Replace MySQL with PostgreSQL" in html and "docker-compose.yml" in html


def test_a_decision_recorded_by_hand_is_not_generated_again(tmp_path: Path) -> None:
    r = Repo(tmp_path / "svc")
    r.commit("Initial commit", {
        "docker-compose.yml": "services:\n  db:\n    image: mysql:8\n",
        "docs/adr/0001-use-mysql.md": "# 1. Use MySQL as the database\n\nDate: 2021-01-01\n\n## Status\n\nAccepted\n",
    }, date="2021-01-01T00:00:00Z")
    r.commit("Migrate to PostgreSQL", {"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"},
             date="2022-01-01T00:00:00Z")
    pages = run_build(settings_for(r, tmp_path / "cache")).pages
    assert numbering(pages) == {"Replace MySQL with PostgreSQL": "0002"}
    record = pages["adr/0002-replace-mysql-with-postgresql.md"]
    assert "* Supersedes [ADR-0001](<0001-use-mysql.md>)." in record
    assert pages["adr/0001-use-mysql.md"].startswith("# 1. Use MySQL as the database")  # untouched
    index = pages["adr/index.md"]
    assert "Accepted; the history shows it superseded by [ADR-0002](<0002-replace-mysql-with-postgresql.md>)" in index
    assert "n0 -->|\"superseded by\"| n1" in index


def test_mined_flask_decision_defers_to_the_hand_written_record(shop: Repo, tmp_path: Path) -> None:
    pages = run_build(settings_for(shop, tmp_path / "cache")).pages
    assert "Use Flask as the web framework" not in numbering(pages)
    assert "Use Flask as the web framework" not in pages["adr/index.md"]


def test_a_repository_without_decisions_gets_an_honest_index(tmp_path: Path) -> None:
    empty = Repo(tmp_path / "empty")
    pages = run_build(settings_for(empty, tmp_path / "cache-empty")).pages
    assert list(pages) == ["adr/index.md", "llms.txt"]
    empty.commit("Initial commit", {"README.md": "# Nothing\n", "notes.txt": "plain\n"})
    index = run_build(settings_for(empty, tmp_path / "cache")).pages["adr/index.md"]
    assert "No decision records were found" in index and "history shows no dependency" in index
    assert "```mermaid" not in index
