"""Resolve what a clinician asks for (a program plus customisation) into a spec: everything one worksheet needs.

A *request* is the spec-file format and what the CLI options fill in; a *spec* is the resolved result, the one
input of ``build``. ``spec_to_toml`` writes a spec back as a request that reproduces it exactly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .errors import SpecError
from .glyphs import first_unprintable
from .i18n import SOURCE_LANGUAGE, translations
from .library import OPTIONS, Library, describe_validation_error, field_name, read_toml
from .models import CautionTag, Dosage, DosageOverride, Exercise, ExerciseId, SheetDate

Paper = Literal["letter", "a4"]
HeaderText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s<>\"]+$", max_length=300)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]


class RequestedExercise(_Strict):
    id: ExerciseId
    dosage: DosageOverride | None = None
    image: str | None = Field(None, description="an illustration file replacing the exercise's own")
    video: Url | None = Field(None, description="a video link, printed as a QR code")


class SheetOptions(_Strict):
    """Who the sheet is for and from, and how it looks: the same in a request and in the resolved spec."""

    patient: HeaderText = ""
    clinician: HeaderText = ""
    clinic: HeaderText = ""
    clinic_address: HeaderText = Field("", description="printed under the clinic's name")
    clinic_phone: HeaderText = ""
    logo: str | None = Field(None, description="the clinic's logo, an image file")
    accent: Colour = Field("#1f5f8b", description="the clinic's colour, as #RRGGBB; meaning never rests on it")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = Field(
        "", description="a note from the clinician, printed under the header"
    )
    next_visit: SheetDate | None = Field(None, description="the next appointment, printed under the header")
    paper: Paper = "letter"
    layout: ExerciseId = "cards"
    lang: LanguageCode = Field(
        "en", description="the language of the sheet, e.g. 'es'"
    )
    duplex: bool = Field(False, description="add a notes page if needed so the page count is even")
    also: LanguageCode | None = Field(
        None, description="a second language printed beside the first (names, steps and dosage), e.g. 'en'"
    )


class Request(SheetOptions):
    """What a clinician asks for: the spec-file format, and what the CLI options fill in."""

    program: ExerciseId = Field(description="the program to start from, e.g. 'dont-crack-your-back'")
    exercises: list[RequestedExercise] | None = Field(
        None, description="the exact exercises in order; replaces the program's list"
    )
    only: list[ExerciseId] = Field(default_factory=list, description="keep just these, in this order")
    include: list[ExerciseId] = Field(default_factory=list, description="add these at the end")
    exclude: list[ExerciseId] = Field(default_factory=list, description="drop these")
    order: list[ExerciseId] = Field(default_factory=list, description="put these first, in this order")
    dosage: dict[ExerciseId, DosageOverride] = Field(default_factory=dict, description="dosage changes by id")
    images: dict[ExerciseId, str] = Field(default_factory=dict, description="illustration files by id")
    videos: dict[ExerciseId, Url] = Field(default_factory=dict, description="video links by id")
    date: SheetDate | None = Field(None, description="the date printed on the sheet; today if left out")
    avoid: list[CautionTag] = Field(default_factory=list, description="drop exercises with these caution tags")


class SheetExercise(_Strict):
    """One exercise as it prints: its data (in the sheet's language), final dosage, picture and video."""

    exercise: Exercise
    dosage: Dosage
    image: str | None = None
    image_from_user: bool = False
    video: str | None = None
    video_from_user: bool = False
    second: Exercise | None = Field(None, description="the exercise in the sheet's second language, if any")


class Spec(SheetOptions):
    """Everything one worksheet needs, resolved. ``build`` reads nothing else."""

    program: str
    title: str
    introduction: str
    exercises: list[SheetExercise] = Field(min_length=1)
    date: SheetDate


# '--order position': from standing down to the floor, so the patient gets up and down once.
ORDER_BY_POSITION = "position"
POSITION_ORDER = (
    "standing", "sitting", "kneeling", "hands-and-knees", "lying-on-back", "lying-on-side", "lying-on-stomach",
)  # fmt: skip


def read_request(path: Path) -> dict[str, Any]:
    """A spec file as request data; relative image paths are taken relative to the file."""
    data = read_toml(path)
    base = path.resolve().parent
    if isinstance(data.get("logo"), str):
        data["logo"] = _relative_to(base, data["logo"])
    if isinstance(data.get("images"), dict):
        data["images"] = {key: _relative_to(base, value) for key, value in data["images"].items()}
    for entry in data.get("exercises") or []:
        if isinstance(entry, dict) and isinstance(entry.get("image"), str):
            entry["image"] = _relative_to(base, entry["image"])
    return data


def _relative_to(base: Path, value: Any) -> Any:
    return str(base / value) if isinstance(value, str) else value


def parse_set(assignments: list[str] | tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """``['bridge.reps=12', ...]`` as ``{'bridge': {'reps': 12}}``; numbers become ints."""
    dosage: dict[str, dict[str, Any]] = {}
    for assignment in assignments:
        target, equals, value = assignment.partition("=")
        exercise_id, dot, field_name = target.strip().rpartition(".")
        if not (equals and dot and exercise_id and field_name and value.strip()):
            raise SpecError(f"--set {assignment!r}: expected ID.FIELD=VALUE, e.g. --set bridge.reps=12")
        value = value.strip()
        dosage.setdefault(exercise_id, {})[field_name] = int(value) if re.fullmatch(r"-?\d+", value) else value
    return dosage


def validate_request(data: dict[str, Any], source: str) -> Request:
    try:
        request = Request.model_validate(data)
    except ValidationError as error:
        raise SpecError(describe_validation_error(source, error)) from None
    # Names and notes may be in Chinese, Japanese or Korean: the layouts print them through CID fonts.
    problem = first_unprintable(
        request.model_dump(include={"patient", "clinician", "clinic", "clinic_address", "clinic_phone", "note"}),
        allow_cjk=True,
    )
    if problem:
        raise SpecError(f"{field_name(source, problem[0])} {problem[1]}")
    return request


def resolve(request: Request, library: Library, today: dt.date | None = None) -> Spec:
    """Apply the customisation to the program: selection, order, dosage, pictures."""
    return resolve_with_notes(request, library, today)[0]


def resolve_with_notes(request: Request, library: Library, today: dt.date | None = None) -> tuple[Spec, list[str]]:
    """resolve(), and a line for each exercise that --avoid dropped, saying why."""
    program = library.program(request.program)
    by_position = request.order == [ORDER_BY_POSITION]
    for option in ("only", "include", "exclude", "order"):
        for exercise_id in getattr(request, option):
            if not (option == "order" and by_position):
                library.exercise(exercise_id, context=f"--{option}")

    for lang in (request.lang, request.also):
        if lang:
            translations(lang)  # an unknown language is an error here, before any work
    if request.exercises is not None:
        chosen = [(entry.id, entry.dosage, entry.image, entry.video) for entry in request.exercises]
    else:
        chosen = [(entry.id, entry.dosage, None, None) for entry in program.exercises]
    program_dosage = {entry.id: entry.dosage for entry in program.exercises}
    for exercise_id, *_ in chosen:
        library.exercise(exercise_id, context="exercises")

    ids = [exercise_id for exercise_id, *_ in chosen]
    if len(set(ids)) != len(ids):
        repeated = next(i for i in ids if ids.count(i) > 1)
        raise SpecError(f"exercises: '{repeated}' is listed twice; list each exercise once")
    by_id = {exercise_id: rest for exercise_id, *rest in chosen}
    if request.only:
        ids = list(dict.fromkeys(request.only))
    ids += [i for i in dict.fromkeys(request.include) if i not in ids]
    ids = [i for i in ids if i not in set(request.exclude)]
    notes = []
    for exercise_id in list(ids):
        exercise = library.exercise(exercise_id)
        avoided = [tag for tag in exercise.caution_tags if tag in request.avoid]
        if avoided:
            ids.remove(exercise_id)
            notes.append(f"Dropped {exercise_id} ({exercise.name}): marked {', '.join(avoided)}, which --avoid excludes")
    if by_position:
        # Stable: the program's order holds within each position.
        ids.sort(key=lambda i: POSITION_ORDER.index(library.exercise(i).position))
    elif request.order:
        first = [i for i in dict.fromkeys(request.order) if i in ids]
        missing = [i for i in request.order if i not in ids]
        if missing:
            raise SpecError(f"--order: '{missing[0]}' is not on this sheet; add it with --include first")
        ids = first + [i for i in ids if i not in first]
    if not ids:
        raise SpecError("no exercises left on the sheet; check --only, --exclude and --avoid")

    for option, keys in (("--set", request.dosage), ("--image", request.images), ("--video", request.videos)):
        for exercise_id in keys:
            if exercise_id not in ids:
                library.exercise(exercise_id, context=option)
                raise SpecError(f"{option}: '{exercise_id}' is not on this sheet; add it with --include first")

    sheet = []
    untranslated = []
    for exercise_id in ids:
        exercise, translated = library.localized_exercise(exercise_id, request.lang)
        second, second_translated = library.localized_exercise(exercise_id, request.also) if request.also else (None, True)
        if not (translated and second_translated):
            untranslated.append(exercise_id)
        override, chosen_image, chosen_video = by_id.get(exercise_id, (None, None, None))
        dosage = exercise.dosage.updated(program_dosage.get(exercise_id))
        dosage = dosage.updated(override).updated(request.dosage.get(exercise_id))
        user_image = request.images.get(exercise_id) or chosen_image
        user_video = request.videos.get(exercise_id) or chosen_video
        sheet.append(
            SheetExercise(
                exercise=exercise,
                dosage=dosage,
                image=user_image or exercise.image,
                image_from_user=user_image is not None,
                video=user_video or exercise.video,
                video_from_user=user_video is not None,
                second=second,
            )
        )
    if untranslated:
        languages = " or ".join(f"'{lang}'" for lang in (request.lang, request.also) if lang and lang != SOURCE_LANGUAGE)
        notes.append(f"No {languages} text for {', '.join(untranslated)}; printed in English")
    title, introduction = library.localized_program(program.id, request.lang)
    options = request.model_dump(include=set(SheetOptions.model_fields))
    spec = Spec(
        **options,
        program=program.id,
        title=title,
        introduction=introduction,
        exercises=sheet,
        date=request.date or today or dt.date.today(),
    )
    return spec, notes


def spec_to_toml(spec: Spec) -> str:
    """The spec as a request file that resolves to exactly this spec (so rebuilds are byte-identical)."""
    options = spec.model_dump(include=set(SheetOptions.model_fields), exclude_defaults=True)
    data: dict[str, Any] = {"program": spec.program, **options, "date": spec.date}
    data["exercises"] = [
        {"id": item.exercise.id, "dosage": _toml_ready(item.dosage.model_dump(exclude_none=True))}
        | ({"image": item.image} if item.image_from_user else {})
        | ({"video": item.video} if item.video_from_user else {})
        for item in spec.exercises
    ]
    return tomli_w.dumps(data)


def _toml_ready(values: dict[str, Any]) -> dict[str, Any]:
    """TOML has arrays, not tuples."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in values.items()}


def output_name(spec: Spec) -> str:
    """``<program>-<patient>-<date>.pdf``, with the patient's name made safe for any file system."""
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", spec.patient) if not unicodedata.combining(c))
    patient = re.sub(r"[^\w]+", "-", unaccented.casefold()).strip("-_")[:60]
    parts = [spec.program, patient, spec.date.isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"


def _is_file(path: Path) -> bool:
    """Path.is_file(), but False for a name no file could have (too long, a NUL in it) instead of an error."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def request_data(program_or_spec: str, overrides: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Request data from a program id or a spec file, with the given overrides on top; and its source name.

    Lists in overrides extend the file's lists; dosage and image tables merge by id; other values replace.
    """
    path = Path(program_or_spec)
    if program_or_spec.endswith(".toml") or _is_file(path):
        data, source = read_request(path), str(path)
    else:
        data, source = {"program": program_or_spec}, OPTIONS
    for key, value in overrides.items():
        if value is None or value == [] or value == {}:
            continue
        if key in ("include", "exclude", "order"):
            data[key] = list(data.get(key) or []) + list(value)
        elif key in ("dosage", "images"):
            merged = dict(data.get(key) or {})
            for exercise_id, entry in value.items():
                if key == "dosage":
                    entry = {**(merged.get(exercise_id) or {}), **entry}
                merged[exercise_id] = entry
            data[key] = merged
        else:
            data[key] = value
    return data, source
