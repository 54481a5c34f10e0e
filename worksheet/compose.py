"""Fill a layout template with a spec: Jinja2 → RML, strict and escaping, so typed text stays data."""

from __future__ import annotations

import functools
import json
import re
import traceback
from pathlib import Path
from typing import Any

from ._paths import bundled
from .dosage import dosage_line
from .errors import TemplateError
from .images import place_image
from .models import CAUTIONS
from .spec import Spec

PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
MARGIN = 43.2  # 0.6 in: printers need at least 0.5 in
FOOTER_HEIGHT = 40.0
RUNNING_HEADER = 20.0
PICTURE_COLUMN = 180.0
CELL_PADDING = 8.0
LOG_DAY_COLUMN = 54.0

DISCLAIMER = (
    "This sheet is general education, not medical advice or a treatment plan. Do these exercises only as your "
    "clinician advised. Stop and call your clinician if pain gets worse or spreads, or if you feel numbness, "
    "tingling or weakness."
)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
TICK_BOX = "\u2610"

# XML 1.0 cannot carry these; left in, they break the RML parser with a misleading position.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value: Any) -> Any:
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=8)
def _environment(layout_folders: tuple[Path, ...]):
    # Built once per process and folder set: template compilation is a fixed cost worth paying once.
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in layout_folders]),
        undefined=jinja2.StrictUndefined,
        # select_autoescape's default matches only the last suffix; ".rml.j2" must be named to be escaped.
        autoescape=jinja2.select_autoescape(enabled_extensions=("rml.j2", "rml", "xml"), default_for_string=True),
        finalize=_xml_safe,
        keep_trailing_newline=True,
    )


def available_layouts(extra_folders: tuple[Path, ...] = ()) -> list[str]:
    folders = (*extra_folders, bundled("layouts"))
    return sorted({path.name.removesuffix(".rml.j2") for folder in folders for path in folder.glob("*.rml.j2")})


def compose(spec: Spec, layout_folders: tuple[Path, ...] = ()) -> str:
    """The RML document for a spec."""
    import jinja2

    environment = _environment((*layout_folders, bundled("layouts")))
    try:
        template = environment.get_template(f"{spec.layout}.rml.j2")
    except jinja2.TemplateNotFound:
        known = ", ".join(available_layouts(layout_folders))
        raise TemplateError(f"layout '{spec.layout}' not found; choose one of: {known}") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
    context = _context(spec)
    try:
        return template.render(context)
    except jinja2.TemplateError as error:
        raise TemplateError(f"{_template_line(error) or spec.layout}: {error}") from None


def _template_line(error: Exception) -> str | None:
    """`path/to/layout.rml.j2:LINE` of the innermost template frame, where the error arose."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


def _context(spec: Spec) -> dict[str, Any]:
    width, height = PAPER_SIZES[spec.paper]
    frame_width = width - 2 * MARGIN
    cards = [_card(number, item, frame_width) for number, item in enumerate(spec.exercises, start=1)]
    return {
        "spec": spec,
        "page": {
            "width": width,
            "height": height,
            "margin": MARGIN,
            "frame_width": frame_width,
            "frame_height": height - 2 * MARGIN - FOOTER_HEIGHT - RUNNING_HEADER,
            "footer_height": FOOTER_HEIGHT,
        },
        "date_text": f"{spec.date.day} {MONTHS[spec.date.month - 1]} {spec.date.year}",
        "text": {"disclaimer": DISCLAIMER},
        "cards": cards,
        "log": {
            "days": DAYS,
            "col_widths": " ".join([str(frame_width - 7 * LOG_DAY_COLUMN)] + [str(LOG_DAY_COLUMN)] * 7),
            "rows": [
                {"number": card["number"], "name": card["name"], "boxes": " ".join([TICK_BOX] * item.dosage.per_day)}
                for card, item in zip(cards, spec.exercises)
            ],
        },
    }


def _card(number: int, item, frame_width: float) -> dict[str, Any]:
    exercise = item.exercise
    picture = _picture(item)
    return {
        "number": number,
        "name": exercise.name,
        "dosage": dosage_line(item.dosage),
        "purpose": exercise.purpose,
        "steps": exercise.steps,
        "tips": exercise.tips,
        "stop_if": exercise.stop_if,
        "cautions": exercise.cautions,
        "ask_first": [CAUTIONS[tag] for tag in exercise.caution_tags],
        "picture": picture,
        "col_widths": f"{PICTURE_COLUMN} {frame_width - PICTURE_COLUMN}" if picture else str(frame_width),
    }


def _picture(item) -> dict[str, Any] | None:
    """What fills the picture column: the user's (or the exercise's) image, else the drawn figure, else nothing."""
    box_width = PICTURE_COLUMN - 2 * CELL_PADDING
    box_height = 130.0
    if item.image:
        placed = place_image(item.image, box_width, box_height)
        return {"kind": "image", "src": placed.src, "width": placed.width, "height": placed.height}
    if item.exercise.figure is not None:
        figure = item.exercise.figure.model_dump(mode="json", exclude_defaults=True)
        params = {"figure": figure, "width": box_width, "height": box_height, "style": "line",
                  "mirror": item.dosage.side == "left", "shrink": True}  # fmt: skip
        return {"kind": "figure", "params": json.dumps(params, sort_keys=True, separators=(",", ":"))}
    return None
