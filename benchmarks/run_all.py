"""Run every benchmark and write BENCHMARKS.md.

Usage: ``.venv/bin/python -m benchmarks.run_all [--quick] [--only NAME]``

With ``--only``, the other sections of an existing BENCHMARKS.md are kept as they are and the one that ran replaces
its own (or is added), with the date it ran: a full-size benchmark can be refreshed without rerunning every other.

Each ``benchmarks/bench_*.py`` module defines ``run(quick: bool) -> dict`` returning::

    {"title": "GitHub sync", "rows": [["metric", "value"], ...], "notes": "markdown", "ok": True}

``ok`` is False when a target in the issue was missed; the row that misses says so.
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import platform
import re
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
    # An installed package has its bytecode (pip compiles it). An editable install on a machine that sets
    # PYTHONDONTWRITEBYTECODE (this one does) would compile ~200 modules in every timed build (0.24 s each time),
    # which neither a user's build nor the plain-MkDocs floor (its packages are compiled) pays.
    compileall.compile_dir(ROOT / "autodevhub_docs", quiet=1)
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
    out = Path(args.out)
    if args.only and out.exists():
        out.write_text(_merged(out.read_text(encoding="utf-8"), sections), encoding="utf-8")
        print(f"updated {args.out}")
        return 0 if all(r.get("ok", True) for _, r in sections) else 1
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
        "The runner compiles the package's bytecode first, as an installed package has it.",
        "",
    ]
    for name, result in sections:
        lines += _section(name, result)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r.get("ok", True) for _, r in sections) else 1


def _section(name: str, result: dict, ran_on: str = "") -> list[str]:
    """The Markdown lines of one benchmark's section."""
    lines = [f"## {result['title']}", "", f"`benchmarks/{name}.py`, {result['seconds']:.1f} s{ran_on}. "
             f"Targets met: {'yes' if result.get('ok', True) else '**no**'}.", "", "| Measure | Value |", "|---|---|"]
    lines += [f"| {metric} | {value} |" for metric, value in result["rows"]]
    if result.get("notes"):
        lines += ["", result["notes"].strip()]
    lines.append("")
    return lines


def _merged(existing: str, sections: list[tuple[str, dict]]) -> str:
    """An existing BENCHMARKS.md with the sections that ran replaced (or added, in name order)."""
    head, *parts = re.split(r"(?m)^(?=## )", existing)
    kept: dict[str, str] = {}
    for part in parts:
        found = re.search(r"(?m)^`benchmarks/(bench_\w+)\.py`", part)
        kept[found.group(1) if found else part] = part.rstrip("\n") + "\n\n"
    ran_on = f", refreshed by itself (`--only`) on {time.strftime('%Y-%m-%d')} ({_cpus()} CPUs)"
    for name, result in sections:
        kept[name] = "\n".join(_section(name, result, ran_on)) + "\n"
    ordered = sorted(kept.items(), key=lambda item: item[0])
    return (head + "".join(text for _, text in ordered)).rstrip("\n") + "\n"


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
