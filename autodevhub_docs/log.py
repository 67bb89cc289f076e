# Loggers live under `mkdocs.plugins.autodevhub_docs` so that `mkdocs build --strict` counts our warnings,
# without this module importing mkdocs (the CLI and the pipeline stay engine-neutral).
from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from autodevhub_docs import redact

ROOT = "mkdocs.plugins.autodevhub_docs"


class _Prefixed(logging.LoggerAdapter):  # type: ignore[type-arg,unused-ignore]
    """Prefixes every message with the plugin name, as mkdocs' own plugin loggers do."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return f"autodevhub: {msg}", kwargs


def get_logger(name: str) -> logging.LoggerAdapter:  # type: ignore[type-arg,unused-ignore]
    """Return the logger for one module of the package.

    Args:
        name: The module's `__name__`, e.g. `autodevhub_docs.sources.git`.

    Returns:
        A logger named `mkdocs.plugins.autodevhub_docs.<module>` that prefixes its messages.
    """
    short = name.removeprefix("autodevhub_docs").lstrip(".")
    logger = logging.getLogger(f"{ROOT}.{short}" if short else ROOT)
    # A logger's filters only see records created on that logger, so every module logger gets its own.
    redact.install(logger)
    return _Prefixed(logger, {})


redact.install(logging.getLogger(ROOT))
