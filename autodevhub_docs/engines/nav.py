# The generated sections as navigation, in the documented section order: the plugin appends them to an explicit
# `nav`, and `generate --nav` writes them as fragments for mkdocs.yml and zensical.toml.
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from autodevhub_docs.settings import SECTIONS

SECTION_TITLES = {"architecture": "Architecture", "adr": "Decisions", "stories": "User Stories",
                  "development": "Development", "changes": "Changes"}
"""The navigation title of each section."""

NAV_YAML = ".autodevhub-nav.yml"
NAV_TOML = ".autodevhub-nav.toml"
"""Fragment file names: hidden, so neither MkDocs nor Zensical publishes them with the pages."""

NavSection = tuple[str, list[str]]


def sections(uris: Iterable[str], *, prefix: str = "") -> list[NavSection]:
    """Group generated page URIs into navigation sections.

    Args:
        uris: Docs-relative URIs of the generated files (non-Markdown files are left out).
        prefix: Folder the pages sit in, relative to the docs folder (e.g. `generated/`).

    Returns:
        `(title, uris)` per non-empty section in the order of `SECTIONS`; each section's index page first.
    """
    pages = [uri for uri in uris if uri.endswith(".md")]
    found = []
    for section in SECTIONS:
        folder = f"{section}/"
        members = sorted((uri for uri in pages if uri.startswith(folder)),
                         key=lambda uri: (uri != f"{folder}index.md", uri))
        if members:
            found.append((SECTION_TITLES[section], [prefix + uri for uri in members]))
    return found


def nav_yaml(nav: Sequence[NavSection]) -> str:
    """The sections as an mkdocs.yml `nav:` (paste its items into your nav, or `INHERIT` it when you have none)."""
    header = "# Written by `autodevhub-docs generate --nav`: the generated sections in order.\n"
    return header + yaml.safe_dump({"nav": [{title: uris} for title, uris in nav]}, sort_keys=False)


def nav_toml(nav: Sequence[NavSection]) -> str:
    """The sections as `[[project.nav]]` tables, valid when appended to a zensical.toml whose nav uses such tables."""
    lines = ["# Written by `autodevhub-docs generate --nav`: the generated sections in order. Append this file to",
             "# a zensical.toml whose own nav entries are [[project.nav]] tables (as `init --engine zensical` writes)."]
    for title, uris in nav:
        items = "".join(f"  {toml_string(uri)},\n" for uri in uris)
        lines += ["", "[[project.nav]]", f"{toml_string(title)} = [\n{items}]"]
    return "\n".join(lines) + "\n"


def toml_string(text: str) -> str:
    """Quote a string for TOML (a basic string)."""
    # json.dumps never writes `\/` and, without ensure_ascii, no surrogate pairs, so its escapes (\" \\ \n \t \uXXXX)
    # are all valid in a TOML basic string; TOML also forbids a raw DEL, which JSON leaves as it is.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_fragments(out: Path, uris: Iterable[str]) -> list[Path]:
    """Write both nav fragments into the output folder of `generate`.

    Args:
        out: The folder the pages were written to; the paths in the fragments are relative to its parent (the
            docs folder when `out` is e.g. `docs/generated`).
        uris: Docs-relative URIs of the generated files.

    Returns:
        The two files written.
    """
    nav = sections(uris, prefix=f"{out.resolve().name}/")
    written = []
    for name, text in ((NAV_YAML, nav_yaml(nav)), (NAV_TOML, nav_toml(nav))):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
