# The JVM adapters parse only the Java and Kotlin files that can matter to them, and still see what reading every
# file shows: supertypes and sub-resources found by name in files with no annotation, JAX-RS classes that take
# their `@Path` from an interface several levels up, mapped superclasses reached through a plain class, and
# constants from any file. Each test would fail if a look-up missed a file the marker filter left unread.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.jpa import Jpa
from autodevhub_docs.analysis.endpoints.jaxrs import JaxRs
from autodevhub_docs.analysis.endpoints.jvm_code import read_jvm
from autodevhub_docs.analysis.endpoints.spring import SpringMvc
from tests.fixture_apps import codebase

_J = "src/main/java/a/"
_SERVICE = "package a;\n\npublic class Billing {\n  int total(int a) { return a * 2; }\n}\n"


def test_spring_reads_a_chain_of_supertypes_through_files_without_annotations(tmp_path: Path) -> None:
    files = {
        f"{_J}Base.java": ("package a;\nimport org.springframework.web.bind.annotation.*;\n"
                           "@RequestMapping(Routes.ROOT)\npublic abstract class Base {\n"
                           "  @GetMapping(Routes.ONE) public String one() { return \"\"; }\n}\n"),
        f"{_J}Middle.java": "package a;\n\npublic abstract class Middle extends Base {\n}\n",
        f"{_J}Routes.java": ("package a;\n\npublic final class Routes {\n"
                             "  public static final String ROOT = \"/root\";\n"
                             "  static final String ONE = ROOT + \"/one\";\n}\n"),
        f"{_J}Api.java": "package a;\n\npublic interface Api {\n  String TWO = \"/two\";\n}\n",
        f"{_J}Billing.java": _SERVICE,
        f"{_J}Child.java": ("package a;\nimport org.springframework.web.bind.annotation.*;\n"
                            "@RestController\npublic class Child extends Middle {\n"
                            "  @PostMapping(Api.TWO) public String two() { return \"\"; }\n}\n"),
    }
    code = codebase(tmp_path / "r", files)
    found = SpringMvc().run(code)
    assert found is not None
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {
        ("GET", "/root/root/one", "Child.one"), ("POST", "/root/two", "Child.two")}
    assert read_jvm(code).parsed_paths == [f"{_J}Api.java", f"{_J}Base.java", f"{_J}Child.java",
                                           f"{_J}Middle.java", f"{_J}Routes.java"]  # never the service


def test_jaxrs_classes_take_their_path_from_an_interface_levels_up_in_files_without_path(tmp_path: Path) -> None:
    files = {
        f"{_J}Orders.java": ("package a;\nimport jakarta.ws.rs.*;\n@Path(\"/orders\")\npublic interface Orders {\n"
                             "  @GET String list();\n}\n"),
        f"{_J}MoreOrders.java": "package a;\n\npublic interface MoreOrders extends Orders {\n}\n",
        f"{_J}OrdersImpl.java": ("package a;\n\npublic class OrdersImpl implements MoreOrders {\n"
                                 "  public String list() { return \"\"; }\n}\n"),
        f"{_J}AuditedOrders.java": "package a;\n\npublic class AuditedOrders extends OrdersImpl {\n}\n",
        f"{_J}Billing.java": _SERVICE,
        f"{_J}Shop.java": ("package a;\nimport jakarta.ws.rs.*;\n@Path(\"/shop\")\npublic class Shop {\n"
                           "  @Path(\"items\") public Items items() { return new Items(); }\n}\n"),
        f"{_J}Items.java": "package a;\nimport jakarta.ws.rs.*;\npublic class Items {\n  @GET public String all() "
                           "{ return \"\"; }\n}\n",
    }
    found = JaxRs().run(codebase(tmp_path / "r", files))
    assert found is not None
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {
        ("GET", "/orders", "OrdersImpl.list"), ("GET", "/orders", "AuditedOrders.list"),
        ("GET", "/shop/items", "Items.all")}


@pytest.mark.parametrize("order", ["entity first", "entity last"])
def test_jpa_reads_a_mapped_superclass_through_a_plain_class(tmp_path: Path, order: str) -> None:
    entity = {f"{_J}Item.java": ("package a;\nimport jakarta.persistence.*;\n@Entity\npublic class Item "
                                 "extends Named {\n  @Id private Long id;\n}\n")}
    rest = {
        f"{_J}Named.java": "package a;\n\npublic abstract class Named extends Stamped {\n  private String nick;\n}\n",
        f"{_J}Stamped.java": ("package a;\nimport jakarta.persistence.*;\n@MappedSuperclass\n"
                              "public abstract class Stamped {\n  private String created;\n}\n"),
        f"{_J}Billing.java": _SERVICE,
    }
    files = {**entity, **rest} if order == "entity first" else {**rest, **entity}
    found = Jpa().run(codebase(tmp_path / "r", files))
    assert found is not None
    assert [(e.name, [f.name for f in e.fields]) for e in found.entities] == [("Item", ["created", "id"])]


@pytest.mark.parametrize("declaration", [
    "public abstract class /* the base of every controller */ Middle extends Base {}",
    "public abstract class\n    Middle\n    extends Base {}",
    "@SuppressWarnings(\"x\") abstract class Middle extends Base {}",
])
def test_a_supertype_is_found_however_its_declaration_is_written(tmp_path: Path, declaration: str) -> None:
    files = {
        f"{_J}Base.java": ("package a;\nimport org.springframework.web.bind.annotation.*;\n"
                           "public abstract class Base {\n  @GetMapping(\"/one\") public String one() { return \"\"; }\n}\n"),
        f"{_J}Middle.java": f"package a;\n\n{declaration}\n",
        f"{_J}Child.java": ("package a;\nimport org.springframework.web.bind.annotation.*;\n"
                            "@RestController\npublic class Child extends Middle {\n}\n"),
    }
    found = SpringMvc().run(codebase(tmp_path / "r", files))
    assert found is not None
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {("GET", "/one", "Child.one")}
