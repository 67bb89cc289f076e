# MyBatis (tables from the SQL schema, claimed by the mappers that use them) and JPA/Hibernate entities in Java and
# Kotlin, read from the fixture apps with the real analysis; exact entity and relation sets.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.analysis.datamodel.jpa import Jpa
from autodevhub_docs.analysis.datamodel.mybatis import MyBatis
from autodevhub_docs.analysis.endpoints.spring import SpringMvc
from autodevhub_docs.model import SourceRef
from autodevhub_docs.settings import from_options
from tests import mermaid as checker
from tests.fixture_apps import analysed, app_files, codebase, repository

_HIBERNATE_POM = (
    "<project><dependencies><dependency><groupId>org.hibernate.orm</groupId><artifactId>hibernate-core</artifactId>"
    "<version>6.4.0</version></dependency></dependencies></project>\n")


def _entities(arch_or_found) -> dict[str, tuple[str, str, tuple[tuple[str, str, str | None], ...]]]:
    return {e.name: (e.table, e.orm, tuple((f.name, f.type, f.key) for f in e.fields))
            for e in arch_or_found.entities}


def _relations(arch_or_found) -> set[tuple[str, str, str, str, str, str | None, bool]]:
    return {(r.left, r.cardinality, r.right, r.label, r.right_label, r.through, r.inferred)
            for r in arch_or_found.relations}


@pytest.fixture(scope="module")
def mybatis_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed(tmp_path_factory.mktemp("r") / "realworld", app_files("spring-mybatis"))


@pytest.fixture(scope="module")
def jpa_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed(tmp_path_factory.mktemp("r") / "shop", app_files("spring-jpa-kotlin"))


def test_mybatis_tables_come_from_the_schema_and_are_claimed_by_the_mappers(mybatis_app) -> None:
    varchar = "varchar(255)"
    assert _entities(mybatis_app) == {
        "users": ("users", "MyBatis", (("id", varchar, "PK"), ("username", varchar, "UK"), ("password", varchar, None),
                                       ("email", varchar, "UK"), ("bio", "text", None), ("image", "varchar(511)", None))),
        "articles": ("articles", "MyBatis", (
            ("id", varchar, "PK"), ("user_id", varchar, None), ("slug", varchar, "UK"), ("title", varchar, None),
            ("description", "text", None), ("body", "text", None), ("created_at", "TIMESTAMP", None),
            ("updated_at", "TIMESTAMP", None))),
        "article_favorites": ("article_favorites", "MyBatis", (("article_id", varchar, "PK"),
                                                               ("user_id", varchar, "PK"))),
        "follows": ("follows", "MyBatis", (("user_id", varchar, None), ("follow_id", varchar, None))),
        "tags": ("tags", "MyBatis", (("id", varchar, "PK"), ("name", varchar, None))),
        "article_tags": ("article_tags", "MyBatis", (("article_id", varchar, None), ("tag_id", varchar, None))),
        "comments": ("comments", "MyBatis", (
            ("id", varchar, "PK"), ("body", "text", None), ("article_id", varchar, None), ("user_id", varchar, None),
            ("created_at", "TIMESTAMP", None), ("updated_at", "TIMESTAMP", None))),
        "audit_events": ("audit_events", "SQL", (("id", "integer", "PK"), ("user_id", varchar, None),
                                                 ("action", "varchar(40)", None))),  # no mapper reads it
    }


def test_mybatis_relations_are_inferred_from_id_columns_without_constraints(mybatis_app) -> None:
    assert _relations(mybatis_app) == {
        ("articles", "many-to-one", "users", "user_id", "", None, True),
        ("articles", "many-to-many", "users", "article_favorites", "", "article_favorites", True),
        ("articles", "many-to-many", "tags", "article_tags", "", "article_tags", True),
        ("follows", "many-to-one", "users", "user_id", "", None, True),  # follow_id names no table
        ("comments", "many-to-one", "articles", "article_id", "", None, True),
        ("comments", "many-to-one", "users", "user_id", "", None, True),
        ("audit_events", "many-to-one", "users", "user_id", "", None, True),
    }
    reports = {r.framework: r for r in mybatis_app.framework_reports if r.kind == "entities"}
    assert {name: r.found for name, r in reports.items()} == {"MyBatis": 7, "SQL": 1}
    assert reports["MyBatis"].files_read == (
        "src/main/resources/mapper/ArticleMapper.xml", "src/main/resources/mapper/CommentMapper.xml",
        "src/main/java/io/realworld/mapper/UserMapper.java", "src/main/resources/schema.sql")


def test_mybatis_without_a_dependency_is_found_by_its_mapper_files(tmp_path: Path) -> None:
    files = {"src/main/resources/schema.sql": "create table notes (id int primary key, body text);\n",
             "src/main/resources/mapper/NoteMapper.xml": (
                 '<?xml version="1.0"?>\n<mapper namespace="x">\n  <select id="all">\n'
                 "    select * from notes\n  </select>\n</mapper>\n")}
    found = MyBatis().run(codebase(tmp_path / "r", files))
    assert found is not None
    assert (found.evidence, _entities(found)) == (
        (SourceRef(path="src/main/resources/mapper/NoteMapper.xml", line=2),),
        {"notes": ("notes", "MyBatis", (("id", "int", "PK"), ("body", "text", None)))})
    assert MyBatis().run(codebase(tmp_path / "plain", {"src/main/resources/schema.sql": files[
        "src/main/resources/schema.sql"]})) is None


def test_jpa_entities_of_a_kotlin_and_java_spring_boot_app(jpa_app) -> None:
    jpa = "JPA/Hibernate"
    base = (("id", "Long", "PK"), ("created_at", "Instant", None))  # from the @MappedSuperclass
    assert _entities(jpa_app) == {
        "User": ("users", jpa, (*base, ("email", "String", "UK"), ("display_name", "String", None))),
        "Profile": ("profile", jpa, (*base, ("user_id", "Long", "FK"), ("bio", "String", None))),
        "Product": ("product", jpa, (*base, ("name", "String", None), ("price", "BigDecimal", None),
                                     ("category_id", "Long", "FK"))),  # @Transient cachedScore is no column
        "Category": ("category", jpa, (*base, ("name", "String", None), ("parent_id", "Long", "FK"))),
        "Tag": ("tag", jpa, (("name", "String", "PK"),)),
        "ProductReview": ("product_review", jpa, (("id", "Long", "PK"), ("stars", "int", None),
                                                  ("body", "String", None), ("product_id", "Long", "FK"))),
    }  # ProductSummary (a data class) and BaseEntity are not entities
    profile = next(e for e in jpa_app.entities if e.name == "Profile")
    assert next(f for f in profile.fields if f.name == "user_id").references == "users.id"
    user = next(e for e in jpa_app.entities if e.name == "User")
    assert next(f for f in user.fields if f.name == "email").nullable is False


def test_jpa_relations_with_cardinality_both_ends_and_join_tables(jpa_app) -> None:
    assert _relations(jpa_app) == {
        ("User", "many-to-many", "User", "following", "followers", "user_follows", False),  # self, @JoinTable
        ("Profile", "one-to-one", "User", "user", "profile", None, False),
        ("Product", "many-to-one", "Category", "category", "products", None, False),
        ("Product", "many-to-many", "Tag", "tags", "products", "product_tags", False),
        ("Category", "many-to-one", "Category", "parent", "children", None, False),  # self
        ("ProductReview", "many-to-one", "Product", "product", "", None, False),
    }
    follows = next(r for r in jpa_app.relations if r.label == "following")
    assert follows.source == SourceRef(path="src/main/kotlin/shop/model/User.kt", line=19)


def test_spring_profiles_that_open_different_databases_are_both_evidence(tmp_path: Path) -> None:
    found = SpringMvc().run(codebase(tmp_path / "r", app_files("spring-jpa-kotlin")))
    assert found is not None
    assert found.technologies == (("PostgreSQL", SourceRef(path="src/main/resources/application.yml", line=8)),
                                  ("H2", SourceRef(path="src/main/resources/application.yml", line=17)))


def test_plain_hibernate_names_property_access_and_default_join_tables(tmp_path: Path) -> None:
    java = (
        "package a;\nimport javax.persistence.*;\nimport java.util.*;\n\n"
        "@Entity(name = \"Client\")\n@Table(name = Tables.CLIENTS)\npublic class Customer {\n"
        "  private Long id;\n  private String fullName;\n\n"
        "  @Id @GeneratedValue public Long getId() { return id; }\n"
        "  @Column(name = \"full_name\", nullable = false) public String getFullName() { return fullName; }\n"
        "  @Transient public String getDisplay() { return fullName; }\n"
        "  @OneToMany(targetEntity = Invoice.class) public List getInvoices() { return null; }\n}\n\n"
        "@Embeddable\nclass Address {\n  String street;\n  String city;\n}\n\n"
        "@Entity\nclass Invoice {\n  @EmbeddedId InvoiceKey key;\n  @Embedded Address billing;\n"
        "  @ElementCollection Set<String> notes;\n  @OneToMany @JoinColumn(name = \"invoice\") List<Line> lines;\n}\n\n"
        "@Embeddable\nclass InvoiceKey {\n  String year;\n  int number;\n}\n\n"
        "@Entity\nclass Line {\n  @Id long id;\n  @ManyToOne(targetEntity = Customer.class) Object owner;\n}\n\n"
        "final class Tables {\n  static final String CLIENTS = \"clients\";\n}\n")
    found = Jpa().run(codebase(tmp_path / "r", {"pom.xml": _HIBERNATE_POM, "src/main/java/a/Model.java": java}))
    assert found is not None
    assert _entities(found) == {
        "Client": ("clients", "JPA/Hibernate", (("id", "Long", "PK"), ("full_name", "String", None))),
        "Invoice": ("Invoice", "JPA/Hibernate", (("year", "String", "PK"), ("number", "int", "PK"),
                                                 ("street", "String", None), ("city", "String", None))),
        "Line": ("Line", "JPA/Hibernate", (("id", "long", "PK"), ("owner_id", "Long", "FK"))),
    }
    assert _relations(found) == {
        ("Client", "one-to-many", "Invoice", "invoices", "", "clients_Invoice", False),  # the default join table
        ("Invoice", "one-to-many", "Line", "lines", "", None, False),  # @JoinColumn: a key in Line, no join table
        ("Line", "many-to-one", "Client", "owner", "", None, False),
    }


def test_jpa_needs_its_dependency_or_imports_and_reports_an_empty_find(tmp_path: Path) -> None:
    plain = {"src/main/java/a/A.java": "package a;\npublic class A {}\n"}
    assert Jpa().run(codebase(tmp_path / "none", plain)) is None
    found = Jpa().run(codebase(tmp_path / "empty", {**plain, "pom.xml": _HIBERNATE_POM}))
    assert found is not None and found.entities == () and found.evidence == (SourceRef(path="pom.xml", line=1),)
    imported = Jpa().run(codebase(tmp_path / "imports", {"src/main/java/a/B.java": (
        "package a;\nimport jakarta.persistence.Entity;\n@Entity\npublic class B { @jakarta.persistence.Id long id; }\n")}))
    assert imported is not None
    assert (imported.evidence, _entities(imported)) == (
        (SourceRef(path="src/main/java/a/B.java", line=2),), {"B": ("B", "JPA/Hibernate", (("id", "long", "PK"),))})


def test_flyway_tables_that_repeat_jpa_entities_are_not_listed_twice(tmp_path: Path) -> None:
    files = {**app_files("spring-jpa-kotlin"), "src/main/resources/db/migration/V1__init.sql": (
        "create table users (id bigint primary key, created_at timestamp not null, email varchar(255) unique,\n"
        "  display_name varchar(255));\n"
        "create table user_sessions (id bigint primary key, user_id bigint references users(id), token text);\n")}
    arch = analysed(tmp_path / "shop", files)
    assert {e.name: e.orm for e in arch.entities} == {
        "User": "JPA/Hibernate", "Profile": "JPA/Hibernate", "Product": "JPA/Hibernate", "Category": "JPA/Hibernate",
        "Tag": "JPA/Hibernate", "ProductReview": "JPA/Hibernate", "user_sessions": "SQL"}
    sessions = [r for r in arch.relations if r.left == "user_sessions"]
    assert [(r.cardinality, r.right, r.label) for r in sessions] == [("many-to-one", "User", "user_id")]


@pytest.fixture(scope="module")
def jvm_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    pages = {}
    for app in ("spring-mybatis", "spring-jpa-kotlin", "jaxrs"):
        folder = tmp_path_factory.mktemp("pages")
        root = repository(folder / app, app_files(app)).root
        settings = from_options({"repo_path": str(root), "cache_dir": str(folder / "cache"), "llm": "offline"},
                                base_dir=folder)
        pages[app] = pipeline.run_build(settings).pages
    return pages


def _relation_cells(page: str) -> set[tuple[str, ...]]:
    table = page.split("## Relations", 1)[1].split("## Entities", 1)[0]
    rows = [r for r in table.split("\n") if r.startswith("| ") and "---" not in r and "Cardinality" not in r]
    return {tuple(c.strip() for c in row.split("|")[1:4]) for row in rows}


def test_the_schema_page_marks_relations_inferred_from_column_names(jvm_pages) -> None:
    inferred = " (inferred from the column name)"
    assert _relation_cells(jvm_pages["spring-mybatis"]["architecture/database-schema.md"]) == {
        ("articles", "many-to-one" + inferred, "users"), ("articles", "many-to-many" + inferred, "users"),
        ("articles", "many-to-many" + inferred, "tags"), ("follows", "many-to-one" + inferred, "users"),
        ("comments", "many-to-one" + inferred, "articles"), ("comments", "many-to-one" + inferred, "users"),
        ("audit\\_events", "many-to-one" + inferred, "users")}
    declared = _relation_cells(jvm_pages["spring-jpa-kotlin"]["architecture/database-schema.md"])
    assert ("Profile", "one-to-one", "User") in declared and not any(inferred in c for _, c, _ in declared)


@pytest.mark.mermaid
def test_every_diagram_of_the_jvm_apps_parses(jvm_pages) -> None:
    diagrams = checker.diagrams_in(text for pages in jvm_pages.values() for text in pages.values())
    for app in ("spring-mybatis", "spring-jpa-kotlin"):
        assert "```mermaid\nerDiagram" in jvm_pages[app]["architecture/database-schema.md"]
    checker.assert_all_parse(diagrams)


def test_orm_and_databases_of_each_app_are_named_with_their_evidence(mybatis_app, jpa_app) -> None:
    mybatis = {t.name: t for t in mybatis_app.technologies}
    assert {"Spring Boot", "MyBatis", "SQLite", "PostgreSQL"} <= set(mybatis)
    assert not {"JPA/Hibernate", "H2"} & set(mybatis)
    assert SourceRef(path="src/main/resources/application.properties", line=3) in mybatis["SQLite"].evidence
    jpa = {t.name: t for t in jpa_app.technologies}
    assert {"Spring Boot", "JPA/Hibernate", "PostgreSQL", "H2"} <= set(jpa) and "MyBatis" not in jpa
    assert SourceRef(path="src/main/resources/application.yml", line=17) in jpa["H2"].evidence  # the dev profile
