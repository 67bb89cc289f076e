# Batch mode and `plan`, with the real SDK against the fake server.
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.llm.anthropic import AnthropicClient
from autodevhub_docs.llm.batches import custom_id
from autodevhub_docs.llm.plan import plan
from autodevhub_docs.llm.pricing import cost_usd
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import open_store
from tests.fakes.anthropic_server import FakeAnthropic, tool_use
from tests.test_llm_client import CONTEXT, request


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic(batch_polls=3) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "dummy-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


def batch_client(tmp_path: Path, **kwargs: Any) -> AnthropicClient:
    return AnthropicClient(Settings(cache_dir=tmp_path / "cache", llm_batch=True), poll_interval=0.01, **kwargs)


def paths(fake: FakeAnthropic) -> list[tuple[str, str]]:
    return [(r.method, r.path.rsplit("/", 1)[-1] if "msgbatch" in r.path else r.path) for r in fake.requests]


def test_misses_go_through_one_batch_at_half_price(fake: FakeAnthropic, tmp_path: Path) -> None:
    writer = batch_client(tmp_path)
    results = writer.write([request(f"p{i}") for i in range(4)], CONTEXT)
    assert {r.origin for r in results.values()} == {"model"}
    assert fake.messages() == []
    [created] = [r for r in fake.requests if r.method == "POST"]
    assert created.path == "/v1/messages/batches" and len(created.body["requests"]) == 4
    params = created.body["requests"][0]["params"]
    assert params["tool_choice"] == {"type": "tool", "name": "write_section"}
    assert paths(fake)[-1] == ("GET", "results")
    full = cost_usd("claude-sonnet-5-5", input_tokens=writer.usage.input_tokens,
                    output_tokens=writer.usage.output_tokens, cache_read_tokens=writer.usage.cache_read_tokens,
                    cache_write_tokens=writer.usage.cache_write_tokens)
    assert writer.usage.cost_usd == pytest.approx(full / 2)
    fake.reset()
    assert {r.origin for r in batch_client(tmp_path).write([request(f"p{i}") for i in range(4)],
                                                            CONTEXT).values()} == {"cache"}
    assert fake.requests == []


def test_an_interrupted_batch_is_resumed_not_paid_twice(fake: FakeAnthropic, tmp_path: Path) -> None:
    fake.batch_polls = 1000
    first = batch_client(tmp_path, batch_timeout=0.0).write([request("a"), request("b")], CONTEXT)
    assert {r.origin for r in first.values()} == {"fallback"}
    assert all("still running" in (r.note or "") for r in first.values())
    [batch_id] = fake.batches
    pending = open_store(tmp_path / "cache").conn.execute("SELECT batch_id, status FROM llm_batches").fetchall()
    assert pending == [(batch_id, "pending")]
    fake.batch_polls = 0
    second = batch_client(tmp_path).write([request("a"), request("b")], CONTEXT)
    assert {r.origin for r in second.values()} == {"model"}
    assert list(fake.batches) == [batch_id]  # no second batch was created
    assert [r for r in fake.requests if r.method == "POST"].__len__() == 1
    status = open_store(tmp_path / "cache").conn.execute("SELECT status FROM llm_batches").fetchone()[0]
    assert status == "collected"


def test_errored_and_invalid_batch_results(fake: FakeAnthropic, tmp_path: Path) -> None:
    writer = batch_client(tmp_path)
    prompts = writer.prompts([request("bad"), request("broken"), request("good")], CONTEXT)
    fake.batch_outcomes[custom_id(prompts["bad"])] = "errored"
    fake.batch_outcomes[custom_id(prompts["broken"])] = tool_use({"summary": None})
    results = writer.write([request("bad"), request("broken"), request("good")], CONTEXT)
    assert results["good"].origin == "model"
    assert results["bad"].origin == "fallback" and "errored" in (results["bad"].note or "")
    assert results["broken"].origin == "model"  # repaired by one direct call
    assert len(fake.messages()) == 1 and fake.messages()[0].body["messages"][-1]["role"] == "user"


def test_plan_lists_misses_with_estimates_and_exact_counts(fake: FakeAnthropic, tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache")
    requests = [request("a"), request("b")]
    AnthropicClient(settings).write([requests[0]], CONTEXT)
    fake.reset()
    store = open_store(tmp_path / "cache")
    rows = {row.key: row for row in plan(settings, requests, CONTEXT, store)}
    assert fake.requests == []
    assert rows["a"].cached and rows["a"].cost_usd == 0
    assert not rows["b"].cached and rows["b"].input_tokens > 100 and rows["b"].cost_usd > 0
    exact = {row.key: row for row in plan(settings, requests, CONTEXT, store, exact=True)}
    assert [r.path for r in fake.requests] == ["/v1/messages/count_tokens"]
    assert exact["b"].exact and exact["b"].input_tokens > 0 and not exact["a"].exact
