# Secrets never reach a prompt. The prompt side of `autodevhub_docs.redact`: the same credential shapes and secret
# variables, plus the variables this build names, with the environment read once per build rather than per text.
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from autodevhub_docs.redact import MASK, redact, redact_data, secret_values

REDACTED = MASK
"""What a secret is replaced with."""


class Redactor:
    """Replaces secrets in prompt text.

    Args:
        secret_env_names: Variables whose values are always secret (e.g. `api_key_env`, `github_token_env`).
        environ: Environment to read (defaults to `os.environ`).
    """

    def __init__(self, secret_env_names: Iterable[str] = (), environ: Mapping[str, str] | None = None) -> None:
        self._values = secret_values(environ, secret_env_names)

    def text(self, text: str) -> str:
        """Return `text` with every secret replaced."""
        return redact(text, self._values)

    def data(self, value: Any) -> Any:
        """Return a copy of JSON-like data with every string (keys included) redacted."""
        return redact_data(value, self._values)
