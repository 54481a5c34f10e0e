"""Benchmark: speed and size of worksheets, as medians and ratios against baselines measured in the same run.

    python bench/run.py            # full run; writes bench/RESULTS.md
    python bench/run.py --quick    # few iterations, small batches, no file written (CI runs this so it never rots)

The machine is shared, so every timing is given as wall time beside the CPU time it got (user + system, of the
whole process tree for subprocesses); a ratio is taken between runs interleaved in the same minute.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import math
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from platypus_baseline import build_platypus  # noqa: E402
from proc_tree import tree_stat_fields  # noqa: E402

import worksheet  # noqa: E402

PROGRAM = "dont-crack-your-back"
# The 7-exercise sheet the targets name: the seed's six and its option, the prone props.
OPTION = "prone-props"
TARGETS = {
    "ratio": 1.3, "weasyprint": 10.0, "cli_build": 0.45, "cli_fast": 0.15, "batch": 25.0, "speedup": 1.8,
    "size_kb": 120, "memory_mb": 300,
}  # fmt: skip


def timed(function) -> tuple[float, float]:
    """Wall and CPU seconds of one call in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def worksheet_command() -> list[str]:
    script = Path(sys.executable).with_name("worksheet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "worksheet"]


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    return sum(int(stat[21]) * page for stat in tree_stat_fields(root)) / 2**20


def run_command(command: list[str], watch_memory: bool = False, env: dict[str, str | None] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the whole process tree (reaped children included) and peak memory (MB).
    env adds to this process's environment; a None value removes that variable."""
    peak = 0.0
    cpu_before = children_cpu()
    start = time.perf_counter()
    merged = None if env is None else {key: value for key, value in {**os.environ, **env}.items() if value is not None}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=merged)
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    if watch_memory:
        watcher.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if watch_memory:
        watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:3])} failed: {errors.decode()[-2000:]}")
    return seconds, children_cpu() - cpu_before, peak


def write_roster(path: Path, rows: int, layout: str = "list") -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient", "program", "include", "set", "paper", "date", "layout"])
        for n in range(rows):
            writer.writerow([f"Patient {n:04d}", PROGRAM, OPTION, f"bridge.reps={8 + n % 8}", ("letter", "a4")[n % 2],
                             "2026-11-26", layout])
    return path


def run_batch(roster: Path, rows: int, out: Path, *options: str) -> tuple[float, float, float]:
    """`worksheet batch` over a roster: wall, tree CPU, peak memory; checks every row was made."""
    result = run_command([*worksheet_command(), "batch", str(roster), "-o", str(out), *options], watch_memory=True)
    made = len(list(out.glob("*.pdf")))
    assert made == rows, f"batch {options} made {made} of {rows}"
    return result


def median(values) -> float:
    return statistics.median(values)


def forget_sheets() -> None:
    """Empty what this process remembers between sheets (the planner's measures, the shared paragraphs), so the
    next build is the first of its kind, as a warm process meets a new sheet; the engine itself stays warm."""
    from worksheet import _engine, pageplan

    pageplan.forget_measurements()
    _engine.forget_shared_paragraphs()


def interleaved(functions: dict, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU milliseconds of each function, run in turns so drift hits all alike."""
    for function in functions.values():
        function()  # warm: imports, template compilation, fonts
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            samples[name].append(timed(function))
    return {name: (median(w for w, _ in s) * 1000, median(c for _, c in s) * 1000) for name, s in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="few iterations, small batches, write nothing")
    parser.add_argument("--rows", type=int, help="sheets in the batch runs (default 1,000; the Dask comparison twice "
                                                 "that); results are scaled to 1,000 sheets")
    args = parser.parse_args()
    runs, cli_runs, rows, dask_rows = (3, 2, 12, 8) if args.quick else (31, 11, 1000, 2000)
    if args.rows:
        rows, dask_rows = args.rows, 2 * args.rows

    library = worksheet.load_library()
    request = dict(program=PROGRAM, include=[OPTION], patient="Ana López", date=dt.date(2026, 11, 26))
    specs = {layout: worksheet.resolve(worksheet.Request(**request, layout=layout), library) for layout in ("list", "cards")}
    results, notes = [], []

    # (a) in-process, against the hand-written platypus twin of each layout, and WeasyPrint when installed.
    for layout, spec in specs.items():
        ms = interleaved({"ours": lambda spec=spec: worksheet.build(spec), "twin": lambda spec=spec: build_platypus(spec),
                          "first": lambda spec=spec: (forget_sheets(), worksheet.build(spec))}, runs)  # fmt: skip
        (ours_w, ours_c), (twin_w, twin_c), (first_w, first_c) = ms["ours"], ms["twin"], ms["first"]
        results.append((
            f"(a) 7-exercise sheet, {layout} layout, in-process", f"{ours_w:.1f} ms (CPU {ours_c:.1f})",
            f"platypus twin {twin_w:.1f} ms (CPU {twin_c:.1f}); ratio {ours_w / twin_w:.2f} (CPU {ours_c / twin_c:.2f})",
            f"ratio ≤ {TARGETS['ratio']}", ours_c / twin_c <= TARGETS["ratio"],
        ))  # fmt: skip
        results.append((
            f"(a) the same {layout} sheet, the first of its kind in the process", f"{first_w:.1f} ms (CPU {first_c:.1f})",
            f"nothing remembered from earlier sheets (planner measures, shared paragraphs); ratio to the twin "
            f"{first_w / twin_w:.2f} (CPU {first_c / twin_c:.2f})",
            f"ratio ≤ {TARGETS['ratio']}", first_c / twin_c <= TARGETS["ratio"],
        ))  # fmt: skip
    # The peer imports WeasyPrint only when it builds, so ask whether WeasyPrint itself is there.
    if importlib.util.find_spec("weasyprint") is None:
        notes.append("WeasyPrint is not installed (pip install -e '.[bench]'): its comparison was skipped.")
    else:
        from weasyprint_peer import build_weasyprint

        spec = specs["list"]
        ms = interleaved({"ours": lambda: worksheet.build(spec), "peer": lambda: build_weasyprint(spec)}, max(3, runs // 6))
        (ours_w, ours_c), (peer_w, peer_c) = ms["ours"], ms["peer"]
        results.append((
            "(a) same sheet by Jinja2 HTML + WeasyPrint", f"{peer_w:.0f} ms (CPU {peer_c:.0f})",
            f"ours {ours_w:.1f} ms (CPU {ours_c:.1f}); WeasyPrint takes {peer_c / ours_c:.1f}× ours (CPU)",
            f"≥ {TARGETS['weasyprint']:.0f}× ours", peer_c / ours_c >= TARGETS["weasyprint"],
        ))  # fmt: skip

    # Cost against exercise count: 1, 7, 15, 45 exercises (all the library has), list layout.
    ids = sorted(library.exercises)
    linear = {}
    for count in (1, 7, 15, 45):
        spec = worksheet.resolve(worksheet.Request(**{**request, "include": []}, layout="list", only=ids[:count]), library)
        linear[count] = interleaved({"ours": lambda spec=spec: worksheet.build(spec)}, max(3, runs // 3))["ours"]
    per_exercise = {n: (linear[n][1] - linear[1][1]) / (n - 1) for n in (7, 15, 45)}
    results.append((
        "cost per exercise, list layout (1 → 7, 15, 45 exercises)",
        " / ".join(f"{linear[n][1]:.0f}" for n in linear) + " ms CPU",
        "each added exercise: " + ", ".join(f"{per_exercise[n]:.1f}" for n in per_exercise) + " ms CPU (flat = linear)",
        "linear", max(per_exercise.values()) <= 1.5 * min(per_exercise.values()),
    ))  # fmt: skip

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        # (b) command line, start to finish: median wall and the CPU the process got.
        commands = {
            "build": [*worksheet_command(), "build", PROGRAM, "--include", OPTION, "--patient", "Ana", "-o",
                      str(folder / "one.pdf")],
            "--help": [*worksheet_command(), "--help"],
            "list": [*worksheet_command(), "list"],
        }
        # The disk cache (worksheet/_cache.py) starts empty in a folder of this run: the first run of each
        # command fills it and is reported apart; "no cache" runs, interleaved, show what it saves.
        # Python's bytecode as an installed package has it: `pip install` compiles every module, and an editable
        # install writes __pycache__ on first import. This run keeps it in a folder of its own (so it reads none
        # left by another checkout) and lets Python write it even where PYTHONDONTWRITEBYTECODE=1 is set (as in
        # the sandbox these sessions run in, where every command compiled the package's ~40 modules from
        # source); the first run writes it. "No bytecode" runs show what that costs.
        bytecode = {"PYTHONPYCACHEPREFIX": str(folder / "pycache"), "PYTHONDONTWRITEBYTECODE": None}
        no_bytecode = {"PYTHONPYCACHEPREFIX": None, "PYTHONDONTWRITEBYTECODE": "1"}
        cached = {"WORKSHEET_CACHE_DIR": str(folder / "cache"), **bytecode}
        first = {name: run_command(command, env=cached)[:2] for name, command in commands.items()}
        cli = {name: [] for name in commands}
        uncached = {name: [] for name in commands}
        compiled = {name: [] for name in commands}
        for _ in range(cli_runs):
            for name, command in commands.items():
                cli[name].append(run_command(command, env=cached)[:2])
                if name != "--help":
                    uncached[name].append(run_command(command, env={"WORKSHEET_NO_CACHE": "1", **bytecode})[:2])
                if name == "build":
                    compiled[name].append(run_command(command, env={**cached, **no_bytecode})[:2])
        for name, samples in cli.items():
            wall, cpu = median(w for w, _ in samples), median(c for _, c in samples)
            target = TARGETS["cli_build" if name == "build" else "cli_fast"]
            detail = f"first run (filling the disk cache) {first[name][0]:.2f} s (CPU {first[name][1]:.2f})"
            if uncached[name]:
                detail += (f"; cache off {median(w for w, _ in uncached[name]):.2f} s "
                           f"(CPU {median(c for _, c in uncached[name]):.2f})")  # fmt: skip
            if compiled[name]:
                detail += (f"; no bytecode (PYTHONDONTWRITEBYTECODE=1) {median(w for w, _ in compiled[name]):.2f} s "
                           f"(CPU {median(c for _, c in compiled[name]):.2f})")  # fmt: skip
            results.append((f"(b) `worksheet {name}` start to finish", f"{wall:.2f} s (CPU {cpu:.2f})", detail, f"≤ {target} s", cpu <= target))

        # (c), (e) a roster of personalised sheets on 2 processes and on 1 (with the disk cache the CLI runs filled).
        os.environ.update({key: value for key, value in cached.items() if value is not None})
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        roster = write_roster(folder / "roster.csv", rows)
        j2 = run_batch(roster, rows, folder / "j2", "-j", "2")
        j1 = run_batch(roster, rows, folder / "j1", "-j", "1")
        scale = 1000 / rows
        results.append((
            f"(c) {rows} personalised sheets, -j 2", f"{j2[0]:.1f} s (tree CPU {j2[1]:.1f})",
            f"{j2[0] / rows * 1000:.1f} ms a sheet; -j 1 {j1[0]:.1f} s (CPU {j1[1]:.1f}); speed-up {j1[0] / j2[0]:.2f}×, "
            f"cores used {j2[1] / j2[0]:.2f}", f"≤ {TARGETS['batch']} s for 1,000", j2[0] * scale <= TARGETS["batch"],
        ))  # fmt: skip
        results.append((
            "(c) -j 2 against -j 1", f"{j1[0] / j2[0]:.2f}×",
            f"CPU a sheet: -j 1 {j1[1] / rows * 1000:.1f} ms, -j 2 {j2[1] / rows * 1000:.1f} ms",
            f"≥ {TARGETS['speedup']}× (idle machine)", j1[0] / j2[0] >= TARGETS["speedup"],
        ))  # fmt: skip
        sizes = [path.stat().st_size for path in (folder / "j2").glob("*.pdf")]

        # (c)'s floor: the roster's own sheets in this process, ours against the hand-written platypus twin,
        # interleaved. 1,000 sheets on two cores can take no less than 1,000 × CPU a sheet / 2.
        from worksheet.batch import read_roster

        roster_specs = [job.spec for job in read_roster(roster, library, folder / "j1")[0][: max(4, runs)]]
        floor: dict[str, list[float]] = {"ours": [], "twin": []}
        for spec in roster_specs[:2]:  # warm
            worksheet.build(spec)
            build_platypus(spec)
        for spec in roster_specs:
            floor["ours"].append(timed(lambda spec=spec: worksheet.build(spec))[1])
            floor["twin"].append(timed(lambda spec=spec: build_platypus(spec))[1])
        ours_c, twin_c = median(floor["ours"]) * 1000, median(floor["twin"]) * 1000
        results.append((
            "(c) floor: the roster's sheet in-process, CPU a sheet", f"ours {ours_c:.1f} ms, platypus twin {twin_c:.1f} ms",
            f"ratio {ours_c / twin_c:.2f}; so 1,000 sheets on 2 cores take at least {ours_c / 2:.0f} s (ours), "
            f"{twin_c / 2:.0f} s (the twin); {TARGETS['batch']:.0f} s needs ≤ {TARGETS['batch'] * 2:.0f} ms a sheet",
            "", True,
        ))  # fmt: skip

        # Dask: the same roster on a LocalCluster of 2 worker processes against the process pool of 2.
        try:
            import distributed  # noqa: F401
        except ImportError:
            notes.append("dask.distributed is not installed (pip install -e '.[dask]'): the Dask engine was skipped.")
            dask = None
        else:
            roster = write_roster(folder / "dask-roster.csv", dask_rows)
            pool = run_batch(roster, dask_rows, folder / "pool", "-j", "2")
            dask = run_batch(roster, dask_rows, folder / "dask", "--scheduler", "local:2")
            overhead = (dask[0] - pool[0]) / dask_rows * 1000
            results.append((
                f"Dask LocalCluster of 2 workers, {dask_rows} sheets", f"{dask[0]:.1f} s (tree CPU {dask[1]:.1f})",
                f"process pool -j 2 {pool[0]:.1f} s (CPU {pool[1]:.1f}); engine overhead {overhead:+.1f} ms a sheet "
                f"(CPU {(dask[1] - pool[1]) / dask_rows * 1000:+.1f}); peak {dask[2]:.0f} MB", "", True,
            ))  # fmt: skip

    size_kb = len(worksheet.build(specs["list"])) / 1024
    spec_bytes = len(pickle.dumps(specs["list"], protocol=pickle.HIGHEST_PROTOCOL))
    if dask is not None:
        # Paper model: 1,000,000 sheets in one night (8 h) on single-threaded Dask workers, from the measured
        # seconds a worker spends on a sheet (wall, engine overhead included) and the bytes each task moves.
        per_sheet = dask[0] * 2 / dask_rows
        workers = math.ceil(1_000_000 * per_sheet / (8 * 3600))
        pdf_gb, spec_gb = statistics.mean(sizes) * 1e6 / 1e9, spec_bytes * 1e6 / 1e9
        results.append((
            "paper model: 1,000,000 sheets overnight (8 h)", f"{workers} workers",
            f"{per_sheet * 1000:.0f} ms of a worker a sheet (measured above, this shared machine); "
            f"{1_000_000 * per_sheet / 3600:.0f} worker-hours; moves {spec_gb:.0f} GB of specs out and "
            f"{pdf_gb:.0f} GB of PDFs back ({pdf_gb * 1e3 / (8 * 3600):.1f} MB/s over 8 h); "
            f"{1_000_000 / (8 * 3600):.0f} tasks/s for the scheduler", "", True,
        ))  # fmt: skip
    results.append(("(d) PDF size, 7-exercise sheet (list)", f"{size_kb:.0f} KB", f"batch mean {statistics.mean(sizes) / 1024:.0f} KB; pickled spec {spec_bytes / 1024:.0f} KB", f"≤ {TARGETS['size_kb']} KB", size_kb <= TARGETS["size_kb"]))
    results.append(("(e) peak memory of (c) -j 2, whole process tree", f"{j2[2]:.0f} MB", "", f"≤ {TARGETS['memory_mb']} MB", j2[2] <= TARGETS["memory_mb"]))

    table = ["| measure | result | baseline / detail | target | met |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {name} | {value} | {detail} | {target} | {('yes' if met else 'no') if target else ''} |" for name, value, detail, target, met in results]
    header = (
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"{'quick' if args.quick else 'full'} run{f' with {rows}-sheet batches' if args.rows else ''}: medians of {runs} in-process builds (interleaved with the "
        f"baseline) and {cli_runs} CLI runs; times are wall (CPU); 'met' is judged on CPU time for (a) and (b), "
        f"which a busy machine does not inflate, and on wall time for (c)."
    )
    print(header)
    print("\n".join(table))
    for note in notes:
        print(note)
    if not args.quick:
        # The hand-written analysis under "## Notes" survives a rerun; the table above it is replaced.
        results_file = HERE / "RESULTS.md"
        old = results_file.read_text() if results_file.exists() else ""
        kept = old[old.index("\n## Notes") :] if "\n## Notes" in old else ""
        results_file.write_text(f"# Benchmark results\n\n{header}\n\n" + "\n".join(table) + "\n" + kept)


if __name__ == "__main__":
    main()
