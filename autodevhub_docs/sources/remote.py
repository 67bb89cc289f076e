# The checkout's top folder and the GitHub repository its origin remote names: all a warm build needs of git
# besides `git status` (reuse.py), so it is kept apart from the history reader (sources/git.py) and its model.
from __future__ import annotations

import re
from pathlib import Path

from autodevhub_docs.errors import NotAGitRepositoryError, SourceError
from autodevhub_docs.sources.git_runner import git_text


def find_root(path: Path) -> Path:
    """Return the top level of the git repository containing `path`.

    Raises:
        SourceError: The folder does not exist.
        NotAGitRepositoryError: It is not inside a git repository.
    """
    if not path.is_dir():
        raise SourceError(
            f"The repository folder '{path}' does not exist.",
            "Set 'repo_path' in mkdocs.yml (relative to mkdocs.yml) to the folder of your git checkout.",
        )
    out = git_text(path, "rev-parse", "--show-toplevel", check=False).strip()
    if not out:
        raise NotAGitRepositoryError(str(path))
    return Path(out).resolve()


_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")


def clean_remote(url: str) -> str:
    """Remove credentials (`https://user:token@host/...`), the query and the fragment from a remote URL.

    A token can sit in any of them (`?access_token=...`), and the remote ends up in every source link and in the
    feed's `<id>`; none of them is needed to name the repository.
    """
    value = url.strip()
    if "://" in value:  # scp-like `git@host:path` has neither userinfo to hide nor a query
        value = _CREDENTIALS.sub("", value.split("#", 1)[0].split("?", 1)[0])
    return value


_GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<repo>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")


def github_repo_from_remote(remote_url: str | None) -> str | None:
    """Return `owner/name` when the origin remote is on github.com."""
    if not remote_url:
        return None
    match = _GITHUB_REMOTE.search(remote_url)
    return match.group("repo") if match else None
