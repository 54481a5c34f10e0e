"""The library as a clinician browses it: every exercise complete and printable, filters that find by tag."""

import json

import pytest
from shared_builds import cell_build, exercise_alone

import worksheet
import worksheet._paths
from helpers import flat, make_spec, pdf_text
from worksheet.catalogue import ExerciseFilter, find
from worksheet.cli import main

BUNDLED = worksheet.load_library()


@pytest.mark.parametrize("exercise_id", sorted(BUNDLED.exercises))
def test_every_exercise_is_complete_and_prints_alone(library, exercise_id):
    """The one completeness check of the bundled exercises (one action per step: test_cautions.py)."""
    exercise = library.exercises[exercise_id]
    assert exercise.figure is not None, "every bundled exercise has a drawn figure"
    assert exercise.movement is not None, "every bundled exercise declares its movement facts"
    assert exercise.purpose and exercise.stop_if and exercise.tips and len(exercise.steps) >= 3
    # Built once a run (tests/shared_builds.py): test_cautions reads the same sheet for its cautions.
    spec, pdf = exercise_alone(exercise_id)
    assert make_spec(library, exercises=[{"id": exercise_id}]) == spec
    text = flat(pdf_text(pdf))
    assert f"1. {exercise.name}" in text
    for step in exercise.steps:
        assert flat(step) in text


@pytest.mark.parametrize("program_id", sorted(BUNDLED.programs))
def test_every_program_builds_with_an_introduction(library, program_id):
    program = library.programs[program_id]
    # The default sheet is the page matrix's cards-letter-en cell: its PDF is built once (tests/shared_builds.py).
    spec, pdf = cell_build(program_id, "cards", "letter", "en")
    assert make_spec(library, program=program_id) == spec
    text = flat(pdf_text(pdf))
    assert program.title in text and flat(program.introduction)[:60] in text
    for number, entry in enumerate(program.exercises, start=1):
        assert f"{number}. {library.exercises[entry.id].name}" in text


@pytest.mark.parametrize(
    ("criteria", "check"),
    [
        (ExerciseFilter(region=("hip",)), lambda e: "hip" in e.region),
        (ExerciseFilter(position=("lying-on-stomach",)), lambda e: e.position == "lying-on-stomach"),
        (ExerciseFilter(kind=("isometric",)), lambda e: e.kind == "isometric"),
        (ExerciseFilter(equipment=("ball", "belt")), lambda e: {"ball", "belt"} & set(e.equipment)),
        (ExerciseFilter(level=("beginner",), region=("hip",)), lambda e: e.level == "beginner" and "hip" in e.region),
        (ExerciseFilter(avoid=("extension-sensitive",)), lambda e: "extension-sensitive" not in e.caution_tags),
    ],
    ids=["region", "position", "kind", "equipment (any of)", "level and region", "avoid a caution"],
)
def test_filters_match_the_tags_exactly(library, criteria, check):
    found = find(library.exercises.values(), criteria)
    assert found, "the filter should find something in the bundled library"
    assert {e.id for e in found} == {e.id for e in library.exercises.values() if check(e)}


def test_search_looks_in_name_other_names_and_tags_ignoring_case_and_accents(library):
    assert [e.id for e in find(library.exercises.values(), ExerciseFilter(search="SPHINX"))] == ["prone-props"]
    by_tag = find(library.exercises.values(), ExerciseFilter(search="muscle energy"))
    assert {e.id for e in by_tag} >= {"isometric-hip-adduction", "isometric-hip-abduction"}
    assert find(library.exercises.values(), ExerciseFilter(search="no such exercise")) == []


def test_list_json_is_the_filtered_exercises(runner):
    result = runner.invoke(main, ["list", "--kind", "isometric", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows and all(row["kind"] == "isometric" for row in rows)
    assert {"id", "name", "region", "position", "equipment", "level", "tags", "caution_tags"} <= set(rows[0])


def test_list_rejects_an_unknown_tag_value(runner):
    result = runner.invoke(main, ["list", "--region", "nose"])
    assert result.exit_code == 2
    assert "Invalid value for '--region': 'nose' is not one of" in result.output


def test_build_avoid_drops_and_says_which_and_why(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", "dont-crack-your-back", "--include", "prone-props", "--avoid", "extension-sensitive",
                                  "-o", str(out)])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "Dropped prone-props (Lying on your stomach, propped on your elbows (prone props)): marked extension-sensitive, which --avoid excludes"
    )
    assert "Lying on your stomach, propped on your elbows (prone props)" not in pdf_text(out)


def test_caution_tags_print_as_ask_your_clinician_first(library):
    text = flat(pdf_text(worksheet.build(make_spec(library, only=["prone-props"]))))
    # The prone props carry three: one label, then each as a line of its own.
    label = text.index("Ask your clinician first:")
    assert "• if bending backward makes your pain worse." in text[label:]
    one = flat(pdf_text(worksheet.build(make_spec(library, only=["chin-tuck"]))))
    assert "Ask your clinician first if moving your neck makes you dizzy" in one  # one reads on as a sentence


def test_check_reports_every_problem_in_a_folder(runner, tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "programs").mkdir()
    (tmp_path / "exercises" / "broken.toml").write_text("name = [\n")
    (tmp_path / "exercises" / "bridge.toml").write_text((worksheet._paths.bundled("assets") / "exercises" / "bridge.toml").read_text())
    (tmp_path / "programs" / "mine.toml").write_text('title = "T"\nintroduction = "I"\n[[exercises]]\nid = "brigde"\n')
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"Note: {tmp_path / 'exercises' / 'bridge.toml'}: overrides the bundled exercise 'bridge'" in lines
    assert any(line.startswith(f"Error: {tmp_path / 'exercises' / 'broken.toml'}: not valid TOML") for line in lines)
    assert f"Error: {tmp_path / 'programs' / 'mine.toml'}: unknown exercise 'brigde' (did you mean 'bridge'?)" in lines
    assert lines[-1] == "Checked 1 exercises and 1 programs: 2 problems."


def test_check_passes_the_bundled_library(runner):
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.output.endswith("0 problems.\n")


def test_a_user_exercise_overriding_a_bundled_one_says_so(runner, tmp_path):
    (tmp_path / "exercises").mkdir()
    bridge = worksheet._paths.bundled("assets") / "exercises" / "bridge.toml"
    (tmp_path / "exercises" / "bridge.toml").write_text(bridge.read_text().replace('name = "Bridge"', 'name = "Our bridge"'))
    result = runner.invoke(main, ["--library", str(tmp_path), "show", "bridge"])
    assert result.exit_code == 0
    assert f"Note: exercise 'bridge' from {tmp_path / 'exercises' / 'bridge.toml'} overrides " in result.stderr
    assert result.stdout.startswith("Our bridge")


def test_check_compares_each_translation_with_its_original_item_for_item(runner, tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "i18n" / "es" / "exercises").mkdir(parents=True)
    bridge = worksheet._paths.bundled("assets") / "exercises" / "bridge.toml"
    (tmp_path / "exercises" / "my-bridge.toml").write_text(bridge.read_text())
    (tmp_path / "i18n" / "es" / "exercises" / "my-bridge.toml").write_text('progression = ["Uno.", "Dos.", "Tres."]\n')
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    progression = len(worksheet.load_library().exercises["bridge"].progression)
    assert (f"Error: {tmp_path / 'i18n' / 'es' / 'exercises' / 'my-bridge.toml'}: field 'progression' has 3 items "
            f"but the original has {progression}; translate each one") in result.output  # fmt: skip
    assert progression != 3  # else the check had nothing to catch
