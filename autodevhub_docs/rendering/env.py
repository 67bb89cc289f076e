# The Jinja2 environment. Output is Markdown, and escaping is by construction: every `{{ }}` value passes
# `finalize`, which writes a `markdown.Safe` value (built by our own builders: escaped text, links, code, Mermaid)
# as it is and escapes anything else. A template therefore cannot forget to escape, and no value reaches a page raw
# unless our code built it. Untrusted text is only ever a value: no template is built from data.
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from autodevhub_docs import builtin_templates
from autodevhub_docs.errors import TemplateError
from autodevhub_docs.rendering import markdown, mermaid
from autodevhub_docs.rendering.diagrams import build
from autodevhub_docs.slug import anchor_slug


class SourceLinker:
    """Builds links to files and commits of the documented repository."""

    def __init__(self, web_url: str | None, head: str) -> None:
        base = markdown.safe_url(web_url) if web_url else None
        # The repository's address only: a query or fragment on it would follow every path we append.
        self.web_url = base.split("?", 1)[0].split("#", 1)[0].rstrip("/") if base else None
        self.head = head

    def file(self, path: str, line: int | None = None) -> markdown.Safe:
        """Link a repository file (pinned to the documented commit) with its path as inline code.

        The path is percent-encoded segment by segment, so `#`, `?` and `%` in a file name link to that file.
        """
        text = markdown.code(path)
        if not self.web_url or not self.head:
            return text
        anchor = f"#L{int(line)}" if line else ""
        url = markdown.safe_url(f"{self.web_url}/blob/{markdown.path_segments(self.head)}/"
                                f"{markdown.path_segments(path)}")
        return markdown.Safe(f"[{text}](<{url}{anchor}>)") if url else text

    def files(self, paths: Sequence[str], limit: int = 5) -> markdown.Safe:
        """Link the first `limit` files and say how many more there are (a table cell never holds a long list)."""
        shown = ", ".join(self.file(p) for p in paths[:limit])
        more = len(paths) - limit
        return markdown.Safe(f"{shown} and {more} more" if more > 0 else shown)

    def commit(self, sha: str) -> markdown.Safe:
        """Link a commit by its short sha."""
        short = markdown.code(sha[:7])
        if not self.web_url:
            return short
        url = markdown.safe_url(f"{self.web_url}/commit/{markdown.path_segments(sha)}")
        return markdown.Safe(f"[{short}](<{url}>)") if url else short


class _Environment(jinja2.Environment):
    """An environment whose template output is `Safe`.

    Macros, `{% set %}` blocks and `caller()` join pieces that `finalize` already escaped, so their result is
    written as it is instead of being escaped twice.
    """

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        """Join rendered pieces (Jinja calls this for every template, block and macro body)."""
        return markdown.Safe("".join(parts))


def _mermaid(spec: Mapping[str, Any]) -> markdown.Safe:
    """The diagram's fence; when it had to leave edges out to stay within Mermaid's limits, a table of them."""
    diagram = build(spec)
    fenced = mermaid.fence(diagram.text)
    if not diagram.omitted:
        return markdown.Safe(fenced)
    rows = "\n".join(f"| {markdown.cell(a)} | {markdown.cell(b)} |" for a, b in diagram.omitted)
    return markdown.Safe(f"{fenced}\n\n{len(diagram.omitted):,} of the {diagram.edges:,} connections are not drawn one "
                         f"by one (Mermaid draws at most 500 edges; tightly linked groups are drawn as one node):"
                         f"\n\n| From | To |\n|---|---|\n{rows}")


def _slug(text: object) -> markdown.Safe:
    return markdown.Safe(anchor_slug(str(text)))  # only [a-z0-9-]


def _thousands(number: object) -> markdown.Safe:
    return markdown.Safe(f"{int(number):,}")  # type: ignore[call-overload]


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
    env = _Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        # HTML autoescape is off because the output is Markdown: `finalize` applies the Markdown escaper instead.
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache,
    )
    env.filters.update(
        inline=markdown.inline, block=markdown.block, code=markdown.code, cell=markdown.cell,
        fenced=markdown.fenced, mermaid=_mermaid, slug=_slug, href=markdown.href, yaml=markdown.yaml_scalar,
        thousands=_thousands,
    )
    env.globals.update(link=markdown.link, literal=markdown.literal)
    return env


def _finalize(value: object) -> str:
    """Write a `{{ }}` value: our builders' output as it is, numbers as digits, anything else escaped."""
    if isinstance(value, markdown.Safe):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return markdown.finalize(value)


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
