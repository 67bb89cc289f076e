# The store owns the file format: every table is created when the file is opened, a cache written before the
# statements moved into Store keeps working, and the read-only helpers never create or repair anything.
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from autodevhub_docs.errors import CacheError
from autodevhub_docs.llm.cache import LLMCache
from autodevhub_docs.sources.snapshot import Snapshot
from autodevhub_docs.store import APPLICATION_ID, STORE_FILE, check_file, open_store, read_json_readonly

TABLES = {"kv", "builds", "adr_numbers", "llm_answers", "llm_latest", "llm_batches", "gh_items", "gh_comments",
          "gh_pull_details", "gh_lists", "gh_state"}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")} - {
            "sqlite_sequence"}


def test_every_table_is_created_when_the_store_opens(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    assert _tables(tmp_path / STORE_FILE) == TABLES


def test_a_cache_from_before_keeps_its_answers_numbers_and_snapshot(tmp_path: Path) -> None:
    # What an earlier version wrote: kv and builds at open, the other tables created lazily by their users.
    conn = sqlite3.connect(tmp_path / STORE_FILE)
    assert APPLICATION_ID == 1094993988  # the id written below
    conn.executescript("""
        PRAGMA application_id=1094993988;
        CREATE TABLE kv (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated REAL NOT NULL,
                         PRIMARY KEY (namespace, key));
        CREATE TABLE builds (id INTEGER PRIMARY KEY AUTOINCREMENT, commit_sha TEXT NOT NULL, digest TEXT NOT NULL,
                             created REAL NOT NULL, inventory TEXT NOT NULL);
        CREATE TABLE llm_answers (cache_key TEXT PRIMARY KEY, request_key TEXT NOT NULL, model TEXT NOT NULL,
                                  answer TEXT NOT NULL, usage TEXT NOT NULL, created REAL NOT NULL);
        CREATE TABLE llm_latest (request_key TEXT PRIMARY KEY, cache_key TEXT NOT NULL, answer TEXT NOT NULL,
                                 output_tokens INTEGER NOT NULL, created REAL NOT NULL);
        CREATE TABLE adr_numbers (decision_id TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE,
                                  first_seen TEXT NOT NULL);
        CREATE TABLE gh_state (repo TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (repo, key));
        INSERT INTO kv VALUES ('reuse', 'last', '{"fingerprint": "f"}', 0);
        INSERT INTO builds(commit_sha, digest, created, inventory) VALUES ('abc', 'd1', 1700000000, '{"a": 1}');
        INSERT INTO llm_answers VALUES ('k1', 'architecture/index', 'm', '{"summary": "Hi"}',
                                        '{"output_tokens": 7}', 0);
        INSERT INTO llm_latest VALUES ('architecture/index', 'k1', '{"summary": "Hi"}', 7, 0);
        INSERT INTO adr_numbers VALUES ('dep:pytest', 3, '2024-01-01');
        INSERT INTO gh_state VALUES ('o/r', 'synced_at', '1700000000');
    """)
    conn.close()

    store = open_store(tmp_path)
    try:
        assert store.warnings == []  # recognised as ours, not set aside
        cache = LLMCache(store)
        hit = cache.get("k1")
        assert hit is not None and (dict(hit.answer), hit.output_tokens) == ({"summary": "Hi"}, 7)
        latest = cache.latest("architecture/index")
        assert latest is not None and latest.cache_key == "k1"
        assert store.adr_numbers() == {"dep:pytest": 3}
        assert Snapshot(store, "o/r").last_sync() == 1700000000.0
        assert store.get_json("reuse", "last") == {"fingerprint": "f"}
        assert store.record_build("def", "d2", {"b": 2}) == {"commit": "abc", "inventory": {"a": 1},
                                                                "date": "2023-11-14"}
        assert [b["commit"] for b in store.build_history()] == ["def", "abc"]
    finally:
        store.close()
    assert _tables(tmp_path / STORE_FILE) == TABLES


def test_read_only_helpers_never_create_or_repair(tmp_path: Path) -> None:
    assert read_json_readonly(tmp_path, "reuse", "last") is None
    assert not (tmp_path / STORE_FILE).exists()

    store = open_store(tmp_path)
    store.put_json("reuse", "last", {"pages": {}})
    store.close()
    assert read_json_readonly(tmp_path, "reuse", "last") == {"pages": {}}
    assert check_file(tmp_path / STORE_FILE) == "ok"

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    with sqlite3.connect(foreign / STORE_FILE) as conn:
        conn.execute("CREATE TABLE kv (namespace TEXT, key TEXT, value TEXT)")
        conn.execute("INSERT INTO kv VALUES ('reuse', 'last', ?)", (json.dumps({"pages": {}}),))
    assert read_json_readonly(foreign, "reuse", "last") is None  # not ours (no application id): never trusted

    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / STORE_FILE).write_bytes(b"not a database" * 100)
    assert read_json_readonly(garbage, "reuse", "last") is None
    with pytest.raises(CacheError, match="unreadable"):
        check_file(garbage / STORE_FILE)
    assert (garbage / STORE_FILE).read_bytes() == b"not a database" * 100  # left exactly as it was
