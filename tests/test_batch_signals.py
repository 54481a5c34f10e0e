"""SIGINT or SIGTERM halfway through `worksheet batch`: workers stop, finished PDFs stay (each whole), no temp
file or process is left, the summary so far is printed, and the exit status is 128 + the signal."""

import os
import shutil
import signal
import subprocess
import sys
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


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["Ctrl-C (SIGINT to the process group)", "SIGTERM to the batch"],
)
def test_a_signal_halfway_stops_cleanly(tmp_path, signum, to_group):
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [_worksheet(), "batch", str(_roster(tmp_path / "roster.csv")), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    first = batch.stdout.readline()  # the first sheet is made: the batch is under way
    assert first.startswith("made "), first + batch.stderr.read()
    (os.killpg if to_group else os.kill)(batch.pid, signum)
    rest, errors = batch.communicate(timeout=60)
    assert batch.returncode == 128 + signum, errors
    with pytest.raises(ProcessLookupError):  # no worker lives on in the batch's process group
        os.killpg(batch.pid, 0)
    made = sorted(out.iterdir())
    assert not [path for path in made if path.name.startswith(".worksheet-")]  # no temp file left
    assert 1 <= len(made) < ROWS
    for pdf in made:
        assert_valid_pdf(pdf)
    summary = rest.splitlines()[-1]
    assert summary.startswith(f"Made {len(made)}, skipped 0, failed 0."), rest
    name = signal.Signals(signum).name
    assert errors.splitlines()[-1] == (
        f"Stopped by {name}: {ROWS - len(made)} rows not built; rerun with --skip-existing to build only those"
    )
