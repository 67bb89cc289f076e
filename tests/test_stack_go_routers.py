# Go routers besides Gin: net/http with Go 1.22 patterns and StripPrefix mounts, Echo, Fiber, chi and gorilla/mux,
# each a small app written for the tests and read through the real analysis; then the shorthands and hostile
# inputs the route reader must survive.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.endpoints.go_frameworks import go_pattern
from autodevhub_docs.analysis.endpoints.go_routes import ADAPTERS
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.model import SourceRef
from tests.stack_apps import analysed, app_files, pairs, repository, run_adapter

BY_NAME = {a.name: a for a in ADAPTERS}

APPS = {
    "nethttp": ("net/http", {
        ("GET", "/items"), ("POST", "/items"), ("GET", "/items/{id}"), ("DELETE", "/items/{id}"),
        ("GET", "/files/{path}"), ("GET", "/"), ("GET", "/admin/stats"), ("POST", "/admin/reindex"),
        ("ANY", "/healthz"),
    }),
    "echo": ("Echo", {
        ("GET", "/"), ("GET", "/api/v1/posts"), ("POST", "/api/v1/posts"), ("GET", "/api/v1/posts/{id}"),
        ("PUT", "/api/v1/posts/{id}"), ("GET", "/api/v1/posts/{id}/comments"), ("ANY", "/api/v1/admin/debug"),
        ("GET", "/api/v1/admin/status"), ("HEAD", "/api/v1/admin/status"), ("PURGE", "/cache"),
    }),
    "fiber": ("Fiber", {
        ("GET", "/api/v1/products"), ("POST", "/api/v1/products"), ("GET", "/api/v1/orders"),
        ("GET", "/api/v1/orders/{id}"), ("PATCH", "/api/v1/orders/{id}"), ("ANY", "/proxy/*"), ("GET", "/metrics"),
        ("DELETE", "/legacy/carts/{id}"),
    }),
    "chi": ("chi", {
        ("GET", "/"), ("GET", "/notes"), ("POST", "/notes"), ("GET", "/notes/{noteID}"), ("PUT", "/notes/{noteID}"),
        ("DELETE", "/notes/{noteID}"), ("POST", "/import"), ("GET", "/ping"), ("GET", "/admin/users"),
        ("DELETE", "/admin/users/{id}"), ("ANY", "/metrics"),
    }),
    "gorillamux": ("gorilla/mux", {
        ("ANY", "/"), ("GET", "/books"), ("POST", "/books"), ("GET", "/books/{id}"), ("PUT", "/books/{id}"),
        ("DELETE", "/books/{id}"), ("GET", "/api/authors"), ("GET", "/api/authors/{id}"), ("GET", "/api/search"),
        ("POST", "/api/search"), ("POST", "/webhooks/{source}"), ("ANY", "/static"),
    }),
}


@pytest.mark.parametrize("app", sorted(APPS))
def test_each_router_lists_every_route_with_its_full_path_and_nothing_else(app: str, tmp_path: Path) -> None:
    framework, expected = APPS[app]
    arch = analysed(repository(tmp_path / app, app_files(f"go_small/{app}")))
    assert pairs(arch, framework) == expected
    assert {e.framework for e in arch.endpoints} == {framework}
    assert [r.framework for r in arch.framework_reports if r.kind == "endpoints"] == [framework]


def test_the_standard_library_app_names_net_http_and_the_database_it_opens(tmp_path: Path) -> None:
    arch = analysed(repository(tmp_path / "app", app_files("go_small/nethttp")))
    assert {t.name for t in arch.technologies} == {"net/http", "PostgreSQL"}


@pytest.mark.parametrize(("app", "database", "line"), [("nethttp", "PostgreSQL", 14), ("gorillamux", "SQLite", 15)])
def test_database_sql_open_names_the_database(app: str, database: str, line: int, tmp_path: Path) -> None:
    framework, _ = APPS[app]
    found = run_adapter(BY_NAME[framework], repository(tmp_path / app, app_files(f"go_small/{app}")))
    assert found is not None
    assert found.technologies == ((database, SourceRef(path="main.go", line=line)),)


def _app(tmp_path: Path, files: dict[str, str], framework: str):
    found = run_adapter(BY_NAME[framework], repository(tmp_path / "app", files))
    assert found is not None
    return found


CHI_MOD = "module example.com/x\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.11\n"
GIN_MOD = "module example.com/x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n"


def test_routers_in_package_variables_interfaces_and_loops(tmp_path: Path) -> None:
    found = _app(tmp_path, {"go.mod": GIN_MOD, "main.go": (
        'package main\n\nimport "github.com/gin-gonic/gin"\n\nvar router = gin.New()\n\n'
        "type Module interface {\n\tMount(r *gin.RouterGroup)\n}\n\n"
        "type users struct{}\n\nfunc (users) Mount(r *gin.RouterGroup) { r.GET(\"/users\", list) }\n\n"
        "type orders struct{}\n\nfunc (orders) Mount(r *gin.RouterGroup) { r.POST(\"/orders\", create) }\n\n"
        "func init() {\n\tapi := router.Group(\"/api\")\n\tfor _, m := range []Module{users{}, orders{}} {\n"
        "\t\tm.Mount(api)\n\t}\n\trouter.Match([]string{\"GET\", \"POST\"}, \"/echo\", list)\n}\n\n"
        "func main() { router.Run() }\n\nfunc list(c *gin.Context)   {}\nfunc create(c *gin.Context) {}\n")},
        "Gin")
    assert {(e.method, e.path) for e in found.endpoints} == {("GET", "/api/users"), ("POST", "/api/orders"),
                                                             ("GET", "/echo"), ("POST", "/echo")}


def test_routers_wrapped_in_middleware_keep_their_mount_prefix(tmp_path: Path) -> None:
    found = _app(tmp_path, {"go.mod": CHI_MOD, "main.go": (
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-chi/chi/v5"\n\t"github.com/rs/cors"\n)\n\n'
        "func logging(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, "
        "r *http.Request) {\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n\n"
        "func api() chi.Router {\n\tr := chi.NewRouter()\n\tr.Get(\"/items\", list)\n\treturn r\n}\n\n"
        "func main() {\n\tr := chi.NewRouter()\n\tr.Mount(\"/v1\", logging(api()))\n"
        "\tmux := http.NewServeMux()\n\tmux.Handle(\"/v2/\", http.StripPrefix(\"/v2\", cors.Default().Handler(api())))\n"
        "\tmux.Handle(\"/\", r)\n\thttp.ListenAndServe(\":80\", mux)\n}\n")}, "chi")
    assert {(e.method, e.path) for e in found.endpoints} == {("GET", "/v1/items"), ("GET", "/v2/items")}


def test_a_route_path_that_is_not_a_constant_is_a_problem_not_a_guess(tmp_path: Path) -> None:
    found = _app(tmp_path, {"go.mod": CHI_MOD, "main.go": (
        'package main\n\nimport (\n\t"os"\n\n\t"github.com/go-chi/chi/v5"\n)\n\n'
        "func main() {\n\tr := chi.NewRouter()\n\tr.Get(os.Getenv(\"HEALTH_PATH\"), h)\n\tr.Get(\"/ok\", h)\n}\n")},
        "chi")
    assert {(e.method, e.path) for e in found.endpoints} == {("GET", "/ok")}
    assert found.problems == ('main.go:11: route path `os.Getenv("HEALTH_PATH")` is not a constant; route left out',)


def test_broken_and_recursive_code_does_not_stop_the_reader(tmp_path: Path) -> None:
    found = _app(tmp_path, {"go.mod": CHI_MOD, "main.go": (
        'package main\n\nimport "github.com/go-chi/chi/v5"\n\n'
        "func mount(r chi.Router) {\n\tr.Get(\"/loop\", h)\n\tmount(r)\n\tr.Route(\"/deeper\", mount)\n}\n\n"
        "func main() {\n\tr := chi.NewRouter()\n\tmount(r)\n\tr.Mount(\"/self\", r)\n\tr.Get(\"/broken\", h\n}\n"),
        "other.go": "package main\n\nfunc h( {{{\n"}, "chi")
    # The recursive call is cut (the program itself would never finish building that router); the route after
    # the syntax error is still read, and mounting a router in itself is ignored.
    assert {(e.method, e.path) for e in found.endpoints} == {("GET", "/loop"), ("GET", "/broken")}
    assert found.files_read == ("main.go", "other.go")


def test_a_framework_in_go_mod_with_no_routes_is_reported(tmp_path: Path) -> None:
    found = _app(tmp_path, {"go.mod": CHI_MOD, "main.go": "package main\n\nfunc main() {}\n"}, "chi")
    assert (found.endpoints, found.evidence, found.files_read) == ((), (SourceRef(path="go.mod", line=5),),
                                                                    ("main.go",))


def test_absent_frameworks_return_nothing(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"go.mod": "module example.com/x\n\ngo 1.22\n", "main.go": (
        'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.Get("https://example.com")\n'
        '\thttp.ListenAndServe(":80", nil)\n}\n')})
    assert [a.name for a in ADAPTERS if run_adapter(a, root) is not None] == []


@pytest.mark.parametrize(("written", "shown"), [
    ("/items/{id}", "/items/{id}"), ("/files/{path...}", "/files/{path}"), ("/{$}", "/"),
    ("/posts/{id:[0-9]+}", "/posts/{id}"), ("/users/:id", "/users/{id}"), ("/static/*filepath", "/static/{filepath}"),
    ("/a/{x}/b/{$}", "/a/{x}/b"),
])
def test_go_path_patterns_are_normalised(written: str, shown: str) -> None:
    assert normalise_path(go_pattern(written)) == shown
