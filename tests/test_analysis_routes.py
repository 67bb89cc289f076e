# Endpoints with full paths: FastAPI nested routers and a settings-constant prefix, Django includes, Flask
# blueprints, Express routers mounted across files, NestJS controllers.
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.analysis.pyconstants import Constants
from autodevhub_docs.analysis.pyscan import PyFile
from tests.fakes import arch_repos as fx


@pytest.fixture(scope="module")
def fastapi(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "shop", fx.FASTAPI_FILES).root)[1]


@pytest.fixture(scope="module")
def django(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "polls", fx.DJANGO_FILES).root)[1]


@pytest.fixture(scope="module")
def express(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "blog", fx.EXPRESS_FILES).root)[1]


def _set(arch):
    return {(e.method, e.path, e.handler, e.source.path) for e in arch.endpoints}


def test_fastapi_nested_routers_and_settings_prefix_resolve_to_full_paths(fastapi) -> None:
    assert _set(fastapi) == fx.FASTAPI_ENDPOINTS
    assert {e.framework for e in fastapi.endpoints} == {"FastAPI"}
    daily = next(e for e in fastapi.endpoints if e.handler == "daily_report")
    assert daily.source.line == 8  # the `def` line in admin.py


def test_django_includes_and_flask_blueprints(django) -> None:
    assert _set(django) == fx.DJANGO_ENDPOINTS
    frameworks = {e.path: e.framework for e in django.endpoints}
    assert frameworks["/polls"] == "Django" and frameworks["/v2/auth/login"] == "Flask"


def test_express_routers_mounted_from_other_files(express) -> None:
    assert _set(express) == fx.EXPRESS_ENDPOINTS
    show = next(e for e in express.endpoints if e.handler == "controller.show")
    assert show.source.line == 8


def test_endpoints_are_sorted_by_path_then_method(fastapi) -> None:
    keys = [(e.path, e.method) for e in fastapi.endpoints]
    assert keys[0] == ("/api/v1/admin/reindex", "POST")
    users = [e.method for e in fastapi.endpoints if e.path == "/api/v1/users"]
    assert users == ["GET", "POST"]


def test_unresolvable_prefix_is_shown_not_invented() -> None:
    info = PyFile(path="m.py", module="m", is_package=False, constants={"LOCAL": "/local"})
    constants = Constants({"m.py": info})
    assert constants.evaluate(ast.parse("LOCAL + '/x'", mode="eval").body, info) == "/local/x"
    assert constants.evaluate(ast.parse("f'{LOCAL}/y'", mode="eval").body, info) == "/local/y"
    assert constants.evaluate(ast.parse("os.environ['P']", mode="eval").body, info) == "{os.environ['P']}"
    assert normalise_path(join("/api/", "/v1//users")) == "/api/v1/users"


def test_nestjs_controllers_with_global_prefix(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "nest", {
        "src/main.ts": "import { NestFactory } from '@nestjs/core';\n\n"
                       "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api');\n",
        "src/cats.controller.ts": "import { Controller, Get, Post } from '@nestjs/common';\n\n"
                                  "@Controller('cats')\nexport class CatsController {\n  @Get()\n  findAll() {}\n\n"
                                  "  @Post(':id/toys')\n  async addToy() {}\n}\n",
    })
    arch = fx.analysed(repo.root)[1]
    assert {(e.method, e.path, e.handler) for e in arch.endpoints} == {
        ("GET", "/api/cats", "CatsController.findAll"), ("POST", "/api/cats/{id}/toys", "CatsController.addToy")}
    assert {e.framework for e in arch.endpoints} == {"NestJS"}


def test_openapi_documents_are_listed(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "spec", {
        "docs/openapi.yaml": "openapi: 3.1.0\ninfo:\n  title: Pets\n  version: '2.0'\npaths:\n  /pets:\n"
                             "    get: {}\n    post: {}\n  /pets/{id}:\n    get: {}\n",
    })
    arch = fx.analysed(repo.root)[1]
    assert [(d.path, d.kind, d.title, d.version, d.operations) for d in arch.api_documents] == [
        ("docs/openapi.yaml", "OpenAPI 3.1.0", "Pets", "2.0", 3)]


def test_annotated_routers_starlette_routes_and_add_url_rule(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "mix", {
        "api.py": "from fastapi import APIRouter\n\nrouter: APIRouter = APIRouter(prefix='/typed')\n\n\n"
                  "@router.get('/one')\ndef one():\n    return 1\n",
        "star.py": "from starlette.applications import Starlette\nfrom starlette.routing import Mount, Route\n\n"
                   "def home(request):\n    return None\n\n\n"
                   "app = Starlette(routes=[Route('/', home), Mount('/admin', routes=[Route('/users', home, "
                   "methods=['GET', 'POST'])])])\n",
        "legacy.py": "from flask import Flask\n\nweb = Flask(__name__)\n\n\ndef ping():\n    return ''\n\n\n"
                     "web.add_url_rule('/ping', view_func=ping, methods=['HEAD'])\n",
    })
    arch = fx.analysed(repo.root)[1]
    assert {(e.method, e.path, e.handler, e.framework) for e in arch.endpoints} == {
        ("GET", "/typed/one", "one", "FastAPI"), ("GET", "/", "home", "Starlette"),
        ("GET", "/admin/users", "home", "Starlette"), ("POST", "/admin/users", "home", "Starlette"),
        ("HEAD", "/ping", "ping", "Flask")}


def test_django_rest_framework_routers(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "drf", {
        "proj/__init__.py": "",
        "proj/urls.py": "from django.urls import include, path\n\nfrom api.routers import router\n\n"
                        "urlpatterns = [path('api/v1/', include(router.urls))]\n",
        "api/__init__.py": "",
        "api/routers.py": "from rest_framework.routers import DefaultRouter\n\nfrom api import views\n\n"
                          "router = DefaultRouter()\nrouter.register(r'users', views.UserViewSet)\n",
    })
    arch = fx.analysed(repo.root)[1]
    assert {(e.method, e.path, e.handler, e.source.path, e.source.line) for e in arch.endpoints} == {
        ("GET", "/api/v1", "router (API root)", "api/routers.py", 5),  # DefaultRouter's API root view
        ("ANY", "/api/v1/users", "views.UserViewSet (list)", "api/routers.py", 6),
        ("ANY", "/api/v1/users/{pk}", "views.UserViewSet (detail)", "api/routers.py", 6)}
