# The analysis benchmark follows the runner's protocol and analyses what it generated. Its targets (the analysis
# within 1.5x of reading and parsing the same files, measured in the same run, and under 1 GB) are judged at full
# size in BENCHMARKS.md, not here: tests never depend on timing, and the quick tree is dominated by start-up.
from __future__ import annotations

import pytest

from benchmarks import bench_analysis


@pytest.mark.slow
def test_quick_benchmark_reports_rows_and_finds_the_generated_facts() -> None:
    result = bench_analysis.run(quick=True, rounds=1)
    assert result["title"] == "Static analysis of a large Python tree"
    rows = dict(result["rows"])
    assert rows["Python files"] == "155"
    assert rows["Found"].startswith("16 endpoints, 12 entities, 6 relations, 3 env vars")
    assert "Ratio analysis / baseline" in rows and "Peak memory of the analysis process" in rows
    assert rows["Ratio analysis / baseline"].endswith(("(target ≤ 1.5×)", "(target ≤ 1.5×) MISSED")), rows
    assert isinstance(result["ok"], bool)
