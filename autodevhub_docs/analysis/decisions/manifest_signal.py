# Signal 1: manifest diffs. A catalogued technology appears in, disappears from, or is swapped in a manifest,
# lockfile, compose file or CI configuration (read at every version by `sources/manifest_history.py`). Every
# version is read by the one manifest reader and named by the one catalog.
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from autodevhub_docs.analysis.catalog import (
    image_name,
    technologies_of_file,
    technology_of_dependency,
    technology_of_image,
)
from autodevhub_docs.analysis.decisions.drafts import MAX_FILES, Draft, bounded, place
from autodevhub_docs.analysis.decisions.vocabulary import CATEGORIES, scoped
from autodevhub_docs.model import Commit, ManifestChange
from autodevhub_docs.model.decisions import Evidence
from autodevhub_docs.parsing.formats import load_toml, load_yaml
from autodevhub_docs.sources.manifests import read_manifest

_LANGUAGE = {"pypi": "Python", "npm": "JavaScript"}
"""Manifest ecosystems whose language-specific roles are qualified (`Python test runner` vs `JavaScript ...`)."""


def _compose_images(text: str) -> list[str]:
    """Images of a compose file's services (compose v1 files list services at the top level)."""
    data = load_yaml(text).data
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        services = data if isinstance(data, dict) else {}
    return [s["image"] for s in services.values() if isinstance(s, dict) and isinstance(s.get("image"), str)]


def is_compose(path: str) -> bool:
    """Whether a path is a Docker Compose file."""
    name = path.rsplit("/", 1)[-1]
    return name.startswith(("docker-compose", "compose")) and name.endswith((".yml", ".yaml"))


@lru_cache(maxsize=8192)
def packages_in(path: str, text: str | None) -> frozenset[str]:
    """Names one version of a file declares: its dependencies (not `// indirect` ones) or its compose images."""
    if not text:
        return frozenset()
    if is_compose(path):
        return frozenset(image_name(i).rsplit("/", 1)[-1] for i in _compose_images(text))
    manifest = read_manifest(path, text)
    return frozenset(d.name for d in manifest.dependencies if d.scope != "indirect") if manifest else frozenset()


@lru_cache(maxsize=8192)
def _techs_of(path: str, text: str | None) -> frozenset[tuple[str, str]]:
    """(role, technology) pairs one version of one file shows; cached, as most versions repeat."""
    found: set[tuple[str, str]] = {(t.role, t.name) for t in technologies_of_file(path) if t.role in CATEGORIES}
    if not text:
        return frozenset(found)
    if is_compose(path):
        found.update((t.role, t.name) for image in _compose_images(text)
                     if (t := technology_of_image(image)) is not None and t.role in CATEGORIES)
        return frozenset(found)
    manifest = read_manifest(path, text)
    for dependency in manifest.dependencies if manifest else ():
        tech = technology_of_dependency(dependency)
        if tech is not None and dependency.scope != "indirect" and tech.role in CATEGORIES:
            found.add((scoped(tech.role, _LANGUAGE.get(dependency.ecosystem)), tech.name))
    if path.endswith("pyproject.toml"):
        tool = load_toml(text).data
        tool = tool.get("tool") if isinstance(tool, dict) else None
        if isinstance(tool, dict) and "poetry" in tool:
            found.add(("Python package manager", "Poetry"))
    return frozenset(found)


def _state(texts: dict[str, str | None]) -> dict[str, set[str]]:
    state: dict[str, set[str]] = {}
    for path, text in texts.items():
        for category, technology in _techs_of(path, text):
            state.setdefault(category, set()).add(technology)
    return state


def _describe(change: ManifestChange, before: str | None) -> str:
    if before is None and change.after is None:
        return f"{change.path}: " + {"A": "added", "D": "deleted"}.get(change.status, "changed")
    old, new = packages_in(change.path, before), packages_in(change.path, change.after)
    parts = []
    if change.status == "A":
        parts.append("added the file")
    elif change.status == "D":
        parts.append("deleted the file")
    if old - new:
        parts.append("removed " + ", ".join(sorted(old - new)[:8]))
    if new - old and change.status != "A":
        parts.append("added " + ", ".join(sorted(new - old)[:8]))
    return f"{change.path}: " + ("; ".join(parts) or "changed")


def _commit_evidence(commit: Commit | None, change: ManifestChange, lines: Sequence[str], web_url: str | None
                     ) -> Evidence:
    return Evidence(kind="commit", ref=change.sha, date=change.date[:10], title=change.subject,
                    author=change.author, url=f"{web_url}/commit/{change.sha}" if web_url else "",
                    body=bounded(commit.body if commit else ""), changes=tuple(lines),
                    files=commit.files[:MAX_FILES] if commit else ())


def manifest_drafts(changes: Sequence[ManifestChange], commits: dict[str, Commit], web_url: str | None
                    ) -> list[Draft]:
    """Drafts from the technologies each commit's manifest changes add or remove, role by role."""
    drafts: list[Draft] = []
    by_category: dict[str, list[Draft]] = {}
    texts: dict[str, str | None] = {}
    groups: list[list[ManifestChange]] = []
    for change in changes:
        if groups and groups[-1][0].sha == change.sha:
            groups[-1].append(change)
        else:
            groups.append([change])
    for group in groups:
        for change in group:  # history may start mid-way (capped): seed unknown files from their old version
            if change.path not in texts and change.status != "A":
                texts[change.path] = change.before
        before = _state(texts)
        lines = [_describe(c, texts.get(c.path)) for c in group]
        for change in group:
            if change.status == "D":
                texts.pop(change.path, None)
            else:
                texts[change.path] = change.after
        after = _state(texts)
        evidence = _commit_evidence(commits.get(group[0].sha), group[0], lines, web_url)
        for category in sorted(set(before) | set(after)):
            added = after.get(category, set()) - before.get(category, set())
            removed = before.get(category, set()) - after.get(category, set())
            if added or removed:
                place(drafts, by_category.setdefault(category, []), category, added=added, removed=removed,
                      present=before.get(category, set()), evidence=evidence)
    return drafts
