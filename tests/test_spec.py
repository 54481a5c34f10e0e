"""Customisation resolves into the sheet a clinician asked for."""

import pytest

from helpers import DATE, make_spec
from worksheet import Request, SpecError, WorksheetError, spec_to_toml
from worksheet.request import base_data, merge, read_request, request_from
from worksheet.spec import output_name, resolve

SEED_ORDER = [
    "bridge", "single-knee-to-chest", "supine-trunk-rotation", "lower-back-stretch-leg-crossover",
    "isometric-hip-adduction", "isometric-hip-abduction",
]  # fmt: skip


def ids(spec):
    return [item.exercise.id for item in spec.exercises]


def test_program_order_is_the_default(library):
    assert ids(make_spec(library)) == SEED_ORDER


def test_an_option_of_the_program_joins_with_its_dosage_and_its_introduction(library):
    spec = make_spec(library, include=["prone-props"])
    assert ids(spec) == [*SEED_ORDER, "prone-props"]
    option = library.programs["dont-crack-your-back"].options[0]
    assert spec.introduction.endswith(option.introduction)
    assert option.introduction not in make_spec(library).introduction


def test_a_program_lists_an_exercise_as_option_or_on_the_sheet_not_both(tmp_path):
    from worksheet.library import load_library

    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "both.toml").write_text(
        'title = "Both"\nintroduction = "Do these."\n[[exercises]]\nid = "bridge"\n[[options]]\nid = "bridge"\n'
    )
    with pytest.raises(WorksheetError, match="'bridge' is both in exercises and in options"):
        load_library([tmp_path])


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (dict(only=["prone-props", "bridge"]), ["prone-props", "bridge"]),
        (dict(exclude=["isometric-hip-abduction", "bridge"]), SEED_ORDER[1:-1]),
        (dict(only=["bridge"], include=["prone-props"]), ["bridge", "prone-props"]),
        (dict(order=["isometric-hip-abduction", "supine-trunk-rotation"]),
         ["isometric-hip-abduction", "supine-trunk-rotation"]
         + [i for i in SEED_ORDER if i not in ("isometric-hip-abduction", "supine-trunk-rotation")]),
        (dict(exercises=[{"id": "bridge"}, {"id": "prone-props"}]), ["bridge", "prone-props"]),
    ],
    ids=["only keeps and orders", "exclude drops", "include appends", "order puts first", "explicit list"],
)
def test_selection_and_order(library, fields, expected):
    assert ids(make_spec(library, **fields)) == expected


def test_dosage_layers_exercise_then_program_then_request(library):
    spec = make_spec(library, dosage={"bridge": {"reps": 15, "side": "left"}})
    bridge = spec.exercises[0]
    assert (bridge.dosage.sets, bridge.dosage.reps, bridge.dosage.hold, bridge.dosage.side) == (2, 15, 5, "left")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(only=["bridge"], exclude=["bridge"]), "no exercises left on the sheet; check --only, --exclude and --avoid"),
        (dict(include=["brdge"]), "--include: unknown exercise 'brdge' (did you mean 'bridge'?)"),
        (dict(only=["bridge"], dosage={"prone-props": {"reps": 3}}), "--set: 'prone-props' is not on this sheet"),
        (dict(only=["bridge"], order=["prone-props"]), "--order: 'prone-props' is not on this sheet"),
        (dict(exercises=[{"id": "bridge"}, {"id": "bridge"}]), "exercises: 'bridge' is listed twice"),
    ],
    ids=["empty selection", "unknown id with suggestion", "dosage for an absent exercise", "order of an absent exercise", "duplicate"],
)
def test_impossible_customisation_is_a_clear_error(library, fields, message):
    with pytest.raises(WorksheetError) as error:
        make_spec(library, **fields)
    assert message in str(error.value)


def test_saved_spec_resolves_to_the_same_spec(library, tmp_path):
    spec = make_spec(library, exclude=["prone-props"], dosage={"bridge": {"reps": 12}}, patient="Zoë <b>", clinic="A&B")
    saved = tmp_path / "spec.toml"
    saved.write_text(spec_to_toml(spec), encoding="utf-8")
    assert resolve(request_from(str(saved), {}, "options"), library) == spec


def test_cli_options_override_the_spec_file(tmp_path):
    saved = tmp_path / "spec.toml"
    saved.write_text('program = "dont-crack-your-back"\npatient = "A"\nexclude = ["bridge"]\n[dosage.bridge]\nreps = 3\n')
    data, _ = base_data(str(saved), "options")
    merged = merge(data, {"patient": "B", "exclude": ["prone-props", "bridge"], "dosage": {"bridge": {"sets": 4}}})
    assert merged["patient"] == "B"  # a value replaces
    assert merged["exclude"] == ["bridge", "prone-props"]  # a list extends, each item once
    assert merged["dosage"] == {"bridge": {"reps": 3, "sets": 4}}  # tables merge key by key, all the way down


def test_image_paths_in_a_spec_file_are_relative_to_it(tmp_path):
    saved = tmp_path / "sub" / "spec.toml"
    saved.parent.mkdir()
    saved.write_text('program = "p"\n[images]\nbridge = "photos/b.png"\n')
    assert read_request(saved)["images"]["bridge"] == str(tmp_path / "sub" / "photos" / "b.png")


def test_bad_spec_field_names_the_file_and_field(tmp_path):
    with pytest.raises(SpecError, match=r"^spec\.toml: field 'paper': Input should be 'letter' or 'a4' \(found 'a5'\)$"):
        Request.from_data({"program": "dont-crack-your-back", "paper": "a5"}, "spec.toml")


def test_output_name_is_program_patient_date_and_safe(library):
    spec = make_spec(library, patient="Ana María O'Neil / ../x")
    assert output_name(spec) == f"dont-crack-your-back-ana-maria-o-neil-x-{DATE.isoformat()}.pdf"
    assert output_name(make_spec(library)) == f"dont-crack-your-back-{DATE.isoformat()}.pdf"
