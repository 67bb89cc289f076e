# Spring MVC and WebFlux annotated controllers, in Java and Kotlin: `@RestController`/`@Controller` classes, the
# class-level `@RequestMapping` (value/path, arrays, constants) joined with each handler's `@GetMapping`,
# `@PostMapping`, ... or `@RequestMapping(method = ...)` (no method: every method, `ANY`). Mappings declared on
# superclasses and implemented interfaces apply (Spring finds them there: the generated-interface style). The
# global prefixes `server.servlet.context-path`, `spring.mvc.servlet.path` and `spring.webflux.base-path` come
# from the module's `application.properties`/`.yml`. The datasource URL of each profile is technology evidence.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.catalog import technology_of_scheme
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import spring_config
from autodevhub_docs.analysis.endpoints.jvm_code import JvmCode, dependency_evidence, read_jvm
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.analysis.endpoints.spring_config import Setting
from autodevhub_docs.model import Endpoint, SourceRef
from autodevhub_docs.parsing.jvm import Declaration, JvmFile
from autodevhub_docs.parsing.jvm_members import Annotation, Member
from autodevhub_docs.parsing.jvm_values import Scope

FRAMEWORK = "Spring Boot"
_DEPENDENCIES = (
    "org.springframework.boot:spring-boot-starter-web", "org.springframework.boot:spring-boot-starter-webflux",
    "org.springframework:spring-webmvc", "org.springframework:spring-webflux",
)
_IMPORTS = ("org.springframework.web.bind.annotation", "org.springframework.stereotype.Controller")
_SHORTCUTS = {"GetMapping": "GET", "PostMapping": "POST", "PutMapping": "PUT", "PatchMapping": "PATCH",
              "DeleteMapping": "DELETE"}
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"})
_PREFIX_KEYS = ("server.servlet.contextpath", "spring.mvc.servlet.path", "spring.webflux.basepath")
_DATASOURCE_KEYS = ("spring.datasource.url", "spring.datasource.jdbcurl", "spring.datasource.hikari.jdbcurl",
                    "spring.r2dbc.url")


@dataclass(frozen=True)
class _Mapping:
    paths: tuple[str, ...]
    methods: tuple[str, ...]
    line: int


def _mapping(jvm_code: JvmCode, jvm: JvmFile, owner: Declaration, annotation: Annotation,
             problems: list[str]) -> _Mapping | None:
    """The paths and methods of one mapping annotation; None (with a problem) when a path is not a constant."""
    scope = Scope(path=jvm.path, owners=(owner.name, owner.owner))
    paths: list[str] = []
    for node in annotation.values("value", "path"):
        values = jvm_code.constants.strings(jvm.parsed, node, scope)
        if values is None:
            problems.append(f"{jvm.path}:{annotation.line}: the path {jvm.parsed.text(node)!r} is not a constant "
                            "the analysis can read")
            return None
        paths.extend(values)
    if annotation.name in _SHORTCUTS:
        methods: tuple[str, ...] = (_SHORTCUTS[annotation.name],)
    else:
        names = (jvm.parsed.text(n).rsplit(".", 1)[-1].strip() for n in annotation.values("method"))
        methods = tuple(dict.fromkeys(m for m in names if m in _METHODS))
    return _Mapping(paths=tuple(paths) or ("",), methods=methods, line=annotation.line)


def _handler_annotation(member: Member) -> Annotation | None:
    return member.annotation(*_SHORTCUTS, "RequestMapping") if member.kind == "method" else None


class SpringMvc:
    """Spring MVC/WebFlux annotated controllers."""

    name = FRAMEWORK

    def run(self, code: Codebase) -> Found | None:
        """Endpoints of every controller, or None when Spring's web stack is absent."""
        evidence = dependency_evidence(code, _DEPENDENCIES)
        jvm_code = read_jvm(code)
        evidence = evidence or jvm_code.import_of(_IMPORTS)
        if evidence is None:
            return None
        config, config_problems = spring_config.settings(code)
        problems = list(config_problems)
        endpoints: list[Endpoint] = []
        files_read: set[str] = set()
        prefixes: dict[str | None, str] = {}  # by module: its files share their configuration
        for jvm, declaration in jvm_code.declarations("Controller"):
            if declaration.kind in ("class", "object") and not declaration.abstract and \
                    declaration.annotation("RestController", "Controller"):
                module = spring_config.config_root(config, jvm.path)
                if module not in prefixes:
                    prefixes[module] = join(*(s.value for key in _PREFIX_KEYS
                                              if (s := spring_config.effective(config, jvm.path, key)) is not None))
                found = self._controller(jvm_code, jvm, declaration, prefixes[module], problems)
                endpoints.extend(found)
                files_read.add(jvm.path)
                files_read.update(e.source.path for e in found)
        files_read.update(s.path for s in config)
        return Found(framework=FRAMEWORK, evidence=(evidence,), files_read=tuple(sorted(files_read)),
                     endpoints=tuple(endpoints), problems=(*jvm_code.problems, *problems),
                     technologies=tuple(datasource_technologies(config)))

    @staticmethod
    def _controller(jvm_code: JvmCode, jvm: JvmFile, controller: Declaration, prefix: str,
                    problems: list[str]) -> list[Endpoint]:
        base: _Mapping | None = None
        handlers: list[tuple[JvmFile, Declaration, Member, Annotation]] = []
        claimed: set[str] = set()  # names mapped by a nearer class: an override keeps the nearest mapping
        for level_file, level in jvm_code.hierarchy(jvm, controller):
            type_mapping = level.annotation("RequestMapping")
            if type_mapping is not None and base is None:
                base = _mapping(jvm_code, level_file, level, type_mapping, problems)
            mapped = [(m, a) for m in level.members if (a := _handler_annotation(m)) is not None]
            handlers.extend((level_file, level, m, a) for m, a in mapped if m.name not in claimed)
            claimed.update(m.name for m, _ in mapped)
        base = base or _Mapping(paths=("",), methods=(), line=controller.line)
        endpoints: list[Endpoint] = []
        for level_file, level, member, annotation in handlers:
            mapping = _mapping(jvm_code, level_file, level, annotation, problems)
            if mapping is None:
                continue
            methods = mapping.methods or base.methods or ("ANY",)
            for class_path in base.paths:
                for method_path in mapping.paths:
                    path = normalise_path(join(prefix, class_path, method_path))
                    endpoints.extend(Endpoint(method=method, path=path, handler=f"{controller.name}.{member.name}",
                                              framework=FRAMEWORK,
                                              source=SourceRef(path=level_file.path, line=mapping.line))
                                     for method in methods)
        return endpoints


def datasource_technologies(config: list[Setting]) -> list[tuple[str, SourceRef]]:
    """The database each profile's datasource URL opens (`jdbc:sqlite:app.db` -> SQLite), with where it is set.

    When profiles open different databases (H2 in `dev`, PostgreSQL in `prod`), each is reported with its own
    profile file and line, so the page shows which profile uses which.

    Args:
        config: Every Spring setting of the codebase.
    """
    found: list[tuple[str, SourceRef]] = []
    for setting in sorted(config, key=lambda s: (s.profile != "", s.profile)):  # the default profile first
        if setting.key not in _DATASOURCE_KEYS:
            continue
        parts = setting.value.strip().split(":")
        if len(parts) < 2:
            continue
        scheme = ":".join(parts[:2]) if parts[0] in ("jdbc", "r2dbc") else parts[0]
        tech = technology_of_scheme(scheme) or technology_of_scheme(parts[1])
        if tech is not None and tech.layer == "database":
            found.append((tech.name, SourceRef(path=setting.path, line=setting.line)))
    return found


ADAPTERS = (SpringMvc(),)
