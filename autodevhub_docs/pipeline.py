# The only orchestration: settings -> facts -> analysis -> prose -> documents -> {uri: markdown} + report.json.
# plugin.py and cli.py are thin adapters around `run_build`.
from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from autodevhub_docs import increments
from autodevhub_docs import pages as page_memo
from autodevhub_docs.analysis import analyse
from autodevhub_docs.analysis.memo import AnalysisMemo, EarlyScan
from autodevhub_docs.analysis.numbering import number_decisions
from autodevhub_docs.analysis.pyworker import early_python_pass
from autodevhub_docs.changes import changes_documents, inventory_of
from autodevhub_docs.collect import collect
from autodevhub_docs.errors import ConfigError
from autodevhub_docs.generators import REGISTRY, Document, GenContext
from autodevhub_docs.llm import LLMClient, OfflineWriter, ProseRequest
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import ArchitectureFacts, RepoFacts, digest
from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.redact import prepare as prepare_redaction
from autodevhub_docs.redact import register_env_names
from autodevhub_docs.report import BuildResult, build_report, write_report
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources import git
from autodevhub_docs.sources.checkout import Checkout
from autodevhub_docs.sources.history import read_repository_kept
from autodevhub_docs.sources.issues import SnapshotRefresh
from autodevhub_docs.sources.trees import TreeReader
from autodevhub_docs.store import Store, open_store

log = get_logger(__name__)


def make_client(settings: Settings, store: Store | None = None) -> LLMClient:
    """Choose the prose writer: Claude when asked for (or `auto` with a key), else the offline writer.

    Raises:
        ConfigError: `llm: anthropic` is set but the key variable is empty.
    """
    key = os.environ.get(settings.api_key_env, "").strip()
    if settings.llm == "anthropic" and not key:
        raise ConfigError(
            f"'llm: anthropic' is set but ${settings.api_key_env} is empty.",
            f"Export your Anthropic key in ${settings.api_key_env}, or set 'llm: auto' to fall back to offline.",
        )
    if settings.llm == "offline" or not key:
        return OfflineWriter()
    from autodevhub_docs.llm.anthropic import AnthropicClient  # the SDK is imported only when Claude is used

    return AnthropicClient(settings, store=store)


def shared_context(analysis: Analysis) -> dict[str, Any]:
    """The repository context many prompts share (sent once as a cached prefix)."""
    facts, arch = analysis.facts, analysis.architecture
    return {
        "name": facts.name,
        "head": facts.head,
        "languages": [(s.language, s.lines) for s in arch.languages[:10]],
        "components": [(c.path, c.kind, c.language) for c in arch.components[:30]],
        "manifests": list(arch.manifests[:30]),
    }


def plan_requests(settings: Settings, analysis: Analysis) -> list[ProseRequest]:
    """Return every prose request the enabled sections would make (used by `plan`)."""
    ctx = GenContext(settings=settings, analysis=analysis)
    requests: list[ProseRequest] = []
    for section, generator_class in REGISTRY.items():
        if section in settings.sections:
            requests.extend(generator_class().plan(ctx))
    return requests


def analyse_facts(settings: Settings, facts: RepoFacts, memo: AnalysisMemo | None = None) -> Analysis:
    """Run the analysis stage with the build's options (and what earlier builds stored, see `increments`)."""
    root = Path(facts.root)
    with TreeReader(root, settings.exclude) as trees:  # one git process for every revision the verifier reads
        return analyse(facts, Checkout(root).read_text, allow_private=settings.allow_private,
                       decisions="adr" in settings.sections, read_tree=trees.read, include=settings.include,
                       memo=memo)


def plan_build(settings: Settings, *, exact: bool = False) -> list[Any]:
    """Say which prose requests a build would send to Claude and what they would cost, calling nothing.

    Args:
        settings: Build options.
        exact: Count input tokens with the API's count_tokens endpoint.

    Returns:
        One `llm.plan.PlanRow` per prose request (cached ones included, marked as such).
    """
    from autodevhub_docs.llm.plan import plan as plan_llm

    warnings: list[str] = []
    store = open_store(settings.cache_dir)
    try:
        facts = collect(settings, store, warnings)
        analysis = number_decisions(analyse_facts(settings, facts), None)  # planning hands out no numbers
        requests = plan_requests(settings, analysis)
        return plan_llm(settings, requests, shared_context(analysis), store, exact=exact)
    finally:
        store.close()


def run_build(settings: Settings, *, llm: LLMClient | None = None, store: Store | None = None,
              github: SnapshotRefresh | None = None) -> BuildResult:
    """Generate every page of the enabled sections.

    Args:
        settings: Build options.
        llm: Prose writer; chosen from the settings when omitted.
        store: SQLite store; opened under `cache_dir` when omitted.
        github: The GitHub refresh already made for this build (`reuse.build` makes it to decide on reuse).

    Returns:
        The pages, the report (also written to `<cache_dir>/report.json`) and the facts.

    Raises:
        AutodevhubError: A source cannot be read, or an option is wrong.
    """
    with _collector_paused():
        return _run_build(settings, llm=llm, store=store, github=github)


def _run_build(settings: Settings, *, llm: LLMClient | None, store: Store | None,
               github: SnapshotRefresh | None) -> BuildResult:
    started = time.perf_counter()
    register_env_names(settings.github_token_env, settings.api_key_env)
    warnings: list[str] = []
    own_store = store is None
    store = store or open_store(settings.cache_dir)
    warnings.extend(store.warnings)  # e.g. a corrupt cache file that was set aside
    try:
        root = git.find_root(settings.repo_path)
        increments.check_context(settings, store, root)
        early: list[tuple[increments.StoredPython, EarlyScan]] = []

        def python_first(paths: tuple[str, ...], blobs: Mapping[str, str]) -> None:
            # Before the history is read: the Python pass goes on (in a child process, or here while git writes
            # the whole history on the other core), and the analysis takes it for the same paths.
            stored = increments.stored_python(store, blobs)
            finish, encoded = early_python_pass(root, paths, stored.unchanged)
            early.append((stored, EarlyScan(paths=paths, finish=finish, encoded=encoded)))
            prepare_redaction()  # while the pass may run on the other core, not at the end when nothing else does

        kept = read_repository_kept(settings.repo_path, settings.exclude, store, meanwhile=python_first)
        memos = increments.load(settings, store, kept.data, kept.continued, early=early[0] if early else None)
        facts = collect(settings, store, warnings, github=github, checkout=kept.data, manifest_history=False)
        gc.freeze()  # what loading read (history, files, memos) is not rescanned by the collection ending the build
        t_sources = time.perf_counter()
        analysis = number_decisions(analyse_facts(settings, facts, memos.analysis), store)
        increments.keep(store, memos, kept.data)
        warnings.extend(_empty_framework_warnings(analysis.architecture))
        t_analysis = time.perf_counter()
        client = llm or make_client(settings, store)
        documents = _generate(settings, analysis, client)
        if "changes" in settings.sections:
            documents += _changes_step(store, facts, documents)
        # A token committed to the repository (or echoed by a model) is masked on the page too (when rendered).
        rendered = page_memo.render_documents(settings, facts, documents, client.mode, store)
        page_memo.keep(store, rendered)
        pages = rendered.pages
        t_generation = time.perf_counter()
        warnings.extend(client.usage.warnings)
        # references a generator removed from model text (after the client's own check) are counted too
        client.usage.dropped_refs += sum(int(doc.context.get("dropped_refs", 0)) for doc in documents)
        report = build_report(mode=client.mode, commit=facts.head, pages=pages, changes=_changes_summary(documents),
                              decisions=analysis.decision_counts,
                              llm=client.usage.as_report(), github=store.get_json("github", "last_sync_stats"),
                              marks=(started, t_sources, t_analysis, t_generation), warnings=warnings,
                              incremental={"history": "continued" if kept.continued else "full",
                                           "files_read": kept.files_read, **memos.counts(),
                                           "pages_rendered": rendered.rendered, "pages_reused": rendered.reused})
        write_report(settings.cache_dir, report)
        return BuildResult(pages=pages, report=report, facts=facts, analysis=analysis, documents=documents)
    finally:
        if own_store:
            store.close()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run a build with the cyclic collector paused, then collect once.

    A build makes hundreds of thousands of long-lived containers (the log records, the decoded summaries, the
    analysis, the memo rows it encodes) and few garbage cycles; the collector would rescan the growing heap every
    few hundred allocations (75% of the time of decoding the stored summaries; after one commit at 62k commits,
    about 0.5 s of full collections while the memos are encoded). What the build froze after loading is handed
    back to the collector after the one collection at the end, which so scans only what the later stages made
    (`mkdocs serve` builds again, and the next build's garbage must stay collectable).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _empty_framework_warnings(arch: ArchitectureFacts) -> list[str]:
    """A detected framework or ORM that yields nothing is a warning, so `mkdocs build --strict` catches it."""
    found = []
    for report in arch.framework_reports:
        if report.found:
            continue
        what = "HTTP endpoints" if report.kind == "endpoints" else "entities"
        files = f"{len(report.files_read)} file(s) read" if report.files_read else "no file it reads was found"
        message = (f"{report.framework} is used (see {', '.join(r.path for r in report.evidence[:2]) or 'the code'})"
                   f" but no {what} were found: {files}"
                   + (f"; {'; '.join(report.problems[:3])}" if report.problems else "")
                   + ". The page says so; add the missing files or 'exclude' the framework's folder.")
        log.warning(message)
        found.append(message)
    return found


def render_pages(settings: Settings, facts: RepoFacts, documents: Sequence[Document], mode: str) -> dict[str, str]:
    """Render documents to redacted `{uri: text}`, plus `llms.txt` (used again under serve when templates change).

    Args:
        settings: Build options (the `custom_templates` folder is read now).
        facts: The facts the documents were built from.
        documents: The documents to render.
        mode: `offline` or `anthropic`, for the "generated from" line.

    Returns:
        Markdown pages and the other generated files (`changes/feed.xml`, `llms.txt`) by docs-relative URI.
    """
    return page_memo.render_documents(settings, facts, documents, mode).pages


def _changes_summary(documents: Sequence[Document]) -> dict[str, Any] | None:
    """What the changes page found, for report.json and the CI job summary."""
    page = next((doc for doc in documents if doc.uri == "changes/index.md"), None)
    summary = page.context.get("summary") if page else None
    return dict(summary) if isinstance(summary, Mapping) else None


def _generate(settings: Settings, analysis: Analysis, client: LLMClient) -> list[Document]:
    """Ask for the prose every section needs, then build every section's documents from the analysis."""
    requests = plan_requests(settings, analysis)
    prose = client.write(requests, shared_context(analysis)) if requests else {}
    ctx = GenContext(settings=settings, analysis=analysis)
    documents: list[Document] = []
    for section, generator_class in REGISTRY.items():
        if section in settings.sections:
            documents.extend(generator_class().build(ctx, prose))
    return documents


def _changes_step(store: Store, facts: RepoFacts, documents: Sequence[Document]) -> list[Document]:
    """Compare this build's inventory with the previous different build, and record this build."""
    inventory = inventory_of(documents)
    previous = store.record_build(facts.head, digest(inventory), inventory)
    return changes_documents(facts, documents, previous, store.build_history())



def written_pages(pages: Mapping[str, str], out: Path) -> Sequence[Path]:
    """Write pages under a folder (for `generate --out`), returning the files written."""
    written = []
    for uri, text in sorted(pages.items()):
        target = (out / uri).resolve()
        if not target.is_relative_to(out.resolve()):
            continue  # a URI never leaves the output folder
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
