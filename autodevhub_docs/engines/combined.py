# One site for many repositories: the last step of the organisation workflow (`init --org`). Each repository's
# pages were written by `generate --out DOCS/<owner>--<name>`; this adds a home page, a page per repository and an
# mkdocs.yml whose nav has one section per repository. Usage: `python -m autodevhub_docs.engines.combined DOCS`.
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from autodevhub_docs.engines.nav import NavSection, sections
from autodevhub_docs.rendering.markdown import cell, href, inline

SLUG_SEPARATOR = "--"
"""Between owner and name in a repository's folder (GitHub owners never contain two hyphens in a row)."""

MERMAID_FENCE = """markdown_extensions:
  - admonition
  - tables
  - attr_list
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


@dataclass(frozen=True)
class RepositoryPages:
    """The generated pages of one repository inside the combined docs folder."""

    folder: str
    """Folder under the docs folder, `<owner>--<name>`."""
    name: str
    """`owner/name`."""
    nav: tuple[NavSection, ...]
    """Its generated sections, paths relative to the docs folder."""

    @property
    def pages(self) -> int:
        """Number of generated Markdown pages."""
        return sum(len(uris) for _, uris in self.nav)


def repository_name(folder: str) -> str:
    """`owner/name` for a folder called `<owner>--<name>` (a folder without the separator is used as it is)."""
    owner, separator, name = folder.partition(SLUG_SEPARATOR)
    return f"{owner}/{name}" if separator else folder


def find_repositories(docs: Path) -> list[RepositoryPages]:
    """Every repository folder under `docs` that holds generated pages, sorted by name."""
    found = []
    for folder in sorted(p for p in docs.iterdir() if p.is_dir() and not p.name.startswith(".")):
        uris = [path.relative_to(folder).as_posix() for path in folder.rglob("*.md")]
        nav = sections(uris, prefix=f"{folder.name}/")
        if nav:
            found.append(RepositoryPages(folder=folder.name, name=repository_name(folder.name), nav=tuple(nav)))
    return found


def repository_page(repository: RepositoryPages) -> str:
    """The page of one repository: its sections with their first page."""
    lines = [f"# {inline(repository.name)}", "", "| Section | Pages |", "|---|---:|"]
    for title, uris in repository.nav:
        first = uris[0].removeprefix(f"{repository.folder}/")
        lines.append(f"| [{cell(title)}]({href(first)}) | {len(uris)} |")
    return "\n".join(lines) + "\n"


def home_page(site_name: str, repositories: Sequence[RepositoryPages]) -> str:
    """The home page: one row per repository."""
    lines = [f"# {inline(site_name)}", "", f"Generated documentation of {len(repositories)} repositories.", "",
             "| Repository | Sections | Pages |", "|---|---|---:|"]
    for repository in repositories:
        titles = ", ".join(title for title, _ in repository.nav)
        lines.append(f"| [{cell(repository.name)}]({href(repository.folder + '/index.md')}) | {cell(titles)} | "
                     f"{repository.pages} |")
    return "\n".join(lines) + "\n"


def mkdocs_yml(site_name: str, docs: Path, repositories: Sequence[RepositoryPages]) -> str:
    """An mkdocs.yml (material theme, Mermaid fence, no plugin but search) with a nav section per repository."""
    nav: list[object] = [{"Home": "index.md"}]
    nav += [{repository.name: [f"{repository.folder}/index.md", *({title: uris} for title, uris in repository.nav)]}
            for repository in repositories]
    config = {"site_name": site_name, "docs_dir": docs.name, "site_dir": "site",
              "theme": {"name": "material", "features": ["navigation.sections", "navigation.indexes",
                                                        "navigation.top", "search.highlight"]},
              "plugins": ["search"], "nav": nav}
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True) + MERMAID_FENCE


def combine(docs: Path, site_name: str) -> list[Path]:
    """Write the home page, a page per repository and `mkdocs.yml` (beside `docs`).

    Args:
        docs: Folder holding one `<owner>--<name>` folder of generated pages per repository.
        site_name: Title of the combined site.

    Returns:
        The files written.
    """
    repositories = find_repositories(docs)
    files = {docs / "index.md": home_page(site_name, repositories),
             docs.parent / "mkdocs.yml": mkdocs_yml(site_name, docs, repositories)}
    files.update({docs / repository.folder / "index.md": repository_page(repository) for repository in repositories})
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `python -m autodevhub_docs.engines.combined DOCS [--site-name NAME]`."""
    parser = argparse.ArgumentParser(prog="python -m autodevhub_docs.engines.combined", description=__doc__)
    parser.add_argument("docs", type=Path, help="folder with one <owner>--<name> folder per repository")
    parser.add_argument("--site-name", default="Documentation", help="title of the combined site")
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        parser.error(f"{args.docs} is not a folder: download the pages-* artifacts into it first")
    written = combine(args.docs, args.site_name)
    sys.stdout.write(json.dumps({"written": [str(path) for path in written]}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
