# What one version of one followed file shows a project uses: the technologies it declares or runs, their major
# versions, the compose services it defines and the environment variables it names. A tool "is in use" while any
# file declares it (a manifest, a lockfile, an image) or runs it (a CI step, a package.json script, a Dockerfile
# RUN line, a pre-commit hook).
from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from autodevhub_docs.analysis import catalog
from autodevhub_docs.analysis.catalog import Tech
from autodevhub_docs.analysis.decisions.vocabulary import CATEGORIES, scoped
from autodevhub_docs.parsing.formats import load_json, load_toml, load_yaml
from autodevhub_docs.sources.manifest_history import kind_of
from autodevhub_docs.sources.manifests import read_manifest

MAX_COMMANDS = 2000
"""Most command segments read per file (a hostile workflow cannot make the reading unbounded)."""
_LANGUAGE = {"pypi": "Python", "npm": "JavaScript"}
_RUNNERS = frozenset({"npx", "bunx", "pnpm", "yarn", "uv", "uvx", "poetry", "pipenv", "pdm", "python", "python3",
                      "npm", "bun", "hatch", "sudo", "exec", "time", "env", "nohup"})
_RUNNER_WORDS = frozenset({"run", "exec", "dlx", "x", "-m", "--", "env"})
_SEGMENT = re.compile(r"&&|\|\||[;|\n]")
_MAJOR = re.compile(r"^[\s^~>=<v!]*(\d+)")
_SHADCN_SCHEMA = "ui.shadcn.com"


@dataclass(frozen=True)
class FileUse:
    """What one version of one file shows."""

    techs: frozenset[tuple[str, str]] = frozenset()
    """(scoped role, technology) pairs it declares or runs, for the roles decision mining follows."""
    versions: frozenset[tuple[str, str]] = frozenset()
    """(technology, major version) pairs its dependency specs pin."""
    services: frozenset[str] = frozenset()
    """Compose services it defines that run the project's own code or a command (not a catalogued image)."""
    env: frozenset[str] = frozenset()
    """Environment variable names it sets or documents."""
    names: frozenset[str] = frozenset()
    """Package, image and tool names it lists, for describing a change (`removed requests; added httpx`)."""


def _pair(tech: Tech | None, language: str | None = None) -> tuple[str, str] | None:
    if tech is None or tech.role not in CATEGORIES:
        return None
    return scoped(tech.role, language or tech.language), tech.name


def programs(script: str) -> Iterator[str]:
    """The programs a shell script runs.

    The first word of each command, and what a runner (`npx`, `uv run`, `python -m`, `yarn`...) runs in turn.
    """
    for count, segment in enumerate(_SEGMENT.split(script)):
        if count >= MAX_COMMANDS:
            return
        try:
            words = shlex.split(segment, comments=True)
        except ValueError:
            words = segment.split()
        words = [w for w in words if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w)]
        position = 0
        while position < len(words):
            word = words[position]
            yield word
            if word.rsplit("/", 1)[-1] not in _RUNNERS:
                break
            position += 1
            while position < len(words) and (words[position] in _RUNNER_WORDS or words[position].startswith("-")):
                position += 1


def _from_programs(scripts: Iterable[str]) -> set[tuple[str, str]]:
    return {pair for script in scripts for program in programs(script)
            if (pair := _pair(catalog.technology_of_command(program))) is not None}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _manifest(path: str, text: str) -> FileUse:
    manifest = read_manifest(path, text)
    if manifest is None:
        return FileUse()
    direct = [d for d in manifest.dependencies if d.scope != "indirect"]
    techs: set[tuple[str, str]] = set()
    versions: set[tuple[str, str]] = set()
    for dependency in direct:
        pair, version = _dependency_use(dependency.ecosystem, dependency.name, dependency.spec)
        if pair is not None:
            techs.add(pair)
        if version is not None:
            versions.add(version)
    techs |= _from_programs(command for _, command in manifest.scripts)
    if path.endswith("pyproject.toml"):
        data = load_toml(text).data
        tool = data.get("tool") if isinstance(data, dict) else None
        if isinstance(tool, dict) and "poetry" in tool:
            techs.add(("Python package manager", "Poetry"))
    return FileUse(techs=frozenset(techs), versions=frozenset(versions), names=frozenset(d.name for d in direct))


@lru_cache(maxsize=4096)
def major_version(spec: str) -> str | None:
    """The major version a specifier pins or starts from (`^2.8.0`, `>=3.3,<4`, `~=1.4`, `v1.9.1` -> 2, 3, 1, 1)."""
    parts = [p.strip() for p in spec.replace("||", ",").split(",") if p.strip()]
    lower = [p for p in parts if not p.startswith(("<", "!="))] or parts
    match = _MAJOR.match(lower[0]) if lower else None
    return match.group(1) if match else None


@lru_cache(maxsize=8192)
def _dependency_use(ecosystem: str, name: str, spec: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """What one dependency shows: its (scoped role, technology) and its (technology, major version), each when known.

    Cached: a manifest's versions repeat most of their dependencies unchanged.
    """
    tech = catalog.technology_of_package(ecosystem, name)
    major = major_version(spec) if tech is not None else None
    return _pair(tech, _LANGUAGE.get(ecosystem)), ((tech.name, major) if tech is not None and major else None)


def _environment(value: Any) -> set[str]:
    if isinstance(value, Mapping):
        return {str(k) for k in value}
    return {item.split("=", 1)[0] for item in _strings(value)}


def _compose(text: str) -> FileUse:
    data = load_yaml(text).data
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):  # compose v1 files list services at the top level
        services = data if isinstance(data, dict) else {}
    techs, names, own, env = set(), set(), set(), set()
    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        image = service.get("image")
        tech = catalog.technology_of_image(image) if isinstance(image, str) else None
        if isinstance(image, str):
            names.add(catalog.image_name(image).rsplit("/", 1)[-1])
        pair = _pair(tech)
        if pair:
            techs.add(pair)
        elif tech is None and ("build" in service or "command" in service):
            own.add(str(name))
        env |= _environment(service.get("environment"))
    return FileUse(techs=frozenset(techs), services=frozenset(own), env=frozenset(env), names=frozenset(names))


def _workflow(text: str) -> FileUse:
    data = load_yaml(text).data
    scripts: list[str] = []
    techs: set[tuple[str, str]] = set()
    jobs = data.get("jobs") if isinstance(data, dict) else None
    for job in (jobs or {}).values() if isinstance(jobs, dict) else ():
        if not isinstance(job, dict):
            continue
        for step in job.get("steps") or [] if isinstance(job.get("steps"), list) else []:
            if isinstance(step, dict):
                scripts += _strings(step.get("run"))
                uses = step.get("uses")
                pair = _pair(catalog.technology_of_action(uses)) if isinstance(uses, str) else None
                if pair:
                    techs.add(pair)
    if isinstance(data, dict) and not jobs:  # GitLab CI: every top-level job lists `script` lines
        for job in data.values():
            if isinstance(job, dict):
                for key in ("before_script", "script", "after_script"):
                    scripts += _strings(job.get(key))
    techs |= _from_programs(scripts)
    return FileUse(techs=frozenset(techs))


def _precommit(text: str) -> FileUse:
    data = load_yaml(text).data
    repos = data.get("repos") if isinstance(data, dict) else None
    hooks = [str(h.get("id")) for r in repos if isinstance(r, dict) for h in r.get("hooks") or []
             if isinstance(h, dict)] if isinstance(repos, list) else []
    techs = {pair for hook in hooks if (pair := _pair(catalog.technology_of_command(hook))) is not None}
    return FileUse(techs=frozenset(techs), names=frozenset(hooks))


def _dockerfile(text: str) -> FileUse:
    techs: set[tuple[str, str]] = set()
    scripts: list[str] = []
    logical = text.replace("\\\n", " ").split("\n")
    for line in logical[:MAX_COMMANDS]:
        words = line.strip().split(None, 1)
        if len(words) < 2:
            continue
        instruction, rest = words[0].upper(), words[1]
        if instruction == "FROM":
            image = next((w for w in rest.split() if not w.startswith("--")), "")
            pair = _pair(catalog.technology_of_image(image))
            if pair:
                techs.add(pair)
        elif instruction in ("RUN", "CMD", "ENTRYPOINT"):
            scripts.append(rest.strip("[]").replace('", "', " ").replace('"', ""))
    return FileUse(techs=frozenset(techs | _from_programs(scripts)))


def _components(text: str) -> FileUse:
    data = load_json(text).data
    schema = data.get("$schema") if isinstance(data, dict) else None
    if isinstance(schema, str) and _SHADCN_SCHEMA in schema:
        pair = _pair(catalog.technology("shadcn/ui"))
        return FileUse(techs=frozenset({pair} if pair else ()))
    return FileUse()


@lru_cache(maxsize=16384)
def use_of(path: str, text: str | None) -> FileUse:
    """What one version of a followed file shows (cached: most versions repeat across the history).

    Args:
        path: Repository-relative path (selects the reader).
        text: The file's text at that version ('' for presence-only files; None when it does not exist).
    """
    if text is None:
        return FileUse()
    kind = kind_of(path)
    by_file = {pair for tech in catalog.technologies_of_file(path) if (pair := _pair(tech)) is not None}
    readers = {"manifest": lambda: _manifest(path, text), "compose": lambda: _compose(text),
               "workflow": lambda: _workflow(text), "gitlab": lambda: _workflow(text),
               "precommit": lambda: _precommit(text), "dockerfile": lambda: _dockerfile(text),
               "components": lambda: _components(text),
               "env": lambda: FileUse(env=frozenset(n for n in text.split("\n") if n))}
    found = readers[kind]() if kind in readers else FileUse()
    return FileUse(techs=found.techs | by_file, versions=found.versions, services=found.services, env=found.env,
                   names=found.names)
