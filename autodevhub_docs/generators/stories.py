# The user-story section. Stories come from GitHub issues (or an offline export); without them the section
# says so plainly instead of inventing any.
from __future__ import annotations

from collections.abc import Mapping

from autodevhub_docs.generators.base import Document, GenContext
from autodevhub_docs.llm.client import ProseRequest, ProseResult


class StoryGenerator:
    """Writes `stories/index.md` and one page per epic."""

    section = "stories"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """No prose is needed until issues are available."""
        del ctx
        return []

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the story map."""
        del prose
        github = ctx.facts.github
        issues = github.issues if github else ()
        return [Document(uri="stories/index.md", title="User Stories", template="stories/index.md.jinja",
                         context={"github": github, "issues": issues})]
