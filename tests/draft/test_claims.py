"""Stated facts: the cue, the two parties in the right roles, the nearest figure, and a quote
that is verbatim by construction."""

from __future__ import annotations

import pytest

from dealgraph.draft.claims import find_claims, sentences
from dealgraph.draft.mentions import find_cues, find_mentions
from dealgraph.draft.organisations import find_organisations
from dealgraph.kinds import DEAL_KINDS

KNOWN = [{"id": i, "name": n, "kind": "company", "aliases": [n]}
         for i, n in [("nvidia", "Nvidia"), ("openai", "OpenAI"), ("coreweave", "CoreWeave"), ("microsoft", "Microsoft")]]


def claims_of(text: str, language: str):
    orgs = find_organisations(text, language, KNOWN)
    figures = find_mentions(text, language)
    cues = find_cues(text, language, figures=figures, organisations=orgs.parties())
    return find_claims(text, language, orgs.parties(), figures, cues)


def payer_payee(p) -> tuple[str | None, str | None]:
    row = DEAL_KINDS[p.kind]
    side = {role: o.key for role, o in p.roles.items()}
    return side.get(row.flow_from), side.get(row.flow_to)


@pytest.mark.parametrize("language, text, payer, payee, amount", [
    pytest.param("en", "Nvidia plans to invest up to $100 billion in OpenAI, the companies said.", "nvidia",
                 "openai", 100e9),
    ("en", "Nvidia plans to invest in OpenAI up to $100 billion, the companies said.", "nvidia", "openai", 100e9),
    pytest.param("fr", "Nvidia investit près de 100 milliards de dollars dans OpenAI.", "nvidia", "openai", 100e9),
    ("fr", "Nvidia investit dans OpenAI près de 100 milliards de dollars.", "nvidia", "openai", 100e9),
    pytest.param("it", "NVIDIA ha annunciato un piano di investimenti di circa 100 miliardi di dollari in OpenAI.",
                 "nvidia", "openai", 100e9),
    ("it", "NVIDIA investe in OpenAI circa 100 miliardi di dollari.", "nvidia", "openai", 100e9),
    pytest.param("de", "Nvidia investiert 100 Milliarden Dollar in OpenAI.", "nvidia", "openai", 100e9),
    ("de", "Nvidia investiert in OpenAI 100 Milliarden Dollar.", "nvidia", "openai", 100e9),
    ("es", "Nvidia invertirá en OpenAI 100.000 millones de dólares.", "nvidia", "openai", 100e9),
    ("en", "OpenAI, which is backed by Microsoft, signed a deal.", "microsoft", "openai", None),
    ("it", "NVIDIA che fornirà acceleratori AI per i data center di OpenAI.", "openai", "nvidia", None),
])
def test_the_parties_come_in_the_money_direction_the_cue_table_says(language, text, payer, payee, amount):
    found = claims_of(text, language)
    assert found, "no claim drafted"
    p = found[0]
    assert payer_payee(p) == (payer, payee)
    if amount is not None:
        assert p.amount is not None and float(p.amount.value) == amount
    quote = p.quote_text(text)
    assert quote in text and 8 <= len(quote) <= 200
    for o in p.roles.values():
        assert p.quote[0] <= o.start and o.end <= p.quote[1]


def test_a_claim_needs_both_parties_in_its_sentence():
    # no organisation and no pronoun before the cue: the subject of the sentence before is not
    # borrowed (a pronoun is: see test_context.py)
    text = "Nvidia is a chip maker. Funds invest $5 billion in OpenAI."
    assert all(set(o.key for o in p.roles.values()) != {"nvidia", "openai"} for p in claims_of(text, "en"))


@pytest.mark.parametrize("language, text, modality", [
    ("en", "Nvidia plans to invest in OpenAI $5 billion.", "expected"),
    ("fr", "Nvidia pourrait investir dans OpenAI 5 milliards de dollars.", "expected"),
    ("it", "NVIDIA potrebbe investire in OpenAI 5 miliardi di dollari.", "expected"),
    ("en", "Nvidia invested in OpenAI $5 billion last year.", "reported"),
])
def test_modality_from_the_words_of_the_sentence(language, text, modality):
    found = claims_of(text, language)
    assert found and found[0].modality == modality


def test_sentences_are_offsets_of_the_text_and_never_cross_a_line():
    text = "Title line\nNvidia invests $5 bn in OpenAI. Microsoft backs CoreWeave.\n\nLast one."
    spans = sentences(text, "en")
    assert [text[s:e] for s, e in spans] == ["Title line", "Nvidia invests $5 bn in OpenAI.",
                                              "Microsoft backs CoreWeave.", "Last one."]
