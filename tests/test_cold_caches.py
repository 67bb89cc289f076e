# The caches a cold build leans on (issue 18): each must hand back the same result as the work it saves, and do the
# work again as soon as its input changes.
from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

import pytest

from autodevhub_docs.analysis import pyscan, pysymbols
from autodevhub_docs.analysis.decisions.records import step_records
from autodevhub_docs.analysis.decisions.timeline import state_of
from autodevhub_docs.analysis.memo_codec import Deferred, Unencodable, decode, encode
from autodevhub_docs.analysis.pyscan import PyFile
from autodevhub_docs.model import Commit, ManifestChange
from autodevhub_docs.sources.manifest_history import read_tree
from autodevhub_docs.sources.trees import TreeReader
from tests.helpers import Repo


def change(sha: str, path: str, status: str, after: str | None, before: str | None = None) -> ManifestChange:
    return ManifestChange(sha=sha, date="2024-01-02T03:04:05+00:00", author="Ann", subject=f"Commit {sha}",
                          path=path, status=status, before=before, after=after)


def test_equal_manifest_versions_share_one_state_and_a_changed_one_is_read_again() -> None:
    first = state_of({"requirements.txt": "django==4.2.1\nrequests>=2.31\n"})
    again = state_of({"requirements.txt": "django==4.2.1\nrequests>=2.31\n"})
    assert again is first  # the same version: read once, its state looked up
    minor = state_of({"requirements.txt": "django==4.2.7\nrequests>=2.31\n"})
    assert minor == first  # a minor bump changes nothing a decision reads
    major = state_of({"requirements.txt": "django==5.0\nrequests>=2.31\n"})
    assert major.versions["Django"] == "5" and first.versions["Django"] == "4"
    swapped = state_of({"requirements.txt": "django==5.0\nhttpx>=0.27\n"})
    assert swapped.uses("HTTPX") and not swapped.uses("requests") and first.uses("requests")


def test_step_records_follow_each_change_like_a_fresh_read_of_every_file() -> None:
    changes = [
        change("a1", "requirements.txt", "A", "django==4.2\nrequests>=2.31\n"),
        change("a2", "requirements.txt", "M", "django==4.2.9\nrequests>=2.31\n"),  # minor: no event
        change("a3", "requirements.txt", "M", "django==5.0\nrequests>=2.31\n"),  # major version
        change("a4", "web/package.json", "M", '{"dependencies": {"react": "^18.2.0"}}',
               before='{"dependencies": {"vue": "^3.4.0"}}'),  # first seen mid-way: seeded from `before`
        change("a5", "requirements.txt", "M", "django==5.0\nhttpx>=0.27\n"),  # replaced
        change("a6", "requirements.txt", "D", None),
    ]
    records, texts = step_records(changes)
    by_sha = {r.sha: r for r in records}
    assert [r.sha for r in records] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    assert by_sha["a2"].events == () and by_sha["a2"].versions == ()
    assert [v[:3] for v in by_sha["a3"].versions] == [("Django", "4", "5")]
    assert {(t, adopted) for _, t, adopted in by_sha["a4"].events} == {("React", True), ("Vue", False)}
    assert {(t, adopted) for _, t, adopted in by_sha["a5"].events} == {("HTTPX", True), ("requests", False)}
    assert ("Django", False) in {(t, adopted) for _, t, adopted in by_sha["a6"].events}
    assert texts == {"web/package.json": '{"dependencies": {"react": "^18.2.0"}}'}
    # Resumed from the texts after a4, the last two steps come out as in the whole read.
    resumed, _ = step_records(changes[4:], {"requirements.txt": "django==5.0\nrequests>=2.31\n",
                                            "web/package.json": '{"dependencies": {"react": "^18.2.0"}}'})
    assert resumed == records[4:]


def test_memo_codec_round_trips_records_and_rejects_foreign_attributes() -> None:
    commit = Commit(sha="a" * 40, author="Ann", email="ann@example.com", date="2024-01-02", subject="Fix", body="",
                    files=("app.py", "web/app.ts"))
    value = (commit, frozenset({1, 2}), {"k": [None, True, 1.5, ("t",)]}, {3: "int key"})
    back = decode(encode(value))
    assert back == value and isinstance(back, tuple) and isinstance(back[0].files, tuple) and 3 in back[3]
    summary = PyFile(path="app.py", module="app", is_package=False, imports=[("os", 1)], constants={"A": "b"})
    assert decode(encode(summary)) == summary
    summary.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(Unencodable, match="extra"):
        encode(summary)


def test_a_dataclass_stored_with_other_fields_is_not_read_into_the_new_ones() -> None:
    # Values are stored in field order without their names; the stored class name carries a digest of the field
    # names, so a summary stored before a field was added, removed or renamed is worked out again, never misread.
    commit = Commit(sha="a" * 40, author="Ann", email="ann@example.com", date="2024-01-02", subject="Fix", body="",
                    files=("app.py",))
    stored = encode(commit)
    assert set(stored) == {"$dc", "v"} and "author" not in str(stored)  # no field names in the stored form
    name, _, digest = stored["$dc"].rpartition("/")
    assert name == "autodevhub_docs.model.repo:Commit" and len(digest) == 8
    for damaged in ({**stored, "$dc": f"{name}/{'0' * 8}"},  # the fields were other ones when it was stored
                    {**stored, "$dc": name},  # written by a version that stored no digest
                    {**stored, "v": stored["v"][:-1]}):  # one value short
        with pytest.raises(Unencodable):
            decode(damaged)


def test_a_symbol_table_is_stored_as_text_and_decoded_when_first_read(caplog: pytest.LogCaptureFixture) -> None:
    # Three quarters of a stored Python summary is its symbol table, which a build reads for a few modules only:
    # loading the summaries keeps it as text, `Symbols.of` decodes it when asked, and it equals the table it was.
    source = "import base\n\nclass Article(base.Model):\n    slug = 'x'\n\n    def save(self):\n        pass\n"
    path = "blog/models.py"
    summary = pyscan.summarise(path, "blog.models", ast.parse(source))
    pysymbols.visit(summary, ast.parse(source), source)
    stored = json.loads(json.dumps(encode(summary)))
    back = decode(stored)
    deferred = back.facts[pysymbols.KEY]
    assert isinstance(deferred, Deferred) and repr(deferred) == "Deferred(<unread>)"  # not decoded by loading
    assert back == summary  # equal to the table it stands for
    symbols = pysymbols.Symbols({path: back})
    article = symbols.cls("blog.models.Article")
    assert article is not None and article.attrs == {"slug": "x"} and article.methods == {"save"}
    assert symbols.qualify("base.Model", "blog.models") == "base.Model"
    assert decode(json.loads(json.dumps(encode(back)))) == summary  # written again as the same text

    damaged = decode({**stored})
    damaged.facts[pysymbols.KEY] = Deferred('{"$dc": "not a stored class"}')
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.autodevhub_docs"):
        assert pysymbols.Symbols({path: damaged}).cls("blog.models.Article") is None
    assert "does not decode" in caplog.text and "--> delete the cache folder" in caplog.text


def test_tree_reader_reads_what_read_tree_reads_at_every_revision(tmp_path: Path) -> None:
    r = Repo(tmp_path / "r")
    first = r.commit("Start", {"requirements.txt": "flask\r\npytest\n", "poetry.lock": "lock", ".env.example": "A=1\n",
                               "web/package.json": '{"dependencies": {"react": "^18"}}', "web/app.js": "x\n",
                               "node_modules/pkg/package.json": "{}", "docs/requirements.txt": "mkdocs\n",
                               "assets/requirements.txt": b"\x00binary"})
    second = r.commit("Bump", {"requirements.txt": "flask>=3\npytest\n", ".env.example": "A=1\nB=2\n"},
                      remove=("poetry.lock",))
    third = r.commit("Web only", {"web/package.json": '{"dependencies": {"vue": "^3"}}'})
    revisions = [first, second, third, f"{first}^1", "0" * 40, f"{third}^1", first, "main"]
    with TreeReader(r.root, ["docs/**"]) as reader:
        found = [reader.read(rev) for rev in revisions]
    expected = [read_tree(r.root, rev, ["docs/**"]) for rev in revisions]
    assert [list(f.items()) for f in found] == [list(e.items()) for e in expected]  # same paths, order and texts
    assert found[0]["requirements.txt"] == "flask\npytest\n" and found[0]["poetry.lock"] == ""
    assert found[1]["requirements.txt"] == "flask>=3\npytest\n" and "poetry.lock" not in found[1]  # read again
    assert found[1][".env.example"] == "A\nB\n"  # names only, never values
    assert found[2]["web/package.json"] != found[1]["web/package.json"] and found[3] == {} == found[4]
    assert found[6] == found[0] and found[7] == found[2]  # a revision seen before, and a branch name
    assert "assets/requirements.txt" not in found[0] and not any(p.startswith("node_modules") for p in found[0])


def test_walk_visits_what_ast_walk_visits_in_the_same_order() -> None:
    source = Path(pyscan.__file__).read_text(encoding="utf-8") + "\nx = [f'{a!r:>{w}}' for a in b if a] or {1: (2, *c)}\n"
    tree = ast.parse(source)
    assert [id(node) for node in pyscan.walk(tree)] == [id(node) for node in ast.walk(tree)]
