"""Plain-text descriptions of library items, for `worksheet show`."""

from __future__ import annotations

from pathlib import Path

from .dosage import dosage_line
from .models import Exercise


def describe_exercise(exercise: Exercise, source: Path | None = None) -> str:
    lines = [exercise.name]
    if exercise.other_names:
        lines.append(f"Also called: {', '.join(exercise.other_names)}")
    lines += [
        f"Id: {exercise.id}",
        f"Region: {', '.join(exercise.region)} · Position: {exercise.position} · Kind: {exercise.kind}",
        f"Equipment: {', '.join(exercise.equipment)}",
        f"Dosage: {dosage_line(exercise.dosage)}",
        "",
        exercise.purpose,
        "",
        *(f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1)),
    ]
    for label, items in (("Tip", exercise.tips), ("Stop if", exercise.stop_if), ("Ask first", exercise.cautions)):
        lines += [f"{label}: {item}" for item in items]
    if exercise.image:
        lines.append(f"Image: {exercise.image}")
    if source:
        lines.append(f"File: {source}")
    return "\n".join(lines)
