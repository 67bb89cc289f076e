# The Go and C# program readers parse a file only when a reader scans for something it holds or looks up a name it
# writes (`lazy_sources`): declarations that only a look-up by name reaches must still be found, exactly as when every
# file is read, and files nothing needs are left unparsed.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel import go_databases
from autodevhub_docs.analysis.datamodel.efcore import EfCore
from autodevhub_docs.analysis.datamodel.gorm import ADAPTERS as GORM
from autodevhub_docs.analysis.endpoints import csharp_source, go_source
from autodevhub_docs.analysis.endpoints.aspnet import AspNetCore
from autodevhub_docs.analysis.endpoints.go_routes import ADAPTERS as GO_ROUTERS
from tests.stack_apps import repository, run_adapter

GO_MOD = ("module example.com/x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
          "\tgorm.io/gorm v1.25.0\n)\n")
GO_APP = {
    "go.mod": GO_MOD,
    "main.go": ('package main\n\nimport (\n\t"github.com/gin-gonic/gin"\n\t"gorm.io/driver/sqlite"\n'
                '\t"gorm.io/gorm"\n\n\t"example.com/x/api"\n\t"example.com/x/models"\n)\n\n'
                "func main() {\n\tdb, _ := gorm.Open(sqlite.Open(\"x.db\"), &gorm.Config{})\n"
                "\tdb.AutoMigrate(&models.Plain{})\n\tr := gin.Default()\n\tapi.Mount(r.Group(\"/api\"))\n"
                "\tr.Run()\n}\n"),
    # Imports nothing of gin: reached only by looking `Mount` (then `nested`) up from main.
    "api/wire.go": ("package api\n\nfunc Mount(g Group) {\n\tg.GET(\"/things\", list)\n"
                     "\tnested(g.Group(\"/nested\"))\n}\n\nfunc nested(g Group) { g.POST(\"/more\", list) }\n"),
    "api/types.go": ('package api\n\nimport "github.com/gin-gonic/gin"\n\ntype Group = *gin.RouterGroup\n\n'
                     "func list(c *gin.Context) {}\n"),
    # No GORM import nor tag: `Plain` is a model because main migrates it, `Mixed` because it embeds a struct
    # that embeds gorm.Model (which makes `Base` a mixin, not a model).
    "models/plain.go": "package models\n\ntype Plain struct {\n\tID   uint\n\tName string\n}\n\n"
                       "type Mixed struct {\n\tBase\n\tTitle string\n}\n",
    "models/base.go": 'package models\n\nimport "gorm.io/gorm"\n\ntype Base struct {\n\tgorm.Model\n}\n',
    "models/util.go": "package models\n\nfunc Helper() int { return 1 }\n",
}


def test_go_declarations_reached_only_by_name_are_found(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", GO_APP)
    gin = run_adapter(next(a for a in GO_ROUTERS if a.name == "Gin"), root)
    assert gin is not None
    assert {(e.method, e.path) for e in gin.endpoints} == {("GET", "/api/things"), ("POST", "/api/nested/more")}
    gorm = run_adapter(GORM[0], root)
    assert gorm is not None
    assert {e.name for e in gorm.entities} == {"Plain", "Mixed"}
    assert "models/util.go" not in gorm.files_read  # nothing scans it or looks up a name it declares


CS_PROJECT = ('<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n    <PackageReference '
              'Include="Microsoft.EntityFrameworkCore.Sqlite" Version="8.0.1" />\n  </ItemGroup>\n</Project>\n')
CS_APP = {
    "App/App.csproj": CS_PROJECT,
    # No marker at all: its top-level statement reaches routes only through `Api.Setup`, looked up by name.
    "App/Program.cs": "Api.Setup();\n",
    "App/Api.cs": ("public static class Api\n{\n    public static void Setup()\n    {\n"
                   "        var app = WebApplication.Create();\n        app.MapGet(\"/setup\", () => \"ok\");\n"
                   "    }\n}\n"),
    "App/ApiBase.cs": ('using Microsoft.AspNetCore.Mvc;\n\n[ApiController]\n[Route("api/[controller]")]\n'
                       "public abstract class ApiBase : ControllerBase { }\n"),
    # A controller only by its base class, whose name holds no marker.
    "App/Things.cs": ("public class Things : ApiBase\n{\n    [HttpGet(\"{id}\")]\n"
                      "    public IActionResult Get(int id) => Ok(id);\n}\n"),
    "App/Db.cs": ("using Microsoft.EntityFrameworkCore;\n\npublic class Db : DbContext\n{\n"
                  "    public DbSet<Order> Orders => Set<Order>();\n}\n"),
    # Entity classes (and an enum) in files no reader scans: reached by the DbSet and a navigation.
    "App/Domain/Order.cs": ("public class Order\n{\n    public int Id { get; set; }\n"
                            "    public Status Status { get; set; }\n    public Customer? Customer { get; set; }\n}\n"),
    "App/Domain/Customer.cs": "public class Customer\n{\n    public int Id { get; set; }\n}\n",
    "App/Domain/Status.cs": "public enum Status { Open, Closed }\n",
    "App/Text.cs": ("public static class Text\n{\n    public static string Shout(string value) => "
                    "value.ToUpperInvariant();\n}\n"),
}


def test_csharp_declarations_reached_only_by_name_are_found(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", CS_APP)
    aspnet = run_adapter(AspNetCore(), root)
    assert aspnet is not None
    assert {(e.method, e.path) for e in aspnet.endpoints} == {("GET", "/setup"), ("GET", "/api/Things/{id}")}
    ef = run_adapter(EfCore(), root)
    assert ef is not None
    # `Status` is not nullable: the enum, in its own file, was found to be a value type.
    assert {e.name: [(f.name, f.nullable) for f in e.fields] for e in ef.entities} == {
        "Order": [("Id", False), ("Status", False)], "Customer": [("Id", False)]}
    assert {(r.left, r.right, r.cardinality) for r in ef.relations} == {("Order", "Customer", "many-to-one")}
    assert "App/Text.cs" not in ef.files_read  # nothing scans it or looks up a name it declares


def _found(root: Path) -> list[object]:
    adapters = [*GO_ROUTERS, *GORM, AspNetCore(), EfCore()]
    return [(f.endpoints, f.entities, f.relations, f.evidence, f.problems, f.technologies)
            if (f := run_adapter(a, root)) is not None else None for a in adapters]


@pytest.mark.parametrize("app", ["go", "csharp"])
def test_lazy_reading_finds_what_reading_every_file_finds(app: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = repository(tmp_path / "app", GO_APP if app == "go" else CS_APP)
    lazy = _found(root)
    # Every file holds the empty string: every file is parsed up front, as before the files were read lazily.
    monkeypatch.setattr(go_source, "_SCANNED", ("",))
    monkeypatch.setattr(csharp_source, "_SCANNED", ("",))
    assert _found(root) == lazy


def test_the_go_files_read_up_front_include_every_file_the_database_reader_reads() -> None:
    assert set(go_databases._SQL_OPENERS) == set(go_source.SQL_PACKAGES)  # noqa: SLF001 - its own table
    assert go_databases._STORES == go_source.STORE_LAYERS  # noqa: SLF001
