"""Run every benchmark and write BENCHMARKS.md.

Usage: ``.venv/bin/python -m benchmarks.run_all [--quick] [--only NAME]``

Each ``benchmarks/bench_*.py`` module defines ``run(quick: bool) -> dict`` returning::

    {"title": "GitHub sync", "rows": [["metric", "value"], ...], "notes": "markdown", "ok": True}

``ok`` is False when a target in the issue was missed; the row that misses says so.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs (for a smoke run, not for the figures)")
    parser.add_argument("--only", help="run only bench_<NAME>.py")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n == f"bench_{args.only}"]
    sections = []
    for name in names:
        print(f"running {name} ...", flush=True)
        started = time.perf_counter()
        result = importlib.import_module(f"benchmarks.{name}").run(quick=args.quick)
        result["seconds"] = time.perf_counter() - started
        sections.append((name, result))
        print(f"  done in {result['seconds']:.1f} s, {'ok' if result.get('ok', True) else 'TARGET MISSED'}")
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m benchmarks.run_all` (see each section for what it measures). Ratios compare two",
        "measurements taken in the same run, because these machines are noisy.",
        "",
        f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}, "
        f"{_cpus()} CPUs. Mode: {'quick' if args.quick else 'full'}. Date: {time.strftime('%Y-%m-%d')}.",
        "",
        "Reproduce: `bash scripts/test` once (installs everything), then `.venv/bin/python -m benchmarks.run_all`.",
        "",
    ]
    for name, result in sections:
        lines += [f"## {result['title']}", "", f"`benchmarks/{name}.py`, {result['seconds']:.1f} s. "
                  f"Targets met: {'yes' if result.get('ok', True) else '**no**'}.", "",
                  "| Measure | Value |", "|---|---|"]
        lines += [f"| {metric} | {value} |" for metric, value in result["rows"]]
        if result.get("notes"):
            lines += ["", result["notes"].strip()]
        lines.append("")
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r.get("ok", True) for _, r in sections) else 1


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
