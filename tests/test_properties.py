"""Property: whatever a user types, building either gives a sound PDF or fails with the tool's own error."""

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import worksheet
from worksheet.request import request_from, typed_overrides
from worksheet.spec import resolve

IDS = [
    "bridge", "single-knee-to-chest", "supine-trunk-rotation", "lower-back-stretch-leg-crossover",
    "isometric-hip-adduction", "isometric-hip-abduction", "prone-props",
]  # fmt: skip
FIELDS = ["sets", "reps", "hold", "per_day", "days", "side", "tempo"]

any_text = st.text(max_size=150)
some_ids = st.lists(st.sampled_from(IDS) | st.text(max_size=12), max_size=4)
assignment = st.builds(
    lambda exercise, field, value: f"{exercise}.{field}={value}",
    st.sampled_from(IDS) | st.text(max_size=8),
    st.sampled_from(FIELDS),
    st.integers(-10, 20_000).map(str) | st.sampled_from(["each", "left", "both", "up", ""]),
)
options = st.fixed_dictionaries(
    {
        "patient": st.none() | any_text,
        "clinician": st.none() | any_text,
        "clinic": st.none() | any_text,
        "only": some_ids.map(tuple),
        "exclude": some_ids.map(tuple),
        "include": some_ids.map(tuple),
        "order": some_ids.map(tuple),
        "dosage": st.lists(assignment, max_size=3).map(tuple),
        "paper": st.sampled_from([None, "letter", "a4"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(options=options)
def test_build_succeeds_or_fails_with_a_worksheet_error(library, options):
    try:
        overrides = typed_overrides(options, "options", Path.cwd())  # what every door does with typed text
        pdf = worksheet.build(resolve(request_from("dont-crack-your-back", overrides, "options"), library))
    except worksheet.WorksheetError as error:
        assert str(error) and "\n" not in str(error)
        return
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) >= 1
    header = "".join(reader.pages[0].extract_text().split())
    for typed in (options["patient"], options["clinic"]):
        # What a reader sees: control characters dropped, any run of white space laid out as a line break or space.
        visible = "".join(ch for ch in "".join((typed or "").split()) if ch.isprintable())
        if visible and len(visible) < 30:
            assert visible in header


# Figure data: any float in any numeric field of the bridge's [figure], NaN and infinity included.
FIGURE_FIELDS = [
    ("keyframes", 1, "joints", "hip"), ("keyframes", 1, "trunk"), ("keyframes", 0, "roll"), ("keyframes", 0, "x"),
    ("keyframes", 0, "y"), ("keyframes", 1, "z"), ("tilt",), ("arrow", "bend"), ("arrow", "offset", 0),
    ("arrow", "shorten"), ("props", 0, "thickness"), ("props", 0, "margin"), ("props", 2, "offset", 1),
    ("props", 2, "diameter"),
]  # fmt: skip


def _bridge_with(path: tuple, value: float) -> dict:
    import copy
    import tomllib

    from worksheet._paths import bundled

    data = tomllib.loads((bundled("assets") / "exercises" / "bridge.toml").read_text())
    figure = copy.deepcopy(data["figure"])
    figure["props"] = list(figure.get("props", [])) + [{"type": "ball", "at": "knees", "offset": [0, 0, 0]}]
    figure["props"][0] = {"type": "mat"}
    figure["arrow"] = dict(figure.get("arrow") or {"landmark": "pelvis"}, offset=[0, -10])
    node = figure
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    data["figure"] = figure
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(FIGURE_FIELDS), value=st.floats(allow_nan=True, allow_infinity=True))
def test_any_figure_float_is_refused_in_one_line_or_draws_a_sound_pdf(library, tmp_path_factory, path, value):
    import tomli_w

    from helpers import assert_valid_pdf, make_spec
    from worksheet.library import Library, check_folder

    folder = tmp_path_factory.mktemp("library")
    (folder / "exercises").mkdir()
    (folder / "exercises" / "bridge.toml").write_text(tomli_w.dumps(_bridge_with(path, value)))
    report = check_folder(folder, library)
    mine = Library(dict(library.exercises), dict(library.programs), dict(library.sources), texts=dict(library.texts))
    try:
        mine.add_folder(folder)  # what --library FOLDER does before a build
    except worksheet.WorksheetError as error:
        assert report.problems == [str(error)] and "\n" not in str(error)  # check says what build refuses
        return
    assert report.problems == [], report.problems
    assert_valid_pdf(worksheet.build(make_spec(mine, only=["bridge"])))
