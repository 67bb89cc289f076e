# One SQLite file under cache_dir holds the LLM cache, the GitHub snapshot and the build history.
# WAL + synchronous=NORMAL keeps each committed transaction across a SIGKILL; a corrupt or foreign file is
# moved aside (never deleted) and rebuilt with a warning.
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
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
"""


class Store:
    """The project's SQLite file.

    Args:
        path: Database file; its folder is created when missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        """Location of the database file."""
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
            extra = Path(str(self.path) + suffix)
            if extra.exists():
                extra.replace(Path(str(aside) + suffix))
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
        self.conn.execute(
            "INSERT OR REPLACE INTO kv(namespace, key, value, updated) VALUES (?, ?, ?, ?)",
            (namespace, key, json.dumps(value, sort_keys=True), time.time()),
        )

    def record_build(self, commit: str, digest: str, inventory: Mapping[str, Any]) -> dict[str, Any] | None:
        """Record this build unless the last one had the same content; return the latest earlier different build.

        Returns:
            `{"commit", "date", "inventory"}` of the previous build whose content differs, or None.
        """
        rows = self.conn.execute(
            "SELECT commit_sha, digest, created, inventory FROM builds ORDER BY id DESC").fetchall()
        previous = next((r for r in rows if r[1] != digest), None)
        if not rows or rows[0][1] != digest:
            self.conn.execute("INSERT INTO builds(commit_sha, digest, created, inventory) VALUES (?, ?, ?, ?)",
                              (commit, digest, time.time(), json.dumps(inventory, sort_keys=True)))
        if previous is None:
            return None
        return {"commit": previous[0], "date": datetime.fromtimestamp(previous[2], timezone.utc).strftime("%Y-%m-%d"),
                "inventory": json.loads(previous[3])}

    def build_history(self, limit: int = 21) -> list[dict[str, Any]]:
        """The latest recorded builds (each differs in content from the one before it), newest first."""
        rows = self.conn.execute("SELECT id, commit_sha, digest, created, inventory FROM builds ORDER BY id DESC "
                                 "LIMIT ?", (limit,)).fetchall()
        return [{"id": r[0], "commit": r[1], "digest": r[2], "created": r[3], "inventory": json.loads(r[4])}
                for r in rows]

    def adr_numbers(self) -> dict[str, int]:
        """Every mined decision id -> the record number it was given (numbers are never reused)."""
        return {row[0]: int(row[1]) for row in self.conn.execute("SELECT decision_id, number FROM adr_numbers")}

    def add_adr_numbers(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Persist new `(decision id, number, first seen)` assignments in one transaction."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO adr_numbers(decision_id, number, first_seen) VALUES (?, ?, ?)",
                             list(rows))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _check_ours(conn: sqlite3.Connection) -> None:
    """Raise `sqlite3.DatabaseError` when the file is damaged or belongs to another program."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    ours = {"kv", "builds", "adr_numbers", "sqlite_sequence"}
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables - ours):
        raise sqlite3.DatabaseError("it was not written by autodevhub-docs")
    problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise sqlite3.DatabaseError(f"integrity check failed: {'; '.join(problems[:3])}")


def open_store(cache_dir: Path) -> Store:
    """Open (or create) the store in a cache folder."""
    return Store(cache_dir / STORE_FILE)
