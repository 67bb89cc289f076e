# The project's own documentation stays true to the code.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.config import PluginConfig
from autodevhub_docs.settings import OPTION_NAMES
from tests.helpers import mkdocs_build

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("option", sorted(OPTION_NAMES))
def test_every_option_is_documented(option: str) -> None:
    assert f"| `{option}` |" in (ROOT / "site_src/configuration.md").read_text()


def test_mkdocs_config_and_settings_accept_the_same_options() -> None:
    assert {name for name, _ in PluginConfig._schema} == set(OPTION_NAMES)


def test_readme_gives_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    assert section.count("```bash") == 2
    assert "mkdocs build --strict" in section and "bash scripts/test" in section
    assert "bash scripts/test" in (ROOT / ".ci/run").read_text()


def test_this_project_site_builds_strict_offline(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    assert (ROOT / "site/architecture/index.html").is_file()
    assert (ROOT / "site/configuration/index.html").is_file()
