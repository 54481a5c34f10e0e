"""The layout templates' entry point: ``<plugInFlowable module="worksheet.figures.rml_plugin"
function="plugin_flowable">PARAMS</plugInFlowable>``.

A plain module, not the package: z3c.rml imports plug-ins with ``__import__(path, {}, {}, [path])``, which
for a package looks up an attribute named like the whole dotted path and fails.
"""

from __future__ import annotations

import json

from reportlab.graphics.shapes import Drawing

from ._model import Figure
from ._render import figure_drawing, fitted_size


def plugin_flowable(params: str) -> Drawing:
    """``params`` is JSON: {"figure": {...}, "width": pt, "height": pt, "style": "line", "mirror": false,
    "shrink": false}; with "shrink", width and height are the most it may take, and it takes only what it needs.
    """
    data = json.loads(params)
    figure = Figure.model_validate(data["figure"])
    style, mirror = data.get("style", "line"), bool(data.get("mirror", False))
    width, height = float(data["width"]), float(data["height"])
    if data.get("shrink"):
        width, height = fitted_size(figure, width, height, style=style, mirror=mirror)
    return figure_drawing(figure, width, height, style=style, mirror=mirror)
