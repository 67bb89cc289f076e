# Decision records that are true: each failure seen on real histories reproduced and shown absent, each real kind of
# decision found, every claim re-checked at its cited commit, one record per decision, clean titles.
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodevhub_docs.analysis.decisions import mine
from autodevhub_docs.analysis.decisions.titles import clean_title
from autodevhub_docs.analysis.decisions.verify import Verifier
from autodevhub_docs.model import GitHubFacts, PullRequest, RepoFacts
from autodevhub_docs.model.decisions import Decision, Evidence
from autodevhub_docs.sources.git import read_history
from autodevhub_docs.sources.manifest_history import read_manifest_history, read_tree
from autodevhub_docs.sources.trees import TreeReader
from tests.fakes.decision_histories import (
    FULLSTACK_DECISIONS,
    feature_branch_merged_after_main_moved,
    fullstack_template,
)
from tests.helpers import Repo


def facts_of(root: Path, **changes: object) -> RepoFacts:
    commits = read_history(root)
    facts = RepoFacts(name="app", root=str(root), head=commits[0].sha, commits=commits,
                      manifest_changes=read_manifest_history(root), web_url="https://github.com/acme/app")
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def titles(root: Path, **changes: object) -> dict[str, Decision]:
    return {d.title: d for d in mine(facts_of(root, **changes)).decisions}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return fullstack_template(tmp_path_factory.mktemp("template") / "app")


def test_the_full_stack_templates_real_decisions_are_found_offline(template: Repo) -> None:
    found = titles(template.root)
    full = {t for t, d in found.items() if not d.minor}
    assert FULLSTACK_DECISIONS <= full  # all eight (the issue asks for at least seven)
    assert full == FULLSTACK_DECISIONS  # and nothing else is written up as a full record
    jwt = found["Replace python-jose with PyJWT"]
    assert jwt.evidence[0].body.startswith("python-jose is unmaintained")
    assert found["Migrate Chakra UI from v2 to v3"].details == (("from_version", "2"), ("to_version", "3"))


def test_ordinary_work_is_never_a_decision(template: Repo) -> None:
    found = titles(template.root)
    cited = {e.title for d in found.values() for e in d.evidence}
    assert not {"Fix typo in README", "Add an items page", "Removed flake8 exclusion",
                "Bump fastapi from 0.109 to 0.110"} & cited
    assert not any(t.startswith("Stop using") for t in found)  # every tool the template dropped was replaced


def test_every_kept_claim_holds_at_its_cited_commits(template: Repo) -> None:
    mined = mine(facts_of(template.root))
    assert mined.rejected == 0 and mined.candidates == len(mined.decisions)
    verifier = Verifier(lambda rev: read_tree(template.root, rev))
    for decision in mined.decisions:
        assert verifier.holds(decision), decision.title
        commits = [e.ref for e in decision.evidence if e.kind == "commit" and e.changes]
        changed = set(template.git("show", "--first-parent", "--name-only", "--format=", commits[0]).split())
        assert changed & {p for line in decision.evidence[0].changes for p in [line.split(":", 1)[0]]}


def test_verifying_through_one_git_process_keeps_and_rejects_the_same_claims(template: Repo) -> None:
    facts = facts_of(template.root)
    with TreeReader(template.root) as trees:  # what a build verifies with
        assert mine(facts, read_tree=trees.read) == mine(facts)


def test_a_false_claim_is_rejected_by_the_check_at_its_commit(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    r.commit("Start", {"requirements.txt": "flask\npytest\n"}, date="2024-01-01T10:00:00+00:00")
    sha = r.commit("Tidy", {"requirements.txt": "flask\npytest>=8\n"}, date="2024-05-01T10:00:00+00:00")
    claim = Decision(id="stop-pytest", title="Stop using pytest", category="Python test runner", kind="remove",
                     chosen=(), replaced=("pytest",), date="2024-05-01", last_date="2024-05-01", status="accepted",
                     decision_makers=(), evidence=(Evidence(kind="commit", ref=sha, date="2024-05-01", title="Tidy",
                                                            changes=("requirements.txt: changed",)),))
    assert not Verifier(lambda rev: read_tree(r.root, rev)).holds(claim)
    with TreeReader(r.root) as trees:
        assert not Verifier(trees.read).holds(claim)
    # The same check runs inside mining: a history read with one change missing (as a capped or filtered read can
    # be) proposes "Stop using pytest", and verification at the cited commit throws it out and counts it.
    facts = facts_of(r.root)
    partial = tuple(c for c in facts.manifest_changes if c.sha != sha)
    moved = dataclasses.replace(partial[0], sha=sha, date="2024-05-01T10:00:00+00:00", status="M",
                                before="flask\npytest\n", after="flask\n")
    mined = mine(dataclasses.replace(facts, manifest_changes=(*partial, moved)))
    assert "Stop using pytest" not in {d.title for d in mined.decisions} and mined.rejected == 1


def test_poetry_to_uv_with_extras_keeps_every_tool(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    poetry = ('[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.10"\nfastapi = "^0.110"\n'
              'httpx = "^0.27"\n\n[tool.poetry.dev-dependencies]\npytest = "^8"\nruff = "*"\nmypy = "*"\n')
    uv = ('[project]\nname = "app"\ndependencies = [\n    "fastapi[standard]<1.0.0,>=0.114.2",\n'
          '    "httpx<1.0.0,>=0.25.1",\n]\n\n[tool.uv]\ndev-dependencies = ["pytest<8.0.0,>=7.4.3", "ruff", "mypy"]\n')
    r.commit("Initial commit", {"pyproject.toml": poetry, "poetry.lock": "#\n"}, date="2024-01-01T10:00:00+00:00")
    r.commit("Use uv", {"pyproject.toml": uv, "uv.lock": "#\n"}, remove=("poetry.lock",),
             date="2024-06-01T10:00:00+00:00")
    found = titles(r.root)
    assert "Replace Poetry with uv" in found
    assert not [t for t in found if t.startswith("Stop using")]


def test_a_tool_moved_to_pre_commit_is_still_in_use(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    r.commit("Initial commit", {"requirements-dev.txt": "black\npytest\n"}, date="2024-01-01T10:00:00+00:00")
    r.commit("Run black from pre-commit", {"requirements-dev.txt": "pytest\n", ".pre-commit-config.yaml":
                                           "repos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n"
                                           "  - id: black\n"}, date="2024-06-01T10:00:00+00:00")
    assert "Stop using Black" not in titles(r.root)


def test_a_deleted_lockfile_is_not_dropping_the_package_manager_that_still_runs(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    package = '{"name": "web", "scripts": {"build": "npm run compile && webpack"}, "devDependencies": {"webpack": "5"}}'
    r.commit("Initial commit", {"package.json": package, "package-lock.json": "{}"}, date="2024-01-01T10:00:00+00:00")
    r.commit("Stop committing the lockfile", {}, remove=("package-lock.json",), date="2024-06-01T10:00:00+00:00")
    found = titles(r.root)
    assert "Stop using npm" not in found and "Replace webpack with esbuild" not in found


def test_a_feature_branch_merged_after_main_moved_cites_only_the_merge(tmp_path: Path) -> None:
    r, branch = feature_branch_merged_after_main_moved(tmp_path / "r")
    found = titles(r.root)
    assert "Stop using requests" not in found
    assert not any(e.ref == branch for d in found.values() for e in d.evidence)


def test_case_changes_and_path_moves_are_not_decisions(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    r.commit("Initial commit", {"requirements.txt": "Flask\nRequests\n"}, date="2024-01-01T10:00:00+00:00")
    r.commit("lowercase", {"requirements.txt": "flask\nrequests\n"}, date="2024-02-01T10:00:00+00:00")
    r.commit("Split requirements", {"requirements/base.txt": "flask\nrequests\n"}, remove=("requirements.txt",),
             date="2024-03-01T10:00:00+00:00")
    found = mine(facts_of(r.root)).decisions
    assert {d.date for d in found} == {"2024-01-01"}  # only the first adoptions


def test_dropped_and_readopted_within_90_days_is_not_a_decision_and_twice_is_one_record(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    r.commit("Initial commit", {"requirements.txt": "flask\nredis\n"}, date="2023-01-01T10:00:00+00:00")
    r.commit("Remove requirements for a while", {"requirements.txt": "flask\n"}, date="2023-02-01T10:00:00+00:00")
    r.commit("Put them back", {"requirements.txt": "flask\nredis\n"}, date="2023-02-10T10:00:00+00:00")
    r.commit("Drop the cache", {"requirements.txt": "flask\n"}, date="2023-06-01T10:00:00+00:00")
    r.commit("Bring the cache back", {"requirements.txt": "flask\nredis\n"}, date="2024-01-01T10:00:00+00:00")
    found = titles(r.root)
    assert found["Use Redis as the cache"].history == ("2023-01-01", "2024-01-01")  # made twice, one record
    assert found["Stop using Redis"].date == "2023-06-01"
    cited = {e.title for d in found.values() for e in d.evidence}
    assert not {"Remove requirements for a while", "Put them back"} & cited


def test_labelled_titles_are_clean(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    r.commit("Initial commit", {"README.md": "x"}, date="2024-01-01T10:00:00+00:00")
    pr = PullRequest(number=7, title="✨ adr: Adopt `trunk-based` development (#7)", body="", state="closed",
                     merged_at="2024-02-01T00:00:00Z", labels=("adr",), created_at="2024-01-20T00:00:00Z")
    found = titles(r.root, github=GitHubFacts(repo="acme/app", pulls=(pr,)))
    assert "Adopt trunk-based development" in found
    assert clean_title("⬆️ chore(deps): **Migrate** to uv (#2407)") == "Migrate to uv"


_MOVES = st.one_of(
    st.lists(st.sampled_from(["requirements.txt", "requirements/base.txt", "backend/requirements.txt",
                              "requirements/prod.txt"]), min_size=1, max_size=5),
    st.lists(st.sampled_from(["pyproject.toml", "backend/pyproject.toml", "services/api/pyproject.toml"]),
             min_size=1, max_size=5))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_MOVES)
def test_manifest_path_moves_alone_mine_no_decision(tmp_path_factory: pytest.TempPathFactory,
                                                    moves: list[str]) -> None:
    r = Repo(tmp_path_factory.mktemp("moves") / "r")
    requirements = "flask\nhttpx\n"
    pyproject = '[project]\nname = "a"\ndependencies = ["flask", "httpx"]\n'
    current = moves[0]
    r.commit("Initial commit", {current: pyproject if current.endswith(".toml") else requirements},
             date="2023-01-01T10:00:00+00:00")
    for month, target in enumerate(moves[1:], start=2):
        if target == current:
            continue
        r.commit(f"Move to {target}", {target: pyproject if target.endswith(".toml") else requirements},
                 remove=(current,), date=f"2023-{month:02d}-01T10:00:00+00:00")
        current = target
    decisions = mine(facts_of(r.root)).decisions
    assert {d.date for d in decisions} <= {"2023-01-01"}, [d.title for d in decisions]


def test_a_withdrawn_record_is_listed_once_on_the_changes_page_and_counted(tmp_path: Path) -> None:
    from autodevhub_docs.pipeline import run_build
    from autodevhub_docs.settings import Settings

    r = Repo(tmp_path / "r")
    r.commit("Initial commit", {"requirements.txt": "flask\nredis\n"}, date="2024-01-01T10:00:00+00:00")
    r.commit("Drop the redis cache, it never hit", {"requirements.txt": "flask\n"}, date="2024-03-01T10:00:00+00:00")
    settings = Settings(repo_path=r.root, cache_dir=tmp_path / "cache", llm="offline")
    first = run_build(settings)
    assert any(u.endswith("-stop-using-redis.md") for u in first.pages)
    assert first.report["decisions"] == {"candidates": 4, "rejected": 0, "records": 1, "minor": 3}
    # redis comes back a month later: it was never really dropped, so the record was wrong and disappears
    r.commit("Restore the cache", {"requirements.txt": "flask\nredis\n"}, date="2024-04-01T10:00:00+00:00")
    second = run_build(settings)
    assert not any(u.endswith("-stop-using-redis.md") for u in second.pages)
    changes = second.pages["changes/index.md"]
    assert re.search(r"\*\*Withdrawn\*\* `0001`: Stop using Redis", changes)
    r.commit("Add celery for reports", {"requirements.txt": "flask\nredis\ncelery\n"},
             date="2024-05-01T10:00:00+00:00")
    third = run_build(settings)  # the next change of content compares with the second build: listed once
    assert "Withdrawn" not in third.pages["changes/index.md"]
