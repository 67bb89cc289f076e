# Which folders hold other programs than the one being documented: tests, fixtures, examples, vendored and generated
# code. Shared by the analysis (endpoints, entities, technologies) and decision mining (the followed files).
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import fnmatchcase

SAMPLE_PARTS = frozenset({
    "test", "tests", "spec", "specs", "__tests__", "__mocks__", "testdata", "fixtures", "fixture", "examples",
    "example", "samples", "vendor", "third_party", "node_modules", "codemods", "generated", "e2e",
    "bower_components", ".venv", "site-packages", "benchmarks",
})
"""Folders left out of endpoint and entity facts by default: tests, fixtures, examples, vendored and generated
code describe other programs, not this one (the `exclude` option leaves out more)."""


_INCLUDE: ContextVar[tuple[str, ...]] = ContextVar("autodevhub_include", default=())
"""The `include` option of the build being analysed: globs of sample-folder paths to keep after all.

A context variable rather than an argument because the rule is asked in dozens of places (every adapter, the
technology detection); it is set for the duration of one analysis and reset after it."""


# One compiled matcher over the lowered path: a folder name among SAMPLE_PARTS, followed by a slash (so never the
# file's own name). Asked for every path by every adapter, so no per-call splitting.
_SAMPLE_FOLDER = re.compile("(?:^|/)(?:" + "|".join(re.escape(part) for part in sorted(SAMPLE_PARTS)) + ")/")


def is_sample_folder(path: str) -> bool:
    """Whether a path lies in a test, fixture, example, vendored or generated folder (the default rule only)."""
    return _SAMPLE_FOLDER.search(path.lower()) is not None


def is_sample_path(path: str) -> bool:
    """Whether a path is left out as a sample: in a sample folder and not kept by the `include` option."""
    if not is_sample_folder(path):
        return False
    globs = _INCLUDE.get()
    return not globs or not any(fnmatchcase(path, glob) for glob in globs)


@contextmanager
def including(globs: Iterable[str]) -> Iterator[None]:
    """Keep the paths that match these globs even inside sample folders, for the duration of the block."""
    token = _INCLUDE.set(tuple(globs))
    try:
        yield
    finally:
        _INCLUDE.reset(token)
