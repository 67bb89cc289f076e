# Which issues become stories, how a story is read from its issue, and where it belongs.
from __future__ import annotations

from autodevhub_docs.analysis.stories import classify, criteria_of, epic_of, first_paragraph, story_of, triage
from autodevhub_docs.model import Issue, PullRequest
from tests.fakes.history import github_facts


def issue(title: str, body: str = "", **kw: object) -> Issue:
    return Issue(number=int(kw.pop("number", 1)), title=title, body=body, state=str(kw.pop("state", "open")),
                 **kw)  # type: ignore[arg-type]


def test_classification_by_labels_cues_and_forms() -> None:
    assert classify(issue("Anything", labels=("enhancement",))) == "story"
    assert classify(issue("Anything", labels=("Feature",))) == "story"
    assert classify(issue("Cart", "As a shopper, I want to keep my cart")) == "story"
    assert classify(issue("Feature request: PDF invoices")) == "story"
    assert classify(issue("Add support for WebP images")) == "story"
    assert classify(issue("Invoices", "### Feature description\n\nPDF invoices please")) == "story"
    assert classify(issue("feat(api): pagination")) == "story"
    assert classify(issue("Login fails", labels=("bug",))) == "bug"
    assert classify(issue("Checkout", "### Steps to reproduce\n\n1. click")) == "bug"
    assert classify(issue("chore: bump deps")) == "chore"
    assert classify(issue("How do I change the currency?")) == "question"
    assert classify(issue("Same as #1", labels=("duplicate", "enhancement"))) == "skip"
    assert classify(issue("Dark mode", labels=("wontfix",))) == "skip"
    assert classify(issue("Dark mode", labels=("enhancement",), state="closed", state_reason="not_planned")) == "skip"
    assert classify(issue("Thoughts on the roadmap")) == "other"


def test_story_sentence_is_read_not_invented() -> None:
    stated = story_of(issue("Save cart", "As an admin, I want to export orders, so that accounting is easy.\n"), ())
    assert (stated.role, stated.role_derived, stated.capability, stated.benefit) == (
        "admin", False, "to export orders", "accounting is easy")
    bare = story_of(issue("[Feature] Export orders as CSV", "Accountants need it.\n\nMore later."), ())
    assert bare.role == "user" and bare.role_derived  # derived, and marked so
    assert bare.capability == "Export orders as CSV" and not bare.capability_stated
    assert bare.benefit is None  # never invented
    assert bare.summary == "Accountants need it."


def test_acceptance_criteria_from_task_lists_gwt_and_discussion() -> None:
    criteria = criteria_of(["Intro\n\n- [x] saves on reload\n- [ ] syncs devices\n",
                            "Given a card with 10 EUR\nWhen I pay 8 EUR\nAnd I confirm\nThen 2 EUR remain\n"])
    assert [(c.text, c.done) for c in criteria[:2]] == [("saves on reload", True), ("syncs devices", False)]
    assert criteria[2].given == "a card with 10 EUR" and criteria[2].when == "I pay 8 EUR and I confirm"
    assert criteria[2].then == "2 EUR remain"
    from_comment = story_of(issue("Export", "Please.", labels=("feature",),
                                  comment_bodies=("- [ ] CSV has a header row",)), ())
    assert [c.text for c in from_comment.criteria] == ["CSV has a header row"]


def test_status_from_linked_pull_requests() -> None:
    merged = PullRequest(number=10, title="x", body="", state="closed", merged_at="2024-01-01T00:00:00Z", closes=(1,))
    still_open = PullRequest(number=11, title="y", body="", state="open", closes=(2,))
    unrelated = PullRequest(number=12, title="z", body="", state="open", closes=(9,))
    done = story_of(issue("A", number=1, state="closed"), (merged, still_open, unrelated))
    assert done.status == "done" and [p.number for p in done.closed_by] == [10]
    busy = story_of(issue("B", number=2), (merged, still_open, unrelated))
    assert busy.status == "in progress" and [p.number for p in busy.open_prs] == [11]
    idle = story_of(issue("C", number=3, reactions=5, comments=2), (merged, still_open, unrelated))
    assert idle.status == "open" and idle.demand == 7


def test_epics_from_milestones_then_area_labels() -> None:
    assert epic_of(issue("x", milestone="v1.0", labels=("payments",))) == ("v1.0", "milestone")
    assert epic_of(issue("x", labels=("enhancement", "area: checkout"))) == ("checkout", "label")
    assert epic_of(issue("x", labels=("enhancement", "payments", "good first issue"))) == ("payments", "label")
    assert epic_of(issue("x", labels=("enhancement", "priority: high"))) is None


def test_triage_of_a_github_project() -> None:
    sorted_issues = triage(github_facts())
    assert [s.issue.number for s in sorted_issues.stories] == [1, 2, 3, 7, 9]
    assert [(k.issue.number, k.kind) for k in sorted_issues.known] == [(4, "bug")]
    assert [i.number for i in sorted_issues.skipped] == [5, 6]
    assert [i.number for i in sorted_issues.unclassified] == [8]
    statuses = {s.issue.number: s.status for s in sorted_issues.stories}
    assert statuses == {1: "done", 2: "in progress", 3: "open", 7: "open", 9: "open"}


def test_first_paragraph_skips_templates_and_comments() -> None:
    body = "<!-- template hint -->\n### Feature description\n\n```\ncode\n```\n\nThe real text\nwraps.\n"
    assert first_paragraph(body) == "The real text wraps."
