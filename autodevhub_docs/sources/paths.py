# Which folders hold other programs than the one being documented: tests, fixtures, examples, vendored and generated
# code. Shared by the analysis (endpoints, entities, technologies) and decision mining (the followed files).
from __future__ import annotations

SAMPLE_PARTS = frozenset({
    "test", "tests", "spec", "specs", "__tests__", "__mocks__", "testdata", "fixtures", "fixture", "examples",
    "example", "samples", "sample", "vendor", "third_party", "node_modules", "codemods", "generated", "e2e",
    "bower_components", ".venv", "site-packages", "benchmarks",
})
"""Folders left out of endpoint and entity facts by default: tests, fixtures, examples, vendored and generated
code describe other programs, not this one (the `exclude` option leaves out more)."""


def is_sample_path(path: str) -> bool:
    """Whether a path lies in a test, fixture, example, vendored or generated folder."""
    return any(part.lower() in SAMPLE_PARTS for part in path.split("/")[:-1])
