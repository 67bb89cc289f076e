# Whole builds with Claude (the fake server): strict vs plain on failure, warm rebuilds, 401, `plan`, `generate`.
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from autodevhub_docs.cli import main
from tests.fakes.anthropic_server import FakeAnthropic, error, tool_use
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "dummy-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


def site(sample_repo: Repo) -> Path:
    return write_mkdocs_yml(sample_repo.root, {"llm": "anthropic", "sections": ["architecture"]})


def report(config: Path) -> dict:
    return json.loads((config.parent / ".cache/autodevhub/report.json").read_text())


def test_failed_calls_fail_strict_builds_but_not_plain_ones(fake: FakeAnthropic, sample_repo: Repo) -> None:
    fake.script_when("", error(529, retry_after_ms=1))
    config = site(sample_repo)
    env = {"ANTHROPIC_API_KEY": "dummy-key", "ANTHROPIC_BASE_URL": fake.url}
    strict = mkdocs_build(config, strict=True, env=env, quiet=False)
    assert strict.returncode != 0
    assert "Claude could not write this section (HTTP 529 after 3 attempts)" in strict.stderr
    assert "Traceback" not in strict.stderr
    plain = mkdocs_build(config, strict=False, env=env, quiet=False)
    assert plain.returncode == 0, plain.stderr
    page = (config.parent / "site/architecture/index.html").read_text()
    assert "Claude could not write this section" in page
    assert "Sample is a tiny service" in page  # the fallback summary from the README
    assert report(config)["llm"]["failures"] == 1


def test_a_warm_rebuild_makes_no_call(fake: FakeAnthropic, sample_repo: Repo) -> None:
    fake.script(tool_use({"summary": "Claude says: a notes service over HTTP.",
                          "principles": [{"name": "Tests next to code", "evidence": "There is a tests folder.",
                                          "sources": ["tests/test_notes.py", "made/up.py"]}]}))
    config = site(sample_repo)
    env = {"ANTHROPIC_API_KEY": "dummy-key", "ANTHROPIC_BASE_URL": fake.url}
    assert mkdocs_build(config, env=env).returncode == 0
    built = config.parent / "site"
    page = (built / "architecture/index.html").read_text()
    assert "Claude says: a notes service over HTTP." in page
    first = report(config)
    assert (first["mode"], first["llm"]["calls"], first["llm"]["dropped_refs"]) == ("anthropic", 1, 1)
    assert first["llm"]["cost_usd"] > 0 and first["llm"]["input_tokens"] > 0
    fake.reset()
    assert mkdocs_build(config, env=env).returncode == 0  # a new process: nothing is reused but the cache
    second = report(config)
    assert fake.requests == []
    assert (second["llm"]["calls"], second["llm"]["cache_hits"], second["llm"]["cost_usd"]) == (0, 1, 0.0)
    assert "Claude says" in (built / "architecture/index.html").read_text()


def test_a_refused_key_stops_the_build_with_a_fix(sample_repo: Repo) -> None:
    with FakeAnthropic(api_keys={"right"}) as server:
        result = mkdocs_build(site(sample_repo), env={"ANTHROPIC_API_KEY": "wrong", "ANTHROPIC_BASE_URL": server.url})
    assert result.returncode != 0
    assert "refused the key in $ANTHROPIC_API_KEY" in result.stderr and "--> " in result.stderr
    assert "Traceback" not in result.stderr and "wrong" not in result.stderr.replace("went wrong", "")


def test_plan_then_generate(fake: FakeAnthropic, sample_repo: Repo) -> None:
    config = site(sample_repo)
    runner = CliRunner()
    planned = runner.invoke(main, ["plan", "-f", str(config)])
    assert planned.exit_code == 0, planned.output
    assert "1 of 1 section(s) would be written by Claude" in planned.output
    assert "architecture/index.md#overview" in planned.output and "$" in planned.output
    assert fake.requests == []
    generated = runner.invoke(main, ["generate", "-f", str(config), "--out", str(sample_repo.root / "out")])
    assert generated.exit_code == 0, generated.output
    assert "1 LLM calls" in generated.output
    assert "0 of 1 section(s)" in runner.invoke(main, ["plan", "-f", str(config)]).output
    exact = runner.invoke(main, ["plan", "--exact", "-f", str(config)])
    assert exact.exit_code == 0 and "0 of 1" in exact.output


def test_generate_batch_flag(fake: FakeAnthropic, sample_repo: Repo) -> None:
    config = site(sample_repo)
    result = CliRunner().invoke(main, ["generate", "--batch", "-f", str(config), "--out", str(sample_repo.root / "o")])
    assert result.exit_code == 0, result.output
    assert fake.messages() == [] and any(r.path == "/v1/messages/batches" for r in fake.requests)


def test_a_build_stopped_by_the_budget_is_not_reused_so_the_next_one_tries_again(fake: FakeAnthropic,
                                                                                 sample_repo: Repo) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"llm": "anthropic", "sections": ["architecture"], "max_llm_calls": 0})
    env = {"ANTHROPIC_API_KEY": "dummy-key", "ANTHROPIC_BASE_URL": fake.url}
    assert mkdocs_build(config, strict=False, env=env).returncode == 0
    first = report(config)
    assert first["llm"]["calls"] == 0 and first["llm"]["degraded"] >= 1, first["llm"]
    assert any("budget" in w for w in first["warnings"])
    assert mkdocs_build(config, strict=False, env=env).returncode == 0
    assert not report(config).get("reused")  # the section Claude could not write is asked for again
