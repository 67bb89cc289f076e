# Which folders hold other programs than the one being documented: tests, fixtures, examples, vendored and generated
# code. Shared by the analysis (endpoints, entities, technologies) and decision mining (the followed files).
from __future__ import annotations

import re

SAMPLE_PARTS = frozenset({
    "test", "tests", "spec", "specs", "__tests__", "__mocks__", "testdata", "fixtures", "fixture", "examples",
    "example", "samples", "sample", "vendor", "third_party", "node_modules", "codemods", "generated", "e2e",
    "bower_components", ".venv", "site-packages", "benchmarks",
})
"""Folders left out of endpoint and entity facts by default: tests, fixtures, examples, vendored and generated
code describe other programs, not this one (the `exclude` option leaves out more)."""


# One compiled matcher over the lowered path: a folder name among SAMPLE_PARTS, followed by a slash (so never the
# file's own name). Asked for every path by every adapter, so no per-call splitting.
_SAMPLE_FOLDER = re.compile("(?:^|/)(?:" + "|".join(re.escape(part) for part in sorted(SAMPLE_PARTS)) + ")/")


def is_sample_path(path: str) -> bool:
    """Whether a path lies in a test, fixture, example, vendored or generated folder."""
    return _SAMPLE_FOLDER.search(path.lower()) is not None
