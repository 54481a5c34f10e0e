"""Every layout × paper × language, for every program: builds, prints its words in that language, carries the
disclaimer and "page N of M" on every page, and keeps to its paper. Then what each layout promises."""

import io
import json
import re

import pytest
from PIL import Image
from pypdf import PdfReader
from shared_builds import cell_build, cell_reading

import worksheet
from helpers import (
    assert_valid_pdf,
    flat,
    image_xobjects,
    make_spec,
    pdf_pages_text,
    pdf_text,
    plain_lines,
    render_page,
)
from worksheet.compose import available_layouts, compose
from worksheet.i18n import translations

BUNDLED = worksheet.load_library()
LAYOUTS = available_layouts()
PAPERS = {"letter": (612.0, 792.0), "a4": (595.3, 841.9)}
PAGE_OF = {"en": r"Page (\d+) of (\d+)", "es": r"Página (\d+) de (\d+)"}
DISCLAIMER_START = {"en": "This sheet is general education", "es": "Esta hoja es educación general"}


def test_the_five_layouts_exist():
    assert set(LAYOUTS) >= {"cards", "list", "compact", "large-print", "log"}


# The page matrix's own builds and pdfium's reading of them (tests/shared_builds.py): test_pages judges the same
# PDFs, so each is built and read once.
@pytest.mark.parametrize(
    ("program_id", "layout", "paper", "lang"),
    [
        pytest.param(program_id, layout, paper, lang, id=f"{program_id}-{layout}-{paper}-{lang}")
        for program_id in sorted(BUNDLED.programs) for layout in LAYOUTS for paper in sorted(PAPERS) for lang in ("en", "es")
    ],
)  # fmt: skip
def test_every_program_builds_in_every_layout_paper_and_language(library, program_id, layout, paper, lang):
    spec, pdf = cell_build(program_id, layout, paper, lang)
    reading = cell_reading(program_id, layout, paper, lang)  # pdfium's, shared with test_pages
    pages = [plain_lines(page.text) for page in reading.pages]
    assert {(round(width, 1), round(height, 1)) for width, height in (page.size for page in reading.pages)} == {PAPERS[paper]}
    for index in {0, len(pages) - 1}:
        assert render_page(pdf, index, scale=0.15).getbbox() is not None  # the page draws something
    text = flat("\n".join(pages))
    title, _ = library.localized_program(program_id, lang)
    assert flat(title) in text
    for item in spec.exercises:
        assert item.exercise.name in text, item.exercise.id
    for number, page in enumerate(pages, start=1):
        assert DISCLAIMER_START[lang] in flat(page), number
        assert re.search(PAGE_OF[lang], page).groups() == (str(number), str(len(pages))), number


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_compact_puts_the_seed_program_on_one_page(library, paper):
    pdf = worksheet.build(make_spec(library, layout="compact", paper=paper, patient="Ana López", clinic="Riverside"))
    assert len(pdf_pages_text(pdf)) == 1
    text = flat(pdf_text(pdf))
    assert text.count("□") >= 7 * 7  # a tick box per day for every exercise


def _body_font_sizes(pdf: bytes, needle: str) -> list[float]:
    """Font sizes (after the text matrix) of the text pieces that contain needle."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            sizes.append(abs(size * tm[3]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_body_text_is_at_least_16_points(library):
    pdf = worksheet.build(make_spec(library, layout="large-print", only=["bridge"]))
    sizes = _body_font_sizes(pdf, "Lie on your back")
    assert sizes and min(sizes) >= 16
    regular = _body_font_sizes(worksheet.build(make_spec(library, layout="list", only=["bridge"])), "Lie on your back")
    assert regular and 12 <= min(regular) < 16  # the ordinary sheets stay at 12 pt or more


def test_log_is_four_weeks_with_a_pain_rating_each(library):
    text = flat(pdf_text(worksheet.build(make_spec(library, layout="log"))))
    for week in range(1, 5):
        assert f"Week {week}" in text
    assert text.count("Pain today (0–10)") == 4
    assert "0 = no pain, 10 = the worst pain you can imagine" in text


def test_spanish_sheet_words_and_dosage(library):
    text = flat(pdf_text(worksheet.build(make_spec(library, lang="es", only=["bridge", "prone-props"]))))
    for words in ("Paciente", "26 de noviembre de 2026", "Puente", "2 series de 10 repeticiones · mantén 5 segundos · una vez al día",
                  "Detente y llama a tu profesional de la salud si:", "Cuando te resulte fácil:", "• si arquear la espalda hacia atrás empeora tu dolor.",
                  "Mi semana", "Lun Mar Mié Jue Vie Sáb Dom"):  # fmt: skip
        assert words in text, words


def test_an_unknown_language_is_a_clear_error(library):
    with pytest.raises(worksheet.SpecError, match=r"^language 'xx' is not available; choose one of: en, es$"):
        make_spec(library, lang="xx")


def test_every_catalog_entry_is_translated():
    from babel.messages.pofile import read_po

    from worksheet._paths import bundled

    for po in (bundled("assets") / "i18n").glob("*/worksheet.po"):
        catalog = read_po(po.open("rb"))
        untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
        assert untranslated == [], po


def test_every_template_word_has_a_spanish_translation():
    """Every _("…") in the layouts is in the Spanish catalog (a missing one would print in English)."""
    from worksheet._paths import bundled

    catalog = translations("es")
    words = set()
    for template in (bundled("layouts")).rglob("*.rml.j2"):
        words |= set(re.findall(r'_\("([^"]+)"', template.read_text()))
    assert words
    missing = [word for word in sorted(words) if catalog.gettext(word) == word and word != "Video:"]
    assert missing == []


def test_branding_logo_address_phone_note_next_visit_and_accent(library, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 200), (10, 90, 160)).save(logo)
    spec = make_spec(
        library, only=["bridge"], layout="list", clinic="Riverside Physio", clinician="Dr. Lee",
        clinic_address="1 River Road, Springfield", clinic_phone="555 0100", logo=str(logo), accent="#aa0000",
        note="Start gently & <stop> if sore.", next_visit="2026-12-03",
    )  # fmt: skip
    pdf = worksheet.build(spec)
    assert_valid_pdf(pdf)
    text = flat(pdf_text(pdf))
    for words in ("1 River Road, Springfield", "Phone: 555 0100", "Note from your clinician: Start gently & <stop> if sore.",
                  "Next appointment", "3 December 2026"):  # fmt: skip
        assert words in text, words
    assert len(image_xobjects(pdf)) == 1  # the logo, scaled
    page = render_page(pdf, 0, scale=1.0).convert("RGB")
    reds = sum(1 for r, g, b in page.get_flattened_data() if r > 150 and g < 60 and b < 60)
    assert reds > 200, "the accent colour draws the rule under the title"


def test_video_link_prints_as_a_vector_qr_code_with_the_short_link(library):
    spec = make_spec(library, only=["bridge"], layout="list", videos={"bridge": "https://www.example.org/videos/bridge"})
    pdf = worksheet.build(spec)
    assert "Video: example.org/videos/bridge" in flat(pdf_text(pdf))
    assert image_xobjects(pdf) == []  # ReportLab's QR widget draws rectangles, not a picture
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert content.count(b" re") > 100  # the QR modules


def test_a_link_wider_than_its_card_is_shortened_on_one_line_never_broken(library):
    long = "https://videos.riverside-physio.example/home-programs/lower-back/bridge-with-a-slow-lowering.mp4"
    spec = make_spec(library, only=["bridge"], videos={"bridge": long})  # cards: a 240 pt column
    lines = [line.strip() for line in pdf_text(worksheet.build(spec)).splitlines()]
    printed = next(line for line in lines if line.startswith("Video:"))
    assert printed.startswith("Video: videos.riverside") and printed.endswith("lowering.mp4")
    assert "…" in printed
    assert f'value="{long}"' in compose(spec)  # the QR code holds the whole link


def test_video_link_must_be_a_web_address(library):
    with pytest.raises(worksheet.SpecError, match=r"^test: field 'videos\.bridge': should be a web link starting with http"):
        make_spec(library, only=["bridge"], videos={"bridge": "javascript:alert(1)"})


@pytest.mark.parametrize("layout", ["compact", "list"])
def test_duplex_pads_an_odd_sheet_with_a_notes_page(library, layout):
    plain = worksheet.build(make_spec(library, layout=layout, only=["bridge"]))
    duplex = worksheet.build(make_spec(library, layout=layout, only=["bridge"], duplex=True))
    plain_pages, duplex_pages = len(pdf_pages_text(plain)), len(pdf_pages_text(duplex))
    assert duplex_pages % 2 == 0
    if plain_pages % 2:
        assert duplex_pages == plain_pages + 1
        assert "My notes" in pdf_pages_text(duplex)[-1]
    else:
        assert duplex == plain


def test_compact_duplex_gets_its_notes_page(library):
    """compact is one page, so duplex must add the notes page (this case is never skipped)."""
    duplex = worksheet.build(make_spec(library, layout="compact", duplex=True))
    pages = pdf_pages_text(duplex)
    assert len(pages) == 2 and "My notes" in pages[1]


def test_every_character_the_layouts_and_catalogues_print_is_in_both_faces():
    """A glyph the font lacks prints as an empty box (ReportLab does not fall back), so the words and marks
    the layouts and the bundled text carry must all be in the body font, regular and bold."""
    from pathlib import Path

    from worksheet._fonts import parsed_font

    root = Path(__file__).parent.parent
    files = [*root.glob("layouts/**/*.j2"), *root.glob("assets/i18n/**/*.po"), *root.glob("assets/**/*.toml")]
    printed = {character for path in files for character in path.read_text(encoding="utf-8") if ord(character) > 127}
    for face in ("Sans", "Sans-Bold"):
        covered = parsed_font(face).face.charToGlyph
        assert sorted(character for character in printed if ord(character) not in covered) == [], face


def _drawn_figure_heights(pdf: bytes, page: int = 0) -> list[float]:
    """The printed height (pt) of each drawn figure on a page, read from the PDF's own paths: a figure's
    paths are drawn moved to its place (they share one matrix, unlike the page's own rules), and only a figure
    has outlines of many sides (a table's rules and boxes are lines and rectangles)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    groups: dict[tuple[float, float], list] = {}
    for obj in pdfium.PdfDocument(pdf)[page].get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=4):
        matrix = obj.get_matrix()
        x0, y0, x1, y1 = obj.get_bounds()
        group = groups.setdefault((round(matrix.e, 1), round(matrix.f, 1)), [1e9, -1e9, 0])
        group[0], group[1] = min(group[0], y0), max(group[1], y1)
        group[2] = max(group[2], raw.FPDFPath_CountSegments(obj.raw))
    return [round(top - bottom, 1) for bottom, top, sides in groups.values() if sides >= 8]


# Eight exercises with figures hard to fit a compact cell: the widest lying bodies (heel slide, abdominal
# bracing), panelled figures drawn as one (the bridge with its arrow, the pelvic tilt without one), standing
# (wall sit, side leg lift) and sitting (chin tuck, sciatic nerve glide).
EIGHT_FIGURES = ["heel-slide", "abdominal-bracing", "bridge", "pelvic-tilt", "wall-sit", "standing-hip-abduction",
                 "chin-tuck", "sciatic-nerve-glide"]


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_compact_figures_print_at_least_0_8_inches_tall(library, paper):
    """Issue 18: a compact picture a patient can recognise: every drawn body at least 0.8 in (57.6 pt) tall as
    printed, lying, standing or sitting, on one page of eight exercises with body text at 12 pt."""
    from page_rules import _in_body, read_pdf

    pdf = worksheet.build(make_spec(library, layout="compact", paper=paper, only=EIGHT_FIGURES))
    sheet = read_pdf(pdf, "compact")
    assert len(sheet.pages) == 1
    heights = _drawn_figure_heights(pdf)
    assert len(heights) == 8, heights
    assert min(heights) >= 57.6, heights
    assert min(run.size for run in sheet.pages[0].runs if _in_body(run, sheet)) >= 12


def test_the_figure_measure_sees_a_small_figure(library):
    """The measure above reads what is drawn: the old compact box (54 x 58 pt) drew a lying body ~0.3 in tall."""
    from worksheet.figures.rml_plugin import plugin_flowable

    spec = make_spec(library, only=["heel-slide"])
    figure = spec.exercises[0].exercise.figure.model_dump(mode="json", exclude_defaults=True)
    params = json.dumps({"figure": figure, "width": 54, "height": 58, "shrink": True})
    rml = ('<document filename="t.pdf" invariant="1"><template><pageTemplate id="p">'
           '<frame id="f" x1="36" y1="36" width="540" height="720"/></pageTemplate></template><stylesheet/><story>'
           f'<plugInFlowable module="worksheet.figures.rml_plugin" function="plugin_flowable">{params}</plugInFlowable>'
           '</story></document>')
    from worksheet.render import render_pdf

    pdf, _ = render_pdf(rml, "compact")
    heights = _drawn_figure_heights(pdf)
    assert len(heights) == 1 and heights[0] < 57.6 / 2, heights
    assert plugin_flowable(params).height < 20


@pytest.mark.parametrize(("lang", "also"), [("en", None), ("es", None), ("es", "en")])
def test_compact_keeps_eight_exercises_on_one_page_at_12_points(library, lang, also):
    """The seed program with two more exercises (eight, past the advised six): one A4 page, nothing under 12 pt,
    each exercise's name, dosage and tick boxes, and every caution once with the exercises it applies to."""
    from page_rules import _in_body, read_pdf

    spec = make_spec(library, layout="compact", paper="a4", lang=lang, also=also, include=["prone-props", "bird-dog"])
    pdf = worksheet.build(spec)
    sheet = read_pdf(pdf, "compact")
    assert len(sheet.pages) == 1
    assert min(run.size for run in sheet.pages[0].runs if _in_body(run, sheet)) >= 12
    text = flat(pdf_text(pdf))
    for number, item in enumerate(spec.exercises, start=1):
        assert f"{number}. {item.exercise.name}" in text
    assert text.count("□") >= 8 * 7
    assert translations(lang).gettext("Ask your clinician first") in text


def test_compact_puts_the_cautions_beside_the_last_exercise_when_that_keeps_them_whole(library):
    """Five exercises leave the grid's last cell empty; a Spanish Letter sheet whose cautions and stop-if lines
    do not both fit at 12 pt with the cautions above the grid prints the cautions there, beside exercise 5, and
    keeps every exercise's stop-if line."""
    import pypdfium2 as pdfium
    from page_rules import _in_body, read_pdf

    spec = make_spec(library, program="lower-back-flexion-stretches", layout="compact", lang="es")
    pdf = worksheet.build(spec)
    sheet = read_pdf(pdf, "compact")
    assert len(sheet.pages) == 1 and min(run.size for run in sheet.pages[0].runs if _in_body(run, sheet)) >= 12
    page = pdfium.PdfDocument(pdf)[0].get_textpage()

    def top_left(words):
        found = page.search(words).get_next()
        assert found is not None, words
        x0, _, _, y1 = page.get_charbox(found[0])
        return x0, y1

    label_x, label_y = top_left("Consulta primero con tu profesional de la salud")
    fifth_x, fifth_y = top_left("5. " + spec.exercises[4].exercise.name)
    assert fifth_x < sheet.width / 2 < label_x and abs(label_y - fifth_y) < 3
    text = flat(pdf_text(pdf))
    assert "(ejercicios 3, 4, 5)" in text
    assert text.count("▲ ") == 1 + 5  # the header's key, then each exercise's line


def test_compact_lists_each_stop_if_sentence_once_when_the_cells_have_no_room_for_them(library):
    """Seven exercises: with a stop-if line in every cell the page would pass 12 pt, so every sentence prints
    once above the grid with the exercises it is said of, and none is lost."""
    from page_rules import _in_body, read_pdf

    spec = make_spec(library, program="core-stability-basics", include=["chin-tuck"], layout="compact")
    pdf = worksheet.build(spec)
    sheet = read_pdf(pdf, "compact")
    assert len(sheet.pages) == 1 and min(run.size for run in sheet.pages[0].runs if _in_body(run, sheet)) >= 12
    text = flat(pdf_text(pdf))
    assert text.count("▲") == 1 and "▲ Stop and call your clinician if: You feel sharp pain in your back (exercises 1, 2, 3, 4)" in text
    for item in spec.exercises:
        for sentence in item.exercise.stop_if:
            assert sentence.rstrip(".") in text, sentence
