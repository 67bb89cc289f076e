# Property tests for the Mermaid builders' public API: for arbitrary (hostile) labels, keys and titles, every
# diagram parses with the REAL mermaid 11 parser and carries no directive, click callback or script.
# Each hypothesis example is a batch of diagrams parsed in one node process, to keep the test fast.
from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from autodevhub_docs.rendering import mermaid
from autodevhub_docs.rendering.diagrams import from_spec
from tests import mermaid as checker

pytestmark = [pytest.mark.mermaid]


@pytest.fixture(autouse=True)
def _parser_installed() -> None:
    checker.require()

HOSTILE = "<>&\"'`[](){}|#*_!@:;%-=~^$+?/.\\\n\r\t\x00\u202e\u2066 aZ1é中😀"
TOKENS = ["%%{init: {'securityLevel':'loose'}}%%", "click n0 call alert(1)", "click A href \"javascript:alert(1)\"",
          "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "end", "subgraph", "graph", "style n0 fill:red",
          "classDef x fill:red", "-->", "---", "==>", ":::cls", "\"", "#quot;", "&#34;", "```", "--8<--", "{{x}}",
          "title", "section", "section x", "title y", "accTitle: t", "one", "to", "many", "zero", "only", "u", "||--o{", "PK", "FK", "<br>", "javascript:alert(1)", "A[\"x\"] --> B", "\n\n", ";", ":"]
text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(alphabet=HOSTILE, max_size=10), st.text(max_size=6)),
                max_size=5).map("".join)
SHAPES = ["box", "round", "db", "stadium", "hexagon", "cloud", "weird"]


@st.composite
def flowchart_specs(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(text, min_size=1, max_size=6, unique=True))
    groups = draw(st.dictionaries(text, text, max_size=3))
    nodes = [{"key": key, "label": draw(text), "shape": draw(st.sampled_from(SHAPES)),
              "group": draw(st.one_of(st.none(), st.sampled_from(sorted(groups)) if groups else st.none())),
              "class": draw(st.sampled_from([None, "ext", "missing"]))} for key in keys]
    edges = [{"from": draw(st.sampled_from(keys)), "to": draw(st.sampled_from(keys)),
              "label": draw(st.one_of(st.none(), text)), "dotted": draw(st.booleans())}
             for _ in range(draw(st.integers(0, 6)))]
    return {"kind": "flowchart", "direction": draw(st.one_of(st.sampled_from(["LR", "TB"]), text)),
            "groups": groups, "nodes": nodes, "edges": edges, "classes": {"ext": "fill:#eef,stroke:#99c"}}


@st.composite
def timeline_specs(draw: st.DrawFn) -> dict[str, Any]:
    events = [{"period": draw(text), "items": draw(st.lists(text, max_size=3))} for _ in range(draw(st.integers(1, 4)))]
    return {"kind": "timeline", "title": draw(text), "events": events}


@st.composite
def er_specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(text, min_size=1, max_size=4))
    entities = [{"name": name, "fields": [{"name": draw(text), "type": draw(text),
                                           "key": draw(st.sampled_from([None, "PK", "FK", "UK", "XX", "PK\nclick"]))}
                                          for _ in range(draw(st.integers(0, 3)))]} for name in names]
    relations = [{"left": draw(st.sampled_from(names)), "right": draw(st.sampled_from(names)),
                  "card": draw(st.sampled_from(["||--o{", "}o--o{", "bogus", "||--o{\nclick x"])), "label": draw(text)}
                 for _ in range(draw(st.integers(0, 3)))]
    return {"kind": "er", "entities": entities, "relations": relations}


def assert_inert(diagram: str) -> None:
    outside_quotes = re.sub(r'"[^"\n]*"', '""', diagram)
    assert "%%" not in diagram, diagram
    assert "<script" not in diagram.lower(), diagram
    assert not re.search(r"\bclick\b", outside_quotes if not diagram.startswith("timeline") else ""), diagram
    for line in diagram.splitlines() if not diagram.startswith("timeline") else ():  # timelines have no statements
        # Statements that run code, fetch, or restyle; an identifier like `click_me` is harmless.
        assert not re.match(r"(?i)(click|style|linkstyle|classdef|callback|href)\s", line.strip()) or \
            line.strip().startswith("classDef ext "), diagram
    assert "\x00" not in diagram and "\u202e" not in diagram


def assert_batch_parses(diagrams: list[str]) -> None:
    for diagram in diagrams:
        assert_inert(diagram)
    failures = [(d, e) for d, e in zip(diagrams, checker.parse_all(diagrams), strict=True) if e is not None]
    assert not failures, "mermaid 11 rejected:\n" + "\n\n".join(f"{d}\n--- {e}" for d, e in failures[:3])


# Hypothesis draws one small input per example, and the test collects the diagrams; mermaid parses them all at the
# end in one node process (starting one per example would cost more than the rest of the test). Drawing one big
# batch per example instead made most draws overrun hypothesis' buffer and be thrown away.
COLLECT = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck),
                   phases=[Phase.explicit, Phase.generate])


def test_every_spec_diagram_parses_and_is_inert() -> None:
    diagrams: list[str] = []

    @COLLECT
    @given(st.one_of(flowchart_specs(), timeline_specs(), er_specs()))
    def collect(spec: dict[str, Any]) -> None:
        diagram = from_spec(spec)
        assert_inert(diagram)
        diagrams.append(diagram)

    collect()
    assert len(diagrams) >= 100
    assert_batch_parses(diagrams)


def test_flowchart_builder_with_hostile_labels() -> None:
    diagrams: list[str] = []

    @COLLECT
    @given(text, text, text)
    def collect(first: str, second: str, edge: str) -> None:
        chart = mermaid.Flowchart(direction="LR")
        chart.node("a", first, group="g")
        chart.group("g", second)
        chart.node("b", second, shape="db")
        chart.edge("a", "b", edge)
        chart.edge("b", "a", None, dotted=True)
        for diagram in (chart.render(),
                        f'flowchart TB\n    n0["{mermaid.label(first)}"] -->|"{mermaid.label(edge, 40)}"| n1["x"]',
                        mermaid.timeline(first, [(second, [edge, first])]),
                        mermaid.er_diagram([(first, [mermaid.ErField(second, edge, "PK")])],
                                           [(first, "||--o{", second, edge)])):
            assert_inert(diagram)
            diagrams.append(diagram)

    collect()
    assert len(diagrams) >= 400
    assert_batch_parses(diagrams)


def test_label_neutralises_quote_directive_and_html() -> None:
    for hostile in ['x"] --> evil["y', "%%{init:{}}%%", "<script>alert(1)</script>", "a\nclick n0 call alert(1)"]:
        escaped = mermaid.label(hostile)
        assert '"' not in escaped and "%" not in escaped and "<" not in escaped and "\n" not in escaped
