# The one secret redactor. Every string that reaches a page, llms.txt, the feed, the search index, report.json, a
# prompt, a log line or an error message passes `redact`, because repository files, commit messages and library
# exceptions (which quote requests with their headers) all carry tokens by mistake. Four nets:
#   1. the current values of every secret environment variable;
#   2. known token shapes (`credential_shapes`): the regex detectors of detect-secrets (AWS, GitHub, GitLab, Slack,
#      Stripe, JWT, npm, PyPI, SendGrid, Twilio, ...), plus the few shapes it lacks (Anthropic, GitHub, Google, PEM);
#   3. values in assignment or flag position (`KEY=...`, `"key": "..."`, `-p ...`, `-u user:pass`,
#      `--password ...`, `Authorization: ...`): masked when the name says it is a credential, or the value has high
#      entropy (detect-secrets' Shannon entropy);
#   4. URL userinfo (`https://user:pass@host`) and credential query parameters (`?access_token=...`).
# SECURITY.md lists what is caught; tests/test_secrets.py and tests/test_hostile_repository.py prove it.
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import ModuleType
from typing import Any

MASK = "[REDACTED]"
"""What a secret is replaced with."""

SECRET_ENV_NAMES: set[str] = {
    "GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_APP_PRIVATE_KEY", "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
}
"""Variables whose values are always masked; `register_env_names` adds the configured ones."""

# A name that says it holds a credential: environment variables, assignment keys, query parameters.
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|PWD|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH", re.I)
# The shell's working folders: `PWD` matches the name rule above, but these two hold the folder a build was started
# from, never a credential. Counting them would mask that folder's path in pages and make the reuse fingerprint of
# `reuse.py` (which includes the secrets) change with every `cd`, so an unchanged build would run again.
_SHELL_FOLDERS = frozenset({"PWD", "OLDPWD"})
_MIN_SECRET = 8  # shorter environment values ("1", "true") are not secrets and would mask ordinary words
_MIN_NAMED = 6  # shortest value masked because its name says it is a credential (`password=hunter2` is 7)

# What every shape needs somewhere in the text: a run of 10 token characters (every key's value is one, 20-88
# long; a cloud key in an assignment is 24 long or more), else a mark of the few short or punctuated forms (a
# password in a URL's `user:pass@`, a short Slack token, a JWT's `eyJ`, a key block, an Azure `AccountKey=` or an AWS
# secret whose value holds `/`, a Slack webhook). Text with none of them (file paths, links, names, most table cells)
# cannot hold a shape, and is not scanned by the expression below, which costs about 0.4 us per character.
_SHAPE_RUN = re.compile(r"[A-Za-z0-9_\-]{10}")
_SHAPE_MARKS = ("eyJ", "PRIVATE KEY", "AccountKey")
_SHAPE_MARKS_ANY_CASE = ("xox", "aws", "hooks.slack.com")
# Longer texts go straight to each shape's own scan: for them the one combined expression costs more than all the
# shapes one after another (1.33 s against 0.98 s on a 686 KB page of stories), and a text that long nearly always
# holds something it matches, so both would be paid.
_COMBINED_SCAN_LIMIT = 32_768
_PLACEHOLDER = re.compile(r"^(?:\$\{?[\w.]+\}?|\$\{\{.*|<[^>]*>|\{\{.*|%\(?\w*\)?s?|\*+|x+|\.+|-+|\[REDACTED\]|"
                          r"bearer|basic|digest|"
                          r"true|false|null|none|nil|undefined|string|str|int|integer|bool|boolean|required|"
                          r"optional|secret|password|token|changeme|example|your[-_\w]*|os\.environ.*|getenv.*)$", re.I)
_QUOTE = "[\"'`]?"
# NAME=VALUE, NAME: VALUE, "name": "value", NAME := VALUE (shell, Make, YAML, JSON, TOML, Python, env files).
# The value never starts with `/` (`https://...` is a URL, not an assignment) and stops at `=` (the next assignment).
_ASSIGNMENT = re.compile(rf"(?P<name>[A-Za-z_][\w.-]{{0,80}}){_QUOTE}[ \t]{{0,3}}(?::=|=>|\?=|=|:(?!//))[ \t]{{0,3}}"
                         rf"{_QUOTE}(?P<value>[^\s\"'`,;&|<>()\[\]{{}}=/][^\s\"'`,;&|<>()\[\]{{}}=]{{3,}})")
# Flags that take a credential: --password VALUE, --token=VALUE, ...
_SECRET_FLAG = re.compile(r"(?<![\w-])--(?:[\w-]*-)?(?:password|passwd|pass|pwd|token|api-?key|secret|"
                          r"client-secret|auth|auth-token|access-token|private-key)(?:\s+|=)"
                          rf"{_QUOTE}(?P<value>[^\s\"'`]+)", re.I)
# -u user:pass, --user user:pass, --user=user:pass (curl, wget, httpie, docker login -u).
_USER_PASS = re.compile(rf"(?<![\w-])(?:-u|--user|--basic|--auth)(?:\s+|=){_QUOTE}[^\s:\"'`]+:(?P<value>[^\s\"'`@]+)")
# -p VALUE, and -pVALUE for the mysql family.
_P_FLAG = re.compile(rf"(?<![\w-])-p(?:\s+{_QUOTE}(?P<spaced>[^\s\"'`]+)|(?P<attached>[^\s\"'`-][^\s\"'`]*))")
_PASSWORD_P_COMMANDS = re.compile(r"\b(?:sshpass|mysql\w*|mariadb\w*)\b")  # where `-p` means the password
_HEADER_NAMES = ("authorization", "proxy-authorization", "x-api-key", "x-auth-token", "private-token")
_HEADER = re.compile(rf"(?:{'|'.join(map(re.escape, _HEADER_NAMES))})\s*:\s*"
                     r"(?:(?:bearer|token|basic|digest)\s+)?(?P<value>[^\s'\",]{8,})", re.I)
_FLAG_DASH = re.compile(r"(?<![\w-])-")
_PLAIN_COLON = re.compile(r":(?!//)")
_URL_USERINFO = re.compile(r"(?<=://)(?P<value>[^/@\s:\"'<>]+:[^/@\s\"'<>]+)(?=@)")
_URL_TOKEN_USER = re.compile(r"(?<=://)(?P<value>[^/@\s:\"'<>]{20,})(?=@)")  # https://<token>@host
_QUERY = re.compile(r"[?&;](?P<name>[\w.-]{1,40})=(?P<value>[^&#\s\"'<>]+)")
_QUERY_NAMES = re.compile(r"^(?:key|sig|signature|code|auth|jwt|session|sid)$", re.I)


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
        if name in SECRET_ENV_NAMES or name in extra or (_secret_name(name) and name not in _SHELL_FOLDERS):
            for candidate in _forms(value):
                if len(candidate) >= _MIN_SECRET:
                    values.add(candidate)
    found = sorted(values, key=len, reverse=True)
    _last_scan[:] = [key, found]
    return list(found)


_last_scan: list[Any] = []
"""The last scan's key and result (see `secret_values`)."""


@lru_cache(maxsize=4096)
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


def prepare() -> None:
    """Import the credential shapes now, rather than on the first text that needs them.

    A cold build calls it once its Python pass runs on the other core: the import then costs it half as much as at
    the end, where the first page is redacted and nothing else runs.
    """
    _known_shapes()


@lru_cache(maxsize=1)
def _known_shapes() -> ModuleType:
    """The credential shapes (`credential_shapes`), imported when a text first needs them.

    detect-secrets brings in `requests` (0.25 s), which a process that never redacts a text with a shape in it (the
    Python pass's child) need not pay for.
    """
    from autodevhub_docs import credential_shapes

    return credential_shapes


def high_entropy(value: str) -> bool:
    """Tell whether a value looks random enough to be a key (detect-secrets' Shannon entropy, on its charsets).

    Long hex strings (keys, not 40-character commit ids) count above 3.0 bits per character; other strings need a
    digit or mixed case and more than 4.0 bits (a 16-character word of distinct letters has 4.0 at most).
    """
    if len(value) < 16:
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", value):
        hex_entropy = _known_shapes().HEX.calculate_shannon_entropy
        return len(value) >= 32 and len(value) not in (40, 64) and hex_entropy(value) > 3.0
    mixed = any(c.isdigit() for c in value) or (any(c.isupper() for c in value) and any(c.islower() for c in value))
    return mixed and _known_shapes().BASE64.calculate_shannon_entropy(value) > 4.0


def _worth_masking(value: str, named: bool) -> bool:
    value = value.strip("\"'`")
    if _PLACEHOLDER.match(value) or MASK in value:
        return False
    return (named and len(value) >= _MIN_NAMED) or high_entropy(value)


def _mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span with MASK (overlapping spans are merged)."""
    out, last = [], 0
    for begin, end in sorted(spans):
        if begin < last:  # overlaps the span just masked: widen it
            last = max(last, end)
            continue
        out += [text[last:begin], MASK]
        last = end
    out.append(text[last:])
    return "".join(out)


def may_hold_shape(text: str) -> bool:
    """Whether a text holds what some credential shape needs (False: no shape can match in it)."""
    if _SHAPE_RUN.search(text) or any(mark in text for mark in _SHAPE_MARKS) or ("://" in text and "@" in text):
        return True
    lowered = text.lower()
    return any(mark in lowered for mark in _SHAPE_MARKS_ANY_CASE)


def _shape_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if not may_hold_shape(text):
        return spans
    shapes = _known_shapes()
    if len(text) <= _COMBINED_SCAN_LIMIT and not shapes.ANY_SHAPE.search(text):
        return spans
    for pattern, capturing in shapes.SHAPES:
        for match in pattern.finditer(text):
            groups = [match.span(i) for i in range(1, pattern.groups + 1) if match.group(i)] if capturing else []
            if groups:
                spans += groups
            else:  # the whole match, without the delimiters some detectors include
                start, end = match.span()
                while start < end and text[start] in " \t\n\"'=:":
                    start += 1
                while end > start and text[end - 1] in " \t\n\"'":
                    end -= 1
                spans.append((start, end))
    return spans


def may_hold_position(text: str) -> bool:
    """Whether a text holds what a credential in a position needs (False: none can be in it).

    An assignment needs `=` or a colon that does not start `://`; a flag, a dash after no word character; a URL's
    user part, `@`; a query, `=`; a header, its name. A link or a file path has none of them.
    """
    if "=" in text or "@" in text or _FLAG_DASH.search(text) or _PLAIN_COLON.search(text):
        return True
    lowered = text.lower()
    return any(name in lowered for name in _HEADER_NAMES)


def _position_spans(text: str) -> list[tuple[int, int]]:
    """Values in assignment, flag, header and URL positions that are credentials."""
    spans: list[tuple[int, int]] = []
    if not may_hold_position(text):
        return spans
    for match in _ASSIGNMENT.finditer(text):
        if _worth_masking(match["value"], _secret_name(match["name"])):
            spans.append(match.span("value"))
    for pattern in (_SECRET_FLAG, _USER_PASS, _HEADER, _URL_USERINFO):
        spans += [m.span("value") for m in pattern.finditer(text) if _worth_masking(m["value"], named=True)]
    spans += [m.span("value") for m in _URL_TOKEN_USER.finditer(text) if high_entropy(m["value"])]
    for match in _QUERY.finditer(text):
        named = _secret_name(match["name"]) or bool(_QUERY_NAMES.match(match["name"]))
        if _worth_masking(match["value"], named):
            spans.append(match.span("value"))
    if "-p" in text:
        password_command = bool(_PASSWORD_P_COMMANDS.search(text))
        for match in _P_FLAG.finditer(text):
            group = "spaced" if match["spaced"] else "attached"
            if (match["attached"] and not password_command) or not match[group]:
                continue
            if _worth_masking(match[group], named=password_command):
                spans.append(match.span(group))
    return spans


def redact(text: object, secrets: Iterable[str] | None = None) -> str:
    """Mask every secret value, known credential shape and credential in assignment, flag or URL position.

    Args:
        text: Any text.
        secrets: The secret values to mask, longest first; by default `secret_values()` of the environment now.
    """
    value = "" if text is None else str(text)
    for secret in secret_values() if secrets is None else secrets:
        if secret in value:
            value = value.replace(secret, MASK)
    spans = _shape_spans(value)
    if spans:
        value = _mask_spans(value, spans)
    spans = _position_spans(value)
    return _mask_spans(value, spans) if spans else value


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


class Redactor:
    """`redact` with the environment read once (for a whole prompt or build rather than per text).

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
