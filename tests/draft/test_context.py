"""What the drafter reads from context: pronouns and descriptions that stand for a company named
before, counts that are not money, German nouns that are not companies, revenue shares,
datelines. Sentences written for these tests, one or more per language."""

from __future__ import annotations

import pytest

from dealgraph.draft import find_cues, find_mentions
from dealgraph.draft.claims import find_claims
from dealgraph.draft.organisations import find_organisations
from dealgraph.kinds import DEAL_KINDS


def claims(text: str, language: str, known=()):
    orgs = find_organisations(text, language, known)
    parties = orgs.parties()
    figures = find_mentions(text, language)
    return find_claims(text, language, parties, figures, find_cues(text, language, figures=figures,
                                                                   organisations=parties))


def payer_payee(p) -> tuple[str | None, str | None]:
    row = DEAL_KINDS[p.kind]
    side = {role: o.key for role, o in p.roles.items()}
    return side.get(row.flow_from), side.get(row.flow_to)


def new_names(text: str, language: str) -> set[str]:
    return {o.name for o in find_organisations(text, language).new.values()}


# ---------------------------------------------------------------------------------------------
# A pronoun or a description as the subject: the subject of the sentence before

SUBJECT_FROM_CONTEXT = [
    ("en", "Lumen Compute opened a site in Ohio. It ordered $1.1 billion of GPUs from Nvidia.",
     "lumen compute", "nvidia"),
    ("en", "Crusoe Energy is growing fast. The company borrowed $3 billion from JPMorgan Chase.",
     "jpmorgan chase", "crusoe energy"),
    ("fr", "Mistral AI a ouvert un bureau à Londres. Elle achète des puces à Nvidia pour 2 milliards d'euros.",
     "mistral ai", "nvidia"),
    ("fr", "En mars, Fluidstack a grandi. La société a emprunté 500 millions de dollars auprès de Goldman Sachs.",
     "goldman sachs", "fluidstack"),
    ("it", "A marzo la britannica Nscale ha aperto un campus. Quest'ultima acquisterà da Dell server per 300 milioni di euro.",
     "nscale", "dell"),
    ("it", "Nel cloud anche Oracle cresce. Il gruppo ha ottenuto un prestito di 38 miliardi di dollari da JPMorgan.",
     "jpmorgan", "oracle"),
    ("de", "Im Mai wuchs Aleph Alpha stark. Das Unternehmen kauft Chips für 200 Millionen Euro bei Nvidia.",
     "aleph alpha", "nvidia"),
    ("de", "Im Mai baute CoreWeave aus. Der Cloudkonzern mietet Flächen für 850 Millionen Dollar von Core Scientific.",
     "coreweave", "core scientific"),
    ("es", "Multiverse Computing abre una oficina en Múnich. La compañía comprará a Nvidia chips por "
           "40 millones de dólares.", "multiverse computing", "nvidia"),
    ("es", "Ayer Iberdrola presentó resultados. La empresa obtuvo un préstamo de 900 millones de euros del Santander.",
     "santander", "iberdrola"),
]


@pytest.mark.parametrize("language, text, payer, payee", SUBJECT_FROM_CONTEXT)
def test_a_pronoun_subject_stands_for_the_subject_of_the_sentence_before(language, text, payer, payee):
    found = [p for p in claims(text, language) if payer_payee(p) == (payer, payee)]
    assert found, [(p.kind, payer_payee(p)) for p in claims(text, language)]
    p = found[0]
    # the quote is the sentence's own: the pronoun, not the name it stands for
    stand_in = next(o for o in p.roles.values() if o.antecedent_surface)
    assert p.quote[0] <= stand_in.start and text[stand_in.start:stand_in.end] == stand_in.surface
    assert p.quote_text(text) in text and text.index(". ") < p.quote[0]
    assert any("read from context" in note for note in p.unsure)


def test_no_pronoun_no_borrowed_subject():
    text = "Lumen Compute opened a site in Ohio. Analysts say investors put $1 billion in Nvidia."
    assert all("lumen compute" not in payer_payee(p) for p in claims(text, "en"))


def test_a_pronoun_after_a_named_subject_is_not_read():
    # the sentence names its subject before the pronoun: the pronoun is not the subject
    text = "Nvidia makes chips. Microsoft said it will buy $2 billion of servers from Dell."
    assert all(p.roles.get("buyer") is None or p.roles["buyer"].key == "microsoft" for p in claims(text, "en"))


def test_a_pronoun_looks_back_only_a_few_sentences():
    text = ("Lumen Compute opened a site. Rain fell. Prices rose. Stocks fell. Bonds rallied. "
            "It ordered $1.1 billion of GPUs from Nvidia.")
    assert all("lumen compute" not in payer_payee(p) for p in claims(text, "en"))


@pytest.mark.parametrize("language, text, payer, payee", [
    ("de", "Im Mai wuchs CoreWeave stark. Auch Nvidia hält 7 Prozent an dem Unternehmen.", "nvidia", "coreweave"),
    ("fr", "Hier, Mistral AI a levé des fonds. Le groupe ASML investit 1,3 milliard d'euros dans la société.", "asml", "mistral ai"),
])
def test_a_description_after_the_cue_stands_for_the_company_the_text_is_about(language, text, payer, payee):
    assert (payer, payee) in {payer_payee(p) for p in claims(text, language)}


# ---------------------------------------------------------------------------------------------
# Counts are not money


@pytest.mark.parametrize("language, text", [
    ("en", "Nvidia will buy 160 million shares of Lumen."),
    ("fr", "Nvidia achètera 160 millions d'actions de Lumen."),
    ("it", "AMD concede warrant per 160 milioni di azioni."),
    ("de", "Nvidia kauft 160 Millionen Aktien von Lumen."),
    ("es", "Un modelo de 1.500 millones de parámetros."),
    ("en", "The service has 2 million users."),
])
def test_a_count_of_things_is_no_money(language, text):
    assert not [m for m in find_mentions(text, language) if m.kind == "money"]


@pytest.mark.parametrize("language, text, value", [
    ("en", "It bought 5 million shares for $40 million.", 40_000_000),
    ("it", "Ha pagato 160 milioni di euro per le azioni.", 160_000_000),
    ("de", "Die Aktien kosteten 160 Millionen Euro.", 160_000_000),
    ("es", "Pagó 20 millones de euros por los chips.", 20_000_000),
    ("fr", "Il a levé 100 millions d'euros.", 100_000_000),
])
def test_money_beside_counted_things_is_still_money(language, text, value):
    assert [int(m.value) for m in find_mentions(text, language) if m.kind == "money"] == [value]


# ---------------------------------------------------------------------------------------------
# German capitalises its nouns


def test_german_common_nouns_are_no_organisations():
    text = ("Der Softwarekonzern SAP hält einen Anteil an Aleph Alpha. Die Chips für das Rechenzentrum "
            "liefert Nvidia. Der Vertrag gilt über sechs Jahre, sagte der Gründer. Das Unternehmen "
            "erwartet Umsätze in Milliardenhöhe.")
    names = new_names(text, "de")
    assert {"SAP", "Aleph Alpha", "Nvidia"} <= names
    assert not names & {"Anteil", "Chips", "Rechenzentrum", "Vertrag", "Gründer", "Unternehmen", "Umsätze",
                        "Softwarekonzern", "Softwarekonzern SAP"}


def test_german_names_known_abroad_legal_forms_and_capitals_stay_names():
    text = ("Die Schwarz Gruppe und Bosch investieren in Aleph Alpha. Auch die Telekom und die "
            "Deutsche Bank sind dabei, ebenso Volkswagen und SAP.")
    names = new_names(text, "de")
    assert {"Schwarz Gruppe", "Bosch", "Telekom", "Deutsche Bank", "Volkswagen", "SAP"} <= names


def test_a_description_before_a_name_is_trimmed_in_german():
    text = "Heute investiert der US-Cloudanbieter CoreWeave in das Heidelberger KI-Unternehmen Aleph Alpha."
    names = new_names(text, "de")
    assert {"CoreWeave", "Aleph Alpha"} <= names
    assert not any("Cloudanbieter" in n or "Heidelberger" in n for n in names)


def test_english_company_names_that_are_words_stay_names():
    text = ("Shares of Oracle rose on Monday while Apple and Amazon fell. Analysts at Bernstein "
            "said Oracle would buy chips from Nvidia.")
    assert {"Oracle", "Apple", "Amazon", "Bernstein", "Nvidia"} <= new_names(text, "en")


def test_a_stop_word_name_at_a_sentence_start_stays_a_name():
    # "microsoft" is in the packaged English stop words; the text writes it as a name elsewhere
    text = "Lumen sells capacity to Microsoft. Microsoft accounted for 58% of Lumen's revenue."
    found = claims(text, "en")
    assert ("microsoft", "lumen") in {payer_payee(p) for p in found if p.kind == "revenue_share"}


# ---------------------------------------------------------------------------------------------
# Revenue shares


@pytest.mark.parametrize("language, text", [
    ("en", "Last year 62% of CoreWeave's revenue came from Microsoft."),
    ("en", "Last year Microsoft accounted for 62% of CoreWeave's revenue."),
    ("fr", "En 2024, Microsoft représentait 62 % du chiffre d'affaires de CoreWeave."),
    ("it", "L'anno scorso il 62% dei ricavi di CoreWeave proveniva da Microsoft."),
    ("it", "Nel 2024 il 62% del fatturato di CoreWeave è arrivato da Microsoft."),
    ("de", "Im Jahr 2024 stammten 62 Prozent der Umsätze von CoreWeave von Microsoft."),
    ("es", "El año pasado el 62 % de los ingresos de CoreWeave procedía de Microsoft."),
])
def test_a_revenue_share_names_the_customer_and_the_supplier(language, text):
    found = [p for p in claims(text, language) if p.kind == "revenue_share"]
    assert found and payer_payee(found[0]) == ("microsoft", "coreweave")
    assert found[0].share is not None and int(found[0].share.percent) == 62


# ---------------------------------------------------------------------------------------------
# Datelines, one name for "X Group" and "X", cues whose gap holds a party


@pytest.mark.parametrize("language, text, place", [
    ("en", "SAN FRANCISCO, March 4 (Wire) – Nvidia will invest $2 billion in Lumen.", "SAN FRANCISCO"),
    ("de", "NEW YORK/BERLIN, 3. Oktober (Agentur) – CoreWeave nimmt einen Kredit auf.", "YORK"),
    ("fr", "PARIS, 9 septembre (Dépêche) – Mistral AI lève des fonds.", "PARIS"),
])
def test_a_dateline_names_no_organisation(language, text, place):
    assert not any(place in n for n in new_names(text, language))


def test_a_name_with_its_legal_form_and_without_is_one_organisation():
    text = "In May, Nebius Group signed a contract with Meta. Then Nebius borrowed $1 billion from Goldman Sachs."
    orgs = find_organisations(text, "en")
    assert "nebius" not in orgs.new and "Nebius" in orgs.new["nebius group"].aliases
    assert {m.key for m in orgs.mentions if m.surface.startswith("Nebius")} == {"nebius group"}
    # a longer name that adds a word of its own is another organisation
    other = find_organisations("Amazon Web Services and Amazon signed deals with Iberdrola.", "en")
    assert {"amazon", "amazon web services"} <= set(other.new)


def test_a_cue_whose_gap_holds_an_organisation_is_not_read():
    text = "Crusoe Energy secured a $3.4 billion loan from JPMorgan Chase to finish its campus in Abilene."
    assert {payer_payee(p) for p in claims(text, "en") if p.kind == "loan"} == {("jpmorgan chase", "crusoe energy")}


@pytest.mark.parametrize("language, text, name, acronym", [
    ("es", "Multiverse obtuvo un préstamo del Banco Europeo de Inversiones (BEI) en junio.",
     "Banco Europeo de Inversiones", "BEI"),
    ("fr", "Mistral AI a reçu le soutien de la Caisse des Dépôts et Consignations (CDC) et de Bpifrance.",
     "Caisse des Dépôts et Consignations", "CDC"),
    ("it", "Il prestito arriva da Cassa Depositi e Prestiti (CDP), che ne detiene una quota.",
     "Cassa Depositi e Prestiti", "CDP"),
])
def test_a_name_with_small_words_is_read_whole_before_its_acronym(language, text, name, acronym):
    orgs = find_organisations(text, language)
    entry = next(o for o in orgs.new.values() if o.name == name)
    assert acronym in entry.aliases
    assert not any(o.name in ("Banco Europeo", "Inversiones", "Caisse", "Cassa Depositi") for o in orgs.new.values())


@pytest.mark.parametrize("language, text", [
    ("es", "Amazon Web Services invertirá 15.700 millones de euros en la ampliación de sus centros de datos "
           "cerca de Zaragoza con Iberdrola."),
    ("en", "On Monday, Microsoft said it will invest $80 billion in new data centres and power plants with Iberdrola."),
])
def test_what_stands_far_after_a_cue_preposition_is_no_party(language, text):
    found = claims(text, language)
    assert found and all("iberdrola" not in payer_payee(p) for p in found)
    assert {p.kind for p in found} == {"spending_commitment"}


@pytest.mark.parametrize("language, text, name, words", [
    ("fr", "Le marché recule. Nvidia, qui détient 0,5 % de Nebius, garantit ses revenus. Toutefois la Bourse hésite.",
     "Nvidia", {"Toutefois", "Le"}),
    ("it", "Il titolo sale. Microsoft rappresenta metà dei ricavi. Quest'ultima cifra preoccupa. Costruiamo, "
           "dice un analista.", "Microsoft", {"Quest", "Costruiamo", "Il"}),
    ("es", "El mercado sube. Iberdrola firmó un contrato con Amazon. Además, la empresa invierte.",
     "Iberdrola", {"Además", "El"}),
])
def test_a_lone_first_word_outside_english_is_a_name_unless_a_word_of_the_language(language, text, name, words):
    names = new_names(text, language)
    assert name in names and not names & words
