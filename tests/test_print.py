"""`build --print` against a real CUPS queue: the cups-pdf virtual printer, started by this setup.

.ci/run installs CUPS and cups-pdf (Debian packages) so CI runs these for real; on a machine without them, or
without the rights to start the scheduler, they skip and say why.
"""

import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from worksheet.cli import main
from helpers import pdf_text

PRINTER = "worksheet-test-pdf"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


@pytest.fixture(scope="module")
def cups_pdf_printer():
    missing = [tool for tool in ("cupsd", "lpadmin", "lp", "lpstat") if shutil.which(tool) is None]
    if missing or not PPD.exists():
        pytest.skip(f"CUPS with cups-pdf is not installed here (missing: {', '.join(missing) or PPD}); .ci/run installs it")
    def running() -> bool:
        return subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip() == "scheduler is running"

    if not running():
        if os.geteuid() != 0:
            pytest.skip("the CUPS scheduler is not running and only root may start it")
        started = subprocess.run(["cupsd"], capture_output=True, text=True)
        for _ in range(50):
            if running():
                break
            time.sleep(0.1)
        else:
            pytest.skip(f"the CUPS scheduler would not start here: {(started.stderr or started.stdout).strip()[:200]}")
    added = subprocess.run(["lpadmin", "-p", PRINTER, "-E", "-v", "cups-pdf:/", "-P", str(PPD)], capture_output=True, text=True)
    if added.returncode != 0:
        pytest.skip(f"could not add the cups-pdf printer: {added.stderr.strip()[:200]}")
    yield PRINTER, Path(pwd.getpwuid(os.getuid()).pw_dir) / "PDF"


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
