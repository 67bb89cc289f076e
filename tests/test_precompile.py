# The page templates compiled in a child process (`rendering.precompile`) while a first build does its other work:
# the child fills the build's template bytecode cache, so that rendering loads each template instead of compiling it;
# a cache already filled starts no child; the user's templates are compiled in place of the built-in ones they
# override; a template that does not compile is left to the build, which reports it; and a build's pages are the
# same whether the child got there first or not.
from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from autodevhub_docs.cores import cores
from autodevhub_docs.pipeline import run_build
from autodevhub_docs.rendering.env import make_env
from autodevhub_docs.rendering.precompile import (
    BYTECODE_FOLDER,
    compile_all,
    compile_in_background,
    precompiled_reads,
)
from autodevhub_docs.rendering.template_reads import TemplateReads
from autodevhub_docs.reuse import build
from autodevhub_docs.settings import Settings
from tests.helpers import Repo

BUILTIN = ("adr/index.md.jinja", "architecture/index.md.jinja", "stories/epic.md.jinja")
"""A few of the built-in templates (all of them are compiled; these are checked by name)."""


def _count_calls(monkeypatch: pytest.MonkeyPatch, method: str) -> list[str]:
    """The template names `jinja2.Environment.<method>` is called with in this process, from now on."""
    names: list[str] = []
    original = getattr(jinja2.Environment, method)

    def counting(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(str(name))
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, method, counting)
    return names


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja compiles from source in this process."""
    yield _count_calls(monkeypatch, "compile")


def _wait(process: subprocess.Popen[bytes] | None) -> None:
    assert process is not None, "a first build with two cores compiles the templates in a child process"
    assert process.wait(timeout=120) == 0


def _load_every_template(bytecode_dir: Path, custom: Path | None = None) -> jinja2.Environment:
    env = make_env(custom, bytecode_dir=bytecode_dir)
    for name in env.list_templates():
        if name.endswith(".jinja"):
            env.get_template(name)
    return env


def test_the_child_fills_the_cache_so_rendering_compiles_nothing(tmp_path: Path, compiles: list[str]) -> None:
    assert cores() >= 2, "this test needs two cores, as CI has"
    cache = tmp_path / "cache" / "templates"
    _wait(compile_in_background(None, cache))
    _load_every_template(cache)
    assert compiles == []  # every template was loaded from what the child compiled


def test_without_the_child_every_template_is_compiled_here(tmp_path: Path, compiles: list[str]) -> None:
    _load_every_template(tmp_path / "templates")
    assert set(BUILTIN) <= set(compiles)  # what the test above proves the child spares


def test_the_child_works_out_what_each_page_template_reads_as_the_build_would(tmp_path: Path) -> None:
    cache = tmp_path / "templates"
    _wait(compile_in_background(None, cache))
    env = make_env(bytecode_dir=cache)
    own = TemplateReads(env)
    pages = [name for name in env.list_templates() if name.endswith(".md.jinja")]
    for name in pages:
        own.of(name)
    assert precompiled_reads(cache, own.fingerprint()) == own.as_json() and len(own.as_json()) == len(pages) > 10
    assert precompiled_reads(cache, "the digest of other templates") is None


def test_a_first_build_after_the_child_parses_and_compiles_no_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       compiles: list[str]) -> None:
    parses = _count_calls(monkeypatch, "parse")
    repo = Repo(tmp_path / "repo")
    repo.commit("Start", {"app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n", "requirements.txt": "fastapi\n"})
    _wait(compile_in_background(None, tmp_path / "cache" / BYTECODE_FOLDER))
    result = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / "cache", llm="offline"))
    assert result.report["incremental"]["pages_rendered"] > 10
    assert parses == [] and compiles == []


def test_a_filled_cache_starts_no_child(tmp_path: Path) -> None:
    cache = tmp_path / "templates"
    compile_all(cache)
    assert compile_in_background(None, cache) is None


def test_custom_templates_are_compiled_in_place_of_the_ones_they_override(tmp_path: Path, compiles: list[str]
                                                                         ) -> None:
    custom = tmp_path / "custom" / "architecture"
    custom.mkdir(parents=True)
    (custom / "index.md.jinja").write_text("# Our architecture\n\n{{ facts.name }}\n", encoding="utf-8")
    cache = tmp_path / "templates"
    _wait(compile_in_background(tmp_path / "custom", cache))
    env = _load_every_template(cache, tmp_path / "custom")
    assert compiles == []
    source, filename, _ = env.loader.get_source(env, "architecture/index.md.jinja")  # type: ignore[union-attr]
    assert "Our architecture" in source and filename.startswith(str(tmp_path / "custom"))


def test_a_template_that_does_not_compile_is_left_to_the_build(tmp_path: Path) -> None:
    custom = tmp_path / "custom" / "architecture"
    custom.mkdir(parents=True)
    (custom / "index.md.jinja").write_text("{% for x in %}\n", encoding="utf-8")
    compiled = compile_all(tmp_path / "templates", tmp_path / "custom")
    assert "architecture/index.md.jinja" not in compiled
    assert set(BUILTIN) - {"architecture/index.md.jinja"} <= set(compiled)
    with pytest.raises(jinja2.TemplateSyntaxError):
        make_env(tmp_path / "custom", bytecode_dir=tmp_path / "templates").get_template("architecture/index.md.jinja")


def test_a_first_build_renders_the_same_pages_as_one_that_compiles_every_template_itself(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Start", {"app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/items')\n"
                                         "def items():\n    return []\n",
                          "requirements.txt": "fastapi==0.110\n"})
    itself = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / "itself", llm="offline"))  # no child
    with_child = build(Settings(repo_path=repo.root, cache_dir=tmp_path / "first", llm="offline"))
    def timeless(pages: dict[str, str]) -> dict[str, str]:
        return {uri: text for uri, text in pages.items() if uri != "changes/feed.xml"}  # stamped with the build's time

    assert timeless(with_child.pages) == timeless(itself.pages) and len(timeless(itself.pages)) > 10
    assert any((tmp_path / "first" / BYTECODE_FOLDER).iterdir())
