"""The dosage line a patient reads at a glance: "2 sets of 10 · hold 5 seconds · twice a day · each side".

Every phrase goes through gettext (with plural forms), so each language's catalog makes it grammatical:
"1 serie de 10 repeticiones · mantén 5 segundos · dos veces al día · cada lado".
"""

from __future__ import annotations

from gettext import NullTranslations

from .models import Dosage

SEPARATOR = " · "
_ENGLISH = NullTranslations()


def _duration(seconds: int, t) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return t.ngettext("hold %(num)d minute", "hold %(num)d minutes", minutes) % {"num": minutes}
    return t.ngettext("hold %(num)d second", "hold %(num)d seconds", seconds) % {"num": seconds}


def dosage_parts(dosage: Dosage, t=_ENGLISH) -> list[str]:
    """The dosage as short phrases, in the order a patient acts on them."""
    sets = t.ngettext("%(num)d set", "%(num)d sets", dosage.sets) % {"num": dosage.sets}
    # In English the repetitions are a bare number ("2 sets of 10"); a catalog may name them ("10 repeticiones").
    reps = t.npgettext("repetitions", "%(num)d", "%(num)d", dosage.reps) % {"num": dosage.reps}
    parts = [t.gettext("%(sets)s of %(reps)s") % {"sets": sets, "reps": reps}]
    if dosage.hold:
        parts.append(_duration(dosage.hold, t))
    if dosage.per_day == 1:
        parts.append(t.gettext("once a day"))
    elif dosage.per_day == 2:
        parts.append(t.gettext("twice a day"))
    else:
        parts.append(t.ngettext("%(num)d time a day", "%(num)d times a day", dosage.per_day) % {"num": dosage.per_day})
    if dosage.days < 7:
        parts.append(t.ngettext("%(num)d day a week", "%(num)d days a week", dosage.days) % {"num": dosage.days})
    side = {"each": t.gettext("each side"), "left": t.gettext("left side only"), "right": t.gettext("right side only")}
    if dosage.side in side:
        parts.append(side[dosage.side])
    return parts


def dosage_line(dosage: Dosage, t=_ENGLISH) -> str:
    return SEPARATOR.join(dosage_parts(dosage, t))
