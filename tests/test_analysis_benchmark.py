# The analysis benchmark follows the runner's protocol, analyses what it generated, and meets its targets (the
# analysis within 1.5x of reading and parsing the same files, measured in the same run, and under 1 GB).
from __future__ import annotations

import pytest

from benchmarks import bench_analysis


@pytest.mark.slow
def test_quick_benchmark_reports_rows_and_finds_the_generated_facts() -> None:
    # the small tree takes about a second, so one busy moment on a shared machine weighs a lot: best of 7
    result = bench_analysis.run(quick=True, rounds=7)
    assert result["title"] == "Static analysis of a large Python tree"
    rows = dict(result["rows"])
    assert rows["Python files"] == "155"
    assert rows["Found"].startswith("16 endpoints, 12 entities, 6 relations, 3 env vars")
    assert "Ratio analysis / baseline" in rows and "Peak memory of the analysis process" in rows
    assert "MISSED" not in rows["Ratio analysis / baseline"] + rows["Peak memory of the analysis process"], rows
    assert result["ok"] is True, rows
