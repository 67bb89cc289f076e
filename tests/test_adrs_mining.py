# Decisions mined from a real git history (manifest diffs read with git), then grouped with GitHub-style evidence.
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from autodevhub_docs.analysis.decisions import Decision, mine_decisions
from autodevhub_docs.analysis.decisions.manifest_signal import packages_in
from autodevhub_docs.model import RepoFacts
from autodevhub_docs.sources.git import read_history
from autodevhub_docs.sources.manifest_history import read_manifest_history
from tests.fakes.history import github_facts, land_new_decision, migration_repo
from tests.helpers import Repo


def facts_of(root: Path, **changes: object) -> RepoFacts:
    commits = read_history(root)
    facts = RepoFacts(name="shop", root=str(root), head=commits[0].sha, commits=commits,
                      manifest_changes=read_manifest_history(root), web_url="https://github.com/acme/shop")
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return migration_repo(tmp_path_factory.mktemp("mining") / "shop")


def by_title(decisions: tuple[Decision, ...]) -> dict[str, Decision]:
    return {d.title: d for d in decisions}


def test_manifest_history_reads_every_version_with_git(history: Repo) -> None:
    changes = read_manifest_history(history.root)
    paths = {(c.path, c.status) for c in changes}
    assert ("requirements.txt", "D") in paths and ("pyproject.toml", "A") in paths
    assert ("web/package-lock.json", "D") in paths and ("web/pnpm-lock.yaml", "A") in paths
    versions = [c for c in changes if c.path == "requirements.txt"]
    assert versions[0].status == "A" and versions[0].before is None
    switch = next(c for c in versions if c.subject.startswith("Switch the HTTP client"))
    assert switch.before is None  # read once: the old text is the previous change's `after`
    previous = versions[versions.index(switch) - 1]
    assert "requests" in packages_in(switch.path, previous.after)
    assert "httpx" in packages_in(switch.path, switch.after)
    lock = next(c for c in changes if c.path == "web/pnpm-lock.yaml")
    assert lock.before is None and lock.after is None  # lockfiles are never read, only their presence counts


def test_migrations_become_decisions(history: Repo) -> None:
    decisions = by_title(mine_decisions(facts_of(history.root)))
    assert {"Use requests as the HTTP client", "Replace requests with HTTPX", "Replace HTTPX with aiohttp",
            "Use MySQL as the database", "Replace MySQL with PostgreSQL", "Use pip to manage Python dependencies",
            "Replace pip with Poetry", "Use npm to manage JavaScript dependencies", "Replace npm with pnpm",
            "Use Flask as the web framework", "Use pytest as the test runner"} <= set(decisions)
    postgres = decisions["Replace MySQL with PostgreSQL"]
    assert postgres.date == "2023-05-10" and postgres.status == "accepted"
    # compose image and Python driver changed in the same commit: one decision, not two
    assert len(postgres.evidence) == 1
    assert any("docker-compose.yml" in line for line in postgres.evidence[0].changes)
    # ordinary commits are not decisions
    assert not any("unused helpers" in e.title for d in decisions.values() for e in d.evidence)


def test_a_migration_in_two_commits_is_one_record(history: Repo) -> None:
    decisions = mine_decisions(facts_of(history.root))
    aiohttp = [d for d in decisions if "aiohttp" in d.chosen]
    assert len(aiohttp) == 1
    record = aiohttp[0]
    assert record.kind == "replace" and record.replaced == ("HTTPX",)
    assert [e.title for e in record.evidence] == ["Add aiohttp for the streaming client",
                                                  "Drop httpx in favour of aiohttp"]
    assert record.date == "2024-01-10" and record.last_date == "2024-02-01"
    assert record.decision_makers == ("Grace Hopper",)


def test_later_decisions_supersede_earlier_ones_in_a_chain(history: Repo) -> None:
    decisions = by_title(mine_decisions(facts_of(history.root)))
    first, second, third = (decisions[t] for t in ("Use requests as the HTTP client", "Replace requests with HTTPX",
                                                   "Replace HTTPX with aiohttp"))
    assert first.superseded_by == second.id and second.supersedes == (first.id,)
    assert second.superseded_by == third.id and third.supersedes == (second.id,)
    assert third.superseded_by is None
    assert decisions["Use MySQL as the database"].superseded_by == decisions["Replace MySQL with PostgreSQL"].id
    assert decisions["Use pip to manage Python dependencies"].superseded_by == decisions["Replace pip with Poetry"].id
    # different categories never supersede each other
    assert decisions["Use Flask as the web framework"].superseded_by is None


def test_ids_are_stable_when_history_grows(history: Repo, tmp_path: Path) -> None:
    before = {d.id for d in mine_decisions(facts_of(history.root))}
    clone = Repo(tmp_path / "clone")
    clone.git("pull", "-q", str(history.root), "main")
    land_new_decision(clone)
    after = mine_decisions(facts_of(clone.root))
    assert before < {d.id for d in after}
    vitest = by_title(after)["Replace Jest with Vitest"]
    assert vitest.supersedes == (by_title(after)["Use Jest as the test runner"].id,)


def test_github_evidence_joins_the_decision_it_belongs_to(history: Repo) -> None:
    httpx_sha = next(c.sha for c in read_history(history.root) if c.subject.startswith("Switch the HTTP client"))
    facts = facts_of(history.root, github=github_facts(httpx_sha=httpx_sha))
    decisions = by_title(mine_decisions(facts))
    httpx = decisions["Replace requests with HTTPX"]
    assert [e.ref for e in httpx.evidence] == [httpx_sha, "#12"]  # the PR that merged the commit
    postgres = decisions["Replace MySQL with PostgreSQL"]
    refs = [e.ref for e in postgres.evidence]
    assert "#8" in refs and "#13" in refs  # the labelled issue and the PR that closed it
    assert postgres.date == "2023-04-20"  # first seen: when the issue was opened
    trunk = decisions["Adopt trunk-based development"]  # a process decision labelled `adr`, still open
    assert trunk.status == "proposed" and trunk.category == "practice"
    # feature requests and bugs are not decisions
    assert not any(e.ref in ("#1", "#2", "#4") for d in decisions.values() for e in d.evidence)


def test_private_repository_keeps_github_out(history: Repo) -> None:
    facts = facts_of(history.root, github=dataclasses.replace(github_facts(), private=True))
    decisions = mine_decisions(facts, include_github=False)
    assert not any(e.kind != "commit" for d in decisions for e in d.evidence)


def test_ci_and_cue_only_decisions(tmp_path: Path) -> None:
    r = Repo(tmp_path / "ci")
    r.commit("Initial commit", {".travis.yml": "language: python\n", "app.py": ""}, date="2021-01-01T00:00:00Z")
    r.commit("Move CI from Travis to GitHub Actions", {".github/workflows/ci.yml": "on: push\n"},
             remove=(".travis.yml",), date="2021-06-01T00:00:00Z")
    r.commit("Add a second workflow", {".github/workflows/docs.yml": "on: push\n"}, date="2021-07-01T00:00:00Z")
    r.commit("Adopt Conventional Commits for messages", {"CONTRIBUTING.md": "x"}, date="2021-08-01T00:00:00Z")
    r.commit("Remove dead code", {"app.py": "# nothing\n"}, date="2021-09-01T00:00:00Z")
    decisions = by_title(mine_decisions(facts_of(r.root)))
    assert set(decisions) == {"Use Travis CI for continuous integration",
                              "Replace Travis CI with GitHub Actions", "Adopt Conventional Commits for messages"}
    assert decisions["Use Travis CI for continuous integration"].superseded_by == \
        decisions["Replace Travis CI with GitHub Actions"].id


def test_manifest_parsers() -> None:
    assert packages_in("requirements-dev.txt", "httpx>=0.27  # client\n-r base.txt\nhttps://x/y.whl\nPyYAML[c]\n") \
        == {"httpx", "pyyaml"}
    assert packages_in("pyproject.toml", '[project]\nname = "x"\ndependencies = [\n  "httpx>=0.27",\n'
                                         '  "rich",\n]\n[project.optional-dependencies]\ntest = ["pytest>=8"]\n') \
        == {"httpx", "rich", "pytest"}
    assert packages_in("package.json", "{not json") == set()
    assert packages_in("compose.yaml", "services:\n  db:\n    image: docker.io/bitnami/postgresql:16\n") == {
        "postgresql"}


def test_weak_title_cues_do_not_found_decisions(tmp_path: Path) -> None:
    r = Repo(tmp_path / "weak")
    r.commit("Initial commit", {"requirements.txt": "redis\nflask\n"}, date="2021-01-01T00:00:00Z")
    r.commit("Remove the redis cache warm-up", {"app.py": "x"}, date="2022-06-01T00:00:00Z")
    r.commit("Switch to Flask blueprints", {"app.py": "y"}, date="2022-07-01T00:00:00Z")
    r.commit("Drop conventional commits check from CI", {"app.py": "z"}, date="2022-08-01T00:00:00Z")
    decisions = by_title(mine_decisions(facts_of(r.root)))
    assert set(decisions) == {"Use Redis as the cache", "Use Flask as the web framework",
                              "Use pip to manage Python dependencies"}
    assert all(len(d.evidence) == 1 for d in decisions.values())  # far from the adoption: not attached either
