"""The one manifest reader: every dependency manifest, read with a real parser of its format.

`read_manifest(path, text)` returns a `Manifest` whose `Dependency` records (ecosystem, name, spec, scope, path,
line) every consumer uses: technologies, decision mining, the development pages and the project summary.
A broken file never raises: its `problem` says what is wrong and the dependencies are what could be read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from autodevhub_docs.model.manifests import Manifest
from autodevhub_docs.sources.manifests import go_cargo, gradle, json_manifests, python, ruby, xml_manifests

Reader = Callable[[str, str], Manifest]

_BY_NAME: dict[str, Reader] = {
    "pyproject.toml": python.pyproject,
    "setup.cfg": python.setup_cfg,
    "setup.py": python.setup_py,
    "Pipfile": python.pipfile,
    "package.json": json_manifests.package_json,
    "composer.json": json_manifests.composer_json,
    "go.mod": go_cargo.go_mod,
    "Cargo.toml": go_cargo.cargo_toml,
    "Gemfile": ruby.gemfile,
    "pom.xml": xml_manifests.pom_xml,
    "build.gradle": gradle.gradle,
    "build.gradle.kts": gradle.gradle,
    "Directory.Packages.props": xml_manifests.dotnet_project,
    "packages.config": xml_manifests.dotnet_project,
}
_BY_SUFFIX: tuple[tuple[str, Reader], ...] = (
    (".gemspec", ruby.gemspec),
    (".csproj", xml_manifests.dotnet_project),
    (".fsproj", xml_manifests.dotnet_project),
    (".vbproj", xml_manifests.dotnet_project),
)
_SKIP_DIRS = ("node_modules/", "vendor/", "third_party/", ".venv/", "site-packages/", "bower_components/")
_SKIP_PARTS = tuple("/" + folder for folder in _SKIP_DIRS)


@lru_cache(maxsize=65536)
def reader_for(path: str) -> Reader | None:
    """The reader of a manifest path, or None when the path is not a manifest.

    Args:
        path: Repository-relative path.
    """
    if any(part in f"/{path}" for part in _SKIP_PARTS):
        return None
    folders, _, name = path.rpartition("/")
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.endswith(".txt") and (name.startswith("requirements") or folders.rsplit("/", 1)[-1] == "requirements"):
        return python.requirements_txt
    return next((reader for suffix, reader in _BY_SUFFIX if name.endswith(suffix)), None)


def is_manifest(path: str) -> bool:
    """Whether a path is a dependency manifest the reader knows."""
    return reader_for(path) is not None


def read_manifest(path: str, text: str | None) -> Manifest | None:
    """Read one manifest.

    Args:
        path: Repository-relative path (selects the format).
        text: Its text; None when the file is absent in that version.

    Returns:
        The manifest, or None when the path is not a manifest or the text is missing.
    """
    reader = reader_for(path)
    if reader is None or text is None:
        return None
    try:
        return reader(path, text)
    except RecursionError:
        return Manifest(path=path, ecosystem="", problem="nested too deeply to read")
