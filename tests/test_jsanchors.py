# A JS/TS file's imports, exports, classes, member calls, connection options and top-level names are read from the
# places their words occur (`jsanchors`, `jsnames`), without the file's query. What they give must be exactly what
# the query gives: checked on every JS/TS fixture file, the generated benchmark applications and tricky sources.
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.analysis import jsanchors, jsmodule
from autodevhub_docs.analysis.jsmodule import ROOT
from autodevhub_docs.analysis.jsquery import (
    ANCHORED_PATTERNS,
    CALLED_METHODS,
    CLASS_PATTERNS,
    INDEX_PATTERNS,
    OPTION_KEYS,
)
from autodevhub_docs.parsing.treesitter import grammar_for, parse, walk
from benchmarks.apps_scripts import javascript, typescript

_FIXTURES = Path(__file__).parent / "fixtures"
_TRICKY = {
    "tricky.js": """import def, * as ns from 'a';
import { b as c, "d e" as f, g } from './b';
import 'side-effect';
const lazy = () => import('./lazy');
const { Router, json: parse } = require('express');
const h = require(/* comment */ 'skipped');
function g() { return 1; }
function local() { const inner = require('inner'); function nested() {} return inner; }
const def = 'shadowed by the import';
const A = class { static { const z = 1; } };
class B extends A { m() { const y = 2; return y; } }
let w = 1, [p, q] = [1, 2];
for (const item of []) { const inFor = item; }
if (w) { const inBlock = w; }
x => x
module.exports = exports = {};
module.exports.extra = 1;
exports.one = () => 1;
exports['two'] = 2;
foo.exports = 3;
router.route('/a').get(list).post(create);
router?.get('/b', show);
app.use(model(Thing), mongoose.model('T', schema));
const db = new Sequelize({ dialect: 'sqlite', host: 'x' }, { type: "postgres" });
const port = process.env.PORT || process.env['DB_URL'] || process.env[key] || env.NOT_PROCESS;
const { API_KEY, SECRET: secret, ...rest } = process.env, [first] = process.env;
const mode = import.meta.env.MODE, nested = process.env.A.B, called = process.env.toString();
other.process.env.NOT_READ; process.env = {}; const env = 1; obj.env.X;
module.exports = router;
""",
    "tricky.ts": """import type { T } from './types';
import { Controller, Get as Fetch } from '@nestjs/common';
import x = require('y');
export * from './all';
export * as everything from './every';
export { a as b, c } from './re';
@Controller('items')
export class Items { @Fetch() list() { return helper(); } }
export abstract class Base {}
export default class {}
export const one = 1, two = 2;
export function three() {}
declare module 'm' { export const inner: number; }
const helper = function named() { return Items; };
export = helper;
TypeOrmModule.forRoot({ type: 'sqlite', database: ':memory:' });
app.setGlobalPrefix('api');
RouterModule.register([{ path: 'x', module: Items }]);
""",
}


def _sources() -> list[tuple[str, str]]:
    found = [(str(p.relative_to(_FIXTURES)), p.read_text(encoding="utf-8")) for p in sorted(_FIXTURES.rglob("*"))
             if p.is_file() and "node_modules" not in p.parts and grammar_for(p.name) in ("javascript", "typescript")]
    for app in (javascript(2), typescript(2)):
        found += [(path, text) for path, text in app.files.items() if grammar_for(path) in ("javascript", "typescript")]
    return found + sorted(_TRICKY.items())


_ALL = _sources()


def _span(node: Any) -> tuple[int, int, str] | None:
    return (node.start_byte, node.end_byte, node.type) if node is not None else None


def _spans(nodes: list[Any]) -> list[tuple[int, int, str] | None]:
    return [_span(n) for n in nodes]


def _declaration(found: tuple[int, jsmodule.Declaration] | None) -> tuple[Any, ...] | None:
    if found is None:
        return None
    scope, d = found
    return scope, d.kind, d.key, d.source, d.position, _span(d.node)


def _parsed(path: str, text: str) -> Any:
    parsed = parse(grammar_for(path) or "", text)
    assert parsed is not None
    return parsed


def test_the_sources_hold_the_forms_the_anchors_read() -> None:
    assert len(_ALL) > 80
    assert any("export *" in text for _, text in _ALL) and any("exports." in text for _, text in _ALL)


@pytest.mark.parametrize(("path", "text"), _ALL, ids=[p for p, _ in _ALL])
def test_anchored_nodes_are_the_query_captures(path: str, text: str) -> None:
    parsed = _parsed(path, text)
    grammar = "javascript" if parsed.grammar == "javascript" else "typescript"
    captured = parsed.captures("".join(patterns for _, patterns in INDEX_PATTERNS) + ANCHORED_PATTERNS
                               + CLASS_PATTERNS[grammar])
    statements = sorted(captured.get("import", []) + captured.get("require", []) + captured.get("export", []),
                        key=lambda n: n.start_byte)
    assert _spans(jsanchors.module_statements(parsed)) == _spans(statements)
    assert _spans(jsanchors.classes(parsed)) == _spans(captured.get("class", []))
    assert _spans(jsanchors.option_arguments(parsed, OPTION_KEYS)) == _spans(captured.get("options", []))
    for method in sorted(CALLED_METHODS):
        expected = [c for c in captured.get("member_call", [])
                    if parsed.text(c.child_by_field_name("function").child_by_field_name("property")) == method]
        assert sorted(_spans(jsanchors.member_calls(parsed, method))) == sorted(_spans(expected))  # type: ignore[type-var]
    model = [c for c in captured.get("plain_call", []) if parsed.text(c.child_by_field_name("function")) == "model"]
    assert _spans(jsanchors.named_calls(parsed, "model")) == _spans(model)
    environment = sorted(captured.get("env", []) + captured.get("env_pattern", []), key=lambda n: n.start_byte)
    assert _spans(jsanchors.environment(parsed)) == _spans(environment)

    def effective(nodes: list[Any]) -> list[tuple[int, int, str] | None]:  # what `_read_commonjs` acts on
        kept = []
        for node in nodes:
            left = node.child_by_field_name("left")
            obj = left.child_by_field_name("object")
            if parsed.text(left) == "module.exports" or (obj is not None and parsed.text(obj) in (
                    "exports", "module.exports")):
                kept.append(_span(node))
        return kept

    assert effective(jsanchors.commonjs_assignments(parsed)) == effective(captured.get("assign", []))


@pytest.mark.parametrize(("path", "text"), _ALL, ids=[p for p, _ in _ALL])
def test_top_level_names_and_scopes_are_those_of_the_file_index(path: str, text: str) -> None:
    anchored = jsmodule.module(path, _parsed(path, text))
    indexed = jsmodule.module(path, _parsed(path, text))
    indexed.declarations  # noqa: B018 - runs the file's query and binds every scope
    names = sorted({anchored.text(n) for n in walk(anchored.parsed.root) if n.child_count == 0 and n.is_named})
    assert names
    for name in names:
        assert _declaration(anchored.lookup(name, ROOT)) == _declaration(indexed.lookup(name, ROOT)), name
    outside = [jsanchors.outside_functions(n) for n in walk(anchored.parsed.root) if n.is_named]
    assert outside == [indexed.scope_of(n) == ROOT for n in walk(indexed.parsed.root) if n.is_named]


def test_each_import_binds_its_names_to_what_it_takes_from_its_module() -> None:
    # The binding of an imported name is read from the specifier: an alias (with a comment inside, or not), a
    # string name, a default, a namespace, a type-only import; the first import of a name is the one that binds it.
    text = """import def, * as ns from 'a';
import { b as c, "d e" as f, g, h /* why */ as i, j /* note */, } from './b';
import type { T } from './types';
import { type U, V as W } from './types';
import g from 'again';
import './side-effect';
"""
    mod = jsmodule.module("x.ts", _parsed("x.ts", text))
    found = {name: _declaration(mod.lookup(name, ROOT)) for name in ("def", "ns", "c", "f", "g", "i", "j", "T", "U",
                                                                       "W", "V", "b", "h")}
    assert {name: d[1:4] if d else None for name, d in found.items()} == {
        "def": ("import", "default", "a"), "ns": ("import", "*", "a"), "c": ("import", "b", "./b"),
        "f": ("import", "d e", "./b"), "g": ("import", "g", "./b"), "i": ("import", "h", "./b"),
        "j": ("import", "j", "./b"), "T": ("import", "T", "./types"), "U": ("import", "U", "./types"),
        "W": ("import", "V", "./types"), "V": None, "b": None, "h": None}


@pytest.mark.parametrize(("path", "text"), _ALL, ids=[p for p, _ in _ALL])
def test_a_string_literal_is_read_as_its_children_give_it(path: str, text: str) -> None:
    # Most literals are read from their bytes (quotes around one fragment); every one must be what reading its
    # children gives (escapes, JSX character references, unterminated literals among them).
    parsed = _parsed(path, text)
    strings = [n for n in walk(parsed.root) if n.type == "string"]
    assert [jsmodule.string(parsed, n) for n in strings] == [parsed.literal(n) for n in strings]


def test_string_literals_with_escapes_references_and_no_closing_quote() -> None:
    text = r"""const a = 'it\'s', b = "tab\t", c = '', d = "&amp;";
const e = <div title="a &amp; b" data-x='q'>x</div>;
const f = 'open
"""
    parsed = _parsed("x.jsx", text)
    strings = [n for n in walk(parsed.root) if n.type == "string"]
    assert len(strings) >= 6
    assert [jsmodule.string(parsed, n) for n in strings] == [parsed.literal(n) for n in strings]


@pytest.mark.parametrize(("path", "text"), _ALL, ids=[p for p, _ in _ALL])
def test_a_class_members_decorators_are_its_decorator_field(path: str, text: str) -> None:
    # `jsclasses.members` reads a member's own decorators from the grammar's `decorator` field: every decorator
    # child of a class member must be one.
    parsed = _parsed(path, text)
    for body in (n for n in walk(parsed.root) if n.type == "class_body"):
        for member in body.named_children:
            assert _spans(member.children_by_field_name("decorator")) == _spans(
                [c for c in member.children if c.type == "decorator"])


def _looked_up(parsed: Any, word: str) -> list[tuple[int, int, str] | None]:
    """The nodes whose bytes are the word, looked up at every place the bytes occur."""
    found, data = [], word.encode()
    at = parsed.source.find(data)
    while at >= 0:
        node = parsed.root.descendant_for_byte_range(at, at + len(data))
        if node is not None and (node.start_byte, node.end_byte) == (at, at + len(data)):
            found.append(_span(node))
        at = parsed.source.find(data, at + 1)
    return found


@pytest.mark.parametrize(("path", "text"), [*_ALL, ("names.js", "const $route = route$ + _route + routeé + route;\n"
                                                               "router.route(x); `${route}`; a.#route; 'route'; route.a;\n")],
                         ids=[p for p, _ in _ALL] + ["names.js"])
def test_a_words_tokens_skip_only_the_places_inside_longer_names(path: str, text: str) -> None:
    # Where a name character touches a word's bytes they are part of a longer name: no look-up is made there, and
    # the tokens are the same as looking up every place.
    parsed = _parsed(path, text)
    words = {parsed.text(n) for n in walk(parsed.root) if n.child_count == 0} | {"import", "export", "route"}
    for word in sorted(w for w in words if w.strip()):
        every = _looked_up(parsed, word)
        assert _spans(list(jsanchors.tokens(parsed, word))) == every, word
        # a reader of declarations leaves out the places a dot follows the word (`word.x`)
        assert _spans(list(jsanchors.tokens(parsed, word, objects=False))) == [
            span for span in every if span is not None and parsed.source[span[1]:span[1] + 1] != b"."], word
