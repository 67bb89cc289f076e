# GORM associations, guessed the way GORM's schema parser guesses them (gorm.io/gorm/schema relationship.go):
#   many2many    `Tags []Tag gorm:"many2many:article_tags"`: many-to-many through the join table (self too)
#   has many     `Comments []Comment`: the foreign key `ArticleID` (owner name + primary key) is in Comment
#   has one      `Profile Profile`: the foreign key `UserID` is in Profile
#   belongs to   `Author User` + `AuthorID`: the foreign key (field name + primary key) is in the owner
# For a field of another struct, has-one is tried before belongs-to; for a field of the struct's own type,
# belongs-to first. `foreignKey:` and `references:` tags name the fields. Both ends of one foreign key (has many
# on one side, belongs to on the other) make one relation. A column named after another model (`UserID` with no
# association) is a relation inferred from the column name.
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from autodevhub_docs.model import Relation, SourceRef


@dataclass
class GoField:
    """A field of a model struct: a column, or an association when it points to another struct."""

    name: str
    """Go field name."""
    column: str
    """Column name."""
    type: str
    """Type as written."""
    line: int
    """Line of the declaration."""
    path: str
    """File of the declaration."""
    target: tuple[str, str] | None = None
    """(package, struct) an association points to; None for a column."""
    many: bool = False
    """A slice (has many, many to many)."""
    pointer: bool = False
    """A pointer type."""
    settings: dict[str, str] = field(default_factory=dict)
    """GORM tag settings, keys in capitals."""
    nullable: bool | None = None
    """Whether the column may be null, when its declaration says."""
    primary: bool = False
    """A primary key by declaration (`gorm.Model`'s ID)."""


@dataclass
class GoStruct:
    """A struct read as a possible model."""

    name: str
    """Struct name (the entity name)."""
    key: tuple[str, str]
    """(package, name)."""
    source: SourceRef
    """Its declaration."""
    fields: list[GoField] = field(default_factory=list)
    """Columns and associations, embedded structs inlined."""
    table: str = ""
    """Table name."""
    embeds_model: bool = False
    """It embeds `gorm.Model` itself."""
    tagged: bool = False
    """One of its own fields has a `gorm:` tag."""
    embeds: list[tuple[str, str]] = field(default_factory=list)
    """Structs of the program it embeds."""

    # The three views below are read once the struct is complete (its fields are not added to afterwards).

    @cached_property
    def columns(self) -> list[GoField]:
        """Fields that are columns."""
        return [f for f in self.fields if f.target is None]

    @cached_property
    def primary_keys(self) -> set[str]:
        """Go names of the primary key fields: tagged `primaryKey`, else the field named ID."""
        tagged = {f.name for f in self.columns if "PRIMARYKEY" in f.settings or "PRIMARY_KEY" in f.settings}
        return tagged or {f.name for f in self.columns if f.name == "ID" or f.primary}

    @cached_property
    def _by_name(self) -> dict[str, GoField]:
        return {f.name: f for f in reversed(self.columns)}

    def column(self, go_name: str) -> GoField | None:
        """The column field with this Go name."""
        return self._by_name.get(go_name)

    def primary(self) -> GoField | None:
        """The (first) primary key field."""
        keys = self.primary_keys
        return next((f for f in self.columns if f.name in keys), None)


def _lookup(struct: GoStruct, names: list[str]) -> GoField | None:
    return next((c for n in names if (c := struct.column(n)) is not None), None)


def _candidates(tagged: str | None, base: str, primary: GoField | None) -> list[str]:
    if tagged:
        return [tagged]
    key = primary.name if primary is not None else "ID"
    return list(dict.fromkeys([base + key, base + "ID", base + "Id"]))


@dataclass
class _Link:
    holder: GoStruct
    parent: GoStruct
    foreign_key: GoField
    one: bool = False
    label: str = ""
    right_label: str = ""
    source: SourceRef | None = None
    references: str = ""


class _Builder:
    """Collects the associations of every model field, one relation per foreign key or join table."""

    def __init__(self, structs: list[GoStruct]) -> None:
        self.by_key = {s.key: s for s in structs}
        self.links: dict[tuple[str, str], _Link] = {}
        self.many: dict[tuple[frozenset[str], str], Relation] = {}
        self.order: list[_Link | tuple[frozenset[str], str]] = []

    def link(self, holder: GoStruct, parent: GoStruct, foreign_key: GoField, references: str) -> _Link:
        key = (holder.name, foreign_key.name)
        if key not in self.links:
            self.links[key] = _Link(holder=holder, parent=parent, foreign_key=foreign_key, references=references)
            self.order.append(self.links[key])
        return self.links[key]

    def many_to_many(self, owner: GoStruct, target: GoStruct, f: GoField, join: str) -> None:
        key = (frozenset((owner.name, target.name)), join)
        known = self.many.get(key)
        if known is None:
            self.many[key] = Relation(left=owner.name, right=target.name, cardinality="many-to-many", label=f.name,
                                      source=SourceRef(path=f.path, line=f.line), through=join)
            self.order.append(key)
        elif not known.right_label and known.label != f.name:
            self.many[key] = Relation(left=known.left, right=known.right, cardinality="many-to-many",
                                      label=known.label, source=known.source, right_label=f.name, through=join)

    def association(self, owner: GoStruct, f: GoField) -> None:
        target = self.by_key.get(f.target) if f.target is not None else None
        if target is None:
            return
        join = f.settings.get("MANY2MANY")
        if join:
            self.many_to_many(owner, target, f, join)
            return
        ref = SourceRef(path=f.path, line=f.line)
        tagged, references = f.settings.get("FOREIGNKEY"), f.settings.get("REFERENCES", "")
        has = _lookup(target, _candidates(tagged, owner.name, owner.primary()))
        belongs = None if f.many else _lookup(owner, _candidates(tagged, f.name, target.primary()))
        if belongs is not None and (owner.key == target.key or has is None):
            found = self.link(owner, target, belongs, references)
            found.label, found.source = f.name, ref
        elif has is not None:
            found = self.link(target, owner, has, references)
            found.one = found.one or not f.many
            found.right_label = found.right_label or f.name
            found.source = found.source or ref

    def relations(self) -> tuple[list[Relation], dict[tuple[str, str], str]]:
        result: list[Relation] = []
        foreign: dict[tuple[str, str], str] = {}
        for entry in self.order:
            if not isinstance(entry, _Link):
                result.append(self.many[entry])
                continue
            parent = entry.parent
            parent_key = parent.column(entry.references) if entry.references else parent.primary()
            foreign[(entry.holder.name, entry.foreign_key.name)] = \
                f"{parent.table}.{parent_key.column if parent_key is not None else 'id'}"
            result.append(Relation(left=entry.holder.name, right=parent.name,
                                   cardinality="one-to-one" if entry.one else "many-to-one",
                                   label=entry.label or entry.foreign_key.column,
                                   source=entry.source or entry.holder.source, right_label=entry.right_label))
        return result, foreign


def relations(structs: list[GoStruct]) -> tuple[list[Relation], dict[tuple[str, str], str]]:
    """Relations between the models, and the foreign keys they imply.

    Returns:
        The relations, and (struct name, Go field name) -> `table.column` for every foreign-key column.
    """
    builder = _Builder(structs)
    for owner in structs:
        for f in owner.fields:
            builder.association(owner, f)
    result, foreign = builder.relations()
    return result + _inferred(structs, foreign), foreign


def _inferred(structs: list[GoStruct], foreign: dict[tuple[str, str], str]) -> list[Relation]:
    """`UserID uint` with no association: a relation to User inferred from the column name."""
    by_name = {s.name: s for s in structs}
    found = []
    for struct in structs:
        for f in struct.columns:
            if (struct.name, f.name) in foreign or f.name in struct.primary_keys:
                continue
            base = f.name[:-2] if f.name.endswith(("ID", "Id")) else ""
            target = by_name.get(base)
            if base and target is not None:
                found.append(Relation(left=struct.name, right=target.name, cardinality="many-to-one",
                                      label=f.column, source=SourceRef(path=f.path, line=f.line), inferred=True))
    return found
