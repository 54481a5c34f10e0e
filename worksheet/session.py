"""How long one session takes, from the dosage, and the warnings that protect adherence.

    per set   = duration                                 (timed exercises)
              = reps × (seconds per rep + hold)          (otherwise; seconds per rep = the tempo's sum, or 3)
    exercise  = sets × per set × sides + (sets − 1) × rest + changeover
    session   = the sum over the sheet's exercises, rounded up to whole minutes

sides is 2 for 'each' and 'alternating', else 1; rest is 30 s where none is set; changeover is 15 s (getting
into position). Clinicians say they "had no idea how long the program was going to take"; this says it.
"""

from __future__ import annotations

import math
from gettext import NullTranslations

from .models import Dosage

SECONDS_PER_REP = 3
REST_BETWEEN_SETS = 30
CHANGEOVER = 15
MAX_MINUTES = 20
MAX_EXERCISES = 6


def exercise_seconds(dosage: Dosage) -> int:
    """Seconds one exercise takes in a session."""
    sides = 2 if dosage.side in ("each", "alternating") else 1
    if dosage.duration:
        per_set = dosage.duration
    else:
        per_rep = sum(int(phase) for phase in dosage.tempo.split("-")) if dosage.tempo else SECONDS_PER_REP
        per_set = dosage.reps * (per_rep + dosage.hold)
    rest = REST_BETWEEN_SETS if dosage.rest is None else dosage.rest
    return dosage.sets * per_set * sides + (dosage.sets - 1) * rest + CHANGEOVER


def session_minutes(dosages: list[Dosage]) -> int:
    """Whole minutes (rounded up) one session of these exercises takes."""
    return math.ceil(sum(exercise_seconds(dosage) for dosage in dosages) / 60)


_ENGLISH = NullTranslations()


def session_text(dosages: list[Dosage], t=_ENGLISH, labelled: bool = False) -> str:
    """'About 12 minutes, twice a day' (or '… a session' when the exercises' sessions a day differ; just the
    time when labelled, printed under "Time for one session")."""
    minutes = session_minutes(dosages)
    about = t.ngettext("About %(num)d minute", "About %(num)d minutes", minutes) % {"num": minutes}
    per_day = {dosage.per_day for dosage in dosages}
    if per_day == {1}:
        return t.gettext("%(time)s, once a day") % {"time": about}
    if per_day == {2}:
        return t.gettext("%(time)s, twice a day") % {"time": about}
    if len(per_day) == 1:
        count = per_day.pop()
        return t.ngettext("%(time)s, %(num)d time a day", "%(time)s, %(num)d times a day", count) % {"time": about, "num": count}
    return about if labelled else t.gettext("%(time)s a session") % {"time": about}


def adherence_warnings(dosages: list[Dosage], max_minutes: int = MAX_MINUTES, max_exercises: int = MAX_EXERCISES) -> list[str]:
    """Why this sheet may be hard to keep up with: too long a session, or too many exercises."""
    warnings = []
    minutes = session_minutes(dosages)
    if minutes > max_minutes:
        warnings.append(
            f"one session takes about {minutes} minutes, more than --max-minutes {max_minutes}; "
            "patients keep up better with shorter sessions"
        )
    if len(dosages) > max_exercises:
        warnings.append(
            f"{len(dosages)} exercises on one sheet, more than --max-exercises {max_exercises}; "
            "adherence falls as the number of exercises rises"
        )
    return warnings
