# `llms.txt` at the site root (llmstxt.org convention): a title, a one-line summary, the list of generated pages
# with links, then the full text of every generated page as plain Markdown, so AI agents can read the docs
# without parsing HTML.
from __future__ import annotations

from collections.abc import Callable, Mapping

from autodevhub_docs.rendering.markdown import code, inline, path_segments

LLMS_TXT = "llms.txt"
"""Docs-relative URI of the file."""

_SECTIONS = (("architecture/", "Architecture"), ("adr/", "Decisions"), ("stories/", "User stories"),
             ("development/", "Development"), ("changes/", "Changes"))


def page_url(uri: str) -> str:
    """The site URL of a page, relative to the site root (MkDocs' default directory URLs)."""
    if uri == "index.md":
        return "./"
    if uri.endswith("/index.md"):
        return uri.removesuffix("index.md")
    return uri.removesuffix(".md") + "/"


def _section(uri: str) -> str:
    return next((title for prefix, title in _SECTIONS if uri.startswith(prefix)), "Other pages")


def _order(uri: str) -> tuple[int, bool, str]:
    index = next((i for i, (prefix, _) in enumerate(_SECTIONS) if uri.startswith(prefix)), len(_SECTIONS))
    return (index, not uri.endswith("index.md"), uri)


def llms_txt(name: str, pages: Mapping[str, str], titles: Mapping[str, str]) -> str:
    """Build llms.txt from the generated pages.

    Args:
        name: Repository name (the title).
        pages: Generated files by URI; only the Markdown pages are listed and included.
        titles: Page titles by URI.

    Returns:
        The text of llms.txt.
    """
    return llms_index(name, pages, titles) + llms_full_text(pages)


def llms_index(name: str, pages: Mapping[str, str], titles: Mapping[str, str]) -> str:
    """The first part of llms.txt: the title, the summary and the list of pages (their titles come from the data).

    Args:
        name: Repository name (the title).
        pages: Generated files by URI; only the Markdown pages are listed.
        titles: Page titles by URI.
    """
    out = [f"# {inline(name)} documentation", "",
           "> Architecture, decision records, user stories and recent changes of the repository, generated from "
           "its files, git history and issues by AutoDevHub Docs. Each page's full Markdown text follows the index.",
           ""]
    current = None
    for uri in _markdown(pages):
        section = _section(uri)
        if section != current:
            out += ([""] if current else []) + [f"## {section}", ""]
            current = section
        # URIs of hand-written records come from file names: encoded in the link, escaped in the code span.
        out.append(f"- [{inline(titles.get(uri, uri))}]({path_segments(page_url(uri))}): {code(uri)}")
    return "\n".join(out)


def llms_full_text(pages: Mapping[str, str], mask: Callable[[str], str] = str) -> str:
    """The rest of llms.txt, after `llms_index`: every Markdown page's text, in the index's order.

    Args:
        pages: Generated files by URI; only the Markdown pages are included.
        mask: Applied to each page's marker line (a hand-written record's URI comes from a file name), when the
            pages are redacted already and the whole text is not.
    """
    out = ["", "", "## Full text", ""]
    for uri in _markdown(pages):
        out += [mask(f"<!-- page: {path_segments(uri)} -->"), "", pages[uri].strip(), "", "---", ""]
    return "\n".join(out).rstrip() + "\n"


def _markdown(pages: Mapping[str, str]) -> list[str]:
    return sorted((uri for uri in pages if uri.endswith(".md")), key=_order)
