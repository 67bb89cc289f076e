"""Frozen fact records that flow from the sources to the generators.

Records serialise with `to_jsonable`/`canonical_json` and have a stable `digest`.
"""

from __future__ import annotations

from autodevhub_docs.model.architecture import (
    ApiDocument,
    ArchitectureFacts,
    Component,
    ContainerImage,
    Endpoint,
    Entity,
    EntityField,
    EnvVar,
    FrameworkReport,
    HelmChart,
    ImportEdge,
    ImportGraph,
    LanguageStat,
    MigrationSet,
    Principle,
    Relation,
    Script,
    Service,
    SourceRef,
    Technology,
    Workflow,
    WorkflowJob,
)
from autodevhub_docs.model.base import canonical_json, digest, from_jsonable, to_jsonable
from autodevhub_docs.model.facts import RepoFacts
from autodevhub_docs.model.github import GitHubFacts, Issue, Milestone, PullRequest, Release
from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.model.repo import Commit, Contributor, FileInfo, HandWrittenAdr, ManifestChange, Tag

__all__ = [
    "ApiDocument",
    "ArchitectureFacts",
    "Commit",
    "Component",
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
    "Tag",
    "Technology",
    "Workflow",
    "WorkflowJob",
    "canonical_json",
    "digest",
    "from_jsonable",
    "to_jsonable",
]
