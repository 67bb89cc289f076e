"""The system model: containers and who talks to whom, each connection with the file and line that shows it.

A repository that deploys services gets its containers from compose files, Kubernetes manifests and Procfiles
(`runtime`); a library or CLI gets its packages from the import graph (`components`). Both get the people who use
them and the external systems they call (catalogued AI and external APIs, an SMTP server, command-line tools).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from autodevhub_docs.analysis.system.components import cli_tools, component_model, imported_services
from autodevhub_docs.analysis.system.runtime import runtime_model
from autodevhub_docs.model import ArchitectureFacts, Connection, Container, Manifest, SourceRef, SystemModel

ReadText = Callable[[str], "str | None"]
MAX_NODES = 25
"""Most containers drawn; the rest are grouped and listed beside the diagram."""
_ORDER = {"person": 0, "proxy": 1, "frontend": 2, "service": 3, "worker": 4, "package": 3, "admin": 5,
          "database": 6, "cache": 7, "queue": 8, "mail": 9, "external": 10, "tool": 11}
_EXTERNAL_LAYERS = ("ai",)
_STORE_LAYERS = ("database", "cache")
_SMTP_NAMES = ("SMTP_HOST", "SMTP_SERVER", "EMAIL_HOST", "MAIL_HOST", "MAIL_SERVER")

__all__ = ["MAX_NODES", "system_model"]


def system_model(arch: ArchitectureFacts, manifests: Sequence[Manifest], paths: Sequence[str], read_text: ReadText,
                 *, module_paths: Mapping[str, str], imports: Mapping[str, list[tuple[str, int]]],
                 binding_subprocess: Collection[str]) -> SystemModel:
    """Build the system model from the analysis' facts.

    Args:
        arch: Architecture facts (services, technologies, environment variables, endpoints).
        manifests: Every manifest.
        paths: Every tracked path.
        read_text: Safe reader of the checkout.
        module_paths: Python module name -> file, from the single pass over the code.
        imports: Python file -> absolute names it imports, with their line.
        binding_subprocess: The Python files that bind the name `subprocess` by an import (the only ones read
            for the command-line tools they run).
    """
    containers, connections = runtime_model(arch, manifests, paths, read_text)
    level = "containers"
    grouped: list[str] = []
    members: dict[str, set[str]] = {}
    if not any(c.kind in ("service", "frontend", "worker") for c in containers.values()):
        tools = cli_tools(module_paths, read_text, binding_subprocess)
        services = imported_services(module_paths, imports)
        keep = {ref.path for _, _, ref in tools} | {path for path, _, _ in services}
        containers, connections, grouped, members = component_model(module_paths, imports, keep)
        level = "components" if containers else "none"
        for _, tool, ref in tools:
            owner = next((k for k, files in members.items() if ref.path in files), None)
            _external(containers, connections, owner, key=f"tool:{tool}", name=tool, kind="tool", protocol="CLI",
                      via="subprocess", ref=ref)
        for path, tech, ref in services:
            owner = next((k for k, files in members.items() if path in files), None)
            external = tech.layer == "ai"
            _external(containers, connections, owner, key=f"ext:{tech.name}", name=tech.name,
                      kind="external" if external else tech.layer,
                      protocol="HTTPS" if external else ("SQL" if tech.layer == "database" else "Redis"),
                      via=f"import at {path.rsplit('/', 1)[-1]}", ref=ref, external=external)
    if level == "none":
        return SystemModel()
    _people(containers, connections, level)
    _externals(arch, containers, connections, level, members)
    ordered = sorted(containers.values(), key=lambda c: (_ORDER.get(c.kind, 12), c.name))
    drawn = ordered[:MAX_NODES]
    kept = {c.key for c in drawn}
    return SystemModel(level=level, containers=tuple(drawn),
                       connections=tuple(c for c in connections if c.source in kept and c.target in kept),
                       grouped=(*grouped, *(c.name for c in ordered[MAX_NODES:])))


def _external(containers: dict[str, Container], connections: list[Connection], owner: str | None, *, key: str,
              name: str, kind: str, protocol: str, via: str, ref: SourceRef, external: bool = True) -> None:
    if owner is None or owner not in containers:
        return
    containers.setdefault(key, Container(key=key, name=name, kind=kind, technology=name, external=external,
                                         source=ref))
    if not any(c.source == owner and c.target == key for c in connections):
        connections.append(Connection(source=owner, target=key, protocol=protocol, via=via, evidence=ref))


def _people(containers: dict[str, Container], connections: list[Connection], level: str) -> None:
    """The user reaches the entry points: proxies, else frontends, else the services nothing else calls."""
    if level == "components":
        return
    kinds = {c.kind for c in containers.values()}
    entry = "proxy" if "proxy" in kinds else ("frontend" if "frontend" in kinds else "service")
    called = {c.target for c in connections}
    entries = [c for c in containers.values() if c.kind == entry and (entry != "service" or c.key not in called)]
    if not entries:
        return
    containers["person:user"] = Container(key="person:user", name="User (browser)", kind="person", external=True)
    for container in entries:
        if container.source is not None:
            connections.append(Connection(source="person:user", target=container.key, protocol="HTTPS"
                                          if container.kind == "proxy" else "HTTP", via="entry point",
                                          evidence=container.source))


def _owner_of(path: str, containers: Mapping[str, Container], arch: ArchitectureFacts,
              members: Mapping[str, set[str]]) -> str | None:
    """The container whose code a file belongs to.

    The drawn package holding it, else the service built from its folder (the one service when there is only one).
    """
    if members:
        return next((k for k, files in members.items() if path in files and k in containers), None)
    folders = [(s.build.strip("./"), f"svc:{s.name}") for s in arch.services if s.build]
    matches = [(len(f), containers[k].kind == "service", k) for f, k in folders
               if k in containers and (not f or path.startswith(f + "/"))]
    if matches:
        return max(matches)[2]  # the deepest folder; a service before a worker built from the same code
    services = [k for k, c in containers.items() if c.kind == "service"]
    return services[0] if len(services) == 1 else None


def _externals(arch: ArchitectureFacts, containers: dict[str, Container], connections: list[Connection],
               level: str, members: Mapping[str, set[str]]) -> None:
    for tech in arch.technologies if level == "containers" else ():
        layer = tech.layer
        if layer not in _EXTERNAL_LAYERS:
            continue
        for ref in tech.evidence:
            owner = _owner_of(ref.path, containers, arch, members)
            if owner is not None:
                kind = "external" if layer in _EXTERNAL_LAYERS else ("database" if layer == "database" else "cache")
                protocol = "HTTPS" if layer in _EXTERNAL_LAYERS else ("SQL" if layer == "database" else "Redis")
                _external(containers, connections, owner, key=f"ext:{tech.name}", name=tech.name, kind=kind,
                          protocol=protocol, via=ref.path.rsplit("/", 1)[-1], ref=ref,
                          external=layer in _EXTERNAL_LAYERS)
                break
    mail_connected = any(containers.get(c.target, Container(key="", name="", kind="")).kind == "mail"
                         for c in connections)
    smtp = next((v for v in arch.env_vars if v.name.upper() in _SMTP_NAMES), None)
    if smtp is not None and not mail_connected:
        _external(containers, connections, _owner_of(smtp.source.path, containers, arch, members), key="ext:smtp",
                  name="SMTP server", kind="external", protocol="SMTP", via=smtp.name, ref=smtp.source)
