# What `init --engine zensical`, `init --backstage` and `init --org` write. The file texts live in `files/` (they are
# what users get, so they read as plain files); only the site name is filled in.
from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

from autodevhub_docs.engines.nav import toml_string
from autodevhub_docs.errors import ConfigError
from autodevhub_docs.scaffold import INDEX_MD, mkdocs_files, site_name

ENGINES = ("mkdocs", "zensical")
"""Site engines `init --engine` scaffolds for."""

_NAME = "@NAME@"


def init_files(folder: Path, *, engine: str = "mkdocs", backstage: bool = False, org: bool = False,
               github_pages: bool = False) -> dict[Path, str | bytes]:
    """Choose what `init` writes.

    Args:
        folder: Repository root.
        engine: `mkdocs` (the plugin) or `zensical` (the pre-build step).
        backstage: Scaffold for Backstage TechDocs instead.
        org: Scaffold the organisation-wide workflow (for a repository that builds the docs of many).
        github_pages: With the mkdocs engine, also write the Pages workflow.

    Returns:
        The text of each file to write.

    Raises:
        ConfigError: Options that exclude each other were combined.
    """
    chosen = [flag for flag, on in (("--engine zensical", engine == "zensical"), ("--backstage", backstage),
                                    ("--org", org)) if on]
    if len(chosen) > 1 or (chosen and github_pages):
        raise ConfigError(
            f"'init {' '.join(chosen + (['--github-pages'] if github_pages else []))}' combines scaffolds that exclude "
            "each other (Zensical and the org workflow bring their own Pages workflow; TechDocs publishes through "
            "techdocs-cli).",
            "Run init once with one of --engine zensical, --backstage, --org or --github-pages.")
    if engine == "zensical":
        return zensical_files(folder)
    if backstage:
        return backstage_files(folder)
    if org:
        return org_files(folder)
    return mkdocs_files(folder, github_pages=github_pages)


def template(name: str) -> str:
    """The text of one scaffold file shipped in `autodevhub_docs/engines/files/`."""
    return resources.files(__package__).joinpath("files").joinpath(name).read_text(encoding="utf-8")


def zensical_files(folder: Path) -> dict[Path, str | bytes]:
    """zensical.toml (generated folder in the nav, Mermaid fence), docs/index.md and the Pages workflow."""
    name = site_name(folder)
    return {folder / "zensical.toml": template("zensical.toml").replace(_NAME, toml_string(name)),
            folder / "docs" / "index.md": INDEX_MD.format(name=name),
            folder / ".github" / "workflows" / "docs.yml": template("zensical-pages.yml")}


def backstage_files(folder: Path) -> dict[Path, str | bytes]:
    """catalog-info.yaml (`backstage.io/techdocs-ref: dir:.`), an mkdocs.yml for techdocs-core and docs/index.md."""
    name = site_name(folder)
    return {folder / "catalog-info.yaml": template("catalog-info.yaml.in").replace(_NAME, entity_name(name)),
            # json.dumps gives a double-quoted YAML scalar, safe for any folder name
            folder / "mkdocs.yml": template("mkdocs-techdocs.yml").replace(_NAME, json.dumps(name)),
            folder / "docs" / "index.md": INDEX_MD.format(name=name)}


def entity_name(name: str) -> str:
    """A Backstage entity name for a folder name: letters, digits and single `-`, at most 63 characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()  # Ü -> u
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:63].rstrip("-")
    return cleaned or "docs"


def org_files(folder: Path) -> dict[Path, str | bytes]:
    """The organisation-wide workflow and the list of repositories it documents."""
    return {folder / ".github" / "workflows" / "org-docs.yml": template("org-docs.yml"),
            folder / "docs-repositories.txt": template("docs-repositories.txt")}
