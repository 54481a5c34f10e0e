import pytest

from worksheet.dosage import dosage_line
from worksheet.models import Dosage

CASES = [
    (dict(sets=2, reps=10, hold=5, per_day=2, side="each"), "2 sets of 10 · hold 5 seconds · twice a day · each side"),
    (dict(sets=1, reps=10), "1 set of 10 · once a day"),
    (dict(sets=1, reps=1, hold=30), "1 set of 1 · hold 30 seconds · once a day"),
    (dict(sets=3, reps=8, hold=1, per_day=3), "3 sets of 8 · hold 1 second · 3 times a day"),
    (dict(reps=3, hold=60), "1 set of 3 · hold 1 minute · once a day"),
    (dict(reps=3, hold=90), "1 set of 3 · hold 90 seconds · once a day"),
    (dict(reps=5, days=3), "1 set of 5 · once a day · 3 days a week"),
    (dict(reps=5, days=1, side="left"), "1 set of 5 · once a day · 1 day a week · left side only"),
    (dict(reps=5, side="right"), "1 set of 5 · once a day · right side only"),
    (dict(reps=5, side="both"), "1 set of 5 · once a day"),
]


@pytest.mark.parametrize(("fields", "expected"), CASES, ids=[expected for _, expected in CASES])
def test_dosage_line_reads_at_a_glance(fields, expected):
    assert dosage_line(Dosage(**fields)) == expected


SPANISH = [
    (dict(sets=1, reps=10), "1 serie de 10 repeticiones · una vez al día"),
    (dict(sets=2, reps=1, hold=1, per_day=3, days=3, side="left"),
     "2 series de 1 repetición · mantén 1 segundo · 3 veces al día · 3 días a la semana · solo el lado izquierdo"),
    (dict(sets=3, reps=12, hold=60, per_day=2, side="each"), "3 series de 12 repeticiones · mantén 1 minuto · dos veces al día · cada lado"),
    (dict(reps=5, days=1, side="right", hold=120), "1 serie de 5 repeticiones · mantén 2 minutos · una vez al día · 1 día a la semana · solo el lado derecho"),
]


@pytest.mark.parametrize(("fields", "expected"), SPANISH, ids=[expected for _, expected in SPANISH])
def test_spanish_dosage_line_is_grammatical(fields, expected):
    from worksheet.i18n import translations

    assert dosage_line(Dosage(**fields), translations("es")) == expected
