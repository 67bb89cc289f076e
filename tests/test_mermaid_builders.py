# Every diagram kind the project can emit, fed hostile labels, must parse with the real mermaid 11 parser and
# must not contain an injected directive, click callback, style with a URL, or raw HTML.
from __future__ import annotations

import re

import pytest

from autodevhub_docs.rendering import mermaid
from autodevhub_docs.rendering.diagrams import from_spec
from tests import mermaid as checker

pytestmark = pytest.mark.mermaid

HOSTILE = [
    'a "quoted" label', "brackets ( [ { < > } ] ) end", "pipe | and ; semicolon", "line one\nline two\r\nthree",
    "A --> B", "n0 --> n1; click n0 call alert(1)", "click n0 href \"javascript:alert(1)\"", "%% a comment",
    '%%{init: {"securityLevel": "loose"}}%%', "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "`backtick` **bold** _it_", "ünïcödé 日本語 🚀 ∑", "x" * 600, "end", "subgraph", "style n0 fill:url(http://x)",
    "classDef evil fill:url(x)", "#35; &amp; \\n \\", '"]; click n0 "x', "", "   ", "::: ,,, ---", "graph TD",
]


def _specs(text: str) -> list[dict]:
    return [
        {"kind": "flowchart", "direction": "LR", "groups": {"g": text},
         "classes": {"hot": "fill:#f96,stroke:#333", "bad": "fill:url(http://x)"},
         "nodes": [{"key": text, "label": text, "group": "g", "shape": shape, "class": "hot"}
                   for shape in ("box",)] + [{"key": f"{text}-{s}", "label": text, "shape": s}
                                             for s in ("round", "db", "stadium", "hexagon", "cloud", "weird")],
         "edges": [{"from": text, "to": f"{text}-db", "label": text}, {"from": text, "to": f"{text}-round",
                                                                        "dotted": True}]},
        {"kind": "er", "entities": [{"name": text, "fields": [{"name": text, "type": text, "key": "PK"},
                                                             {"name": "x", "type": "int", "key": text}]},
                                    {"name": text + "2", "fields": []}],
         "relations": [{"left": text, "right": text + "2", "card": text, "label": text},
                       {"left": text, "right": text + "2", "card": "}o--o{", "label": text}]},
        {"kind": "sequence", "participants": [{"key": "a", "label": text, "actor": True}, {"key": "b", "label": text}],
         "messages": [{"from": "a", "to": "b", "text": text}, {"from": "b", "to": "a", "text": text, "reply": True}]},
        {"kind": "class", "classes": [{"key": "a", "label": text, "members": [text, "int id", "+save() bool"]},
                                      {"key": "b", "label": text}],
         "relations": [{"from": "a", "to": "b", "kind": kind, "label": text, "from_card": "1", "to_card": text}
                       for kind in ("association", "inheritance", "composition", "aggregation", "dependency")]},
        {"kind": "timeline", "title": text, "events": [{"period": text, "items": [text, "ok"]},
                                                       {"period": "2024", "items": []}]},
    ]


def _unsafe_lines(diagram: str) -> list[str]:
    bad = []
    for line in diagram.split("\n"):
        stripped = line.strip()
        if re.match(r"(click|style|linkStyle|%%|callback|href)\b", stripped) or "%%" in stripped:
            bad.append(line)
        if "url(" in stripped.lower() or re.search(r"<\s*(script|img|a|iframe|br)", stripped, re.I):
            bad.append(line)
    return bad


def test_every_builder_with_hostile_labels_parses_and_stays_inert() -> None:
    diagrams = [from_spec(spec) for text in HOSTILE for spec in _specs(text)]
    assert len(diagrams) == len(HOSTILE) * 5
    for diagram in diagrams:
        assert _unsafe_lines(diagram) == [], diagram
        assert "\r" not in diagram
    checker.assert_all_parse(diagrams)


def test_ids_are_generated_and_labels_truncated() -> None:
    chart = mermaid.Flowchart()
    chart.node("end", "end")
    chart.node("x" * 300, "y" * 300)
    chart.edge("end", "x" * 300, "z" * 300)
    text = chart.render()
    assert 'n0["end"]' in text and "n1[" in text
    assert "y" * 80 not in text and "…" in text
    assert max(len(line) for line in text.split("\n")) < 200


def test_labels_escape_every_structural_character() -> None:
    escaped = mermaid.label('a"b<c>d{e}f|g;h[i]j(k)l`m%n#o')
    assert not set('"<>{}|;[]()`%') & set(escaped.replace("#", "").replace(";", ""))
    assert mermaid.ident("end") == "end_" and mermaid.ident("9lives") == "e_9lives" and mermaid.ident("") == "item"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown diagram kind"):
        from_spec({"kind": "gitGraph"})
