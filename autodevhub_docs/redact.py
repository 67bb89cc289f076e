# Secret redaction. Tokens and keys must never reach a page, report.json, a log line or an error message, even
# when a library puts a request (with its headers) into an exception, or a token was committed to the repository.
# Two nets: the current values of every secret environment variable, and the shapes of well-known credentials.
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

MASK = "[REDACTED]"
"""What a secret is replaced with."""

SECRET_ENV_NAMES: set[str] = {
    "GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_APP_PRIVATE_KEY", "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
}
"""Variables whose values are always masked; `register_env_names` adds the configured ones."""

# Any variable whose name looks like it holds a credential is masked too (e.g. a custom `github_token_env`).
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL", re.I)
_MIN_SECRET = 8  # shorter values ("1", "true") are not secrets and would mask ordinary words

_PATTERNS = (
    re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub classic, OAuth, user, server, refresh tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),  # GitHub fine-grained tokens
    re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{10,}"),  # Anthropic keys
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),  # AWS access key ids
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),  # Slack tokens
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}"),  # GitLab personal access tokens
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),  # Google API keys
    re.compile(r"\bsk-[A-Za-z0-9]{32,}"),  # OpenAI-style keys
    re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"),  # JWTs
    re.compile(r"(?<=authorization: )(?:bearer |token |basic )?[^\s'\",]{8,}", re.I),  # headers in dumped requests
    re.compile(r"(?<=x-api-key: )[^\s'\",]{8,}", re.I),
    re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+(?=@)"),  # user:password@ in URLs
)
# All shapes in one expression, so text without any credential (nearly all text) is scanned once.
_ANY_PATTERN = re.compile("|".join(f"(?{'i' if p.flags & re.I else ''}:{p.pattern})" for p in _PATTERNS), re.S)


def register_env_names(*names: str | None) -> None:
    """Add the names of variables that hold secrets (the configured `github_token_env`, `api_key_env`)."""
    SECRET_ENV_NAMES.update(name for name in names if name)


def secret_values(environ: Mapping[str, str] | None = None, names: Iterable[str] = ()) -> list[str]:
    """Return the current secret values, longest first (so a value containing another is masked whole).

    Args:
        environ: Environment to read (defaults to `os.environ`).
        names: More variables to treat as secret, besides `SECRET_ENV_NAMES` and credential-like names.
    """
    env = os.environ if environ is None else environ
    extra = tuple(sorted(set(names)))
    # Redaction asks for these on every call (thousands per build): scan the environment again only when it, the
    # secret names or `names` changed. The key is the environment's own raw mapping, compared in C.
    raw = getattr(env, "_data", None) if environ is None else None
    key = (tuple(raw.items()) if isinstance(raw, dict) else tuple(env.items()), frozenset(SECRET_ENV_NAMES), extra)
    if _last_scan and _last_scan[0] == key:
        return list(_last_scan[1])
    values: set[str] = set()
    for name, value in env.items():
        if name in SECRET_ENV_NAMES or name in extra or _secret_name(name):
            for candidate in _forms(value):
                if len(candidate) >= _MIN_SECRET:
                    values.add(candidate)
    found = sorted(values, key=len, reverse=True)
    _last_scan[:] = [key, found]
    return list(found)


_last_scan: list[Any] = []
"""The last scan's key and result (see `secret_values`)."""


@lru_cache(maxsize=1024)
def _secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def _forms(value: str) -> Iterable[str]:
    """The value as stored, stripped, and (for multi-line keys) each long line and its escaped-newline form."""
    stripped = value.strip()
    yield value
    yield stripped
    if "\n" in stripped:
        yield stripped.replace("\n", "\\n")
        yield from (line.strip() for line in stripped.splitlines() if len(line.strip()) >= 16)


def redact(text: object, secrets: Iterable[str] | None = None) -> str:
    """Mask every secret value and every well-known credential shape in a text.

    Args:
        text: Any text.
        secrets: The secret values to mask, longest first; by default `secret_values()` of the environment now.
    """
    value = "" if text is None else str(text)
    for secret in secret_values() if secrets is None else secrets:
        if secret in value:
            value = value.replace(secret, MASK)
    if _ANY_PATTERN.search(value):
        for pattern in _PATTERNS:
            value = pattern.sub(MASK, value)
    return value


def redact_data(data: Any, secrets: Iterable[str] | None = None) -> Any:
    """Redact every string inside JSON-like data (mappings, lists, tuples), keys included.

    Args:
        data: The data.
        secrets: As for `redact`; by default the environment is read once for the whole walk.
    """
    values = secret_values() if secrets is None else list(secrets)
    if isinstance(data, str):
        return redact(data, values)
    if isinstance(data, Mapping):
        return {redact(str(k), values): redact_data(v, values) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [redact_data(v, values) for v in data]
    return data


class RedactingFilter(logging.Filter):
    """Masks secrets in a log record's message, arguments and traceback before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install(logger: logging.Logger) -> None:
    """Add the redacting filter to a logger once."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
