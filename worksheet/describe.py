"""Plain-text descriptions of library items, for `worksheet show`."""

from __future__ import annotations

from pathlib import Path

from .dosage import dosage_line
from .models import CAUTIONS, Exercise
from .readability import reading_grade
from .session import exercise_seconds


def _minutes_and_seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def describe_exercise(exercise: Exercise, source: Path | None = None) -> str:
    lines = [exercise.name]
    if exercise.other_names:
        lines.append(f"Also called: {', '.join(exercise.other_names)}")
    lines += [
        f"Id: {exercise.id}",
        f"Region: {', '.join(exercise.region)} · Position: {exercise.position} · Kind: {exercise.kind}",
        f"Equipment: {', '.join(exercise.equipment)}",
        f"Dosage: {dosage_line(exercise.dosage)}",
        f"Time: about {_minutes_and_seconds(exercise_seconds(exercise.dosage))} a session",
        f"Reading grade: {reading_grade(exercise)} (Flesch-Kincaid)",
        "",
        exercise.purpose,
        "",
        *(f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1)),
    ]
    for label, items in (
        ("Tip", exercise.tips), ("When it gets easy", exercise.progression), ("Stop if", exercise.stop_if),
        ("Ask first", exercise.cautions),
    ):  # fmt: skip
        lines += [f"{label}: {item}" for item in items]
    lines += [f"Ask your clinician first ({tag}) {CAUTIONS[tag]}" for tag in exercise.caution_tags]
    if exercise.movement:
        facts = exercise.movement.model_dump()
        moves = [f"spine {'/'.join(facts.pop('spine'))}", f"neck {'/'.join(facts.pop('neck'))}"]
        lines.append("Movement: " + ", ".join(moves + [name.replace("_", " ") for name, on in facts.items() if on]))
    else:
        lines.append("Movement: not declared (only its position gives it cautions)")
    if exercise.image:
        lines.append(f"Image: {exercise.image}")
    if source:
        lines.append(f"File: {source}")
    return "\n".join(lines)
