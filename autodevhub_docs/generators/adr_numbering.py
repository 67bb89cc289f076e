# Record numbers for mined decisions. Two rules keep them stable:
#   - from a clean cache, numbers follow first-seen date (ties by decision id), after every hand-written number,
#     so the same history always gives the same numbers, and a new decision (history only grows at the end)
#     takes the next number without moving the others;
#   - every number handed out is persisted in the Store (`adr_numbers` table), so a decision that surfaces later
#     but is older (an old PR labelled `decision` today) takes a new number instead of renumbering the others,
#     and the number of a decision that disappears is never reused.
# A hand-written record always keeps its number: a generated record that collides with one moves to a new number.
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from autodevhub_docs.analysis.decisions import Decision

if TYPE_CHECKING:
    from autodevhub_docs.store import Store

def assign_numbers(decisions: Sequence[Decision], reserved: Iterable[int], store: Store | None = None
                   ) -> dict[str, int]:
    """Return a record number for every decision, persisting new assignments.

    Args:
        decisions: Mined decisions, oldest first.
        reserved: Numbers of hand-written records (never used for a generated one).
        store: The build's store; None numbers from first-seen order alone.

    Returns:
        Decision id to number.
    """
    hand_written = set(reserved)
    stored = store.adr_numbers() if store is not None else {}
    numbers = {d.id: stored[d.id] for d in decisions if d.id in stored and stored[d.id] not in hand_written}
    taken = hand_written | set(stored.values())
    next_number = max(taken, default=0) + 1
    fresh: list[tuple[str, int, str]] = []
    for decision in sorted(decisions, key=lambda d: (d.date, d.id)):
        if decision.id not in numbers:
            numbers[decision.id] = next_number
            fresh.append((decision.id, next_number, decision.date))
            next_number += 1
    if store is not None and fresh:
        store.add_adr_numbers(fresh)
    return numbers
