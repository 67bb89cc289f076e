# The JS/TS and JVM fixture apps of tests/fixtures/apps, copied into throwaway git repositories and analysed for real.
from __future__ import annotations

from pathlib import Path

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.sources.checkout import Checkout
from autodevhub_docs.sources.manifests import is_manifest, read_manifest
from tests.fakes import arch_repos as fx
from tests.helpers import Repo

APPS = Path(__file__).parent / "fixtures" / "apps"


def app_files(name: str) -> dict[str, str]:
    """Every file of a fixture app, by path relative to the app."""
    root = APPS / name
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def repository(root: Path, files: dict[str, str]) -> Repo:
    """A git repository with one commit holding the files."""
    repo = Repo(root)
    repo.commit("the app", files)
    return repo


def analysed(root: Path, files: dict[str, str]):  # noqa: ANN201 - the real ArchitectureFacts
    """Commit the files to a new repository and run the whole analysis over it."""
    return fx.analysed(repository(root, files).root)[1]


def codebase(root: Path, files: dict[str, str]) -> Codebase:
    """The codebase adapters read, built from a new repository the way the analysis builds it."""
    repo = repository(root, files)
    read_text = Checkout(repo.root).read_text
    paths = tuple(sorted(files))
    manifests = [m for p in paths if is_manifest(p) and (m := read_manifest(p, read_text(p))) is not None]
    return Codebase(paths=paths, read_text=read_text, dependencies=tuple(d for m in manifests for d in m.dependencies))
