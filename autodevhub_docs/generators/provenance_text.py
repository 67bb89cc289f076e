# Defence in depth for model text: references to issues, PRs or commits that the facts do not contain are cut
# out before rendering (llm/provenance.py does the same generically; this keeps pages honest without it).
from __future__ import annotations

import re
from collections.abc import Collection

_ISSUE_REF = re.compile(r"(?:\b(?:PR|pull request|issue)\s+)?#(\d+)\b", re.I)
_SHA = re.compile(r"\b(?:commit\s+)?([0-9a-f]{7,40})\b")


def scrub(text: str, known: Collection[str]) -> tuple[str, int]:
    """Remove unknown `#N` and commit-sha references from model text.

    Args:
        text: Text written by the model (untrusted).
        known: References that exist (`#12`, full and short shas).

    Returns:
        The text without unknown references, and how many were removed.
    """
    dropped = 0
    shas = [k for k in known if not k.startswith("#")]

    def issue(match: re.Match[str]) -> str:
        nonlocal dropped
        if f"#{match.group(1)}" in known:
            return match.group(0)
        dropped += 1
        return ""

    def sha(match: re.Match[str]) -> str:
        nonlocal dropped
        token = match.group(1)
        if not re.search(r"[a-f]", token) or not re.search(r"\d", token):
            return match.group(0)  # a plain number or word, not a sha
        if any(k.startswith(token) or token.startswith(k) for k in shas):
            return match.group(0)
        dropped += 1
        return ""

    cleaned = _SHA.sub(sha, _ISSUE_REF.sub(issue, text))
    cleaned = re.sub(r"\(\s*[,;]?\s*\)", "", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    cleaned = re.sub(r"\s+([.,;:])", r"\1", cleaned)
    return cleaned.strip(), dropped
