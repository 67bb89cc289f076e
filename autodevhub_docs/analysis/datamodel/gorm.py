# GORM data model: the structs GORM maps to tables, read from the Go code with tree-sitter. A struct is a model
# when it embeds `gorm.Model`, carries `gorm:"..."` tags, has a `TableName()` method or is passed to
# `db.AutoMigrate(&T{})`; the structs its association fields point to are models too (GORM migrates them).
# Columns follow GORM's naming strategy and tags (`column`, `primaryKey`, `unique`, `uniqueIndex`, `not null`,
# `embedded`, `-`); relations follow its conventions (`gorm_relations`). The databases the program opens are
# reported as technologies.
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.go_databases import opened_databases
from autodevhub_docs.analysis.datamodel.gorm_naming import db_name, gorm_settings, struct_tag, table_name
from autodevhub_docs.analysis.datamodel.gorm_relations import GoField, GoStruct, relations
from autodevhub_docs.analysis.endpoints.go_routes import go_routes
from autodevhub_docs.analysis.endpoints.go_source import GoFile, GoProgram, go_program, is_go_source, struct_fields
from autodevhub_docs.model import Entity, EntityField, SourceRef
from autodevhub_docs.parsing.treesitter import walk

GORM_PACKAGES = ("gorm.io/gorm", "github.com/jinzhu/gorm")
"""Import paths of GORM v2 and v1."""
MAX_EMBEDDING_DEPTH = 8
"""Deepest chain of embedded structs followed."""
_NULLABLE_TYPES = frozenset({"gorm.DeletedAt", "sql.NullString", "sql.NullInt64", "sql.NullInt32", "sql.NullInt16",
                             "sql.NullBool", "sql.NullFloat64", "sql.NullTime", "sql.NullByte"})


def _is_struct(type_spec: Any) -> bool:
    type_node = type_spec.child_by_field_name("type")
    return type_node is not None and type_node.type == "struct_type"


def _model_fields(import_path: str) -> list[tuple[str, str, bool | None]]:
    deleted = "gorm.DeletedAt" if import_path == "gorm.io/gorm" else "*time.Time"
    return [("ID", "uint", False), ("CreatedAt", "time.Time", None), ("UpdatedAt", "time.Time", None),
            ("DeletedAt", deleted, True)]


@dataclass
class _Reader:
    program: GoProgram
    structs: dict[tuple[str, str], GoStruct] = field(default_factory=dict)
    type_keys: dict[tuple[str, str], tuple[tuple[str, str] | None, bool, bool]] = field(default_factory=dict)

    def type_key(self, type_node: Any, file: GoFile) -> tuple[tuple[str, str] | None, bool, bool]:
        """(struct of the program a type names, whether it is a slice, whether it is a pointer)."""
        memo = (file.path, file.parsed.text(type_node))
        if memo not in self.type_keys:
            self.type_keys[memo] = self._type_key(type_node, file)
        return self.type_keys[memo]

    def _type_key(self, type_node: Any, file: GoFile) -> tuple[tuple[str, str] | None, bool, bool]:
        many = pointer = False
        while type_node is not None and type_node.type in ("pointer_type", "slice_type", "array_type"):
            many = many or type_node.type != "pointer_type"
            pointer = pointer or type_node.type == "pointer_type"
            inner = type_node.child_by_field_name("element")
            type_node = inner if inner is not None else (type_node.named_children[-1] if type_node.named_child_count
                                                         else None)
        if type_node is None:
            return None, many, pointer
        parsed = file.parsed
        key: tuple[str, str] | None = None
        if type_node.type == "type_identifier":
            key = (file.package, parsed.text(type_node))
        elif type_node.type == "qualified_type":
            package, name = type_node.child_by_field_name("package"), type_node.child_by_field_name("name")
            import_path = file.imports.get(parsed.text(package)) if package is not None else None
            internal = self.program.package_of(import_path) if import_path else None
            if internal is not None and name is not None:
                key = (internal, parsed.text(name))
        decl = self.program.type_decl(key) if key is not None else None
        return (key if decl is not None and _is_struct(decl.node) else None), many, pointer

    def read(self, key: tuple[str, str]) -> GoStruct:
        """The struct's columns and association fields, embedded structs inlined."""
        if key in self.structs:
            return self.structs[key]
        decl = self.program.type_decl(key)
        assert decl is not None  # noqa: S101 - only the keys of declared structs are read
        struct = GoStruct(name=key[1], key=key, source=decl.file.ref(decl.node))
        self.structs[key] = struct
        self._fields(struct, decl.node, decl.file, "", 0)
        return struct

    def _fields(self, struct: GoStruct, type_spec: Any, file: GoFile, prefix: str, depth: int) -> None:
        parsed = file.parsed
        for declaration in struct_fields(parsed, type_spec):
            type_node = declaration.child_by_field_name("type")
            tag_node = declaration.child_by_field_name("tag")
            tag = parsed.literal(tag_node) or "" if tag_node is not None else ""
            settings = gorm_settings(tag)
            if "-" in settings or type_node is None:
                continue
            names = [parsed.text(n) for n in declaration.children_by_field_name("name")]
            line = declaration.start_point[0] + 1
            type_text = parsed.text(type_node)
            if depth == 0 and not struct.tagged and struct_tag(tag, "gorm") is not None:  # once is enough
                struct.tagged = True
            target, many, pointer = self.type_key(type_node, file)
            if not names:  # an embedded field
                self._embed(struct, type_node, file, target, prefix=prefix, depth=depth, line=line)
                continue
            for name in names:
                if target is not None and ("EMBEDDED" in settings) and depth < MAX_EMBEDDING_DEPTH:
                    if depth == 0:
                        struct.embeds.append(target)
                    embedded = self.program.type_decl(target)
                    if embedded is not None:
                        self._fields(struct, embedded.node, embedded.file,
                                     prefix + settings.get("EMBEDDEDPREFIX", ""), depth + 1)
                    continue
                if type_node.type in ("map_type", "channel_type", "function_type", "interface_type") and \
                        "SERIALIZER" not in settings:
                    continue
                is_column = target is None or "SERIALIZER" in settings or "TYPE" in settings
                struct.fields.append(GoField(
                    name=name, column=prefix + settings.get("COLUMN", db_name(name)), type=type_text,
                    target=None if is_column else target, many=many, pointer=pointer, settings=settings, line=line,
                    path=file.path))

    def _embed(self, struct: GoStruct, type_node: Any, file: GoFile, target: tuple[str, str] | None, *,
               prefix: str, depth: int, line: int) -> None:
        parsed = file.parsed
        bare = type_node.named_children[0] if type_node.type == "pointer_type" and type_node.named_child_count \
            else type_node
        if bare.type == "qualified_type":
            package, name = bare.child_by_field_name("package"), bare.child_by_field_name("name")
            import_path = file.imports.get(parsed.text(package)) if package is not None else None
            if import_path in GORM_PACKAGES and name is not None and parsed.text(name) == "Model":
                struct.embeds_model = struct.embeds_model or depth == 0
                for field_name, field_type, nullable in _model_fields(import_path or ""):
                    struct.fields.append(GoField(name=field_name, column=prefix + db_name(field_name),
                                                 type=field_type, nullable=nullable, line=line, path=file.path,
                                                 primary=field_name == "ID"))
                return
        if target is not None and depth < MAX_EMBEDDING_DEPTH:
            if depth == 0:
                struct.embeds.append(target)
            embedded = self.program.type_decl(target)
            if embedded is not None:
                self._fields(struct, embedded.node, embedded.file, prefix, depth + 1)


def _migrated(code: Codebase, reader: _Reader) -> set[tuple[str, str]]:
    """Structs passed to `AutoMigrate`/`CreateTable` (`db.AutoMigrate(&User{}, &models.Article{})`).

    The calls are the ones met in the code the program runs: the route reader follows it and keeps them.
    """
    found = set()
    for site in (s for calls in go_routes(code).observed.values() for s in calls):
        for argument in site.args:
            node = argument.child_by_field_name("operand") if argument.type == "unary_expression" else argument
            if node is not None and node.type == "composite_literal":
                key, _, _ = reader.type_key(node.child_by_field_name("type"), site.frame.file)
                if key is not None:
                    found.add(key)
    return found


def _seeds(reader: _Reader, candidates: set[tuple[str, str]], migrated: set[tuple[str, str]],
           tables: dict[tuple[str, str], str]) -> set[tuple[str, str]]:
    """The structs that show themselves to be models.

    A struct embedded in others (a `Base` with the ID and timestamps) is a mixin, not a model, unless it is migrated,
    names its table or is the type of an association; a struct embedding a mixin inherits what the mixin shows, but
    one embedding a model (a query result `struct { Article; Favorited bool }`) does not.
    """
    structs = {key: reader.read(key) for key in candidates | migrated | set(tables)
               if reader.program.type_decl(key) is not None}
    targets = {f.target for s in structs.values() for f in s.fields if f.target is not None}
    mixins = {e for s in structs.values() for e in s.embeds} - migrated - set(tables) - targets

    def shows(key: tuple[str, str], depth: int) -> bool:
        if depth > MAX_EMBEDDING_DEPTH or reader.program.type_decl(key) is None:
            return False
        struct = reader.read(key)
        return struct.embeds_model or struct.tagged or key in tables or key in migrated or any(
            e in mixins and shows(e, depth + 1) for e in struct.embeds)

    return {key for key in structs if key not in mixins and shows(key, 0)}


def _candidates(reader: _Reader, migrated: set[tuple[str, str]], tables: dict[tuple[str, str], str]
                ) -> set[tuple[str, str]]:
    """The structs `_seeds` chooses the models among: those of every file parsed once the ones that matter are.

    Reading every file would give the same models. A struct shows itself to be a model by embedding `gorm.Model`
    or carrying a `gorm:` tag (its file holds `gorm`, so it was parsed up front), by being migrated or naming its
    table (found by name), or by embedding a struct that shows itself: its file writes that struct's name, and
    the files writing the name of each struct that may show are parsed here. So every struct that shows is a
    candidate; and whether it is a mixin depends on the structs that embed it or point to it, which write its
    name too. A struct of a file left unparsed neither shows nor changes what another struct is.
    """
    program = reader.program
    pending = [(d.file.package, d.name) for d in program.parsed_types() if b"gorm" in d.file.parsed.source]
    pending += [*migrated, *tables]
    may_show: set[tuple[str, str]] = set()
    embedders: dict[tuple[str, str], list[tuple[str, str]]] = {}
    indexed = 0
    while pending:
        key = pending.pop()
        decl = program.type_decl(key) if key not in may_show else None
        if decl is None or not _is_struct(decl.node):
            continue
        may_show.add(key)
        program.sources.need(key[1])  # every file writing its name, whatever its package
        while indexed < len(program.sources.parse_order):  # the structs of the files parsed since: what they embed
            path = program.sources.parse_order[indexed]
            indexed += 1
            for other in program.types_in(path):
                if _is_struct(other.node):
                    other_key = (other.file.package, other.name)
                    for embedded in reader.read(other_key).embeds:
                        embedders.setdefault(embedded, []).append(other_key)
        pending += [k for k in embedders.get(key, []) if k not in may_show]
    return {(d.file.package, d.name) for d in program.parsed_types() if _is_struct(d.node)}


def _table_names(program: GoProgram) -> dict[tuple[str, str], str]:
    """`func (User) TableName() string { return "people" }` -> the struct's table."""
    tables = {}
    for method in program.methods_named("TableName"):
        body = method.node.child_by_field_name("body")
        returns = list(walk(body, frozenset({"return_statement"}))) if body is not None else []
        values = [v for r in returns for v in walk(r, frozenset({"interpreted_string_literal", "raw_string_literal"}))]
        literal = method.file.parsed.literal(values[0]) if len(values) == 1 else None
        if literal:
            tables[(method.file.package, method.receiver)] = literal
    return tables


def _entity_fields(struct: GoStruct, foreign: dict[tuple[str, str], str]) -> tuple[EntityField, ...]:
    unique_indexes = Counter(f.settings["UNIQUEINDEX"] for f in struct.fields if f.settings.get("UNIQUEINDEX"))
    primary_keys = struct.primary_keys
    fields = []
    for f in struct.columns:
        settings = f.settings
        # A named unique index shared by several columns is a composite key: no column is unique alone.
        unique = "UNIQUE" in settings or ("UNIQUEINDEX" in settings and unique_indexes[settings["UNIQUEINDEX"]] < 2)
        references = foreign.get((struct.name, f.name))
        key = "PK" if f.name in primary_keys else "FK" if references else "UK" if unique else None
        nullable = f.nullable
        if key == "PK" or "NOT NULL" in settings:
            nullable = False
        elif f.pointer or f.type in _NULLABLE_TYPES:
            nullable = True
        fields.append(EntityField(name=f.column, type=f.type, key=key, nullable=nullable, references=references,
                                  unique=unique))
    return tuple(fields)


@dataclass(frozen=True)
class Gorm:
    """GORM models and their relations."""

    name: str = "GORM"
    """Catalog name."""

    def run(self, code: Codebase) -> Found | None:
        """The models of a Go program that uses GORM, or None when it does not."""
        if not any(is_go_source(p) for p in code.paths):
            return None
        evidence: list[SourceRef] = []
        dependency = code.dependency("go", GORM_PACKAGES)
        if dependency is not None:
            evidence.append(Codebase.ref(dependency))
        program = go_program(code)
        evidence += [SourceRef(path=f.path, line=f.import_lines[p]) for f in program.files for p in GORM_PACKAGES
                     if p in f.import_lines]
        if not evidence:
            return None
        reader = _Reader(program)
        models: dict[tuple[str, str], GoStruct] = {}
        tables = _table_names(program)
        migrated = _migrated(code, reader)
        pending = sorted(_seeds(reader, _candidates(reader, migrated, tables), migrated, tables))
        while pending:
            key = pending.pop()
            if key in models:
                continue
            models[key] = reader.read(key)
            pending.extend(f.target for f in models[key].fields if f.target is not None and f.target not in models)
        ordered = sorted(models.values(), key=lambda s: (s.source.path, s.source.line or 0))
        for struct in ordered:
            struct.table = tables.get(struct.key, table_name(struct.name))
        found_relations, foreign = relations(ordered)
        entities = tuple(Entity(name=s.name, table=s.table, orm=self.name, source=s.source,
                                fields=_entity_fields(s, foreign)) for s in ordered)
        return Found(framework=self.name, evidence=tuple(dict.fromkeys(evidence))[:6],
                     files_read=tuple(f.path for f in program.parsed_files()), entities=entities,
                     relations=tuple(found_relations), problems=tuple(program.problems),
                     technologies=opened_databases(program))


ADAPTERS = (Gorm(),)
