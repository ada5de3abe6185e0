"""The language tables: complete, consistent with the models, and the relation cues they hold."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from dealgraph.draft import find_cues
from dealgraph.draft.lexicon import COMMON, LANGUAGES, LEXICON, Cue, Language, money_direction
from dealgraph.kinds import DEAL_KINDS
from dealgraph.models import ISO_4217, PERIOD_MONTHS, SCALES, UNITS, Qualifier


def test_one_table_per_language():
    assert tuple(LEXICON) == LANGUAGES == ("en", "fr", "it", "de", "es")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_fills_what_the_grammar_reads(lang):
    table = LEXICON[lang]
    optional = {"of", "date_of", "cues", "capitalises_nouns"}  # a flag: True in German only
    for f in fields(Language):
        if f.name not in optional:
            assert getattr(table, f.name), f"{lang}: {f.name} is empty"
    assert set(table.scales.values()) <= set(SCALES)
    assert set(table.currencies.values()) <= ISO_4217
    assert set(table.qualifiers.values()) <= {q.value for q in Qualifier}
    # every period an Amount may be counted per can be said in every language
    assert set(table.periods.values()) == set(PERIOD_MONTHS) | {"share"}
    assert sorted(set(table.months.values())) == list(range(1, 13))
    assert set(table.quarters.values()) == {1, 2, 3, 4}
    # a count of shares (a warrant's quantity) can be read in every language, in a unit the model has
    assert "shares" in table.counted.values() and set(table.counted.values()) - {None} <= set(UNITS)
    assert set(range(1, 5)) <= set(table.part_ordinals.values())
    # every qualifier of the model can be said in every language
    assert set(table.qualifiers.values()) == {q.value for q in Qualifier} - {"exact"}


def test_the_common_table_is_iso():
    assert set(COMMON.currency_prefixes.values()) | set(COMMON.currency_suffixes.values()) <= ISO_4217
    assert set(COMMON.scales.values()) | set(COMMON.letter_scales.values()) <= set(SCALES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_cue_names_a_kind_and_its_roles(lang):
    for cue in LEXICON[lang].cues:
        assert cue.kind in DEAL_KINDS, cue  # every kind a cue drafts is one kinds.py holds
        roles = DEAL_KINDS[cue.kind].roles
        assert {cue.subject_role, cue.object_role, cue.slot_role} - {None} <= set(roles), cue
        assert ("@" in cue.phrase.split(" ")) == (cue.slot_role is not None), cue
        if cue.alone is not None:
            assert DEAL_KINDS[cue.alone].required_roles == ("spender",), cue


#: What the cue table must cover in every language: the relations the drafter looks for.
RELATIONS = {"equity_investment", "equity_stake", "hardware_purchase", "compute_contract", "lease", "loan",
             "spending_commitment", "warrant", "capacity_backstop", "ipo"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_relation_has_cues_in_every_language(lang):
    assert RELATIONS <= {c.kind for c in LEXICON[lang].cues}


@pytest.mark.parametrize("phrase, kind, subject_role, object_role, direction", [
    ("invest* in", "equity_investment", "investor", "investee", ("subject", "object")),   # A invests in B: A pays B
    ("buy* ~ from", "hardware_purchase", "buyer", "seller", ("subject", "object")),       # A buys from B: A pays B
    ("supply*", "hardware_purchase", "seller", "buyer", ("object", "subject")),           # A supplies B: B pays A
    ("rent* back ~ from", "lease", "lessee", "lessor", ("subject", "object")),            # A rents back from B: A pays B
    ("borrow* ~ from", "loan", "borrower", "lender", ("object", "subject")),              # the lender pays
    ("initial public offering", "ipo", "issuer", None, (None, "subject")),                # the market pays the issuer
    ("commit* to spend*", "spending_commitment", "spender", None, ("subject", None)),
    ("warrant* in", "warrant", "holder", "issuer", ("subject", "object")),
])
def test_money_direction(phrase, kind, subject_role, object_role, direction):
    assert money_direction(Cue(phrase, kind, subject_role, object_role)) == direction


#: (sentence, language, the cue's kind, who pays: "A" (the party before) or "B" (after))
CUES = [
    ("Nvidia will invest in OpenAI.", "en", "equity_investment", "A"),
    ("OpenAI is backed by Microsoft.", "en", "equity_investment", "B"),
    ("Nvidia owns a 5% stake in CoreWeave.", "en", "equity_stake", "A"),
    ("Nvidia acquired a minority stake in Intel.", "en", "equity_stake", "A"),
    ("CoreWeave bought accelerators from Nvidia.", "en", "hardware_purchase", "A"),
    ("Nvidia sells its chips to CoreWeave.", "en", "hardware_purchase", "B"),
    ("Nvidia will supply OpenAI.", "en", "hardware_purchase", "B"),
    ("Microsoft rents capacity from CoreWeave.", "en", "lease", "A"),
    ("Nvidia rents back servers from Lambda.", "en", "lease", "A"),
    ("Blackstone lent billions to CoreWeave.", "en", "loan", "A"),
    ("CoreWeave borrowed heavily from Blackstone.", "en", "loan", "B"),
    ("Microsoft commits to spending on AI.", "en", "spending_commitment", "A"),
    ("AMD granted OpenAI warrants to buy shares.", "en", "warrant", "B"),
    ("Nvidia agreed to buy all unsold capacity of CoreWeave.", "en", "capacity_backstop", "A"),
    ("CoreWeave prepares its initial public offering.", "en", "ipo", None),
    ("Nvidia investit dans OpenAI.", "fr", "equity_investment", "A"),
    ("OpenAI est financé par Microsoft.", "fr", "equity_investment", "B"),
    ("Nvidia détient une participation dans CoreWeave.", "fr", "equity_stake", "A"),
    ("CoreWeave achète des puces à Nvidia.", "fr", "hardware_purchase", "A"),
    ("Nvidia vend ses puces à CoreWeave.", "fr", "hardware_purchase", "B"),
    ("Microsoft loue des capacités à CoreWeave.", "fr", "lease", "A"),
    ("Blackstone a prêté des milliards à CoreWeave.", "fr", "loan", "A"),
    ("Microsoft s'engage à dépenser 80 milliards.", "fr", "spending_commitment", "A"),
    ("AMD accorde à OpenAI des bons de souscription.", "fr", "warrant", None),
    ("Nvidia rachète les capacités invendues de CoreWeave.", "fr", "capacity_backstop", "A"),
    ("CoreWeave prépare son introduction en bourse.", "fr", "ipo", None),
    ("NVIDIA investirà in OpenAI.", "it", "equity_investment", "A"),
    ("OpenAI è finanziata da Microsoft.", "it", "equity_investment", "B"),
    ("NVIDIA possiede oltre il 5% delle azioni di CoreWeave.", "it", "equity_stake", "A"),
    ("CoreWeave ha acquistato attrezzature da NVIDIA.", "it", "hardware_purchase", "A"),
    ("NVIDIA vende i suoi chip a CoreWeave.", "it", "hardware_purchase", "B"),
    ("NVIDIA fornirà acceleratori AI a OpenAI.", "it", "hardware_purchase", "B"),
    ("Microsoft affitta capacità da CoreWeave.", "it", "lease", "A"),
    ("Blackstone ha prestato miliardi a CoreWeave.", "it", "loan", "A"),
    ("Microsoft si impegna a spendere 80 miliardi.", "it", "spending_commitment", "A"),
    ("AMD concede a OpenAI dei warrant.", "it", "warrant", None),
    ("la vendita di tutte le capacità cloud non vendute", "it", "capacity_backstop", None),
    ("CoreWeave prepara la quotazione in borsa.", "it", "ipo", None),
    ("Nvidia investiert in OpenAI.", "de", "equity_investment", "A"),
    ("OpenAI wird finanziert von Microsoft.", "de", "equity_investment", "B"),
    ("Nvidia hält einen Anteil an CoreWeave.", "de", "equity_stake", "A"),
    ("CoreWeave kauft Chips bei Nvidia.", "de", "hardware_purchase", "A"),
    ("Nvidia verkauft Chips an CoreWeave.", "de", "hardware_purchase", "B"),
    ("Nvidia liefert Beschleuniger an OpenAI.", "de", "hardware_purchase", "B"),
    ("Microsoft mietet Kapazität von CoreWeave.", "de", "lease", "A"),
    ("CoreWeave erhielt Kredite von Blackstone.", "de", "loan", "B"),
    ("Microsoft will 80 Milliarden Dollar ausgeben.", "de", "spending_commitment", "A"),
    ("AMD gibt OpenAI Optionsscheine.", "de", "warrant", None),
    ("Nvidia gab eine Abnahmegarantie.", "de", "capacity_backstop", None),
    ("CoreWeave plant den Börsengang.", "de", "ipo", None),
    ("Nvidia invertirá en OpenAI.", "es", "equity_investment", "A"),
    ("OpenAI está respaldada por Microsoft.", "es", "equity_investment", "B"),
    ("Nvidia tiene una participación del 5% en CoreWeave.", "es", "equity_stake", "A"),
    ("CoreWeave compró chips a Nvidia.", "es", "hardware_purchase", "A"),
    ("Nvidia vende chips a CoreWeave.", "es", "hardware_purchase", "B"),
    ("Nvidia suministrará aceleradores a OpenAI.", "es", "hardware_purchase", "B"),
    ("Microsoft alquila capacidad a CoreWeave.", "es", "lease", "A"),
    ("Blackstone prestó dinero a CoreWeave.", "es", "loan", "A"),
    ("Microsoft se compromete a gastar 80.000 millones.", "es", "spending_commitment", "A"),
    ("AMD otorgó warrants a OpenAI.", "es", "warrant", None),
    ("Nvidia garantiza la compra de la capacidad no vendida.", "es", "capacity_backstop", None),
    ("CoreWeave prepara su salida a bolsa.", "es", "ipo", None),
]


@pytest.mark.parametrize("sentence, lang, kind, payer", CUES)
def test_cues_in_each_language(sentence, lang, kind, payer):
    found = [c for c in find_cues(sentence, lang) if c.cue.kind == kind]
    assert found, (sentence, find_cues(sentence, lang))
    cue = found[0]
    assert sentence[cue.start:cue.end] == cue.surface
    if payer is not None:
        side = money_direction(cue.cue)[0]
        assert {"subject": "A", "object": "B"}[side] == payer, cue


class _Org:
    def __init__(self, start: int, end: int):
        self.start, self.end = start, end


def test_every_cue_phrase_compiles_and_is_found_in_itself():
    for lang in LANGUAGES:
        for cue in LEXICON[lang].cues:
            sample = re.sub(r"\*", "", cue.phrase).replace("~", "the")
            # a party slot is read only where an organisation stands
            at = sample.find("@")
            orgs = [_Org(at, at + len("Zeta"))] if at >= 0 else []
            sample = sample.replace("@", "Zeta")
            found = find_cues(sample, lang, organisations=orgs)
            assert any(c.cue == cue or c.start <= 0 for c in found), (lang, cue)
            if orgs:  # without the organisation, the slot cue is not read
                assert all(c.cue != cue for c in find_cues(sample, lang)), (lang, cue)


@pytest.mark.parametrize("lang, text, phrase, surface", [
    # a figure is one word of a gap, whatever its dots and spaces
    ("en", "Nvidia invests up to $6.3 billion in OpenAI.", "invest* ~ in", "invests up to $6.3 billion in"),
    ("es", "Nvidia invertirá 100.000 millones de dólares en OpenAI.", "invert* ~ en",
     "invertirá 100.000 millones de dólares en"),
    ("it", "un piano di investimenti di circa 100 miliardi di dollari in OpenAI", "invest* ~ in",
     "investimenti di circa 100 miliardi di dollari in"),
    # the more specific of two readings of one span wins
    ("en", "Nvidia backstops CoreWeave.", "backstop*", "backstops"),
])
def test_a_gap_holds_a_figure_and_the_more_specific_cue_wins(lang, text, phrase, surface):
    found = find_cues(text, lang)
    assert [(c.cue.phrase, c.surface) for c in found] == [(phrase, surface)]


@pytest.mark.parametrize("lang, text", [
    ("en", "Microsoft decided to back out of the deal with CoreWeave."),   # a withdrawal
    ("fr", "des problèmes de livraison et à des délais"),                 # a noun
    ("fr", "Vendredi, les actions ont ouvert à 39 $."),                    # a day; a gap stops at a comma
    ("fr", "OpenAI est prête à investir."),                                 # "ready to", no loan
    ("en", "OpenAI is using funds from its largest backer."),              # "fund" is no cue
    ("en", "Nvidia invested heavily, and then in OpenAI."),                # a gap never crosses a comma
])
def test_words_that_look_like_a_cue_are_not_one(lang, text):
    kinds = {c.cue.kind for c in find_cues(text, lang)}
    assert not kinds & {"equity_investment", "hardware_purchase", "loan"}, find_cues(text, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_its_modality_status_and_passive_words(lang):
    table = LEXICON[lang]
    assert set(table.modality) == {"expected", "target", "denied"}
    assert set(table.status) == {"signed", "completed", "announced", "withdrawn", "active"}
    assert table.passive_agents
