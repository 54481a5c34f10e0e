"""One typed request from every door: command-line options, a spec file and a roster row read the same
customisation into equal Requests, through one declared merge, with the project's own errors."""

import csv
import datetime as dt
from pathlib import Path
from typing import get_args

import pytest

import worksheet
from worksheet import batch, workflow
from worksheet.cli import main
from worksheet.customisation import FIELDS, PAPERS
from worksheet.request import Paper, Request, merge, request_from

PROGRAM = "dont-crack-your-back"

# One customisation, field by field, as each door spells it: (spec key, CLI arguments, spec-file TOML line,
# roster cell). Every declared field has a row, so a field added without its three spellings fails here.
DOORS = [
    ("program", [PROGRAM], f'program = "{PROGRAM}"', PROGRAM),
    ("only", ["--only", "bridge,prone-props", "--only", "supine-trunk-rotation"],
     'only = ["bridge", "prone-props", "supine-trunk-rotation"]', "bridge;prone-props;supine-trunk-rotation"),
    ("include", ["--include", "isometric-hip-adduction"], 'include = ["isometric-hip-adduction"]', "isometric-hip-adduction"),
    ("exclude", ["--exclude", "prone-props"], 'exclude = ["prone-props"]', "prone-props"),
    ("order", ["--order", "supine-trunk-rotation"], 'order = ["supine-trunk-rotation"]', "supine-trunk-rotation"),
    ("dosage", ["--set", "bridge.reps=12", "--set", "bridge.days=mon,wed,fri"],
     'dosage = { bridge = { reps = 12, days = "mon,wed,fri" } }', "bridge.reps=12; bridge.days=mon,wed,fri"),
    ("images", ["--image", "bridge=photos/bridge.png"], 'images = { bridge = "photos/bridge.png" }', "bridge=photos/bridge.png"),
    ("avoid", ["--avoid", "balance-risk"], 'avoid = ["balance-risk"]', "balance-risk"),
    ("patient", ["--patient", "Ana López & <Co>"], 'patient = "Ana López & <Co>"', "Ana López & <Co>"),
    ("clinician", ["--clinician", "Dr. Lee"], 'clinician = "Dr. Lee"', "Dr. Lee"),
    ("clinic", ["--clinic", "東京クリニック"], 'clinic = "東京クリニック"', "東京クリニック"),
    ("date", ["--date", "2026-11-26"], "date = 2026-11-26", "2026-11-26"),
    ("paper", ["--paper", "a4"], 'paper = "a4"', "a4"),
    ("layout", ["--layout", "list"], 'layout = "list"', "list"),
    ("lang", ["--lang", "es"], 'lang = "es"', "es"),
    ("also", ["--also", "en"], 'also = "en"', "en"),
    ("clinic_address", ["--clinic-address", "1 River Road"], 'clinic_address = "1 River Road"', "1 River Road"),
    ("clinic_phone", ["--clinic-phone", "555 0100"], 'clinic_phone = "555 0100"', "555 0100"),
    ("logo", ["--logo", "logo.png"], 'logo = "logo.png"', "logo.png"),
    ("accent", ["--accent", "#aa0000"], 'accent = "#aa0000"', "#aa0000"),
    ("note", ["--note", "Go gently; stop if sore."], 'note = "Go gently; stop if sore."', "Go gently; stop if sore."),
    ("next_visit", ["--next-visit", "2026-12-03"], "next_visit = 2026-12-03", "2026-12-03"),
    ("videos", ["--video", "bridge=https://example.org/bridge"], 'videos = { bridge = "https://example.org/bridge" }',
     "bridge=https://example.org/bridge"),
    ("duplex", ["--duplex"], "duplex = true", "yes"),
]  # fmt: skip


def test_every_declared_field_has_a_row_for_each_door():
    assert [row[0] for row in DOORS] == [field.key for field in FIELDS]
    assert {field.key for field in FIELDS} == set(Request.model_fields) - {"exercises"}  # the file-only list


def _captured(monkeypatch, module) -> list[Request]:
    """Stop a build at resolve, keeping the Request the door made."""
    seen: list[Request] = []

    def capture(request, library, today=None, origin=None):
        seen.append(request)
        raise worksheet.SpecError("captured")

    monkeypatch.setattr(module, "resolve_with_notes", capture)
    return seen


def test_the_same_customisation_through_every_door_is_the_same_request(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # options' paths are relative to the working folder, files' to their folder
    arguments = [argument for _, args, _, _ in DOORS for argument in args]
    from_options = _captured(monkeypatch, workflow)
    assert runner.invoke(main, ["build", *arguments]).output == "Error: captured\n"

    spec_file = tmp_path / "spec.toml"
    spec_file.write_text("\n".join(line for _, _, line, _ in DOORS) + "\n", encoding="utf-8")
    from_file = request_from(str(spec_file), {}, "options")

    columns = {field.key: field.column for field in FIELDS}
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([columns[key] for key, *_ in DOORS])
        writer.writerow([cell for *_, cell in DOORS])
    from_roster = _captured(monkeypatch, batch)
    jobs, failures = batch.read_roster(roster, worksheet.load_library(), tmp_path / "out")
    assert (jobs, [failure.message for failure in failures]) == ([], ["captured"])

    assert from_options == [from_file] == from_roster
    request = from_file
    assert request.only == ["bridge", "prone-props", "supine-trunk-rotation"]
    assert request.dosage["bridge"].days == ("mon", "wed", "fri")
    assert request.images["bridge"] == str(tmp_path / "photos" / "bridge.png")
    assert (request.date, request.duplex, request.clinic) == (dt.date(2026, 11, 26), True, "東京クリニック")


@pytest.mark.parametrize(
    ("file", "overrides", "expected"),
    [
        ({"patient": "A"}, {"patient": "B"}, {"patient": "B"}),
        ({"patient": "A"}, {"patient": None, "exclude": []}, {"patient": "A"}),
        ({"exclude": ["a"]}, {"exclude": ["b", "a"]}, {"exclude": ["a", "b"]}),
        ({"avoid": ["balance-risk"]}, {"avoid": ["wrist-loading"]}, {"avoid": ["balance-risk", "wrist-loading"]}),
        ({"dosage": {"bridge": {"reps": 3}}}, {"dosage": {"bridge": {"sets": 4}, "x": {"reps": 1}}},
         {"dosage": {"bridge": {"reps": 3, "sets": 4}, "x": {"reps": 1}}}),
        ({"images": {"a": "1.png"}}, {"images": {"a": "2.png"}}, {"images": {"a": "2.png"}}),
        ({"videos": {"a": "https://a"}}, {"videos": {"b": "https://b"}}, {"videos": {"a": "https://a", "b": "https://b"}}),
    ],
    ids=["a value replaces", "left out keeps", "a list extends, each once", "avoid extends like any list",
         "tables merge all the way down", "an image by id replaces", "a video table merges like any table"],
)  # fmt: skip
def test_one_merge_rule_per_kind_of_value(file, overrides, expected):
    assert merge(file, overrides) == expected


def test_from_data_raises_the_projects_error_in_its_words():
    with pytest.raises(worksheet.SpecError, match=r"^form: field 'videos\.bridge': should be a web link starting with http"):
        Request.from_data({"program": PROGRAM, "videos": {"bridge": "javascript:alert(1)"}}, "form")
    with pytest.raises(worksheet.SpecError, match=r"^--set bridge\.reps: Input should be less than or equal to 100"):
        Request.from_data({"program": PROGRAM, "dosage": {"bridge": {"reps": 500}}}, "options")
    with pytest.raises(worksheet.SpecError, match=r"^column 'language': should be a language code like 'es'"):
        Request.from_data({"program": PROGRAM, "lang": "Spanish"}, "roster")


def test_the_paper_choices_are_the_requests():
    assert PAPERS == get_args(Paper)


def test_roster_paths_are_relative_to_the_roster(tmp_path, library):
    folder = tmp_path / "clinic"
    folder.mkdir()
    roster = folder / "roster.csv"
    roster.write_text(f"program,only,image\n{PROGRAM},bridge,bridge=photo.png\n", encoding="utf-8")
    jobs, failures = batch.read_roster(roster, library, tmp_path)
    assert failures == [] and jobs[0].spec.exercises[0].image == str(folder / "photo.png")


def test_a_spec_file_without_overrides_keeps_its_values(tmp_path):
    spec = Path(tmp_path / "s.toml")
    spec.write_text(f'program = "{PROGRAM}"\navoid = ["balance-risk"]\n')
    assert request_from(str(spec), {"avoid": ["wrist-loading"]}, "options").avoid == ["balance-risk", "wrist-loading"]


def test_a_layout_edited_between_builds_is_read_again(tmp_path):
    import os

    from worksheet.templates import load_layout

    layout = tmp_path / "mine.rml.j2"
    layout.write_text('{% extends "list.rml.j2" %}')
    first = load_layout("mine", (tmp_path,))
    assert load_layout("mine", (tmp_path,)) is first  # read once while nothing changes
    layout.write_text('{% extends "cards.rml.j2" %}')
    os.utime(layout, ns=(layout.stat().st_atime_ns, layout.stat().st_mtime_ns + 1_000_000))
    second = load_layout("mine", (tmp_path,))
    assert "cards.rml.j2" in second.files and second.digest != first.digest


def test_a_dosage_override_is_the_dosage_with_every_field_optional():
    from worksheet.models import Dosage, DosageOverride

    assert list(DosageOverride.model_fields) == list(Dosage.model_fields)
    for name, field in DosageOverride.model_fields.items():
        assert field.default is None and field.description == Dosage.model_fields[name].description, name
    assert DosageOverride(reps=12).model_dump(exclude_none=True) == {"reps": 12}
    with pytest.raises(ValueError, match="less than or equal to 100"):
        DosageOverride(reps=500)  # the same limits as the dosage itself
