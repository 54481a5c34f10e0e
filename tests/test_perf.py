"""What the speed work relies on: faster paths give the same bytes, and commands import only what they use."""

import datetime as dt
import hashlib
import json
import subprocess
import sys
import threading
import unicodedata

import worksheet
from helpers import make_spec
from worksheet.glyphs import ALWAYS_PRINTABLE, _covered
from worksheet.i18n import format_long_date, short_day_names

# Two layouts (one in Spanish on A4) and a cards sheet with CJK, a note, a clinic and a duplex pad.
_SPECS = """
import datetime as dt, hashlib, json, sys
import worksheet
library = worksheet.load_library()
requests = [dict(layout="log"), dict(layout="list", lang="es", paper="a4")]
requests.append(dict(patient="李小龙 & <b>", clinic="Clinic", note="Hi", duplex=True, next_visit=dt.date(2026, 12, 3)))
specs = [worksheet.resolve(worksheet.Request(program="dont-crack-your-back", date=dt.date(2026, 11, 26), **r), library)
         for r in requests]
"""


def test_the_tuned_engine_builds_the_same_bytes_as_plain_z3c_rml():
    # The untuned build runs in a process of its own: the speed-ups are process-wide once installed.
    plain = _SPECS + (
        "import worksheet._engine\nworksheet._engine.install = lambda: None\n"
        "print(json.dumps([hashlib.sha256(worksheet.build(spec)).hexdigest() for spec in specs]))\n"
    )
    untuned = subprocess.Popen([sys.executable, "-c", plain], stdout=subprocess.PIPE, text=True)
    namespace: dict = {}
    exec(_SPECS, namespace)
    tuned = [hashlib.sha256(worksheet.build(spec)).hexdigest() for spec in namespace["specs"]]
    from z3c.rml import flowable

    assert flowable.Paragraph.klass.__name__ == "MemoParagraph"  # this process did build with the speed-ups
    output, _ = untuned.communicate(timeout=300)
    assert untuned.returncode == 0
    assert tuned == json.loads(output)


def test_help_imports_neither_the_schema_library_nor_the_pdf_engine():
    script = (
        "import sys\nfrom worksheet.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(name for name in ('pydantic', 'z3c.rml', 'reportlab', 'babel', 'jinja2') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert "Usage: " in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_pdf_engine_is_imported_without_modules_it_does_not_need_which_later_import_normally():
    script = (
        "import sys\nfrom worksheet.render import prepare_engine\nprepare_engine()\n"
        "print([name in sys.modules for name in ('pikepdf', 'reportlab.graphics.testshapes', 'unittest')])\n"
        "import pikepdf\nfrom reportlab.graphics import testshapes\nprint(pikepdf.__name__, testshapes.getAllFunctionDrawingNames()[0])"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.splitlines() == ["[False, False, False]", "pikepdf getDrawing01"]


def test_text_passed_without_a_font_lookup_is_text_every_bundled_face_draws():
    covered = _covered()
    fast = [chr(point) for point in range(0x2100) if ALWAYS_PRINTABLE.fullmatch(chr(point))]
    assert len(fast) > 600
    for character in fast:
        if unicodedata.category(character) != "Cc":  # controls are dropped before the page
            assert ord(character) in covered, f"U+{ord(character):04X}"
            assert unicodedata.bidirectional(character) not in ("R", "AL")


def test_english_dates_and_day_names_are_babels_own():
    from babel.dates import format_date, get_day_names

    for month in range(1, 13):
        day = dt.date(2026, month, month + 9)
        assert format_long_date(day, "en") == format_date(day, format="d MMMM y", locale="en")
    names = get_day_names("abbreviated", locale="en")
    assert short_day_names("en") == [names[day].rstrip(".").capitalize() for day in range(7)]


def test_threads_in_one_process_take_turns_and_build_the_same_bytes(library):
    specs = [make_spec(library, patient=name, only=["bridge", "prone-props"]) for name in ("Ana", "Ben", "Cy", "Dee")]
    alone = [worksheet.build(spec) for spec in specs]
    together = [b""] * len(specs)
    threads = [threading.Thread(target=lambda n=n: together.__setitem__(n, worksheet.build(specs[n]))) for n in range(len(specs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone


def test_an_rml_error_met_inside_the_speed_ups_is_still_a_render_error():
    import pytest

    from worksheet.errors import RenderError
    from worksheet.render import render_pdf

    rml = '<document filename="x.pdf" invariant="1"><template><pageTemplate id="main"><frame id="body" x1="72" ' \
          'y1="72" width="400" height="600"/></pageTemplate></template><story><spacer/></story></document>'
    with pytest.raises(RenderError, match='could not be rendered: No value for required attribute "length" in directive "spacer"'):
        render_pdf(rml, "layout 'mine'")
