# Mermaid refuses a diagram with more than 500 edges ("Edge limit exceeded") or more than 50,000 characters, and the
# page then shows the raw diagram source. A repository decides how many edges there are (25 compose services that
# all depend on each other make 600), so every flowchart is fitted here before it is written: duplicate edges are
# merged, reciprocal pairs become one two-way edge, a dense cluster (a strongly connected set where most pairs are
# linked) becomes one hub node, and only then are edges left out. What is not drawn one by one is returned, so the
# page lists it in a table under the diagram.
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_EDGES = 400
"""Most edges drawn (Mermaid's limit is 500; the margin is for edges other builders may add)."""
MAX_TEXT = 40_000
"""Most characters of diagram text (Mermaid's `maxTextSize` is 50,000)."""
_DENSE = 0.5
"""Share of linked pairs from which a strongly connected set is drawn as one hub."""


@dataclass(frozen=True)
class Link:
    """One drawn edge."""

    source: str
    """Node id."""
    target: str
    """Node id."""
    text: str | None = None
    """Escaped edge label."""
    dotted: bool = False
    """Dotted line."""
    both: bool = False
    """Arrows at both ends (it stands for two reciprocal edges)."""
    plain: bool = False
    """No arrow (a member joined to its cluster hub)."""

    def line(self) -> str:
        """The Mermaid statement."""
        if self.plain:
            arrow = "-.-" if self.dotted else "---"
        elif self.both:
            arrow = "<-.->" if self.dotted else "<-->"
        else:
            arrow = "-.->" if self.dotted else "-->"
        return f'{self.source} {arrow}|"{self.text}"| {self.target}' if self.text else \
            f"{self.source} {arrow} {self.target}"


@dataclass
class Fitted:
    """The edges to draw, the hub nodes added for dense clusters, and the edges not drawn one by one."""

    links: list[Link] = field(default_factory=list)
    """Edges to draw."""
    hubs: list[tuple[str, str, list[str]]] = field(default_factory=list)
    """(hub id, title, member ids) of each collapsed cluster."""
    omitted: list[tuple[str, str]] = field(default_factory=list)
    """(source id, target id) of every edge that is not drawn as its own arrow."""


def fit(edges: Sequence[tuple[str, str, str | None, bool]], limit: int = MAX_EDGES) -> Fitted:
    """Reduce a flowchart's edges until at most `limit` are drawn.

    Args:
        edges: (source id, target id, escaped label or None, dotted) in the order they were added.
        limit: Most edges to draw.
    """
    unique: dict[tuple[str, str, bool], str | None] = {}
    for source, target, text, dotted in edges:
        unique.setdefault((source, target, dotted), text)
    fitted = Fitted(links=[Link(s, t, text, dotted) for (s, t, dotted), text in unique.items()])
    if len(fitted.links) > limit:
        fitted.links = _merge_reciprocal(fitted.links)
    if len(fitted.links) > limit:
        _collapse_dense_clusters(fitted)
    if len(fitted.links) > limit:
        for link in fitted.links[limit:]:
            fitted.omitted += [(link.source, link.target)] + ([(link.target, link.source)] if link.both else [])
        fitted.links = fitted.links[:limit]
    return fitted


def _merge_reciprocal(links: list[Link]) -> list[Link]:
    """`a --> b` and `b --> a` (same style) become `a <--> b`; a label is kept when both edges had the same one."""
    index = {(link.source, link.target, link.dotted): link for link in links}
    merged: list[Link] = []
    done: set[tuple[str, str, bool]] = set()
    for link in links:
        key = (link.source, link.target, link.dotted)
        if key in done:
            continue
        back = index.get((link.target, link.source, link.dotted))
        done.add(key)
        if back is not None and link.source != link.target:
            done.add((link.target, link.source, link.dotted))
            merged.append(Link(link.source, link.target, link.text if link.text == back.text else None,
                               link.dotted, both=True))
        else:
            merged.append(link)
    return merged


def _components(nodes: list[str], successors: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm, iterative so a long chain cannot overflow the stack)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in nodes:
        if start in order:
            continue
        work = [(start, iter(sorted(successors.get(start, ()))))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in order:
                    order[child] = low[child] = len(order)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(successors.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], order[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def _collapse_dense_clusters(fitted: Fitted) -> None:
    """Draw each dense strongly connected set as one hub joined to its members; its inner edges are omitted."""
    successors: dict[str, set[str]] = {}
    for link in fitted.links:
        successors.setdefault(link.source, set()).add(link.target)
        if link.both:
            successors.setdefault(link.target, set()).add(link.source)
    nodes = list(dict.fromkeys(n for link in fitted.links for n in (link.source, link.target)))
    cluster_of: dict[str, int] = {}
    for component in _components(nodes, successors):
        size = len(component)
        inner = sum(len(successors.get(n, set()) & set(component)) for n in component)
        if size >= 3 and inner >= _DENSE * size * (size - 1):
            for member in component:
                cluster_of[member] = len(fitted.hubs)
            fitted.hubs.append((f"h{len(fitted.hubs)}", f"{size} nodes that all link to one another", component))
    if not fitted.hubs:
        return
    kept: list[Link] = []
    for link in fitted.links:
        cluster = cluster_of.get(link.source)
        if cluster is not None and cluster == cluster_of.get(link.target):
            fitted.omitted += [(link.source, link.target)] + ([(link.target, link.source)] if link.both else [])
        else:
            kept.append(link)
    joins = [Link(member, hub, dotted=True, plain=True) for hub, _, members in fitted.hubs for member in members]
    fitted.links = joins + kept
