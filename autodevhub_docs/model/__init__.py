"""Frozen fact records that flow from the sources to the generators.

Records serialise with `to_jsonable`/`canonical_json` and have a stable `digest`.
"""

from __future__ import annotations

from autodevhub_docs.model.architecture import ArchitectureFacts, Component, LanguageStat
from autodevhub_docs.model.base import canonical_json, digest, from_jsonable, to_jsonable
from autodevhub_docs.model.facts import RepoFacts
from autodevhub_docs.model.github import GitHubFacts, Issue, Milestone, PullRequest, Release
from autodevhub_docs.model.repo import Commit, Contributor, FileInfo, HandWrittenAdr, ManifestChange, Tag

__all__ = [
    "ArchitectureFacts",
    "Commit",
    "Component",
    "Contributor",
    "FileInfo",
    "GitHubFacts",
    "HandWrittenAdr",
    "Issue",
    "LanguageStat",
    "ManifestChange",
    "Milestone",
    "PullRequest",
    "Release",
    "RepoFacts",
    "Tag",
    "canonical_json",
    "digest",
    "from_jsonable",
    "to_jsonable",
]
