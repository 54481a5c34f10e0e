"""SIGINT or SIGTERM halfway through `worksheet batch`, on the local pool and on a Dask local cluster: workers
stop, finished PDFs stay (each whole), no temp file or live process is left in the batch's process group, the
summary so far is printed, and the exit status is 128 + the signal."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import assert_valid_pdf

ROWS = 10


def _roster(path: Path) -> Path:
    lines = ["program,patient,date,only"] + [f"dont-crack-your-back,Patient {n},2026-11-26,bridge" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _worksheet() -> str:
    found = shutil.which("worksheet", path=str(Path(sys.executable).parent))
    return found or pytest.skip("the worksheet command is not installed beside this Python")


def _live_in_group(group: int) -> list[str]:
    """The processes of a process group that still run (a zombie has already ended: it only waits to be reaped)."""
    live = []
    for entry in Path("/proc").iterdir():
        try:
            state, _, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        if int(pgrp) == group and state != "Z":
            live.append(f"{entry.name} {state} {command[:120]}")
    return live


def _none_left(group: int) -> list[str]:
    """What still runs in the group a few seconds after its leader exited: multiprocessing's resource tracker
    ends when the leader's pipe to it closes, a moment later, and so must everything else."""
    deadline = time.monotonic() + 10
    while (live := _live_in_group(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return live


ENGINES = {"local pool": ["-j", "2"], "Dask local:2": ["--scheduler", "local:2"], "Dask local:1": ["--scheduler", "local:1"]}
CASES = [
    ("local pool", signal.SIGINT, True), ("local pool", signal.SIGTERM, False), ("local pool", signal.SIGTERM, True),
    ("Dask local:2", signal.SIGINT, True), ("Dask local:1", signal.SIGTERM, True),  # one worker starts sooner
]  # fmt: skip


@pytest.mark.parametrize(
    ("engine", "signum", "to_group"),
    CASES,
    ids=[f"{engine}, {signal.Signals(signum).name} to the {'process group' if group else 'batch'}" for engine, signum, group in CASES],
)
def test_a_signal_halfway_stops_cleanly(tmp_path, engine, signum, to_group):
    if engine.startswith("Dask"):
        pytest.importorskip("distributed")
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [_worksheet(), "batch", str(_roster(tmp_path / "roster.csv")), "-o", str(out), *ENGINES[engine]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    first = batch.stdout.readline()  # the first sheet is made: the batch is under way
    assert first.startswith("made "), first + batch.stderr.read()
    (os.killpg if to_group else os.kill)(batch.pid, signum)
    rest, errors = batch.communicate(timeout=60)
    assert batch.returncode == 128 + signum, errors
    assert _none_left(batch.pid) == []  # no worker lives on in the batch's process group
    made = sorted(out.iterdir())
    assert not [path for path in made if path.name.startswith(".worksheet-")]  # no temp file left
    assert 1 <= len(made) < ROWS
    for pdf in made:
        assert_valid_pdf(pdf)
    summary = rest.splitlines()[-1]
    assert summary.startswith(f"Made {len(made)}, skipped 0, failed 0."), rest
    name = signal.Signals(signum).name
    assert errors.splitlines() == [  # and nothing else: no traceback, no log line of the workers going away
        f"Stopped by {name}: {ROWS - len(made)} rows not built; rerun with --skip-existing to build only those"
    ]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_roster_is_read_stops_cleanly(runner, tmp_path, monkeypatch, signum):
    """A long roster takes a while to read and check: a signal then stops it too, in the same words and status."""
    import threading

    import worksheet.batch

    if threading.current_thread() is not threading.main_thread():  # Python handles signals there only
        pytest.skip("tests run outside the main thread here: the signal would reach pytest itself")
    from worksheet.cli import main

    read = worksheet.batch.read_roster

    def read_and_be_interrupted(*args):
        read(*args)
        os.kill(os.getpid(), signum)  # handled here, in this process's main thread
        pytest.fail("the signal did not stop the batch")

    monkeypatch.setattr(worksheet.batch, "read_roster", read_and_be_interrupted)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    result = runner.invoke(main, ["batch", str(_roster(tmp_path / "roster.csv")), "-o", str(tmp_path / "out")])
    assert result.exit_code == 128 + signum, result.output
    assert result.output == f"Stopped by {signal.Signals(signum).name} while reading the roster; no row was built\n"
    assert list((tmp_path / "out").iterdir()) == []
    assert {number: signal.getsignal(number) for number in handlers} == handlers  # put back as they were
