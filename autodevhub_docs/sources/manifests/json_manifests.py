# JSON manifests: package.json (npm, Yarn, pnpm, Bun; workspaces; dev, peer and optional dependencies; scripts)
# and composer.json (PHP: require, require-dev, scripts).
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.parsing.formats import load_json
from autodevhub_docs.sources.manifests.lines import LineFinder

_NPM_SECTIONS = (("dependencies", "runtime"), ("peerDependencies", "runtime"), ("optionalDependencies", "runtime"),
                 ("devDependencies", "dev"))
_COMPOSER_SECTIONS = (("require", "runtime"), ("require-dev", "dev"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _read(path: str, text: str, ecosystem: str, sections: tuple[tuple[str, str], ...]) -> tuple[Manifest, Any]:
    loaded = load_json(text)
    if loaded.problem or not isinstance(loaded.data, Mapping):
        return Manifest(path=path, ecosystem=ecosystem, problem=loaded.problem or "not a JSON object"), None
    data = loaded.data
    finder = LineFinder(text)
    found = []
    for section, scope in sections:
        start = finder.line_of(f'"{section}"', default=1)
        for name, spec in _mapping(data.get(section)).items():
            if ecosystem == "composer" and (name == "php" or name.startswith(("ext-", "lib-"))):
                continue  # the platform, not a package
            found.append(Dependency(ecosystem=ecosystem, name=str(name).lower() if ecosystem == "composer" else
                                    str(name), spec=spec if isinstance(spec, str) else "", scope=scope, path=path,
                                    line=finder.line_of(f'"{name}"', start), group=section))
    scripts = tuple((str(k), v if isinstance(v, str) else " && ".join(str(i) for i in v if isinstance(i, str)))
                    for k, v in _mapping(data.get("scripts")).items() if isinstance(v, (str, list)))
    manifest = Manifest(path=path, ecosystem=ecosystem, name=str(data.get("name") or ""),
                        description=str(data.get("description") or ""), dependencies=tuple(found), scripts=scripts)
    return manifest, data


def package_json(path: str, text: str) -> Manifest:
    """Read a package.json."""
    manifest, data = _read(path, text, "npm", _NPM_SECTIONS)
    if data is None:
        return manifest
    workspaces = data.get("workspaces")
    if isinstance(workspaces, Mapping):  # Yarn 1: {"packages": [...]}
        workspaces = workspaces.get("packages")
    globs = tuple(str(w) for w in workspaces if isinstance(w, str)) if isinstance(workspaces, list) else ()
    return Manifest(path=manifest.path, ecosystem=manifest.ecosystem, name=manifest.name,
                    description=manifest.description, dependencies=manifest.dependencies, scripts=manifest.scripts,
                    workspaces=globs)


def composer_json(path: str, text: str) -> Manifest:
    """Read a composer.json."""
    return _read(path, text, "composer", _COMPOSER_SECTIONS)[0]
