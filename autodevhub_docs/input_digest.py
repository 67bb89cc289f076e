# The digest of what a page is made of, by pickle: a pickle names every value's class and holds all its state, so two
# inputs with the same pickle render the same. Two costs of plain `pickle.dumps` are avoided, and the digest is the
# same function of the inputs:
#   - several pages hold the same large records (the repository's facts, with every commit and file): each record of
#     a `shared` type is pickled once per build, and a page's pickle holds that record's digest in its place;
#   - a frozen dataclass with slots pickles through `dataclasses`' own `__getstate__`, which calls `fields()` for
#     every instance; its field names are looked up once per class here.
from __future__ import annotations

import dataclasses
import hashlib
import pickle
from typing import Any


class SharedRecord:
    """Stands, in a pickle, for a shared record by its digest (never built: the pickle is only hashed)."""


class InputDigest:
    """Digests of pages' inputs within one build.

    Args:
        shared: Types of the large records many pages hold; each instance is pickled once.
    """

    def __init__(self, shared: tuple[type, ...] = ()) -> None:
        self._shared = shared
        self._known: dict[int, tuple[Any, str]] = {}
        """id -> (the record, kept alive so that its id is not reused; its digest)."""

    def digest(self, value: Any, salt: bytes = b"") -> str:
        """The SHA-256 of `salt` and the pickle of `value` (shared records by their digest).

        Raises:
            pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError: Something in `value` has
                no pickle.
        """
        return self._hash(value, salt, top=None)

    def _hash(self, value: Any, salt: bytes, top: Any) -> str:
        # The pickle is hashed as it is written, never held whole (the facts of a large history pickle to tens of MB).
        sha = hashlib.sha256(salt)
        _Pickler(_HashWriter(sha), self, top).dump(value)
        return sha.hexdigest()

    def shared_digest(self, record: Any) -> str | None:
        """The digest a shared record stands for in a pickle; None when `record` is not of a shared type."""
        if not isinstance(record, self._shared):
            return None
        known = self._known.get(id(record))
        if known is None or known[0] is not record:
            known = (record, self._hash(record, b"", top=record))
            self._known[id(record)] = known
        return known[1]


class _HashWriter:
    """A file that feeds what is written to a hash."""

    def __init__(self, sha: Any) -> None:
        self.write = sha.update


class _Pickler(pickle.Pickler):
    def __init__(self, file: _HashWriter, owner: InputDigest, top: Any) -> None:
        super().__init__(file, protocol=5)
        self._owner = owner
        self._top = top
        """The shared record being pickled itself (pickled in full, not by its digest)."""

    def reducer_override(self, obj: Any) -> Any:  # called for every object but the built-in containers and scalars
        if obj is not self._top:
            shared = self._owner.shared_digest(obj)
            if shared is not None:
                return SharedRecord, (shared,)
        names = _slotted_fields(type(obj))
        if names is None:
            return NotImplemented
        # What `object.__reduce_ex__` makes of it, with the state `dataclasses` would give (its field values).
        return _new_object, (type(obj),), [getattr(obj, name) for name in names]


def _new_object(cls: type[Any]) -> Any:
    """Makes an empty instance, as `copyreg.__newobj__` does (named in the pickle; the digest never unpickles)."""
    return object.__new__(cls)


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _slotted_fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a frozen dataclass with slots (the ones `dataclasses` pickles field by field), else None."""
    if cls in _FIELDS:
        return _FIELDS[cls]
    names = None
    params = getattr(cls, "__dataclass_params__", None) if dataclasses.is_dataclass(cls) else None
    if params is not None and params.frozen and "__slots__" in cls.__dict__:
        names = tuple(f.name for f in dataclasses.fields(cls))
    _FIELDS[cls] = names
    return names
