"""The dosage line a patient reads at a glance: "2 sets of 10 · hold 5 seconds · rest 30 seconds · each side ·
Mon, Wed, Fri", built from whichever fields are set.

Every phrase goes through gettext (with plural forms), so each language's catalog makes it grammatical:
"1 serie de 10 repeticiones · mantén 5 segundos · dos veces al día · cada lado".
"""

from __future__ import annotations

from gettext import NullTranslations

from .models import WEEKDAYS, Dosage

SEPARATOR = " · "
_ENGLISH = NullTranslations()


def _seconds(seconds: int, t) -> str:
    """'5 seconds' / '2 minutes' / '90 seconds'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return t.ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}
    return t.ngettext("%(num)d second", "%(num)d seconds", seconds) % {"num": seconds}


def _load(load: str, t) -> str:
    if load == "bodyweight":
        return t.gettext("your body weight only")
    if load.endswith(" band"):
        colour = load.removesuffix(" band")
        return t.gettext("with a %(colour)s band") % {"colour": t.gettext(colour)}
    if load.startswith("band level "):
        return t.gettext("with a level %(level)s band") % {"level": load.removeprefix("band level ")}
    return t.gettext("with %(weight)s") % {"weight": load}


def weekday_names(t) -> dict[str, str]:
    """Short weekday names in the catalog's language, by key ('mon' → 'Mon' / 'Lun')."""
    english = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return {key: t.pgettext("weekday", name) for key, name in zip(WEEKDAYS, english)}


def dosage_parts(dosage: Dosage, t=_ENGLISH) -> list[str]:
    """The dosage as short phrases, in the order a patient acts on them."""
    sets = t.ngettext("%(num)d set", "%(num)d sets", dosage.sets) % {"num": dosage.sets}
    if dosage.duration:
        amount = _seconds(dosage.duration, t)
    else:
        # In English the repetitions are a bare number ("2 sets of 10"); a catalog may name them ("10 repeticiones").
        amount = t.npgettext("repetitions", "%(num)d", "%(num)d", dosage.reps) % {"num": dosage.reps}
    parts = [t.gettext("%(sets)s of %(reps)s") % {"sets": sets, "reps": amount}]
    if dosage.tempo:
        parts.append(t.gettext("slowly: %(tempo)s seconds down, hold, up") % {"tempo": dosage.tempo})
    if dosage.hold:
        parts.append(t.gettext("hold %(time)s") % {"time": _seconds(dosage.hold, t)})
    if dosage.rest:
        parts.append(t.gettext("rest %(time)s") % {"time": _seconds(dosage.rest, t)})
    if dosage.load:
        parts.append(_load(dosage.load, t))
    side = {
        "each": t.gettext("each side"), "left": t.gettext("left side only"), "right": t.gettext("right side only"),
        "alternating": t.gettext("alternate sides"),
    }  # fmt: skip
    if dosage.side in side:
        parts.append(side[dosage.side])
    if dosage.per_day == 1:
        parts.append(t.gettext("once a day"))
    elif dosage.per_day == 2:
        parts.append(t.gettext("twice a day"))
    else:
        parts.append(t.ngettext("%(num)d time a day", "%(num)d times a day", dosage.per_day) % {"num": dosage.per_day})
    if isinstance(dosage.days, tuple):
        names = weekday_names(t)
        parts.append(", ".join(names[day] for day in dosage.days))
    elif dosage.days == "every-other-day":
        parts.append(t.gettext("every other day"))
    elif isinstance(dosage.days, int) and dosage.days < 7:
        parts.append(t.ngettext("%(num)d day a week", "%(num)d days a week", dosage.days) % {"num": dosage.days})
    return parts


def dosage_line(dosage: Dosage, t=_ENGLISH) -> str:
    return SEPARATOR.join(dosage_parts(dosage, t))
