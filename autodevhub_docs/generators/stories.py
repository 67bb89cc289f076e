# The user-story section: a story map (`stories/index.md`) and one page per epic. Stories come from GitHub issues
# (or an offline export); without them the section says so plainly instead of inventing any.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autodevhub_docs.generators.adr_files import record_file
from autodevhub_docs.generators.base import Document, GenContext
from autodevhub_docs.generators.provenance_text import scrub
from autodevhub_docs.llm.client import ProseRequest, ProseResult
from autodevhub_docs.model import Component, GitHubFacts
from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.model.stories import Story, Triage
from autodevhub_docs.slug import anchor_slug

PROMPT_VERSION = 1
UNPLANNED = "Unplanned"
STATUSES = ("open", "in progress", "done")
MAX_TEXT = 3000

_STORY_INSTRUCTIONS = (
    "Read the GitHub issue in the data as a user story. `role`: the kind of user the issue names; if it names none, "
    "answer 'user' and set `role_stated` to false. `capability`: what they want, as a short phrase starting with "
    "'to'. `benefit`: "
    "why, only if the issue or its discussion says so, else ''. `criteria`: acceptance criteria as Given/When/Then, "
    "drawn from the task lists and the discussion; do not add criteria nobody asked for. `refs`: issue or PR "
    "references (#N) you relied on, only ones present in the data."
)
_CLUSTER_INSTRUCTIONS = (
    "Group these issues, which have no milestone and no area label, into a few epics (product areas) named in 1-4 "
    "words. Every number must come from the data and appear at most once; leave out issues that fit no group."
)
_CRITERION = {"type": "object", "properties": {"given": {"type": "string"}, "when": {"type": "string"},
                                               "then": {"type": "string"}, "text": {"type": "string"}}}
STORY_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {"role": {"type": "string"}, "role_stated": {"type": "boolean"}, "capability": {"type": "string"},
                   "benefit": {"type": "string"}, "criteria": {"type": "array", "items": _CRITERION},
                   "refs": {"type": "array", "items": {"type": "string"}}},
    "required": ["role", "role_stated", "capability", "benefit", "criteria", "refs"],
}
CLUSTER_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {"epics": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "numbers": {"type": "array", "items": {"type": "integer"}}},
        "required": ["name", "numbers"]}}},
    "required": ["epics"],
}


def _usable(ctx: GenContext) -> tuple[GitHubFacts, Triage] | None:
    github, sorted_issues = ctx.facts.github, ctx.analysis.triage
    if github is None or sorted_issues is None or not ctx.analysis.github_usable:
        return None
    return github, sorted_issues


def _bounded(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def story_fallback(story: Story) -> dict[str, Any]:
    """The offline reading of a story: only what the issue says."""
    return {"role": story.role, "role_stated": not story.role_derived, "capability": story.capability,
            "capability_stated": story.capability_stated, "benefit": story.benefit or "",
            "criteria": [{"given": c.given, "when": c.when, "then": c.then, "text": c.text,
                          **({"done": c.done} if c.done is not None else {})} for c in story.criteria],
            "refs": [f"#{story.issue.number}", *(f"#{p.number}" for p in story.closed_by + story.open_prs)]}


def story_request(story: Story) -> ProseRequest:
    """Ask Claude to read one issue as a user story (cached per issue)."""
    issue = story.issue
    refs = {f"#{issue.number}", *(f"#{p.number}" for p in story.closed_by + story.open_prs)}
    data = {"number": issue.number, "title": issue.title, "body": _bounded(issue.body),
            "discussion": [_bounded(c, 1500) for c in issue.comment_bodies[:10]], "labels": list(issue.labels),
            "status": story.status, "pull_requests": sorted(refs - {f"#{issue.number}"})}
    return ProseRequest(key=f"stories/story-{issue.number}", section="stories", prompt="user_story",
                        prompt_version=PROMPT_VERSION, instructions=_STORY_INSTRUCTIONS, data=data,
                        schema=STORY_SCHEMA, fallback=story_fallback(story), known_refs=frozenset(refs))


def _unassigned(sorted_issues: Triage) -> list[tuple[int, str, str]]:
    items = [(s.issue.number, s.issue.title, s.summary) for s in sorted_issues.stories if s.epic is None]
    items += [(k.issue.number, k.issue.title, "") for k in sorted_issues.known if k.epic is None]
    return sorted(items)


def cluster_request(items: Sequence[tuple[int, str, str]]) -> ProseRequest:
    """Ask Claude to group issues that have no milestone or area label; offline they stay in one honest epic."""
    data = {"issues": [{"number": n, "title": t, "summary": _bounded(s, 400)} for n, t, s in items]}
    return ProseRequest(key="stories/epics", section="stories", prompt="story_epics", prompt_version=PROMPT_VERSION,
                        instructions=_CLUSTER_INSTRUCTIONS, data=data, schema=CLUSTER_SCHEMA,
                        fallback={"epics": [{"name": UNPLANNED, "numbers": [n for n, _, _ in items]}]},
                        known_refs=frozenset(f"#{n}" for n, _, _ in items))


def _story_answer(story: Story, result: ProseResult | None) -> tuple[dict[str, Any], int]:
    fallback = story_fallback(story)
    if result is None or result.origin in ("offline", "fallback"):
        return fallback, 0
    known = frozenset(fallback["refs"])
    data, dropped = dict(result.data), 0
    out: dict[str, Any] = {}
    for key in ("role", "capability", "benefit"):
        out[key], n = scrub(str(data.get(key) or ""), known)
        dropped += n
    out["role_stated"] = bool(data.get("role_stated")) and bool(out["role"].strip())
    if not out["role_stated"]:
        out["role"] = "user"
    out["capability_stated"] = bool(out["capability"].strip())
    out["capability"] = out["capability"] or fallback["capability"]
    criteria = []
    for item in data.get("criteria") or []:
        if isinstance(item, Mapping):
            parts = {}
            for key in ("given", "when", "then", "text"):
                parts[key], n = scrub(str(item.get(key) or ""), known)
                dropped += n
            if any(parts.values()):
                criteria.append(parts)
    out["criteria"] = criteria
    refs = [str(r) for r in data.get("refs") or []]
    out["refs"] = [r for r in refs if r in known]
    return out, dropped + len(refs) - len(out["refs"])


def _clusters(result: ProseResult | None, items: Sequence[tuple[int, str, str]]) -> tuple[dict[int, str], str]:
    """Epic name per unassigned issue number, validated against the input; the rest go to Unplanned."""
    allowed = {n for n, _, _ in items}
    assigned: dict[int, str] = {}
    origin = "offline" if result is None else result.origin
    epics = (result.data.get("epics") if result is not None else None) or []
    for epic in epics:
        if not isinstance(epic, Mapping):
            continue
        name = " ".join(str(epic.get("name") or "").split())[:60]
        for number in epic.get("numbers") or []:
            if isinstance(number, int) and number in allowed and number not in assigned and name:
                assigned[number] = name
    for number in allowed - set(assigned):
        assigned[number] = UNPLANNED
    return assigned, origin


class StoryGenerator:
    """Writes `stories/index.md` and one page per epic."""

    section = "stories"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """One request per story, plus one to group the issues that have no epic."""
        usable = _usable(ctx)
        if usable is None:
            return []
        _, sorted_issues = usable
        requests = [story_request(s) for s in sorted_issues.stories]
        items = _unassigned(sorted_issues)
        if items:
            requests.append(cluster_request(items))
        return requests

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the story map and the epic pages."""
        usable = _usable(ctx)
        if usable is None:
            github = ctx.facts.github
            return [Document(uri="stories/index.md", title="User Stories", template="stories/index.md.jinja",
                             context={"github": github, "private": github is not None, "epics": [],
                                      "map": None, "sorted": None, "totals": {}})]
        github, sorted_issues = usable
        items = _unassigned(sorted_issues)
        clusters, cluster_origin = _clusters(prose.get("stories/epics"), items)
        epics = self._epics(github, sorted_issues, clusters, cluster_origin)
        base = github.html_url.rstrip("/")
        documents = []
        inventory: dict[str, str] = {}
        for epic in epics:
            stories = []
            for story in epic["stories"]:
                result = prose.get(f"stories/story-{story.issue.number}")
                answer, dropped = _story_answer(story, result)
                stories.append({"story": story, "answer": answer, "dropped": dropped,
                                "offline": result is None or result.origin in ("offline", "fallback"),
                                "url": story.issue.url or (f"{base}/issues/{story.issue.number}" if base else ""),
                                "prs": [{"pr": p, "url": p.url or (f"{base}/pull/{p.number}" if base else "")}
                                        for p in story.closed_by + story.open_prs],
                                "adrs": related_adrs(story, ctx.analysis),
                                "components": touched_components(story, ctx.arch.components)})
                inventory[f"#{story.issue.number}"] = f"{story.issue.title} ({story.status})"
            known = [{"item": k, "url": k.issue.url or (f"{base}/issues/{k.issue.number}" if base else "")}
                     for k in epic["known"]]
            notes = [r.note for r in (prose.get(f"stories/story-{s.issue.number}") for s in epic["stories"])
                     if r is not None and r.origin == "fallback" and r.note]
            documents.append(Document(
                uri=f"stories/{epic['slug']}.md", title=epic["name"], template="stories/epic.md.jinja",
                context={"epic": epic, "stories": stories, "known": known, "counts": epic["counts"],
                         "notes": list(dict.fromkeys(notes)), "repo": github.repo,
                         "dropped_refs": sum(s["dropped"] for s in stories)},
            ))
        totals = {s: sum(e["counts"][s] for e in epics) for s in STATUSES}
        index = Document(
            uri="stories/index.md", title="User Stories", template="stories/index.md.jinja",
            context={"github": github, "private": False, "epics": epics, "map": _story_map(epics),
                     "sorted": sorted_issues, "totals": totals},
            inventory={"story": inventory},
        )
        return [index, *documents]

    def _epics(self, github: GitHubFacts, sorted_issues: Triage, clusters: Mapping[int, str], cluster_origin: str
               ) -> list[dict[str, Any]]:
        milestones = {m.title: m for m in github.milestones}
        epics: dict[str, dict[str, Any]] = {}

        def epic(name: str, source: str) -> dict[str, Any]:
            if name not in epics:
                milestone = milestones.get(name) if source == "milestone" else None
                epics[name] = {"name": name, "source": source, "stories": [], "known": [],
                               "description": milestone.description if milestone else "",
                               "due_on": milestone.due_on if milestone else None,
                               "milestone_state": milestone.state if milestone else None}
            return epics[name]

        def place(issue_number: int, found: tuple[str, str] | None) -> dict[str, Any]:
            if found:
                return epic(*found)
            name = clusters.get(issue_number, UNPLANNED)
            return epic(name, "none" if name == UNPLANNED else f"clustered:{cluster_origin}")

        for story in sorted_issues.stories:
            place(story.issue.number, story.epic)["stories"].append(story)
        for known in sorted_issues.known:
            if known.issue.state == "open":
                place(known.issue.number, known.epic)["known"].append(known)
        order = {"milestone": 0, "label": 1, "none": 3}
        numbers = {m.title: m.number for m in github.milestones}
        ordered = sorted(epics.values(), key=lambda e: (order.get(e["source"], 2), numbers.get(e["name"], 0),
                                                        e["name"].lower()))
        used = {"index"}
        for item in ordered:
            slug = anchor_slug(item["name"])
            candidate, n = slug, 2
            while candidate in used:
                candidate, n = f"{slug}-{n}", n + 1
            used.add(candidate)
            item["slug"] = candidate
            item["counts"] = {s: sum(1 for st in item["stories"] if st.status == s) for s in STATUSES}
            # unfinished work first, most wanted first: the page doubles as a backlog
            item["stories"].sort(key=lambda st: (st.status == "done", -st.demand, st.issue.number))
        return [e for e in ordered if e["stories"] or e["known"]]


def related_adrs(story: Story, analysis: Analysis) -> list[dict[str, Any]]:
    """The mined ADRs whose evidence is this story's issue, a pull request that closes it, or that PR's merge commit.

    Args:
        story: The story.
        analysis: The analysis (its mined decisions and their numbers; hand-written records carry no evidence).

    Returns:
        `{"number", "title", "link"}` per record, by number; `link` is relative to `adr/`.
    """
    prs = story.closed_by + story.open_prs
    refs = {f"#{story.issue.number}", *(f"#{p.number}" for p in prs)}
    shas = {p.merge_sha for p in prs if p.merge_sha}
    related = []
    for decision in analysis.decisions:
        number = analysis.decision_numbers.get(decision.id)
        if number is None or decision.id in analysis.covered_decisions:
            continue
        if any((e.kind in ("pr", "issue") and e.ref in refs) or (e.kind == "commit" and e.ref in shas)
               for e in decision.evidence):
            related.append({"number": number, "title": decision.title, "link": record_file(number, decision.title)})
    return sorted(related, key=lambda r: r["number"])


def touched_components(story: Story, components: Sequence[Component]) -> list[str]:
    """Names of the components holding files that the story's pull requests changed, largest first.

    The repository root (`.`) is left out: every file is under it, so it says nothing.
    """
    changed = [f for p in story.closed_by + story.open_prs for f in p.changed_files]
    touched = [c for c in components if c.path not in ("", ".")
               and any(f == c.path or f.startswith(c.path.rstrip("/") + "/") for f in changed)]
    return [c.name for c in touched]


def _story_map(epics: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    if not epics:
        return None
    nodes, edges = [{"key": "root", "label": "User stories", "shape": "stadium"}], []
    for index, epic in enumerate(epics):
        key = f"e{index}"
        total = len(epic["stories"])
        nodes.append({"key": key, "label": f"{epic['name']} ({total} {'story' if total == 1 else 'stories'})"})
        edges.append({"from": "root", "to": key})
        for status in STATUSES:
            count = epic["counts"][status]
            if count:
                node = f"{key}-{status}"
                nodes.append({"key": node, "label": f"{status}: {count}", "class": status.replace(" ", "_"),
                              "shape": "round"})
                edges.append({"from": key, "to": node})
    return {"kind": "flowchart", "direction": "LR", "nodes": nodes, "edges": edges,
            "classes": {"open": "fill:#fff4e5,stroke:#e69500", "in_progress": "fill:#e5f0ff,stroke:#3572d6",
                        "done": "fill:#e7f7e9,stroke:#2e9a44"}}


