# ASP.NET Core attribute routing, as the documentation defines it: a controller is a public class whose name ends
# with `Controller` (or that derives from one, or carries `[Controller]`); its `[Route]` templates (inherited from
# base classes) prefix the templates of its actions' `[HttpGet("...")]`, `[HttpPost]`, `[Route]` and
# `[AcceptVerbs]` attributes; a template starting with `/` or `~/` ignores the controller's; `[controller]`,
# `[action]` and `[area]` are replaced by the controller name without `Controller`, the action name (without
# `Async`, or its `[ActionName]`) and the `[Area]`. Each attribute is one endpoint. An action with no verb accepts
# every method; an action with no attribute at all in an attribute-routed controller is reached at the
# controller's template.
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.endpoints.csharp_source import CsAttribute, CsClass, CsProgram, attributes_of, modifiers
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.model import Endpoint, SourceRef

FRAMEWORK = "ASP.NET Core"
HTTP_ATTRIBUTES = {"HttpGet": "GET", "HttpPost": "POST", "HttpPut": "PUT", "HttpDelete": "DELETE",
                   "HttpPatch": "PATCH", "HttpHead": "HEAD", "HttpOptions": "OPTIONS"}
"""Verb attributes -> the method they accept."""
_CONTROLLER_BASES = frozenset({"Controller", "ControllerBase"})
_TOKEN = re.compile(r"\[(controller|action|area)\]", re.IGNORECASE)
_DEFAULT_VALUE = re.compile(r"\{(\*{0,2}\w+)=[^{}]*\}")


@dataclass(frozen=True)
class _Template:
    """One route template an action attribute declares, with its methods (ANY when none)."""

    template: str | None
    methods: tuple[str, ...]
    source: SourceRef


def is_controller(program: CsProgram, cls: CsClass) -> bool:
    """Whether MVC discovers a class as a controller."""
    parsed = cls.file.parsed
    flags = modifiers(parsed, cls.node)
    if cls.node.type != "class_declaration" or "abstract" in flags or "static" in flags or "public" not in flags:
        return False
    if cls.attribute("NonController") is not None:
        return False
    ancestry = program.ancestry(cls)
    return cls.name.endswith("Controller") or cls.attribute("Controller") is not None or any(
        n.endswith("Controller") or n in _CONTROLLER_BASES for n in ancestry)


def _inherited(program: CsProgram, cls: CsClass, name: str) -> tuple[list[CsAttribute], CsClass]:
    """The attributes of that name on the class, else on its nearest base class that has some, and their class."""
    chain = [cls] + [b for n in program.ancestry(cls) if (b := program.class_named(n)) is not None]
    for current in chain:
        found = [a for a in current.attributes if a.name == name]
        if found:
            return found, current
    return [], cls


def _strings(program: CsProgram, cls: CsClass, nodes: tuple[Any, ...]) -> list[str] | None:
    values = [program.string(n, cls.file, cls.name) for n in nodes]
    return None if any(v is None for v in values) else [v for v in values if v is not None]


def _action_templates(program: CsProgram, cls: CsClass, method: Any, attributes: tuple[CsAttribute, ...]
                      ) -> list[_Template] | None:
    """The templates of an action's attributes (None when a template is not a constant)."""
    templates: list[_Template] = []
    bare_verbs: list[str] = []
    routes: list[tuple[str, SourceRef]] = []
    for attribute in attributes:
        source = cls.file.ref(attribute.node)
        if attribute.name in HTTP_ATTRIBUTES or attribute.name == "AcceptVerbs":
            if attribute.name == "AcceptVerbs":
                verbs = _strings(program, cls, attribute.args)
                template_node = attribute.named.get("Route")
            else:
                verbs = [HTTP_ATTRIBUTES[attribute.name]]
                template_node = attribute.args[0] if attribute.args else attribute.named.get("template")
            if verbs is None:
                return None
            if template_node is None:
                bare_verbs.extend(v.upper() for v in verbs)
                continue
            template = program.string(template_node, cls.file, cls.name)
            if template is None:
                return None
            templates.append(_Template(template, tuple(v.upper() for v in verbs), source))
        elif attribute.name == "Route":
            node = attribute.args[0] if attribute.args else attribute.named.get("template")
            template = program.string(node, cls.file, cls.name) if node is not None else None
            if template is None:
                return None
            routes.append((template, source))
    templates += [_Template(t, tuple(bare_verbs), s) for t, s in routes]
    if not routes and bare_verbs:
        templates.append(_Template(None, tuple(bare_verbs), cls.file.ref(method)))
    return templates


def _action_name(cls: CsClass, method: Any, program: CsProgram, attributes: tuple[CsAttribute, ...]) -> str:
    parsed = cls.file.parsed
    for attribute in attributes:
        if attribute.name == "ActionName" and attribute.args:
            name = program.string(attribute.args[0], cls.file, cls.name)
            if name:
                return name
    name_node = method.child_by_field_name("name")
    return parsed.text(name_node).removesuffix("Async") if name_node is not None else ""


def _replace_tokens(template: str, controller: str, action: str, area: str) -> str:
    values = {"controller": controller, "action": action, "area": area}
    return _TOKEN.sub(lambda m: values[m.group(1).lower()], template)


def _full_path(prefix: str | None, template: str | None) -> str | None:
    if template is not None and template.startswith(("/", "~/")):
        return template.lstrip("~")
    if prefix is None and template is None:
        return None
    return join(prefix or "", template or "")


def controller_endpoints(program: CsProgram, cls: CsClass, problems: list[str]) -> Iterator[Endpoint]:
    """The endpoints of one controller's actions."""
    parsed = cls.file.parsed
    class_routes, declaring = _inherited(program, cls, "Route")
    prefixes: list[str | None] = []
    for route in class_routes:
        node = route.args[0] if route.args else route.named.get("template")
        value = program.string(node, declaring.file, declaring.name) if node is not None else None
        if value is None:
            problems.append(f"{declaring.file.path}:{declaring.file.ref(route.node).line}: the route of "
                            f"{cls.name} is not a constant; its actions are left out")
            return
        prefixes.append(value)
    areas, declaring = _inherited(program, cls, "Area")
    area = (program.string(areas[0].args[0], declaring.file, declaring.name) or "") if areas and areas[0].args \
        else ""
    controller = cls.name.removesuffix("Controller")
    for method in cls.members("method_declaration"):
        flags = modifiers(parsed, method)
        if "public" not in flags or flags & {"static", "abstract"}:
            continue
        attributes = attributes_of(parsed, method)  # read once for the checks, the templates and the name
        if any(a.name == "NonAction" for a in attributes):
            continue
        templates = _action_templates(program, cls, method, attributes)
        if templates is None:
            problems.append(f"{cls.file.path}:{cls.file.ref(method).line}: a route of {cls.name} is not a "
                            "constant; the action is left out")
            continue
        if not templates and prefixes:
            templates = [_Template(None, (), cls.file.ref(method))]
        action = _action_name(cls, method, program, attributes)
        handler = f"{cls.name}.{parsed.text(method.child_by_field_name('name'))}"
        for template in templates:
            for prefix in prefixes or [None]:
                path = _full_path(prefix, template.template)
                if path is None:
                    continue
                shown = normalise_path(_DEFAULT_VALUE.sub(r"{\1}", _replace_tokens(path, controller, action, area)))
                for verb in template.methods or ("ANY",):
                    yield Endpoint(method=verb, path=shown, handler=handler, framework=FRAMEWORK,
                                   source=template.source)
