# GORM's default naming strategy, ported from its documented behaviour (gorm.io/gorm/schema NamingStrategy and
# the jinzhu/inflection rules it pluralises with): column names are the field names in snake case with common
# initialisms kept together (`UserID` -> `user_id`, `APIKey` -> `api_key`), table names are the struct names in
# snake case, pluralised (`User` -> `users`, `Category` -> `categories`, `Person` -> `people`). Struct tags are
# read the way `reflect.StructTag` and GORM's `ParseTagSetting` read them.
from __future__ import annotations

import re
from functools import lru_cache

COMMON_INITIALISMS = ("API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP",
                      "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SSH", "TLS", "TTL", "UID", "UI",
                      "UUID", "URI", "URL", "UTF8", "VM", "XML", "XSRF", "XSS")
"""Initialisms GORM keeps together, in the order its replacer tries them."""

_PLURALS = (
    ("$", "s"), ("s$", "s"), ("^(ax|test)is$", r"\1es"), ("(octop|vir)us$", r"\1i"), ("(octop|vir)i$", r"\1i"),
    ("(alias|status|campus)$", r"\1es"), ("(bu)s$", r"\1ses"), ("(buffal|tomat)o$", r"\1oes"),
    ("([ti])um$", r"\1a"), ("([ti])a$", r"\1a"), ("sis$", "ses"), ("(?:([^f])fe|([lr])f)$", r"\1\2ves"),
    ("(hive)$", r"\1s"), ("([^aeiouy]|qu)y$", r"\1ies"), ("(x|ch|ss|sh)$", r"\1es"),
    ("(matr|vert|ind)(?:ix|ex)$", r"\1ices"), ("^(m|l)ouse$", r"\1ice"), ("^(m|l)ice$", r"\1ice"),
    ("^(ox)$", r"\1en"), ("^(oxen)$", r"\1"), ("(quiz)$", r"\1zes"),
)
"""jinzhu/inflection's plural rules; the last matching rule wins."""
_PLURAL_RULES = tuple((re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in reversed(_PLURALS))
_IRREGULAR = (("person", "people"), ("man", "men"), ("child", "children"), ("sex", "sexes"), ("move", "moves"),
              ("mombie", "mombies"))
_UNCOUNTABLE = frozenset({"equipment", "information", "rice", "money", "species", "series", "fish", "sheep",
                          "jeans", "police"})
_TAG_PAIR = re.compile(r'([^\s:"]+):"((?:[^"\\]|\\.)*)"')


_INITIALISM = re.compile("|".join(COMMON_INITIALISMS))
"""Go's strings.Replacer tries the words in order at each position, as a regex alternation does."""


def _replace_initialisms(name: str) -> str:
    return _INITIALISM.sub(lambda m: m.group(0)[0] + m.group(0)[1:].lower(), name)


@lru_cache(maxsize=8192)
def db_name(name: str) -> str:
    """A Go identifier in GORM's snake case (`UserID` -> `user_id`, `CreatedAt` -> `created_at`)."""
    if not name:
        return ""
    value = _replace_initialisms(name)
    out: list[str] = []
    last_upper = False
    current_upper = value[0].isascii() and value[0].isupper()
    for index, char in enumerate(value[:-1]):
        following = value[index + 1]
        next_upper = following.isascii() and following.isupper()
        if current_upper:
            if not (last_upper and (next_upper or following.isdigit())) and index > 0 \
                    and value[index - 1] != "_" and following != "_":
                out.append("_")
            out.append(char.lower())
        else:
            out.append(char)
        last_upper, current_upper = current_upper, next_upper
    if current_upper:
        if not last_upper and len(value) > 1:
            out.append("_")
        out.append(value[-1].lower())
    else:
        out.append(value[-1])
    return "".join(out)


@lru_cache(maxsize=8192)
def plural(word: str) -> str:
    """The plural jinzhu/inflection gives (`user_setting` -> `user_settings`, `category` -> `categories`)."""
    lowered = word.lower()
    if lowered in _UNCOUNTABLE:
        return word
    for singular, plural_form in _IRREGULAR:
        if lowered.endswith(singular):
            return word[:len(word) - len(singular)] + plural_form
    for pattern, replacement in _PLURAL_RULES:
        if pattern.search(word):
            return pattern.sub(replacement, word, count=1)
    return word


def table_name(struct_name: str) -> str:
    """The table GORM gives a struct by default."""
    return plural(db_name(struct_name))


def struct_tag(tag: str, key: str) -> str | None:
    """One key of a Go struct tag (`json:"id" gorm:"primaryKey"` with key `gorm` gives `primaryKey`)."""
    return next((m.group(2) for m in _TAG_PAIR.finditer(tag) if m.group(1) == key), None)


@lru_cache(maxsize=8192)
def _settings(tag: str) -> tuple[tuple[str, str], ...]:
    value = struct_tag(tag, "gorm")
    settings: dict[str, str] = {}
    for part in (value or "").split(";"):
        name, _, setting = part.partition(":")
        if name.strip():
            settings[name.strip().upper()] = setting.strip()
    return tuple(settings.items())


def gorm_settings(tag: str) -> dict[str, str]:
    """GORM's settings of a struct tag, keys in capitals (`column:user_name;not null` -> COLUMN, NOT NULL)."""
    return dict(_settings(tag))
