# What every build reads of each JS/TS script is its summary (`javascript.JsSummary`): the scan reads it from one
# parse whose tree is then let go (a big code base's trees would otherwise all stay in memory). A script importing a
# package an adapter reads whole (a router, an ORM) is read by that adapter as the scan parses it (NestJS, TypeORM),
# or its tree is kept for the adapter, which then reads the kept tree instead of parsing the script again. A summary handed over for a script (by the memos, for an unchanged blob) is taken instead of
# parsing the script.
from __future__ import annotations

import gc

import pytest

from autodevhub_docs.analysis import adapters, javascript, jsmodule
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.mongoose import MongooseAdapter
from autodevhub_docs.analysis.datamodel.typeorm import TypeOrmAdapter
from autodevhub_docs.parsing import treesitter
from autodevhub_docs.parsing.treesitter import Parsed
from autodevhub_docs.sources.manifests import read_manifest

SCRIPTS = {
    f"src/feature{n}.ts": f"import {{ helper }} from './util';\nimport axios from 'axios';\n\n"
                          f"export const url{n} = process.env.API_URL_{n};\nexport const go{n} = () => helper({n});\n"
    for n in range(12)
}
SCRIPTS["src/util.ts"] = "export const helper = (n: number) => n * 2;\n"
SCRIPTS["src/db.ts"] = ("import { DataSource } from 'typeorm';\n\n"
                        "export const db = new DataSource({ type: 'postgres', host: process.env.DB_HOST });\n")
SCRIPTS["src/user.ts"] = ("import { Column as Field, Entity } from 'typeorm';\n\n"
                          "@Entity()\nexport class User {\n  @Field()\n  name: string;\n}\n")


def _codebase(summaries: dict[str, javascript.JsSummary] | None = None) -> Codebase:
    return Codebase(paths=tuple(SCRIPTS), read_text=SCRIPTS.get, js_summaries=dict(summaries or {}))


def _live_parses() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Parsed))


def test_the_scan_keeps_each_scripts_summary_and_only_the_trees_an_adapter_reads() -> None:
    before = _live_parses()
    reads: list[str] = []
    code = Codebase(paths=tuple(SCRIPTS), read_text=lambda path: reads.append(path) or SCRIPTS.get(path))
    scan = javascript.scan(code)

    assert set(code.js_made) == set(SCRIPTS)
    assert scan.imports["src/feature3.ts"] == [("./util", 1), ("axios", 2)]
    assert ("API_URL_3", "src/feature3.ts", 4) in scan.env_reads
    assert ("DB_HOST", "src/db.ts", 3) in scan.env_reads
    assert javascript.database_options(code, "type", ("DataSource",))[0][0] == "PostgreSQL"
    # only the script importing typeorm and holding its adapter's words (an entity, a column) is read whole, and
    # TypeORM read it as the scan parsed it: no tree is kept. The one opening the data source imports typeorm
    # too, but declares no entity.
    assert _live_parses() == before
    assert list(code.js_read) == [("TypeORM", "src/user.ts")]
    assert "typeorm" in adapters.script_packages() and "axios" not in adapters.script_packages()
    assert code.js_summaries["src/user.ts"].words == ("Column", "Entity")
    assert code.js_summaries["src/db.ts"].words == ()
    found = TypeOrmAdapter().run(code)
    assert found is not None and found.files_read == ("src/user.ts",)
    assert [(e.name, [f.name for f in e.fields]) for e in found.entities] == [("User", ["name"])]
    assert sorted(reads) == sorted(SCRIPTS)  # each script read (and parsed) once, the adapter's included


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


def test_a_module_index_goes_with_its_parse() -> None:
    # The index of a parse (kept for the adapters that ask again) must not keep the parse alive once its reader
    # drops it: `mkdocs serve` builds again and again in one process.
    before = _live_parses()
    for n in range(5):
        parsed = treesitter.parse("typescript", SCRIPTS[f"src/feature{n}.ts"])
        assert parsed is not None
        assert jsmodule.module(f"src/feature{n}.ts", parsed) is jsmodule.module(f"src/feature{n}.ts", parsed)
        del parsed
    assert _live_parses() == before


MONGOOSE_APP = {
    "package.json": '{"dependencies": {"mongoose": "^8.0.0", "express": "^4.19.0"}}',
    "src/models/user.js": "const mongoose = require('mongoose');\n"
                          "const UserSchema = new mongoose.Schema({ name: String });\n"
                          "module.exports = mongoose.model('User', UserSchema);\n",
    "src/models/post.js": "import { model, Schema } from 'mongoose';\n"
                          "export const Post = model('Post', new Schema({ title: String, "
                          "author: { type: Schema.Types.ObjectId, ref: 'User' } }));\n",
    **{f"src/routes/r{n}.js": f"const User = require('../models/user');\nconst express = require('express');\n"
                              f"const router = express.Router();\nrouter.get('/r{n}', (q, s) => s.json(User.modelName));\n"
                              f"module.exports = router;\n" for n in range(4)},
}


def test_the_summary_names_the_model_registrations_and_mongoose_parses_only_those_scripts() -> None:
    # Mongoose reads every script for `model(...)` registrations; the summary says which scripts make one, so the
    # others (most of an application) are not parsed a second time, and the entities are the same.
    reads: dict[str, int] = {}

    def read_text(path: str) -> str | None:
        reads[path] = reads.get(path, 0) + 1
        return MONGOOSE_APP.get(path)

    code = Codebase(paths=tuple(MONGOOSE_APP), read_text=read_text,
                    dependencies=read_manifest("package.json", MONGOOSE_APP["package.json"]).dependencies)
    javascript.scan(code)
    assert javascript.summary(code, "src/models/user.js").calls == ("model",)
    assert javascript.summary(code, "src/models/post.js").calls == ("model",)
    assert javascript.summary(code, "src/routes/r0.js").calls == ()
    found = MongooseAdapter().run(code)
    assert found is not None
    assert sorted(e.name for e in found.entities) == ["Post", "User"]
    assert [(r.left, r.right) for r in found.relations] == [("Post", "User")]
    assert len(found.files_read) == 6  # every script was read (for its summary), as before
    assert all(reads[f"src/routes/r{n}.js"] == 1 for n in range(4)), reads
    # the model files import mongoose, so the scan kept their trees for the adapter: each is read once too
    assert reads["src/models/user.js"] == 1 and reads["src/models/post.js"] == 1


def test_the_kept_parses_and_their_indexes_go_with_the_codebase_without_the_cyclic_collector() -> None:
    # A build runs its analysis with the cyclic collector paused: a kept parse and its module index must not hold
    # each other, or every kept tree would wait for the collection that ends the analysis (and cost it).
    gc.collect()
    before = _live_parses()
    code = _codebase()
    javascript.scan(code)
    found = TypeOrmAdapter().run(code)
    assert found is not None and [e.name for e in found.entities] == ["User"]
    assert javascript.module(code, "src/user.ts") is javascript.module(code, "src/user.ts")
    gc.disable()
    try:
        del code, found
        alive = sum(1 for obj in gc.get_objects() if isinstance(obj, Parsed))
    finally:
        gc.enable()
    assert alive == before


@pytest.mark.parametrize("database", sorted(javascript.DATABASES))
def test_every_database_an_option_names_is_in_the_summary(database: str) -> None:
    # The summary looks for the options only in scripts that hold a database's name, found by the parts the names
    # share (`sql`, `db`): each name must still be found.
    files = {"src/db.js": f"const db = new Sequelize({{ dialect: '{database}' }});\n",
             "src/plain.js": "const options = new Sequelize({ dialect: 'oracle' });\n"}
    code = Codebase(paths=tuple(files), read_text=files.get)
    assert javascript.summary(code, "src/db.js").options == (("Sequelize", "dialect", database, 1),)
    assert javascript.summary(code, "src/plain.js").options == ()


def test_a_call_whose_name_holds_another_is_in_the_summary_alone() -> None:
    files = {"src/a.js": "User.belongsToMany(Role);\n", "src/b.js": "User.belongsTo(Team);\nUser.hasOne(Profile);\n"}
    code = Codebase(paths=tuple(files), read_text=files.get)
    assert javascript.summary(code, "src/a.js").calls == ("belongsToMany",)
    assert javascript.summary(code, "src/b.js").calls == ("belongsTo", "hasOne")


def test_an_import_statement_written_in_many_files_is_read_once_per_build() -> None:
    files = {f"src/e{n}.ts": f"import {{ Column, Entity }} from 'typeorm';\n\n@Entity()\nexport class E{n} {{\n"
                             f"  @Column()\n  name: string;\n}}\n" for n in range(3)}
    files["src/broken.ts"] = "import { Column, , Entity } from 'typeorm';\n\n@Entity()\nexport class B {}\n"
    code = Codebase(paths=tuple(files), read_text=files.get)
    found = TypeOrmAdapter().run(code)
    assert found is not None and [e.name for e in found.entities] == ["E0", "E1", "E2", "B"]
    statement = ("typescript", b"import { Column, Entity } from 'typeorm';")
    assert list(code.js_bindings) == [statement]  # a statement with a syntax error is read in its own file only
    assert [(name, d.key, d.source) for name, d in code.js_bindings[statement].items()] == [
        ("Column", "Column", "typeorm"), ("Entity", "Entity", "typeorm")]
    assert Codebase(paths=tuple(files), read_text=files.get).js_bindings == {}


def test_a_script_that_imports_nothing_is_no_users_and_its_words_are_not_looked_for() -> None:
    files = {"src/alone.ts": "@Controller('x')\nexport class Alone { @Column() name: string; }\n",
             "src/user.ts": SCRIPTS["src/user.ts"]}
    code = Codebase(paths=tuple(files), read_text=files.get)
    assert javascript.summary(code, "src/alone.ts").words == ()
    assert javascript.summary(code, "src/user.ts").words == ("Column", "Entity")
    assert javascript.users(code, ("typeorm",), ("Column", "Entity")) == ["src/user.ts"]
