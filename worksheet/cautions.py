"""Cautions from rules: an exercise's movement facts, the rule table (assets/cautions.toml), and what follows.

Every "ask your clinician first" line a sheet prints comes from a rule applied to the exercise's facts (its
position and its ``[movement]`` table), plus any tag the exercise adds itself; an exercise cannot drop a tag a
rule gives it. Compose, ``--avoid`` and ``worksheet list --caution`` all read ``Exercise.caution_tags``, which
the exercise model fills from these rules when it is validated, so they cannot disagree.

The tag vocabulary is read when this module is imported: it is the schema's enum (``CautionTag``), like a
constant, and the file is small and bundled. The rules are read and validated on first use.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ._paths import bundled
from .errors import DataError

if TYPE_CHECKING:
    from .models import Exercise, Program


def _table_path():
    return bundled("assets") / "cautions.toml"


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    with _table_path().open("rb") as handle:
        return tomllib.load(handle)


# tag -> the sentence completing "Ask your clinician first …", in the file's order (the order cards print them).
CAUTIONS: dict[str, str] = {tag: entry["ask_first"] for tag, entry in _table()["tags"].items()}
# Older tag ids still accepted in exercise files, spec files and --avoid.
FORMER_TAGS: dict[str, str] = {
    old: tag for tag, entry in _table()["tags"].items() for old in entry.get("formerly", [])
}


def _current_tag(value: Any) -> Any:
    return FORMER_TAGS.get(value, value) if isinstance(value, str) else value


if TYPE_CHECKING:
    CautionTag = str  # the vocabulary is data (assets/cautions.toml), so a type checker sees a string
else:
    CautionTag = Annotated[Literal[tuple(CAUTIONS)], BeforeValidator(_current_tag)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


SpineMotion = Literal["flexion", "extension", "rotation", "side-bend", "neutral"]
NeckMotion = Literal["still", "flexion", "extension", "rotation", "side-bend", "retraction", "isometric"]


def _exclusive(values: Sequence[str], alone: str) -> Sequence[str]:
    if alone in values and len(values) > 1:
        raise ValueError(f"'{alone}' means no other movement; list '{alone}' alone or the movements alone")
    return values


class Movement(_Strict):
    """What an exercise does to the body: the facts the caution rules read. Every fact is stated, none assumed.

    Describe the exercise as its steps ask for it (including a tip that tells the patient to do more)."""

    spine: list[SpineMotion] = Field(
        min_length=1, description="how the spine moves: flexion (bending forward), extension (backward), "
        "rotation (twisting), side-bend, or neutral (held still)"
    )
    spine_end_range: bool = Field(description="the spine is taken toward the end of its range (a stretch, not a small tilt)")
    spine_loaded: bool = Field(description="the spine bends or twists while upright, carrying the body's weight or a load")
    hip_flexion_past_90: bool = Field(description="a hip bends past a right angle (knee toward the chest, folding forward)")
    hip_adduction_past_midline: bool = Field(description="a leg crosses the body's midline")
    hip_internal_rotation: bool = Field(description="a hip turns in (knee falling inward across the body)")
    wrist_weight_bearing: bool = Field(description="body weight rests on the hands")
    arms_overhead: bool = Field(description="an arm is raised overhead (in line with the body)")
    neck: list[NeckMotion] = Field(
        min_length=1, description="what the neck does: still, or flexion, extension, rotation, side-bend, "
        "retraction (chin tuck), isometric (pressing without moving)"
    )
    balance_challenge: bool = Field(description="standing on one leg, kneeling on one knee, or standing up from sitting")

    @model_validator(mode="after")
    def _neutral_alone(self) -> Movement:
        _exclusive(self.spine, "neutral")
        _exclusive(self.neck, "still")
        return self


FACTS = ("position", *Movement.model_fields)  # what a rule's condition may name


class Condition(_Strict):
    """One way a rule applies: every fact named must hold."""

    position: list[str] | None = None
    spine: list[SpineMotion] | None = None
    neck: list[NeckMotion] | None = None
    spine_end_range: bool | None = None
    spine_loaded: bool | None = None
    hip_flexion_past_90: bool | None = None
    hip_adduction_past_midline: bool | None = None
    hip_internal_rotation: bool | None = None
    wrist_weight_bearing: bool | None = None
    arms_overhead: bool | None = None
    balance_challenge: bool | None = None

    def holds(self, facts: dict[str, Any]) -> bool:
        for name, wanted in self:
            if wanted is None:
                continue
            have = facts.get(name)
            if have is None:  # no [movement] table: only position is known
                return False
            if isinstance(wanted, list):
                have_values = have if isinstance(have, list) else [have]
                if not set(wanted) & set(have_values):
                    return False
            elif have != wanted:
                return False
        return True


class Rule(_Strict):
    tag: CautionTag
    when: list[Condition] = Field(min_length=1)
    reason: str = Field(min_length=1)
    reference: str = ""

    def applies(self, facts: dict[str, Any]) -> bool:
        return any(condition.holds(facts) for condition in self.when)


@functools.lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The rule table, validated (positions against the exercise schema's vocabulary)."""
    from typing import get_args

    from .models import Position

    path = _table_path()
    found = []
    for number, data in enumerate(_table().get("rules", []), start=1):
        try:
            rule = Rule.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise DataError(f"{path}: rule {number}, field '{where}': {first['msg']}") from None
        for condition in rule.when:
            unknown = set(condition.position or ()) - set(get_args(Position))
            if unknown:
                raise DataError(f"{path}: rule {number}: unknown position {sorted(unknown)[0]!r}")
        found.append(rule)
    return tuple(found)


def facts_of(position: str, movement: Movement | None) -> dict[str, Any]:
    facts: dict[str, Any] = {"position": position}
    if movement is not None:
        facts.update(movement.model_dump())
    return facts


def rule_tags(position: str, movement: Movement | None) -> list[str]:
    """The tags the rules give an exercise with these facts, in the table's order."""
    facts = facts_of(position, movement)
    given = {rule.tag for rule in rules() if rule.applies(facts)}
    return [tag for tag in CAUTIONS if tag in given]


def all_tags(position: str, movement: Movement | None, own: list[str]) -> list[str]:
    """The rules' tags plus the exercise's own, once each, in the table's order."""
    wanted = set(rule_tags(position, movement)) | set(own)
    return [tag for tag in CAUTIONS if tag in wanted]


def reasons(position: str, movement: Movement | None) -> dict[str, Rule]:
    """Each rule-given tag and the rule that gives it (for `worksheet show` and the docs)."""
    facts = facts_of(position, movement)
    return {rule.tag: rule for rule in rules() if rule.applies(facts)}


# --- Direction of spinal movement: a sheet mixing forward and backward bending must say which to stop first.

Direction = Literal["flexion", "extension"]


def direction(exercise: Exercise) -> Direction | None:
    """'flexion' or 'extension' for an exercise biased one way; None for neutral, twisting or both ways."""
    if exercise.movement is None:
        return None
    moves = set(exercise.movement.spine)
    if "flexion" in moves and "extension" not in moves:
        return "flexion"
    if "extension" in moves and "flexion" not in moves:
        return "extension"
    return None


def mixed_directions(exercises: list[Exercise]) -> dict[str, list[str]] | None:
    """{'flexion': [ids], 'extension': [ids]} when the list has both kinds, else None."""
    by_direction: dict[str, list[str]] = {"flexion": [], "extension": []}
    for exercise in exercises:
        way = direction(exercise)
        if way:
            by_direction[way].append(exercise.id)
    return by_direction if all(by_direction.values()) else None


def mixed_directions_warning(exercises: list[Exercise], covered_by: str | None = None) -> str | None:
    """The one-line build warning for a sheet mixing directions, unless its introduction covers it
    (``covered_by``: the exercise the program tells the patient to stop first, when it is on the sheet)."""
    mixed = mixed_directions(exercises)
    if not mixed or (covered_by and covered_by in {exercise.id for exercise in exercises}):
        return None
    return (
        f"this sheet mixes bending forward ({', '.join(mixed['flexion'])}) and bending backward "
        f"({', '.join(mixed['extension'])}); add a note telling the patient which to stop first if one makes "
        "the pain worse (--note)"
    )


def _named_in(exercise: Exercise, text: str) -> bool:
    """Whether text names the exercise: its name, or the short name in brackets after a plain one."""
    names = [exercise.name, *re.findall(r"\(([^)]+)\)", exercise.name)]
    return any(name.casefold() in text.casefold() for name in names)


def program_direction_problems(program: Program, exercises: list[Exercise]) -> list[str]:
    """A program mixing forward and backward bending must name the exercise to stop first, in its introduction."""
    mixed = mixed_directions(exercises)
    by_id = {exercise.id: exercise for exercise in exercises}
    if program.stop_first is None:
        if not mixed:
            return []
        return [
            f"field 'stop_first' is missing: the program mixes bending forward ({', '.join(mixed['flexion'])}) and "
            f"backward ({', '.join(mixed['extension'])}); name the exercise to stop first if one makes the pain "
            "worse, and say so in the introduction"
        ]
    if program.stop_first not in by_id:
        return [f"field 'stop_first': '{program.stop_first}' is not in the program; name one of its exercises"]
    if not _named_in(by_id[program.stop_first], program.introduction_for(program.introduction, list(by_id))):
        return [
            f"field 'introduction' does not name '{by_id[program.stop_first].name}' (stop_first); tell the patient "
            "which exercise to stop first"
        ]
    return []


# --- Facts against words: what `worksheet check` can tell from the text.

_POSITION_WORDS = (
    (re.compile(r"\blie (down )?(on your stomach|face down)\b", re.I), "lying-on-stomach"),
    (re.compile(r"\blie (down )?(on your back|face up)\b", re.I), "lying-on-back"),
    (re.compile(r"\blie (down )?on your side\b", re.I), "lying-on-side"),
)
# Words in a step that imply a movement fact: (pattern, fact that must be true, the caution that follows it).
_IMPLIED_FACTS = (
    (re.compile(r"\bknees? (up )?(to|toward|towards) your chest\b", re.I), "hip_flexion_past_90", "hip replacement"),
    (re.compile(r"\bcross (one|your) (leg|knee) over\b", re.I), "hip_adduction_past_midline", "hip replacement"),
    (re.compile(r"\bhands and knees\b", re.I), "wrist_weight_bearing", "wrist"),
    (re.compile(r"\b(over|above) your head\b|\boverhead\b", re.I), "arms_overhead", "shoulder"),
)


def contradictions(exercise: Exercise) -> list[str]:
    """Where an exercise's steps say one thing and its facts another: one line each, naming the field."""
    found = []
    for number, step in enumerate(exercise.steps, start=1):
        for pattern, position in _POSITION_WORDS:
            said = pattern.search(step)
            if said and exercise.position != position:
                found.append(
                    f"field 'steps' item {number} says {said.group(0)!r} but 'position' is "
                    f"'{exercise.position}'; make them agree (the pregnancy cautions follow 'position')"
                )
        for pattern, fact, caution in _IMPLIED_FACTS:
            match = pattern.search(step)
            if exercise.movement and match and not getattr(exercise.movement, fact):
                found.append(
                    f"field 'steps' item {number} says {match.group(0)!r} but 'movement.{fact}' is false; "
                    f"set it to true (the {caution} caution follows it)"
                )
    return found
