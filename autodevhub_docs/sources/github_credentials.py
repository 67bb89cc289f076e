# Where GitHub credentials are read from, and whether a build has any. Kept apart from github_client.py so that a
# build can tell it has no credentials (and then keeps its snapshot) without importing PyGithub.
from __future__ import annotations

from collections.abc import Mapping

APP_ID_ENV = "GITHUB_APP_ID"
"""Variable with the GitHub App id (GitHub App installation auth)."""
APP_KEY_ENV = "GITHUB_APP_PRIVATE_KEY"
"""Variable with the GitHub App private key (PEM text)."""
APP_KEY_FILE_ENV = "GITHUB_APP_PRIVATE_KEY_FILE"
"""Variable with the path of the GitHub App private key, instead of the PEM text."""
APP_INSTALLATION_ENV = "GITHUB_APP_INSTALLATION_ID"
"""Optional variable with the installation id; looked up from the repository when missing."""


def has_credentials(token_env: str, environ: Mapping[str, str]) -> bool:
    """Whether a token, or a GitHub App id with its private key, is set.

    Args:
        token_env: Name of the variable that holds the token (`github_token_env`).
        environ: The environment to look in.
    """
    if environ.get(token_env, "").strip():
        return True
    key = environ.get(APP_KEY_ENV, "").strip() or environ.get(APP_KEY_FILE_ENV, "").strip()
    return bool(environ.get(APP_ID_ENV, "").strip() and key)
