"""The data schema, declared once: exercise files, program files and the dosage they share.

Field descriptions and constraints here are the documentation of the TOML format and the source of every
validation message (see ``library.describe_validation_error``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .figures import Figure

ExerciseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80),
    Field(description="lower-case words joined by hyphens, e.g. 'single-knee-to-chest'"),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40_000)]

Region = Literal["lower-back", "upper-back", "neck", "hip", "core", "shoulder", "knee"]
Position = Literal[
    "lying-on-back", "lying-on-stomach", "lying-on-side", "sitting", "standing", "kneeling", "hands-and-knees"
]
Kind = Literal["stretch", "strengthen", "isometric", "mobility"]
Equipment = Literal[
    "none", "mat", "ball", "pillow", "band", "strap", "belt", "chair", "wall", "towel", "foam-roller", "door-frame"
]
Level = Literal["beginner", "intermediate", "advanced"]
Side = Literal["both", "each", "left", "right"]

# Who should ask their clinician before doing an exercise: stated conservatively, never a diagnosis.
# The sentence completes "Ask your clinician first …" on the card.
CAUTIONS: dict[str, str] = {
    "extension-sensitive": "if bending backward makes your pain worse.",
    "flexion-sensitive": "if bending forward makes your pain worse.",
    "avoid-with-osteoporosis-loaded-flexion": "if you have osteoporosis (thin bones). This bends your spine forward.",
    "pregnancy-after-first-trimester-supine": "if you are more than 3 months pregnant. This is done lying on your back.",
    "kneeling-pressure": "if kneeling hurts your knees. A folded towel under them can help.",
    "wrist-loading": "if you have wrist pain. You lean on your hands.",
    "balance-risk": "if you are unsteady on your feet. Hold on to something sturdy.",
    "shoulder-overhead": "if raising your arms overhead hurts your shoulder.",
    "neck-symptoms": "if moving your neck makes you dizzy or gives you numbness or tingling in your arms.",
}
CautionTag = Literal[tuple(CAUTIONS)]  # type: ignore[valid-type]  # the keys above, and no others


class _Strict(BaseModel):
    # A misspelt key in a hand-edited file must be an error, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class DosageOverride(_Strict):
    """Dosage fields a program, spec or ``--set`` may change; anything left out keeps the exercise's value."""

    sets: int | None = Field(None, ge=1, le=10, description="sets per session (1-10)")
    reps: int | None = Field(None, ge=1, le=100, description="repetitions per set (1-100)")
    hold: int | None = Field(None, ge=0, le=600, description="seconds to hold each repetition (0 = no hold, max 600)")
    per_day: int | None = Field(None, ge=1, le=10, description="sessions per day (1-10)")
    days: int | None = Field(None, ge=1, le=7, description="days per week (1-7)")
    side: Side | None = Field(
        None, description="'both' (no sides, or both together), 'each' (do each side), 'left' or 'right' only"
    )


class Dosage(_Strict):
    """A complete dosage: what the patient does, how often."""

    sets: int = Field(1, ge=1, le=10, description="sets per session (1-10)")
    reps: int = Field(10, ge=1, le=100, description="repetitions per set (1-100)")
    hold: int = Field(0, ge=0, le=600, description="seconds to hold each repetition (0 = no hold, max 600)")
    per_day: int = Field(1, ge=1, le=10, description="sessions per day (1-10)")
    days: int = Field(7, ge=1, le=7, description="days per week (1-7)")
    side: Side = Field("both", description="'both', 'each', 'left' or 'right'")

    def updated(self, override: DosageOverride | None) -> Dosage:
        """This dosage with every field the override sets replaced."""
        if override is None:
            return self
        changes = {name: value for name, value in override if value is not None}
        return self.model_copy(update=changes)


class Exercise(_Strict):
    """One exercise file in ``assets/exercises/ID.toml``."""

    id: ExerciseId
    name: ShortText = Field(description="the name printed on the card, e.g. 'Bridge'")
    other_names: list[ShortText] = Field(default_factory=list, description="other names patients or clinicians use")
    region: list[Region] = Field(min_length=1, description="body regions it works on")
    position: Position = Field(description="the body position it starts in")
    kind: Kind
    equipment: list[Equipment] = Field(default_factory=lambda: ["none"], description="what the patient needs")
    level: Level = Field("beginner", description="how demanding it is")
    tags: list[ShortText] = Field(default_factory=list, description="more words to find it by, e.g. 'sciatica'")
    caution_tags: list[CautionTag] = Field(
        default_factory=list, description=f"who should ask their clinician first: {', '.join(CAUTIONS)}"
    )
    purpose: LongText = Field(description="one plain sentence: what it does for the patient")
    steps: list[LongText] = Field(min_length=1, max_length=60, description="numbered steps, one action each")
    dosage: Dosage = Field(default_factory=Dosage, description="the default dosage")
    tips: list[LongText] = Field(default_factory=list)
    stop_if: list[LongText] = Field(default_factory=list, description="when to stop and call the clinician")
    cautions: list[LongText] = Field(default_factory=list, description="who should ask their clinician first")
    image: str | None = Field(None, description="an illustration file, relative to the exercise file")
    video: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=300)] | None = Field(
        None, description="a video of the exercise, printed as a QR code"
    )
    figure: Figure | None = Field(None, description="pose data for the drawn figure (worksheet/figures)")


class ProgramEntry(_Strict):
    """One exercise in a program, with the program's dosage for it."""

    id: ExerciseId
    dosage: DosageOverride | None = None


class Program(_Strict):
    """One program file in ``assets/programs/ID.toml``."""

    id: ExerciseId
    title: ShortText
    introduction: LongText = Field(description="a short introduction for the patient, in plain words")
    exercises: list[ProgramEntry] = Field(min_length=1)

    @field_validator("exercises")
    @classmethod
    def _each_exercise_once(cls, exercises: list[ProgramEntry]) -> list[ProgramEntry]:
        ids = [entry.id for entry in exercises]
        repeated = next((i for i in ids if ids.count(i) > 1), None)
        if repeated:
            raise ValueError(f"'{repeated}' is listed twice; list each exercise once")
        return exercises


class ExerciseText(_Strict):
    """An exercise's words in another language: ``i18n/<lang>/exercises/<id>.toml``. Left-out fields stay English."""

    name: ShortText | None = None
    other_names: list[ShortText] | None = None
    purpose: LongText | None = None
    steps: list[LongText] | None = Field(None, min_length=1, max_length=60)
    tips: list[LongText] | None = None
    stop_if: list[LongText] | None = None
    cautions: list[LongText] | None = None


class ProgramText(_Strict):
    """A program's words in another language: ``i18n/<lang>/programs/<id>.toml``."""

    title: ShortText | None = None
    introduction: LongText | None = None
