# Diagram specs are plain data from the generators ({"kind": "flowchart", ...}); this module turns them into
# Mermaid text through the safe builders, so generators never write diagram syntax.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.rendering import mermaid


@dataclass(frozen=True)
class Diagram:
    """Mermaid text, and the connections it does not draw one by one (to list in a table under it)."""

    text: str
    """The diagram."""
    omitted: tuple[tuple[str, str], ...] = ()
    """(from, to) names of the edges left out or grouped into a cluster hub."""
    edges: int = 0
    """How many distinct edges the spec had."""


def build(spec: Mapping[str, Any]) -> Diagram:
    """Build a diagram from a spec (see `from_spec`), with what it had to leave out to stay within Mermaid's limits."""
    if spec.get("kind") != "flowchart":
        return Diagram(from_spec(spec))
    chart = _flowchart(spec)
    text = chart.render()
    total = len({(s, t) for s, t, _, _ in chart.edges})
    return Diagram(text, tuple((chart.texts.get(s, s), chart.texts.get(t, t)) for s, t in chart.omitted), total)


def from_spec(spec: Mapping[str, Any]) -> str:
    """Build Mermaid text from a diagram spec.

    Supported kinds:
        - `flowchart`: `direction`, `groups` ({key: title}), `nodes` ([{key, label, group?, shape?, class?}]),
          `edges` ([{from, to, label?, dotted?}]), `classes` ({name: style}).
        - `timeline`: `title`, `events` ([{period, items}]).
        - `er`: `entities` ([{name, fields: [{name, type, key?}]}]), `relations` ([{left, card, right, label}]).
        - `sequence`: `participants` ([{key, label, actor?}]), `messages` ([{from, to, text, reply?}]).
        - `class`: `classes` ([{key, label, members}]), `relations` ([{from, to, kind?, label?, from_card?, to_card?}]).
    """
    kind = spec.get("kind")
    if kind == "flowchart":
        return _flowchart(spec).render()
    if kind == "timeline":
        return mermaid.timeline(spec.get("title", ""), [(e["period"], e["items"]) for e in spec.get("events", [])])
    if kind == "er":
        return mermaid.er_diagram(
            [(e["name"], [mermaid.ErField(f["name"], f.get("type", "string"), f.get("key")) for f in e["fields"]])
             for e in spec.get("entities", [])],
            [(r["left"], r.get("card", "||--o{"), r["right"], r.get("label", "")) for r in spec.get("relations", [])],
        )
    if kind == "sequence":
        seq = mermaid.SequenceDiagram()
        for item in spec.get("participants", []):
            seq.participant(str(item["key"]), item.get("label", item["key"]), actor=bool(item.get("actor")))
        for msg in spec.get("messages", []):
            if str(msg["from"]) in seq.participants and str(msg["to"]) in seq.participants:
                seq.message(str(msg["from"]), str(msg["to"]), msg.get("text", ""), reply=bool(msg.get("reply")))
        return seq.render()
    if kind == "class":
        chart_cls = mermaid.ClassDiagram()
        for item in spec.get("classes", []):
            chart_cls.cls(str(item["key"]), item.get("label", item["key"]), item.get("members", []))
        for rel in spec.get("relations", []):
            if str(rel["from"]) in chart_cls.classes and str(rel["to"]) in chart_cls.classes:
                chart_cls.relate(str(rel["from"]), str(rel["to"]), str(rel.get("kind", "association")),
                                 rel.get("label"), source_card=str(rel.get("from_card", "")),
                                 target_card=str(rel.get("to_card", "")))
        return chart_cls.render()
    raise ValueError(f"unknown diagram kind {kind!r}")


def _flowchart(spec: Mapping[str, Any]) -> mermaid.Flowchart:
    chart = mermaid.Flowchart(direction=str(spec.get("direction", "TB")) if spec.get("direction") in
                              ("TB", "TD", "BT", "LR", "RL") else "TB")
    for key, title in (spec.get("groups") or {}).items():
        chart.group(str(key), title)
    chart.classes.update({k: v for k, v in (spec.get("classes") or {}).items() if _safe_style(v)})
    for node in spec.get("nodes", []):
        chart.node(str(node["key"]), node.get("label", node["key"]), shape=node.get("shape", "box"),
                   group=node.get("group"), css_class=node.get("class"))
    for edge in spec.get("edges", []):
        if str(edge["from"]) in chart.nodes and str(edge["to"]) in chart.nodes:
            chart.edge(str(edge["from"]), str(edge["to"]), edge.get("label"), dotted=bool(edge.get("dotted")))
    return chart


def _safe_style(style: object) -> bool:
    # Styles are ours, but refuse anything that could fetch a URL or break out of the statement.
    text = str(style)
    return all(ch.isalnum() or ch in "#:,.-% " for ch in text) and "url" not in text.lower()
