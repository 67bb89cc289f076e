# Fake servers for the tests (real SDKs talk to them over HTTP on 127.0.0.1).
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.github_server import GitHubFake, Request

__all__ = ["GitHubFake", "Request", "github_fake"]


@pytest.fixture
def github_fake() -> Iterator[GitHubFake]:
    """A started GitHubFake for `o/r` (import this fixture into a test module to use it)."""
    with GitHubFake(repo="o/r") as fake:
        yield fake
