"""Refuse text the page cannot show, instead of printing silent boxes or scrambled letters."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any, Iterator

from ._paths import bundled

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


@functools.lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points every bundled face can draw (parsed once per process)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    faces = [set(TTFontFile(str(bundled("assets") / "fonts" / name)).charToGlyph) for name in FONT_FILES]
    return frozenset(set.intersection(*faces))


def _describe(character: str) -> str:
    return f"'{character}' (U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')})"


def unprintable(text: str) -> str | None:
    """Why text cannot be printed, or None when it can."""
    covered = _covered()
    for character in text:
        if unicodedata.category(character) == "Cc":
            continue  # control characters are dropped before the page (see compose)
        if unicodedata.bidirectional(character) in ("R", "AL"):
            return f"has right-to-left text {_describe(character)}, which worksheet cannot lay out correctly yet"
        if ord(character) > 0xFFFF:
            # ReportLab writes a broken text map for these: the glyph prints but copies and reads aloud wrong.
            return f"has {_describe(character)}; emoji and other characters beyond U+FFFF cannot be printed yet"
        if ord(character) not in covered:
            return f"has {_describe(character)}, which the bundled font cannot print; remove or replace it"
    return None


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside nested dicts and lists, with its dotted field path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}.{index}")


def first_unprintable(data: Any, skip: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first (field, reason) in data that cannot be printed."""
    for field, text in strings(data):
        if field.split(".")[0] in skip:
            continue
        reason = unprintable(text)
        if reason:
            return field, reason
    return None
