"""Fonts parsed once per process and registered again for every document.

z3c.rml resets ReportLab's global font registry before each document, and two reset hooks (z3c.rml's
rlfix.resetFonts and ReportLab's testshapes.resetFonts) each re-parse the four Vera TrueType files (≈20 ms a
document, the largest fixed cost measured), and a ``<registerTTFont>`` in the
RML would parse ours again too (≈10 ms each). TTFont objects keep their per-document state in a
WeakKeyDictionary, so one parsed object serves every document safely; we re-register those instead.

Each document declares the fonts it uses in its ``<docinit>`` (``declared_fonts`` gives the layouts the list):
``<registerTTFont faceName="CJK" fileName="[worksheet.assets]/fonts/DroidSansFallback.ttf"/>``. The renderer
satisfies a declaration of a bundled font from this cache (``take_declared``) instead of parsing it again, so
what a document prints never depends on what the process happened to render before.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path

from ._paths import bundled
from .glyphs import CJK_FACE, CJK_FONT_FILE

# The faces our layouts use: name → file in assets/fonts.
FACES = {"Sans": "LiberationSans-Regular.ttf", "Sans-Bold": "LiberationSans-Bold.ttf"}
# What z3c.rml's own reset registers (z3c/rml/rlfix.py: resetFonts), from ReportLab's bundled fonts.
_Z3C_FACES = {"Vera": "Vera.ttf", "VeraBd": "VeraBd.ttf", "VeraIt": "VeraIt.ttf", "VeraBI": "VeraBI.ttf"}

# How a layout names a bundled font file: z3c.rml's own [package]/path form.
BUNDLED_FONT = "[worksheet.assets]/fonts/"

_lock = threading.RLock()  # re-entrant: install() parses the Vera faces through _font()
_parsed: dict[str, object] = {}
_installed = False
_document_faces: tuple[str, ...] = ()  # the bundled faces the document being rendered declared


def _font(face: str, file: str):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        if face not in _parsed:
            # Importing z3c.rml may have had ReportLab's testshapes parse and register the Vera faces already
            # (≈ 10 ms each): take those rather than parse the same files again.
            registered = pdfmetrics._fonts.get(face)
            same_file = isinstance(registered, TTFont) and Path(registered.face.filename).name == Path(file).name
            _parsed[face] = registered if same_file else TTFont(face, file)
        return _parsed[face]


def _reportlab_font(file: str) -> str:
    """The path of one of ReportLab's bundled fonts. Given a bare file name, ReportLab first tries it as a file
    in the working folder, then as a URL (which imports urllib.request, http.client and ssl: ≈ 20 ms of a cold
    start), and only then searches its font folders, where the file is."""
    import reportlab

    path = Path(reportlab.__file__).parent / "fonts" / file
    return str(path) if path.is_file() else file


def parsed_font(face: str):
    """One of our faces (FACES), parsed once per process."""
    return _font(face, str(bundled("assets") / "fonts" / FACES[face]))


def load_cjk():
    """The CJK fallback font, parsed once per process (≈45 ms)."""
    return _font(CJK_FACE, str(bundled("assets") / "fonts" / CJK_FONT_FILE))


def declared_fonts(cjk: bool) -> list[dict[str, str]]:
    """The fonts a document registers in its <docinit>: our faces, and the CJK fallback when its text needs it."""
    faces = {**FACES, **({CJK_FACE: CJK_FONT_FILE} if cjk else {})}
    return [{"face": face, "file": BUNDLED_FONT + file} for face, file in faces.items()]


def take_declared(root) -> None:
    """Honour the document's declarations of bundled fonts from the cache, and take them out of the tree so
    z3c.rml does not parse the files again. Call once per document, right before processing it."""
    global _document_faces
    faces = []
    for element in list(root.iterfind("docinit/registerTTFont")):
        file = element.get("fileName", "")
        if file.startswith(BUNDLED_FONT):
            face = element.get("faceName", "")
            _font(face, str(bundled("assets") / "fonts" / file.removeprefix(BUNDLED_FONT)))
            faces.append(face)
            element.getparent().remove(element)
    with _lock:
        _document_faces = tuple(faces)


def _register_fonts() -> None:
    """Runs inside every ReportLab reset: what z3c.rml's resetFonts does, plus our faces, without parsing."""
    from reportlab.lib import fonts
    from reportlab.pdfbase import pdfmetrics
    from z3c.rml import rlfix

    testshapes = rlfix.testshapes  # the module z3c.rml imported (worksheet.render may have given it a light one)

    for face, file in _Z3C_FACES.items():
        pdfmetrics.registerFont(_font(face, _reportlab_font(file)))
    for face in ("Times-Roman", "Courier", "Helvetica", *_Z3C_FACES):
        if face not in testshapes._FONTS:
            testshapes._FONTS.append(face)
    fonts._ps2tt_map = copy.deepcopy(rlfix._ps2tt_map_original)
    fonts._tt2ps_map = copy.deepcopy(rlfix._tt2ps_map_original)

    for face in FACES:  # always: a user's layout may use them without declaring them
        pdfmetrics.registerFont(parsed_font(face))
    with _lock:
        declared = [_parsed[face] for face in _document_faces if face not in FACES]
    for font in declared:
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans", boldItalic="Sans-Bold")


def install() -> None:
    """Put our cached registration in place of the two parsing ones, once per process."""
    global _installed
    with _lock:
        if _installed:
            return
        from reportlab import rl_config
        from z3c.rml import rlfix

        # rl_config keeps weak references to the reset functions; drop the parsing ones, add ours.
        parsing = (rlfix.resetFonts, rlfix.testshapes.resetFonts)
        rl_config._registered_resets[:] = [ref for ref in rl_config._registered_resets if ref() not in parsing]
        rl_config.register_reset(_register_fonts)
        for face, file in _Z3C_FACES.items():
            _font(face, _reportlab_font(file))  # now, while any faces testshapes parsed are still registered
        _installed = True
