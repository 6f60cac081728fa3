"""Time and peak memory of a whole `equality-reports run` at several workforce sizes.

    python benchmarks/bench_reports.py                      # rraa-employment, 1k 10k 100k 1M staff
    python benchmarks/bench_reports.py --report wres --sizes 1000,100000

Each size's dataset is generated once with ``equality_reports.intake.generate_sample`` (kind
``council``, events in proportion to staff) and cached under ``--cache`` (default
/tmp/equality-reports-bench). Each run is a separate process (all output formats), so the peak
RSS (``ru_maxrss`` of RUSAGE_CHILDREN, the largest child so far) is that run's alone when sizes
go up in order.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def dataset(size: int, cache: Path, kind: str) -> Path:
    """The cached sample dataset folder for ``size`` staff, generated when absent."""
    from equality_reports.intake import generate_sample

    folder = cache / f"{kind}-{size}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_sample(folder, kind, staff=size, seed=2025)
        (folder / ".complete").write_text("ok\n")
    return folder


def run(report: str, data: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run of the command line (``report`` "all": run --all)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    which = ["--all"] if report == "all" else [report]
    proc = subprocess.run([sys.executable, "-m", "equality_reports", "run", *which, "--data", str(data),
                           "--out", str(out)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}) on {data}:\n{proc.stderr}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return elapsed, peak_kib / 1024


def audit_seconds(out: Path) -> str:
    """The joint disclosure pass's seconds, from the run's internal diagnostics."""
    diagnostics = out / ".equality-reports" / "diagnostics-internal.json"
    value = json.loads(diagnostics.read_text()).get("audit_seconds") if diagnostics.exists() else None
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="rraa-employment", help='a report, or "all" for run --all')
    parser.add_argument("--sizes", default="1000,10000,100000,1000000",
                        help="comma-separated staff counts, run smallest first")
    parser.add_argument("--kind", default="council", help="generate_sample kind")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/equality-reports-bench"))
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    print(f"report {args.report}, kind {args.kind}, all formats\n")
    print("| staff | generate (s) | run (s) | audit (s) | peak RSS (MiB) |\n|---:|---:|---:|---:|---:|")
    for size in sizes:
        start = time.perf_counter()
        data = dataset(size, args.cache, args.kind)
        generated = time.perf_counter() - start
        out = args.cache / f"out-{args.report}-{size}"
        seconds, peak = run(args.report, data, out)
        print(f"| {size:,} | {generated:.1f} | {seconds:.2f} | {audit_seconds(out)} | {peak:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
