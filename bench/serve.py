"""Benchmark: `worksheet serve`, the time from an edit to its new preview, for the seed program.

    python bench/serve.py            # 25 edits; updates the "worksheet serve" section of bench/RESULTS.md
    python bench/serve.py --quick    # 4 edits, nothing written

One edit is what the page sends after a keystroke: the whole form (every exercise of the seed program with its
dosage, a patient name changed each time so nothing comes from the cache) posted to /preview over HTTP, and then
every page's PNG fetched (in parallel, as a browser does): the moment the clinician sees the new sheet. Measured
in the same run, interleaved: the same edit on a second server that rasterises each page only when the browser
asks for it (as before the pages were started at once), a dosage edit (the bridge's reps: one card's page
changes, the others are the same pixels), and the baseline: the same sheet built and every page rasterised in
this process with no server. CPU time is that of the whole process tree (the servers' threads and their render
workers), from /proc, since the machine is shared.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
PROGRAM = "dont-crack-your-back"
TARGET_MS = 300
SECTION = "## worksheet serve: edit to preview"
sys.path.insert(0, str(HERE))

from proc_tree import tree_stat_fields  # noqa: E402


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    return sum((int(stat[11]) + int(stat[12])) / ticks for stat in tree_stat_fields(root))


def seed_form(library, number: int, patient: str | None = None, bridge_reps: int | None = None) -> str:
    from worksheet.serve._sheetform import default_dosage, dosage_text

    items = [("program", PROGRAM), ("patient", patient or f"Patient {number}"), ("page_id", "bench"),
             ("edit", str(number))]
    for entry in library.program(PROGRAM).exercises:
        items.append(("exercise", entry.id))
        for name, value in dosage_text(default_dosage(library, PROGRAM, entry.id)).items():
            if entry.id == "bridge" and name == "reps" and bridge_reps is not None:
                value = str(bridge_reps)
            if value:
                items.append((f"dose.{entry.id}.{name}", value))
    return urlencode(items)


def one_edit(server, form: str, first_seen: list | None = None) -> int:
    """Post the form, then fetch every page of the new preview; returns the page count. first_seen gets the
    moment the first page (the one in view) arrived."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    headers = {"Cookie": f"worksheet-{server.port}={server.token}", "X-CSRF-Token": server.csrf,
               "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/preview", form, headers)
    answer = json.loads(connection.getresponse().read())
    if not answer.get("key"):
        raise SystemExit(f"the preview failed: {answer}")
    def fetch(number: int) -> None:
        # One connection per page, as a browser fetches a page's images in parallel.
        own = http.client.HTTPConnection(server.host, server.port, timeout=60)
        own.request("GET", f"/page/{answer['key']}/{number}.png", headers={"Cookie": headers["Cookie"]})
        response = own.getresponse()
        if response.status != 200 or not response.read().startswith(b"\x89PNG"):
            raise SystemExit("a preview page did not come back")
        own.close()

    fetch(1)
    if first_seen is not None:
        first_seen.append(time.perf_counter())
    threads = [threading.Thread(target=fetch, args=(number,)) for number in range(2, answer["pages"] + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connection.close()
    return answer["pages"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 edits, write nothing")
    args = parser.parse_args()
    runs = 4 if args.quick else 25

    import worksheet
    from worksheet.serve._renderer import _rasterise, _render
    from worksheet.serve.testing import start_server

    library = worksheet.load_library()
    server, stop = start_server(library)
    on_request, stop_on_request = start_server(library, prefetch=False)
    me = os.getpid()
    try:
        for warm in (server, on_request):
            one_edit(warm, seed_form(library, 0))  # workers warm, figures replayed, the planner's sections seen
        time.sleep(1.0)  # the second workers finish warming up too
        edits, firsts, befores, before_firsts, dosage_edits, baseline = [], [], [], [], [], []

        def timed(target, form, into, first_into):
            wall, cpu, seen = time.perf_counter(), tree_cpu(me), []
            pages = one_edit(target, form, seen)
            into.append((time.perf_counter() - wall, tree_cpu(me) - cpu))
            if first_into is not None:
                first_into.append(seen[0] - wall)
            return pages

        for number in range(1, runs + 1):
            pages = timed(server, seed_form(library, 2 * number), edits, firsts)
            timed(on_request, seed_form(library, 2 * number), befores, before_firsts)
            # Reps 10 -> 11, 12, ... for one patient: only the bridge's card changes (and the log, if it counts reps).
            timed(server, seed_form(library, 2 * number + 1, "Same Patient", 10 + number), dosage_edits, None)
            spec = worksheet.resolve(worksheet.Request(program=PROGRAM, patient=f"Baseline {number}"), library)
            wall, cpu = time.perf_counter(), time.process_time()
            pdf, count, _, _ = _render(spec)
            for page in range(2, count + 1):
                _rasterise(pdf, page)
            baseline.append((time.perf_counter() - wall, time.process_time() - cpu))
    finally:
        stop()
        stop_on_request()

    def medians(pairs):
        return statistics.median(p[0] for p in pairs) * 1000, statistics.median(p[1] for p in pairs) * 1000

    edit_wall, edit_cpu = medians(edits)
    before_wall, before_cpu = medians(befores)
    dosage_wall, dosage_cpu = medians(dosage_edits)
    base_wall, base_cpu = medians(baseline)
    first_wall, before_first = statistics.median(firsts) * 1000, statistics.median(before_firsts) * 1000
    load = os.getloadavg()[0]
    met = lambda value: "yes" if value <= TARGET_MS else "no"  # noqa: E731
    lines = [
        SECTION,
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores (shared; load average {load:.1f}), "
        f"{'quick' if args.quick else 'full'} run: medians of {runs} rounds, each an edit on each server, a dosage "
        "edit and a baseline render, interleaved (`python bench/serve.py`). Times are wall (CPU of the whole process "
        "tree).",
        "",
        "| measure | result | same run, for comparison | target | met |",
        "| --- | --- | --- | --- | --- |",
        f"| edit → new preview, seed program ({pages} pages): POST /preview + every page PNG over HTTP | "
        f"{edit_wall:.0f} ms ({edit_cpu:.0f} ms CPU) | pages rasterised only when asked for: {before_wall:.0f} ms "
        f"({before_cpu:.0f} ms CPU), ratio {edit_wall / before_wall:.2f}; the sheet built and rasterised in-process, "
        f"no server: {base_wall:.0f} ms ({base_cpu:.0f} ms CPU), ratio {edit_wall / base_wall:.2f} | "
        f"≤ {TARGET_MS} ms | {met(edit_wall)} |",
        f"| edit → first page of the new preview (the one in view) | {first_wall:.0f} ms | pages only when asked for: "
        f"{before_first:.0f} ms | ≤ {TARGET_MS} ms | {met(first_wall)} |",
        f"| dosage edit (bridge reps) → every page | {dosage_wall:.0f} ms ({dosage_cpu:.0f} ms CPU) | the pages it "
        f"did not change come from the workers' PNGs by pixel hash | ≤ {TARGET_MS} ms | {met(dosage_wall)} |",
    ]
    print("\n".join(lines))
    if not args.quick:
        results = HERE / "RESULTS.md"
        text = results.read_text() if results.exists() else "# Benchmark results\n"
        if SECTION in text:
            before, _, after = text.partition(SECTION)
            rest = after.find("\n## ")
            text = before + "\n".join(lines) + "\n" + (after[rest:] if rest != -1 else "")
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
        results.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
