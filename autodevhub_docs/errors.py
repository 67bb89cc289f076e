# Domain errors. Every message names the problem and ends with a '--> how to fix' line.
# The plugin turns them into mkdocs PluginError and the CLI into click errors; no traceback reaches a user.
from __future__ import annotations

from autodevhub_docs.redact import redact


class AutodevhubError(Exception):
    """Base class for every error raised by autodevhub_docs."""

    def __init__(self, problem: str, fix: str) -> None:
        # Messages often quote paths, URLs or server replies; a token inside them must never be shown.
        self.problem = redact(problem)
        """What went wrong."""
        self.fix = redact(fix)
        """What the user can do about it."""
        super().__init__(f"{self.problem}\n--> {self.fix}")


class ConfigError(AutodevhubError):
    """An option in `mkdocs.yml` or on the command line has a bad value."""


class SourceError(AutodevhubError):
    """A source (git checkout, GitHub, issue export) cannot be read."""


class NotAGitRepositoryError(SourceError):
    """The folder to document is not a git checkout."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"'{path}' is not a git repository (git could not find a .git folder there).",
            "Point 'repo_path' in mkdocs.yml at a git checkout, or run 'git init' there and commit your files.",
        )


class GitHubAuthError(SourceError):
    """GitHub refused the credentials, or the repository is not visible with them."""


class TemplateError(AutodevhubError):
    """A built-in or custom template failed to render."""


class LLMError(AutodevhubError):
    """The language model endpoint refused the request in a way retries cannot fix."""


class CacheError(AutodevhubError):
    """The SQLite cache or snapshot cannot be opened or written."""


class GitHubUnavailableError(SourceError):
    """GitHub could not be reached (network error, timeouts, 5xx after retries); the snapshot is used instead."""


class GitHubRateLimitError(GitHubUnavailableError):
    """A GitHub rate limit would need a longer wait than `github_max_wait_s`; the snapshot is used instead."""


class GitHubNotFoundError(GitHubAuthError):
    """GitHub answered 404 or 410: the repository (or one of its issues) does not exist or is not visible."""
