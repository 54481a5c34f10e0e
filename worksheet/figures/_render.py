"""The public renderers: one cached scene, painted as vector art or as pixels."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group

from ._draw_rl import LABEL_FONT, label_anchor, label_strings, render_group
from ._fit import ENGLISH, LABEL_SIZE, PanelText, fit, fit_scale, fitted_box
from ._layers import Scene
from ._model import Figure
from ._scene import build_scene, canonical_json, panel_scenes
from ._style import get_style

if TYPE_CHECKING:
    from PIL.Image import Image


PANEL_LABELS = ("Start", "Finish")  # English; a sheet passes its own language's words


def panel_text(labels: tuple[str, ...] | list[str] | None, size: float = LABEL_SIZE) -> PanelText:
    """The panel words to make room for: the given ones, else the English (a caller that draws its own words
    passes them here too, so the room is theirs)."""
    return PanelText(tuple(labels or PANEL_LABELS), float(size))


def figure_drawing(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False,
                   labels: tuple[str, ...] | None = PANEL_LABELS, label_size: float = LABEL_SIZE,
                   room_for: tuple[str, ...] | None = None, single: bool = False) -> Drawing:
    """Vector drawing of the figure, scaled to fit width x height points, keeping its aspect ratio.

    Panels get `labels` as text in Liberation Sans at `label_size` points (registered here if no document has
    done it); None leaves them out, for a caller that draws them itself (the RML plug-in), which names the words
    it will draw in `room_for`. `single` draws a panelled figure as one picture (see scene_for_box)."""
    text = panel_text(labels or room_for, label_size)
    drawing = Drawing(width, height)
    drawing.add(_group(canonical_json(figure), mirror, style, width, height, text, single))
    if figure.show == "panels" and labels and not single:
        register_label_font()
        scene = scene_for_box(figure, mirror, style, width, height, text)
        for string in label_strings(scene, get_style(style), width, height, text):
            drawing.add(string)
    return drawing


def panel_label_positions(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False,
                          text: PanelText = ENGLISH, single: bool = False) -> tuple[float, str, list[tuple[float, float]]]:
    """Font size, alignment ('middle' or 'start') and (x, baseline y) of each panel label in a width x height
    box; no points without panels (or when the box is too small for them and the figure shows its overlay)."""
    scene = scene_for_box(figure, mirror, style, width, height, text, single)
    placement = fit(scene, get_style(style), width, height, text)
    return placement.label_size, label_anchor(scene), placement.labels(scene)


def register_label_font() -> None:
    from reportlab.pdfbase import pdfmetrics

    from .._fonts import parsed_font

    if LABEL_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(parsed_font(LABEL_FONT))


_STACK_GAIN = 1.05  # stacked panels must print this much larger than side by side to be chosen
_OVERLAY_GAIN = 2.5  # panels give way to the overlay only when it prints this much larger: a box too small
# for two panels and their words (compact's, where it is 3-5x), not a card shrunk a little (1.2-2x)
_MIN_PANEL = 3.3  # label heights: a panel whose pose prints smaller than this (40 pt beside 12 pt words, about
# half an inch) is a speck, and the one picture is drawn instead whenever it prints larger (a standing doorway
# stretch in compact's box); in label heights so a PNG in pixels chooses as its PDF in points does
_SPECK_GAIN = 1.2


def _side_by_side(figure: Figure, mirror: bool, style: str, width: float, height: float, text: PanelText) -> Scene:
    """Panels side by side, their gap widened until the words over them clear each other (a standing body is
    narrower than "Finish" at 12 pt in a card)."""
    ink = get_style(style)
    start, finish = panel_scenes(figure, mirror)
    halves = (start.bounds[2] - start.bounds[0] + finish.bounds[2] - finish.bounds[0]) / 2
    scene = build_scene(figure, mirror)
    for _ in range(6):  # a wider gap shrinks the scale a little, which needs a little more gap; settles fast
        placement = fit(scene, ink, width, height, text)
        shortfall = placement.label_shortfall(scene)
        if shortfall <= 0.01:
            break
        gap = scene.labels[1] - scene.labels[0] - halves  # world cm between the panels now
        scene = build_scene(figure, mirror, gap=round(gap + 1.05 * shortfall / placement.scale, 2))
    return scene


def scene_for_box(figure: Figure, mirror: bool, style: str, width: float, height: float,
                  text: PanelText = ENGLISH, single: bool = False) -> Scene:
    """The scene as it fills this box: panels go side by side, or stacked when that prints them larger (a
    lying body in a wide, low card); in a box too small for two panels and their words at full size (the
    compact layout's) the overlay is drawn instead (or the finish alone, for a figure without a motion arrow). The choice is stable
    when the box is then shrunk to the drawing. `single` asks for that one picture whatever the box: a layout
    whose box is too low for two panels, their words and a body drawn large enough (compact's) says so."""
    if figure.show != "panels":
        return build_scene(figure, mirror)
    if single:
        return _single(figure, mirror)
    ink = get_style(style)
    row = _side_by_side(figure, mirror, style, width, height, text)
    stacked = build_scene(figure, mirror, stacked=True)
    row_fit, stacked_scale = fit(row, ink, width, height, text), fit_scale(stacked, ink, width, height, text)
    row_clears = row_fit.label_shortfall(row) <= 0.01
    if not row_clears or stacked_scale > _STACK_GAIN * row_fit.scale:
        panels, scale = stacked, stacked_scale
    else:
        panels, scale = row, row_fit.scale
    # Too small for two panels and their words, or each panel a speck: one picture instead.
    one = _single(figure, mirror)
    one_scale = fit_scale(one, ink, width, height)
    if one_scale > _OVERLAY_GAIN * scale:
        return one
    x0, y0, x1, y1 = panel_scenes(figure, mirror)[0].bounds
    if scale * max(x1 - x0, y1 - y0) < _MIN_PANEL * text.size and one_scale > _SPECK_GAIN * scale:
        return one
    return panels


def _single(figure: Figure, mirror: bool) -> Scene:
    """A panelled figure as one picture: the overlay with its arrow, or (no arrow to show the move) the finish
    alone with its cues, which says what to do where the start would be a speck."""
    if figure.motion_arrows:
        return build_scene(figure.model_copy(update={"show": "overlay"}), mirror)
    return panel_scenes(figure, mirror)[1]


@lru_cache(maxsize=256)
def _group(figure_json: str, mirror: bool, style: str, width: float, height: float, text: PanelText,
           single: bool = False) -> Group:
    # The shapes are only read while a page is drawn, so one group serves every sheet that shows this figure
    # at this size; each call still gets a Drawing of its own (flowables carry per-layout state).
    figure = Figure.model_validate_json(figure_json)
    scene = scene_for_box(figure, mirror, style, width, height, text, single)
    return render_group(scene, get_style(style), width, height, text)


def fitted_size(figure: Figure, max_width: float, max_height: float, style: str = "line", mirror: bool = False,
                labels: tuple[str, ...] | None = None, label_size: float = LABEL_SIZE,
                single: bool = False) -> tuple[float, float]:
    """The box figure_drawing needs to show the figure as large as fits in max_width x max_height, no larger,
    with room for its panel `labels` (English if None) at `label_size` (none when `single`)."""
    text = panel_text(labels, label_size)
    scene = scene_for_box(figure, mirror, style, max_width, max_height, text, single)
    return fitted_box(scene, get_style(style), max_width, max_height, text)


def figure_image(figure: Figure, width_px: int, height_px: int, style: str = "line", mirror: bool = False,
                 labels: tuple[str, ...] = PANEL_LABELS, label_size: float = LABEL_SIZE) -> Image:
    """The same picture as `figure_drawing`, as an RGB image on white; `label_size` in pixels."""
    from ._draw_pil import render_image

    text = panel_text(labels, label_size)
    return render_image(scene_for_box(figure, mirror, style, width_px, height_px, text), get_style(style), width_px,
                        height_px, text)
