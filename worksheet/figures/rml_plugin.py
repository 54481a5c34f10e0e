"""The layout templates' entry point: ``<plugInFlowable module="worksheet.figures.rml_plugin"
function="plugin_flowable">PARAMS</plugInFlowable>``.

A plain module, not the package: z3c.rml imports plug-ins with ``__import__(path, {}, {}, [path])``, which
for a package looks up an attribute named like the whole dotted path and fails.
"""

from __future__ import annotations

import functools
import io
import json

from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from ._model import Figure
from ._render import figure_drawing, fitted_size


class RecordedFigure(Flowable):
    """A figure as the PDF drawing operators ReportLab's renderer wrote for it once in this process.

    Turning ~1,000 path points into operators cost ~2 ms a figure on every sheet; a batch draws the same
    figures thousands of times. The operators are self-contained (each sets its own colours and line widths,
    inside q/Q) and relative to the flowable's origin, which drawOn places.
    """

    def __init__(self, width: float, height: float, operators: tuple[str, ...]):
        super().__init__()
        self.width, self.height, self._operators = width, height, operators

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv._code.extend(self._operators)


@functools.lru_cache(maxsize=256)
def _recorded(params: str) -> RecordedFigure:
    data = json.loads(params)
    figure = Figure.model_validate(data["figure"])
    style, mirror = data.get("style", "line"), bool(data.get("mirror", False))
    width, height = float(data["width"]), float(data["height"])
    if data.get("shrink"):
        width, height = fitted_size(figure, width, height, style=style, mirror=mirror)
    scratch = Canvas(io.BytesIO())
    start = len(scratch._code)
    renderPDF.draw(figure_drawing(figure, width, height, style=style, mirror=mirror), scratch, 0, 0)
    return RecordedFigure(width, height, tuple(scratch._code[start:]))


def plugin_flowable(params: str) -> Flowable:
    """``params`` is JSON: {"figure": {...}, "width": pt, "height": pt, "style": "line", "mirror": false,
    "shrink": false}; with "shrink", width and height are the most it may take, and it takes only what it needs.

    Each call gets a flowable of its own (layout sets per-use state on flowables); the operators are shared.
    """
    recorded = _recorded(params)
    return RecordedFigure(recorded.width, recorded.height, recorded._operators)
