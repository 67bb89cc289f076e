# JSON round-trip and stable digests for the frozen fact records.
from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """Turn a fact record (or any nesting of them) into plain JSON data.

    Args:
        value: A dataclass instance, tuple, list, dict, enum or scalar.

    Returns:
        Data made only of dicts, lists, strings, numbers, booleans and None.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def canonical_json(value: Any) -> str:
    """Serialise facts to JSON with sorted keys and no whitespace, so equal facts give equal text."""
    return json.dumps(to_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: Any) -> str:
    """Return a stable SHA-256 hex digest of facts (independent of dict order and Python version)."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a fact record from the output of `to_jsonable`.

    Args:
        cls: The dataclass (or type) to build.
        data: JSON data as produced by `to_jsonable`.

    Returns:
        An instance equal to the one that was serialised.
    """
    return typing.cast(T, _decode(cls, data))


def _decode(tp: Any, data: Any) -> Any:  # noqa: PLR0911 - one return per kind of type
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return _decode(args[0], data) if len(args) == 1 else data
    if origin in (tuple, list):
        items = [_decode(typing.get_args(tp)[0], v) for v in data]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        _, vt = typing.get_args(tp)
        return {k: _decode(vt, v) for k, v in data.items()}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        kwargs = {f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    return data
