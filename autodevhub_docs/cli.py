# The `autodevhub-docs` command. Each command is a thin wrapper around the pipeline; domain errors become
# click errors whose message names the fix.
from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from autodevhub_docs import __version__, pipeline
from autodevhub_docs import doctor as doctor_module
from autodevhub_docs.engines.nav import NAV_TOML, NAV_YAML, write_fragments
from autodevhub_docs.engines.scaffolds import ENGINES, init_files
from autodevhub_docs.errors import AutodevhubError
from autodevhub_docs.report import summary_line
from autodevhub_docs.scaffold import write_files
from autodevhub_docs.settings import Settings, from_mkdocs_yml

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _friendly(func: F) -> F:
    """Turn domain errors into click errors (message plus '--> fix', exit code 1, no traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AutodevhubError as error:
            raise click.ClickException(str(error)) from error

    return wrapper  # type: ignore[return-value]


def _settings(config_file: Path, offline: bool) -> Settings:
    settings = from_mkdocs_yml(config_file) if config_file.exists() else _defaults_for(config_file.parent)
    return settings.with_changes(llm="offline") if offline else settings


def _defaults_for(folder: Path) -> Settings:
    from autodevhub_docs.settings import from_options

    return from_options({}, base_dir=folder.resolve())


config_option = click.option(
    "-f", "--config-file", type=click.Path(path_type=Path, dir_okay=False), default=Path("mkdocs.yml"),
    show_default=True, help="mkdocs.yml whose autodevhub options to use (defaults apply when it does not exist).",
)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="autodevhub-docs")
def main() -> None:
    r"""Generate architecture pages, ADRs and user stories from a repository.

    \b
    Examples:
      autodevhub-docs init --github-pages
      autodevhub-docs generate --out generated-docs
      autodevhub-docs doctor
    """


@main.command()
@click.option("--dir", "folder", type=click.Path(path_type=Path, file_okay=False), default=Path(),
              show_default=True, help="Repository to scaffold into.")
@click.option("--github-pages", is_flag=True, help="Also write .github/workflows/docs.yml to publish on GitHub Pages.")
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True,
              help="zensical: write zensical.toml and a Pages workflow that runs `generate`, then `zensical build`.")
@click.option("--backstage", is_flag=True,
              help="Write catalog-info.yaml and an mkdocs.yml for Backstage TechDocs (techdocs-core).")
@click.option("--org", is_flag=True, help="Write a workflow that builds the docs of many repositories into one site.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@_friendly
def init(*, folder: Path, github_pages: bool, engine: str, backstage: bool, org: bool, force: bool) -> None:
    """Create mkdocs.yml (material theme, Mermaid fence), a docs folder and optionally the Pages workflow."""
    for path, status in write_files(folder, init_files(folder, engine=engine, backstage=backstage, org=org,
                                                       github_pages=github_pages), force=force):
        click.echo(f"{status:>9}  {path}")


@main.command()
@config_option
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write the Markdown pages into.")
@click.option("--offline", is_flag=True, help="Never call Claude, even when a key is set.")
@click.option("--batch", is_flag=True, help="Send cache misses through the Message Batches API (half price, slower).")
@click.option("--nav", is_flag=True, help=f"Also write the generated sections as nav fragments ({NAV_YAML} for "
              f"mkdocs.yml, {NAV_TOML} for zensical.toml), with paths relative to the folder holding --out.")
@_friendly
def generate(config_file: Path, out: Path, offline: bool, batch: bool = False, nav: bool = False) -> None:
    """Write the generated pages as Markdown into a folder (for any site engine, or for review)."""
    settings = _settings(config_file, offline).with_changes(docs_dir=None)
    if batch:
        settings = settings.with_changes(llm_batch=True)
    result = pipeline.run_build(settings)
    written = pipeline.written_pages(result.pages, out)
    click.echo(f"wrote {len(written)} pages to {out}")
    if nav:
        fragments = write_fragments(out, result.pages)
        click.echo(f"wrote the nav fragments {', '.join(str(path) for path in fragments)}")
    click.echo(summary_line(result.report))


@main.command()
@config_option
@click.option("--exact", is_flag=True, help="Count input tokens with the API's count_tokens endpoint (needs the key).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the totals as one JSON object (sections, misses, input_tokens, output_tokens, cost_usd).")
@_friendly
def plan(config_file: Path, exact: bool, as_json: bool = False) -> None:
    """List the sections Claude would (re)write, with estimated tokens and cost. Calls nothing."""
    settings = _settings(config_file, offline=False)
    rows = pipeline.plan_build(settings, exact=exact)
    misses = [row for row in rows if not row.cached]
    if as_json:
        click.echo(json.dumps({"sections": len(rows), "misses": len(misses),
                               "input_tokens": sum(r.input_tokens for r in misses),
                               "output_tokens": sum(r.output_tokens for r in misses),
                               "cost_usd": round(sum(r.cost_usd for r in misses), 6), "batch": settings.llm_batch}))
        return
    click.echo(f"{len(misses)} of {len(rows)} section(s) would be written by Claude; {len(rows) - len(misses)} "
               "are cached.")
    for row in misses:
        click.echo(f"  {row.key}  [{row.model}]  input {'' if row.exact else '~'}{row.input_tokens:,} tokens, "
                   f"output ~{row.output_tokens:,} tokens, ~${row.cost_usd:.4f}")
    total_in = sum(r.input_tokens for r in misses)
    total_out = sum(r.output_tokens for r in misses)
    click.echo(f"total: input {total_in:,} tokens, output ~{total_out:,} tokens, about "
               f"${sum(r.cost_usd for r in misses):.4f}{' (batch price)' if settings.llm_batch else ''}")
    if settings.llm == "offline" or not os.environ.get(settings.api_key_env, "").strip():
        click.echo(f"note: with llm={settings.llm} and ${settings.api_key_env} "
                   f"{'set' if os.environ.get(settings.api_key_env) else 'empty'}, a build would not call Claude.")


@main.command()
@config_option
@_friendly
def doctor(config_file: Path) -> None:
    """Check the configuration, tokens, clone depth, Mermaid fence and cache health."""
    problems = 0
    for check in doctor_module.run_checks(config_file, environ=dict(os.environ)):
        mark = {"ok": "ok", "warn": "WARN", "fail": "FAIL", "info": "info"}[check.level]
        click.echo(f"[{mark:>4}] {check.name}: {check.message}")
        problems += check.level == "fail"
    if problems:
        sys.exit(1)


@main.command()
@config_option
@click.option("--full", is_flag=True, help="List every issue again, to notice deleted and transferred issues.")
@_friendly
def sync(config_file: Path, full: bool) -> None:
    """Refresh the GitHub snapshot only (no pages are built); later builds read it when GitHub is unreachable."""
    from autodevhub_docs.sources.issues import sync_snapshot
    from autodevhub_docs.store import open_store

    settings = _settings(config_file, offline=True)
    bars: dict[str, Any] = {}

    def progress(what: str, page: int, expected: int | None) -> None:
        if what not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars[what] = click.progressbar(length=max(expected or page, 1), label=f"{what:<12}", show_pos=True,
                                           file=sys.stderr)
        bar = bars[what]
        bar.length = max(bar.length or 1, expected or page)
        bar.update(page - bar.pos)

    store = open_store(settings.cache_dir)
    try:
        summary = sync_snapshot(settings, store, full=full, progress=progress)
    finally:
        for bar in bars.values():
            bar.render_finish()
        store.close()
    left = "" if summary.rate_remaining is None else f", {summary.rate_remaining} requests left this hour"
    click.echo(f"synced {summary.repo}: {summary.changed} new or changed, {summary.issues} issues and "
               f"{summary.pulls} pull requests stored; {summary.requests} requests ({summary.not_modified} not "
               f"modified){left}")
