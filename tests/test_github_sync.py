# The GitHub source end to end: the real PyGithub drives tests/fakes/github_server.py over HTTP; we assert on
# the snapshot rows, the facts, and the request log.
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from autodevhub_docs.errors import GitHubAuthError
from autodevhub_docs.settings import Settings, from_options
from autodevhub_docs.sources import github, github_client
from autodevhub_docs.sources.issues import load_github_facts
from autodevhub_docs.sources.snapshot import Snapshot
from autodevhub_docs.store import Store, open_store
from tests.fakes import GitHubFake

TOKEN = "ghp_SECRET_value_never_shown_123"


def settings_for(fake: GitHubFake, tmp_path: Path, **options: object) -> Settings:
    return from_options({"github_repo": fake.repo, "github_api_url": fake.api_url, **options}, base_dir=tmp_path)


@pytest.fixture
def github_fake():
    with GitHubFake(repo="o/r") as fake:
        yield fake


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "cache")
    yield s
    s.close()


def issue_pages(fake: GitHubFake) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if r.path == "/repos/o/r/issues"]


def test_pagination_reads_every_issue_and_pr_in_minimal_requests(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    for n in range(1, 231):
        github_fake.add_issue(f"Issue {n}", labels=["enhancement"] if n % 2 else ["bug"], milestone="v1" if n < 5 else None)
    github_fake.add_pull("Add login", body="This closes #3 and fixes o/r#4, not other/x#5", merged=True,
                         files=["app/login.py", "tests/test_login.py"], reviews=[("ann", "CHANGES_REQUESTED"),
                                                                                  ("ann", "APPROVED")])
    github_fake.add_pull("Draft", draft=True)
    github_fake.add_comment(3, "I want this too")
    github_fake.add_release("v1.0.0", body="First release")
    github_fake.add_contributor("octo", 10)
    warnings: list[str] = []

    facts = load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, warnings)

    assert warnings == []
    assert facts is not None and facts.source == "github"
    assert len(facts.issues) == 230 and len(facts.pulls) == 2
    # 232 items / 100, then the new anchor's page once, to store its ETag for the next sync
    assert [q.get("page", "1") for q in issue_pages(github_fake)] == ["1", "2", "3", "1"]
    newest = max(i.updated_at for i in (*facts.issues, *facts.pulls))
    assert [q.get("since") for q in issue_pages(github_fake)] == [None, None, None, newest]
    assert all(q["per_page"] == "100" and q["state"] == "all" for q in issue_pages(github_fake))
    # no per-object completion GETs: nothing under /issues/N or /pulls/N except the bounded merged-PR details
    singles = [r.path for r in github_fake.requests if r.path.startswith(("/repos/o/r/issues/", "/repos/o/r/pulls/"))
               and r.path != "/repos/o/r/issues/comments"]
    assert singles == ["/repos/o/r/pulls/231/files", "/repos/o/r/pulls/231/reviews"]
    merged = next(p for p in facts.pulls if p.number == 231)
    assert merged.merged_at and merged.closes == (3, 4) and merged.review_state == "approved"
    assert merged.changed_files == ("app/login.py", "tests/test_login.py") and merged.additions == 6
    assert next(p for p in facts.pulls if p.number == 232).draft
    issue3 = next(i for i in facts.issues if i.number == 3)
    assert issue3.closed_by == (231,) and issue3.comment_bodies == ("I want this too",) and issue3.comments == 1
    assert issue3.milestone == "v1" and [m.title for m in facts.milestones] == ["v1"]
    assert [r.tag for r in facts.releases] == ["v1.0.0"] and facts.tags == ("v1.0.0",)
    assert facts.contributors == ("octo",) and facts.html_url == "https://github.example/o/r"
    assert store.get_json("github", "last_sync_stats") == {"requests": len(github_fake.requests), "not_modified": 0}
    rows = store.conn.execute("SELECT kind, count(*) FROM gh_items GROUP BY kind ORDER BY kind").fetchall()
    assert rows == [("issue", 230), ("pull", 2)]


def test_resync_asks_only_for_changes_and_uses_etags(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    for n in range(1, 151):
        github_fake.add_issue(f"Issue {n}")
    settings = settings_for(github_fake, tmp_path)
    load_github_facts(settings, "o/r", store, [])
    load_github_facts(settings, "o/r", store, [])  # stores the ETag of the since= page
    github_fake.clear_requests()

    load_github_facts(settings, "o/r", store, [])  # nothing changed
    assert [(r.path, r.status) for r in github_fake.requests] == [("/repos/o/r", 304), ("/repos/o/r/issues", 304)]
    assert store.get_json("github", "last_sync_stats") == {"requests": 2, "not_modified": 2}

    cursor = Snapshot(store, "o/r").state("issues_since")
    for n in (7, 8, 9):
        github_fake.update_issue(n, title=f"Issue {n} (renamed)", state="closed")
    github_fake.clear_requests()
    facts = load_github_facts(settings, "o/r", store, [])
    assert facts is not None
    issues = github_fake.requests[1]
    assert issues.query["since"] == cursor and issues.status == 200 and len(github_fake.requests) == 2
    assert {i.number: (i.title, i.state) for i in facts.issues if i.number in (7, 8, 9)} == {
        n: (f"Issue {n} (renamed)", "closed") for n in (7, 8, 9)}
    assert Snapshot(store, "o/r").state("issues_since") > cursor


def test_since_resync_picks_up_issue_that_became_a_pr(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)  # without one, a build keeps the snapshot it has (test_warm_github)
    for n in range(1, 6):
        github_fake.add_issue(f"Issue {n}")
    settings = settings_for(github_fake, tmp_path)
    load_github_facts(settings, "o/r", store, [])
    github_fake.make_pull(2, merged=True)
    facts = load_github_facts(settings, "o/r", store, [])
    assert facts is not None
    assert [i.number for i in facts.issues] == [1, 3, 4, 5] and [p.number for p in facts.pulls] == [2]


def test_full_sync_marks_deleted_and_transferred_issues_gone(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    for n in range(1, 6):
        github_fake.add_issue(f"Issue {n}")
    settings = settings_for(github_fake, tmp_path)
    load_github_facts(settings, "o/r", store, [])
    github_fake.remove_issue(2)  # deleted
    github_fake.remove_issue(4, moved_to="other/repo#1")  # transferred
    snapshot = Snapshot(store, "o/r")
    github.sync(settings, "o/r", snapshot, full=True)
    assert [i["number"] for i in snapshot.items()] == [1, 3, 5]
    gone = store.conn.execute("SELECT number, gone FROM gh_items WHERE gone IS NOT NULL ORDER BY number").fetchall()
    assert gone == [(2, "missing"), (4, "missing")]


def test_secondary_rate_limit_with_retry_after_is_waited_then_retried(github_fake: GitHubFake, tmp_path, store):
    github_fake.add_issue("One")
    github_fake.fail_next("/repos/o/r/issues", 403, {"Retry-After": "0"})
    warnings: list[str] = []
    facts = load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, warnings)
    assert facts is not None and [i.title for i in facts.issues] == ["One"] and warnings == []
    assert [r.status for r in github_fake.requests if r.path == "/repos/o/r/issues"] == [403, 200, 200]  # + ETag


def test_rate_limit_wait_past_the_bound_falls_back_to_the_snapshot(github_fake: GitHubFake, tmp_path, store, caplog, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)  # a later sync without one keeps the snapshot
    github_fake.add_issue("Stored before")
    settings = settings_for(github_fake, tmp_path, github_max_wait_s=5)
    load_github_facts(settings, "o/r", store, [])
    github_fake.add_issue("Not yet seen")
    github_fake.fail_next("/repos/o/r/issues", 403, {"Retry-After": "3600"})
    warnings: list[str] = []
    with caplog.at_level(logging.WARNING):
        facts = load_github_facts(settings, "o/r", store, warnings)
    assert facts is not None and facts.source == "snapshot" and [i.title for i in facts.issues] == ["Stored before"]
    assert len(warnings) == 1 and "rate limit" in warnings[0] and "snapshot" in warnings[0]
    assert any("rate limit" in r.getMessage() for r in caplog.records)  # logged as a warning: --strict fails
    assert [r.status for r in github_fake.requests if r.path == "/repos/o/r/issues"][-1] == 403  # no retry, no wait


def test_unauthenticated_limit_exhausted_warns_and_uses_snapshot(github_fake: GitHubFake, tmp_path, store):
    github_fake.anonymous_limit = 3
    github_fake.add_issue("Public issue")
    settings = settings_for(github_fake, tmp_path, github_max_wait_s=1)
    warnings: list[str] = []
    facts = load_github_facts(settings, "o/r", store, warnings)  # repo + issues + comments, then 403 primary
    assert facts is not None and [i.title for i in facts.issues] == ["Public issue"]
    assert warnings and "rate limit" in warnings[0] and "$GITHUB_TOKEN" in warnings[0]
    assert all("authorization" not in r.headers for r in github_fake.requests)


def test_502_is_retried(github_fake: GitHubFake, tmp_path, store):
    github_fake.add_issue("One")
    github_fake.fail_next("/repos/o/r/issues", 502)
    facts = load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, [])
    assert facts is not None and len(facts.issues) == 1
    assert [r.status for r in github_fake.requests if r.path == "/repos/o/r/issues"] == [502, 200, 200]  # + ETag


def test_killed_mid_sync_keeps_stored_pages_and_resumes(github_fake: GitHubFake, tmp_path, store):
    for n in range(1, 251):
        github_fake.add_issue(f"Issue {n}")
    github_fake.fail_next("/repos/o/r/issues", 502, times=10, query={"page": "3"})
    warnings: list[str] = []
    facts = load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, warnings)
    assert warnings and "could not be reached" in warnings[0]
    assert facts is not None and facts.source == "snapshot" and len(facts.issues) == 200  # pages 1-2 kept
    assert github_fake.count("/repos/o/r/issues", page="3") == 1 + github_client.RETRIES
    github_fake.clear_requests()
    facts = load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, [])
    assert facts is not None and len(facts.issues) == 250
    resumed = issue_pages(github_fake)
    assert len(resumed) == 1 and resumed[0]["since"] == "2024-01-01T03:20:00Z"  # updated_at of issue 200


def test_401_names_repo_and_variable_never_the_token(github_fake: GitHubFake, tmp_path, store, monkeypatch, caplog):
    github_fake.token = "the-right-one"
    monkeypatch.setenv("MY_GH_TOKEN", TOKEN)
    settings = settings_for(github_fake, tmp_path, github_token_env="MY_GH_TOKEN")
    with caplog.at_level(logging.DEBUG), pytest.raises(GitHubAuthError) as raised:
        load_github_facts(settings, "o/r", store, [])
    message = str(raised.value)
    assert "o/r" in message and "$MY_GH_TOKEN" in message and "\n--> " in message
    assert TOKEN not in message and TOKEN not in caplog.text
    assert github_fake.requests[0].headers["authorization"] == f"token {TOKEN}"  # it was sent, as a header only
    assert TOKEN.encode() not in Path(store.path).read_bytes()


def test_404_without_token_on_explicit_repo_is_an_error(github_fake: GitHubFake, tmp_path, store):
    github_fake.private = True
    with pytest.raises(GitHubAuthError) as raised:
        load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, [])
    assert "o/r was not found" in raised.value.problem and "$GITHUB_TOKEN is not set" in raised.value.problem


def test_exclude_labels_never_reach_facts(github_fake: GitHubFake, tmp_path, store):
    github_fake.add_issue("Public", labels=["enhancement"])
    github_fake.add_issue("Embargoed hole", labels=["Security"])
    github_fake.add_issue("Internal", labels=["hr-only"])
    github_fake.add_pull("Fix the hole", body="Fixes #2", merged=True)
    settings = settings_for(github_fake, tmp_path, exclude_labels=["security", "HR-ONLY"])
    facts = load_github_facts(settings, "o/r", store, [])
    assert facts is not None
    assert [i.title for i in facts.issues] == ["Public"]
    assert facts.pulls[0].closes == ()  # the reference to the excluded issue is dropped too


def test_private_repository_publishes_no_issues_unless_allowed(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    github_fake.private = True
    github_fake.add_issue("Secret plan", milestone="Q3")
    warnings: list[str] = []
    facts = load_github_facts(settings_for(github_fake, tmp_path), "o/r", store, warnings)
    assert facts is not None and facts.private and facts.issues == () and facts.milestones == ()
    assert "allow_private: true" in warnings[0]
    facts = load_github_facts(settings_for(github_fake, tmp_path, allow_private=True), "o/r", store, [])
    assert facts is not None and [i.title for i in facts.issues] == ["Secret plan"]


def test_report_json_and_pages_after_a_build(github_fake: GitHubFake, sample_repo, tmp_path, monkeypatch):
    from autodevhub_docs.pipeline import run_build

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    for n in range(1, 13):
        github_fake.add_issue(f"Feature {n}", labels=["enhancement"])
    settings = from_options({"github_repo": "o/r", "github_api_url": github_fake.api_url, "cache_dir": "cache"},
                            base_dir=sample_repo.root)
    result = run_build(settings)
    assert result.facts.github is not None and len(result.facts.github.issues) == 12
    assert "12" in result.pages["stories/index.md"]
    report = json.loads((settings.cache_dir / "report.json").read_text())
    assert report["github"] == {"requests": len(github_fake.requests), "not_modified": 0}
    assert TOKEN not in json.dumps(report) and all(TOKEN not in page for page in result.pages.values())
    github_fake.clear_requests()
    result = run_build(settings)
    assert result.report["github"]["requests"] == 2


def test_snapshot_rows_are_written_one_transaction_per_page(github_fake: GitHubFake, tmp_path):
    for n in range(1, 251):
        github_fake.add_issue(f"Issue {n}")
    store = Store(tmp_path / "s.sqlite")
    seen: list[tuple[int, int | None]] = []

    def progress(what: str, page: int, expected: int | None) -> None:
        if what == "issues":  # runs right after each page was committed: another connection sees it
            other = Store(tmp_path / "s.sqlite")
            seen.append((other.conn.execute("SELECT count(*) FROM gh_items").fetchone()[0], expected))
            other.close()

    github.sync(settings_for(github_fake, tmp_path), "o/r", Snapshot(store, "o/r"), progress=progress)
    assert seen == [(100, 3), (200, 3), (250, 3), (250, None)]  # the last: the new anchor's page, for its ETag


def test_429_without_retry_after_falls_back_to_the_snapshot(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)  # a later sync without one keeps the snapshot
    github_fake.add_issue("Stored")
    settings = settings_for(github_fake, tmp_path)
    load_github_facts(settings, "o/r", store, [])
    github_fake.fail_next("/repos/o/r", 429, body={"message": "API rate limit exceeded for installation."})
    warnings: list[str] = []
    facts = load_github_facts(settings, "o/r", store, warnings)
    assert facts is not None and facts.source == "snapshot" and [i.title for i in facts.issues] == ["Stored"]
    assert "rate limit" in warnings[0] and github_fake.count("/repos/o/r") == 2  # not retried


def test_repo_only_guessed_from_origin_remote_404_is_a_warning(github_fake: GitHubFake, tmp_path, store):
    github_fake.private = True  # anonymous requests get 404, as on GitHub
    settings = from_options({"github_api_url": github_fake.api_url}, base_dir=tmp_path)  # no github_repo option
    warnings: list[str] = []
    assert load_github_facts(settings, "o/r", store, warnings) is None
    assert "GitHub issues were skipped" in warnings[0] and "$GITHUB_TOKEN" in warnings[0]


def test_closing_references():
    text = "Closes #1, fixes: #2 and resolves o/r#3; Fixed https://github.com/o/r/issues/4 closes other/x#5 #6"
    from autodevhub_docs.sources.github_refs import closing_references

    assert closing_references(text, "o/r") == (1, 2, 3, 4)


def test_full_listing_of_an_unchanged_repo_marks_nothing_gone(github_fake: GitHubFake, tmp_path, store):
    for n in range(1, 4):
        github_fake.add_issue(f"Issue {n}")
    settings = settings_for(github_fake, tmp_path)
    snapshot = Snapshot(store, "o/r")
    github.sync(settings, "o/r", snapshot)
    github.sync(settings, "o/r", snapshot, full=True)
    assert [i["number"] for i in snapshot.items()] == [1, 2, 3]
    full = [r for r in github_fake.requests if r.path == "/repos/o/r/issues"][-2]  # the last primes the ETag
    assert "since" not in full.query and "if-none-match" not in full.headers and full.status == 200


def test_issues_disabled_reads_pull_requests_from_pulls(github_fake: GitHubFake, tmp_path, store, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)  # a later sync without one keeps the snapshot
    github_fake.has_issues = False
    for n in range(1, 151):
        github_fake.add_pull(f"PR {n}", merged=n % 2 == 0)
    settings = settings_for(github_fake, tmp_path)
    facts = load_github_facts(settings, "o/r", store, [])
    assert facts is not None and facts.issues == () and len(facts.pulls) == 150
    assert sum(1 for p in facts.pulls if p.merged_at) == 75
    github_fake.update_issue(3, title="PR 3 (edited)")
    github_fake.clear_requests()
    facts = load_github_facts(settings, "o/r", store, [])
    assert facts is not None and next(p for p in facts.pulls if p.number == 3).title == "PR 3 (edited)"
    pulls = [r for r in github_fake.requests if r.path == "/repos/o/r/pulls"]
    assert len(pulls) == 1 and pulls[0].query["direction"] == "desc"  # stopped at the first page


def test_offline_with_a_repo_only_guessed_from_origin_stays_quiet(tmp_path, store):
    with GitHubFake(repo="o/r") as fake:
        api_url = fake.api_url  # a port nobody listens on once the fake stops
    settings = from_options({"github_api_url": api_url}, base_dir=tmp_path)
    warnings: list[str] = []
    assert load_github_facts(settings, "o/r", store, warnings) is None and warnings == []
    explicit = from_options({"github_api_url": api_url, "github_repo": "o/r"}, base_dir=tmp_path)
    assert load_github_facts(explicit, "o/r", store, warnings) is None
    assert "could not be reached" in warnings[0] and "no snapshot yet" in warnings[0]


def test_bad_api_url_is_a_config_error(tmp_path, store):
    from autodevhub_docs.errors import ConfigError

    settings = from_options({"github_repo": "o/r", "github_api_url": "api.github.com"}, base_dir=tmp_path)
    with pytest.raises(ConfigError, match="must be an http"):
        load_github_facts(settings, "o/r", store, [])
