# The two or three sentences each architecture page opens with: what it shows and the one thing to notice, built
# from the facts offline. Also the project summary: the package description, else the README's first paragraph of
# prose (badges, headings and instructions such as "Click the Use this template button" do not count).
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from autodevhub_docs.generators.system_view import KIND_WORDS
from autodevhub_docs.model import ArchitectureFacts, Manifest, SystemModel

_BADGE_OR_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>")
_EMPHASIS = re.compile(r"(\*\*|__|`)(.+?)\1")
_INSTRUCTION = re.compile(r"^(?:click|run|install|clone|use|see|read|visit|follow|check|download|open|go|create|"
                          r"copy|fork|navigate|make sure|note|first|to get started|you can|please)\b|"
                          r"\buse this template\b", re.I)
_ROOT_MANIFESTS = ("pyproject.toml", "package.json", "composer.json", "pom.xml", "Cargo.toml", "setup.cfg",
                   "setup.py")


def readme_summary(readme: str) -> str:
    """The README's first paragraph of prose (no headings, badges, HTML, code, lists or instructions)."""
    in_code = False
    for paragraph in re.split(r"\n\s*\n", readme):
        stripped = paragraph.strip()
        if stripped.count("```") % 2 == 1:
            in_code = not in_code
            continue
        if in_code or not stripped or stripped.startswith(("#", "```", "|", "-", "*", ">", "<", "[!", "=", "1.")):
            continue
        text = " ".join(_BADGE_OR_IMAGE.sub("", stripped).split())
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
        text = _EMPHASIS.sub(r"\2", text)  # the summary is shown as plain text: drop bold and code marks
        if len(text) >= 20 and not _INSTRUCTION.search(text):
            return text
    return ""


def project_summary(manifests: Sequence[Manifest], readme: str, name: str = "") -> str:
    """The project's own description.

    A root manifest's description (the one that names the project first), else the README's first paragraph of
    prose, else a nested manifest's description.
    """
    ordered = sorted((m for m in manifests if m.description.strip()),
                     key=lambda m: (m.path.count("/"), m.name != name, m.path.rsplit("/", 1)[-1] not in _ROOT_MANIFESTS,
                                    m.path))
    if ordered and ordered[0].path.count("/") == 0:
        return " ".join(ordered[0].description.split())
    return readme_summary(readme) or (" ".join(ordered[0].description.split()) if ordered else "")


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def index_intro(arch: ArchitectureFacts) -> str:
    """What the System Architecture page shows, and the one thing to notice."""
    system = arch.system
    shows = "This page lists the technologies found, layer by layer, each with the files that show it"
    if system.level == "containers":
        entry = next((c for c in system.connections if c.source.startswith("person:")), None)
        names = {c.key: c.name for c in system.containers}
        stores = [c.name for c in system.containers if c.kind in ("database", "cache")]
        notice = f"Requests enter through {names[entry.target]}" if entry else "No entry point was found"
        workers = sum(c.kind in ("service", "worker") for c in system.containers)
        notice += f", {_count(workers, 'service')} {'does' if workers == 1 else 'do'} the work" + (
            f", and {', '.join(stores)} {'holds' if len(stores) == 1 else 'hold'} the data." if stores else ".")
        return f"{shows}, and draws the containers that run and who talks to whom. {notice}"
    if system.level == "components":
        externals = [c.name for c in system.containers if c.external]
        return (f"{shows}, and draws its packages in the direction data flows. It deploys no service of its own"
                + (f"; it talks to {', '.join(externals)}." if externals else "."))
    return f"{shows}. No deployable service or package structure was found, so no container diagram is drawn."


def overview_intro(arch: ArchitectureFacts) -> str:
    """What the System Overview page shows, and the one thing to notice."""
    runtime = [c for c in arch.system.connections if arch.system.level == "containers"
               and not c.source.startswith("person:")]
    text = (f"This page shows the {_count(len(arch.components), 'top-level component')}, how they depend on "
            "each other in the code and at run time, and the module import graph.")
    if runtime:
        protocols = Counter(c.protocol for c in runtime)
        text += f" At run time they talk over {', '.join(f'{p} ({n})' for p, n in protocols.most_common())}."
    elif arch.component_edges:
        busiest = max(arch.component_edges, key=lambda e: e.count)
        text += f" The strongest dependency is {busiest.source} on {busiest.target} ({busiest.count} imports)."
    return text


def api_intro(arch: ArchitectureFacts) -> str:
    """What the API Specification page shows, and the one thing to notice."""
    if not arch.endpoints:
        return "This page lists every HTTP endpoint found in the code; none was found."
    prefixes = Counter("/" + e.path.strip("/").split("/", 1)[0] for e in arch.endpoints)
    top, count = prefixes.most_common(1)[0]
    frameworks = sorted({e.framework for e in arch.endpoints})
    return (f"This page lists the {_count(len(arch.endpoints), 'HTTP endpoint')} found in the code "
            f"({', '.join(frameworks)}), each with its method, full path and handler. "
            f"The largest group is under `{top}` ({count}).")


def schema_intro(arch: ArchitectureFacts) -> str:
    """What the Database Schema page shows, and the one thing to notice."""
    if not arch.entities:
        return "This page lists the persistent entities found in the code, migrations and schema files; none was found."
    degree: Counter[str] = Counter()
    for r in arch.relations:
        degree[r.left] += 1
        degree[r.right] += 1
    text = (f"This page lists the {_count(len(arch.entities), 'entity', 'entities')} and "
            f"{_count(len(arch.relations), 'relation')} found, with their fields.")
    if degree:
        name, n = degree.most_common(1)[0]
        text += f" {name} is the most connected ({_count(n, 'relation')})."
    return text


def deployment_intro(arch: ArchitectureFacts, system: SystemModel) -> str:
    """What the Deployment Architecture page shows, and the one thing to notice."""
    kinds = Counter(KIND_WORDS.get(c.kind, c.kind) for c in system.containers if not c.external) \
        if system.level == "containers" else Counter()
    text = (f"This page lists the {_count(len(arch.services), 'service')}, "
            f"{_count(len(arch.containers), 'Dockerfile')} and {_count(len(arch.workflows), 'CI workflow')} found.")
    if kinds:
        text += " They run " + ", ".join(_count(n, k) for k, n in kinds.most_common()) + "."
    return text
