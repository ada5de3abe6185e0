"""Stated facts about deals: a relation cue, the two organisations it links, and the figure it
comes with, in one sentence, backed by the shortest verbatim quote that says it.

For each sentence (segmented by pySBD, which has rules for all five languages), every
relation cue of the language's table (``lexicon.py``, found by ``mentions.find_cues``) is read
with the organisations nearest to it: the last one before the cue plays the cue's
``subject_role``, the first one after it the ``object_role`` ("Nvidia invests in OpenAI";
"OpenAI, backed by Microsoft"). Who pays whom follows from the kind (``kinds.py``), never from
here. Each money figure of the sentence goes to the cue nearest to it, and so does each
percentage, capacity and date; the quote is the span from the first to the last of the cue,
the parties and the figure: verbatim by construction (``text[start:end]``) and checked.

The words that set a claim's modality ("plans to", "pourrait", "dovrebbe") and its status
("signed", "firmato") are a table per language below, in the lexicon's notation. They belong
beside the relation cues in ``lexicon.py``; they are here until that table has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from ..kinds import DEAL_KINDS
from .lexicon import LANGUAGES, PROPOSED_KINDS, Cue
from .mentions import CapacityMention, CueMention, DateMention, MoneyMention, PercentMention
from .organisations import OrgMention

__all__ = ["Proposal", "sentences", "find_claims", "MODALITY_CUES", "STATUS_CUES", "MAX_QUOTE", "resolved_kind"]

#: The longest quote the drafter writes (the seeds allow 240: room for the curator to widen it).
MAX_QUOTE = 200
#: The shortest quote the seeds accept.
MIN_QUOTE = 8

#: Modality cues, per language: "expected" for what is planned, likely or forecast, "target"
#: for what is hoped or aimed at, "denied" for a denial. A word ending in ``*`` matches any
#: ending; a future-tense ending is written ``*rà`` (any word ending so).
MODALITY_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"expected": ("will", "would", "could", "may", "might", "plans to", "planned", "plan to", "expect*",
                        "is set to", "are set to", "intends to", "is to", "aims to", "proposed", "potential*",
                        "in talks", "considering", "forecast*", "projected"),
           "target": ("hope*", "seek*", "aiming for", "target*", "wants to"),
           "denied": ("denied", "denies", "deny", "rejected", "dismissed")},
    "fr": {"expected": ("pourrait", "pourraient", "devrait", "devraient", "va", "vont", "prévoit", "prévu*",
                        "envisage*", "compte", "projet*", "attendu*", "serait", "seraient", "*era", "*eront",
                        "*ira", "*iront"),
           "target": ("espoir*", "espère*", "vise*", "ambitionne*", "objectif"),
           "denied": ("dément*", "démenti", "nié", "nie", "rejeté*")},
    "it": {"expected": ("potrebbe", "potrebbero", "dovrebbe", "dovrebbero", "prevede", "previst*", "pianifica*",
                        "intende", "intenzionat*", "piano di", "*rà", "*ranno", "sarebbe", "atteso", "attesa"),
           "target": ("spera*", "speranz*", "punta a", "obiettivo", "mira a"),
           "denied": ("smentit*", "smentisce", "nega*", "respint*")},
    "de": {"expected": ("wird", "werden", "würde", "würden", "könnte", "könnten", "soll", "sollen", "plant",
                        "geplant*", "erwartet*", "beabsichtigt", "will"),
           "target": ("hofft*", "Hoffnung*", "strebt ~ an", "Ziel"),
           "denied": ("dementiert*", "bestreitet", "bestritten", "weist ~ zurück")},
    "es": {"expected": ("podría", "podrían", "debería", "prevé", "previst*", "planea*", "planific*", "*rá",
                        "*rán", "espera que", "sería"),
           "target": ("espera*", "esperanza*", "aspira*", "pretende*", "objetivo"),
           "denied": ("desmint*", "negó", "niega*", "rechaz*")},
}
#: Status cues, per language, in the same notation: what state the sentence puts the deal in.
STATUS_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"signed": ("signed", "signs", "sign", "agreed", "struck", "inked", "sealed"),
           "completed": ("completed", "closed", "bought", "acquired", "purchased", "raised", "went public"),
           "announced": ("announc*", "unveil*", "plans to", "will"),
           "withdrawn": ("withdr*", "walked away", "pulled out", "backed out", "cancel*", "dropped"),
           "active": ("remains", "still", "ongoing", "continues")},
    "fr": {"signed": ("signé*", "signe", "conclu*", "scellé*"),
           "completed": ("finalisé*", "achevé*", "acquis", "acheté*", "levé*", "devenue publique"),
           "announced": ("annonc*", "dévoil*"),
           "withdrawn": ("retir*", "retrait", "abandon*", "annulé*", "renonc*"),
           "active": ("reste", "toujours", "en cours", "continue")},
    "it": {"signed": ("firmat*", "firma", "siglat*", "stipulat*", "concluso"),
           "completed": ("completat*", "acquistat*", "acquisit*", "raccolt*", "chiuso"),
           "announced": ("annunciat*", "annuncia*", "presentat*"),
           "withdrawn": ("ritirat*", "ritiro", "abbandonat*", "annullat*", "rinunciat*"),
           "active": ("rimane", "rimaneva", "ancora", "in corso", "continua")},
    "de": {"signed": ("unterzeichnet*", "unterschrieben", "vereinbart*", "abgeschlossen"),
           "completed": ("vollzogen", "gekauft", "erworben", "übernommen", "eingesammelt"),
           "announced": ("angekündigt", "kündigt* ~ an", "gab ~ bekannt", "bekanntgegeben"),
           "withdrawn": ("zurückgezogen", "zieht sich", "ausgestiegen", "storniert", "abgesagt"),
           "active": ("bleibt", "weiterhin", "laufend*", "noch")},
    "es": {"signed": ("firmad*", "firmó", "firma", "suscrit*", "cerrad*"),
           "completed": ("completad*", "adquirid*", "comprad*", "recaudad*"),
           "announced": ("anunci*", "present*"),
           "withdrawn": ("retirad*", "retiró", "abandon*", "cancelad*", "renunci*"),
           "active": ("sigue", "continúa", "todavía", "en curso")},
}


@dataclass
class Proposal:
    """One stated fact about a deal, as drafted: the cue, the parties by role (keys of
    ``OrgMention``), the figures attached, and the quote's span."""

    kind: str
    roles: dict[str, OrgMention]
    cue: CueMention
    sentence: tuple[int, int]
    quote: tuple[int, int]
    amount: MoneyMention | None = None
    price: MoneyMention | None = None
    share: PercentMention | None = None
    capacity: CapacityMention | None = None
    date: DateMention | None = None
    modality: str = "reported"
    modality_word: str | None = None
    status: str | None = None
    status_word: str | None = None
    #: What the drafter is unsure of, for the claim's ``review:`` note.
    unsure: list[str] = field(default_factory=list)

    def quote_text(self, text: str) -> str:
        return text[self.quote[0]:self.quote[1]]


def resolved_kind(cue: Cue) -> tuple[str, dict[str, str | None]]:
    """The deal kind a cue drafts and the role each of its sides plays in it. A kind the cue
    table proposes but ``kinds.py`` lacks yet (``lexicon.PROPOSED_KINDS``: a lease, a warrant)
    falls back to its stated kind, the roles matched by the money's direction (the payer's
    role to the payer's role), so the direction the cue says is kept."""
    if cue.kind in DEAL_KINDS:
        return cue.kind, {"subject": cue.subject_role, "object": cue.object_role}
    proposed = PROPOSED_KINDS[cue.kind]
    fallback = DEAL_KINDS[proposed["fallback"]]
    mapping = {proposed["flow_from"]: fallback.flow_from, proposed["flow_to"]: fallback.flow_to}
    return fallback.name, {"subject": mapping.get(cue.subject_role), "object": mapping.get(cue.object_role)}


# ---------------------------------------------------------------------------------------------
# Sentences


@lru_cache(maxsize=None)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False)


def sentences(text: str, language: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets, none crossing a line break (a line is
    a headline, a bullet or a paragraph), stripped of surrounding spaces.

    pySBD returns the sentences' text; each is found in the text from where the previous one
    ended, so the offsets are the text's own whatever pySBD does with spaces."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        line_start = at
        at += len(line) + 1
        if not line.strip():
            continue
        cursor = line_start
        for piece in _segmenter(language).segment(line):
            body = piece.strip()
            if not body:
                continue
            found = text.find(body, cursor, line_start + len(line))
            if found < 0:  # pySBD changed the text (it should not with clean=False): keep the rest whole
                break
            spans.append((found, found + len(body)))
            cursor = found + len(body)
        rest = text[cursor:line_start + len(line)]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            spans.append((cursor + lead, cursor + len(rest.rstrip())))
    return spans


# ---------------------------------------------------------------------------------------------
# Modality and status


def _pattern(phrase: str) -> str:
    """A phrase of the tables as a regular expression: words apart by spaces, ``*`` for any
    ending (or, first, any beginning), ``~`` a gap of up to three words."""
    words = phrase.split(" ")
    out = ""
    for i, word in enumerate(words):
        if word == "~":
            out += r"(?:\w[\w'’-]*\s+){0,3}"
            continue
        body = "".join("['’]" if ch in "'’" else re.escape(ch) for ch in word.strip("*"))
        out += (r"\w+" if word.startswith("*") else "") + body + (r"\w*" if word.endswith("*") else "")
        if i < len(words) - 1:
            out += r"\s+"
    return r"(?<!\w)" + out + r"(?!\w)"


@lru_cache(maxsize=None)
def _word_table(table: str, language: str) -> list[tuple[str, re.Pattern]]:
    rows = (MODALITY_CUES if table == "modality" else STATUS_CUES)[language]
    return [(value, re.compile(_pattern(p), re.IGNORECASE))
            for value, phrases in rows.items() for p in phrases]


def _nearest_word(table: str, language: str, text: str, span: tuple[int, int],
                  around: tuple[int, int]) -> tuple[str, str] | None:
    """The value of the table's phrase nearest to ``around`` within ``span`` (a sentence)."""
    best = None
    for value, pattern in _word_table(table, language):
        for m in pattern.finditer(text, span[0], span[1]):
            d = _distance((m.start(), m.end()), around)
            if best is None or d < best[0]:
                best = (d, value, m.group())
    return None if best is None else (best[1], best[2])


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


# ---------------------------------------------------------------------------------------------
# Claims


def _span(m: Any) -> tuple[int, int]:
    return (m.start, m.end)


def find_claims(text: str, language: str, organisations: Sequence[OrgMention], mentions: Sequence[Any],
                cues: Sequence[CueMention]) -> list[Proposal]:
    """The stated facts of ``text``: one :class:`Proposal` per relation cue that has its
    parties in its sentence (both, for a kind with a payer and a payee; the one, for an IPO or
    a spending commitment), with the figures nearest to it.

    ``organisations`` are the party mentions (no people), ``mentions`` the figures
    (``mentions.find_mentions``), ``cues`` the relation cues (``mentions.find_cues``).
    """
    proposals: list[Proposal] = []
    for sentence in sentences(text, language):
        s0, s1 = sentence
        in_sentence = [c for c in cues if s0 <= c.start and c.end <= s1]
        if not in_sentence:
            continue
        orgs = [o for o in organisations if s0 <= o.start and o.end <= s1 and not o.person]
        drafted: list[Proposal] = []
        for cue in in_sentence:
            p = _proposal(text, language, sentence, cue, orgs)
            if p is not None:
                drafted.append(p)
        if not drafted:
            continue
        _attach_figures(text, sentence, drafted, [m for m in mentions if s0 <= m.start and m.end <= s1])
        for p in drafted:
            if _quote(text, p):
                _stance(text, language, p)
                quote = p.quote_text(text)
                assert text[p.quote[0]:p.quote[1]] == quote and quote in text  # verbatim, by construction
                proposals.append(p)
    return _one_per_fact(proposals)


def _proposal(text: str, language: str, sentence: tuple[int, int], cue: CueMention,
              orgs: list[OrgMention]) -> Proposal | None:
    kind, roles = resolved_kind(cue.cue)
    before = [o for o in orgs if o.end <= cue.start]
    after = [o for o in orgs if o.start >= cue.end]
    subject = before[-1] if before else None
    obj = after[0] if after else None
    parties: dict[str, OrgMention] = {}
    unsure = []
    row = DEAL_KINDS[kind]
    if roles["object"] is None:  # one-party kinds: the issuer of an IPO, a spender
        one = subject or obj
        if one is None:
            return None
        if subject is None:
            unsure.append(f"the {roles['subject']} is the organisation after the cue, not before it")
        parties[roles["subject"]] = one
    else:
        if subject is None or obj is None or subject.key == obj.key:
            return None
        parties[roles["subject"]] = subject
        parties[roles["object"]] = obj
    if any(r not in parties for r in row.required_roles):
        return None
    if cue.cue.kind != kind:
        unsure.append(f"the cue says {cue.cue.kind.replace('_', ' ')}, a kind dealgraph lacks yet: drafted as {kind}")
    return Proposal(kind, parties, cue, sentence, (cue.start, cue.end), unsure=unsure)


def _attach_figures(text: str, sentence: tuple[int, int], drafted: list[Proposal], figures: list[Any]) -> None:
    """Each figure of the sentence goes to the nearest cue that can take it (a share only to a
    kind that carries one); a proposal keeps the nearest figure of each sort it was given."""
    for figure in figures:
        takers = [p for p in drafted if _takes(p, figure)]
        if not takers:
            continue
        p = min(takers, key=lambda q: _distance(_span(figure), _span(q.cue)))
        slot = _slot(figure)
        current = getattr(p, slot)
        if current is None or _distance(_span(figure), _span(p.cue)) < _distance(_span(current), _span(p.cue)):
            setattr(p, slot, figure)


def _slot(figure: Any) -> str:
    if isinstance(figure, MoneyMention):
        return "price" if figure.per == "share" else "amount"
    return {PercentMention: "share", CapacityMention: "capacity", DateMention: "date"}[type(figure)]


def _takes(p: Proposal, figure: Any) -> bool:
    if isinstance(figure, PercentMention):
        return DEAL_KINDS[p.kind].share_of is not None and not figure.points
    if isinstance(figure, MoneyMention):
        return figure.per != "share" or p.kind == "ipo"
    return True


def _quote(text: str, p: Proposal) -> bool:
    """Set the quote to the shortest span holding the cue, the parties and the figures; a
    figure that would make it longer than ``MAX_QUOTE`` is left out of the claim (it stays in
    the mentions). False when even the cue and the parties do not fit."""
    core = [_span(p.cue)] + [_span(o) for o in p.roles.values()]
    if _length(core) > MAX_QUOTE:
        return False
    for slot in ("amount", "price", "share", "capacity", "date"):
        figure = getattr(p, slot)
        if figure is None:
            continue
        if _length(core + [_span(figure)]) <= MAX_QUOTE:
            core.append(_span(figure))
        else:
            setattr(p, slot, None)
            p.unsure.append(f"a {slot} in the sentence was left out: the quote would be longer than {MAX_QUOTE}")
    start, end = min(s for s, _ in core), max(e for _, e in core)
    s0, s1 = p.sentence
    while end - start < MIN_QUOTE and (start > s0 or end < s1):  # "CoreWeave IPO": widen to a phrase
        start, end = _widen(text, start, end, s0, s1)
    if end - start < MIN_QUOTE:
        return False
    p.quote = (start, end)
    return True


def _widen(text: str, start: int, end: int, s0: int, s1: int) -> tuple[int, int]:
    """One more word on each side, within the sentence."""
    if end < s1:
        m = re.compile(r"\s*\S+").match(text, end, s1)
        end = m.end() if m else s1
    if start > s0:
        m = re.search(r"\S+\s*$", text[s0:start])
        start = s0 + m.start() if m else s0
    return start, end


def _length(spans: list[tuple[int, int]]) -> int:
    return max(e for _, e in spans) - min(s for s, _ in spans)


def _stance(text: str, language: str, p: Proposal) -> None:
    """Modality and status from the words of the sentence nearest to the quote."""
    modality = _nearest_word("modality", language, text, p.sentence, p.quote)
    if modality:
        p.modality, p.modality_word = modality
    status = _nearest_word("status", language, text, p.sentence, p.quote)
    if status:
        p.status, p.status_word = status
    if p.modality == "denied":
        p.status = None


def _one_per_fact(proposals: list[Proposal]) -> list[Proposal]:
    """One claim per fact: cues of one sentence that draft the same deal ("introduction en
    bourse (IPO)", "invests in ... investment") make one claim, the one with the most figures,
    then the shortest quote."""
    best: dict[tuple, Proposal] = {}

    def rank(p: Proposal) -> tuple[int, int]:
        figures = sum(getattr(p, s) is not None for s in ("amount", "price", "share", "capacity", "date"))
        return (-figures, p.quote[1] - p.quote[0])

    for p in proposals:
        key = (p.sentence, p.kind, tuple(sorted((r, o.key) for r, o in p.roles.items())))
        if key not in best or rank(p) < rank(best[key]):
            best[key] = p
    return sorted(best.values(), key=lambda p: p.quote)
