"""Frozen fact records that flow from the sources to the generators.

Records serialise with `to_jsonable`/`canonical_json` and have a stable `digest`.
"""

from __future__ import annotations

from autodevhub_docs.model.architecture import (
    ApiDocument,
    ArchitectureFacts,
    Component,
    Endpoint,
    Entity,
    EntityField,
    EnvVar,
    FrameworkReport,
    ImportEdge,
    ImportGraph,
    LanguageStat,
    MigrationSet,
    Principle,
    Relation,
    Script,
    Technology,
)
from autodevhub_docs.model.base import canonical_json, digest, from_jsonable, to_jsonable
from autodevhub_docs.model.base_refs import SourceRef
from autodevhub_docs.model.deployment import (
    ContainerImage,
    HelmChart,
    HostReference,
    Service,
    Workflow,
    WorkflowJob,
)
from autodevhub_docs.model.facts import RepoFacts
from autodevhub_docs.model.github import GitHubFacts, Issue, Milestone, PullRequest, Release
from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.model.repo import Commit, Contributor, FileInfo, HandWrittenAdr, ManifestChange, Tag
from autodevhub_docs.model.system import Connection, Container, SystemModel

__all__ = [
    "ApiDocument",
    "ArchitectureFacts",
    "Commit",
    "Component",
    "Connection",
    "Container",
    "ContainerImage",
    "Contributor",
    "Dependency",
    "Endpoint",
    "Entity",
    "EntityField",
    "EnvVar",
    "FileInfo",
    "FrameworkReport",
    "GitHubFacts",
    "HandWrittenAdr",
    "HelmChart",
    "HostReference",
    "ImportEdge",
    "ImportGraph",
    "Issue",
    "LanguageStat",
    "Manifest",
    "ManifestChange",
    "MigrationSet",
    "Milestone",
    "Principle",
    "PullRequest",
    "Relation",
    "Release",
    "RepoFacts",
    "Script",
    "Service",
    "SourceRef",
    "SystemModel",
    "Tag",
    "Technology",
    "Workflow",
    "WorkflowJob",
    "canonical_json",
    "digest",
    "from_jsonable",
    "to_jsonable",
]
