"""The page planner: measure every card with ReportLab's own wrap(), then decide where each one goes.

A layout that wants planning puts marks in its first-pass RML (`<plugInFlowable module="worksheet.pageplan"
function="mark">{json}</plugInFlowable>`, zero-size flowables): one describing the layout's frames, one before
the header, one before each card and one before each of a card's blocks (heading, picture, each step, each
note, the video). z3c.rml parses that RML into platypus flowables — no page layout — and each card and block
is measured at its own width with `wrapOn`, with the styles the layout really uses. The plan then says, per
card, how tall its picture is (shrunk within limits so a card keeps to its column) and where a card taller
than a whole column or page breaks (only before a block, its title repeated), and how tall page 1's header
frame must be. The template prints that plan in the second pass.

Cost: one extra Jinja render and z3c.rml parse, plus a wrap of each card (≈ a third of a render; see
bench/run.py). A card that fits moves as a whole through `keepTogether`, so the plan only has to be right
about what does not fit.

What is measured is remembered for the life of the process: a section's height (the header, the log, a
card) follows from its own RML, the document's styles and fonts (everything outside the story) and the widths
in the layout's mark. So each section is keyed by those, and only the sections not seen before are parsed and
measured. A batch of one program, or the web page's next edit, then measures little or nothing: the same cards
give the same plan, byte for byte, as measuring them afresh.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus.flowables import Flowable

MODULE = "worksheet.pageplan"
BIG = 1e6
SLACK = 12.0  # points kept free against differences between the measure and the layout (a shrunk picture)
LOG_GAP = 8.0  # between page 1's header and a weekly log placed under it
SECTIONS = ("header", "log", "card")  # what the plan measures; "layout" and "end" only delimit
# What a page template draws beside the story (its running header and footer, its page graphics) and the
# document's own attributes (its title carries the patient's name): none of it changes how the story measures.
_NOT_MEASURED = re.compile(r"<document\b[^>]*>|<(header|footer|pageGraphics)\b.*?</\1>", re.S)
_MARK = re.compile(r'<plugInFlowable module="worksheet\.pageplan" function="mark">(\{[^<]*\})</plugInFlowable>')
MEASURED_LIMIT = 4096  # sections remembered per process (a few KB each)
_measured: OrderedDict[str, Any] = OrderedDict()  # section key -> its height (header, log) or its _Card


class Mark(Flowable):
    """A zero-size flowable carrying what the planner must know about the flowables after it."""

    def __init__(self, info: dict[str, Any]):
        super().__init__()
        self.info = info

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        pass


def mark(params: str) -> Mark:
    """plugInFlowable entry point."""
    return Mark(json.loads(params))


def wants_plan(rml: str) -> bool:
    return f'module="{MODULE}"' in rml


@dataclass
class _Card:
    number: int
    height: float = 0.0  # the whole card, as measured, with the default picture
    gap: float = 0.0  # space after it
    blocks: list[tuple[str, float, bool]] = field(default_factory=list)  # (name, height, may break before)
    picture: float = 0.0  # the picture box's height, as measured
    picture_drawn: float = 0.0  # the picture's drawn height in that box (less when its width limits it)
    picture_min: float = 0.0
    picture_floor: float = 0.0  # smaller still, only to keep a card whole that would otherwise continue
    stacked: bool = True  # the picture sits above the text (its height adds to the card's)
    head: float = 0.0  # the title block, repeated on a continuation
    columns: dict[str, int] = field(default_factory=dict)  # block name -> the column it sat in (notes side by side)


def plan(rml: str, page: dict[str, Any]) -> dict[str, Any]:
    """The plan for a first-pass RML document: {"header": points, "cards": {number: {...}}}."""
    from .render import _one_render_at_a_time

    with _one_render_at_a_time:  # ReportLab's state is process-wide: measure between renders, never during one
        layout, header, log, cards = _measure_remembered(rml)
    return _place(layout, header, log, cards)


def forget_measurements() -> None:
    """Drop what this process has measured (tests compare a fresh measure with a remembered one)."""
    _measured.clear()


@dataclass
class _Sections:
    """A first-pass document split for measuring."""

    before: str  # up to and including <story>: fonts, styles, page templates
    after: str  # from </story> on
    layout_mark: str
    layout: dict[str, Any]
    sections: list[tuple[dict[str, Any], str, str]]  # (its mark's info, its mark's text, its RML to the next mark)


def _sections(rml: str) -> _Sections:
    opening = rml.index(">", rml.index("<story")) + 1
    closing = rml.rindex("</story>")
    body = rml[opening:closing]
    marks = [(found, json.loads(found.group(1))) for found in _MARK.finditer(body)]
    marks = [(found, info) for found, info in marks if info.get("kind") != "block"]  # blocks lie inside cards
    layout_mark, layout = next(((found.group(0), info) for found, info in marks if info.get("kind") == "layout"), ("", {}))
    sections = []
    for index, (found, info) in enumerate(marks):
        if info.get("kind") in SECTIONS:
            end = marks[index + 1][0].start() if index + 1 < len(marks) else len(body)
            sections.append((info, found.group(0), body[found.end() : end]))
    return _Sections(rml[:opening], rml[closing:], layout_mark, layout, sections)


def _measure_remembered(rml: str) -> tuple[dict[str, Any], float, float, list[_Card]]:
    """_measure's result, parsing only the sections this process has not measured before."""
    split = _sections(rml)
    measured_context = _NOT_MEASURED.sub("", split.before + split.after)  # another patient's name: the same cards
    context = hashlib.sha256((measured_context + split.layout_mark).encode("utf-8")).hexdigest()
    keys = [hashlib.sha256(f"{context}\0{mark}{text}".encode()).hexdigest() for _, mark, text in split.sections]
    missing = [index for index, key in enumerate(keys) if key not in _measured]
    if missing:  # one smaller document: the layout's mark and the sections not seen before, in order
        story = "".join(split.sections[index][1] + split.sections[index][2] for index in missing)
        end = '<plugInFlowable module="worksheet.pageplan" function="mark">{"kind": "end"}</plugInFlowable>'
        _, header, log, cards = _measure(_parse_story(split.before + split.layout_mark + story + end + split.after))
        measured_cards = iter(cards)
        for index in missing:
            kind = split.sections[index][0]["kind"]
            _measured[keys[index]] = header if kind == "header" else log if kind == "log" else next(measured_cards)
    header = log = 0.0
    cards = []
    for (info, _, _), key in zip(split.sections, keys):
        _measured.move_to_end(key)
        if info["kind"] == "header":
            header = _measured[key]
        elif info["kind"] == "log":
            log = _measured[key]
        else:
            cards.append(copy.deepcopy(_measured[key]))  # the plan's own copy: what is remembered stays as measured
    while len(_measured) > MEASURED_LIMIT:
        _measured.popitem(last=False)
    return split.layout, header, log, cards


def _parse_story(rml: str) -> list:
    """The story's flowables as z3c.rml makes them, without laying out pages."""
    import reportlab.rl_config
    from lxml import etree

    from ._fonts import install, take_declared
    from .render import _import_engine

    document = _import_engine()
    install()
    root = etree.fromstring(rml.split("\n", 1)[1] if rml.startswith("<?xml") else rml)
    take_declared(root)  # the bundled fonts from the process's cache, as the render does
    doc = document.Document(root)
    doc.outputFile = io.BytesIO()
    reportlab.rl_config._reset()
    doc.processSubDirectives(select=("docinit", "stylesheet"))
    doc.processSubDirectives(select=("template", "story"))
    return doc.flowables


def _canvas():
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(io.BytesIO())


def _height(flowable, width: float, canvas) -> float:
    if isinstance(flowable, Mark) or getattr(flowable, "locChanger", False) or not hasattr(flowable, "wrapOn"):
        return 0.0
    content = getattr(flowable, "_content", None)
    if isinstance(content, list):  # keepTogether reports an endless height to force its own split
        return sum(_height(item, width, canvas) for item in content)
    try:
        _, height = flowable.wrapOn(canvas, width, BIG)
    except NotImplementedError:  # actions (frame breaks, template switches) have no size
        return 0.0
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _inner(flowable) -> list:
    """The flowables inside a container (keepTogether, a table's cells), in reading order."""
    if hasattr(flowable, "_cellvalues"):
        return [item for row in flowable._cellvalues for cell in row for item in (cell if isinstance(cell, (list, tuple)) else [cell])]
    content = getattr(flowable, "_content", None)
    return list(content) if isinstance(content, list) else []


def _blocks(flowables: list, card: _Card, canvas) -> None:
    """Heights of a card's marked blocks, however deep inside its containers they sit."""
    current = None
    for flowable in flowables:
        if isinstance(flowable, Mark) and flowable.info.get("kind") == "block":
            current = flowable.info
            card.blocks.append((current["name"], 0.0, bool(current.get("split", True))))
            if current.get("column") is not None:
                card.columns[current["name"]] = int(current["column"])
            continue
        inner = _inner(flowable)
        if inner:  # a container: its marks are inside
            _blocks(inner, card, canvas)
            continue
        if current is not None:
            name, height, split = card.blocks[-1]
            card.blocks[-1] = (name, height + _height(flowable, float(current["width"]), canvas), split)


def _measure(flowables: list) -> tuple[dict[str, Any], float, float, list[_Card]]:
    canvas = _canvas()
    layout: dict[str, Any] = {}
    header = log = 0.0
    cards: list[_Card] = []
    section = None  # "header" or a card
    for flowable in flowables:
        if isinstance(flowable, Mark):
            kind = flowable.info.get("kind")
            if kind == "layout":
                layout = flowable.info
            elif kind in ("header", "log"):
                section = kind
            elif kind == "card":
                info = flowable.info
                minimum = info.get("picture_min", 0.0)
                card = _Card(info["number"], picture=info.get("picture", 0.0), picture_min=minimum,
                             picture_floor=info.get("picture_floor", minimum), stacked=info.get("stacked", True))  # fmt: skip
                cards.append(card)
                section = card
            elif kind == "end":
                section = None
            continue
        if section == "header":
            header += _height(flowable, layout["header_width"], canvas)
        elif section == "log":
            log += _height(flowable, layout["header_width"], canvas)
        elif isinstance(section, _Card):
            height = _height(flowable, layout["card_width"], canvas)
            if height and not section.height:
                section.height = height
                _blocks([flowable], section, canvas)
            else:
                section.gap += height
    for card in cards:
        card.head = next((height for name, height, _ in card.blocks if name == "head"), 0.0)
        card.picture_drawn = next((height for name, height, _ in card.blocks if name == "picture"), 0.0)
    return layout, header, log, cards


def _shrinkable(card: _Card, smallest: float | None = None) -> float:
    """How much shorter a card gets with its picture at the smallest allowed (or at `smallest`)."""
    floor = card.picture_min if smallest is None else smallest
    return max(card.picture_drawn - floor, 0.0) if card.stacked else 0.0


def _place(layout: dict[str, Any], header: float, log: float, cards: list[_Card]) -> dict[str, Any]:
    """Greedy, in the clinician's order: each card in the current column or page if it fits, shrinking its
    picture within limits to fit; else whole in the next; a card taller than a whole column continues in the
    next, breaking only before a block."""
    full = float(layout["frame_height"]) - SLACK
    columns = int(layout.get("columns", 1))
    # A layout that may put its weekly log on page 1 (cards) does so when header and log fit there: the
    # columns then start on page 2 at full height, instead of page 1's short columns holding no whole card.
    # Only when the first card would not fit page 1's columns anyway (a short sheet keeps its cards on page 1).
    # Header and log are measured exactly (no picture to shrink), so they may use the slack.
    log_first = bool(layout.get("log_first")) and header + log + LOG_GAP <= full + SLACK and bool(cards) and (
        cards[0].height - _shrinkable(cards[0]) > full - header
    )
    first = full - header - (log + LOG_GAP if log_first else 0.0)
    capacities = [] if log_first else [first] * columns
    result: dict[str, Any] = {"header": header, "log_first": log_first, "cards": {}}
    frame = 0
    remaining = capacities[0] if capacities else full

    def next_frame() -> float:
        nonlocal frame
        frame += 1
        return capacities[frame] if frame < len(capacities) else full

    # The first card starts a frame of its own only where the header has a frame of its own (cards).
    at_top = log_first or columns > 1
    for card in cards:
        decision: dict[str, Any] = {"picture": card.picture, "parts": [None], "break": False}
        left, saving = _balanced_columns(card)
        if saving > 0:  # the notes' two columns, split where their measured heights are most even
            decision["left"] = left
        whole = card.height  # as the first pass measured it
        card = copy.copy(card)
        card.height -= saving
        need = card.height + card.gap
        in_column = "picture" in card.columns and card.picture_min < card.picture
        shrinkable = card.height - _column_height(card, whole, card.picture_min)[0] if in_column else _shrinkable(card)
        # A card that would continue only for want of a little room keeps whole with its picture smaller still:
        # a near-empty continuation (a note alone at the top of a page or column) costs more than a picture.
        if in_column:
            deep = card.height - _column_height(card, whole, card.picture_floor)[0]
        else:
            deep = _shrinkable(card, card.picture_floor)

        # Bound now: the helper is called within this iteration only.
        def shrink_to(room: float, floor: float = card.picture_min, card: _Card = card,
                      decision: dict[str, Any] = decision, need: float = need, whole: float = whole,
                      in_column: bool = in_column) -> float:  # fmt: skip
            """The picture box that makes the card fit room (its drawn height at most), and the space used."""
            if in_column:  # the largest box, in whole points, whose card fits (the columns balanced again)
                box = card.picture
                while box > floor and _column_height(card, whole, box)[0] > room:
                    box = max(box - 1.0, floor)
                height, left = _column_height(card, whole, box)
                decision["picture"] = box
                if box < card.picture:
                    decision["left"] = left
                return height + card.gap
            saving = max(card.height - room, 0.0)
            box = min(card.picture, card.picture_drawn - saving)
            decision["picture"] = max(floor, box)
            return need - (card.picture_drawn - min(card.picture_drawn, decision["picture"]))

        if card.height <= remaining:
            remaining -= need
        elif card.height - shrinkable <= remaining and (at_top or remaining >= full * 0.4):
            remaining -= shrink_to(remaining)
        elif not at_top and card.height > full and remaining >= full * 0.4 and (
            card.height - shrinkable - remaining >= full * 0.25
        ):
            # Taller than a whole column or page at its own picture size, with room here for much of it:
            # continuing from here (a good part of it on each side) wastes less than moving it whole with a
            # smaller picture and leaving this column or page half empty.
            decision["picture"] = card.picture_min if card.stacked else card.picture
            saved = card.picture_drawn - min(card.picture_drawn, decision["picture"])
            parts, remaining, moved = _split(card, saved, remaining, next_frame)
            decision["parts"], decision["break"] = parts, False
        elif card.height - shrinkable <= full:
            decision["break"] = at_top  # keepTogether moves a card itself, except from the top of a frame
            remaining = next_frame()
            remaining -= shrink_to(remaining)
        elif card.height - deep <= full:
            if card.height - deep > remaining:
                decision["break"] = at_top
                remaining = next_frame()
            remaining -= shrink_to(remaining, card.picture_floor)
        else:
            # Taller than a whole column or page, even with a smaller picture: start it here if its heading
            # and first blocks fit, then continue, breaking only where a block may begin.
            decision["picture"] = card.picture_min if card.stacked else card.picture
            saved = card.picture_drawn - min(card.picture_drawn, decision["picture"])
            parts, remaining, moved = _split(card, saved, remaining, next_frame)
            decision["parts"], decision["break"] = parts, moved and at_top
        at_top = False
        result["cards"][card.number] = decision
    return result


def _column_height(card: _Card, whole: float, box: float) -> tuple[float, list[str]]:
    """A card with its picture in one of two columns, the picture in a smaller box: its height, with the
    columns balanced again, and its left column's blocks. (whole: its height as the first pass measured it.)"""
    drawn = next((height for name, height, _ in card.blocks if name == "picture"), 0.0)
    saved = max(drawn - box, 0.0)
    smaller = copy.copy(card)
    smaller.blocks = [(name, height - (saved if name == "picture" else 0.0), split) for name, height, split in card.blocks]
    left, saving = _balanced_columns(smaller, before=card)
    return whole - saving, left


def _balanced_columns(card: _Card, before: _Card | None = None) -> tuple[list[str], float]:
    """Blocks set in two columns side by side (a list card's notes) are as tall as the taller column: where
    the first pass split them, and the split (in order) that makes the taller column shortest, by measure;
    a picture and purpose stay at the top of the left column.
    Returns the blocks of the left column and how much shorter the card gets (than it was as `before`, by
    default itself, when the first pass measured it)."""
    names = [name for name, _, _ in card.blocks if name in card.columns]
    if len(names) < 2:
        return names, 0.0
    heights = dict((name, height) for name, height, _ in card.blocks)
    measured = dict((name, height) for name, height, _ in (before or card).blocks)  # as the first pass set them
    now = max(sum(measured[name] for name in names if card.columns[name] == column) for column in (0, 1))

    def taller(cut: int) -> float:
        return max(sum(heights[name] for name in names[:cut]), sum(heights[name] for name in names[cut:]))

    fixed = next((index for index, name in enumerate(names) if name not in ("picture", "purpose")), len(names))
    cuts = range(max(fixed, 1), len(names))  # the picture and the purpose open the left column
    if not cuts:
        return names, 0.0
    best = min(cuts, key=taller)
    return names[:best], max(now - taller(best), 0.0)


def _split(card: _Card, picture_saved: float, remaining: float, next_frame) -> tuple[list, float, bool]:
    """Break a card's blocks into parts, each fitting a column or page; a part after the first repeats the
    heading. Returns the parts (lists of block names), the space left after the last, and whether the card
    moved to the next frame before starting."""
    padding = max(card.height - sum(height for _, height, _ in card.blocks), 0.0)
    blocks = [(name, height - (picture_saved if name == "picture" else 0.0), split) for name, height, split in card.blocks]
    moved = False
    opening = sum(height for _, height, _ in blocks[:4])  # heading, picture, purpose, first step
    if opening + padding > remaining:
        remaining, moved = next_frame(), True
    parts: list[list[str]] = [[]]
    used = padding
    for name, height, may_break in blocks:
        if parts[-1] and may_break and used + height > remaining:
            remaining = next_frame()
            parts.append([])
            used = padding + card.head
        parts[-1].append(name)
        used += height
    return parts, remaining - used - card.gap, moved
