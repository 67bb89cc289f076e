# Slugs for file names and anchors; shared by generators (page URIs) and rendering (anchors).
from __future__ import annotations

import re
import unicodedata


def anchor_slug(text: str) -> str:
    """Make a lowercase ASCII slug for file names and anchors (`Use Redis for caching` -> `use-redis-for-caching`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "untitled"
