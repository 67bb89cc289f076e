# Hostile JS/TS and Prisma files: 100 KB of repeated openers (`@Get() @x(`, `@Entity(`, `model A {`), call chains
# thousands deep, deeply nested functions and parentheses, strings built from thousands of pieces. Each completes
# (linear by construction: one query per file, memoised evaluation, capped depth) and gives a bounded result: the
# well-formed part before the garbage, and nothing invented from the garbage.
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from autodevhub_docs.analysis import jsmodule
from autodevhub_docs.analysis.datamodel.prisma import ADAPTERS as PRISMA
from autodevhub_docs.analysis.datamodel.typeorm import ADAPTERS as TYPEORM
from autodevhub_docs.analysis.endpoints.express import ADAPTERS as EXPRESS
from autodevhub_docs.analysis.endpoints.nest import ADAPTERS as NEST
from autodevhub_docs.parsing import prisma
from autodevhub_docs.parsing.treesitter import parse
from tests.fixture_apps import analysed, codebase

SIZE = 100_000
_EXPRESS = '{\n  "dependencies": {\n    "express": "^4.0.0"\n  }\n}\n'
_ROUTER = "const { Router } = require('express');\n"


def _repeat(unit: str) -> str:
    return unit * (SIZE // len(unit))


def test_repeated_nest_decorators_keep_the_controller_before_them(tmp_path: Path) -> None:
    found = NEST[0].run(codebase(tmp_path / "r", {
        "package.json": '{\n  "dependencies": {\n    "@nestjs/common": "^10.0.0"\n  }\n}\n',
        "src/a.controller.ts": "import { Controller, Get } from '@nestjs/common';\n\n@Controller('x')\n"
                               "export class A {\n  @Get('ok')\n  ok() {}\n}\n\n@Controller('y')\nclass B {\n"
                               + _repeat("@Get() @x("),
    }))
    assert found is not None
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {("GET", "/x/ok", "A.ok")}


def test_repeated_typeorm_entity_openers_keep_the_entity_before_them(tmp_path: Path) -> None:
    found = TYPEORM[0].run(codebase(tmp_path / "r", {
        "package.json": '{\n  "dependencies": {\n    "typeorm": "^0.3.0"\n  }\n}\n',
        "src/ok.entity.ts": "import { Column, Entity } from 'typeorm';\n\n@Entity()\nexport class Ok {\n"
                            "  @Column()\n  name: string;\n}\n\n" + _repeat("@Entity("),
    }))
    assert found is not None
    assert [(e.name, [f.name for f in e.fields]) for e in found.entities] == [("Ok", ["name"])]
    assert found.relations == ()


def test_repeated_prisma_model_openers_give_one_empty_model(tmp_path: Path) -> None:
    for garbage in (_repeat("model A {"), _repeat("model A {\n")):
        found = PRISMA[0].run(codebase(tmp_path / f"r{len(garbage)}", {
            "prisma/schema.prisma": "model Ok {\n  id Int @id\n}\n\n" + garbage,
        }))
        assert found is not None
        assert [(e.name, [f.name for f in e.fields]) for e in found.entities] == [("Ok", ["id"]), ("A", [])]
        assert found.relations == ()


def test_a_call_chain_thousands_deep_is_read_up_to_a_bound(tmp_path: Path) -> None:
    chain = "module.exports = Router()" + _repeat(".get('/a', h)")
    found = EXPRESS[0].run(codebase(tmp_path / "r", {"package.json": _EXPRESS, "a.js": _ROUTER + chain}))
    assert found is not None
    assert {(e.method, e.path, e.handler) for e in found.endpoints} == {("GET", "/a", "h")}
    assert 0 < len(found.endpoints) <= SIZE // len(".get('/a', h)")


def test_deep_nesting_and_long_concatenations_give_no_invented_path(tmp_path: Path) -> None:
    nested = "const r = Router();\n" + "(function (r) {" * 3000 + "r.get('/deep', h);" + "})(r);" * 3000
    parens = "const s = Router();\ns.get(" + "(" * 5000 + "'/p'" + ")" * 5000 + ", h);\n"
    concat = "const t = Router();\nt.get(" + " + ".join(["'/c'"] * 20_000) + ", h);\nt.post('/fine', h);\n"
    found = EXPRESS[0].run(codebase(tmp_path / "r", {
        "package.json": _EXPRESS, "nested.js": _ROUTER + nested, "parens.js": _ROUTER + parens,
        "concat.js": _ROUTER + concat,
    }))
    assert found is not None
    paths = {(e.method, e.path) for e in found.endpoints}
    assert ("POST", "/fine") in paths
    assert paths <= {("POST", "/fine"), ("GET", "/deep"), ("GET", "/p")}  # nothing made up from the pieces


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('model A{}()[]@@"\\\n=:,? id Int String//relation.')), max_size=400))
def test_the_prisma_parser_reads_any_text(text: str) -> None:
    blocks = prisma.parse(text)
    assert all(block.kind in {"model", "view", "type", "enum", "datasource", "generator"} for block in blocks)
    assert sum(len(block.fields) for block in blocks) <= text.count("\n") + len(blocks)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"{}()[]'\"`$.=;,:*/\n @ab", "import ", "export ", "from ", "default ", "require(",
                                 "import(", "process.env.", "import.meta.env.", "module.exports", "=>", "const "]),
                max_size=120))
def test_the_module_index_reads_any_text(pieces: list[str]) -> None:
    parsed = parse("typescript", "".join(pieces))
    assert parsed is not None
    index = jsmodule.module("a.ts", parsed)
    assert all(isinstance(spec, str) and line >= 1 for spec, line in index.imports)
    assert all(line >= 1 for _, line in index.env_reads)


def test_deep_structures_and_long_re_export_chains_do_not_break_the_analysis(tmp_path: Path) -> None:
    deep = 3000
    chain = {f"src/n{i}.ts": f"export * from './n{i + 1}';\n" for i in range(300)}
    chain["src/n300.ts"] = "import { Router } from 'express';\nexport const router = Router().get('/end', h);\n"
    arch = analysed(tmp_path / "r", {
        "package.json": '{\n  "dependencies": {\n    "express": "^4.0.0", "@nestjs/common": "^10.0.0",\n'
                        '    "mongoose": "^8.0.0", "sequelize": "^6.0.0", "typeorm": "^0.3.0"\n  }\n}\n',
        "src/c.controller.ts": "import { Controller, Get } from '@nestjs/common';\n@Controller("
                               + "[" * deep + "'x'" + "]" * deep + ")\nexport class C {\n  @Get('y')\n  y() {}\n}\n",
        "src/m.js": "import mongoose from 'mongoose';\nmongoose.model('M', new mongoose.Schema({ a: "
                    + "{ b: " * deep + "String" + " }" * deep + " }));\n",
        "src/s.js": "sequelize.define('S', { a: " + "{ b: " * deep + "1" + " }" * deep + " });\n",
        "src/e.entity.ts": "import { Entity, Column } from 'typeorm';\n@Entity(" + "[" * deep + "]" * deep
                           + ")\nexport class E {\n  @Column(" + "(" * deep + ")" * deep + ")\n  e: string;\n}\n",
        "src/app.ts": "import express from 'express';\nimport { router } from './n0';\nconst app = express();\n"
                      "app.use('/api', router);\n",
        **chain,
    })
    paths = {(e.method, e.path) for e in arch.endpoints}
    assert paths <= {("GET", "/end"), ("GET", "/api/end"), ("GET", "/x/y")}  # nothing made up
    assert ("GET", "/end") in paths or ("GET", "/api/end") in paths  # the router itself is still read
    assert {e.name for e in arch.entities} <= {"M", "S", "E"}
