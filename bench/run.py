"""Benchmark: speed and size of worksheets, as medians and ratios against a baseline measured in the same run.

    python bench/run.py            # full run; writes bench/RESULTS.md
    python bench/run.py --quick    # few iterations, small batch, no file written (CI runs this so it never rots)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import worksheet  # noqa: E402
from platypus_baseline import build_platypus  # noqa: E402

PROGRAM = "dont-crack-your-back"
TARGETS = {"ratio": 1.5, "cli": 0.6, "batch": 30.0, "size_kb": 120, "memory_mb": 300}


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def worksheet_command() -> list[str]:
    script = Path(sys.executable).with_name("worksheet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "worksheet"]


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(stat[1])
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in family]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in family) / 2**20


def run_batch(rows: int, jobs: int, folder: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, whole process tree) of `worksheet batch` over a generated roster."""
    roster = folder / "roster.csv"
    with roster.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient", "program", "set", "paper", "date", "layout"])
        for n in range(rows):
            writer.writerow([f"Patient {n:04d}", PROGRAM, f"bridge.reps={8 + n % 8}", ("letter", "a4")[n % 2], "2026-11-26", "list"])
    command = [*worksheet_command(), "batch", str(roster), "-o", str(folder / "out"), "-j", str(jobs)]
    peak = 0.0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed: {errors.decode()[:2000]}")
    made = len(list((folder / "out").glob("*.pdf")))
    assert made == rows, f"batch made {made} of {rows}"
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="few iterations, 20-row batch, write nothing")
    args = parser.parse_args()
    runs, cli_runs, rows = (5, 3, 20) if args.quick else (41, 15, 1000)

    library = worksheet.load_library()
    request = worksheet.Request(program=PROGRAM, patient="Ana López", date=dt.date(2026, 11, 26), layout="list")
    spec = worksheet.resolve(request, library)
    ours, floor = (lambda: worksheet.build(spec)), (lambda: build_platypus(spec))
    ours(), floor()  # warm: imports, template compilation, fonts
    # Interleave the two so drift (other load, CPU clock) hits both alike.
    ours_ms, floor_ms = [], []
    for _ in range(runs):
        ours_ms.append(median_ms(ours, 1))
        floor_ms.append(median_ms(floor, 1))
    a_ours, a_floor = statistics.median(ours_ms), statistics.median(floor_ms)

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        cli = [*worksheet_command(), "build", PROGRAM, "--patient", "Ana", "-o", str(folder / "one.pdf")]
        cli_s = median_ms(lambda: subprocess.run(cli, check=True, capture_output=True), cli_runs) / 1000
        batch_s, batch_mb = run_batch(rows, 2, folder)
    size_kb = len(worksheet.build(spec)) / 1024

    results = [
        ("(a) one 7-exercise worksheet (list layout), in-process", f"{a_ours:.1f} ms", f"platypus by hand {a_floor:.1f} ms; ratio {a_ours / a_floor:.2f}", f"ratio ≤ {TARGETS['ratio']}", a_ours / a_floor <= TARGETS["ratio"]),
        ("(b) CLI start to finish, one worksheet", f"{cli_s:.2f} s", "", f"≤ {TARGETS['cli']} s", cli_s <= TARGETS["cli"]),
        (f"(c) {rows} personalised worksheets, -j 2", f"{batch_s:.1f} s", f"{batch_s / rows * 1000:.1f} ms a sheet", f"≤ {TARGETS['batch']} s for 1,000", batch_s * 1000 / rows <= TARGETS["batch"]),
        ("(d) PDF size, 7-exercise sheet", f"{size_kb:.0f} KB", "", f"≤ {TARGETS['size_kb']} KB", size_kb <= TARGETS["size_kb"]),
        ("(e) peak memory of (c), whole process tree", f"{batch_mb:.0f} MB", "", f"≤ {TARGETS['memory_mb']} MB", batch_mb <= TARGETS["memory_mb"]),
    ]  # fmt: skip
    table = ["| measure | result | baseline / detail | target | met |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {name} | {value} | {detail} | {target} | {'yes' if met else 'no'} |" for name, value, detail, target, met in results]
    header = (
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{'quick' if args.quick else 'full'} run: medians of {runs} in-process builds (interleaved with the "
        f"baseline) and {cli_runs} CLI runs."
    )
    print(header)
    print("\n".join(table))
    if not args.quick:
        # The hand-written analysis under "## Notes" survives a rerun; the table above it is replaced.
        results = HERE / "RESULTS.md"
        old = results.read_text() if results.exists() else ""
        notes = old[old.index("\n## Notes") :] if "\n## Notes" in old else ""
        results.write_text(f"# Benchmark results\n\n{header}\n\n" + "\n".join(table) + "\n" + notes)


if __name__ == "__main__":
    main()
