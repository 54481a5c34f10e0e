"""Prescriptions as clinicians write them, and sheets patients keep up with: every dosage field, session time,
the adherence warnings, scheduled days in the logs, order by position, reading level, bilingual sheets."""

import re

import pypdfium2 as pdfium
import pytest

import worksheet
from helpers import flat, make_spec, pdf_pages_text, pdf_text
from worksheet.cli import main
from worksheet.models import Dosage
from worksheet.session import CHANGEOVER, exercise_seconds, session_minutes, session_text

PROGRAM = "dont-crack-your-back"

# field, a good value and the phrase it prints, a bad value and the start of its error line
FIELDS = [
    ("sets", "3", "3 sets of 10", "0", "field 'sets': Input should be greater than or equal to 1 (found 0)"),
    ("reps", "12", "2 sets of 12", "101", "field 'reps': Input should be less than or equal to 100 (found 101)"),
    ("hold", "10", "hold 10 seconds", "601", "field 'hold': Input should be less than or equal to 600 (found 601)"),
    ("rest", "45", "rest 45 seconds", "-1", "field 'rest': Input should be greater than or equal to 0 (found -1)"),
    ("tempo", "3-1-3", "slowly: 3-1-3 seconds down, hold, up", "slow", "field 'tempo': tempo must be seconds for each phase"),
    ("duration", "2 min", "2 sets of 2 minutes", "ten", "field 'duration': duration must be seconds or minutes"),
    ("load", "5kg", "with 5 kg", "heavy", "field 'load': load must be a weight ('5 kg', '10 lb'), 'bodyweight'"),
    ("side", "alternating", "alternate sides", "up", "field 'side': Input should be 'both', 'each', 'left', 'right' or 'alternating'"),
    ("per_day", "3", "3 times a day", "11", "field 'per_day': Input should be less than or equal to 10 (found 11)"),
    ("days", "mon,wed,fri", "Mon, Wed, Fri", "funday", "field 'days': days must be 1-7, 'daily', 'every other day'"),
    ("start", "2026-12-01", "Start: 1 December 2026", "soon", "field 'start': Input should be a valid date"),
    ("review", "2026-12-15", "Review with your clinician: 15 December 2026", "2026-02-30", "field 'review': Input should be a valid date"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "good", "printed", "bad", "error"), FIELDS, ids=[f[0] for f in FIELDS])
def test_every_dosage_field_through_the_cli(runner, tmp_path, field, good, printed, bad, error):
    out = tmp_path / "sheet.pdf"
    ok = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "--set", f"bridge.{field}={good}", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert printed in flat(pdf_text(out))
    refused = runner.invoke(main, ["build", PROGRAM, "--only", "bridge", "--set", f"bridge.{field}={bad}", "-o", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 2  # a value the option cannot take: a usage error, found while parsing
    detail = error.removeprefix(f"field '{field}': ")
    assert refused.output.splitlines()[-1].startswith(f"Error: Invalid value for '--set bridge.{field}': {detail}"), refused.output


def test_dosage_fields_in_exercise_program_and_spec_files_use_the_same_keys(runner, tmp_path):
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(
        'program = "dont-crack-your-back"\nonly = ["bridge"]\n[dosage.bridge]\n'
        'sets = 2\nreps = 8\nhold = 3\nrest = 20\ntempo = "2-1-2"\nload = "red band"\nside = "each"\n'
        'per_day = 2\ndays = ["tue", "thu"]\nstart = 2026-12-01\nreview = 2026-12-29\n'
    )
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", str(spec_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(out))
    assert ("2 sets of 8 · slowly: 2-1-2 seconds down, hold, up · hold 3 seconds · rest 20 seconds · "
            "with a red band · each side · twice a day · Tue, Thu") in text  # fmt: skip


# Hand-computed: seconds per rep 3 (or the tempo's sum), rest 30 where unset, changeover 15.
SESSIONS = [
    (dict(sets=2, reps=10, hold=5), 2 * 10 * (3 + 5) + 30 + CHANGEOVER),  # 205
    (dict(sets=1, reps=3, hold=30, side="each"), 3 * 33 * 2 + CHANGEOVER),  # 213
    (dict(sets=3, reps=8, tempo="3-1-3", rest=60), 3 * 8 * 7 + 2 * 60 + CHANGEOVER),  # 303
    (dict(sets=2, duration=45, side="alternating", rest=15), 2 * 45 * 2 + 15 + CHANGEOVER),  # 210
]


@pytest.mark.parametrize(("fields", "seconds"), SESSIONS, ids=[str(s) for _, s in SESSIONS])
def test_exercise_time_matches_hand_computed_cases(fields, seconds):
    assert exercise_seconds(Dosage(**fields)) == seconds


def test_session_minutes_round_up_and_read_naturally():
    dosages = [Dosage(**fields) for fields, _ in SESSIONS]
    assert session_minutes(dosages) == -(-(205 + 213 + 303 + 210) // 60) == 16
    assert session_text(dosages) == "About 16 minutes, once a day"
    assert session_text([Dosage(per_day=2, reps=5)]) == "About 1 minute, twice a day"
    assert session_text([Dosage(per_day=2), Dosage(per_day=1)]).endswith("minutes a session")


def test_the_sheet_says_how_long_a_session_takes(library):
    spec = make_spec(library, only=["bridge", "single-knee-to-chest"], dosage={"single-knee-to-chest": {"per_day": 1}})
    assert "About 7 minutes, once a day" in flat(pdf_text(worksheet.build(spec)))  # 205 + 213 s, rounded up


def test_show_gives_the_exercise_time(runner):
    result = runner.invoke(main, ["show", "bridge"])
    assert "Time: about 3 min 25 s a session" in result.output


def test_warnings_are_one_line_each_on_stderr_and_the_pdf_is_made(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", PROGRAM, "--include", "prone-props", "--max-minutes", "10", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert result.stderr.splitlines() == [
        "Warning: one session takes about 16 minutes, more than --max-minutes 10; patients keep up better with shorter sessions",
        "Warning: 7 exercises on one sheet, more than --max-exercises 6; adherence falls as the number of exercises rises",
    ]
    assert result.stdout.startswith(f"Wrote {out}")
    quiet = runner.invoke(main, ["build", PROGRAM, "--include", "prone-props", "--max-minutes", "10", "--quiet", "-o", str(out)])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    # The seed program's own default sheet warns of nothing (issue 13: a default that warns teaches users to
    # ignore warnings).
    within = runner.invoke(main, ["build", PROGRAM, "-o", str(out)])
    assert within.stderr == ""


def test_week_log_ticks_only_scheduled_days(library):
    spec = make_spec(library, layout="list", only=["bridge", "prone-props"],
                     dosage={"bridge": {"days": "mon,wed,fri"}, "prone-props": {"days": "daily"}})  # fmt: skip
    pdf = worksheet.build(spec)
    log_page = pdf_pages_text(pdf)[-1]
    assert "1. Bridge □ – □ – □ – –" in flat(log_page)
    assert "2. Lying on your stomach, propped on your elbows (prone props) " + " ".join(["□ □"] * 7) in flat(log_page)
    assert "A dash means a rest day." in flat(log_page)
    # Geometry: the bridge row's tick boxes sit under Mon, Wed and Fri.
    document = pdfium.PdfDocument(pdf)
    page = document[len(document) - 1].get_textpage()
    text = page.get_text_range()

    def x_of(index):
        return page.get_charbox(index)[0]

    heading = text.index("Exercise Mon")
    headers = {day: x_of(text.index(day, heading)) for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
    row = text.index("1. Bridge")
    boxes = [x_of(i) for i in range(row, text.index("2. Lying on", row)) if text[i] == "□"]
    columns = [min(headers, key=lambda day: abs(headers[day] - x)) for x in boxes]
    assert columns == ["Mon", "Wed", "Fri"]


def test_every_other_day_from_the_start_date_in_the_four_week_log(library):
    spec = make_spec(library, layout="log", only=["bridge"], dosage={"bridge": {"days": "every other day", "start": "2026-11-26", "review": "2026-12-20"}})
    text = flat(pdf_text(worksheet.build(spec)))
    # 26 Nov 2026 is a Thursday: week 1 Mon-Wed are before the start, then Thu, Sat; week 2 Mon, Wed, Fri, Sun.
    assert "1. Bridge – – – □ – □ –" in text
    assert "1. Bridge □ – □ – □ – □" in text
    assert "Review with your clinician: 20 December 2026" in text


def test_order_position_saves_getting_up_and_down(library):
    spec = make_spec(library, program="hip-strength-basics", include=["cat-camel", "prone-props", "upper-trapezius-stretch"], order=["position"])
    positions = [item.exercise.position for item in spec.exercises]
    assert positions == ["standing", "sitting", "sitting", "hands-and-knees", "lying-on-back", "lying-on-side", "lying-on-side", "lying-on-stomach"]
    sitting = [item.exercise.id for item in spec.exercises if item.exercise.position == "sitting"]
    assert sitting == ["sit-to-stand", "upper-trapezius-stretch"]  # the program's order within a group


def test_default_order_stays_the_programs(library):
    assert [i.exercise.id for i in make_spec(library, program="hip-strength-basics").exercises] == [
        e.id for e in library.programs["hip-strength-basics"].exercises]


def test_progression_and_stop_lines_are_labelled(library):
    text = flat(pdf_text(worksheet.build(make_spec(library, only=["bridge"]))))
    bridge = library.exercises["bridge"]
    assert f"When it gets easy: {bridge.progression[0]}" in text
    assert f"Stop and call your clinician if: {bridge.stop_if[0]}" in text


def test_check_flags_a_hard_to_read_exercise(runner, tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "dense.toml").write_text(
        'name = "Dense"\nregion = ["hip"]\nposition = "standing"\nkind = "strengthen"\n'
        'purpose = "Facilitates neuromuscular proprioceptive recruitment of periarticular stabilising musculature."\n'
        'steps = ["Maintain contralateral pelvic stabilisation while performing unilateral isometric abduction, '
        'subsequently progressing toward incrementally increased resistance parameters."]\n'
    )
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0
    assert re.search(rf"Warning: {re.escape(str(tmp_path / 'exercises' / 'dense.toml'))}: reading grade \d+\.\d "
                     r"\(Flesch-Kincaid\), above grade 8; use shorter sentences and everyday words", result.output)  # fmt: skip
    assert result.output.splitlines()[-1] == "Checked 1 exercises and 0 programs: 0 problems, 2 warnings."


def test_every_bundled_exercise_reads_at_grade_6_or_below(library):
    from worksheet.readability import reading_grade

    hard = {e.id: reading_grade(e) for e in library.exercises.values() if reading_grade(e) > 6}
    assert hard == {}


@pytest.mark.parametrize("layout", ["cards", "list", "large-print"])
def test_bilingual_card_carries_steps_and_safety_in_both_languages(library, layout):
    """Spanish for the patient, English for the helper: the English block names the exercise with its dosage,
    then every step, its "stop if" line and its own cautions; the purpose and tips only in Spanish."""
    from worksheet.models import CAUTIONS

    spec = make_spec(library, lang="es", also="en", only=["bridge", "single-knee-to-chest"], layout=layout)
    text = flat(pdf_text(worksheet.build(spec)))
    assert "English: Bridge · 2 sets of 10 · hold 5 seconds · once a day" in text
    assert "1. Puente" in text and "2 series de 10 repeticiones" in text
    for exercise_id in ("bridge", "single-knee-to-chest"):
        es, en = library.localized_exercise(exercise_id, "es")[0], library.exercises[exercise_id]
        for spanish, english in zip(es.steps, en.steps, strict=True):
            assert flat(spanish)[:25] in text and flat(english)[:25] in text
        assert "Stop and call your clinician if: " + flat(" ".join(en.stop_if))[:30] in text
        assert flat(" ".join(es.stop_if))[:30] in text
        for tag in en.caution_tags:  # none shared on a two-exercise sheet: each card carries its own
            assert flat(CAUTIONS[tag])[:30] in text, (exercise_id, tag)
        assert flat(en.purpose)[:25] not in text and flat(es.purpose)[:25] in text
    assert library.exercises["single-knee-to-chest"].caution_tags, "a card with cautions is the point of the test"
    plain = flat(pdf_text(worksheet.build(make_spec(library, lang="es", only=["bridge"], layout=layout))))
    assert "English" not in plain and "Stop and call your clinician if" not in plain


def test_bilingual_shared_cautions_box_is_in_both_languages(library):
    from worksheet.i18n import translations
    from worksheet.models import CAUTIONS

    spec = make_spec(library, lang="es", also="en", layout="cards")  # six exercises, five of them on the back
    first_page = flat(pdf_pages_text(worksheet.build(spec))[0])
    shared = [tag for tag in CAUTIONS if sum(tag in item.exercise.caution_tags for item in spec.exercises) > 3]
    assert shared
    for tag in shared:
        assert flat(translations("es").gettext(CAUTIONS[tag]))[:30] in first_page
        assert flat(CAUTIONS[tag])[:30] in first_page
    assert "Ask your clinician first:" in first_page
