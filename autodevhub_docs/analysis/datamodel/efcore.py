# EF Core data model: the entity types a DbContext maps, as EF Core's conventions discover them. Entities are the
# `DbSet<T>` properties of every DbContext (table: the property name), the types the fluent API configures
# (`efcore_fluent`), and the types their navigations reach. Mapped properties are the ones with a getter and a
# setter (collection navigations need only a getter), less `[NotMapped]` and `Ignore(...)`; a property whose type
# is an entity class is a reference navigation, a collection of one a collection navigation. Keys come from
# `HasKey`, `[PrimaryKey]`, `[Key]`, else `Id`/`<Type>Id`; tables from `ToTable`, `[Table]`, the DbSet, the class.
# Relations follow (`efcore_relations`); the configured database is reported as a technology.
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.dotnet_databases import configured_databases, environments
from autodevhub_docs.analysis.datamodel.efcore_fluent import Fluent, FluentReader
from autodevhub_docs.analysis.datamodel.efcore_relations import EfEntity, EfProperty, relations
from autodevhub_docs.analysis.endpoints.aspnet import using_directives
from autodevhub_docs.analysis.endpoints.csharp_source import (
    CsClass,
    CsProgram,
    attributes_of,
    cs_program,
    has_modifier,
    is_application_source,
    simple_name,
    type_arguments,
)
from autodevhub_docs.model import Entity, EntityField, SourceRef

ORM = "EF Core"
CONTEXT_BASES = frozenset({"DbContext", "IdentityDbContext", "IdentityUserContext", "ApiAuthorizationDbContext"})
"""Base classes of a DbContext."""
COLLECTIONS = frozenset({"ICollection", "List", "IList", "IEnumerable", "HashSet", "ISet", "IReadOnlyCollection",
                         "IReadOnlyList", "Collection", "ObservableCollection", "SortedSet"})
"""Collection types of a collection navigation."""
VALUE_TYPES = frozenset({"int", "long", "short", "byte", "sbyte", "uint", "ulong", "ushort", "bool", "decimal",
                         "double", "float", "char", "Guid", "DateTime", "DateTimeOffset", "DateOnly", "TimeOnly",
                         "TimeSpan", "Int16", "Int32", "Int64", "Boolean", "Decimal", "Double", "Single", "Byte"})
"""Value types: a property of one is required unless it is nullable."""
MAX_ENTITIES = 2000


def _accessors(cls: CsClass, prop: Any) -> set[str]:
    """`get`, `set`, `init` of an auto or explicit property (an expression-bodied one has none)."""
    parsed = cls.file.parsed
    accessors = prop.child_by_field_name("accessors")
    if accessors is None:
        return set()
    return {parsed.text(a).split("=>")[0].split("{")[0].rstrip(";").split()[-1]
            for a in accessors.named_children if a.type == "accessor_declaration"}


class _Reader:
    def __init__(self, program: CsProgram, fluent: Fluent) -> None:
        self.program = program
        self.fluent = fluent

    def entity_class(self, name: str) -> CsClass | None:
        cls = self.program.class_named(name)
        if cls is None or cls.node.type not in ("class_declaration", "record_declaration"):
            return None
        return None if cls.attribute("Owned") is not None or cls.attribute("ComplexType") is not None else cls

    def properties(self, entity: str, cls: CsClass) -> list[EfProperty]:
        """Mapped properties of the class and of its base classes in the program, base first."""
        chain = [cls] + [b for n in self.program.ancestry(cls) if (b := self.program.class_named(n)) is not None]
        found: list[EfProperty] = []
        for owner in reversed(chain):
            parsed = owner.file.parsed
            for prop in owner.members("property_declaration"):
                name_node, type_node = prop.child_by_field_name("name"), prop.child_by_field_name("type")
                if name_node is None or type_node is None or has_modifier(parsed, prop, "static"):
                    continue
                name = parsed.text(name_node)
                attributes = attributes_of(parsed, prop)
                if any(a.name == "NotMapped" for a in attributes) or (entity, name) in self.fluent.ignored:
                    continue
                nullable = type_node.type == "nullable_type"
                bare = type_node.child_by_field_name("type") if nullable else type_node
                arguments = type_arguments(bare)
                collection = simple_name(parsed, bare) in COLLECTIONS and len(arguments) == 1
                element = simple_name(parsed, arguments[0] if collection else bare)
                owned = (entity, name) in self.fluent.owned
                target = None if owned or bare.type == "array_type" else \
                    (element if self.entity_class(element) is not None else None)
                accessors = _accessors(owner, prop)
                if "get" not in accessors or (not (collection and target) and not accessors & {"set", "init"}):
                    continue
                if collection and target is None:
                    continue  # a collection of scalars is not a column by convention
                named = {a.name: self.program.string(a.args[0], owner.file, owner.name) for a in attributes
                         if a.args and a.name in ("Column", "ForeignKey", "InverseProperty")}
                found.append(EfProperty(
                    name=name, type=parsed.text(type_node), source=owner.file.ref(prop), target=target,
                    collection=collection, nullable=nullable,
                    column=self.fluent.columns.get((entity, name)) or named.get("Column") or name,
                    value_type=element in VALUE_TYPES or self.program.is_enum(element),
                    required=any(a.name == "Required" for a in attributes) or (entity, name) in self.fluent.required,
                    key=any(a.name == "Key" for a in attributes), foreign_key=named.get("ForeignKey"),
                    inverse=named.get("InverseProperty")))
        return found

    def keys(self, entity: str, cls: CsClass, properties: list[EfProperty]) -> list[str]:
        if self.fluent.keys.get(entity):
            return self.fluent.keys[entity]
        primary = cls.attribute("PrimaryKey")
        if primary is not None:
            names = [self.program.string(a, cls.file, cls.name) for a in primary.args]
            return [n for n in names if n]
        scalars = [p for p in properties if p.target is None]
        marked = [p.name for p in scalars if p.key]
        if marked:
            return marked
        return [p.name for p in scalars if p.name.lower() in ("id", f"{entity.lower()}id")][:1]

    def unique(self, entity: str, cls: CsClass) -> set[str]:
        found = set(self.fluent.unique.get(entity, set()))
        for attribute in cls.attributes:
            unique = attribute.named.get("IsUnique")
            if attribute.name == "Index" and len(attribute.args) == 1 and unique is not None and \
                    cls.file.parsed.text(unique) == "true":
                name = self.program.string(attribute.args[0], cls.file, cls.name)
                if name:
                    found.add(name)
        return found


def _contexts(program: CsProgram) -> list[CsClass]:
    # Each of CONTEXT_BASES holds one of these markers.
    return [c for c in program.derived_from(("DbContext", "IdentityUserContext"))
            if c.node.type == "class_declaration" and CONTEXT_BASES & set(program.ancestry(c))]


def _db_sets(program: CsProgram, contexts: list[CsClass]) -> dict[str, tuple[str, SourceRef]]:
    """Entity type -> (DbSet property name, where it is declared)."""
    found: dict[str, tuple[str, SourceRef]] = {}
    for context in contexts:
        parsed = context.file.parsed
        for prop in context.members("property_declaration"):
            type_node, name = prop.child_by_field_name("type"), prop.child_by_field_name("name")
            if type_node is not None and type_node.type == "nullable_type":
                type_node = type_node.child_by_field_name("type")
            if type_node is None or name is None or simple_name(parsed, type_node) != "DbSet":
                continue
            arguments = type_arguments(type_node)
            if arguments:
                found.setdefault(simple_name(parsed, arguments[0]), (parsed.text(name), context.file.ref(prop)))
    return found


def read_model(program: CsProgram) -> tuple[list[EfEntity], Fluent]:
    """The entities of every DbContext of the program, and the fluent configuration."""
    contexts = _contexts(program)
    fluent = FluentReader(program, contexts).fluent
    reader = _Reader(program, fluent)
    sets = _db_sets(program, contexts)
    pending = list(dict.fromkeys([*sets, *fluent.entities]))
    entities: dict[str, EfEntity] = {}
    while pending and len(entities) < MAX_ENTITIES:
        name = pending.pop(0)
        cls = reader.entity_class(name)
        if name in entities or cls is None:
            continue
        properties = reader.properties(name, cls)
        table = fluent.tables.get(name) or next((program.string(a.args[0], cls.file, cls.name) for a in
                                                 cls.attributes if a.name == "Table" and a.args), None)
        entities[name] = EfEntity(name=name, table=table or (sets[name][0] if name in sets else name),
                                  source=cls.file.ref(cls.node), properties=properties,
                                  keys=reader.keys(name, cls, properties), unique=reader.unique(name, cls))
        pending.extend(p.target for p in properties if p.target is not None and p.target not in entities)
    return list(entities.values()), fluent


def _fields(entity: EfEntity, foreign: dict[tuple[str, str], str]) -> tuple[EntityField, ...]:
    fields = []
    for prop in entity.scalars:
        references = foreign.get((entity.name, prop.name))
        key = "PK" if prop.name in entity.keys else "FK" if references else "UK" if prop.name in entity.unique \
            else None
        nullable = False if key == "PK" or prop.required or (prop.value_type and not prop.nullable) else \
            True if prop.nullable else None
        fields.append(EntityField(name=prop.column, type=prop.type, key=key, nullable=nullable,
                                  references=references, unique=prop.name in entity.unique))
    return tuple(fields)


@dataclass(frozen=True)
class EfCore:
    """EF Core entities and relations."""

    name: str = ORM
    """Catalog name."""

    def run(self, code: Codebase) -> Found | None:
        """The entities of a .NET application that uses EF Core, or None when it does not."""
        if not any(is_application_source(p) for p in code.paths):
            return None
        evidence: list[SourceRef] = []
        dependency = code.dependency("nuget", ["Microsoft.EntityFrameworkCore*"])
        if dependency is not None:
            evidence.append(Codebase.ref(dependency))
        program = cs_program(code)
        evidence += using_directives(program, "Microsoft.EntityFrameworkCore")
        if not evidence:
            return None
        entities, fluent = read_model(program)
        found_relations, foreign = relations(entities, fluent.relations)
        return Found(framework=self.name, evidence=tuple(dict.fromkeys(evidence))[:6],
                     files_read=tuple(f.path for f in program.parsed_files()),
                     entities=tuple(Entity(name=e.name, table=e.table, orm=self.name, source=e.source,
                                           fields=_fields(e, foreign)) for e in entities),
                     relations=tuple(found_relations), problems=tuple(program.problems),
                     technologies=configured_databases(program), environments=environments(program))


ADAPTERS = (EfCore(),)
