# EF Core relationships, found the way EF Core finds them: first the fluent chains (`HasOne/HasMany` with
# `WithOne/WithMany`, `HasForeignKey`, `UsingEntity`), then `[InverseProperty]`, then by convention: a reference
# navigation and the one navigation of the other type pointing back pair up (reference + collection: one-to-many;
# reference + reference: one-to-one; collection + collection: many-to-many through a join table named after both
# types), an unpaired navigation is a relation of its own. The foreign key is `HasForeignKey`, `[ForeignKey]`, or
# the first property named `<navigation><key>`, `<navigation>Id`, `<principal><key>`, `<principal>Id`. An entity
# whose composite primary key is two foreign keys is a join entity: the two types it joins are many-to-many.
from __future__ import annotations

from dataclasses import dataclass, field

from autodevhub_docs.analysis.datamodel.efcore_fluent import FluentRelation
from autodevhub_docs.model import Relation, SourceRef


@dataclass
class EfProperty:
    """A mapped property: a column, or a navigation when `target` is set."""

    name: str
    type: str
    source: SourceRef
    target: str | None = None
    """Entity a navigation points to."""
    collection: bool = False
    nullable: bool = False
    """Declared with `?`."""
    column: str = ""
    value_type: bool = False
    """Of a value type (required unless nullable)."""
    required: bool = False
    """`[Required]`."""
    key: bool = False
    """`[Key]`."""
    foreign_key: str | None = None
    """`[ForeignKey("...")]`: on a navigation the key property, on a key property the navigation."""
    inverse: str | None = None
    """`[InverseProperty("...")]`."""


@dataclass
class EfEntity:
    """An entity type with its mapped properties."""

    name: str
    table: str
    source: SourceRef
    properties: list[EfProperty] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    unique: set[str] = field(default_factory=set)

    @property
    def scalars(self) -> list[EfProperty]:
        """Column properties."""
        return [p for p in self.properties if p.target is None]

    @property
    def navigations(self) -> list[EfProperty]:
        """Navigation properties."""
        return [p for p in self.properties if p.target is not None]

    def navigation(self, name: str | None) -> EfProperty | None:
        """The navigation of that name."""
        return next((p for p in self.navigations if p.name == name), None)

    def scalar(self, name: str) -> EfProperty | None:
        """The column property of that name (EF Core matches foreign-key names case-insensitively)."""
        return next((p for p in self.scalars if p.name.lower() == name.lower()), None)


class _Builder:
    def __init__(self, entities: list[EfEntity]) -> None:
        self.by_name = {e.name: e for e in entities}
        self.consumed: set[tuple[str, str]] = set()
        self.relations: list[Relation] = []
        self.foreign: dict[tuple[str, str], str] = {}
        self.links: dict[tuple[str, str], Relation] = {}
        self._seen: set[tuple[str, ...]] = set()

    def foreign_key(self, dependent: EfEntity, principal: EfEntity, navigation: str | None,
                    explicit: list[str]) -> EfProperty | None:
        if explicit:
            return dependent.scalar(explicit[0])
        reference = dependent.navigation(navigation)
        if reference is not None and reference.foreign_key:
            return dependent.scalar(reference.foreign_key)
        for prop in dependent.scalars:
            if navigation and prop.foreign_key == navigation:
                return prop
        key = principal.keys[0] if principal.keys else "Id"
        bases = [navigation, principal.name] if navigation else [principal.name]
        single_key = dependent.keys if len(dependent.keys) == 1 else []
        for base in bases:
            for candidate in (base + key, base + "Id"):
                found = dependent.scalar(candidate)
                if found is not None and found.name not in single_key:
                    return found
        return None

    def link(self, dependent: EfEntity, principal: EfEntity, navigation: str | None, inverse: str | None, *,
             foreign_keys: list[str], one: bool, source: SourceRef) -> None:
        fk = self.foreign_key(dependent, principal, navigation, foreign_keys)
        identity = (dependent.name, fk.name if fk else f"nav:{navigation}:{principal.name}:{inverse}")
        if identity in self.links:
            return
        if fk is not None:
            key = principal.scalar(principal.keys[0]) if principal.keys else None
            self.foreign[(dependent.name, fk.name)] = f"{principal.table}.{key.column if key else 'Id'}"
        relation = Relation(left=dependent.name, right=principal.name,
                            cardinality="one-to-one" if one else "many-to-one",
                            label=navigation or (fk.column if fk else f"{principal.name}Id"), source=source,
                            right_label=inverse or "")
        self.links[identity] = relation
        self.relations.append(relation)

    def many_to_many(self, left: EfEntity, right: EfEntity, labels: tuple[str | None, str | None], *,
                     through: str, source: SourceRef) -> None:
        label, right_label = labels
        identity = ("many", *sorted((left.name, right.name)), through)
        if identity in self._seen:
            return
        self._seen.add(identity)
        self.relations.append(Relation(left=left.name, right=right.name, cardinality="many-to-many",
                                       label=label or "", source=source, right_label=right_label or "",
                                       through=through))

    def one_to_one(self, a: EfEntity, b: EfEntity, a_nav: str | None, b_nav: str | None, *,
                   foreign_keys: list[str], dependent: str | None, source: SourceRef) -> None:
        """A one-to-one: the dependent is the one named by `HasForeignKey<T>`, else the side with the key."""
        a_holds = dependent == a.name or (dependent is None and (
            self.foreign_key(a, b, a_nav, foreign_keys) is not None
            or self.foreign_key(b, a, b_nav, foreign_keys) is None))
        if a_holds:
            self.link(a, b, a_nav, b_nav, foreign_keys=foreign_keys, one=True, source=source)
        else:
            self.link(b, a, b_nav, a_nav, foreign_keys=foreign_keys, one=True, source=source)

    def fluent(self, configured: FluentRelation) -> None:
        a = self.by_name.get(configured.entity)
        nav = a.navigation(configured.navigation) if a is not None else None
        b = self.by_name.get(configured.target or (nav.target if nav is not None else "") or "")
        if a is None or b is None:
            return
        for owner, name in ((a, configured.navigation), (b, configured.inverse)):
            if name:
                self.consumed.add((owner.name, name))
        keys, source = configured.foreign_keys, configured.source
        if configured.many and configured.inverse_many:
            through_entity = self.by_name.get(configured.through_entity or "")
            through = configured.through or (through_entity.table if through_entity else "") or \
                "".join(sorted((a.name, b.name)))
            self.many_to_many(a, b, (configured.navigation, configured.inverse), through=through, source=source)
        elif configured.many:
            self.link(b, a, configured.inverse, configured.navigation, foreign_keys=keys, one=False, source=source)
        elif configured.inverse_many is False:
            self.one_to_one(a, b, configured.navigation, configured.inverse, foreign_keys=keys,
                            dependent=configured.dependent, source=source)
        else:
            self.link(a, b, configured.navigation, configured.inverse, foreign_keys=keys, one=False, source=source)

    def convention(self, a: EfEntity, nav: EfProperty) -> None:
        if (a.name, nav.name) in self.consumed:
            return
        b = self.by_name.get(nav.target or "")
        if b is None:
            return
        if nav.inverse:
            inverse = b.navigation(nav.inverse)
        else:
            pointing = [m for m in b.navigations if m.target == a.name and (b.name, m.name) not in self.consumed
                        and not (b is a and m is nav) and m.inverse in (None, nav.name)]
            inverse = pointing[0] if len(pointing) == 1 else None
        self.consumed.add((a.name, nav.name))
        if inverse is not None:
            self.consumed.add((b.name, inverse.name))
        inverse_name = inverse.name if inverse is not None else None
        if not nav.collection:
            if inverse is None or inverse.collection:
                self.link(a, b, nav.name, inverse_name, foreign_keys=[], one=False, source=nav.source)
            else:
                self.one_to_one(a, b, nav.name, inverse_name, foreign_keys=[], dependent=None, source=nav.source)
        elif inverse is None or not inverse.collection:
            self.link(b, a, inverse_name, nav.name, foreign_keys=[], one=False, source=nav.source)
        else:
            self.many_to_many(a, b, (nav.name, inverse_name), through="".join(sorted((a.name, b.name))),
                              source=nav.source)

    def join_entities(self) -> None:
        """`ArticleTag { ArticleId, TagId }` keyed by its two foreign keys joins Article and Tag."""
        for entity in list(self.by_name.values()):
            if len(entity.keys) != 2:
                continue
            ends = [r for key in entity.keys if (r := self.links.get((entity.name, key))) is not None]
            if len(ends) == 2:
                left, right = self.by_name[ends[0].right], self.by_name[ends[1].right]
                self.many_to_many(left, right, (ends[0].right_label, ends[1].right_label), through=entity.table,
                                  source=entity.source)


def relations(entities: list[EfEntity], configured: list[FluentRelation]
              ) -> tuple[list[Relation], dict[tuple[str, str], str]]:
    """Every relation between the entities, and (entity, property) -> `table.column` of each foreign key."""
    builder = _Builder(entities)
    for relation in configured:
        builder.fluent(relation)
    for entity in entities:
        for nav in entity.navigations:
            builder.convention(entity, nav)
    builder.join_entities()
    return builder.relations, builder.foreign
