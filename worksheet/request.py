"""What a clinician asks for, the same from every door: a spec file, the command line, a roster row, a web form.

Every door builds its ``Request`` in the same three steps:

1. **Read**: the door's values become *request data*, a dict in the spec-file shape. A spec file is read as
   TOML (``read_request``); text typed into an option, a roster cell or a form field is read by the field's kind,
   declared once in ``worksheet.customisation.FIELDS`` (``typed_overrides``), and each value is checked on its
   own, so a bad one is named the way its door names it (``--set bridge.reps``, ``column 'set'``).
2. **Merge**: ``merge(file_data, overrides)``; the overrides win, by one rule per kind of value:

   - left out (``None``, an empty list or table): the file's value stays;
   - a list (``only``, ``include``, ``exclude``, ``order``, ``avoid``): the override's items are added after
     the file's, each once;
   - a table (``dosage``, ``images``, ``videos``): merged key by key, and a table inside it (one exercise's
     dosage) merged the same way, field by field;
   - any other value: replaced.

3. **Validate**: ``Request.from_data(data, source)`` raises ``SpecError`` in the project's words (never
   pydantic's ``ValidationError``), naming the field as ``source`` names it: ``options`` → ``--patient``,
   ``roster`` → ``column 'patient'``, anything else (a file path, ``"form"``) → ``SOURCE: field 'patient'``.

``request_from(program_or_spec, overrides, door)`` does 2 and 3 for a program id or spec file; so, for a web
form whose fields are named by spec key::

    overrides = typed_overrides(form_values, "form", base=upload_folder, layout_folders=())
    request = request_from(form_values["program"], overrides, "form")

or, for data already in the spec-file shape, ``Request.from_data(data, "form")``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from .customisation import BY_KEY, FIELDS, CustomisationField, Typed, TypedValueError, is_empty, read_typed
from .errors import SpecError
from .glyphs import first_unprintable
from .library import OPTIONS, ROSTER, field_name, join_problem, read_toml, validation_problem
from .limits import MAX_EXERCISES
from .links import check_url
from .models import CautionTag, DosageOverride, ExerciseId, SheetDate

Paper = Literal["letter", "a4"]
HeaderText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s<>\"]+$", max_length=300),
    AfterValidator(check_url),  # the QR code holds it IDNA- and percent-encoded (links.py)
]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]  # said in words: library._PATTERNS
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]

# Typed text that reaches the page and may be Chinese, Japanese or Korean (printed in the embedded fallback font).
TYPED_TEXT_FIELDS = ("patient", "clinician", "clinic", "clinic_address", "clinic_phone", "note")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
    lang: LanguageCode = Field("en", description="the language of the sheet, e.g. 'es'")
    duplex: bool = Field(False, description="add a notes page if needed so the page count is even")
    also: LanguageCode | None = Field(
        None, description="a second language printed beside the first (names, steps and dosage), e.g. 'en'"
    )


class Request(SheetOptions):
    """What a clinician asks for: the spec-file format, and what every door fills in (see the module's doc)."""

    program: ExerciseId = Field(description="the program to start from, e.g. 'dont-crack-your-back'")
    exercises: list[RequestedExercise] | None = Field(
        None, max_length=MAX_EXERCISES, description="the exact exercises in order; replaces the program's list"
    )
    only: list[ExerciseId] = Field(default_factory=list, max_length=MAX_EXERCISES, description="keep just these, in this order")
    include: list[ExerciseId] = Field(default_factory=list, max_length=MAX_EXERCISES, description="add these at the end")
    exclude: list[ExerciseId] = Field(default_factory=list, max_length=MAX_EXERCISES, description="drop these")
    order: list[ExerciseId] = Field(default_factory=list, max_length=MAX_EXERCISES, description="put these first, in this order")
    dosage: dict[ExerciseId, DosageOverride] = Field(default_factory=dict, description="dosage changes by id")
    images: dict[ExerciseId, str] = Field(default_factory=dict, description="illustration files by id")
    videos: dict[ExerciseId, Url] = Field(default_factory=dict, description="video links by id")
    date: SheetDate | None = Field(None, description="the date printed on the sheet; today if left out")
    avoid: list[CautionTag] = Field(default_factory=list, max_length=MAX_EXERCISES, description="drop exercises with these caution tags")

    @classmethod
    def from_data(cls, data: Mapping[str, Any], source: str | Origin) -> Request:
        """A validated request from data in the spec-file shape; a SpecError names the field as source does
        (an ``Origin`` for data merged from a spec file and a door's overrides: each field as its own source)."""
        origin = source if isinstance(source, Origin) else Origin(source)
        try:
            request = cls.model_validate(dict(data))
        except ValidationError as error:
            where, detail = validation_problem(error)
            raise SpecError(join_problem(origin.name(where or "(top level)"), detail)) from None
        for detail in ("clinic_address", "clinic_phone"):
            if getattr(request, detail) and not request.clinic:  # it prints under the clinic's name, so never alone
                door = origin.source_of(detail)
                clinic = "--clinic" if door == OPTIONS else "column 'clinic'" if door == ROSTER else "a 'clinic' field"
                raise SpecError(f"{origin.name(detail)} is given but the clinic's name is not; add {clinic}")
        problem = first_unprintable(request.model_dump(include=set(TYPED_TEXT_FIELDS)), allow_cjk=True)
        if problem:
            raise SpecError(f"{origin.name(problem[0])} {problem[1]}")
        return request


@dataclass(frozen=True)
class Origin:
    """Where a request's fields came from, so that a message names each one as its own source does: a spec
    file's key (``ana.toml: field 'include'``), a roster's column (``column 'include'``) or an option
    (``--include``). ``source`` is a spec file's path or a door's name (``OPTIONS``, ``ROSTER``, ``"form"``);
    ``overrides`` is the request data a door put on top of that file, named by ``door``."""

    source: str
    door: str | None = None
    overrides: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def source_of(self, key: str, item: str | None = None) -> str:
        """The source of one field (and of one id in it: a spec file's list may be extended by an option)."""
        value = self.overrides.get(key)
        if self.door is None or value is None or value == [] or value == {}:
            return self.source
        if item is not None and isinstance(value, (list, dict)) and item not in value:
            return self.source
        return self.door

    def name(self, where: str, item: str | None = None) -> str:
        """A field path as its source names it: '--set bridge.reps', "column 'set'", "ana.toml: field 'x.y'"."""
        return _label(self.source_of(where.partition(".")[0], item), where)

    def add_hint(self, key: str, item: str | None = None) -> str:
        """How to add to a list field where this field came from: 'with --include', "in column 'include'"."""
        source = self.source_of(key, item)
        field = BY_KEY[key]
        if source == OPTIONS and field.option:
            return f"with {field.option}"
        if source == ROSTER and field.column:
            return f"in column '{field.column}'"
        return f"to '{key}'"

    def listing(self, keys: tuple[str, ...]) -> tuple[str, str]:
        """Several list fields as their sources name them, and the one spec file they all come from ('' if
        not): ('', '--only, --exclude and --avoid'), ('', "the columns 'only', 'exclude' and 'avoid'"),
        ('ana.toml', "'only', 'exclude' and 'avoid'"), or for a mix ('', "ana.toml's 'only', … and --avoid")."""
        sources = [self.source_of(key) for key in keys]

        def join(names: list[str]) -> str:
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

        if set(sources) == {OPTIONS}:
            return "", join([BY_KEY[key].option or key for key in keys])
        if set(sources) == {ROSTER}:
            return "", "the columns " + join([f"'{BY_KEY[key].column}'" for key in keys])
        if len(set(sources)) == 1:
            return sources[0], join([f"'{key}'" for key in keys])
        parts = [self.listing((key,)) for key in keys]
        return "", join([f"{file}'s {names}" if file else names for file, names in parts])


class FieldValueError(SpecError):
    """One door's value for one field is wrong: ``label`` is the door's name for it (``--set``, ``column 'set'``),
    ``item`` the part inside it (``bridge.reps``, or ''), ``detail`` what is wrong."""

    def __init__(self, label: str, item: str, detail: str) -> None:
        self.label, self.item, self.detail = label, item, detail
        super().__init__(join_problem(f"{label} {item}".strip(), detail))


def _door_label(field: CustomisationField, door: str) -> str:
    if door == OPTIONS and field.option:
        return field.option
    if door == ROSTER and field.column:
        return f"column '{field.column}'"
    return field_name(door, field.key)


def _label(source: str, where: str) -> str:
    """How source names a field path: '--set bridge.reps', "column 'set' bridge.reps", "FILE: field 'x.y'"."""
    key, _, inner = where.partition(".")
    field = BY_KEY.get(key)
    if field is None and source in (OPTIONS, ROSTER):
        return where  # no option or column sets it: the API did, in the spec-file shape
    if field is not None and source in (OPTIONS, ROSTER):
        return f"{_door_label(field, source)} {inner if field.kind != 'ids' else ''}".strip()
    return field_name(source, where)


@functools.cache
def _adapter(key: str) -> TypeAdapter:
    info = Request.model_fields[key]
    annotation: Any = info.annotation
    return TypeAdapter(Annotated[(annotation, *info.metadata)] if info.metadata else annotation)


def read_field(
    field: CustomisationField, typed: Typed, door: str, base: Path, layout_folders: tuple[Path, ...] | None = None
) -> Any:
    """One field's typed text as checked request data. With layout_folders, a language or layout must also exist
    (the CLI checks them while parsing, so a bad one is a usage error)."""
    label = _door_label(field, door)
    try:
        value = read_typed(field, typed, base)
    except TypedValueError as error:
        raise FieldValueError(label, "", str(error)) from None
    if field.kind == "ids" and not value:  # a cell of just ';' would otherwise read as no filter at all
        shown = typed if isinstance(typed, str) else ",".join(typed)  # type: ignore[arg-type]
        raise FieldValueError(label, "", f"{shown!r} names nothing; give at least one id, e.g. bridge")
    try:
        _adapter(field.key).validate_python(value)
    except ValidationError as error:
        where, detail = validation_problem(error)
        raise FieldValueError(label, "" if field.kind == "ids" else where, detail) from None
    if field.key in TYPED_TEXT_FIELDS:
        problem = first_unprintable(value, allow_cjk=True)
        if problem:
            raise FieldValueError(label, "", problem[1])
    if layout_folders is not None:
        _check_known(field, value, label, layout_folders)
    return value


def _check_known(field: CustomisationField, value: Any, label: str, layout_folders: tuple[Path, ...]) -> None:
    from .i18n import available_languages
    from .templates import available_layouts

    choices = {"lang": available_languages, "also": available_languages, "layout": lambda: available_layouts(layout_folders)}
    if field.key in choices:
        known = choices[field.key]()
        if value not in known:
            what = "not found" if field.key == "layout" else "is not available"
            raise FieldValueError(label, "", f"{field.key.replace('also', 'lang').replace('lang', 'language')} "
                                             f"'{value}' {what}; choose one of: {', '.join(known)}")


def typed_overrides(
    values: Mapping[str, Typed | None], door: str, base: Path, layout_folders: tuple[Path, ...] | None = None
) -> dict[str, Any]:
    """Request data from typed values keyed by spec key (a roster row, a form); empty values are left out."""
    return {
        key: read_field(BY_KEY[key], typed, door, base, layout_folders)
        for key, typed in values.items()
        if key in BY_KEY and key != "program" and typed is not None and not is_empty(typed)
    }


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """base with overrides on top, by the rules in the module's doc: lists extend, tables merge, the rest replaces."""
    merged = dict(base)
    for key, value in overrides.items():
        if value is None or value == [] or value == {}:
            continue
        current = merged.get(key)
        if isinstance(value, list) and isinstance(current, list):
            merged[key] = current + [item for item in value if item not in current]
        elif isinstance(value, dict) and isinstance(current, dict):
            merged[key] = merge(current, value)
        else:
            merged[key] = value
    return merged


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


def _is_file(path: Path) -> bool:
    """Path.is_file(), but False for a name no file could have (too long, a NUL in it) instead of an error."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def base_data(program_or_spec: str, door: str) -> tuple[dict[str, Any], str]:
    """The data a request starts from: a spec file's (named by its path), or just a program id (named by door)."""
    path = Path(program_or_spec)
    if program_or_spec.endswith(".toml") or _is_file(path):
        return read_request(path), str(path)
    return {"program": program_or_spec}, door


def request_from(program_or_spec: str, overrides: Mapping[str, Any], door: str) -> Request:
    """The request for a program id or spec file with a door's overrides on top."""
    return request_with_origin(program_or_spec, overrides, door)[0]


def request_with_origin(program_or_spec: str, overrides: Mapping[str, Any], door: str) -> tuple[Request, Origin]:
    """request_from(), and where each of its fields came from, for resolving it (``spec.resolve_with_notes``)
    with messages that name each field as its own source does."""
    data, source = base_data(program_or_spec, door)
    origin = Origin(source, door if source != door else None, dict(overrides))
    return Request.from_data(merge(data, overrides), origin), origin


__all__ = [
    "FIELDS", "FieldValueError", "Origin", "Request", "RequestedExercise", "SheetOptions", "base_data", "merge",
    "read_field", "read_request", "request_from", "request_with_origin", "typed_overrides",
]  # fmt: skip
