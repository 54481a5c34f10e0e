"""Finding exercises: filters on the tags every exercise carries, and free-text search.

``listed`` gives what `worksheet list` shows of a library. For the bundled library alone it comes from the disk
cache (worksheet/_cache.py) when the bundled files are unchanged since a full load stored it: listing then needs
neither the schema library nor the ~100 TOML files parsed and validated (≈ 0.3 → 0.1 s a command).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .library import Library


class Listed(Protocol):
    """What filtering and listing read of an exercise: an Exercise has it, and so does a cached summary."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def other_names(self) -> Sequence[str]: ...

    @property
    def region(self) -> Sequence[str]: ...

    @property
    def position(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def equipment(self) -> Sequence[str]: ...

    @property
    def level(self) -> str: ...

    @property
    def tags(self) -> Sequence[str]: ...

    @property
    def caution_tags(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class ExerciseSummary:
    """An exercise as `worksheet list` knows it (the fields of ``summary``), read back from the cache."""

    id: str
    name: str
    other_names: list[str]
    region: list[str]
    position: str
    kind: str
    equipment: list[str]
    level: str
    tags: list[str]
    caution_tags: list[str]


def _folded(text: str) -> str:
    """Lower case without accents, so 'cafe' finds 'café'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


@dataclass(frozen=True)
class ExerciseFilter:
    """Each non-empty criterion must match; several values for one criterion match any of them."""

    region: tuple[str, ...] = ()
    position: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    search: str = ""
    avoid: tuple[str, ...] = field(default=())
    caution: tuple[str, ...] = ()  # caution tags (rule-given or the exercise's own): any of them

    def matches(self, exercise: Listed) -> bool:
        checks = (
            (self.region, exercise.region),
            (self.position, [exercise.position]),
            (self.kind, [exercise.kind]),
            (self.equipment, exercise.equipment),
            (self.level, [exercise.level]),
        )
        if any(wanted and not set(wanted) & set(values) for wanted, values in checks):
            return False
        if set(self.avoid) & set(exercise.caution_tags):
            return False
        if self.caution and not set(self.caution) & set(exercise.caution_tags):
            return False
        if self.search:
            haystack = _folded(" ".join([exercise.id, exercise.name, *exercise.other_names, *exercise.tags]))
            return all(word in haystack for word in _folded(self.search).split())
        return True


def find(exercises: Iterable[Listed], criteria: ExerciseFilter) -> list:
    """The matching exercises, by id."""
    return sorted((exercise for exercise in exercises if criteria.matches(exercise)), key=lambda e: e.id)


def summary(exercise: Listed) -> dict[str, Any]:
    """What `worksheet list --format json` prints for one exercise."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        "other_names": exercise.other_names,
        "region": exercise.region,
        "position": exercise.position,
        "kind": exercise.kind,
        "equipment": exercise.equipment,
        "level": exercise.level,
        "tags": exercise.tags,
        "caution_tags": exercise.caution_tags,
    }


# The schema's tag vocabularies `worksheet list` filters by (worksheet.models), kept beside the listing.
VOCABULARIES = ("Region", "Position", "Kind", "Equipment", "Level", "CAUTIONS")


def _schema_vocabulary(type_name: str) -> list[str]:
    from typing import get_args

    from . import models

    found = getattr(models, type_name)
    return list(found) if isinstance(found, dict) else list(get_args(found))


def _stored_listing() -> dict[str, Any] | None:
    from . import _cache

    stored = _cache.load("listing", _cache.bundled_assets_key("listing"))
    if stored is None:
        return None
    try:
        entry = json.loads(stored)
        return entry if isinstance(entry, dict) and isinstance(entry.get("exercises"), list) else None
    except ValueError:
        return None  # not an entry this code wrote


def vocabulary(type_name: str) -> list[str]:
    """The values of one of the schema's tag types (VOCABULARIES): from the cached listing when there is one,
    which a full load of the same code and files stored, so a filter's value is checked without importing the
    schema library; else from the schema itself. Fixed for a process, like the schema it comes from."""
    return list(_vocabulary(type_name))


@functools.cache
def _vocabulary(type_name: str) -> tuple[str, ...]:
    stored = _stored_listing()
    found = stored.get("vocabularies", {}).get(type_name) if stored is not None else None
    return tuple(found) if isinstance(found, list) else tuple(_schema_vocabulary(type_name))


def listed(extra_folders: tuple[Path, ...], load: Callable[[], Library]) -> list:
    """The library's exercises as listing reads them: Exercises from ``load()``, or, for the bundled library
    alone, summaries from the disk cache when a full load of the same files stored them."""
    from . import _cache

    if extra_folders:  # the user's folders are read and checked every time
        return list(load().exercises.values())
    stored = _stored_listing()
    if stored is not None:
        try:
            return [ExerciseSummary(**item) for item in stored["exercises"]]
        except TypeError:
            pass  # not an entry this code wrote: load the library again
    exercises = list(load().exercises.values())
    entry = {"exercises": [summary(exercise) for exercise in exercises],
             "vocabularies": {name: _schema_vocabulary(name) for name in VOCABULARIES}}  # fmt: skip
    _cache.store("listing", _cache.bundled_assets_key("listing"), json.dumps(entry).encode())
    return exercises
