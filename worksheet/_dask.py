"""The batch engine past one machine: roster rows as tasks on a Dask distributed cluster.

Each row's spec travels to a worker as a task calling ``build`` (a pure function of a picklable spec), and the
PDF comes back to the client, which writes it where the local pool would; with ``write_on_workers`` the worker
writes it itself, to a path every worker shares. A worker that dies mid-task loses nothing: the scheduler runs
its task again on another worker (up to ``distributed.scheduler.allowed-failures`` times, then the row fails).

ReportLab and z3c.rml keep process-wide state and are not thread-safe, so a worker renders one sheet at a
time: ``LocalCluster``s made here have one thread per worker, and ``render_pdf`` holds a process-wide lock for
workers started with more (``dask worker ADDRESS --nthreads 1`` is the right way to start them).

Needs the optional extra: ``pip install 'worksheet[dask]'``, on the client and on every worker.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import WorksheetError, describe_bug

if TYPE_CHECKING:
    from distributed import Client

    from .batch import Job, Outcome
    from .spec import Spec

# How many rows are in flight at once: enough to keep every worker busy, few enough that a million-row roster
# never holds a million futures (or a million PDFs) in the client and scheduler at once.
WINDOW = 512
_LOCAL = re.compile(r"local(?::(\d+))?")


def _distributed():
    try:
        import distributed
    except ImportError:
        raise WorksheetError(
            "--scheduler needs Dask distributed, which is not installed; install it with: pip install 'worksheet[dask]'"
        ) from None
    return distributed


def local_workers(address: str) -> int | None:
    """N for 'local:N' (or 2 for 'local'), None for a scheduler address."""
    found = _LOCAL.fullmatch(address.strip())
    if not found:
        return None
    return int(found.group(1) or 2)


@contextlib.contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at address, or of a LocalCluster of N single-threaded worker processes
    for 'local:N'; closed (and the local cluster stopped) on leaving."""
    distributed = _distributed()
    workers = local_workers(address)
    if workers is not None:
        if workers < 1:
            raise WorksheetError(f"--scheduler {address}: a local cluster needs at least 1 worker, e.g. local:2")
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=logging.ERROR, preload=[__name__],  # dask_setup below, in each worker process
        )  # fmt: skip
        with cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        # How long to keep trying: Dask's own setting (distributed.comm.timeouts.connect, 30 s by default).
        client = distributed.Client(address)
    except (OSError, TimeoutError, ValueError) as error:
        raise WorksheetError(
            f"--scheduler {address}: cannot reach a Dask scheduler there ({error}); start one with 'dask scheduler' "
            f"and workers with 'dask worker {address} --nthreads 1', or use --scheduler local:2"
        ) from None
    with client:
        yield client


def dask_setup(worker) -> None:
    """Run by Dask in each local:N worker process as it starts (a preload): Ctrl-C reaches the whole process
    group, but the client decides what stops and closes the cluster; SIGTERM still ends a worker at once.

    The worker's own log lines are not shown either (a heartbeat missed under load, the scheduler going away as
    the batch stops): whatever goes wrong with a row reaches the client and is reported as that row's failure."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("distributed").setLevel(logging.CRITICAL + 1)


def _build_pdf(spec: Spec) -> bytes:
    from .build import build

    return build(spec)


def _build_row(job: Job, write_on_worker: bool) -> tuple[str, bytes | str]:
    """The task: ('made', pdf bytes) or ('written', '') when the worker wrote it, or ('failed', message).

    A failure the user can fix is returned, not raised, so Dask does not retry it on another worker."""
    from .batch import _run

    if write_on_worker:
        outcome = _run(job)
        return ("written", "") if outcome.status == "made" else ("failed", outcome.message)
    try:
        return "made", _build_pdf(job.spec)
    except WorksheetError as error:
        return "failed", str(error)
    except Exception as error:  # a bug must not take the whole batch down; it is reported like any failure
        return "failed", describe_bug(error)


def _outcome(job: Job, future) -> Outcome:
    from .batch import Outcome
    from .output import write_atomic

    try:
        status, payload = future.result()
    except Exception as error:  # KilledWorker (the row killed its worker every time it ran), a lost scheduler
        return Outcome(job.row, "failed", job.output, f"the Dask cluster could not build it ({type(error).__name__}: {error})")
    if status == "failed":
        return Outcome(job.row, "failed", job.output, str(payload))
    if status == "made":
        try:
            write_atomic(payload, job.output)
        except WorksheetError as error:
            return Outcome(job.row, "failed", job.output, str(error))
    return Outcome(job.row, "made", job.output)


def run_jobs(
    jobs: list[Job], client: Client, write_on_workers: bool = False,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:  # fmt: skip
    """Build every job on the cluster, at most WINDOW at a time; report each outcome as it finishes."""
    distributed = _distributed()
    if write_on_workers:  # workers write the paths as given, on their own machines: they must be absolute
        jobs = [type(job)(job.row, job.spec, job.output.resolve(), job.warnings) for job in jobs]
    pending = iter(jobs)
    outcomes: list[Outcome] = []
    in_flight: dict[str, tuple[Job, object]] = {}
    run = uuid.uuid4().hex[:8]  # keys unique across runs sharing one cluster

    def submit(count: int) -> list:
        futures = []
        for job in itertools.islice(pending, count):
            future = client.submit(_build_row, job, write_on_workers, pure=False, key=f"worksheet-{run}-row-{job.row}")
            in_flight[str(future.key)] = (job, future)
            futures.append(future)
        return futures

    finished = distributed.as_completed(submit(WINDOW))
    try:
        for future in finished:
            job, _ = in_flight.pop(future.key)
            outcome = _outcome(job, future)
            future.release()  # the PDF leaves the cluster's memory as soon as it is written
            outcomes.append(outcome)
            on_outcome(outcome)
            for more in submit(1):
                finished.add(more)
    finally:
        if in_flight:  # interrupted: what has not run yet is not run
            client.cancel([future for _, future in in_flight.values()])
    return outcomes


def stop_after_signal(client: Client) -> None:
    """After SIGINT or SIGTERM: stop the worker processes of a local cluster (``local:N``, or any LocalCluster this
    process runs), which are this process's children and would otherwise live on; none then writes a temp file.
    A remote cluster's workers are not ours to stop: the rows not yet run were cancelled, one running finishes.
    Dask's own log lines about the connections and workers going away are not shown: the stop is ours."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL + 1)
    cluster = getattr(client, "cluster", None)
    if isinstance(cluster, _distributed().LocalCluster):
        cluster.close()


def build_many(specs: Iterable[Spec], client: Client) -> Iterator[bytes]:
    """The PDF for each spec, in order, built on the cluster; a spec that cannot be built raises its error."""
    futures = client.map(_build_pdf, list(specs), pure=False)
    try:
        for future in futures:
            yield future.result()
            future.release()
    finally:
        client.cancel([future for future in futures if future.status == "pending"])
