"""How hard an exercise's words are to read: the Flesch-Kincaid grade, through textstat.

textstat is pinned at 0.7.3: later releases count syllables with an NLTK corpus fetched at run time, which must
not happen here (no network, and a sheet must not depend on one). 0.7.3 uses Pyphen's bundled dictionaries.
"""

from __future__ import annotations

import re

from .models import Exercise

MAX_GRADE = 8  # flagged above this; the bundled exercises aim for 6 or below
TARGET_GRADE = 6


def reading_grade(exercise: Exercise) -> float:
    """The Flesch-Kincaid grade of what the patient reads: purpose, steps, tips, stop-if and progression lines."""
    import textstat

    sentences = [exercise.purpose, *exercise.steps, *exercise.tips, *exercise.stop_if, *exercise.progression]
    text = " ".join(sentence if sentence.rstrip().endswith((".", "!", "?")) else sentence + "." for sentence in sentences)
    return round(textstat.flesch_kincaid_grade(text), 1)


# A step is one action: one sentence, or two when the second is the hold or the count ("Hold for 5 seconds.").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z¿¡0-9])")
_HOLD_OR_COUNT = re.compile(r"^(hold|count|mantén|cuenta)\b", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def step_is_one_action(step: str) -> bool:
    parts = sentences(step)
    return len(parts) == 1 or (len(parts) == 2 and bool(_HOLD_OR_COUNT.match(parts[1])))


def step_problems(exercise: Exercise) -> list[str]:
    """One line for each step that holds more than one action."""
    return [
        f"field 'steps' item {number} has {len(sentences(step))} sentences; give each action its own step "
        "(a second sentence only for the hold or the count)"
        for number, step in enumerate(exercise.steps, start=1)
        if not step_is_one_action(step)
    ]
