# Follows a Go program the way its routes are built at start-up: from `main` and `init` (then the router functions
# they did not reach, `go_roots`), statements are run in order, variables and struct fields hold routers,
# and calls into the program's own functions and methods are followed with their arguments bound, across files and
# packages. A group created in one function and passed to a registration function in another package therefore
# keeps its prefix. Branches are all taken (a route under `if debug` is still a route); loops run once. The walk is
# bounded: recursion is cut, call depth and the total number of steps are capped.
from __future__ import annotations

from typing import Any

from autodevhub_docs.analysis.endpoints import go_frameworks
from autodevhub_docs.analysis.endpoints.go_roots import router_functions
from autodevhub_docs.analysis.endpoints.go_site import Frame, Site
from autodevhub_docs.analysis.endpoints.go_source import GoDecl, GoFile, GoProgram, arity
from autodevhub_docs.analysis.endpoints.go_values import (
    External,
    Func,
    MuxRoute,
    Obj,
    Router,
    Str,
    Strs,
    element_value,
    routers_in,
    string_literal,
    wrapped,
)
from autodevhub_docs.model import SourceRef

MAX_CALL_DEPTH = 40
"""Deepest chain of calls followed."""
MAX_STEPS = 400_000
"""Statements and calls evaluated per program at most (a linear bound on hostile input)."""
_STRINGS = frozenset({"interpreted_string_literal", "raw_string_literal"})
_CONTAINERS = frozenset({"block", "statement_list", "labeled_statement", "expression_case", "default_case",
                         "type_case", "communication_case", "for_clause"})


class GoInterpreter:
    """Runs a Go program's start-up code symbolically to find its routers and routes.

    Args:
        program: The program's packages.
        observe: Method names whose calls on values of outside packages are kept for other readers
            (`AutoMigrate` for the GORM reader).
    """

    def __init__(self, program: GoProgram, observe: frozenset[str] = frozenset()) -> None:
        self.program = program
        self.observe = observe
        self.observed: dict[str, list[Site]] = {}
        """Observed method name -> the calls met while following the program."""
        self.routers: list[Router] = []
        """Every router created."""
        self.problems: dict[str, list[str]] = {"": list(program.problems)}
        """Framework ('' for every framework) -> files and routes that could not be read, with the reason."""
        self.registrations: dict[str, list[SourceRef]] = {}
        """Framework -> the calls that registered a route or a mount, as evidence."""
        self.default_mux: Router | None = None
        self._globals: dict[tuple[str, str], Any] = {}
        self._evaluating: set[tuple[str, str]] = set()
        self._fields: dict[tuple[str, str, str], Any] = {}
        self._stack: list[int] = []
        self._visited: set[int] = set()
        self._steps = 0

    def run(self) -> None:
        """Run the program's start-up code, then the router functions it did not reach.

        `main` and every `init` run first. Then the functions and methods that take or return a router (route
        registration functions, router constructors) and were not reached run on their own, callers before the
        functions they call, so that a registration function is followed with the group it is given whenever
        some code gives it one.
        """
        for decl in sorted(self.program.entry_points, key=lambda d: d.name == "main"):  # init runs before main
            self.call(Func(decl.node, decl.file, decl=decl), [])
        for decl in router_functions(self.program, exclude=self._visited):
            if id(decl.node) not in self._visited:
                self.call(Func(decl.node, decl.file, decl=decl), [])

    def new_router(self, framework: str, source: SourceRef) -> Router:
        """A router created by a constructor (or given to a root function as a parameter)."""
        router = Router(framework=framework, source=source)
        self.routers.append(router)
        return router

    def child(self, parent: Router, prefix: str, source: SourceRef) -> Router:
        """A group of a router."""
        sub = parent.child(prefix, source)
        self.routers.append(sub)
        return sub

    def registered(self, framework: str, source: SourceRef) -> None:
        """Note a registration call of a framework."""
        self.registrations.setdefault(framework, []).append(source)

    # ---- functions and statements

    def call(self, func: Func, args: list[Any], receiver: Any = None) -> Any:
        """Run a function with argument values; returns the first value one of its return statements gives."""
        node = func.node
        body = node.child_by_field_name("body")
        if body is None or len(self._stack) >= MAX_CALL_DEPTH or id(node) in self._stack or not self._step():
            return None
        scope: dict[str, Any] = {}
        parsed = func.file.parsed
        receiver_list = node.child_by_field_name("receiver")
        if receiver_list is not None:
            for declaration in receiver_list.named_children:
                name = declaration.child_by_field_name("name")
                if name is not None:
                    scope[parsed.text(name)] = receiver if receiver is not None else Obj(
                        func.file.package, func.decl.receiver if func.decl else "")
        index = 0
        parameters = node.child_by_field_name("parameters")
        for declaration in parameters.named_children if parameters is not None else []:
            type_node = declaration.child_by_field_name("type")
            for name in declaration.children_by_field_name("name"):
                value = args[index] if index < len(args) else None
                scope[parsed.text(name)] = value if value is not None else self.typed_value(type_node, func.file)
                index += 1
        frame = Frame(file=func.file, scopes=[*func.closure, scope])
        self._visited.add(id(node))
        self._stack.append(id(node))
        try:
            self.statement(body, frame)
        finally:
            self._stack.pop()
        return next((v for v in frame.returns if v is not None), None)

    def typed_value(self, type_node: Any, file: GoFile) -> Any:
        """A value standing for a parameter or variable of a type: a router for a router type, else an object."""
        while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
            type_node = type_node.named_children[0]
        if type_node is None:
            return None
        parsed = file.parsed
        if type_node.type == "qualified_type":
            package, name = type_node.child_by_field_name("package"), type_node.child_by_field_name("name")
            import_path = file.imports.get(parsed.text(package)) if package is not None else None
            if import_path is None or name is None:
                return None
            framework = go_frameworks.router_type(import_path, parsed.text(name))
            if framework:
                return self.new_router(framework, file.ref(type_node))
            internal = self.program.package_of(import_path)
            return Obj(internal, parsed.text(name)) if internal is not None else None
        if type_node.type == "type_identifier":
            name = parsed.text(type_node)
            return Obj(file.package, name) if self.program.type_decl((file.package, name)) is not None else None
        return None

    def _step(self) -> bool:
        self._steps += 1
        return self._steps <= MAX_STEPS

    def statement(self, node: Any, frame: Frame) -> None:  # noqa: PLR0912 - one branch per statement kind
        """Run one statement (and the statements it contains)."""
        if not self._step():
            return
        kind = node.type
        if kind in ("short_var_declaration", "assignment_statement"):
            self._assign(node, frame, declare=kind == "short_var_declaration")
        elif kind in ("var_declaration", "const_declaration"):
            self._declare(node, frame)
        elif kind in ("expression_statement", "go_statement", "defer_statement"):
            for child in node.named_children:
                self.expr(child, frame)
        elif kind == "return_statement":
            first = node.named_children[0] if node.named_child_count else None
            if first is not None and first.type == "expression_list":
                first = first.named_children[0] if first.named_child_count else None
            frame.returns.append(self.expr(first, frame))
        elif kind in ("block", "statement_list"):
            frame.scopes.append({})
            try:
                for child in node.named_children:
                    self.statement(child, frame)
            finally:
                frame.scopes.pop()
        elif kind == "call_expression":
            self.expr(node, frame)
        else:
            for child in node.named_children:
                if child.type in _CONTAINERS or child.type.endswith(("_statement", "_declaration")) or \
                        child.type == "call_expression":
                    self.statement(child, frame)

    def _assign(self, node: Any, frame: Frame, *, declare: bool) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is None or right is None or (operator is not None and frame.file.parsed.text(operator) != "="):
            return
        targets, sources = left.named_children, right.named_children
        values = [self.expr(s, frame) for s in sources]
        for index, target in enumerate(targets):
            value = values[index] if index < len(values) else (values[0] if len(sources) == 1 and index == 0
                                                                else None)
            self._store(target, value, frame, declare=declare)

    def _declare(self, node: Any, frame: Frame) -> None:
        specs = [c for c in node.named_children if c.type in ("var_spec", "const_spec")]
        specs += [s for c in node.named_children if c.type.endswith("_spec_list") for s in c.named_children]
        for spec in specs:
            value_list = spec.child_by_field_name("value")
            values = [self.expr(v, frame) for v in (value_list.named_children if value_list is not None else [])]
            type_node = spec.child_by_field_name("type")
            for index, name in enumerate(spec.children_by_field_name("name")):
                value = values[index] if index < len(values) else None
                if value is None and type_node is not None:
                    value = self.typed_value(type_node, frame.file)
                frame.scopes[-1][frame.file.parsed.text(name)] = value

    def _store(self, target: Any, value: Any, frame: Frame, *, declare: bool) -> None:
        parsed = frame.file.parsed
        if target.type == "identifier":
            name = parsed.text(target)
            if name == "_":
                return
            if not declare:
                for scope in reversed(frame.scopes):
                    if name in scope:
                        scope[name] = value
                        return
                # Assigning a name no enclosing scope declares: a package-level variable.
                self._globals[(frame.file.package, name)] = value
                return
            frame.scopes[-1][name] = value
        elif target.type == "selector_expression":
            owner = self.expr(target.child_by_field_name("operand"), frame)
            field_name = target.child_by_field_name("field")
            if isinstance(owner, Obj) and field_name is not None:
                owner.fields[parsed.text(field_name)] = value
                self._fields[(owner.package, owner.type_name, parsed.text(field_name))] = value

    # ---- expressions

    def lookup(self, name: str, frame: Frame) -> Any:
        """The value of a name: a local variable, a package-level variable or constant, or a function."""
        for scope in reversed(frame.scopes):
            if name in scope:
                return scope[name]
        return self.package_member(frame.file.package, name)

    def package_member(self, package: str, name: str) -> Any:
        """A package-level variable, constant or function of one of the program's packages."""
        key = (package, name)
        if key in self._globals:
            return self._globals[key]
        declared = self.program.value(package, name)
        if declared is not None and key not in self._evaluating:
            self._evaluating.add(key)
            try:
                value = self.expr(declared.node, Frame(file=declared.file, scopes=[{}]))
            finally:
                self._evaluating.discard(key)
            self._globals[key] = value
            return value
        function = self.program.function(package, name)
        return Func(function.node, function.file, decl=function) if function is not None else None

    def expr(self, node: Any, frame: Frame) -> Any:  # noqa: PLR0911 - one branch per expression kind
        """The value of an expression, or None when it is not one the route reader tracks."""
        if node is None or not self._step():
            return None
        kind = node.type
        parsed = frame.file.parsed
        if kind in _STRINGS:
            return string_literal(parsed, node)
        if kind == "identifier":
            return self.lookup(parsed.text(node), frame)
        if kind in ("parenthesized_expression", "expression_list") and node.named_child_count:
            return self.expr(node.named_children[0], frame)
        if kind == "unary_expression":
            operator = node.child_by_field_name("operator")
            if operator is not None and parsed.text(operator) in ("&", "*"):
                return self.expr(node.child_by_field_name("operand"), frame)
            return None
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            left = self.expr(node.child_by_field_name("left"), frame)
            right = self.expr(node.child_by_field_name("right"), frame)
            if operator is not None and parsed.text(operator) == "+" and isinstance(left, Str) \
                    and isinstance(right, Str):
                return Str(left.value + right.value)
            return None
        if kind == "func_literal":
            return Func(node, frame.file, closure=tuple(frame.scopes))
        if kind == "composite_literal":
            return self._composite(node, frame)
        if kind == "selector_expression":
            return self._select(node, frame)
        if kind == "call_expression":
            return self._call(node, frame)
        return None

    def _alias(self, node: Any, frame: Frame) -> str | None:
        """The import path an identifier names, when it is an import not shadowed by a variable."""
        if node is None or node.type != "identifier":
            return None
        name = frame.file.parsed.text(node)
        if any(name in scope for scope in frame.scopes):
            return None
        return frame.file.imports.get(name)

    def _select(self, node: Any, frame: Frame) -> Any:
        operand, name_node = node.child_by_field_name("operand"), node.child_by_field_name("field")
        if name_node is None:
            return None
        name = frame.file.parsed.text(name_node)
        import_path = self._alias(operand, frame)
        if import_path is not None:
            package = self.program.package_of(import_path)
            if package is not None:
                return self.package_member(package, name)
            return go_frameworks.external_value(self, import_path, name, frame.file.ref(node))
        owner = self.expr(operand, frame)
        if isinstance(owner, Obj):
            if name in owner.fields:
                return owner.fields[name]
            return self._fields.get((owner.package, owner.type_name, name))
        return None

    def _composite(self, node: Any, frame: Frame) -> Any:
        type_node, body = node.child_by_field_name("type"), node.child_by_field_name("body")
        parsed = frame.file.parsed
        if type_node is not None and type_node.type in ("slice_type", "array_type") and body is not None:
            values = [self.expr(e.named_children[0], frame) for e in body.named_children
                      if e.type == "literal_element" and e.named_child_count]
            return Strs(tuple(v.value for v in values if isinstance(v, Str)))
        value = self.typed_value(type_node, frame.file) if type_node is not None else None
        elements = [e for e in (body.named_children if body is not None else []) if e.type == "keyed_element"]
        if not isinstance(value, Obj):
            # A struct of an outside package holding functions (a CLI command's `Run: func(...) {...}`): the
            # functions are run, as the program would when it starts.
            self._run_literals([self.expr(element_value(e.named_children[-1]), frame) for e in elements])
            return value
        for element in elements:
            if element.named_child_count == 2:
                key, item = element.named_children
                value.fields[parsed.text(key)] = self.expr(element_value(item), frame)
        return value

    def _call(self, node: Any, frame: Frame) -> Any:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        arg_nodes = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
        site = Site(self, node, arg_nodes, frame)
        if function is not None and function.type == "selector_expression":
            operand, name_node = function.child_by_field_name("operand"), function.child_by_field_name("field")
            name = frame.file.parsed.text(name_node) if name_node is not None else ""
            import_path = self._alias(operand, frame)
            if import_path is not None and self.program.package_of(import_path) is None:
                return go_frameworks.external_call(site, import_path, name)
            if import_path is None:
                receiver = self.expr(operand, frame)
                if isinstance(receiver, (Router, MuxRoute)):
                    return go_frameworks.method_call(site, receiver, name)
                return self._method(site, receiver, name)
        callee = self.expr(function, frame)
        values = [self.expr(a, frame) for a in arg_nodes]
        if isinstance(callee, Func):
            return wrapped(self.call(callee, values), values)
        if not isinstance(callee, External):
            self._run_literals(values)
        return wrapped(None, values)

    def _method(self, site: Site, receiver: Any, name: str) -> Any:
        values = [self.expr(a, site.frame) for a in site.args]
        methods: list[GoDecl] = []
        if isinstance(receiver, Obj):
            methods = self.program.methods_of(receiver.package, receiver.type_name, name)
        if not methods and routers_in(values):
            # The receiver's type is not known (an interface, a value from a map): every method of that name and
            # arity that could receive the router is followed, as class-hierarchy analysis does.
            methods = [m for m in self.program.methods_named(name) if arity(m) == len(values)]
        if not methods:
            if name in self.observe:
                self.observed.setdefault(name, []).append(site)
            self._run_literals(values)
            return wrapped(None, values)
        results = [self.call(Func(m.node, m.file, decl=m), values, receiver=receiver if isinstance(receiver, Obj)
                             else None) for m in methods]
        return wrapped(next((r for r in results if r is not None), None), values)

    def _run_literals(self, values: list[Any]) -> None:
        """Run function literals handed to code the reader does not follow (`once.Do(func() {...})`)."""
        for value in values:
            if isinstance(value, Func) and value.node.type == "func_literal":
                self.call(value, [])
