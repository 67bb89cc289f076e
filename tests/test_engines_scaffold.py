# What `init --engine zensical`, `init --backstage` and `init --org` write, and that the workflows pass actionlint.
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from autodevhub_docs.cli import main
from autodevhub_docs.engines.nav import NAV_TOML
from autodevhub_docs.engines.scaffolds import entity_name
from tests.test_workflows import actionlint

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the CI runs 3.12
    import tomli as tomllib


def init(folder: Path, *args: str) -> list[str]:
    done = CliRunner().invoke(main, ["init", "--dir", str(folder), *args])
    assert done.exit_code == 0, done.output
    return sorted(Path(line.split(maxsplit=1)[1]).relative_to(folder).as_posix() for line in done.output.splitlines())


def steps_by_name(workflow: dict[str, Any], job: str) -> dict[str, dict[str, Any]]:
    return {s.get("name", s.get("uses", "").split("@")[0]): s for s in workflow["jobs"][job]["steps"]}


def test_init_engine_zensical(tmp_path: Path) -> None:
    folder = tmp_path / 'my "site" #1'
    assert init(folder, "--engine", "zensical") == [".github/workflows/docs.yml", ".gitignore", "docs/index.md",
                                                    "zensical.toml"]
    project = tomllib.loads((folder / "zensical.toml").read_text(encoding="utf-8"))["project"]
    assert project["site_name"] == 'my "site" #1' and project["docs_dir"] == "docs"
    assert project["nav"] == [{"Home": "index.md"}]
    fence = project["markdown_extensions"]["pymdownx"]["superfences"]["custom_fences"]
    assert fence == [{"name": "mermaid", "class": "mermaid", "format": "pymdownx.superfences.fence_code_format"}]
    workflow_file = folder / ".github" / "workflows" / "docs.yml"
    assert actionlint(workflow_file) == []
    steps = steps_by_name(yaml.safe_load(workflow_file.read_text(encoding="utf-8")), "build")
    assert steps["Install"]["run"] == "pip install autodevhub-docs zensical"
    assert steps["Generate the pages"]["run"] == "autodevhub-docs generate --out docs/generated --nav"
    build = steps["Build the site"]["run"]
    assert f"docs/generated/{NAV_TOML}" in build and "zensical build --strict" in build
    names = list(steps)
    assert names.index("Generate the pages") < names.index("Build the site") < names.index("actions/upload-pages-artifact")
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert steps["actions/cache"]["with"]["path"] == ".cache/autodevhub"


def test_init_backstage(tmp_path: Path) -> None:
    folder = tmp_path / "Payments API"
    assert init(folder, "--backstage") == [".gitignore", "catalog-info.yaml", "docs/index.md", "mkdocs.yml"]
    entity = yaml.safe_load((folder / "catalog-info.yaml").read_text(encoding="utf-8"))
    assert entity["kind"] == "Component" and entity["metadata"]["name"] == "payments-api"
    assert entity["metadata"]["annotations"] == {"backstage.io/techdocs-ref": "dir:."}
    assert {"type", "lifecycle", "owner"} <= set(entity["spec"])
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    parsed = yaml.safe_load(config.replace("!!python/name:", ""))
    assert parsed["plugins"] == ["techdocs-core", "autodevhub"] and parsed["site_name"] == "Payments API"
    assert "format: !!python/name:pymdownx.superfences.fence_code_format" in config


@pytest.mark.parametrize(("folder", "name"), [("Payments API", "payments-api"), ("a__b..c", "a-b-c"),
                                              ("---", "docs"), ("x" * 80, "x" * 63), ("Ünïcode Café", "unicode-cafe")])
def test_backstage_entity_names(folder: str, name: str) -> None:
    assert entity_name(folder) == name


def test_init_org(tmp_path: Path) -> None:
    folder = tmp_path / "docs-hub"
    assert init(folder, "--org") == [".github/workflows/org-docs.yml", ".gitignore", "docs-repositories.txt"]
    workflow_file = folder / ".github" / "workflows" / "org-docs.yml"
    assert actionlint(workflow_file) == []
    flow = yaml.safe_load(workflow_file.read_text(encoding="utf-8"))
    assert set(flow[True]) == {"schedule", "workflow_dispatch", "push"}
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    assert list(jobs) == ["repositories", "build", "publish", "deploy"]
    matrix = jobs["build"]["strategy"]
    assert matrix["matrix"]["repository"] == "${{ fromJSON(needs.repositories.outputs.list) }}"
    assert matrix["fail-fast"] is False
    build = steps_by_name(flow, "build")
    cache = build["actions/cache"]["with"]
    assert cache["path"] == "repository/.cache/autodevhub"
    assert cache["key"].startswith("autodevhub-${{ steps.names.outputs.slug }}-")
    assert cache["restore-keys"].strip() == "autodevhub-${{ steps.names.outputs.slug }}-"
    generate = build["Generate the pages"]["run"]
    assert "plan --json" in generate and "--batch" in generate and "$BATCH_FROM" in generate
    assert build["actions/checkout"]["with"]["repository"] == "${{ matrix.repository }}"
    assert build["actions/checkout"]["with"]["fetch-depth"] == 0
    publish = steps_by_name(flow, "publish")
    assert publish["actions/download-artifact"]["with"]["merge-multiple"] is True
    assert "python -m autodevhub_docs.engines.combined docs" in publish["Build the combined site"]["run"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # every run script reads its values from env, never from ${{ }} (no script injection, and runnable as is)
    for job in jobs.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("flags", [["--engine", "zensical", "--backstage"], ["--org", "--github-pages"],
                                   ["--backstage", "--github-pages"], ["--org", "--engine", "zensical"]])
def test_scaffolds_that_exclude_each_other_are_refused(tmp_path: Path, flags: list[str]) -> None:
    done = CliRunner().invoke(main, ["init", "--dir", str(tmp_path), *flags])
    assert done.exit_code == 1 and "--> " in done.output and "Traceback" not in done.output
    assert list(tmp_path.iterdir()) == []


def test_engine_scaffolds_refuse_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "zensical.toml").write_text("[project]\nsite_name = 'mine'\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["init", "--dir", str(tmp_path), "--engine", "zensical"])
    assert done.exit_code == 1 and "--force" in done.output
    assert (tmp_path / "zensical.toml").read_text(encoding="utf-8") == "[project]\nsite_name = 'mine'\n"
    assert not (tmp_path / "docs").exists()


def test_the_suite_runs_under_mkdocs_and_properdocs_in_ci() -> None:
    from tests.engines_tools import ROOT
    from tests.helpers import BUILD_ENGINE

    workflow = ROOT / ".github" / "workflows" / "tests.yml"
    assert actionlint(workflow) == []
    job = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["test"]
    assert job["strategy"]["matrix"]["engine"] == ["mkdocs", "properdocs"]
    assert job["env"]["AUTODEVHUB_TEST_ENGINE"] == "${{ matrix.engine }}"
    assert any(step.get("run") == "bash scripts/test" for step in job["steps"])
    assert BUILD_ENGINE in ("mkdocs", "properdocs")


def test_scripts_test_installs_what_the_engine_tests_need() -> None:
    from tests.engines_tools import ROOT

    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]"' in script  # zensical and properdocs come with the test extra
    assert "pip install -q -e . mkdocs-techdocs-core" in script  # the TechDocs environment, resolved by pip
    assert '--upgrade "mkdocs-material>=9.5,<10"' in script and "jq" in script


@pytest.mark.slow
def test_site_builds_run_under_the_chosen_engine_with_mkdocs_material_9(tmp_path: Path) -> None:
    import re

    from tests.helpers import BUILD_ENGINE, Repo, mkdocs_build, write_mkdocs_yml

    repo = Repo(tmp_path / "notes")
    repo.commit("Initial commit", {"README.md": "# Notes\n", "app.py": "print('hi')\n"})
    done = mkdocs_build(write_mkdocs_yml(repo.root, {"llm": "offline"}))
    assert done.returncode == 0, done.stderr
    generator = re.search(r'<meta name="generator" content="([^"]+)">',
                          (repo.root / "site" / "index.html").read_text(encoding="utf-8"))
    assert generator, "no generator meta tag"
    engine = "mkdocs-ProperDocs" if BUILD_ENGINE == "properdocs" else "mkdocs-1."
    assert generator.group(1).startswith(engine) and ", mkdocs-material-9." in generator.group(1)
