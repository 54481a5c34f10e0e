"""Resolve what a clinician asks for (a program plus customisation) into a spec: everything one worksheet needs.

A *request* (``worksheet.request``) is the spec-file format and what every door fills in; a *spec* is the resolved
result, the one input of ``build``: the exercises with their final dosage and words, the header, and the layout's
template sources, so nothing downstream reads options, folders or files again. ``spec_to_toml`` writes a spec
back as a request that reproduces it exactly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import tomli_w
from pydantic import BaseModel, ConfigDict, Field

from .errors import SpecError, WorksheetError
from .i18n import SOURCE_LANGUAGE, translations
from .library import OPTIONS, Library
from .models import Dosage, DosageOverride, Exercise, Program, SheetDate, _check_date
from .request import (  # noqa: F401  (re-exported: where callers have found them)
    Origin,
    Request,
    RequestedExercise,
    SheetOptions,
    read_request,
)
from .templates import Layout, load_layout


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
    """Everything one worksheet needs, resolved. ``build`` reads nothing else: not even a layout folder."""

    program: str
    title: str
    introduction: str
    exercises: list[SheetExercise] = Field(min_length=1)
    date: SheetDate
    templates: Layout = Field(description="the layout's template and every partial it uses, as source text")


# '--order position': from standing down to the floor, so the patient gets up and down once.
ORDER_BY_POSITION = "position"
POSITION_ORDER = (
    "standing", "sitting", "kneeling", "hands-and-knees", "lying-on-back", "lying-on-side", "lying-on-stomach",
)  # fmt: skip


def resolve(request: Request, library: Library, today: dt.date | None = None, origin: Origin | None = None) -> Spec:
    """Apply the customisation to the program: selection, order, dosage, pictures."""
    return resolve_with_notes(request, library, today, origin)[0]


_T = TypeVar("_T")

# The programme's entry for an exercise: (program or spec-file dosage, image, video).
_Chosen = tuple[DosageOverride | None, str | None, str | None]


def resolve_with_notes(
    request: Request, library: Library, today: dt.date | None = None, origin: Origin | None = None
) -> tuple[Spec, list[str]]:
    """resolve(), and a line for each thing the user should know: exercises --avoid dropped (and why), and
    exercises printed in English for want of a translation.

    origin says where the request's fields came from (``request.request_with_origin``), so that an error names
    a spec file's key, a roster's column or an option as the user wrote it; the command line's if not given."""
    origin = origin or Origin(OPTIONS)
    program = _named(origin, "program", library.program, request.program)
    _check_named_exercises(request, library, origin)
    for key in ("lang", "also"):
        lang = getattr(request, key)
        if lang:
            _named(origin, key, translations, lang)  # an unknown language is an error here, before any work
    chosen = _chosen_exercises(request, program, library, origin)
    ids = _select(list(chosen), request)
    ids, notes = _drop_avoided(ids, request, library)
    ids = _order(ids, request, library, origin)
    _check_targets_on_sheet(ids, request, library, origin)
    templates = _named(origin, "layout", load_layout, request.layout, library.layout_folders)
    sheet = [_sheet_exercise(exercise_id, request, program, chosen.get(exercise_id), library) for exercise_id in ids]
    untranslated = [item.exercise.id for item, translated in sheet if not translated]
    if untranslated:
        languages = " or ".join(f"'{lang}'" for lang in (request.lang, request.also) if lang and lang != SOURCE_LANGUAGE)
        notes.append(f"No {languages} text for {', '.join(untranslated)}; printed in English")
    title, introduction = library.localized_program(program.id, request.lang, ids)
    date = request.date or today or dt.date.today()
    _check_date(date)  # the one part not validated yet: a caller's `today`
    # Built from parts already validated (the request, the library's models, the layout): constructed, not
    # validated again, so a cold `worksheet build` never builds the schema of Spec and all it nests (≈ 50 ms).
    spec = Spec.model_construct(
        **request.model_dump(include=set(SheetOptions.model_fields)),
        program=program.id,
        title=title,
        introduction=introduction,
        exercises=[item for item, _ in sheet],
        date=date,
        templates=templates,
    )
    return spec, notes


def _named(origin: Origin, key: str, find: Callable[..., _T], *args: Any) -> _T:
    """find(*args), its error (an unknown program, language or layout) prefixed with where the value came from;
    the command line checks its own values as it parses them, so they need no prefix."""
    try:
        return find(*args)
    except WorksheetError as error:
        if origin.source_of(key) == OPTIONS:
            raise
        raise type(error)(f"{origin.name(key)}: {error}") from None


def _check_named_exercises(request: Request, library: Library, origin: Origin) -> None:
    """Every id the selection options name is a known exercise ('--order position' names a grouping)."""
    by_position = request.order == [ORDER_BY_POSITION]
    for option in ("only", "include", "exclude", "order"):
        if option == "order" and by_position:
            continue
        for exercise_id in getattr(request, option):
            library.exercise(exercise_id, context=origin.name(option, exercise_id))


def _chosen_exercises(request: Request, program: Program, library: Library, origin: Origin) -> dict[str, _Chosen]:
    """The starting list, in order: the request's own exercises if it lists them, else the program's."""
    if request.exercises is not None:
        entries = [(entry.id, (entry.dosage, entry.image, entry.video)) for entry in request.exercises]
    else:
        entries = [(entry.id, (None, None, None)) for entry in program.exercises]
    for exercise_id, _ in entries:
        library.exercise(exercise_id, context=origin.name("exercises") if request.exercises is not None else "")
    chosen = dict(entries)
    if len(chosen) != len(entries):
        ids = [exercise_id for exercise_id, _ in entries]
        repeated = next(i for i in ids if ids.count(i) > 1)
        raise SpecError(f"{origin.name('exercises')}: '{repeated}' is listed twice; list each exercise once")
    return chosen


def _select(ids: list[str], request: Request) -> list[str]:
    """only, then include, then exclude."""
    if request.only:
        ids = list(dict.fromkeys(request.only))
    ids += [i for i in dict.fromkeys(request.include) if i not in ids]
    excluded = set(request.exclude)
    return [i for i in ids if i not in excluded]


def _drop_avoided(ids: list[str], request: Request, library: Library) -> tuple[list[str], list[str]]:
    """The ids without the exercises marked with an avoided caution tag, and a note for each one dropped."""
    kept, notes = [], []
    for exercise_id in ids:
        exercise = library.exercise(exercise_id)
        avoided = [tag for tag in exercise.caution_tags if tag in request.avoid]
        if avoided:
            notes.append(f"Dropped {exercise_id} ({exercise.name}): marked {', '.join(avoided)}, which --avoid excludes")
        else:
            kept.append(exercise_id)
    return kept, notes


def _order(ids: list[str], request: Request, library: Library, origin: Origin) -> list[str]:
    """'--order position' groups by body position (stable); an id list goes first; none keeps the order."""
    if request.order == [ORDER_BY_POSITION]:
        ids = sorted(ids, key=lambda i: POSITION_ORDER.index(library.exercise(i).position))
    elif request.order:
        first = [i for i in dict.fromkeys(request.order) if i in ids]
        missing = [i for i in request.order if i not in ids]
        if missing:
            raise SpecError(f"{origin.name('order', missing[0])}: '{missing[0]}' is not on this sheet; "
                            f"add it {origin.add_hint('include')} first")
        ids = first + [i for i in ids if i not in first]
    if not ids:
        file, names = origin.listing(("only", "exclude", "avoid"))
        raise SpecError(f"{file + ': ' if file else ''}no exercises left on the sheet; check {names}")
    return ids


def _check_targets_on_sheet(ids: list[str], request: Request, library: Library, origin: Origin) -> None:
    """A dosage, picture or video for an exercise must be for one on the sheet."""
    for key in ("dosage", "images", "videos"):
        for exercise_id in getattr(request, key):
            if exercise_id not in ids:
                named = origin.name(key, exercise_id)
                library.exercise(exercise_id, context=named)
                raise SpecError(f"{named}: '{exercise_id}' is not on this sheet; add it {origin.add_hint('include')} first")


def _sheet_exercise(
    exercise_id: str, request: Request, program: Program, chosen: _Chosen | None, library: Library
) -> tuple[SheetExercise, bool]:
    """One exercise as it prints, its dosage layered exercise → program → spec entry → request; and whether
    it had a translation in each language asked for."""
    exercise, translated = library.localized_exercise(exercise_id, request.lang)
    second, second_translated = library.localized_exercise(exercise_id, request.also) if request.also else (None, True)
    override, chosen_image, chosen_video = chosen or (None, None, None)
    entry = program.entry(exercise_id)
    program_dosage = entry.dosage if entry else None
    dosage = exercise.dosage.updated(program_dosage).updated(override).updated(request.dosage.get(exercise_id))
    user_image = request.images.get(exercise_id) or chosen_image
    user_video = request.videos.get(exercise_id) or chosen_video
    # Every value is validated already (pydantic would not validate the model instances again either).
    item = SheetExercise.model_construct(
        exercise=exercise,
        dosage=dosage,
        image=user_image or exercise.image,
        image_from_user=user_image is not None,
        video=user_video or exercise.video,
        video_from_user=user_video is not None,
        second=second,
    )
    return item, translated and second_translated


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
