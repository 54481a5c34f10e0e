"""Batch: a roster of patients becomes a folder of PDFs; a bad row fails alone; reruns are cheap."""

import csv
import signal
import subprocess
import sys
import time
from pathlib import Path

import worksheet
from helpers import assert_valid_pdf, flat, make_spec, pdf_text
from worksheet.cli import main

PROGRAM = "dont-crack-your-back"
COLUMNS = ["patient", "program", "include", "exclude", "set", "paper", "date", "output", "language"]


def write_roster(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**cells) -> dict:
    # The seed's six exercises, about 14 minutes: no adherence warning unless a test asks for one.
    return {"program": PROGRAM, "date": "2026-11-26"} | cells


def test_good_rows_are_made_and_bad_rows_fail_alone(runner, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [
        row(patient="Ana López", exclude="isometric-hip-abduction", set="bridge.reps=12"),
        row(patient="Ben", set="bridge.reps=500"),
        row(patient="Cy", paper="a4", output="cy-sheet"),
        row(patient="Dee", program="nope"),
        row(patient="Eve", output="cy-sheet.pdf"),
    ])  # fmt: skip
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert sorted(path.name for path in out.iterdir()) == ["cy-sheet.pdf", f"{PROGRAM}-ana-lopez-2026-11-26.pdf"]
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {roster} row 3: column 'set' bridge.reps: Input should be less than or equal to 100 (found 500)",
        f"Error: {roster} row 5: column 'program': unknown program 'nope'; 'worksheet programs' shows them all",
        f"Error: {roster} row 6: writes {out / 'cy-sheet.pdf'} like row 4 does; give it its own name in the 'output' column",
    ]
    assert result.output.splitlines()[-1] == "Made 2, skipped 0, failed 3."
    ana = out / f"{PROGRAM}-ana-lopez-2026-11-26.pdf"
    assert_valid_pdf(ana)
    text = flat(pdf_text(ana))
    assert "2 sets of 12" in text and "Lying on your stomach, propped on your elbows (prone props)" not in text


def test_off_a_terminal_progress_is_plain_lines(runner, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [row(patient="Ana"), row(patient="Ben")])
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert sorted(lines[:2]) == sorted(f"made {tmp_path / 'out' / f'{PROGRAM}-{name}-2026-11-26.pdf'}" for name in ("ana", "ben"))
    assert lines[2] == "Made 2, skipped 0, failed 0."
    assert "\r" not in result.output  # no progress-bar redraws in a log file


def test_skip_existing_makes_only_what_is_missing(runner, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [row(patient="Ana"), row(patient="Ben")])
    out = tmp_path / "out"
    out.mkdir()
    kept = out / f"{PROGRAM}-ana-2026-11-26.pdf"
    kept.write_bytes(b"made before the interruption")
    result = runner.invoke(main, ["batch", str(roster), "-o", str(out), "--skip-existing"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "Made 1, skipped 1, failed 0."
    assert kept.read_bytes() == b"made before the interruption"


def test_unknown_column_stops_before_anything_is_made(runner, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,program,colour\nAna,dont-crack-your-back,red\n")
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {roster}: unknown column 'colour'; the columns are: ")
    assert list((tmp_path / "out").iterdir()) == []


def test_interrupted_batch_leaves_whole_files_and_a_rerun_finishes_it(tmp_path):
    # 12 rows: two processes make the first 3 and get the signal at once, so it always lands mid-batch.
    rows = 12
    roster = write_roster(tmp_path / "roster.csv", [row(patient=f"Patient {n}") for n in range(rows)])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "worksheet", "batch", str(roster), "-o", str(out), "-j", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    made_before = {path.name for path in out.glob("*.pdf")}
    assert 3 <= len(made_before) < rows, "the interruption should land mid-batch"
    for path in out.glob("*.pdf"):
        assert_valid_pdf(path)  # never half-written
    assert list(out.glob(".*.tmp")) == []

    rerun = subprocess.run([*command, "--skip-existing"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines()[-1] == f"Made {rows - len(made_before)}, skipped {len(made_before)}, failed 0."
    assert len(list(out.glob("*.pdf"))) == rows


def test_build_many_returns_each_sheet_in_order(library):
    specs = [make_spec(library, patient=name, only=["bridge"]) for name in ("Ana", "Ben", "Cy")]
    pdfs = list(worksheet.build_many(specs, jobs=2))
    assert [pdf == worksheet.build(spec) for pdf, spec in zip(pdfs, specs)] == [True, True, True]
    assert "Ben" in pdf_text(pdfs[1])


def test_adherence_warnings_are_printed_and_counted(runner, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [row(patient="Ana", include="prone-props"), row(patient="Ben")])
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0
    assert f"Warning: {roster} row 2: 7 exercises on one sheet, more than --max-exercises 6; " in result.output
    assert "row 3:" not in result.output
    assert result.output.splitlines()[-1] == "Made 2, skipped 0, failed 0. 1 with warnings."
    quiet = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "again"), "-j", "1", "--quiet"])
    assert "Warning" not in quiet.output and quiet.output.splitlines()[-1].endswith("1 with warnings.")


def test_language_column_makes_each_row_in_its_language(runner, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [row(patient="Ana", language="es", output="ana"), row(patient="Ben", language="xx")])
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert "Puente" in pdf_text(out / "ana.pdf")
    assert f"Error: {roster} row 3: column 'language': language 'xx' is not available; choose one of: en, es" in result.output


def test_rows_avoid_drops_are_reported(runner, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"program,patient,include,avoid,date\n{PROGRAM},Ana,prone-props,extension-sensitive,2026-11-26\n",
                      encoding="utf-8")
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    name = worksheet.load_library().exercise("prone-props").name
    assert (f"Note: {roster} row 2: Dropped prone-props ({name}): marked extension-sensitive, which --avoid "
            "excludes") in result.stderr.splitlines()
    assert flat(name) not in flat(pdf_text(tmp_path / "out" / f"{PROGRAM}-ana-2026-11-26.pdf"))


def _user_layout(tmp_path: Path) -> Path:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "mine.rml.j2").write_text(
        '{% extends "partials/document.rml.j2" %}{% block story %}<para style="title">Mine: {{ spec.title }}</para>'
        "{% endblock %}"
    )
    return layouts


def test_batch_with_a_user_layout(runner, tmp_path):
    layouts = _user_layout(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text(f"program,patient,layout\n{PROGRAM},Ana,mine\n{PROGRAM},Ben,mine\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["--layouts", str(layouts), "batch", str(roster), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name.split("-")[-4] for path in out.iterdir()) == ["ana", "ben"]
    title = worksheet.load_library().program(PROGRAM).title
    for path in out.iterdir():
        assert f"Mine: {title}" in flat(pdf_text(path))


def test_build_many_with_a_user_layout_in_worker_processes(tmp_path):
    library = worksheet.load_library(layout_folders=(_user_layout(tmp_path),))
    specs = [make_spec(library, patient=name, layout="mine") for name in ("Ana", "Ben")]
    pdfs = list(worksheet.build_many(specs, jobs=2))  # the workers have no layout folder: the spec carries it
    assert ["Mine:" in pdf_text(pdf) for pdf in pdfs] == [True, True]
    assert pdfs == [worksheet.build(spec) for spec in specs]
