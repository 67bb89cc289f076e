# Symfony: #[Route] attributes (class prefix and method paths and methods), @Route docblock annotations, and
# config/routes.yaml (imports with prefixes, routes declared in YAML), over a small controller set.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.endpoints.symfony_routes import SymfonyRoutes
from autodevhub_docs.model import SourceRef
from tests.stack_apps import analysed, app_files, pairs, repository, run_adapter

COMPOSER = '{"require": {"symfony/framework-bundle": "7.1.*"}}\n'


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    return analysed(repository(tmp_path_factory.mktemp("symfony") / "shop", app_files("symfony_small")))


def test_controllers_and_yaml_routes_give_every_endpoint_and_nothing_else(small) -> None:
    assert pairs(small, "Symfony") == {
        ("GET", "/api/articles"), ("POST", "/api/articles"), ("GET", "/api/articles/{slug}"),
        ("PUT", "/api/articles/{slug}"), ("PATCH", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
        ("ANY", "/"),  # a route without `methods` matches every method
        ("GET", "/about"), ("GET", "/legacy/feed"), ("GET", "/health"), ("HEAD", "/health"),
        ("GET", "/admin/users"), ("GET", "/admin/users/{id}/edit"), ("POST", "/admin/users/{id}/edit"),
    }


def test_handlers_and_sources(small) -> None:
    by_pair = {(e.method, e.path): e for e in small.endpoints}
    assert by_pair[("GET", "/about")].handler == "AboutController::__invoke"
    assert by_pair[("GET", "/health")].handler == "App\\Controller\\HealthController::check"
    assert by_pair[("GET", "/health")].source == SourceRef(path="config/routes.yaml", line=7)
    assert by_pair[("GET", "/legacy/feed")].source == SourceRef(path="src/Controller/LegacyFeedController.php",
                                                                 line=13)
    assert by_pair[("PATCH", "/api/articles/{slug}")].handler == "ArticleController::update"
    report = next(r for r in small.framework_reports if r.framework == "Symfony")
    assert "src/Service/SlugMaker.php" not in report.files_read  # not in an imported folder: Symfony never loads it


def test_without_routing_yaml_every_controller_under_src_counts(tmp_path: Path) -> None:
    controller = ("<?php\nnamespace App\\Controller;\n\nuse Symfony\\Component\\Routing\\Attribute\\Route;\n\n"
                  "#[Route(['en' => '/about-us', 'nl' => '/over-ons'], name: 'about')]\nclass AboutController\n{\n"
                  "    #[Route('/team', methods: 'GET|POST')]\n    #[Route('/staff', methods: ['GET'])]\n"
                  "    public function team(): void {}\n}\n")
    root = repository(tmp_path / "app", {"composer.json": COMPOSER, "src/Controller/AboutController.php": controller})
    found = run_adapter(SymfonyRoutes(), root)
    assert found is not None
    assert {(e.method, e.path) for e in found.endpoints} == {
        ("GET", "/about-us/team"), ("POST", "/about-us/team"), ("GET", "/over-ons/team"), ("POST", "/over-ons/team"),
        ("GET", "/about-us/staff"), ("GET", "/over-ons/staff"),
    }


def test_broken_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"composer.json": COMPOSER, "config/routes.yaml": "a: [unclosed\n"})
    found = run_adapter(SymfonyRoutes(), root)
    assert found is not None and found.endpoints == ()
    assert found.problems and found.problems[0].startswith("config/routes.yaml: not valid YAML")


def test_no_symfony_no_report(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"composer.json": '{"require": {"laravel/framework": "^11"}}'})
    assert run_adapter(SymfonyRoutes(), root) is None
