"""`build --print` against a real CUPS queue: the cups-pdf virtual printer, started by this setup.

.ci/run installs CUPS and cups-pdf (Debian packages) so CI runs these for real; on a machine without them, or
without the rights to start the scheduler, they skip and say why.
"""

import fcntl
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from helpers import pdf_text
from worksheet.cli import main

PRINTER = "worksheet-test-pdf"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


# A machine has one CUPS scheduler and one ~/PDF: test processes running at once (pytest-xdist) take turns.
MACHINE_LOCK = Path(tempfile.gettempdir()) / "worksheet-tests-cups.lock"


@pytest.fixture(scope="module")
def cups_pdf_printer():
    """The cups-pdf queue, and the folder it prints into; afterwards everything this set up is taken down again:
    the queue, what it printed, and the scheduler if this started it (no cupsd, printer or ~/PDF file is left)."""
    with open(MACHINE_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _cups_pdf_printer()


def _cups_pdf_printer():
    missing = [tool for tool in ("cupsd", "lpadmin", "lp", "lpstat") if shutil.which(tool) is None]
    if missing or not PPD.exists():
        pytest.skip(f"CUPS with cups-pdf is not installed here (missing: {', '.join(missing) or PPD}); .ci/run installs it")

    def running() -> bool:
        return subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip() == "scheduler is running"

    schedulers_before = _processes_named("cupsd")
    scheduler = None
    if not running():
        if os.geteuid() != 0:
            pytest.skip("the CUPS scheduler is not running and only root may start it")
        # In the foreground (-f), so it is this process's child, to stop when done, not a daemon left behind.
        scheduler = subprocess.Popen(["cupsd", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(50):
            if running() or scheduler.poll() is not None:
                break
            time.sleep(0.1)
        if not running():
            _stop(scheduler)
            pytest.skip(f"the CUPS scheduler would not start here: {(scheduler.stderr.read() or '').strip()[:200]}")
    out_folder = Path(pwd.getpwuid(os.getuid()).pw_dir) / "PDF"
    folder_existed = out_folder.exists()
    before = set(out_folder.iterdir()) if folder_existed else set()
    try:
        added = subprocess.run(["lpadmin", "-p", PRINTER, "-E", "-v", "cups-pdf:/", "-P", str(PPD)], capture_output=True, text=True)
        if added.returncode != 0:
            pytest.skip(f"could not add the cups-pdf printer: {added.stderr.strip()[:200]}")
        yield PRINTER, out_folder
    finally:
        subprocess.run(["lpadmin", "-x", PRINTER], capture_output=True)
        for path in (set(out_folder.iterdir()) if out_folder.exists() else set()) - before:
            path.unlink()  # only what these tests printed
        if not folder_existed and out_folder.exists() and not any(out_folder.iterdir()):
            out_folder.rmdir()
        if scheduler is not None:
            _stop(scheduler)
        # Enforced, not hoped for: a test run that leaves any of these behind fails here, at teardown.
        assert _processes_named("cupsd") <= schedulers_before, "a CUPS scheduler these tests started still runs"
        if running():  # a scheduler that was already running: ask it
            listed = subprocess.run(["lpstat", "-p", PRINTER], capture_output=True, text=True).returncode == 0
        else:  # stopped: it saved its printers as it stopped
            listed = f"Printer {PRINTER}>" in _configured_printers()  # <Printer …> or <DefaultPrinter …>
        assert not listed, f"the test printer {PRINTER} is still configured"
        after = set(out_folder.iterdir()) if out_folder.exists() else set()
        assert after == before, f"left in {out_folder}: {sorted(map(str, after - before))}"
        assert out_folder.exists() == folder_existed, f"{out_folder} was made and left behind"


def _processes_named(name: str) -> set[int]:
    """The running processes with this command name (zombies have ended: they only wait to be reaped)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        command, _, rest = stat.partition(" (")[2].rpartition(")")
        if command == name and rest.split()[0] != "Z":
            found.add(int(entry.name))
    return found


def _configured_printers() -> str:
    """The printers a stopped scheduler saved (it writes them as it stops), or '' if the file cannot be read."""
    try:
        return Path("/etc/cups/printers.conf").read_text()
    except OSError:
        return ""


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr:
        process.stderr.close()


def test_print_sends_the_sheet_to_the_queue_and_it_comes_out(runner, tmp_path, cups_pdf_printer):
    printer, out_folder = cups_pdf_printer
    before = set(out_folder.glob("*.pdf")) if out_folder.exists() else set()
    sheet = tmp_path / "to-print.pdf"
    result = runner.invoke(main, ["build", "dont-crack-your-back", "--only", "bridge", "--patient", "Printed Patient",
                                  "-o", str(sheet), "--print", "--printer", printer])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"request id is {printer}-" in result.output
    deadline = time.monotonic() + 30
    printed: set[Path] = set()
    def whole(path: Path) -> bool:  # cups-pdf creates the file first and writes it after: wait for its end
        return path.read_bytes().rstrip().endswith(b"%%EOF")

    while time.monotonic() < deadline and not (printed and all(whole(path) for path in printed)):
        printed = (set(out_folder.glob("*.pdf")) if out_folder.exists() else set()) - before
        time.sleep(0.2)
    assert printed, f"cups-pdf wrote nothing to {out_folder}"
    assert "Printed Patient" in pdf_text(printed.pop())


def test_print_to_a_missing_printer_is_one_clear_line(runner, tmp_path, cups_pdf_printer):
    sheet = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", "dont-crack-your-back", "--only", "bridge", "-o", str(sheet),
                                  "--print", "--printer", "no-such-printer"])  # fmt: skip
    assert result.exit_code == 1
    assert result.output.startswith(f"Wrote {sheet}")  # the sheet itself is made
    assert f"Error: {sheet} was written, but printing on printer 'no-such-printer' failed: " in result.output
    assert sheet.exists()


def test_print_without_cups_says_what_to_install(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp anywhere
    sheet = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", "dont-crack-your-back", "--only", "bridge", "-o", str(sheet), "--print"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {sheet} was written, but CUPS's 'lp' command is not installed; install cups-client to print"
    )
