# Mermaid diagrams are built here from data, never pasted from a model. Ids are generated (n0, n1, ...), and
# every label is quoted with Mermaid's entity codes for anything that could close the quote, start a directive
# (`%%`), a click callback, HTML, or markdown-string backticks.
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from autodevhub_docs.rendering.markdown import clean
from autodevhub_docs.rendering.mermaid_limits import MAX_EDGES, MAX_TEXT, Fitted, fit

MAX_LABEL = 80

_ENTITY = {
    '"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "%": "#37;",
    "{": "#123;", "}": "#125;", "|": "#124;", ";": "#59;", "[": "#91;", "]": "#93;", "(": "#40;", ")": "#41;",
    "\\": "#92;", "*": "#42;", "_": "#95;", "~": "#126;", "=": "#61;", ":": "#58;", "@": "#64;", "^": "#94;",
}


def label(text: object, limit: int = MAX_LABEL) -> str:
    """Escape text for use inside a quoted Mermaid label (the caller adds the quotes)."""
    flat = " ".join(clean(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    flat = "".join(_ENTITY.get(ch, ch) for ch in flat)
    return flat or " "


_KEYWORDS = frozenset({"click", "callback", "call", "href", "link", "linkstyle", "style", "classdef", "class",
                       "cssclass", "note", "direction", "namespace", "end", "subgraph", "graph", "flowchart",
                       "accdescr", "acctitle", "title", "section", "participant", "actor", "loop", "alt", "opt",
                       "par", "rect", "activate", "deactivate", "autonumber"})


def defuse(text: str) -> str:
    """Keep unquoted text from starting with a Mermaid keyword (a statement must never begin with user text)."""
    first = text.split(" ", 1)[0].lower()
    return f"_{text}" if first in _KEYWORDS else text


def plain_word(text: object, limit: int = 40) -> str:
    """Reduce text to letters, digits and spaces (for diagram kinds whose grammar has no quoting, e.g. timeline)."""
    flat = re.sub(r"[^\w .,'/-]+", " ", clean(text), flags=re.UNICODE)
    flat = re.sub(r"\s+", " ", flat).strip(" -")
    flat = flat.replace(":", " ")
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return defuse(flat) if flat else "untitled"


def ident(text: object) -> str:
    """Make an identifier safe for erDiagram entities and class names (letters, digits, underscores)."""
    word = re.sub(r"\W+", "_", clean(text), flags=re.ASCII).strip("_") or "item"
    if word[0].isdigit():
        word = "e_" + word
    # Words the flowchart and erDiagram lexers read as keywords (PK/FK/UK, cardinality words like `one`, `to`).
    if word.lower() in {"end", "graph", "subgraph", "class", "classdef", "style", "click", "default", "flowchart",
                        "pk", "fk", "uk", "one", "many", "to", "only", "zero", "u", "erdiagram", "direction"}:
        word += "_"
    return word[:60]


@dataclass
class Flowchart:
    """A flowchart built node by node; ids are assigned here, labels are escaped on output.

    `render` keeps the diagram within Mermaid's edge and size limits (see `mermaid_limits`); the edges it does not
    draw one by one are then in `omitted`, and `texts` gives the plain name of every node for a table of them.
    """

    direction: str = "TB"
    nodes: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    edges: list[tuple[str, str, str | None, bool]] = field(default_factory=list)
    groups: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    omitted: list[tuple[str, str]] = field(default_factory=list)

    def node(self, key: str, text: object, *, shape: str = "box", group: str | None = None,
             css_class: str | None = None) -> str:
        """Add a node once (by key) and return its safe id."""
        if key not in self.nodes:
            node_id = f"n{len(self.nodes)}"
            self.texts[node_id] = " ".join(clean(text).split())
            self.nodes[key] = (node_id, _shape(shape, label(text)), css_class)
            if group is not None:
                self.group(group, group)[1].append(node_id)
        return self.nodes[key][0]

    def group(self, key: str, text: object) -> tuple[str, list[str]]:
        """Return (creating it if needed) a subgraph."""
        if key not in self.groups:
            self.groups[key] = (label(text), [])
        return self.groups[key]

    def edge(self, source: str, target: str, text: object | None = None, *, dotted: bool = False) -> None:
        """Connect two node keys (both must exist)."""
        self.edges.append((self.nodes[source][0], self.nodes[target][0], None if text is None else label(text, 40),
                           dotted))

    def render(self) -> str:
        """Return the diagram text, within Mermaid's limits (fewer edges drawn until the text is small enough)."""
        limit = MAX_EDGES
        while True:
            fitted = fit(self.edges, limit)
            text = self._render(fitted)
            if len(text) <= MAX_TEXT or limit == 0:
                break
            limit //= 2
        self.omitted = fitted.omitted
        return text

    def _render(self, fitted: Fitted) -> str:
        lines = [f"flowchart {self.direction}"]
        grouped = {nid for _, members in self.groups.values() for nid in members}
        for index, (title, members) in enumerate(self.groups.values()):
            if not members:
                continue  # an empty subgraph says nothing
            lines.append(f'    subgraph g{index}["{title}"]')
            lines.extend(f"        {self._node_line(nid)}" for nid in members)
            lines.append("    end")
        lines.extend(f"    {self._node_line(nid)}" for nid, _, _ in self.nodes.values() if nid not in grouped)
        lines.extend(f'    {hub}(["{label(title)}"])' for hub, title, _ in fitted.hubs)
        lines.extend(f"    {link.line()}" for link in fitted.links)
        for name, style in self.classes.items():
            lines.append(f"    classDef {name} {style}")
        for nid, _, css in self.nodes.values():
            if css and css in self.classes:
                lines.append(f"    class {nid} {css}")
        return "\n".join(lines)

    def _node_line(self, node_id: str) -> str:
        for nid, text, _ in self.nodes.values():
            if nid == node_id:
                return f"{nid}{text}"
        return node_id


def _shape(shape: str, text: str) -> str:
    return {
        "box": f'["{text}"]', "round": f'("{text}")', "db": f'[("{text}")]', "stadium": f'(["{text}"])',
        "hexagon": f'{{{{"{text}"}}}}', "cloud": f'>"{text}"]',
    }.get(shape, f'["{text}"]')


def timeline(title: str, events: Sequence[tuple[str, Iterable[str]]]) -> str:
    """Build a timeline diagram.

    Args:
        title: Diagram title (escaped).
        events: (period, [event, ...]) in order.
    """
    lines = ["timeline", f"    title {plain_word(title, 60)}"]
    for period, items in events:
        names = [plain_word(i) for i in items] or ["-"]
        when = plain_word(period, 30)
        first, _, rest = when.partition(" ")
        if first.lower() in {"section", "title", "acctitle", "accdescr", "timeline"}:
            when = f"'{first}' {rest}".rstrip()  # a period `section x` would start a section instead
        lines.append(f"    {when} : " + " : ".join(names))
    return "\n".join(lines)


@dataclass(frozen=True)
class ErField:
    """One attribute of an erDiagram entity."""

    name: str
    type: str
    key: str | None = None  # PK, FK or UK


def er_diagram(entities: Sequence[tuple[str, Sequence[ErField]]],
               relations: Sequence[tuple[str, str, str, str]]) -> str:
    """Build an erDiagram within Mermaid's limits.

    At most `MAX_EDGES` relations, and fields and relations only while the text stays under `MAX_TEXT`; every
    entity is still drawn, and the page's tables list everything.

    Args:
        entities: (entity name, fields).
        relations: (left entity, cardinality such as `||--o{`, right entity, label).
    """
    allowed = {"||--o{", "||--|{", "||--||", "}o--o{", "|o--o{", "||--o|", "}|--|{", "|o--||", "}o--||"}
    lines = ["erDiagram"]
    heads = [f"    {ident(name)}" for name, _ in entities]
    budget = MAX_TEXT - sum(len(head) + 5 for head in heads)  # what the entity names alone take
    for head, (_, fields) in zip(heads, entities, strict=True):
        rows = []
        for f in fields:
            key = f" {f.key}" if f.key in {"PK", "FK", "UK"} else ""
            row = f"        {ident(f.type)} {ident(f.name)}{key}"
            budget -= len(row) + 1
            if budget < 0:
                break
            rows.append(row)
        lines += [f"{head} {{", *rows, "    }"] if rows else [head]
    for left, card, right, text in relations[:MAX_EDGES]:
        row = f'    {ident(left)} {card if card in allowed else "||--o{"} {ident(right)} : "{label(text, 40)}"'
        budget -= len(row) + 1
        if budget < 0:
            break
        lines.append(row)
    return "\n".join(lines)


def fence(diagram: str) -> str:
    """Wrap diagram text in the mermaid fence that mkdocs-material renders."""
    return f"```mermaid\n{diagram}\n```"


@dataclass
class SequenceDiagram:
    """A sequence diagram; participant ids are generated, names and messages are escaped."""

    participants: dict[str, tuple[str, str]] = field(default_factory=dict)
    messages: list[tuple[str, str, str, str]] = field(default_factory=list)

    def participant(self, key: str, text: object, *, actor: bool = False) -> str:
        """Declare a participant once (by key) and return its safe id."""
        if key not in self.participants:
            self.participants[key] = (f"p{len(self.participants)}", ("actor" if actor else "participant") +
                                      f" p{len(self.participants)} as {label(text, 50)}")
        return self.participants[key][0]

    def message(self, source: str, target: str, text: object, *, reply: bool = False) -> None:
        """Add a message between two declared participant keys."""
        self.messages.append((self.participants[source][0], "-->>" if reply else "->>",
                              self.participants[target][0], label(text, 60)))

    def render(self) -> str:
        """Return the diagram text."""
        lines = ["sequenceDiagram"]
        lines += [f"    {decl}" for _, decl in self.participants.values()]
        lines += [f"    {a}{arrow}{b}: {text}" for a, arrow, b, text in self.messages[:MAX_EDGES]]
        return "\n".join(lines)


_CLASS_ARROWS = {"association": "-->", "inheritance": "<|--", "composition": "*--", "aggregation": "o--",
                 "dependency": "..>", "link": "--"}
_MULTIPLICITY = {"1", "0..1", "1..*", "*", "0..*", "n", "many"}


def member_text(text: object, limit: int = 60) -> str:
    """Reduce a class member to letters, digits, underscores, spaces, dots and square brackets."""
    flat = re.sub(r"[^\w .\[\]]+", " ", clean(text), flags=re.UNICODE)
    flat = re.sub(r"\s+", " ", flat).strip()
    return defuse(flat[: limit - 1].rstrip() + "…" if len(flat) > limit else flat) if flat else "item"


@dataclass
class ClassDiagram:
    """A class diagram; class ids are generated and shown with quoted, escaped labels."""

    classes: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    relations: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)

    def cls(self, key: str, text: object, members: Iterable[object] = ()) -> str:
        """Declare a class once (by key) with its members and return its safe id."""
        if key not in self.classes:
            self.classes[key] = (f"c{len(self.classes)}", label(text, 60), [member_text(m) for m in members][:40])
        return self.classes[key][0]

    def relate(self, source: str, target: str, kind: str = "association", text: object | None = None, *,
               source_card: str = "", target_card: str = "") -> None:
        """Relate two declared classes (`kind` is association, inheritance, composition, aggregation...)."""
        self.relations.append((self.classes[source][0], _CLASS_ARROWS.get(kind, "-->"), self.classes[target][0],
                               "" if text is None else plain_word(text, 40),
                               source_card if source_card in _MULTIPLICITY else "",
                               target_card if target_card in _MULTIPLICITY else ""))

    def render(self) -> str:
        """Return the diagram text."""
        lines = ["classDiagram"]
        for cid, text, members in self.classes.values():
            lines.append(f'    class {cid}["{text}"]' + (" {" if members else ""))
            if members:
                lines += [f"        {m}" for m in members]
                lines.append("    }")
        for a, arrow, b, text, card_a, card_b in self.relations[:MAX_EDGES]:
            left = f'{a} "{card_a}"' if card_a else a
            right = f'"{card_b}" {b}' if card_b else b
            lines.append(f"    {left} {arrow} {right}" + (f" : {text}" if text else ""))
        return "\n".join(lines)
