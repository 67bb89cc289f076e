# `devise_for :users` expanded as Devise's router does it (`devise/rails/routes.rb` and `devise/mapping.rb`): the
# routes follow from the modules the model enables (`devise :database_authenticatable, :registerable, ...`), then
# `only:`/`skip:`, `path:`, `path_names:`, `controllers:`, `module:` and `sign_out_via:`, under the enclosing
# scope's path. Each route module is a Rails singular resource, so it is expanded by the same Mapper.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints.inflect import classify, singularize
from autodevhub_docs.analysis.endpoints.rails_mapper import Mapper, Scope
from autodevhub_docs.analysis.endpoints.ruby_values import Sym, assignments, call, call_name, classes, statements, words
from autodevhub_docs.model import SourceRef

ROUTE_OF_MODULE = {
    "database_authenticatable": "session", "recoverable": "password", "registerable": "registration",
    "confirmable": "confirmation", "lockable": "unlock", "omniauthable": "omniauth_callback",
}
"""Devise modules that add routes, and the route each adds (modules such as `rememberable` add none)."""


@dataclass(frozen=True)
class DeviseModel:
    """A model's `devise ...` call."""

    modules: tuple[str, ...]
    unlock_strategy: str | None
    source: SourceRef


@dataclass(frozen=True)
class DeviseSettings:
    """What `config/initializers/devise.rb` sets that changes routes (Devise's defaults otherwise)."""

    sign_out_via: tuple[str, ...] = ("delete",)
    unlock_strategy: str = "both"


def read_models(code: Codebase, app: str) -> dict[str, DeviseModel]:
    """The `devise` call of every model class under `app/models`, by class name (`User`, `Admin::User`)."""
    found: dict[str, DeviseModel] = {}
    for path in code.source_files(".rb"):
        if not path.startswith(f"{app}app/models/"):
            continue
        parsed = code.parse(path)
        for cls in classes(parsed) if parsed is not None else []:
            for node in statements(cls.body):
                devise = call(parsed, node) if parsed is not None and call_name(parsed, node) == "devise" else None
                if devise is None or devise.name != "devise" or devise.receiver:
                    continue
                strategy = devise.options.get("unlock_strategy")
                found[cls.name] = DeviseModel(modules=tuple(words(devise.args)),
                                              unlock_strategy=str(strategy) if isinstance(strategy, str) else None,
                                              source=SourceRef(path=path, line=devise.line))
    return found


def read_settings(code: Codebase, app: str) -> DeviseSettings:
    """`config.sign_out_via` and `config.unlock_strategy` from the Devise initializer."""
    parsed = code.parse(f"{app}config/initializers/devise.rb")
    if parsed is None:
        return DeviseSettings()
    settings = DeviseSettings()
    for node in statements(parsed.root):
        setup = call(parsed, node)
        if setup is None or setup.name != "setup" or setup.block is None:
            continue
        body = setup.block.child_by_field_name("body")
        values = assignments(parsed, body, "config")
        if "sign_out_via" in values and words(values["sign_out_via"][0]):
            settings = replace(settings, sign_out_via=tuple(words(values["sign_out_via"][0])))
        if "unlock_strategy" in values and isinstance(values["unlock_strategy"][0], str):
            settings = replace(settings, unlock_strategy=str(values["unlock_strategy"][0]))
    return settings


class Devise:
    """Expands `devise_for` calls into the Mapper.

    Args:
        mapper: The Mapper that collects the routes.
        code: The codebase, whose models and Devise initializer are read at the first `devise_for`.
        app: Folder of the application ('' at the root).
    """

    def __init__(self, mapper: Mapper, code: Codebase, app: str) -> None:
        self.mapper = mapper
        self.code = code
        self.app = app
        self._models: Mapping[str, DeviseModel] | None = None
        self._settings: DeviseSettings | None = None

    @property
    def models(self) -> Mapping[str, DeviseModel]:
        """Models with a `devise` call, by class name."""
        if self._models is None:
            self._models = read_models(self.code, self.app)
        return self._models

    @property
    def settings(self) -> DeviseSettings:
        """The initializer's settings."""
        if self._settings is None:
            self._settings = read_settings(self.code, self.app)
        return self._settings

    def devise_for(self, scope: Scope, names: list[Any], options: Mapping[str, Any], at: SourceRef) -> None:
        """`devise_for :users, ...` in a scope."""
        for name in (str(n) for n in names if isinstance(n, str)):
            class_name = str(options.get("class_name") or classify(name))
            model = self.models.get(class_name) or self.models.get(class_name.removeprefix("::"))
            if model is None:
                self.mapper.problems.append(
                    f"{at.path}:{at.line}: devise_for :{name}: no model {class_name} with a `devise` call was found "
                    "under app/models, so its routes cannot be told")
                continue
            self._mapping(scope, name, options, model, at)

    def _mapping(self, scope: Scope, name: str, options: Mapping[str, Any], model: DeviseModel,
                 at: SourceRef) -> None:
        routes = list(dict.fromkeys(ROUTE_OF_MODULE[m] for m in model.modules if m in ROUTE_OF_MODULE))
        if "only" in options:
            wanted = {singularize(w) for w in words(options["only"])}
            routes = [r for r in routes if r in wanted]
        elif options.get("skip") == "all":
            routes = []
        else:
            skipped = {singularize(w) for w in words(options.get("skip", []))}
            routes = [r for r in routes if r not in skipped]
        path = options.get("path")
        prefix = options.get("path_prefix")
        fullpath = "/".join(p for p in (str(prefix) if isinstance(prefix, str) else scope.path,
                                        str(path) if isinstance(path, str) else name) if p)
        module = options.get("module") if isinstance(options.get("module"), str) else (scope.module or "devise")
        given = options["controllers"] if isinstance(options.get("controllers"), dict) else {}
        controllers = {route: str(given.get(f"{route}s") or f"{module}/{route}s") for route in ROUTE_OF_MODULE.values()}
        given_names = options.get("path_names")
        names = {"registration": "", **scope.path_names,
                 **({str(k): str(v) for k, v in given_names.items()} if isinstance(given_names, dict) else {})}
        via = words(options["sign_out_via"]) if "sign_out_via" in options else list(self.settings.sign_out_via)
        exclusive = replace(scope, path="/" + fullpath.strip("/") if fullpath.strip("/") else "", module="",
                            controller="", action="", level="", resource=None)
        strategy = model.unlock_strategy or self.settings.unlock_strategy
        for route in routes:
            if route == "unlock" and strategy not in ("email", "both"):
                continue  # Devise adds the unlock routes only when unlocking by e-mail is enabled
            self._route(exclusive, route, controllers=controllers, names=names, via=via, at=at)

    def _route(self, scope: Scope, route: str, *, controllers: dict[str, str], names: dict[str, str],
               via: list[str], at: SourceRef) -> None:
        mapper = self.mapper

        def name(key: str) -> str:
            return names.get(key, key)

        def singular(resource: str, options: dict[str, Any], body: Any = None) -> None:
            mapper.resources(scope, [Sym(resource)], options, body, at, singleton=True)

        if route == "session":
            def session(s: Scope) -> None:
                mapper.match(s, [Sym("new")], {"path": name("sign_in"), "via": Sym("get")}, at)
                mapper.match(s, [Sym("create")], {"path": name("sign_in"), "via": Sym("post")}, at)
                mapper.match(s, [Sym("destroy")], {"path": name("sign_out"), "via": [Sym(v) for v in via]}, at)
            singular("session", {"only": [], "controller": controllers["session"], "path": ""}, session)
        elif route in ("password", "confirmation", "unlock"):
            only = ["new", "create", "edit", "update"] if route == "password" else ["new", "create", "show"]
            singular(route, {"only": only, "path": name(route), "controller": controllers[route]})
        elif route == "registration":
            singular("registration", {
                "only": ["new", "create", "edit", "update", "destroy"], "path": name("registration"),
                "path_names": {"new": name("sign_up"), "edit": name("edit"), "cancel": name("cancel")},
                "controller": controllers["registration"]},
                lambda s: mapper.match(s, [Sym("cancel")], {"via": Sym("get")}, at))
        elif route == "omniauth_callback":
            prefix = f"{scope.path}/auth"
            outside = replace(scope, path="")
            callbacks = controllers["omniauth_callback"]
            mapper.match(outside, [f"{prefix}/:provider"], {"to": f"{callbacks}#passthru",
                                                            "via": [Sym("get"), Sym("post")]}, at)
            mapper.match(outside, [f"{prefix}/:provider/callback"], {"to": f"{callbacks}#{{provider}}",
                                                                     "via": [Sym("get"), Sym("post")]}, at)
