# Engine-neutral settings. `config.py` (mkdocs) and `cli.py` (click) both end up here, so the pipeline
# never sees an mkdocs Config or a click context.
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from autodevhub_docs.errors import ConfigError

DEFAULT_MODEL = "claude-sonnet-5-5"
"""Newest Sonnet in the installed SDK's model list; the price table in `llm/pricing.py` is keyed by it."""

SECTIONS = ("architecture", "adr", "stories", "development", "changes")
"""Every section the pipeline can generate, in navigation order."""

LLM_MODES = ("auto", "anthropic", "offline")
"""Values of the `llm` option."""

ADR_DIR_CANDIDATES = ("docs/adr", "docs/decisions", "doc/adr")
"""Folders searched for hand-written ADRs when `adr_dir` is not set."""


DEFAULT_CACHE_DIR = ".cache/autodevhub"
"""Where the SQLite cache, the GitHub snapshot and report.json go, relative to mkdocs.yml."""


def _bad(name: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(
        f"Option '{name}' of the autodevhub plugin expects {expected}, but got {value!r}.",
        f"Fix '{name}' under 'plugins: - autodevhub:' in mkdocs.yml (see the configuration page of the docs).",
    )


def _as_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(name, "true or false", value)
    return value


def _as_str(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(name, "a non-empty string", value)
    return value.strip()


def _as_path(name: str, value: Any) -> str:
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise _bad(name, "a path", value)
    return str(value)


def _as_list(name: str, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise _bad(name, "a list of strings", value)
    return tuple(items)


def _as_sections(name: str, value: Any) -> tuple[str, ...]:
    items = _as_list(name, value)
    if any(v not in SECTIONS for v in items):
        raise _bad(name, f"a subset of {', '.join(SECTIONS)}", value)
    return items


def _as_count(name: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad(name, f"a whole number of at least {minimum}", value)
    return value


def _as_positive_count(name: str, value: Any) -> int:
    return _as_count(name, value, minimum=1)


def _as_dollars(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise _bad(name, "a number of dollars, such as 0.50", value)
    return float(value)


def _as_seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise _bad(name, "a number of seconds, such as 60", value)
    return float(value)


def _as_llm(name: str, value: Any) -> str:
    if value not in LLM_MODES:
        raise _bad(name, f"one of {', '.join(LLM_MODES)}", value)
    return str(value)


def _as_repo(name: str, value: Any) -> str:
    text = _as_str(name, value)
    if text.count("/") != 1 or text.startswith("/") or text.endswith("/"):
        raise _bad(name, "'owner/name'", value)
    return text


def _as_models(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(k in SECTIONS and isinstance(v, str) for k, v in value.items()):
        raise _bad(name, f"a mapping from a section ({', '.join(SECTIONS)}) to a model name", value)
    return dict(value)


@dataclass(frozen=True)
class Option:
    """How one `mkdocs.yml` option is read: the metadata of its `Settings` field."""

    check: Callable[[str, Any], Any]
    """Validates a value as written in mkdocs.yml and returns it converted; raises `ConfigError`."""
    path: bool = False
    """A path option: resolved against mkdocs.yml's folder."""
    must_be_dir: bool = False
    """A path option naming a folder that must exist."""
    relative_default: str | None = None
    """Default of a path option as written in mkdocs.yml (resolved against its folder, unlike the field default)."""
    env: str | None = None
    """Variable whose value is the default when the option is not written."""


def _option(check: Callable[[str, Any], Any], default: Any = MISSING, *, factory: Callable[[], Any] | None = None,
            path: bool = False, must_be_dir: bool = False, relative_default: str | None = None,
            env: str | None = None) -> Any:
    """A `Settings` field that users can write in mkdocs.yml; its default is the one default of the option."""
    metadata = {"option": Option(check, path or must_be_dir, must_be_dir, relative_default, env)}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Validated options of one build, with every path resolved.

    Every field made with `_option` is a plugin option: this class is the one definition of the options, their
    defaults and checks. `config.py` builds the mkdocs schema from it and `from_options` validates with it.
    """

    enabled: bool = _option(_as_bool, True)
    """Generate nothing when False."""
    repo_path: Path = _option(_as_path, factory=Path.cwd, path=True, relative_default=".")  # noqa: RUF009
    """The git checkout to document (absolute)."""
    github_repo: str | None = _option(_as_repo, None, env="GITHUB_REPOSITORY")
    """`owner/name`; None means: from `$GITHUB_REPOSITORY`, else the origin remote, else no GitHub."""
    github_api_url: str = _option(_as_str, "https://api.github.com", env="GITHUB_API_URL")
    """REST root of GitHub or GitHub Enterprise."""
    github_token_env: str = _option(_as_str, "GITHUB_TOKEN")
    """Name of the variable that holds the GitHub token."""
    github_max_wait_s: float = _option(_as_seconds, 60.0)
    """Longest total wait for GitHub rate limits in one sync; past it the build uses the snapshot."""
    issues_file: Path | None = _option(_as_path, None, path=True)  # noqa: RUF009 - _option returns a field()
    """Offline export from `gh issue list --json ...` / `gh pr list --json ...`."""
    llm: str = _option(_as_llm, "auto")
    """auto, anthropic or offline."""
    model: str = _option(_as_str, DEFAULT_MODEL)
    """Claude model for every section without an override."""
    section_models: Mapping[str, str] = _option(_as_models, factory=dict)
    """Per-section model overrides, e.g. `{adr: claude-opus-5-5}`."""
    api_key_env: str = _option(_as_str, "ANTHROPIC_API_KEY")
    """Name of the variable that holds the Anthropic key."""
    concurrency: int = _option(_as_positive_count, 4)
    """LLM calls in flight."""
    max_llm_calls: int | None = _option(_as_count, None)
    """Per-build call budget (None: unlimited)."""
    max_cost_usd: float | None = _option(_as_dollars, None)
    """Per-build cost budget in US dollars (None: unlimited)."""
    cache_dir: Path = _option(  # noqa: RUF009 - _option returns a field()
        _as_path, factory=lambda: Path(DEFAULT_CACHE_DIR).resolve(), path=True, relative_default=DEFAULT_CACHE_DIR)
    """SQLite cache, GitHub snapshot and report.json (absolute)."""
    sections: tuple[str, ...] = _option(_as_sections, SECTIONS)
    """Sections to generate."""
    adr_dir: str | None = _option(_as_str, None)
    """Hand-written ADR folder relative to the repository; None: the first of `ADR_DIR_CANDIDATES` that exists."""
    exclude: tuple[str, ...] = _option(_as_list, ())
    """Globs of paths left out of analysis."""
    include: tuple[str, ...] = _option(_as_list, ())
    """Globs of paths to keep although they sit in a test, fixture, example, sample, vendored or generated folder
    (left out of endpoints, entities, components and technologies by default)."""
    exclude_labels: tuple[str, ...] = _option(_as_list, ("security", "confidential"))
    """Issues with any of these labels never reach a page or a prompt."""
    allow_private: bool = _option(_as_bool, False)
    """Publish issue-derived pages for a private repository."""
    llm_batch: bool = _option(_as_bool, False)
    """Send large regenerations through the Message Batches API."""
    custom_templates: Path | None = _option(_as_path, None, must_be_dir=True)  # noqa: RUF009 - returns a field()
    """Folder whose `*.md.jinja` files override the built-in templates."""
    mermaid_js: str | None = _option(_as_str, None)
    """URL or docs-relative path of a self-hosted mermaid build."""
    docs_dir: Path | None = None
    """The site's docs folder, when building a site (hand-written ADRs already inside it are not copied)."""
    serve: bool = False
    """True under `mkdocs serve`: never call Claude, use the cache or the offline writer."""

    def resolved_adr_dir(self) -> str | None:
        """Return the hand-written ADR folder relative to the repository, or None when there is none."""
        if self.adr_dir is not None:
            return self.adr_dir.strip("/") or None
        for candidate in ADR_DIR_CANDIDATES:
            if (self.repo_path / candidate).is_dir():
                return candidate
        return None

    def model_for(self, section: str) -> str:
        """Return the model to use for one section."""
        return self.section_models.get(section, self.model)

    def with_changes(self, **changes: Any) -> Settings:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)


OPTIONS: Mapping[str, Option] = {f.name: f.metadata["option"] for f in fields(Settings) if "option" in f.metadata}
"""Every option the plugin accepts in `mkdocs.yml`, in the order of `Settings`."""
OPTION_NAMES = frozenset(OPTIONS)
"""The names of `OPTIONS`."""


def check_option(name: str, value: Any) -> Any:
    """Validate one option as written in mkdocs.yml (paths are not resolved yet).

    Raises:
        ConfigError: The value has the wrong type or is not one of the allowed values.
    """
    return OPTIONS[name].check(name, value)


def _resolve(name: str, option: Option, value: Any, base_dir: Path) -> Any:
    if not option.path:
        return value
    path = (base_dir / value).resolve()
    if option.must_be_dir and not path.is_dir():
        raise ConfigError(f"The {name} folder '{path}' does not exist.",
                          f"Create it, or remove '{name}' from mkdocs.yml.")
    return path


def from_options(options: Mapping[str, Any], *, base_dir: Path, docs_dir: Path | None = None) -> Settings:
    """Validate raw plugin options and build `Settings`.

    Args:
        options: Options as written under the plugin in `mkdocs.yml` (already checked by mkdocs, or raw).
        base_dir: Folder of `mkdocs.yml`; relative paths are resolved against it.
        docs_dir: The site's docs folder, if any.

    Returns:
        The settings of one build.

    Raises:
        ConfigError: An option is unknown or has a bad value.
    """
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise ConfigError(
            f"Unknown option(s) for the autodevhub plugin: {', '.join(unknown)}.",
            f"Remove them or check the spelling; valid options are: {', '.join(sorted(OPTION_NAMES))}.",
        )
    values: dict[str, Any] = {}
    for name, option in OPTIONS.items():
        value = options.get(name)
        if value is not None:
            values[name] = _resolve(name, option, option.check(name, value), base_dir)
        elif option.env and os.environ.get(option.env):
            values[name] = os.environ[option.env]
        elif option.relative_default is not None:
            values[name] = _resolve(name, option, option.relative_default, base_dir)
    return Settings(**values, docs_dir=docs_dir)


class _TolerantLoader(yaml.SafeLoader):
    """Safe loader that reads mkdocs.yml's `!ENV` and `!!python/name:` tags as plain values instead of failing."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """Read an `mkdocs.yml` without executing any of its tags.

    Args:
        path: The file to read.

    Returns:
        The parsed mapping.

    Raises:
        ConfigError: The file is missing or is not valid YAML.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506 - safe subclass
    except FileNotFoundError:
        raise ConfigError(
            f"No mkdocs.yml at '{path}'.", "Run 'autodevhub-docs init' to create one, or pass --config-file."
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"'{path}' is not valid YAML: {error}",
                          "Fix the YAML syntax at the position shown.") from None
    return data if isinstance(data, dict) else {}


def plugin_options(mkdocs_config: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the autodevhub plugin's options from a parsed `mkdocs.yml`, or None when the plugin is not listed."""
    for entry in mkdocs_config.get("plugins") or []:
        if entry == "autodevhub":
            return {}
        if isinstance(entry, Mapping) and "autodevhub" in entry:
            return dict(entry["autodevhub"] or {})
    return None


def from_mkdocs_yml(path: Path) -> Settings:
    """Build settings from the plugin's entry in an `mkdocs.yml` (all defaults when it is not listed)."""
    data = read_mkdocs_yml(path)
    base = path.parent.resolve()
    docs_dir = base / str(data.get("docs_dir") or "docs")
    return from_options(plugin_options(data) or {}, base_dir=base, docs_dir=docs_dir)
