# Jakarta REST (JAX-RS) resources in Java and Kotlin: root resource classes with `@Path`, resource methods with
# `@GET`, `@POST`, `@PUT`, `@DELETE`, `@PATCH`, `@HEAD` or `@OPTIONS` (and an optional method `@Path`), and
# sub-resource locators (a method with `@Path` and no HTTP method: the class it returns serves under that path).
# The application path comes from `@ApplicationPath` on the `Application` subclass of the module, else from
# `spring.jersey.application-path`; Spring Boot's `server.servlet.context-path` is joined before it. Method
# annotations on an implemented interface or a superclass apply (the specification's annotation inheritance), and a
# class may take its `@Path` from the interface it implements.
from __future__ import annotations

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import spring_config
from autodevhub_docs.analysis.endpoints.jvm_code import JvmCode, dependency_evidence, read_jvm
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.analysis.endpoints.spring_config import Setting, module_root
from autodevhub_docs.model import Endpoint, SourceRef
from autodevhub_docs.parsing.jvm import Declaration, JvmFile, element_type
from autodevhub_docs.parsing.jvm_members import Annotation, Member
from autodevhub_docs.parsing.jvm_values import Scope

FRAMEWORK = "Jakarta REST"
_DEPENDENCIES = ("jakarta.ws.rs:*", "javax.ws.rs:*", "org.glassfish.jersey*", "org.jboss.resteasy*",
                 "org.springframework.boot:spring-boot-starter-jersey", "io.quarkus:quarkus-resteasy*",
                 "io.quarkus:quarkus-rest*", "org.apache.cxf:cxf-rt-frontend-jaxrs")
_IMPORTS = ("jakarta.ws.rs", "javax.ws.rs")
_HTTP = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_MAX_LOCATORS = 8
"""Deepest chain of sub-resource locators followed (a locator may return its own class)."""


class JaxRs:
    """JAX-RS resource classes."""

    name = FRAMEWORK

    def run(self, code: Codebase) -> Found | None:
        """Endpoints of every root resource, or None when JAX-RS is absent."""
        evidence = dependency_evidence(code, _DEPENDENCIES)
        jvm_code = read_jvm(code)
        evidence = evidence or jvm_code.import_of(_IMPORTS)
        if evidence is None:
            return None
        config, problems = spring_config.settings(code)
        reader = _Reader(jvm_code, problems)
        applications = reader.application_paths()
        endpoints: list[Endpoint] = []
        for jvm, declaration in jvm_code.declarations("Path", *reader.path_interface_heirs()):
            if declaration.kind not in ("class", "object") or declaration.abstract:
                continue
            resource_path = reader.resource_path(jvm, declaration)
            if resource_path is None:
                continue
            prefix = _prefix(jvm.path, applications, config)
            endpoints.extend(reader.methods(jvm, declaration, join(prefix, resource_path), 0, set()))
        files = {e.source.path for e in endpoints} | {s.path for s in config}
        return Found(framework=FRAMEWORK, evidence=(evidence,), files_read=tuple(sorted(files)),
                     endpoints=tuple(endpoints), problems=(*jvm_code.problems, *problems))


def _prefix(path: str, applications: dict[str, str], config: list[Setting]) -> str:
    """Context path and application path of the module a resource file belongs to."""
    context = spring_config.effective(config, path, "server.servlet.contextpath")
    root = max((r for r in applications if path.startswith(r)), key=len, default=None)
    if root is not None:
        application = applications[root]
    else:
        jersey = spring_config.effective(config, path, "spring.jersey.applicationpath")
        application = jersey.value if jersey is not None else ""
    return join(context.value if context is not None else "", application)


class _Reader:
    def __init__(self, jvm_code: JvmCode, problems: list[str]) -> None:
        self.code = jvm_code
        self.problems = problems

    def path_of(self, jvm: JvmFile, owner: Declaration, annotation: Annotation) -> str | None:
        values = annotation.values("value")
        if not values:
            return ""
        value = self.code.constants.string(jvm.parsed, values[0], Scope(path=jvm.path,
                                                                        owners=(owner.name, owner.owner)))
        if value is None:
            self.problems.append(f"{jvm.path}:{annotation.line}: the path {jvm.parsed.text(values[0])!r} is not a "
                                 "constant the analysis can read")
        return value

    def application_paths(self) -> dict[str, str]:
        """Module root -> `@ApplicationPath` of the module's `Application` subclass."""
        found: dict[str, str] = {}
        for jvm, declaration in self.code.declarations("ApplicationPath"):
            annotation = declaration.annotation("ApplicationPath")
            if annotation is not None:
                value = self.path_of(jvm, declaration, annotation)
                if value is not None:
                    found.setdefault(module_root(jvm.path), value)
        return found

    def path_interface_heirs(self) -> set[str]:
        """Names of the interfaces with `@Path` and of every type below one (a class can take its `@Path` from one).

        Such a class's file need not hold `Path`, but it names its supertype: each level is found among the files
        that name the level above it.
        """
        found = {d.name for _, d in self.code.declarations("Path") if d.kind == "interface" and d.annotation("Path")}
        frontier = set(found)
        while frontier:
            below = {d.name for _, d in self.code.declarations(*frontier) if frontier.intersection(d.supertypes)}
            frontier = below - found
            found |= frontier
        return found

    def resource_path(self, jvm: JvmFile, declaration: Declaration) -> str | None:
        """The `@Path` of a root resource class (its own, else its interface's), None when it is not one.

        A superclass's `@Path` does not make a subclass a resource: class annotations are not inherited.
        """
        for level_file, level in self.code.hierarchy(jvm, declaration):
            annotation = level.annotation("Path")
            if annotation is not None and (level is declaration or level.kind == "interface"):
                return self.path_of(level_file, level, annotation)
        return None

    def methods(self, jvm: JvmFile, resource: Declaration, prefix: str, depth: int,
                visiting: set[tuple[str, int]]) -> list[Endpoint]:
        """Endpoints of the resource methods and sub-resource locators of a class under a path."""
        key = (jvm.path, resource.line)
        if depth > _MAX_LOCATORS or key in visiting:
            return []
        visiting = visiting | {key}
        endpoints: list[Endpoint] = []
        claimed: set[str] = set()
        for level_file, level in self.code.hierarchy(jvm, resource):
            for member in level.members:
                if member.kind != "method" or member.name in claimed:
                    continue
                verbs = [a for a in member.annotations if a.name in _HTTP]
                located = member.annotation("Path")
                if not verbs and located is None:
                    continue
                claimed.add(member.name)
                sub_path = self.path_of(level_file, level, located) if located is not None else ""
                if sub_path is None:
                    continue
                if verbs:
                    path = normalise_path(join(prefix, sub_path))
                    endpoints.extend(Endpoint(method=verb.name, path=path, handler=f"{resource.name}.{member.name}",
                                              framework=FRAMEWORK, source=SourceRef(path=level_file.path,
                                                                                    line=verb.line))
                                     for verb in verbs)
                else:
                    endpoints.extend(self._locate(member, join(prefix, sub_path), depth, visiting))
        return endpoints

    def _locate(self, locator: Member, prefix: str, depth: int, visiting: set[tuple[str, int]]) -> list[Endpoint]:
        """A sub-resource locator: the resource methods of the class it returns, under its path."""
        returned, _ = element_type(locator.type)
        for target_file, target in self.code.named(returned)[:1]:
            return self.methods(target_file, target, prefix, depth + 1, visiting)
        return []


ADAPTERS = (JaxRs(),)
