# JPA/Hibernate entities in Java and Kotlin: `@Entity` classes (with `@Table(name)`), their persistent fields
# (`@Id`/`@EmbeddedId`, `@Column(name, nullable, unique)`, `@Transient` and `transient` left out, `@Embedded`
# embeddables flattened, `@MappedSuperclass` and entity parents inherited) and relations: `@ManyToOne` and owning
# `@OneToOne` add a foreign-key column (`@JoinColumn(name)`, else `<field>_<target id>`), `@ManyToMany` and
# unidirectional `@OneToMany` go through a join table (`@JoinTable(name)`, else `<owner>_<target>`), and the
# `mappedBy` side names the other end of the relation. Under Spring Boot, physical names follow its default
# naming strategy (`displayName` -> `display_name`) unless the standard strategy is configured.
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import spring_config
from autodevhub_docs.analysis.endpoints.jvm_code import JvmCode, dependency_evidence, read_jvm
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef
from autodevhub_docs.parsing.jvm import Declaration, JvmFile, element_type
from autodevhub_docs.parsing.jvm_members import Annotation, Member
from autodevhub_docs.parsing.jvm_values import Scope

FRAMEWORK = "JPA/Hibernate"
_DEPENDENCIES = ("org.springframework.boot:spring-boot-starter-data-jpa", "org.hibernate*", "jakarta.persistence:*",
                 "javax.persistence:*", "io.quarkus:quarkus-hibernate-orm*")
_IMPORTS = ("jakarta.persistence", "javax.persistence")
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
"""Where CamelCaseToUnderscoresNamingStrategy puts an underscore."""
_RELATIONS = ("ManyToOne", "OneToOne", "OneToMany", "ManyToMany")
_CARDINALITY = {"ManyToOne": "many-to-one", "OneToOne": "one-to-one", "OneToMany": "one-to-many",
                "ManyToMany": "many-to-many"}
_MAX_EMBEDDING = 4
"""Deepest chain of embeddables inside embeddables followed."""


@dataclass(frozen=True)
class _Link:
    """A relationship attribute of an entity."""

    owner: str
    member: Member
    kind: str
    target: str
    mapped_by: str
    join_column: str
    join_table: str
    line: int
    path: str


class _Model:
    def __init__(self, code: Codebase, jvm_code: JvmCode) -> None:
        self.jvm = jvm_code
        self.classes: dict[str, tuple[JvmFile, Declaration]] = {}
        for jvm, declaration in jvm_code.declarations("Entity", "MappedSuperclass", "Embeddable"):
            if declaration.annotation("Entity", "MappedSuperclass", "Embeddable"):
                self.classes.setdefault(declaration.name, (jvm, declaration))
        settings, _ = spring_config.settings(code)
        strategy = next((s.value for s in settings if s.key == "spring.jpa.hibernate.naming.physicalstrategy"), "")
        spring = dependency_evidence(code, ["org.springframework.boot:*"]) or code.dependency(
            "gradle-plugin", ["org.springframework.boot"], scopes=("build",))
        self.snake = bool(spring) and not strategy.endswith("PhysicalNamingStrategyStandardImpl")
        self._members: dict[str, list[tuple[JvmFile, Declaration, Member]]] = {}
        """Persistent attributes by class, read once (each relation to a class reads its identifier again)."""
        self._physical: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._tables: dict[str, str] = {}

    def physical(self, name: str) -> str:
        """A logical name as the database sees it (Spring Boot's CamelCaseToUnderscoresNamingStrategy)."""
        if not self.snake:
            return name
        found = self._physical.get(name)
        if found is None:  # a few names (`id`, `name`, each table) come back for every entity and relation
            found = self._physical[name] = _WORD_START.sub("_", name).replace(".", "_").lower()
        return found

    def text(self, jvm: JvmFile, owner: Declaration, annotation: Annotation | None, *names: str) -> str:
        """A string argument of an annotation ('' when absent or unreadable)."""
        if annotation is None:
            return ""
        values = annotation.values(*names)
        if not values:
            return ""
        scope = Scope(path=jvm.path, owners=(owner.name, owner.owner))
        return self.jvm.constants.string(jvm.parsed, values[0], scope) or ""

    def flag(self, jvm: JvmFile, annotation: Annotation | None, name: str) -> bool | None:
        """A boolean argument of an annotation (None when absent)."""
        values = annotation.values(name) if annotation is not None else ()
        return None if not values else jvm.parsed.text(values[0]).strip() == "true"

    def is_entity(self, name: str) -> bool:
        return name in self.classes and self.classes[name][1].annotation("Entity") is not None

    def entity_name(self, name: str) -> str:
        if name not in self._names:  # asked again for each relation to the class
            jvm, declaration = self.classes[name]
            self._names[name] = self.text(jvm, declaration, declaration.annotation("Entity"), "name") or name
        return self._names[name]

    def table(self, name: str) -> str:
        if name not in self._tables:
            jvm, declaration = self.classes[name]
            self._tables[name] = self.physical(self.text(jvm, declaration, declaration.annotation("Table"), "name")
                                               or self.entity_name(name))
        return self._tables[name]

    def members(self, name: str) -> list[tuple[JvmFile, Declaration, Member]]:
        """Persistent attributes of an entity or embeddable: inherited ones first, in declaration order."""
        if name in self._members:
            return self._members[name]
        jvm, declaration = self.classes[name]
        levels = [(f, d) for f, d in self.jvm.hierarchy(jvm, declaration)
                  if d is declaration or d.annotation("MappedSuperclass", "Entity")]
        found: list[tuple[JvmFile, Declaration, Member]] = []
        for level_file, level in reversed(levels):
            fields = [m for m in level.members if m.kind == "field"]
            if not any(m.annotation("Id", "EmbeddedId") for m in fields) and any(
                    m.kind == "method" and m.annotation("Id", "EmbeddedId") for m in level.members):
                fields = [_property(m) for m in level.members if _getter(m)]  # property access: the getters
            found.extend((level_file, level, m) for m in fields
                         if not m.static and not m.transient and not m.annotation("Transient"))
        self._members[name] = found
        return found

    def id_column(self, name: str) -> tuple[str, str]:
        """(column, type) of an entity's identifier (`id`, `Long` when it cannot be found)."""
        for jvm, owner, member in self.members(name) if name in self.classes else []:
            if member.annotation("Id", "EmbeddedId"):
                column = self.text(jvm, owner, member.annotation("Column"), "name") or self.physical(member.name)
                return column, element_type(member.type)[0] or "?"
        return "id", "Long"


def _getter(member: Member) -> bool:
    return member.kind == "method" and not member.static and bool(re.fullmatch(r"(get|is)[A-Z]\w*", member.name))


def _property(getter: Member) -> Member:
    bare = getter.name[3:] if getter.name.startswith("get") else getter.name[2:]
    return Member(name=bare[:1].lower() + bare[1:], kind="field", annotations=getter.annotations, type=getter.type,
                  line=getter.line)


class Jpa:
    """JPA/Hibernate entities."""

    name = FRAMEWORK

    def run(self, code: Codebase) -> Found | None:
        """Entities and relations, or None when JPA is absent."""
        evidence = dependency_evidence(code, _DEPENDENCIES)
        jvm_code = read_jvm(code)
        evidence = evidence or jvm_code.import_of(_IMPORTS)
        if evidence is None:
            return None
        model = _Model(code, jvm_code)
        entities: list[Entity] = []
        links: list[_Link] = []
        for name, (jvm, declaration) in model.classes.items():
            if model.is_entity(name):
                fields = _fields(model, name, links)
                entities.append(Entity(name=model.entity_name(name), table=model.table(name), orm=FRAMEWORK,
                                       source=SourceRef(path=jvm.path, line=declaration.line), fields=tuple(fields)))
        return Found(framework=FRAMEWORK, evidence=(evidence,), entities=tuple(entities),
                     relations=tuple(_relations(model, links)), problems=tuple(jvm_code.problems),
                     files_read=tuple(sorted({model.classes[n][0].path for n in model.classes})))


def _fields(model: _Model, name: str, links: list[_Link], depth: int = 0) -> list[EntityField]:
    """The columns of an entity (or embeddable), collecting its relationship attributes into `links`."""
    fields: list[EntityField] = []
    for jvm, owner, member in model.members(name):
        relation = member.annotation(*_RELATIONS)
        element, _ = element_type(member.type)
        if relation is not None:
            target = _target(jvm, relation) or element
            if not model.is_entity(target):
                continue
            link = _Link(owner=name, member=member, kind=relation.name, target=target,
                         mapped_by=model.text(jvm, owner, relation, "mappedBy"),
                         join_column=model.text(jvm, owner, member.annotation("JoinColumn"), "name"),
                         join_table=model.text(jvm, owner, member.annotation("JoinTable"), "name"),
                         line=relation.line, path=jvm.path)
            links.append(link)
            if relation.name == "ManyToOne" or (relation.name == "OneToOne" and not link.mapped_by
                                                and not member.annotation("MapsId", "PrimaryKeyJoinColumn")):
                column, kind = model.id_column(target)
                fields.append(EntityField(
                    name=link.join_column or model.physical(f"{member.name}_{column}"), type=kind, key="FK",
                    nullable=model.flag(jvm, member.annotation("JoinColumn"), "nullable"),
                    references=f"{model.table(target)}.{column}", unique=relation.name == "OneToOne"))
            continue
        if member.annotation("ElementCollection"):
            continue  # a collection table of values, not a column
        embeddable = model.classes.get(element)
        if embeddable is not None and (member.annotation("Embedded", "EmbeddedId") or embeddable[1].annotation(
                "Embeddable")) and depth < _MAX_EMBEDDING:
            embedded = _fields(model, element, links, depth + 1)
            if member.annotation("EmbeddedId"):  # the embeddable's columns are the composite primary key
                embedded = [replace(f, key="PK") for f in embedded]
            fields.extend(embedded)
            continue
        mapping = member.annotation("Column")
        unique = model.flag(jvm, mapping, "unique") is True
        key = "PK" if member.annotation("Id", "EmbeddedId") else ("UK" if unique else None)
        fields.append(EntityField(name=model.text(jvm, owner, mapping, "name") or model.physical(member.name),
                                  type=element or "?", key=key, nullable=model.flag(jvm, mapping, "nullable"),
                                  unique=unique))
    return fields


def _target(jvm: JvmFile, relation: Annotation) -> str:
    """`targetEntity = Item.class` / `Item::class`, when given."""
    values = relation.values("targetEntity")
    return jvm.parsed.text(values[0]).split("::")[0].removesuffix(".class").rsplit(".", 1)[-1] if values else ""


def _relations(model: _Model, links: list[_Link]) -> list[Relation]:
    """One relation per association: from its owning side, with the inverse side's attribute as `right_label`."""
    inverse = {(link.target, link.mapped_by): link for link in links if link.mapped_by}
    sides = {(link.owner, link.member.name, link.target) for link in links}  # a lookup, not a scan per link
    relations: list[Relation] = []
    for link in links:
        if link.mapped_by and (link.target, link.mapped_by, link.owner) in sides:
            continue  # the owning side describes it
        other = inverse.get((link.owner, link.member.name))
        right_label = other.member.name if other is not None and other.owner == link.target else ""
        through = None
        if link.kind == "ManyToMany" or (link.kind == "OneToMany" and not link.mapped_by and not link.join_column):
            through = link.join_table or model.physical(f"{model.table(link.owner)}_{model.table(link.target)}")
        relations.append(Relation(left=model.entity_name(link.owner), right=model.entity_name(link.target),
                                  cardinality=_CARDINALITY[link.kind], label=link.member.name,
                                  source=SourceRef(path=link.path, line=link.line), right_label=right_label,
                                  through=through if not link.mapped_by else None))
    return relations


ADAPTERS = (Jpa(),)
