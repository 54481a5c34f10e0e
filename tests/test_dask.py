"""Batch past one machine: roster rows as tasks on a Dask cluster (a LocalCluster of worker processes here)."""

import csv
import importlib.util
import os
import signal

import pytest

import worksheet
from helpers import PROGRAM, assert_valid_pdf, make_spec, pdf_text
from worksheet.batch import read_roster, run_jobs
from worksheet.cli import main

# Checked, not imported: importing distributed costs ≈0.5 s, which every xdist worker would pay to collect.
pytestmark = pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def client():
    import distributed

    # Two single-threaded worker processes, as `--scheduler local:2` makes; shared by this module's tests.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        yield client


def write_roster(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["patient", "program", "set", "date", "only"])
        writer.writeheader()
        # One exercise a sheet: the engine is under test here, and short sheets keep the module quick.
        writer.writerows({"program": PROGRAM, "date": "2026-11-26", "only": "bridge"} | row for row in rows)
    return path


def test_rows_run_on_the_cluster_with_the_local_pools_failures_summary_and_bytes(runner, client, library, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [
        {"patient": "Ana", "set": "bridge.reps=12"}, {"patient": "Ben", "set": "bridge.reps=500"},
        {"patient": "Cy"}, {"patient": "Dee", "program": "nope"},
    ])  # fmt: skip
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "-o", str(out), "--scheduler", client.scheduler.address])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {roster} row 3: column 'set' bridge.reps: Input should be less than or equal to 100 (found 500)",
        f"Error: {roster} row 5: column 'program': unknown program 'nope'; 'worksheet programs' shows them all",
    ]
    assert result.output.splitlines()[-1] == "Made 2, skipped 0, failed 2."
    ana = out / f"{PROGRAM}-ana-2026-11-26.pdf"
    assert_valid_pdf(ana)
    assert "2 sets of 12" in pdf_text(ana)
    # A worker's PDF is the one this process builds from the same spec, byte for byte.
    expected = make_spec(library, patient="Cy", only=["bridge"])
    assert (out / f"{PROGRAM}-cy-2026-11-26.pdf").read_bytes() == worksheet.build(expected)


def test_a_failure_on_a_worker_is_that_rows_error(client, library, tmp_path):
    jobs, _ = read_roster(write_roster(tmp_path / "roster.csv", [{"patient": "Ana"}, {"patient": "Ben"}]), library, tmp_path)
    from worksheet.templates import Layout

    # A spec carries its layout's templates; one without them fails on the worker that renders it.
    broken = jobs[1].spec.model_copy(update={"layout": "no-such-layout", "templates": Layout(name="no-such-layout", files={})})
    jobs[1] = type(jobs[1])(jobs[1].row, broken, jobs[1].output)
    outcomes = run_jobs(jobs, client=client)
    assert [(o.row, o.status) for o in outcomes] == [(2, "made"), (3, "failed")]
    assert outcomes[1].message == "layout 'no-such-layout' not found in the spec's templates"
    assert not jobs[1].output.exists()


def test_local_cluster_workers_write_to_a_shared_folder_and_a_rerun_skips_what_exists(runner, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [{"patient": "Ana"}, {"patient": "Ben"}])
    out = tmp_path / "shared"
    out.mkdir()
    kept = out / f"{PROGRAM}-ana-2026-11-26.pdf"
    kept.write_bytes(b"made before")
    command = ["batch", str(roster), "-o", str(out), "--scheduler", "local:1", "--write-on-workers", "--skip-existing"]
    result = runner.invoke(main, command)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Made 1, skipped 1, failed 0."
    assert kept.read_bytes() == b"made before"
    assert "Ben" in pdf_text(out / f"{PROGRAM}-ben-2026-11-26.pdf")
    assert list(out.glob(".*.tmp")) == []


@pytest.mark.parametrize("options, message", [
    (["-j", "2", "--scheduler", "local:2"], "Invalid value for -j: the cluster decides how many run at once"),
    (["--write-on-workers"], "Invalid value for --write-on-workers: needs --scheduler"),
], ids=["jobs with a scheduler", "write on workers without one"])  # fmt: skip
def test_contradictory_engine_options_are_usage_errors(runner, tmp_path, options, message):
    roster = write_roster(tmp_path / "roster.csv", [{"patient": "Ana"}])
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), *options])
    assert result.exit_code == 2
    assert message in result.output


def test_an_unreachable_scheduler_is_one_clear_line(runner, tmp_path):
    import dask

    roster = write_roster(tmp_path / "roster.csv", [{"patient": "Ana"}])
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: --scheduler tcp://127.0.0.1:9: cannot reach a Dask scheduler there")
    assert list((tmp_path / "out").iterdir()) == []


def test_build_many_on_a_client_returns_each_sheet_in_order(client, library):
    specs = [make_spec(library, patient=name, only=["bridge"]) for name in ("Ana", "Ben", "Cy")]
    pdfs = list(worksheet.build_many(specs, client=client))
    assert [pdf == worksheet.build(spec) for pdf, spec in zip(pdfs, specs)] == [True, True, True]


def test_a_worker_killed_mid_run_loses_no_row(client, library, tmp_path):
    jobs, _ = read_roster(write_roster(tmp_path / "roster.csv", [{"patient": f"P{n}"} for n in range(6)]), library, tmp_path)
    pids = client.run(os.getpid)
    killed = []

    def kill_a_busy_worker(outcome):
        if not killed:
            busy = [address for address, keys in client.processing().items() if keys]
            killed.append(pids[busy[0]])
            os.kill(killed[0], signal.SIGKILL)

    outcomes = run_jobs(jobs, client=client, on_outcome=kill_a_busy_worker)
    assert [o.status for o in outcomes] == ["made"] * 6
    assert sorted(o.row for o in outcomes) == list(range(2, 8))
    for job in jobs:
        assert_valid_pdf(job.output)
    assert killed and killed[0] not in client.run(os.getpid).values()  # the kill landed: that process is gone
