# The SQLite cache survives SIGKILL mid-build; a corrupt or foreign cache file is set aside (never deleted),
# rebuilt, and reported with a warning (so a strict build fails).
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.errors import CacheError
from autodevhub_docs.settings import from_options
from autodevhub_docs.store import open_store
from tests.helpers import Repo, write_mkdocs_yml

KILLS = 8
SEED = 20260808


def _project(root: Path) -> tuple[Repo, Path]:
    repo = Repo(root)
    repo.commit("Initial commit", {
        # As in a real project, the cache is not committed (the next commit adds every file, `git add -A`): a
        # committed cache file would move in and out of the kept file list as its bytes match the index or not.
        ".gitignore": ".cache/\nsite/\n",
        "README.md": "# Crashy\n\nA service.\n\n## Installation\n\n```bash\npip install -e .\n```\n",
        "pyproject.toml": "[project]\nname = 'crashy'\n",
        "crashy/__init__.py": "", "crashy/api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "Dockerfile": "FROM python:3.12\nEXPOSE 8000\n",
    }, date="2024-01-01T10:00:00+00:00")
    config = write_mkdocs_yml(root, {"llm": "offline"})
    return repo, config


def _generate(config: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([sys.executable, "-m", "autodevhub_docs", "generate", "-f", str(config), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=config.parent)


def _rows(db: Path) -> set[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        builds = {("builds", *row) for row in conn.execute("SELECT id, commit_sha, digest FROM builds")}
        # What one build memoises for the next (memo:*) is replaced by each later build: its key must stay, its
        # value is the newest build's. Every other row is kept as it was written.
        kv = {("kv", ns, key, "<replaced by each build>" if ns.startswith("memo:") else value)
              for ns, key, value in conn.execute("SELECT namespace, key, value FROM kv")}
        return builds | kv
    finally:
        conn.close()


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))}


@pytest.mark.slow
def test_sigkill_mid_build_loses_nothing_and_rebuilds_the_same(tmp_path: Path) -> None:
    repo, config = _project(tmp_path / "project")
    cache = tmp_path / "project" / ".cache" / "autodevhub"
    db = cache / "autodevhub.sqlite"
    first = _generate(config, tmp_path / "first")
    assert first.wait(timeout=120) == 0
    completed = _rows(db)
    assert any(row[0] == "builds" for row in completed)
    reference_cache = tmp_path / "reference-cache"
    shutil.copytree(cache, reference_cache)
    repo.commit("Add a worker", {"crashy/worker.py": "def run():\n    return 1\n"}, date="2024-02-01T10:00:00+00:00")

    rng = random.Random(SEED)
    for _ in range(KILLS):
        proc = _generate(config, tmp_path / "killed")
        try:
            proc.wait(timeout=rng.uniform(0.01, 0.35))  # a build takes ~0.3 s here: random points inside it
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = _rows(db)  # integrity_check passes
        assert completed <= now, "a row committed before the kill was lost"
        completed = now
        report = cache / "report.json"
        if report.exists():
            json.loads(report.read_text(encoding="utf-8"))  # never half-written

    assert _generate(config, tmp_path / "after").wait(timeout=120) == 0
    assert completed <= _rows(db)
    shutil.rmtree(cache)
    shutil.copytree(reference_cache, cache)
    assert _generate(config, tmp_path / "uninterrupted").wait(timeout=120) == 0
    after, uninterrupted = _tree(tmp_path / "after"), _tree(tmp_path / "uninterrupted")
    assert after and after == uninterrupted


def _build(repo_root: Path, **options: object) -> pipeline.BuildResult:
    return pipeline.run_build(from_options({"llm": "offline", **options}, base_dir=repo_root))


def _foreign_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers(name) VALUES ('Ada')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("spoil", ["garbage", "foreign", "truncated"])
def test_unusable_cache_is_set_aside_and_rebuilt_with_a_warning(sample_repo: Repo, spoil: str,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    cache = sample_repo.root / ".cache" / "autodevhub"
    db = cache / "autodevhub.sqlite"
    clean = _build(sample_repo.root)
    cache.mkdir(parents=True, exist_ok=True)
    if spoil == "garbage":
        db.write_bytes(b"this is not a database\x00" * 200)
    elif spoil == "foreign":
        db.unlink()
        _foreign_db(db)
    else:
        data = db.read_bytes()
        db.write_bytes(data[:100] + b"\xff" * 4000 + data[4100:])
    original = db.read_bytes()
    with caplog.at_level("WARNING", logger="mkdocs.plugins.autodevhub_docs"):
        result = _build(sample_repo.root)
    def stable(pages: dict[str, str]) -> dict[str, str]:  # the changes section shows build times
        return {uri: text for uri, text in pages.items() if not uri.startswith("changes/")}

    assert stable(result.pages) == stable(clean.pages) and set(result.pages) == set(clean.pages)
    assert any("was unusable" in w and "moved to" in w for w in result.report["warnings"])
    assert any("was unusable" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    asides = sorted(cache.glob("autodevhub.sqlite.corrupt-*"))
    assert [p for p in asides if not p.name.endswith(("-wal", "-shm"))], "the old file must be kept"
    assert any(p.read_bytes() == original for p in asides)
    assert _rows(db)  # a fresh, healthy cache holding this build
    report = json.loads((cache / "report.json").read_text(encoding="utf-8"))
    assert any("was unusable" in w for w in report["warnings"])


def test_second_spoil_keeps_both_asides(sample_repo: Repo) -> None:
    db = sample_repo.root / ".cache" / "autodevhub" / "autodevhub.sqlite"
    for index in range(2):
        db.parent.mkdir(parents=True, exist_ok=True)
        db.write_bytes(f"garbage number {index}".encode() * 100)
        _build(sample_repo.root)
    asides = list(db.parent.glob("autodevhub.sqlite.corrupt-*"))
    assert len(asides) == 2


def test_strict_mkdocs_build_fails_on_a_corrupt_cache_and_non_strict_succeeds(sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"llm": "offline"})
    db = sample_repo.root / ".cache" / "autodevhub" / "autodevhub.sqlite"
    db.parent.mkdir(parents=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def build(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), *extra],
                              capture_output=True, text=True, env=env, cwd=sample_repo.root, check=False,
                              timeout=300)

    db.write_bytes(b"garbage" * 1000)
    strict = build("--strict")
    assert strict.returncode != 0
    assert "was unusable" in strict.stderr and "Traceback" not in strict.stderr
    _foreign_db(db.with_name("other.sqlite"))
    db.unlink()
    db.with_name("other.sqlite").rename(db)
    relaxed = build()
    assert relaxed.returncode == 0, relaxed.stderr
    assert "was unusable" in relaxed.stderr
    assert (sample_repo.root / "site" / "architecture" / "index.html").exists()
    assert len(list(db.parent.glob("autodevhub.sqlite.corrupt-*"))) >= 2


def test_locked_or_unopenable_cache_is_a_clear_error_not_a_reset(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "autodevhub.sqlite").mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(CacheError) as error:
        open_store(cache)
    assert "-->" in str(error.value)
    assert (cache / "autodevhub.sqlite").is_dir() and not list(cache.glob("*.corrupt-*"))


def test_committed_rows_survive_a_killed_writer(tmp_path: Path) -> None:
    """A child process commits rows, then is killed inside an open transaction: the commits stay, the rest is gone."""
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from autodevhub_docs.store import open_store\n"
        "store = open_store(Path(sys.argv[1]))\n"
        "for i in range(50):\n"
        "    store.put_json('t', f'k{i}', {'i': i})\n"
        "with store.transaction() as conn:\n"
        "    conn.execute(\"INSERT INTO kv VALUES ('t', 'uncommitted', '1', 0)\")\n"
        "    print('ready', flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60,
                          check=False, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == -signal.SIGKILL and "ready" in proc.stdout
    store = open_store(tmp_path)
    try:
        assert [store.get_json("t", f"k{i}") for i in range(50)] == [{"i": i} for i in range(50)]
        assert store.get_json("t", "uncommitted") is None
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not store.warnings
    finally:
        store.close()
