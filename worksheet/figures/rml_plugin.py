"""The layout templates' entry point: ``<plugInFlowable module="worksheet.figures.rml_plugin"
function="plugin_flowable">PARAMS</plugInFlowable>``.

A plain module, not the package: z3c.rml imports plug-ins with ``__import__(path, {}, {}, [path])``, which
for a package looks up an attribute named like the whole dotted path and fails.
"""

from __future__ import annotations

import functools
import io
import json

from reportlab.platypus.flowables import Flowable

Label = tuple[str, float, str, float, float]  # text, font size, 'middle' or 'start', x, baseline y


class RecordedFigure(Flowable):
    """A figure as the PDF drawing operators ReportLab's renderer wrote for it once in this process.

    Turning ~1,000 path points into operators cost ~2 ms a figure on every sheet; a batch draws the same
    figures thousands of times. The operators are self-contained (each sets its own colours and line widths,
    inside q/Q) and relative to the flowable's origin, which drawOn places.
    """

    def __init__(self, width: float, height: float, operators: tuple[str, ...], labels: tuple[Label, ...] = (),
                 font: str = "Sans"):
        super().__init__()
        self.width, self.height, self._operators, self._labels = width, height, operators, labels
        self._font = font  # the labels' face (figures._draw_rl.LABEL_FONT when recorded)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv._code.extend(self._operators)
        # Text is drawn live, not replayed: its font resource belongs to the document being written.
        if not self._labels:
            return
        from reportlab.pdfbase import pdfmetrics

        from .._fonts import parsed_font

        # The sheets register the labels' face already; a bare RML document may not have. (Not through
        # _render.register_label_font: a sheet whose figures come from the disk cache imports no drawing code.)
        if self._font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(parsed_font(self._font))
        for text, size, anchor, x, y in self._labels:
            self.canv.setFont(self._font, size)
            self.canv.setFillColorRGB(0, 0, 0)
            (self.canv.drawString if anchor == "start" else self.canv.drawCentredString)(x, y, text)


@functools.lru_cache(maxsize=256)
def _recorded(params: str) -> RecordedFigure:
    """The figure for params, from this process's memory, else from the disk cache (worksheet/_cache.py: the
    same operators, recorded by an earlier process running the same code), else drawn now and stored."""
    from .. import _cache

    name = _cache.key("figure", params)
    stored = _cache.load("figures", name)
    if stored is not None:
        try:
            width, height, operators, labels, font = json.loads(stored)
            return RecordedFigure(width, height, tuple(operators), tuple(tuple(label) for label in labels), font)
        except (ValueError, TypeError):
            pass  # not an entry this code wrote (a damaged file): draw it again
    recorded = _record(params)
    entry = [recorded.width, recorded.height, list(recorded._operators), [list(label) for label in recorded._labels],
             recorded._font]
    _cache.store("figures", name, json.dumps(entry, separators=(",", ":")).encode())
    return recorded


def _record(params: str) -> RecordedFigure:
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from ._draw_rl import LABEL_FONT
    from ._fit import LABEL_SIZE
    from ._model import Figure
    from ._render import figure_drawing, fitted_size, panel_label_positions, panel_text

    data = json.loads(params)
    figure = Figure.model_validate(data["figure"])
    if data.get("tight"):
        figure = tight(figure)
    style, mirror = data.get("style", "line"), bool(data.get("mirror", False))
    width, height = float(data["width"]), float(data["height"])
    text = panel_text(data.get("labels"), data.get("label_size", LABEL_SIZE))
    single = bool(data.get("single", False))
    if data.get("shrink"):
        width, height = fitted_size(figure, width, height, style, mirror, text.words, text.size, single)
    scratch = Canvas(io.BytesIO())
    start = len(scratch._code)
    drawing = figure_drawing(figure, width, height, style, mirror, labels=None, label_size=text.size, room_for=text.words,
                             single=single)
    renderPDF.draw(drawing, scratch, 0, 0)
    labels: tuple[Label, ...] = ()
    if figure.show == "panels" and not single:
        size, anchor, points = panel_label_positions(figure, width, height, style, mirror, text, single)
        labels = tuple((word, size, anchor, x, y) for word, (x, y) in zip(text.words, points))
    return RecordedFigure(width, height, tuple(scratch._code[start:]), labels, LABEL_FONT)


def tight(figure):
    """The figure without its floor line where a mat is the ground: the line reaches past everything else, which
    in a narrow box costs a lying body about a tenth of its printed size."""
    from ._model import Floor, Mat

    if not any(isinstance(prop, Mat) for prop in figure.props):
        return figure
    return figure.model_copy(update={"props": [prop for prop in figure.props if not isinstance(prop, Floor)]})


def plugin_flowable(params: str) -> Flowable:
    """``params`` is JSON: {"figure": {...}, "width": pt, "height": pt, "style": "line", "mirror": false,
    "shrink": false, "labels": ["Start", "Finish"], "label_size": 12, "single": false}; with "shrink", width and height
    are the most it may take, and it takes only what it needs; "labels" name a panelled figure's panels in the sheet's
    language, printed at "label_size" points (the sheet's body size); "single" draws a panelled figure as one
    picture (its overlay, or its finish when it has no motion arrow); "tight" leaves out a floor line under a mat.

    Each call gets a flowable of its own (layout sets per-use state on flowables); the operators are shared.
    """
    recorded = _recorded(params)
    return RecordedFigure(recorded.width, recorded.height, recorded._operators, recorded._labels, recorded._font)
