# Spring MVC/WebFlux (Java and Kotlin) and JAX-RS endpoints, read from the fixture apps with the real analysis:
# class and method mappings, arrays, constants across files, inherited mappings, global prefixes from Spring's
# configuration, JAX-RS application paths and sub-resource locators.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.endpoints import spring_config
from autodevhub_docs.analysis.endpoints.jaxrs import JaxRs
from autodevhub_docs.analysis.endpoints.spring import SpringMvc
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import parse
from tests.fixture_apps import analysed, app_files, codebase

_CONTROLLER = (
    "package a;\n\nimport org.springframework.web.bind.annotation.*;\n\n"
    "@RestController\n@RequestMapping(\"{prefix}\")\npublic class C {{\n{body}}}\n")


@pytest.fixture(scope="module")
def mybatis_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed(tmp_path_factory.mktemp("r") / "realworld", app_files("spring-mybatis"))


def _pairs(arch, framework: str) -> set[tuple[str, str]]:
    return {(e.method, e.path) for e in arch.endpoints if e.framework == framework}


def test_spring_controllers_with_class_prefixes_arrays_constants_and_context_path(mybatis_app) -> None:
    assert _pairs(mybatis_app, "Spring Boot") == {
        ("POST", "/api/articles"), ("GET", "/api/articles"), ("GET", "/api/articles/feed"),
        ("GET", "/api/articles/{slug}"), ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
        ("POST", "/api/articles/{slug}/comments"), ("GET", "/api/articles/{slug}/comments"),
        ("DELETE", "/api/articles/{slug}/comments/{id}"),
        ("POST", "/api/articles/{slug}/favorite"), ("DELETE", "/api/articles/{slug}/favorite"),
        ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
        ("DELETE", "/api/profiles/{username}/follow"),
        ("GET", "/api/tags"),
        ("POST", "/api/users"), ("POST", "/api/users/login"), ("POST", "/api/login"),  # one per path of an array
        ("GET", "/api/user"), ("PUT", "/api/user"),
        ("ANY", "/api/health"),  # @RequestMapping with no method accepts every method
    }
    assert len(mybatis_app.endpoints) == 21  # the stub controller under src/test is not the app's
    feed = next(e for e in mybatis_app.endpoints if e.path == "/api/articles/feed")
    assert (feed.handler, feed.source) == ("ArticlesApi.getFeed", SourceRef(
        path="src/main/java/io/realworld/api/ArticlesApi.java", line=19))
    report = next(r for r in mybatis_app.framework_reports if r.framework == "Spring Boot")
    assert (report.found, report.problems, report.evidence) == (21, (), (SourceRef(path="build.gradle", line=11),))


def test_spring_datasource_of_each_profile_is_technology_evidence(tmp_path: Path, mybatis_app) -> None:
    found = SpringMvc().run(codebase(tmp_path / "r", app_files("spring-mybatis")))
    assert found is not None
    assert found.technologies == (
        ("SQLite", SourceRef(path="src/main/resources/application.properties", line=3)),
        ("PostgreSQL", SourceRef(path="src/main/resources/application-prod.properties", line=1)),
    )
    sqlite = next(t for t in mybatis_app.technologies if t.name == "SQLite")
    assert SourceRef(path="src/main/resources/application.properties", line=3) in sqlite.evidence


def test_kotlin_controllers_interfaces_const_val_templates_and_yaml_context_path(tmp_path: Path) -> None:
    arch = analysed(tmp_path / "shop", app_files("spring-jpa-kotlin"))
    assert _pairs(arch, "Spring Boot") == {
        # mappings declared on the implemented interface, with `const val` paths and string templates
        ("GET", "/shop/api/products"), ("GET", "/shop/api/products/{id}"), ("POST", "/shop/api/products"),
        # a class mapping with two paths times each method mapping; a regex parameter is shown as {id}
        ("GET", "/shop/api/categories"), ("GET", "/shop/api/cats"),
        ("GET", "/shop/api/categories/{id}"), ("HEAD", "/shop/api/categories/{id}"),
        ("GET", "/shop/api/cats/{id}"), ("HEAD", "/shop/api/cats/{id}"),
        ("GET", "/shop/api/categories/{id}/children"), ("GET", "/shop/api/cats/{id}/children"),
        # companion object constants
        ("POST", "/shop/api/users/{id}/follow"), ("DELETE", "/shop/api/users/{id}/follow"),
        ("PATCH", "/shop/api/users/{id}"),
    }
    listed = next(e for e in arch.endpoints if e.path == "/shop/api/products" and e.method == "GET")
    assert (listed.handler, listed.source.path) == ("ProductsController.list", "src/main/kotlin/shop/web/ProductsApi.kt")


def test_jaxrs_resources_application_path_locators_and_interfaces(tmp_path: Path) -> None:
    arch = analysed(tmp_path / "jaxrs", app_files("jaxrs"))
    assert _pairs(arch, "Jakarta REST") == {
        ("GET", "/rest/orders"), ("POST", "/rest/orders"), ("GET", "/rest/orders/{id}"),
        ("PUT", "/rest/orders/{id}"), ("DELETE", "/rest/orders/{id}"),
        ("GET", "/rest/orders/{id}/items"), ("HEAD", "/rest/orders/{id}/items"),
        ("GET", "/rest/orders/{id}/items/{itemId}"),
        ("GET", "/rest/customers"), ("GET", "/rest/customers/{id}"), ("PATCH", "/rest/customers/{id}"),
        ("OPTIONS", "/rest/customers"),
    }  # the REST client interface nobody implements serves nothing
    handlers = {e.handler for e in arch.endpoints}
    assert "CustomersResource.get" in handlers and not any(h.startswith("RemoteInventory") for h in handlers)


@pytest.mark.parametrize(("files", "expected"), [
    ({"src/main/resources/application.properties": "server.servlet.contextPath = /v1\n"}, "/v1/c/x"),
    ({"src/main/resources/application.properties": "server.servlet.context_path: /v1\\\n  /inner\n"},
     "/v1/inner/c/x"),
    ({"src/main/resources/application.properties": "server.servlet.context-path=${CTX:/dflt}\n"}, "/dflt/c/x"),
    ({"src/main/resources/application.properties": "server.servlet.context-path=${CTX}\n"}, "/c/x"),
    ({"src/main/resources/application.yml": "spring:\n  mvc:\n    servlet:\n      path: /mvc\n"}, "/mvc/c/x"),
    ({"src/main/resources/application.yml": "server.servlet.context-path: /a\nspring.profiles.active: prod\n",
      "src/main/resources/application-prod.yml": "server:\n  servlet:\n    context-path: /p\n"}, "/p/c/x"),
    ({"src/main/resources/application.properties": "spring.profiles.active=dev\nserver.servlet.context-path=/a\n"
                                                   "#---\nspring.config.activate.on-profile=dev\n"
                                                   "server.servlet.context-path=/d\n"}, "/d/c/x"),
    ({"src/main/resources/application.properties": "server.servlet.context-path=/a\n#---\n"
                                                   "spring.config.activate.on-profile=dev\n"
                                                   "server.servlet.context-path=/d\n"}, "/a/c/x"),
    ({"config/application.yml": "spring:\n  webflux:\n    base-path: /flux\n"}, "/flux/c/x"),
    ({"other/src/main/resources/application.properties": "server.servlet.context-path=/other\n"}, "/c/x"),
])
def test_spring_global_prefix_from_configuration(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    controller = _CONTROLLER.format(prefix="/c", body="  @GetMapping(\"x\")\n  String x() { return \"\"; }\n")
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/java/a/C.java": controller, **files}))
    assert found is not None
    assert [(e.method, e.path) for e in found.endpoints] == [("GET", expected)]


def test_modules_take_their_own_configuration(tmp_path: Path) -> None:
    controller = _CONTROLLER.format(prefix="/c", body="  @GetMapping\n  String x() { return \"\"; }\n")
    found = SpringMvc().run(codebase(tmp_path / "r", {
        "orders/src/main/java/a/C.java": controller, "users/src/main/java/a/C.java": controller,
        "orders/src/main/resources/application.properties": "server.servlet.context-path=/orders\n",
        "users/src/main/resources/application.yml": "server:\n  servlet:\n    context-path: /users\n",
    }))
    assert found is not None
    assert {(e.path, e.source.path) for e in found.endpoints} == {
        ("/orders/c", "orders/src/main/java/a/C.java"), ("/users/c", "users/src/main/java/a/C.java")}


def test_inherited_mappings_and_overrides(tmp_path: Path) -> None:
    base = ("package a;\nimport org.springframework.web.bind.annotation.*;\n"
            "@RequestMapping(\"/base\")\npublic abstract class Base {\n"
            "  @GetMapping(\"/one\") public String one() { return \"\"; }\n"
            "  @GetMapping(\"/two\") public String two() { return \"\"; }\n}\n")
    child = ("package a;\nimport org.springframework.web.bind.annotation.*;\n"
             "@RestController\npublic class Child extends Base {\n"
             "  @Override public String one() { return \"\"; }\n"
             "  @Override @PostMapping(\"/two\") public String two() { return \"\"; }\n}\n")
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/java/a/Base.java": base,
                                                      "src/main/java/a/Child.java": child}))
    assert found is not None
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {
        ("GET", "/base/one", "Child.one"), ("POST", "/base/two", "Child.two")}  # the abstract base serves nothing


def test_class_level_methods_apply_to_handlers_without_their_own(tmp_path: Path) -> None:
    body = ("  @RequestMapping(\"/a\") String a() { return \"\"; }\n"
            "  @RequestMapping(value = \"/b\", method = {RequestMethod.PUT, RequestMethod.PATCH}) String b() "
            "{ return \"\"; }\n")
    controller = _CONTROLLER.format(prefix="/c", body=body).replace(
        '@RequestMapping("/c")', '@RequestMapping(path = "/c", method = RequestMethod.POST)')
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/java/a/C.java": controller}))
    assert found is not None
    assert {(e.method, e.path) for e in found.endpoints} == {("POST", "/c/a"), ("PUT", "/c/b"), ("PATCH", "/c/b")}


def test_a_path_that_is_not_a_constant_is_a_problem_not_an_invented_endpoint(tmp_path: Path) -> None:
    body = "  @GetMapping(Config.dynamicPath()) String x() { return \"\"; }\n  @GetMapping(\"/ok\") String y() " \
           "{ return \"\"; }\n"
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/java/a/C.java": _CONTROLLER.format(
        prefix="/c", body=body)}))
    assert found is not None
    assert [(e.method, e.path) for e in found.endpoints] == [("GET", "/c/ok")]
    assert found.problems == ("src/main/java/a/C.java:8: the path 'Config.dynamicPath()' is not a constant the "
                              "analysis can read",)


def test_a_path_of_two_thousand_concatenated_strings_is_read_without_recursion(tmp_path: Path) -> None:
    long_path = " + ".join(['"/p"'] * 2000)
    body = f"  @GetMapping({long_path}) String x() {{ return \"\"; }}\n"
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/java/a/C.java": _CONTROLLER.format(
        prefix="/c", body=body)}))
    assert found is not None
    assert [e.path for e in found.endpoints] == ["/c" + "/p" * 2000]


def test_constants_that_refer_to_each_other_in_a_cycle_give_no_path(tmp_path: Path) -> None:
    body = ("  static final String A = B + \"/a\";\n  static final String B = A + \"/b\";\n"
            "  @GetMapping(A) String x() { return \"\"; }\n")
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/java/a/C.java": _CONTROLLER.format(
        prefix="/c", body=body)}))
    assert found is not None
    assert found.endpoints == () and len(found.problems) == 1


def test_detection_needs_spring_or_jaxrs_and_reports_an_empty_find(tmp_path: Path) -> None:
    plain = {"src/main/java/a/Main.java": "package a;\npublic class Main { public static void main(String[] a) {} }\n"}
    assert SpringMvc().run(codebase(tmp_path / "plain", plain)) is None
    assert JaxRs().run(codebase(tmp_path / "plain2", plain)) is None
    gradle = {"build.gradle": "dependencies {\n  implementation 'org.springframework.boot:spring-boot-starter-web'\n}\n"}
    found = SpringMvc().run(codebase(tmp_path / "empty", {**plain, **gradle}))
    assert found is not None
    assert (found.endpoints, found.evidence) == ((), (SourceRef(path="build.gradle", line=2),))
    test_only = {"build.gradle": "dependencies {\n  testImplementation 'org.springframework.boot:spring-boot-starter-web'"
                                 "\n}\n"}
    assert SpringMvc().run(codebase(tmp_path / "test-only", {**plain, **test_only})) is None
    sample = {"examples/demo/build.gradle": gradle["build.gradle"]}  # another program's manifest
    assert SpringMvc().run(codebase(tmp_path / "sample", {**plain, **sample})) is None


def test_spring_settings_read_properties_and_yaml_with_lines(tmp_path: Path) -> None:
    code = codebase(tmp_path / "r", {
        "src/main/resources/application.properties": "# comment\n! other\nserver.port 8080\nkey\\:with=colon\n",
        "src/main/resources/application.yml": "spring:\n  datasource:\n    url: jdbc:h2:mem:x\nlist:\n  - a\n",
        "src/main/resources/application-bad.yml": "a: [unclosed\n",
        "src/test/resources/application.properties": "server.port=1\n",
    })
    settings, problems = spring_config.settings(code)
    assert {(s.key, s.value, s.path.rsplit("/", 1)[-1], s.line) for s in settings} == {
        ("server.port", "8080", "application.properties", 3), ("key:with", "colon", "application.properties", 4),
        ("spring.datasource.url", "jdbc:h2:mem:x", "application.yml", 3), ("list[0]", "a", "application.yml", 5)}
    assert problems == ["src/main/resources/application-bad.yml: not valid YAML at line 2"]


def test_kotlin_declarations_the_grammar_misreads_as_expressions_are_read_again_alone(tmp_path: Path) -> None:
    # In a whole file, tree-sitter-kotlin reads this controller as `@RestController (@RequestMapping (class C {...}))`
    # expressions (no ERROR node) because of the entity after it; parsed alone, the span is a class declaration.
    methods = "".join(f'  @GetMapping("$BASE/m{m}")\n  fun m{m}(): String {{\n    var x = 0\n'
                      f"    for (i in 0 until 10) {{ x += i }}\n    return \"\" + x\n  }}\n\n" for m in range(25))
    source = ("package a\nimport org.springframework.web.bind.annotation.*\n\n@RestController\n"
              "@RequestMapping(\"/api/k\")\nclass K {\n  companion object {\n    const val BASE = \"/items\"\n  }\n"
              f"{methods}}}\n\n@Entity\nclass F(@Id var id: Long? = null, var name: String = \"\")\n")
    parsed = parse("kotlin", source)
    assert parsed is not None and "annotated_expression" in [c.type for c in parsed.root.children]  # the misreading
    found = SpringMvc().run(codebase(tmp_path / "r", {"src/main/kotlin/a/K.kt": source}))
    assert found is not None
    assert {e.path for e in found.endpoints} == {f"/api/k/items/m{m}" for m in range(25)}
