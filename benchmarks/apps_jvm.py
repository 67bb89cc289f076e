"""Generated Java and Kotlin Spring MVC + JPA applications for bench_endpoints."""

from __future__ import annotations

from benchmarks.endpoint_app import App, deps

_SPRING = ("org.springframework.boot:spring-boot-starter-web", "org.springframework.boot:spring-boot-starter-data-jpa")
_PROPERTIES = "server.servlet.context-path=/shop\nspring.datasource.url=jdbc:postgresql://db/shop\n"

_JAVA_HANDLER = '''
    {mapping}
    public ResponseEntity<List<ItemView>> {name}({params}) {{
        List<Item{u}> rows = repository.findByAreaOrderByNameAsc({u}, PageRequest.of(0, {k}));
        if (rows.isEmpty()) {{
            return ResponseEntity.notFound().build();
        }}
        List<ItemView> out = new ArrayList<>();
        for (Item{u} row : rows) {{
            if (row.getName() == null || row.getName().isBlank()) {{
                continue;
            }}
            out.add(new ItemView(row.getId(), row.getName().trim(), row.getParts().size()));
        }}
        return ResponseEntity.ok(out);
    }}
'''
_JAVA_ROUTES = (("@GetMapping", "list", ""), ('@GetMapping("/{id}")', "show", "@PathVariable Long id"),
                ("@PostMapping", "create", "@RequestBody ItemView body"),
                ('@PutMapping("/{id}")', "update", "@PathVariable Long id, @RequestBody ItemView body"),
                ('@DeleteMapping("/{id}")', "remove", "@PathVariable Long id"),
                ('@RequestMapping(value = "/{id}/archive", method = RequestMethod.POST)', "archive",
                 "@PathVariable Long id"),
                ('@GetMapping({"/search", "/find"})', "search", '@RequestParam("q") String q'))
"""Mapping, handler, parameters: 8 endpoints (the array maps two paths)."""
_JAVA_SERVICE = '''
    public Map<String, Integer> summarise{k}(Collection<String> names, boolean upper) {{
        Map<String, Integer> counts = new TreeMap<>();
        for (String name : names) {{
            String key = upper ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT);
            if (key.length() < {k} % 4 + 1) {{
                continue;
            }}
            counts.merge(key, 1, Integer::sum);
        }}
        return counts;
    }}
'''


def java(units: int) -> App:
    """Spring MVC controllers (class `@RequestMapping`, verb mappings, arrays, `@RequestMapping(method)`,
    mappings declared on an implemented interface), services and JPA entities with both sides of a relation."""
    base = "src/main/java/com/acme/shop"
    files = {"build.gradle": "dependencies {\n" + "".join(f"    implementation '{d}'\n" for d in _SPRING) + "}\n",
             "src/main/resources/application.properties": _PROPERTIES,
             f"{base}/Owner.java": ("package com.acme.shop;\n\nimport jakarta.persistence.*;\n\n@Entity\n"
                                    "public class Owner {\n    @Id\n    @GeneratedValue\n    private Long id;\n\n"
                                    "    private String email;\n}\n")}
    for u in range(units):
        package = f"com.acme.shop.area{u}"
        folder = f"{base}/area{u}"
        head = f"package {package};\n\n"
        handlers = [_JAVA_HANDLER.format(mapping=mapping, name=name, params=params, u=u, k=k + 5)
                    for k, (mapping, name, params) in enumerate(_JAVA_ROUTES)]
        files[f"{folder}/Items{u}Controller.java"] = (
            head + "import java.util.*;\nimport org.springframework.data.domain.PageRequest;\n"
            "import org.springframework.http.ResponseEntity;\nimport org.springframework.web.bind.annotation.*;\n\n"
            f'@RestController\n@RequestMapping("/api/area{u}/items")\npublic class Items{u}Controller {{\n'
            f"    private final Item{u}Repository repository;\n\n"
            f"    public Items{u}Controller(Item{u}Repository repository) {{\n        this.repository = repository;\n"
            "    }\n" + "".join(handlers) + "}\n")
        files[f"{folder}/Reports{u}Api.java"] = (
            head + "import org.springframework.web.bind.annotation.*;\n\n"
            f'@RequestMapping("/api/area{u}/reports")\npublic interface Reports{u}Api {{\n'
            '    @GetMapping("/{year}")\n    String yearly(@PathVariable int year);\n\n'
            '    @PostMapping("/{year}/rebuild")\n    String rebuild(@PathVariable int year);\n}\n')
        files[f"{folder}/Reports{u}Controller.java"] = (
            head + "import org.springframework.web.bind.annotation.RestController;\n\n"
            f"@RestController\npublic class Reports{u}Controller implements Reports{u}Api {{\n"
            "    @Override\n    public String yearly(int year) {\n        return \"report \" + year;\n    }\n\n"
            "    @Override\n    public String rebuild(int year) {\n        return \"queued \" + year;\n    }\n}\n")
        files[f"{folder}/Item{u}.java"] = (
            head + "import jakarta.persistence.*;\nimport java.util.*;\nimport com.acme.shop.Owner;\n\n"
            f'@Entity\n@Table(name = "area{u}_items")\npublic class Item{u} {{\n    @Id\n    @GeneratedValue\n'
            "    private Long id;\n\n    @Column(nullable = false, unique = true)\n    private String name;\n\n"
            "    private int area;\n\n    @ManyToOne\n    @JoinColumn(name = \"owner_id\")\n    private Owner owner;\n\n"
            f'    @OneToMany(mappedBy = "item")\n    private List<Part{u}> parts = new ArrayList<>();\n\n'
            "    public Long getId() {\n        return id;\n    }\n\n    public String getName() {\n        return name;\n"
            f"    }}\n\n    public List<Part{u}> getParts() {{\n        return parts;\n    }}\n}}\n")
        files[f"{folder}/Part{u}.java"] = (
            head + "import jakarta.persistence.*;\n\n"
            f"@Entity\npublic class Part{u} {{\n    @Id\n    @GeneratedValue\n    private Long id;\n\n"
            f"    private String label;\n\n    @ManyToOne\n    private Item{u} item;\n}}\n")
        files[f"{folder}/Item{u}Repository.java"] = (
            head + "import java.util.List;\nimport org.springframework.data.domain.Pageable;\n"
            "import org.springframework.data.jpa.repository.JpaRepository;\n\n"
            f"public interface Item{u}Repository extends JpaRepository<Item{u}, Long> {{\n"
            f"    List<Item{u}> findByAreaOrderByNameAsc(int area, Pageable page);\n}}\n")
        files[f"{folder}/Item{u}Service.java"] = (
            head + "import java.util.*;\nimport org.springframework.stereotype.Service;\n\n"
            f"@Service\npublic class Item{u}Service {{\n" + "".join(_JAVA_SERVICE.format(k=k) for k in range(9)) + "}\n")
    return App(language="Java", stack="Spring MVC, JPA", files=files,
               dependencies=deps("maven", "build.gradle", *_SPRING), endpoints=units * 10, entities=units * 2 + 1)


_KOTLIN_HANDLER = '''
    {mapping}
    fun {name}({params}): ResponseEntity<List<ItemView>> {{
        val rows = repository.findByArea({u}).take({k})
        if (rows.isEmpty()) {{
            return ResponseEntity.notFound().build()
        }}
        val out = rows
            .filter {{ it.name.isNotBlank() }}
            .map {{ ItemView(it.id, it.name.trim(), it.parts.size) }}
            .sortedBy {{ it.name }}
        return ResponseEntity.ok(out)
    }}
'''
_KOTLIN_ROUTES = (("@GetMapping", "list", ""), ('@GetMapping("/{id}")', "show", "@PathVariable id: Long"),
                  ("@PostMapping", "create", "@RequestBody body: ItemView"),
                  ('@PatchMapping("/{id}")', "update", "@PathVariable id: Long, @RequestBody body: ItemView"),
                  ('@DeleteMapping("/{id}")', "remove", "@PathVariable id: Long"),
                  ('@RequestMapping(path = ["/{id}/copy", "/{id}/clone"], method = [RequestMethod.POST])', "copy",
                   "@PathVariable id: Long"))
"""Mapping, handler, parameters: 7 endpoints (the array maps two paths)."""
_KOTLIN_SERVICE = '''
    fun summarise{k}(names: Collection<String>, upper: Boolean = false): Map<String, Int> {{
        val counts = sortedMapOf<String, Int>()
        for (name in names) {{
            val key = if (upper) name.uppercase() else name.lowercase()
            if (key.length < {k} % 4 + 1) {{
                continue
            }}
            counts[key] = (counts[key] ?: 0) + 1
        }}
        return counts
    }}
'''


def kotlin(units: int) -> App:
    """Kotlin Spring controllers (class and method mappings, `path = [...]` arrays with `method = [...]`),
    services, and JPA entities declared as constructor properties."""
    base = "src/main/kotlin/com/acme/shop"
    files = {"build.gradle.kts": "dependencies {\n" + "".join(f'    implementation("{d}")\n' for d in _SPRING) + "}\n",
             "src/main/resources/application.properties": _PROPERTIES,
             f"{base}/Owner.kt": ("package com.acme.shop\n\nimport jakarta.persistence.*\n\n@Entity\n"
                                  "class Owner(\n    @Id @GeneratedValue\n    var id: Long? = null,\n"
                                  "    var email: String = \"\",\n)\n")}
    for u in range(units):
        folder = f"{base}/area{u}"
        head = f"package com.acme.shop.area{u}\n\n"
        handlers = [_KOTLIN_HANDLER.format(mapping=mapping, name=name, params=params, u=u, k=k + 5)
                    for k, (mapping, name, params) in enumerate(_KOTLIN_ROUTES)]
        files[f"{folder}/Items{u}Controller.kt"] = (
            head + "import org.springframework.http.ResponseEntity\nimport org.springframework.web.bind.annotation.*\n\n"
            f'@RestController\n@RequestMapping("/api/v2/area{u}/items")\n'
            f"class Items{u}Controller(private val repository: Item{u}Repository) {{\n" + "".join(handlers) + "}\n")
        files[f"{folder}/Item{u}.kt"] = (
            head + "import com.acme.shop.Owner\nimport jakarta.persistence.*\n\n"
            f'@Entity\n@Table(name = "area{u}_items")\nclass Item{u}(\n    @Id @GeneratedValue\n'
            "    var id: Long? = null,\n\n    @Column(nullable = false, unique = true)\n    var name: String = \"\",\n\n"
            "    @ManyToOne\n    var owner: Owner? = null,\n\n"
            f'    @OneToMany(mappedBy = "item")\n    var parts: MutableList<Part{u}> = mutableListOf(),\n)\n\n'
            f"@Entity\nclass Part{u}(\n    @Id @GeneratedValue\n    var id: Long? = null,\n\n"
            f"    var label: String = \"\",\n\n    @ManyToOne\n    var item: Item{u}? = null,\n)\n")
        files[f"{folder}/Item{u}Repository.kt"] = (
            head + "import org.springframework.data.jpa.repository.JpaRepository\n\n"
            f"interface Item{u}Repository : JpaRepository<Item{u}, Long> {{\n"
            f"    fun findByArea(area: Int): List<Item{u}>\n}}\n")
        files[f"{folder}/Item{u}Service.kt"] = (
            head + "import org.springframework.stereotype.Service\n\n"
            f"@Service\nclass Item{u}Service {{\n" + "".join(_KOTLIN_SERVICE.format(k=k) for k in range(6)) + "}\n")
    return App(language="Kotlin", stack="Spring MVC, JPA", files=files,
               dependencies=deps("maven", "build.gradle.kts", *_SPRING), endpoints=units * 7, entities=units * 2 + 1)
