"""Tests for worksheet.figures: pose geometry, both renderers, the RML plug-in and the seed poses."""

from __future__ import annotations

import io
import json
import math
import re
import tomllib
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PIL import Image
from pydantic import ValidationError
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing

from worksheet.figures import Figure, contact_sheet, figure_drawing, figure_image, fitted_size, plugin_flowable
from worksheet.figures._geometry import arc_points, norm, sub
from worksheet.figures._pose import solve
from worksheet.figures._scene import build_scene, panel_scenes
from worksheet.figures._skeleton import FOREARM, SEGMENTS, SEGMENTS_BY_NAME, SHIN, THIGH, UPPER_ARM

EXERCISES_DIR = Path(__file__).resolve().parents[1] / "assets" / "exercises"
SEED_IDS = [
    "bridge",
    "single-knee-to-chest",
    "supine-trunk-rotation",
    "lower-back-stretch-leg-crossover",
    "isometric-hip-adduction",
    "isometric-hip-abduction",
    "prone-props",
]
STYLES = ["line", "tint"]


def load_seed(exercise_id: str) -> Figure:
    return Figure.model_validate(tomllib.loads((EXERCISES_DIR / f"{exercise_id}.toml").read_text())["figure"])


@pytest.fixture(scope="module")
def seeds() -> dict[str, Figure]:
    return {exercise_id: load_seed(exercise_id) for exercise_id in SEED_IDS}


def lowest(pose, segment_name: str) -> float:
    return min(center[1] - radius for center, radius in pose.spheres(SEGMENTS_BY_NAME[segment_name]))


# --- geometry ---------------------------------------------------------------------------------




def test_bridge_feet_stay_planted_and_flat_while_the_hips_lift(seeds: dict[str, Figure]) -> None:
    start, end = (solve(k) for k in seeds["bridge"].keyframes)
    for pose in (start, end):
        assert lowest(pose, "chest") == pytest.approx(0.0, abs=0.5)  # shoulders on the floor
        heel, toes = pose.landmark("right_heel"), pose.landmark("right_toes")
        assert lowest(pose, "right_foot") == pytest.approx(0.0, abs=0.5)
        assert abs(heel[1] - toes[1]) < 1.5  # foot flat
    assert start.landmark("right_ankle")[0] == pytest.approx(end.landmark("right_ankle")[0], abs=1.0)
    assert end.landmark("pelvis")[1] > start.landmark("pelvis")[1] + 15
    # End position: shoulder, hip and knee in a straight line.
    shoulder, hip, knee = (end.landmark(n) for n in ("right_shoulder", "right_hip", "right_knee"))
    trunk_angle = math.atan2(hip[1] - shoulder[1], hip[0] - shoulder[0])
    thigh_angle = math.atan2(knee[1] - hip[1], knee[0] - hip[0])
    assert math.degrees(abs(trunk_angle - thigh_angle)) < 8


def test_knee_to_chest_hands_hold_the_knee(seeds: dict[str, Figure]) -> None:
    end = solve(seeds["single-knee-to-chest"].keyframes[-1])
    for side in ("right", "left"):
        assert norm(sub(end.landmark(f"{side}_hand"), end.landmark("right_knee"))) < 1.0
    assert end.landmark("right_knee")[1] > end.landmark("left_knee")[1]  # pulled up towards the chest


def test_prone_props_hips_down_chest_up(seeds: dict[str, Figure]) -> None:
    end = solve(seeds["prone-props"].keyframes[-1])
    assert lowest(end, "pelvis") < 1.0
    assert lowest(end, "right_forearm") < 1.0
    assert end.landmark("neck")[1] > 30
    assert end.landmark("head")[0] > end.landmark("pelvis")[0]  # face down: head on the right


def _assert_mirror_images(plain, mirrored) -> None:
    assert len(plain.layers) == len(mirrored.layers)
    for a, b in zip(plain.layers, mirrored.layers):
        assert a.role == b.role
        flipped = [c for x, y in a.points() for c in (-x, y)]
        assert flipped == pytest.approx([c for point in b.points() for c in point])


def test_supine_head_is_on_the_left_unless_mirrored() -> None:
    figure = load_seed("supine-march")  # an overlay: panels keep a label column on the left, mirrored or not

    def column_of_darkest_mass(image: Image.Image) -> float:
        grey = image.convert("L")
        w, h = grey.size
        dark = [x for x in range(w) for y in range(h) if grey.getpixel((x, y)) < 128]
        return sum(dark) / len(dark)

    pose = solve(figure.keyframes[-1])
    assert pose.landmark("head")[0] < pose.landmark("pelvis")[0]
    plain = figure_image(figure, 200, 120)
    flipped = figure_image(figure, 200, 120, mirror=True)
    assert plain.transpose(Image.Transpose.FLIP_LEFT_RIGHT).tobytes() != plain.tobytes()
    assert column_of_darkest_mass(plain) + column_of_darkest_mass(flipped) == pytest.approx(199, abs=4)


def test_arc_runs_from_start_to_end_and_bulges_left_for_positive_bend() -> None:
    path = arc_points((0.0, 0.0), (10.0, 0.0), 60)
    assert path[0] == pytest.approx((0.0, 0.0))
    assert path[-1] == pytest.approx((10.0, 0.0))
    assert max(y for _, y in path) > 1.0
    assert max(y for _, y in arc_points((0.0, 0.0), (10.0, 0.0), -60)) == pytest.approx(0.0, abs=1e-9)


# --- the box: vector drawing and PNG ----------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("exercise_id", SEED_IDS)
def test_drawing_fits_inside_its_box(seeds: dict[str, Figure], exercise_id: str, style: str) -> None:
    for width, height in ((240.0, 150.0), (120.0, 200.0)):
        drawing = figure_drawing(seeds[exercise_id], width, height, style=style)
        assert (drawing.width, drawing.height) == (width, height)
        x0, y0, x1, y1 = drawing.getBounds()
        assert 0 <= x0 and 0 <= y0 and x1 <= width and y1 <= height
        # Scaled to fit: the figure fills the box in at least one direction.
        assert max((x1 - x0) / width, (y1 - y0) / height) > 0.85


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("exercise_id", SEED_IDS)
def test_png_is_drawn_inside_the_frame(seeds: dict[str, Figure], exercise_id: str, style: str) -> None:
    image = figure_image(seeds[exercise_id], 180, 120, style=style)
    assert image.size == (180, 120) and image.mode == "RGB"
    grey = image.convert("L")
    bbox = Image.eval(grey, lambda v: 255 - v).getbbox()
    assert bbox is not None, "blank image"
    x0, y0, x1, y1 = bbox
    assert x0 >= 1 and y0 >= 1 and x1 <= 179 and y1 <= 119  # nothing touches or crosses the edge
    inked = sum(1 for v in grey.get_flattened_data() if v < 160)
    assert inked > 300  # outlines are really there


@pytest.mark.parametrize("exercise_id", SEED_IDS)
def test_line_style_png_uses_only_greys(seeds: dict[str, Figure], exercise_id: str) -> None:
    image = figure_image(seeds[exercise_id], 150, 100, style="line")
    assert all(r == g == b for r, g, b in image.get_flattened_data())


def test_tint_style_has_colour_and_an_overlay_has_every_layer_role(seeds: dict[str, Figure]) -> None:
    tinted = figure_image(seeds["bridge"], 150, 100, style="tint")
    assert any(not (r == g == b) for r, g, b in tinted.get_flattened_data())
    scene = build_scene(load_seed("supine-march"))
    assert {layer.role for layer in scene.layers} >= {"ghost", "near", "far", "arrow", "floor", "prop"}


@pytest.mark.parametrize("style", ["line", "tint"])
def test_the_ghosted_start_is_lighter_than_the_finish(seeds: dict[str, Figure], style: str) -> None:
    """The start pose is drawn lighter than the finish, so the eye reads the solid figure as where to end up."""
    from worksheet.figures._style import get_style

    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    chosen = get_style(style)
    assert lightness(chosen.inks["ghost"].color) > lightness(chosen.inks["near"].color) + 60
    assert chosen.inks["ghost"].width < chosen.inks["near"].width
    # An overlay draws its start in that ghost ink, under the finish in the near ink.
    roles = [layer.role for layer in build_scene(load_seed("supine-march")).layers]
    assert "ghost" in roles and "near" in roles and roles.index("ghost") < roles.index("near")


def test_rendering_is_deterministic(seeds: dict[str, Figure], tmp_path: Path) -> None:
    """The same pose draws the same pixels and the same vector content in another process (no cache shared)."""
    import subprocess
    import sys

    figure = seeds["supine-trunk-rotation"]
    (tmp_path / "figure.json").write_text(figure.model_dump_json())
    script = (
        "import sys, pathlib; from reportlab.graphics import renderPDF\n"
        "from worksheet.figures import Figure, figure_drawing, figure_image\n"
        "folder = pathlib.Path(sys.argv[1])\n"
        "figure = Figure.model_validate_json((folder / 'figure.json').read_text())\n"
        "(folder / 'image.raw').write_bytes(figure_image(figure, 160, 110).tobytes())\n"
        "(folder / 'drawing.pdf').write_bytes(renderPDF.drawToString(figure_drawing(figure, 200, 120)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "image.raw").read_bytes() == figure_image(figure, 160, 110).tobytes()
    other = (tmp_path / "drawing.pdf").read_bytes()
    assert _page_content(other) == _page_content(renderPDF.drawToString(figure_drawing(figure, 200, 120)))


def test_drawing_and_image_agree(seeds: dict[str, Figure]) -> None:
    """The vector drawing rasterised by PDFium matches the Pillow image: same geometry, two backends."""
    pdfium = pytest.importorskip("pypdfium2")
    figure = seeds["bridge"]
    pdf = renderPDF.drawToString(figure_drawing(figure, 300, 180))
    raster = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L").resize((300, 180))
    png = figure_image(figure, 300, 180).convert("L")
    ink_pdf = Image.eval(raster, lambda v: 255 if v < 160 else 0)
    ink_png = Image.eval(png, lambda v: 255 if v < 160 else 0)
    assert ink_pdf.getbbox() == pytest.approx(ink_png.getbbox(), abs=2)
    both = sum(1 for p, q in zip(ink_pdf.get_flattened_data(), ink_png.get_flattened_data()) if p and q)
    either = sum(1 for p, q in zip(ink_pdf.get_flattened_data(), ink_png.get_flattened_data()) if p or q)
    assert both / either > 0.6


# --- PDF output ------------------------------------------------------------------------------


def _page_content(pdf: bytes) -> bytes:
    return PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()


def _assert_vector_only(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        assert not any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects)
    content = _page_content(pdf)
    ops = content.split()
    assert ops.count(b"m") > 50 and ops.count(b"l") > 300  # many path segments (outlines are simplified)
    assert b"f" in ops or b"f*" in ops  # filled paths
    assert b"S" in ops  # stroked paths
    assert b"Do" not in ops and b"BI" not in ops  # no images, inline or external


@pytest.mark.parametrize("style", STYLES)
def test_drawing_renders_to_pdf_as_vector_paths(seeds: dict[str, Figure], style: str) -> None:
    _assert_vector_only(renderPDF.drawToString(figure_drawing(seeds["single-knee-to-chest"], 240, 150, style=style)))


def test_plugin_flowable_renders_through_z3c_rml(seeds: dict[str, Figure]) -> None:
    from z3c.rml import rml2pdf

    params = json.dumps({"figure": seeds["bridge"].model_dump(mode="json"), "width": 220, "height": 140,
                         "style": "line", "mirror": True})
    flowable = plugin_flowable(params)
    assert flowable.wrap(500, 500)[0] <= json.loads(params)["width"] + 0.01 and flowable.wrap(500, 500)[1] > 0
    rml = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE document SYSTEM "rml.dtd">
<document filename="figure.pdf">
  <template><pageTemplate id="main"><frame id="f" x1="36" y1="36" width="400" height="600"/></pageTemplate></template>
  <story>
    <para>Bridge</para>
    <plugInFlowable module="worksheet.figures.rml_plugin" function="plugin_flowable">{escape(params, {'"': "&quot;"})}</plugInFlowable>
  </story>
</document>"""
    pdf = rml2pdf.parseString(rml).getvalue()
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    _assert_vector_only(pdf)


# --- the model -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"keyframes": []},
        {"keyframes": [{}], "colour": "red"},
        {"keyframes": [{"joints": {"elbows": 30}}]},
        {"keyframes": [{"joints": {"knee": {"flex": 400}}}]},
        {"keyframes": [{"anchor": "belly"}]},
        {"keyframes": [{}], "props": [{"type": "trampoline"}]},
        {"keyframes": [{}], "props": [{"type": "ball"}]},  # needs `at`
        {"keyframes": [{}], "props": [{"type": "belt", "around": ["tail"]}]},
        {"view": "isometric", "keyframes": [{}]},
        {"keyframes": [{}], "arrow": {"landmark": "knees", "bend": 200}},
    ],
)
def test_invalid_figures_raise_validation_errors(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Figure.model_validate(bad)


def test_unsided_joint_sets_both_sides_and_sided_overrides() -> None:
    pose = solve(Figure.model_validate({"keyframes": [{"joints": {"knee": 90, "left_knee": 0}}]}).keyframes[0])
    right_drop = pose.landmark("right_knee")[1] - pose.landmark("right_ankle")[1]
    left_drop = pose.landmark("left_knee")[1] - pose.landmark("left_ankle")[1]
    assert right_drop == pytest.approx(0.0, abs=1e-6)  # shin horizontal
    assert left_drop == pytest.approx(SEGMENTS_BY_NAME["left_shin"].tip[1] * -1, abs=1e-6)


def test_contact_sheet_is_a_labelled_grid(seeds: dict[str, Figure]) -> None:
    items = [(exercise_id, seeds[exercise_id]) for exercise_id in SEED_IDS[:4]]
    sheet = contact_sheet(items, columns=3, cell_px=(200, 150))
    assert sheet.size == (600, 300)
    empty_cell = sheet.crop((410, 160, 590, 290)).convert("L")
    assert empty_cell.getextrema() == (255, 255)
    label_band = sheet.crop((10, 2, 190, 20)).convert("L")
    assert label_band.getextrema()[0] < 100  # text was drawn


@pytest.mark.parametrize("style", STYLES)
def test_a_short_move_gets_an_arrow_long_enough_to_read_its_direction(style: str) -> None:
    # The head barely moves between keyframes (this once crashed the PNG renderer, then drew no arrow at all).
    figure = Figure.model_validate({
        "view": "side",
        "keyframes": [{"trunk": 90, "joints": {"neck": 0}}, {"trunk": 90, "joints": {"neck": 3}}],
        "arrow": {"landmark": "head", "shorten": 0.3},
    })  # fmt: skip
    (arrow,) = [layer for layer in build_scene(figure).layers if layer.role == "arrow"]
    (head,) = arrow.patches
    (shaft,) = arrow.lines
    tip = head.points[0]
    assert math.dist(shaft[0], tip) >= 15  # _MIN_ARROW: 16 cm, less the round cap
    start, end = (solve(k).landmark("head") for k in figure.keyframes)
    assert (tip[0] - shaft[0][0]) * (end[0] - start[0]) > 0  # points the way the head moves
    assert figure_image(figure, 200, 150, style=style).getbbox() is not None
    assert isinstance(figure_drawing(figure, 200, 150, style=style), Drawing)


def test_a_landmark_that_does_not_move_draws_no_arrow_and_does_not_crash() -> None:
    figure = Figure.model_validate({
        "keyframes": [{"joints": {"shoulder": 0}}, {"joints": {"shoulder": 40}}], "arrow": {"landmark": "head"},
    })  # fmt: skip
    assert all(layer.role != "arrow" for layer in build_scene(figure).layers)
    assert figure_image(figure, 120, 120).getbbox() is not None


# --- every figure: motion cues, panels, crops ---------------------------------------------------

ALL_IDS = sorted(path.stem for path in EXERCISES_DIR.glob("*.toml") if "figure" in tomllib.loads(path.read_text()))
_DATA = {exercise_id: tomllib.loads((EXERCISES_DIR / f"{exercise_id}.toml").read_text()) for exercise_id in ALL_IDS}
FIGURES = {exercise_id: Figure.model_validate(data["figure"]) for exercise_id, data in _DATA.items()}
MOVING_IDS = [i for i, f in FIGURES.items() if len(f.keyframes) > 1 and f.keyframes[0] != f.keyframes[-1]]
CUED_IDS = [i for i, f in FIGURES.items() if f.motion_arrows or f.push_cues]
PANEL_IDS = [i for i, f in FIGURES.items() if f.show == "panels"]
ARROW_TINT = (0x1F, 0x3F, 0x66)  # the tint style's cue colour, used by nothing else


def test_every_bundled_exercise_has_a_figure_and_most_move() -> None:
    assert len(ALL_IDS) == len(list(EXERCISES_DIR.glob("*.toml")))
    assert len(MOVING_IDS) > 30 and len(PANEL_IDS) >= 3


@pytest.mark.parametrize("exercise_id", MOVING_IDS)
def test_every_figure_whose_poses_differ_shows_the_motion(exercise_id: str) -> None:
    figure = FIGURES[exercise_id]
    assert figure.show == "panels" or figure.motion_arrows
    if figure.show == "overlay":  # the arrow really is drawn: the landmark moves in this view
        assert any(layer.role == "arrow" and layer.patches for layer in build_scene(figure).layers)


def test_a_figure_whose_poses_differ_with_nothing_to_show_the_motion_is_refused() -> None:
    with pytest.raises(ValidationError, match="nothing shows the motion: add an arrow"):
        Figure.model_validate({"keyframes": [{"joints": {"knee": 0}}, {"joints": {"knee": 40}}]})
    with pytest.raises(ValidationError, match="panels' needs a start and a finish"):
        Figure.model_validate({"keyframes": [{}], "show": "panels"})


@pytest.mark.parametrize("exercise_id", [i for i in ALL_IDS if _DATA[i]["kind"] == "isometric" and i not in MOVING_IDS])
def test_every_isometric_hold_shows_which_way_to_push(exercise_id: str) -> None:
    assert FIGURES[exercise_id].push_cues


@pytest.mark.parametrize("exercise_id", CUED_IDS)
def test_the_cue_is_drawn_as_paths_in_the_pdf_and_pixels_in_the_png(exercise_id: str) -> None:
    figure = FIGURES[exercise_id]
    content = _page_content(renderPDF.drawToString(figure_drawing(figure, 240, 110, style="tint")))
    assert b".121569 .247059 .4 rg" in content  # a filled arrow head
    assert b".121569 .247059 .4 RG" in content  # a stroked shaft
    width, height = fitted_size(figure, 240, 110, style="tint")
    image = figure_image(figure, round(2 * width), round(2 * height), style="tint")  # 144 dpi at card size
    assert _pixels_near(image, ARROW_TINT) > 25


def _pixels_near(image: Image.Image, colour: tuple[int, int, int], within: int = 24) -> int:
    """How many pixels are within `within` of `colour` in every channel (Pillow's C loops, not Python's)."""
    from PIL import ImageChops

    difference = ImageChops.difference(image, Image.new("RGB", image.size, colour))
    channels = [band.point(lambda v: 255 if v < within else 0) for band in difference.split()]
    return ImageChops.multiply(ImageChops.multiply(channels[0], channels[1]), channels[2]).histogram()[255]


@pytest.mark.parametrize("kind", ["press", "squeeze", "spread"])
def test_push_cues_point_the_way_their_pattern_says(kind: str) -> None:
    figure = Figure.model_validate({
        "keyframes": [{}], "cues": [{"type": "push", "at": [0, 100, 0], "direction": 0, "pattern": kind, "gap": 5}],
    })  # fmt: skip
    (layer,) = [layer for layer in build_scene(figure).layers if layer.role == "arrow"]
    tips = sorted(patch.points[0][0] for patch in layer.patches)  # an arrow head's first point is its tip
    expected = {"press": [-5.0], "squeeze": [-5.0, 5.0], "spread": [-21.0, 21.0]}[kind]
    assert tips == pytest.approx(expected)
    bars = [line for line in layer.lines if len(line) == 2 and line[0][0] == pytest.approx(0) == line[1][0]]
    assert bool(bars) == (kind == "press")  # the contact mark: a bar across the push at `at`
    mirrored = [layer for layer in build_scene(figure, mirror=True).layers if layer.role == "arrow"][0]
    assert sorted(-patch.points[0][0] for patch in mirrored.patches) == pytest.approx(sorted(expected))


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_every_figure_keeps_its_segments_and_joints(exercise_id: str) -> None:
    for keyframe in FIGURES[exercise_id].keyframes:
        pose = solve(keyframe)
        for segment in SEGMENTS:
            length = norm(sub(pose.point(segment.name, segment.tip), pose.point(segment.name, (0.0, 0.0, 0.0))))
            assert length == pytest.approx(norm(segment.tip), abs=1e-6), segment.name
            if segment.parent is None:
                continue
            # Where the parent says the joint is must be where the child starts.
            child_start = pose.point(segment.name, (0.0, 0.0, 0.0))
            assert norm(sub(child_start, pose.point(segment.parent, segment.attach))) == pytest.approx(0.0, abs=1e-6)
            parent_tip = SEGMENTS_BY_NAME[segment.parent].tip
            if segment.attach == parent_tip:  # chains: upper arm -> forearm -> hand, thigh -> shin -> foot
                assert norm(sub(child_start, pose.point(segment.parent, parent_tip))) == pytest.approx(0.0, abs=1e-6)
        for side in ("right", "left"):  # also true for arms placed by `reach`
            assert norm(sub(pose.landmark(f"{side}_elbow"), pose.landmark(f"{side}_shoulder"))) == pytest.approx(UPPER_ARM)
            assert norm(sub(pose.landmark(f"{side}_wrist"), pose.landmark(f"{side}_elbow"))) == pytest.approx(FOREARM)


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_every_figure_mirrors_and_fills_its_box(exercise_id: str) -> None:
    figure = FIGURES[exercise_id]
    if figure.show == "panels":
        for plain, mirrored in zip(panel_scenes(figure), panel_scenes(figure, mirror=True)):
            _assert_mirror_images(plain, mirrored)
    else:
        _assert_mirror_images(build_scene(figure), build_scene(figure, mirror=True))
    width, height = fitted_size(figure, 240, 110)
    drawing = figure_drawing(figure, width, height)
    x0, y0, x1, y1 = drawing.getBounds()
    assert -0.01 <= x0 and -0.01 <= y0 and x1 <= width + 0.01 and y1 <= height + 0.01
    # Cropped to the drawing: it reaches both ends of the box one way and at least ~90 % of it the other.
    assert min((x1 - x0) / width, (y1 - y0) / height) > 0.85


def test_panels_sit_side_by_side_on_one_scale_start_first_even_mirrored() -> None:
    figure = FIGURES["bridge"]
    start, finish = panel_scenes(figure)
    scene = build_scene(figure)
    for mirror in (False, True):
        scene = build_scene(figure, mirror=mirror)
        assert len(scene.labels) == 2 and scene.labels[0] < scene.labels[1]
        (rule,) = [layer for layer in scene.layers if layer.role == "divider"]
        assert scene.labels[0] < rule.lines[0][0][0] < scene.labels[1]
    # Same size: each panel is as wide as its pose alone (one scale), and no ghost in either.
    width = (start.bounds[2] - start.bounds[0]) + (finish.bounds[2] - finish.bounds[0])
    assert scene.bounds[2] - scene.bounds[0] == pytest.approx(width + 16.0 + 0, rel=0.15)
    assert all(layer.role != "ghost" for layer in scene.layers)


@pytest.mark.parametrize(("exercise_id", "side"), [("bridge", "left"), ("doorway-pec-stretch", "top")])
def test_panels_take_the_arrangement_that_prints_larger_with_labels_beside_or_above(exercise_id: str, side: str) -> None:
    from worksheet.figures._fit import fit_scale
    from worksheet.figures._render import scene_for_box
    from worksheet.figures._style import LINE

    figure = FIGURES[exercise_id]
    chosen = scene_for_box(figure, False, "line", 240, 110)  # a card's picture box
    assert chosen.label_side == side
    other = build_scene(figure, stacked=side == "top")
    assert fit_scale(chosen, LINE, 240, 110) >= fit_scale(other, LINE, 240, 110)
    # The choice holds in the box shrunk to the drawing, so fitted size and drawing agree.
    assert scene_for_box(figure, False, "line", *fitted_size(figure, 240, 110)).label_side == side
    width, height = (round(2 * length) for length in fitted_size(figure, 240, 110))
    plain = figure_image(figure, width, height, label_size=24)  # 12 pt at 2 px a point
    unlabelled = figure_image(figure, width, height, labels=("", ""), label_size=24)
    band = (0, 0, 40, height) if side == "left" else (0, 0, width, 34)
    assert plain.crop(band).convert("L").getextrema()[0] < 100
    assert unlabelled.crop(band).convert("L").getextrema() == (255, 255)


def test_a_cropped_figure_shows_nothing_below_its_crop_line() -> None:
    figure = FIGURES["neck-isometrics"]
    assert figure.crop_below is not None
    end = solve(figure.keyframes[-1])
    level = end.landmark(figure.crop_below)[1] - figure.crop_margin
    points = [p for layer in build_scene(figure).layers for p in layer.points()]
    assert min(y for _, y in points) == pytest.approx(level, abs=1e-6)
    assert max(y for _, y in points) > end.landmark("head")[1]  # the head is in


def test_a_face_seen_from_the_front_has_eyes() -> None:
    front = Figure.model_validate({"view": "front", "keyframes": [{}]})
    back = Figure.model_validate({"view": "front", "keyframes": [{"roll": 180}]})
    def rings(figure: Figure) -> int:
        return sum(len(layer.lines) for layer in build_scene(figure).layers if layer.role == "near")
    assert rings(front) == 2 and rings(back) == 0


@pytest.mark.parametrize(
    ("layout", "lang", "start", "finish", "size"),
    [("cards", "en", "Start", "Finish", 12), ("cards", "es", "Inicio", "Final", 12),
     ("list", "es", "Inicio", "Final", 12), ("large-print", "en", "Start", "Finish", 16)],
)  # fmt: skip
def test_panel_labels_print_as_text_in_the_sheets_language_at_its_body_size(
    library, layout: str, lang: str, start: str, finish: str, size: float
) -> None:
    import pypdfium2 as pdfium
    from page_rules import read_pdf

    from helpers import make_spec
    from worksheet import build

    pdf = build(make_spec(library, only=["bridge"], lang=lang, layout=layout))
    # The card's page (the cards layout may give page 1 to the header and weekly log).
    number, page = next((number, page) for number, page in enumerate(pdfium.PdfDocument(pdf))
                        if finish in page.get_textpage().get_text_range())
    text = page.get_textpage()
    words = text.get_text_range()
    # In reading order: Start left of Finish on one line, or (stacked, as a lying body is in a card) above it
    # at the same left edge (give or take the glyphs' side bearings). The words stand alone: not 'Start: 26 November'.
    (fx, fy, _, _), *_ = (text.get_charbox(index) for index in _alone(words, finish))
    starts = [text.get_charbox(index) for index in _alone(words, start)]
    assert any((sx < fx and sy == pytest.approx(fy, abs=0.5)) or (sy > fy + 20 and sx == pytest.approx(fx, abs=0.06 * size))
               for sx, sy, _, _ in starts)
    # Body text, not a caption: as large as the steps beside it (12 pt; 16 in large print).
    runs = read_pdf(pdf, layout).pages[number].runs
    labels = [run for run in runs if run.text.strip() in (start, finish)]
    assert {run.text.strip() for run in labels} == {start, finish}
    assert all(run.size == pytest.approx(size, abs=0.01) for run in labels), [(run.text, run.size) for run in labels]


def test_panel_labels_keep_their_size_and_stay_apart_in_any_box() -> None:
    """A narrow standing body in a small box: the words do not shrink; the panels move apart (or stack, or the
    overlay is drawn) so that the words neither collide nor leave the box."""
    from worksheet.figures._fit import PanelText, fit
    from worksheet.figures._render import scene_for_box
    from worksheet.figures._style import LINE

    figure = FIGURES["doorway-pec-stretch"]
    for box in [(240, 110), (164, 110), (368, 170), (120, 90), (54, 58)]:
        for words in [("Start", "Finish"), ("Inicio", "Final")]:
            text = PanelText(words, 12.0)
            scene = scene_for_box(figure, False, "line", *box, text)
            if not scene.labels:
                continue  # the overlay, with its arrow
            placement = fit(scene, LINE, *box, text)
            assert placement.label_size == 12.0
            assert placement.label_shortfall(scene) <= 0.01, box
            for (x, _), width in zip(placement.labels(scene), text.widths):
                left = x if scene.label_side == "left" else x - width / 2
                assert -0.01 <= left and left + width <= box[0] + 0.01, (box, words)


def _alone(text: str, word: str) -> list[int]:
    """Where `word` stands alone in the page text."""
    found = [match.start() for match in re.finditer(rf"(?<!\w){re.escape(word)}(?![\w:])", text)]
    assert found, f"{word!r} is not on the page"
    return found


@pytest.mark.parametrize("exercise_id", PANEL_IDS)
@pytest.mark.parametrize("words", [("Start", "Finish"), ("Inicio", "Final")], ids=["en", "es"])
def test_every_panelled_figure_prints_both_words_at_12_pt_in_a_card(exercise_id: str, words: tuple[str, str]) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    figure = FIGURES[exercise_id]
    width, height = fitted_size(figure, 240, 110, labels=words)
    document = pdfium.PdfDocument(renderPDF.drawToString(figure_drawing(figure, width, height, labels=words)))
    page = document[0]
    textpage = page.get_textpage()
    printed = {obj.extract().strip(): obj.get_font_size() for obj in
               page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], textpage=textpage)}
    assert printed == {words[0]: 12.0, words[1]: 12.0}


@pytest.mark.parametrize(("exercise_id", "shown"), [("bridge", "overlay"), ("pelvic-tilt", "finish"),
                                                    ("doorway-pec-stretch", "overlay")])
def test_a_box_too_small_for_two_panels_shows_one_picture_with_its_cue(exercise_id: str, shown: str) -> None:
    """compact's picture box: no room for two panels and 12 pt words, so one picture: the overlay (ghosted start
    under the finish, with the motion arrow), or for a figure without an arrow the finish alone with its cues."""
    from worksheet.figures._render import scene_for_box

    figure = FIGURES[exercise_id]
    assert figure.show == "panels"
    scene = scene_for_box(figure, False, "line", 54, 58)
    roles = {layer.role for layer in scene.layers}
    assert not scene.labels and "divider" not in roles and "arrow" in roles
    assert ("ghost" in roles) == (shown == "overlay")
    # In a card the same figure prints as labelled panels.
    assert scene_for_box(figure, False, "line", 240, 110).labels


def test_panels_that_would_print_as_specks_give_way_to_the_one_larger_picture_in_pdf_and_png_alike() -> None:
    """A standing doorway stretch as two stacked panels in an 80 x 58 pt box prints each pose under half an inch
    tall; the overlay prints larger, so it is drawn, and a PNG at 2 px a point (words at 24 px) chooses the same."""
    from worksheet.figures._fit import fit_scale
    from worksheet.figures._render import panel_text, scene_for_box
    from worksheet.figures._style import LINE

    figure = FIGURES["doorway-pec-stretch"]
    scene = scene_for_box(figure, False, "line", 80, 58)
    assert not scene.labels and {"ghost", "arrow"} <= {layer.role for layer in scene.layers}
    assert not scene_for_box(figure, False, "line", 160, 116, panel_text(None, 24)).labels
    stacked = build_scene(figure, stacked=True)
    x0, y0, x1, y1 = panel_scenes(figure)[0].bounds
    assert fit_scale(stacked, LINE, 80, 58) * max(x1 - x0, y1 - y0) < 40  # the speck it replaces
    # A card keeps the labelled panels, and so does its PNG.
    assert scene_for_box(figure, False, "line", 266, 110).labels
    assert scene_for_box(figure, False, "line", 532, 220, panel_text(None, 24)).labels


@pytest.mark.parametrize(("exercise_id", "shown"), [("bridge", "overlay"), ("pelvic-tilt", "finish")])
def test_single_asks_for_one_picture_in_a_box_that_would_take_panels(exercise_id: str, shown: str) -> None:
    """compact's cell is wide but low (262 x 64 pt): two panels would fit, each body about half as tall as the
    box, so the layout asks for one picture ("single"): the same one a too-small box gets, drawn larger, and
    without the panel words."""
    from worksheet.figures._render import scene_for_box

    figure = FIGURES[exercise_id]
    assert scene_for_box(figure, False, "line", 262, 64).labels  # left to itself: panels
    one = scene_for_box(figure, False, "line", 262, 64, single=True)
    roles = {layer.role for layer in one.layers}
    assert not one.labels and "divider" not in roles and "arrow" in roles and ("ghost" in roles) == (shown == "overlay")
    flowable = plugin_flowable(json.dumps({"figure": figure.model_dump(mode="json", exclude_defaults=True), "width": 262,
                                           "height": 64, "shrink": True, "single": True, "labels": ["Inicio", "Final"]}))
    assert flowable._labels == () and flowable.height > 60


def test_tight_leaves_out_the_floor_line_under_a_mat_and_prints_a_lying_body_larger() -> None:
    """The floor line reaches 10 cm past the body and mat; in a narrow box it costs a lying body a tenth of its
    height. "tight" drops it where a mat is the ground, and only there (a standing figure keeps its floor)."""
    from worksheet.figures.rml_plugin import tight

    heel_slide = FIGURES["heel-slide"]
    assert any(prop.type == "floor" for prop in heel_slide.props) and any(prop.type == "mat" for prop in heel_slide.props)
    assert [prop.type for prop in tight(heel_slide).props] == [p.type for p in heel_slide.props if p.type != "floor"]
    wall_sit = FIGURES["wall-sit"]
    assert tight(wall_sit) == wall_sit
    params = {"figure": heel_slide.model_dump(mode="json", exclude_defaults=True), "width": 230, "height": 64, "shrink": True}
    loose, close = (plugin_flowable(json.dumps({**params, "tight": flag})) for flag in (False, True))
    assert close.height >= 1.05 * loose.height


def test_the_pelvic_tilt_shows_the_low_back_flattening() -> None:
    """Steps: notice the gap under the low back, then press it flat: the start's waist is off the floor, the
    finish's lower, and the press cue points down at the low back."""
    figure = FIGURES["pelvic-tilt"]
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    assert start.landmark("waist")[1] > finish.landmark("waist")[1] + 4
    (cue,) = figure.push_cues
    assert cue.direction == -90 and cue.pattern == "press"


def test_the_leg_crossover_knees_fall_to_the_side_of_the_top_legs_hip() -> None:
    """Steps 2-4: both knees bent, one leg crossed over, both knees fall toward the top leg's hip side."""
    figure = FIGURES["lower-back-stretch-leg-crossover"]
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    joints = figure.keyframes[0].joints
    top = next(side for side in ("right", "left") if getattr(joints.get(f"{side}_hip"), "abduct", 0) < 0)
    bottom = "left" if top == "right" else "right"
    for pose in (start, finish):  # both knees bent: each ankle far nearer its hip than a straight leg's
        for side in ("right", "left"):
            assert norm(sub(pose.landmark(f"{side}_ankle"), pose.landmark(f"{side}_hip"))) < 0.75 * (THIGH + SHIN)
    top_side = start.landmark(f"{top}_hip")[2] - start.landmark(f"{bottom}_hip")[2]  # z of the top leg's hip side
    knees_move = finish.landmark("knees")[2] - start.landmark("knees")[2]
    assert knees_move * top_side > 0 and abs(knees_move) > 15


def test_a_turned_camera_is_a_rigid_view_that_swings_towards_the_end_it_names() -> None:
    from worksheet.figures._geometry import dot
    from worksheet.figures._view import View

    assert View("side", 20, 0).project((3.0, 4.0, 5.0)) == View("side", 20).project((3.0, 4.0, 5.0))
    turned = View("side", 25, 40)
    axes = [turned._right, turned._up, turned.toward_camera]
    for i, a in enumerate(axes):  # orthonormal: lengths and angles kept, so a figure is not sheared
        for j, b in enumerate(axes):
            assert dot(a, b) == pytest.approx(1.0 if i == j else 0.0, abs=1e-9)
    assert turned.toward_camera[0] > 0.5 and View("side", 0, -40).toward_camera[0] < -0.5  # + towards the +x end
    # Turned, the side view's depth shows: a point nearer the side-view viewer moves left in the picture.
    assert turned.project((0.0, 0.0, 10.0))[0] < turned.project((0.0, 0.0, 0.0))[0]


def test_the_knee_side_plank_rests_on_the_forearm_and_knees_with_the_shins_behind() -> None:
    """Steps 1-4: on the side, knees bent with the feet behind; propped on the elbow under the shoulder, forearm
    flat; the hips lift until knees, hips and head line up. The forearm must not be seen end-on."""
    figure = FIGURES["side-plank-from-knees"]
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    for pose in (start, finish):
        elbow, shoulder, wrist = (pose.landmark(f"left_{name}") for name in ("elbow", "shoulder", "wrist"))
        assert abs(elbow[0] - shoulder[0]) < 4 and elbow[1] < 8 and abs(wrist[1] - elbow[1]) < 2  # flat, under
        assert abs(wrist[0] - elbow[0]) > 10  # points partly along the body: seen at length, not end-on
        assert pose.landmark("left_knee")[1] < 14  # the knee is down
        for side in ("right", "left"):  # shins folded back behind the body, so it is no full plank
            assert pose.landmark(f"{side}_ankle")[2] < pose.landmark(f"{side}_knee")[2] - 25
    assert finish.landmark("left_hip")[1] > start.landmark("left_hip")[1] + 8
    knee, hip, neck = (finish.landmark(name) for name in ("knees", "hips", "neck"))
    bend = math.degrees(math.atan2(neck[1] - hip[1], neck[0] - hip[0]) - math.atan2(hip[1] - knee[1], hip[0] - knee[0]))
    assert abs(bend) < 12  # knees, hips and head in a straight line
    assert figure.tilt > 0 and 0 < abs(figure.keyframes[-1].roll) <= 90  # facing the reader, the shins seen above


def test_the_figure_4_lies_on_its_back_with_the_ankle_on_the_knee_and_hands_behind_the_thigh() -> None:
    figure = FIGURES["figure-4-piriformis-stretch"]
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    for pose in (start, finish):
        assert norm(sub(pose.landmark("left_ankle"), pose.landmark("right_knee"))) < 12  # the "4"
        assert pose.landmark("head")[1] < 15 and pose.landmark("waist")[1] < 15  # lying, not sitting
    assert start.landmark("right_ankle")[1] < 10 < finish.landmark("right_ankle")[1]  # bottom foot lifted
    for hand in ("right_hand", "left_hand"):
        assert norm(sub(finish.landmark(hand), finish.landmark("right_thigh_back"))) < 4
    assert figure.show == "panels" and figure.turn != 0  # a three-quarter view shows the crossed shin


def test_thread_the_needle_reaches_under_to_the_other_side_with_the_head_down() -> None:
    figure = FIGURES["thread-the-needle"]
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    assert start.landmark("left_hand")[2] < 0 < finish.landmark("right_hand")[2] < finish.landmark("left_hand")[2]
    assert finish.landmark("left_hand")[1] < 8  # slid along the floor
    assert finish.landmark("head")[1] < start.landmark("head")[1] - 30 and finish.landmark("head")[1] < 20
    assert abs(finish.landmark("hips")[0] - finish.landmark("knees")[0]) < 8  # hips stay over the knees
    assert "left_arm" in figure.solid


def test_the_doorway_stretch_leans_through_with_the_forearms_left_on_the_frame() -> None:
    figure = FIGURES["doorway-pec-stretch"]
    (frame,) = [prop for prop in figure.props if prop.type == "door_frame"]
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    for pose in (start, finish):
        for side, sign in (("right", 1), ("left", -1)):
            hand = pose.landmark(f"{side}_hand")
            assert abs(hand[0] - frame.at[0]) < 12 and abs(sign * hand[2] - frame.width / 2) < 4  # on a jamb
            assert hand[1] > pose.landmark(f"{side}_elbow")[1] > pose.landmark(f"{side}_shoulder")[1] - 8  # goal posts
    front_of_frame = frame.at[0] + 6
    assert start.landmark("neck")[0] < front_of_frame < finish.landmark("neck")[0] - 10
    assert figure.view == "side" and figure.turn != 0  # the step and lean show; face on, they did not


def test_nose_to_armpit_turns_and_bows_the_head_where_the_side_neck_stretch_tips_it() -> None:
    levator, trapezius = FIGURES["levator-scapulae-stretch"], FIGURES["upper-trapezius-stretch"]
    start, finish = (solve(keyframe) for keyframe in (levator.keyframes[0], levator.keyframes[-1]))
    nose_drop = start.landmark("nose")[1] - finish.landmark("nose")[1]
    assert nose_drop > 6 and finish.landmark("nose")[2] < start.landmark("nose")[2] - 4  # down and to the left
    head = finish.landmark("head")
    assert norm(sub(finish.landmark("left_hand"), head)) < 14 and finish.landmark("left_hand")[0] < head[0] + 4  # behind
    (arrow,) = levator.motion_arrows
    assert arrow.landmark == "nose" and arrow.offset[1] < 0  # from the chin down, clear of the hand over the head
    tip = trapezius.keyframes[-1].joints["neck"]
    assert tip.abduct != 0 and tip.rotate == 0 and tip.flex == 0  # the other one tips sideways only
    assert (levator.view, levator.turn) != (trapezius.view, trapezius.turn)


@pytest.mark.parametrize("exercise_id", ["isometric-hip-abduction", "isometric-hip-adduction"])
def test_knee_holds_show_bent_knees_and_push_along_the_line_through_the_knees(exercise_id: str) -> None:
    """Steps: on the back, knees bent, feet flat; squeeze in (ball) or push out (belt). Seen from straight above a
    bent leg folds onto itself and reads as a straight one: the knee must stand clear of the hip-ankle line in
    the picture, and the paired arrows must run along the knees' line as the camera sees it."""
    from worksheet.figures._view import View

    figure = FIGURES[exercise_id]
    view = View(figure.view, figure.tilt, figure.turn)
    pose = solve(figure.keyframes[-1])
    for side in ("right", "left"):
        (hx, hy), (kx, ky), (ax, ay) = (view.project(pose.landmark(f"{side}_{n}")) for n in ("hip", "knee", "ankle"))
        off_line = abs((ax - hx) * (ky - hy) - (ay - hy) * (kx - hx)) / math.hypot(ax - hx, ay - hy)
        assert off_line > 15, side  # cm: the knee visibly bent in the picture
        assert pose.landmark(f"{side}_heel")[1] < 5  # foot flat on the floor
    (rx, ry), (lx, ly) = view.project(pose.landmark("right_knee")), view.project(pose.landmark("left_knee"))
    knees_line = math.degrees(math.atan2(ly - ry, lx - rx))
    (cue,) = figure.push_cues
    assert abs((cue.direction - knees_line + 90) % 180 - 90) < 12
    assert "left_leg" in figure.solid  # both legs push


@pytest.mark.parametrize("exercise_id", ["supine-trunk-rotation", "lower-back-stretch-leg-crossover"])
def test_knees_falling_to_the_side_are_seen_bent_and_seen_to_fall(exercise_id: str) -> None:
    """Steps: knees bent, feet flat, then both knees fall to one side. In the picture each knee stands clear of
    its hip-ankle line (a bent leg, not a straight one), and the knees move across the picture, not along the
    line of sight."""
    from worksheet.figures._view import View

    figure = FIGURES[exercise_id]
    view = View(figure.view, figure.tilt, figure.turn)
    start, finish = (solve(keyframe) for keyframe in (figure.keyframes[0], figure.keyframes[-1]))
    for pose in (start, finish):
        for side in ("right", "left"):
            (hx, hy), (kx, ky), (ax, ay) = (view.project(pose.landmark(f"{side}_{n}")) for n in ("hip", "knee", "ankle"))
            assert abs((ax - hx) * (ky - hy) - (ay - hy) * (kx - hx)) / math.hypot(ax - hx, ay - hy) > 12, side
    (x0, y0), (x1, y1) = view.project(start.landmark("knees")), view.project(finish.landmark("knees"))
    assert math.hypot(x1 - x0, y1 - y0) > 20
