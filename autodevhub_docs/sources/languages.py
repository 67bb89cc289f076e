# Language detection by file name; enough for statistics, not a parser.
from __future__ import annotations

import re

_BY_EXTENSION = {
    ".py": "Python", ".pyi": "Python", ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript",
    ".jsx": "JavaScript", ".ts": "TypeScript", ".tsx": "TypeScript", ".go": "Go", ".rs": "Rust", ".java": "Java",
    ".kt": "Kotlin", ".kts": "Kotlin", ".scala": "Scala", ".rb": "Ruby", ".php": "PHP", ".cs": "C#", ".fs": "F#",
    ".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hpp": "C++", ".hh": "C++", ".m": "Objective-C",
    ".swift": "Swift", ".dart": "Dart", ".lua": "Lua", ".pl": "Perl", ".r": "R", ".jl": "Julia", ".ex": "Elixir",
    ".exs": "Elixir", ".erl": "Erlang", ".hs": "Haskell", ".clj": "Clojure", ".vue": "Vue", ".svelte": "Svelte",
    ".html": "HTML", ".htm": "HTML", ".css": "CSS", ".scss": "SCSS", ".sass": "SCSS", ".less": "Less",
    ".sql": "SQL", ".sh": "Shell", ".bash": "Shell", ".zsh": "Shell", ".ps1": "PowerShell", ".md": "Markdown",
    ".rst": "reStructuredText", ".yml": "YAML", ".yaml": "YAML", ".json": "JSON", ".toml": "TOML", ".ini": "INI",
    ".cfg": "INI", ".xml": "XML", ".proto": "Protocol Buffers", ".graphql": "GraphQL", ".gql": "GraphQL",
    ".tf": "HCL", ".hcl": "HCL", ".prisma": "Prisma", ".jinja": "Jinja", ".j2": "Jinja", ".ipynb": "Jupyter Notebook",
    ".txt": "Text", ".gradle": "Gradle", ".groovy": "Groovy", ".mk": "Makefile",
}
_BY_NAME = {
    "Dockerfile": "Dockerfile", "Makefile": "Makefile", "GNUmakefile": "Makefile", "Justfile": "Just",
    "justfile": "Just", "Procfile": "Procfile", "Gemfile": "Ruby", "Rakefile": "Ruby", "Vagrantfile": "Ruby",
    "CMakeLists.txt": "CMake", "Jenkinsfile": "Groovy",
}
_GENERATED = frozenset({"package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "composer.lock", "deno.lock"})
"""Lockfiles a tool writes: thousands of lines nobody wrote, which would swamp the language statistics."""
PROSE_AND_DATA = frozenset(
    {"Markdown", "reStructuredText", "YAML", "JSON", "TOML", "INI", "XML", "Text", "Jupyter Notebook"}
)
"""Languages that are documentation or configuration rather than code."""


def language_of(path: str) -> str | None:
    """Return the language of a file from its name, or None when unknown.

    Args:
        path: Repository-relative path with forward slashes.
    """
    name = path.rsplit("/", 1)[-1]
    if name in _GENERATED:
        return None
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith("Dockerfile") or name.endswith(".dockerfile"):
        return "Dockerfile"
    return _BY_EXTENSION.get(_suffix(name.lower()))


def _suffix(name: str) -> str:
    """`PurePosixPath(name).suffix` without building a path: the last `.ext`, none for `.bashrc` or `name.`."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


_INTERPRETERS = {"sh": "Shell", "bash": "Shell", "zsh": "Shell", "dash": "Shell", "ksh": "Shell",
                 "python": "Python", "node": "JavaScript", "deno": "TypeScript", "ruby": "Ruby",
                 "perl": "Perl", "php": "PHP", "lua": "Lua", "Rscript": "R"}


def language_of_script(head: bytes) -> str | None:
    """Return the language a `#!` line names (`#!/usr/bin/env bash` is Shell), or None.

    Args:
        head: The first bytes of a file that has no extension.
    """
    if not head.startswith(b"#!"):
        return None
    words = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    names = [word.rsplit("/", 1)[-1] for word in words]
    if names[:1] == ["env"]:  # `env [-S] [-i] python3`: the interpreter is the first word that is not an option
        names = [name for name in names[1:] if not name.startswith("-")]
    return _INTERPRETERS.get(re.sub(r"[\d.]+$", "", names[0])) if names else None
