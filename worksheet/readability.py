"""How hard an exercise's words are to read: the Flesch-Kincaid grade, through textstat.

textstat is pinned at 0.7.3: later releases count syllables with an NLTK corpus fetched at run time, which must
not happen here (no network, and a sheet must not depend on one). 0.7.3 uses Pyphen's bundled dictionaries.
"""

from __future__ import annotations

from .models import Exercise

MAX_GRADE = 8  # flagged above this; the bundled exercises aim for 6 or below
TARGET_GRADE = 6


def reading_grade(exercise: Exercise) -> float:
    """The Flesch-Kincaid grade of what the patient reads: purpose, steps, tips, stop-if and progression lines."""
    import textstat

    sentences = [exercise.purpose, *exercise.steps, *exercise.tips, *exercise.stop_if, *exercise.progression]
    text = " ".join(sentence if sentence.rstrip().endswith((".", "!", "?")) else sentence + "." for sentence in sentences)
    return round(textstat.flesch_kincaid_grade(text), 1)
