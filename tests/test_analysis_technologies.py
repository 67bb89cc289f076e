# Technologies from every manifest format, with the line of the dependency as evidence.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.development import scripts
from tests.fakes import arch_repos as fx

MANIFESTS = {
    "go.mod": ("module example.com/api\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n"
               "\tgithub.com/lib/pq v1.10.9\n)\n", {"Gin": 6, "PostgreSQL": 7}),
    "Gemfile": ("source 'https://rubygems.org'\n\ngem 'rails', '~> 7.1'\ngem 'redis'\n", {"Rails": 3, "Redis": 4}),
    "pom.xml": ("<project>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n"
                "      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n  </dependencies>\n"
                "</project>\n", {"Spring Boot": 5}),
    "Cargo.toml": ("[package]\nname = \"svc\"\n\n[dependencies]\nactix-web = \"4\"\nserde = \"1\"\n",
                   {"Actix Web": 5}),
    "composer.json": ('{\n  "require": {\n    "laravel/framework": "^11.0"\n  }\n}\n', {"Laravel": 3}),
    "requirements.txt": ("# app\nFlask[async]==3.0\npymongo>=4 ; python_version>'3.8'\n-r base.txt\n",
                             {"Flask": 2, "MongoDB": 3}),
    "setup.cfg": ("[metadata]\nname = x\n\n[options]\ninstall_requires =\n    celery>=5\n    openai\n",
                  {"Celery": 6, "OpenAI": 7}),
    "package.json": ('{\n  "dependencies": {\n    "next": "14.0.0",\n    "vue": "^3",\n    "@angular/core": "17",'
                     '\n    "svelte": "4",\n    "typeorm": "0.3",\n    "kafkajs": "2"\n  }\n}\n',
                     {"Next.js": 3, "Vue": 4, "Angular": 5, "Svelte": 6, "TypeORM": 7, "Kafka": 8}),
}


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_manifest_dependencies_become_technologies_with_lines(tmp_path: Path, name: str) -> None:
    text, expected = MANIFESTS[name]
    arch = fx.analysed(fx.make(tmp_path / "r", {name: text}).root)[1]
    found = {t.name: t.evidence[0].line for t in arch.technologies if t.evidence[0].path == name}
    assert found == expected


def test_justfile_recipes(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "j", {"justfile": "set shell := [\"bash\", \"-c\"]\n\ntest *args:\n    pytest {{args}}\n\n"
                                                "serve:\n    mkdocs serve\n"})
    found = [(s.runner, s.name, s.command, s.source.line) for s in scripts(["justfile"], lambda p: (repo.root / p)
                                                                          .read_text())]
    assert found == [("just", "test", "pytest {{args}}", 3), ("just", "serve", "mkdocs serve", 6)]
