"""What the speed work relies on: faster paths give the same bytes, and commands import only what they use."""

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import threading
import unicodedata

from shared_builds import shared

import worksheet
from helpers import make_spec
from worksheet.glyphs import ALWAYS_PRINTABLE, _covered
from worksheet.i18n import format_long_date, short_day_names

# Two layouts (list in Spanish on A4, and again on Letter in another colour: paragraphs whose style differs only
# in a colour) and a cards sheet with CJK, a note, a clinic and a duplex pad.
_SPECS = """
import datetime as dt, hashlib, json, sys
import worksheet
library = worksheet.load_library()
requests = [dict(layout="log"), dict(layout="list", lang="es", paper="a4"), dict(layout="list", lang="es", accent="#8b1f3a")]
requests.append(dict(patient="李小龙 & <b>", clinic="Clinic", note="Hi", duplex=True, next_visit=dt.date(2026, 12, 3)))
specs = [worksheet.resolve(worksheet.Request(program="dont-crack-your-back", date=dt.date(2026, 11, 26), **r), library)
         for r in requests]
"""


_HASHES = "print(json.dumps([hashlib.sha256(worksheet.build(spec)).hexdigest() for spec in specs]))\n"
# Every speed-up off: z3c.rml untouched, ReportLab imported plainly, no disk cache.
_PLAIN = (
    "import worksheet._engine\nworksheet._engine.install = lambda: None\n"
    "worksheet._engine.import_reportlab = lambda: None\n"
)


def _env(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WORKSHEET_")}
    return {**env, **values}


def _untuned_hashes() -> list[str]:
    """The specs' hashes with every speed-up and the disk cache off, from a process of its own (the speed-ups are
    process-wide once installed); made once a test run for both tests below (tests/shared_builds.py)."""

    def build() -> list[str]:
        done = subprocess.run([sys.executable, "-c", _SPECS + _PLAIN + _HASHES], capture_output=True, text=True,
                              env=_env(WORKSHEET_NO_CACHE="1"), timeout=300, check=True)
        return json.loads(done.stdout)

    return shared("untuned-hashes", build)


def test_the_tuned_engine_builds_the_same_bytes_as_plain_z3c_rml(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHEET_CACHE_DIR", str(tmp_path))
    namespace: dict = {}
    exec(_SPECS, namespace)
    tuned = [hashlib.sha256(worksheet.build(spec)).hexdigest() for spec in namespace["specs"]]
    from z3c.rml import flowable

    from worksheet import _engine

    assert flowable.Paragraph.klass.__name__ == "MemoParagraph"  # this process did build with the speed-ups
    assert tuned == _untuned_hashes()
    # Built again, backwards: the paragraphs now come from the parses the first builds shared (the store is
    # process-wide), the same bytes whatever was built before.
    shared = len(_engine._parsed)
    assert shared > 100
    again = [hashlib.sha256(worksheet.build(spec)).hexdigest() for spec in reversed(namespace["specs"])]
    assert again[::-1] == tuned and len(_engine._parsed) == shared


def test_shared_paragraphs_are_only_those_that_read_nothing_but_their_text_and_the_store_is_bounded(monkeypatch):
    from reportlab.lib.styles import ParagraphStyle

    from worksheet import _engine
    from worksheet.render import prepare_engine

    prepare_engine()
    from z3c.rml import flowable

    memo_paragraph = flowable.Paragraph.klass
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=12, leading=15, textColor="#112233")
    monkeypatch.setattr(_engine, "_parsed", type(_engine._parsed)())
    monkeypatch.setattr(_engine, "_PARSED_LIMIT", 3)
    text = "Lift your <b>hips</b> &amp; hold"
    first, second = memo_paragraph(text, style), memo_paragraph(text, style)
    assert first.frags is not second.frags and [f.__dict__ for f in first.frags] == [f.__dict__ for f in second.frags]
    red = ParagraphStyle("body", parent=style, textColor="#aa0000")  # another colour: parsed on its own
    assert memo_paragraph(text, red).frags[0].textColor == "#aa0000"
    assert first.frags[0].textColor == "#112233" and len(_engine._parsed) == 2
    assert first.wrap(200, 800) == second.wrap(200, 800) and second.blPara is first.blPara  # one line break
    for text in ("Page <pageNumber/>", '<span style="x">a</span>', "<seq/>", "<img src='a.png'/>"):  # read the document
        assert _engine._shared_key(text, style, None, None, True, 1) is None
    for n in range(5):
        memo_paragraph(f"step {n}", style)
    assert len(_engine._parsed) == 3 and ("step 4", None, 1) == next(reversed(_engine._parsed))[:3]


def test_the_disk_cache_gives_the_same_bytes_and_skips_the_drawing_code(tmp_path):
    cache = tmp_path / "cache"
    expected = _untuned_hashes()
    report = "print(json.dumps(sorted(name for name in sys.modules if name.startswith('worksheet.figures._'))))\n"
    runs = [subprocess.run([sys.executable, "-c", _SPECS + _HASHES + report], capture_output=True, text=True,
                           env=_env(WORKSHEET_CACHE_DIR=str(cache)), timeout=300, check=True) for _ in range(2)]
    filling, reading = ([json.loads(line) for line in run.stdout.splitlines()] for run in runs)
    assert filling[0] == expected and reading[0] == expected
    entries = list(cache.glob("*/figures/*"))
    assert len(entries) >= 7  # a figure per exercise of the seed program, at least
    assert "worksheet.figures._render" in filling[1]
    assert "worksheet.figures._render" not in reading[1]  # drawn by no one: every figure came from the cache
    assert not list(cache.glob("*/*/.*"))  # no temporary file left behind
    for kind in ("library", "jinja", "layouts"):  # the validated library, compiled templates, their partials
        assert list(cache.glob(f"*/{kind}/*")), kind

    for entry in cache.glob("*/*/*"):  # a damaged entry is made again, never trusted
        entry.write_bytes(b"[1, 2")
    damaged = subprocess.run([sys.executable, "-c", _SPECS + _HASHES], capture_output=True, text=True,
                             env=_env(WORKSHEET_CACHE_DIR=str(cache)), timeout=300, check=True)
    assert json.loads(damaged.stdout) == expected


def test_the_cache_is_named_by_the_code_and_the_inputs_and_is_off_when_asked(tmp_path, monkeypatch):
    from worksheet import _cache

    monkeypatch.setenv("WORKSHEET_CACHE_DIR", str(tmp_path))
    assert _cache.key("figure", "a") != _cache.key("figure", "b")
    assert _cache.key("ab", "c") != _cache.key("a", "bc")
    _cache.store("figures", "x", b"value")
    assert _cache.load("figures", "x") == b"value"
    assert (tmp_path / _cache.fingerprint()[:16] / "figures" / "x").read_bytes() == b"value"
    monkeypatch.setattr(_cache, "_fingerprint", "0" * 64)  # other code: other entries
    assert _cache.load("figures", "x") is None
    monkeypatch.setenv("WORKSHEET_NO_CACHE", "1")
    _cache.store("figures", "y", b"value")
    assert _cache.load("figures", "y") is None and not list(tmp_path.rglob("y"))
    monkeypatch.delenv("WORKSHEET_NO_CACHE")
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("WORKSHEET_CACHE_DIR", str(tmp_path / "file"))  # cannot be a folder: no cache, no error
    _cache.store("figures", "z", b"value")
    assert _cache.load("figures", "z") is None


def test_reportlabs_deferred_patterns_match_as_the_compiled_ones():
    import re

    from worksheet._engine import import_reportlab

    import_reportlab()
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for deferred, text in ((paragraph.uri_pat, "https://bücher.example.com/a/b?c=d"), (textsplit.rx, "中文 and 한국어")):
        compiled = re.compile(deferred.pattern, deferred.flags)
        assert deferred.match(text) and deferred.match(text).group(0) == compiled.match(text).group(0)
        assert deferred.sub(r"\1|", text) == compiled.sub(r"\1|", text)
    assert paragraph._uri_split_pairs("https://example.com/a/b")[0] == ("https://example.com/a/", "b")


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
    unused = ("pikepdf", "reportlab.graphics.testshapes", "unittest", "urllib.request", "ssl", "http.client", "subprocess")
    script = (
        f"import sys\nfrom worksheet.render import prepare_engine\nprepare_engine()\nprint([name in sys.modules for name in {unused!r}])\n"
        "from reportlab.platypus import paragraph\nprint(type(paragraph.uri_pat).__name__)\n"
        "import pikepdf\nfrom reportlab.graphics import testshapes\nprint(pikepdf.__name__, testshapes.getAllFunctionDrawingNames()[0])\n"
        # What z3c.rml holds of the modules it imported stood in for is the real thing, on first use.
        "from z3c.rml import attr, pdfinclude\nprint(attr.urllib.request.urlopen.__module__, pdfinclude.subprocess.PIPE)\n"
        "import urllib.request, subprocess\nprint(urllib.request.Request.__module__, subprocess.run(['true']).returncode)\n"
        "from reportlab.pdfbase import pdfmetrics\nprint(pdfmetrics.getFont('Vera').face.name)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.splitlines() == [str([False] * len(unused)), "_PatternOnFirstUse", "pikepdf getDrawing01",
                                          "urllib.request -1", "urllib.request 0", "b'BitstreamVeraSans-Roman'"]


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


def test_listing_from_the_disk_cache_prints_the_same_and_loads_no_schema(tmp_path):
    command = "import sys\nfrom worksheet.cli import main\ntry:\n    main(ARGS)\nexcept SystemExit:\n    pass\n" \
              "print('pydantic' in sys.modules)\n"  # fmt: skip
    for number, args in enumerate((["list"], ["list", "--format", "json", "--search", "knee"], ["list", "--caution", "hip-replacement"],
                                   ["list", "--region", "neck", "--level", "beginner"], ["list", "--region", "elbow"])):  # fmt: skip
        script = command.replace("ARGS", repr(args))
        plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True,
                               env=_env(WORKSHEET_NO_CACHE="1"))  # fmt: skip
        # The first cached run fills the cache (one entry serves every listing); each listing's next run reads it.
        cached = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True,
                                 env=_env(WORKSHEET_CACHE_DIR=str(tmp_path))) for _ in range(2 if number == 0 else 1)]  # fmt: skip
        if args[-1] == "elbow":  # a value outside the schema's vocabulary: the same usage error either way
            assert plain.stdout == "True\n" and [run.stdout for run in cached] == ["False\n"]  # filled above
            assert "'elbow' is not one of" in plain.stderr and [run.stderr for run in cached] == [plain.stderr]
            continue
        listing = plain.stdout.rsplit("\n", 2)[0]
        assert len(listing.splitlines()) >= 1
        assert [run.stdout.rsplit("\n", 2)[0] for run in cached] == [listing] * len(cached)
        assert plain.stdout.splitlines()[-1] == "True"  # the full load, validated by the schema
        assert cached[-1].stdout.splitlines()[-1] == "False"  # vocabularies and listing, from the cache


def test_a_changed_bundled_file_is_listed_and_loaded_as_it_now_is(tmp_path, monkeypatch):
    import shutil

    import worksheet._paths
    import worksheet.library
    from worksheet.catalogue import listed

    assets = tmp_path / "assets"
    shutil.copytree(worksheet._paths.bundled("assets"), assets, ignore=shutil.ignore_patterns("readme"))
    where = lambda name: assets if name == "assets" else worksheet._paths.bundled(name)  # noqa: E731
    monkeypatch.setattr(worksheet._paths, "bundled", where)
    monkeypatch.setattr(worksheet.library, "bundled", where)
    monkeypatch.setenv("WORKSHEET_CACHE_DIR", str(tmp_path / "cache"))
    reads = []
    add_folder = worksheet.library.Library.add_folder
    monkeypatch.setattr(worksheet.library.Library, "add_folder", lambda self, folder: (reads.append(folder), add_folder(self, folder)))

    names = lambda: {item.id: item.name for item in listed((), worksheet.load_library)}  # noqa: E731
    before = names()
    assert names() == before and len(reads) == 1  # the second listing came from the cache
    loaded = worksheet.load_library()  # and so did the library, which that first full load stored
    assert loaded.exercises["bridge"].name == before["bridge"] and len(reads) == 1
    monkeypatch.setenv("WORKSHEET_NO_CACHE", "1")
    fresh = worksheet.load_library()
    assert len(reads) == 2
    assert (loaded.exercises, loaded.programs, loaded.texts, loaded.sources) == (fresh.exercises, fresh.programs, fresh.texts, fresh.sources)
    monkeypatch.delenv("WORKSHEET_NO_CACHE")

    path = assets / "exercises" / "bridge.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(f'name = "{before["bridge"]}"', 'name = "Hip lift"', 1),
                    encoding="utf-8")  # fmt: skip
    assert names() == {**before, "bridge": "Hip lift"} and len(reads) == 3
    assert worksheet.load_library().exercises["bridge"].name == "Hip lift" and len(reads) == 3


def test_a_resolved_spec_is_the_spec_validation_would_give_and_a_cold_build_builds_few_schemas(library, tmp_path):
    import pytest

    from worksheet.spec import SheetExercise, Spec

    for fields in ({}, {"lang": "es", "also": "en", "patient": "Ana"}, {"layout": "list", "note": "Hi", "duplex": True}):
        spec = make_spec(library, **fields)
        # resolve constructs the spec from validated parts; validating the same parts gives an equal spec
        validated = Spec.model_validate({name: getattr(spec, name) for name in spec.model_fields_set})
        assert validated == spec and validated.model_fields_set == spec.model_fields_set
        for item in spec.exercises:
            again = SheetExercise.model_validate({name: getattr(item, name) for name in item.model_fields_set})
            assert again == item
        assert Spec.model_validate_json(spec.model_dump_json()) == spec  # and it serialises like one
    with pytest.raises(ValueError, match="a date must be between 1900-01-01 and 2199-12-31"):  # as validation did
        worksheet.resolve(worksheet.Request(program="dont-crack-your-back"), library, today=dt.date(9999, 1, 1))

    # A cold `worksheet build` with the disk cache filled: the schemas built are only those of what it validates
    # (the request, the layout) or dumps (a figure's parameters), not the library's models, read from the cache.
    script = (
        "import sys, pydantic\nfrom worksheet.cli import main\n"
        "try:\n    main(['build', 'dont-crack-your-back', '-o', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "seen, todo = set(), [pydantic.BaseModel]\n"
        "while todo:\n    todo.extend(c for c in todo.pop().__subclasses__() if c not in seen and not seen.add(c))\n"
        "print(sorted(c.__name__ for c in seen if c.__module__.startswith('worksheet') and c.__pydantic_complete__))"
    )
    env = _env(WORKSHEET_CACHE_DIR=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", script, str(tmp_path / "out.pdf")], capture_output=True, text=True,
                           timeout=120, check=True, env=env) for _ in range(2)]  # fmt: skip
    built = eval(runs[1].stdout.splitlines()[-1])
    assert "Request" in built  # validated: a real check, not skipped
    assert not {"Exercise", "Program", "Spec", "SheetExercise", "Rule", "Dosage"} & set(built), built
