# The development section: how to set up and ship, taken from the repository's own files.
from __future__ import annotations

from collections.abc import Mapping

from autodevhub_docs.generators.base import Document, GenContext
from autodevhub_docs.llm.client import ProseRequest, ProseResult


class DevelopmentGenerator:
    """Writes `development/setup-guide.md` and `development/deployment.md`."""

    section = "development"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """Both pages are built from the repository's own instructions; no prose is requested yet."""
        del ctx
        return []

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the two development pages."""
        del prose
        facts, arch, development = ctx.facts, ctx.arch, ctx.analysis.development
        common = {"facts": facts, "arch": arch}
        return [
            Document(uri="development/setup-guide.md", title="Setup Guide", template="development/setup-guide.md.jinja",
                     context={**common, "blocks": development.setup_blocks, "steps": development.steps,
                              "runners": sorted({s.runner for s in arch.scripts}),
                              "secret_vars": sum(1 for v in arch.env_vars if v.default is None)}),
            Document(uri="development/deployment.md", title="Deployment", template="development/deployment.md.jinja",
                     context={**common, "blocks": development.deploy_blocks,
                              "shipping": [(w, j) for w in arch.workflows for j in w.jobs
                                           if {"deploy", "publish", "build"} & set(j.purposes)]}),
        ]
