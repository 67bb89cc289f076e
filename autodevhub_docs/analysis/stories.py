# User stories from issues. Feature requests become stories; bugs, chores and questions become known issues of the
# epic they belong to; duplicates and won't-fix issues are skipped. Everything here is read from the issue text:
# a role or benefit the issue does not state is never invented.
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from autodevhub_docs.model import GitHubFacts, Issue, PullRequest
from autodevhub_docs.model.stories import Criterion, KnownIssue, Story, Triage

STORY_LABELS = frozenset({"feature", "enhancement", "story", "user-story", "user story", "feature-request",
                          "feature request", "type: feature", "type:feature", "kind/feature", "new feature",
                          "type: enhancement", "kind/enhancement", "epic-story"})
BUG_LABELS = frozenset({"bug", "defect", "regression", "type: bug", "kind/bug", "crash", "type:bug"})
CHORE_LABELS = frozenset({"chore", "maintenance", "refactor", "refactoring", "ci", "dependencies", "tech-debt",
                          "tech debt", "documentation", "docs", "build", "infrastructure", "type: chore",
                          "kind/cleanup"})
QUESTION_LABELS = frozenset({"question", "support", "help", "discussion", "type: question", "kind/support"})
SKIP_LABELS = frozenset({"duplicate", "wontfix", "won't fix", "wont fix", "invalid", "spam", "not planned"})
TYPE_LABELS = STORY_LABELS | BUG_LABELS | CHORE_LABELS | QUESTION_LABELS | SKIP_LABELS | frozenset({
    "good first issue", "help wanted", "hacktoberfest", "needs triage", "triage", "stale", "priority", "blocked",
    "wip", "in progress", "decision", "adr", "architecture", "p0", "p1", "p2", "p3", "high", "low", "medium"})
"""Labels that say what kind of issue it is or how it is handled, not which part of the product it concerns."""
EPIC_LABEL_PREFIXES = ("epic:", "epic/", "area:", "area/", "component:", "component/", "module:", "scope:", "theme:")

_STORY_CUES = re.compile(
    r"\bas an?\s+[^,.\n]{1,80},?\s+i\s+(?:want|would like|need)|\bfeature request\b|\badd support for\b|"
    r"^#+\s*(?:feature description|is your feature request related|describe the feature|proposed feature|"
    r"describe the solution you'?d like)|^\s*\[(?:feature|feat|enhancement|rfe)\]|^\s*feat(?:\([^)]*\))?:",
    re.I | re.M)
_BUG_CUES = re.compile(
    r"^#+\s*(?:steps to reproduce|expected behaviou?r|actual behaviou?r|bug description|describe the bug)|"
    r"^\s*\[bug\]|^\s*fix(?:\([^)]*\))?:|\b(?:crash(?:es|ed)?|traceback|exception|error|broken|fails?|regression)\b",
    re.I | re.M)
_CHORE_CUES = re.compile(r"^\s*(?:chore|refactor|ci|build|docs)(?:\([^)]*\))?:|^\s*\[(?:chore|docs)\]", re.I)
_STORY_FORM = re.compile(
    r"\bas an?\s+(?P<role>[^,.\n]{1,80}?),?\s+i\s+(?:want|would like|need)\s+(?P<want>[^\n]{1,300}?)"
    r"(?:,?\s+so\s+that\s+(?P<benefit>[^\n]{1,300}?))?(?:[.!]\s|[.!]?$|\n)", re.I | re.M)
_TASK = re.compile(r"^\s*[-*]\s+\[(?P<done>[ xX])\]\s+(?P<text>.+?)\s*$", re.M)
_GWT = re.compile(r"^\s*[-*]?\s*(?:\*\*)?(?P<word>Given|When|Then|And)(?:\*\*)?\s+(?P<text>.+?)\s*$", re.M | re.I)
_TITLE_PREFIX = re.compile(r"^\s*(?:\[[^\]]{1,20}\]\s*|(?:feat|feature|feature request|enhancement|story)"
                           r"(?:\([^)]*\))?\s*:\s*)+", re.I)


def classify(issue: Issue) -> str:  # noqa: PLR0911 - one return per signal, strongest first
    """Return `story`, `bug`, `chore`, `question`, `skip` or `other` for an issue."""
    labels = {label.lower().strip() for label in issue.labels}
    if labels & SKIP_LABELS or issue.state_reason in ("not_planned", "duplicate"):
        return "skip"
    if labels & STORY_LABELS:
        return "story"
    if labels & BUG_LABELS:
        return "bug"
    if labels & CHORE_LABELS:
        return "chore"
    if labels & QUESTION_LABELS:
        return "question"
    text = f"{issue.title}\n{issue.body}"
    if _STORY_CUES.search(text):
        return "story"
    if _CHORE_CUES.search(issue.title):
        return "chore"
    if _BUG_CUES.search(text):
        return "bug"
    if issue.title.strip().endswith("?") or re.match(r"^\s*(how|why|is it possible|can i)\b", issue.title, re.I):
        return "question"
    return "other"


def first_paragraph(text: str, limit: int = 600) -> str:
    """The first paragraph of a body that is prose (not a heading, list, quote, comment or code)."""
    text = re.sub(r"<!--.*?-->", "", text or "", flags=re.S)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line for line in paragraph.strip().splitlines() if line.strip()]
        if lines and not lines[0].lstrip().startswith(("#", "-", "*", ">", "|", "[", "1.")):
            joined = " ".join(line.strip() for line in lines)
            return joined if len(joined) <= limit else joined[: limit - 1] + "…"
    return ""


def criteria_of(texts: Sequence[str]) -> tuple[Criterion, ...]:
    """Acceptance criteria from task lists and Given/When/Then lines, in order, without repeats."""
    found: list[Criterion] = []
    seen: set[str] = set()
    for text in texts:
        for match in _TASK.finditer(text or ""):
            item = match.group("text").strip()
            if item.lower() not in seen:
                seen.add(item.lower())
                found.append(Criterion(text=item, done=match.group("done") != " "))
        current: dict[str, str] = {}
        for match in _GWT.finditer(text or ""):
            word, part = match.group("word").lower(), match.group("text").strip()
            if word == "given" and current:
                found.append(_gwt(current))
                current = {}
            key = {"and": "then" if "then" in current else ("when" if "when" in current else "given")}.get(word, word)
            current[key] = f"{current[key]} and {part}" if key in current else part
        if current:
            found.append(_gwt(current))
    return tuple(found[:20])


def _gwt(parts: Mapping[str, str]) -> Criterion:
    text = " ".join(f"{w.capitalize()} {parts[w]}" for w in ("given", "when", "then") if w in parts)
    return Criterion(text=text, given=parts.get("given", ""), when=parts.get("when", ""), then=parts.get("then", ""))


def clean_title(title: str) -> str:
    """The title without `[Feature]`, `feat:` and similar prefixes."""
    return _TITLE_PREFIX.sub("", title).strip() or title.strip()


def status_of(issue: Issue, pulls: Sequence[PullRequest]
              ) -> tuple[str, tuple[PullRequest, ...], tuple[PullRequest, ...]]:
    """Return the status and the merged and open PRs that close the issue."""
    closing = [p for p in pulls if issue.number in p.closes]
    merged = tuple(sorted((p for p in closing if p.merged_at), key=lambda p: p.number))
    still_open = tuple(sorted((p for p in closing if p.state == "open" and not p.merged_at), key=lambda p: p.number))
    if issue.state == "closed":
        return "done", merged, ()
    if merged and not still_open:
        return "in progress", merged, ()
    return ("in progress" if still_open else "open"), merged, still_open


def story_of(issue: Issue, pulls: Sequence[PullRequest]) -> Story:
    """Read one feature request as a story, from its own text only."""
    body = issue.body or ""
    form = _STORY_FORM.search(body) or _STORY_FORM.search(issue.title)
    status, merged, still_open = status_of(issue, pulls)
    return Story(
        issue=issue,
        role=form.group("role").strip() if form else "user",
        role_derived=form is None,
        capability=form.group("want").strip().rstrip(".") if form else clean_title(issue.title),
        capability_stated=form is not None,
        benefit=(form.group("benefit") or "").strip().rstrip(".") or None if form else None,
        summary=first_paragraph(body),
        criteria=criteria_of([body, *issue.comment_bodies]),
        status=status,
        closed_by=merged,
        open_prs=still_open,
        demand=issue.reactions + issue.comments,
        epic=epic_of(issue),
    )


def triage(github: GitHubFacts) -> Triage:
    """Sort every issue into stories, known issues, skipped and unclassified."""
    stories, known, skipped, other = [], [], [], []
    for issue in sorted(github.issues, key=lambda i: i.number):
        kind = classify(issue)
        if kind == "story":
            stories.append(story_of(issue, github.pulls))
        elif kind == "skip":
            skipped.append(issue)
        elif kind == "other":
            other.append(issue)
        else:
            known.append(KnownIssue(issue=issue, kind=kind, epic=epic_of(issue)))
    return Triage(stories=tuple(stories), known=tuple(known), skipped=tuple(skipped), unclassified=tuple(other))


def epic_label(labels: Sequence[str]) -> str | None:
    """The label that names an area of the product (prefixed `epic:`/`area:`..., else any non-type label)."""
    for label in labels:
        lowered = label.lower()
        for prefix in EPIC_LABEL_PREFIXES:
            if lowered.startswith(prefix) and label[len(prefix):].strip():
                return label[len(prefix):].strip()
    for label in sorted(labels):
        lowered = label.lower().strip()
        if lowered not in TYPE_LABELS and not re.match(r"^(priority|p\d|size|effort|status|type|kind)\b", lowered):
            return label.strip()
    return None


def epic_of(issue: Issue) -> tuple[str, str] | None:
    """Return (epic name, how it was found: `milestone` or `label`) from the issue's own data, or None."""
    if issue.milestone:
        return issue.milestone, "milestone"
    label = epic_label(issue.labels)
    return (label, "label") if label else None
