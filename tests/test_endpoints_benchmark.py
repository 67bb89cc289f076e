# The endpoint benchmark follows the runner's protocol and its adapters find exactly what each generated app
# declares, in every language (no timing is asserted: the figures are for BENCHMARKS.md).
from __future__ import annotations

import pytest

from benchmarks import bench_endpoints


@pytest.mark.slow
def test_quick_benchmark_finds_exactly_the_generated_endpoints_and_entities_in_every_language() -> None:
    result = bench_endpoints.run(quick=True)
    figures = {f["language"]: f for f in result["figures"]}
    assert set(figures) == {"JavaScript", "TypeScript", "Java", "Kotlin", "Go", "C#", "Ruby", "PHP"}
    found = {name: (f["endpoints"], f["entities"]) for name, f in figures.items()}
    # Two units each: JS 2 x 7 + /health, 2 x 2 models + User, Tag; TS 2 x 7, 2 x (item, part);
    # Java 2 x 10, 2 x 2 + Owner; Kotlin 2 x 7, 2 x 2 + Owner; Go 2 x 12, 2 x 8; C# 2 x 13, 2 x 2 + Owner;
    # Ruby 2 x 30, 2 x 6; PHP 2 x 26, 2 x 4.
    assert found == {"JavaScript": (15, 6), "TypeScript": (14, 4), "Java": (20, 5), "Kotlin": (14, 5),
                     "Go": (24, 16), "C#": (26, 5), "Ruby": (60, 12), "PHP": (52, 8)}
    assert all(f["exact"] for f in figures.values())
    assert {f"{name}: ratio" for name in figures} == {metric for metric, _ in result["rows"]}
    assert isinstance(result["ok"], bool)
