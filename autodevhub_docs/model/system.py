# The system model: the containers of a system and who talks to whom, each with the file and line that shows it
# (see `analysis/system/`). For a library or CLI with nothing deployable, the containers are its packages.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model.base_refs import SourceRef


@dataclass(frozen=True, kw_only=True, slots=True)
class Container:
    """Something that runs (a service, a data store, a proxy), a package of a library, or who uses the system."""

    key: str
    """Unique key within the model."""
    name: str
    """Display name."""
    kind: str
    """person, proxy, frontend, service, worker, database, cache, queue, mail, admin, external, package or tool."""
    technology: str = ""
    """What it is built with or runs (PostgreSQL, Traefik, FastAPI...)."""
    external: bool = False
    """Outside the system boundary (a person, an external API, a CLI the code calls)."""
    source: SourceRef | None = None
    """Where it is declared."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Connection:
    """One container talking to another."""

    source: str
    """Key of the container that starts the exchange."""
    target: str
    """Key of the container it reaches."""
    protocol: str
    """HTTP, HTTPS, SQL, SMTP, AMQP, Redis, MongoDB, Kafka, CLI, or `imports` between packages."""
    via: str
    """What shows it: `depends_on`, a variable (`DATABASE_URL`), a proxy rule, an import count..."""
    evidence: SourceRef
    """File and line that show it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SystemModel:
    """Containers and connections, ready to be drawn."""

    level: str = "none"
    """`containers` (deployable services found), `components` (a library or CLI: its packages), or `none`."""
    containers: tuple[Container, ...] = ()
    """Every container, in reading order (person, entry points, services, data stores, externals)."""
    connections: tuple[Connection, ...] = ()
    """Every connection, each with its evidence."""
    grouped: tuple[str, ...] = ()
    """Names of containers left out of the drawing to keep it readable (listed beside it)."""
