"""The compact layout's one page, arranged before it is printed.

Compact is the fridge sheet: every exercise in a grid of two columns, each cell its name and dosage, its
picture across the cell, a tick box per session for each day of the week, then its "stop if" line; every
caution once, boxed above. It is one page at 12 pt, so what it says is chosen by measuring: ReportLab's own
wrap() sets each paragraph in the layout's styles, and `arrange` picks the richest arrangement whose header,
cautions and cells fit the page's body. In order, until it fits: the pictures shrink from PICTURE_TALLEST to
PICTURE_BOX (a lying body then still prints 0.8 in tall), a bilingual sheet drops the second language's names,
each caution keeps its condition without its reason, the stop-if lines leave the cells to be listed once above
the grid (each sentence with its exercises), and last they give way to a pointer to the full sheet (the footer
keeps the general one). With an odd number of exercises the cautions may take the grid's empty last cell.
Past that (more than about 8 exercises) the template's keepInFrame shrinks the page.

The measure is an estimate of the template (layouts/compact.rml.j2), kept on the safe side; tests/test_pages.py
and tests/test_layouts.py check the printed page, not this arithmetic.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import escape

# The picture box's height (pt). A figure is fitted inside with a margin of 3 % of the box and its strokes, so
# a 64 pt box draws a body at least 57.6 pt (0.8 in) tall whenever the cell is wide enough for its length
# (a lying body ~3:1 needs ~180 pt; a cell is ~250).
PICTURE_BOX = 64.0
PICTURE_TALLEST = 100.0  # a short sheet's pictures grow up to this (and their width allows)
PICTURE_STEP = 6.0
BODY = 12.0  # pt: body text, never smaller
LEADING = 13.2  # the "tight" style: 12 pt on 13.2
TICK_BOX_SIZES = (15.0, 14.0, 13.0)  # the tick box glyph's size (pt), largest first: a 9 to 8 pt square
TICK_LEADING = 16.0
# Between a day's name and its boxes: narrow (seven days and two boxes each fit a cell on A4) and no-break, yet a
# space to a reader and to text extraction ("Mo", whole). DAY_GAP (pt) parts a day's boxes from the next name.
DAY_SPACE = "\u202f"
DAY_GAP = 3.0
CELL_PADDING = (3.5, 2.0)  # left and right, top and bottom, inside each cell
PICTURE_GAP = 1.0  # above and below the picture
SLACK = 8.0  # points kept free against the estimate's error
_FONT_TAG = re.compile(r"<font face=\"[^\"]*\">")


def arrange(cards: list[dict[str, Any]], page: dict[str, Any], caution_groups: list[dict[str, Any]], title: str,
            details: str, stop_key: str, pointer: str, note: str | None, tick_box: str, days: list[str],
            numbers: str = "exercises {}", ask: str = "Ask your clinician first",
            stop_label: str = "Stop and call your clinician if:", logo: bool = False) -> dict[str, Any]:
    """How the compact page prints this sheet (the template's `fit`): {"cell_width", "inner" (pt), "picture"
    (the picture box's height), "second" (the second language's names), "stop" ("cells": each cell's "stop if" line, and the header's
    `details` end with `stop_key`; "listed": the `stops` in one paragraph above the grid; "none": the details end
    with `pointer`), "short" (each caution by its first sentence, run on in one paragraph),
    "cautions" (every caution once: {"text", "numbers", "label"}: `numbers` with "{}" for them), "cautions_in_cell" (in the last row's empty cell, not
    boxed above the grid: an odd number of exercises whose sheet fits only so), "ticks" ({"widths": 7 pt, "stacked", "space"}),
    "fits" (false: even the plainest arrangement is taller than the page, and the template shrinks it)}."""
    from .render import _one_render_at_a_time

    with _one_render_at_a_time:  # ReportLab's font registry is process-wide: measure between renders
        return _arrange(cards, page, caution_groups, title, details, stop_key, pointer, note, tick_box, days, numbers,
                        ask, stop_label, logo)


def _tries(bilingual: bool) -> list[tuple[float, bool, str, bool]]:
    """(picture, second, stop, short) from the richest arrangement to the plainest, in the order things give way;
    stop: "cells" (each cell its stop-if line), "listed" (every stop-if sentence once, with its exercises, above
    the grid) or "none" (a pointer to the full sheet)."""
    steps = int((PICTURE_TALLEST - PICTURE_BOX) // PICTURE_STEP)
    pictures = [PICTURE_TALLEST - PICTURE_STEP * step for step in range(steps + 1)]
    tries = [(picture, True, "cells", False) for picture in [*pictures, PICTURE_BOX] if picture >= PICTURE_BOX]
    if bilingual:
        tries.append((PICTURE_BOX, False, "cells", False))
    return [*tries, *((PICTURE_BOX, False, stop, True) for stop in ("cells", "listed", "none"))]


def _arrange(cards, page, caution_groups, title, details, stop_key, pointer, note, tick_box, days, numbers, ask,
             stop_label, logo):
    measure = _Measure()
    width = float(page["frame_width"])
    cell = width / 2
    inner = cell - 2 * CELL_PADDING[0]
    ticks = _tick_columns(measure, days, inner, max((card["per_day"] for card in cards), default=1), tick_box)
    full = _labelled(_cautions(cards, caution_groups), numbers)
    short = _labelled(_short(full), numbers)
    room = float(page["frame_height"]) - _note_height(measure, note, width) - SLACK
    headers = {stop: _header_height(measure, title, details + ending, width, logo)
               for stop, ending in (("cells", stop_key), ("listed", ""), ("none", pointer))}
    stops = _labelled(_stop_sentences(cards), numbers)
    listed = measure.height(_stops_markup(stop_label, stops), width) + 3 if stops else 0.0
    bilingual = any(card["second"] for card in cards)
    # The cautions go above the grid; an odd number of exercises leaves the last row an empty cell, and they
    # move there only to keep the full words (pictures may shrink first), or to keep more of them.
    tries = _tries(bilingual)
    whole = [level for level in tries if level[1:] == (True, "cells", False)]
    cuts = [level for level in tries if level not in whole]
    order = [(level, False) for level in whole] + [(level, True) for level in whole]
    order += [(level, in_cell) for level in cuts for in_cell in (False, True)]
    found = None
    for (picture, second, stop, brief), in_cell in order:
        cautions = short if brief else full
        if in_cell and not (len(cards) % 2 and cautions):
            continue
        rows = _row_heights(measure, cards, inner, picture, second and bilingual, stop == "cells", ticks)
        top = headers[stop] + (listed if stop == "listed" else 0.0)
        if in_cell:
            beside = _cautions_height(measure, ask, cautions, inner, brief) + 2 * CELL_PADDING[1]
            height = top + sum(rows[:-1]) + max(rows[-1], beside)
        else:
            height = top + (_cautions_height(measure, ask, cautions, width - 12, brief) + 7 if cautions else 0)
            height += sum(rows)  # the box: 2 pt padding above and below its words, then a 3 pt space
        if height <= room:
            found = (picture, second, stop, brief, in_cell)
            break
    picture, second, stop, brief, in_cell = found or (*tries[-1], False)
    return {"cell_width": cell, "inner": inner, "picture": picture, "second": second, "stop": stop, "short": brief,
            "cautions": short if brief else full, "cautions_in_cell": in_cell, "stops": stops, "ticks": ticks,
            "fits": found is not None}


def _stop_sentences(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every "stop and call your clinician if" sentence of the sheet once, with the exercises it is said of."""
    said: dict[str, list[str]] = {}
    for card in cards:
        for sentence in card["stop_if"]:
            said.setdefault(sentence.rstrip("."), []).append(str(card["number"]))
    return [{"text": text, "numbers": ", ".join(numbers)} for text, numbers in said.items()]


def _stops_markup(label: str, stops: list[dict[str, Any]]) -> str:
    """The listed stop-if sentences as the template prints them (one paragraph, run on)."""
    return f"<b>▲ {escape(label)}</b> " + " • ".join(f"{escape(stop['text'])} <b>({escape(stop['label'])})</b>" for stop in stops)


def _labelled(cautions: list[dict[str, Any]], numbers: str) -> list[dict[str, Any]]:
    """Each caution with the words that name its exercises, in the sheet's language ("exercises 2, 3")."""
    return [{**caution, "label": numbers.replace("{}", caution["numbers"])} for caution in cautions]


def _short(cautions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each caution by its condition alone, without its reason ("if you have osteoporosis (thin bones)" of
    "… (thin bones). This bends or twists your back."; the full sheet keeps the reason); two that then read
    the same (pregnancy, lying on the back and on the stomach) once, with both's exercises."""
    merged: dict[str, list[int]] = {}
    for caution in cautions:
        text = caution["text"].split(". ", 1)[0].rstrip(".")
        merged.setdefault(text, []).extend(int(number) for number in caution["numbers"].split(", "))
    return [{"text": text, "numbers": ", ".join(map(str, sorted(set(numbers))))} for text, numbers in merged.items()]


def _cautions(cards: list[dict[str, Any]], groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every "ask your clinician first" of the sheet once, each with the exercises it applies to: the tagged
    cautions (commonest first), then the exercises' own written ones (the same words on two exercises once)."""
    written: dict[str, list[str]] = {}
    for card in cards:
        for text in card["cautions"]:
            written.setdefault(text, []).append(str(card["number"]))
    return [*groups, *({"text": text, "numbers": ", ".join(numbers)} for text, numbers in written.items())]


@functools.lru_cache(maxsize=4096)
def _paragraph_height(markup: str, width: float, style: str) -> float:
    """A paragraph's height, set as ReportLab sets it: the same words come back with every arrangement tried,
    and with every sheet of a batch."""
    from reportlab.platypus import Paragraph

    # Typed Chinese, Japanese or Korean is set in a face this measure does not register: measured in ours.
    return Paragraph(_FONT_TAG.sub("<font>", markup), _STYLES[style]).wrap(width, 1e6)[1]


class _Styles(dict):
    """The layout's paragraph styles by name, made on first use (ReportLab loads only when a sheet is measured)."""

    def __missing__(self, name: str):
        from reportlab.lib.styles import ParagraphStyle

        sizes = {"compact": ("Sans", LEADING), "field": ("Sans-Bold", BODY * 1.23), "label": ("Sans", BODY * 1.25)}
        font, leading = sizes[name]
        self[name] = ParagraphStyle(name, fontName=font, fontSize=BODY, leading=leading)
        return self[name]


_STYLES = _Styles()


class _Measure:
    """Paragraph heights in the sheet's face at 12 pt, as ReportLab sets them."""

    def __init__(self):
        from reportlab.pdfbase import pdfmetrics

        from ._fonts import parsed_font

        for face in ("Sans", "Sans-Bold"):
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(parsed_font(face))
        pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans", boldItalic="Sans-Bold")
        self.regular, self.bold = parsed_font("Sans"), parsed_font("Sans-Bold")
        self.style, self.field, self.label = (_STYLES[name] for name in ("compact", "field", "label"))

    def height(self, markup: str, width: float, style=None) -> float:
        return _paragraph_height(markup, width, (style or self.style).name)


def _tick_columns(measure: _Measure, days: list[str], inner: float, per_day: int, tick_box: str) -> dict[str, Any]:
    """The week's seven columns under a picture: each day's short name, a narrow space and (up to) two boxes
    on one line, with a clear gap to the next day, the boxes as large as that allows (15 pt down to 13); where
    even 13 pt boxes are too wide, the boxes go under the names at 15 pt."""
    shown = min(per_day, 2)
    space = measure.regular.stringWidth(DAY_SPACE, BODY)
    names = [measure.bold.stringWidth(day[:2], BODY) for day in days]
    for size in TICK_BOX_SIZES:
        box = measure.regular.stringWidth(tick_box, size)
        needed = [name + space + shown * box + DAY_GAP for name in names]
        if sum(needed) <= inner:
            stacked = False
            break
    else:
        size, stacked = TICK_BOX_SIZES[0], True
        box = measure.regular.stringWidth(tick_box, size)
        needed = [max(name, shown * box) + DAY_GAP for name in names]
    spare = (inner - sum(needed)) / len(needed)
    return {"widths": [round(width + spare, 2) for width in needed], "stacked": stacked, "space": DAY_SPACE,
            "box_size": size}


def _cell_height(measure: _Measure, card: dict[str, Any], inner: float, picture: float, second: bool, stop: bool,
                 ticks: dict[str, Any]) -> float:
    head = f"<b>{card['number']}. {escape(card['name'])}</b>"
    if second and card["second"]:
        head += f" ({escape(card['second']['name'])})"
    height = measure.height(f"{head} · {escape(card['dosage'])}", inner)
    if card["has_picture"]:
        height += picture + 2 * PICTURE_GAP
    lines = (max(card["per_day"], 1) - 1) // 2 + (2 if ticks["stacked"] else 1)
    height += lines * TICK_LEADING + 1.0
    if stop and card["stop_if"]:
        height += measure.height(f"<b>▲</b> {escape(' '.join(card['stop_if']))}", inner)
    return height + 2 * CELL_PADDING[1]


def _row_heights(measure, cards, inner, picture, second, stop, ticks) -> list[float]:
    """Each row of the grid: as tall as the taller of its two cells."""
    heights = [_cell_height(measure, card, inner, picture, second, stop, ticks) for card in cards]
    return [max(heights[index : index + 2]) for index in range(0, len(heights), 2)]


def _header_height(measure: _Measure, title: str, details: str, width: float, logo: bool) -> float:
    """The title (bold) and the details under it (markup, as printed), beside the logo's 100 pt column; then a
    2 pt space."""
    text_width = width - 100 if logo else width
    height = measure.height(str(escape(title)), text_width, measure.field) + measure.height(details, text_width, measure.label)
    return max(height, 40.0 if logo else 0.0) + 2.0


def _note_height(measure: _Measure, note: str | None, width: float) -> float:
    if not note:
        return 0.0
    # noteBox: 6 pt border padding each side, 8 pt before and 12 after.
    return measure.height(f"<b>Note from your clinician:</b> {escape(note)}", width - 12) + 12 + 8 + 12


def _cautions_height(measure: _Measure, ask: str, cautions: list[dict[str, Any]], width: float, short: bool) -> float:
    """The cautions set `width` wide: the label (`ask`: "Ask your clinician first"), then a paragraph a
    caution; or, short, label and cautions run on in one paragraph."""
    if not cautions:
        return 0.0
    items = [f"• {escape(c['text'])} <b>({escape(c['label'])})</b>" for c in cautions]
    if short:
        return measure.height(f"<b>{escape(ask)}</b> " + " ".join(items), width)
    return measure.height(str(escape(ask)), width, measure.field) + sum(measure.height(item, width) for item in items)
