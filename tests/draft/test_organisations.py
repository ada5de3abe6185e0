"""Organisations in an article: known ones by alias (case- and accent-insensitive, with the
text's offsets), new ones by rules that hold in all five languages."""

from __future__ import annotations

import pytest

from dealgraph.draft.organisations import find_organisations, fold

KNOWN = [{"id": "nvidia", "name": "Nvidia", "kind": "company", "aliases": ["Nvidia", "NVIDIA"]},
         {"id": "nestle", "name": "Nestlé", "kind": "company", "aliases": ["Nestlé"]},
         {"id": "openai", "name": "OpenAI", "kind": "company", "aliases": ["OpenAI"]},
         {"id": "meta", "name": "Meta", "kind": "company", "aliases": ["Meta"]},
         {"id": "satya-nadella", "name": "Satya Nadella", "kind": "person", "aliases": ["Satya Nadella"]}]


def new_names(text: str, language: str, known=()) -> set[str]:
    return {o.name for o in find_organisations(text, language, known).new.values()}


def test_known_aliases_match_whatever_the_case_and_accents_with_the_texts_offsets():
    text = "NESTLE et nvidia? Non: Nvidia, OPENAI et Nestlé."
    found = find_organisations(text, "fr", KNOWN).mentions
    known = [(m.surface, m.key) for m in found if m.known]
    assert ("Nvidia", "nvidia") in known and ("OPENAI", "openai") in known
    assert ("NESTLE", "nestle") in known and ("Nestlé", "nestle") in known
    assert all(text[m.start:m.end] == m.surface for m in found)
    assert "nvidia" not in [m.surface for m in found]  # lower case: the seeds never spell it so


def test_a_common_word_that_is_a_company_name_is_the_word_in_lower_case():
    found = find_organisations("La meta del progetto è ambiziosa, dice Meta.", "it", KNOWN).mentions
    assert [m.surface for m in found if m.known] == ["Meta"]


def test_names_glued_to_a_stop_word_by_a_bad_translation_are_found():
    found = find_organisations("les contrats avec Microsoft, Openaiet Nvidiaalors les investisseurs", "fr", KNOWN)
    assert {m.key for m in found.mentions if m.known} == {"openai", "nvidia"}


@pytest.mark.parametrize("language, text, names", [
    ("en", "Loans from Blackstone and Magnetar, the Financial Times reported.",
     {"Blackstone", "Magnetar", "Financial Times"}),
    ("fr", "Selon Reuters, la société a signé avec Mistral AI et Acme Robotics SAS un accord.",
     {"Reuters", "Mistral AI", "Acme Robotics SAS"}),
    ("it", "L'accordo tra CoreWeave e Oracle è stato firmato a Roma con SoftBank Group.",
     {"CoreWeave", "Oracle", "SoftBank Group"}),
    ("de", "Die Deutsche Telekom AG investiert mit Aleph Alpha in neue Rechenzentren.",
     {"Deutsche Telekom AG", "Aleph Alpha"}),
    ("es", "Ayer Telefónica firmó con xAI y con Grupo Santander un contrato de servicios.",
     {"Telefónica", "xAI", "Grupo Santander"}),
])
def test_new_organisations_in_each_language(language, text, names):
    assert names <= new_names(text, language)


@pytest.mark.parametrize("language, text, not_names", [
    ("en", "Despite the news, the deal closed in March. Recently, the deal Shares fell on Monday in the United States.",
     {"Despite", "Recently", "March", "Monday", "United States"}),
    ("fr", "Investissements massifs : les investissements de Cerebras ont doublé en janvier en France.",
     {"Investissements", "Janvier", "France"}),
    ("it", "Mentre OpenAI cresce, a marzo negli Stati Uniti l'IPO di Cerebras è attesa da OpenAI.",
     {"Mentre OpenAI", "Stati Uniti", "Uniti", "IPO"}),
    ("de", "Im Dezember sagte CEO Jensen Huang, dass Nvidia in Deutschland wächst.",
     {"Dezember", "CEO", "Jensen Huang", "Deutschland"}),
])
def test_calendar_words_places_sentence_openers_titles_and_people_are_no_organisations(language, text, not_names):
    assert not (not_names & new_names(text, language))


def test_people_are_kept_apart_with_their_surname_alone():
    orgs = find_organisations("Rohan Goswami at Semafor said so, and Goswami added that Semafor agrees.", "en")
    assert set(orgs.persons) == {fold("Rohan Goswami")}
    assert orgs.persons[fold("Rohan Goswami")].aliases == ["Rohan Goswami", "Goswami"]
    assert {m.surface for m in orgs.parties()} == {"Semafor"}


def test_an_acronym_in_brackets_is_an_alias_of_the_name_before_it():
    orgs = find_organisations("The Financial Times (FT) reported it. The FT added more.", "en")
    assert orgs.new[fold("Financial Times")].aliases == ["Financial Times", "FT"]
    assert fold("FT") not in orgs.new
