# The exact serial form of fact records, for digests only (it is never loaded): a pickle names every value's class
# and holds all its state, so two values with the same form are the same. Fact records are written as their class and
# field values: the standard pickling of a slotted dataclass calls `dataclasses.fields` in Python for every record
# (2.5x slower).
from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
from typing import Any


def digest(value: Any) -> bytes | None:
    """The digest of a value's serial form; None when it has none (a function, an open file)."""
    blob = pickled(value)
    return hashlib.sha256(blob).digest() if blob is not None else None


def pickled(value: Any) -> bytes | None:
    """A value's serial form; None when it has none."""
    out = io.BytesIO()
    pickler = _FactPickler(out, protocol=5)
    # No memo: a value written twice is written out twice, so that equal values have one form however their parts
    # are shared (a record decoded from the store shares nothing; the same record just worked out may). Fact records
    # hold no cycles; a cycle ends in RecursionError, and the value then has no form.
    pickler.fast = True
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        return None
    return out.getvalue()


_NO_FIELDS = False
_FIELD_READERS: dict[type, Any] = {}
"""Dataclass -> a reader of its field values in order (`_NO_FIELDS` for classes pickled the standard way)."""


def _field_reader(cls: type) -> Any:
    """How a class's instances are pickled for a digest.

    The tuple of its fields' values when that is all their state (a slotted dataclass whose slots are its fields);
    else `_NO_FIELDS` (the standard pickling).
    """
    reader: Any = _NO_FIELDS
    if dataclasses.is_dataclass(cls) and cls.__dictoffset__ == 0:
        names = tuple(f.name for f in dataclasses.fields(cls))
        slots = {s for c in cls.__mro__ for s in getattr(c, "__slots__", ())} - {"__weakref__"}
        if slots == set(names):
            single = operator.attrgetter(names[0]) if len(names) == 1 else None
            reader = (lambda obj: ()) if not names else (lambda obj: (single(obj),)) if single else \
                operator.attrgetter(*names)
    _FIELD_READERS[cls] = reader
    return reader


class _FactPickler(pickle.Pickler):
    """A pickler for digests only (never loaded): fact records as their class and field values."""

    def reducer_override(self, obj: Any) -> Any:
        """Fact records as (class, field values); everything else as the standard pickler writes it."""
        cls = type(obj)
        reader = _FIELD_READERS.get(cls)
        if reader is None:
            reader = _field_reader(cls)
        if reader is _NO_FIELDS:
            return NotImplemented
        return cls, reader(obj)
