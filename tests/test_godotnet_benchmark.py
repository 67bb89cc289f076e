# The Go and C# extraction benchmark follows the runner's protocol and finds what it generated (no timing is
# asserted: the figures are for BENCHMARKS.md).
from __future__ import annotations

import pytest

from benchmarks import bench_godotnet


@pytest.mark.slow
def test_quick_benchmark_reports_rows_and_finds_the_generated_facts() -> None:
    result = bench_godotnet.run(quick=True)
    assert result["title"] == "Go and C# endpoint and data-model extraction"
    rows = dict(result["rows"])
    # 3 packages x 12 routes; 3 x (3 items + 3 parts + owner + tag) models;
    # 3 controllers x 10 actions + 3 groups x 3 minimal routes; 3 x (item + part) + owner entities.
    assert rows["Go app: found"] == "GORM 24, Gin 36"
    assert rows["C# app: found"] == "ASP.NET Core 39, EF Core 7"
    assert {"Go app: ratio", "C# app: ratio"} <= set(rows)
    assert isinstance(result["ok"], bool)
