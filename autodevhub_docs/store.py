# One SQLite file under cache_dir holds the LLM cache, the GitHub snapshot, ADR numbers and the build history.
# Every SQL statement of the project lives in this module, so the file format has one owner: the callers
# (llm/cache.py, sources/snapshot.py, reuse.py, doctor.py, the pipeline) speak in records, not in rows.
# WAL + synchronous=NORMAL keeps each committed transaction across a SIGKILL; a corrupt or foreign file is
# moved aside (never deleted) and rebuilt with a warning.
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from autodevhub_docs.errors import CacheError
from autodevhub_docs.log import get_logger

log = get_logger(__name__)

STORE_FILE = "autodevhub.sqlite"
"""Name of the database file inside `cache_dir`."""
APPLICATION_ID = 0x41444844  # "ADHD": marks the file as ours, so a foreign SQLite file is recognised
SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                               updated REAL NOT NULL, PRIMARY KEY (namespace, key));
CREATE TABLE IF NOT EXISTS builds (id INTEGER PRIMARY KEY AUTOINCREMENT, commit_sha TEXT NOT NULL,
                                   digest TEXT NOT NULL, created REAL NOT NULL, inventory TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS adr_numbers (decision_id TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE,
                                        first_seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS llm_answers (cache_key TEXT PRIMARY KEY, request_key TEXT NOT NULL, model TEXT NOT NULL,
                                        answer TEXT NOT NULL, usage TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS llm_latest (request_key TEXT PRIMARY KEY, cache_key TEXT NOT NULL, answer TEXT NOT NULL,
                                       output_tokens INTEGER NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS llm_batches (batch_id TEXT PRIMARY KEY, created REAL NOT NULL, status TEXT NOT NULL,
                                        entries TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gh_items (repo TEXT NOT NULL, number INTEGER NOT NULL, kind TEXT NOT NULL,
    updated_at TEXT NOT NULL, gone TEXT, seen_gen INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
    PRIMARY KEY (repo, number));
CREATE TABLE IF NOT EXISTS gh_comments (repo TEXT NOT NULL, id INTEGER NOT NULL, number INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, author TEXT, body TEXT NOT NULL, PRIMARY KEY (repo, id));
CREATE TABLE IF NOT EXISTS gh_pull_details (repo TEXT NOT NULL, number INTEGER NOT NULL,
    for_updated_at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (repo, number));
CREATE TABLE IF NOT EXISTS gh_lists (repo TEXT NOT NULL, name TEXT NOT NULL, page INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (repo, name, page));
CREATE TABLE IF NOT EXISTS gh_state (repo TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (repo, key));
"""
_OUR_TABLES = frozenset({"kv", "builds", "adr_numbers", "llm_answers", "llm_latest", "llm_batches", "gh_items",
                         "gh_comments", "gh_pull_details", "gh_lists", "gh_state", "sqlite_sequence"})


class Store:
    """The project's SQLite file.

    Args:
        path: Database file; its folder is created when missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        """Problems found while opening (a cache file set aside); the pipeline adds them to report.json."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CacheError(f"Cannot create the cache folder '{path.parent}': {error.strerror}.",
                             "Set 'cache_dir' in mkdocs.yml to a writable folder.") from None
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.OperationalError as error:
            # Locked, unreadable or not a file: the data may be fine, so it is never set aside for this.
            raise CacheError(f"Cannot open the cache '{self.path}': {error}.",
                             "Check that no other build is running and that 'cache_dir' is a writable folder; "
                             "delete the file to start a new cache.") from None
        except sqlite3.DatabaseError as error:
            aside = self._set_aside()
            message = (f"the cache file {self.path.name} was unusable ({error}); it was moved to {aside.name} "
                       "and a new one was started (cached pages and the GitHub snapshot will be rebuilt).")
            log.warning(message)
            self.warnings.append(message)
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            raise CacheError(f"Cannot create a new cache at '{self.path}': {error}.",
                             "Set 'cache_dir' in mkdocs.yml to a writable folder.") from None

    def _set_aside(self) -> Path:
        """Rename the unusable file (and its WAL and shared-memory files) to a free `.corrupt-N` name; never delete."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for counter in range(1000):
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}" + (f"-{counter}" if counter else ""))
            if not aside.exists():
                break
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            if (extra := Path(f"{self.path}{suffix}")).exists():
                extra.replace(Path(f"{aside}{suffix}"))
        return aside

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            _check_ours(conn)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode every commit survives a killed process
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run statements in one IMMEDIATE transaction (all or nothing)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def get_json(self, namespace: str, key: str) -> Any:
        """Return a stored JSON value, or None."""
        row = self.conn.execute("SELECT value FROM kv WHERE namespace=? AND key=?", (namespace, key)).fetchone()
        return json.loads(row[0]) if row else None

    def put_json(self, namespace: str, key: str, value: Any) -> None:
        """Store a JSON value (committed at once)."""
        self.conn.execute("INSERT OR REPLACE INTO kv VALUES (?, ?, ?, ?)",
                          (namespace, key, json.dumps(value, sort_keys=True), time.time()))

    def memo(self, namespace: str) -> dict[str, Any]:
        """Every value of a `memo:*` namespace (what a later build need not work out again), by key."""
        rows = self.conn.execute("SELECT key, value FROM kv WHERE namespace=?", (namespace,))
        return {key: json.loads(value) for key, value in rows}

    def memo_keys(self, namespace: str) -> list[str]:
        """The keys of a `memo:*` namespace (without reading their values)."""
        return [key for (key,) in self.conn.execute("SELECT key FROM kv WHERE namespace=?", (namespace,))]

    def put_memo(self, namespace: str, values: Mapping[str, Any], drop: Iterable[str] = ()) -> None:
        """Store values and delete keys of a memo namespace, in one transaction."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM kv WHERE namespace=? AND key=?", [(namespace, key) for key in drop])
            conn.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?, ?, ?)",
                             [(namespace, key, json.dumps(value), time.time()) for key, value in values.items()])

    def clear_memos(self) -> None:
        """Forget every memo (keeping LLM answers, the GitHub snapshot, ADR numbers and the build history)."""
        self.conn.execute("DELETE FROM kv WHERE namespace GLOB 'memo:*'")

    # --- LLM answers and batches (llm/cache.py) ----------------------------------------------------------------------

    def llm_answer(self, cache_key: str) -> tuple[Any, int] | None:
        """The answer stored under an exact cache key and its output tokens, or None."""
        row = self.conn.execute("SELECT answer, usage FROM llm_answers WHERE cache_key=?", (cache_key,)).fetchone()
        return (json.loads(row[0]), int(json.loads(row[1]).get("output_tokens", 0))) if row else None

    def llm_latest(self, request_key: str) -> tuple[Any, str, int] | None:
        """The latest answer for a request key, its cache key and output tokens, or None."""
        row = self.conn.execute("SELECT answer, cache_key, output_tokens FROM llm_latest WHERE request_key=?",
                                (request_key,)).fetchone()
        return (json.loads(row[0]), row[1], int(row[2])) if row else None

    def put_llm_answer(self, cache_key: str, request_key: str, model: str, answer: Any,
                       usage: Mapping[str, Any]) -> None:
        """Store an answer and make it the latest for its request key (one transaction)."""
        now = time.time()
        text = json.dumps(answer, sort_keys=True, ensure_ascii=False)
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO llm_answers VALUES (?, ?, ?, ?, ?, ?)",
                         (cache_key, request_key, model, text, json.dumps(dict(usage), sort_keys=True), now))
            conn.execute("INSERT OR REPLACE INTO llm_latest VALUES (?, ?, ?, ?, ?)",
                         (request_key, cache_key, text, int(usage.get("output_tokens", 0)), now))

    def pending_llm_batches(self) -> list[tuple[str, dict[str, str]]]:
        """Batches created but not yet collected: `(batch_id, {custom_id: cache_key})`, oldest first."""
        return [(batch, json.loads(entries)) for batch, entries in self.conn.execute(
            "SELECT batch_id, entries FROM llm_batches WHERE status='pending' ORDER BY created").fetchall()]

    def add_llm_batch(self, batch_id: str, entries: Mapping[str, str]) -> None:
        """Record a batch as pending."""
        self.conn.execute("INSERT OR REPLACE INTO llm_batches VALUES (?, ?, 'pending', ?)",
                          (batch_id, time.time(), json.dumps(dict(entries), sort_keys=True)))

    def set_llm_batch_status(self, batch_id: str, status: str) -> None:
        """Mark a batch as collected or abandoned."""
        self.conn.execute("UPDATE llm_batches SET status=? WHERE batch_id=?", (status, batch_id))

    # --- ADR numbers -------------------------------------------------------------------------------------------------

    def adr_numbers(self) -> dict[str, int]:
        """Every record number handed out so far, by decision id."""
        return {row[0]: int(row[1]) for row in self.conn.execute("SELECT decision_id, number FROM adr_numbers")}

    def add_adr_numbers(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Persist new `(decision_id, number, first_seen)` assignments in one transaction."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO adr_numbers VALUES (?, ?, ?)", list(rows))

    # --- build history (the changes page) ----------------------------------------------------------------------------

    def record_build(self, commit: str, digest: str, inventory: Mapping[str, Any]) -> dict[str, Any] | None:
        """Record this build unless the last one had the same content; return the latest earlier different build.

        Returns: `{"commit", "date", "inventory"}` of the previous build whose content differs, or None.
        """
        rows = list(self.conn.execute("SELECT commit_sha, digest, created, inventory FROM builds ORDER BY id DESC"))
        previous = next((r for r in rows if r[1] != digest), None)
        if not rows or rows[0][1] != digest:
            self.conn.execute("INSERT INTO builds(commit_sha, digest, created, inventory) VALUES (?, ?, ?, ?)",
                              (commit, digest, time.time(), json.dumps(inventory, sort_keys=True)))
        return None if previous is None else {
            "commit": previous[0], "date": datetime.fromtimestamp(previous[2], timezone.utc).strftime("%Y-%m-%d"),
            "inventory": json.loads(previous[3])}

    def build_history(self, limit: int = 21) -> list[dict[str, Any]]:
        """The latest recorded builds (each differs in content from the one before it), newest first."""
        return [{"id": r[0], "commit": r[1], "digest": r[2], "created": r[3], "inventory": json.loads(r[4])}
                for r in self.conn.execute("SELECT id, commit_sha, digest, created, inventory FROM builds "
                                           "ORDER BY id DESC LIMIT ?", (limit,))]

    # --- the GitHub snapshot (sources/snapshot.py), one repository at a time -----------------------------------------

    def gh_state(self, repo: str, key: str) -> str | None:
        """One stored state value (cursor, ETag, timestamp), or None."""
        row = self.conn.execute("SELECT value FROM gh_state WHERE repo=? AND key=?", (repo, key)).fetchone()
        return row[0] if row else None

    def set_gh_state(self, repo: str, values: Mapping[str, str | None]) -> None:
        """Store state values in one transaction (None deletes a key)."""
        with self.transaction() as conn:
            _put_gh_state(conn, repo, values)

    def save_gh_items(self, repo: str, items: Sequence[Mapping[str, Any]], *, gen: int,
                      state: Mapping[str, str | None]) -> list[Mapping[str, Any]]:
        """Store one page of issues/PRs and the state that follows it in one transaction; return the changed ones."""
        changed = []
        with self.transaction() as conn:
            for item in items:
                row = conn.execute("SELECT updated_at, kind FROM gh_items WHERE repo=? AND number=?",
                                   (repo, item["number"])).fetchone()
                if row is None or row[0] != item["updated_at"] or row[1] != item["kind"]:
                    changed.append(item)
                conn.execute(
                    "INSERT INTO gh_items(repo, number, kind, updated_at, gone, seen_gen, data) "
                    "VALUES (?, ?, ?, ?, NULL, ?, ?) ON CONFLICT(repo, number) DO UPDATE SET kind=excluded.kind, "
                    "updated_at=excluded.updated_at, gone=NULL, seen_gen=excluded.seen_gen, data=excluded.data",
                    (repo, item["number"], item["kind"], item["updated_at"], gen, json.dumps(item)),
                )
            _put_gh_state(conn, repo, state)
        return changed

    def save_gh_comments(self, repo: str, comments: Iterable[Mapping[str, Any]],
                         state: Mapping[str, str | None]) -> None:
        """Store one page of comments and the state that follows it, in one transaction."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO gh_comments VALUES (?, ?, ?, ?, ?, ?, ?)", [
                (repo, c["id"], c["number"], c["created_at"], c["updated_at"], c.get("author"), c["body"])
                for c in comments])
            _put_gh_state(conn, repo, state)

    def save_gh_list_page(self, repo: str, name: str, page: int, entries: Sequence[Mapping[str, Any]],
                          state: Mapping[str, str | None]) -> None:
        """Store one page of a list and the state that follows it; page 1 replaces the list."""
        with self.transaction() as conn:
            if page == 1:
                conn.execute("DELETE FROM gh_lists WHERE repo=? AND name=?", (repo, name))
            conn.execute("INSERT OR REPLACE INTO gh_lists(repo, name, page, data) VALUES (?, ?, ?, ?)",
                         (repo, name, page, json.dumps(list(entries))))
            _put_gh_state(conn, repo, state)

    def save_gh_pull_details(self, repo: str, number: int, for_updated_at: str, details: Mapping[str, Any]) -> None:
        """Store the changed files and review outcome of one merged PR."""
        self.conn.execute("INSERT OR REPLACE INTO gh_pull_details VALUES (?, ?, ?, ?)",
                          (repo, number, for_updated_at, json.dumps(dict(details))))

    def mark_gh_gone(self, repo: str, numbers: Iterable[int], reason: str) -> None:
        """Mark issues/PRs as gone (deleted, transferred, or no longer visible)."""
        with self.transaction() as conn:
            conn.executemany("UPDATE gh_items SET gone=? WHERE repo=? AND number=?",
                             [(reason, repo, n) for n in numbers])

    def mark_gh_unseen_gone(self, repo: str, gen: int) -> int:
        """Mark every item a complete listing of generation `gen` did not return as gone; return how many."""
        return self.conn.execute("UPDATE gh_items SET gone='missing' WHERE repo=? AND seen_gen<? AND gone IS NULL",
                                 (repo, gen)).rowcount

    def gh_items(self, repo: str, *, kind: str | None = None, include_gone: bool = False) -> list[dict[str, Any]]:
        """Stored issues/PRs (normalised dicts), by number."""
        rows = self.conn.execute(
            "SELECT data FROM gh_items WHERE repo=? AND (? IS NULL OR kind=?) AND (? OR gone IS NULL) ORDER BY number",
            (repo, kind, kind, include_gone))
        return [json.loads(data) for (data,) in rows]

    def gh_item_count(self, repo: str) -> int:
        """Number of issues and PRs stored (gone ones included)."""
        return int(self.conn.execute("SELECT count(*) FROM gh_items WHERE repo=?", (repo,)).fetchone()[0])

    def gh_comments(self, repo: str) -> dict[int, list[dict[str, Any]]]:
        """Stored comments per issue number, oldest first."""
        out: dict[int, list[dict[str, Any]]] = {}
        query = "SELECT number, created_at, author, body FROM gh_comments WHERE repo=? ORDER BY number, created_at, id"
        for n, created, author, body in self.conn.execute(query, (repo,)):
            out.setdefault(n, []).append({"created_at": created, "author": author, "body": body})
        return out

    def gh_pull_details(self, repo: str) -> dict[int, dict[str, Any]]:
        """The stored details of merged PRs, with the `updated_at` they were fetched for."""
        return {n: {**json.loads(data), "for_updated_at": upd} for n, upd, data in self.conn.execute(
            "SELECT number, for_updated_at, data FROM gh_pull_details WHERE repo=?", (repo,))}

    def gh_list(self, repo: str, name: str) -> list[dict[str, Any]] | None:
        """A stored list (milestones, labels...), or None when it was never fetched."""
        rows = self.conn.execute("SELECT data FROM gh_lists WHERE repo=? AND name=? ORDER BY page",
                                 (repo, name)).fetchall()
        return [entry for (data,) in rows for entry in json.loads(data)] if rows else None

    def gh_content_digest(self, repo: str) -> str:
        """A digest of what the snapshot gives a build (not its cursors, ETags or sync times)."""
        rows = self.conn.execute(
            "SELECT 'i', number, kind, updated_at, gone FROM gh_items WHERE repo=:r UNION ALL "
            "SELECT 'c', id, updated_at, NULL, NULL FROM gh_comments WHERE repo=:r UNION ALL "
            "SELECT 'p', number, for_updated_at, NULL, NULL FROM gh_pull_details WHERE repo=:r UNION ALL "
            "SELECT 'l', page, name, data, NULL FROM gh_lists WHERE repo=:r UNION ALL "
            "SELECT 'm', 0, value, NULL, NULL FROM gh_state WHERE repo=:r AND key='meta' ORDER BY 1, 2, 3", {"r": repo})
        return hashlib.sha256(json.dumps(rows.fetchall()).encode("utf-8")).hexdigest()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _check_ours(conn: sqlite3.Connection) -> None:
    """Raise `sqlite3.DatabaseError` when the file is damaged or belongs to another program."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables - _OUR_TABLES):
        raise sqlite3.DatabaseError("it was not written by autodevhub-docs")
    problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise sqlite3.DatabaseError(f"integrity check failed: {'; '.join(problems[:3])}")


def open_store(cache_dir: Path) -> Store:
    """Open (or create) the store in a cache folder."""
    return Store(cache_dir / STORE_FILE)


def _put_gh_state(conn: sqlite3.Connection, repo: str, values: Mapping[str, str | None]) -> None:
    conn.executemany("DELETE FROM gh_state WHERE repo=? AND key=?", [(repo, k) for k, v in values.items() if v is None])
    conn.executemany("INSERT OR REPLACE INTO gh_state(repo, key, value) VALUES (?, ?, ?)",
                     [(repo, k, v) for k, v in values.items() if v is not None])


def _read_only(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def read_json_readonly(cache_dir: Path, namespace: str, key: str) -> Any:
    """Read one JSON value without creating, repairing or locking the store; None on any doubt.

    Used before a build starts (reuse): opening the store for real may set a damaged file aside, and that is the
    build's job, which reports it.
    """
    path = cache_dir / STORE_FILE
    if not path.is_file():
        return None
    try:
        with _read_only(path) as conn:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return None
            row = conn.execute("SELECT value FROM kv WHERE namespace=? AND key=?", (namespace, key)).fetchone()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def check_file(path: Path) -> str:
    """Run SQLite's quick check on a store file read-only (for `doctor`).

    Returns: `ok`, or SQLite's first complaint.

    Raises:
        CacheError: The file cannot be read as a database at all.
    """
    try:
        with _read_only(path) as conn:
            return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise CacheError(f"{path} is unreadable ({error})",
                         "Nothing to do by hand: the next build sets it aside and rebuilds it.") from None
