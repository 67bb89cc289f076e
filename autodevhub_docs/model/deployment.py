# Facts about how the repository is built and run: Dockerfiles, compose services, Kubernetes workloads, Helm charts,
# Procfile processes and CI workflows (see `analysis/deployment.py`).
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model.base_refs import SourceRef


@dataclass(frozen=True, kw_only=True, slots=True)
class ContainerImage:
    """A Dockerfile: its base images and exposed ports."""

    path: str
    """Dockerfile path."""
    bases: tuple[str, ...] = ()
    """Base images of every stage (FROM), in order."""
    ports: tuple[str, ...] = ()
    """EXPOSEd ports."""
    line: int | None = None
    """Line of the first FROM."""


@dataclass(frozen=True, kw_only=True, slots=True)
class HostReference:
    """A host a service's configuration names: in a URL (`postgresql://app@db:5432/app`) or a `*_HOST` value.

    Credentials are never kept: only the variable, the scheme, the host and the port.
    """

    variable: str
    """Environment variable (or label) that names it."""
    scheme: str
    """URL scheme (`postgresql`, `redis`, `http`...), or '' for a bare host value."""
    host: str
    """Host name, lower case."""
    port: str = ""
    """Port, when given."""
    line: int | None = None
    """Line of the declaration."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Service:
    """A deployable service: a compose service, a Kubernetes workload or a Procfile process."""

    name: str
    """Service name."""
    kind: str
    """compose, kubernetes (with its Kind), helm or procfile."""
    source: SourceRef
    """Where it is declared (first file when overrides add to it)."""
    image: str | None = None
    """Image reference."""
    build: str | None = None
    """Build context, when built from the repository."""
    ports: tuple[str, ...] = ()
    """Published ports."""
    depends_on: tuple[str, ...] = ()
    """Services it depends on."""
    volumes: tuple[str, ...] = ()
    """Mounted volumes."""
    networks: tuple[str, ...] = ()
    """Networks it joins."""
    command: str | None = None
    """Command, for Procfile processes."""
    files: tuple[str, ...] = ()
    """Every file that defines or overrides it."""
    hosts: tuple[HostReference, ...] = ()
    """Hosts its environment names (other services, databases, mail servers, external APIs)."""
    routes: tuple[tuple[str, int], ...] = ()
    """Reverse-proxy routing rules its labels declare (Traefik `Host(...)` rules), with their line."""
    labels: tuple[tuple[str, str], ...] = ()
    """Pod labels of a Kubernetes workload."""
    selector: tuple[tuple[str, str], ...] = ()
    """Labels a Kubernetes Service selects."""


@dataclass(frozen=True, kw_only=True, slots=True)
class WorkflowJob:
    """One job of a CI workflow."""

    name: str
    """Job id."""
    runs_on: str = ""
    """Runner label."""
    purposes: tuple[str, ...] = ()
    """What it does: test, lint, type-check, build, deploy, publish, docs."""
    commands: tuple[str, ...] = ()
    """`run` commands and `uses` actions, shortened."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Workflow:
    """A CI/CD workflow."""

    path: str
    """Workflow file."""
    name: str
    """Its `name`, else the file name."""
    triggers: tuple[str, ...] = ()
    """Events that start it (push, pull_request, schedule, ...)."""
    jobs: tuple[WorkflowJob, ...] = ()
    """Jobs in order."""


@dataclass(frozen=True, kw_only=True, slots=True)
class HelmChart:
    """A Helm chart."""

    name: str
    """Chart name."""
    path: str
    """Chart.yaml path."""
    version: str = ""
    """Chart version."""
