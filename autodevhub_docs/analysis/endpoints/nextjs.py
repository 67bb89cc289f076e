# Next.js file routes. App router: `app/**/route.(js|ts)` files serve the HTTP methods they export (`GET`, `POST`...,
# as functions, constants or `export { handler as GET }`); route groups `(x)`, private `_folders` and parallel
# `@slots` are not part of the URL, and `[id]`, `[...slug]`, `[[...slug]]` are parameters. Pages router:
# `pages/api/**` files with a default export serve `/api/...`; their methods come from `req.method === 'POST'` and
# `switch (req.method)` checks, else every method is accepted (ANY).
from __future__ import annotations

import posixpath
from typing import Any

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.analysis.jsmodule import ROOT, JsModule, string
from autodevhub_docs.model import Endpoint, SourceRef

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
"""The methods an app-router route handler may export."""
_ROUTE_FILES = tuple(f"route{suffix}" for suffix in javascript.JS_SUFFIXES)
class NextAdapter:
    """Endpoints of the route handlers and API routes of a Next.js application (absent when it has none)."""

    name = "Next.js"

    def run(self, code: Codebase) -> Found | None:
        """Every route file's endpoints, by the file-system routing conventions."""
        evidence = javascript.presence(code, ("next",))
        configs = [p for p in code.paths if posixpath.basename(p).startswith("next.config.")]
        evidence += tuple(SourceRef(path=p) for p in configs[:1])
        if not evidence:
            return None
        roots = _projects(code, configs)
        routes = [(path, route) for path in javascript.scripts(code)
                  if (route := _app_route(path, roots) if posixpath.basename(path) in _ROUTE_FILES
                      else _api_route(path, roots)) is not None]
        if not routes:  # pages only: a Next.js front end serves no HTTP API, which is no reason to warn
            return None
        found: list[Endpoint] = []
        files, problems = [], []
        for path, route in routes:
            mod = javascript.module(code, path)
            if mod is None:
                problems.append(f"{path}: not parsed (unreadable or larger than the parse limit)")
                continue
            files.append(path)
            kind, url = route
            found.extend(_handlers(mod, url) if kind == "app" else _api_handler(mod, url))
        return Found(framework=self.name, evidence=evidence, files_read=tuple(files), endpoints=tuple(found),
                     problems=tuple(problems))


def _segments(parts: list[str]) -> str | None:
    """The URL of the folders below `app` or `pages` (None when a private folder keeps them out of routing)."""
    url = []
    for part in parts:
        if part.startswith("_"):
            return None
        if (part.startswith("(") and part.endswith(")")) or part.startswith("@"):
            continue
        url.append("{" + part.strip("[]").removeprefix("...") + "}" if part.startswith("[") and part.endswith("]")
                   else part)
    return normalise_path("/" + "/".join(url))


def _projects(code: Codebase, configs: list[str]) -> list[str]:
    """Folders of the Next.js projects: where a next.config lives or a package.json declares `next`."""
    roots = {code.folder(p) for p in configs}
    roots |= {code.folder(d.path) for d in code.dependencies if d.ecosystem == "npm" and d.name == "next"}
    return sorted(roots or {""})


def _below(path: str, roots: list[str], folder: str) -> list[str] | None:
    """The folders of a file below a project's `app`/`pages` folder (or `src/app`, `src/pages`)."""
    for root in roots:
        for base in (folder, f"src/{folder}"):
            start = f"{root}/{base}/" if root else f"{base}/"
            if path.startswith(start):
                return path[len(start):].split("/")
    return None


def _app_route(path: str, roots: list[str]) -> tuple[str, str] | None:
    parts = _below(path, roots, "app")
    url = _segments(parts[:-1]) if parts is not None else None
    return ("app", url) if url is not None else None


def _api_route(path: str, roots: list[str]) -> tuple[str, str] | None:
    parts = _below(path, roots, "pages")
    if parts is None or len(parts) < 2 or parts[0] != "api":
        return None
    stem = posixpath.splitext(parts[-1])[0]
    url = _segments(parts[:-1] + ([] if stem == "index" else [stem]))
    return ("pages", url) if url is not None else None


def _line(node: Any) -> int:
    return node.start_point[0] + 1


def _handlers(mod: JsModule, url: str) -> list[Endpoint]:
    found = []
    for method in METHODS:
        export = mod.exports.get(method)
        if export is None or export.source:
            continue
        handler = export.local or method
        where = mod.declarations.get((ROOT, export.local)) if export.local else None
        node = where.node if where is not None and where.node is not None else export.node
        found.append(Endpoint(method=method, path=url, handler=handler, framework="Next.js",
                              source=SourceRef(path=mod.path, line=_line(node) if node is not None else None)))
    return found


def _api_handler(mod: JsModule, url: str) -> list[Endpoint]:
    export = mod.exports.get("default")
    if export is None and mod.commonjs is None:
        return []
    node = export.node if export is not None and export.node is not None else mod.commonjs
    name = export.local if export is not None and export.local else ""
    if node is not None and node.type == "identifier":  # export default handler
        name = mod.text(node)
    if name:
        declared = mod.declarations.get((ROOT, name))
        node = declared.node if declared is not None and declared.node is not None else node
    checked = {string(mod.parsed, n) for n in mod.nodes("method_check")}  # req.method === 'POST', case 'GET':
    methods = sorted((m.upper() for m in checked if m and m.upper() in METHODS), key=METHODS.index) or ["ANY"]
    line = _line(node) if node is not None else None
    return [Endpoint(method=method, path=url, handler=name or "(inline handler)", framework="Next.js",
                     source=SourceRef(path=mod.path, line=line)) for method in methods]


ADAPTERS = (NextAdapter(),)
