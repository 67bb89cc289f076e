# Reads `catalog.toml`, the one technology table, and answers what a dependency, import, image, connection-string
# scheme, file or sentence means. Lookups are dictionary hits; prefix patterns and the sentence matcher are
# compiled once per process.
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from typing import Any

from autodevhub_docs.model.manifests import Dependency
from autodevhub_docs.parsing.formats import load_toml

ECOSYSTEM_KEYS = ("pypi", "npm", "go", "gem", "maven", "composer", "nuget", "cargo", "gradle_plugin")
"""Columns of the catalog that hold package names, by ecosystem."""
_ECOSYSTEM_OF_DEPENDENCY = {"rubygems": "gem", "gradle-plugin": "gradle_plugin"}
SHOWN_LAYERS = ("frontend", "backend", "database", "cache", "queue", "ai", "deployment", "test", "lint")
"""Layers the architecture overview shows; `library`, `tooling` and `language` entries are known but not shown."""


@dataclass(frozen=True)
class Tech:
    """One catalogued technology."""

    name: str
    """Display name."""
    layer: str
    """Where it sits (see `SHOWN_LAYERS`)."""
    role: str
    """The slot it fills (`web framework`, `ORM`, `HTTP client`...)."""
    ambiguous: bool = False
    """Its name is an ordinary word: a sentence names it only beside another technology of its role."""
    implies: tuple[str, ...] = ()
    """Technologies it is built on."""
    order: int = 0
    """Position in the catalog (pages list technologies in catalog order)."""
    ecosystems: tuple[str, ...] = ()
    """Catalog columns that list packages of it (`pypi`, `npm`...)."""

    @property
    def language(self) -> str | None:
        """`Python` or `JavaScript` when its packages come from only one of the two ecosystems, else None."""
        if "pypi" in self.ecosystems and "npm" not in self.ecosystems:
            return "Python"
        if "npm" in self.ecosystems and "pypi" not in self.ecosystems:
            return "JavaScript"
        return None


@dataclass(frozen=True)
class _Catalog:
    techs: Mapping[str, Tech]
    exact: Mapping[tuple[str, str], Tech]
    prefixes: Mapping[str, tuple[tuple[str, Tech], ...]]
    imports: Mapping[str, Tech]
    images: Mapping[str, Tech]
    schemes: Mapping[str, Tech]
    files: tuple[tuple[str, Tech], ...]
    commands: Mapping[str, Tech]
    actions: Mapping[str, Tech]


def normalise(ecosystem: str, name: str) -> str:
    """Compare names the way the ecosystem does: PyPI folds case and `-_.`; npm scopes stay; others fold case."""
    name = name.strip()
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name.lower())
    return name.lower()


def _load() -> _Catalog:
    text = resources.files("autodevhub_docs.analysis").joinpath("catalog.toml").read_text(encoding="utf-8")
    loaded = load_toml(text)
    if loaded.problem:  # pragma: no cover - the shipped file is tested
        raise RuntimeError(f"catalog.toml is broken: {loaded.problem}")
    techs: dict[str, Tech] = {}
    exact: dict[tuple[str, str], Tech] = {}
    prefixes: dict[str, list[tuple[str, Tech]]] = {}
    imports: dict[str, Tech] = {}
    images: dict[str, Tech] = {}
    schemes: dict[str, Tech] = {}
    files: list[tuple[str, Tech]] = []
    commands: dict[str, Tech] = {}
    actions: dict[str, Tech] = {}
    rows: Mapping[str, Any] = loaded.data["technologies"]
    for order, (name, row) in enumerate(rows.items()):
        tech = Tech(name=name, layer=row["layer"], role=row["role"], ambiguous=bool(row.get("ambiguous")),
                    implies=tuple(row.get("implies", ())), order=order,
                    ecosystems=tuple(k for k in ECOSYSTEM_KEYS if row.get(k)))
        techs[name] = tech
        for key in ECOSYSTEM_KEYS:
            for package in row.get(key, ()):
                if package.endswith("*"):
                    prefixes.setdefault(key, []).append((normalise(key, package[:-1]), tech))
                else:
                    exact.setdefault((key, normalise(key, package)), tech)
        for module in row.get("import", ()):
            imports.setdefault(module, tech)
        for image in row.get("image", ()):
            images.setdefault(image.lower(), tech)
        for scheme in row.get("url", ()):
            schemes.setdefault(scheme.lower(), tech)
        files.extend((glob, tech) for glob in row.get("file", ()))
        commands.update((command, tech) for command in row.get("command", ()))
        actions.update((action.lower(), tech) for action in row.get("action", ()))
    return _Catalog(techs=techs, exact=exact, prefixes={k: tuple(v) for k, v in prefixes.items()}, imports=imports,
                    images=images, schemes=schemes, files=tuple(files), commands=commands, actions=actions)


@lru_cache(maxsize=1)
def catalog() -> _Catalog:
    """The catalog, read once per process."""
    return _load()


def technology(name: str) -> Tech | None:
    """The catalogued technology with this display name."""
    return catalog().techs.get(name)


def technologies() -> tuple[Tech, ...]:
    """Every catalogued technology, in catalog order."""
    return tuple(catalog().techs.values())


@lru_cache(maxsize=65536)
def technology_of_package(ecosystem: str, name: str) -> Tech | None:
    """The technology a package of an ecosystem is (`pypi`, `fastapi` -> FastAPI), or None.

    Args:
        ecosystem: A manifest ecosystem (`pypi`, `npm`, `rubygems`, `maven`...) or a catalog column name.
        name: The package name.
    """
    key = _ECOSYSTEM_OF_DEPENDENCY.get(ecosystem, ecosystem)
    wanted = normalise(key, name)
    data = catalog()
    hit = data.exact.get((key, wanted))
    if hit is not None:
        return hit
    return next((tech for prefix, tech in data.prefixes.get(key, ()) if wanted.startswith(prefix)), None)


def technology_of_dependency(dependency: Dependency) -> Tech | None:
    """The technology a manifest dependency is, or None when it is not catalogued."""
    return technology_of_package(dependency.ecosystem, dependency.name)


def technology_of_import(module: str) -> Tech | None:
    """The technology a top-level Python module or a JS package specifier is, or None."""
    return catalog().imports.get(module)


def image_name(image: str) -> str:
    """An image reference without registry, tag or digest: `docker.io/bitnami/postgresql:16` -> `bitnami/postgresql`.

    A first part with a dot or a port, or `localhost`, is a registry host; `library/` is Docker Hub's default owner.
    """
    name = image.strip().split("@", 1)[0]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "library":
        parts = parts[1:]
    last = parts[-1].split(":", 1)[0]
    return "/".join([*parts[:-1], last]).lower()


def technology_of_image(image: str) -> Tech | None:
    """The technology a container image runs (`postgres:16-alpine` -> PostgreSQL), or None."""
    name = image_name(image)
    images = catalog().images
    return images.get(name) or images.get(name.rsplit("/", 1)[-1]) if "/" in name else images.get(name)


def technology_of_scheme(scheme: str) -> Tech | None:
    """The technology a connection-string scheme names (`postgresql+asyncpg` -> PostgreSQL, `jdbc:sqlite`), or None."""
    lowered = scheme.lower()
    schemes = catalog().schemes
    return schemes.get(lowered) or schemes.get(lowered.split("+", 1)[0])


def technology_of_command(program: str) -> Tech | None:
    """The technology an executable is (`pytest`, `npx` -> npm, `ruff-format` hook id -> Ruff), or None."""
    return catalog().commands.get(program.rsplit("/", 1)[-1])


def technology_of_action(uses: str) -> Tech | None:
    """The technology a GitHub Action sets up (`pnpm/action-setup@v4` -> pnpm), or None."""
    return catalog().actions.get(uses.split("@", 1)[0].lower())


@lru_cache(maxsize=65536)
def technologies_of_file(path: str) -> tuple[Tech, ...]:
    """The technologies whose presence a file shows (a lockfile, a tool's config file, a CI file)."""
    name = path.rsplit("/", 1)[-1]
    return tuple(dict.fromkeys(tech for glob, tech in catalog().files
                               if fnmatchcase(path if "/" in glob else name, glob)))


@lru_cache(maxsize=1)
def _sentence_matcher() -> tuple[re.Pattern[str], Mapping[str, Tech]]:
    """One compiled alternation of every name a sentence may use for a technology, longest first."""
    names: dict[str, Tech] = {}
    data = catalog()
    for (key, package), tech in data.exact.items():
        if len(package) > 2 and key != "maven":
            names.setdefault(package, tech)
    for tech in data.techs.values():
        names.setdefault(tech.name.lower(), tech)
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w@/.-])(?:{alternatives})(?![\w/-])"), names


def technologies_named_in(text: str) -> list[Tech]:
    """The catalogued technologies a sentence names (by package or display name), in catalog order.

    Ordinary words that are also package names (`requests`, `express`, `black`) count only when the sentence names
    another technology of the same role (`replace requests with httpx`).
    """
    pattern, names = _sentence_matcher()
    found = {names[m.group(0)].name: names[m.group(0)] for m in pattern.finditer(text.lower())}
    sure = {t.role for t in found.values() if not t.ambiguous}
    kept = [t for t in found.values() if not t.ambiguous or t.role in sure]
    return sorted(kept, key=lambda t: t.order)


def names(techs: Iterable[Tech]) -> list[str]:
    """Display names, in the given order."""
    return [t.name for t in techs]
