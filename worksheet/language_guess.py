"""Does a typed note look like it is in the sheet's language? A small guess, for a warning only.

The clinician's note prints exactly as typed (it is never translated); `worksheet build` warns when it looks
like another language than the sheet's, so a Spanish sheet does not go home with an English note unnoticed.

Why a hand-made guess and not a library: the question is narrow (the sheet's language or another of the
languages we print), notes are a sentence or two, and a wrong guess costs one needless warning line. The
detection libraries weigh megabytes of models (lingua) or give different answers run to run unless seeded
(langdetect), and a build must be deterministic. Function words decide it: every sentence has them, and the
lists below are short, common and disjoint.
"""

from __future__ import annotations

import re
import unicodedata

# The most frequent function words of each language we have a catalog for; none appears in the other list.
_FUNCTION_WORDS = {
    "en": set(
        "the and you your to of is it with for in on at do not this that if each day be are can please "
        "when them they these those what will from or but try keep".split()
    ),
    "es": set(
        "el la los las de del que y en un una tu tus con por para es se lo al si cada día sin pero "
        "muy más haz hazlo cuando usted su sus ejercicios antes después".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 4  # shorter notes ("Ana: 2x") say too little to guess from


def _letters_are_latin(text: str) -> bool:
    letters = [character for character in text if character.isalpha()]
    latin = [character for character in letters if "LATIN" in unicodedata.name(character, "")]
    return not letters or len(latin) / len(letters) >= 0.5


def guess_language(text: str) -> str | None:
    """'en' or 'es' when the words clearly say so; 'other' for a mostly non-Latin script; None when unsure."""
    if not _letters_are_latin(text):
        return "other"
    words = [word.casefold() for word in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    scores = {lang: sum(word in vocabulary for word in words) for lang, vocabulary in _FUNCTION_WORDS.items()}
    if any(character in "ñ¿¡áéíóú" for character in text.casefold()):
        scores["es"] += 1
    best, runner_up = sorted(scores.values(), reverse=True)[:2]
    if best < 2 or best < 2 * runner_up:
        return None
    return max(scores, key=lambda lang: scores[lang])


def note_language_warning(note: str, sheet_lang: str) -> str | None:
    """One warning line when the note looks like another language than the sheet's, else None."""
    if not note or sheet_lang not in _FUNCTION_WORDS:
        return None
    guessed = guess_language(note)
    if guessed is None or guessed == sheet_lang:
        return None
    looks = {"en": "English", "es": "Spanish", "other": "another language"}[guessed]
    return (
        f"--note looks like {looks} but the sheet is in '{sheet_lang}'; it prints exactly as typed, "
        "so write it in the patient's language if they need it"
    )
