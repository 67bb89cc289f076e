# ASP.NET Core with EF Core: a realworld-like API (attribute-routed controllers with the [controller] token and an
# inherited route, and a minimal-API part whose groups are filled by extension methods in other files) read
# through the real analysis; its EF Core model (DbSets, conventions, fluent configuration, join entities, skip
# navigations) and the database per environment; then the routing and mapping rules one at a time.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.efcore import EfCore
from autodevhub_docs.analysis.endpoints.aspnet import AspNetCore
from autodevhub_docs.model import SourceRef
from tests.stack_apps import analysed, app_files, pairs, repository, run_adapter

WEB_PROJECT = '<Project Sdk="Microsoft.NET.Sdk.Web">\n</Project>\n'
EF_PROJECT = ('<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n    <PackageReference '
              'Include="Microsoft.EntityFrameworkCore.Sqlite" Version="8.0.1" />\n  </ItemGroup>\n</Project>\n')


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repository(tmp_path_factory.mktemp("aspnet") / "conduit", app_files("aspnet_realworld"))


@pytest.fixture(scope="module")
def realworld_arch(realworld: Path):
    return analysed(realworld)


REALWORLD_ENDPOINTS = {
    ("GET", "/api/Articles"), ("POST", "/api/Articles"), ("GET", "/api/Articles/feed"),
    ("GET", "/api/Articles/{slug}"), ("PUT", "/api/Articles/{slug}"), ("DELETE", "/api/Articles/{slug}"),
    ("POST", "/api/Articles/{slug}/favorite"), ("DELETE", "/api/Articles/{slug}/favorite"),
    ("GET", "/api/articles/{slug}/comments"), ("POST", "/api/articles/{slug}/comments"),
    ("DELETE", "/api/articles/{slug}/comments/{id}"),
    ("POST", "/api/users"), ("POST", "/api/users/login"),
    ("GET", "/api/user"), ("PUT", "/api/user"), ("PATCH", "/api/user"), ("GET", "/version"), ("HEAD", "/version"),
    ("GET", "/admin/Dashboard/Stats"), ("GET", "/admin/Dashboard/reports/{year}/{month}"), ("GET", "/reports/{year}"),
    ("ANY", "/admin/Dashboard/ping"),
    ("GET", "/api/tags"), ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
    ("DELETE", "/api/profiles/{username}/follow"), ("GET", "/api/ping"), ("HEAD", "/api/ping"), ("GET", "/health"),
}


def test_realworld_lists_every_controller_and_minimal_api_route_and_nothing_else(realworld_arch) -> None:
    assert pairs(realworld_arch, "ASP.NET Core") == REALWORLD_ENDPOINTS
    assert {e.framework for e in realworld_arch.endpoints} == {"ASP.NET Core"}


def test_realworld_handlers_and_lines(realworld_arch) -> None:
    by_route = {(e.method, e.path): e for e in realworld_arch.endpoints}
    favorite = by_route[("POST", "/api/Articles/{slug}/favorite")]
    assert (favorite.handler, favorite.source) == (
        "ArticlesController.FavoriteAsync", SourceRef(path="src/Conduit/Features/Articles/ArticlesController.cs",
                                                      line=31))
    follow = by_route[("POST", "/api/profiles/{username}/follow")]
    assert (follow.handler, follow.source) == ("Follow", SourceRef(
        path="src/Conduit/Features/Profiles/ProfileEndpoints.cs", line=9))
    assert by_route[("GET", "/health")].handler == "anonymous function"


def test_test_projects_are_not_the_application(realworld_arch) -> None:
    assert all(e.path != "/test-only" for e in realworld_arch.endpoints)
    reports = [r for r in realworld_arch.framework_reports if r.framework == "ASP.NET Core"]
    assert not [p for r in reports for p in r.files_read if "IntegrationTests" in p]


REALWORLD_ENTITIES = {
    ("Article", "Articles"), ("Comment", "comments"), ("Person", "people"), ("Tag", "Tags"),
    ("ArticleTag", "ArticleTags"), ("ArticleFavorite", "ArticleFavorites"), ("FollowedPeople", "FollowedPeople"),
    ("Category", "Category"), ("PersonSettings", "person_settings"),
}
REALWORLD_RELATIONS = {
    ("ArticleTag", "Article", "many-to-one", "Article", "ArticleTags", None),
    ("ArticleTag", "Tag", "many-to-one", "Tag", "ArticleTags", None),
    ("ArticleFavorite", "Article", "many-to-one", "Article", "ArticleFavorites", None),
    ("ArticleFavorite", "Person", "many-to-one", "Person", "ArticleFavorites", None),
    ("FollowedPeople", "Person", "many-to-one", "Observer", "Following", None),
    ("FollowedPeople", "Person", "many-to-one", "Target", "Followers", None),
    ("Comment", "Article", "many-to-one", "Article", "Comments", None),
    ("Comment", "Person", "many-to-one", "Author", "", None),
    ("Article", "Person", "many-to-one", "Author", "", None),
    ("PersonSettings", "Person", "one-to-one", "Person", "Settings", None),
    ("Article", "Category", "many-to-many", "Categories", "Articles", "ArticleCategory"),
    ("Article", "Tag", "many-to-many", "ArticleTags", "ArticleTags", "ArticleTags"),
    ("Article", "Person", "many-to-many", "ArticleFavorites", "ArticleFavorites", "ArticleFavorites"),
    ("Person", "Person", "many-to-many", "Following", "Followers", "FollowedPeople"),
}


def test_ef_core_entities_are_what_the_context_maps(realworld_arch) -> None:
    assert {(e.name, e.table) for e in realworld_arch.entities} == REALWORLD_ENTITIES
    assert {e.orm for e in realworld_arch.entities} == {"EF Core"}


def test_ef_core_relations_join_entities_and_skip_navigations(realworld_arch) -> None:
    found = {(r.left, r.right, r.cardinality, r.label, r.right_label, r.through) for r in realworld_arch.relations}
    assert found == REALWORLD_RELATIONS


def test_ef_core_columns_keys_and_nullability(realworld_arch) -> None:
    entities = {e.name: e for e in realworld_arch.entities}
    article = {f.name: (f.type, f.key, f.references, f.nullable) for f in entities["Article"].fields}
    assert article == {
        "ArticleId": ("int", "PK", None, False), "Slug": ("string?", "UK", None, True),
        "Title": ("string", None, None, False), "Description": ("string?", None, None, True),
        "Body": ("string?", None, None, True), "AuthorId": ("int", "FK", "people.PersonId", False),
        "CreatedAt": ("DateTime", None, None, False), "UpdatedAt": ("DateTime", None, None, False),
    }
    join = {f.name: (f.key, f.references) for f in entities["ArticleTag"].fields}
    assert join == {"ArticleId": ("PK", "Articles.ArticleId"), "TagId": ("PK", "Tags.TagId")}


def test_the_database_is_told_per_environment(realworld: Path) -> None:
    for adapter in (EfCore(), AspNetCore()):
        found = run_adapter(adapter, realworld)
        assert found is not None
        assert found.technologies == (("SQLite", SourceRef(path="src/Conduit/Program.cs", line=12)),
                                      ("PostgreSQL", SourceRef(path="src/Conduit/Program.cs", line=16)))
        assert found.environments == (("SQLite", "Development"), ("PostgreSQL", "not Development"))


def test_the_architecture_names_the_framework_the_orm_both_databases_and_the_tests(realworld_arch) -> None:
    assert {t.name for t in realworld_arch.technologies} == {"ASP.NET Core", "EF Core", "PostgreSQL", "SQLite",
                                                             "xUnit"}
    assert realworld_arch.test_files == ("src/Conduit.IntegrationTests/FakeController.cs",)


def _endpoints(tmp_path: Path, **files: str) -> set[tuple[str, str, str]]:
    root = repository(tmp_path / "app", {"App/App.csproj": WEB_PROJECT,
                                         **{f"App/{k.replace('__', '/')}.cs": v for k, v in files.items()}})
    found = run_adapter(AspNetCore(), root)
    assert found is not None
    return {(e.method, e.path, e.handler) for e in found.endpoints}


CONTROLLER_TABLE = [
    ('[Route("api/[controller]/[action]")]\npublic class OrdersController : ControllerBase {\n'
     '  [HttpGet] public IActionResult ListAsync() => Ok();\n'
     '  [HttpPost, ActionName("place")] public IActionResult Create() => Ok();\n}',
     {("GET", "/api/Orders/List", "OrdersController.ListAsync"), ("POST", "/api/Orders/place",
                                                                  "OrdersController.Create")}),
    ('[ApiController]\npublic class Search : ControllerBase {\n  [HttpGet("/search/{q}")] public IActionResult Q() => Ok();\n'
     '  [HttpGet] public IActionResult NoRoute() => Ok();\n}',
     {("GET", "/search/{q}", "Search.Q")}),
    ('[Route("v1/things")]\n[Route("v2/things")]\npublic class ThingsController : Controller {\n'
     '  [HttpGet("{id:guid}")] public IActionResult Get() => Ok();\n  public IActionResult Index() => Ok();\n'
     '  protected IActionResult Helper() => Ok();\n  public static void Tool() { }\n}',
     {("GET", "/v1/things/{id}", "ThingsController.Get"), ("GET", "/v2/things/{id}", "ThingsController.Get"),
      ("ANY", "/v1/things", "ThingsController.Index"), ("ANY", "/v2/things", "ThingsController.Index")}),
    ('public class HomeController : Controller {\n  public IActionResult Index() => View();\n}', set()),
    ('[Route("pages")]\npublic class PagesController : ControllerBase {\n'
     '  [Route("{page=1}")] [HttpGet] [HttpHead] public IActionResult Page(int page) => Ok();\n'
     '  [AcceptVerbs("PUT", "PATCH", Route = "~/raw/{*path}")] public IActionResult Raw() => Ok();\n}',
     {("GET", "/pages/{page}", "PagesController.Page"), ("HEAD", "/pages/{page}", "PagesController.Page"),
      ("PUT", "/raw/{path}", "PagesController.Raw"), ("PATCH", "/raw/{path}", "PagesController.Raw")}),
    ('[NonController]\n[Route("x")]\npublic class HiddenController : ControllerBase {\n  [HttpGet] public void A() { }\n}',
     set()),
]


@pytest.mark.parametrize(("source", "expected"), CONTROLLER_TABLE)
def test_attribute_routing_rules(source: str, expected: set[tuple[str, str, str]], tmp_path: Path) -> None:
    assert _endpoints(tmp_path, Controller="using Microsoft.AspNetCore.Mvc;\n" + source) == expected


def test_minimal_api_groups_static_registrations_interfaces_and_use_endpoints(tmp_path: Path) -> None:
    found = _endpoints(
        tmp_path,
        Program=('var app = WebApplication.CreateBuilder(args).Build();\nvar v1 = app.MapGroup("/v1");\n'
                 'var admin = v1.MapGroup("admin").RequireAuthorization();\nOrderEndpoints.Register(v1);\n'
                 'admin.MapMethods("/cache", [HttpMethods.Delete, "PURGE"], Clear);\n'
                 'foreach (var module in new IModule[] { new Users() }) { module.AddRoutes(v1); }\n'
                 'app.UseEndpoints(endpoints => { endpoints.MapGet("/legacy", () => "x"); });\napp.Run();\n'),
        Orders=('public static class OrderEndpoints {\n  public const string Base = "/orders";\n'
                '  public static void Register(IEndpointRouteBuilder routes) {\n'
                '    var group = routes.MapGroup(Base);\n    group.MapGet("", List);\n'
                '    group.MapPatch($"{Base}/{{id}}", Patch);\n  }\n}\n'),
        Modules=('public interface IModule { void AddRoutes(IEndpointRouteBuilder app); }\n'
                 'public class Users : IModule {\n  public void AddRoutes(IEndpointRouteBuilder app) =>\n'
                 '    app.MapPost("/users", (User u) => Results.Created());\n}\n'),
    )
    assert found == {("GET", "/v1/orders", "List"), ("PATCH", "/v1/orders/orders/{id}", "Patch"),
                     ("DELETE", "/v1/admin/cache", "Clear"), ("PURGE", "/v1/admin/cache", "Clear"),
                     ("POST", "/v1/users", "anonymous function"), ("GET", "/legacy", "anonymous function")}


def test_a_pattern_that_is_not_a_constant_is_a_problem(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"App.csproj": WEB_PROJECT, "Program.cs": (
        'var app = WebApplication.Create();\napp.MapGet(Environment.GetEnvironmentVariable("P"), () => 1);\n'
        'app.MapGet("/ok", () => 1);\n')})
    found = run_adapter(AspNetCore(), root)
    assert found is not None
    assert {(e.method, e.path) for e in found.endpoints} == {("GET", "/ok")}
    assert found.problems == ('Program.cs:2: route pattern `Environment.GetEnvironmentVariable("P")` is not a '
                              "constant; route left out",)


def test_no_aspnet_no_result_and_broken_code_is_survived(tmp_path: Path) -> None:
    plain = repository(tmp_path / "plain", {"Lib.csproj": '<Project Sdk="Microsoft.NET.Sdk">\n</Project>\n',
                                            "Lib.cs": "public class Thing { }\n"})
    assert run_adapter(AspNetCore(), plain) is None
    assert run_adapter(EfCore(), plain) is None
    broken = repository(tmp_path / "broken", {"App.csproj": WEB_PROJECT, "Program.cs": (
        'var app = WebApplication.Create();\napp.MapGet("/a", () => 1;\nclass {{{ \napp.MapGet("/b", () => 2);\n')})
    found = run_adapter(AspNetCore(), broken)
    assert found is not None and ("GET", "/a") in {(e.method, e.path) for e in found.endpoints}


def _model(tmp_path: Path, context: str, **classes: str):
    files = {"App/App.csproj": EF_PROJECT, "App/Data.cs": "using Microsoft.EntityFrameworkCore;\n" + context,
             **{f"App/{name}.cs": text for name, text in classes.items()}}
    found = run_adapter(EfCore(), repository(tmp_path / "app", files))
    assert found is not None
    return found


def test_ef_core_annotations_inverse_properties_owned_types_and_shadow_keys(tmp_path: Path) -> None:
    found = _model(
        tmp_path,
        'public class ShopContext : DbContext {\n  public DbSet<Order> Orders { get; set; }\n'
        '  public DbSet<Customer> Customers { get; set; }\n'
        '  protected override void OnModelCreating(ModelBuilder b) {\n'
        '    b.Entity<Order>().OwnsOne(o => o.Shipping);\n    b.Entity<Customer>().Ignore(c => c.Cache);\n'
        '    b.Entity<Customer>().HasOne(c => c.Card).WithOne(x => x.Owner).HasForeignKey<Card>(x => x.HolderId);\n'
        '  }\n}\n',
        Models=('[Table("orders")]\n[Index(nameof(Number), IsUnique = true)]\npublic class Order {\n'
                '  public Guid Id { get; set; }\n  public string Number { get; set; } = "";\n'
                '  [ForeignKey(nameof(Buyer))] public int PlacedBy { get; set; }\n'
                '  [InverseProperty("Placed")] public Customer Buyer { get; set; } = null!;\n'
                '  public int? ReviewerId { get; set; }\n'
                '  [InverseProperty(nameof(Customer.Reviewed))] public Customer? Reviewer { get; set; }\n'
                '  public Address Shipping { get; set; } = new();\n  [NotMapped] public decimal Total { get; set; }\n'
                '  public List<Line> Lines { get; } = new();\n}\n'
                'public class Customer {\n  public int CustomerId { get; set; }\n  public string Cache { get; set; }\n'
                '  public ICollection<Order> Placed { get; set; }\n  public ICollection<Order> Reviewed { get; set; }\n'
                '  public Card? Card { get; set; }\n}\n'
                'public class Card {\n  public int Id { get; set; }\n  public int HolderId { get; set; }\n'
                '  public Customer Owner { get; set; }\n}\n'
                'public class Line {\n  public int Id { get; set; }\n  public string Sku { get; set; }\n}\n'
                '[Owned]\npublic class Address {\n  public string City { get; set; }\n}\n'))
    assert {(e.name, e.table) for e in found.entities} == {("Order", "orders"), ("Customer", "Customers"),
                                                          ("Card", "Card"), ("Line", "Line")}
    order = {f.name: (f.type, f.key, f.references) for f in found.entities[0].fields}
    assert order == {"Id": ("Guid", "PK", None), "Number": ("string", "UK", None),
                     "PlacedBy": ("int", "FK", "Customers.CustomerId"), "ReviewerId": ("int?", "FK",
                                                                                         "Customers.CustomerId"),
                     "Shipping": ("Address", None, None)}
    assert "Cache" not in {f.name for e in found.entities for f in e.fields}
    assert {(r.left, r.right, r.cardinality, r.label, r.right_label) for r in found.relations} == {
        ("Card", "Customer", "one-to-one", "Owner", "Card"),
        ("Order", "Customer", "many-to-one", "Buyer", "Placed"),
        ("Order", "Customer", "many-to-one", "Reviewer", "Reviewed"),
        ("Line", "Order", "many-to-one", "OrderId", "Lines"),  # a shadow foreign key: no property holds it
    }


def test_ef_core_many_to_many_using_entity_and_configuration_classes(tmp_path: Path) -> None:
    found = _model(
        tmp_path,
        'public class BlogContext : DbContext {\n  public DbSet<Post> Posts => Set<Post>();\n'
        '  protected override void OnModelCreating(ModelBuilder modelBuilder) {\n'
        '    var post = modelBuilder.Entity<Post>();\n'
        '    post.HasMany(p => p.Tags).WithMany(t => t.Posts).UsingEntity(j => j.ToTable("post_tags"));\n'
        '    modelBuilder.ApplyConfigurationsFromAssembly(typeof(BlogContext).Assembly);\n  }\n}\n'
        'public class TagConfiguration : IEntityTypeConfiguration<Tag> {\n'
        '  public void Configure(EntityTypeBuilder<Tag> builder) {\n    builder.ToTable("tags");\n'
        '    builder.HasKey(t => t.Label);\n    builder.Property(t => t.Label).HasColumnName("label");\n  }\n}\n',
        Models=('public class Post {\n  public int Id { get; set; }\n  public List<Tag> Tags { get; } = [];\n'
                '  public List<Post> Related { get; } = [];\n  public List<Post> RelatedTo { get; } = [];\n}\n'
                'public class Tag {\n  public string Label { get; set; }\n  public List<Post> Posts { get; } = [];\n}\n'))
    assert {(e.name, e.table) for e in found.entities} == {("Post", "Posts"), ("Tag", "tags")}
    tag = {f.name: f.key for f in found.entities[1].fields}
    assert tag == {"label": "PK"}
    assert {(r.left, r.right, r.cardinality, r.label, r.right_label, r.through) for r in found.relations} == {
        ("Post", "Tag", "many-to-many", "Tags", "Posts", "post_tags"),
        ("Post", "Post", "many-to-many", "Related", "RelatedTo", "PostPost"),
    }


def test_ef_core_package_without_a_context_is_reported(tmp_path: Path) -> None:
    found = _model(tmp_path, "public class NotAContext { }\n")
    assert (found.entities, found.relations) == ((), ())
    assert found.evidence[0] == SourceRef(path="App/App.csproj", line=3)
