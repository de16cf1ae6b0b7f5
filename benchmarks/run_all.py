"""Run every benchmark, one fresh process each, then print all their tables together.

    python benchmarks/run_all.py                 # full runs (about 100 minutes on 2 cores)
    python benchmarks/run_all.py --quick         # every benchmark with --quick
    python benchmarks/run_all.py --only poll --only memory
    python benchmarks/run_all.py --list          # what would run, in order

Runs bench_poll, bench_latency, bench_cluster, bench_peak, bench_market, bench_parsepool,
bench_memory and bench_parse in sequence, never in parallel (they measure CPU and time on the same
cores), streaming their output; exits 1 if any of them failed. The results and how to read them
are in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("poll", "latency", "cluster", "peak", "market", "parsepool", "memory", "parse")


def tables(output: str) -> str:
    """The markdown tables (and their ### titles) of a benchmark's output; all of it if it has none."""
    kept = [line for line in output.splitlines() if line.startswith(("###", "|"))]
    return "\n".join(kept) if kept else output.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    ap.add_argument("--only", action="append", choices=ORDER, help="run only this one (repeatable)")
    ap.add_argument("--list", action="store_true", help="print the command lines and exit")
    args = ap.parse_args(argv)
    chosen = [name for name in ORDER if not args.only or name in args.only]
    plan = []
    for name in chosen:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"skipping {script.name}: not present")
            continue
        plan.append((name, [sys.executable, str(script), *(["--quick"] if args.quick else [])]))
    if args.list:
        for name, cmd in plan:
            print(f"{name}: {' '.join(cmd)}")
        return 0
    outcomes = []
    for name, cmd in plan:
        print(f"\n>>> {' '.join(cmd)}", flush=True)
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        captured = []
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            captured.append(line)
        code = proc.wait()
        outcomes.append((name, code, time.perf_counter() - started, "".join(captured)))
    print("\n\n================ all benchmark tables ================")
    for name, code, seconds, output in outcomes:
        print(f"\n## bench_{name} (exit {code}, {seconds:.0f} s)\n")
        print(tables(output))
    failed = [name for name, code, _, _ in outcomes if code != 0]
    which = ": " + ", ".join(failed) if failed else ""
    print(f"\n{len(outcomes)} benchmarks run, {len(failed)} failed{which}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
