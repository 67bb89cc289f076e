"""Generated Go (gin, GORM) and C# (ASP.NET Core, EF Core) applications for bench_endpoints."""

from __future__ import annotations

from benchmarks.endpoint_app import App, deps

_GO_HANDLER = '''
func (h *Handler) Action{k}(c *gin.Context) {{
	id := c.Param("id")
	var items []Item{m}
	if err := h.db.Where("area = ? AND id = ?", {u}, id).Limit({k}).Find(&items).Error; err != nil {{
		c.JSON(http.StatusInternalServerError, gin.H{{"error": err.Error()}})
		return
	}}
	out := make([]map[string]any, 0, len(items))
	for _, item := range items {{
		if item.Name == "" {{
			continue
		}}
		out = append(out, map[string]any{{"id": item.ID, "name": strings.ToUpper(item.Name)}})
	}}
	c.JSON(http.StatusOK, gin.H{{"items": out, "count": len(out)}})
}}
'''


def go(units: int) -> App:
    """gin: versioned groups handed to one registration function per package, nested groups, handlers,
    services and GORM models (`gorm.Model`, tags, belongs-to, has-many, many2many) listed in `AutoMigrate`."""
    files = {"go.mod": "module example.com/big\n\ngo 1.22\n"}
    imports = "".join(f'\t"example.com/big/area{u}"\n' for u in range(units))
    registrations = "".join(f'\tarea{u}.Register(v1.Group("/area{u}"), db)\n' for u in range(units))
    migrations = ", ".join(f"&area{u}.Item0{{}}" for u in range(units))
    files["main.go"] = (f'package main\n\nimport (\n\t"github.com/gin-gonic/gin"\n\t"gorm.io/driver/sqlite"\n'
                        f'\t"gorm.io/gorm"\n\n{imports})\n\nfunc main() {{\n'
                        '\tdb, _ := gorm.Open(sqlite.Open("big.db"), &gorm.Config{})\n'
                        f'\tdb.AutoMigrate({migrations})\n\tr := gin.Default()\n\tv1 := r.Group("/api/v1")\n'
                        f'{registrations}\tr.Run()\n}}\n')
    for u in range(units):
        package = f"area{u}"
        routes = [f"package {package}\n", 'import (\n\t"github.com/gin-gonic/gin"\n\t"gorm.io/gorm"\n)\n',
                  "func Register(r *gin.RouterGroup, db *gorm.DB) {", "\th := &Handler{db: db}"]
        for g in range(3):
            routes += [f'\tg{g} := r.Group("/items{g}")', "\t{"]
            routes += [f'\t\tg{g}.{verb}("/{path}", h.Action{g * 4 + n})'
                       for n, (verb, path) in enumerate([("GET", ""), ("POST", ""), ("GET", ":id"), ("PUT", ":id")])]
            routes.append("\t}")
        files[f"{package}/routes.go"] = "\n".join([*routes, "}", ""])
        handlers = [f"package {package}\n", 'import (\n\t"net/http"\n\t"strings"\n\n\t"github.com/gin-gonic/gin"\n'
                    '\t"gorm.io/gorm"\n)\n', "type Handler struct {\n\tdb *gorm.DB\n}\n"]
        handlers += [_GO_HANDLER.format(k=k, m=k % 3, u=u) for k in range(12)]
        files[f"{package}/handlers.go"] = "\n".join(handlers)
        models = [f"package {package}\n", 'import "gorm.io/gorm"\n']
        for m in range(3):
            models.append(f"type Item{m} struct {{\n\tgorm.Model\n\tName    string `gorm:\"uniqueIndex;not null\"`\n"
                          f"\tOwnerID uint\n\tOwner   Owner\n\tParts   []Part{m}\n"
                          f"\tTags    []Tag `gorm:\"many2many:item{m}_tags\"`\n}}\n\n"
                          f"type Part{m} struct {{\n\tgorm.Model\n\tItem{m}ID uint\n\tLabel  string\n}}\n")
        models.append("type Owner struct {\n\tgorm.Model\n\tEmail string `gorm:\"uniqueIndex\"`\n}\n\n"
                      "type Tag struct {\n\tgorm.Model\n\tName string\n}\n")
        files[f"{package}/models.go"] = "\n".join(models)
        service = [f"package {package}\n", 'import "strings"\n']
        service += [f"func Normalise{k}(values []string) []string {{\n\tout := make([]string, 0, len(values))\n"
                    "\tfor i, v := range values {\n\t\tif i%2 == 0 && v != \"\" {\n"
                    "\t\t\tout = append(out, strings.TrimSpace(v))\n\t\t} else {\n"
                    f"\t\t\tout = append(out, strings.Repeat(v, {k % 3 + 1}))\n\t\t}}\n\t}}\n\treturn out\n}}\n"
                    for k in range(30)]
        files[f"{package}/service.go"] = "\n".join(service)
    return App(language="Go", stack="gin, GORM", files=files,
               dependencies=deps("go", "go.mod", "github.com/gin-gonic/gin", "gorm.io/gorm"),
               endpoints=units * 12, entities=units * 8)


def csharp(units: int) -> App:
    """ASP.NET Core attribute-routed controllers (an inherited `[Route("api/[controller]")]`, verb attributes
    with templates), minimal-API groups filled by extension methods, services, and EF Core entities."""
    files = {"App/App.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web">\n</Project>\n',
             "App/ApiControllerBase.cs": ('using Microsoft.AspNetCore.Mvc;\n\n[ApiController]\n[Route("api/[controller]")]'
                                          "\npublic abstract class ApiControllerBase : ControllerBase { }\n")}
    program = ["var app = WebApplication.CreateBuilder(args).Build();", 'var api = app.MapGroup("/api/v2");']
    sets, config = [], []
    for u in range(units):
        actions = []
        for k in range(10):
            attribute = ["HttpGet", 'HttpGet("{id:int}")', "HttpPost", 'HttpPut("{id:int}")',
                         'HttpDelete("{id:int}")'][k % 5]
            actions.append(
                f"    [{attribute}]\n"
                f"    public async Task<IActionResult> Action{k}(int id, CancellationToken token)\n    {{\n"
                f"        var items = await _db.Items{u}.Where(i => i.Area == {u} && i.Id > id).Take({k}).ToListAsync();\n"
                "        if (items.Count == 0)\n        {\n            return NotFound();\n        }\n"
                "        var names = items.Select(i => i.Name.ToUpperInvariant()).Where(n => n.Length > 2).ToList();\n"
                "        return Ok(new { names, count = names.Count });\n    }\n")
        files[f"App/Controllers/Area{u}Controller.cs"] = (
            f"using Microsoft.AspNetCore.Mvc;\n\npublic class Area{u}Controller : ApiControllerBase\n{{\n"
            "    private readonly AppDb _db;\n\n" + "\n".join(actions) + "}\n")
        files[f"App/Endpoints/Area{u}Endpoints.cs"] = (
            f"public static class Area{u}Endpoints\n{{\n"
            f"    public static RouteGroupBuilder MapArea{u}(this RouteGroupBuilder group)\n    {{\n"
            f'        var items = group.MapGroup("/items");\n        items.MapGet("/", List);\n'
            f'        items.MapGet("/{{id}}", Get);\n        items.MapPost("/", Create).RequireAuthorization();\n'
            "        return group;\n    }\n\n"
            + "".join(f"    private static IResult {name}(int id)\n    {{\n        var value = id * {u} + 1;\n"
                      "        return value > 0 ? Results.Ok(value) : Results.BadRequest();\n    }\n\n"
                      for name in ("List", "Get", "Create")) + "}\n")
        program.append(f'api.MapGroup("/area{u}").MapArea{u}();')
        files[f"App/Domain/Item{u}.cs"] = (
            f"public class Item{u}\n{{\n    public int Id {{ get; set; }}\n    public int Area {{ get; set; }}\n"
            '    public string Name { get; set; } = "";\n    public string? Notes { get; set; }\n'
            f"    public int OwnerId {{ get; set; }}\n    public Owner? Owner {{ get; set; }}\n"
            f"    public List<Part{u}> Parts {{ get; set; }} = new();\n    public DateTime CreatedAt {{ get; set; }}\n}}\n\n"
            f"public class Part{u}\n{{\n    public int Id {{ get; set; }}\n    public int Item{u}Id {{ get; set; }}\n"
            f"    public Item{u}? Item{u} {{ get; set; }}\n    public string Label {{ get; set; }} = \"\";\n}}\n")
        sets.append(f"    public DbSet<Item{u}> Items{u} => Set<Item{u}>();")
        config.append(f"        modelBuilder.Entity<Item{u}>().HasIndex(i => i.Name).IsUnique();")
        files[f"App/Services/Service{u}.cs"] = (
            f"public class Service{u}\n{{\n" + "".join(
                f"    public IEnumerable<string> Normalise{k}(IEnumerable<string> values)\n    {{\n"
                "        foreach (var value in values)\n        {\n            if (string.IsNullOrWhiteSpace(value))\n"
                "            {\n                continue;\n            }\n"
                f"            yield return value.Trim().PadLeft({k % 5 + 1});\n        }}\n    }}\n\n"
                for k in range(14)) + "}\n")
    files["App/Program.cs"] = "\n".join([*program, "app.Run();", ""])
    files["App/AppDb.cs"] = ("using Microsoft.EntityFrameworkCore;\n\npublic class AppDb : DbContext\n{\n"
                             + "\n".join(sets) + "\n    public DbSet<Owner> Owners => Set<Owner>();\n\n"
                             "    protected override void OnModelCreating(ModelBuilder modelBuilder)\n    {\n"
                             + "\n".join(config) + "\n    }\n}\n\npublic class Owner\n{\n    public int Id { get; set; }\n"
                             "    public string Email { get; set; } = \"\";\n}\n")
    return App(language="C#", stack="ASP.NET Core, EF Core", files=files,
               dependencies=(*deps("nuget", "App/App.csproj", "Microsoft.NET.Sdk.Web"),
                             *deps("nuget", "App/App.csproj", "Microsoft.EntityFrameworkCore.Sqlite")),
               endpoints=units * 13, entities=units * 2 + 1)
