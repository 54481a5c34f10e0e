"""Drawn exercise illustrations: a posable 2D-projected figure with props, as vector art or PNG.

A `Figure` (the `[figure]` table of an exercise file) lists keyframe poses; the last is drawn solid,
earlier ones ghosted, with an optional motion arrow.
"""

from __future__ import annotations

from ._contact_sheet import contact_sheet
from ._model import Arrow, Figure, JointAngles, Keyframe
from ._render import figure_drawing, figure_image, fitted_size
from .rml_plugin import plugin_flowable

__all__ = [
    "Arrow",
    "Figure",
    "JointAngles",
    "Keyframe",
    "contact_sheet",
    "figure_drawing",
    "figure_image",
    "fitted_size",
    "plugin_flowable",
]
