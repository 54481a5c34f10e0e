"""The printed-page rules of issue 13, judged from a PDF alone: what pdfium draws and where it puts the text.

A sheet is read once into `PdfPages` (the text runs of each page with their positions and sizes, and how far
down each page's body the ink reaches); `violations(sheet, pages)` lists every rule it breaks, one line each,
so a failing matrix cell says what is wrong with which page. Used by tests/test_pages.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from worksheet.compose import page_geometry

# Pages but the last must be at least this full (the ink's reach down the body, from pixels).
MIN_FILL = 0.5
BLANK_FILL = 0.02  # a body this empty holds nothing but stray marks
# A card's title is set larger than any body text (16 pt and up); a weekly log's row names are not.
TITLE_SIZE = 14.5


@dataclass(frozen=True)
class Run:
    """One run of text as pdfium reads it: a text object (one font, one line), in drawing order."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float


@dataclass
class Page:
    runs: list[Run]
    fill: float  # how far down the body the ink reaches, 0..1
    text: str = ""  # pdfium's reading of the page, a line break between lines
    size: tuple[float, float] = (0.0, 0.0)  # width and height in points


@dataclass
class PdfPages:
    width: float
    height: float
    layout: str
    pages: list[Page] = field(default_factory=list)


def read_pdf(pdf: bytes, layout: str, scale: float = 0.25) -> PdfPages:
    """Every page's text runs (position in points from the bottom left, font size in points) and body fill."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    width, height = document[0].get_size()
    result = PdfPages(width, height, layout)
    for page in document:
        textpage = page.get_textpage()
        runs = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=4, textpage=textpage):
            text = obj.extract()
            if not text.strip():
                continue
            x0, y0, x1, y1 = obj.get_bounds()
            matrix = obj.get_matrix()
            size = round(obj.get_font_size() * math.hypot(matrix.c, matrix.d), 2)
            runs.append(Run(text, x0, y0, x1, y1, size))
        result.pages.append(Page(runs, _body_fill(page, height, layout, scale), textpage.get_text_range(), page.get_size()))
    return result


def _body_fill(page, height: float, layout: str, scale: float) -> float:
    """How far down the body frame the lowest ink reaches (rendered pixels), as a fraction of the body's height."""
    top, bottom = _body_limits(height, layout)
    image = page.render(scale=scale, grayscale=True).to_pil()
    crop = image.crop((0, round((height - top) * scale), image.width, round((height - bottom) * scale)))
    ink = crop.point(lambda value: 255 if value < 200 else 0).getbbox()
    if ink is None:
        return 0.0
    return ink[3] / crop.height


def _body_limits(height: float, layout: str) -> tuple[float, float]:
    geometry = page_geometry(height, layout)
    bottom = geometry["margin"] + geometry["footer_height"]
    return bottom + geometry["frame_height"], bottom


@dataclass(frozen=True)
class Sheet:
    """What the sheet was built from: enough to know which titles to look for and which budget applies."""

    layout: str
    lang: str
    also: str | None
    titles: list[str]  # "1. Bridge", … as printed
    day_names: list[str]
    urls: list[str]
    log_heading: str  # the first words after the last card, where the last exercise must have ended


def page_budget(sheet: Sheet) -> tuple[int, int]:
    """(fewest, most) pages the layout may take for this sheet."""
    n = len(sheet.titles)
    extra = 1 if (sheet.lang != "en" or sheet.also) else 0
    if sheet.layout in ("cards", "list"):
        return 1, math.ceil(n / 2) + 1 + extra
    if sheet.layout == "large-print":
        return 1, n + 1 + extra
    if sheet.layout == "compact":
        return 1, 1
    if sheet.layout == "log":
        return 1, 2
    return 1, 99


def _in_body(run: Run, pdf: PdfPages) -> bool:
    top, bottom = _body_limits(pdf.height, pdf.layout)
    middle = (run.y0 + run.y1) / 2
    return bottom <= middle <= top


RULES = ("budget", "fill", "split", "words", "sizes")


def violations(sheet: Sheet, pdf: PdfPages) -> dict[str, list[str]]:
    """Every rule this sheet breaks, by rule, one line each (all lists empty when it is clean)."""
    problems: dict[str, list[str]] = {rule: [] for rule in RULES}
    count = len(pdf.pages)
    low, high = page_budget(sheet)
    if not low <= count <= high:
        problems["budget"].append(f"{count} pages, budget {high}")
    for number, page in enumerate(pdf.pages[:-1], start=1):
        if page.fill < MIN_FILL:
            problems["fill"].append(f"page {number} is {page.fill:.0%} full (not the last page)")
    if pdf.pages and pdf.pages[-1].fill < BLANK_FILL:  # the last page may be short, not empty
        problems["fill"].append(f"page {len(pdf.pages)}, the last, is blank")
    problems["split"] = _split_exercises(sheet, pdf)
    problems["words"] = _whole_words(sheet, pdf)
    problems["sizes"] = _type_sizes(sheet, pdf)
    return problems


def _locate(sheet: Sheet, pdf: PdfPages) -> list[tuple[int, int, Run]]:
    """Body runs in drawing order, each with its page index and running position."""
    found = []
    for page_index, page in enumerate(pdf.pages):
        for run in page.runs:
            if _in_body(run, pdf):
                found.append((page_index, len(found), run))
    return found


def _column(run: Run, width: float) -> int:
    return 0 if (run.x0 + run.x1) / 2 < width / 2 else 1


def _split_exercises(sheet: Sheet, pdf: PdfPages) -> list[str]:
    """Each exercise, from its title up to the next exercise's title (or the week log), on one page and, in
    cards, one column — unless it is marked as continued."""
    if sheet.layout not in ("cards", "list", "large-print"):
        return []
    body = _locate(sheet, pdf)
    starts = []
    for title in sheet.titles:
        number = title.split(".")[0] + "."
        after = starts[-1] if starts else -1
        index = next(
            (i for i, (_, _, run) in enumerate(body)
             if i > after and run.size >= TITLE_SIZE and run.text.startswith(number) and title.startswith(run.text.strip())
             and len(run.text.strip()) > len(number)),  # a bare "4." is a step's number (16 pt in large print), not a title
            None,
        )  # fmt: skip
        if index is None:
            return [f"title {title!r} not found in the body text"]
        starts.append(index)
    end = next(
        (i for i, (_, _, run) in enumerate(body) if i > starts[-1] and run.text.startswith(sheet.log_heading[:20])),
        len(body),
    )
    problems = []
    for number, title in enumerate(sheet.titles):
        first = starts[number]
        last = starts[number + 1] if number + 1 < len(starts) else end
        page_index, _, title_run = body[first]
        places = {(p, _column(run, pdf.width) if sheet.layout == "cards" else 0) for p, _, run in body[first:last]}
        home = (page_index, _column(title_run, pdf.width) if sheet.layout == "cards" else 0)
        continued = [run for _, _, run in body[first + 1 : last] if run.text.startswith(title_run.text.split(".")[0] + ".")]
        if len(places) > 1 and not continued:
            where = ", ".join(f"page {p + 1}" + (f" column {c + 1}" if sheet.layout == "cards" else "") for p, c in sorted(places))
            problems.append(f"{title!r} is split: {where}")
        if sheet.layout == "cards":
            overflow = [
                run for _, _, run in body[first:last]
                if _column(run, pdf.width) == 0 and home[1] == 0 and run.x1 > pdf.width / 2 + 2
            ]  # fmt: skip
            if overflow:
                problems.append(f"{title!r} runs into the right column: {overflow[0].text[:30]!r}")
    return problems


def _whole_words(sheet: Sheet, pdf: PdfPages) -> list[str]:
    """Day names and video links print whole, each on one line."""
    problems = []
    # Words on one line, as pdfium reads them (a text object may end mid-word where a font kerns).
    words = {word for page in pdf.pages for line in page.text.splitlines() for word in line.split()}
    lines = [line.strip() for page in pdf.pages for line in page.text.splitlines()]
    if sheet.layout in ("cards", "list", "large-print", "log", "compact"):
        short = sheet.layout in ("compact", "large-print")  # two-letter day names there
        wanted = [day[:2] for day in sheet.day_names] if short else sheet.day_names
        for day in wanted:
            if day not in words:
                problems.append(f"day name {day!r} is not printed whole")
                break
    for url in sheet.urls:
        if not any(url in line or (url.split("/")[0] in line and "…" in line) for line in lines):
            problems.append(f"link {url!r} is broken across lines")
    return problems


def _type_sizes(sheet: Sheet, pdf: PdfPages) -> list[str]:
    """Body text at least 12 pt (16 in large print); the footer's disclaimer at least 9 pt (16 in large print
    for its safety line)."""
    body_floor = 16 if sheet.layout == "large-print" else 12
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        small = [run for run in page.runs if _in_body(run, pdf) and run.size < body_floor - 0.01]
        if small:
            problems.append(f"page {number}: body text at {small[0].size} pt < {body_floor}: {small[0].text[:30]!r}")
            break
        top, bottom = _body_limits(pdf.height, pdf.layout)
        footer = [run for run in page.runs if (run.y0 + run.y1) / 2 < bottom]
        tiny = [run for run in footer if run.size < 9 - 0.01]
        if tiny:
            problems.append(f"page {number}: footer text at {tiny[0].size} pt < 9: {tiny[0].text[:30]!r}")
            break
        if sheet.layout == "large-print" and not any(run.size >= 16 - 0.01 for run in footer):
            problems.append(f"page {number}: no footer safety line at 16 pt")
            break
    return problems


def strip_marks(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


LAYOUTS = ("cards", "list", "compact", "large-print", "log")
PAPERS = ("letter", "a4")
LANGUAGES = (("en", None), ("es", None), ("es", "en"))


def cell_id(program: str, layout: str, paper: str, lang: str, also: str | None) -> str:
    return f"{program}-{layout}-{paper}-{lang}{'+' + also if also else ''}"


def judge_cell(cell: tuple[str, str, str, str, str | None]) -> tuple[int, dict[str, list[str]]]:
    """Judge one matrix cell's PDF (built once per test run, shared with test_layouts): (page count, problems)."""
    from shared_builds import cell_build, cell_reading

    from worksheet.i18n import short_day_names, translations

    program, layout, paper, lang, also = cell
    spec, _ = cell_build(program, layout, paper, lang, also)
    pdf = cell_reading(program, layout, paper, lang, also)
    sheet = Sheet(
        layout=layout,
        lang=lang,
        also=also,
        titles=[f"{number}. {item.exercise.name}" for number, item in enumerate(spec.exercises, start=1)],
        day_names=short_day_names(lang),
        urls=[],
        log_heading=translations(lang).gettext("My week: tick a box each time you do an exercise"),
    )
    return len(pdf.pages), violations(sheet, pdf)
