# The Go and C# program readers parse a file only when a reader scans for something it holds or looks up a name it
# writes (`go_lazy`): declarations that only a look-up by name reaches must still be found, exactly as when every
# file is read, and files nothing needs are left unparsed.
from __future__ import annotations

from pathlib import Path

from autodevhub_docs.analysis.datamodel.gorm import ADAPTERS as GORM
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
