"""Every bad input in tests/data/bad/ through the real CLI: one clear line, the right exit status, no traceback,
no output file, and an existing output left untouched. Awkward-but-valid input prints, exactly as typed."""

import os
import warnings
from pathlib import Path

import pytest

from helpers import assert_valid_pdf, flat, pdf_text
from worksheet.cli import main

BAD = Path(__file__).resolve().parent / "data" / "bad"
PROGRAM = "dont-crack-your-back"
WALL_SIT = "exercises/wall-sit.toml"

# (id, arguments before "-o OUT", the start of the one error line after "Error: ")
FAILS = [
    ("malformed TOML", ["--library", "{bad}/library-malformed", "list"], "{bad}/library-malformed/" + WALL_SIT + ": not valid TOML: "),
    ("wrong type", ["--library", "{bad}/library-wrong-type", "list"],
     "{bad}/library-wrong-type/" + WALL_SIT + ": field 'dosage.reps': Input should be a valid integer"),
    ("negative reps", ["--library", "{bad}/library-negative-reps", "list"],
     "{bad}/library-negative-reps/" + WALL_SIT + ": field 'dosage.reps': Input should be greater than or equal to 1 (found -5)"),
    ("hold of 10,000 s", ["--library", "{bad}/library-long-hold", "list"],
     "{bad}/library-long-hold/" + WALL_SIT + ": field 'dosage.hold': Input should be less than or equal to 600 (found 10000)"),
    ("zero sets", ["--library", "{bad}/library-zero-sets", "list"],
     "{bad}/library-zero-sets/" + WALL_SIT + ": field 'dosage.sets': Input should be greater than or equal to 1 (found 0)"),
    ("unknown field", ["--library", "{bad}/library-unknown-field", "list"],
     "{bad}/library-unknown-field/" + WALL_SIT + ": field 'colour' is not a known field; remove it or check its spelling"),
    ("id not the file name", ["--library", "{bad}/library-id-mismatch", "list"],
     "{bad}/library-id-mismatch/" + WALL_SIT + ": field 'id' is 'wall-squat' but the file is named 'wall-sit'; make them match"),
    ("61 steps", ["--library", "{bad}/library-too-many-steps", "list"],
     "{bad}/library-too-many-steps/" + WALL_SIT + ": field 'steps': has 61 items; at most 60 are allowed"),
    ("right-to-left text", ["--library", "{bad}/library-right-to-left", "list"],
     "{bad}/library-right-to-left/" + WALL_SIT + ": field 'name' has right-to-left text"),
    ("duplicate id in a program", ["--library", "{bad}/library-duplicate", "programs"],
     "{bad}/library-duplicate/programs/twice.toml: field 'exercises': 'bridge' is listed twice; list each exercise once"),
    ("program names a missing exercise", ["--library", "{bad}/library-missing-exercise", "programs"],
     "{bad}/library-missing-exercise/programs/missing.toml: unknown exercise 'brigde' (did you mean 'bridge'?)"),
    ("unknown id", ["build", PROGRAM, "--include", "moon-walk"], "--include: unknown exercise 'moon-walk'"),
    ("empty selection", ["build", "{bad}/specs/empty-selection.toml"],
     "{bad}/specs/empty-selection.toml: no exercises left on the sheet; check 'only', 'exclude' and 'avoid'"),
    ("zero sets in a spec", ["build", "{bad}/specs/zero-sets.toml"],
     "{bad}/specs/zero-sets.toml: field 'dosage.bridge.sets': Input should be greater than or equal to 1 (found 0)"),
    ("malformed spec", ["build", "{bad}/specs/malformed.toml"], "{bad}/specs/malformed.toml: not valid TOML: "),
    ("wrong type in a spec", ["build", "{bad}/specs/wrong-type.toml"],
     "{bad}/specs/wrong-type.toml: field 'paper': Input should be 'letter' or 'a4' (found 4)"),
    ("misspelt spec field", ["build", "{bad}/specs/unknown-field.toml"],
     "{bad}/specs/unknown-field.toml: field 'patinet' is not a known field; remove it or check its spelling"),
    ("CJK in exercise text (only names and notes take CJK)", ["--library", "{bad}/library-cjk-step", "list"],
     "{bad}/library-cjk-step/" + WALL_SIT + ": field 'steps.0' has '站' (U+7AD9 CJK UNIFIED IDEOGRAPH-7AD9)"),
    ("zero-byte image", ["build", PROGRAM, "--image", "bridge={bad}/images/zero-bytes.png"],
     "{bad}/images/zero-bytes.png: not a readable image"),
    ("not an image", ["build", PROGRAM, "--image", "bridge={bad}/images/not-an-image.jpg"],
     "{bad}/images/not-an-image.jpg: not a readable image"),
    ("truncated image", ["build", PROGRAM, "--image", "bridge={bad}/images/truncated.png"],
     "{bad}/images/truncated.png: not a readable image"),
    ("decompression bomb", ["build", PROGRAM, "--image", "bridge={bad}/images/decompression-bomb.png"],
     "{bad}/images/decompression-bomb.png: image has more than 30,000,000 pixels, too many to open safely"),
    ("missing image", ["build", PROGRAM, "--image", "bridge={bad}/images/nowhere.png"],
     "{bad}/images/nowhere.png: image file not found; check the path"),
    ("spec date at the end of the calendar", ["build", "{bad}/specs/date-9999.toml"],
     "{bad}/specs/date-9999.toml: field 'date': a date must be between 1900-01-01 and 2199-12-31 (found 9999-12-31)"),
    ("spec start at the end of the calendar", ["build", "{bad}/specs/start-9999.toml"],
     "{bad}/specs/start-9999.toml: field 'dosage.bridge.start': a date must be between 1900-01-01 and 2199-12-31 (found 9999-12-31)"),
    ("spec nested 5,000 deep", ["build", "{bad}/specs/nested-5000-deep.toml"],
     "{bad}/specs/nested-5000-deep.toml: nested too deeply to read; no worksheet file needs more than a few levels"),
    ("program id longer than a file name", ["build", "x" * 300],
     "PROGRAM_OR_SPEC: String should have at most 80 characters (found 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...)"),
    ("spec file name longer than a file name may be", ["build", "x" * 300 + ".toml"], "x" * 300 + ".toml: cannot be read: File name too long"),
    ("NaN in figure data", ["--library", "{bad}/library-nan-figure", "list"],
     "{bad}/library-nan-figure/exercises/bridge.toml: field 'figure.keyframes.1.joints.hip': Input should be a finite number (found nan)"),
    ("bad id, said in words", ["build", "Bad_Id"],
     "PROGRAM_OR_SPEC: should be lower-case letters and digits joined by hyphens, like 'single-knee-to-chest' (found 'Bad_Id')"),
    ("a tip of 40,000 characters", ["--library", "{bad}/library-long-tip", "list"],
     "{bad}/library-long-tip/" + WALL_SIT + ": field 'tips.0': String should have at most 1000 characters"),
    ("an exercise with more text than a few pages", ["--library", "{bad}/library-too-much-text", "list"],
     "{bad}/library-too-much-text/" + WALL_SIT + ": has 13,035 characters of text, more than 12,000 (a few pages); "
     "shorten it or split it into two exercises"),
    ("21 tips", ["--library", "{bad}/library-too-many-tips", "list"],
     "{bad}/library-too-many-tips/" + WALL_SIT + ": field 'tips': has 21 items; at most 20 are allowed"),
    ("image in Pillow's warning zone", ["build", PROGRAM, "--image", "bridge={bad}/images/bomb-warning-zone.png"],
     "{bad}/images/bomb-warning-zone.png: image is 13,300 × 13,300 = 176,890,000 pixels, more than 30,000,000; "
     "use a smaller image (300 dpi at the printed size is plenty)"),
    ("image just over the pixel limit", ["build", PROGRAM, "--image", "bridge={bad}/images/just-over-the-pixel-limit.png"],
     "{bad}/images/just-over-the-pixel-limit.png: image is 5,478 × 5,477 = 30,003,006 pixels, more than 30,000,000"),
    ("a device as the logo", ["build", PROGRAM, "--logo", "/dev/zero"],
     "/dev/zero: is not a regular file; give an image file saved on disk"),
    ("a device as the roster", ["batch", "/dev/zero"], "/dev/zero: is not a regular file; give a roster (a CSV file) saved on disk"),
]  # fmt: skip


# A value an option cannot take is a usage error (exit 2), found while the command line is parsed.
BAD_OPTION_VALUES = [
    ("--date at the end of the calendar", ["build", PROGRAM, "--date", "9999-12-31"],
     "Invalid value for '--date': a date must be between 1900-01-01 and 2199-12-31 (found 9999-12-31)"),
    ("--next-visit at the end of the calendar", ["build", PROGRAM, "--next-visit", "9999-12-31"],
     "Invalid value for '--next-visit': a date must be between 1900-01-01 and 2199-12-31 (found 9999-12-31)"),
    ("a start at the end of the calendar", ["build", PROGRAM, "--set", "bridge.start=9999-12-31"],
     "Invalid value for '--set bridge.start': a date must be between 1900-01-01 and 2199-12-31 (found 9999-12-31)"),
    ("duration of 400 digits", ["build", PROGRAM, "--set", "bridge.duration=" + "9" * 400 + "min"],
     "Invalid value for '--set bridge.duration': duration must be seconds or minutes, like '45 s' or '10 min'"),
    ("bad video link names --video", ["build", PROGRAM, "--video", "bridge=ftp://example.org/x"],
     "Invalid value for '--video bridge': should be a web link starting with http:// or https://, with no spaces (found 'ftp://example.org/x')"),
    ("bad colour, said in words", ["build", PROGRAM, "--accent", "red"],
     "Invalid value for '--accent': should be a colour written #RRGGBB, like #1f5f8b (found 'red')"),
    ("a video host with no IDNA form", ["build", PROGRAM, "--video", "bridge=https://" + "ü" * 70 + ".example/"],
     "Invalid value for '--video bridge': host '" + "ü" * 70 + ".example' is not a valid international domain name (Label too long)"),
    ("a video link with no host", ["build", PROGRAM, "--video", "bridge=https:///nohost"],
     "Invalid value for '--video bridge': has no host name (found 'https:///nohost')"),
    ("5,000-character name", ["build", PROGRAM, "--patient", "N" * 5000],
     "Invalid value for '--patient': String should have at most 120 characters"),
    ("emoji", ["build", PROGRAM, "--patient", "Ana 😀"],
     "Invalid value for '--patient': has '😀' (U+1F600 GRINNING FACE); emoji and other characters beyond U+FFFF cannot be printed yet"),
    ("script no bundled font covers", ["build", PROGRAM, "--patient", "नमस्ते"],
     "Invalid value for '--patient': has 'न' (U+0928 DEVANAGARI LETTER NA), which the bundled font cannot print; remove or replace it"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "start"), [case[1:] for case in BAD_OPTION_VALUES], ids=[case[0] for case in BAD_OPTION_VALUES])
def test_bad_option_value_is_a_usage_error(runner, tmp_path, args, start):
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "sheet.pdf")])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1].startswith("Error: " + start), result.output
    assert "Traceback" not in result.output and "pydantic" not in result.output
    assert list(tmp_path.iterdir()) == []


def expand(args: list[str]) -> list[str]:
    return [arg.replace("{bad}", str(BAD)) for arg in args]


@pytest.mark.parametrize(("args", "start"), [case[1:] for case in FAILS], ids=[case[0] for case in FAILS])
def test_bad_input_gets_one_clear_line(runner, tmp_path, args, start):
    out = tmp_path / "sheet.pdf"
    argv = expand(args) + (["-o", str(out)] if "build" in args else ["-o", str(tmp_path)] if "batch" in args else [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(main, argv)
    assert [str(warning.message) for warning in caught] == []  # no raw warning (Pillow's bomb warning) either
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: " + start.replace("{bad}", str(BAD))), result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert "pydantic" not in result.output and "\\n" not in result.output  # in our words: no URL, no escapes
    assert list(tmp_path.iterdir()) == []  # no PDF, no temp file

    out.write_bytes(b"yesterday's sheet")
    assert runner.invoke(main, argv).exit_code == 1
    assert out.read_bytes() == b"yesterday's sheet"


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        (lambda tmp: tmp / "missing" / "sheet.pdf", "does not exist; create it or choose another output path"),
        (lambda tmp: tmp, "is a folder; give a file name such as"),
        (lambda tmp: Path("/proc/sheet.pdf") if os.geteuid() == 0 else _read_only(tmp) / "sheet.pdf", "cannot write in"),
    ],
    ids=["missing folder", "path is a directory", "read-only folder"],
)
def test_unwritable_output_paths(runner, tmp_path, make_target, message):
    target = make_target(tmp_path)
    result = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {target}: ") and message in result.output
    assert result.output.count("\n") == 1


def _read_only(tmp: Path) -> Path:
    folder = tmp / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_hostile_text_in_every_field_prints_literally(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["--library", str(BAD / "library-hostile"), "build", "hostile", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)
    text = flat(pdf_text(out))
    hostile = "A & B <para>x</para> ]]> {{ 7*7 }} {% if 1 %}y{% endif %} <b>bold?</b>"
    for label in ("Title", "Intro", "Name", "Purpose", "Step", "Tip", "Stop and call your clinician if: Stop",
                  "Ask your clinician first: Caution"):
        assert f"{label} {hostile}" in text, label
    assert "49" not in text
    assert "Controlchars and NUL" in text  # control characters dropped, the rest kept
    assert "Symbols □ · → and accents: Zoë, Ångström, Ελένη, Жанна" in text


@pytest.mark.parametrize("name", ["李小龙", "山田 花子", "김민준"], ids=["Chinese", "Japanese", "Korean"])
def test_cjk_names_print_in_an_embedded_font(runner, tmp_path, name):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "--patient", name, "--clinic", "東京クリニック", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)
    assert name in pdf_text(out) and "東京クリニック" in pdf_text(out)
    from pypdf import PdfReader

    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(out).pages for font in page["/Resources"]["/Font"].values()}
    assert any("DroidSansFallback" in font for font in fonts), fonts  # embedded subset, not a CID font the reader lacks


def test_long_steps_and_sixty_steps_flow_onto_further_pages(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["--library", str(BAD / "library-long"), "build", "long", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)
    text = flat(pdf_text(out))
    assert "word1 word2" in text and "word1344" in text
    assert "Step 60: move slowly" in text and "Bridge" in text


def test_two_hundred_exercises_on_one_sheet(runner, tmp_path):
    library = tmp_path / "library"
    (library / "exercises").mkdir(parents=True)
    (library / "programs").mkdir()
    entries = []
    for number in range(1, 201):
        (library / "exercises" / f"move-{number}.toml").write_text(
            f'name = "Move {number}"\nregion = ["hip"]\nposition = "standing"\nkind = "mobility"\n'
            f'purpose = "Moves you."\nsteps = ["Stand tall.", "Move slowly."]\n'
        )
        entries.append(f'[[exercises]]\nid = "move-{number}"\n')
    (library / "programs" / "many.toml").write_text('title = "Many"\nintroduction = "Lots."\n' + "".join(entries))
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["--library", str(library), "build", "many", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)
    text = flat(pdf_text(out))
    assert "200. Move 200" in text


@pytest.mark.parametrize(
    "image", ["cmyk.jpg", "sixteen-bit.png", "palette-transparent.png", "animated.gif", "exif-rotated.jpg"]
)
def test_awkward_images_print(runner, tmp_path, image):
    out = tmp_path / "sheet.pdf"
    args = ["build", PROGRAM, "--only", "bridge", "--image", f"bridge={BAD / 'images' / image}", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)


@pytest.mark.parametrize("layout", ["cards", "list", "compact", "large-print", "log"])
def test_the_longest_allowed_header_fits_every_layout(runner, tmp_path, layout):
    """Fields at their length limits must shrink or wrap, never stop the render ('Not enough space')."""
    out = tmp_path / "sheet.pdf"
    long = {"--patient": "Maximiliana " * 10, "--clinician": "Dr. " + "Long " * 23, "--clinic": "Clinic " + "Big " * 28,
            "--clinic-address": "1 Long Road " * 10, "--note": "Take it slowly and stop if it hurts. " * 27}  # fmt: skip
    args = ["build", PROGRAM, "--layout", layout, "--next-visit", "2026-12-01", "-o", str(out)]
    for option, value in long.items():
        args += [option, value.strip()[:120] if option != "--note" else value.strip()[:1000]]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)
    assert "Maximiliana" in pdf_text(out)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<para>{{ spec.title }</para>", "{layouts}/mine.rml.j2:3: unexpected '}'"),
        ("<para>{{ spec.no_such_field }}</para>", "{layouts}/mine.rml.j2:3: 'worksheet.spec.Spec object' has no attribute 'no_such_field'"),
        ("<para>{{ spec.title }}</para>\n<fancyTag/>", "layout 'mine' could not be rendered: Directive 'fancyTag' could not be processed"),
        ("<para>{{ spec.title }}", "layout 'mine' produced invalid RML: Opening and ending tag mismatch"),
    ],
    ids=["template syntax", "undefined variable", "unknown RML tag", "broken XML"],
)
def test_a_users_broken_layout_names_template_line_and_cause(runner, tmp_path, body, expected):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "mine.rml.j2").write_text(
        '{% extends "partials/document.rml.j2" %}\n{% block story %}\n' + body + "\n{% endblock %}\n"
    )
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["--layouts", str(layouts), "build", PROGRAM, "--layout", "mine", "--quiet", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + expected.replace("{layouts}", str(layouts))), result.output
    assert result.output.count("\n") == 1 and not out.exists()


def test_typed_template_syntax_is_printed_not_run(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    hostile = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} <plugInFlowable module='os' function='system'>ls</plugInFlowable>"
    result = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "--note", hostile, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert hostile in flat(pdf_text(out))


def test_a_bug_of_ours_is_said_as_one_and_debug_shows_the_original(runner, tmp_path, monkeypatch):
    """An error raised in our own code while z3c.rml renders is not reported as the layout's fault."""
    from worksheet.figures import rml_plugin

    def broken(params):
        raise ValueError("figure plugin bug")

    monkeypatch.setattr(rml_plugin, "plugin_flowable", broken)
    args = ["build", PROGRAM, "--only", "bridge", "-o", str(tmp_path / "sheet.pdf")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.output == (
        "Error: unexpected ValueError (figure plugin bug): a bug in worksheet, not in your input; "
        "'worksheet --debug …' shows where\n"
    )
    debug = runner.invoke(main, ["--debug", *args])
    assert isinstance(debug.exception, ValueError) and str(debug.exception) == "figure plugin bug"
    assert list(tmp_path.iterdir()) == []


def test_a_long_program_id_fails_its_row_not_the_batch(runner, tmp_path):
    roster = BAD / "rosters" / "long-program-id.csv"
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path), "-j", "1", "--quiet"])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("Error:")] == [
        f"Error: {roster} row 2: column 'program': String should have at most 80 characters "
        "(found 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...)"
    ]
    assert result.output.splitlines()[-1] == "Made 1, skipped 0, failed 1."
    assert [path.name for path in tmp_path.iterdir()] == ["dont-crack-your-back-fine-2026-11-26.pdf"]


LIBRARY_FAILS = [case for case in FAILS if case[1][0] == "--library" and case[1][2] == "list"]


@pytest.mark.parametrize("folder", [case[1][1] for case in LIBRARY_FAILS], ids=[case[0] for case in LIBRARY_FAILS])
def test_check_reports_what_build_would_refuse(runner, folder):
    folder = folder.replace("{bad}", str(BAD))
    refused = runner.invoke(main, ["--library", folder, "build", PROGRAM, "-o", os.devnull + "-never"])
    assert refused.exit_code == 1
    checked = runner.invoke(main, ["check", folder])
    assert checked.exit_code == 1
    assert refused.output.splitlines()[0] in checked.output.splitlines()


def test_a_sheet_with_too_much_text_is_refused_before_any_work(runner, tmp_path):
    library = tmp_path / "library"
    (library / "exercises").mkdir(parents=True)
    (library / "programs").mkdir()
    step = ("Lean on the wall and breathe. " * 34)[:1000].strip()
    for number in range(1, 152):  # each exercise well within its limit, the sheet over 150,000 characters
        (library / "exercises" / f"move-{number}.toml").write_text(
            f'name = "Move {number}"\nregion = ["hip"]\nposition = "standing"\nkind = "mobility"\n'
            f'purpose = "Moves you."\nsteps = ["{step}"]\n'
        )
    (library / "programs" / "many.toml").write_text(
        'title = "Many"\nintroduction = "Lots."\n' + "".join(f'[[exercises]]\nid = "move-{n}"\n' for n in range(1, 152))
    )
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["--library", str(library), "build", "many", "--quiet", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the exercises on this sheet have 153,610 characters of text, more than 150,000; "
        "split them over several sheets\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "what"),
    [(["build", "{fifo}"], "a TOML file"), (["build", PROGRAM, "--image", "bridge={fifo}"], "an image file"),
     (["batch", "{fifo}"], "a roster (a CSV file)")],
    ids=["spec", "image", "roster"],
)
def test_a_fifo_given_as_input_is_refused_not_waited_on(runner, tmp_path, args, what):
    fifo = tmp_path / "named-pipe.toml"
    os.mkfifo(fifo)  # nothing ever writes to it: reading it would wait for ever
    argv = [arg.replace("{fifo}", str(fifo)) for arg in args] + ["-o", str(tmp_path / "out.pdf" if "build" in args else tmp_path / "out")]
    result = runner.invoke(main, argv)
    assert result.exit_code == 1
    assert result.output == f"Error: {fifo}: is not a regular file; give {what} saved on disk\n"


# Input that used to be silently ignored: (id, arguments, exit status, the last line of output)
IGNORED = [
    ("--only ''", ["build", PROGRAM, "--only", ""], 2,
     "Error: Invalid value for '--only': '' names nothing; give at least one id, e.g. --only bridge"),
    ("--exclude ','", ["build", PROGRAM, "--exclude", ","], 2,
     "Error: Invalid value for '--exclude': ',' names nothing; give at least one id, e.g. --exclude bridge"),
    ("--clinic-address with no clinic", ["build", PROGRAM, "--clinic-address", "1 Main St"], 1,
     "Error: --clinic-address is given but the clinic's name is not; add --clinic"),
    ("--clinic-phone with no clinic", ["build", PROGRAM, "--clinic-phone", "555-0100"], 1,
     "Error: --clinic-phone is given but the clinic's name is not; add --clinic"),
    ("a spec's clinic_phone with no clinic", ["build", "{bad}/specs/phone-without-clinic.toml"], 1,
     "Error: {bad}/specs/phone-without-clinic.toml: field 'clinic_phone' is given but the clinic's name is not; "
     "add a 'clinic' field"),
    ("--printer without --print", ["build", PROGRAM, "--printer", "front-desk"], 2,
     "Error: Invalid value for --printer: names a printer but nothing is printed without --print; add --print"),
    ("--layouts with no layouts", ["--layouts", "{bad}/layouts-empty", "layouts"], 2,
     "Error: Invalid value for --layouts: {bad}/layouts-empty has no *.rml.j2 layouts in it"),
    ("--layouts that does not exist", ["--layouts", "{bad}/nowhere", "layouts"], 2,
     "Error: Invalid value for --layouts: {bad}/nowhere: folder not found"),
    ("--library with nothing usable", ["--library", "{bad}/library-empty", "list"], 1,
     "Error: {bad}/library-empty: has no exercises/*.toml, programs/*.toml or i18n/ files; a library folder holds those"),
    ("roster separated by ';'", ["batch", "{bad}/rosters/semicolons.csv"], 1,
     "Error: {bad}/rosters/semicolons.csv: the columns are separated by ';'; save the roster with commas between the "
     "columns (in a spreadsheet: 'CSV UTF-8 (comma delimited)')"),
    ("roster with a column twice", ["batch", "{bad}/rosters/duplicate-column.csv"], 1,
     "Error: {bad}/rosters/duplicate-column.csv: column 'patient' appears twice in the header; keep one"),
    ("roster with an extra column", ["batch", "{bad}/rosters/extra-column.csv"], 1,
     "Error: {bad}/rosters/extra-column.csv: unknown column 'colour'; the columns are: accent, also, avoid, clinic, "
     "clinic_address, clinic_phone, clinician, date, duplex, exclude, image, include, language, layout, logo, "
     "next_visit, note, only, order, output, paper, patient, program, set, video"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "status", "line"), [case[1:] for case in IGNORED], ids=[case[0] for case in IGNORED])
def test_input_that_would_be_ignored_is_an_error(runner, tmp_path, args, status, line):
    argv = expand(args) + (["-o", str(tmp_path / "sheet.pdf")] if "build" in args else ["-o", str(tmp_path)] if "batch" in args else [])
    result = runner.invoke(main, argv)
    assert result.exit_code == status, result.output
    assert result.output.splitlines()[-1] == line.replace("{bad}", str(BAD))
    assert list(tmp_path.iterdir()) == []


def test_an_image_on_a_layout_without_pictures_is_warned_about(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    image = BAD / "images" / "cmyk.jpg"
    result = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "--layout", "log", "--image", f"bridge={image}", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Warning: layout 'log' shows no pictures, so the image for bridge is not printed; choose a layout with " \
           "pictures, such as cards or list" in result.output.splitlines()
    assert_valid_pdf(out)
    shown = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "--image", f"bridge={image}", "-o", str(out)])
    assert "shows no pictures" not in shown.output


def test_an_image_in_a_roster_row_on_a_layout_without_pictures_is_warned_about(runner, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"program,only,layout,image,output\n{PROGRAM},bridge,log,bridge={BAD / 'images' / 'cmyk.jpg'},a\n")
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert f"Warning: {roster} row 2: layout 'log' shows no pictures, so the image for bridge is not printed; " \
           "choose a layout with pictures, such as cards or list" in result.output.splitlines()
    assert result.output.splitlines()[-1] == "Made 1, skipped 0, failed 0. 1 with warnings."


@pytest.mark.parametrize(
    ("typed", "in_the_qr", "printed"),
    [
        ("https://bücher.example/übung?q=ä#t", "https://xn--bcher-kva.example/%C3%BCbung?q=%C3%A4#t",
         "Video: bücher.example/übung?q=ä#t"),
        ("https://例え.jp/動画", "https://xn--r8jz45g.jp/%E5%8B%95%E7%94%BB", "Video: 例え.jp/動画"),
        ("https://مثال.example/فيديو", "https://xn--mgbh0fb.example/%D9%81%D9%8A%D8%AF%D9%8A%D9%88",
         "Video: xn--mgbh0fb.e…F%D9%8A%D9%88"),  # right-to-left: printed as the QR holds it, its middle shortened
        ("https://example.org/already%20encoded", "https://example.org/already%20encoded",
         "Video: example.org/already%20encoded"),
    ],
    ids=["Latin accents", "Japanese", "Arabic", "already encoded"],
)
def test_a_video_link_in_any_script_prints_readably_and_the_qr_holds_it_in_ascii(library, typed, in_the_qr, printed):
    import worksheet
    from helpers import make_spec
    from worksheet.compose import compose

    # The list layout's card column holds each of these links whole but the longest, shortened in the middle
    # (see test_layouts).
    spec = make_spec(library, only=["bridge"], layout="list", videos={"bridge": typed})
    assert f'<barCodeFlowable code="QR" value="{in_the_qr}"' in compose(spec)
    squeezed = "".join(pdf_text(worksheet.build(spec)).split())  # a long link wraps where it must
    assert "".join(printed.split()) in squeezed


def test_debug_shows_the_engines_own_error_beneath_ours(runner, tmp_path):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "mine.rml.j2").write_text(
        '{% extends "partials/document.rml.j2" %}\n{% block story %}\n<fancyTag/>\n{% endblock %}\n'
    )
    args = ["--layouts", str(layouts), "build", PROGRAM, "--layout", "mine", "--quiet", "-o", str(tmp_path / "s.pdf")]
    plain = runner.invoke(main, args)
    assert plain.output.startswith("Error: layout 'mine' could not be rendered: Directive 'fancyTag'")
    debug = runner.invoke(main, ["--debug", *args])
    assert type(debug.exception).__name__ == "RenderError"
    original = debug.exception.__cause__
    assert type(original) is ValueError and "Directive 'fancyTag' could not be processed" in str(original)


# Errors name the real source: a spec file's own key, a roster's row and column, or the option typed.
SOURCES = [
    ("unknown id in a spec's include", ["build", "{bad}/specs/unknown-include.toml"],
     "{bad}/specs/unknown-include.toml: field 'include': unknown exercise 'moon-walk'; 'worksheet list' shows them all"),
    ("a spec's order names an exercise not on the sheet", ["build", "{bad}/specs/order-not-on-sheet.toml"],
     "{bad}/specs/order-not-on-sheet.toml: field 'order': 'wall-sit' is not on this sheet; add it to 'include' first"),
    ("a spec's dosage for an exercise not on the sheet", ["build", "{bad}/specs/dosage-not-on-sheet.toml"],
     "{bad}/specs/dosage-not-on-sheet.toml: field 'dosage': 'cat-camel' is not on this sheet; add it to 'include' first"),
    ("a spec's video for an exercise not on the sheet", ["build", "{bad}/specs/video-not-on-sheet.toml"],
     "{bad}/specs/video-not-on-sheet.toml: field 'videos': 'cat-camel' is not on this sheet; add it to 'include' first"),
    ("a spec's unknown program", ["build", "{bad}/specs/unknown-program.toml"],
     "{bad}/specs/unknown-program.toml: field 'program': unknown program 'dont-crack-your-bak' "
     "(did you mean 'dont-crack-your-back'?); 'worksheet programs' shows them all"),
    ("a spec's unknown layout", ["build", "{bad}/specs/unknown-layout.toml"],
     "{bad}/specs/unknown-layout.toml: field 'layout': layout 'poster' not found; "
     "choose one of: cards, compact, large-print, list, log"),
    ("a spec's unknown language", ["build", "{bad}/specs/unknown-language.toml"],
     "{bad}/specs/unknown-language.toml: field 'lang': language 'xx' is not available; choose one of: en, es"),
    ("a spec lists an exercise twice", ["build", "{bad}/specs/exercises-twice.toml"],
     "{bad}/specs/exercises-twice.toml: field 'exercises': 'bridge' is listed twice; list each exercise once"),
    ("an option added to a spec's list is named as the option", ["build", "{bad}/specs/bridge-only.toml", "--include", "moon-walk"],
     "--include: unknown exercise 'moon-walk'; 'worksheet list' shows them all"),
    ("an option on top of a spec is named as the option", ["build", "{bad}/specs/bridge-only.toml", "--clinic-address", "1 Main St"],
     "--clinic-address is given but the clinic's name is not; add --clinic"),
    ("--set for an exercise not on the sheet", ["build", PROGRAM, "--only", "bridge", "--set", "cat-camel.reps=3"],
     "--set: 'cat-camel' is not on this sheet; add it with --include first"),
    ("--video, not --videos", ["build", PROGRAM, "--only", "bridge", "--video", "cat-camel=https://example.org/c"],
     "--video: 'cat-camel' is not on this sheet; add it with --include first"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "line"), [case[1:] for case in SOURCES], ids=[case[0] for case in SOURCES])
def test_errors_name_the_real_source(runner, tmp_path, args, line):
    result = runner.invoke(main, [*expand(args), "-o", str(tmp_path / "sheet.pdf")])
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {line.replace('{bad}', str(BAD))}\n"
    assert list(tmp_path.iterdir()) == []


def test_roster_errors_name_the_row_and_the_column(runner, tmp_path):
    roster = BAD / "rosters" / "wrong-cells.csv"
    result = runner.invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 1
    assert [line.removeprefix(f"Error: {roster} ") for line in result.output.splitlines()] == [
        "row 2: column 'set': 'cat-camel' is not on this sheet; add it in column 'include' first",
        "row 3: column 'video': 'cat-camel' is not on this sheet; add it in column 'include' first",
        "row 4: column 'only': unknown exercise 'moon-walk'; 'worksheet list' shows them all",
        "row 5: column 'layout': layout 'poster' not found; choose one of: cards, compact, large-print, list, log",
        "row 6: column 'language': language 'xx' is not available; choose one of: en, es",
        "row 7: column 'program': unknown program 'dont-crack-your-bak' (did you mean 'dont-crack-your-back'?); "
        "'worksheet programs' shows them all",
        "row 8: column 'clinic_phone' is given but the clinic's name is not; add column 'clinic'",
        "row 9: column 'only': ';' names nothing; give at least one id, e.g. bridge",
        "Made 0, skipped 0, failed 8.",
    ]
    assert list((tmp_path / "out").iterdir()) == []
