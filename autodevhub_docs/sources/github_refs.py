# `closes #N` references in pull request text, shared by the API path (github.py) and the offline export.
from __future__ import annotations

import re

CLOSES = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+"
    r"(?:(?P<repo>[\w.-]+/[\w.-]+)#|https?://[^\s/]+/(?P<url_repo>[\w.-]+/[\w.-]+)/issues/|#)(?P<number>\d+)",
    re.IGNORECASE,
)
"""GitHub's closing keywords followed by `#N`, `owner/name#N` or an issue URL."""


def closing_references(text: str, repo: str) -> tuple[int, ...]:
    """Issue numbers a PR text closes (`closes #12`, `fixes o/r#3`, `resolves https://.../o/r/issues/4`).

    Args:
        text: PR title and body.
        repo: `owner/name`; references to other repositories are ignored.
    """
    found: set[int] = set()
    for match in CLOSES.finditer(text or ""):
        other = match.group("repo") or match.group("url_repo")
        if other is None or other.casefold() == repo.casefold():
            found.add(int(match.group("number")))
    return tuple(sorted(found))
