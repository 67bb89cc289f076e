# The one way this project runs git. Every git process gets the same environment and the same error path:
#   - no prompt can block a build (GIT_TERMINAL_PROMPT=0, and stdin is closed unless data is sent);
#   - output is parseable whatever the user's locale (LC_ALL=C) and paths come out raw (core.quotepath=off);
#   - reads never take the index lock (GIT_OPTIONAL_LOCKS=0), so a build under `mkdocs serve` never makes the
#     user's own `git commit` fail with "index.lock exists".
# Kept free of heavy imports: reuse.py calls it before deciding whether to load the pipeline at all.
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from autodevhub_docs.errors import SourceError

GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
"""Variables set for every git process, on top of the caller's environment."""


def run_git(root: Path, *args: str, stdin: bytes | None = None, check: bool = True,
            timeout: float | None = None) -> bytes:
    """Run one git command in a repository and return its standard output.

    Args:
        root: Folder to run in (`git -C root`).
        *args: The git command and its arguments.
        stdin: Bytes fed to the command (e.g. object names for `cat-file --batch`).
        check: Raise when git exits with an error; when False, a failed command returns `b""`.
        timeout: Seconds before the process is killed (counts as a failure).

    Raises:
        SourceError: git is not installed, or (with `check`) the command failed or timed out.
    """
    command = ["git", "-c", "core.quotepath=off", "-C", str(root), *args]
    try:
        proc = subprocess.run(command, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, env={**os.environ, **GIT_ENV}, check=False, timeout=timeout)
    except FileNotFoundError:
        raise SourceError("git is not installed or not on PATH.", "Install git (e.g. 'apt-get install git').") from None
    except subprocess.TimeoutExpired:
        if not check:
            return b""
        raise SourceError(f"git {args[0]} took longer than {timeout} s in '{root}'.",
                          "Check that the checkout is on a local disk and not locked by another git process.") from None
    if proc.returncode == 0:
        return proc.stdout
    if not check:
        return b""
    message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    raise SourceError(
        f"git {args[0]} failed in '{root}': {message[-1] if message else 'no message'}",
        "Check that the folder is a healthy git checkout ('git status' should work there).",
    )


def git_text(root: Path, *args: str, check: bool = True, errors: str = "replace", timeout: float | None = None) -> str:
    """`run_git` decoded as UTF-8.

    Args:
        root: Folder to run in.
        *args: The git command and its arguments.
        check: As `run_git`.
        errors: How undecodable bytes are decoded: `replace` for text shown on pages, `surrogateescape` for paths
            that are opened again.
        timeout: As `run_git`.

    Raises:
        SourceError: As `run_git`.
    """
    return run_git(root, *args, check=check, timeout=timeout).decode("utf-8", errors)


def head_of(path: Path) -> str:
    """The HEAD sha of the repository at `path`, '' when it has no commits or is not a repository."""
    try:
        return git_text(path, "rev-parse", "-q", "--verify", "HEAD", check=False).strip()
    except SourceError:
        return ""
