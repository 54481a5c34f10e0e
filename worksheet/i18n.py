"""Languages: gettext catalogs for the sheet's own words, and translated exercise and program texts.

English is the source language. Another language is files, not code: ``assets/i18n/<lang>/worksheet.po`` for
the template and dosage words, and ``assets/i18n/<lang>/exercises/<id>.toml`` and ``…/programs/<id>.toml`` for
the content (a user's library folder may carry its own ``i18n/`` beside ``exercises/``).
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from ._compile_catalog import compile_catalog, compiled_name
from ._paths import bundled
from .errors import SpecError

SOURCE_LANGUAGE = "en"


def _catalog_path(lang: str) -> Path:
    return bundled("assets") / "i18n" / lang / "worksheet.po"


def available_languages() -> list[str]:
    folder = bundled("assets") / "i18n"
    return sorted({SOURCE_LANGUAGE} | {path.parent.name for path in folder.glob("*/worksheet.po")})


@functools.lru_cache(maxsize=16)
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext translations for a language: the .mo the package build compiled (setup.py), once per process."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()  # English needs no catalog
    path = _catalog_path(lang)
    if not path.is_file():
        raise SpecError(f"language '{lang}' is not available; choose one of: {', '.join(available_languages())}")
    source = path.read_bytes()
    compiled = path.parent / compiled_name(source)
    if compiled.is_file():
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    # No .mo for this .po: a checkout run without installing, or a .po edited since the install. Compiling it
    # here (Babel, ≈50 ms) keeps those working and current; an installed package never comes this way.
    return gettext.GNUTranslations(io.BytesIO(compile_catalog(source, lang)))


# English, the source language, as Babel's CLDR data writes it, without loading Babel (≈60 ms at start-up);
# a test checks these against Babel.
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")  # fmt: skip
_ENGLISH_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def format_long_date(date, lang: str) -> str:
    """'26 November 2026' / '26 de noviembre de 2026'."""
    if lang == SOURCE_LANGUAGE:
        return f"{date.day} {_ENGLISH_MONTHS[date.month - 1]} {date.year}"
    from babel.dates import format_date

    return format_date(date, format="long", locale=lang)


def short_day_names(lang: str) -> list[str]:
    """Monday first, abbreviated, capitalised: Mon … Sun / Lun … Dom."""
    if lang == SOURCE_LANGUAGE:
        return list(_ENGLISH_DAYS)
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=lang)
    return [names[day].rstrip(".").capitalize() for day in range(7)]


def language_name(lang: str) -> str:
    """A language's name in that language, capitalised, as a bilingual card labels its second language:
    'English', 'Español'."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (ValueError, UnknownLocaleError):  # a code CLDR does not know labels itself
        name = lang
    return name[:1].upper() + name[1:]
