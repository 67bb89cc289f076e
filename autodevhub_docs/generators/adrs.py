# The decision-record section: hand-written ADRs included verbatim, and the index of all records.
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autodevhub_docs.generators.base import Document, GenContext
from autodevhub_docs.llm.client import ProseRequest, ProseResult
from autodevhub_docs.model import HandWrittenAdr


def site_uri(record: HandWrittenAdr, ctx: GenContext) -> tuple[str, bool]:
    """Return where a hand-written record appears on the site, and whether the site already has it.

    A record inside the docs folder is already part of the site; any other is copied verbatim to `adr/`.
    """
    docs_dir = ctx.settings.docs_dir
    full = Path(ctx.facts.root) / record.path
    if docs_dir is not None:
        try:
            return full.resolve().relative_to(docs_dir.resolve()).as_posix(), True
        except ValueError:
            pass
    return f"adr/{record.filename}", False


class AdrGenerator:
    """Writes `adr/index.md` and copies hand-written records that live outside the docs folder."""

    section = "adr"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """Hand-written records need no prose."""
        del ctx
        return []

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the index and the verbatim copies."""
        del prose
        documents = []
        rows: list[dict[str, Any]] = []
        inventory: dict[str, str] = {}
        for record in ctx.facts.adrs:
            uri, in_site = site_uri(record, ctx)
            if not in_site:
                documents.append(Document(uri=uri, title=record.title, template="", verbatim=record.text))
            link = uri.removeprefix("adr/") if uri.startswith("adr/") else f"../{uri}"
            rows.append({"record": record, "uri": uri, "link": link, "origin": "hand-written"})
            number = f"{record.number:04d}" if record.number is not None else uri
            inventory[number] = f"{record.title} ({record.status or 'no status'})"
        index = Document(
            uri="adr/index.md",
            title="Architecture Decision Records",
            template="adr/index.md.jinja",
            context={"rows": rows, "adr_dir": ctx.facts.adr_dir},
            inventory={"adr": inventory},
        )
        return [index, *documents]
