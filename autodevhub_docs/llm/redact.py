# Secrets never reach a prompt: the values of the configured key/token variables, of any variable whose name says
# it is a secret, and anything shaped like a well-known token are replaced before a prompt is assembled.
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[REDACTED]"
"""What a secret is replaced with."""

_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.IGNORECASE)
_TOKEN_PATTERNS = re.compile(
    r"sk-ant-[A-Za-z0-9_\-]{8,}"                 # Anthropic keys
    r"|gh[pousr]_[A-Za-z0-9]{20,}"               # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{20,}"
    r"|glpat-[A-Za-z0-9_\-]{20,}"                # GitLab
    r"|xox[abposr]-[A-Za-z0-9\-]{10,}"           # Slack
    r"|AKIA[0-9A-Z]{16}"                         # AWS access key ids
    r"|AIza[0-9A-Za-z_\-]{35}"                   # Google API keys
    r"|sk-[A-Za-z0-9]{32,}"                      # OpenAI-style keys
    r"|eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"  # JWTs
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"
)
_MIN_SECRET_LENGTH = 6  # shorter values ("1", "true") would redact ordinary words


class Redactor:
    """Replaces secrets in prompt text.

    Args:
        secret_env_names: Variables whose values are always secret (e.g. `api_key_env`, `github_token_env`).
        environ: Environment to read (defaults to `os.environ`).
    """

    def __init__(self, secret_env_names: Iterable[str] = (), environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        names = set(secret_env_names) | {name for name in env if _SECRET_NAME.search(name)}
        values = {env.get(name, "").strip() for name in names}
        self._values = sorted((v for v in values if len(v) >= _MIN_SECRET_LENGTH), key=len, reverse=True)

    def text(self, text: str) -> str:
        """Return `text` with every secret replaced."""
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        return _TOKEN_PATTERNS.sub(REDACTED, text)

    def data(self, value: Any) -> Any:
        """Return a copy of JSON-like data with every string (keys included) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value
