# The JS/TS file query leaves out the pattern groups whose text predicates compare with words a file does not hold:
# what it captures is exactly what the whole query captures, in every grammar, whichever groups are left out.
from __future__ import annotations

import pytest

from autodevhub_docs.analysis.jsquery import INDEX_PATTERNS, file_query
from autodevhub_docs.parsing.treesitter import parse

_SOURCES = {
    "everything": """const express = require('express');
const mongoose = require('mongoose');
const port = process.env.PORT || process.env["DB_URL"];
const { API_KEY } = process.env;
const mode = import.meta.env.MODE;
const Thing = mongoose.model('Thing', new mongoose.Schema({ name: String }));
const db = new Sequelize({ dialect: 'sqlite' });
module.exports = (req, res) => {
  if (req.method === 'POST') { return res.send(model(Thing)); }
  switch (req.method) { case 'GET': return res.json({}); }
};
""",
    "none of the words": """import { Router } from 'express';
export const router = Router();
router.get('/items', list);
export class Items { handle(a) { return helper(a); } }
""",
    "words only in comments and strings": """// process.env.PORT, require('x'), req.method === 'GET'
const text = "model dialect provider type env";
export default function f(a) { return g(a); }
""",
}


def _captured(grammar: str, source: str, query: str) -> dict[str, list[tuple[int, int, str]]]:
    parsed = parse(grammar, source)
    assert parsed is not None
    return {name: [(n.start_byte, n.end_byte, n.type) for n in nodes]
            for name, nodes in parsed.captures(query).items() if nodes}


@pytest.mark.parametrize("grammar", ["javascript", "typescript"])
@pytest.mark.parametrize("name", sorted(_SOURCES))
def test_the_file_query_captures_what_the_whole_query_captures(grammar: str, name: str) -> None:
    source = _SOURCES[name]
    whole = "".join(patterns for _, patterns in INDEX_PATTERNS)
    assert _captured(grammar, source, file_query(source.encode())) == _captured(grammar, source, whole)


def test_groups_are_left_out_only_when_none_of_their_words_is_in_the_file() -> None:
    everything = file_query(_SOURCES["everything"].encode())
    assert everything == "".join(patterns for _, patterns in INDEX_PATTERNS)
    bare = file_query(_SOURCES["none of the words"].encode())
    assert not [capture for capture in ("@_model", "@_method") if capture in bare]
    assert "@function" in bare and "@declarator" in bare and "@plain_call" in bare
