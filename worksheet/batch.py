"""Many worksheets at once: a roster (CSV, one row per patient) built in a process pool.

The unit of work is ``build(spec)``, a pure function of a picklable spec, so the same unit runs in this pool,
a Dask bag or a Celery task alike. Nothing here holds state between rows.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import build, build_to_file
from .customisation import COLUMN_FIELDS
from .errors import DataError, WorksheetError, describe_bug
from .library import ROSTER, Library
from .limits import MAX_ROSTER_BYTES, read_input
from .output import (
    OutputError,
    check_target,
    file_in_folder,
    layout_inputs,
    library_inputs,
    remove_stale_temps,
    spec_inputs,
)
from .render import prepare_engine
from .request import request_with_origin, typed_overrides
from .session import adherence_warnings
from .spec import Spec, output_name, resolve_with_notes
from .workflow import content_warnings

# The columns are the customisation fields' (customisation.FIELDS), plus where to write the row's PDF.
OUTPUT_COLUMN = "output"
ROSTER_COLUMNS = {field.column for field in COLUMN_FIELDS if field.column} | {OUTPUT_COLUMN}


@dataclass(frozen=True)
class Job:
    """One roster row, resolved: what to build and where to write it."""

    row: int
    spec: Spec
    output: Path
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what resolving said, e.g. the exercises --avoid dropped


@dataclass(frozen=True)
class Outcome:
    row: int
    status: str  # "made", "skipped" or "failed"
    output: Path | None = None
    message: str = ""


def build_many(specs: Iterable[Spec], jobs: int | None = None, client=None) -> Iterator[bytes]:
    """The PDF for each spec, in order, built on ``jobs`` processes (all cores if None, in-process if 1), or
    on a Dask cluster when ``client`` (a ``distributed.Client``) is given.

    Renders never share a process across threads (ReportLab is not thread-safe): each process, and each Dask
    worker, builds one sheet at a time; start Dask workers with ``--nthreads 1``."""
    if client is not None:
        from ._dask import build_many as on_cluster

        yield from on_cluster(specs, client)
        return
    if jobs == 1:
        yield from map(build, specs)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(build, specs, chunksize=4)


def read_roster(path: Path, library: Library, output_folder: Path) -> tuple[list[Job], list[Outcome]]:
    """Resolve every row; a bad row becomes a failed outcome naming its row, the others become jobs."""
    try:
        text = read_input(path, MAX_ROSTER_BYTES, DataError, "roster (a CSV file)").decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip() for name in reader.fieldnames or []]
        rows = list(reader)
        columns = set(rows[0]) if rows else set()
    except FileNotFoundError:
        raise DataError(f"{path}: roster file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder; give the roster's CSV file") from None
    except OSError as error:
        raise DataError(f"{path}: cannot be read: {error.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise DataError(f"{path}: not a readable CSV file ({error}); save it as UTF-8 CSV") from None
    if len(header) == 1 and ";" in header[0] and set(header[0].split(";")) & ROSTER_COLUMNS:
        raise DataError(f"{path}: the columns are separated by ';'; save the roster with commas between the columns "
                        "(in a spreadsheet: 'CSV UTF-8 (comma delimited)')")  # fmt: skip
    repeated = next((name for name in header if header.count(name) > 1), None)
    if repeated is not None:
        raise DataError(f"{path}: column '{repeated}' appears twice in the header; keep one")
    unknown = sorted(str(column) for column in columns - ROSTER_COLUMNS)
    if unknown:
        raise DataError(f"{path}: unknown column '{unknown[0]}'; the columns are: {', '.join(sorted(ROSTER_COLUMNS))}")
    if not rows:
        raise DataError(f"{path}: no rows; add one row per patient under the header")

    jobs: list[Job] = []
    failures: list[Outcome] = []
    claimed: dict[Path, int] = {}
    # What no row may write over: the roster, the library's files and the layouts (and each row's own inputs).
    inputs = [(path, "the roster being read"), *library_inputs(library), *layout_inputs(library.layout_folders)]
    resolved: dict = {}  # what each input names, resolved once for all rows (output.check_target)
    base = path.resolve().parent
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet numbers them
        try:
            job = _job(number, row, library, output_folder, base, inputs, resolved)
        except WorksheetError as error:
            failures.append(Outcome(number, "failed", message=str(error)))
            continue
        first = claimed.setdefault(job.output.resolve(), number)
        if first != number:
            message = f"writes {job.output} like row {first} does; give it its own name in the 'output' column"
            failures.append(Outcome(number, "failed", job.output, message))
            continue
        jobs.append(job)
    return jobs, failures


def _job(
    number: int, row: dict[str | None, str | None], library: Library, output_folder: Path, base: Path,
    inputs: list[tuple[Path, str]], resolved: dict,
) -> Job:  # fmt: skip
    if None in row:
        raise DataError("has more cells than the header has columns")
    cell = {key: (value or "").strip() for key, value in row.items() if key}
    if not cell.get("program"):
        raise DataError("the 'program' cell is empty; name a program, e.g. dont-crack-your-back")
    by_key = {field.key: cell.get(field.column or "") for field in COLUMN_FIELDS}
    request, origin = request_with_origin(cell["program"], typed_overrides(by_key, ROSTER, base), ROSTER)
    spec, notes = resolve_with_notes(request, library, origin=origin)
    name = cell.get(OUTPUT_COLUMN) or output_name(spec)
    if not name.endswith(".pdf"):
        name += ".pdf"
    try:
        output = file_in_folder(output_folder, name)
    except OutputError as error:
        raise OutputError(f"column 'output': {error}") from None
    read = [] if origin.source == ROSTER else [(Path(origin.source), "the spec file being read")]
    check_target(output, [*inputs, *read, *spec_inputs(spec)], resolved)
    warnings = tuple(adherence_warnings([item.dosage for item in spec.exercises]) + content_warnings(spec, library))
    return Job(number, spec, output, warnings, tuple(notes))


def _run(job: Job) -> Outcome:
    """Build one row in a worker; any failure is reported, never raised, so the other rows go on."""
    try:
        build_to_file(job.spec, job.output)
    except WorksheetError as error:
        return Outcome(job.row, "failed", job.output, str(error))
    except Exception as error:  # a bug must not take the whole batch down; it is reported like any failure
        return Outcome(job.row, "failed", job.output, describe_bug(error))
    return Outcome(job.row, "made", job.output)


def run_jobs(
    jobs: list[Job], workers: int | None = None, skip_existing: bool = False,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None, client: Any = None, write_on_workers: bool = False,
) -> list[Outcome]:  # fmt: skip
    """Build every job (on a Dask cluster when ``client`` is given); report each outcome as it finishes."""
    outcomes = []
    todo = []
    for job in jobs:
        if skip_existing and job.output.exists():
            outcomes.append(Outcome(job.row, "skipped", job.output))
            on_outcome(outcomes[-1])
        else:
            todo.append(job)

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        on_outcome(outcome)

    started = time.time()
    with stopping_on_signals():
        pool = None
        try:
            if client is not None:
                from ._dask import run_jobs as on_cluster

                on_cluster(todo, client, write_on_workers, report)
            else:
                if workers == 1 or len(todo) <= 1:
                    finished: Iterable[Outcome] = map(_run, todo)
                else:
                    prepare_engine()  # before the pool forks, so no worker imports z3c.rml or parses the fonts again
                    pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count(), initializer=_worker_signals)
                    finished = _results(pool, todo)
                for outcome in finished:
                    report(outcome)
        except Interrupted as stop:  # from here on, a second signal is ignored (_interrupt)
            if client is not None:
                from ._dask import stop_after_signal

                stop_after_signal(client)  # its queued rows were cancelled on the way out of on_cluster
            _stop_workers(pool)
            for folder in {job.output.parent for job in todo}:
                remove_stale_temps(folder)  # the temp files of the workers just stopped
            reported = {outcome.row for outcome in outcomes}
            for job in todo:  # written whole (renamed into place) by a worker whose report had not arrived yet
                if job.row not in reported and _written_since(job.output, started):
                    outcomes.append(Outcome(job.row, "made", job.output))
            stop.outcomes = sorted(outcomes, key=lambda outcome: outcome.row)
            raise
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return sorted(outcomes, key=lambda outcome: outcome.row)


class Interrupted(BaseException):
    """SIGINT or SIGTERM stopped the batch: the workers are stopped, their temp files gone, finished PDFs kept.

    A BaseException, like KeyboardInterrupt, so no ``except Exception`` on the way swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.outcomes: list[Outcome] = []

    @property
    def exit_status(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def _interrupt(signum, frame):
    """The handler stopping_on_signals installs: the first signal stops the run; any more are ignored, so that a
    second Ctrl-C cannot cut the clean-up short (the scope puts the previous handlers back when it ends)."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise Interrupted (Python handles signals in the main thread only).

    A caller may hold a wider scope (the CLI holds one from reading the roster to the summary line); run_jobs's
    own is then part of it."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is _interrupt:
        yield
        return
    previous = {number: signal.signal(number, _interrupt) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _worker_signals() -> None:
    """In each worker: Ctrl-C reaches the whole process group, but the parent decides; SIGTERM ends it at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _results(pool: ProcessPoolExecutor, todo: list[Job]) -> Iterator[Outcome]:
    """Outcomes as workers finish them; if a worker is killed from outside, the rows left fail, naming why."""
    futures = {pool.submit(_run, job): job for job in todo}
    reported = set()
    try:
        for future in as_completed(futures):
            outcome = future.result()
            reported.add(future)
            yield outcome
    except BrokenProcessPool:
        time.sleep(0.2)  # a SIGTERM sent to the whole group kills workers first; let its handler run in the parent
        for future, job in futures.items():
            if future in reported:
                continue
            if future.done() and future.exception() is None:
                yield future.result()
            else:
                yield Outcome(job.row, "failed", job.output, "its worker process was killed before it finished")


def _written_since(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime >= moment - 1  # some file systems keep mtime to the second
    except OSError:
        return False


def _stop_workers(pool: ProcessPoolExecutor | None) -> None:
    """Terminate the pool's worker processes and wait for them, so none lives on as an orphan."""
    if pool is None:
        return
    processes = list((pool._processes or {}).values())  # the executor offers no public handle on its workers
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
