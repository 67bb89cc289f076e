# Record numbers for mined decisions. Two rules keep them stable:
#   - from a clean cache, numbers follow first-seen date (ties by decision id), after every hand-written number,
#     so the same history always gives the same numbers, and a new decision (history only grows at the end)
#     takes the next number without moving the others;
#   - every number handed out is persisted (the store's `adr_numbers` table), so a decision that surfaces later
#     but is older (an old PR labelled `decision` today) takes a new number instead of renumbering the others,
#     and the number of a decision that disappears is never reused.
# A hand-written record always keeps its number: a generated record that collides with one moves to a new number.
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.model.decisions import Decision


class NumberBook(Protocol):
    """Where assigned numbers are kept between builds (the store)."""

    def adr_numbers(self) -> Mapping[str, int]:
        """Every decision id -> number handed out so far."""
        ...

    def add_adr_numbers(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Persist new `(decision id, number, first seen)` assignments."""
        ...


def assign_numbers(decisions: Sequence[Decision], reserved: Iterable[int], book: NumberBook | None = None
                   ) -> dict[str, int]:
    """Return a record number for every decision, persisting new assignments.

    Args:
        decisions: Mined decisions, oldest first.
        reserved: Numbers of hand-written records (never used for a generated one).
        book: Numbers kept between builds; None numbers from first-seen order alone.

    Returns:
        Decision id to number.
    """
    hand_written = set(reserved)
    stored = dict(book.adr_numbers()) if book is not None else {}
    numbers = {d.id: stored[d.id] for d in decisions if d.id in stored and stored[d.id] not in hand_written}
    taken = hand_written | set(stored.values())
    next_number = max(taken, default=0) + 1
    fresh: list[tuple[str, int, str]] = []
    for decision in sorted(decisions, key=lambda d: (d.date, d.id)):
        if decision.id not in numbers:
            numbers[decision.id] = next_number
            fresh.append((decision.id, next_number, decision.date))
            next_number += 1
    if book is not None and fresh:
        book.add_adr_numbers(fresh)
    return numbers


def number_decisions(analysis: Analysis, book: NumberBook | None) -> Analysis:
    """The analysis with a stable number for every mined decision that has no hand-written record.

    Args:
        analysis: The analysis stage's result.
        book: Numbers kept between builds (the store), or None when only planning.
    """
    generated = [d for d in analysis.decisions if d.id not in analysis.covered_decisions]
    reserved = {r.number for r in analysis.facts.adrs if r.number is not None}
    numbers = assign_numbers(generated, reserved, book)
    numbers.update(analysis.covered_decisions)
    return dataclasses.replace(analysis, decision_numbers=numbers)
