# Pages stay readable at any size, and honest when a framework yields nothing: ER diagrams of at most 25 entities
# (one per folder, with an overview), no duplicated relation line, sample folders left out and said so (the
# `include` option keeps one), long tables split, spec-only operations listed, empty frameworks explained.
from __future__ import annotations

import re
from pathlib import Path

import pytest

from autodevhub_docs.pipeline import run_build
from autodevhub_docs.settings import Settings
from tests import mermaid
from tests.fakes import arch_repos as fx


def _models(folder: str, names: list[str], parent: str | None) -> str:
    lines = ["from sqlalchemy import Column, ForeignKey, Integer", "from sqlalchemy.orm import declarative_base, "
             "relationship", "", "Base = declarative_base()", ""]
    for name in names:
        lines += [f"class {name}(Base):", f"    __tablename__ = '{name.lower()}'", "    id = Column(Integer, "
                  "primary_key=True)"]
        if parent:
            lines += [f"    {parent.lower()}_id = Column(Integer, ForeignKey('{parent.lower()}.id'))",
                      f"    {parent.lower()} = relationship('{parent}')"]
        lines.append("")
    return "\n".join(lines)


def big_schema() -> dict[str, str]:
    files = {"pyproject.toml": '[project]\nname = "orm"\ndependencies = ["sqlalchemy"]\n'}
    for group in range(4):
        names = [f"G{group}E{i}" for i in range(20)]
        files[f"app/domain{group}/models.py"] = _models(f"domain{group}", names, "G0E0" if group else None)
    return files


def build(tmp_path: Path, files: dict[str, str], **options: object) -> dict[str, str]:
    repo = fx.make(tmp_path / "r", files)
    settings = Settings(repo_path=repo.root, cache_dir=tmp_path / "cache", llm="offline",
                        sections=("architecture",), **options)  # type: ignore[arg-type]
    return run_build(settings).pages


def test_a_large_schema_is_drawn_per_folder_with_an_overview_and_no_repeated_relation(tmp_path: Path) -> None:
    page = build(tmp_path, big_schema())["architecture/database-schema.md"]
    diagrams = mermaid.diagrams_in([page])
    er = [d for d in diagrams if d.startswith("erDiagram")]
    assert len(er) == 4 and len([d for d in diagrams if d.startswith("flowchart")]) == 1
    for diagram in er:
        entities = re.findall(r"^    (\w+) \{", diagram, re.M)
        assert 0 < len(entities) <= 25
        relation_lines = [line for line in diagram.split("\n") if "--" in line]
        assert len(relation_lines) == len(set(relation_lines))
    assert "80 entities are drawn in 4 diagrams" in page


@pytest.mark.mermaid
def test_the_grouped_diagrams_parse(tmp_path: Path) -> None:
    mermaid.assert_all_parse(mermaid.diagrams_in([build(tmp_path, big_schema())["architecture/database-schema.md"]]))


APP_WITH_FIXTURES = {
    "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n',
    "svc/main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get('/items')\ndef items():\n    return []\n",
    "tests/fixtures/demo/main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get('/demo')\n"
                                   "def demo():\n    return []\n",
    "openapi.yaml": "openapi: 3.0.0\ninfo: {title: svc, version: '1'}\npaths:\n  /items:\n    get: {}\n"
                    "  /orders:\n    post: {operationId: createOrder}\n",
}


def test_sample_folders_are_left_out_and_said_so_and_include_keeps_one(tmp_path: Path) -> None:
    api = build(tmp_path / "a", APP_WITH_FIXTURES)["architecture/api-specification.md"]
    assert "`/items`" in api and "`/demo`" not in api
    assert "Left out as samples: `tests/`" in api
    kept = build(tmp_path / "b", APP_WITH_FIXTURES, include=("tests/fixtures/demo/**",))
    assert "`/demo`" in kept["architecture/api-specification.md"]


def test_operations_declared_only_in_the_spec_are_listed(tmp_path: Path) -> None:
    api = build(tmp_path, APP_WITH_FIXTURES)["architecture/api-specification.md"]
    spec_only = api.split("## Declared in the spec only", 1)[1]
    assert "| `POST` | `/orders` | `createOrder` |" in spec_only and "/items" not in spec_only


def test_a_framework_with_no_endpoints_is_explained_on_the_page(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "r", {"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
                                    "main.go": "package main\n\nimport \"github.com/gin-gonic/gin\"\n\n"
                                               "func main() {\n\tr := gin.Default()\n\tr.Run()\n}\n"})
    result = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / "c", llm="offline",
                                sections=("architecture",)))
    api = result.pages["architecture/api-specification.md"]
    assert "**Gin** is used" in api and "but no endpoint was found" in api
    assert any("Gin" in w and "no HTTP endpoints" in w for w in result.report["warnings"])


def test_an_endpoint_table_over_200_rows_is_split_by_prefix(tmp_path: Path) -> None:
    routes = "".join(f"@app.get('/{group}/r{i}')\ndef h{group}_{i}():\n    return []\n\n\n"
                     for group in ("a", "b") for i in range(110))
    page = build(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi"]\n',
                            "x/main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n\n" + routes}
                 )["architecture/api-specification.md"]
    assert "<details><summary>`/a`: 110 endpoints</summary>" in page
    assert "<details><summary>`/b`: 110 endpoints</summary>" in page
