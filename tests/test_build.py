"""The worksheet PDF itself: what a patient reads on paper, checked in the extracted text and the pixels."""

import io

import pytest
from PIL import Image

import worksheet
from helpers import (
    assert_valid_pdf,
    flat,
    image_xobjects,
    make_spec,
    page_sizes,
    pdf_pages_text,
    pdf_text,
    render_page,
    text_box,
    text_left_edge,
)
from worksheet.compose import MARGIN
from worksheet.dosage import dosage_line


@pytest.fixture(scope="module")
def seed_pdf(library):
    spec = make_spec(library, patient="Ana López", clinician="Dr. Sam Lee", clinic="Riverside Physio")
    return spec, worksheet.build(spec)


def test_every_exercise_name_step_and_dosage_line_is_printed(seed_pdf):
    spec, pdf = seed_pdf
    assert_valid_pdf(pdf)
    text = flat(pdf_text(pdf))
    for item in spec.exercises:
        assert item.exercise.name in text
        assert dosage_line(item.dosage) in text
        for step in item.exercise.steps:
            assert flat(step) in text
        stop_lines = " ".join(item.exercise.stop_if)
        assert f"Stop and call your clinician if: {stop_lines}" in text


def test_header_names_program_patient_date_clinician_and_clinic(seed_pdf):
    spec, pdf = seed_pdf
    first_page = flat(pdf_pages_text(pdf)[0])
    for expected in (spec.title, "Ana López", "26 November 2026", "Dr. Sam Lee", "Riverside Physio"):
        assert expected in first_page


def test_every_page_has_the_disclaimer_and_page_n_of_m(seed_pdf):
    _, pdf = seed_pdf
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "not medical advice" in flat(text)
        assert f"Page {number} of {len(pages)}" in text


def test_weekly_log_has_a_row_per_exercise_and_seven_days(seed_pdf):
    spec, pdf = seed_pdf
    # On page 1 under the header when both fit (the cards then start on page 2), else on the last page.
    last_page = next(flat(text) for text in pdf_pages_text(pdf) if "My week" in text)
    assert "Mon Tue Wed Thu Fri Sat Sun" in last_page
    for number, item in enumerate(spec.exercises, start=1):
        assert f"{number}. {item.exercise.name}" in last_page


def test_pdf_has_print_metadata(seed_pdf):
    from pypdf import PdfReader

    _, pdf = seed_pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Back exercises to do instead of cracking your back · Ana López"
    assert reader.metadata.author == "Dr. Sam Lee"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/PrintScaling"] == "/None"
    assert [item.title for item in reader.outline][:2] == ["1. Bridge", "2. Single knee to chest"]


@pytest.mark.parametrize(("paper", "size"), [("letter", (612.0, 792.0)), ("a4", (595.3, 841.9))], ids=["letter", "a4"])
def test_paper_size(library, paper, size):
    pdf = worksheet.build(make_spec(library, paper=paper, only=["bridge"]))
    assert set(page_sizes(pdf)) == {size}


def test_same_spec_gives_identical_bytes(library):
    spec = make_spec(library, patient="Same Person")
    assert worksheet.build(spec) == worksheet.build(spec)


def test_typed_text_prints_literally_never_as_markup(library):
    hostile = "Ana & <b>Co</b> {{ 7*7 }}"
    spec = make_spec(library, patient=hostile, clinician="]]> <para>x</para>", clinic="{% raw %}&amp;", only=["bridge"])
    text = pdf_text(worksheet.build(spec))
    assert hostile in text and "49" not in text
    assert "]]> <para>x</para>" in text
    assert "{% raw %}&amp;" in text


def test_control_characters_are_dropped_not_fatal(library):
    spec = make_spec(library, patient="Ana\x00\x07 Lopez\x1b", only=["bridge"])
    assert "Ana Lopez" in pdf_text(worksheet.build(spec))


def test_a_very_long_exercise_flows_onto_further_pages(library):
    bridge = library.exercises["bridge"]
    steps = [f"Step number {n}: " + "move slowly and breathe " * 12 for n in range(1, 61)]
    long_bridge = bridge.model_copy(update={"steps": steps})
    spec = make_spec(library, only=["bridge", "prone-props"])
    items = [spec.exercises[0].model_copy(update={"exercise": long_bridge}), spec.exercises[1]]
    pdf = worksheet.build(spec.model_copy(update={"exercises": items}))
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 4
    text = flat("\n".join(pages))
    assert "Step number 60:" in text and "Lying on your stomach, propped on your elbows (prone props)" in text


def test_a_card_never_starts_at_the_foot_of_a_page(library):
    """Cards move whole: each card title sits on the same page as its last step."""
    spec = make_spec(library)
    pages = [flat(text) for text in pdf_pages_text(worksheet.build(spec))]
    for item in spec.exercises:
        # The purpose line opens the card body (the name is also in the weekly log, which may come first).
        title_page = next(i for i, text in enumerate(pages) if flat(item.exercise.purpose) in text)
        assert f"{item.exercise.name}" in pages[title_page], item.exercise.id
        assert flat(item.exercise.steps[-1]) in pages[title_page], item.exercise.id


def without_figure(spec):
    """The spec with its exercises' drawn figures taken away, as for a user exercise with no pose data."""
    items = [item.model_copy(update={"exercise": item.exercise.model_copy(update={"figure": None})}) for item in spec.exercises]
    return spec.model_copy(update={"exercises": items})


def _picture_above_the_words(pdf: bytes, purpose: str, page_number: int = 0):
    """The strip of the first card's left column between its dosage line and its purpose (where list draws the
    picture), as greyscale pixels at 72 dpi."""
    page = render_page(pdf, page_number, scale=1.0).convert("L")
    _, _, _, purpose_top = text_box(pdf, purpose, page_number)
    _, dosage_bottom, _, _ = text_box(pdf, "sets of", page_number)
    assert dosage_bottom - purpose_top > 40, "no room for a picture between the dosage and the purpose"
    half = (page.width - 2 * MARGIN) / 2
    return page.crop((int(MARGIN) + 4, int(page.height - dosage_bottom) + 2, int(MARGIN + half), int(page.height - purpose_top) - 2))


def test_seed_sheet_has_a_drawn_vector_figure_above_every_cards_steps(library):
    spec = make_spec(library, layout="list")
    pdf = worksheet.build(spec)
    assert image_xobjects(pdf) == []  # figures are vector paths, not pictures
    assert len(pdf) < 250_000
    picture = _picture_above_the_words(pdf, "Makes your buttock")
    assert picture.getextrema()[0] < 80, "something dark is drawn above the steps"
    # The words start at the card's left edge, under the picture, in the left of its two columns.
    assert text_left_edge(pdf, "Lie on your back") < MARGIN + 40
    assert text_left_edge(pdf, "Lie on your back") < text_left_edge(pdf, "Tips:") - 200


def test_sheet_without_pictures_has_no_images_and_no_empty_picture_box(library):
    pdf = worksheet.build(without_figure(make_spec(library, only=["bridge"], layout="list")))
    assert image_xobjects(pdf) == []
    # The steps start near the card's left edge: no blank picture column beside them.
    assert text_left_edge(pdf, "Lie on your back") < MARGIN + 40


def test_user_image_is_placed_downscaled_to_print_resolution(library, tmp_path):
    photo = tmp_path / "bridge.jpg"
    Image.new("RGB", (4000, 3000), (200, 120, 40)).save(photo, quality=90)
    spec = make_spec(library, only=["bridge"], images={"bridge": str(photo)}, layout="list")
    pdf = worksheet.build(spec)
    images = image_xobjects(pdf)
    assert len(images) == 1
    placed = images[0].image
    assert max(placed.size) <= 254 / 72 * 300 + 1  # the card's left column at 300 dpi
    assert len(pdf) < 400_000
    assert _picture_above_the_words(pdf, "Makes your buttock").getextrema()[0] < 200  # the photo, above the words


def test_a_cjk_sheet_renders_alike_in_a_fresh_process(library, tmp_path):
    """The spec carries its layout and the RML declares its fonts: a process that has built nothing before (a
    batch worker, a Dask worker on another machine) renders the same bytes, from the RML or from the spec."""
    import pickle
    import subprocess
    import sys

    from worksheet.compose import compose
    from worksheet.render import render_pdf

    spec = make_spec(library, only=["bridge"], patient="王小明", clinic="東京クリニック")
    rml = compose(spec)
    assert 'faceName="CJK"' in rml
    pdf = worksheet.build(spec)
    (tmp_path / "sheet.rml").write_text(rml, encoding="utf-8")
    (tmp_path / "spec.pickle").write_bytes(pickle.dumps(spec))
    script = (
        "import pickle, sys, pathlib; import worksheet; from worksheet.render import render_pdf\n"
        "folder = pathlib.Path(sys.argv[1])\n"
        "(folder / 'from-rml.pdf').write_bytes(render_pdf((folder / 'sheet.rml').read_text('utf-8'))[0])\n"
        "(folder / 'from-spec.pdf').write_bytes(worksheet.build(pickle.loads((folder / 'spec.pickle').read_bytes())))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-rml.pdf").read_bytes() == render_pdf(rml)[0] == pdf
    assert (tmp_path / "from-spec.pdf").read_bytes() == pdf
    assert "王小明" in pdf_text(pdf) and "東京クリニック" in pdf_text(pdf)
