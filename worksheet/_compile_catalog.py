"""How a gettext catalogue (``worksheet.po``) becomes the ``.mo`` the program loads, and what that file is called.

Used twice: by the package build (``setup.py`` compiles every catalogue into the wheel, or beside its ``.po`` for
an editable install), and by ``i18n.translations`` when no compiled file matches the ``.po``. So this module
imports nothing of the package: the build loads it by its path, before the package's dependencies exist.

The compiled file is named after the sha256 of the ``.po`` it came from (``worksheet.<hash>.mo``), so a ``.po``
edited after the build never meets an old ``.mo``: its name no longer matches, and the catalogue is compiled
from the ``.po`` again until the next install.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

# Babel stamps a catalogue without a POT-Creation-Date with the current time; a fixed one makes the same .po
# compile to the same bytes (a reproducible wheel).
_CREATION_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def compiled_name(po_source: bytes) -> str:
    """The .mo file's name for this .po content."""
    return f"worksheet.{hashlib.sha256(po_source).hexdigest()[:16]}.mo"


def compile_catalog(po_source: bytes, lang: str) -> bytes:
    """The .mo bytes of a .po file's content (fuzzy entries left out, as gettext's msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_source), locale=lang)
    catalog.creation_date = _CREATION_DATE
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


def write_compiled(po: Path, folder: Path) -> Path:
    """Compile ``po`` into ``folder`` under its content-addressed name, removing older compiled versions there;
    returns the written path. The language is the .po's folder name (``i18n/es/worksheet.po``)."""
    source = po.read_bytes()
    target = folder / compiled_name(source)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("worksheet.*.mo"):
        if old != target:
            old.unlink()
    target.write_bytes(compile_catalog(source, po.parent.name))
    return target
