# The words of decision mining: the roles in which one technology replaces another, how a title names each role,
# the practices a commit or PR can adopt, and the cues and labels that mark a decision.
from __future__ import annotations

import re
from dataclasses import dataclass

DECISION_LABELS = frozenset({"decision", "adr", "architecture", "architecture-decision", "architectural-decision"})
"""Labels that make a PR or issue a decision on their own."""

CUE = re.compile(
    r"\b(?P<verb>switch(?:ed|es|ing)?\s+(?:to|from)|migrat(?:e|ed|es|ing|ion)|replac(?:e|ed|es|ing)|"
    r"adopt(?:s|ed|ing)?|introduc(?:e|ed|es|ing)|mov(?:e|ed|es|ing)\s+(?:to|from)|drop(?:s|ped|ping)?|"
    r"remov(?:e|ed|es|ing)|deprecat(?:e|ed|es|ing)|port(?:ed|ing)?\s+to|rewr(?:ite|ote|itten)\s+in|"
    r"instead\s+of|in\s+favou?r\s+of)\b", re.I)
"""A verb that proposes a decision in a commit subject, PR or issue title."""
REMOVING = re.compile(r"^(drop|remov|deprecat)", re.I)
"""Cue verbs that remove rather than adopt."""


@dataclass(frozen=True)
class Category:
    """A slot in the architecture that normally holds one technology at a time."""

    name: str
    """Display name, e.g. `HTTP client` (the catalog's role)."""
    role: str
    """How a title names the role: `Use X {role}`."""


CATEGORIES = {c.name: c for c in (
    Category("HTTP client", "as the HTTP client"),
    Category("database", "as the database"),
    Category("cache", "as the cache"),
    Category("message broker", "as the message broker"),
    Category("web framework", "as the web framework"),
    Category("ORM", "as the ORM"),
    Category("task queue", "for background tasks"),
    Category("test runner", "as the test runner"),
    Category("linter", "as the linter"),
    Category("formatter", "as the code formatter"),
    Category("type checker", "as the type checker"),
    Category("frontend framework", "as the frontend framework"),
    Category("UI kit", "as the UI kit"),
    Category("bundler", "as the bundler"),
    Category("JWT library", "for JSON Web Tokens"),
    Category("Python package manager", "to manage Python dependencies"),
    Category("JavaScript package manager", "to manage JavaScript dependencies"),
    Category("CI", "for continuous integration"),
    Category("reverse proxy", "as the reverse proxy"),
    Category("search engine", "as the search engine"),
)}
"""The catalog roles decision mining follows, by name."""

LANGUAGE_SPECIFIC = frozenset({"HTTP client", "web framework", "ORM", "task queue", "test runner", "linter",
                               "formatter", "type checker"})
"""Roles a polyglot repository fills once per language (pytest and Jest do not replace each other)."""

PRACTICES = (
    "conventional commits", "semantic versioning", "semver", "trunk-based development", "monorepo", "microservices",
    "event sourcing", "cqrs", "hexagonal architecture", "clean architecture", "repository pattern",
    "dependency injection", "feature flags", "codeowners", "pre-commit", "type hints", "async", "graphql", "grpc",
    "rest api", "openapi", "terraform", "serverless", "typescript",
)
"""Patterns and processes a commit or PR can adopt (matched only together with a decision cue)."""


def scoped(category: str, language: str | None) -> str:
    """Qualify a language-specific role with the manifest's language: `Python test runner`."""
    return f"{language} {category}" if language and category in LANGUAGE_SPECIFIC else category


def base_category(category: str) -> str:
    """Undo `scoped`: `JavaScript linter` -> `linter`."""
    for prefix in ("Python ", "JavaScript "):
        if category.startswith(prefix) and category[len(prefix):] in LANGUAGE_SPECIFIC:
            return category[len(prefix):]
    return category
