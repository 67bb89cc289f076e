# Where a generated decision record lives on the site: one name, used by the ADR section and every page linking it.
from __future__ import annotations

from autodevhub_docs.slug import anchor_slug


def record_file(number: int, title: str) -> str:
    """File name of a generated record under `adr/`: `0007-replace-requests-with-httpx.md`."""
    return f"{number:04d}-{anchor_slug(title)}.md"
