"""Every layout × paper × language, for every program: builds, prints its words in that language, carries the
disclaimer and "page N of M" on every page, and keeps to its paper. Then what each layout promises."""

import io
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
