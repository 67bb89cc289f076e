# Provenance: a model answer may cite only references that exist. `drop_unknown_refs` walks an answer and removes
# every issue/PR number, commit SHA or repository path that is not in the request's `known_refs`.
#
# How generators should use it (the Anthropic client already applies it to every answer it returns):
# - Put references in list fields named like `sources` / `refs` / `references` / `files` / `paths` / `issues` /
#   `commits`, or in string fields named `source` / `ref` / `file` / `path` / `issue` / `commit`. Those values are
#   checked whole: an unknown one is removed from its list (or blanked).
# - In prose fields, inline `#123`, hex SHAs (7-40 characters) and paths written with a '/' and a file extension
#   (`src/app.py`) or a trailing '/' (`docs/`) are checked; unknown ones are cut out of the sentence.
# - `known_refs` holds `#12` (or `12`) for issues and PRs, full or abbreviated SHAs, and repository paths.
#   A folder is known when a known path lies inside it; a SHA is known when it is a prefix of a known SHA.
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

REF_LIST_KEYS = frozenset({"sources", "refs", "references", "files", "paths", "issues", "commits", "evidence_refs"})
"""List fields whose items are references, checked whole."""
REF_FIELD_KEYS = frozenset({"source", "ref", "file", "path", "issue", "commit"})
"""String fields whose value is a reference, checked whole."""

_ISSUE = re.compile(r"(?<![\w&/#])#(\d{1,7})\b")
_SHA = re.compile(r"(?<![\w/.-])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}(?![\w/.-])")
_PATH = re.compile(r"(?<![\w/.:@-])\.?(?:[\w.-]+/)+(?:[\w-][\w.-]*\.[A-Za-z0-9]{1,10}|)"
                   r"(?=$|[\s,;:)\]'\"`!?]|\.(?:\s|$))")
_WHOLE_SHA = re.compile(r"[0-9a-f]{7,40}")
_WHOLE_ISSUE = re.compile(r"#?\d{1,7}")


class KnownRefs:
    """Answers "does this reference exist?" for one request.

    Args:
        refs: The request's `known_refs`.
    """

    def __init__(self, refs: Iterable[str]) -> None:
        self.issues = {r.lstrip("#") for r in refs if _WHOLE_ISSUE.fullmatch(r)}
        self.shas = [r.lower() for r in refs if _WHOLE_SHA.fullmatch(r.lower())]
        self.paths = {r.strip("/") for r in refs if r and not _WHOLE_ISSUE.fullmatch(r)}
        self.folders = {p.rsplit("/", i)[0] for p in self.paths for i in range(1, p.count("/") + 1)}

    def issue(self, number: str) -> bool:
        """True when `#number` exists."""
        return number.lstrip("#") in self.issues

    def sha(self, sha: str) -> bool:
        """True when the SHA (7 or more hex digits) abbreviates a known commit."""
        sha = sha.lower()
        return any(known.startswith(sha) or sha.startswith(known) for known in self.shas)

    def path(self, path: str) -> bool:
        """True when the path is a known file or a folder holding one."""
        clean = path.strip().strip("`").removeprefix("./").strip("/")
        return clean in self.paths or clean in self.folders

    def whole(self, value: str) -> bool:
        """True when a whole-value reference (a list item of a `sources` field...) exists."""
        text = value.strip().strip("`")
        if _WHOLE_ISSUE.fullmatch(text):
            return self.issue(text)
        if _WHOLE_SHA.fullmatch(text.lower()) and not self.path(text):
            return self.sha(text)
        return self.path(text)


def _clean_prose(text: str, known: KnownRefs) -> tuple[str, int]:
    dropped = 0

    def drop(match: re.Match[str], ok: bool) -> str:
        nonlocal dropped
        if ok:
            return match.group(0)
        dropped += 1
        return ""

    text = _ISSUE.sub(lambda m: drop(m, known.issue(m.group(1))), text)
    text = _SHA.sub(lambda m: drop(m, known.sha(m.group(0))), text)
    text = _PATH.sub(lambda m: drop(m, known.path(m.group(0))), text)
    if dropped:
        text = re.sub(r"`\s*`|\(\s*[,;]?\s*\)|\[\s*\]", "", text)
        text = re.sub(r"\s+(?:and|or)\s*(?=[,.;:)]|$)", "", text)
        text = re.sub(r"\s+([,.;:)])", r"\1", text)
        text = re.sub(r"\.{2,}$", ".", text)
        text = re.sub(r"([,;])(\s*[,;])+", r"\1", text)
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return text, dropped


def drop_unknown_refs(answer: Any, known_refs: Iterable[str]) -> tuple[Any, int]:
    """Remove references that do not exist from a model answer.

    Args:
        answer: The validated JSON answer.
        known_refs: References that exist (the request's `known_refs`).

    Returns:
        The cleaned answer (a new object; the input is not changed) and how many references were dropped.
    """
    known = known_refs if isinstance(known_refs, KnownRefs) else KnownRefs(known_refs)
    return _walk(answer, known, None)


def _walk(value: Any, known: KnownRefs, key: str | None) -> tuple[Any, int]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        total = 0
        for k, v in value.items():
            out[k], n = _walk(v, known, str(k))
            total += n
        return out, total
    if isinstance(value, list):
        if key in REF_LIST_KEYS:
            kept = [v for v in value if not isinstance(v, str) or known.whole(v)]
            items = [_walk(v, known, None) for v in kept]
            return [i for i, _ in items], len(value) - len(kept) + sum(n for _, n in items)
        items = [_walk(v, known, None) for v in value]
        return [i for i, _ in items], sum(n for _, n in items)
    if isinstance(value, str):
        if key in REF_FIELD_KEYS and value.strip():
            return (value, 0) if known.whole(value) else ("", 1)
        return _clean_prose(value, known)
    return value, 0
