# The Gin and ASP.NET Core sample apps through the real offline pipeline: the API page lists their endpoints, the
# database page their entities and relations, every Mermaid block parses with mermaid 11, and nothing warns that
# a detected framework found nothing.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.settings import from_options
from tests import mermaid as checker
from tests.stack_apps import app_files, repository


def _build(root: Path) -> pipeline.BuildResult:
    settings = from_options({"repo_path": str(root), "cache_dir": str(root.parent / "cache"), "llm": "offline"},
                            base_dir=root.parent)
    return pipeline.run_build(settings)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pipeline.BuildResult]:
    return {name: _build(repository(tmp_path_factory.mktemp(name) / name, app_files(name)))
            for name in ("gin_realworld", "aspnet_realworld")}


def test_api_pages_list_the_endpoints(builds) -> None:
    gin = builds["gin_realworld"].pages["architecture/api-specification.md"]
    assert "22 HTTP endpoints found in the code (Gin)" in gin and "`ArticleCommentDelete`" in gin
    aspnet = builds["aspnet_realworld"].pages["architecture/api-specification.md"]
    assert "29 HTTP endpoints found in the code (ASP.NET Core)" in aspnet
    assert "`ArticlesController.FavoriteAsync`" in aspnet and "`Follow`" in aspnet


def test_database_pages_name_the_orm_and_the_relations(builds) -> None:
    gin = builds["gin_realworld"].pages["architecture/database-schema.md"]
    assert "6 entities (GORM) and 8 relations" in gin and "erDiagram" in gin
    aspnet = builds["aspnet_realworld"].pages["architecture/database-schema.md"]
    assert "9 entities (EF Core) and 14 relations" in aspnet and "FollowedPeople" in aspnet and "erDiagram" in aspnet


def test_found_frameworks_do_not_warn(builds) -> None:
    for build in builds.values():
        assert not [w for w in build.report["warnings"] if "were found" in w], build.report["warnings"]


@pytest.mark.mermaid
def test_every_mermaid_block_parses(builds) -> None:
    diagrams = checker.diagrams_in(text for build in builds.values() for text in build.pages.values())
    assert any(d.startswith("erDiagram") for d in diagrams)
    checker.assert_all_parse(diagrams)
