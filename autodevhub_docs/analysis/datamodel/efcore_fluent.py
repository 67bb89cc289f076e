# EF Core's fluent configuration, read from `OnModelCreating(ModelBuilder)` of every DbContext and from every
# `IEntityTypeConfiguration<T>.Configure(EntityTypeBuilder<T>)`: `modelBuilder.Entity<T>(b => {...})`,
# `modelBuilder.Entity<T>().X()...` and builders held in variables, with `ToTable`, `HasKey`, `HasIndex(...)
# .IsUnique()`, `Property(...).HasColumnName/IsRequired`, `Ignore`, `OwnsOne/OwnsMany` and the relationship chains
# `HasOne/HasMany(...).WithOne/WithMany(...).HasForeignKey(...)/.UsingEntity(...)`. Migration snapshots configure
# entities by name strings (`Entity("Ns.Article", ...)`) and are not read: the entity classes are the model.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.endpoints.csharp_source import CsClass, CsFile, CsProgram, simple_name, type_arguments
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed, walk

MAX_CHAIN = 64
"""Longest call chain read (real configuration chains have a handful of calls)."""
_DECLARATORS = "(variable_declarator) @node"
_STATEMENTS = "[(expression_statement) (arrow_expression_clause)] @node"
"""What a configuration body is read for, found by tree-sitter queries (in source order, as a walk would)."""


@dataclass
class FluentRelation:
    """One `HasOne/HasMany(...).WithOne/WithMany(...)` chain."""

    entity: str
    """Entity being configured (the `HasOne`/`HasMany` side)."""
    many: bool
    """`HasMany` (else `HasOne`)."""
    source: SourceRef
    """Where the chain is."""
    navigation: str | None = None
    """The entity's navigation, when named."""
    target: str | None = None
    """The related entity when written as a type argument (`HasOne<Person>()`)."""
    inverse_many: bool | None = None
    """`WithMany` (True), `WithOne` (False), or not written (None)."""
    inverse: str | None = None
    """The related entity's navigation back, when named."""
    foreign_keys: list[str] = field(default_factory=list)
    """`HasForeignKey` properties."""
    dependent: str | None = None
    """`HasForeignKey<T>`: the dependent of a one-to-one."""
    through: str | None = None
    """Join table or entity of `UsingEntity`."""
    through_entity: str | None = None
    """`UsingEntity<T>`: the join entity."""


@dataclass
class Fluent:
    """What the fluent API configures, by entity name."""

    entities: dict[str, SourceRef] = field(default_factory=dict)
    """Entities named by `Entity<T>()` or a configuration class."""
    tables: dict[str, str] = field(default_factory=dict)
    keys: dict[str, list[str]] = field(default_factory=dict)
    unique: dict[str, set[str]] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    required: set[tuple[str, str]] = field(default_factory=set)
    ignored: set[tuple[str, str]] = field(default_factory=set)
    owned: set[tuple[str, str]] = field(default_factory=set)
    relations: list[FluentRelation] = field(default_factory=list)


def _members(file: CsFile, node: Any) -> list[str]:
    """Properties a lambda selects: `x => x.Slug` -> [Slug], `x => new { x.A, x.B }` -> [A, B]; strings too."""
    parsed = file.parsed
    if node is not None and node.type == "argument" and node.named_child_count:
        node = node.named_children[-1]
    if node is None:
        return []
    if node.type == "lambda_expression":
        body = node.child_by_field_name("body")
        if body is None:
            return []
        if body.type == "anonymous_object_creation_expression":
            return [simple_name(parsed, m) for m in body.named_children if m.type == "member_access_expression"]
        return [simple_name(parsed, body)] if body.type == "member_access_expression" else []
    literal = parsed.literal(node)
    return [literal] if literal else []


def _chain(parsed: Parsed, node: Any) -> list[tuple[str, list[Any], list[Any], Any]]:
    """A call chain as (method, type arguments, argument nodes, call node), innermost first, and its receiver last."""
    calls: list[tuple[str, list[Any], list[Any], Any]] = []
    while node is not None and node.type == "invocation_expression" and len(calls) < MAX_CHAIN:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        args = [a for a in (arguments.named_children if arguments is not None else []) if a.type == "argument"]
        if function is None or function.type != "member_access_expression":
            break
        name_node = function.child_by_field_name("name")
        calls.append((simple_name(parsed, name_node), type_arguments(name_node), args, node))
        node = function.child_by_field_name("expression")
    calls.reverse()
    calls.append(("<receiver>", [], [], node))
    return calls


class FluentReader:
    """Reads the fluent configuration of a program.

    Args:
        program: The program's classes.
        contexts: The DbContext classes.
    """

    def __init__(self, program: CsProgram, contexts: list[CsClass]) -> None:
        self.program = program
        self.fluent = Fluent()
        for context in contexts:
            for method in context.members("method_declaration"):
                name = method.child_by_field_name("name")
                if name is not None and context.file.parsed.text(name) == "OnModelCreating":
                    self._body(context.file, method, {})
        for cls in program.derived_from(("IEntityTypeConfiguration",)):  # the base `_configuration` reads
            self._configuration(cls)

    def _configuration(self, cls: CsClass) -> None:
        parsed = cls.file.parsed
        for base in cls.bases:
            if simple_name(parsed, base) != "IEntityTypeConfiguration" or not type_arguments(base):
                continue
            entity = simple_name(parsed, type_arguments(base)[0])
            self.fluent.entities.setdefault(entity, cls.file.ref(cls.node))
            for method in cls.members("method_declaration"):
                name, parameters = method.child_by_field_name("name"), method.child_by_field_name("parameters")
                builder = next((p.child_by_field_name("name") for p in parameters.named_children
                                if p.type == "parameter"), None) if parameters is not None else None
                if name is not None and parsed.text(name) == "Configure" and builder is not None:
                    self._body(cls.file, method, {parsed.text(builder): entity})

    def _body(self, file: CsFile, node: Any, builders: dict[str, str]) -> None:
        """Read every statement of a method or lambda body, with the builder variables in scope."""
        parsed = file.parsed
        for declarator in parsed.captures(_DECLARATORS, node).get("node", []):
            name = declarator.child_by_field_name("name")
            value = next((c for c in reversed(declarator.named_children) if c is not name), None)
            entity = self._entity_of(file, value, builders) if value is not None else None
            if name is not None and entity:
                builders[parsed.text(name)] = entity
        for statement in parsed.captures(_STATEMENTS, node).get("node", []):
            expression = statement.named_children[0] if statement.named_child_count else None
            if expression is not None and expression.type == "invocation_expression":
                self._statement(file, expression, builders)

    def _entity_of(self, file: CsFile, node: Any, builders: dict[str, str]) -> str | None:
        calls = _chain(file.parsed, node)
        receiver = calls[-1][3]
        if receiver is not None and receiver.type == "identifier" and file.parsed.text(receiver) in builders \
                and len(calls) == 1:
            return builders[file.parsed.text(receiver)]
        first = calls[0]
        if first[0] == "Entity" and first[1] and len(calls) == 2:
            return simple_name(file.parsed, first[1][0])
        return None

    def _statement(self, file: CsFile, node: Any, builders: dict[str, str]) -> None:
        parsed = file.parsed
        calls = _chain(file.parsed, node)
        receiver = calls[-1][3]
        entity = builders.get(parsed.text(receiver)) if receiver is not None and receiver.type == "identifier" \
            else None
        start = 0
        if entity is None and calls and calls[0][0] == "Entity" and calls[0][1]:
            entity = simple_name(parsed, calls[0][1][0])
            self.fluent.entities.setdefault(entity, file.ref(calls[0][3]))
            lambda_arg = calls[0][2][0].named_children[-1] if calls[0][2] and calls[0][2][0].named_child_count \
                else None
            if lambda_arg is not None and lambda_arg.type == "lambda_expression":
                parameter = lambda_arg.child_by_field_name("parameters")
                name = parameter if parameter is not None and parameter.type == "implicit_parameter" else next(
                    (p.child_by_field_name("name") for p in (parameter.named_children if parameter else [])
                     if p.type == "parameter"), None)
                if name is not None:
                    self._body(file, lambda_arg, {**builders, parsed.text(name): entity})
            start = 1
        if entity is None:
            return
        self._configure(file, entity, calls[start:-1])

    def _configure(self, file: CsFile, entity: str, calls: list[tuple[str, list[Any], list[Any], Any]]) -> None:
        fluent = self.fluent
        relation: FluentRelation | None = None
        for index, (name, type_args, args, node) in enumerate(calls):
            first = _members(file, args[0]) if args else []
            if relation is not None:
                self._relation_call(file, relation, name, type_args=type_args, args=args, first=first)
                continue
            if name == "ToTable" and first:
                fluent.tables[entity] = first[0]
            elif name == "HasKey":
                fluent.keys[entity] = [m for a in args for m in _members(file, a)]
            elif name == "HasIndex" and any(c[0] == "IsUnique" for c in calls[index + 1:]) and len(first) == 1:
                fluent.unique.setdefault(entity, set()).add(first[0])
            elif name == "Property" and first:
                for later, _, later_args, _ in calls[index + 1:]:
                    column = _members(file, later_args[0]) if later_args else []
                    if later == "HasColumnName" and column:
                        fluent.columns[(entity, first[0])] = column[0]
                    elif later == "IsRequired" and not (later_args and file.parsed.text(later_args[0]) == "false"):
                        fluent.required.add((entity, first[0]))
                return
            elif name == "Ignore" and first:
                fluent.ignored.add((entity, first[0]))
            elif name in ("OwnsOne", "OwnsMany") and first:
                fluent.owned.add((entity, first[0]))
                return
            elif name in ("HasOne", "HasMany"):
                relation = FluentRelation(entity=entity, many=name == "HasMany", source=file.ref(node),
                                          navigation=first[0] if first else None,
                                          target=simple_name(file.parsed, type_args[0]) if type_args else None)
                fluent.relations.append(relation)

    def _relation_call(self, file: CsFile, relation: FluentRelation, name: str, *, type_args: list[Any],
                       args: list[Any], first: list[str]) -> None:
        parsed = file.parsed
        if name in ("WithOne", "WithMany"):
            relation.inverse_many = name == "WithMany"
            relation.inverse = first[0] if first else None
        elif name == "HasForeignKey":
            relation.foreign_keys = [m for a in args for m in _members(file, a)]
            relation.dependent = simple_name(parsed, type_args[0]) if type_args else None
        elif name == "UsingEntity":
            if type_args:
                relation.through_entity = simple_name(parsed, type_args[0])
            elif first:
                relation.through = first[0]
            for lambda_node in (n for a in args for n in walk(a, frozenset({"invocation_expression"}))):
                calls = _chain(parsed, lambda_node)
                table = next((c for c in calls if c[0] == "ToTable" and c[2]), None)
                if table is not None and _members(file, table[2][0]):
                    relation.through = _members(file, table[2][0])[0]
