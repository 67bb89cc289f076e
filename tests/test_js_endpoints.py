# JS/TS endpoints read from the fixture apps with the real analysis: Express (chained routers, prefixes across
# files, route() chains, CommonJS and ESM), NestJS (global prefix with exclusions, RouterModule paths, controllers in
# modules, constants), Fastify (register prefixes, fastify-plugin, autoload), Koa (router prefixes, nesting,
# koa-mount), Hono (basePath, route(), chained routes) and Next.js (app router, pages/api).
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.endpoints.express import ADAPTERS as EXPRESS
from autodevhub_docs.analysis.endpoints.fastify import ADAPTERS as FASTIFY
from autodevhub_docs.analysis.endpoints.hono import ADAPTERS as HONO
from autodevhub_docs.analysis.endpoints.koa import ADAPTERS as KOA
from autodevhub_docs.analysis.endpoints.nest import ADAPTERS as NEST
from autodevhub_docs.analysis.endpoints.nextjs import ADAPTERS as NEXT
from autodevhub_docs.analysis.jsmodule import CALLED_METHODS
from autodevhub_docs.model import SourceRef
from tests.fixture_apps import analysed, app_files, codebase


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory):
    return analysed(tmp_path_factory.mktemp("r") / "conduit", app_files("express-prisma"))


@pytest.fixture(scope="module")
def nest(tmp_path_factory: pytest.TempPathFactory):
    return analysed(tmp_path_factory.mktemp("r") / "nest", app_files("nest-typeorm"))


def _pairs(endpoints) -> set[tuple[str, str]]:
    return {(e.method, e.path) for e in endpoints}


def _found(adapters, root: Path, app: str):
    found = adapters[0].run(codebase(root, app_files(app)))
    assert found is not None
    return found


def test_express_chained_routers_prefixes_across_files_and_route_chains(realworld) -> None:
    assert _pairs(realworld.endpoints) == {
        # Router().use('/api', Router().use(tags).use(articles)...) across ESM files
        ("GET", "/api/tags"),
        ("GET", "/api/articles"), ("GET", "/api/articles/feed"), ("POST", "/api/articles"),
        ("GET", "/api/articles/{slug}"), ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
        ("POST", "/api/articles/{slug}/favorite"), ("DELETE", "/api/articles/{slug}/favorite"),
        # a router mounted under a parameterised prefix
        ("GET", "/api/articles/{slug}/comments"), ("POST", "/api/articles/{slug}/comments"),
        ("DELETE", "/api/articles/{slug}/comments/{id}"),
        # CommonJS module.exports = router, express.Router()
        ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
        ("DELETE", "/api/profiles/{username}/follow"),
        ("POST", "/api/users"), ("POST", "/api/users/login"), ("GET", "/api/user"), ("PUT", "/api/user"),
        # app.use('/admin', require('./app/admin')(prisma)): a factory returning a router
        ("GET", "/admin/stats"), ("POST", "/admin/reindex"),
        ("GET", "/"), ("ANY", "/health"),  # app.all accepts every method
    }
    assert {e.framework for e in realworld.endpoints} == {"Express"}
    show = next(e for e in realworld.endpoints if e.method == "GET" and e.path == "/api/articles/{slug}")
    assert (show.handler, show.source) == ("articles.show", SourceRef(
        path="src/app/routes/article/article.controller.ts", line=13))
    user = {e.method: e.handler for e in realworld.endpoints if e.path == "/api/user"}
    assert user == {"GET": "getCurrentUser", "PUT": "updateUser"}
    tags = next(e for e in realworld.endpoints if e.path == "/api/tags")
    assert tags.handler == "(inline handler)"
    report = next(r for r in realworld.framework_reports if r.framework == "Express")
    assert report.found == 23 and report.problems == ()
    assert not any("__tests__" in path for path in report.files_read)  # the test app is not the app


def test_nest_global_prefix_exclusions_router_module_and_constants(nest) -> None:
    assert _pairs(nest.endpoints) == {
        ("GET", "/api/articles"), ("GET", "/api/articles/feed"), ("GET", "/api/articles/{slug}"),
        ("POST", "/api/articles"), ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
        ("POST", "/api/articles/{slug}/comments"), ("GET", "/api/articles/{slug}/comments"),
        ("DELETE", "/api/articles/{slug}/comments/{id}"),
        ("POST", "/api/articles/{slug}/favorite"), ("DELETE", "/api/articles/{slug}/favorite"),
        # @Controller() with full method paths; a method path array gives one endpoint per path
        ("GET", "/api/user"), ("PUT", "/api/user"), ("POST", "/api/users"), ("POST", "/api/users/login"),
        ("POST", "/api/login"),
        # @Controller({ path: PATHS.profiles }) and @Controller([PATHS.tags, 'labels']) with an aliased @Get
        ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
        ("DELETE", "/api/profiles/{username}/follow"), ("GET", "/api/tags"), ("GET", "/api/labels"),
        # RouterModule.register(routes) from another file: admin, and reports as its child
        ("GET", "/api/admin/users"), ("ANY", "/api/admin/users/webhook"), ("GET", "/api/admin/reports/daily"),
        # setGlobalPrefix exclude: only GET /health leaves the prefix out
        ("GET", "/health"), ("POST", "/api/health/ping"),
    }
    feed = next(e for e in nest.endpoints if e.path == "/api/articles/feed")
    assert (feed.handler, feed.framework, feed.source) == ("ArticlesController.getFeed", "NestJS", SourceRef(
        path="src/articles/articles.controller.ts", line=13))
    assert not any("only-in-tests" in e.path for e in nest.endpoints)


def test_fastify_plugins_prefixes_fastify_plugin_and_autoload(tmp_path: Path) -> None:
    found = _found(FASTIFY, tmp_path / "r", "fastify")
    assert _pairs(found.endpoints) == {
        ("GET", "/users"), ("GET", "/users/{id}"), ("POST", "/users"), ("DELETE", "/users/{id}"),
        ("PATCH", "/v2/settings"),  # register(import('./routes/settings.mjs'), { prefix })
        ("GET", "/api/ping"), ("GET", "/api/items"), ("PUT", "/api/items/{id}"),  # nested register
        ("GET", "/db/health"),  # fastify-plugin: the prefix is ignored
        ("GET", "/m/status"), ("GET", "/m/health"),  # @fastify/autoload: folder names are prefixes
        ("GET", "/"), ("HEAD", "/"), ("ANY", "/echo"),
    }
    handlers = {(e.method, e.path): e.handler for e in found.endpoints}
    assert handlers[("POST", "/users")] == "users.create"  # { handler } in the route options
    assert handlers[("GET", "/users/{id}")] == "users.show"
    assert handlers[("PATCH", "/v2/settings")] == "updateSettings"
    assert handlers[("HEAD", "/")] == "rootHandler"
    assert found.evidence == (SourceRef(path="package.json", line=8), SourceRef(path="src/server.js", line=4))


def test_koa_router_prefixes_named_routes_nesting_and_mount(tmp_path: Path) -> None:
    found = _found(KOA, tmp_path / "r", "koa")
    assert _pairs(found.endpoints) == {
        ("GET", "/api"),
        ("GET", "/api/v1/users"), ("POST", "/api/v1/users"), ("GET", "/api/v1/users/{id}"),
        ("DELETE", "/api/v1/users/{id}"),  # router.del
        ("GET", "/api/posts"), ("PUT", "/api/posts/{id}"), ("ANY", "/api/posts/{id}/preview"),
        ("GET", "/admin/stats"), ("PATCH", "/admin/flags/{name}"), ("PATCH", "/admin/features/{name}"),
    }
    listed = next(e for e in found.endpoints if e.path == "/api/v1/users" and e.method == "GET")
    assert (listed.handler, listed.source) == ("controller.list", SourceRef(path="src/routes/users.js", line=6))


def test_hono_base_path_sub_apps_and_chained_routes(tmp_path: Path) -> None:
    found = _found(HONO, tmp_path / "r", "hono")
    assert _pairs(found.endpoints) == {
        ("GET", "/api"),
        ("GET", "/api/books"), ("POST", "/api/books"), ("GET", "/api/books/{id}"), ("DELETE", "/api/books/{id}"),
        ("GET", "/api/authors"), ("GET", "/api/authors/{id}"),
        ("GET", "/api/admin/stats"), ("ANY", "/api/admin/cache"),  # a basePath clone mounted at '/'
        ("GET", "/api/posts/{id}"), ("POST", "/api/posts/{id}"),  # .post(handler) reuses the path
        ("PUT", "/api/posts/{id}"), ("PATCH", "/api/posts/{id}"),  # app.on([...], path, handler)
    }
    assert {e.handler for e in found.endpoints if e.path == "/api/posts/{id}"} == {
        "getPost", "createPost", "updatePost"}


def test_nextjs_route_handlers_and_pages_api(tmp_path: Path) -> None:
    found = _found(NEXT, tmp_path / "r", "nextjs")
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {
        ("GET", "/api/articles", "GET"), ("POST", "/api/articles", "POST"),
        ("GET", "/api/articles/{slug}", "GET"), ("PUT", "/api/articles/{slug}", "PUT"),
        ("DELETE", "/api/articles/{slug}", "DELETE"),  # export const DELETE
        ("POST", "/api/newsletter", "POST"),  # a route group is not part of the URL
        ("GET", "/api/auth/{nextauth}", "handler"), ("POST", "/api/auth/{nextauth}", "handler"),
        ("GET", "/docs/{slug}", "GET"),  # [[...slug]]
        ("GET", "/api/preview", "GET"),  # a parallel-route @slot is not part of the URL
        ("ANY", "/api/hello", "hello"),  # no method check
        ("GET", "/api/users", "users"), ("POST", "/api/users", "users"),  # switch (req.method)
        ("DELETE", "/api/users/{id}", "handler"),  # req.method !== 'DELETE' refuses the others
    }
    assert not any(e.path.startswith("/_internal") or "cron" in e.path for e in found.endpoints)
    assert SourceRef(path="next.config.mjs") in found.evidence


@pytest.mark.parametrize(("adapters", "app"), [
    (EXPRESS, "koa"), (NEST, "express-prisma"), (FASTIFY, "hono"), (KOA, "fastify"), (HONO, "nextjs"),
    (NEXT, "nest-typeorm"),
])
def test_an_absent_framework_finds_nothing(tmp_path: Path, adapters, app: str) -> None:
    assert adapters[0].run(codebase(tmp_path / "r", app_files(app))) is None


def test_a_detected_framework_with_no_routes_is_reported(tmp_path: Path) -> None:
    arch = analysed(tmp_path / "r", {
        "package.json": '{\n  "name": "x",\n  "dependencies": {\n    "express": "^4.0.0"\n  }\n}\n',
        "src/index.js": "const express = require('express');\nconst app = express();\napp.use(express.json());\n",
    })
    report = next(r for r in arch.framework_reports if r.framework == "Express")
    assert (report.found, report.files_read) == (0, ("src/index.js",))
    assert report.evidence == (SourceRef(path="package.json", line=4), SourceRef(path="src/index.js", line=1))


def test_every_dialect_reads_only_calls_the_file_index_captures() -> None:
    for adapters in (EXPRESS, FASTIFY, KOA, HONO):
        assert adapters[0].dialect.methods <= CALLED_METHODS, adapters[0].name


def test_a_file_too_large_to_parse_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    big = "// generated\n" + "x();\n" * 260_000  # over the 1 MB parse limit
    found = EXPRESS[0].run(codebase(tmp_path / "r", {
        "package.json": '{\n  "dependencies": {\n    "express": "^4.0.0"\n  }\n}\n',
        "src/app.js": "const express = require('express');\nconst app = express();\napp.get('/ok', h);\n",
        "src/bundle.js": big,
    }))
    assert found is not None
    assert {(e.method, e.path) for e in found.endpoints} == {("GET", "/ok")}
    assert found.problems == ("src/bundle.js: not parsed (unreadable, or larger than 1,000,000 bytes)",)


def test_a_nextjs_front_end_without_api_routes_is_not_an_empty_api(tmp_path: Path) -> None:
    files = {p: t for p, t in app_files("nextjs").items() if "/api/" not in f"/{p}" and not p.endswith("route.ts")}
    assert "app/page.tsx" in files and NEXT[0].run(codebase(tmp_path / "r", files)) is None
