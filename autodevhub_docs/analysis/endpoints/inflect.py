# English inflection as Rails (ActiveSupport's default inflections) and Laravel (Doctrine's inflector) apply it
# to turn names into one another: `resources :articles` takes an `{article_id}` parameter, `belongs_to :author`
# reads the `author_id` column, `Article` lives in the `articles` table. The rules run on names already read by
# the parser, never on source text.
from __future__ import annotations

import re
from functools import lru_cache

_PLURAL_RULES: tuple[tuple[str, str], ...] = (
    (r"(quiz)$", r"\1zes"),
    (r"^(oxen)$", r"\1"),
    (r"^(ox)$", r"\1en"),
    (r"^(m|l)ice$", r"\1ice"),
    (r"^(m|l)ouse$", r"\1ice"),
    (r"(matr|vert|ind)(?:ix|ex)$", r"\1ices"),
    (r"(x|ch|ss|sh)$", r"\1es"),
    (r"([^aeiouy]|qu)y$", r"\1ies"),
    (r"(hive)$", r"\1s"),
    (r"(?:([^f])fe|([lr])f)$", r"\1\2ves"),
    (r"sis$", "ses"),
    (r"([ti])a$", r"\1a"),
    (r"([ti])um$", r"\1a"),
    (r"(buffal|tomat)o$", r"\1oes"),
    (r"(bu)s$", r"\1ses"),
    (r"(alias|status)$", r"\1es"),
    (r"(octop|vir)i$", r"\1i"),
    (r"(octop|vir)us$", r"\1i"),
    (r"^(ax|test)is$", r"\1es"),
    (r"s$", "s"),
    (r"$", "s"),
)
"""ActiveSupport's plural rules, most specific first (it tries the last defined rule first)."""

_SINGULAR_RULES: tuple[tuple[str, str], ...] = (
    (r"(database)s$", r"\1"),
    (r"(quiz)zes$", r"\1"),
    (r"(matr)ices$", r"\1ix"),
    (r"(vert|ind)ices$", r"\1ex"),
    (r"^(ox)en", r"\1"),
    (r"(alias|status)(es)?$", r"\1"),
    (r"(octop|vir)(us|i)$", r"\1us"),
    (r"^(a)x[ie]s$", r"\1xis"),
    (r"(cris|test)(is|es)$", r"\1is"),
    (r"(shoe)s$", r"\1"),
    (r"(o)es$", r"\1"),
    (r"(bus)(es)?$", r"\1"),
    (r"^(m|l)ice$", r"\1ouse"),
    (r"(x|ch|ss|sh)es$", r"\1"),
    (r"(m)ovies$", r"\1ovie"),
    (r"(s)eries$", r"\1eries"),
    (r"([^aeiouy]|qu)ies$", r"\1y"),
    (r"([lr])ves$", r"\1f"),
    (r"(tive)s$", r"\1"),
    (r"(hive)s$", r"\1"),
    (r"([^f])ves$", r"\1fe"),
    (r"(^analy)(sis|ses)$", r"\1sis"),
    (r"((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", r"\1sis"),
    (r"([ti])a$", r"\1um"),
    (r"(n)ews$", r"\1ews"),
    (r"(ss)$", r"\1"),
    (r"s$", ""),
)
"""ActiveSupport's singular rules, most specific first."""

_IRREGULAR = {"person": "people", "man": "men", "child": "children", "sex": "sexes", "move": "moves",
              "zombie": "zombies"}
_SINGULAR_IRREGULAR = {plural: single for single, plural in _IRREGULAR.items()}
_UNCOUNTABLE = frozenset({"equipment", "information", "rice", "money", "species", "series", "fish", "sheep",
                          "jeans", "police"})


_PLURALS = tuple((re.compile(p, re.IGNORECASE), r) for p, r in _PLURAL_RULES)
_SINGULARS = tuple((re.compile(p, re.IGNORECASE), r) for p, r in _SINGULAR_RULES)


def _inflect(word: str, rules: tuple[tuple[re.Pattern[str], str], ...], irregular: dict[str, str]) -> str:
    """Inflect the last word of a snake_case name (`blog_post` -> `blog_posts`)."""
    head, _, last = word.rpartition("_")
    prefix = f"{head}_" if head else ""
    lowered = last.lower()
    if not last or lowered in _UNCOUNTABLE:
        return word
    if lowered in irregular:
        replaced = irregular[lowered]
        return prefix + (replaced.capitalize() if last[0].isupper() else replaced)
    for pattern, replacement in rules:
        if pattern.search(last):
            return prefix + pattern.sub(replacement, last, count=1)
    return word


@lru_cache(maxsize=4096)
def pluralize(word: str) -> str:
    """The plural of a word or of the last word of a snake_case name (`person` -> `people`)."""
    if word.lower() in _IRREGULAR.values():
        return word
    return _inflect(word, _PLURALS, _IRREGULAR)


@lru_cache(maxsize=4096)
def singularize(word: str) -> str:
    """The singular of a word or of the last word of a snake_case name (`articles` -> `article`)."""
    if word.lower() in _IRREGULAR:
        return word
    return _inflect(word, _SINGULARS, _SINGULAR_IRREGULAR)


def underscore(name: str) -> str:
    """`ArticleTag` -> `article_tag`, `Admin::User` -> `admin/user`, `HTTPClient` -> `http_client`."""
    text = name.replace("::", "/").replace("\\", "/")
    text = re.sub(r"([A-Z\d]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return text.replace("-", "_").lower()


def camelize(name: str) -> str:
    """`article_tag` -> `ArticleTag`, `admin/user` -> `Admin::User`."""
    parts = name.split("/")
    return "::".join("".join(piece[:1].upper() + piece[1:] for piece in part.split("_")) for part in parts)


@lru_cache(maxsize=4096)
def classify(table: str) -> str:
    """The model class of a table, as Rails names it (`article_tags` -> `ArticleTag`)."""
    return camelize(singularize(table.rsplit(".", 1)[-1]))


@lru_cache(maxsize=4096)
def tableize(class_name: str) -> str:
    """The table of a model class by convention (`ArticleTag` -> `article_tags`)."""
    return pluralize(underscore(class_name.rsplit("::", 1)[-1].rsplit("\\", 1)[-1]))
