# What the framework readers (`go_frameworks`) see of the Go route interpreter: the call being evaluated with its
# arguments, and the few operations of the interpreter they use (evaluate, call a function, make routers, note
# a registration or a problem). Kept apart so that the readers and the interpreter do not import each other.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from autodevhub_docs.analysis.endpoints.go_source import GoFile
from autodevhub_docs.analysis.endpoints.go_values import Func, Router, Str, Strs
from autodevhub_docs.model import SourceRef


@dataclass
class Frame:
    """One function being run: its file and its scopes (innermost last)."""

    file: GoFile
    """File the function is written in."""
    scopes: list[dict[str, Any]]
    """Variables in scope."""
    returns: list[Any] = field(default_factory=list)
    """Values its return statements gave."""


class Runner(Protocol):
    """The interpreter, as the framework readers use it."""

    problems: dict[str, list[str]]
    """Framework ('' for every framework) -> what could not be read, with the reason."""
    default_mux: Router | None
    """The mux `http.HandleFunc` registers on, once used."""

    def expr(self, node: Any, frame: Frame) -> Any:
        """The value of an expression."""
        ...

    def call(self, func: Func, args: list[Any], receiver: Any = None) -> Any:
        """Run a function with argument values."""
        ...

    def new_router(self, framework: str, source: SourceRef) -> Router:
        """A new root router."""
        ...

    def child(self, parent: Router, prefix: str, source: SourceRef) -> Router:
        """A group of a router."""
        ...

    def registered(self, framework: str, source: SourceRef) -> None:
        """Note a registration call of a framework."""
        ...


@dataclass(frozen=True)
class Site:
    """A call being evaluated."""

    runner: Runner
    """The interpreter running it."""
    node: Any
    """The `call_expression`."""
    args: list[Any]
    """Argument nodes."""
    frame: Frame
    """The calling frame."""

    @property
    def ref(self) -> SourceRef:
        """Where the call is."""
        return self.frame.file.ref(self.node)

    def value(self, index: int) -> Any:
        """The value of an argument (None when it is absent or unknown)."""
        return self.runner.expr(self.args[index], self.frame) if index < len(self.args) else None

    def string(self, index: int, framework: str = "") -> str | None:
        """A constant string argument, or None (a problem of the framework when the argument is there)."""
        value = self.value(index)
        if isinstance(value, Str):
            return value.value
        if index < len(self.args):
            text = " ".join(self.frame.file.parsed.text(self.args[index]).split())[:60]
            self.runner.problems.setdefault(framework, []).append(
                f"{self.ref.path}:{self.ref.line}: route path `{text}` is not a constant; route left out")
        return None

    def strings(self, index: int) -> tuple[str, ...]:
        """Constant strings of an argument (`"GET"` or `[]string{"GET", "POST"}`)."""
        value = self.value(index)
        return (value.value,) if isinstance(value, Str) else value.values if isinstance(value, Strs) else ()

    def handler(self, index: int) -> str:
        """How the handler argument reads (`articles.List`, `anonymous function`); -1 is the last argument."""
        if not self.args:
            return ""
        node = self.args[index] if -len(self.args) <= index < len(self.args) else self.args[-1]
        return handler_name(node, self.frame.file)


def handler_name(node: Any, file: GoFile) -> str:
    """How a handler expression reads on the API page (`http.HandlerFunc(f)` reads as `f`)."""
    if node.type == "func_literal":
        return "anonymous function"
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        text = file.parsed.text(function) if function is not None else ""
        if text.endswith(("HandlerFunc", "http.Handler")) and arguments is not None and arguments.named_children:
            return handler_name(arguments.named_children[0], file)
        return " ".join(text.split())[:80]
    return " ".join(file.parsed.text(node).split())[:80]
