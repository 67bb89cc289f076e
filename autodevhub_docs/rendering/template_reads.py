# Which attributes of its context values a template can read, found in the template's syntax tree. A page's digest
# (`pages`) then holds only those attributes of a fact record, not the whole record: the API page reads
# `arch.endpoints`, so a new commit (which changes `facts.commits`) or a new entity (`arch.entities`) leaves its
# digest, and its body, as they were. The reading is an over-estimate, never an under-estimate: a name is read whole
# wherever the tree does anything with it but read an attribute of it, pass it to a macro of the templates (whose
# parameter is then followed) or name it under another scope (a macro's parameter or a loop variable of the same
# name only adds attributes). Included, extended and imported-with-context templates see the same context, so their
# reads count too; a template named by an expression makes every name read whole.
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes

WHOLE = None
"""A name whose value the template may read whole (or hand to code outside the templates)."""

Reads = Mapping[str, frozenset[str] | None]
"""Context name -> the attributes the template reads of it, or `WHOLE`. A name not in it is not read."""


@dataclass
class TemplateReads:
    """Works out, and remembers, what each template of an environment reads.

    Args:
        env: The environment whose loader finds the templates (a user's templates override the built-in ones).
    """

    env: jinja2.Environment
    known: dict[str, Reads | None] = field(default_factory=dict)
    """What was worked out already, by template (see `as_json`: a build keeps it for the next one)."""
    _scopes: dict[str, _Scope | None] = field(default_factory=dict)
    _params: dict[tuple[str, str, str], frozenset[str] | None] = field(default_factory=dict)

    def of(self, template: str) -> Reads | None:
        """What a template reads of its context; None when that cannot be told (any name may be read whole)."""
        if template not in self.known:
            found = _Found()
            self._template(template, found, set())
            self.known[template] = None if found.everything else {name: _frozen(attrs)
                                                                   for name, attrs in found.names.items()}
        return self.known[template]

    def fingerprint(self) -> str:
        """The digest of every template's name and text: what the reads are worked out from."""
        sha = hashlib.sha256()
        try:
            for name in sorted(self.env.list_templates()):
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
                sha.update(f"{len(name)}:{name}{len(source)}:{source}".encode("utf-8", "surrogateescape"))
        except (jinja2.TemplateError, OSError, TypeError) as error:
            sha.update(f"unlisted: {error!r}".encode())  # differs from any listing: nothing kept is taken
        return sha.hexdigest()

    def as_json(self) -> dict[str, Any]:
        """The reads worked out so far, as JSON (`from_json` reads it back)."""
        return {template: None if reads is None else {name: None if attrs is WHOLE else sorted(attrs)
                                                      for name, attrs in reads.items()}
                for template, reads in self.known.items()}

    def from_json(self, data: Any) -> None:
        """Take reads an earlier build worked out from the same templates (anything malformed is worked out)."""
        if not isinstance(data, dict):
            return
        for template, reads in data.items():
            if reads is None:
                self.known[template] = None
            elif isinstance(reads, dict) and all(_attribute_list(v) for v in reads.values()):
                self.known[template] = {name: WHOLE if attrs is None else frozenset(attrs)
                                        for name, attrs in reads.items()}

    def _scope(self, name: str) -> _Scope | None:
        if name not in self._scopes:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
                self._scopes[name] = _Scope(name, self.env.parse(source, name, filename))
            except (jinja2.TemplateError, OSError, AttributeError):
                self._scopes[name] = None  # rendering it will say what is wrong
        return self._scopes[name]

    def _template(self, name: str, found: _Found, open_templates: set[str]) -> None:
        """Add what a whole template reads (`open_templates`: the ones being read, so a cycle stops)."""
        if name in open_templates:
            return
        scope = self._scope(name)
        if scope is None:
            found.everything = True
            return
        open_templates.add(name)
        self._walk(scope.tree, scope, found, open_templates, only=None)
        open_templates.discard(name)

    def _walk(self, tree: nodes.Node, scope: _Scope, found: _Found, open_templates: set[str],
              only: str | None) -> None:
        """Add the reads of the names in `tree` (of `only` when given: a macro's parameter)."""
        stack: list[tuple[nodes.Node, nodes.Node | None, nodes.Node | None]] = [(tree, None, None)]
        while stack:
            node, parent, grandparent = stack.pop()
            stack.extend((child, node, parent) for child in node.iter_child_nodes())
            if isinstance(node, nodes.Name):
                if node.ctx == "load" and (only is None or node.name == only):
                    self._name(node, parent, grandparent, scope, found)
            elif isinstance(node, (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
                if isinstance(node, (nodes.Import, nodes.FromImport)) and not node.with_context:
                    continue  # its macros see only their arguments (followed at each call)
                target = _named(node.template)
                if only is None and target is not None:
                    self._template(target, found, open_templates)
                else:  # a template named by an expression, or one that sees a macro's parameters
                    found.everything = True

    def _name(self, node: nodes.Name, parent: nodes.Node | None, grandparent: nodes.Node | None, scope: _Scope,
              found: _Found) -> None:
        if isinstance(parent, nodes.Getattr) and parent.node is node:
            found.add(node.name, parent.attr)
            return
        if isinstance(parent, nodes.Getitem) and parent.node is node and isinstance(parent.arg, nodes.Const) \
                and isinstance(parent.arg.value, str):
            found.add(node.name, parent.arg.value)  # Jinja's `x["a"]` falls back to the attribute
            return
        if isinstance(parent, nodes.Call) and parent.node is not node:
            position = next((n for n, a in enumerate(parent.args) if a is node), None)  # None: `*x` or `**x`
            reads = self._argument(parent, scope, position=position)
        elif isinstance(parent, nodes.Keyword) and isinstance(grandparent, nodes.Call):
            reads = self._argument(grandparent, scope, keyword=parent.key)
        else:
            reads = WHOLE
        if reads is WHOLE:
            found.names[node.name] = WHOLE
            return
        found.names.setdefault(node.name, set())
        for attribute in reads:
            found.add(node.name, attribute)

    def _argument(self, call: nodes.Call, scope: _Scope, *, position: int | None = None,
                  keyword: str | None = None) -> frozenset[str] | None:
        """What a macro of the templates reads of an argument; `WHOLE` for any other call."""
        if call.dyn_args is not None or call.dyn_kwargs is not None:
            return WHOLE
        macro = self._macro(call.node, scope)
        if macro is None:
            return WHOLE
        where, definition = macro
        params = [arg.name for arg in definition.args]
        if keyword is not None:
            param = keyword if keyword in params else None
        else:
            param = params[position] if position is not None and position < len(params) else None
        if param is None:
            return WHOLE  # `varargs` or `kwargs`: read as a whole
        key = (where.name, definition.name, param)
        if key not in self._params:
            self._params[key] = WHOLE  # a macro that hands its parameter on to itself reads it whole
            inner = _Found()
            self._walk(definition, where, inner, set(), only=param)
            self._params[key] = WHOLE if inner.everything else _frozen(inner.names.get(param, set()))
        return self._params[key]

    def _macro(self, callee: nodes.Node, scope: _Scope) -> tuple[_Scope, nodes.Macro] | None:
        """The template and definition of the macro a call names (defined there or imported), else None."""
        if isinstance(callee, nodes.Name):
            if callee.name in scope.macros:
                return scope, scope.macros[callee.name]
            imported = scope.imported.get(callee.name)
            return self._defined(*imported) if imported is not None else None
        if isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name) \
                and callee.node.name in scope.modules:
            return self._defined(scope.modules[callee.node.name], callee.attr)
        return None

    def _defined(self, template: str | None, name: str) -> tuple[_Scope, nodes.Macro] | None:
        where = self._scope(template) if template is not None else None
        if where is None or name not in where.macros:
            return None
        return where, where.macros[name]


class _Scope:
    """One template's tree, its macros and the names it imports macros under."""

    def __init__(self, name: str, tree: nodes.Template) -> None:
        self.name = name
        self.tree = tree
        self.macros = {macro.name: macro for macro in tree.find_all(nodes.Macro)}
        self.imported: dict[str, tuple[str | None, str]] = {}
        """Local name -> (template, macro name) of `{% from ... import %}`."""
        self.modules: dict[str, str | None] = {}
        """Local name -> template of `{% import ... as %}`."""
        for module in tree.find_all(nodes.Import):
            self.modules[module.target] = _named(module.template)
        for imported in tree.find_all(nodes.FromImport):
            for entry in imported.names:
                macro, alias = entry if isinstance(entry, tuple) else (entry, entry)
                self.imported[alias] = (_named(imported.template), macro)


@dataclass
class _Found:
    names: dict[str, set[str] | None] = field(default_factory=dict)
    everything: bool = False

    def add(self, name: str, attribute: str) -> None:
        if name not in self.names:
            self.names[name] = set()
        reads = self.names[name]
        if reads is not WHOLE:
            reads.add(attribute)


def _named(template: nodes.Expr) -> str | None:
    """The name of a template given as a constant, else None."""
    return template.value if isinstance(template, nodes.Const) and isinstance(template.value, str) else None


def _attribute_list(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(a, str) for a in value))


def _frozen(reads: set[str] | None) -> frozenset[str] | None:
    return WHOLE if reads is WHOLE else frozenset(reads)
