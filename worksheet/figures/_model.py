"""The `[figure]` table of an exercise file: a pose sequence, props, and the cues that show the motion.

Units: lengths in centimetres for a 170 cm adult, angles in degrees.
World axes: x to the right of the picture, y up, z towards the viewer of the side view.
The figure is seen from its right side in the side view, so `right_*` limbs are the near ones.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SIDES = ("right", "left")
SIDED_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
TRUNK_JOINTS = ("spine", "neck")
JOINT_NAMES = frozenset(
    TRUNK_JOINTS + SIDED_JOINTS + tuple(f"{side}_{joint}" for side in SIDES for joint in SIDED_JOINTS)
)

_SIDED_LANDMARKS = ("shoulder", "elbow", "wrist", "hand", "hip", "knee", "thigh_back", "ankle", "heel", "toes")
_PAIRED_LANDMARKS = ("shoulders", "elbows", "wrists", "hands", "hips", "knees", "ankles", "heels", "toes")
LANDMARKS = frozenset(
    ("head", "nose", "neck", "waist", "stomach", "pelvis")
    + tuple(f"{side}_{name}" for side in SIDES for name in _SIDED_LANDMARKS)
    + _PAIRED_LANDMARKS
)
LIMB_SEGMENTS = frozenset(
    f"{side}_{name}" for side in SIDES for name in ("upper_arm", "forearm", "thigh", "shin")
)

Angle = Annotated[float, Field(ge=-180, le=180)]
Length = Annotated[float, Field(gt=0, le=400)]
Coordinate = Annotated[float, Field(ge=-400, le=400)]  # cm; a picture of one person never spans more
Point3 = tuple[Coordinate, Coordinate, Coordinate]

# NaN and infinity are valid TOML floats; in a drawing they become 'nan' operators that PDF readers reject.
_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False, defer_build=True)


class JointAngles(BaseModel):
    """All three rotations of a joint; a bare number in `joints` means flexion only."""

    model_config = _STRICT

    flex: Angle = Field(0, description="Flexion (+) / extension (-): bending forward in the side view.")
    abduct: Angle = Field(0, description="Abduction (+, away from the midline) / adduction (-). Spine: bend to the right (+).")
    rotate: Angle = Field(0, description="Rotation about the limb: external (+) / internal (-). Spine: pelvis turns right (+).")


JointValue = Angle | JointAngles


class Keyframe(BaseModel):
    """One pose. Unlisted joints stay neutral (standing anatomical position)."""

    model_config = _STRICT

    trunk: float = Field(
        90,
        ge=-360,
        le=360,
        description="Direction of the chest from waist to neck, degrees anticlockwise from pointing right: "
        "90 upright, 180 lying on the back with the head on the left, 0 lying face down with the head on the right.",
    )
    roll: Angle = Field(0, description="Turns the chest about its long axis; + turns its front towards the body's left.")
    joints: dict[str, JointValue] = Field(
        default_factory=dict,
        description="Joint angles by name. Unsided names ('hip') set both sides; 'right_hip' overrides one side. "
        f"Names: {', '.join(sorted(JOINT_NAMES))}.",
    )
    reach: dict[Literal["right_hand", "left_hand"], str] = Field(
        default_factory=dict,
        description="Place a hand on a landmark (e.g. right_hand = 'right_knee'); the arm angles are then solved.",
    )
    anchor: str = Field("pelvis", description="Landmark placed at (x, y, z).")
    x: float = Field(0, ge=-400, le=400, description="Horizontal position of the anchor, cm.")
    y: float | None = Field(None, ge=-400, le=400, description="Height of the anchor, cm; omit to rest the body on the floor.")
    z: float = Field(0, ge=-400, le=400, description="Depth of the anchor (towards the side-view viewer), cm.")

    @field_validator("joints")
    @classmethod
    def _known_joints(cls, joints: dict[str, JointValue]) -> dict[str, JointValue]:
        unknown = sorted(set(joints) - JOINT_NAMES)
        if unknown:
            raise ValueError(f"unknown joint {', '.join(unknown)}; expected one of {', '.join(sorted(JOINT_NAMES))}")
        return joints

    @field_validator("reach")
    @classmethod
    def _reach_landmarks(cls, reach: dict[str, str]) -> dict[str, str]:
        for target in reach.values():
            _check_landmark(target)
        return reach

    @field_validator("anchor")
    @classmethod
    def _anchor_landmark(cls, anchor: str) -> str:
        return _check_landmark(anchor)


def _check_landmark(name: str) -> str:
    if name not in LANDMARKS:
        raise ValueError(f"unknown landmark {name!r}; expected one of {', '.join(sorted(LANDMARKS))}")
    return name


class _PlacedProp(BaseModel):
    model_config = _STRICT

    at: str | Point3 = Field(description="A body landmark of the last keyframe (e.g. 'knees') or [x, y, z] in cm.")
    offset: Point3 = Field((0, 0, 0), description="Added to `at`, cm.")
    on_floor: bool = Field(False, description="Drop the prop so it rests on the floor (ignores the height of `at`).")

    @field_validator("at")
    @classmethod
    def _at_landmark(cls, at: str | Point3) -> str | Point3:
        return _check_landmark(at) if isinstance(at, str) else at


class Floor(BaseModel):
    """A floor line under the body (side and front views)."""

    model_config = _STRICT
    type: Literal["floor"]


class Mat(BaseModel):
    """An exercise mat under the body, sized to the poses."""

    model_config = _STRICT
    type: Literal["mat"]
    thickness: Length = Field(2, description="cm")
    width: Length = Field(70, description="Across the body (z), cm.")
    margin: float = Field(12, ge=0, le=100, description="How far the mat reaches beyond the body, cm.")


class Pillow(_PlacedProp):
    type: Literal["pillow"]
    size: tuple[Length, Length, Length] = Field((40, 12, 50), description="[x length, height, z width] in cm.")


class TowelRoll(_PlacedProp):
    type: Literal["towel_roll"]
    diameter: Length = 12
    length: Length = 45
    axis: Literal["x", "z"] = Field("z", description="Roll axis; z runs across a body seen from the side.")


class FoamRoller(_PlacedProp):
    type: Literal["foam_roller"]
    diameter: Length = 15
    length: Length = 90
    axis: Literal["x", "z"] = "z"


class Ball(_PlacedProp):
    type: Literal["ball"]
    diameter: Length = 22


class Belt(BaseModel):
    """A strap looped around limbs, e.g. both thighs just above the knees."""

    model_config = _STRICT
    type: Literal["belt"]
    around: list[str] = Field(min_length=1, max_length=8, description=f"Limb segments: {', '.join(sorted(LIMB_SEGMENTS))}.")
    at: float = Field(0.85, ge=0, le=1, description="Where along the segments, 0 = proximal joint, 1 = distal joint.")
    width: Length = Field(5, description="Strap width, cm.")

    @field_validator("around")
    @classmethod
    def _known_segments(cls, around: list[str]) -> list[str]:
        unknown = sorted(set(around) - LIMB_SEGMENTS)
        if unknown:
            raise ValueError(f"unknown segment {', '.join(unknown)}; expected {', '.join(sorted(LIMB_SEGMENTS))}")
        return around


class Wall(_PlacedProp):
    type: Literal["wall"]
    facing: Literal["left", "right"] = Field("left", description="Side of the picture the wall surface faces.")
    height: Length = 200
    thickness: Length = 12


class Chair(_PlacedProp):
    """`at` is the floor point under the front edge of the seat."""

    type: Literal["chair"]
    facing: Literal["left", "right"] = Field("right", description="Direction a seated person faces.")
    seat_height: Length = 45


class DoorFrame(_PlacedProp):
    """`at` is the floor point in the middle of the doorway."""

    type: Literal["door_frame"]
    height: Length = 205
    width: Length = 85


class Band(BaseModel):
    """An exercise band tied to something sturdy, pulled taut to the hands (or feet) of the last pose."""

    model_config = _STRICT
    type: Literal["band"]
    anchor: Point3 = Field(description="Where the band is tied, [x, y, z] in cm.")
    to: list[str] = Field(["right_hand", "left_hand"], min_length=1, max_length=4, description="Landmarks holding the ends.")
    post: bool = Field(True, description="Draw what it is tied to: a post from the floor to just above the anchor.")

    @field_validator("to")
    @classmethod
    def _to_landmarks(cls, to: list[str]) -> list[str]:
        return [_check_landmark(name) for name in to]


Prop = Annotated[
    Floor | Mat | Pillow | TowelRoll | FoamRoller | Ball | Belt | Wall | Chair | DoorFrame | Band,
    Field(discriminator="type"),
]


class Arrow(BaseModel):
    """A curved motion arrow following one landmark from the first to the last keyframe."""

    model_config = _STRICT

    landmark: str = Field(description="Body landmark whose movement the arrow shows, e.g. 'knees'.")
    bend: Annotated[float, Field(ge=-170, le=170)] = Field(
        40, description="Arc sweep in degrees: + bulges to the left of the direction of travel, - to the right, 0 straight."
    )
    offset: tuple[Coordinate, Coordinate] = Field((0, 0), description="Shift in the picture plane, cm, to clear the body.")
    shorten: float = Field(0.15, ge=0, lt=0.5, description="Fraction trimmed off each end so the arrow sits between poses.")
    both_ways: bool = Field(False, description="A head at each end, for a move done back and forth (cat and camel).")

    @field_validator("landmark")
    @classmethod
    def _arrow_landmark(cls, landmark: str) -> str:
        return _check_landmark(landmark)


class MotionCue(Arrow):
    """`{ type = "arrow", landmark = "knees", ... }` in `cues`: the same arrow as the `arrow` field."""

    type: Literal["arrow"]


class PushCue(BaseModel):
    """An effort that moves nothing (an isometric): arrows showing which way a body part pushes.

    `pattern` says how the arrows are drawn, all in the picture plane and mirrored with the figure:
    press: one arrow along `direction` ending `gap` before `at`, and a contact mark (a short bar across the
    push) at `at`, where the push meets a hand, wall or floor; squeeze: two arrows pointing at `at` from
    either side along `direction`, tips `gap` from it (e.g. knees squeezing a ball); spread: two arrows pointing
    away from `at` along `direction`, tails `gap` from it (e.g. knees pushing out against a belt).
    """

    model_config = _STRICT

    type: Literal["push"]
    at: str | Point3 = Field(description="A body landmark of the last keyframe (e.g. 'knees') or [x, y, z] in cm.")
    offset: Point3 = Field((0, 0, 0), description="Added to `at`, cm (world axes).")
    direction: Annotated[float, Field(ge=-360, le=360)] = Field(
        description="Which way the push acts in the picture, degrees anticlockwise from pointing right (90 = up)."
    )
    pattern: Literal["press", "squeeze", "spread"] = Field("press", description="press, squeeze or spread (above).")
    length: Annotated[float, Field(gt=4, le=80)] = Field(16, description="Length of each arrow, cm.")
    gap: Annotated[float, Field(ge=0, le=80)] = Field(3, description="Distance from `at` to the arrow tips (tails for spread), cm.")
    mark: bool | None = Field(None, description="Draw the contact mark at `at`; by default only for press.")

    @field_validator("at")
    @classmethod
    def _at_landmark(cls, at: str | Point3) -> str | Point3:
        return _check_landmark(at) if isinstance(at, str) else at

    @property
    def draws_mark(self) -> bool:
        return self.pattern == "press" if self.mark is None else self.mark


Cue = Annotated[MotionCue | PushCue, Field(discriminator="type")]


class Figure(BaseModel):
    """How to draw an exercise: a view, poses (first = start, last = end), props, and how the motion is shown.

    A motion is shown by a ghosted start pose under the solid finish with a motion arrow (`show = "overlay"`,
    the default), or by two panels side by side, labelled Start and Finish in the sheet's language
    (`show = "panels"`), for moves whose ghost would hide behind the body. An effort that moves nothing is shown
    by a push cue. Every figure whose first and last poses differ must show its motion with an arrow (`arrow` or
    a cue of type "arrow") or with panels.
    """

    model_config = _STRICT

    view: Literal["side", "top", "front"] = Field(
        "side", description="side: seen from the body's right; top: from above; front: from the +x end, looking left."
    )
    tilt: float = Field(
        0, ge=-80, le=80, description="Raise the camera this many degrees so it looks down on the view (e.g. 30)."
    )
    turn: float = Field(
        0, ge=-80, le=80, description="Swing the camera this many degrees about the vertical, towards the +x end "
        "(+) or the -x end (-), for a three-quarter view (e.g. a figure 4 seen from beyond the feet)."
    )
    keyframes: list[Keyframe] = Field(min_length=1, max_length=8, description="Poses; all but the last are drawn ghosted.")
    props: list[Prop] = Field(default_factory=list, max_length=20, description="Equipment, drawn with the last pose.")
    arrow: Arrow | None = Field(None, description="Optional motion arrow (the same as one cue of type 'arrow').")
    cues: list[Cue] = Field(
        default_factory=list,
        max_length=8,
        description="Motion arrows ({ type = 'arrow', ... }, as `arrow`) and push cues ({ type = 'push', ... }, see PushCue).",
    )
    crop_below: str | None = Field(
        None,
        description="Leave out everything lower than this landmark of the last pose (less `crop_margin`): a "
        "head-and-shoulders view, so neck exercises print large. E.g. 'hips'.",
    )
    crop_margin: float = Field(8, ge=-100, le=100, description="cm below the `crop_below` landmark that still shows.")
    solid: list[Literal["left_arm", "left_leg"]] = Field(
        default_factory=list,
        description="Far-side limbs of the side view drawn solid, like near ones: a far limb may be pale only "
        "while it rests, so one that does the work (the bird dog's reaching arm) is listed here.",
    )
    show: Literal["overlay", "panels"] = Field(
        "overlay", description="overlay: ghosted start under the solid finish; panels: Start and Finish side by side."
    )

    @field_validator("crop_below")
    @classmethod
    def _crop_landmark(cls, crop_below: str | None) -> str | None:
        return _check_landmark(crop_below) if crop_below is not None else None

    @model_validator(mode="after")
    def _motion_is_shown(self) -> Figure:
        if self.show == "panels" and len(self.keyframes) < 2:
            raise ValueError("show = 'panels' needs a start and a finish keyframe")
        if len(self.keyframes) > 1 and self.keyframes[0] != self.keyframes[-1]:
            if self.show == "overlay" and not self.motion_arrows:
                raise ValueError(
                    "the start and finish poses differ but nothing shows the motion: add an arrow "
                    "(arrow = { landmark = ... } or a cue of type 'arrow') or show = 'panels'"
                )
        return self

    @property
    def motion_arrows(self) -> list[Arrow]:
        return ([self.arrow] if self.arrow else []) + [cue for cue in self.cues if isinstance(cue, MotionCue)]

    @property
    def push_cues(self) -> list[PushCue]:
        return [cue for cue in self.cues if isinstance(cue, PushCue)]
