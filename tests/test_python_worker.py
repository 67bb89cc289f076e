# A big cold build makes its Python pass in a child process (`pyworker`), on the other core, while it reads the
# history and mines decisions; when the build needs the pass before the child is done, it parses the files the child
# has not reached, from the back. The pass it gets back must be the pass it would have made itself: the same
# summaries in the same order, the same files that do not parse, each file parsed once and each warning logged once,
# and when the child cannot run, the pass made in the build's own process.
from __future__ import annotations

import ast
import logging
import os
import struct
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[pyworker.PythonWorker]:
    """The child processes the passes start (the pass is shared with one from the first file on)."""
    started: list[pyworker.PythonWorker] = []

    class Recorded(pyworker.PythonWorker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(pyworker, "PythonWorker", Recorded)
    monkeypatch.setattr(pyworker, "MIN_FILES", 1)
    return started


@pytest.fixture
def parsed_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times this process parses each file."""
    parsed: Counter[str] = Counter()
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object, **kwargs: object) -> ast.AST:
        parsed[filename] += 1
        return real_parse(source, filename, *args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(ast, "parse", counting_parse)
    yield parsed


@pytest.mark.parametrize("child_done_first", [True, False], ids=["child-done-first", "needed-at-once"])
def test_the_pass_is_the_pass_the_build_would_make_and_each_file_is_parsed_once(
        repo: Repo, workers: list[pyworker.PythonWorker], parsed_here: Counter[str],
        caplog: pytest.LogCaptureFixture, child_done_first: bool) -> None:
    assert pyworker.cores() >= 2, "these tests need two cores, as CI has"
    paths = tuple(FILES)
    expected = python_pass(paths, Checkout(repo.root).read_text, {})
    parsed_here.clear()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.autodevhub_docs"):
        finish, encoded = pyworker.early_python_pass(repo.root, paths, {})
        assert encoded == {}  # filled when the pass is taken
        if child_done_first:
            workers[0]._process.wait()  # type: ignore[union-attr]  # the build needs the pass only after the child is done
        scan = finish()
    assert _summaries(scan) == _summaries(expected) and scan.failed == expected.failed == ["app/broken.py",
                                                                                           "app/deep.py"]
    # the child's JSON forms are what encoding the summaries here gives: the build stores them as they are
    assert all(encoded[p] == encode(scan.files[p]) for p in encoded)
    here = {name for name in parsed_here if name.endswith(".py")}  # (other code may parse snippets meanwhile)
    assert all(parsed_here[name] == 1 for name in here)  # nothing parsed twice here ...
    assert not here & set(encoded)  # ... nor by both processes
    assert here | set(encoded) >= set(scan.files)  # every summary was made by one of them
    if child_done_first:
        assert not here and sorted(encoded) == sorted(scan.files)  # every file was parsed by the child
    else:
        assert "scripts/tool.py" in here  # the build took the last files itself instead of waiting
    deep = [r for r in caplog.records if "app/deep.py" in r.getMessage()]
    assert len(deep) == 1 and deep[0].levelno == logging.WARNING  # the warning logged here once, by whoever parsed it
    assert not Path(workers[0].claims.path).exists()  # type: ignore[union-attr]


def test_the_two_ends_take_each_file_once(tmp_path: Path) -> None:
    path = tmp_path / "claims"
    path.touch()
    made = pyworker.Claims(str(path), 7)  # the build's
    other = pyworker.Claims(made.path)  # the child's own open file: the lock holds between the two
    taken = [made.take(front=False), other.take(front=True), other.take(front=True), made.take(front=False),
             other.take(front=True), made.take(front=False), other.take(front=True), made.take(front=False),
             other.take(front=True)]
    assert taken == [True] * 7 + [False] * 2
    assert struct.unpack("<II", path.read_bytes()) == (4, 4)  # four from the front, three from the back
    assert not made.take(front=True) and not other.take(front=False)
    made.close()
    other.close()


def test_known_summaries_are_taken_and_only_the_rest_is_parsed(repo: Repo, workers: list[pyworker.PythonWorker],
                                                               parsed_here: Counter[str]) -> None:
    paths = tuple(FILES)
    reader = Checkout(repo.root).read_text
    expected = python_pass(paths, reader, {})
    known = {"app/models.py": expected.files["app/models.py"]}
    parsed_here.clear()
    scan = pyworker.early_python_pass(repo.root, paths, known)[0]()
    assert scan.files["app/models.py"] is known["app/models.py"]
    assert _summaries(scan) == _summaries(expected)
    assert "app/models.py" not in parsed_here


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


def test_the_child_imports_only_what_the_pass_needs() -> None:
    # Started on the other core, the child parses sooner the less it imports: not the analysis stage, not decision
    # mining, and not detect-secrets (with `requests`), which only a text to redact needs (and the build has).
    probe = ("import sys, autodevhub_docs.analysis.pyworker\n"
             "print(sorted(m for m in ('detect_secrets', 'requests', 'autodevhub_docs.analysis.stage',\n"
             "                         'autodevhub_docs.analysis.decisions', 'autodevhub_docs.credential_shapes')\n"
             "             if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_text_with_a_token_is_masked_by_the_shapes_imported_on_first_use() -> None:
    probe = ("import sys\nfrom autodevhub_docs.redact import redact\n"
             "assert 'detect_secrets' not in sys.modules\n"
             "print(redact('key AKIAIOSFODNN7EXAMPLE and ghp_' + 'a1B2' * 9))\n"
             "print('detect_secrets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=_no_secrets())
    assert out.stdout.split("\n")[:2] == ["key [REDACTED] and [REDACTED]", "True"]
    probe = "import sys\nfrom autodevhub_docs import redact\nredact.prepare()\nprint('detect_secrets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"  # a build imports them while its Python pass runs on the other core


def _no_secrets() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN", "ANTHROPIC_API_KEY")}
