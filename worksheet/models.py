"""The data schema, declared once: exercise files, program files and the dosage they share.

Field descriptions and constraints here are the documentation of the TOML format and the source of every
validation message (see ``library.describe_validation_error``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from . import cautions as _caution_rules
from . import limits
from .cautions import Movement
from .figures import Figure
from .links import check_url

ExerciseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80),
    Field(description="lower-case words joined by hyphens, e.g. 'single-knee-to-chest'"),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.MAX_TEXT)]

Region = Literal["lower-back", "upper-back", "neck", "hip", "core", "shoulder", "knee"]
Position = Literal[
    "lying-on-back", "lying-on-stomach", "lying-on-side", "sitting", "standing", "kneeling", "hands-and-knees"
]
Kind = Literal["stretch", "strengthen", "isometric", "mobility"]
Equipment = Literal[
    "none", "mat", "ball", "pillow", "band", "strap", "belt", "chair", "wall", "towel", "foam-roller", "door-frame"
]
Level = Literal["beginner", "intermediate", "advanced"]
Side = Literal["both", "each", "left", "right", "alternating"]

# Who should ask their clinician first, and the movement facts that decide it: assets/cautions.toml, read by
# cautions.py. CAUTIONS and CautionTag are re-exported here, where the rest of the schema lives.
CAUTIONS = _caution_rules.CAUTIONS
CautionTag = _caution_rules.CautionTag


class _Strict(BaseModel):
    # A misspelt key in a hand-edited file must be an error, not silently ignored. defer_build: a model's schema
    # is built when it first validates, not at import, so a build whose library comes from the disk cache
    # builds none of the library's (the same in every module's models: cautions, request, spec, templates, figures).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BAND_COLOURS = ("yellow", "red", "green", "blue", "black", "silver", "gold")


def _parse_days(value):
    """7 | 'daily' | 'every other day' | ['mon', 'wed', 'fri'] | 'mon,wed,fri' → a canonical value."""
    if isinstance(value, str):
        text = value.strip().lower().replace("_", " ").replace("-", " ")
        if text in ("daily", "every day", "everyday"):
            return "daily"
        if text in ("every other day", "alternate days"):
            return "every-other-day"
        if text.isdigit():
            return int(text)
        value = [part for part in re.split(r"[\s,;]+", text) if part]
    if isinstance(value, (list, tuple)):
        names = [str(day).strip().lower()[:3] for day in value]
        unknown = [day for day in names if day not in WEEKDAYS]
        if unknown or not names:
            raise ValueError(f"days must be 1-7, 'daily', 'every other day' or weekdays like mon,wed,fri (found {value!r})")
        return tuple(sorted(set(names), key=WEEKDAYS.index))
    return value


def _parse_duration(value):
    """Seconds: 45 | '45 s' | '30 seconds' | '10 min' | '1.5 minutes' → int seconds."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,5}(?:\.\d{1,3})?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?\s*", value.lower())
        if not match:
            raise ValueError(f"duration must be seconds or minutes, like '45 s' or '10 min' (found {value!r})")
        number = float(match.group(1))
        return round(number * 60) if (match.group(2) or "s").startswith("m") else round(number)
    return value


def _parse_load(value):
    """'5 kg' | '10 lb' | 'bodyweight' | 'red band' | 'band level 2' → one canonical spelling."""
    if not isinstance(value, str):
        return value
    text = " ".join(value.strip().lower().replace(":", " ").split())
    if text in ("bodyweight", "body weight", "none"):
        return "bodyweight"
    weight = re.fullmatch(r"(\d{1,4}(?:\.\d{1,3})?)\s*(kg|kgs|kilos?|lb|lbs|pounds?)", text)
    if weight:
        unit = "kg" if weight.group(2).startswith("k") else "lb"
        return f"{float(weight.group(1)):g} {unit}"
    colour = re.fullmatch(r"(?:band\s+)?(\w+)(?:\s+band)?", text)
    if colour and colour.group(1) in BAND_COLOURS:
        return f"{colour.group(1)} band"
    level = re.fullmatch(r"band\s+(?:level\s+)?(\d)", text)
    if level and 1 <= int(level.group(1)) <= 6:
        return f"band level {level.group(1)}"
    raise ValueError(
        "load must be a weight ('5 kg', '10 lb'), 'bodyweight', a band colour "
        f"({', '.join(BAND_COLOURS)} band) or 'band level 1-6' (found {value!r})"
    )


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _check_date(value: dt.date) -> dt.date:
    # The logs count weeks on from a date: near year 9999 that runs off the calendar.
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"a date must be between {FIRST_DATE} and {LAST_DATE} (found {value})")
    return value


SheetDate = Annotated[dt.date, AfterValidator(_check_date)]

Days = Annotated[
    Annotated[int, Field(ge=1, le=7)] | Literal["daily", "every-other-day"] | tuple[str, ...],
    BeforeValidator(_parse_days),
    Field(description="1-7 (days a week), 'daily', 'every other day', or weekdays like ['mon', 'wed', 'fri']"),
]
Seconds = Annotated[int, Field(ge=0, le=600)]
Duration = Annotated[int, BeforeValidator(_parse_duration), Field(ge=5, le=3600, description="5 s to 60 min")]
Load = Annotated[str, BeforeValidator(_parse_load)]
def _check_tempo(value):
    if not (isinstance(value, str) and re.fullmatch(r"\d{1,2}(-\d{1,2}){1,3}", value.strip())):
        raise ValueError(f"tempo must be seconds for each phase, like '3-1-3' (down, hold, up) (found {value!r})")
    return value.strip()


Tempo = Annotated[str, BeforeValidator(_check_tempo), Field(description="seconds per phase, e.g. '3-1-3'")]
Sets = Annotated[int, Field(ge=1, le=10)]
Reps = Annotated[int, Field(ge=1, le=100)]
PerDay = Annotated[int, Field(ge=1, le=10)]

class Dosage(_Strict):
    """A complete dosage: what the patient does, how often. Optional fields print only when set."""

    sets: Sets = Field(1, description="sets per session: 1–10")
    reps: Reps = Field(10, description="repetitions per set: 1–100")
    hold: Seconds = Field(0, description="seconds to hold each repetition: 0–600 (0 = no hold)")
    rest: Seconds | None = Field(None, description="seconds of rest between sets: 0–600")
    tempo: Tempo | None = Field(None, description="seconds for each phase of a repetition: `\"3-1-3\"` (down, hold, up; 2–4 phases)")
    duration: Duration | None = Field(
        None, description="how long a timed set lasts (replaces reps in the line): `45`, `\"45 s\"`, `\"10 min\"`; 5 s–60 min"
    )
    load: Load | None = Field(
        None, description="what the patient works against: `\"5 kg\"`, `\"10 lb\"`, `\"bodyweight\"`, `\"red band\"` "
        f"({', '.join(BAND_COLOURS)}), `\"band level 2\"` (1–6)",
    )
    side: Side = Field("both", description="which side: `both` (no sides), `each`, `left`, `right`, `alternating`")
    per_day: PerDay = Field(1, description="sessions per day: 1–10")
    days: Days = Field(
        7, description="which days: 1–7 (days a week, the patient's choice), `\"daily\"`, `\"every other day\"`, or weekdays "
        '`["mon", "wed", "fri"]` (`--set bridge.days=mon,wed,fri`)',
    )
    start: SheetDate | None = Field(None, description="the first day (the logs mark the days before it as rest days): `2026-12-01`")
    review: SheetDate | None = Field(None, description="when the clinician reviews it (printed on the card and the logs): `2026-12-15`")

    def updated(self, override: DosageOverride | None) -> Dosage:
        """This dosage with every field the override sets replaced."""
        if override is None:
            return self
        changes = {name: value for name, value in override if value is not None}
        return self.model_copy(update=changes)

    def scheduled(self, day: dt.date, week_index: int, weekday: int) -> bool:
        """Whether a session is planned on this day of the log (week_index from 0, weekday 0 = Monday)."""
        if self.start and day < self.start:
            return False
        if isinstance(self.days, tuple):
            return WEEKDAYS[weekday] in self.days
        if self.days == "every-other-day":
            if self.start:
                return (day - self.start).days % 2 == 0
            return (week_index * 7 + weekday) % 2 == 0
        return True  # daily, or N days a week the patient chooses


def _all_optional(model: type[BaseModel], name: str, doc: str) -> Any:
    """model with every field optional (None = left as it was): the same types, limits and descriptions."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[field_name] = (annotation | None, Field(None, description=info.description))
    return create_model(name, __base__=_Strict, __doc__=doc, __module__=__name__, **fields)


# The dosage fields, the same keys everywhere (exercise, program and spec files, --set): in order of the line.
DOSAGE_FIELDS = tuple(Dosage.model_fields)

if TYPE_CHECKING:
    DosageOverride = BaseModel  # a model whose fields are Dosage's, each optional (made below, not declared twice)
else:
    DosageOverride = _all_optional(
        Dosage, "DosageOverride",
        "Dosage fields a program, spec or ``--set`` may change; anything left out keeps the exercise's value.",
    )


class Exercise(_Strict):
    """One exercise file in ``assets/exercises/ID.toml``."""

    id: ExerciseId
    name: ShortText = Field(description="the name printed on the card, e.g. 'Bridge'")
    other_names: list[ShortText] = Field(
        default_factory=list, max_length=limits.MAX_ITEMS, description="other names patients or clinicians use"
    )
    region: list[Region] = Field(min_length=1, description="body regions it works on")
    position: Position = Field(description="the body position it starts in")
    kind: Kind
    equipment: list[Equipment] = Field(default_factory=lambda: ["none"], description="what the patient needs")  # type: ignore[arg-type]  # a Literal list
    level: Level = Field("beginner", description="how demanding it is")
    tags: list[ShortText] = Field(default_factory=list, max_length=limits.MAX_ITEMS, description="more words to find it by, e.g. 'sciatica'")
    movement: Movement | None = Field(
        None, description="what the exercise does to the body; the caution rules (assets/cautions.toml) read it"
    )
    caution_tags: list[CautionTag] = Field(
        default_factory=list,
        description="who should ask their clinician first, besides what the rules give "
        f"(after loading: the rules' tags and these): {', '.join(CAUTIONS)}",
    )
    purpose: LongText = Field(description="one plain sentence: what it does for the patient")
    steps: list[LongText] = Field(min_length=1, max_length=limits.MAX_STEPS, description="numbered steps, one action each")
    dosage: Dosage = Field(default_factory=Dosage, description="the default dosage")
    tips: list[LongText] = Field(default_factory=list, max_length=limits.MAX_ITEMS)
    stop_if: list[LongText] = Field(
        default_factory=list, max_length=limits.MAX_ITEMS, description="when to stop and call the clinician"
    )
    progression: list[LongText] = Field(
        default_factory=list, max_length=limits.MAX_ITEMS, description="what to do when it gets easy"
    )
    cautions: list[LongText] = Field(
        default_factory=list, max_length=limits.MAX_ITEMS, description="who should ask their clinician first"
    )
    image: str | None = Field(None, description="an illustration file, relative to the exercise file")
    video: Annotated[
        str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=300), AfterValidator(check_url)
    ] | None = Field(
        None, description="a video of the exercise, printed as a QR code"
    )
    figure: Figure | None = Field(None, description="pose data for the drawn figure (worksheet/figures)")

    @field_validator("caution_tags")
    @classmethod
    def _cautions_from_rules(cls, own: list[str], info: ValidationInfo) -> list[str]:
        # The rules' tags join the exercise's own here, once, so every reader (compose, --avoid, list --caution)
        # sees the same full set and no exercise can drop a tag a rule gives it. Position and movement are
        # declared before caution_tags, so they are validated by now (absent only if they failed).
        if "position" not in info.data:
            return own
        return _caution_rules.all_tags(info.data["position"], info.data.get("movement"), own)

    @model_validator(mode="after")
    def _bounded_text(self) -> Exercise:
        return _check_printed_length(self)


def _check_printed_length(item):
    length = limits.printed_length(item)
    if length > limits.MAX_EXERCISE_TEXT:
        raise ValueError(
            f"has {length:,} characters of text, more than {limits.MAX_EXERCISE_TEXT:,} (a few pages); "
            "shorten it or split it into two exercises"
        )
    return item


class ProgramEntry(_Strict):
    """One exercise in a program, with the program's dosage for it."""

    id: ExerciseId
    dosage: DosageOverride | None = None


class ProgramOption(ProgramEntry):
    """An exercise a program offers but leaves off its default sheet (`--include ID` adds it), so the default
    stays within the few exercises patients keep up with."""

    introduction: LongText | None = Field(
        None, description="a sentence added to the program's introduction when the option is on the sheet"
    )


class Program(_Strict):
    """One program file in ``assets/programs/ID.toml``."""

    id: ExerciseId
    title: ShortText
    introduction: LongText = Field(description="a short introduction for the patient, in plain words")
    exercises: list[ProgramEntry] = Field(min_length=1, max_length=limits.MAX_EXERCISES)
    options: list[ProgramOption] = Field(
        default_factory=list, max_length=limits.MAX_EXERCISES,
        description="exercises offered beside the default sheet, each added with --include ID",
    )
    stop_first: ExerciseId | None = Field(
        None, description="for a program that mixes bending forward and backward: the exercise the patient stops "
        "first if one makes the pain worse (the introduction, or that option's, must say so, naming it)"
    )

    def entry(self, exercise_id: str) -> ProgramEntry | None:
        """The program's own entry for an exercise, on its default sheet or among its options."""
        return next((entry for entry in [*self.exercises, *self.options] if entry.id == exercise_id), None)

    def introduction_for(self, introduction: str, ids: list[str], option_texts: dict[str, str] | None = None) -> str:
        """introduction (the program's, in the sheet's language) with the sentence of each option on the sheet."""
        texts = option_texts or {}
        added = [texts.get(option.id) or option.introduction for option in self.options if option.id in ids]
        return " ".join([introduction, *(text for text in added if text)])

    @field_validator("exercises")
    @classmethod
    def _each_exercise_once(cls, exercises: list[ProgramEntry]) -> list[ProgramEntry]:
        ids = [entry.id for entry in exercises]
        repeated = next((i for i in ids if ids.count(i) > 1), None)
        if repeated:
            raise ValueError(f"'{repeated}' is listed twice; list each exercise once")
        return exercises

    @model_validator(mode="after")
    def _options_apart(self) -> Program:
        on_sheet = {entry.id for entry in self.exercises}
        twice = next((option.id for option in self.options if option.id in on_sheet), None)
        if twice:
            raise ValueError(f"'{twice}' is both in exercises and in options; list it in one of them")
        return self


class ExerciseText(_Strict):
    """An exercise's words in another language: ``i18n/<lang>/exercises/<id>.toml``. Left-out fields stay English."""

    name: ShortText | None = None
    other_names: list[ShortText] | None = Field(None, max_length=limits.MAX_ITEMS)
    purpose: LongText | None = None
    steps: list[LongText] | None = Field(None, min_length=1, max_length=limits.MAX_STEPS)
    tips: list[LongText] | None = Field(None, max_length=limits.MAX_ITEMS)
    stop_if: list[LongText] | None = Field(None, max_length=limits.MAX_ITEMS)
    progression: list[LongText] | None = Field(None, max_length=limits.MAX_ITEMS)
    cautions: list[LongText] | None = Field(None, max_length=limits.MAX_ITEMS)

    @model_validator(mode="after")
    def _bounded_text(self) -> ExerciseText:
        return _check_printed_length(self)


class ProgramText(_Strict):
    """A program's words in another language: ``i18n/<lang>/programs/<id>.toml``."""

    title: ShortText | None = None
    introduction: LongText | None = None
    options: dict[ExerciseId, LongText] | None = Field(None, description="each option's introduction sentence")
