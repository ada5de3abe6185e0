"""The drafter's foundation: what a new article mentions, in which language, with which words.

``dealgraph draft ARTICLE.txt`` (issue 14) reads an article and writes seed entries for an
analyst to review. This package finds the figures (``mentions``), tells the language
(``language``) and holds the words it reads by, one table per language (``lexicon``). It
knows records (``models``, ``kinds``, ``dates``) and nothing of RDF, stores or the API.
"""

from __future__ import annotations

from .language import LanguageNotDetected, TextTooShort, UnsupportedLanguage, detect_language, guess_language
from .lexicon import COMMON, LANGUAGES, LEXICON, Cue, money_direction
from .mentions import (AnyMention, CapacityMention, CountMention, CueMention, DateMention, Mention, MoneyMention,
                       PercentMention, TrancheMention, find_cues, find_mentions, parse_number)

__all__ = [
    "find_mentions", "find_cues", "parse_number", "detect_language", "guess_language",
    "Mention", "MoneyMention", "PercentMention", "CapacityMention", "CountMention", "TrancheMention", "DateMention",
    "CueMention", "AnyMention",
    "LanguageNotDetected", "TextTooShort", "UnsupportedLanguage",
    "LEXICON", "COMMON", "LANGUAGES", "Cue", "money_direction",
]
