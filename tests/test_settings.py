from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.errors import ConfigError
from autodevhub_docs.settings import SECTIONS, from_mkdocs_yml, from_options
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml


def test_defaults(tmp_path: Path) -> None:
    settings = from_options({}, base_dir=tmp_path)
    assert settings.repo_path == tmp_path.resolve()
    assert settings.cache_dir == (tmp_path / ".cache/autodevhub").resolve()
    assert settings.sections == SECTIONS
    assert settings.llm == "auto" and settings.concurrency == 4
    assert settings.exclude_labels == ("security", "confidential")
    assert settings.github_repo is None and settings.github_api_url == "https://api.github.com"


def test_environment_defaults_for_github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/widgets")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    settings = from_options({}, base_dir=tmp_path)
    assert (settings.github_repo, settings.github_api_url) == ("acme/widgets", "https://ghe.example.com/api/v3")


@pytest.mark.parametrize(("options", "message"), [
    ({"concurrency": 0}, "'concurrency' of the autodevhub plugin expects a whole number of at least 1"),
    ({"llm": "gpt"}, "expects one of auto, anthropic, offline"),
    ({"sections": ["architecture", "blog"]}, "expects a subset of"),
    ({"github_repo": "justaname"}, "expects 'owner/name'"),
    ({"max_cost_usd": -1}, "a number of dollars"),
    ({"enabled": "yes"}, "true or false"),
    ({"colour": "blue"}, "Unknown option(s) for the autodevhub plugin: colour"),
    ({"custom_templates": "missing-folder"}, "custom_templates folder"),
    ({"section_models": {"blog": "m"}}, "mapping from a section"),
])
def test_bad_values_name_the_option_and_the_fix(tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_options(options, base_dir=tmp_path)
    assert message in str(info.value)
    assert "\n--> " in str(info.value)


def test_mkdocs_yml_with_python_tags_is_read_safely(tmp_path: Path) -> None:
    config = write_mkdocs_yml(tmp_path, {"llm": "offline", "sections": ["adr"]})
    settings = from_mkdocs_yml(config)
    assert settings.llm == "offline" and settings.sections == ("adr",)
    assert settings.docs_dir == (tmp_path / "docs").resolve()


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "mkdocs.yml"
    bad.write_text("site_name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        from_mkdocs_yml(bad)


@pytest.mark.parametrize(("options", "expected"), [
    ({"concurrency": "four"}, "concurrency"),
    ({"llm": "gpt"}, "llm"),
    ({"sections": "architecture, blog"}, "sections"),
])
def test_mkdocs_build_reports_bad_options_without_traceback(sample_repo: Repo, options: dict, expected: str) -> None:
    config = write_mkdocs_yml(sample_repo.root, options)
    result = mkdocs_build(config)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_mkdocs_build_reports_domain_errors_with_fix(tmp_path: Path) -> None:
    site = tmp_path / "site-only"
    config = write_mkdocs_yml(site, {"repo_path": "not-a-repo"})
    (site / "not-a-repo").mkdir()
    result = mkdocs_build(config)
    assert result.returncode != 0
    assert "is not a git repository" in result.stderr and "--> " in result.stderr
    assert "Traceback" not in result.stderr


def test_options_are_defined_once_as_settings_fields(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    from autodevhub_docs.config import PluginConfig, to_settings
    from autodevhub_docs.settings import DEFAULT_CACHE_DIR, OPTION_NAMES, Settings

    # mkdocs keeps no defaults of its own: an option not written stays None, and Settings' field default applies
    plugin = PluginConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    plugin.load_dict({"llm": "offline"})
    assert plugin.validate() == ([], [])
    assert {name for name in OPTION_NAMES if plugin[name] is not None} == {"llm"}
    site = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    site.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs")})
    settings = to_settings(plugin, site)
    assert settings == Settings(repo_path=tmp_path.resolve(), cache_dir=(tmp_path / DEFAULT_CACHE_DIR).resolve(),
                                llm="offline", docs_dir=tmp_path / "docs")

    # and mkdocs reports a bad value with the same check (and message) as the CLI
    plugin = PluginConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    plugin.load_dict({"concurrency": 0, "sections": ["blog"]})
    errors, _ = plugin.validate()
    assert [(key, str(error)) for key, error in errors][:1] == [
        ("concurrency", "Option 'concurrency' of the autodevhub plugin expects a whole number of at least 1, but got 0.")]
