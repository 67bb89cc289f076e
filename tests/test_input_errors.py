# Config and input errors: each is a clear message ending in a '--> fix' line (no traceback), or is skipped with
# a warning. Runs the real `mkdocs build` and the real CLI in subprocesses, as a user would.
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.errors import NotAGitRepositoryError, SourceError
from autodevhub_docs.settings import from_options
from tests.helpers import Repo, write_mkdocs_yml

OUTSIDE = "OUTSIDE-THE-REPOSITORY-7d1f"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": ""}


def mkdocs(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), *extra], capture_output=True,
                          text=True, env=_env(), cwd=config.parent, check=False, timeout=300)


def cli(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autodevhub_docs", "generate", "-f", str(config), "--out", str(out)],
                          capture_output=True, text=True, env=_env(), cwd=config.parent, check=False, timeout=300)


def assert_clear_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Traceback" not in output, output
    assert "\n--> " in output or output.lstrip().startswith("--> "), output
    for word in words:
        assert word in output, output


@pytest.mark.parametrize(("options", "word"), [
    ({"concurrency": "four"}, "concurrency"),
    ({"sections": ["architecture", "blog"]}, "sections"),
    ({"exclude": 3}, "exclude"),
    ({"enabled": "sometimes"}, "enabled"),
    ({"max_cost_usd": "cheap"}, "max_cost_usd"),
    ({"llm": "gpt"}, "llm"),
])
def test_wrong_types_are_clear_errors_in_mkdocs_and_cli(sample_repo: Repo, tmp_path: Path, options: dict[str, Any],
                                                         word: str) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"llm": "offline", **options})
    assert_clear_error(mkdocs(config), word)
    assert_clear_error(cli(config, tmp_path / "out"), word)


def test_unknown_option_warns_in_mkdocs_and_fails_strict_and_in_the_cli(sample_repo: Repo, tmp_path: Path) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"llm": "offline", "reop_path": "."})
    relaxed = mkdocs(config)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "reop_path" in relaxed.stderr and "--> " in relaxed.stderr
    assert_clear_error(mkdocs(config, "--strict"), "reop_path")
    assert_clear_error(cli(config, tmp_path / "out"), "reop_path", "repo_path")


@pytest.mark.parametrize("case", ["missing", "not-git"])
def test_repository_folder_problems_are_clear_errors(tmp_path: Path, case: str) -> None:
    site = tmp_path / "site-src"
    if case == "not-git":
        (tmp_path / "plain").mkdir()
        (tmp_path / "plain" / "notes.txt").write_text("hello\n")
    config = write_mkdocs_yml(site, {"llm": "offline", "repo_path": "../plain" if case == "not-git" else "../gone"})
    word = "not a git repository" if case == "not-git" else "does not exist"
    assert_clear_error(mkdocs(config), word, "repo_path")
    assert_clear_error(cli(config, tmp_path / "out"), word)
    with pytest.raises(NotAGitRepositoryError if case == "not-git" else SourceError):
        pipeline.run_build(from_options({"llm": "offline"}, base_dir=site).with_changes(
            repo_path=(site / ("../plain" if case == "not-git" else "../gone")).resolve()))


def test_empty_repository_builds_with_a_warning(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "empty")
    config = write_mkdocs_yml(repo.root, {"llm": "offline"})
    result = pipeline.run_build(from_options({"llm": "offline"}, base_dir=repo.root))
    assert "architecture/index.md" in result.pages
    assert any("no commits" in w for w in result.report["warnings"])
    assert mkdocs(config).returncode == 0
    strict = mkdocs(config, "--strict")
    assert strict.returncode != 0 and "no commits" in strict.stderr and "Traceback" not in strict.stderr
    assert cli(config, tmp_path / "out").returncode == 0


@pytest.fixture
def awkward_repo(tmp_path: Path) -> Repo:
    """Binary, huge and invalid UTF-8 files, symlinks leaving the repository, and a submodule."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"# {OUTSIDE}\n\n## Installation\n\n```bash\necho {OUTSIDE}\n```\n")
    (outside / "package.json").write_text(json.dumps({"scripts": {"leak": f"echo {OUTSIDE}"}}))
    (outside / "dir").mkdir()
    (outside / "dir" / "0001-leak.md").write_text(f"# 1. {OUTSIDE}\n\n## Status\n\nAccepted\n")
    repo = Repo(tmp_path / "awkward")
    repo.commit("Initial commit", {
        "app/main.py": "def main():\n    return 'ok'\n",
        "app/logo.png": BINARY,
        "data/huge.json": "[" + ",".join(["1"] * 600_000) + "]\n",
        "app/latin1.py": "name = 'caf\xe9'\n".encode("latin-1") + b"\xff\xfe\xfd bad bytes\n",
        "doc/adr/0002-real.md": "# 2. A real decision\n\n## Status\n\nAccepted\n",
    })
    for link, target in (("README.md", outside / "secret.md"), ("package.json", outside / "package.json"),
                         ("app/escape.py", outside / "secret.md"), ("doc/adr/0001-leak.md", outside / "dir" / "0001-leak.md"),
                         ("Dockerfile", Path("/etc/passwd")), ("linked-dir", outside / "dir")):
        (repo.root / link).symlink_to(target)
    sub = Repo(tmp_path / "sub")
    sub_head = sub.commit("sub", {"inner.py": f"print('{OUTSIDE}')\n"})
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{sub_head},vendor/lib")
    repo.commit("Add symlinks and a submodule")
    return repo


def test_awkward_files_are_skipped_and_symlinks_never_followed(awkward_repo: Repo, tmp_path: Path) -> None:
    settings = from_options({"llm": "offline"}, base_dir=awkward_repo.root)
    result = pipeline.run_build(settings)
    everything = "\n".join(result.pages.values())
    assert OUTSIDE not in everything
    assert "root:x:0:0" not in everything
    assert "app/main.py" in everything or "app" in everything
    assert "\x00" not in everything and "\ufffd" not in everything.replace("\\ufffd", "")
    files = {f.path: f for f in result.facts.files}
    assert files["app/logo.png"].binary and files["data/huge.json"].binary
    assert files["README.md"].binary and files["app/escape.py"].binary  # symlinks are never read
    assert not files["app/latin1.py"].binary
    assert "vendor/lib" not in files
    assert result.facts.readme == ""
    assert [a.path for a in result.facts.adrs] == ["doc/adr/0002-real.md"]
    config = write_mkdocs_yml(awkward_repo.root, {"llm": "offline"})
    built = mkdocs(config)
    assert built.returncode == 0, built.stderr
    for path in (awkward_repo.root / "site").rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml"}:
            assert OUTSIDE not in path.read_text(encoding="utf-8", errors="replace"), path
