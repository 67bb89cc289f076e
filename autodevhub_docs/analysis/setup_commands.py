# How to set up and ship, from the repository's own files: the shell blocks its README and CONTRIBUTING give under
# setup or deployment headings, and the standard install command of each manifest's ecosystem.
from __future__ import annotations

import re

from autodevhub_docs.model import ArchitectureFacts, RepoFacts
from autodevhub_docs.model.analysis import CommandBlock, DevelopmentFacts, SetupStep

_SETUP_HEADING = re.compile(r"install|set ?up|getting started|quick ?start|development|contributing|usage|build|test",
                            re.I)
_DEPLOY_HEADING = re.compile(r"deploy|release|publish|production|docker|kubernetes|hosting", re.I)
_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$", re.M)
_FENCE = re.compile(r"^(```+|~~~+)[ \t]*([\w+-]*)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
_SHELL = {"", "sh", "bash", "shell", "console", "zsh", "powershell", "ps1", "cmd", "text"}


def command_blocks(markdown: str, heading: re.Pattern[str], source: str | None) -> list[CommandBlock]:
    """Return the shell code blocks found under headings that match `heading`, with the heading they sit under."""
    if not markdown or source is None:
        return []
    headings = [(m.start(), len(m.group(1)), m.group(2)) for m in _HEADING.finditer(markdown)]
    blocks = []
    for fence in _FENCE.finditer(markdown):
        lang = fence.group(2).lower()
        if lang not in _SHELL:
            continue
        above = [h for h in headings if h[0] < fence.start()]
        title = above[-1][2] if above else ""
        if title and heading.search(title):
            blocks.append(CommandBlock(heading=title, code=fence.group(3).rstrip("\n"), source=source))
    return blocks[:12]


_INSTALLERS = (
    ("pyproject.toml", "Python", "pip install -e ."), ("requirements.txt", "Python", "pip install -r requirements.txt"),
    ("Pipfile", "Python", "pipenv install"), ("package.json", "Node.js", "npm install"),
    ("go.mod", "Go", "go mod download"), ("Cargo.toml", "Rust", "cargo build"), ("Gemfile", "Ruby", "bundle install"),
    ("composer.json", "PHP", "composer install"),
    ("pom.xml", "Java", "mvn install"), ("build.gradle", "Java", "gradle build"),
)


def setup_steps(arch: ArchitectureFacts) -> list[SetupStep]:
    """One install step per manifest: the ecosystem's standard command, run in the manifest's folder."""
    steps = []
    for manifest in arch.manifests:
        name = manifest.rsplit("/", 1)[-1]
        folder = manifest.rsplit("/", 1)[0] if "/" in manifest else "."
        for file_name, ecosystem, command in _INSTALLERS:
            if name == file_name:
                steps.append(SetupStep(manifest=manifest, folder=folder, ecosystem=ecosystem, command=command))
    return steps


def development_facts(facts: RepoFacts, arch: ArchitectureFacts) -> DevelopmentFacts:
    """How to set up and ship, from the README, CONTRIBUTING and the manifests."""
    setup = command_blocks(facts.readme, _SETUP_HEADING, facts.readme_path)
    setup += command_blocks(facts.contributing, _SETUP_HEADING, facts.contributing_path)
    deploy = command_blocks(facts.readme, _DEPLOY_HEADING, facts.readme_path)
    return DevelopmentFacts(setup_blocks=tuple(setup), deploy_blocks=tuple(deploy), steps=tuple(setup_steps(arch)))
