# Clean record titles: no emoji, no trailing `(#123)`, no Markdown or commit-convention markup, first letter capital.
# Titles built from the catalog are already clean ("Replace requests with HTTPX"); titles taken from a labelled pull
# request or issue are untrusted text and are normalised here, so the same decision is always spelled one way.
from __future__ import annotations

import re
import unicodedata

_TRAILING_REF = re.compile(r"\s*\((?:#\d+(?:,\s*)?)+\)\s*$|\s+#\d+\s*$")
_CONVENTIONAL = re.compile(r"^\s*(?:\[[^\]]{1,30}\]\s*|(?:feat|fix|chore|docs|refactor|build|ci|perf|style|test|adr|"
                           r"decision)(?:\([^)]{0,40}\))?!?\s*:\s*)+", re.I)
_MARKUP = re.compile(r"`+|(?<!\w)[*_~]+|[*_~]+(?!\w)")
_EMOJI_CODE = re.compile(r":[a-z0-9_+-]{1,30}:")


def _without_symbols(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cs", "Co", "Cn")
                   and ch not in "\u200d\ufe0f\ufe0e")


def clean_title(title: str) -> str:
    """A title fit for a record: `✨ feat(api): Use **GraphQL** (#2407)` -> `Use GraphQL`."""
    text = _without_symbols(title)
    text = _EMOJI_CODE.sub("", text)
    text = _CONVENTIONAL.sub("", text)
    text = _TRAILING_REF.sub("", text)
    text = _MARKUP.sub("", text)
    text = " ".join(text.split()).strip(" .-:")
    return text[:1].upper() + text[1:] if text else title.strip()
