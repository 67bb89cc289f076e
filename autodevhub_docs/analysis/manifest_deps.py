# Dependency names (and compose service images) from one version of a manifest. Tolerant by design: an old or
# broken version yields what can be read, never an exception.
from __future__ import annotations

import re
from pathlib import PurePosixPath

from autodevhub_docs.parsing.formats import load_json, load_yaml

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_QUOTED = re.compile(r"""["']([A-Za-z0-9@][A-Za-z0-9._/@-]*)""")
_TOML_HEADER = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=")
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/[^\s]+)\s+v", re.M)
_GEM = re.compile(r"""^\s*gem\s+["']([^"']+)""", re.M)


def _requirements(text: str) -> set[str]:
    names = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(("-", "git+", "http://", "https://", "file:")):
            continue
        match = _REQ_NAME.match(line)
        if match:
            names.add(match.group(1))
    return names


def _pyproject(text: str) -> set[str]:
    """Read PEP 621 dependency arrays and Poetry dependency tables without a TOML parser (works on 3.10)."""
    names: set[str] = set()
    table = ""
    in_array = False
    for line in text.splitlines():
        header = _TOML_HEADER.match(line)
        if header:
            table, in_array = header.group(1).strip(), False
            continue
        stripped = line.split("#", 1)[0].strip()
        if table.startswith("tool.poetry") and table.endswith("dependencies"):
            key = _TOML_KEY.match(stripped)
            if key and key.group(1).lower() != "python":
                names.add(key.group(1))
            continue
        if table == "project" or table.startswith(("project.optional-dependencies", "dependency-groups")):
            starts = re.match(r"^([A-Za-z0-9_-]+)\s*=\s*\[", stripped)
            if starts and (table != "project" or starts.group(1) == "dependencies"):
                in_array = True
                stripped = stripped[starts.end():]
            if in_array:
                for item in _QUOTED.findall(stripped):
                    names.add(re.split(r"[\s<>=!~;\[(]", item, maxsplit=1)[0])
                if "]" in stripped:
                    in_array = False
    return names


def _toml_table_keys(text: str, suffixes: tuple[str, ...]) -> set[str]:
    names, table = set(), ""
    for line in text.splitlines():
        header = _TOML_HEADER.match(line)
        if header:
            table = header.group(1).strip()
            continue
        key = _TOML_KEY.match(line)
        if key and table.endswith(suffixes):
            names.add(key.group(1))
    return names


def _package_json(text: str) -> set[str]:
    data = load_json(text).data  # an unreadable version has no dependencies
    names: set[str] = set()
    if isinstance(data, dict):
        for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
            section = data.get(key)
            if isinstance(section, dict):
                names.update(str(k) for k in section)
    return names


def _compose(text: str) -> set[str]:
    data = load_yaml(text).data  # bounded: an old version may be an alias bomb
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):  # compose v1 files list services at the top level
        services = data if isinstance(data, dict) else {}
    images = set()
    for service in services.values():
        if isinstance(service, dict) and isinstance(service.get("image"), str):
            images.add(image_name(service["image"]))
    return images


def image_name(image: str) -> str:
    """Reduce an image reference to its base name: `docker.io/bitnami/postgresql:16` -> `postgresql`."""
    base = image.split("@", 1)[0]
    last = base.rsplit("/", 1)[-1]
    return last.split(":", 1)[0].lower()


def packages_in(path: str, text: str | None) -> set[str]:  # noqa: PLR0911 - one return per format
    """Return the dependency names (or, for compose files, service image names) a manifest version lists.

    Args:
        path: Repository-relative path (selects the format).
        text: The file's text, or None when the file does not exist in that version.
    """
    if not text:
        return set()
    name = PurePosixPath(path).name
    if name.startswith("requirements") or PurePosixPath(path).parent.name == "requirements":
        return _requirements(text)
    if name == "pyproject.toml":
        return _pyproject(text)
    if name == "package.json":
        return _package_json(text)
    if name.startswith(("docker-compose", "compose")):
        return _compose(text)
    if name in ("Pipfile", "Cargo.toml"):
        return _toml_table_keys(text, ("packages", "dependencies"))
    if name == "go.mod":
        return set(_GO_REQUIRE.findall(text))
    if name == "Gemfile":
        return set(_GEM.findall(text))
    return set()
