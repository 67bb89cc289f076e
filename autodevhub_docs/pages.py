# Documents -> the Markdown of the site, redacted. A page is rendered (and redacted) again only when what it is
# made of changed: its template, its context, its notes, the templates and the secrets to mask. Each page's body is
# kept in the store under the digest of those inputs, rendered with a stand-in for the commit sha (links to files
# are pinned to HEAD, which every commit moves), so that after one commit only the pages whose context changed are
# rendered; the others come from the store with the new sha put in and the new "generated from" line appended.
# Cold and incremental builds go through the same steps, so both write the same text.
# The digest holds only what the page's template can read (`template_reads`): of a fact record, the attributes the
# template reads, so a commit (new `facts.commits`) leaves the architecture pages that read `facts.name` alone. It
# digests each value once per build however many pages share it (`fact_pickle`).
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autodevhub_docs.code_identity import stat_into
from autodevhub_docs.fact_pickle import digest, pickled
from autodevhub_docs.generators import Document
from autodevhub_docs.model import RepoFacts
from autodevhub_docs.redact import redact, secret_values
from autodevhub_docs.rendering.env import SourceLinker, make_env, render
from autodevhub_docs.rendering.llms import LLMS_TXT, llms_full_text, llms_index
from autodevhub_docs.rendering.markdown import inline
from autodevhub_docs.rendering.precompile import BYTECODE_FOLDER, precompiled_reads
from autodevhub_docs.rendering.template_reads import WHOLE, Reads, TemplateReads
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import Store

PAGES = "memo:pages"
"""`bodies`: each page's redacted body (without its "generated from" line, with `HEAD_MARK` for the commit), by the
digest of its inputs; one row, read and written whole (a site has tens of pages, not thousands)."""
HEAD_MARK = hashlib.sha256(b"autodevhub-docs: the documented commit").hexdigest()[:40]
"""Stands for HEAD in a kept body: 40 hex digits, so every link and detector treats it as a commit sha."""


@dataclass
class Rendered:
    """The pages of one build, and how many were rendered or taken from the store."""

    pages: dict[str, str]
    """Redacted Markdown pages and other generated files by docs-relative URI, `llms.txt` included."""
    rendered: int = 0
    reused: int = 0
    kept: dict[str, str] = field(default_factory=dict)
    """What to store for the next build: body by input digest."""
    changed: bool = True
    """Whether `kept` differs from what the store holds (an unchanged build writes nothing)."""
    reads: dict[str, Any] = field(default_factory=dict)
    """What each template reads of its context (`template_reads`), with the digest of the templates it holds for."""
    reads_changed: bool = True


def render_documents(settings: Settings, facts: RepoFacts, documents: Sequence[Document], mode: str,
                     store: Store | None = None) -> Rendered:
    """Render and redact every document, taking from the store the bodies whose inputs did not change.

    Args:
        settings: Build options (the `custom_templates` folder is read now).
        facts: The facts the documents were built from.
        documents: The documents to render.
        mode: `offline` or `anthropic`, for the "generated from" line.
        store: Where bodies are kept between builds; None renders every page and keeps nothing.

    Returns:
        The pages, `llms.txt` included, and what to store (`keep`).
    """
    bytecode_dir = settings.cache_dir / BYTECODE_FOLDER
    env = make_env(settings.custom_templates, bytecode_dir=bytecode_dir)
    linker = SourceLinker(facts.web_url, HEAD_MARK if facts.head else "")
    secrets = secret_values()
    salt = _salt(settings.custom_templates, linker.web_url, secrets)
    values: dict[int, tuple[Any, bytes | None]] = {}
    reads = TemplateReads(env)
    fingerprint = reads.fingerprint()
    stored_reads = (store.get_json(PAGES, "reads") if store is not None else None) or {}
    if stored_reads.get("templates") == fingerprint:
        reads.from_json(stored_reads.get("reads"))
    else:  # a first build: what the child compiling the templates worked out, if it got that far
        reads.from_json(precompiled_reads(bytecode_dir, fingerprint))
    keys = {doc.uri: _digest(doc, salt, values, reads.of(doc.template) if doc.verbatim is None else {})
            for doc in documents}
    stored = (store.get_json(PAGES, "bodies") if store is not None else None) or {}
    tail = f"\n\n---\n\n{redact(_stamp(facts, mode), secrets)}\n"
    result = Rendered(pages={})
    for doc in documents:
        key = keys[doc.uri]
        body = stored.get(key) if key else None
        if isinstance(body, str):
            result.reused += 1
        else:
            body = redact(_body(env, doc, linker), secrets)
            result.rendered += 1
        if key:
            result.kept[key] = body
        text = body.replace(HEAD_MARK, facts.head) if facts.head else body
        result.pages[doc.uri] = text if doc.verbatim is not None else text + tail
    result.changed = result.kept != stored
    result.reads = {"templates": fingerprint, "reads": reads.as_json()}
    result.reads_changed = result.reads != stored_reads
    if any(uri.endswith(".md") for uri in result.pages):
        titles = {doc.uri: doc.title for doc in documents}
        result.pages[LLMS_TXT] = (redact(llms_index(facts.name, result.pages, titles), secrets)
                                  + llms_full_text(result.pages, lambda line: redact(line, secrets)))
    return result


def keep(store: Store, rendered: Rendered) -> None:
    """Store this build's bodies for the next one (the ones no page was made of this time are forgotten)."""
    if rendered.changed:
        store.put_json(PAGES, "bodies", rendered.kept)
    if rendered.reads_changed:
        store.put_json(PAGES, "reads", rendered.reads)


def _body(env: Any, doc: Document, linker: SourceLinker) -> str:
    """The page without its "generated from" line (a verbatim page as it is)."""
    if doc.verbatim is not None:
        return doc.verbatim
    body = render(env, doc.template, {**doc.context, "src": linker})
    notes = "".join(f"> **Note:** {inline(note, 500)}\n\n" for note in doc.notes)
    if notes:
        heading, _, rest = body.partition("\n")
        body = f"{heading}\n\n{notes}{rest.lstrip()}" if heading.startswith("# ") else notes + body
    return body.rstrip()


def _stamp(facts: RepoFacts, mode: str) -> str:
    if not facts.head:
        return "*Generated by AutoDevHub Docs from a repository with no commits yet.*"
    date = facts.commits[0].date[:10] if facts.commits else ""
    writer = "Claude" if mode == "anthropic" else "the offline writer"
    return f"*Generated from commit `{facts.head[:7]}` on {date} by AutoDevHub Docs ({writer}).*"


def _salt(custom_templates: Path | None, web_url: str | None, secrets: Iterable[str]) -> bytes:
    """What every page is also made of: the custom templates, the repository's address and the secrets to mask.

    The built-in templates and this package's code are in the memos' context (`increments.check_context`).
    """
    sha = hashlib.sha256(f"{web_url}\0".encode())
    for secret in secrets:  # only their digest is kept
        sha.update(secret.encode("utf-8", "surrogateescape") + b"\0")
    if custom_templates is not None and custom_templates.is_dir():
        for path in sorted(p for p in custom_templates.rglob("*") if p.is_file()):
            stat_into(sha, path)
    return sha.digest()


def _digest(doc: Document, salt: bytes, values: dict[int, tuple[Any, bytes | None]], reads: Reads | None) -> str | None:
    """The digest of what a page is made of; None when its context has no exact serial form (always rendered).

    A pickle names every value's class and holds all its state, so two contexts with the same pickle render the
    same; contexts that are equal but pickle differently (a set's order) only cost a render. Of a context value the
    template reads only some attributes of (`reads`; None: it may read anything whole), a fact record, only those
    attributes count; a value it never reads does not count. Each value is pickled and digested once per build
    (`values`, by identity: the object is kept there, so its id stays its own).
    """
    parts: list[Any] = []
    for name, value in doc.context.items():
        if reads is not None and name not in reads:
            continue  # the template never reads it
        attributes = reads[name] if reads is not None else WHOLE
        if attributes is WHOLE or not dataclasses.is_dataclass(value) or isinstance(value, type):
            whole = _known_digest(value, values)
            if whole is None:
                return None
            parts.append((name, whole))
            continue
        read = []
        for attribute in sorted(attributes):
            try:
                part = _known_digest(getattr(value, attribute), values)
            except Exception:
                part = b"fails"
            if part is None:
                return None
            read.append((attribute, part))
        parts.append((name, f"{type(value).__module__}.{type(value).__qualname__}", read))
    blob = pickled((doc.template, doc.verbatim, doc.notes, parts))
    return hashlib.sha256(salt + blob).hexdigest() if blob is not None else None


def _known_digest(value: Any, values: dict[int, tuple[Any, bytes | None]]) -> bytes | None:
    known = values.get(id(value))
    if known is None:
        known = values[id(value)] = (value, digest(value))
    return known[1]
