# The sample applications of tests/fixtures/apps in throwaway git repositories, read by the real analysis
# (`analyse`) or handed to one adapter through the same Codebase the analysis builds.
from __future__ import annotations

from pathlib import Path

from autodevhub_docs.analysis import analyse
from autodevhub_docs.analysis.adapters import Adapter, Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.model import ArchitectureFacts, RepoFacts
from autodevhub_docs.sources import git
from autodevhub_docs.sources.checkout import Checkout
from autodevhub_docs.sources.manifests import is_manifest, read_manifest
from tests.helpers import Repo

APPS = Path(__file__).parent / "fixtures" / "apps"


def app_files(name: str) -> dict[str, str]:
    """Every file of a sample application, by repository path."""
    root = APPS / name
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*"))
            if p.is_file()}


def repository(folder: Path, files: dict[str, str]) -> Path:
    """A git repository holding the files in one commit."""
    repo = Repo(folder)
    repo.commit("Initial import", files, date="2024-05-01T10:00:00+00:00")
    return folder


def analysed(root: Path) -> ArchitectureFacts:
    """The architecture facts of the real analysis of a repository."""
    data = git.read_repository(root, ())
    facts = RepoFacts(name=root.name, root=str(data.root), head=data.head, files=data.files, commits=data.commits,
                      web_url="https://github.com/acme/" + root.name)
    return analyse(facts, Checkout(Path(facts.root)).read_text, decisions=False).architecture


def run_adapter(adapter: Adapter, root: Path) -> Found | None:
    """One adapter over a repository, given the Codebase the analysis gives it."""
    data = git.read_repository(root, ())
    read_text = Checkout(root).read_text
    paths = tuple(f.path for f in data.files)
    manifests = [m for p in paths if is_manifest(p) and (m := read_manifest(p, read_text(p))) is not None]
    return adapter.run(Codebase(paths=paths, read_text=read_text,
                                dependencies=tuple(d for m in manifests for d in m.dependencies)))


def pairs(arch: ArchitectureFacts, framework: str) -> set[tuple[str, str]]:
    """The `(method, path)` of a framework's endpoints."""
    return {(e.method, e.path) for e in arch.endpoints if e.framework == framework}
