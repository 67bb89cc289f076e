# Prisma schemas (`*.prisma`, one file or a `prismaSchemaFolder` of several): models become entities with their
# scalar and enum fields (`@id`/`@@id` primary keys, `@unique`, foreign keys named in `@relation(fields: [...])`),
# `@@map` table names, and relations paired the way Prisma pairs them: by relation name and the two models.
# Two list fields make an implicit many-to-many (its join table is `_Name`, or `_AToB` with the models in
# alphabetical order); the side that holds the foreign key is many-to-one (one-to-one when the other side is
# not a list); self relations pair two fields of one model. The datasource provider is technology evidence.
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef
from autodevhub_docs.parsing.prisma import Block, Field, parse

PROVIDERS = {"postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite",
             "mongodb": "MongoDB", "sqlserver": "SQL Server", "cockroachdb": "CockroachDB"}
"""Datasource providers, by the catalog name of the database they open."""
PACKAGES = ("@prisma/client", "prisma")


@dataclass(frozen=True, slots=True)
class _End:
    """One relation field: the model it is on and what it says."""

    model: str
    field: Field
    path: str
    target: str

    @property
    def holds_key(self) -> bool:
        relation = self.field.attribute("relation")
        return bool(relation and relation.arg("fields"))


class PrismaAdapter:
    """Entities and relations of the Prisma schemas of a repository."""

    name = "Prisma"

    def run(self, code: Codebase) -> Found | None:
        """Read every schema file; None when there is neither a schema nor a Prisma dependency."""
        schemas = code.source_files(".prisma")
        dependency = code.dependency("npm", PACKAGES)
        if not schemas and dependency is None:
            return None
        evidence = [SourceRef(path=p) for p in schemas[:3]] + ([code.ref(dependency)] if dependency else [])
        blocks: list[tuple[str, Block]] = []
        problems, files = [], []
        for path in schemas:
            text = code.text(path)
            if text is None:
                problems.append(f"{path}: not read (binary, too large or outside the repository)")
                continue
            files.append(path)
            blocks.extend((path, block) for block in parse(text))
        entities, relations, ambiguous = _model(blocks)
        problems += ambiguous
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(files),
                     entities=tuple(entities), relations=tuple(relations), problems=tuple(problems),
                     technologies=tuple(_providers(blocks)))


def _providers(blocks: list[tuple[str, Block]]) -> list[tuple[str, SourceRef]]:
    found = []
    for path, block in blocks:
        if block.kind == "datasource":
            for item in block.fields:
                if item.name == "provider" and item.value in PROVIDERS:
                    found.append((PROVIDERS[item.value], SourceRef(path=path, line=item.line)))
    return found


def _model(blocks: list[tuple[str, Block]]) -> tuple[list[Entity], list[Relation], list[str]]:
    models = {}
    for path, block in blocks:
        if block.kind == "model" and block.name not in models:
            models[block.name] = (path, block)
    ends: dict[tuple[str, frozenset[str]], list[_End]] = defaultdict(list)
    keys: dict[str, dict[str, str]] = {}  # model -> foreign-key field -> referenced "Model.field"
    for name, (path, block) in models.items():
        seen: set[str] = set()
        for item in block.fields:
            if item.type not in models or item.name in seen:
                continue
            seen.add(item.name)
            end = _End(model=name, field=item, path=path, target=item.type)
            relation = item.attribute("relation")
            label = relation.arg("name", 0) if relation else None
            ends[(label if isinstance(label, str) else "", frozenset({name, item.type}))].append(end)
            columns = relation.arg("fields") if relation else None
            targets = relation.arg("references") if relation else None
            for index, column in enumerate(columns if isinstance(columns, tuple) else ()):
                target = targets[index] if isinstance(targets, tuple) and index < len(targets) else "id"
                keys.setdefault(name, {})[column] = f"{item.type}.{target}"
    entities = [_entity(name, path, block, keys.get(name, {}), models) for name, (path, block) in models.items()]
    relations, problems = [], []
    for (label, _), group in ends.items():
        if len(group) > 2:
            problems.append(f"{group[0].path}:{group[0].field.line}: {len(group)} fields share the relation "
                            f"'{label or group[0].model + '-' + group[0].target}'; Prisma needs names to pair them")
            continue
        relations.append(_relation(group, label, entities))
    return entities, relations, problems


def _entity(name: str, path: str, block: Block, keys: dict[str, str], models: Mapping[str, object]) -> Entity:
    table = next((a.arg("name", 0) for a in block.attributes if a.name == "map"), None)
    composite = next((a.arg("fields", 0) for a in block.attributes if a.name == "id"), None)
    primary = set(composite) if isinstance(composite, tuple) else set()
    fields: list[EntityField] = []
    seen: set[str] = set()
    for item in block.fields:
        if item.type in models or not item.type or item.name in seen:
            continue
        seen.add(item.name)
        unique = item.attribute("unique") is not None
        if item.attribute("id") is not None or item.name in primary:
            key: str | None = "PK"
        elif item.name in keys:
            key = "FK"
        else:
            key = "UK" if unique else None
        fields.append(EntityField(name=item.name, type=item.type + ("[]" if item.is_list else ""), key=key,
                                  nullable=True if item.optional else None, references=keys.get(item.name),
                                  unique=unique))
    return Entity(name=name, table=table if isinstance(table, str) else name, orm="Prisma",
                  source=SourceRef(path=path, line=block.line), fields=tuple(fields))


def _relation(group: list[_End], label: str, entities: list[Entity]) -> Relation:
    first = group[0]
    other = group[1] if len(group) > 1 else None
    if other is not None and first.field.is_list and other.field.is_list:
        through = "_" + (label or "To".join(sorted((first.model, other.model))))
        return Relation(left=first.model, right=other.model, cardinality="many-to-many", label=first.field.name,
                        right_label=other.field.name, through=through,
                        source=SourceRef(path=first.path, line=first.field.line))
    holder = next((end for end in group if end.holds_key), None)
    if holder is None:  # no side names the key: the single side holds it
        holder = next((end for end in group if not end.field.is_list), first)
    opposite = other if holder is first else first
    if holder.field.is_list:
        cardinality = "one-to-many"
    elif opposite.field.is_list if opposite is not None else not _unique_key(holder, entities):
        cardinality = "many-to-one"
    else:
        cardinality = "one-to-one"
    return Relation(left=holder.model, right=holder.target, cardinality=cardinality, label=holder.field.name,
                    right_label=opposite.field.name if opposite is not None else "",
                    source=SourceRef(path=holder.path, line=holder.field.line))


def _unique_key(end: _End, entities: list[Entity]) -> bool:
    """Whether the foreign key of a relation field is unique (a lone relation is then one-to-one)."""
    relation = end.field.attribute("relation")
    columns = relation.arg("fields") if relation else None
    entity = next((e for e in entities if e.name == end.model), None)
    if entity is None or not isinstance(columns, tuple) or len(columns) != 1:
        return False
    return any(f.name == columns[0] and (f.unique or f.key == "PK") for f in entity.fields)


ADAPTERS = (PrismaAdapter(),)
