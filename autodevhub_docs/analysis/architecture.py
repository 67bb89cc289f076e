# The architecture facts of a repository, by static analysis (no LLM): the inventory, one pass over the code, the
# framework and ORM adapters, deployment files, and the technologies all of that shows.
from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Callable

from autodevhub_docs.analysis import deployment, development, imports, inventory, principles
from autodevhub_docs.analysis.adapters import reports, run_all
from autodevhub_docs.analysis.codebase import Codebase, is_application_code, is_sample_path, is_test_file
from autodevhub_docs.analysis.memo import AnalysisMemo
from autodevhub_docs.analysis.migrations import migrations
from autodevhub_docs.analysis.openapi import read_specs, spec_only
from autodevhub_docs.analysis.system import system_model
from autodevhub_docs.analysis.technologies import detect
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import ArchitectureFacts, EnvVar, ImportGraph, Manifest, RepoFacts, SourceRef
from autodevhub_docs.sources.manifests import is_manifest, read_manifest

ReadText = Callable[[str], "str | None"]
log = get_logger(__name__)
"""Reads a tracked file's text (None for binary, huge or unsafe files)."""

_METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def architecture_facts(facts: RepoFacts, read_text: ReadText, memo: AnalysisMemo | None = None,
                       ) -> tuple[ArchitectureFacts, tuple[Manifest, ...]]:
    """Build the architecture facts of a repository by static analysis (no LLM).

    Each Python file is read and parsed once; every analysis that needs its AST receives it in the same pass.

    Args:
        facts: What the sources found.
        read_text: Reads a tracked file's text.
        memo: What earlier builds stored (Python and JS/TS summaries of unchanged files), filled in for the next one.

    Returns:
        Inventory, technologies, import graph, endpoints, data model, deployment and development facts; and every
        manifest, read by the manifest reader.
    """
    paths = [f.path for f in facts.files]
    read = tuple(m for p in paths if is_manifest(p) and (m := read_manifest(p, read_text(p))) is not None)
    for broken in (m for m in read if m.problem and not is_sample_path(m.path)):
        log.warning("%s: %s; its dependencies are what could be read.", broken.path, broken.problem)
    manifests = {m.path for m in read if not is_sample_path(m.path)}
    shallow = [p for p in paths if p.count("/") <= 2 and "node_modules/" not in p]
    names = {p.rsplit("/", 1)[-1] for p in shallow}
    quality_names = {n for pat in inventory.QUALITY_FILES for n in fnmatch.filter(names, pat)}
    quality = {p for p in shallow if p.rsplit("/", 1)[-1] in quality_names}
    for manifest in sorted(p for p in manifests if p.endswith(("pyproject.toml", "setup.cfg"))):
        text = read_text(manifest) or ""
        if any(key in text for key in (*inventory.QUALITY_TOOL_KEYS, "[mypy", "[flake8")):
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
    documents, spec_operations = read_specs(paths, read_text)
    every_component = inventory.components(facts.files, manifests)
    comps = tuple(c for c in every_component if c.path == "." or not is_sample_path(f"{c.path}/x"))
    left_out = tuple(c for c in every_component if c not in comps)
    codebase = Codebase(paths=tuple(paths), read_text=read_text,
                        dependencies=tuple(d for m in read for d in m.dependencies),
                        js_summaries=dict(memo.js) if memo is not None else {})
    code = inventory.code_pass(facts, paths, read_text, codebase, memo)
    codebase.python = code.files  # the adapters share the single pass's Python summaries (and the JS/TS parses)
    endpoint_results, model_results = run_all("endpoints", codebase), run_all("datamodel", codebase)
    if memo is not None:
        memo.parsed_js.update(codebase.js_made)
        memo.reused_js = sum(1 for path in memo.js if path in codebase.js_summaries and path not in codebase.js_made)
    inventory.merge_adapters(code, endpoint_results, model_results)
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
    for entity in code.entities:  # the model declarations themselves show the ORM, with their line
        extra.setdefault(entity.orm, []).append(entity.source)
    for found in (*endpoint_results, *model_results):
        if found.endpoints or found.entities:  # an ORM that maps nothing is not shown as used
            extra.setdefault(found.framework, []).extend(found.evidence)
        for name, ref in found.technologies:
            extra.setdefault(name, []).append(ref)
    env_files = {e.source.path for e in env_vars}
    url_files = [p for p in paths
                 if deployment.is_compose(p) or p.endswith(("settings.py", "config.py", ".env.example"))
                 or p in env_files]
    _, py_app = imports.python_edges({p: f for p, f in code.files.items() if is_application_code(p)})
    _, js_app = imports.js_edges({p: v for p, v in code.js.imports.items() if is_application_code(p)})
    technologies = detect(read, read_text, paths=paths, python_imports=py_app, js_imports=js_app, images=images,
                          texts_with_urls=sorted(set(url_files)), extra=extra,
                          python_strings={p: f.facts[inventory.STRINGS_KEY] for p, f in code.files.items()
                                          if inventory.STRINGS_KEY in f.facts})
    arch = ArchitectureFacts(
        languages=inventory.language_stats(facts.files),
        components=comps,
        left_out=left_out,
        manifests=tuple(sorted(manifests)),
        test_files=tuple(sorted(p for p in paths if is_test_file(p))),
        ci_workflows=tuple(ci),
        quality_configs=tuple(sorted(quality)),
        technologies=tuple(technologies),
        component_edges=inventory.component_edges(code, comps),
        import_graph=code.graph,
        endpoints=tuple(sorted(set(code.endpoints), key=lambda e: (
            e.path, _METHOD_ORDER.get(e.method, 9), e.method, e.source.path, e.source.line or 0, e.handler))),
        api_documents=tuple(documents),
        spec_only_endpoints=tuple(spec_only(spec_operations, code.endpoints)),
        entities=tuple(code.entities),
        relations=tuple(code.relations),
        migrations=tuple(migrations(paths)),
        containers=tuple(container_images),
        services=tuple(services),
        helm_charts=tuple(charts),
        k8s_manifests=tuple(k8s_files),
        workflows=tuple(flows),
        env_vars=tuple(env_vars),
        scripts=tuple(development.scripts(paths, read_text)),
        framework_reports=reports("endpoints", endpoint_results) + reports("entities", model_results),
    )
    arch = dataclasses.replace(arch, system=system_model(
        arch, read, paths, read_text, module_paths={i.module: p for p, i in code.files.items()},
        imports={p: i.imports for p, i in code.files.items()},
        binding_subprocess={p for p, i in code.files.items() if "subprocess" in i.aliases}))
    view_nodes, view_edges, view_note = imports.readable(code.graph)
    arch = dataclasses.replace(arch, principles=principles.derive(arch, code.defining_files),
                               import_view=ImportGraph(level=code.graph.level, nodes=tuple(view_nodes),
                                                       edges=tuple(view_edges), modules=code.graph.modules),
                               import_view_note=view_note)
    return arch, read
