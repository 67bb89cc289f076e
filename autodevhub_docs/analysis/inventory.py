# The inventory every repository has: languages, top-level components, manifests, tests, CI and quality tooling.
from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from autodevhub_docs.analysis import (
    datamodels,
    deployment,
    development,
    imports,
    javascript,
    principles,
    pyscan,
    routes,
)
from autodevhub_docs.analysis.adapters import Found, reports, run_all
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.pyscan import PyFile
from autodevhub_docs.analysis.technologies import detect
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import (
    ApiDocument,
    ArchitectureFacts,
    Component,
    Endpoint,
    Entity,
    EnvVar,
    FileInfo,
    ImportEdge,
    ImportGraph,
    LanguageStat,
    Relation,
    RepoFacts,
    SourceRef,
)
from autodevhub_docs.parsing.formats import load_json, load_yaml
from autodevhub_docs.sources.languages import PROSE_AND_DATA
from autodevhub_docs.sources.manifests import is_manifest, read_manifest

log = get_logger(__name__)

ReadText = Callable[[str], "str | None"]
"""Reads a tracked file's text (None for binary, huge or unsafe files)."""

MANIFEST_NAMES = frozenset({
    "pyproject.toml", "setup.py", "setup.cfg", "package.json", "go.mod", "Cargo.toml", "pom.xml",
    "build.gradle", "build.gradle.kts", "Gemfile", "composer.json", "Pipfile", "environment.yml",
})
_QUALITY = (
    "ruff.toml", ".ruff.toml", ".flake8", "mypy.ini", ".mypy.ini", ".pylintrc", "pylintrc", "tox.ini",
    ".pre-commit-config.yaml", ".eslintrc*", "eslint.config.*", ".prettierrc*", "prettier.config.*",
    "tsconfig.json", ".editorconfig", "biome.json", ".golangci.yml", ".golangci.yaml", "rustfmt.toml",
    "clippy.toml", ".rubocop.yml", "phpstan.neon", "pyrightconfig.json",
)
_QUALITY_TOOL_KEYS = ("[tool.ruff", "[tool.mypy", "[tool.black", "[tool.pylint", "[tool.isort", "[tool.pyright")
_TEST_PARTS = frozenset({"tests", "test", "__tests__", "spec", "specs"})
_DOCS_PARTS = frozenset({"docs", "doc", "documentation", "site_src"})


def is_test_file(path: str) -> bool:
    """Tell whether a path looks like a test by folder or file-name convention."""
    if "test" not in path and "spec" not in path:
        return False  # most paths: answered without building a path object
    pure = PurePosixPath(path)
    name = pure.name
    if any(part in _TEST_PARTS for part in pure.parts[:-1]) and pure.suffix in {".py", ".js", ".ts", ".go", ".rb",
                                                                                  ".tsx", ".jsx", ".java", ".rs"}:
        return True
    return (
        fnmatch.fnmatch(name, "test_*.py") or fnmatch.fnmatch(name, "*_test.py") or fnmatch.fnmatch(name, "*_test.go")
        or any(fnmatch.fnmatch(name, f"*.{kind}.{ext}") for kind in ("test", "spec") for ext in ("js", "ts", "jsx",
                                                                                                  "tsx", "mjs"))
    )


def language_stats(files: tuple[FileInfo, ...]) -> tuple[LanguageStat, ...]:
    """Count files and lines per language, code first (largest first), then prose and data."""
    count: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for info in files:
        if info.language and not info.binary:
            count[info.language] += 1
            lines[info.language] += info.lines
    stats = [LanguageStat(language=lang, files=count[lang], lines=lines[lang]) for lang in count]
    return tuple(sorted(stats, key=lambda s: (s.language in PROSE_AND_DATA, -s.lines, s.language)))


def _component_kind(name: str, paths: list[str], manifests: set[str]) -> str:
    lowered = name.lower()
    if lowered in _TEST_PARTS:
        return "tests"
    if lowered in _DOCS_PARTS:
        return "docs"
    if lowered in {".github", ".gitlab", ".circleci", "deploy", "deployment", "k8s", "helm", "infra", "ops",
                   "charts", "terraform"}:
        return "config"
    if any(p.rsplit("/", 1)[-1] in {"Dockerfile"} for p in paths) or any(m.startswith(name + "/") for m in manifests):
        return "service"
    if f"{name}/__init__.py" in paths or any(p.endswith("/__init__.py") for p in paths[:50]):
        return "package"
    return "folder"


def components(files: tuple[FileInfo, ...], manifests: set[str]) -> tuple[Component, ...]:
    """Group files by top-level folder; files at the root form one 'root files' component."""
    groups: dict[str, list[FileInfo]] = defaultdict(list)
    for info in files:
        top = info.path.split("/", 1)[0] if "/" in info.path else "."
        groups[top].append(info)
    result = []
    for name, items in groups.items():
        code_lines: Counter[str] = Counter()
        for info in items:
            if info.language and not info.binary:
                code_lines[info.language] += info.lines
        dominant = next((lang for lang, _ in code_lines.most_common() if lang not in PROSE_AND_DATA), None)
        dominant = dominant or (code_lines.most_common(1)[0][0] if code_lines else None)
        paths = [i.path for i in items]
        result.append(
            Component(
                name="root files" if name == "." else name,
                path=name,
                kind="folder" if name == "." else _component_kind(name, paths, manifests),
                files=len(items),
                lines=sum(i.lines for i in items if i.language),
                language=dominant,
            )
        )
    return tuple(sorted(result, key=lambda c: (c.path == ".", -c.lines, c.name)))


def analyse(facts: RepoFacts, read_text: ReadText) -> ArchitectureFacts:
    """Build the architecture facts of a repository by static analysis (no LLM).

    Each Python file is read and parsed once; every analysis that needs its AST receives it in the same pass.

    Args:
        facts: What the sources found.
        read_text: Reads a tracked file's text.

    Returns:
        Inventory, technologies, import graph, endpoints, data model, deployment and development facts.
    """
    paths = [f.path for f in facts.files]
    manifests = {p for p in paths if p.rsplit("/", 1)[-1] in MANIFEST_NAMES and "node_modules/" not in p}
    manifests |= {p for p in paths if fnmatch.fnmatch(p.rsplit("/", 1)[-1], "requirements*.txt")}
    shallow = [p for p in paths if p.count("/") <= 2 and "node_modules/" not in p]
    names = {p.rsplit("/", 1)[-1] for p in shallow}
    quality_names = {n for pat in _QUALITY for n in fnmatch.filter(names, pat)}
    quality = {p for p in shallow if p.rsplit("/", 1)[-1] in quality_names}
    for manifest in sorted(p for p in manifests if p.endswith(("pyproject.toml", "setup.cfg"))):
        text = read_text(manifest) or ""
        if any(key in text for key in (*_QUALITY_TOOL_KEYS, "[mypy", "[flake8")):
            quality.add(manifest)
    ci = sorted(
        p for p in paths
        if (p.startswith(".github/workflows/") and p.endswith((".yml", ".yaml")))
        or p in (".gitlab-ci.yml", ".circleci/config.yml", "Jenkinsfile", "azure-pipelines.yml", ".travis.yml")
    )
    docker = sorted(
        p for p in paths
        if p.rsplit("/", 1)[-1].startswith("Dockerfile") or p.endswith(".dockerfile") or deployment.is_compose(p)
    )
    comps = components(facts.files, manifests)
    code = _code(facts, paths, read_text)
    read = [m for p in paths if is_manifest(p) and (m := read_manifest(p, read_text(p))) is not None]
    for broken in (m for m in read if m.problem):
        log.warning("%s: %s; its dependencies are what could be read.", broken.path, broken.problem)
    codebase = Codebase(paths=tuple(paths), read_text=read_text,
                        dependencies=tuple(d for m in read for d in m.dependencies), python=code.files)
    endpoint_results, model_results = run_all("endpoints", codebase), run_all("datamodel", codebase)
    _merge_adapters(code, endpoint_results, model_results)
    container_images = [deployment.dockerfile(p, read_text(p) or "") for p in docker if not deployment.is_compose(p)]
    services = deployment.compose_services(paths, read_text)
    k8s_services, k8s_files = deployment.kubernetes(paths, read_text)
    charts = deployment.helm_charts(paths, read_text)
    services += k8s_services + deployment.procfile(paths, read_text)
    flows = deployment.workflows(paths, read_text)
    env_vars = development.merge_env([development.env_files(paths, read_text), code.env.found,
                                      [EnvVar(name=n, source=SourceRef(path=p, line=line), origin="code")
                                       for n, p, line in code.js.env_reads]])
    images = [(c_base, SourceRef(path=c.path, line=c.line)) for c in container_images for c_base in c.bases]
    images += [(s.image, s.source) for s in services if s.image]
    extra = {"Kubernetes": [SourceRef(path=p) for p in k8s_files],
             "GitHub Actions": [SourceRef(path=w.path) for w in flows]}
    for name, ref in _prisma_providers(paths, read_text):
        extra.setdefault(name, []).append(ref)
    for entity in code.entities:  # the model declarations themselves show the ORM, with their line
        extra.setdefault(entity.orm, []).append(entity.source)
    env_files = {e.source.path for e in env_vars}
    url_files = [p for p in paths
                 if deployment.is_compose(p) or p.endswith(("settings.py", "config.py", ".env.example"))
                 or p in env_files]
    technologies = detect(manifests, read_text, paths=paths, python_imports=code.py_external,
                          js_imports=code.js_external, images=images, texts_with_urls=sorted(set(url_files)),
                          extra=extra)
    arch = ArchitectureFacts(
        languages=language_stats(facts.files),
        components=comps,
        manifests=tuple(sorted(manifests)),
        test_files=tuple(sorted(p for p in paths if is_test_file(p))),
        ci_workflows=tuple(ci),
        docker_files=tuple(docker),
        quality_configs=tuple(sorted(quality)),
        technologies=tuple(technologies),
        component_edges=_component_edges(code, comps),
        import_graph=code.graph,
        endpoints=tuple(sorted(set(code.endpoints), key=lambda e: (
            e.path, _METHOD_ORDER.get(e.method, 9), e.method, e.source.path, e.source.line or 0, e.handler))),
        api_documents=tuple(api_documents(paths, read_text)),
        entities=tuple(code.entities),
        relations=tuple(code.relations),
        migrations=tuple(datamodels.migrations(paths)),
        containers=tuple(container_images),
        services=tuple(services),
        helm_charts=tuple(charts),
        k8s_manifests=tuple(k8s_files),
        workflows=tuple(flows),
        env_vars=tuple(env_vars),
        scripts=tuple(development.scripts(paths, read_text)),
        framework_reports=reports("endpoints", endpoint_results) + reports("entities", model_results),
    )
    return dataclasses.replace(arch, principles=principles.derive(arch, code.defining_files))


_METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


@dataclass
class _Code:
    files: dict[str, PyFile]
    js: javascript.JsScan
    env: development.PythonEnv
    graph: ImportGraph
    module_edges: Counter[tuple[str, str]]
    module_paths: dict[str, str]
    defining_files: dict[str, str]
    py_external: dict[str, tuple[str, int]]
    js_external: dict[str, tuple[str, int]]
    endpoints: list[Endpoint]
    entities: list[Entity]
    relations: list[Relation]


def _code(facts: RepoFacts, paths: list[str], read_text: ReadText) -> _Code:
    """The single pass over the code: Python ASTs shared by every analysis, JS/TS scanned once."""
    py_routes = routes.PythonRoutes()
    py_models = datamodels.PythonModels()
    py_env = development.PythonEnv()
    result = pyscan.scan(paths, read_text, [(routes.wants, py_routes.visit), (datamodels.wants, py_models.visit),
                                            (py_env.wants, py_env.visit)])
    js = javascript.scan(paths, read_text)
    py_edges, py_external = imports.python_edges(result.files)
    js_edges, js_external = imports.js_edges(js.imports)
    modules = {info.module for info in result.files.values()} | {n for edge in js_edges for n in edge}
    modules |= {imports._js_node(p) for p in js.imports}
    entities, relations = py_models.entities()
    other_entities, other_relations = datamodels.other_models(paths, read_text)
    known = {e.name for e in entities}
    entities += [e for e in other_entities if e.name not in known]
    module_paths = {info.module: path for path, info in result.files.items()}
    module_paths.update({imports._js_node(p): p for p in js.imports})
    defining = dict(module_paths)
    for module, path in module_paths.items():
        defining.setdefault(imports.package_of(module), path)
    return _Code(files=result.files, js=js, env=py_env, graph=imports.build(
                     py_edges, js_edges, modules, frozenset(i.module for i in result.files.values() if i.is_package)
                     | frozenset(imports._js_node(p) for p in js.imports if "/index." in f"/{p}")),
                 module_edges=py_edges + js_edges, module_paths=module_paths, defining_files=defining,
                 py_external=py_external, js_external=js_external,
                 endpoints=py_routes.endpoints(result.files, routes.Constants(result.files)) + js.endpoints,
                 entities=entities, relations=relations + other_relations)


def _merge_adapters(code: _Code, endpoint_results: list[Found], model_results: list[Found]) -> None:
    """Add what the framework and ORM adapters found to the single pass's results."""
    for found in endpoint_results:
        code.endpoints.extend(found.endpoints)
    known = {e.name for e in code.entities}
    for found in model_results:
        code.entities.extend(e for e in found.entities if e.name not in known)
        known.update(e.name for e in found.entities)
        code.relations.extend(found.relations)


def _component_edges(code: _Code, comps: tuple[Component, ...]) -> tuple[ImportEdge, ...]:
    names = {c.path for c in comps}

    def top(module: str) -> str:
        path = code.module_paths.get(module, "")
        first = path.split("/", 1)[0] if "/" in path else "."
        return first if first in names else "."

    counts: Counter[tuple[str, str]] = Counter()
    for (a, b), n in code.module_edges.items():
        x, y = top(a), top(b)
        if x != y:
            counts[(x, y)] += n
    return tuple(ImportEdge(source=a, target=b, count=n) for (a, b), n in sorted(counts.items()))


def api_documents(paths: list[str], read_text: ReadText) -> list[ApiDocument]:
    """OpenAPI and Swagger files, with their title, version and number of operations."""
    found = []
    for path in paths:
        if not path.endswith((".json", ".yaml", ".yml")) or "node_modules/" in path:
            continue
        lowered = PurePosixPath(path).name.lower()
        if not any(word in lowered for word in ("openapi", "swagger", "api")):
            continue
        text = read_text(path) or ""
        head = text[:2000]
        if "openapi" not in head and "swagger" not in head:
            continue
        loaded = load_json(text) if path.endswith(".json") else load_yaml(text)
        if loaded.problem:
            log.warning("%s: %s; the API description is skipped.", path, loaded.problem)
            continue
        data = loaded.data
        if not isinstance(data, dict) or not ("openapi" in data or "swagger" in data):
            continue
        info: dict[str, Any] = data["info"] if isinstance(data.get("info"), dict) else {}
        api_paths: dict[str, Any] = data["paths"] if isinstance(data.get("paths"), dict) else {}
        operations = sum(1 for ops in api_paths.values() if isinstance(ops, dict) for m in ops
                         if str(m).lower() in {"get", "post", "put", "patch", "delete", "head", "options", "trace"})
        kind = f"OpenAPI {data['openapi']}" if "openapi" in data else f"Swagger {data.get('swagger')}"
        found.append(ApiDocument(path=path, kind=kind, title=str(info.get("title", "")),
                                 version=str(info.get("version", "")), operations=operations))
    return found


_PRISMA_PROVIDERS = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite", "mongodb": "MongoDB"}


def _prisma_providers(paths: list[str], read_text: ReadText) -> list[tuple[str, SourceRef]]:
    """The database a Prisma schema's datasource names."""
    found = []
    for path in paths:
        if path.endswith(".prisma"):
            for number, line in enumerate((read_text(path) or "").split("\n"), start=1):
                m = re.match(r'\s*provider\s*=\s*"(\w+)"', line)
                if m and m.group(1) in _PRISMA_PROVIDERS:
                    found.append((_PRISMA_PROVIDERS[m.group(1)], SourceRef(path=path, line=number)))
    return found
