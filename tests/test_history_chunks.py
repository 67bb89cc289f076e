# The kept history is stored in chunks of `CHUNK` records, and only the newest chunk gains records: after every
# commit (and after a history rewritten under it) the log read from the store must be the log git gives in full,
# record for record, and the older chunks must not be written again. `CHUNK` is made small here so that a handful
# of commits crosses several chunk boundaries; the code paths are the real ones.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.sources import git, history
from autodevhub_docs.sources.history import COMMITS, read_repository_kept
from autodevhub_docs.store import Store, open_store
from tests.helpers import Repo


def _chunks(store: Store) -> dict[str, list[list[str]]]:
    return store.memo(COMMITS)


def _check(repo: Repo, store: Store) -> None:
    kept = read_repository_kept(repo.root, (), store)
    assert kept.data.log.records == git.read_repository(repo.root).log.records
    again = read_repository_kept(repo.root, (), store)  # what this build stored reads back the same
    assert again.data.log.records == kept.data.log.records
    rows = [row for key in sorted(_chunks(store)) for row in _chunks(store)[key]]
    assert sorted(row[0] for row in rows) == sorted(r.sha for r in kept.data.log.records)  # each commit once
    assert all(len(part) <= history.CHUNK for part in _chunks(store).values())


def test_a_history_kept_in_chunks_reads_as_the_full_log_after_each_commit(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "CHUNK", 2)
    repo = Repo(tmp_path / "repo")
    for n in range(3):
        repo.commit(f"Commit {n}", {f"file{n}.txt": f"{n}\n"}, date=f"2024-05-0{n + 1}T10:00:00+00:00")
    store = open_store(tmp_path / "cache")
    try:
        _check(repo, store)
        assert sorted(_chunks(store)) == ["00000000", "00000001"]
        sealed = _chunks(store)["00000000"]
        for n in range(3, 7):
            repo.commit(f"Commit {n}", {f"file{n}.txt": f"{n}\n"}, date=f"2024-05-0{n + 1}T10:00:00+00:00")
            _check(repo, store)
            assert _chunks(store)["00000000"] == sealed  # a full chunk is never rewritten
        assert len(_chunks(store)) == 4  # 7 commits in chunks of 2

        # a rewritten history: the dropped commits leave the chunks, the new one is read
        repo.git("reset", "-q", "--hard", "HEAD~3")
        repo.commit("Another line", {"other.txt": "x\n"}, date="2024-05-09T10:00:00+00:00")
        _check(repo, store)
        subjects = {row[5] for part in _chunks(store).values() for row in part}
        assert "Another line" in subjects and "Commit 6" not in subjects
    finally:
        store.close()
