# The Jinja2 environment. Output is Markdown, so autoescape is off and templates escape untrusted values
# explicitly with the filters below. Untrusted text is only ever a value: no template is built from data.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from autodevhub_docs import builtin_templates
from autodevhub_docs.errors import TemplateError
from autodevhub_docs.rendering import markdown, mermaid
from autodevhub_docs.rendering.diagrams import from_spec


class SourceLinker:
    """Builds links to files and commits of the documented repository."""

    def __init__(self, web_url: str | None, head: str) -> None:
        self.web_url = markdown.safe_url(web_url) if web_url else None
        self.head = head

    def file(self, path: str, line: int | None = None) -> str:
        """Link a repository file (pinned to the documented commit) with its path as inline code."""
        text = markdown.code(path)
        if not self.web_url or not self.head:
            return text
        anchor = f"#L{int(line)}" if line else ""
        return f"[{text}](<{markdown.safe_url(f'{self.web_url}/blob/{self.head}/{path}')}{anchor}>)"

    def files(self, paths: Sequence[str], limit: int = 5) -> str:
        """Link the first `limit` files and say how many more there are (a table cell never holds a long list)."""
        shown = ", ".join(self.file(p) for p in paths[:limit])
        more = len(paths) - limit
        return f"{shown} and {more} more" if more > 0 else shown

    def commit(self, sha: str) -> str:
        """Link a commit by its short sha."""
        short = markdown.code(sha[:7])
        if not self.web_url:
            return short
        return f"[{short}](<{markdown.safe_url(f'{self.web_url}/commit/{sha}')}>)"


def make_env(custom_templates: Path | None = None, *, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Create the environment; a user's `custom_templates` folder overrides built-in templates by name.

    `bytecode_dir` keeps compiled templates between builds (a warm build then skips compiling them).
    """
    cache = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:
            cache = None  # a read-only cache folder only costs speed
    folders = [str(custom_templates)] if custom_templates else []
    folders.append(str(builtin_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - the output is Markdown; values are escaped by the filters below
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache,
    )
    env.filters.update(
        inline=markdown.inline, block=markdown.block, code=markdown.code, cell=markdown.cell,
        fenced=markdown.fenced, mermaid=lambda spec: mermaid.fence(from_spec(spec)),
        href=markdown.href,
        thousands=lambda n: f"{int(n):,}",
    )
    env.globals.update(link=markdown.link)
    return env


def render(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    """Render one template, turning template failures into a `TemplateError` that names the template."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"Template '{error.name}' was not found.",
                            "Check the file names in 'custom_templates' (they must end in .md.jinja).") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"Template '{template}' failed: {error}",
                            "Fix the template; if it is a custom template, compare it with the built-in one.") from None
