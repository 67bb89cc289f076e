# What every build reads of each JS/TS script is its summary (`javascript.JsSummary`): the scan reads it from one
# parse whose tree is then let go (a big code base's trees would otherwise all stay in memory), and a summary
# handed over for a script (by the memos, for an unchanged blob) is taken instead of parsing the script.
from __future__ import annotations

import gc

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.parsing.treesitter import Parsed

SCRIPTS = {
    f"src/feature{n}.ts": f"import {{ helper }} from './util';\nimport axios from 'axios';\n\n"
                          f"export const url{n} = process.env.API_URL_{n};\nexport const go{n} = () => helper({n});\n"
    for n in range(12)
}
SCRIPTS["src/util.ts"] = "export const helper = (n: number) => n * 2;\n"
SCRIPTS["src/db.ts"] = ("import { DataSource } from 'typeorm';\n\n"
                        "export const db = new DataSource({ type: 'postgres', host: process.env.DB_HOST });\n")


def _codebase(summaries: dict[str, javascript.JsSummary] | None = None) -> Codebase:
    return Codebase(paths=tuple(SCRIPTS), read_text=SCRIPTS.get, js_summaries=dict(summaries or {}))


def _live_parses() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Parsed))


def test_the_scan_keeps_each_scripts_summary_and_no_tree() -> None:
    before = _live_parses()
    code = _codebase()
    scan = javascript.scan(code)

    assert set(code.js_made) == set(SCRIPTS)
    assert scan.imports["src/feature3.ts"] == [("./util", 1), ("axios", 2)]
    assert ("API_URL_3", "src/feature3.ts", 4) in scan.env_reads
    assert javascript.database_options(code, "type", ("DataSource",))[0][0] == "PostgreSQL"
    assert _live_parses() == before  # every tree read for a summary was let go


def test_a_summary_handed_over_is_taken_instead_of_parsing_the_script() -> None:
    made = _codebase()
    javascript.scan(made)
    kept = dict(made.js_made)
    # what the memos hand over stands for its script: a stored summary that differs from the text shows
    kept["src/feature5.ts"] = javascript.JsSummary(parsed=True, imports=(("left-pad", 1),), env_reads=(("KEPT", 1),))

    code = _codebase(kept)
    scan = javascript.scan(code)

    assert code.js_made == {}  # nothing parsed
    assert scan.imports["src/feature5.ts"] == [("left-pad", 1)]
    assert ("KEPT", "src/feature5.ts", 1) in scan.env_reads
    assert javascript.users(code, ("left-pad",)) == ["src/feature5.ts"]
