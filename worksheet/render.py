"""RML to PDF bytes with z3c.rml in strict mode."""

from __future__ import annotations

import io
import logging
import re
import sys
import threading
import types
from pathlib import Path

from .errors import RenderError

# ReportLab and z3c.rml keep process-wide state (font registry, rl_config, strict-mode switch): renders in one
# process run one at a time, whatever threads call them (8 threads at once failed 30 of 54 builds unlocked).
_one_render_at_a_time = threading.RLock()


# Modules z3c.rml imports at the top but uses only inside functions our layouts never reach: urllib.request
# (with http.client, email and ssl, ≈ 20 ms; for http(s) URLs in a file attribute) and subprocess (for
# <includePdfPages> through an external tool). z3c.rml gets a stand-in that imports the real module the moment
# anything of it is used.
_IMPORTED_ON_FIRST_USE = ("urllib.request", "subprocess")


class _ModuleOnFirstUse(types.ModuleType):
    """Stands in for a module while z3c.rml is imported; the first attribute asked of it imports the real module
    (from then on any ``import`` of the name gets the real one) and answers from it."""

    def __init__(self, name: str) -> None:
        super().__init__(name, "stand-in: imports the real module on first use")
        parent, _, child = name.rpartition(".")
        if parent:  # what importing a submodule does to its package, so `import urllib.request` binds it
            import importlib

            setattr(importlib.import_module(parent), child, self)

    def __getattr__(self, attribute: str):
        import importlib

        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)


def _import_engine():
    """z3c.rml's document module, imported without what it imports but our renders never use (≈ 100 ms of a
    cold start): pikepdf (for <includePdfPages>, which our layouts do not use) and ReportLab's test drawings
    module ``reportlab.graphics.testshapes``, which z3c.rml imports only for its list of font names and its
    font reset (replaced by worksheet/_fonts.py), and which at import parses four fonts and pulls in
    unittest, urllib and ssl. Both stand-ins last only while z3c.rml is imported: a later ``import pikepdf``
    or ``import reportlab.graphics.testshapes`` elsewhere gets the real module. And the modules of
    _IMPORTED_ON_FIRST_USE, imported when first used."""
    if "z3c.rml.document" not in sys.modules:
        from ._engine import import_reportlab

        import_reportlab()  # ReportLab itself without two costly regular expressions (see _engine.py)
        stand_ins: dict[str, object] = {}
        if "pikepdf" not in sys.modules:
            stand_ins["pikepdf"] = None  # makes `import pikepdf` raise ImportError: z3c.rml does without it
        if "reportlab.graphics.testshapes" not in sys.modules:
            testshapes = types.ModuleType("reportlab.graphics.testshapes", "stand-in while z3c.rml is imported")
            testshapes._FONTS = ["Times-Roman", "Vera", "Times-BoldItalic"]  # type: ignore[attr-defined]
            testshapes.resetFonts = lambda: None  # type: ignore[attr-defined]
            stand_ins["reportlab.graphics.testshapes"] = testshapes
        for name in _IMPORTED_ON_FIRST_USE:
            if name not in sys.modules:
                stand_ins[name] = _ModuleOnFirstUse(name)
        sys.modules.update(stand_ins)  # type: ignore[arg-type]
        try:
            from z3c.rml import document
        finally:
            for name, stand_in in stand_ins.items():
                if name in sys.modules and sys.modules[name] is stand_in:
                    del sys.modules[name]
    from z3c.rml import document

    return document


def prepare_engine() -> None:
    """Import z3c.rml and parse our fonts now (≈0.3 s), e.g. before forking workers that would each pay for it."""
    _import_engine()

    from ._engine import install as tune_engine
    from ._fonts import FACES, install, parsed_font

    install()
    tune_engine()
    for face in FACES:
        parsed_font(face)


def render_pdf(rml: str, layout: str = "layout") -> tuple[bytes, int]:
    """Render an RML document: the PDF and its page count. An unknown tag is an error, not a warning.

    Thread-safe by a process-wide lock: threads take turns, so use processes (or Dask workers) for speed."""
    with _one_render_at_a_time:
        return _render_pdf(rml, layout)


def _render_pdf(rml: str, layout: str) -> tuple[bytes, int]:
    from lxml import etree
    from reportlab.platypus.doctemplate import LayoutError
    document = _import_engine()
    from z3c.rml import directive

    from ._engine import install as tune_engine
    from ._fonts import install, take_declared
    from .pagecount import PageCountCanvas

    install()  # fonts parsed once per process, registered for each document
    tune_engine()  # paragraphs that break their lines once per width
    directive.ABORT_ON_INVALID_DIRECTIVE = True  # process-wide in z3c.rml; we always want it
    # z3c.rml also logs what it then raises; the raised error is the one we report.
    logging.getLogger("z3c.rml").setLevel(logging.CRITICAL)
    try:
        root = etree.fromstring(rml.split("\n", 1)[1] if rml.startswith("<?xml") else rml)
        take_declared(root)
        output = io.BytesIO()
        pages: list[int] = []

        class CountingCanvas(PageCountCanvas):  # one class per render: the count stays with this document
            def save(self) -> None:
                pages.append(len(self._held_pages))
                super().save()

        document.Document(root, canvasClass=CountingCanvas).process(output)
        return output.getvalue(), pages[-1]
    except etree.XMLSyntaxError as error:
        raise RenderError(f"{layout} produced invalid RML: {error.msg}{_quote(rml, error.lineno)}") from error
    except LayoutError as error:
        page = re.search(r"too large on page (\d+)", str(error))
        if page:  # ReportLab names the flowable by its memory address: say what it means instead
            raise RenderError(
                f"{layout}: something on page {page.group(1)} is taller than a page of this layout (very long "
                "exercise text?); shorten it or choose another layout, e.g. --layout list"
            ) from error
        raise RenderError(f"{layout}: the page layout failed: {error}") from error
    except Exception as error:  # "from error" in these: --debug shows the engine's own error beneath ours
        if not _raised_by_the_engine(error):
            raise  # a bug of ours (a figure plugin, say) is not a bad layout: the CLI says so, --debug shows it
        # z3c.rml reports bad directives and attributes (ValueError, zope.schema errors, …) with the RML line.
        found = re.search(r"line (\d+)", str(error))
        quote = _quote(rml, int(found.group(1))) if found else ""
        raise RenderError(f"{layout} could not be rendered: {error}{quote}") from error


def _engine_folders() -> tuple[str, ...]:
    import lxml
    import reportlab
    import z3c.rml
    import zope.interface
    import zope.schema

    folders = tuple(str(Path(module.__file__).resolve().parent) for module in (z3c.rml, reportlab, lxml, zope.schema, zope.interface))
    return (*folders, str(Path(__file__).with_name("_engine.py").resolve()))  # our speed-ups inside z3c.rml


def _raised_by_the_engine(error: BaseException) -> bool:
    """Whether the error started in z3c.rml, ReportLab, lxml or zope (bad RML), not in our own code.

    The innermost frame outside the standard library decides: the engine's means bad RML, any other (a figure
    plugin of ours, say) means a bug."""
    import sysconfig

    stdlib = tuple(str(Path(sysconfig.get_paths()[key]).resolve()) for key in ("stdlib", "platstdlib"))
    frames = []
    trace = error.__traceback__
    while trace is not None:
        frames.append(str(Path(trace.tb_frame.f_code.co_filename).resolve()))
        trace = trace.tb_next
    for filename in reversed(frames):
        if filename.startswith(stdlib) and "site-packages" not in filename:
            continue
        return filename.startswith(_engine_folders())
    return False


def _quote(rml: str, line_number: int | None) -> str:
    """The generated RML line an error points at, so it can be found in the template."""
    lines = rml.splitlines()
    if rml.startswith("<?xml"):
        lines = lines[1:]  # z3c.rml drops the XML declaration before parsing, and counts lines without it
    if not line_number or not 0 < line_number <= len(lines):
        return ""
    return f" — RML line {line_number}: {lines[line_number - 1].strip()[:120]}"

