# A big cold build makes its Python pass in a child process (`pyworker`), on the other core, while it reads the
# history and mines decisions. The pass it gets back must be the pass it would have made itself: the same summaries
# in the same order, the same files that do not parse, each warning logged once, and when the child cannot run, the
# pass made in the build's own process.
from __future__ import annotations

import ast
import logging
import sys
from collections import Counter
from pathlib import Path

import pytest

from autodevhub_docs.analysis import pyworker
from autodevhub_docs.analysis.inventory import python_pass
from autodevhub_docs.analysis.memo_codec import encode
from autodevhub_docs.sources.checkout import Checkout
from tests.helpers import Repo

FILES = {
    "app/__init__.py": "",
    "app/main.py": "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nDB = os.environ.get('DATABASE_URL')\n\n\n"
                   "@app.get('/items/{item_id}')\ndef item(item_id: int):\n    return {}\n",
    "app/models.py": "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\nclass Base(DeclarativeBase):\n"
                     "    pass\n\n\nclass Item(Base):\n    __tablename__ = 'items'\n"
                     "    id: Mapped[int] = mapped_column(primary_key=True)\n",
    "app/broken.py": "def broken(:\n",
    "app/deep.py": "x = " + " + ".join(["1"] * 600) + "\n",
    "scripts/tool.py": "NAME = 'tool'\n",
    "web/index.ts": "export const a = 1;\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "app")
    repo.commit("Start", FILES)
    return repo


def _summaries(scan: object) -> list[tuple[str, object]]:
    return [(path, encode(info)) for path, info in scan.files.items()]  # type: ignore[attr-defined]


def test_the_child_makes_the_pass_the_build_would_make(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    assert pyworker.cores() >= 2, "these tests need two cores, as CI has"
    paths = tuple(FILES)
    expected = python_pass(paths, Checkout(repo.root).read_text, {})
    caplog.clear()
    parsed: Counter[str] = Counter()
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object, **kwargs: object) -> ast.AST:
        parsed[filename] += 1
        return real_parse(source, filename, *args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(pyworker, "MIN_FILES", 1)
    monkeypatch.setattr(ast, "parse", counting_parse)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.autodevhub_docs"):
        finish, encoded = pyworker.early_python_pass(repo.root, paths, {})
        assert encoded == {}  # filled when the pass is taken
        scan = finish()
    assert _summaries(scan) == _summaries(expected) and scan.failed == expected.failed == ["app/broken.py",
                                                                                           "app/deep.py"]
    # the child's JSON forms are what encoding the summaries here gives: the build stores them as they are
    assert sorted(encoded) == sorted(scan.files) and all(encoded[p] == encode(scan.files[p]) for p in encoded)
    assert not any(name.endswith(".py") for name in parsed)  # every file was parsed by the child
    deep = [r for r in caplog.records if "app/deep.py" in r.getMessage()]
    assert len(deep) == 1 and deep[0].levelno == logging.WARNING  # the child's warning, logged here once


def test_known_summaries_are_taken_and_only_the_rest_is_parsed(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = tuple(FILES)
    reader = Checkout(repo.root).read_text
    expected = python_pass(paths, reader, {})
    known = {"app/models.py": expected.files["app/models.py"]}
    monkeypatch.setattr(pyworker, "MIN_FILES", 1)
    scan = pyworker.early_python_pass(repo.root, paths, known)[0]()
    assert scan.files["app/models.py"] is known["app/models.py"]
    assert _summaries(scan) == _summaries(expected)


def test_a_child_that_cannot_run_leaves_the_pass_to_the_build(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    paths = tuple(FILES)
    expected = python_pass(paths, Checkout(repo.root).read_text, {})
    monkeypatch.setattr(pyworker, "MIN_FILES", 1)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the child exits at once with an error
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.autodevhub_docs"):
        scan = pyworker.early_python_pass(repo.root, paths, {})[0]()
    assert _summaries(scan) == _summaries(expected) and scan.failed == expected.failed
    assert any("parsed in this process" in r.getMessage() for r in caplog.records)


def test_few_files_are_parsed_in_the_build_itself(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")  # would fail, were a child started
    scan = pyworker.early_python_pass(repo.root, tuple(FILES), {})[0]()
    assert "app/main.py" in scan.files and len(FILES) < pyworker.MIN_FILES
