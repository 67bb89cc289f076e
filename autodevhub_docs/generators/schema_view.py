# The database schema at any size: duplicate relations merged; up to `ER_LIMIT` entities drawn in one erDiagram;
# beyond that, one erDiagram per module (each at most `ER_LIMIT` entities) and an overview of the relations between
# modules. Tables of more than `TABLE_LIMIT` rows are split by module.
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from autodevhub_docs.model import Entity, Relation

ER_LIMIT = 25
"""Most entities one erDiagram draws."""
TABLE_LIMIT = 200
"""Longest table shown whole; longer ones are split by module."""
MAX_GROUPS = 12
"""Most modules the overview draws (deeper folders are merged into their parents until they fit)."""
_CARDINALITY = {"many-to-one": "}o--||", "one-to-many": "||--o{", "one-to-one": "|o--||", "many-to-many": "}o--o{"}
_REVERSED = {"many-to-one": "one-to-many", "one-to-many": "many-to-one"}


def merged_relations(relations: Sequence[Relation]) -> list[Relation]:
    """One relation per pair and cardinality: `A many-to-one B` and `B one-to-many A` are the same relation."""
    seen: dict[tuple[str, str, str], Relation] = {}
    for relation in relations:
        key = (relation.left, relation.right, relation.cardinality)
        mirror = (relation.right, relation.left, _REVERSED.get(relation.cardinality, relation.cardinality))
        if key not in seen and mirror not in seen:
            seen[key] = relation
    return list(seen.values())


def _folder(entity: Entity, depth: int) -> str:
    parts = entity.source.path.split("/")[:-1]
    return "/".join(parts[:depth]) or "."


def entity_groups(entities: Sequence[Entity]) -> list[tuple[str, list[Entity]]]:
    """Entities by the folder that declares them, at most `ER_LIMIT` to a group.

    Folders are merged upwards until at most `MAX_GROUPS` remain; a group over `ER_LIMIT` is split into parts.
    """
    depth = max((e.source.path.count("/") for e in entities), default=0)
    while depth > 0 and len({_folder(e, depth) for e in entities}) > MAX_GROUPS:
        depth -= 1
    by_folder: dict[str, list[Entity]] = {}
    for entity in sorted(entities, key=lambda e: e.name):
        by_folder.setdefault(_folder(entity, depth), []).append(entity)
    groups = []
    for folder, members in sorted(by_folder.items()):
        chunks = [members[i:i + ER_LIMIT] for i in range(0, len(members), ER_LIMIT)]
        for index, chunk in enumerate(chunks, start=1):
            groups.append((folder if len(chunks) == 1 else f"{folder} ({index} of {len(chunks)})", chunk))
    return groups


def er_spec(entities: Sequence[Entity], relations: Sequence[Relation]) -> dict[str, Any]:
    """An erDiagram spec of some entities and the relations between them."""
    names = {e.name for e in entities}
    return {"kind": "er",
            "entities": [{"name": e.name, "fields": [{"name": f.name, "type": f.type, "key": f.key}
                                                     for f in e.fields[:25]]} for e in entities],
            "relations": [{"left": r.left, "right": r.right, "card": _CARDINALITY.get(r.cardinality, "||--o{"),
                           "label": r.label} for r in relations if r.left in names and r.right in names]}


def schema_view(entities: Sequence[Entity], relations: Sequence[Relation]) -> dict[str, Any]:
    """What the Database Schema page draws and lists.

    Returns:
        `relations` (merged), `diagrams` (one `{"title", "spec", "entities"}` per diagram), `overview` (a flowchart
        spec of the relations between groups, or None when one diagram holds everything) and `split` (whether the
        relations table is split by group).
    """
    merged = merged_relations(relations)
    if len(entities) <= ER_LIMIT:
        diagrams = [{"title": "", "spec": er_spec(entities, merged), "entities": list(entities)}] if entities else []
        return {"relations": merged, "diagrams": diagrams, "overview": None, "split": False, "groups": []}
    groups = entity_groups(entities)
    group_of = {e.name: title for title, members in groups for e in members}
    diagrams = [{"title": title, "spec": er_spec(members, merged), "entities": members} for title, members in groups]
    across: Counter[tuple[str, str]] = Counter()
    for r in merged:
        a, b = group_of.get(r.left), group_of.get(r.right)
        if a and b and a != b:
            across[(a, b)] += 1
    keys = {title: f"g{i}" for i, (title, _) in enumerate(groups)}
    overview = {"kind": "flowchart", "direction": "LR",
                "nodes": [{"key": keys[t], "label": f"{t} ({len(m)} entities)"} for t, m in groups],
                "edges": [{"from": keys[a], "to": keys[b], "label": f"{n} relation{'s' if n != 1 else ''}"}
                          for (a, b), n in sorted(across.items())]}
    by_group = [{"title": title, "relations": [r for r in merged if group_of.get(r.left) == title]}
                for title, _ in groups]
    return {"relations": merged, "diagrams": diagrams, "overview": overview, "split": len(merged) > TABLE_LIMIT,
            "groups": by_group}
