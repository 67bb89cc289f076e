# The plugin's options as mkdocs typed config; `to_settings` converts them into engine-neutral Settings.
from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from autodevhub_docs import settings as settings_module
from autodevhub_docs.settings import LLM_MODES, SECTIONS, Settings


class PluginConfig(base.Config):
    """Options of the `autodevhub` plugin, written under `plugins:` in `mkdocs.yml`."""

    enabled = c.Type(bool, default=True)
    """Generate nothing when false."""
    repo_path = c.Type(str, default=".")
    """The git checkout to document, relative to mkdocs.yml."""
    github_repo = c.Optional(c.Type(str))
    """`owner/name`; defaults to $GITHUB_REPOSITORY, then the origin remote."""
    github_api_url = c.Optional(c.Type(str))
    """GitHub or GitHub Enterprise REST root; defaults to $GITHUB_API_URL, then https://api.github.com."""
    github_token_env = c.Type(str, default="GITHUB_TOKEN")
    """Name of the variable that holds the GitHub token."""
    github_max_wait_s = c.Type((int, float), default=60)
    """Longest total wait for GitHub rate limits in one sync; past it the build uses the snapshot."""
    issues_file = c.Optional(c.Type(str))
    """Offline export from `gh issue list --json ...`, relative to mkdocs.yml."""
    llm = c.Choice(LLM_MODES, default="auto")
    """auto (Claude when its key is set), anthropic, or offline."""
    model = c.Type(str, default=settings_module.DEFAULT_MODEL)
    """Claude model name."""
    section_models = c.Type(dict, default={})
    """Per-section model overrides, e.g. `{adr: claude-opus-5-5}`."""
    api_key_env = c.Type(str, default="ANTHROPIC_API_KEY")
    """Name of the variable that holds the Anthropic key."""
    concurrency = c.Type(int, default=4)
    """LLM calls in flight."""
    max_llm_calls = c.Optional(c.Type(int))
    """Per-build call budget."""
    max_cost_usd = c.Optional(c.Type((int, float)))
    """Per-build cost budget in dollars."""
    cache_dir = c.Type(str, default=".cache/autodevhub")
    """SQLite cache, GitHub snapshot and report.json, relative to mkdocs.yml."""
    sections = c.ListOfItems(c.Choice(SECTIONS), default=list(SECTIONS))
    """Subset of architecture, adr, stories, development, changes."""
    adr_dir = c.Optional(c.Type(str))
    """Hand-written ADR folder relative to the repository."""
    exclude = c.ListOfItems(c.Type(str), default=[])
    """Globs of paths to leave out of analysis."""
    exclude_labels = c.ListOfItems(c.Type(str), default=["security", "confidential"])
    """Issues with these labels never reach a page or a prompt."""
    allow_private = c.Type(bool, default=False)
    """Publish issue-derived pages for a private repository."""
    llm_batch = c.Type(bool, default=False)
    """Send large regenerations through the Message Batches API."""
    custom_templates = c.Optional(c.Type(str))
    """Folder whose `*.md.jinja` files override the built-in templates."""
    mermaid_js = c.Optional(c.Type(str))
    """URL or docs-relative path of a self-hosted mermaid build."""


def to_settings(plugin_config: PluginConfig, config: MkDocsConfig, *, serve: bool = False) -> Settings:
    """Convert validated plugin options into `Settings`, resolving paths against mkdocs.yml.

    Raises:
        ConfigError: A value passed mkdocs' type check but is still wrong (unknown section model, bad repo name...).
    """
    base_dir = Path(config.config_file_path or ".").resolve().parent
    options = {name: plugin_config[name] for name in plugin_config if name in settings_module.OPTION_NAMES}
    return settings_module.from_options(options, base_dir=base_dir, docs_dir=Path(config.docs_dir)).with_changes(
        serve=serve
    )
