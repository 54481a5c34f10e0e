"""Fill a layout template with a spec: Jinja2 → RML, strict and escaping, so typed text stays data.

Layouts are templates (``layouts/NAME.rml.j2``); this module only gathers what they show: the spec's words in
its language, page geometry, and a ``picture(card, width, height)`` function that places an exercise's photo
or drawn figure in whatever box the layout gives it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
import traceback
from typing import Any

from . import _cache
from . import pageplan as planner
from ._fonts import declared_fonts
from .compact import arrange as arrange_compact
from .dosage import dosage_line
from .errors import TemplateError
from .glyphs import CJK_FACE, cjk_runs
from .i18n import format_long_date, language_name, short_day_names, translations
from .images import place_image
from .links import ascii_url, printed_url
from .models import CAUTIONS
from .session import session_text
from .spec import SheetExercise, Spec
from .templates import Layout, available_layouts  # noqa: F401  (available_layouts: where callers found it)

PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
MARGIN = 36.0  # 0.5 in: what printers need (most print to within 0.25 in), and no more, so a card keeps its column
FOOTER_HEIGHT = 52.0  # the page number, then three lines of the disclaimer at 9 pt
RUNNING_HEADER = 20.0
TICK_BOX = "\u25a1"  # WHITE SQUARE: the body font draws it (Liberation Sans has no U+2610 BALLOT BOX)

# The disclaimer in two parts, so large print can set the safety line as large as its body text.
EDUCATION_LINE = (
    "This sheet is general education, not medical advice or a treatment plan. Do these exercises only as your "
    "clinician advised."
)
SAFETY_LINE = (
    "Stop and call your clinician if pain gets worse or spreads, or if you feel numbness, tingling or weakness."
)
DISCLAIMER = f"{EDUCATION_LINE} {SAFETY_LINE}"
# Footer height per layout: large print's safety line is 16 pt.
FOOTER_HEIGHTS = {"large-print": 88.0}
# A figure's Start / Finish labels are body text: 12 pt, 16 in large print (the figure makes room for them).
PANEL_LABEL_SIZES = {"large-print": 16.0}
# A caution that applies to more than this share of a sheet's exercises prints once, on page 1.
SHARED_CAUTION_SHARE = 0.5

# XML 1.0 cannot carry C0 controls (left in, they break the RML parser with a misleading position); C1 controls
# are legal XML but no font draws them. Both are dropped; the glyph check (glyphs.py) relies on that.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value: Any) -> Any:
    # type(value) keeps markupsafe.Markup (our own template output, e.g. a macro's) marked safe; a plain str
    # (data) stays a str and is escaped next.
    return type(value)(_NOT_XML.sub("", value)) if isinstance(value, str) else value


_environments: dict[tuple[str, str], Any] = {}
_environments_lock = threading.Lock()


def _environment(layout: Layout, lang: str):
    """A Jinja2 environment over the spec's own template sources, built once per process, layout and language:
    template compilation is a fixed cost worth paying once. Keyed by content, so any spec with the same
    layout shares it."""
    import jinja2

    key = (layout.digest, lang)
    with _environments_lock:
        if key in _environments:
            return _environments[key]
    files = layout.files

    def load(name: str):
        found = files.get(name)
        return None if found is None else (found.source, found.path, lambda: True)

    environment = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        undefined=jinja2.StrictUndefined,
        # select_autoescape's default matches only the last suffix; ".rml.j2" must be named to be escaped.
        autoescape=jinja2.select_autoescape(enabled_extensions=("rml.j2", "rml", "xml"), default_for_string=True),
        finalize=_xml_safe,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_cache.jinja_bytecode_cache(),  # compiled once per template source, not once per process
    )
    # newstyle: _() output is escaped like any other value, and %-formatting is done safely by Jinja.
    environment.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    environment.filters["cjk"] = with_cjk_fonts
    environment.filters["balanced_halves"] = balanced_halves
    environment.filters["link_line"] = link_line
    environment.tests["prefixed"] = lambda value, *prefixes: str(value).startswith(prefixes)
    with _environments_lock:
        if len(_environments) >= 16:
            _environments.pop(next(iter(_environments)))
        _environments[key] = environment
    return environment


def with_cjk_fonts(text: str):
    """Typed text for a paragraph: escaped, with Chinese, Japanese or Korean runs set in the CJK fallback font.

    Only for paragraph content (a <font> tag inside an attribute would break the XML). The document declares the
    font (``fonts`` in the context, registered in its <docinit>), so the RML renders in any process."""
    from markupsafe import Markup, escape

    runs = cjk_runs(_xml_safe(str(text)))
    return Markup("").join(
        Markup('<font face="{}">{}</font>').format(CJK_FACE, run) if is_cjk else escape(run) for run, is_cjk in runs
    )


def compose(spec: Spec, pad_to_even: bool = False) -> str:
    """The RML document for a spec (with a trailing notes page when pad_to_even)."""
    import jinja2

    environment = _environment(spec.templates, spec.lang)
    try:
        template = environment.get_template(spec.templates.entry)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"layout '{spec.layout}' not found in the spec's templates") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
    context = _context(spec, pad_to_even)
    try:
        rml = template.render(context)
        if not planner.wants_plan(rml):
            return rml  # a layout without planning marks (compact, log, most users' own) is done in one pass
        context.update(measuring=False, plan=planner.plan(rml, context["page"]))
        return template.render(context)
    except jinja2.TemplateError as error:
        raise TemplateError(f"{_template_line(error) or spec.layout}: {error}") from None


def _template_line(error: Exception) -> str | None:
    """`path/to/layout.rml.j2:LINE` of the innermost template frame, where the error arose."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


def _context(spec: Spec, pad_to_even: bool) -> dict[str, Any]:
    t = translations(spec.lang)
    t_second = translations(spec.also) if spec.also else None
    width, height = PAPER_SIZES[spec.paper]
    groups = _caution_groups(spec)
    shared = [group for group in groups if group[2] > SHARED_CAUTION_SHARE * len(spec.exercises) and len(spec.exercises) >= 3]
    return {
        "spec": spec,
        "page": {"width": width, "height": height, **page_geometry(height, spec.layout, width)},
        "date_text": format_long_date(spec.date, spec.lang),
        "next_visit_text": format_long_date(spec.next_visit, spec.lang) if spec.next_visit else "",
        "days": short_day_names(spec.lang),
        "disclaimer": t.gettext(DISCLAIMER),
        "education_line": t.gettext(EDUCATION_LINE),
        "safety_line": t.gettext(SAFETY_LINE),
        "tick_box": TICK_BOX,
        "cards": [
            _card(number, item, spec.lang, t, t_second, {tag for tag, _, _ in shared}, spec.also)
            for number, item in enumerate(spec.exercises, start=1)
        ],
        "shared_cautions": [{"text": t.gettext(CAUTIONS[tag]), "numbers": numbers} for tag, numbers, _ in shared],
        # A bilingual sheet's shared cautions in its second language too (a caution must reach the helper): one
        # labelled line, the cautions run on after it, so page 1's box grows by a few lines, not one a caution.
        "shared_cautions_second": {
            "label": t_second.gettext("Ask your clinician first:"),
            "lines": [f"{t_second.gettext(CAUTIONS[tag])} ({numbers})" for tag, numbers, _ in shared],
        } if t_second and shared else None,  # fmt: skip
        # Every caution once, with the exercises it applies to (compact's fridge sheet prints them this way).
        "caution_groups": [{"text": t.gettext(CAUTIONS[tag]), "numbers": numbers} for tag, numbers, _ in groups],
        "session": session_text([item.dosage for item in spec.exercises], t, labelled=True),
        "measuring": True,  # the first pass marks blocks for the page planner; the second prints its plan
        "plan": None,
        "review_text": _latest_review(spec),
        "planned": functools.partial(_planned, _log_start(spec)),
        "brand": {"accent": spec.accent, "accent_light": _tint(spec.accent, 0.85)},
        "logo": functools.partial(_logo, spec.logo),
        "picture": functools.partial(_picture, label_size=PANEL_LABEL_SIZES.get(spec.layout, 12.0)),
        "pad_to_even": pad_to_even,
        "arrange_compact": arrange_compact,  # the compact layout's measured arrangement (worksheet/compact.py)
        "fonts": declared_fonts(_needs_cjk(spec)),
    }


def page_geometry(height: float, layout: str = "", width: float = 612.0) -> dict[str, float]:
    """Where a page's body lies (points): below the running header, above the footer."""
    footer = FOOTER_HEIGHTS.get(layout, FOOTER_HEIGHT)
    return {
        "margin": MARGIN,
        "frame_width": width - 2 * MARGIN,
        "footer_height": footer,
        "frame_height": height - 2 * MARGIN - footer - RUNNING_HEADER,
        "running_header": RUNNING_HEADER,
    }


def _caution_groups(spec: Spec) -> list[tuple[str, str, int]]:
    """Each caution tag on the sheet with the exercises it applies to: (tag, "1, 2, 5", count), commonest
    first. Those on more than half the exercises (of three or more) print once, on page 1."""
    numbers: dict[str, list[int]] = {}
    for number, item in enumerate(spec.exercises, start=1):
        for tag in item.exercise.caution_tags:
            numbers.setdefault(tag, []).append(number)
    ordered = sorted(numbers.items(), key=lambda entry: (-len(entry[1]), entry[0]))
    return [(tag, ", ".join(map(str, found)), len(found)) for tag, found in ordered]


def _needs_cjk(spec: Spec) -> bool:
    """Whether any typed text on the sheet is Chinese, Japanese or Korean (then the document declares the
    fallback font)."""
    texts = (spec.patient, spec.clinician, spec.clinic, spec.clinic_address, spec.clinic_phone, spec.note,
             *(printed_url(item.video) for item in spec.exercises if item.video))  # a link printed as typed
    return any(is_cjk for text in texts for _, is_cjk in cjk_runs(text))


def _log_start(spec: Spec) -> dt.date:
    """The Monday the logs begin: of the week of the earliest start date, or of the sheet's date."""
    first = min([item.dosage.start for item in spec.exercises if item.dosage.start] or [spec.date])
    return first - dt.timedelta(days=first.weekday())


def _planned(log_start: dt.date, card: dict[str, Any], week: int, weekday: int) -> bool:
    """Whether the log shows tick boxes for this exercise on this day (weekday 0 = Monday)."""
    day = log_start + dt.timedelta(days=7 * week + weekday)
    return card["item"].dosage.scheduled(day, week, weekday)


def _latest_review(spec: Spec) -> str:
    reviews = [item.dosage.review for item in spec.exercises if item.dosage.review]
    return format_long_date(max(reviews), spec.lang) if reviews else ""


def _second_language(item: SheetExercise, lang: str, t, shared=frozenset()) -> dict[str, Any]:
    """What a bilingual card repeats in its second language, as one block of its own: the name and dosage, the
    steps, and what keeps the exercise safe (its "stop if" line and its own cautions; a shared caution is in the
    page-1 box in both languages). The purpose, tips and progression stay in the patient's language only: the
    family member or clinician reading along needs what to do and when to stop; the why and the next step are
    the patient's, and repeating them made a bilingual card a column taller than its page allows."""
    second = item.second
    assert second is not None
    ask_first = [t.gettext(CAUTIONS[tag]) for tag in second.caution_tags if tag not in shared]
    return {
        "language": language_name(lang),
        "name": second.name,
        "steps": second.steps,
        "dosage": dosage_line(item.dosage, t),
        "safety": _safety_notes(second, ask_first, t),
    }


def _notes(exercise, ask_first: list[str], dates: str, t) -> list[dict[str, str]]:
    """A card's labelled notes, in print order: each a block the planner may break before (never inside)."""
    notes = []
    if exercise.tips:
        notes.append({"label": t.gettext("Tip:") if len(exercise.tips) == 1 else t.gettext("Tips:"),
                      "text": " ".join(exercise.tips)})  # fmt: skip
    if exercise.progression:
        notes.append({"label": t.gettext("When it gets easy:"), "text": " ".join(exercise.progression)})
    notes.extend(_safety_notes(exercise, ask_first, t))
    if dates:
        notes.append({"label": dates, "text": ""})
    return notes


def _safety_notes(exercise, ask_first: list[str], t) -> list[dict[str, str]]:
    """The notes that keep an exercise safe, which a bilingual card prints in both languages: "stop if", then
    every "ask first"."""
    notes = []
    if exercise.stop_if:
        notes.append({"label": t.gettext("Stop and call your clinician if:"), "text": " ".join(exercise.stop_if)})
    # Every "ask first" of a card in one note: one caution reads on as a sentence; several are a list under
    # one label (the label, repeated, took half of a column's line each time).
    asks = [*exercise.cautions, *ask_first]
    if len(asks) == 1 and exercise.cautions:
        notes.append({"label": t.gettext("Ask your clinician first:"), "text": asks[0]})
    elif len(asks) == 1:
        notes.append({"label": t.gettext("Ask your clinician first"), "text": asks[0]})
    elif asks:
        notes.append({"label": t.gettext("Ask your clinician first:"), "text": "", "lines": asks})
    return notes


def _card(number: int, item: SheetExercise, lang: str, t, t_second=None, shared=frozenset(), also: str | None = None) -> dict[str, Any]:
    exercise, dosage = item.exercise, item.dosage
    dates = []
    if dosage.start:
        dates.append(t.gettext("Start: %(date)s") % {"date": format_long_date(dosage.start, lang)})
    if dosage.review:
        dates.append(t.gettext("Review with your clinician: %(date)s") % {"date": format_long_date(dosage.review, lang)})
    ask_first = [t.gettext(CAUTIONS[tag]) for tag in exercise.caution_tags if tag not in shared]
    notes = _notes(exercise, ask_first, " · ".join(dates), t)
    has_picture = bool(item.image or exercise.figure is not None)
    second = _second_language(item, also or "", t_second, shared) if item.second else None
    return {
        "notes": notes,
        # The blocks a card prints, in order: the page planner may break a card taller than a page only
        # before a step, a note or the video.
        "blocks": [
            "head", *(["picture"] if has_picture else []), "purpose",
            *(f"step:{index}" for index in range(len(exercise.steps))),
            *(f"note:{index}" for index in range(len(notes))), *(["second"] if second else []),
            *(["second-safety"] if second and second["safety"] else []),
            *(["video"] if item.video else []),
        ],  # fmt: skip
        "has_picture": has_picture,
        "number": number,
        "id": exercise.id,
        "name": exercise.name,
        "dosage": dosage_line(item.dosage, t),
        "per_day": item.dosage.per_day,
        "purpose": exercise.purpose,
        "steps": exercise.steps,
        "tips": exercise.tips,
        "stop_if": exercise.stop_if,
        "progression": exercise.progression,
        "dates": " · ".join(dates),
        "cautions": exercise.cautions,
        "ask_first": ask_first,
        "video": ascii_url(item.video) if item.video else None,  # what the QR code holds: plain ASCII
        "video_label": printed_url(item.video) if item.video else "",
        "second": second,
        "panel_labels": [t.gettext("Start"), t.gettext("Finish")],  # a figure's Start / Finish panels
        "item": item,
    }


def balanced_halves(names: list[str], card: dict[str, Any], keep_left: int = 0) -> tuple[list[str], list[str]]:
    """A card's blocks split in two, in order, where the halves' text is most nearly even (two columns across
    a wide card: the card is then as short as its longer half); the first keep_left stay in the left half.
    A first guess: the page planner splits by measured heights once it has measured (pageplan.py). A bilingual
    card's second-language block ("second") has the second column to itself, beside the first language's notes."""
    if "second" in names:
        return [name for name in names if not name.startswith("second")], [name for name in names if name.startswith("second")]
    if len(names) < 2:
        return list(names), []
    sizes = [_text_size(name, card) for name in names]
    cuts = range(max(keep_left, 1), len(names))
    if not cuts:
        return list(names), []
    best = min(cuts, key=lambda cut: max(sum(sizes[:cut]), sum(sizes[cut:])))
    return list(names[:best]), list(names[best:])


def _text_size(name: str, card: dict[str, Any]) -> int:
    """About how much room a block takes, in characters of body text."""
    if name.startswith("note:"):
        note = card["notes"][int(name[5:])]
        return len(note["label"]) + len(note["text"]) + sum(len(line) + 20 for line in note.get("lines", []))
    if name.startswith("step:"):
        return len(card["steps"][int(name[5:])]) + 10
    return {"purpose": len(card.get("purpose") or ""), "picture": 200, "video": 150}.get(name, 0)


def link_line(link: str, prefix: str, width: float, size: float) -> str:
    """A printed link, shortened to fit one line of width points after its prefix ("Video:"). Chinese, Japanese
    or Korean in a link print in the fallback font, whose widths these are not: such a link is left whole."""
    if any(is_cjk for _, is_cjk in cjk_runs(link)):
        return link
    from ._fonts import parsed_font

    room = width - parsed_font("Sans").stringWidth(prefix + " ", size) - 1.0
    return one_line(link, room, size=size)


def one_line(text: str, width: float, font: str = "Sans", size: float = 12) -> str:
    """text, shortened in the middle with "…" until it fits on one line of width points (a link must never
    wrap mid-word)."""
    from ._fonts import parsed_font

    measure = parsed_font(font).stringWidth
    if measure(text, size) <= width:
        return text
    keep = len(text)
    while keep > 8 and measure(text[: keep // 2] + "…" + text[len(text) - keep // 2 :], size) > width:
        keep -= 1
    return text[: keep // 2] + "…" + text[len(text) - keep // 2 :]


def _picture(card: dict[str, Any], width: float, height: float, label_size: float = 12.0,
             tight: bool = False) -> dict[str, Any] | None:
    """What fills a picture box: the user's (or the exercise's) image, else the drawn figure, else nothing.
    `tight`: a figure with Start / Finish panels is drawn as one picture (a box too low for two), and a floor
    line under a mat is left out (it reaches past the body, and the box is narrow)."""
    item: SheetExercise = card["item"]
    if item.image:
        placed = place_image(item.image, width, height)
        return {"kind": "image", "src": placed.src, "width": placed.width, "height": placed.height}
    if item.exercise.figure is not None:
        figure = item.exercise.figure.model_dump(mode="json", exclude_defaults=True)
        params = {"figure": figure, "width": width, "height": height, "style": "line",
                  "mirror": item.dosage.side == "left", "shrink": True}  # fmt: skip
        if tight:  # compact's low, narrow box: one picture, no floor line past the mat
            params["tight"] = True
        if item.exercise.figure.show == "panels" and tight:
            params["single"] = True
        elif item.exercise.figure.show == "panels":
            params["labels"], params["label_size"] = card["panel_labels"], label_size
        return {"kind": "figure", "params": json.dumps(params, sort_keys=True, separators=(",", ":"))}
    return None


def _logo(path: str | None, width: float, height: float) -> dict[str, Any] | None:
    if not path:
        return None
    placed = place_image(path, width, height)
    return {"src": placed.src, "width": placed.width, "height": placed.height}


def _tint(colour: str, whiteness: float) -> str:
    """colour mixed with white: a background light enough for black text on any printer."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(channel + (255 - channel) * whiteness) for channel in (red, green, blue)]
    return "#" + "".join(f"{channel:02x}" for channel in mix)
