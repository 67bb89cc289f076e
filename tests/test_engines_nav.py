# The generated sections as navigation: the fragments `generate --nav` writes for mkdocs.yml and zensical.toml.
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from autodevhub_docs.cli import main
from autodevhub_docs.engines.nav import NAV_TOML, NAV_YAML, nav_toml, nav_yaml, sections, toml_string
from autodevhub_docs.engines.scaffolds import template
from tests.helpers import Repo

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the CI runs 3.12
    import tomli as tomllib

URIS = ["stories/index.md", "adr/0002-b.md", "architecture/system-overview.md", "adr/index.md", "llms.txt",
        "changes/feed.xml", "changes/index.md", "architecture/index.md", "adr/0001-a.md", "index.md"]


def test_sections_follow_the_section_order_with_each_index_first() -> None:
    assert sections(URIS, prefix="generated/") == [
        ("Architecture", ["generated/architecture/index.md", "generated/architecture/system-overview.md"]),
        ("Decisions", ["generated/adr/index.md", "generated/adr/0001-a.md", "generated/adr/0002-b.md"]),
        ("User Stories", ["generated/stories/index.md"]),
        ("Changes", ["generated/changes/index.md"]),
    ]  # no Development section (no page), no feed.xml or llms.txt, no page outside a section


def test_the_toml_fragment_appends_to_the_scaffolded_zensical_toml() -> None:
    nav = sections(URIS, prefix="generated/")
    config = tomllib.loads(template("zensical.toml").replace("@NAME@", '"Site"') + nav_toml(nav))
    assert config["project"]["nav"] == [{"Home": "index.md"}, *({title: uris} for title, uris in nav)]
    assert config["project"]["docs_dir"] == "docs"


def test_the_yaml_fragment_is_an_mkdocs_nav() -> None:
    nav = sections(URIS)
    assert yaml.safe_load(nav_yaml(nav)) == {"nav": [{title: uris} for title, uris in nav]}


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_toml_strings_round_trip(text: str) -> None:
    assert tomllib.loads(f"key = {toml_string(text)}")["key"] == text


def test_generate_nav_writes_both_fragments_for_every_generated_page(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "docs" / "generated"
    done = CliRunner().invoke(main, ["generate", "-f", str(sample_repo.root / "mkdocs.yml"), "--out", str(out),
                                     "--offline", "--nav"])
    assert done.exit_code == 0, done.output
    pages = sorted(f"generated/{p.relative_to(out).as_posix()}" for p in out.rglob("*.md"))
    from_yaml = yaml.safe_load((out / NAV_YAML).read_text(encoding="utf-8"))["nav"]
    from_toml = tomllib.loads((out / NAV_TOML).read_text(encoding="utf-8"))["project"]["nav"]
    assert from_yaml == from_toml
    assert [next(iter(entry)) for entry in from_yaml] == ["Architecture", "Decisions", "User Stories", "Development",
                                                          "Changes"]
    assert sorted(uri for entry in from_yaml for uris in entry.values() for uri in uris) == pages
    assert NAV_YAML in done.output and NAV_TOML in done.output


def test_generate_without_nav_writes_no_fragment(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["generate", "-f", str(sample_repo.root / "mkdocs.yml"), "--out", str(out),
                                     "--offline"])
    assert done.exit_code == 0, done.output
    assert not (out / NAV_YAML).exists() and not (out / NAV_TOML).exists()


@pytest.mark.parametrize("uris", [[], ["index.md", "llms.txt"]])
def test_no_generated_page_no_section(uris: list[str]) -> None:
    assert sections(uris) == []
    assert tomllib.loads(nav_toml([])) == {}
