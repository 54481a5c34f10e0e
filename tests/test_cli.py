"""The command line, as a clinician uses it: exit codes, the one-line errors, and the files it leaves."""

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import flat, pdf_pages_text, pdf_text
from worksheet.cli import main

PROGRAM = "dont-crack-your-back"


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_list_shows_one_line_per_exercise(runner):
    result = run(runner, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) >= 7
    assert any(line.startswith("bridge ") and "Bridge" in line for line in lines)


def test_show_prints_steps_dosage_and_cautions(runner):
    result = run(runner, "show", "prone-props")
    assert result.exit_code == 0
    assert "1. Lie on your stomach." in result.output
    assert "Dosage: 1 set of 3 · hold 30 seconds · twice a day" in result.output
    assert "Ask first: Do this only if your clinician" in result.output


def test_programs_lists_the_seed_program(runner):
    result = run(runner, "programs")
    assert result.exit_code == 0
    seed = next(line for line in result.output.splitlines() if line.startswith(f"{PROGRAM} "))
    assert seed.endswith("(6 exercises; add with --include: prone-props)")
    assert len(result.output.splitlines()) >= 6


def test_build_writes_to_output_named_for_program_patient_and_date(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "build", PROGRAM, "--patient", "Ana López", "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    expected = Path("output") / f"{PROGRAM}-ana-lopez-2026-11-26.pdf"
    assert result.stdout.startswith(f"Wrote {expected} (")
    assert "Ana López" in pdf_text(expected)


def test_build_applies_every_customisation_option(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = run(
        runner, "build", PROGRAM, "--only", "bridge,prone-props,supine-trunk-rotation", "--exclude", "prone-props",
        "--include", "isometric-hip-adduction", "--order", "supine-trunk-rotation", "--set", "bridge.reps=12",
        "--set", "bridge.side=each", "--clinician", "Dr. Lee", "--clinic", "Riverside", "--paper", "a4",
        "-o", str(out), "--date", "2026-11-26",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(out))
    assert "1. Knees side to side on your back (trunk rotation)" in text and "2. Bridge" in text and "3. Knee squeeze with a ball" in text
    assert "Lying on your stomach, propped on your elbows (prone props)" not in text
    assert "2 sets of 12 · hold 5 seconds · each side · once a day" in text
    assert "Dr. Lee" in text and "Riverside" in text


def test_saved_spec_rebuilds_byte_for_byte(runner, tmp_path):
    first, second, spec = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "spec.toml"
    options = ["--patient", "Zoë & <Co>", "--exclude", "prone-props", "--set", "bridge.hold=10"]
    assert run(runner, "build", PROGRAM, *options, "-o", str(first), "--save-spec", str(spec)).exit_code == 0
    assert run(runner, "build", str(spec), "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_user_text_prints_literally(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    assert run(runner, "build", PROGRAM, "--patient", "Ana & <b>Co</b> {{ 7*7 }}", "-o", str(out)).exit_code == 0
    assert "Ana & <b>Co</b> {{ 7*7 }}" in pdf_pages_text(out)[0]


ERRORS = [
    (["build", "nope"], "Error: unknown program 'nope'; 'worksheet programs' shows them all"),
    (["build", PROGRAM, "--exclude", "brige"],
     "Error: --exclude: unknown exercise 'brige' (did you mean 'bridge'?); 'worksheet list' shows them all"),
    (["build", PROGRAM, "--only", "bridge", "--exclude", "bridge"],
     "Error: no exercises left on the sheet; check --only, --exclude and --avoid"),
    (["show", "bridg"], "Error: unknown exercise 'bridg' (did you mean 'bridge'?); 'worksheet list' shows them all"),
]


@pytest.mark.parametrize(("args", "line"), ERRORS, ids=[" ".join(args[1:]) or args[0] for args, _ in ERRORS])
def test_bad_input_is_one_clear_line_and_exit_1(runner, tmp_path, args, line):
    out = tmp_path / "sheet.pdf"
    extra = ["-o", str(out)] if args[0] == "build" else []
    result = runner.invoke(main, args + extra)
    assert result.exit_code == 1
    assert result.output == line + "\n"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temp file left behind either


USAGE_ERRORS = [
    (["--set", "bridge.reps=500"], "Invalid value for '--set bridge.reps': Input should be less than or equal to 100 (found 500)"),
    (["--set", "bridge.sets=0"], "Invalid value for '--set bridge.sets': Input should be greater than or equal to 1 (found 0)"),
    (["--set", "bridge=5"], "Invalid value for '--set': 'bridge=5': expected ID.FIELD=VALUE, e.g. bridge.reps=12"),
    (["--layout", "fancy"],
     "Invalid value for '--layout': layout 'fancy' not found; choose one of: cards, compact, large-print, list, log"),
    (["--lang", "xx"], "Invalid value for '--lang': language 'xx' is not available; choose one of: en, es"),
    (["--accent", "red"],
     "Invalid value for '--accent': should be a colour written #RRGGBB, like #1f5f8b (found 'red')"),
    (["--paper", "a5"], "Invalid value for '--paper': 'a5' is not one of 'letter', 'a4'."),
    (["--date", "2026-13-01"], "Invalid value for '--date': expected a date as YYYY-MM-DD, e.g. 2026-11-26 (found '2026-13-01')"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS, ids=[" ".join(args) for args, _ in USAGE_ERRORS])
def test_bad_option_value_is_a_usage_error_exit_2(runner, tmp_path, args, line):
    result = runner.invoke(main, ["build", PROGRAM, *args, "-o", str(tmp_path / "sheet.pdf")])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {line}"
    assert list(tmp_path.iterdir()) == []


def test_a_user_layout_is_a_valid_layout_option(runner, tmp_path):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "mine.rml.j2").write_text('{% extends "list.rml.j2" %}')
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["--layouts", str(layouts), "build", PROGRAM, "--layout", "mine", "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Bridge" in pdf_text(out)


def test_malformed_spec_file_names_file_and_line(runner, tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text('program = "dont-crack-your-back"\npatient = \n')
    result = runner.invoke(main, ["build", str(spec), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {spec}: not valid TOML: Invalid value (at line 2, column 11)")


def test_failed_build_leaves_an_existing_output_untouched(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"the earlier sheet")
    result = runner.invoke(main, ["build", PROGRAM, "--image", f"bridge={tmp_path / 'none.png'}", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'none.png'}: image file not found; check the path\n"
    assert out.read_bytes() == b"the earlier sheet"


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing/sheet.pdf", "does not exist; create it or choose another output path"), (".", "is a folder")],
    ids=["missing folder", "a directory"],
)
def test_unwritable_output_path(runner, tmp_path, target, message):
    result = runner.invoke(main, ["build", PROGRAM, "-o", str(tmp_path / target)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_debug_shows_the_traceback(runner):
    result = runner.invoke(main, ["--debug", "build", "nope"])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "DataError"


def worksheet_command() -> list[str]:
    script = Path(sys.executable).with_name("worksheet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "worksheet"]


def test_real_subprocess_build_and_error(tmp_path):
    out = tmp_path / "sheet.pdf"
    ok = subprocess.run([*worksheet_command(), "build", PROGRAM, "-o", str(out)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    bad = subprocess.run([*worksheet_command(), "build", "nope"], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr == "Error: unknown program 'nope'; 'worksheet programs' shows them all\n"
    assert "Traceback" not in bad.stderr + bad.stdout


def test_every_command_has_help_with_an_example(runner):
    for name in main.commands:
        result = run(runner, name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, name


def test_figures_writes_a_labelled_contact_sheet(runner, tmp_path):
    from PIL import Image

    out = tmp_path / "sheet.png"
    result = run(runner, "figures", "bridge", "prone-props", "-o", str(out), "--style", "tint")
    assert result.exit_code == 0
    assert result.output == f"Wrote {out} (2 figures)\n"
    image = Image.open(out)
    assert image.size == (720, 260)  # two cells side by side
    assert image.convert("L").getextrema()[0] < 60  # outlines drawn


def test_figures_at_print_size_draws_each_figure_in_its_picture_box(runner, tmp_path):
    from PIL import Image

    out = tmp_path / "printed.png"
    result = run(runner, "figures", "bridge", "chin-tuck", "-o", str(out), "--print-size", "240x110", "--dpi", "72")
    assert result.exit_code == 0, result.output
    image = Image.open(out).convert("L")
    assert image.size == (2 * (240 + 12), 110 + 25 + 8)  # a cell is the box at 72 dpi, a label and a margin
    # The tall seated figure takes the box's height, not its width: shrunk to fit as on the page.
    chin_tuck = Image.eval(image.crop((252 + 7, 26, 252 + 7 + 239, 26 + 109)), lambda v: 255 if v < 128 else 0).getbbox()
    assert chin_tuck[3] - chin_tuck[1] > 95 and chin_tuck[2] - chin_tuck[0] < 120
    bad = runner.invoke(main, ["figures", "bridge", "-o", str(tmp_path / "x.png"), "--print-size", "wide"])
    assert bad.exit_code == 2 and "expected WIDTHxHEIGHT in points" in bad.output


def test_figures_refuses_an_exercise_without_pose_data(runner, tmp_path):
    library = tmp_path / "library"
    (library / "exercises").mkdir(parents=True)
    (library / "exercises" / "wall-lean.toml").write_text(
        'name = "Wall sit"\nregion = ["hip"]\nposition = "standing"\nkind = "strengthen"\n'
        'purpose = "Makes your thighs stronger."\nsteps = ["Stand with your back to a wall."]\n'
    )
    result = runner.invoke(main, ["--library", str(library), "figures", "wall-lean", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert result.output == "Error: exercise 'wall-lean' has no [figure] pose data to draw; add one to its file\n"
    assert not (tmp_path / "x.png").exists()


def test_readme_documents_every_command_and_build_option():
    """The README cannot go stale silently: each command is named in it, and each build option is in its
    options table (made from --help; test_readme.py keeps the table current)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in main.commands:
        assert f"worksheet {name}" in readme, name
    for parameter in main.commands["build"].params:
        for flag in getattr(parameter, "opts", []):
            if flag.startswith("--"):
                assert f"{flag}" in readme, flag
