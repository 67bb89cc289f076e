# The high-level diagram drawn from the system model: a C4-style container diagram (the person, the entry point,
# the services, the data stores and the external systems outside the boundary, edges labelled with protocols), or,
# for a library, its packages in the direction data flows with the external systems they call. Every node and
# edge of the drawing is also a row of a table with its evidence.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autodevhub_docs.model import Connection, Container, SystemModel

_SHAPES = {"person": "stadium", "database": "db", "cache": "db", "queue": "db", "external": "cloud",
           "tool": "cloud", "proxy": "round", "frontend": "round"}
_STYLES = {"person": "fill:#fff3e0,stroke:#e69500", "external": "fill:#eeeeee,stroke:#999999",
           "tool": "fill:#eeeeee,stroke:#999999", "database": "fill:#fce4ec", "cache": "fill:#fce4ec",
           "queue": "fill:#fce4ec", "proxy": "fill:#e1f5fe", "frontend": "fill:#e1f5fe"}
KIND_WORDS = {"person": "person", "proxy": "reverse proxy", "frontend": "frontend", "service": "service",
              "worker": "worker", "database": "data store", "cache": "cache", "queue": "message broker",
              "mail": "mail server", "admin": "admin tool", "external": "external system", "package": "package",
              "tool": "command-line tool"}
"""How each kind of container is named in prose and tables."""
MAX_DRAWN_EDGES = 60
"""Edges drawn at most (the table lists all of them)."""


def _reduced(connections: Sequence[Connection]) -> list[Connection]:
    """Package edges without the ones a longer path already shows (transitive reduction), externals kept."""
    packages = [c for c in connections if c.protocol == "import"]
    others = [c for c in connections if c.protocol != "import"]
    targets: dict[str, set[str]] = {}
    for c in packages:
        targets.setdefault(c.source, set()).add(c.target)

    def reachable(start: str, goal: str, skip: tuple[str, str]) -> bool:
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for nxt in targets.get(node, ()):
                if (node, nxt) == skip or nxt in seen:
                    continue
                if nxt == goal:
                    return True
                seen.add(nxt)
                stack.append(nxt)
        return False

    kept = [c for c in packages if not reachable(c.source, c.target, (c.source, c.target))]
    return kept + others


def system_diagram(system: SystemModel) -> dict[str, Any] | None:
    """A flowchart spec of the system model, or None when the model is empty."""
    if system.level == "none" or not system.containers:
        return None
    inside = "System" if system.level == "containers" else "Packages"
    groups = {"boundary": inside}
    nodes = []
    for container in system.containers:
        label = f"{container.name}: {container.technology}" if container.technology and \
            container.technology != container.name else container.name
        nodes.append({"key": container.key, "label": label, "shape": _SHAPES.get(container.kind, "box"),
                      "group": None if container.external else "boundary", "class": container.kind
                      if container.kind in _STYLES else None})
    drawn = _reduced(system.connections) if system.level == "components" else list(system.connections)
    edges = [{"from": c.source, "to": c.target, **({} if c.protocol == "import" else {"label": c.protocol})}
             for c in drawn[:MAX_DRAWN_EDGES]]
    used = {c.kind for c in system.containers}
    return {"kind": "flowchart", "direction": "LR", "groups": groups, "nodes": nodes, "edges": edges,
            "classes": {k: v for k, v in _STYLES.items() if k in used}}


def container_rows(system: SystemModel) -> list[dict[str, Any]]:
    """One row per container: name, what it is, what it runs, where it is declared."""
    return [{"container": c, "kind": KIND_WORDS.get(c.kind, c.kind)} for c in system.containers]


def connection_rows(system: SystemModel) -> list[dict[str, Any]]:
    """One row per connection, with both ends' names."""
    names: Mapping[str, Container] = {c.key: c for c in system.containers}
    return [{"from": names[c.source].name, "to": names[c.target].name, "connection": c}
            for c in system.connections if c.source in names and c.target in names]


def flow_sentences(system: SystemModel) -> list[dict[str, Any]]:
    """The main flows in words, one sentence per connection path from the person (offline narrative).

    Each sentence carries the connections it rests on, so every claim cites its evidence.
    """
    names = {c.key: c for c in system.containers}
    out: list[dict[str, Any]] = []
    if system.level == "components":
        sources = [c for c in system.containers if c.kind == "package" and
                   not any(x.target == c.key for x in system.connections if x.protocol == "import")]
        if sources:
            out.append({"text": f"Data enters through {_join([c.name for c in sources])} and flows to the packages "
                                "that import them, as the arrows show.", "refs": []})
        for c in system.connections:
            if c.protocol != "import":
                out.append({"text": f"{names[c.source].name} calls {names[c.target].name} ({c.protocol}).",
                            "refs": [c]})
        return out
    for c in system.connections:
        if c.source.startswith("person:"):
            out.append({"text": f"A user reaches {names[c.target].name} over {c.protocol}.", "refs": [c]})
    for c in system.connections:
        if not c.source.startswith("person:"):
            target = names[c.target]
            out.append({"text": f"{names[c.source].name} talks to {target.name} ({KIND_WORDS.get(target.kind, '')}) "
                                f"over {c.protocol} ({c.via}).", "refs": [c]})
    return out


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
