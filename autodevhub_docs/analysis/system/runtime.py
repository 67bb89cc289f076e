# Containers and connections of a deployable system, from evidence only: compose services (with overrides) and
# Kubernetes workloads are the containers; `depends_on`, environment values that name another container's host
# (`postgresql://app@db:5432/app`, `SMTP_HOST=mailpit`), reverse-proxy configuration (Traefik labels, nginx
# `proxy_pass`, Caddy `reverse_proxy`) and a frontend's API URL are the connections. No edge without a file and line.
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from autodevhub_docs.analysis import catalog
from autodevhub_docs.model import ArchitectureFacts, Connection, Container, Manifest, Service, SourceRef

ReadText = Callable[[str], "str | None"]

KIND_OF_ROLE = {"database": "database", "search engine": "database", "cache": "cache", "message broker": "queue",
                "task queue": "queue", "reverse proxy": "proxy", "development mail server": "mail",
                "database admin UI": "admin"}
"""Container kind of a catalogued image, by the image technology's role."""
PROTOCOL_OF_KIND = {"database": "SQL", "cache": "Redis", "queue": "AMQP", "mail": "SMTP", "proxy": "HTTP",
                    "service": "HTTP", "frontend": "HTTP", "admin": "HTTP", "worker": "HTTP"}
_SCHEMES = {"postgres": "SQL", "postgresql": "SQL", "mysql": "SQL", "mariadb": "SQL", "sqlserver": "SQL",
            "redis": "Redis", "rediss": "Redis", "amqp": "AMQP", "amqps": "AMQP", "mongodb": "MongoDB",
            "http": "HTTP", "https": "HTTPS", "smtp": "SMTP", "smtps": "SMTP", "kafka": "Kafka", "nats": "NATS"}
_FRONTEND_API = re.compile(r"(?:^|_)(?:API|BACKEND)_?(?:URL|BASE|BASE_URL|HOST|ORIGIN)$", re.I)
_OPENAPI_CLIENTS = ("@hey-api/openapi-ts", "openapi-typescript-codegen", "orval", "@openapitools/openapi-generator-cli",
                    "openapi-typescript")
_PROXY_DIRECTIVE = re.compile(r"^\s*(?:proxy_pass|reverse_proxy|server)\s+(?:https?://)?([A-Za-z0-9][\w.-]*)(?::(\d+))?",
                              re.M)


@dataclass
class _Builder:
    containers: dict[str, Container] = field(default_factory=dict)
    connections: dict[tuple[str, str, str], Connection] = field(default_factory=dict)

    def connect(self, source: str, target: str, protocol: str, via: str, evidence: SourceRef) -> None:
        if source == target or source not in self.containers or target not in self.containers:
            return
        self.connections.setdefault((source, target, via),
                                    Connection(source=source, target=target, protocol=protocol, via=via,
                                               evidence=evidence))


def _kind_and_technology(service: Service, arch: ArchitectureFacts) -> tuple[str, str]:
    image = (service.image or "").split(",")[0].strip()
    tech = catalog.technology_of_image(image) if image else None
    if tech is not None and tech.role in KIND_OF_ROLE:
        return KIND_OF_ROLE[tech.role], tech.name
    folder = (service.build or "").strip("./") if service.build else ""
    here = [t for t in arch.technologies if any(_inside(e.path, folder) for e in t.evidence)] if folder else []
    if any(t.category == "frontend framework" for t in here):
        return "frontend", next(t.name for t in here if t.category == "frontend framework")
    web = next((t.name for t in here if t.category == "web framework"), "")
    name = service.name.lower()
    if any(word in name for word in ("worker", "celery", "queue", "cron", "scheduler", "prestart", "migrat")):
        return "worker", web
    if any(word in name for word in ("frontend", "web-ui", "webapp", "client")) and not web:
        return "frontend", tech.name if tech else ""
    return "service", web or (tech.name if tech else "")


def _inside(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder.rstrip("/") + "/")


def runtime_model(arch: ArchitectureFacts, manifests: Sequence[Manifest], paths: Sequence[str], read_text: ReadText
                  ) -> tuple[dict[str, Container], list[Connection]]:
    """Containers and connections of the services a repository deploys (empty when it deploys none).

    Args:
        arch: Architecture facts with services, technologies and environment variables.
        manifests: Every manifest (a frontend's generated API client is a dependency).
        paths: Every tracked path.
        read_text: Safe reader of the checkout.
    """
    deployable = [s for s in arch.services if s.kind in ("compose", "procfile")
                  or (s.kind.startswith("kubernetes") and s.kind != "kubernetes Service")]
    built = _Builder()
    for service in deployable:
        kind, technology = _kind_and_technology(service, arch)
        built.containers[f"svc:{service.name}"] = Container(key=f"svc:{service.name}", name=service.name, kind=kind,
                                                             technology=technology, source=service.source)
    hosts = _host_map(arch.services)
    for service in deployable:
        key = f"svc:{service.name}"
        for dependency in service.depends_on:
            target = f"svc:{dependency}"
            if target in built.containers:
                built.connect(key, target, PROTOCOL_OF_KIND.get(built.containers[target].kind, "HTTP"),
                              "depends_on", service.source)
        for ref in service.hosts:
            found = hosts.get(ref.host) or _by_port(arch.services, ref.host, ref.port)
            if found is None:
                continue
            protocol = _SCHEMES.get(ref.scheme.split("+", 1)[0]) or PROTOCOL_OF_KIND.get(
                built.containers.get(found, Container(key="", name="", kind="service")).kind, "HTTP")
            built.connect(key, found, protocol, ref.variable, SourceRef(path=service.source.path, line=ref.line))
    _proxies(built, arch.services, paths, read_text, hosts)
    _frontend_api(built, arch, manifests)
    return built.containers, list(built.connections.values())


def _host_map(services: Iterable[Service]) -> dict[str, str]:
    """Host names that reach a container: compose service names, and Kubernetes Services by their selector."""
    found = {s.name.lower(): f"svc:{s.name}" for s in services if s.kind in ("compose", "procfile")}
    workloads = [s for s in services if s.kind.startswith("kubernetes") and s.kind != "kubernetes Service"]
    for service in workloads:
        found.setdefault(service.name.lower(), f"svc:{service.name}")
    for k8s in (s for s in services if s.kind == "kubernetes Service"):
        selected = next((w for w in workloads if k8s.selector and set(k8s.selector) <= set(w.labels)), None)
        if selected is not None:
            found[k8s.name.lower()] = f"svc:{selected.name}"
    return found


def _by_port(services: Iterable[Service], host: str, port: str) -> str | None:
    """`localhost:8000` reaches the service that publishes port 8000."""
    if host not in ("localhost", "127.0.0.1", "0.0.0.0") or not port:  # noqa: S104 - a host name read, not bound
        return None
    return next((f"svc:{s.name}" for s in services if any(p.split(":")[0] == port for p in s.ports)), None)


def _proxies(built: _Builder, services: Sequence[Service], paths: Sequence[str], read_text: ReadText,
             hosts: dict[str, str]) -> None:
    proxies = [k for k, c in built.containers.items() if c.kind == "proxy"]
    traefik = next((k for k in proxies if built.containers[k].technology == "Traefik"), None)
    for service in services:
        for rule, line in service.routes:
            if traefik:
                built.connect(traefik, f"svc:{service.name}", "HTTP", f"Traefik rule {rule[:60]}",
                              SourceRef(path=service.source.path, line=line))
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if not (name in ("Caddyfile", "nginx.conf")
                or (name.endswith((".conf", ".conf.template")) and "nginx" in path.lower())):
            continue
        owner = _owner(built, services, path)
        if owner is None:
            continue
        text = read_text(path) or ""
        for match in _PROXY_DIRECTIVE.finditer(text):
            target = hosts.get(match.group(1).lower())
            if target:
                line = text.count("\n", 0, match.start()) + 1
                directive = "reverse_proxy" if name == "Caddyfile" else "proxy_pass"
                built.connect(owner, target, "HTTP", directive, SourceRef(path=path, line=line))


def _owner(built: _Builder, services: Sequence[Service], config: str) -> str | None:
    """The container that runs a proxy configuration file: built from its folder, else the one proxy."""
    for service in services:
        folder = (service.build or "").strip("./")
        if service.build and _inside(config, folder) and f"svc:{service.name}" in built.containers:
            return f"svc:{service.name}"
    proxies = [k for k, c in built.containers.items() if c.kind == "proxy"]
    return proxies[0] if len(proxies) == 1 else None


def _frontend_api(built: _Builder, arch: ArchitectureFacts, manifests: Sequence[Manifest]) -> None:
    """A frontend calls the backend its API URL names, or the one backend when a generated OpenAPI client says so."""
    backends = [k for k, c in built.containers.items() if c.kind == "service"]
    for key, container in list(built.containers.items()):
        if container.kind != "frontend":
            continue
        service = next(s for s in arch.services if f"svc:{s.name}" == key)
        folder = (service.build or "").strip("./")
        for variable in arch.env_vars:
            if _FRONTEND_API.search(variable.name) and _inside(variable.source.path, folder) and len(backends) == 1:
                built.connect(key, backends[0], "HTTP", variable.name, variable.source)
        for manifest in manifests:
            if manifest.ecosystem != "npm" or not _inside(manifest.path, folder) or len(backends) != 1:
                continue
            used = next((d for d in manifest.dependencies if d.name in _OPENAPI_CLIENTS), None)
            if used is not None:
                built.connect(key, backends[0], "HTTP", f"generated OpenAPI client ({used.name})",
                              SourceRef(path=used.path, line=used.line))
