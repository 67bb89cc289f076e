from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from autodevhub_docs.cli import main
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["init"], ["generate"], ["doctor"]])
def test_help_works_on_every_command(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_every_command_is_documented() -> None:
    documented = (Path(__file__).parent.parent / "site_src" / "cli.md").read_text()
    for name in main.commands:
        assert f"`{name}" in documented, name


def test_generate_writes_every_page(runner: CliRunner, sample_repo: Repo, tmp_path: Path) -> None:
    config = write_mkdocs_yml(sample_repo.root)
    out = tmp_path / "out"
    result = runner.invoke(main, ["generate", "-f", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert f"wrote {len(written)} pages" in result.output
    assert {"architecture/index.md", "adr/index.md", "stories/index.md", "changes/index.md"} <= set(written)
    assert (out / "architecture/index.md").read_text().startswith("# System Architecture")
    assert (out / "adr/0001-record-architecture-decisions.md").is_file()
    assert "0 LLM calls" in result.output


def test_generate_without_mkdocs_yml_uses_defaults(runner: CliRunner, sample_repo: Repo, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_repo.root)
    result = runner.invoke(main, ["generate", "--out", str(tmp_path / "o"), "--offline"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o/stories/index.md").is_file()


def test_generate_error_is_a_clean_message(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    config = write_mkdocs_yml(folder)
    result = runner.invoke(main, ["generate", "-f", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "Error: " in result.output and "is not a git repository" in result.output and "--> " in result.output
    assert "Traceback" not in result.output


def test_bad_option_is_a_clean_message(runner: CliRunner, sample_repo: Repo, tmp_path: Path) -> None:
    config = write_mkdocs_yml(sample_repo.root, {"concurrency": -2})
    result = runner.invoke(main, ["generate", "-f", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "'concurrency'" in result.output and "--> " in result.output


def test_init_scaffolds_a_site_that_builds(runner: CliRunner, sample_repo: Repo) -> None:
    (sample_repo.root / "docs/index.md").unlink(missing_ok=True)
    result = runner.invoke(main, ["init", "--dir", str(sample_repo.root), "--github-pages"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    workflow = (sample_repo.root / ".github/workflows/docs.yml").read_text()
    assert "fetch-depth: 0" in workflow and "actions/deploy-pages" in workflow
    yml = (sample_repo.root / "mkdocs.yml").read_text()
    assert "autodevhub" in yml and "fence_code_format" in yml and "material" in yml
    build = mkdocs_build(sample_repo.root / "mkdocs.yml")
    assert build.returncode == 0, build.stderr
    assert (sample_repo.root / "site/architecture/index.html").is_file()


def test_init_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    result = runner.invoke(main, ["init", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "Refusing to overwrite" in result.output and "--force" in result.output
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: mine\n"
    forced = runner.invoke(main, ["init", "--dir", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and "replaced" in forced.output
    assert "autodevhub" in (tmp_path / "mkdocs.yml").read_text()


def test_doctor_reports_each_check(runner: CliRunner, sample_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_mkdocs_yml(sample_repo.root)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_doctorsecretvalue")
    result = runner.invoke(main, ["doctor", "-f", str(config)])
    assert result.exit_code == 0, result.output
    assert "[  ok] config" in result.output
    assert "[  ok] mermaid" in result.output
    assert "has full history" in result.output
    assert "$GITHUB_TOKEN is set" in result.output and "ghp_doctorsecretvalue" not in result.output
    assert "$ANTHROPIC_API_KEY is not set" in result.output
    assert "no cache yet" in result.output
    assert mkdocs_build(config).returncode == 0
    again = runner.invoke(main, ["doctor", "-f", str(config)])
    assert "autodevhub.sqlite: ok" in again.output


def test_doctor_fails_on_unreadable_config(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("plugins: [\n")
    result = runner.invoke(main, ["doctor", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "[FAIL] config" in result.output


def test_doctor_flags_missing_fence_and_non_git_folder(runner: CliRunner, tmp_path: Path) -> None:
    config = write_mkdocs_yml(tmp_path, fence=False)
    result = runner.invoke(main, ["doctor", "-f", str(config)])
    assert "[WARN] mermaid" in result.output
    assert "[FAIL] git" in result.output and result.exit_code == 1
