# XML manifests: Maven pom.xml, .NET project files (*.csproj, *.fsproj, *.vbproj), Directory.Packages.props and
# packages.config. Read with the standard library's XML parser; a document that declares entities is refused
# (no hand-written manifest needs them, and they are how XML bombs work).
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.sources.manifests.lines import LineFinder

_MAVEN_SCOPES = {"test": "test", "provided": "build", "system": "build", "import": "build", "runtime": "runtime",
                 "compile": "runtime"}


def _root(text: str) -> tuple[ET.Element | None, str]:
    if "<!ENTITY" in text:
        return None, "declares XML entities, not read"
    try:
        return ET.fromstring(text), ""  # noqa: S314 - entity declarations are refused above
    except ET.ParseError as error:
        return None, f"not valid XML ({error})"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _child_text(element: ET.Element, name: str) -> str:
    child = next(_children(element, name), None)
    return (child.text or "").strip() if child is not None else ""


def pom_xml(path: str, text: str) -> Manifest:
    """Read a Maven POM: its parent, dependencies (with scopes), managed dependencies and build plugins."""
    root, problem = _root(text)
    if root is None:
        return Manifest(path=path, ecosystem="maven", problem=problem)
    finder = LineFinder(text)
    found: list[Dependency] = []

    def add(element: ET.Element, scope: str, group: str) -> None:
        group_id, artifact = _child_text(element, "groupId"), _child_text(element, "artifactId")
        if not artifact:
            return
        found.append(Dependency(ecosystem="maven", name=f"{group_id}:{artifact}" if group_id else artifact,
                                spec=_child_text(element, "version"), scope=scope, path=path,
                                line=finder.line_of(f"<artifactId>{artifact}</artifactId>"), group=group))

    parent = next(_children(root, "parent"), None)
    if parent is not None:
        add(parent, "runtime", "parent")  # a parent such as spring-boot-starter-parent makes the app what it is
    for section in _children(root, "dependencies"):
        for dep in _children(section, "dependency"):
            add(dep, _MAVEN_SCOPES.get(_child_text(dep, "scope") or "compile", "runtime"), "dependencies")
    for build in _children(root, "build"):
        for plugins in _children(build, "plugins"):
            for plugin in _children(plugins, "plugin"):
                add(plugin, "build", "plugins")
    return Manifest(path=path, ecosystem="maven", name=_child_text(root, "artifactId") or _child_text(root, "name"),
                    description=_child_text(root, "description"), dependencies=tuple(found))


def dotnet_project(path: str, text: str) -> Manifest:
    """Read a .NET project file: its SDK, `PackageReference`s and central `PackageVersion`s.

    A test project (`<IsTestProject>true`, or a name ending in `.Tests`/`.Test`) gives its packages the test scope.
    """
    root, problem = _root(text)
    if root is None:
        return Manifest(path=path, ecosystem="nuget", problem=problem)
    finder = LineFinder(text)
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    is_test = name.endswith((".Tests", ".Test", ".UnitTests", ".IntegrationTests")) or any(
        (el.text or "").strip().lower() == "true" for el in root.iter() if _local(el.tag) == "IsTestProject")
    scope = "test" if is_test else "runtime"
    found: list[Dependency] = []
    sdk = root.get("Sdk", "")
    if sdk:
        found.append(Dependency(ecosystem="nuget", name=sdk, spec="", scope=scope,
                                path=path, line=finder.line_of("Sdk=", default=1), group="Sdk"))
    for element in root.iter():
        tag = _local(element.tag)
        if tag not in ("PackageReference", "PackageVersion", "package"):
            continue
        package = element.get("Include") or element.get("Update") or element.get("id") or ""
        if not package:
            continue
        version = element.get("Version") or element.get("version") or _child_text(element, "Version")
        private = (element.get("PrivateAssets") or _child_text(element, "PrivateAssets")).lower() == "all"
        found.append(Dependency(ecosystem="nuget", name=package, spec=version, scope="build" if private else scope,
                                path=path, line=finder.line_of(f'"{package}"', default=1), group=tag))
    return Manifest(path=path, ecosystem="nuget", name=name if path.endswith("proj") else "",
                    description=_child_text(root, "Description"), dependencies=tuple(found))
