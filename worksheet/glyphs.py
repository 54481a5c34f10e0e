"""Refuse text the page cannot show, instead of printing silent boxes or scrambled letters."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any


@functools.lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points every bundled face can draw, from the same parsed fonts the render uses (parsed once)."""
    from ._fonts import FACES, parsed_font

    faces = [set(parsed_font(face).face.charToGlyph) for face in FACES]
    return frozenset(set.intersection(*faces))


def _describe(character: str) -> str:
    return f"'{character}' (U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')})"


# Chinese, Japanese and Korean print in an embedded fallback font (Droid Sans Fallback, subset into the PDF),
# not ReportLab's CID fonts: those are not embedded, and a reader without Asian font packs draws nothing.
CJK_FACE = "CJK"
CJK_FONT_FILE = "DroidSansFallback.ttf"
_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+")


@functools.lru_cache(maxsize=1)
def _cjk_covered() -> frozenset[int]:
    """Code points the CJK fallback font can draw, from the parsed font the render will use (parsed only when
    text needs it)."""
    from ._fonts import load_cjk

    return frozenset(load_cjk().face.charToGlyph)


def is_cjk(character: str) -> bool:
    return bool(_CJK.fullmatch(character))


def cjk_runs(text: str) -> list[tuple[str, bool]]:
    """text split into (run, whether it is Chinese, Japanese or Korean)."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for match in _CJK.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], False))
        runs.append((match.group(), True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


# Latin letters (ASCII to Latin Extended-B, whose controls are dropped) and the common dashes, quotes, bullet
# and ellipsis: every bundled face draws all of them, none is right-to-left.
ALWAYS_PRINTABLE = re.compile("[\x00-\u024f\u2010\u2012-\u2022\u2026]*")


def unprintable(text: str, allow_cjk: bool = False) -> str | None:
    """Why text cannot be printed, or None when it can. With allow_cjk, CJK prints in the fallback font."""
    if ALWAYS_PRINTABLE.fullmatch(text):
        return None  # without parsing the fonts: the bundled faces draw all of these (a test checks)
    covered = _covered()
    for character in dict.fromkeys(text):  # each character once, in order: the first problem is reported
        if allow_cjk and is_cjk(character) and ord(character) in _cjk_covered():
            continue
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


def first_unprintable(data: Any, allow_cjk: bool = False) -> tuple[str, str] | None:
    """The first (field, reason) in data that cannot be printed."""
    for field, text in strings(data):
        reason = unprintable(text, allow_cjk)
        if reason:
            return field, reason
    return None
