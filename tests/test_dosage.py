import pytest

from worksheet.dosage import dosage_line
from worksheet.models import Dosage

CASES = [
    (dict(sets=2, reps=10, hold=5, per_day=2, side="each"), "2 sets of 10 · hold 5 seconds · each side · twice a day"),
    (dict(sets=2, reps=10, hold=5, rest=30, side="each", days="mon,wed,fri"),
     "2 sets of 10 · hold 5 seconds · rest 30 seconds · each side · once a day · Mon, Wed, Fri"),
    (dict(sets=3, duration="2 min", load="red band", tempo="3-1-3", side="alternating", days="every other day", per_day=2),
     "3 sets of 2 minutes · slowly: 3-1-3 seconds down, hold, up · with a red band · alternate sides · twice a day · every other day"),
    (dict(load="5kg", days=3), "1 set of 10 · with 5 kg · once a day · 3 days a week"),
    (dict(load="bodyweight", reps=8, duration=45), "1 set of 45 seconds · your body weight only · once a day"),
    (dict(load="band level 2"), "1 set of 10 · with a level 2 band · once a day"),
    (dict(sets=1, reps=10), "1 set of 10 · once a day"),
    (dict(sets=1, reps=1, hold=30), "1 set of 1 · hold 30 seconds · once a day"),
    (dict(sets=3, reps=8, hold=1, per_day=3), "3 sets of 8 · hold 1 second · 3 times a day"),
    (dict(reps=3, hold=60), "1 set of 3 · hold 1 minute · once a day"),
    (dict(reps=3, hold=90), "1 set of 3 · hold 90 seconds · once a day"),
    (dict(reps=5, days=3), "1 set of 5 · once a day · 3 days a week"),
    (dict(reps=5, days=1, side="left"), "1 set of 5 · left side only · once a day · 1 day a week"),
    (dict(reps=5, side="right"), "1 set of 5 · right side only · once a day"),
    (dict(reps=5, side="both"), "1 set of 5 · once a day"),
]


@pytest.mark.parametrize(("fields", "expected"), CASES, ids=[expected for _, expected in CASES])
def test_dosage_line_reads_at_a_glance(fields, expected):
    assert dosage_line(Dosage(**fields)) == expected


SPANISH = [
    (dict(sets=1, reps=10), "1 serie de 10 repeticiones · una vez al día"),
    (dict(sets=2, reps=1, hold=1, per_day=3, days=3, side="left"),
     "2 series de 1 repetición · mantén 1 segundo · solo el lado izquierdo · 3 veces al día · 3 días a la semana"),
    (dict(sets=2, reps=10, hold=5, rest=30, side="each", days="mon,wed,fri"),
     "2 series de 10 repeticiones · mantén 5 segundos · descansa 30 segundos · cada lado · una vez al día · Lun, Mié, Vie"),
    (dict(duration=90, load="red band", side="alternating", days="every other day"),
     "1 serie de 90 segundos · con una banda roja · alternando los lados · una vez al día · un día sí y otro no"),
    (dict(sets=3, reps=12, hold=60, per_day=2, side="each"), "3 series de 12 repeticiones · mantén 1 minuto · cada lado · dos veces al día"),
    (dict(reps=5, days=1, side="right", hold=120), "1 serie de 5 repeticiones · mantén 2 minutos · solo el lado derecho · una vez al día · 1 día a la semana"),
]


@pytest.mark.parametrize(("fields", "expected"), SPANISH, ids=[expected for _, expected in SPANISH])
def test_spanish_dosage_line_is_grammatical(fields, expected):
    from worksheet.i18n import translations

    assert dosage_line(Dosage(**fields), translations("es")) == expected
