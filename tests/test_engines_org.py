# The organisation workflow (`init --org`), run step by step from its own text: the repository list, one build job
# per repository (against a GitHub API fake on 127.0.0.1, each job with its own cache folder), then the combined
# site built with mkdocs --strict: a home page, a page and a nav section per repository.
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from autodevhub_docs.cli import main
from autodevhub_docs.engines.combined import combine, find_repositories, repository_name
from tests.engines_tools import run_step, workflow_steps
from tests.fakes import GitHubFake
from tests.helpers import Repo

pytestmark = pytest.mark.slow


def hub(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path / "docs-hub"
    done = CliRunner().invoke(main, ["init", "--dir", str(folder), "--org"])
    assert done.exit_code == 0, done.output
    workflow = folder / ".github" / "workflows" / "org-docs.yml"
    return folder, yaml.safe_load(workflow.read_text(encoding="utf-8"))


def test_the_repository_list_comes_from_the_file(tmp_path: Path) -> None:
    folder, _ = hub(tmp_path)
    (folder / "docs-repositories.txt").write_text("# ours\nacme/api\n\n  acme/web  # the site\nacme/x.y-z\n",
                                                  encoding="utf-8")
    output = tmp_path / "github_output"
    step = workflow_steps(folder / ".github" / "workflows" / "org-docs.yml", "repositories")["List the repositories"]
    run_step(step, folder, {"TOPIC": "", "GITHUB_OUTPUT": str(output)})
    key, _, value = output.read_text(encoding="utf-8").strip().partition("=")
    assert key == "list" and json.loads(value) == ["acme/api", "acme/web", "acme/x.y-z"]


def sample(root: Path) -> Repo:
    repo = Repo(root)
    repo.commit("Initial commit", {"README.md": f"# {root.name}\n\n{root.name} serves notes.\n",
                                   "app/__init__.py": "", "app/main.py": "print('hi')\n"})
    return repo


def test_matrix_jobs_then_one_combined_site(tmp_path: Path) -> None:
    folder, flow = hub(tmp_path)
    workflow = folder / ".github" / "workflows" / "org-docs.yml"
    build, publish = workflow_steps(workflow, "build"), workflow_steps(workflow, "publish")
    combined = tmp_path / "combined"
    stories = {"acme/notes": "Export notes as PDF", "acme/web--ui": "Dark mode for the editor"}
    for number, (repository, story) in enumerate(stories.items()):
        job = tmp_path / f"job-{number}"
        sample(job / "repository")
        names = tmp_path / f"names-{number}"
        run_step(build["Names for this repository"], job, {"REPOSITORY": repository, "GITHUB_OUTPUT": str(names)})
        slug = dict(line.split("=", 1) for line in names.read_text(encoding="utf-8").splitlines())["slug"]
        assert slug == repository.replace("/", "--")
        with GitHubFake(repo=repository, token="org-token") as fake:  # noqa: S106 - a test token
            fake.add_issue(story, labels=["enhancement"])
            env = {"REPOSITORY": repository, "SLUG": slug, "GITHUB_TOKEN": "org-token",
                   "GITHUB_API_URL": fake.api_url,
                   # the workflow's threshold, and 1 for the second repository so its misses go through a batch
                   "BATCH_FROM": flow["env"]["BATCH_FROM"] if number == 0 else "1"}
            run_step(build["Generate the pages"], job, env)
            asked = {r.path for r in fake.requests}
        assert f"/repos/{repository}/issues" in asked  # each job documents its own repository, not the hub
        plan = json.loads((job / "plan.json").read_text(encoding="utf-8"))
        assert set(plan) == {"sections", "misses", "input_tokens", "output_tokens", "cost_usd", "batch"}
        assert plan["sections"] >= plan["misses"] > 0 and plan["input_tokens"] > 0
        assert (job / "repository" / ".cache" / "autodevhub" / "report.json").is_file()  # the cached folder
        pages = job / "pages" / slug
        assert any(story in page.read_text(encoding="utf-8") for page in (pages / "stories").glob("*.md"))
        # actions/download-artifact with merge-multiple puts every artifact's folder side by side
        shutil.copytree(job / "pages", combined / "docs", dirs_exist_ok=True)
    run_step(publish["Build the combined site"], tmp_path, {"SITE_NAME": "acme documentation"})
    site = combined / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    for repository, story in stories.items():
        slug = repository.replace("/", "--")
        assert f'href="{slug}/"' in home and repository in home
        assert repository in (site / slug / "index.html").read_text(encoding="utf-8")
        assert any(story in page.read_text(encoding="utf-8") for page in (site / slug / "stories").rglob("*.html"))
        assert "Generated from commit" in (site / slug / "architecture" / "index.html").read_text(encoding="utf-8")
    config = yaml.safe_load((combined / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))
    assert [next(iter(entry)) for entry in config["nav"]] == ["Home", "acme/notes", "acme/web--ui"]


def test_combined_nav_and_pages_are_exact(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for uri in ("acme--api/architecture/index.md", "acme--api/adr/index.md", "acme--api/adr/0001-x.md",
                "acme--api/llms.txt", "acme--web/changes/index.md", ".hidden/architecture/index.md",
                "empty/notes.txt"):
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text("# page\n", encoding="utf-8")
    assert [(r.name, r.pages) for r in find_repositories(docs)] == [("acme/api", 3), ("acme/web", 1)]
    written = combine(docs, "Acme | docs")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "docs/acme--api/index.md", "docs/acme--web/index.md", "docs/index.md", "mkdocs.yml"]
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))
    assert config["nav"] == [
        {"Home": "index.md"},
        {"acme/api": ["acme--api/index.md",
                      {"Architecture": ["acme--api/architecture/index.md"]},
                      {"Decisions": ["acme--api/adr/index.md", "acme--api/adr/0001-x.md"]}]},
        {"acme/web": ["acme--web/index.md", {"Changes": ["acme--web/changes/index.md"]}]},
    ]
    assert config["docs_dir"] == "docs" and "pymdownx.superfences" in (tmp_path / "mkdocs.yml").read_text()
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert home.startswith("# Acme &#124; docs\n")  # the site name is text, not a table cell separator
    assert "| [acme/api](acme--api/index.md) | Architecture, Decisions | 3 |" in home
    assert (docs / "acme--api" / "index.md").read_text(encoding="utf-8") == (
        "# acme/api\n\n| Section | Pages |\n|---|---:|\n| [Architecture](architecture/index.md) | 1 |\n"
        "| [Decisions](adr/index.md) | 2 |\n")


@pytest.mark.parametrize(("folder", "name"), [("acme--api", "acme/api"), ("acme--my--repo", "acme/my--repo"),
                                              ("loose", "loose")])
def test_repository_names_from_folders(folder: str, name: str) -> None:
    assert repository_name(folder) == name
