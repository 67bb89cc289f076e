# NestJS, TypeORM and Mongoose read each script they read whole as the summary pass parses it (`read_script`), and
# its tree is let go; a script whose values need another file (a path constant it imports, RouterModule routes or a
# schema declared elsewhere) is read in the adapter's run instead, from its kept tree. What they find is the same either way: checked
# against the same adapters over the summaries handed over (as the memos hand them over), where nothing is read
# ahead and every script is read in the run.
from __future__ import annotations

import pytest

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.mongoose import MongooseAdapter
from autodevhub_docs.analysis.datamodel.typeorm import TypeOrmAdapter
from autodevhub_docs.analysis.endpoints.nest import NestAdapter
from autodevhub_docs.sources.manifests import read_manifest
from benchmarks.apps_scripts import javascript as express_app
from benchmarks.apps_scripts import typescript
from tests.fixture_apps import app_files

_NEST = app_files("nest-typeorm")
_MONGOOSE = {
    **app_files("mongoose"),
    "src/models/schemas.js": "import { Schema } from 'mongoose';\n"
                             "export const tagSchema = new Schema({ label: { type: String, unique: true } });\n"
                             "export const pointSchema = new Schema({ x: Number, y: Number });\n",
    "src/models/Tag.js": "import mongoose from 'mongoose';\nimport { tagSchema } from './schemas';\n"
                         "export default mongoose.model('Tag', tagSchema);\n",
    "src/models/Place.js": "import mongoose from 'mongoose';\nimport { pointSchema } from './schemas';\n"
                           "const placeSchema = new mongoose.Schema({ at: pointSchema, tag: { type: 'ObjectId', "
                           "ref: 'Tag' } });\nexport default mongoose.model('Place', placeSchema);\n",
}
_ADAPTERS = (NestAdapter(), TypeOrmAdapter(), MongooseAdapter())


def _code(files: dict[str, str], summaries: dict[str, javascript.JsSummary] | None = None) -> Codebase:
    manifest = read_manifest("package.json", files["package.json"])
    assert manifest is not None
    return Codebase(paths=tuple(sorted(files)), read_text=files.get, dependencies=manifest.dependencies,
                    js_summaries=dict(summaries or {}))


def test_a_script_that_alone_tells_is_read_ahead_and_one_naming_another_files_value_keeps_its_tree() -> None:
    code = _code(_NEST)
    javascript.scan(code)
    ahead = {path for adapter, path in code.js_read if adapter == "NestJS"}
    assert {"src/articles/articles.controller.ts", "src/main.ts", "src/users/users.module.ts"} <= ahead
    # `@Controller([PATHS.tags, 'labels'])` with PATHS imported, `RouterModule.register(routes)` with routes imported
    for path in ("src/tags/tags.controller.ts", "src/app.module.ts"):
        assert path not in ahead and path in code.js_modules
    assert not ahead & set(code.js_modules)  # a script read ahead by every adapter reading it keeps no tree
    assert ("TypeORM", "src/articles/article.entity.ts") in code.js_read


def test_a_model_whose_schema_is_in_another_file_is_read_in_the_run() -> None:
    code = _code(_MONGOOSE)
    javascript.scan(code)
    ahead = {path for adapter, path in code.js_read if adapter == "Mongoose"}
    assert {"src/models/User.js", "src/models/Session.js", "src/db.js"} <= ahead  # db.js registers no model
    assert not ahead & set(code.js_modules)
    for path in ("src/models/Tag.js", "src/models/Place.js"):  # the schema, an embedded schema from schemas.js
        assert path not in ahead and path in code.js_modules
    found = MongooseAdapter().run(code)
    assert found is not None
    assert {"Tag", "Place", "User"} <= {e.name for e in found.entities}
    place = next(e for e in found.entities if e.name == "Place")
    assert [(f.name, f.type) for f in place.fields] == [("_id", "ObjectId"), ("at", "pointSchema"),
                                                        ("tag", "ObjectId")]


@pytest.mark.parametrize("files", [_NEST, typescript(3).files, _MONGOOSE, express_app(3).files],
                         ids=["nest-typeorm", "typescript-benchmark", "mongoose", "javascript-benchmark"])
def test_reading_ahead_finds_what_reading_in_the_run_finds(files: dict[str, str]) -> None:
    ahead = _code(files)
    found_ahead = [adapter.run(ahead) for adapter in _ADAPTERS]
    assert ahead.js_read
    later = _code(files, ahead.js_made)
    found_later = [adapter.run(later) for adapter in _ADAPTERS]
    assert later.js_made == {} and later.js_read == {}  # nothing parsed in the pass: every script read in the run
    assert found_ahead == found_later
    assert any(found is not None and (found.endpoints or found.entities) for found in found_ahead)
