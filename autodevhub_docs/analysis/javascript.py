# JavaScript/TypeScript by pattern: imports (for the module graph and technologies), Express routers mounted
# with app.use('/x', router) across files, NestJS controllers, and process.env reads. A pattern scan is enough
# for these shapes and costs no parser dependency.
from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from autodevhub_docs.model import Endpoint, SourceRef

JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".vue", ".svelte")
_IMPORT = re.compile(
    r"""(?:^|[;\s])(?:import\s+(?:[\w*{}\s,$]+\s+from\s+)?|export\s+[\w*{}\s,$]+\s+from\s+)['"]([^'"\n]+)['"]"""
    r"""|\brequire\(\s*['"]([^'"\n]+)['"]\s*\)|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)""", re.M)
_BINDING = re.compile(
    r"""(?:(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)"""
    r"""|import\s+(\w+)\s*(?:,\s*\{[^}]*\})?\s+from\s+['"]([^'"]+)['"])""")
_APP = re.compile(r"(?:const|let|var)\s+(\w+)\s*=\s*(?:express\s*\.\s*Router|Router|express)\s*\(")
_ROUTE = re.compile(r"\b(\w+)\s*\.\s*(get|post|put|patch|delete|all|options|head)\s*\(\s*(['\"`])([^'\"`\n]*)\3"
                    r"([^\n]*)")
_CHAIN = re.compile(r"\b(\w+)\s*\.\s*route\s*\(\s*(['\"`])([^'\"`\n]*)\2\s*\)((?:\s*\.\s*\w+\s*\([^)]*\))+)")
_CHAIN_PART = re.compile(r"\.\s*(get|post|put|patch|delete|all)\s*\(([^)]*)\)")
_USE = re.compile(r"\b(\w+)\s*\.\s*use\s*\(\s*(['\"`])([^'\"`\n]*)\2\s*,([^\n]*)")
_EXPORT = re.compile(r"(?:module\.exports\s*=\s*|export\s+default\s+)(\w+)")
_CONTROLLER = re.compile(r"@Controller\(\s*(?:['\"`]([^'\"`]*)['\"`])?[^)]*\)")
_NEST_ROUTE = re.compile(r"@(Get|Post|Put|Patch|Delete|All|Options|Head)\(\s*(?:['\"`]([^'\"`]*)['\"`])?\s*\)"
                         r"(?:\s*@\w+\([^)]*\))*\s*(?:public\s+|private\s+)?(?:async\s+)?(\w+)\s*\(")
_GLOBAL_PREFIX = re.compile(r"\.setGlobalPrefix\(\s*['\"`]([^'\"`]+)['\"`]")
ENV_READ = re.compile(r"\bprocess\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['\"]([A-Z][A-Z0-9_]*)['\"]\s*\])")


def join(*parts: str) -> str:
    """Join URL path parts the way routers concatenate prefixes (no doubled slashes, one leading slash)."""
    text = re.sub(r"/{2,}", "/", "".join(parts))
    return text if text.startswith("/") else "/" + text


def line_at(starts: list[int], offset: int) -> int:
    """1-based line of a character offset, given the offsets where lines start."""
    return bisect.bisect_right(starts, offset)


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


@dataclass
class _JsFile:
    routers: set[str] = field(default_factory=set)
    apps: set[str] = field(default_factory=set)
    routes: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # owner, method, path, handler, line
    uses: list[tuple[str, str, str, int]] = field(default_factory=list)  # parent, prefix, child expr, line
    bindings: dict[str, str] = field(default_factory=dict)  # local name -> resolved file
    export: str | None = None


@dataclass
class JsScan:
    """What the JS/TS files show."""

    imports: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """File -> imported specifiers with line."""
    endpoints: list[Endpoint] = field(default_factory=list)
    """Express and NestJS endpoints with full paths."""
    env_reads: list[tuple[str, str, int]] = field(default_factory=list)
    """(variable, file, line) for each process.env read."""


def resolve_relative(importer: str, spec: str, paths: set[str]) -> str | None:
    """Resolve a relative import specifier to a tracked file (trying extensions and index files)."""
    if not spec.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    candidates = [base] + [base + s for s in JS_SUFFIXES] + [f"{base}/index{s}" for s in JS_SUFFIXES]
    if base.endswith((".js", ".jsx", ".mjs")):  # TypeScript ESM imports name the compiled file: './a.js' is a.ts
        stem = base.rsplit(".", 1)[0]
        candidates += [stem + ".ts", stem + ".tsx", stem + ".mts"]
    return next((c for c in candidates if c in paths), None)


def _rest(args: str) -> str:
    """The arguments after the path, up to the call's closing parenthesis on the same line."""
    return re.sub(r"\)\s*;?\s*(//.*)?$", "", args.strip())


def _handler(args: str) -> str:
    parts = [p.strip() for p in _rest(args).split(",") if p.strip()]
    last = parts[-1] if parts else ""
    return last if re.fullmatch(r"[\w$.]+", last) else "(inline handler)"


def scan(paths: list[str], read_text: Callable[[str], str | None]) -> JsScan:
    """Read each JS/TS file once and collect imports, routes and environment reads."""
    result = JsScan()
    tracked = set(paths)
    files: dict[str, _JsFile] = {}
    nest: list[tuple[str, str, str, str, str, int]] = []
    global_prefix = ""
    for path in paths:
        if not path.endswith(JS_SUFFIXES) or "node_modules/" in path or path.endswith((".min.js", ".d.ts")):
            continue
        text = read_text(path)
        if text is None:
            continue
        starts = line_starts(text)
        result.imports[path] = [(next(g for g in m.groups() if g), line_at(starts, m.start()))
                                for m in _IMPORT.finditer(text)]
        for m in ENV_READ.finditer(text):
            result.env_reads.append((m.group(1) or m.group(2), path, line_at(starts, m.start())))
        if "express" in text or "Router" in text or ".use(" in text:
            files[path] = _express_file(path, text, starts, tracked)
        if "@Controller" in text:
            nest.extend(_nest_routes(path, text, starts))
        prefix = _GLOBAL_PREFIX.search(text)
        if prefix:
            global_prefix = "/" + prefix.group(1).strip("/")
    result.endpoints = _express_endpoints(files) + [
        Endpoint(method=method,
                 path=join(global_prefix, "/" + ctrl.strip("/"), "/" + route.strip("/") if route else ""),
                 handler=handler, framework="NestJS", source=SourceRef(path=path, line=line))
        for path, ctrl, route, method, handler, line in nest
    ]
    return result


def _nest_routes(path: str, text: str, starts: list[int]) -> list[tuple[str, str, str, str, str, int]]:
    found = []
    controllers = list(_CONTROLLER.finditer(text))
    for index, ctrl in enumerate(controllers):
        end = controllers[index + 1].start() if index + 1 < len(controllers) else len(text)
        for route in _NEST_ROUTE.finditer(text, ctrl.end(), end):
            found.append((path, ctrl.group(1) or "", route.group(2) or "", route.group(1).upper(), route.group(3),
                          line_at(starts, route.start())))
    return found


def _express_file(path: str, text: str, starts: list[int], tracked: set[str]) -> _JsFile:
    info = _JsFile()
    for m in _APP.finditer(text):
        (info.apps if re.search(r"=\s*express\s*\(", m.group(0)) else info.routers).add(m.group(1))
    for m in _BINDING.finditer(text):
        name, spec = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        target = resolve_relative(path, spec, tracked)
        if target:
            info.bindings[name] = target
    for m in _ROUTE.finditer(text):
        if m.group(1) in info.routers | info.apps:
            info.routes.append((m.group(1), m.group(2).upper(), m.group(4), _handler(m.group(5)),
                                line_at(starts, m.start())))
    for m in _CHAIN.finditer(text):
        if m.group(1) in info.routers | info.apps:
            for part in _CHAIN_PART.finditer(m.group(4)):
                info.routes.append((m.group(1), part.group(1).upper(), m.group(3), _handler(part.group(2)),
                                    line_at(starts, m.start())))
    for m in _USE.finditer(text):
        if m.group(1) in info.routers | info.apps:
            info.uses.append((m.group(1), m.group(3), _rest(m.group(4)), line_at(starts, m.start())))
    export = _EXPORT.search(text)
    info.export = export.group(1) if export else None
    return info


def _express_endpoints(files: dict[str, _JsFile]) -> list[Endpoint]:
    def child_key(path: str, expr: str) -> tuple[str, str] | None:
        info = files[path]
        last = [p.strip() for p in expr.split(",") if p.strip()][-1] if expr.strip() else ""
        req = re.fullmatch(r"require\(\s*['\"]([^'\"]+)['\"]\s*\)", last)
        if req:
            target = resolve_relative(path, req.group(1), set(files) | {path})
            return (target, files[target].export or "") if target in files else None
        if last in info.routers | info.apps:
            return path, last
        target = info.bindings.get(last)
        if target in files and files[target].export:
            return target, files[target].export or ""
        return None

    children: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {}
    mounted: set[tuple[str, str]] = set()
    for path, info in files.items():
        for parent, prefix, expr, _line in info.uses:
            child = child_key(path, expr)
            if child:
                children.setdefault((path, parent), []).append((child, prefix))
                mounted.add(child)
    mounts: dict[tuple[str, str], set[str]] = {}

    def walk(key: tuple[str, str], mount: str, depth: int) -> None:
        if depth > 12 or mount in mounts.get(key, set()):
            return
        mounts.setdefault(key, set()).add(mount)
        for child, prefix in children.get(key, []):
            walk(child, join(mount, "/" + prefix.strip("/")) if prefix.strip("/") else mount, depth + 1)

    for path, info in files.items():
        for var in sorted(info.apps | info.routers):
            if (path, var) not in mounted:
                walk((path, var), "", 0)
    endpoints = []
    for path, info in files.items():
        for owner, method, route, handler, line in info.routes:
            for mount in sorted(mounts.get((path, owner), {""})):
                endpoints.append(Endpoint(method="ANY" if method == "ALL" else method,
                                          path=_express_path(mount, route),
                                          handler=handler, framework="Express", source=SourceRef(path=path, line=line)))
    return endpoints


def _express_path(mount: str, route: str) -> str:
    # Express matches `/api/users` and `/api/users/` for router.get('/') mounted at /api/users.
    if route.strip("/") == "" and mount:
        return join(mount)
    return join(mount, route if route.startswith("/") else "/" + route)
