# Incremental rebuilds: after a build and one more commit, the next build reads from git only the new commits and
# re-parses only the changed files, yet writes exactly the pages a full rebuild of the same commit writes. The full
# rebuild runs on a copy of the same cache with every memo forgotten, so both share the build history and the ADR
# numbers (the changes page and record numbers depend on them by design), and only the incremental steps differ.
from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.pipeline import run_build
from autodevhub_docs.report import BuildResult
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import open_store
from tests.helpers import Repo
from tests.stack_apps import app_files

FLASK_VIEW = '''"""Bookmarks, under the api blueprint."""
from flask import Blueprint

blueprint = Blueprint("bookmarks", __name__, url_prefix="/bookmarks")


@blueprint.get("/<int:bookmark_id>")
def get_bookmark(bookmark_id):
    return {}
'''

EXPRESS_ROUTES = """import { Router } from 'express';

const router = Router();

router.get('/bookmarks/:id', (req, res) => res.json({}));
router.post('/bookmarks', (req, res) => res.json({}));

export default router;
"""


def _settings(root: Path, cache: Path) -> Settings:
    return Settings(repo_path=root, cache_dir=cache, llm="offline")


def _full_rebuild_pages(root: Path, cache: Path, copy: Path) -> dict[str, str]:
    """The pages a build without any memo writes, from a copy of the cache with every memo forgotten."""
    shutil.copytree(cache, copy)
    store = open_store(copy)
    try:
        store.clear_memos()
    finally:
        store.close()
    result = run_build(_settings(root, copy))
    assert result.report["incremental"]["history"] == "full"
    assert result.report["incremental"]["python_reused"] == 0
    assert result.report["incremental"]["pages_reused"] == 0  # every page rendered: what the reused ones must equal
    return result.pages


def _rebuilt(root: Path, tmp_path: Path) -> tuple[BuildResult, dict[str, Any], dict[str, str]]:
    """The incremental rebuild, its counts in report.json, and the pages of a full rebuild of the same commit."""
    cache = tmp_path / "cache"
    full = _full_rebuild_pages(root, cache, tmp_path / "full")
    incremental = run_build(_settings(root, cache))
    return incremental, incremental.report["incremental"], full


def _same_pages(pages: dict[str, str], full: dict[str, str]) -> None:
    """Every page byte for byte; the Atom feed's `<updated>` is the wall-clock time of each build, so it is left out."""
    def clock_free(found: dict[str, str]) -> dict[str, str]:
        return {uri: re.sub(r"<updated>[^<]*</updated>", "<updated/>", text) if uri.endswith(".xml") else text
                for uri, text in found.items()}

    assert sorted(pages) == sorted(full)
    assert clock_free(pages) == clock_free(full)


def _paths(result: BuildResult) -> set[str]:
    return {e.path for e in result.analysis.architecture.endpoints}


def _python_repo(folder: Path) -> Repo:
    repo = Repo(folder)
    files = app_files("flask_sqlalchemy")
    repo.commit("Initial import of the conduit API", files, date="2024-05-01T10:00:00+00:00")
    repo.commit("Add caching with redis", {"requirements.txt": files["requirements.txt"] + "redis==5.0.4\n"},
                date="2024-05-02T10:00:00+00:00")
    return repo


def test_a_python_app_rebuilt_after_one_commit_matches_a_full_rebuild(tmp_path: Path) -> None:
    repo = _python_repo(tmp_path / "repo")
    first = run_build(_settings(repo.root, tmp_path / "cache"))
    assert first.report["incremental"]["history"] == "full"
    python_files = sum(1 for f in first.facts.files if f.path.endswith(".py"))
    assert first.report["incremental"]["python_parsed"] == python_files

    requirements = (repo.root / "requirements.txt").read_text(encoding="utf-8")
    repo.commit("Move from PostgreSQL to MySQL; add bookmarks", {
        "requirements.txt": requirements.replace("psycopg2-binary==2.9.9", "mysqlclient==2.2.4"),
        "conduit/bookmarks/__init__.py": "",
        "conduit/bookmarks/views.py": FLASK_VIEW,
    }, date="2024-05-03T10:00:00+00:00")
    result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert "/bookmarks/{bookmark_id}" in _paths(result)
    assert "Replace PostgreSQL with MySQL" in result.pages["adr/index.md"]  # mined from the one new timeline step
    assert counts["history"] == "continued"
    assert counts["python_parsed"] == 2  # the two new files; every other summary came from the store
    assert counts["python_reused"] == python_files
    assert counts["files_read"] == 3  # requirements.txt and the two new files
    assert counts["timeline_steps_new"] == 1 and counts["timeline_steps"] == 3
    # Pages whose inputs the commit did not change come from the store (and equal the full rebuild's, above); the
    # API page and the decision records, which it changed, are rendered again.
    assert counts["pages_reused"] > 0 and counts["pages_rendered"] > 0
    assert counts["pages_reused"] + counts["pages_rendered"] == sum(1 for doc in result.documents if doc.uri)


def test_a_js_app_rebuilt_after_one_commit_matches_a_full_rebuild(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    files = app_files("express-prisma")
    repo.commit("Initial import", files, date="2024-05-01T10:00:00+00:00")
    run_build(_settings(repo.root, tmp_path / "cache"))

    package = files["package.json"].replace('"cors": "^2.8.5",', '"cors": "^2.8.5",\n    "zod": "^3.23.0",')
    repo.commit("Validate bodies with zod; bookmarks", {
        "package.json": package,
        "src/app/routes/bookmark.routes.ts": EXPRESS_ROUTES,
    }, date="2024-05-02T10:00:00+00:00")
    result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert {"/bookmarks/{id}", "/bookmarks"} <= _paths(result)
    assert counts["history"] == "continued" and counts["files_read"] == 2 and counts["timeline_steps_new"] == 1


def test_a_force_pushed_history_is_read_in_full_and_matches_a_full_rebuild(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    repo = _python_repo(tmp_path / "repo")
    run_build(_settings(repo.root, tmp_path / "cache"))

    # the last commit is rewritten (amended with another dependency), as a force-push would leave the clone
    repo.git("reset", "-q", "--hard", "HEAD~1")
    requirements = (repo.root / "requirements.txt").read_text(encoding="utf-8")
    repo.commit("Add background jobs with celery", {"requirements.txt": requirements + "celery==5.4.0\n"},
                date="2024-05-02T11:00:00+00:00")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.autodevhub_docs"):
        result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert counts["history"] == "full"
    assert any("history was rewritten since the last build" in r.getMessage() for r in caplog.records)
    assert any("first-parent history does not continue" in r.getMessage() for r in caplog.records)
    assert "redis" not in result.pages["adr/index.md"].lower() and "celery" in result.pages["adr/index.md"].lower()
    # the files did not change with the history: their summaries still come from the store
    assert counts["python_parsed"] == 0


def test_a_merged_branch_is_read_from_the_last_head_on_and_matches_a_full_rebuild(tmp_path: Path) -> None:
    repo = _python_repo(tmp_path / "repo")
    run_build(_settings(repo.root, tmp_path / "cache"))

    # a branch forked before the last build, merged after it: its commits are new although older than that HEAD
    repo.git("checkout", "-q", "-b", "feature", "HEAD~1")
    repo.commit("Add bookmarks", {"conduit/bookmarks/__init__.py": "", "conduit/bookmarks/views.py": FLASK_VIEW},
                date="2024-05-01T12:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature",
             env={"GIT_AUTHOR_DATE": "2024-05-04T10:00:00+00:00", "GIT_COMMITTER_DATE": "2024-05-04T10:00:00+00:00"})
    result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert counts["history"] == "continued" and counts["python_parsed"] == 2
    assert [c.subject for c in result.facts.commits][:2] == ["Merge branch 'feature'", "Add caching with redis"]
    assert "Add bookmarks" in {c.subject for c in result.facts.commits}


def test_a_rebuild_at_the_same_commit_reads_no_file_again(tmp_path: Path) -> None:
    repo = _python_repo(tmp_path / "repo")
    first = run_build(_settings(repo.root, tmp_path / "cache"))
    again = run_build(_settings(repo.root, tmp_path / "cache"))

    assert again.pages == first.pages
    counts = again.report["incremental"]
    assert counts["history"] == "continued" and counts["files_read"] == 0 and counts["python_parsed"] == 0
    assert counts["timeline_steps_new"] == 0
    # The first rebuild may render pages whose context came from the store rather than a fresh parse (equal values
    # that pickle differently); from then on, with nothing a page is made of changed, no page is rendered again.
    steady = run_build(_settings(repo.root, tmp_path / "cache"))
    assert steady.pages == first.pages
    assert steady.report["incremental"]["pages_rendered"] == 0 and steady.report["incremental"]["pages_reused"] > 0

    # an uncommitted edit is read again (and its summary is not kept: the working tree is not a blob)
    (repo.root / "conduit/profile/views.py").write_text(FLASK_VIEW, encoding="utf-8")
    edited = run_build(_settings(repo.root, tmp_path / "cache"))
    assert edited.report["incremental"]["python_parsed"] == 1
    assert "/api/bookmarks/{bookmark_id}" in _paths(edited) and "/api/profiles/{username}" not in _paths(edited)


TYPEORM_PACKAGE = """{
  "name": "shop",
  "dependencies": {"express": "^4.19.2", "typeorm": "^0.3.20", "reflect-metadata": "^0.2.2"}
}
"""
DATA_SOURCE = """import { DataSource } from 'typeorm';
import { Order } from './entities/Order';

export const db = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, entities: [Order] });
"""
ORDER_ENTITY = """import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  total: number;
}
"""
SHOP_APP = """import express from 'express';
import { db } from './data-source';

const app = express();

app.get('/orders', async (req, res) => res.json(await db.manager.find('Order')));

app.listen(Number(process.env.PORT ?? 3000));
"""


def test_changed_scripts_are_summarised_again_and_match_a_full_rebuild(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial import", {"package.json": TYPEORM_PACKAGE, "src/data-source.ts": DATA_SOURCE,
                                   "src/entities/Order.ts": ORDER_ENTITY, "src/app.ts": SHOP_APP,
                                   "src/util/money.ts": "export const cents = (n: number) => Math.round(n * 100);\n"},
               date="2024-05-01T10:00:00+00:00")
    first = run_build(_settings(repo.root, tmp_path / "cache"))
    assert first.report["incremental"]["js_parsed"] == 4 and first.report["incremental"]["js_reused"] == 0
    assert "PostgreSQL" in {t.name for t in first.analysis.architecture.technologies}

    # every fact a kept summary holds changes: the database an option names, an import, an environment read
    repo.commit("Move to MySQL; cache orders in redis", {
        "src/data-source.ts": DATA_SOURCE.replace("'postgres'", "'mysql'"),
        "src/app.ts": SHOP_APP.replace("import { db } from './data-source';",
                                       "import { db } from './data-source';\nimport { createClient } from 'redis';")
                              .replace("app.listen(", "createClient({ url: process.env.REDIS_URL });\n\napp.listen(")
                              .replace("app.get('/orders'", "app.get('/orders/:id', async (req, res) => res.json({}));"
                                                            "\napp.get('/orders'"),
    }, date="2024-05-02T10:00:00+00:00")
    result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert counts["js_parsed"] == 2 and counts["js_reused"] == 2  # the two changed scripts; the others were kept
    arch = result.analysis.architecture
    assert {"MySQL"} <= {t.name for t in arch.technologies} and "PostgreSQL" not in {t.name for t in arch.technologies}
    assert "REDIS_URL" in {v.name for v in arch.env_vars}
    assert {"/orders", "/orders/{id}"} <= _paths(result)
    assert "Redis" in {t.name for t in arch.technologies}  # from the new import


def test_one_more_commit_on_the_line_continues_the_kept_order_without_walking_the_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _python_repo(tmp_path / "repo")
    run_build(_settings(repo.root, tmp_path / "cache"))
    repo.commit("Add bookmarks", {"conduit/bookmarks/__init__.py": "", "conduit/bookmarks/views.py": FLASK_VIEW},
                date="2024-05-03T10:00:00+00:00")
    trace = tmp_path / "git-trace.log"
    monkeypatch.setenv("GIT_TRACE", str(trace))  # git itself logs every command it runs
    result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert counts["history"] == "continued"
    assert [c.subject for c in result.facts.commits] == ["Add bookmarks", "Add caching with redis",
                                                         "Initial import of the conduit API"]
    # the full rebuild reads the whole log; the incremental one only `git log <last>..HEAD`, never `git rev-list`
    assert "rev-list" not in trace.read_text(encoding="utf-8")


def test_a_touched_checkout_whose_content_is_unchanged_reads_no_file_again(tmp_path: Path) -> None:
    repo = _python_repo(tmp_path / "repo")
    first = run_build(_settings(repo.root, tmp_path / "cache"))
    # Every file's stat data changes and its content does not (a restored or copied checkout, a `touch`): `git
    # diff-files` lists them all until the index is refreshed, which these builds never do.
    for path in repo.root.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(repo.root).parts:
            os.utime(path, (1_700_000_000, 1_700_000_000))
    edited = repo.root / "conduit/profile/views.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result, counts, full = _rebuilt(repo.root, tmp_path)

    _same_pages(result.pages, full)
    assert counts["files_read"] == 1 and counts["python_parsed"] == 1  # only the file whose content changed
    assert counts["python_reused"] == first.report["incremental"]["python_parsed"] - 1


def test_decisions_are_reused_while_what_they_are_mined_from_is_the_same(tmp_path: Path) -> None:
    # Mining reads the usage timeline's eventful steps, the commits that adopt a practice and GitHub's items. After a
    # commit that changes none of them (a code change, a patch release pinned), the last build's decisions are taken
    # and the timeline's stored records are never read; a commit that swaps a technology, or adopts a practice, mines
    # again. Each time the pages equal a full rebuild's.
    repo = _python_repo(tmp_path / "repo")
    first = run_build(_settings(repo.root, tmp_path / "cache"))
    assert first.report["incremental"]["decisions"] == "mined"

    repo.commit("Add bookmarks", {"conduit/bookmarks/__init__.py": "", "conduit/bookmarks/views.py": FLASK_VIEW},
                date="2024-05-03T10:00:00+00:00")
    code_only, counts, full = _rebuilt(repo.root, tmp_path)
    _same_pages(code_only.pages, full)
    assert counts["decisions"] == "reused" and counts["timeline_steps_new"] == 0
    assert code_only.analysis.decisions == first.analysis.decisions
    shutil.rmtree(tmp_path / "full")

    requirements = (repo.root / "requirements.txt").read_text(encoding="utf-8")
    bump = repo.commit("Pin redis to its latest patch release", {"requirements.txt": requirements.replace(
        "redis==5.0.4", "redis==5.0.8")}, date="2024-05-03T12:00:00+00:00")
    patch, counts, full = _rebuilt(repo.root, tmp_path)  # a step of the timeline, but not an eventful one
    _same_pages(patch.pages, full)
    assert counts["decisions"] == "reused" and counts["timeline_steps_new"] == 1
    assert counts["timeline_steps"] == first.report["incremental"]["timeline_steps"] + 1
    store = open_store(tmp_path / "cache")
    try:  # only the records mining reads are kept
        assert bump not in store.memo_keys("memo:steps") and len(store.memo_keys("memo:steps")) == 2
    finally:
        store.close()
    shutil.rmtree(tmp_path / "full")

    requirements = requirements.replace("redis==5.0.4", "redis==5.0.8")
    repo.commit("Replace redis with memcached", {"requirements.txt": requirements.replace(
        "redis==5.0.8", "pymemcache==4.0.0")}, date="2024-05-04T10:00:00+00:00")
    manifest, counts, full = _rebuilt(repo.root, tmp_path)
    _same_pages(manifest.pages, full)
    assert counts["decisions"] == "mined" and counts["timeline_steps_new"] == 1
    assert manifest.analysis.decisions != first.analysis.decisions
    shutil.rmtree(tmp_path / "full")

    repo.commit("Adopt conventional commits for every change", {"CHANGES.md": "# Changes\n"},
                date="2024-05-05T10:00:00+00:00")
    practice, counts, full = _rebuilt(repo.root, tmp_path)
    _same_pages(practice.pages, full)
    assert counts["decisions"] == "mined"
    assert any("onventional" in d.title for d in practice.analysis.decisions)
