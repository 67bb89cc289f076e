# The changes page, its Atom feed and llms.txt, from inventories and from real builds of a real git repository.
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from autodevhub_docs import pipeline
from autodevhub_docs.changes import atom_feed, count_lines, describe_changes
from autodevhub_docs.cli import main
from autodevhub_docs.settings import from_options
from autodevhub_docs.summary import summary_markdown
from tests.helpers import Repo

ATOM = "{http://www.w3.org/2005/Atom}"


def adr(number: int, title: str, status: str) -> str:
    return (f"# {number}. {title}\n\nDate: 2024-01-0{number}\n\n## Status\n\n{status}\n\n## Context\n\nc\n\n"
            "## Decision\n\nd\n\n## Consequences\n\ne\n")


def test_describe_changes_names_new_closed_and_superseded_items() -> None:
    before = {"story": {"S1": "Sign in (open)", "S2": "Export notes (open)", "S3": "Tags (open)"},
              "adr": {"0001": "Use SQLite (accepted)", "0002": "Use REST (accepted)"},
              "endpoint": {"GET /notes": "list notes"}, "entity": {}}
    after = {"story": {"S1": "Sign in (closed)", "S3": "Tags and colours (open)", "S4": "Share a note (open)"},
             "adr": {"0001": "Use SQLite (superseded by 0003)", "0002": "Use REST (accepted)",
                     "0003": "Use Postgres (accepted)"},
             "endpoint": {"GET /notes": "list notes", "POST /notes": "create a note"},
             "service": {"db": "postgres:16"}, "entity": {"Note": "id, text"}}
    groups = {g["kind"]: g for g in describe_changes(before, after)}
    assert [g["kind"] for g in describe_changes(before, after)] == ["story", "adr", "endpoint", "service", "entity"]
    stories = {(i["status"], i["id"]) for i in groups["story"]["items"]}
    assert stories == {("new", "S4"), ("closed", "S1"), ("closed", "S2"), ("changed", "S3")}
    assert {(i["status"], i["id"]) for i in groups["adr"]["items"]} == {("new", "0003"), ("superseded", "0001")}
    assert count_lines(describe_changes(before, after)) == [
        "1 new story", "2 closed stories", "1 changed story", "1 new ADR", "1 superseded ADR", "1 new endpoint",
        "1 new service", "1 new entity"]


def test_atom_feed_is_valid_escaped_and_stable() -> None:
    history = [
        {"id": 7, "commit": "b" * 40, "digest": "d2" * 32, "created": 1_700_000_100.0,
         "inventory": {"story": {"S1": "Fix <script>alert(1)</script> & \x00 \x1b[31m"}}},
        {"id": 3, "commit": "a" * 40, "digest": "d1" * 32, "created": 1_700_000_000.0, "inventory": {}},
    ]
    text = atom_feed("notes & <co>", "https://github.com/o/notes", history)
    assert text == atom_feed("notes & <co>", "https://github.com/o/notes", history)  # deterministic
    root = ET.fromstring(text.encode())  # well-formed XML despite the control characters
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "notes & <co>: documentation changes"
    assert root.findtext(f"{ATOM}updated") == "2023-11-14T22:15:00Z"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"urn:autodevhub-docs:build:7:{'d2' * 8}", f"urn:autodevhub-docs:build:3:{'d1' * 8}"]
    assert entries[0].findtext(f"{ATOM}title") == "Build of bbbbbbb: 1 new story"
    assert "<script>" in entries[0].findtext(f"{ATOM}content", "")  # kept as text: escaped in the XML
    assert "<script>" not in text and "&lt;script&gt;" in text
    for element in (root, *entries):  # Atom's required elements
        assert element.find(f"{ATOM}id") is not None and element.find(f"{ATOM}updated") is not None
    assert root.find(f"{ATOM}author/{ATOM}name") is not None


def test_two_real_builds_report_the_new_and_superseded_adrs(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "notes")
    repo.commit("Initial commit", {"README.md": "# Notes\n", "docs/adr/0001-use-sqlite.md": adr(1, "Use SQLite",
                                                                                                "Accepted")})
    settings = from_options({"llm": "offline"}, base_dir=repo.root)
    first = pipeline.run_build(settings)
    assert "first build recorded" in first.pages["changes/index.md"]
    assert first.report["changes"]["previous_commit"] is None
    feed_before = ET.fromstring(first.pages["changes/feed.xml"].encode())

    repo.commit("Move to Postgres", {
        "docs/adr/0001-use-sqlite.md": adr(1, "Use SQLite", "Superseded by [2. Use Postgres](0002-use-postgres.md)"),
        "docs/adr/0002-use-postgres.md": adr(2, "Use Postgres", "Accepted")})
    second = pipeline.run_build(settings)
    page = second.pages["changes/index.md"]
    assert "- **New** `0002`: Use Postgres" in page
    assert "- **Superseded** `0001`: Use SQLite" in page
    assert "Move to Postgres" in page and "[Atom feed](feed.xml)" in page
    assert second.report["changes"]["counts"] == ["1 new ADR", "1 superseded ADR"]
    assert second.report["changes"]["commits"] == 1
    assert second.report["files"] == ["changes/feed.xml", "llms.txt"]
    assert "changes/feed.xml" not in second.report["pages"]

    entries = ET.fromstring(second.pages["changes/feed.xml"].encode()).findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert entries[0].findtext(f"{ATOM}title", "").endswith("1 new ADR, 1 superseded ADR")
    # the first build's entry keeps its id: feed readers do not show it again
    assert entries[1].findtext(f"{ATOM}id") == feed_before.find(f"{ATOM}entry/{ATOM}id").text  # type: ignore[union-attr]

    summary = summary_markdown(second.report)
    assert f"| Pages | {len(second.report['pages'])} |" in summary
    assert "- 1 new ADR" in summary and "- 1 superseded ADR" in summary and "1 new commit(s)" in summary

    third = pipeline.run_build(settings)  # nothing changed: same feed, same page
    assert third.pages["changes/feed.xml"] == second.pages["changes/feed.xml"]


def test_llms_txt_lists_and_contains_every_generated_page(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "notes")
    repo.commit("Initial commit", {"README.md": "# Notes\n", "docs/adr/0001-use-sqlite.md": adr(1, "Use SQLite",
                                                                                                "Accepted")})
    result = pipeline.run_build(from_options({"llm": "offline"}, base_dir=repo.root))
    text = result.pages["llms.txt"]
    assert text.startswith("# notes documentation\n\n> ")
    assert "- [System Architecture](architecture/): `architecture/index.md`" in text
    assert "- [Use SQLite](adr/0001-use-sqlite/): `adr/0001-use-sqlite.md`" in text
    for uri in result.report["pages"]:
        assert f"<!-- page: {uri} -->" in text
        assert result.pages[uri].strip() in text


def test_generate_out_writes_the_feed_and_llms_txt(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "notes")
    repo.commit("Initial commit", {"README.md": "# Notes\n"})
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["generate", "-f", str(repo.root / "mkdocs.yml"), "--out", str(out), "--offline"])
    assert done.exit_code == 0, done.output
    assert (out / "llms.txt").read_text(encoding="utf-8").startswith("# notes documentation")
    ET.fromstring((out / "changes" / "feed.xml").read_bytes())
    assert (out / "changes" / "index.md").is_file()


def test_summary_module_prints_report_figures(tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = subprocess.run([sys.executable, "-m", "autodevhub_docs.summary", str(tmp_path / "none.json")],
                             capture_output=True, text=True, check=True)
    assert "No readable report" in missing.stdout
    report = {"mode": "anthropic", "commit": "abc1234def", "pages": ["a.md", "b.md"],
              "llm": {"calls": 3, "cache_hits": 9, "failures": 0, "input_tokens": 1200, "output_tokens": 300,
                      "cost_usd": 0.0123},
              "github": {"requests": 2, "not_modified": 1}, "durations_s": {"total": 4.2},
              "warnings": ["budget | reached"], "changes": {"previous_commit": "f" * 40, "commits": 2,
                                                           "counts": ["2 new stories"]}}
    path = tmp_path / "report.json"
    import json

    path.write_text(json.dumps(report), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "autodevhub_docs.summary", str(path)], capture_output=True,
                         text=True, check=True).stdout
    for row in ("| Pages | 2 |", "| LLM calls | 3 |", "| Cache hits | 9 |", "| Cost | $0.0123 |", "| Warnings | 1 |",
                "- 2 new stories", "`fffffff`: 2 new commit(s)", "budget &#124; reached"):
        assert row in out
