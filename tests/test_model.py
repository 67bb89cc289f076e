from __future__ import annotations

import json
from pathlib import Path

from autodevhub_docs.collect import collect
from autodevhub_docs.model import RepoFacts, canonical_json, digest, from_jsonable, to_jsonable
from autodevhub_docs.settings import from_options
from autodevhub_docs.store import open_store
from tests.helpers import Repo


def _facts(repo: Repo, tmp_path: Path) -> RepoFacts:
    settings = from_options({}, base_dir=repo.root).with_changes(cache_dir=tmp_path / "cache")
    store = open_store(settings.cache_dir)
    try:
        return collect(settings, store, [])
    finally:
        store.close()


def test_facts_round_trip_through_json(sample_repo: Repo, tmp_path: Path) -> None:
    facts = _facts(sample_repo, tmp_path)
    data = json.loads(canonical_json(facts))
    assert from_jsonable(RepoFacts, data) == facts
    assert data["commits"][0]["subject"] == "ci: add workflow"
    assert [a["number"] for a in data["adrs"]] == [1, 2]


def test_digest_is_stable_and_sensitive(sample_repo: Repo, tmp_path: Path) -> None:
    first = _facts(sample_repo, tmp_path)
    second = _facts(sample_repo, tmp_path)
    assert digest(first) == digest(second)
    assert len(digest(first)) == 64
    sample_repo.commit("another", {"x.py": "print(1)\n"})
    assert digest(_facts(sample_repo, tmp_path)) != digest(first)


def test_digest_ignores_mapping_order() -> None:
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})
    assert to_jsonable((1, {"x": (2,)})) == [1, {"x": [2]}]
