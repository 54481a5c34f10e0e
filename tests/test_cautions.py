"""Cautions come from rules (assets/cautions.toml) applied to each exercise's movement facts, and every reader
(the printed sheet, --avoid, list --caution, check) sees the same result."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from shared_builds import exercise_alone

import worksheet
from helpers import make_spec
from worksheet.cautions import CAUTIONS, Movement, all_tags, mixed_directions, rule_tags, rules
from worksheet.cli import main
from worksheet.language_guess import guess_language
from worksheet.readability import sentences, step_is_one_action

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DATA = Path(__file__).resolve().parent / "data"
STILL = {
    "spine": ["neutral"], "spine_end_range": False, "spine_loaded": False, "hip_flexion_past_90": False,
    "hip_adduction_past_midline": False, "hip_internal_rotation": False, "wrist_weight_bearing": False,
    "arms_overhead": False, "neck": ["still"], "balance_challenge": False,
}  # fmt: skip


def facts(**changes) -> Movement:
    return Movement(**(STILL | changes))


# (case, position, facts, tag, whether the rule gives it): good and bad cases for every rule.
RULE_CASES = [
    ("on the back", "lying-on-back", facts(), "pregnancy-after-first-trimester-supine", True),
    ("sitting is not on the back", "sitting", facts(), "pregnancy-after-first-trimester-supine", False),
    ("on the stomach", "lying-on-stomach", facts(), "pregnancy-after-first-trimester-prone", True),
    ("on the side is neither", "lying-on-side", facts(), "pregnancy-after-first-trimester-prone", False),
    ("hip past 90", "lying-on-back", facts(hip_flexion_past_90=True), "hip-replacement", True),
    ("leg across the midline", "lying-on-back", facts(hip_adduction_past_midline=True), "hip-replacement", True),
    ("hip turned in", "lying-on-side", facts(hip_internal_rotation=True), "hip-replacement", True),
    ("a hip kept within limits", "standing", facts(), "hip-replacement", False),
    ("end-range forward bend", "lying-on-back", facts(spine=["flexion"], spine_end_range=True), "osteoporosis", True),
    ("loaded forward bend", "sitting", facts(spine=["flexion"], spine_loaded=True), "osteoporosis", True),
    ("end-range twist", "lying-on-side", facts(spine=["rotation"], spine_end_range=True), "osteoporosis", True),
    ("a small unloaded tilt", "lying-on-back", facts(spine=["flexion"]), "osteoporosis", False),
    ("end-range backward bend", "lying-on-stomach", facts(spine=["extension"], spine_end_range=True), "osteoporosis", False),
    ("backward bend", "lying-on-stomach", facts(spine=["extension"]), "extension-sensitive", True),
    ("forward bend is not backward", "sitting", facts(spine=["flexion"]), "extension-sensitive", False),
    ("forward bend", "sitting", facts(spine=["flexion"]), "flexion-sensitive", True),
    ("both ways", "hands-and-knees", facts(spine=["flexion", "extension"]), "flexion-sensitive", True),
    ("a still spine", "standing", facts(), "flexion-sensitive", False),
    ("kneeling", "kneeling", facts(), "kneeling-pressure", True),
    ("hands and knees", "hands-and-knees", facts(), "kneeling-pressure", True),
    ("standing is not kneeling", "standing", facts(), "kneeling-pressure", False),
    ("weight on the hands", "lying-on-stomach", facts(wrist_weight_bearing=True), "wrist-loading", True),
    ("hands free", "lying-on-stomach", facts(), "wrist-loading", False),
    ("one leg", "standing", facts(balance_challenge=True), "balance-risk", True),
    ("steady standing", "standing", facts(), "balance-risk", False),
    ("arms overhead", "standing", facts(arms_overhead=True), "shoulder-overhead", True),
    ("arms low", "standing", facts(), "shoulder-overhead", False),
    ("neck turns", "sitting", facts(neck=["rotation"]), "neck-symptoms", True),
    ("neck presses without moving", "sitting", facts(neck=["isometric"]), "neck-symptoms", True),
    ("neck still", "sitting", facts(), "neck-symptoms", False),
]  # fmt: skip


@pytest.mark.parametrize(("position", "movement", "tag", "given"), [case[1:] for case in RULE_CASES],
                         ids=[case[0] for case in RULE_CASES])  # fmt: skip
def test_each_rule_applied_to_a_table_of_facts(position, movement, tag, given):
    assert (tag in rule_tags(position, movement)) is given


def test_the_case_table_covers_every_rule_both_ways():
    covered = {(tag, given) for *_, tag, given in RULE_CASES}
    for rule in rules():
        assert (rule.tag, True) in covered and (rule.tag, False) in covered, rule.tag
        assert rule.reason
    assert {rule.tag for rule in rules()} <= set(CAUTIONS)


def test_without_movement_facts_only_position_rules_apply():
    assert rule_tags("lying-on-back", None) == ["pregnancy-after-first-trimester-supine"]


def _raw(exercise_id: str) -> dict:
    with (ASSETS / "exercises" / f"{exercise_id}.toml").open("rb") as handle:
        return tomllib.load(handle)


BUNDLED = sorted(path.stem for path in (ASSETS / "exercises").glob("*.toml"))


def _expected_tags(exercise_id: str) -> list[str]:
    """What the rules give the exercise from its file's facts, plus the tags the file adds itself."""
    raw = _raw(exercise_id)
    return all_tags(raw["position"], Movement(**raw["movement"]), raw.get("caution_tags", []))


def test_every_bundled_exercise_declares_its_movement_facts(library):
    assert [exercise_id for exercise_id in BUNDLED if "movement" not in _raw(exercise_id)] == []
    for exercise_id in BUNDLED:
        assert library.exercises[exercise_id].caution_tags == _expected_tags(exercise_id)


def test_an_exercise_adds_tags_but_cannot_drop_what_a_rule_gives(library):
    raw = _raw("bridge") | {"id": "bridge", "caution_tags": ["balance-risk"]}
    exercise = worksheet.Exercise.model_validate(raw)
    assert exercise.caution_tags == ["pregnancy-after-first-trimester-supine", "balance-risk"]
    # The old tag id still means the same thing, in exercise files and --avoid.
    renamed = worksheet.Exercise.model_validate(raw | {"caution_tags": ["avoid-with-osteoporosis-loaded-flexion"]})
    assert "osteoporosis" in renamed.caution_tags


def test_the_issue_s_hip_and_osteoporosis_gaps_are_closed(library):
    hip = {e.id for e in library.exercises.values() if "hip-replacement" in e.caution_tags}
    assert {"single-knee-to-chest", "double-knee-to-chest", "lower-back-stretch-leg-crossover", "supine-trunk-rotation",
            "figure-4-piriformis-stretch", "seated-flexion-stretch"} <= hip  # fmt: skip
    bones = {e.id for e in library.exercises.values() if "osteoporosis" in e.caution_tags}
    assert {"double-knee-to-chest", "childs-pose", "seated-flexion-stretch", "supine-trunk-rotation",
            "open-book", "thread-the-needle"} <= bones  # fmt: skip
    stomach = {e.id for e in library.exercises.values() if "pregnancy-after-first-trimester-prone" in e.caution_tags}
    assert stomach == {"prone-props", "prone-press-up"}


def _page_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return " ".join(text.split())


def test_every_bundled_exercise_prints_exactly_the_cautions_its_rules_and_own_tags_give(library):
    for exercise_id in BUNDLED:
        # The sheet test_catalogue reads too, built once a run (tests/shared_builds.py); `only` selects the same.
        spec, pdf = exercise_alone(exercise_id)
        assert make_spec(library, only=[exercise_id]) == spec
        text = _page_text(pdf)
        # One caution reads on after the label; several are listed under it, one "•" line each.
        listed = text[text.index("Ask your clinician first:"):] if "Ask your clinician first:" in text else ""
        printed = {tag for tag, sentence in CAUTIONS.items()
                   if f"Ask your clinician first {sentence}" in text or f"• {sentence}" in listed}
        assert printed == set(_expected_tags(exercise_id)), exercise_id


def test_a_spanish_sheet_prints_every_caution_in_spanish(library):
    from worksheet.i18n import translations

    spanish = translations("es")
    assert [sentence for sentence in CAUTIONS.values() if spanish.gettext(sentence) == sentence] == []
    text = _page_text(worksheet.build(make_spec(library, only=["double-knee-to-chest"], lang="es")))
    assert "si te han puesto una prótesis de cadera." in text and "if you have had" not in text


def test_avoid_drops_exactly_what_the_rules_mark(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", "dont-crack-your-back", "--avoid", "hip-replacement", "-o", str(out)])
    assert result.exit_code == 0, result.output
    dropped = [line.split()[1] for line in result.output.splitlines() if line.startswith("Dropped ")]
    program = tomllib.loads((ASSETS / "programs" / "dont-crack-your-back.toml").read_text())
    marked = [entry["id"] for entry in program["exercises"] if "hip-replacement" in _expected_tags(entry["id"])]
    assert dropped == marked == ["single-knee-to-chest", "supine-trunk-rotation", "lower-back-stretch-leg-crossover"]
    assert "Single knee to chest" not in _page_text(out.read_bytes())


@pytest.mark.parametrize("tag", ["hip-replacement", "osteoporosis", "pregnancy-after-first-trimester-prone", "neck-symptoms"])
def test_list_caution_lists_exactly_what_the_rules_give(runner, tag):
    result = runner.invoke(main, ["list", "--caution", tag])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines()]
    assert listed == [exercise_id for exercise_id in BUNDLED if tag in _expected_tags(exercise_id)]
    assert listed


def test_check_reports_an_exercise_whose_facts_and_words_disagree(runner, tmp_path):
    folder = tmp_path / "library"
    shutil.copytree(DATA / "library-contradictory", folder)
    result = runner.invoke(main, ["check", str(folder)])
    assert result.exit_code == 1
    path = folder / "exercises" / "stomach-lift.toml"
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {path}: field 'steps' item 1 says 'Lie on your stomach' but 'position' is 'lying-on-back'; "
        "make them agree (the pregnancy cautions follow 'position')",
        f"Error: {path}: field 'steps' item 2 says 'knee toward your chest' but 'movement.hip_flexion_past_90' "
        "is false; set it to true (the hip replacement caution follows it)",
    ]


def test_check_rejects_neutral_spine_listed_with_a_movement(runner, tmp_path):
    (tmp_path / "exercises").mkdir()
    text = (DATA / "library-contradictory" / "exercises" / "stomach-lift.toml").read_text()
    (tmp_path / "exercises" / "stomach-lift.toml").write_text(text.replace('["extension"]', '["neutral", "flexion"]'))
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert (f"Error: {tmp_path / 'exercises' / 'stomach-lift.toml'}: field 'movement': 'neutral' means no other "
            "movement; list 'neutral' alone or the movements alone") in result.output  # fmt: skip


MIXED = (
    "Warning: this sheet mixes bending forward (double-knee-to-chest) and bending backward (prone-props, "
    "prone-press-up); add a note telling the patient which to stop first if one makes the pain worse (--note)"
)


def test_build_warns_in_one_line_when_a_customised_sheet_mixes_directions(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["build", "extension-bias", "--include", "double-knee-to-chest", "-o", str(out)])
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if "mixes bending" in line] == [MIXED]
    # The seed program mixes them too, but its introduction names the one to stop first: no warning.
    seed = runner.invoke(main, ["build", "dont-crack-your-back", "-o", str(tmp_path / "seed.pdf")])
    assert "mixes bending" not in seed.output


def test_every_mixed_program_names_the_exercise_to_stop_first_in_both_languages(library):
    from worksheet.cautions import _named_in

    # A program's options count: adding one may make the sheet mix directions (the seed's prone props).
    mixing = {pid for pid, p in library.programs.items()
              if mixed_directions([library.exercises[e.id] for e in [*p.exercises, *p.options]])}  # fmt: skip
    assert mixing == {"dont-crack-your-back"}
    for program_id in mixing:
        program = library.programs[program_id]
        assert program.stop_first
        every_option = [entry.id for entry in program.options]
        for lang in ("en", "es"):
            _, introduction = library.localized_program(program_id, lang, every_option)
            assert _named_in(library.localized_exercise(program.stop_first, lang)[0], introduction), lang
            # The default sheet, without the option, does not talk about it.
            _, default = library.localized_program(program_id, lang)
            assert not _named_in(library.localized_exercise(program.stop_first, lang)[0], default), lang


def test_check_flags_a_user_program_that_mixes_directions_without_saying_which_to_stop(runner, tmp_path):
    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "mixed.toml").write_text(
        'title = "Mixed"\nintroduction = "Do these."\n'
        '[[exercises]]\nid = "pelvic-tilt"\n[[exercises]]\nid = "prone-props"\n'
    )
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert (f"Error: {tmp_path / 'programs' / 'mixed.toml'}: field 'stop_first' is missing: the program mixes "
            "bending forward (pelvic-tilt) and backward (prone-props); name the exercise to stop first if one "
            "makes the pain worse, and say so in the introduction") in result.output  # fmt: skip


def test_every_bundled_step_is_one_action(library):
    """One sentence a step, or two when the second is the hold or the count; Spanish mirrors the English."""
    crowded = [(e.id, n, step) for e in library.exercises.values()
               for n, step in enumerate(e.steps, start=1) if not step_is_one_action(step)]  # fmt: skip
    assert crowded == []
    for exercise_id in BUNDLED:
        english = library.exercises[exercise_id]
        spanish, translated = library.localized_exercise(exercise_id, "es")
        assert translated
        assert [len(sentences(s)) for s in spanish.steps] == [len(sentences(s)) for s in english.steps], exercise_id


def test_spanish_reads_as_a_native_writes_it():
    texts = [path for path in sorted((ASSETS / "i18n" / "es").rglob("*.*")) if path.suffix in (".toml", ".po")]  # not a built .mo
    words = "\n".join(path.read_text() for path in texts)
    for phrase in ("espalda baja", "espalda alta", "hilo dental", "profesional de salud", "veces más",
                   "Para y ", "settle", "acomodar la pelvis"):  # fmt: skip
        assert phrase not in words, phrase


def test_no_claim_that_hip_isometrics_settle_the_pelvis(library):
    for exercise_id in ("isometric-hip-abduction", "isometric-hip-adduction"):
        assert "pelvis" not in library.exercises[exercise_id].purpose


@pytest.mark.parametrize(("note", "guess"), [
    ("Do these every morning before work, and call me if it hurts.", "en"),
    ("Haz estos ejercicios cada mañana antes del trabajo y llámame si te duele.", "es"),
    ("Ana 2x", None),
    ("毎朝この運動をしてください", "other"),
])  # fmt: skip
def test_note_language_guess(note, guess):
    assert guess_language(note) == guess


def test_build_warns_when_the_note_is_not_in_the_sheet_s_language(runner, tmp_path):
    english_note = "Do these every morning before work, and call me if it hurts."
    result = runner.invoke(main, ["build", "extension-bias", "--lang", "es", "--note", english_note,
                                  "-o", str(tmp_path / "a.pdf")])  # fmt: skip
    assert result.exit_code == 0
    assert ("Warning: --note looks like English but the sheet is in 'es'; it prints exactly as typed, so write it "
            "in the patient's language if they need it") in result.output.splitlines()  # fmt: skip
    assert english_note in _page_text((tmp_path / "a.pdf").read_bytes())  # the note stays as typed
    spanish = runner.invoke(main, ["build", "extension-bias", "--lang", "es", "-o", str(tmp_path / "b.pdf"),
                                   "--note", "Haz estos ejercicios cada mañana y llámame si te duele."])  # fmt: skip
    assert "--note looks like" not in spanish.output


def test_the_rule_file_s_references_are_cited_where_they_exist():
    table = tomllib.loads((ASSETS / "cautions.toml").read_text())
    cited = {rule["tag"] for rule in table["rules"] if re.search(r"\d{4}", rule.get("reference", ""))}
    assert {"pregnancy-after-first-trimester-supine", "hip-replacement", "osteoporosis", "extension-sensitive"} <= cited


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_seed_sheet_prints_every_caution_its_exercises_carry(library, lang):
    from worksheet.compose import DISCLAIMER
    from worksheet.i18n import translations

    spec = make_spec(library, lang=lang, include=["prone-props"])
    # Page furniture (running header, disclaimer, page number) removed, so a line a page break splits reads whole.
    furniture = [re.escape(" ".join(translations(lang).gettext(DISCLAIMER).split())), re.escape(spec.title),
                 r"(Page|Página) \d+ (of|de) \d+"]  # fmt: skip
    text = " ".join(re.sub("|".join(furniture), " ", _page_text(worksheet.build(spec))).split())
    carried = {tag for item in spec.exercises for tag in item.exercise.caution_tags}
    assert {"hip-replacement", "osteoporosis", "pregnancy-after-first-trimester-prone"} <= carried
    missing = [tag for tag in carried if translations(lang).gettext(CAUTIONS[tag]) not in text]
    assert missing == []


def test_check_warns_about_a_user_exercise_without_movement_facts(runner, tmp_path):
    (tmp_path / "exercises").mkdir()
    path = tmp_path / "exercises" / "march.toml"
    path.write_text('name = "March"\nregion = ["hip"]\nposition = "standing"\nkind = "strengthen"\n'
                    'purpose = "Makes your hips stronger."\nsteps = ["Stand tall.", "Lift one knee."]\n')  # fmt: skip
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0
    assert (f"Warning: {path}: no [movement] table, so only its position gives it cautions; add one (see "
            "assets/cautions.toml and the bundled exercises)") in result.output.splitlines()  # fmt: skip
