"""Stated facts about deals: a relation cue, the two organisations it links, and the figure it
comes with, in one sentence, backed by the shortest verbatim quote that says it.

For each sentence (segmented by pySBD, which has rules for all five languages), every
relation cue of the language's table (``lexicon.py``, found by ``mentions.find_cues``) is read
with the organisations around it, by rules that hold in the five languages:

- the subject is the last organisation before the cue, unless a comma insertion closes right
  before the cue ("CoreWeave, backed by Nvidia, buys": CoreWeave), or the cue is a verb
  coordinated with the previous one ("invests in OpenAI and buys from AMD": the first's
  subject), or the organisation only opens the sentence ("Sur CNBC, ...": no subject);
- the object is the first organisation after the cue, or the one inside it at its ``@``
  ("von Microsoft finanziert");
- coordinated organisations ("Nvidia and Microsoft invest in X", "in X and Y") make one claim
  each;
- a cue followed by the language's passive agent ("supplied by", "fournies par") has its
  subject and object the other way round;
- a sentence that opens with a pronoun or a definite description of the language's
  ``anaphora`` table ("It", "La compañía", "Der Chipkonzern") before any organisation has for
  subject the organisation that was the subject of the sentence(s) before (at most
  ``ANAPHORA_REACH`` back): a party read from context, which the claim's review note says.

Who pays whom follows from the kind (``kinds.py``), never from here. Each money figure of the
sentence goes to the cue nearest to it, and so does each percentage, capacity, count of shares
(to a kind that holds one: ``SHARE_FIGURES``), tranche and date; the
quote is the span from the first to the last of the cue, the parties and the figure: verbatim
by construction (``text[start:end]``) and checked. Modality ("plans to", "pourrait") and status
("signed", "firmato") come from the language's tables in ``lexicon.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any, Sequence

from ..kinds import DEAL_KINDS
from .lexicon import LANGUAGES, LEXICON, compile_phrase
from .mentions import (CapacityMention, CountMention, CueMention, DateMention, MoneyMention, PercentMention,
                       TrancheMention)
from .organisations import OrgMention

__all__ = ["Proposal", "sentences", "find_claims", "MAX_QUOTE", "SHARE_FIGURES", "FIGURE_SLOTS"]

#: The longest quote the drafter writes (the seeds allow 240: room for the curator to widen it).
MAX_QUOTE = 200
#: The shortest quote the seeds accept.
MIN_QUOTE = 8
#: How many sentences back a pronoun or a definite description looks for the subject it
#: stands for; and how many words into its sentence an organisation (or the pronoun) may stand
#: to be read as the sentence's subject ("Under the agreement, Nvidia will ...").
ANAPHORA_REACH = 3
SUBJECT_WORDS = 8
#: The most words between a cue and the organisation read as its object ("signed a contract
#: with the British company Nscale"; "supplies chips worth $5 billion a year to OpenAI" is read
#: by the longer cue "supplie* ~ to").
OBJECT_WORDS = 6

#: The figures about shares a claim of a kind carries (``models.Claim``'s ``price`` and
#: ``quantity``): an offering's price per share; a warrant's exercise price per share and the
#: count of shares it covers (``kinds.py``'s warrant row). Beside any other kind a price per
#: share or a count of shares says what a share cost or how many changed hands, not what the
#: deal is: it stays in the draft's mentions, for the curator.
SHARE_FIGURES: dict[str, frozenset[str]] = {
    "ipo": frozenset({"price"}),
    "warrant": frozenset({"price", "quantity"}),
}

#: The figure slots of a proposal, in the order a quote makes room for them: what the claim
#: states first, then a tranche, then how many tranches there are (which only completes it).
FIGURE_SLOTS = ("amount", "price", "share", "capacity", "quantity", "tranche", "date", "tranche_count")


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
    #: a count of shares (a warrant's)
    quantity: CountMention | None = None
    #: which tranche the fact is about ("first tranche"), and, apart, how many tranches the
    #: sentence says there are ("in ten tranches")
    tranche: TrancheMention | None = None
    tranche_count: TrancheMention | None = None
    date: DateMention | None = None
    modality: str = "reported"
    modality_word: str | None = None
    status: str | None = None
    status_word: str | None = None
    #: What the drafter is unsure of, for the claim's ``review:`` note.
    unsure: list[str] = field(default_factory=list)

    def quote_text(self, text: str) -> str:
        return text[self.quote[0]:self.quote[1]]


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


@lru_cache(maxsize=None)
def _word_table(table: str, language: str) -> list[tuple[str, re.Pattern]]:
    rows = getattr(LEXICON[language], table)
    return [(value, compile_phrase(p)) for value, phrases in rows.items() for p in phrases]


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
    """The stated facts of ``text``: one :class:`Proposal` per relation cue and pair of parties
    it links in its sentence (both, for a kind with a payer and a payee; the one, for an IPO or
    a spending commitment), with the figures nearest to it.

    ``organisations`` are the party mentions (no people), ``mentions`` the figures
    (``mentions.find_mentions``), ``cues`` the relation cues (``mentions.find_cues``).
    """
    lang = LEXICON[language]
    proposals: list[Proposal] = []
    subject_of: list[OrgMention | None] = []  # each sentence's subject, for the pronouns after it
    for sentence in sentences(text, language):
        s0, s1 = sentence
        in_sentence = sorted((c for c in cues if s0 <= c.start and c.end <= s1), key=lambda c: c.start)
        orgs = [o for o in organisations if s0 <= o.start and o.end <= s1 and not o.person]
        antecedent = next((o for o in reversed(subject_of[-ANAPHORA_REACH:]) if o is not None), None)
        pronoun = _anaphor(text, language, sentence, orgs, in_sentence, antecedent, organisations)
        if pronoun is not None:
            orgs = [pronoun, *orgs]
        subject_of.append(pronoun or _subject(text, sentence, orgs))
        if not in_sentence:
            continue
        # an object's description may stand for a company a few more sentences back
        recent = [o for o in reversed(subject_of[-2 * ANAPHORA_REACH:]) if o is not None]
        drafted: list[Proposal] = []
        previous: _Reading | None = None
        for i, cue in enumerate(in_sentence):
            following = in_sentence[i + 1] if i + 1 < len(in_sentence) else None
            reading = _read(text, lang, sentence, cue, orgs, previous, following, recent, organisations)
            drafted += _proposals(cue, sentence, reading)
            previous = reading
        if not drafted:
            continue
        _attach_figures(text, sentence, drafted, [m for m in mentions if s0 <= m.start and m.end <= s1])
        for p in drafted:
            if p.kind != p.cue.cue.kind and p.cue.cue.alone == p.kind and p.amount is None:
                continue  # "invests in AI" with no sum and no party after it: no fact
            if _quote(text, p):
                _stance(text, language, p)
                quote = p.quote_text(text)
                assert text[p.quote[0]:p.quote[1]] == quote and quote in text  # verbatim, by construction
                proposals.append(p)
    return _one_per_fact(proposals)


def _anaphor(text: str, language: str, sentence: tuple[int, int], orgs: list[OrgMention],
             cues: list[CueMention], antecedent: OrgMention | None,
             organisations: Sequence[OrgMention] = ()) -> OrgMention | None:
    """The pronoun or definite description that opens ``sentence`` as its subject, standing for
    ``antecedent``: a mention with the pronoun's place and words and the antecedent's key (so
    the quote is the sentence's own). None when the sentence names an organisation or has a cue
    before it, or when it stands more than ``SUBJECT_WORDS`` words in."""
    if antecedent is None:
        return None
    s0, s1 = sentence
    first = min([o.start for o in orgs] + [c.start for c in cues] + [s1])
    hits = [m for p in _anaphora(language) for m in [p.search(text, s0, first)] if m is not None]
    if not hits:
        return None
    hit = min(hits, key=lambda m: (m.start(), -m.end()))
    if len(re.findall(r"\w+", text[s0:hit.start()])) > SUBJECT_WORDS or hit.end() > first:
        return None
    antecedent = _described(text, language, hit, organisations) or antecedent
    return OrgMention(hit.start(), hit.end(), hit.group(), antecedent.key, antecedent.known,
                      antecedent_surface=antecedent.antecedent_surface or antecedent.surface)


#: The most words between a descriptive noun and the name it describes ("le fournisseur de
#: cloud néerlandais Nebius Group"), none of them a punctuation mark.
APPOSITION_WORDS = 3
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def _described(text: str, language: str, hit: re.Match, organisations: Sequence[OrgMention]) -> OrgMention | None:
    """The organisation a definite description stands for by its noun: "La eléctrica" is the
    company the text introduced as "la eléctrica Iberdrola", "dem Anbieter" the one it called
    "der US-Cloudanbieter CoreWeave" (a compound by its last part). The description's noun must
    be one of the language's ``descriptive_nouns``; the latest such apposition before it wins.
    None when the text introduces no organisation with that noun."""
    from .organisations import fold

    nouns = [fold(n) for n in LEXICON[language].descriptive_nouns]
    words = [w for w in _TOKEN.findall(hit.group()) if any(fold(w).endswith(n) for n in nouns)]
    if not words:
        return None
    head = fold(words[-1])
    starts = {o.start: o for o in organisations if not o.person and not o.antecedent_surface}
    best = None
    for w in _TOKEN.finditer(text, 0, hit.start()):
        if not fold(w.group()).endswith(head):
            continue
        at = w.end()
        for m in re.finditer(r"\s+(?=\S)", text[at:at + 120]):
            start = at + m.end()
            if start in starts:
                best = starts[start]
                break
            if len(_TOKEN.findall(text[at:start])) >= APPOSITION_WORDS or re.search(r"[^\w\s'’-]", text[at:start]):
                break
    return best


def _object_anaphor(text: str, language: str, at: int, bound: int) -> re.Match | None:
    """The pronoun or description of the language's table that follows the cue ending at
    ``at`` (spaces between at most), within ``bound``: the longest."""
    start = at + len(text[at:bound]) - len(text[at:bound].lstrip())
    hits = [m for p in _anaphora(language) for m in [p.match(text, start, bound)] if m is not None]
    return max(hits, key=lambda m: m.end(), default=None)


@lru_cache(maxsize=None)
def _anaphora(language: str) -> list[re.Pattern]:
    return [compile_phrase(p) for p in LEXICON[language].anaphora]


def _subject(text: str, sentence: tuple[int, int], orgs: list[OrgMention]) -> OrgMention | None:
    """The organisation a sentence is about, for a pronoun after it: its first one, when it
    stands within its first ``SUBJECT_WORDS`` words."""
    if not orgs:
        return None
    first = min(orgs, key=lambda o: o.start)
    lead = _DATELINE.match(text, sentence[0], first.start)
    start = lead.end() if lead else sentence[0]
    return first if len(re.findall(r"\w+", text[start:first.start])) <= SUBJECT_WORDS else None


#: A wire story's dateline before its first sentence ("NEW YORK/BERLIN, 3. Oktober (Agentur) – "):
#: its words are not the sentence's.
_DATELINE = re.compile(r"[^\W\d_a-z][^\W\d_a-z ./'’-]+,[^\n]{0,60}?\s[–—-]\s+")


@dataclass
class _Reading:
    """The organisations a cue links, by where they stand: before it (its subject side), inside
    it (its ``@``), after it (its object side); lists, for coordinated names."""

    cue: CueMention
    subject: list[OrgMention]
    slot: list[OrgMention]
    object: list[OrgMention]
    passive: bool
    notes: list[str]
    #: where the cue's reading ends in the text: its end or its last object's
    end: int


def _and(lang) -> str:
    words = "|".join(re.escape(w) for w in (*lang.and_, "&"))
    return rf"(?:{words})"


def _read(text: str, lang, sentence: tuple[int, int], cue: CueMention, orgs: list[OrgMention],
          previous: _Reading | None, following: CueMention | None,
          recent: Sequence[OrgMention] = (), organisations: Sequence[OrgMention] = ()) -> _Reading:
    s0, s1 = sentence
    and_ = _and(lang)
    joined_by_and = re.compile(rf"\s*,?\s*{and_}\s*", re.IGNORECASE)
    joined_by_comma = re.compile(r"\s*,\s*")
    notes: list[str] = []
    slot = [o for o in orgs if cue.slot and cue.slot[0] <= o.start and o.end <= cue.slot[1]]
    if any(cue.start <= o.start and o.end <= cue.end and o not in slot for o in orgs):
        notes.append("an organisation is named between the cue's words: check who plays which role")
    before = [o for o in orgs if o.end <= cue.start]
    after = [o for o in orgs if o.start >= cue.end]

    subject: list[OrgMention] = []
    if previous is not None and previous.subject and not previous.passive and (
            joined_by_and.fullmatch(text[previous.end:cue.start]) or previous.end >= cue.start):
        # "Microsoft invested in OpenAI and bought chips from Nvidia": one subject, two verbs
        subject = list(previous.subject)
        notes.append("the subject is the one of the verb before, coordinated with this one")
    elif before:
        at = len(before) - 1
        between = text[before[at].end:cue.start]
        if re.search(r",\s*$", between):
            # a comma insertion closes right before the cue ("CoreWeave, backed by Nvidia,
            # buys"): the subject is the organisation right before the comma that opens it
            opening = text.rfind(",", s0, before[at].start)
            for j in range(at - 1, -1, -1):
                if opening >= 0 and not text[before[j].end:opening].strip():
                    at = j
                    notes.append("the subject is read across a comma insertion")
                    break
        first = before[at]
        opening_words = len(re.findall(r"\w+", text[s0:first.start]))
        fronted = (1 <= opening_words <= 3 and re.match(r"\s*,", text[first.end:cue.start])
                   and not re.search(r",\s*$", text[first.end:cue.start]))
        if not fronted:  # "Sur CNBC, le PDG ...": a phrase that opens the sentence, not its subject
            subject = [first]
            # coordination back from it: "Microsoft, Google and Amazon invest"; the first joint
            # must be "and", the others "," or "and"; never across the cue before
            bound = previous.end if previous is not None else s0
            seen_and = False
            for o in reversed(before[:at]):
                if o.end < bound:
                    break
                sep = text[o.end:subject[0].start]
                if joined_by_and.fullmatch(sep):
                    seen_and = True
                elif not (seen_and and joined_by_comma.fullmatch(sep)):
                    break
                subject.insert(0, o)

    objects: list[OrgMention] = []
    last = cue.cue.phrase.split(" ")[-1]
    ends_in_preposition = "*" not in last and last.islower() and len(last) <= 5
    if ends_in_preposition and after and len(re.findall(r"\w+", text[cue.end:after[0].start])) > OBJECT_WORDS:
        # "invertirá 15.700 millones en la ampliación de sus centros de datos en Aragón": what
        # stands that far after a cue's preposition is no party to it (after a verb, what is
        # supplied comes first: "fornirà acceleratori AI per i data center di OpenAI")
        notes.append("an organisation after the cue stands too far from it to be read as its party")
        after = []
    if after:
        bound = following.start if following is not None else s1
        chain = [after[0]]
        last_and = 0
        for o in after[1:]:
            if o.start >= bound:
                break
            sep = text[chain[-1].end:o.start]
            if joined_by_and.fullmatch(sep):
                chain.append(o)
                last_and = len(chain) - 1
            elif joined_by_comma.fullmatch(sep):
                chain.append(o)
            else:
                break
        objects = chain[:last_and + 1]
        # "sells to CoreWeave and Microsoft buys from AMD": Microsoft is the next verb's subject
        if len(objects) > 1 and following is not None:
            gap = text[objects[-1].end:following.start]
            if len(re.findall(r"\w+", gap)) <= 3 and not re.search(r"[,;:]", gap):
                objects.pop()
    if not objects and not cue.slot and recent:
        # "invests 1.3 billion in the company", "hält 7 Prozent an dem Unternehmen": a
        # description right after the cue stands for the latest subject that is not this one's
        referent = next((o for o in recent if o.key not in {s.key for s in subject}), None)
        bound = following.start if following is not None else s1
        hit = _object_anaphor(text, lang.code, cue.end, bound)
        if hit is not None:
            described = _described(text, lang.code, hit, organisations)
            if described is not None and described.key not in {s.key for s in subject}:
                referent = described
        if referent is not None and hit is not None:
            objects = [OrgMention(hit.start(), hit.end(), hit.group(), referent.key, referent.known,
                                  antecedent_surface=referent.antecedent_surface or referent.surface)]
    passive = False
    agents = "|".join(re.escape(a) for a in lang.passive_agents)
    articles = "|".join(re.escape(a) for a in lang.articles)
    if agents and objects and not cue.slot:
        agent = re.match(rf"\s+(?:{agents})\s+(?:(?:{articles})\s+)?", text[cue.end:objects[0].start], re.IGNORECASE)
        passive = agent is not None and agent.end() == objects[0].start - cue.end
        if passive:
            notes.append("a passive: the party after the agent word plays the subject's role")
    for o in (*subject, *slot, *objects):
        if o.antecedent_surface:
            notes.append(f"{o.surface!r} is read from context as {o.antecedent_surface!r}, the organisation "
                         "the text was about before: check who it stands for")
    end = max([cue.end, *(o.end for o in objects)])
    return _Reading(cue, subject, slot, objects, passive, notes, end)


def _proposals(cue: CueMention, sentence: tuple[int, int], reading: _Reading) -> list[Proposal]:
    """One proposal per pair of parties the reading links, in the roles the cue's kind gives
    their sides."""
    kind = cue.cue.kind
    roles = {"subject": cue.cue.subject_role, "object": cue.cue.object_role, "slot": cue.cue.slot_role}
    sides = {"subject": reading.subject, "slot": reading.slot, "object": reading.object}
    if reading.passive:
        sides["subject"], sides["object"] = sides["object"], sides["subject"]
    unsure = list(reading.notes)
    wanted = [side for side in ("subject", "slot", "object") if roles[side] is not None]
    row = DEAL_KINDS[kind]
    if wanted == ["subject"]:  # one-party kinds: the issuer of an IPO, a spender
        # "the IPO of CoreWeave" names the issuer after the cue; "spending on X" names what is
        # bought, not who pays: a payer is never read after the cue
        after_ok = roles["subject"] != row.flow_from
        one, where = (sides["subject"], "before") if sides["subject"] else (sides["object"][:1] if after_ok else [], "after")
        if where == "after":
            unsure.append(f"the {roles['subject']} is the organisation after the cue, not before it")
        return [Proposal(kind, {roles["subject"]: o}, cue, sentence, (cue.start, cue.end), unsure=list(unsure))
                for o in one]
    if any(not sides[side] for side in wanted):
        alone = cue.cue.alone
        if alone and reading.subject and not reading.object and not reading.slot and not reading.passive:
            # "Microsoft will invest $80 billion in AI": no party after it, a spending of its own
            role = DEAL_KINDS[alone].required_roles[0]
            return [Proposal(alone, {role: o}, cue, sentence, (cue.start, cue.end),
                             unsure=[*unsure, f"no organisation after the cue: drafted as {alone.replace('_', ' ')}"])
                    for o in reading.subject]
        return []
    out = []
    for pair in product(*(sides[side] for side in wanted)):
        if len({o.key for o in pair}) < len(pair):
            continue
        parties = {roles[side]: o for side, o in zip(wanted, pair)}
        if any(r not in parties for r in row.required_roles):
            continue
        notes = list(unsure)
        if any(len(sides[side]) > 1 for side in wanted):
            notes.append("coordinated names: one claim each; a sum stated once may be their joint one")
        out.append(Proposal(kind, parties, cue, sentence, (cue.start, cue.end), unsure=notes))
    return out


def _attach_figures(text: str, sentence: tuple[int, int], drafted: list[Proposal], figures: list[Any]) -> None:
    """Each figure of the sentence goes to the nearest cue that can take it (a share only to a
    kind that carries one), and to every claim drafted from that cue (coordinated parties); a
    claim keeps the nearest figure of each sort it was given."""
    for figure in figures:
        takers = [p for p in drafted if _takes(p, figure)]
        if not takers:
            continue
        nearest = min(takers, key=lambda q: _distance(_span(figure), _span(q.cue))).cue
        for slot in _slots(figure):
            for p in takers:
                if p.cue is not nearest:
                    continue
                current = getattr(p, slot)
                if current is None or _distance(_span(figure), _span(p.cue)) < _distance(_span(current), _span(p.cue)):
                    setattr(p, slot, figure)


def _slots(figure: Any) -> tuple[str, ...]:
    if isinstance(figure, MoneyMention):
        return ("price",) if figure.per == "share" else ("amount",)
    if isinstance(figure, TrancheMention):
        # "the first of ten tranches" says which tranche and how many: "the first tranche ...,
        # the first of ten tranches" gives the count to the nearer one
        return (("tranche",) if figure.number is not None else ()) + (("tranche_count",) if figure.of else ())
    return ({PercentMention: "share", CapacityMention: "capacity", CountMention: "quantity",
             DateMention: "date"}[type(figure)],)


def _takes(p: Proposal, figure: Any) -> bool:
    if isinstance(figure, PercentMention):
        return DEAL_KINDS[p.kind].share_of is not None and not figure.points
    if isinstance(figure, MoneyMention):
        return figure.per != "share" or "price" in SHARE_FIGURES.get(p.kind, ())
    if isinstance(figure, CountMention):
        # a count of users or chips is no Quantity: only shares have a unit of count
        return figure.unit == "shares" and "quantity" in SHARE_FIGURES.get(p.kind, ())
    return True


def _quote(text: str, p: Proposal) -> bool:
    """Set the quote to the shortest span holding the cue, the parties and the figures; a
    figure that would make it longer than ``MAX_QUOTE`` is left out of the claim (it stays in
    the mentions). False when even the cue and the parties do not fit."""
    core = [_span(p.cue)] + [_span(o) for o in p.roles.values()]
    if _length(core) > MAX_QUOTE:
        return False
    for slot in FIGURE_SLOTS:
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
        figures = sum(getattr(p, s) is not None for s in FIGURE_SLOTS)
        return (-figures, p.quote[1] - p.quote[0])

    for p in proposals:
        key = (p.sentence, p.kind, tuple(sorted((r, o.key) for r, o in p.roles.items())))
        if key not in best or rank(p) < rank(best[key]):
            best[key] = p
    return sorted(best.values(), key=lambda p: p.quote)
