# Spring Boot's externalised configuration as the analysis needs it: `application.properties` and
# `application.yml` (and their `application-<profile>` variants, and profile documents inside one file), with the
# file and line of every setting. Keys are compared the way Spring's relaxed binding does (`context-path`,
# `contextPath` and `context_path` are one key). Used for the global path prefixes and the datasource URL.
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.parsing.formats import load_yaml

_CONFIG = re.compile(r"application(?:-([\w.-]+))?\.(properties|ya?ml)")
_PLACEHOLDER = re.compile(r"\$\{([^}:]+)(?::([^}]*))?\}")
_PROFILE_KEYS = ("spring.config.activate.onprofile", "spring.profiles")


@dataclass(frozen=True)
class Setting:
    """One configuration property."""

    key: str
    """Canonical key: lower case, without `-` and `_` (`server.servlet.contextpath`)."""
    value: str
    """Raw value."""
    path: str
    """File it is set in."""
    line: int
    """1-based line."""
    profile: str = ""
    """Profile it applies to ('' for the default)."""


def canonical(key: str) -> str:
    """A property key as relaxed binding compares it."""
    return key.strip().lower().replace("-", "").replace("_", "")


def module_root(path: str) -> str:
    """The folder of the module a file belongs to.

    That is what precedes `src/` (`svc/src/main/...` -> `svc/`), else the file's folder without a trailing
    `config/` (Spring also reads `./config/application.yml`).
    """
    padded = "/" + path
    if "/src/" in padded:
        return padded[1:padded.index("/src/") + 1]
    folder = str(PurePosixPath(path).parent)
    folder = "" if folder == "." else folder + "/"
    return folder.removesuffix("config/")


def _properties(text: str) -> Iterator[tuple[int, str, str, bool]]:
    """(line, key, value, starts a new document) of a `.properties` file (java.util.Properties syntax)."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        start = index
        raw = lines[index].lstrip()
        index += 1
        if raw.rstrip() in ("#---", "!---"):
            yield start + 1, "", "", True
            continue
        if not raw or raw[0] in "#!":
            continue
        while raw.endswith("\\") and not raw.endswith("\\\\") and index < len(lines):
            raw = raw[:-1] + lines[index].lstrip()
            index += 1
        end = 0
        while end < len(raw) and raw[end] not in "=: \t":
            end += 2 if raw[end] == "\\" else 1
        key = raw[:end].replace("\\", "")
        rest = raw[end:].lstrip(" \t")
        rest = rest[1:] if rest[:1] in ("=", ":") else rest
        yield start + 1, key, rest.strip(), False


def _yaml_documents(text: str) -> Iterator[list[tuple[int, str, str]]]:
    """Each YAML document as (line, dotted key, scalar value); lists are indexed `key[0]`.

    The text has already passed `load_yaml`'s size, depth and alias limits.
    """
    for document in yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        found: list[tuple[int, str, str]] = []
        stack: list[tuple[str, Any]] = [("", document)] if document is not None else []
        while stack:
            prefix, node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                stack.extend((f"{prefix}.{k.value}" if prefix else str(k.value), v) for k, v in reversed(node.value)
                             if isinstance(k, yaml.ScalarNode))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((f"{prefix}[{i}]", v) for i, v in reversed(list(enumerate(node.value))))
            elif isinstance(node, yaml.ScalarNode):
                found.append((node.start_mark.line + 1, prefix, str(node.value)))
        yield found


def _documents(path: str, text: str) -> Iterator[list[tuple[int, str, str]]]:
    if path.endswith(".properties"):
        current: list[tuple[int, str, str]] = []
        for line, key, value, new_document in _properties(text):
            if new_document:
                yield current
                current = []
            else:
                current.append((line, key, value))
        yield current
    else:
        yield from _yaml_documents(text)


def settings(code: Codebase) -> tuple[list[Setting], list[str]]:
    """Every property of every Spring Boot configuration file, and the files that could not be read.

    Args:
        code: The codebase.
    """
    found: list[Setting] = []
    problems: list[str] = []
    for path in code.source_files(".properties", ".yml", ".yaml"):
        match = _CONFIG.fullmatch(path.rsplit("/", 1)[-1])
        if match is None:
            continue
        text = code.text(path)
        if text is None:
            problems.append(f"{path}: could not be read")
            continue
        problem = "" if path.endswith(".properties") else load_yaml(text, all_documents=True).problem
        if problem:
            problems.append(f"{path}: {problem}")
            continue
        for document in _documents(path, text):
            keyed = [(line, canonical(key), value) for line, key, value in document]
            profile = match.group(1) or next((v for _, k, v in keyed if k in _PROFILE_KEYS), "")
            found.extend(Setting(key=key, value=value, path=path, line=line, profile=profile)
                         for line, key, value in keyed)
    return found, problems


def _resolve(value: str, known: dict[str, str], depth: int = 0) -> str | None:
    """A value with its `${name:default}` placeholders replaced, or None when one cannot be known."""
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        name, default = canonical(match.group(1)), match.group(2)
        if name in known and depth < 8:
            inner = _resolve(known[name], known, depth + 1)
            if inner is not None:
                return inner
        if default is None:
            missing = True
            return ""
        return default

    resolved = _PLACEHOLDER.sub(replace, value)
    return None if missing else resolved


def config_root(all_settings: list[Setting], path: str) -> str | None:
    """The module folder whose configuration applies to a source file (None when no configuration does).

    Every `effective` value of a file depends on the file only through this folder.

    Args:
        all_settings: What `settings` read.
        path: A source file.
    """
    roots = {module_root(s.path) for s in all_settings}
    return max((r for r in roots if path.startswith(r)), key=len, default=None)


def effective(all_settings: list[Setting], path: str, key: str) -> Setting | None:
    """The value a property has for a source file, placeholders resolved (None when they cannot be).

    It comes from the module's default configuration, overridden by the profiles `spring.profiles.active` names.

    Args:
        all_settings: What `settings` read.
        path: A source file (its module's configuration applies).
        key: Canonical key.
    """
    root = config_root(all_settings, path)
    if root is None:
        return None
    mine = [s for s in all_settings if module_root(s.path) == root]
    defaults = {s.key: s.value for s in mine if not s.profile}
    active_list = _resolve(defaults.get("spring.profiles.active", ""), defaults) or ""
    active = [p.strip() for p in active_list.split(",") if p.strip()]
    chosen = next((s for s in reversed(mine) if s.key == key and not s.profile), None)
    for profile in active:
        chosen = next((s for s in reversed(mine) if s.key == key and profile in _profiles(s.profile)), chosen)
    if chosen is None:
        return None
    value = _resolve(chosen.value, {**defaults, **{s.key: s.value for s in mine if s.profile in active}})
    return None if value is None else Setting(key=key, value=value, path=chosen.path, line=chosen.line,
                                              profile=chosen.profile)


def _profiles(expression: str) -> set[str]:
    """The profiles a profile expression names (`dev | test`, `dev,local`)."""
    return {p.strip("!() ") for p in re.split(r"[|&,]", expression) if p.strip("!() ")}
