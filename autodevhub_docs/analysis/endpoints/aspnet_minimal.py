# ASP.NET Core minimal APIs: `app.MapGet/MapPost/MapPut/MapPatch/MapDelete/MapMethods` on the application or on
# route groups (`var api = app.MapGroup("/api")`, nested), with groups handed to extension methods in other files
# (`app.MapGroup("/articles").MapArticles()` with `static RouteGroupBuilder MapArticles(this RouteGroupBuilder g)`)
# or to static registration methods. The program is run symbolically from its top-level statements and from
# every method nothing calls; the group conventions (`RequireAuthorization()`, `WithTags(...)`) return the group.
# Bounded like the Go reader: recursion cut, call depth and steps capped.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.endpoints.csharp_source import CsClass, CsFile, CsProgram, modifiers, simple_name
from autodevhub_docs.analysis.endpoints.go_values import Router, Str, Strs
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import walk

FRAMEWORK = "ASP.NET Core"
ROUTE_METHODS = {"MapGet": "GET", "MapPost": "POST", "MapPut": "PUT", "MapPatch": "PATCH", "MapDelete": "DELETE"}
"""Minimal-API route methods -> the method they map."""
BUILDER_TYPES = frozenset({"WebApplication", "IEndpointRouteBuilder", "RouteGroupBuilder", "IApplicationBuilder"})
"""Parameter types that are route builders (an unbound one is the application's root)."""
_BUILDER_BYTES = tuple(name.encode() for name in BUILDER_TYPES)
"""A file whose bytes hold none of these names has no method that takes or returns a route builder."""
_CALLEE_QUERY = """
(invocation_expression function: (identifier) @name)
(invocation_expression function: (member_access_expression name: (identifier) @name))
"""
HTTP_METHOD_NAMES = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE",
                     "Head": "HEAD", "Options": "OPTIONS", "Trace": "TRACE", "Connect": "CONNECT"}
"""`HttpMethods.Get`... constants."""
MAX_CALL_DEPTH = 40
MAX_STEPS = 400_000
_NOT_ROUTES = frozenset({"MapControllers", "MapRazorPages", "MapHub", "MapHealthChecks", "MapFallback",
                         "MapFallbackToFile", "MapDefaultControllerRoute", "MapControllerRoute", "MapGrpcService",
                         "MapBlazorHub", "MapIdentityApi", "MapStaticAssets", "Run", "RunAsync"})
"""Builder calls that declare no minimal-API route."""


@dataclass
class _Frame:
    file: CsFile
    scopes: list[dict[str, Any]]
    owner: str = ""
    returns: list[Any] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class _Lambda:
    node: Any
    file: CsFile
    closure: tuple[dict[str, Any], ...]


class MinimalApis:
    """Finds the minimal-API routes of a C# program.

    Args:
        program: The program's files and classes.
    """

    def __init__(self, program: CsProgram) -> None:
        self.program = program
        self.routers: list[Router] = []
        self.problems: list[str] = []
        self._root: Router | None = None
        self._stack: list[int] = []
        self._visited: set[int] = set()
        self._steps = 0

    def run(self) -> None:
        """Run the top-level statements and `Main`, then the route-builder methods they did not reach.

        The methods that take or return a route builder (`this RouteGroupBuilder group`, `IEndpointRouteBuilder
        app`, Startup's `Configure(IApplicationBuilder app)`) and were not reached run on their own, callers
        before the methods they call, so a group handed to an extension method keeps its prefix.
        """
        for file in self._statement_files():
            statements = [c for c in file.parsed.root.named_children if c.type == "global_statement"]
            if statements:
                frame = _Frame(file=file, scopes=[{}])
                for statement in statements:
                    self.statement(statement, frame)
        for method, cls in self.program.methods_named("Main"):
            self.call(method, cls, [])
        naming = {f.path for f in self.program.files if any(n in f.parsed.source for n in _BUILDER_BYTES)}
        candidates = [(m, c) for m, c in self.program.methods_in(f for f in self.program.files if f.path in naming)
                      if id(m) not in self._visited and _handles_builders(c, m)]
        called = {c.file.parsed.text(n) for m, c in candidates
                  for n in c.file.parsed.captures(_CALLEE_QUERY, m).get("name", [])}
        for method, cls in sorted(candidates, key=lambda mc: (_name(mc[1], mc[0]) in called, mc[1].file.path,
                                                               mc[0].start_byte)):
            if id(method) not in self._visited:
                self.call(method, cls, [])

    def _statement_files(self) -> list[CsFile]:
        """The files whose top-level statements are run: those read up front, and the others that can reach a route.

        Reading every file would give the same routes. A route is declared by a `Map...` call (its file holds
        `Map`, so it is read up front) or by calling a method that declares one, directly or through others: the
        caller writes the method's name. So a file that can reach a route is read up front or writes the name of
        a method declared in such a file or, in turn, in a file found so. Top-level statements elsewhere call no
        method that can reach a route and hold no route builder to hand one (a builder comes from a `Map...`
        call or from such a method): they declare nothing.
        """
        program = self.program
        reached = {f.path: f for f in program.files}
        pending = list(program.files)
        looked_up: set[str] = set()
        while pending:
            for name in program.method_names_in(pending.pop()):
                if name in looked_up:
                    continue
                looked_up.add(name)
                program.methods_named(name)  # parses every file writing it
                for file in program.files_with_word(name):
                    if file.path not in reached:
                        reached[file.path] = file
                        pending.append(file)
        return [reached[p] for p in sorted(reached, key=program.sources.order.__getitem__)]

    def root(self, source: SourceRef) -> Router:
        """The application's own route builder."""
        if self._root is None:
            self._root = Router(framework=FRAMEWORK, source=source)
            self.routers.append(self._root)
        return self._root

    def _step(self) -> bool:
        self._steps += 1
        return self._steps <= MAX_STEPS

    def call(self, method: Any, cls: CsClass, args: list[Any]) -> Any:
        """Run a method with argument values (an unbound route-builder parameter is the root)."""
        body = method.child_by_field_name("body")
        if body is None or len(self._stack) >= MAX_CALL_DEPTH or id(method) in self._stack or not self._step():
            return None
        parsed = cls.file.parsed
        scope: dict[str, Any] = {}
        parameters = method.child_by_field_name("parameters")
        for index, parameter in enumerate(p for p in (parameters.named_children if parameters else [])
                                          if p.type == "parameter"):
            name = parameter.child_by_field_name("name")
            value = args[index] if index < len(args) else None
            if value is None and simple_name(parsed, parameter.child_by_field_name("type")) in BUILDER_TYPES:
                value = self.root(cls.file.ref(parameter))
            if name is not None:
                scope[parsed.text(name)] = value
        frame = _Frame(file=cls.file, scopes=[scope], owner=cls.name)
        self._visited.add(id(method))
        self._stack.append(id(method))
        try:
            if body.type == "arrow_expression_clause":
                frame.returns.append(self.expr(body.named_children[0], frame) if body.named_child_count else None)
            else:
                self.statement(body, frame)
        finally:
            self._stack.pop()
        return next((v for v in frame.returns if v is not None), None)

    def _run_lambda(self, value: _Lambda, args: list[Any]) -> Any:
        if id(value.node) in self._stack or len(self._stack) >= MAX_CALL_DEPTH:
            return None
        scope: dict[str, Any] = {}
        parameters = value.node.child_by_field_name("parameters")
        names = [p.child_by_field_name("name") or p for p in (
            [parameters] if parameters is not None and parameters.type == "implicit_parameter"
            else parameters.named_children if parameters is not None else [])]
        for index, name in enumerate(names):
            scope[value.file.parsed.text(name)] = args[index] if index < len(args) else None
        frame = _Frame(file=value.file, scopes=[*value.closure, scope])
        body = value.node.child_by_field_name("body")
        self._stack.append(id(value.node))
        try:
            if body is not None and body.type == "block":
                self.statement(body, frame)
            elif body is not None:
                frame.returns.append(self.expr(body, frame))
        finally:
            self._stack.pop()
        return next((v for v in frame.returns if v is not None), None)

    def statement(self, node: Any, frame: _Frame) -> None:
        """Run a statement and the statements it holds."""
        if not self._step():
            return
        kind = node.type
        if kind == "local_declaration_statement":
            self._declare(node, frame)
        elif kind == "expression_statement":
            for child in node.named_children:
                self.expr(child, frame)
        elif kind == "return_statement":
            frame.returns.append(self.expr(node.named_children[0], frame) if node.named_child_count else None)
        elif kind == "block":
            frame.scopes.append({})
            try:
                for child in node.named_children:
                    self.statement(child, frame)
            finally:
                frame.scopes.pop()
        else:
            for child in node.named_children:
                if child.type.endswith(("_statement", "_clause", "_section")) or child.type in ("block",
                                                                                             "global_statement"):
                    self.statement(child, frame)
                elif child.type == "invocation_expression":
                    self.expr(child, frame)

    def _declare(self, node: Any, frame: _Frame) -> None:
        """`var api = app.MapGroup("/api");` binds the group to `api`."""
        declarations = [c for c in node.named_children if c.type == "variable_declaration"]
        for declarator in (d for c in declarations for d in c.named_children if d.type == "variable_declarator"):
            name = declarator.child_by_field_name("name")
            value = next((c for c in reversed(declarator.named_children) if c is not name), None)
            if name is not None:
                frame.scopes[-1][frame.file.parsed.text(name)] = self.expr(value, frame) if value else None

    def expr(self, node: Any, frame: _Frame) -> Any:  # noqa: PLR0911 - one branch per expression kind
        """The value of an expression (a route group, a constant string, a lambda), or None."""
        if node is None or not self._step():
            return None
        kind = node.type
        parsed = frame.file.parsed
        if kind == "identifier":
            name = parsed.text(node)
            for scope in reversed(frame.scopes):
                if name in scope:
                    return scope[name]
        if kind in ("parenthesized_expression", "await_expression", "cast_expression", "argument") and \
                node.named_child_count:
            inner = node.child_by_field_name("value") if kind == "cast_expression" else node.named_children[-1]
            return self.expr(inner, frame)
        if kind == "lambda_expression":
            return _Lambda(node, frame.file, tuple(frame.scopes))
        if kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            value = self.expr(right, frame)
            if left is not None and left.type == "identifier":
                name = parsed.text(left)
                scope = next((s for s in reversed(frame.scopes) if name in s), frame.scopes[-1])
                scope[name] = value
            return value
        if kind == "invocation_expression":
            return self._invoke(node, frame)
        if kind in ("implicit_array_creation_expression", "array_creation_expression", "collection_expression",
                    "object_creation_expression", "initializer_expression"):
            values = [self.expr(c, frame) for c in walk(node, frozenset({"string_literal", "member_access_expression"}))
                      if c is not node]
            return Strs(tuple(v.value for v in values if isinstance(v, Str)))
        if kind == "member_access_expression" and simple_name(parsed, node.child_by_field_name("expression")) == \
                "HttpMethods":
            method = HTTP_METHOD_NAMES.get(simple_name(parsed, node))
            return Str(method) if method else None
        text = self.program.string(node, frame.file, frame.owner)
        return Str(text) if text is not None else None

    def _invoke(self, node: Any, frame: _Frame) -> Any:
        parsed = frame.file.parsed
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        arg_nodes = [a for a in (arguments.named_children if arguments is not None else []) if a.type == "argument"]
        name = simple_name(parsed, function)
        if function is not None and function.type == "member_access_expression":
            target = function.child_by_field_name("expression")
            local = target is not None and target.type == "identifier" and any(
                parsed.text(target) in s for s in frame.scopes)
            holder = simple_name(parsed, target) if target is not None and target.type == "identifier" else ""
            if not local and self.program.classes_named(holder):  # a static call: `ArticleEndpoints.Map(app)`
                values = [self.expr(a, frame) for a in arg_nodes]
                return self._user_call(name, values, frame, cls_name=holder)
            receiver = self.expr(target, frame)
            if receiver is None and (name in ROUTE_METHODS or name in ("MapGroup", "MapMethods")):
                receiver = self.root(frame.file.ref(node))
            if isinstance(receiver, Router) and (name in ROUTE_METHODS or name in ("MapGroup", "MapMethods")):
                return self._route(receiver, name, node, arg_nodes, frame)
            values = [self.expr(a, frame) for a in arg_nodes]
            extensions = [(m, c) for m, c in self.program.methods_named(name) if _is_extension(c, m)]
            if extensions:
                results = [self.call(m, c, [receiver, *values]) for m, c in extensions]
                return next((r for r in results if r is not None), None)
            if isinstance(receiver, Router):
                return None if name in _NOT_ROUTES else receiver  # a convention: the builder itself
            return self._user_call(name, values, frame, cls_name=None, receiver_known=receiver is not None)
        values = [self.expr(a, frame) for a in arg_nodes]
        return self._user_call(name, values, frame, cls_name=frame.owner)

    def _user_call(self, name: str, values: list[Any], frame: _Frame, *, cls_name: str | None,
                   receiver_known: bool = False) -> Any:
        """A call of the program's own method (by class when known, else by name when a group is passed)."""
        candidates = self.program.methods_named(name)
        if cls_name:
            chosen = [(m, c) for m, c in candidates if c.name == cls_name]
        elif not receiver_known and any(isinstance(v, Router) for v in values):
            chosen = [(m, c) for m, c in candidates if _arity(m) == len(values)]
        else:
            chosen = []
        if not chosen:
            for value in values:
                if isinstance(value, _Lambda):
                    self._run_lambda(value, [])
            return None
        results = [self.call(m, c, values) for m, c in chosen]
        return next((r for r in results if r is not None), None)

    def _route(self, router: Router, name: str, node: Any, args: list[Any], frame: _Frame) -> Any:
        source = frame.file.ref(node)
        pattern = self.expr(args[0], frame) if args else None
        if not isinstance(pattern, Str):
            text = " ".join(frame.file.parsed.text(args[0]).split())[:60] if args else ""
            self.problems.append(f"{source.path}:{source.line}: route pattern `{text}` is not a constant; "
                                 "route left out")
            return None
        if name == "MapGroup":
            group = router.child(pattern.value, source)
            self.routers.append(group)
            return group
        if name == "MapMethods":
            methods = self.expr(args[1], frame) if len(args) > 1 else None
            verbs = methods.values if isinstance(methods, Strs) else (methods.value,) if isinstance(methods, Str) \
                else ()
            handler = args[2] if len(args) > 2 else None
        else:
            verbs, handler = (ROUTE_METHODS[name],), args[1] if len(args) > 1 else None
        for verb in verbs:
            router.add(verb.upper(), pattern.value, _handler_name(handler, frame.file), source)
        return None


def _name(cls: CsClass, method: Any) -> str:
    name = method.child_by_field_name("name")
    return cls.file.parsed.text(name) if name is not None else ""


def _handles_builders(cls: CsClass, method: Any) -> bool:
    """Whether a method takes or returns a route builder (read from its signature only)."""
    parsed = cls.file.parsed
    parameters = method.child_by_field_name("parameters")
    types = [p.child_by_field_name("type") for p in (parameters.named_children if parameters is not None else [])
             if p.type == "parameter"]
    types.append(method.child_by_field_name("returns"))
    return any(t is not None and simple_name(parsed, t) in BUILDER_TYPES for t in types)


def _is_extension(cls: CsClass, method: Any) -> bool:
    parameters = method.child_by_field_name("parameters")
    first = next((p for p in parameters.named_children if p.type == "parameter"), None) if parameters else None
    return first is not None and "this" in modifiers(cls.file.parsed, first)


def _arity(method: Any) -> int:
    parameters = method.child_by_field_name("parameters")
    return sum(1 for p in parameters.named_children if p.type == "parameter") if parameters is not None else 0


def _handler_name(node: Any, file: CsFile) -> str:
    inner = node.named_children[-1] if node is not None and node.type == "argument" and node.named_child_count \
        else node
    if inner is None:
        return ""
    if inner.type in ("lambda_expression", "anonymous_method_expression"):
        return "anonymous function"
    if inner.type == "cast_expression":
        return _handler_name(inner.child_by_field_name("value"), file)
    return " ".join(file.parsed.text(inner).split())[:80]
