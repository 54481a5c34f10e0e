"""The floor: the same 7-card worksheet written by hand in ReportLab platypus, as a careful engineer would, for
the `list` layout (a card per row, picture beside the steps) and the `cards` layout (two columns of cards,
picture on top, the weekly log on a page of its own).

Same fonts (parsed once), same page size and margins, same header, cards (picture beside numbered steps),
dosage lines, tips and stop-if lines, weekly log, footer with disclaimer and "Page N of M". The page count
comes from a canvas that holds pages until save() (one layout pass), the usual platypus idiom.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)  # fmt: skip

from worksheet._paths import bundled
from worksheet.compose import _context

PICTURE_COLUMN = 180
GAP = 14
_parsed: list[TTFont] = []


def _register_fonts() -> None:
    """Parse once; register on every build, since an RML render in the same process resets the registry."""
    if not _parsed:
        folder = bundled("assets") / "fonts"
        _parsed.extend([TTFont("BSans", str(folder / "LiberationSans-Regular.ttf")), TTFont("BSans-Bold", str(folder / "LiberationSans-Bold.ttf"))])
    for font in _parsed:
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily("BSans", normal="BSans", bold="BSans-Bold", italic="BSans", boldItalic="BSans-Bold")


def _styles(body: float = 13) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="BSans", fontSize=body, leading=round(body * 1.31))
    make = lambda name, **kw: ParagraphStyle(name, parent=base, **kw)  # noqa: E731
    return {
        "title": make("title", fontName="BSans-Bold", fontSize=22, leading=27, spaceAfter=6),
        "label": make("label", fontSize=12, leading=15, textColor="#444444"),
        "field": make("field", fontName="BSans-Bold", leading=16),
        "intro": make("intro", spaceBefore=6, spaceAfter=10),
        "cardTitle": make("cardTitle", fontName="BSans-Bold", fontSize=17, leading=21),
        "dose": make("dose", fontName="BSans-Bold", fontSize=14, leading=18, spaceBefore=2),
        "body": make("body", spaceAfter=4),
        "step": make("step", leftIndent=24, bulletIndent=0, bulletFontName="BSans-Bold", bulletFontSize=13, spaceAfter=3),
        "note": make("note", spaceBefore=3, spaceAfter=2),
        "heading": make("heading", fontName="BSans-Bold", fontSize=16, leading=20, spaceBefore=4, spaceAfter=6),
        "logCell": make("logCell", fontSize=12, leading=15),
        "logHead": make("logHead", fontName="BSans-Bold", fontSize=12, leading=15, alignment=1),
        "logBox": make("logBox", fontSize=20, leading=24, alignment=1),
        "running": make("running", fontSize=9, leading=11, textColor="#555555"),
        "disclaimer": make("disclaimer", fontSize=8.5, leading=10.5, textColor="#333333"),
    }


def _picture(card, width=PICTURE_COLUMN - 16, height=130):
    from worksheet.compose import _picture as place
    from worksheet.figures import plugin_flowable

    picture = place(card, width, height)
    if picture is None:
        return None
    return plugin_flowable(picture["params"]) if picture["kind"] == "figure" else None


def build_platypus(spec) -> bytes:
    _register_fonts()
    context = _context(spec, pad_to_even=False)
    columns = spec.layout == "cards"
    page, styles, e = context["page"], _styles(12 if columns else 13), escape  # cards: 12 pt, as the layout
    gap = GAP
    column = (page["frame_width"] - gap) / 2
    story = [Paragraph(e(spec.title), styles["title"])]
    header = [[[Paragraph("Patient", styles["label"]), Paragraph(e(spec.patient or "____"), styles["field"])],
               [Paragraph("Date", styles["label"]), Paragraph(e(context["date_text"]), styles["field"])]]]
    story += [Table(header, colWidths=["50%", "50%"]), Paragraph(e(spec.introduction), styles["intro"])]
    card_style = TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#222222")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#222222")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#ececec")), ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])  # fmt: skip
    for card in context["cards"]:
        words = [Paragraph(e(card["purpose"]), styles["body"])]
        words += [Paragraph(e(step), styles["step"], bulletText=f"{n}.") for n, step in enumerate(card["steps"], 1)]
        words += [Paragraph(f"<b>Tip:</b> {e(tip)}", styles["note"]) for tip in card["tips"]]
        words += [Paragraph(f"<b>Stop if:</b> {e(stop)}", styles["note"]) for stop in card["stop_if"]]
        words += [Paragraph(f"<b>Ask your clinician first:</b> {e(c)}", styles["note"]) for c in card["cautions"]]
        head = [Paragraph(f"{card['number']}. {e(card['name'])}", styles["cardTitle"]), Paragraph(e(card["dosage"]), styles["dose"])]
        if columns:  # picture on top of the words, in a column
            picture = _picture(card, column - 16, 110)
            rows, widths = [[head], [([picture] if picture else []) + words]], [column]
        else:
            picture = _picture(card)
            rows = [[head, ""], [picture, words]] if picture else [[head], [words]]
            widths = [PICTURE_COLUMN, page["frame_width"] - PICTURE_COLUMN] if picture else [page["frame_width"]]
        story += [KeepTogether([Table(rows, colWidths=widths, style=card_style, splitInRow=1)]), Spacer(1, 10)]
    days, cards = context["days"], context["cards"]
    rows = [[Paragraph("<b>Exercise</b>", styles["logCell"])] + [Paragraph(d, styles["logHead"]) for d in days]]
    rows += [[Paragraph(f"{c['number']}. {e(c['name'])}", styles["logCell"])]
             + [Paragraph(" ".join([context["tick_box"]] * c["per_day"]), styles["logBox"])] * 7 for c in cards]  # fmt: skip
    log_table = Table(rows, colWidths=[page["frame_width"] - 7 * 54] + [54] * 7, repeatRows=1, style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("GRID", (0, 0), (-1, -1), 0.8, colors.HexColor("#222222")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#ececec")),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))  # fmt: skip
    if columns:
        story += [NextPageTemplate("whole"), PageBreak()]
    story.append(KeepTogether([Paragraph("My week: tick a box each time you do an exercise", styles["heading"]), log_table]))

    def footer(canvas, doc):
        running = Paragraph(e(spec.title + (f" · {spec.patient}" if spec.patient else "")), styles["running"])
        running.wrapOn(canvas, page["frame_width"], 16)
        running.drawOn(canvas, page["margin"], page["height"] - page["margin"] - 14)
        disclaimer = Paragraph(e(context["disclaimer"]), styles["disclaimer"])
        _, height = disclaimer.wrapOn(canvas, page["frame_width"] - 80, page["footer_height"])
        disclaimer.drawOn(canvas, page["margin"], page["margin"] + page["footer_height"] - 4 - height)

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont("BSans", 10)
                self.drawRightString(page["width"] - page["margin"], page["margin"] + page["footer_height"] - 16,
                                     f"Page {number} of {len(self._pages)}")  # fmt: skip
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    if not columns:
        document = SimpleDocTemplate(
            buffer, pagesize=(page["width"], page["height"]), leftMargin=page["margin"], rightMargin=page["margin"],
            topMargin=page["margin"] + 20, bottomMargin=page["margin"] + page["footer_height"], invariant=1,
            title=spec.title,
        )  # fmt: skip
        document.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
        return buffer.getvalue()
    # cards: a full-width header frame on page 1, two columns under it and on later pages, the log page whole.
    x, bottom, height, width = page["margin"], page["margin"] + page["footer_height"], page["frame_height"], page["frame_width"]
    head = min(260, height / 2)
    two = lambda top: [Frame(x, bottom, column, top, id="left"), Frame(x + column + gap, bottom, column, top, id="right")]  # noqa: E731
    document = BaseDocTemplate(buffer, pagesize=(page["width"], page["height"]), invariant=1, title=spec.title)
    document.addPageTemplates([
        PageTemplate("first", [Frame(x, bottom + height - head, width, head, id="head"), *two(height - head)], onPage=footer, autoNextPageTemplate="columns"),
        PageTemplate("columns", two(height), onPage=footer),
        PageTemplate("whole", [Frame(x, bottom, width, height, id="body")], onPage=footer),
    ])  # fmt: skip
    header_end = story.index(next(item for item in story if isinstance(item, KeepTogether)))
    story = [KeepInFrame(width, head, story[:header_end], mode="shrink"), FrameBreak(), *story[header_end:]]
    document.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
