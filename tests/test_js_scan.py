# What every JS/TS file shows, read from its syntax tree: imported modules in each form (ESM, export-from,
# require, dynamic import) with their line, and environment reads (process.env.X, process.env["X"],
# import.meta.env.X, destructuring) — never the text of comments or strings.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis import javascript
from tests.fixture_apps import analysed, codebase

_SOURCE = """import express, { Router } from 'express';
import * as path from 'node:path';
import type { Config } from './config';
export { handler } from './handlers';
export * from './models';
const db = require('./db');
const lazy = () => import('./lazy');
// require('./commented-out')
const text = "import x from 'in-a-string'";
const port = process.env.PORT || process.env["DB_URL"];
const { API_KEY, SECRET: secret } = process.env;
export const mode = import.meta.env.VITE_MODE;
"""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> javascript.JsScan:
    return javascript.scan(codebase(tmp_path_factory.mktemp("r") / "s", {"src/app.ts": _SOURCE,
                                                                           "src/legacy.cjs": "require('koa');\n"}))


def test_every_import_form_with_its_line(scanned: javascript.JsScan) -> None:
    assert scanned.imports["src/app.ts"] == [
        ("express", 1), ("node:path", 2), ("./config", 3), ("./handlers", 4), ("./models", 5), ("./db", 6),
        ("./lazy", 7)]
    assert scanned.imports["src/legacy.cjs"] == [("koa", 1)]


def test_environment_reads_in_every_form(scanned: javascript.JsScan) -> None:
    assert scanned.env_reads == [("PORT", "src/app.ts", 10), ("DB_URL", "src/app.ts", 10),
                                 ("API_KEY", "src/app.ts", 11), ("SECRET", "src/app.ts", 11),
                                 ("VITE_MODE", "src/app.ts", 12)]


def test_environment_reads_reach_the_development_facts(tmp_path: Path) -> None:
    arch = analysed(tmp_path / "r", {"src/app.ts": _SOURCE})
    assert {(e.name, e.source.line) for e in arch.env_vars if e.origin == "code"} >= {
        ("PORT", 10), ("DB_URL", 10), ("API_KEY", 11), ("SECRET", 11), ("VITE_MODE", 12)}


@pytest.mark.parametrize(("importer", "spec", "expected"), [
    ("src/a.ts", "./b", "src/b.ts"),
    ("src/a.ts", "./lib", "src/lib/index.ts"),
    ("src/a.ts", "./c.js", "src/c.ts"),  # TypeScript ESM names the compiled file
    ("src/a.ts", "../d", "d.mjs"),
    ("src/a.ts", "express", None),
    ("src/a.ts", "./missing", None),
])
def test_relative_specifiers_resolve_to_tracked_files(importer: str, spec: str, expected: str | None) -> None:
    paths = {"src/b.ts", "src/lib/index.ts", "src/c.ts", "d.mjs", "src/a.ts"}
    assert javascript.resolve_relative(importer, spec, paths) == expected


def test_component_script_blocks_are_read_with_their_lines(tmp_path: Path) -> None:
    scanned = javascript.scan(codebase(tmp_path / "r", {
        "web/App.vue": "<template>\n  <main />\n</template>\n\n<script setup lang=\"ts\">\nimport { ref } from 'vue';\n"
                       "import Nav from './Nav.vue';\nconst api = import.meta.env.VITE_API;\n</script>\n",
        "web/Nav.svelte": "<script>\n  import { onMount } from 'svelte';\n</script>\n<nav />\n",
    }))
    assert scanned.imports == {"web/App.vue": [("vue", 6), ("./Nav.vue", 7)], "web/Nav.svelte": [("svelte", 2)]}
    assert scanned.env_reads == [("VITE_API", "web/App.vue", 8)]
