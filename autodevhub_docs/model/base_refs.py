# Where a fact was seen: the one reference every fact record carries.
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceRef:
    """Where a fact was seen: a file, and the line when known."""

    path: str
    """Repository-relative path."""
    line: int | None = None
    """1-based line number, when known."""
