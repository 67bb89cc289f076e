# An exact JSON form of analysis results for the store: tuples stay tuples, sets stay sets, dictionary keys keep
# their type, dataclasses come back as the same class, AST nodes as the same nodes (visitors keep expressions to
# resolve later), and module-level sentinels (`pysymbols.NOT_LITERAL`) as the very same object. Only this package's
# own dataclasses, enums and sentinels and the `ast` module's node classes are named, and decoding only ever looks
# them up (it runs no other code), so a stored value cannot run code. What cannot be written exactly (a function, a
# foreign object) raises `Unencodable`, and is then simply not stored.
# A class that sets `MEMO_DEFERRED` (a file's symbol table: three quarters of a Python summary, read for a few files a
# build) is written as its own JSON text and read back as a `Deferred`, decoded when first used: loading the stored
# summaries then parses one string instead of building every record.
from __future__ import annotations

import ast
import base64
import dataclasses
import hashlib
import importlib
import json
import math
import sys
from collections.abc import Callable
from enum import Enum
from functools import lru_cache
from types import EllipsisType
from typing import Any

_PACKAGE = "autodevhub_docs."


class Unencodable(ValueError):
    """A value that has no exact JSON form here (or stored JSON that is not one)."""


_SEQUENCES = ((tuple, "$t"), (frozenset, "$fs"), (set, "$s"))
"""Containers written as a tagged list of their items."""


def encode(value: Any) -> Any:
    """The exact JSON form of a value.

    Raises:
        Unencodable: Something in it has no exact form.
    """
    kind = type(value)
    if kind is str or kind is int or value is None or kind is bool:  # most values: one exact-type test, not six
        return value
    exact = _EXACT.get(kind)  # the containers, and the dataclasses and nodes met before
    return exact(value) if exact is not None else _encode_any(value)


def _encode_any(value: Any) -> Any:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, Enum):  # first: a `str` or `int` enum is still its enum
        return {"$en": _name_of(type(value)), "v": encode(value.value)}
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$f": repr(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    for container, tag in _SEQUENCES:
        if isinstance(value, container):
            return {tag: [encode(v) for v in value]}
    if isinstance(value, dict):
        return _encode_dict(value)
    if isinstance(value, (bytes, complex)) or value is Ellipsis:
        return _encode_scalar(value)
    if isinstance(value, Deferred):
        return {"$j": value.text}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        _EXACT[type(value)] = _encode_deferred if getattr(type(value), "MEMO_DEFERRED", False) else _encode_dataclass
        return _EXACT[type(value)](value)
    if isinstance(value, ast.AST):
        _EXACT[type(value)] = _encode_node
        return _encode_node(value)
    if type(value) is object:
        return {"$o": _sentinel_name(value)}
    raise Unencodable(f"no exact JSON form for {type(value).__name__}")


def _encode_dict(value: dict[Any, Any]) -> dict[str, Any]:
    return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}


def _encode_node(value: ast.AST) -> dict[str, Any]:
    return {"$ast": type(value).__name__,
            "f": {name: encode(getattr(value, name)) for name in value._fields if hasattr(value, name)},
            "a": {name: getattr(value, name) for name in value._attributes if hasattr(value, name)}}


_EXACT: dict[type, Callable[[Any], Any]] = {
    list: lambda value: [encode(v) for v in value],
    tuple: lambda value: {"$t": [encode(v) for v in value]},
    frozenset: lambda value: {"$fs": [encode(v) for v in value]},
    set: lambda value: {"$s": [encode(v) for v in value]},
    dict: _encode_dict,
}
"""Encoder by exact type: containers, and each dataclass and node class once `_encode_any` has met it (a subclass
of a container, an enum, goes through the whole chain)."""


def _encode_scalar(value: bytes | complex | EllipsisType) -> dict[str, Any]:
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, complex):
        return {"$c": [encode(value.real), encode(value.imag)]}
    return {"$e": 0}


def _encode_dataclass(value: Any) -> dict[str, Any]:
    name, names = _dataclass_names(type(value))
    instance_dict = getattr(value, "__dict__", None)
    if instance_dict and not instance_dict.keys() <= set(names):
        extra = set(instance_dict) - set(names)
        raise Unencodable(f"{type(value).__name__} has attributes outside its fields: {sorted(extra)}")
    return {"$dc": name, "v": [encode(getattr(value, field)) for field in names]}


def _encode_deferred(value: Any) -> dict[str, Any]:
    return {"$j": json.dumps(_encode_dataclass(value), separators=(",", ":"))}


class Deferred:
    """A stored value decoded when first used (`value`); it equals the value it stands for.

    Args:
        text: The value's JSON form, as `encode` wrote it.
    """

    __slots__ = ("_value", "text")
    _UNREAD = object()

    def __init__(self, text: str) -> None:
        self.text = text
        self._value: Any = Deferred._UNREAD

    @property
    def value(self) -> Any:
        """The value (decoded once).

        Raises:
            Unencodable: The text is not a value `encode` wrote (damage).
        """
        if self._value is Deferred._UNREAD:
            try:
                self._value = decode(json.loads(self.text))
            except (TypeError, ValueError, KeyError, RecursionError) as error:
                raise Unencodable(f"a stored value does not decode: {error}") from None
        return self._value

    def __eq__(self, other: object) -> bool:
        return bool(self.value == (other.value if isinstance(other, Deferred) else other))

    __hash__ = None  # type: ignore[assignment]  # as unhashable as the mutable records it stands for

    def __repr__(self) -> str:
        return f"Deferred({self.value!r})" if self._value is not Deferred._UNREAD else "Deferred(<unread>)"


_DATACLASS_NAMES: dict[type, tuple[str, tuple[str, ...]]] = {}


def _dataclass_names(cls: type) -> tuple[str, tuple[str, ...]]:
    """A dataclass's stored name and field names (looked up once per class: `fields()` walks every field).

    The values are stored in field order, without the field names (a Python summary holds some 50,000 dataclass
    values: their names were most of its JSON); the stored name ends with a digest of the field names instead, so a
    value stored before a field was added, removed or reordered is not read into the new fields.
    """
    names = _DATACLASS_NAMES.get(cls)
    if names is None:
        fields = tuple(f.name for f in dataclasses.fields(cls))
        names = _DATACLASS_NAMES[cls] = (f"{_name_of(cls)}/{_fields_digest(fields)}", fields)
    return names


def _fields_digest(names: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(names).encode()).hexdigest()[:8]


def _name_of(cls: type) -> str:
    if not cls.__module__.startswith(_PACKAGE) or "<locals>" in cls.__qualname__:
        raise Unencodable(f"{cls.__module__}.{cls.__qualname__} is not a class of this package")
    return f"{cls.__module__}:{cls.__qualname__}"


def _sentinel_name(value: object) -> str:
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith(_PACKAGE):
            continue
        for name, candidate in vars(module).items():
            if candidate is value:
                return f"{module_name}:{name}"
    raise Unencodable("a bare object() that no module of this package names")


def decode(data: Any) -> Any:
    """The value `encode` wrote.

    Raises:
        Unencodable: The data is not something `encode` writes (a stored value of an older version, or damage).
    """
    kind = type(data)
    if kind is str or kind is int or data is None or kind is bool or kind is float:  # most values: one test each
        return data
    if kind is list:
        return [decode(v) for v in data]
    if kind is not dict or not data:
        raise Unencodable("not an encoded value")
    tag = next(iter(data))
    if tag == "$dc":
        return _decode_dataclass(data[tag], data["v"])
    if tag == "$ast":
        return _decode_node(data[tag], data["f"], data["a"])
    if tag == "$en":
        return _class(data[tag], Enum)(decode(data["v"]))
    reader = _READERS.get(tag)
    if reader is None:
        raise Unencodable(f"unknown tag {tag!r}")
    return reader(data[tag])


def _decode_dataclass(name: str, values: list[Any]) -> Any:
    cls, names = _dataclass_of(name)
    if type(values) is not list or len(values) != len(names):
        raise Unencodable(f"{name} is not a stored dataclass value")
    instance = object.__new__(cls)
    for field_name, value in zip(names, values, strict=True):  # as stored: no __init__ or __post_init__ again
        object.__setattr__(instance, field_name, decode(value))
    return instance


@lru_cache(maxsize=512)
def _dataclass_of(name: str) -> tuple[Any, tuple[str, ...]]:
    """A stored dataclass's class and its field names in order (looked up once per stored name)."""
    class_name, _, digest = name.rpartition("/")
    cls = _class(class_name, None)
    names = tuple(f.name for f in dataclasses.fields(cls))
    if digest != _fields_digest(names):
        raise Unencodable(f"{class_name} has other fields now")
    return cls, names


def _decode_node(name: str, fields: dict[str, Any], attributes: dict[str, Any]) -> ast.AST:
    cls = getattr(ast, name, None)
    if not isinstance(cls, type) or not issubclass(cls, ast.AST) or cls.__module__ != "ast":
        raise Unencodable(f"{name} is not an AST node class")
    node = cls()
    for field_name, value in fields.items():
        setattr(node, field_name, decode(value))
    for attribute, value in attributes.items():
        setattr(node, attribute, value)
    return node


@lru_cache(maxsize=512)
def _class(name: str, base: type | None) -> Any:
    module_name, _, qualname = name.partition(":")
    cls: Any = _lookup(module_name, qualname)
    if not isinstance(cls, type) or (base is not None and not issubclass(cls, base)) or \
            (base is None and not dataclasses.is_dataclass(cls)):
        raise Unencodable(f"{name} is not a dataclass or enum of this package")
    return cls


def _sentinel(name: str) -> object:
    module_name, _, qualname = name.partition(":")
    value = _lookup(module_name, qualname)
    if type(value) is not object:
        raise Unencodable(f"{name} is not a sentinel")
    return value


def _lookup(module_name: str, qualname: str) -> Any:
    if not module_name.startswith(_PACKAGE):
        raise Unencodable(f"{module_name} is not a module of this package")
    try:
        found: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as error:
        raise Unencodable(f"{module_name}:{qualname} no longer exists") from error
    return found


def _not_encoded() -> Any:
    raise Unencodable("a deferred value that is not text")


_READERS: dict[str, Callable[[Any], Any]] = {
    "$t": lambda body: tuple([decode(v) for v in body]),
    "$fs": lambda body: frozenset(decode(v) for v in body),
    "$s": lambda body: {decode(v) for v in body},
    "$d": lambda body: {decode(k): decode(v) for k, v in body},
    "$f": float,
    "$b": base64.b64decode,
    "$c": lambda body: complex(decode(body[0]), decode(body[1])),
    "$e": lambda _body: Ellipsis,
    "$o": _sentinel,
    "$j": lambda body: Deferred(body) if type(body) is str else _not_encoded(),
}
"""How each tag (but enums and dataclasses, which carry a second key) is read back."""
