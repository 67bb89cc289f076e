# The analysis stage: facts in, one frozen `Analysis` out. Everything the generators need is computed here, once per
# build: the architecture facts, the manifests, the development facts, the mined decisions (and which hand-written
# records cover them) and the story triage. Decision numbers are assigned afterwards by `numbering`, through the
# store, because they must stay stable across builds.
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from autodevhub_docs.analysis.architecture import architecture_facts
from autodevhub_docs.analysis.decisions import Mined, covered_by_hand, mine
from autodevhub_docs.analysis.decisions.verify import TreeReader
from autodevhub_docs.analysis.memo import AnalysisMemo
from autodevhub_docs.analysis.setup_commands import development_facts
from autodevhub_docs.analysis.stories import triage
from autodevhub_docs.model import RepoFacts
from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.sources.checkout import Checkout
from autodevhub_docs.sources.paths import including

ReadText = Callable[[str], "str | None"]


def github_usable(facts: RepoFacts, *, allow_private: bool) -> bool:
    """Whether issue and PR data may reach pages and prompts (a private repository needs `allow_private`)."""
    github = facts.github
    return github is not None and (not github.private or allow_private)


def analyse(facts: RepoFacts, read_text: ReadText | None = None, *, allow_private: bool = False,
            decisions: bool = True, read_tree: TreeReader | None = None, include: Sequence[str] = (),
            memo: AnalysisMemo | None = None) -> Analysis:
    """Analyse a repository's facts.

    Args:
        facts: What the sources read.
        read_text: Reads a tracked file's text; by default the checkout at `facts.root`, read safely.
        allow_private: Let a private repository's issues and PRs reach pages (the `allow_private` option).
        decisions: Mine decisions from history (the ADR section is enabled).
        read_tree: Reads the followed files at a revision, to verify each decision at its cited commits; by default
            with git from `facts.root`.
        include: Globs of paths to keep although they sit in a sample folder (the `include` option).
        memo: What earlier builds worked out and this one need not redo (see `memo.AnalysisMemo`); what this build
            works out is added to it.

    Returns:
        The analysis, with decision numbers not yet assigned (see `numbering.number_decisions`).
    """
    reader = read_text or Checkout(Path(facts.root)).read_text
    usable = github_usable(facts, allow_private=allow_private)
    # Decisions first: they need no code, and a Python pass made in a child process (`memo.early`) goes on meanwhile.
    found = mine(facts, include_github=usable, read_tree=read_tree, memo=memo) if decisions else Mined((), 0, 0)
    with including(include):
        architecture, manifests = architecture_facts(facts, reader, memo)
    mined = found.decisions
    return Analysis(
        facts=facts,
        architecture=architecture,
        manifests=manifests,
        development=development_facts(facts, architecture),
        decisions=mined,
        decision_counts={"candidates": found.candidates, "rejected": found.rejected,
                         "records": sum(1 for d in mined if not d.minor), "minor": sum(1 for d in mined if d.minor)},
        covered_decisions=covered_by_hand(mined, facts.adrs),
        triage=triage(facts.github) if usable and facts.github is not None else None,
        github_usable=usable,
    )
