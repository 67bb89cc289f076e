# Relations between SQLAlchemy-family entities (and Alembic tables), one per link: a foreign key makes the
# many-to-one (or one-to-one, when unique) relation from the table that holds it; a `relationship()` on either end
# names that relation's ends instead of adding another; `secondary=` makes a many-to-many through the association
# table; a relationship with no foreign key found stands alone; and a pure join table (two foreign keys, nothing
# else) with no relationship over it is the many-to-many between the two tables it joins.
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from autodevhub_docs.analysis.datamodel.sqlalchemy_collect import Rel
from autodevhub_docs.model import Entity, Relation, SourceRef


@dataclass(frozen=True)
class Declared:
    """The relationship declarations of one entity, and the lines of its fields."""

    entity: str
    path: str
    rels: tuple[Rel, ...] = ()
    field_lines: Mapping[str, int] = field(default_factory=dict)


class _Links:
    def __init__(self, entities: Sequence[Entity]) -> None:
        self.names = {e.name for e in entities}
        self.by_table = {e.table: e.name for e in entities}
        self.out: list[Relation] = []
        self.foreign: set[int] = set()
        """Indexes of relations made from a foreign key."""
        self.named: set[tuple[int, str]] = set()
        """(relation, end) pairs a relationship() already named."""

    def target(self, reference: str) -> str | None:
        head = reference.split(".", 1)[0]
        return self.by_table.get(head) or (head if head in self.names else None)

    def update(self, index: int, **changes: object) -> None:
        self.out[index] = dataclasses.replace(self.out[index], **changes)  # type: ignore[arg-type]

    def fks(self, left: str, right: str, columns: tuple[str, ...], end: str) -> list[int]:
        found = [i for i in self.foreign if self.out[i].left == left and self.out[i].right == right
                 and (not columns or self.out[i].label in columns)]
        free = [i for i in found if (i, end) not in self.named]
        return sorted(free or found)


def relations(entities: Sequence[Entity], declared: Sequence[Declared],
              through: Callable[[Rel, str], str | None]) -> list[Relation]:
    """Every relation between the entities.

    Args:
        entities: The entities (relations to anything else are dropped).
        declared: Their `relationship()` declarations.
        through: The association table a `secondary=` names, for a declaration in a file.
    """
    links = _Links(entities)
    lines = {d.entity: d for d in declared}
    for entity in entities:
        for f in entity.fields:
            target = links.target(f.references) if f.references else None
            if target is None:
                continue
            one = f.unique or (f.key == "PK" and sum(g.key == "PK" for g in entity.fields) == 1)
            decl = lines.get(entity.name)
            line = decl.field_lines.get(f.name) if decl else None
            links.foreign.add(len(links.out))
            links.out.append(Relation(left=entity.name, right=target, label=f.name,
                                      cardinality="one-to-one" if one else "many-to-one",
                                      source=SourceRef(path=entity.source.path, line=line)))
    for decl in declared:
        for rel in decl.rels:
            target = rel.target if rel.target in links.names else links.by_table.get(rel.target)
            if target is not None:
                _declaration(links, decl, rel, target, through)
    _join_tables(links, entities)
    return links.out


def _declaration(links: _Links, decl: Declared, rel: Rel, target: str,
                 through: Callable[[Rel, str], str | None]) -> None:
    other_name = rel.back_populates or rel.backref or ""
    source = SourceRef(path=decl.path, line=rel.line)
    if rel.secondary is not None:
        table = through(rel, decl.path)
        for index, r in enumerate(links.out):
            if r.cardinality == "many-to-many" and r.through == table and {r.left, r.right} == {decl.entity, target} \
                    and rel.attr in {r.right_label, ""} | ({r.label} if r.left != decl.entity else set()):
                if not r.right_label and r.left != decl.entity:
                    links.update(index, right_label=rel.attr)
                return
        links.out.append(Relation(left=decl.entity, right=target, cardinality="many-to-many", label=rel.attr,
                                  right_label=other_name, through=table, source=source))
        return
    self_referential = decl.entity == target
    holds_key = rel.remote_side if self_referential else rel.collection is not True
    own = links.fks(decl.entity, target, rel.foreign_keys, "left") if holds_key else []
    if own:  # this end holds the foreign key: name the other end
        index = own[0]
        links.named.add((index, "left"))
        changes: dict[str, object] = {"right_label": links.out[index].right_label or other_name}
        if rel.backref_scalar:
            changes["cardinality"] = "one-to-one"
        links.update(index, **changes)
        return
    other = links.fks(target, decl.entity, rel.foreign_keys, "right") if not holds_key or not self_referential else []
    if other:  # the other end holds it: this attribute names the far end of that relation
        index = other[0]
        links.named.add((index, "right"))
        changes = {"right_label": rel.attr}
        if rel.collection is False:
            changes["cardinality"] = "one-to-one"
        links.update(index, **changes)
        return
    for index, r in enumerate(links.out):  # the other end's declaration came first
        if {r.left, r.right} == {decl.entity, target} and index not in links.foreign \
                and r.cardinality != "many-to-many" and (r.right_label == rel.attr or r.label == other_name):
            if not r.right_label:
                links.update(index, right_label=rel.attr)
            return
    links.out.append(Relation(left=decl.entity, right=target,
                              cardinality="one-to-many" if rel.collection else "many-to-one", label=rel.attr,
                              right_label=other_name, source=source))


def _join_tables(links: _Links, entities: Sequence[Entity]) -> None:
    covered = {r.through for r in links.out if r.through}
    for entity in entities:
        targets = [links.target(f.references) for f in entity.fields if f.references]
        if len(entity.fields) != 2 or len(targets) != 2 or None in targets or entity.table in covered:
            continue
        left, right = targets
        links.out.append(Relation(left=str(left), right=str(right), cardinality="many-to-many", label=entity.name,
                                  through=entity.table, source=entity.source))
