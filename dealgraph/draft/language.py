"""Which of the five languages an article is written in.

lingua-language-detector (Rust core, models shipped in the wheel, no download at run time) is
asked twice: once among every language it knows, to refuse a text written in none of ours
(a Portuguese or Dutch article would otherwise be read as Spanish or German), and once among
our five, for the answer. Its models load lazily, per language: the first call costs about
0.5 s, later ones a few milliseconds an article. py3langid is smaller but less accurate on
short and mixed texts (headlines full of English company names), which news is made of.

>>> detect_language("OpenAI a repris une option de près de 12 milliards de dollars détenue par Microsoft.")
'fr'
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import DealGraphError
from .lexicon import LANGUAGES

__all__ = ["detect_language", "guess_language", "LanguageNotDetected", "TextTooShort", "UnsupportedLanguage",
           "MIN_LETTERS"]

#: Below this many letters no detector is reliable: "Nvidia invests $100bn" reads as German.
MIN_LETTERS = 20
#: A text another language leads is refused only when none of ours keeps this much of the
#: detector's confidence: short Spanish reads partly as Portuguese (0.62 against 0.32), while
#: real Portuguese or Dutch leaves ours near 0.
_OURS_FLOOR = 0.25


class LanguageNotDetected(DealGraphError, ValueError):
    """The language of a text could not be told (too short, or not one of ours)."""


class TextTooShort(LanguageNotDetected):
    pass


class UnsupportedLanguage(LanguageNotDetected):
    def __init__(self, message: str, language: str | None = None):
        super().__init__(message)
        #: the language the text seems to be in (ISO 639-1), when the detector named one
        self.language = language


_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detectors():
    from lingua import IsoCode639_1, LanguageDetectorBuilder, Language

    ours = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return (LanguageDetectorBuilder.from_languages(*ours).build(),
            # trigram models only: the full models of 75 languages take 20 s to load, for a
            # question ("is this none of ours?") that trigrams answer as well on news prose
            LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build())


def detect_language(text: str) -> str:
    """The ISO 639-1 code ("en", "fr", "it", "de", "es") of the language ``text`` is written in.

    Raises :class:`TextTooShort` for a text with fewer than ``MIN_LETTERS`` letters, and
    :class:`UnsupportedLanguage` for a text written in another language (or in none).
    """
    letters = len(_LETTERS.findall(text))
    if letters < MIN_LETTERS:
        raise TextTooShort(f"the text is too short to tell its language ({letters} letters; at least {MIN_LETTERS})")
    ours, everyone = _detectors()
    best = everyone.compute_language_confidence_values(text)
    top = best[0] if best else None
    top_code = top.language.iso_code_639_1.name.lower() if top and top.value > 0 else None
    if top_code is None:
        raise UnsupportedLanguage("the text is in no language the detector knows", None)
    if top_code not in LANGUAGES:
        mine = {c.language.iso_code_639_1.name.lower(): c.value for c in best}
        if max(mine.get(code, 0.0) for code in LANGUAGES) < _OURS_FLOOR:
            raise UnsupportedLanguage(
                f"the text seems to be in {top.language.name.title()} ({top_code}), not one of "
                f"{', '.join(LANGUAGES)}", top_code)
    answer = ours.detect_language_of(text)
    if answer is None:
        raise UnsupportedLanguage(f"the text is in none of {', '.join(LANGUAGES)}", top_code)
    return answer.iso_code_639_1.name.lower()


def guess_language(text: str) -> str | None:
    """``detect_language``, or None where it would raise."""
    try:
        return detect_language(text)
    except LanguageNotDetected:
        return None
