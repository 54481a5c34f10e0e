"""Finding exercises: filters on the tags every exercise carries, and free-text search."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Exercise


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

    def matches(self, exercise: Exercise) -> bool:
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


def find(exercises: Iterable[Exercise], criteria: ExerciseFilter) -> list[Exercise]:
    """The matching exercises, by id."""
    return sorted((exercise for exercise in exercises if criteria.matches(exercise)), key=lambda e: e.id)


def summary(exercise: Exercise) -> dict:
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
