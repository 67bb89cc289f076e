# The plugin's options as an mkdocs config schema, built from the one definition of the options: the `Settings`
# fields (settings.py). The engine-neutral core must not import mkdocs, so the typed definition lives there and
# this module derives the mkdocs side from it, not the other way round. `to_settings` converts validated
# options into Settings.
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig

from autodevhub_docs.errors import ConfigError
from autodevhub_docs.settings import OPTIONS, Settings, check_option, from_options


class SettingsOption(base.BaseConfigOption[Any]):
    """One plugin option, checked by its `Settings` field's validator.

    The default is None ("not written"): `from_options` then applies the field's own default, so no default is
    written twice. Values are kept as written; paths are resolved against mkdocs.yml in `to_settings`.

    Args:
        name: The option (a `Settings` field name).
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        """The option's name in mkdocs.yml."""

    def run_validation(self, value: object, /) -> Any:
        """Check a written value with the option's validator (mkdocs reports the error with the option's name)."""
        if value is None:
            return None
        try:
            check_option(self.name, value)
        except ConfigError as error:
            raise ValidationError(error.problem) from None
        return value


class PluginConfig(base.Config):
    """Options of the `autodevhub` plugin, written under `plugins:` in `mkdocs.yml` (see `Settings`)."""


# mkdocs reads a Config subclass's options from `_schema` (collected from class attributes when the class is
# made); the options come from Settings, so the schema is set from there instead of repeating each one here.
PluginConfig._schema = tuple((name, SettingsOption(name)) for name in OPTIONS)


def to_settings(plugin_config: PluginConfig, config: MkDocsConfig, *, serve: bool = False) -> Settings:
    """Convert validated plugin options into `Settings`, resolving paths against mkdocs.yml.

    Raises:
        ConfigError: A value passed the type check but is still wrong (e.g. a custom_templates folder that does
            not exist).
    """
    base_dir = Path(config.config_file_path or ".").resolve().parent
    options = {name: plugin_config[name] for name in OPTIONS if plugin_config.get(name) is not None}
    return from_options(options, base_dir=base_dir, docs_dir=Path(config.docs_dir)).with_changes(serve=serve)
