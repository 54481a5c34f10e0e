"""The dosage line a patient reads at a glance: "2 sets of 10 · hold 5 seconds · twice a day · each side"."""

from .models import Dosage

SEPARATOR = " · "

_TIMES_A_DAY = {1: "once a day", 2: "twice a day"}
_SIDE = {"each": "each side", "left": "left side only", "right": "right side only"}


def _seconds(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def dosage_parts(dosage: Dosage) -> list[str]:
    """The dosage as short phrases, in the order a patient acts on them."""
    if dosage.sets > 1:
        parts = [f"{dosage.sets} sets of {dosage.reps}"]
    else:
        parts = ["once" if dosage.reps == 1 else f"{dosage.reps} times"]
    if dosage.hold:
        parts.append(f"hold {_seconds(dosage.hold)}")
    parts.append(_TIMES_A_DAY.get(dosage.per_day, f"{dosage.per_day} times a day"))
    if dosage.days < 7:
        parts.append(f"{dosage.days} day{'s' if dosage.days != 1 else ''} a week")
    if dosage.side in _SIDE:
        parts.append(_SIDE[dosage.side])
    return parts


def dosage_line(dosage: Dosage) -> str:
    return SEPARATOR.join(dosage_parts(dosage))
