# The decision-record section: hand-written ADRs included verbatim, MADR 4 records for the decisions mined from
# history, and the index (table, timeline, supersedes graph).
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from autodevhub_docs.generators.adr_files import record_file
from autodevhub_docs.generators.base import Document, GenContext
from autodevhub_docs.generators.provenance_text import scrub
from autodevhub_docs.llm.client import ProseRequest, ProseResult
from autodevhub_docs.model import HandWrittenAdr, RepoFacts
from autodevhub_docs.model.decisions import Decision

PROMPT_VERSION = 1
OFFLINE_SENTENCE = ("This record was written without Claude: it states only what the commits, pull requests and "
                    "issues listed under More Information say, and leaves out what they do not.")
_INSTRUCTIONS = (
    "Write the sections of a MADR 4 architecture decision record for the decision described in the data. "
    "Use only what the commit messages, pull request descriptions, issue texts and manifest changes say; when they "
    "do not state a driver, an option or a consequence, leave that list empty rather than guessing. `context`: 2-4 "
    "sentences on the problem and situation. `drivers`: short phrases. `options`: the alternatives that were "
    "considered, the chosen one first. `outcome`: one sentence 'Chosen option: X, because ...'. `good`/`bad`: "
    "consequences. `refs`: the references (#N, commit shas) you relied on; cite only references present in the data."
)
_STRINGS = {"type": "array", "items": {"type": "string"}}
SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "context": {"type": "string"},
        "drivers": _STRINGS,
        "options": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "description": {"type": "string"}}, "required": ["name", "description"]}},
        "outcome": {"type": "string"},
        "good": _STRINGS,
        "bad": _STRINGS,
        "refs": _STRINGS,
    },
    "required": ["context", "drivers", "options", "outcome", "good", "bad", "refs"],
}

_PLAIN_LINK = re.compile(r"[\w./-]+\.md")


def site_uri(record: HandWrittenAdr, ctx: GenContext) -> tuple[str, bool]:
    """Return where a hand-written record appears on the site, and whether the site already has it.

    A record inside the docs folder is already part of the site; any other is copied verbatim to `adr/`, keeping
    its sub-folder inside the ADR directory (two records with one file name get two pages).
    """
    docs_dir = ctx.settings.docs_dir
    full = Path(ctx.facts.root) / record.path
    if docs_dir is not None:
        try:
            return full.resolve().relative_to(docs_dir.resolve()).as_posix(), True
        except ValueError:
            pass
    # Under its folder inside the ADR directory, so `archive/0001-x.md` and `0001-x.md` stay two pages.
    folder = (ctx.facts.adr_dir or "").rstrip("/") + "/"
    relative = record.path.removeprefix(folder) if record.path.startswith(folder) else record.filename
    return f"adr/{relative}", False


def _first_paragraph(text: str, limit: int = 600) -> str:
    paragraph = next((p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()), "")
    return paragraph if len(paragraph) <= limit else paragraph[: limit - 1] + "…"


def fallback_for(decision: Decision) -> dict[str, Any]:
    """The record's sections built only from what the sources state (the offline answer)."""
    first, last = decision.date, decision.last_date
    when = f"on {first}" if first == last else f"between {first} and {last}"
    if decision.kind in ("practice", "labelled"):
        name = _evidence_name(decision.evidence[0])
        context = f"{name[:1].upper()}{name[1:]} records this decision {when}."
    else:
        context = f"The history shows this change to the project's {decision.category} {when}."
    quoted = [f"{_evidence_name(e)} says: “{_first_paragraph(e.body)}”" for e in decision.evidence
              if e.kind in ("pr", "issue") and e.body.strip()][:2]
    changes = [line for e in decision.evidence for line in e.changes][:6]
    options = [{"name": name, "description": "chosen"} for name in decision.chosen]
    options += [{"name": name, "description": "used before, replaced" if decision.chosen else "removed"}
                for name in decision.replaced]
    if decision.chosen:
        outcome = f"Chosen option: {', '.join(decision.chosen)}" + \
                  (f", replacing {', '.join(decision.replaced)}." if decision.replaced else ".")
    elif decision.replaced:
        outcome = f"{', '.join(decision.replaced)} was removed with no replacement named in the sources."
    else:
        outcome = f"Accepted as {_evidence_name(decision.evidence[-1])}." if decision.status == "accepted" else \
            f"The decision is {decision.status}."
    return {"context": " ".join([context, *quoted]), "changes": changes, "drivers": [], "options": options,
            "outcome": outcome, "good": [], "bad": [], "refs": sorted(decision.refs())}


def _evidence_name(item: Any) -> str:
    if item.kind == "commit":
        return f"commit {item.ref[:7]}"
    return f"{'PR' if item.kind == 'pr' else 'issue'} {item.ref}"


def _known_refs(decision: Decision, facts: RepoFacts) -> frozenset[str]:
    refs = set(decision.refs())
    refs.update(path.split(":", 1)[0] for e in decision.evidence for path in e.changes)
    refs.update(path for e in decision.evidence for path in e.files)
    del facts
    return frozenset(refs)


def request_for(decision: Decision, facts: RepoFacts) -> ProseRequest:
    """The ProseRequest that asks Claude for a record's sections."""
    evidence = [{"kind": e.kind, "ref": e.ref if e.kind != "commit" else e.ref[:12], "date": e.date, "title": e.title,
                 "author": e.author, "state": e.state, "text": e.body, "manifest_changes": list(e.changes),
                 "changed_files": list(e.files), "discussion": list(e.discussion)}
                for e in decision.evidence[:12]]
    data = {"title": decision.title, "category": decision.category, "kind": decision.kind,
            "chosen": list(decision.chosen), "replaced": list(decision.replaced), "status": decision.status,
            "first_seen": decision.date, "evidence": evidence}
    return ProseRequest(key=f"adr/{decision.id}", section="adr", prompt="adr_record", prompt_version=PROMPT_VERSION,
                        instructions=_INSTRUCTIONS, data=data, schema=SCHEMA, fallback=fallback_for(decision),
                        known_refs=_known_refs(decision, facts))


def _answer(result: ProseResult | None, fallback: Mapping[str, Any], known: frozenset[str]
            ) -> tuple[dict[str, Any], int]:
    """Validate a model answer against the facts: unknown references are removed and counted."""
    if result is None or result.origin in ("offline", "fallback"):
        return dict(fallback if result is None else result.data), 0
    data = dict(result.data)
    dropped = 0
    out: dict[str, Any] = {"changes": fallback.get("changes", [])}
    for key in ("context", "outcome"):
        out[key], n = scrub(str(data.get(key, "")), known)
        dropped += n
    for key in ("drivers", "good", "bad"):
        items = []
        for text in data.get(key) or []:
            clean_text, n = scrub(str(text), known)
            dropped += n
            if clean_text.strip():
                items.append(clean_text)
        out[key] = items
    out["options"] = []
    for option in data.get("options") or []:
        if isinstance(option, Mapping):
            name, n1 = scrub(str(option.get("name", "")), known)
            description, n2 = scrub(str(option.get("description", "")), known)
            dropped += n1 + n2
            out["options"].append({"name": name, "description": description})
    refs = [str(r) for r in data.get("refs") or []]
    out["refs"] = [r for r in refs if r in known]
    dropped += len(refs) - len(out["refs"])
    return out, dropped


class AdrGenerator:
    """Writes `adr/index.md`, one MADR record per mined decision, and copies hand-written records."""

    section = "adr"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """One request per mined decision (cached by its evidence, so an unchanged decision costs nothing)."""
        covered = ctx.analysis.covered_decisions
        return [request_for(d, ctx.facts) for d in ctx.analysis.decisions if d.id not in covered and not d.minor]

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the records and the index."""
        documents: list[Document] = []
        rows: list[dict[str, Any]] = []
        for record in ctx.facts.adrs:
            uri, in_site = site_uri(record, ctx)
            if not in_site:
                documents.append(Document(uri=uri, title=record.title, template="", verbatim=record.text))
            link = uri.removeprefix("adr/") if uri.startswith("adr/") else f"../{uri}"
            rows.append({"number": record.number, "title": record.title, "status": record.status or "",
                         "date": record.date or "", "link": link, "origin": "hand-written", "path": record.path,
                         "supersedes": list(record.supersedes), "superseded_by": list(record.superseded_by),
                         "evidence": []})
        mined = ctx.analysis.decisions
        covered = ctx.analysis.covered_decisions
        decisions = [d for d in mined if d.id not in covered and not d.minor]
        minor = [d for d in mined if d.id not in covered and d.minor]
        numbers = dict(ctx.analysis.decision_numbers)  # assigned by the numbering step, stable across builds
        names = {d.id: record_file(numbers[d.id], d.title) for d in decisions}
        hand_rows = {row["number"]: row for row in rows}
        for decision_id, number in covered.items():  # the person's record stands for the mined decision
            numbers[decision_id] = number
            row = hand_rows[number]
            names[decision_id] = row["link"] if _PLAIN_LINK.fullmatch(row["link"]) else ""
        for decision in mined:
            successor = decision.superseded_by
            if decision.id in covered and successor and successor not in covered:
                row = hand_rows[numbers[decision.id]]
                row["superseded_by"] = sorted({*row["superseded_by"], numbers[successor]})
                row["mined_successor"] = numbers[successor]
        for decision in decisions:
            documents.append(self._record(ctx, decision, numbers, names, prose.get(f"adr/{decision.id}")))
            successor = decision.superseded_by
            rows.append({"number": numbers[decision.id], "title": decision.title, "link": names[decision.id],
                         "status": f"superseded by ADR-{numbers[successor]:04d}" if successor else decision.status,
                         "date": decision.date, "origin": "mined", "path": None,
                         "supersedes": [numbers[i] for i in decision.supersedes if i in numbers],
                         "superseded_by": [numbers[successor]] if successor else [], "evidence": decision.evidence})
        rows.sort(key=lambda r: (r["number"] is None, r["number"] or 0, r["link"]))
        for row in rows:  # hand-written file names come from the repository: link only plain ones
            row["link_ok"] = bool(_PLAIN_LINK.fullmatch(row["link"]))
        files = {r["number"]: r["link"] for r in rows if r["number"] is not None and r["link_ok"]}
        index = Document(
            uri="adr/index.md", title="Architecture Decision Records", template="adr/index.md.jinja",
            context={"rows": rows, "adr_dir": ctx.facts.adr_dir, "timeline": _timeline(rows),
                     "graph": _graph(rows), "files": files, "mined": len(decisions),
                     "hand_written": len(ctx.facts.adrs), "minor": _minor_rows(minor, numbers, names)},
            inventory={"adr": {(f"{r['number']:04d}" if r["number"] is not None else r["link"]):
                               f"{r['title']} ({r['status'] or 'no status'})" for r in rows}},
        )
        return [index, *documents]

    def _record(self, ctx: GenContext, decision: Decision, numbers: Mapping[str, int], names: Mapping[str, str],
                result: ProseResult | None) -> Document:
        request = request_for(decision, ctx.facts)
        answer, dropped = _answer(result, request.fallback, request.known_refs)
        number = numbers[decision.id]
        successor = decision.superseded_by
        status = f"superseded by ADR-{numbers[successor]:04d}" if successor else decision.status
        # Raw values: the template writes each one as a quoted YAML string (the `yaml` filter escapes it).
        front: dict[str, Any] = {"status": status, "date": decision.date,
                                 "decision-makers": ", ".join(decision.decision_makers) or "unknown"}
        links = {
            "supersedes": [{"label": f"ADR-{numbers[i]:04d}", "file": names[i]} for i in decision.supersedes
                           if numbers.get(i) is not None],
            "superseded_by": [{"label": f"ADR-{numbers[successor]:04d}", "file": names[successor]}]
            if successor else [],
        }
        if links["supersedes"]:
            front["supersedes"] = [item["label"] for item in links["supersedes"]]
        if links["superseded_by"]:
            front["superseded_by"] = [item["label"] for item in links["superseded_by"]]
        offline = result is None or result.origin in ("offline", "fallback")
        notes = [result.note] if result is not None and result.origin == "fallback" and result.note else []
        return Document(
            uri=f"adr/{names[decision.id]}", title=decision.title, template="adr/record.md.jinja",
            context={"decision": decision, "number": f"{number:04d}", "front": front, "answer": answer,
                     "links": links, "offline": offline, "offline_sentence": OFFLINE_SENTENCE, "notes": notes,
                     "dropped": dropped, "dropped_refs": dropped, "status": status},
        )


def _minor_rows(minor: Sequence[Decision], numbers: Mapping[str, int], names: Mapping[str, str]
                ) -> list[dict[str, Any]]:
    """One row per change that has nothing to say beyond its diff (no record page, no number)."""
    found = []
    for decision in minor:
        successor = decision.superseded_by
        number = numbers.get(successor) if successor else None
        found.append({"title": decision.title, "dates": decision.history or (decision.date,),
                      "successor": {"label": f"ADR-{number:04d}", "file": names.get(successor or "", "")}
                      if number is not None else None,
                      "evidence": [e for e in decision.evidence if e.kind == "commit"][:3],
                      "changes": [line for e in decision.evidence for line in e.changes][:2]})
    return found


def _timeline(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    periods: dict[str, list[str]] = {}
    for row in sorted((r for r in rows if r["date"]), key=lambda r: (str(r["date"]), r["number"] or 0)):
        number = f"ADR {row['number']:04d}" if row["number"] is not None else "ADR"
        periods.setdefault(str(row["date"])[:7], []).append(f"{number} {row['title']}")
    if not periods:
        return None
    return {"kind": "timeline", "title": "Decisions over time",
            "events": [{"period": period, "items": items} for period, items in periods.items()]}


def _graph(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    by_number = {r["number"]: r for r in rows if r["number"] is not None}
    edges = []
    for row in by_number.values():
        for old in row["supersedes"]:
            if old in by_number:
                edges.append((old, row["number"]))
        for new in row["superseded_by"]:
            if new in by_number:
                edges.append((row["number"], new))
    edges = sorted(set(edges))
    if not edges:
        return None
    involved = sorted({n for edge in edges for n in edge})
    return {
        "kind": "flowchart", "direction": "LR",
        "classes": {"superseded": "fill:#eeeeee,stroke:#999999,color:#666666"},
        "nodes": [{"key": f"adr{n}", "label": f"ADR-{n:04d} {by_number[n]['title']}",
                   "class": "superseded" if any(e[0] == n for e in edges) else None} for n in involved],
        "edges": [{"from": f"adr{old}", "to": f"adr{new}", "label": "superseded by"} for old, new in edges],
    }
