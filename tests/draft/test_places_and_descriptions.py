"""What the text says around a name: places after a preposition of place are no organisations,
a description stands for the company the text introduced with its noun, a first name before a
name that is a first name too is no person, and a verb keeps its own preposition."""

from __future__ import annotations

import pytest

from dealgraph.draft.claims import find_claims
from dealgraph.draft.mentions import find_cues, find_mentions
from dealgraph.draft.organisations import find_organisations


def new_names(text: str, language: str) -> set[str]:
    return {o.name for o in find_organisations(text, language).new.values()}


def facts(text: str, language: str) -> set[tuple[str, frozenset]]:
    orgs = find_organisations(text, language)
    mentions = find_mentions(text, language)
    cues = find_cues(text, language, figures=mentions, organisations=orgs.parties())
    return {(p.kind, frozenset((r, o.key) for r, o in p.roles.items()))
            for p in find_claims(text, language, orgs.parties(), mentions, cues)}


@pytest.mark.parametrize("language, text, place, org", [
    ("en", "Zentrix Cloud will build a campus in Abilene, Texas, for Orvane.", {"Abilene", "Texas"}, "Zentrix Cloud"),
    ("fr", "Zentrix Cloud construira un centre à Lyon avec Orvane.", {"Lyon"}, "Zentrix Cloud"),
    ("it", "Zentrix Cloud costruirà un campus a Bergamo con Orvane.", {"Bergamo"}, "Zentrix Cloud"),
    ("de", "Zentrix Cloud baut Rechenzentren in Pennsylvania und Texas für Orvane.",
     {"Pennsylvania", "Texas"}, "Zentrix Cloud"),
    ("es", "Zentrix Cloud construirá un campus en Aragón y firmará con Orvane un contrato.", {"Aragón"},
     "Zentrix Cloud"),
])
def test_a_place_after_a_preposition_of_place_is_no_organisation(language, text, place, org):
    names = new_names(text, language)
    assert org in names and "Orvane" in names
    assert not place & names


@pytest.mark.parametrize("language, text", [
    ("en", "Zentrix invests $1 billion in Meta."),
    ("fr", "Zentrix investit 1 milliard d'euros dans Meta."),
    ("it", "Zentrix investe 1 miliardo di euro in Meta."),
    ("de", "Zentrix investiert 1 Milliarde Euro in Meta."),
    ("es", "Zentrix invierte 1.000 millones de euros en Meta."),
])
def test_a_place_name_after_a_cue_is_the_company(language, text):
    # "Meta" is a Colombian department: after a cue, a party
    assert "Meta" in new_names(text, language)


@pytest.mark.parametrize("language, text", [
    ("en", "The fund General Catalyst and the bank Morgan Stanley backed Orvane."),
    ("fr", "Le fonds General Catalyst et Morgan Stanley soutiennent Orvane."),
    ("it", "Il fondo General Catalyst e Morgan Stanley sostengono Orvane."),
    ("de", "Der Fonds General Catalyst und Morgan Stanley unterstützen Orvane."),
    ("es", "El fondo General Catalyst y Morgan Stanley apoyan a Orvane."),
])
def test_a_company_named_like_a_person_is_no_person(language, text):
    orgs = find_organisations(text, language)
    assert {"General Catalyst", "Morgan Stanley"} <= {o.name for o in orgs.new.values()}
    assert not orgs.persons


@pytest.mark.parametrize("language, text", [
    ("en", "\u201cWe grow,\u201d said Kevin Scott of Orvane."),
    ("fr", "\u00ab Nous grandissons \u00bb, a déclaré Kevin Scott, d'Orvane."),
    ("it", "\u00abCresciamo\u00bb, ha detto Kevin Scott di Orvane."),
    ("de", "\u201eWir wachsen\u201c, sagte Kevin Scott von Orvane."),
    ("es", "\u00abCrecemos\u00bb, afirmó Kevin Scott, de Orvane."),
])
def test_a_speaker_whose_surname_is_a_first_name_is_a_person(language, text):
    assert "kevin scott" in find_organisations(text, language).persons


@pytest.mark.parametrize("language, text, fact", [
    ("en", "Zentrix signed a deal with the utility Orvane. Brakto bought a stake in Zentrix. "
           "The utility supplies power to Quellon.", ("hardware_purchase", "orvane", "quellon")),
    ("fr", "Zentrix a signé avec le fournisseur Orvane. Brakto a pris une participation dans Zentrix. "
           "Le fournisseur livre de l'énergie à Quellon.", ("hardware_purchase", "orvane", "quellon")),
    ("it", "Zentrix ha firmato con il fornitore Orvane. Brakto ha una partecipazione in Zentrix. "
           "Il fornitore fornirà energia a Quellon.", ("hardware_purchase", "orvane", "quellon")),
    ("de", "Zentrix hat mit dem Versorger Orvane unterzeichnet. Brakto hält einen Anteil an Zentrix. "
           "Der Versorger liefert Strom an Quellon.", ("hardware_purchase", "orvane", "quellon")),
    ("es", "Zentrix ha firmado con la eléctrica Orvane. Brakto tiene una participación en Zentrix. "
           "La eléctrica suministra energía a Quellon.", ("hardware_purchase", "orvane", "quellon")),
])
def test_a_description_stands_for_the_company_introduced_with_its_noun(language, text, fact):
    kind, seller, buyer = fact
    assert (kind, frozenset({("seller", seller), ("buyer", buyer)})) in facts(text, language)


@pytest.mark.parametrize("language, text, kind", [
    ("en", "Zentrix lines up a loan for a campus leased to Orvane.", "lease"),
    ("fr", "Zentrix obtient un prêt pour un campus loué à Orvane.", "lease"),
    ("it", "Zentrix ottiene un prestito per un campus venduto a Orvane.", "hardware_purchase"),
    ("de", "Zentrix nimmt einen Kredit für Rechenzentren auf, vermietet an Orvane.", "lease"),
    ("es", "Zentrix obtiene un préstamo para un campus vendido a Orvane.", "hardware_purchase"),
])
def test_the_nearer_verb_owns_the_preposition(language, text, kind):
    got = [c.cue.kind for c in find_cues(text, language, organisations=find_organisations(text, language).parties())]
    assert kind in got and "loan" not in got
