# Laravel's resource routes, as its documentation tables them and `Illuminate\Routing\ResourceRegistrar` builds
# them: `Route::resource` (index, create, store, show, edit, update by PUT and PATCH, destroy), `apiResource`
# (without create and edit), `singleton`/`apiSingleton` (no index, no parameter; `creatable()` and
# `destroyable()`), nested names (`photos.comments` is `/photos/{photo}/comments/{comment}`), `shallow()`, and
# `{photo}` parameter names from the singular of the resource name unless `parameters()` renames them.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from autodevhub_docs.analysis.endpoints.inflect import singularize

RESOURCE_ACTIONS = ("index", "create", "store", "show", "edit", "update", "destroy")
API_ACTIONS = ("index", "store", "show", "update", "destroy")
_COLLECTION = frozenset({"index", "create", "store"})


@dataclass
class ResourceSpec:
    """One resource registration and what the methods chained after it changed."""

    name: str
    controller: str
    api: bool = False
    singleton: bool = False
    only: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)
    shallow: bool = False
    creatable: bool = False
    destroyable: bool = False

    def apply(self, method: str, args: list[object]) -> None:
        """Apply one chained method (`->only([...])`, `->except(...)`, `->parameters([...])`, `->shallow()`)."""
        values = [str(a) for arg in args for a in (arg if isinstance(arg, list) else [arg]) if isinstance(a, str)]
        if method == "only":
            self.only = values
        elif method == "except":
            self.exclude = values
        elif method == "parameters" and args and isinstance(args[0], dict):
            self.parameters.update({str(k): str(v) for k, v in args[0].items() if isinstance(v, str)})
        elif method == "parameter" and len(values) == 2:
            self.parameters[values[0]] = values[1]
        elif method == "shallow":
            self.shallow = args[0] is not False if args else True
        elif method == "creatable":
            self.creatable = True
        elif method == "destroyable":
            self.destroyable = True

    def options(self, given: Mapping[str, object]) -> None:
        """Apply a registration's options array (`['only' => [...], 'except' => [...]]`)."""
        for key in ("only", "except", "parameters"):
            if key in given:
                value = given[key]
                self.apply(key, [value])
        if given.get("shallow") is True:
            self.shallow = True

    def actions(self) -> list[str]:
        """The actions registered, in the documented order."""
        if self.singleton:
            chosen = ["show", "edit", "update"] if not self.api else ["show", "update"]
            if self.creatable:
                chosen += ["create", "store", "destroy"] if not self.api else ["store", "destroy"]
            elif self.destroyable:
                chosen.append("destroy")
        else:
            chosen = list(API_ACTIONS if self.api else RESOURCE_ACTIONS)
        if self.only is not None:
            chosen = [a for a in chosen if a in self.only]
        return [a for a in chosen if a not in self.exclude]

    def wildcard(self, segment: str) -> str:
        """The parameter of one resource segment (`photos` -> `photo`, `user-profiles` -> `user_profile`)."""
        return self.parameters.get(segment) or singularize(segment).replace("-", "_")

    def routes(self) -> list[tuple[str, str, str]]:
        """`(method, path, action)` for every route, paths relative to the enclosing prefix."""
        prefix, _, name = self.name.rpartition("/")
        segments = [s for s in name.split(".") if s]
        if not segments:
            return []
        last = segments[-1]
        parents = "/".join(f"{s}/{{{self.wildcard(s)}}}" for s in segments[:-1])
        base = "/".join(p for p in (prefix, parents, last) if p)
        member = base if self.singleton else f"{base}/{{{self.wildcard(last)}}}"
        shallow_member = "/".join(p for p in (prefix, last) if p) + ("" if self.singleton else
                                                                         f"/{{{self.wildcard(last)}}}")
        found = []
        for action in self.actions():
            at = member if action not in _COLLECTION else base
            if self.shallow and action not in _COLLECTION:
                at = shallow_member
            if action == "index":
                found.append(("GET", base, action))
            elif action == "create":
                found.append(("GET", f"{base}/create", action))
            elif action == "store":
                found.append(("POST", base, action))
            elif action == "show":
                found.append(("GET", at, action))
            elif action == "edit":
                found.append(("GET", f"{at}/edit", action))
            elif action == "update":
                found += [("PUT", at, action), ("PATCH", at, action)]
            elif action == "destroy":
                found.append(("DELETE", at, action))
        return found

