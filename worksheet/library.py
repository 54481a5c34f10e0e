"""Load exercise and program files (the bundled ones plus any folder the user adds) into validated models."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ._paths import bundled
from .cautions import contradictions, program_direction_problems
from .errors import DataError
from .glyphs import first_unprintable
from .i18n import SOURCE_LANGUAGE
from .limits import MAX_TOML_BYTES, read_input
from .models import Exercise, ExerciseText, Program, ProgramText
from .readability import MAX_GRADE, reading_grade, step_problems

# The fields that reach the page; ids, paths and pose data never do.
_PRINTED_FIELDS = {"name", "other_names", "purpose", "steps", "tips", "stop_if", "cautions", "title", "introduction"}

Model = TypeVar("Model", bound=BaseModel)
Item = TypeVar("Item", Exercise, Program)
OPTIONS = "options"  # the source name of values typed on the command line
ROSTER = "roster"  # the source name of values from a batch roster's row


def describe_validation_error(source: str, error: ValidationError) -> str:
    """One line naming the file (or option), the field, what was found and what was expected."""
    where, detail = validation_problem(error)
    if not where and source not in (OPTIONS, ROSTER):
        return f"{source}: {detail}"  # a check of the whole file (its length, say)
    return join_problem(field_name(source, where or "(top level)"), detail)


def validation_problem(error: ValidationError) -> tuple[str, str]:
    """The first problem's field path ('' at the top) and what is wrong with it, in words."""
    first = error.errors()[0]
    where = _field_path(first["loc"])
    expected = first["msg"]
    if first["type"] == "missing":
        detail = "is missing; add it"
    elif first["type"] == "value_error":  # our own validators say what was found
        detail = expected.removeprefix("Value error, ")
    elif first["type"] == "extra_forbidden":
        detail = "is not a known field; remove it or check its spelling"
    elif first["type"] == "too_long" and "actual_length" in first.get("ctx", {}):
        context = first["ctx"]
        detail = f"has {context['actual_length']} items; at most {context['max_length']} are allowed"
    elif first["type"] == "string_pattern_mismatch":
        expected = _PATTERNS.get(str(first.get("ctx", {}).get("pattern")), "does not have the form this field takes")
        detail = f"{expected} (found {_short(first.get('input'))})"
    else:
        detail = f"{expected} (found {_short(first.get('input'))})"
    locations = {_field_path(e["loc"]) for e in error.errors()}  # one field failing several union members is one problem
    more = len(locations) - 1
    return where, detail + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def join_problem(name: str, detail: str) -> str:
    """'--patient: String should …', or '… is missing; add it'."""
    return f"{name} {detail}" if detail.startswith("is ") else f"{name}: {detail}"


# Pydantic says "String should match pattern '^…$'"; the user is told the form in words.
_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "should be lower-case letters and digits joined by hyphens, like 'single-knee-to-chest'",
    r"^https?://[^\s<>\"]+$": "should be a web link starting with http:// or https://, with no spaces",
    r"^#[0-9a-fA-F]{6}$": "should be a colour written #RRGGBB, like #1f5f8b",
    r"^[a-z]{2,3}(_[A-Z]{2})?$": "should be a language code like 'es' or 'pt_BR'",
}
# Request fields filled from an option (or the argument) of a different name.
_OPTION_NAMES = {"program": "PROGRAM_OR_SPEC", "videos": "--video", "images": "--image", "dosage": "--set"}


def _field_path(location: tuple) -> str:
    """'dosage.days' from pydantic's location, without the union member it tried ('constrained-int', …)."""
    fields = [str(part) for part in location]
    return ".".join(fields[: next((i for i, part in enumerate(fields) if _is_union_member(part)), len(fields))])


def _is_union_member(part: str) -> bool:
    # Field names are lower-case; a capitalised part is a model the union tried ('JointAngles').
    return "[" in part or part.startswith(("constrained-", "function-")) or part in ("int", "str", "float", "bool") \
        or part[:1].isupper()


def field_name(source: str, field: str) -> str:
    """How to name a field in a message: `--patient` for a command-line option, else `FILE: field 'x'`."""
    if source == OPTIONS:
        top = field.split(".")[0]
        return _OPTION_NAMES.get(top, f"--{top.replace('_', '-')}")
    if source == ROSTER:
        return f"column '{field.split('.')[0]}'"
    return f"{source}: field '{field}'"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, or a DataError naming the file and the line."""
    try:
        return tomllib.loads(read_input(path, MAX_TOML_BYTES, DataError, "TOML file").decode("utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, expected a .toml file") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib says "Illegal character '\\n'" of a quote left open at the end of a line: said in words.
        detail = str(error).replace("Illegal character '\\n'", "a line ends inside a quoted value (close its quote)")
        raise DataError(f"{path}: not valid TOML: {detail}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise DataError(f"{path}: nested too deeply to read; no worksheet file needs more than a few levels") from None
    except OSError as error:
        raise DataError(f"{path}: cannot be read: {error.strerror}") from None


def validate(model: type[Model], data: dict[str, Any], source: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise DataError(describe_validation_error(source, error)) from None


def _load_file(model: type[Model], path: Path) -> Model:
    data = read_toml(path)
    stem = path.stem
    if data.setdefault("id", stem) != stem:
        raise DataError(f"{path}: field 'id' is {data['id']!r} but the file is named {stem!r}; make them match")
    if model is Exercise and isinstance(data.get("image"), str):
        # An image path in an exercise file is relative to that file, wherever the command runs.
        data["image"] = str((path.parent / data["image"]).resolve())
    item = validate(model, data, str(path))
    problem = first_unprintable(item.model_dump(include=_PRINTED_FIELDS))
    if problem:
        raise DataError(f"{field_name(str(path), problem[0])} {problem[1]}")
    return item


def suggest(name: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class Library:
    """Every exercise and program available to a build, by id."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    # Where each id came from, so messages (and overrides) can say which file won.
    sources: dict[str, Path] = field(default_factory=dict)
    overridden: list[str] = field(default_factory=list)
    # Translated texts by (language, "exercises" | "programs", id).
    texts: dict[tuple[str, str, str], BaseModel] = field(default_factory=dict)
    # The user's layout folders, looked up before the bundled layouts when a request is resolved.
    layout_folders: tuple[Path, ...] = ()

    def localized_exercise(self, exercise_id: str, lang: str) -> tuple[Exercise, bool]:
        """The exercise with its words in lang where a translation exists; and whether one did."""
        exercise = self.exercise(exercise_id)
        if lang == SOURCE_LANGUAGE:
            return exercise, True
        text = self.texts.get((lang, "exercises", exercise_id))
        if text is None:
            return exercise, False
        return exercise.model_copy(update=text.model_dump(exclude_none=True)), True

    def localized_program(self, program_id: str, lang: str, ids: list[str] | None = None) -> tuple[str, str]:
        """The program's title and introduction in lang (English where there is no translation); with the
        sheet's exercise ids, the introduction carries the sentence of each option on the sheet."""
        program = self.program(program_id)
        text = self.texts.get((lang, "programs", program_id))
        assert text is None or isinstance(text, ProgramText)
        introduction = (text and text.introduction) or program.introduction
        return (
            (text and text.title) or program.title,
            program.introduction_for(introduction, ids or [], text.options if text else None),
        )

    def exercise(self, exercise_id: str, context: str = "") -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            hint = suggest(exercise_id, sorted(self.exercises))
            prefix = f"{context}: " if context else ""
            raise DataError(
                f"{prefix}unknown exercise '{exercise_id}'{hint}; 'worksheet list' shows them all"
            ) from None

    def program(self, program_id: str) -> Program:
        try:
            return self.programs[program_id]
        except KeyError:
            hint = suggest(program_id, sorted(self.programs))
            raise DataError(
                f"unknown program '{program_id}'{hint}; 'worksheet programs' shows them all"
            ) from None

    def add_folder(self, folder: Path) -> None:
        """Load ``exercises/*.toml`` and ``programs/*.toml`` under folder; a later folder overrides an id."""
        if not folder.is_dir():
            raise DataError(f"{folder}: library folder not found")
        if not any(any((folder / kind).glob("*.toml")) for kind in ("exercises", "programs")) and not translation_files(folder / "i18n"):
            raise DataError(
                f"{folder}: has no exercises/*.toml, programs/*.toml or i18n/ files; a library folder holds those"
            )
        self._add_kind(folder, "exercises", Exercise, self.exercises)
        self._add_kind(folder, "programs", Program, self.programs)
        for program in self.programs.values():
            for entry in [*program.exercises, *program.options]:
                self.exercise(entry.id, context=str(self.sources[f"programs/{program.id}"]))
        self._add_translations(folder / "i18n")

    def _add_kind(self, folder: Path, kind: str, model: type[Item], target: dict[str, Item]) -> None:
        for path in sorted((folder / kind).glob("*.toml")):
            item = _load_file(model, path)
            key = f"{kind}/{item.id}"
            if item.id in target:
                self.overridden.append(f"{kind[:-1]} '{item.id}' from {path} overrides {self.sources[key]}")
            target[item.id] = item
            self.sources[key] = path

    def _add_translations(self, folder: Path) -> None:
        """Load i18n/<lang>/exercises/*.toml and …/programs/*.toml, checked against the items they translate."""
        for path in translation_files(folder):
            key, text = load_translation(path, self.exercises, self.programs)
            self.texts[key] = text


def translation_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/exercises/*.toml")) + sorted(folder.glob("*/programs/*.toml"))


def load_translation(
    path: Path, exercises: dict[str, Exercise], programs: dict[str, Program]
) -> tuple[tuple[str, str, str], BaseModel]:
    """One i18n/<lang>/<kind>/<id>.toml, validated and checked item for item against what it translates."""
    lang, kind, item_id = path.parent.parent.name, path.parent.name, path.stem
    target: dict[str, Any] = exercises if kind == "exercises" else programs
    if item_id not in target:
        hint = suggest(item_id, sorted(target))
        raise DataError(f"{path}: translates '{item_id}', which is not in the library{hint}")
    model = ExerciseText if kind == "exercises" else ProgramText
    text = validate(model, read_toml(path), str(path))
    original = target[item_id]
    for name in model.model_fields:  # every list the translation gives must match the original's length
        translated = getattr(text, name)
        if isinstance(translated, list) and len(translated) != len(getattr(original, name)):
            raise DataError(
                f"{path}: field '{name}' has {len(translated)} items but the original has "
                f"{len(getattr(original, name))}; translate each one"
            )
    problem = first_unprintable(text.model_dump(exclude_none=True))
    if problem:
        raise DataError(f"{field_name(str(path), problem[0])} {problem[1]}")
    return (lang, kind, item_id), text


def load_library(extra_folders: tuple[Path, ...] | list[Path] = (), layout_folders: tuple[Path, ...] = ()) -> Library:
    """The bundled library, then each extra folder on top of it; layout_folders hold the user's own layouts."""
    library = _bundled_library()
    library.layout_folders = tuple(Path(folder) for folder in layout_folders)
    for folder in extra_folders:
        library.add_folder(Path(folder))
    return library


def _bundled_library() -> Library:
    """The bundled library, loaded and checked; from the disk cache (worksheet/_cache.py) when the bundled files
    and the code are those a full load stored it with (≈ 60 ms of a cold command → 4 ms)."""
    import pickle

    from . import _cache

    name = _cache.bundled_assets_key("library")
    stored = _cache.load("library", name)
    if stored is not None:
        try:
            library = pickle.loads(stored)
            if isinstance(library, Library):
                return library
        except Exception:  # a damaged entry, whatever it raises: load the files again
            pass
    library = Library()
    library.add_folder(bundled("assets"))
    _cache.store("library", name, pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL))
    return library


@dataclass
class CheckReport:
    """What `worksheet check` found in a folder: every problem, not just the first."""

    exercises: int = 0
    programs: int = 0
    translations: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_folder(folder: Path, base: Library) -> CheckReport:
    """Validate every exercise and program file under folder against the schema and against base + folder."""
    report = CheckReport()
    if not folder.is_dir():
        report.problems.append(f"{folder}: folder not found")
        return report
    if not any((folder / kind).is_dir() for kind in ("exercises", "programs")):
        report.problems.append(f"{folder}: has neither exercises/ nor programs/; put the .toml files in those folders")
        return report
    exercises = dict(base.exercises)
    all_programs = dict(base.programs)
    programs: list[tuple[Path, Program]] = []
    for kind, model in (("exercises", Exercise), ("programs", Program)):
        for path in sorted((folder / kind).glob("*.toml")):
            try:
                item = _load_file(model, path)
            except DataError as error:
                report.problems.append(str(error))
                continue
            if isinstance(item, Exercise):
                report.exercises += 1
                grade = reading_grade(item)
                if grade > MAX_GRADE:
                    report.warnings.append(
                        f"{path}: reading grade {grade} (Flesch-Kincaid), above grade {MAX_GRADE}; "
                        "use shorter sentences and everyday words"
                    )
                report.problems += [f"{path}: {line}" for line in contradictions(item)]
                if item.movement is None:
                    report.warnings.append(
                        f"{path}: no [movement] table, so only its position gives it cautions; add one "
                        "(see assets/cautions.toml and the bundled exercises)"
                    )
                report.warnings += [f"{path}: {line}" for line in step_problems(item)]
                if item.id in base.exercises:
                    report.notes.append(f"{path}: overrides the bundled exercise '{item.id}'")
                exercises[item.id] = item
            elif isinstance(item, Program):
                report.programs += 1
                programs.append((path, item))
                all_programs[item.id] = item
    for path, program in programs:
        for entry in [*program.exercises, *program.options]:
            if entry.id not in exercises:
                hint = suggest(entry.id, sorted(exercises))
                report.problems.append(f"{path}: unknown exercise '{entry.id}'{hint}")
        known = [exercises[entry.id] for entry in [*program.exercises, *program.options] if entry.id in exercises]
        report.problems += [f"{path}: {line}" for line in program_direction_problems(program, known)]
    for path in translation_files(folder / "i18n"):
        try:
            load_translation(path, exercises, all_programs)
            report.translations += 1
        except DataError as error:
            report.problems.append(str(error))
    return report
