"""The sentences of the synthetic documents: one per claim, which is also the claim's quote, so
every quote appears verbatim in its document's text."""

from __future__ import annotations

import random

from .figures import plain, share_text
from .network import Cast, Deal
from .reports import Claim
from .tables import AMOUNT_VERBS, STATUS_WORDS

__all__ = ["Prose", "label", "as_sentence", "and_list"]


def as_sentence(text: str) -> str:
    """A capital first, one full stop last ("... Company 58 Inc." needs no second)."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def label(d: Deal, cast: Cast) -> str:
    """The deal's label in deals.yaml: 'Loan, Company-0003 to Company-0017'."""
    names = {role: [cast.names[c] for c in who] for role, who in d.parties.items()}
    if d.kind.flow_from and d.kind.flow_to:
        return f"{d.kind.label}, {names[d.kind.flow_from][0]} to {names[d.kind.flow_to][0]}"
    return f"{d.kind.label} of {and_list(names[d.kind.required_roles[0]])}"


class Prose:
    """Writes about deals as a source would, now and then naming a company by its alias.

    ``short`` asks for the shortest sentence (canonical names, no "according to"), for a quote
    that would otherwise be too long.
    """

    def __init__(self, rng: random.Random, cast: Cast):
        self.rng = rng
        self.cast = cast

    def sentence(self, d: Deal, c: Claim, *, short: bool = False) -> str:
        """What the claim says, as one sentence: its evidence quote."""
        lead = ""
        if c.speaker and c.speaker.startswith("person-") and not short:
            lead = f"according to {self.cast.person_name(c.speaker)}, "
        if c.event:
            kind, who, role = c.event
            if c.modality == "denied":
                speaker = self.cast.names[self.cast.index[c.speaker]]
                return as_sentence(f"{speaker} denies that {self._mention(who, short)} has withdrawn from "
                                   f"{self._phrase(d, short)}")
            if kind == "withdrawn":
                return as_sentence(lead + f"{self._mention(who, short)} has withdrawn from {self._phrase(d, short)}")
            return as_sentence(lead + f"{self._mention(who, short)} has taken over the place of "
                                      f"{role.replace('_', ' ')} in {self._phrase(d, short)}")
        if c.doubtful:
            return as_sentence(f"{self._phrase(d, short)} is said to date from {c.date}")
        parts = self._predicates(d, c, short)  # before the phrase: both draw from the stream, in this order
        return as_sentence(lead + f"{self._phrase(d, short)} {and_list(parts)}")

    def _predicates(self, d: Deal, c: Claim, short: bool) -> list[str]:
        """What the claim says of the deal, in the order the sentence gives it."""
        parts = []
        if c.amount:
            parts.append(f"{AMOUNT_VERBS[c.modality]} {c.amount.text()}")
        if c.share:
            pct, of, q = c.share
            whose = self._mention(d.party(d.kind.flow_to), short)
            if of == "revenue":
                what = f"of the revenue of {whose}" + (f" in {c.period}" if c.period else "")
            else:
                what = f"of {whose}"
            parts.append(f"stands for {share_text(pct, q)} {what}")
        elif c.period:
            parts.append(f"covers {c.period}")
        if c.price:
            parts.append(f"prices its shares at {plain(c.price)} dollars each")
        if c.capacity:
            parts.append(f"aims at about {plain(c.capacity)} GW")
        if c.date:
            parts.append(f"dates from {c.date}")
        if c.until:
            parts.append(f"runs until {c.until}")
        if c.status:
            parts.append(STATUS_WORDS[c.status])
        return parts or ["is on record"]

    def _mention(self, c: int, short: bool) -> str:
        return self.cast.aliases[c] if not short and self.rng.random() < 0.2 else self.cast.names[c]

    def _phrase(self, d: Deal, short: bool) -> str:
        """How a sentence names the deal (its kind's phrase, with its parties mentioned)."""
        m = {role: [self._mention(c, short) for c in who] for role, who in d.parties.items()}
        f, t = d.kind.flow_from, d.kind.flow_to
        return d.draw.phrase.format(payer=m[f][0] if f else "", payee=m[t][0] if t else "",
                                    parties=and_list(m[d.kind.required_roles[0]]))
