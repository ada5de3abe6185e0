"""Who is who in a stated fact, in the five languages: for each relation the drafter looks
for, sentences with a figure between the cue's words, passives, parties named inside the cue,
and coordinated parties, each with the kind drafted, the payer, the payee and the amount.

Every sentence is written here (none is taken from the seed articles), and each row says the
one reading the rules of ``claims.py`` and the cue table must give."""

from __future__ import annotations

import pytest

from dealgraph.draft.claims import find_claims
from dealgraph.draft.mentions import find_cues, find_mentions
from dealgraph.draft.organisations import find_organisations
from dealgraph.kinds import DEAL_KINDS

NAMES = ["Nvidia", "OpenAI", "CoreWeave", "Microsoft", "Blackstone", "AMD", "Oracle", "Lambda"]
KNOWN = [{"id": n.lower(), "name": n, "kind": "company", "aliases": [n]} for n in NAMES]


def facts(text: str, language: str) -> set[tuple]:
    """(kind, payer, payee, amount in units or None) of every claim drafted from ``text``."""
    orgs = find_organisations(text, language, KNOWN).parties()
    figures = find_mentions(text, language)
    cues = find_cues(text, language, figures=figures, organisations=orgs)
    out = set()
    for p in find_claims(text, language, orgs, figures, cues):
        row = DEAL_KINDS[p.kind]
        side = {role: o.key for role, o in p.roles.items()}
        payer = side.get(row.flow_from) if row.flow_from else None
        payee = side.get(row.flow_to) if row.flow_to else None
        out.add((p.kind, payer, payee, p.amount.value if p.amount is not None else None))
    return out


B = 10 ** 9
INV, STAKE, HW, COMPUTE, LOAN, SPEND, BACKSTOP, IPO = ("equity_investment", "equity_stake", "hardware_purchase",
                                                        "compute_contract", "loan", "spending_commitment",
                                                        "capacity_backstop", "ipo")
# A lease and a warrant are drafted as their own kinds (kinds.py), lessee -> lessor and
# holder -> issuer.
LEASE, WARRANT = "lease", "warrant"

#: (language, sentence, kind, payer, payee, amount): one fact the sentence must yield.
ONE_FACT = [
    # invest, with a figure between the verb and its preposition
    ("en", "Nvidia invests $5 billion in OpenAI.", INV, "nvidia", "openai", 5 * B),
    ("fr", "Nvidia investit 5 milliards de dollars dans OpenAI.", INV, "nvidia", "openai", 5 * B),
    ("it", "Nvidia investirà fino a 5 miliardi di dollari in OpenAI.", INV, "nvidia", "openai", 5 * B),
    ("de", "Nvidia investiert rund 5 Milliarden Dollar in OpenAI.", INV, "nvidia", "openai", 5 * B),
    ("es", "Nvidia invertirá 5.000 millones de dólares en OpenAI.", INV, "nvidia", "openai", 5 * B),
    # German verb last: the investee inside the cue
    ("de", "Nvidia hat 5 Milliarden Dollar in OpenAI investiert.", INV, "nvidia", "openai", 5 * B),
    # the investor named inside a noun phrase
    ("fr", "L'investissement d'OpenAI dans CoreWeave atteint 2 milliards d'euros.", INV, "openai", "coreweave", 2 * B),
    ("es", "La inversión de Microsoft en OpenAI alcanza 10.000 millones de dólares.", INV, "microsoft", "openai",
     10 * B),
    # passives: the investor after the agent word
    ("en", "OpenAI is backed by Microsoft.", INV, "microsoft", "openai", None),
    ("fr", "OpenAI est financée par Microsoft à hauteur de 10 milliards de dollars.", INV, "microsoft", "openai",
     10 * B),
    ("it", "OpenAI è finanziata da Microsoft.", INV, "microsoft", "openai", None),
    ("de", "OpenAI wird von Microsoft finanziert.", INV, "microsoft", "openai", None),
    ("es", "OpenAI está financiada por Microsoft.", INV, "microsoft", "openai", None),
    # stake
    ("en", "Nvidia holds a 7% stake in CoreWeave.", STAKE, "nvidia", "coreweave", None),
    ("fr", "Nvidia détient une participation de 7 % dans CoreWeave.", STAKE, "nvidia", "coreweave", None),
    ("it", "Nvidia detiene il 7% di CoreWeave.", STAKE, "nvidia", "coreweave", None),
    ("de", "Nvidia hält einen Anteil von 7 Prozent an CoreWeave.", STAKE, "nvidia", "coreweave", None),
    ("es", "Nvidia tiene una participación del 7% en CoreWeave.", STAKE, "nvidia", "coreweave", None),
    ("de", "Nvidia ist an CoreWeave beteiligt.", STAKE, "nvidia", "coreweave", None),
    # buy
    ("en", "CoreWeave bought $2 billion of GPUs from Nvidia.", HW, "coreweave", "nvidia", 2 * B),
    ("fr", "CoreWeave achète pour 2 milliards de dollars de puces à Nvidia.", HW, "coreweave", "nvidia", 2 * B),
    ("it", "CoreWeave ha acquistato chip per 2 miliardi di dollari da Nvidia.", HW, "coreweave", "nvidia", 2 * B),
    ("de", "CoreWeave kauft Chips für 2 Milliarden Dollar bei Nvidia.", HW, "coreweave", "nvidia", 2 * B),
    ("es", "CoreWeave compró chips por 2.000 millones de dólares a Nvidia.", HW, "coreweave", "nvidia", 2 * B),
    ("de", "CoreWeave hat bei Nvidia Chips gekauft.", HW, "coreweave", "nvidia", None),
    # sell and supply
    ("en", "Nvidia sold $3 billion of chips to CoreWeave.", HW, "coreweave", "nvidia", 3 * B),
    ("fr", "Nvidia vend pour 3 milliards de dollars de puces à CoreWeave.", HW, "coreweave", "nvidia", 3 * B),
    ("it", "Nvidia fornirà chip per 3 miliardi di dollari a CoreWeave.", HW, "coreweave", "nvidia", 3 * B),
    ("de", "Nvidia liefert Chips für 3 Milliarden Dollar an CoreWeave.", HW, "coreweave", "nvidia", 3 * B),
    ("es", "Nvidia suministrará chips por 3.000 millones de dólares a CoreWeave.", HW, "coreweave", "nvidia", 3 * B),
    ("en", "OpenAI is supplied by Nvidia.", HW, "openai", "nvidia", None),
    ("fr", "Les puces d'OpenAI sont fournies par Nvidia.", HW, "openai", "nvidia", None),
    ("de", "Nvidia hat an CoreWeave Chips verkauft.", HW, "coreweave", "nvidia", None),
    # a contract, with the figure inside the cue
    ("en", "Microsoft signed a $6.3 billion contract with CoreWeave.", COMPUTE, "microsoft", "coreweave", 6.3 * B),
    ("fr", "Microsoft a conclu un accord de 12 milliards de dollars avec CoreWeave.", COMPUTE, "microsoft",
     "coreweave", 12 * B),
    ("it", "OpenAI ha firmato un contratto da 6,5 miliardi di dollari con CoreWeave.", COMPUTE, "openai",
     "coreweave", 6.5 * B),
    ("de", "OpenAI schloss einen Vertrag über 4 Milliarden Dollar mit CoreWeave.", COMPUTE, "openai", "coreweave",
     4 * B),
    ("es", "OpenAI firmó un contrato de 4.000 millones de dólares con CoreWeave.", COMPUTE, "openai", "coreweave",
     4 * B),
    # rent or lease (lessee pays lessor)
    ("en", "Microsoft rents $1 billion of servers from CoreWeave.", LEASE, "microsoft", "coreweave", 1 * B),
    ("fr", "Microsoft loue pour 1 milliard de dollars de serveurs à CoreWeave.", LEASE, "microsoft", "coreweave",
     1 * B),
    ("it", "Microsoft affitta server per 1 miliardo di dollari da CoreWeave.", LEASE, "microsoft", "coreweave",
     1 * B),
    ("de", "Microsoft mietet Server für 1 Milliarde Dollar von CoreWeave.", LEASE, "microsoft", "coreweave", 1 * B),
    ("es", "Microsoft alquila servidores por 1.000 millones de dólares a CoreWeave.", LEASE, "microsoft",
     "coreweave", 1 * B),
    # lend
    ("en", "Blackstone lent $7.5 billion to CoreWeave.", LOAN, "blackstone", "coreweave", 7.5 * B),
    ("fr", "Blackstone a prêté 7,5 milliards de dollars à CoreWeave.", LOAN, "blackstone", "coreweave", 7.5 * B),
    ("it", "Blackstone ha prestato 7,5 miliardi di dollari a CoreWeave.", LOAN, "blackstone", "coreweave", 7.5 * B),
    ("de", "Blackstone gewährt CoreWeave einen Kredit über 7,5 Milliarden Dollar.", LOAN, "blackstone", "coreweave",
     7.5 * B),
    ("es", "Blackstone prestó 7.500 millones de dólares a CoreWeave.", LOAN, "blackstone", "coreweave", 7.5 * B),
    ("en", "CoreWeave borrowed $7.5 billion from Blackstone.", LOAN, "blackstone", "coreweave", 7.5 * B),
    # commit to spend; and investing in what is no organisation is spending
    ("en", "Microsoft plans to spend $80 billion on AI data centres.", SPEND, "microsoft", None, 80 * B),
    ("en", "Microsoft will invest $80 billion in AI data centres.", SPEND, "microsoft", None, 80 * B),
    ("fr", "Microsoft s'engage à dépenser 80 milliards de dollars.", SPEND, "microsoft", None, 80 * B),
    ("it", "Microsoft si impegna a spendere 80 miliardi di dollari.", SPEND, "microsoft", None, 80 * B),
    ("de", "Microsoft will 80 Milliarden Dollar ausgeben.", SPEND, "microsoft", None, 80 * B),
    ("es", "Microsoft se compromete a gastar 80.000 millones de dólares.", SPEND, "microsoft", None, 80 * B),
    # warrant (the holder pays the issuer when it exercises)
    ("en", "AMD granted OpenAI warrants to buy its shares.", WARRANT, "openai", "amd", None),
    ("fr", "AMD accorde à OpenAI des bons de souscription.", WARRANT, "openai", "amd", None),
    ("it", "AMD concede a OpenAI dei warrant.", WARRANT, "openai", "amd", None),
    ("de", "AMD gewährt OpenAI Optionsscheine.", WARRANT, "openai", "amd", None),
    ("es", "AMD otorgó warrants a OpenAI.", WARRANT, "openai", "amd", None),
    # backstop
    ("en", "Nvidia signed a $6.3 billion backstop with CoreWeave.", BACKSTOP, "nvidia", "coreweave", 6.3 * B),
    ("fr", "Nvidia rachète les capacités invendues de CoreWeave.", BACKSTOP, "nvidia", "coreweave", None),
    ("it", "Nvidia acquisterà la capacità cloud non venduta di CoreWeave.", BACKSTOP, "nvidia", "coreweave", None),
    ("de", "Nvidia gab CoreWeave eine Abnahmegarantie über 6,3 Milliarden Dollar.", BACKSTOP, "nvidia", "coreweave",
     6.3 * B),
    ("es", "Nvidia garantiza la compra de la capacidad no vendida de CoreWeave.", BACKSTOP, "nvidia", "coreweave",
     None),
    # IPO
    ("en", "CoreWeave raised $1.5 billion in its initial public offering.", IPO, None, "coreweave", 1.5 * B),
    ("fr", "CoreWeave vise 4 milliards de dollars pour son introduction en bourse.", IPO, None, "coreweave", 4 * B),
    ("it", "CoreWeave punta a raccogliere 4 miliardi di dollari con la quotazione in borsa.", IPO, None, "coreweave",
     4 * B),
    ("de", "CoreWeave will beim Börsengang 4 Milliarden Dollar einnehmen.", IPO, None, "coreweave", 4 * B),
    ("es", "CoreWeave busca 4.000 millones de dólares en su salida a bolsa.", IPO, None, "coreweave", 4 * B),
]


def _expected(kind, payer, payee, amount):
    from decimal import Decimal

    return (kind, payer, payee, None if amount is None else Decimal(str(amount)).normalize())


def _normal(found):
    return {(k, a, b, None if v is None else v.normalize()) for k, a, b, v in found}


@pytest.mark.parametrize("language, sentence, kind, payer, payee, amount", ONE_FACT)
def test_one_fact_with_its_parties_direction_and_amount(language, sentence, kind, payer, payee, amount):
    assert _expected(kind, payer, payee, amount) in _normal(facts(sentence, language))


#: Coordinated parties: one fact each, in every language.
COORDINATED = [
    ("en", "Nvidia and Microsoft invest in OpenAI.", INV, [("nvidia", "openai"), ("microsoft", "openai")]),
    ("fr", "Nvidia et Microsoft investissent dans OpenAI.", INV, [("nvidia", "openai"), ("microsoft", "openai")]),
    ("it", "Nvidia e Microsoft investono in OpenAI.", INV, [("nvidia", "openai"), ("microsoft", "openai")]),
    ("de", "Nvidia und Microsoft investieren in OpenAI.", INV, [("nvidia", "openai"), ("microsoft", "openai")]),
    ("es", "Nvidia y Microsoft invierten en OpenAI.", INV, [("nvidia", "openai"), ("microsoft", "openai")]),
    ("en", "Blackstone lent money to CoreWeave and Lambda.", LOAN, [("blackstone", "coreweave"),
                                                                  ("blackstone", "lambda")]),
    ("en", "Microsoft, Nvidia and AMD invest in OpenAI.", INV, [("microsoft", "openai"), ("nvidia", "openai"),
                                                               ("amd", "openai")]),
    ("de", "OpenAI wird von Microsoft und Nvidia finanziert.", INV, [("microsoft", "openai"), ("nvidia", "openai")]),
]


@pytest.mark.parametrize("language, sentence, kind, pairs", COORDINATED)
def test_coordinated_parties_make_one_fact_each(language, sentence, kind, pairs):
    found = {(a, b) for k, a, b, _ in facts(sentence, language) if k == kind}
    assert found == set(pairs)


#: (language, sentence, a fact that must NOT be drafted): the readings the rules exist to avoid.
NOT_A_FACT = [
    # "back out" is a withdrawal, "funds from" and "funding model" no investment by the subject
    ("en", "Microsoft decided to back out of its deal, Nvidia said.", (INV, "microsoft", "nvidia")),
    ("en", "OpenAI is using funds from its largest backer to pay CoreWeave.", (INV, "openai", "coreweave")),
    ("en", "OpenAI's funding model remains intertwined with Microsoft.", (INV, "openai", "microsoft")),
    # "livraison" is a noun: no sale to CoreWeave here
    ("fr", "Microsoft se retire à cause de problèmes de livraison et à des retards de CoreWeave.",
     (HW, "coreweave", "microsoft")),
    # the comma insertion: CoreWeave buys, not Nvidia
    ("en", "CoreWeave, backed by Nvidia, buys servers from Microsoft.", (HW, "nvidia", "microsoft")),
    # the next clause's subject is not the previous verb's object
    ("en", "Nvidia sells chips to CoreWeave and Microsoft buys servers from Lambda.", (HW, "microsoft", "nvidia")),
    # a phrase that opens the sentence is not its subject
    ("fr", "Sur CNBC, le patron a cité un investissement de 80 milliards de dollars dans l'IA.",
     (SPEND, "cnbc", None)),
    # spending on something names no spender after the cue
    ("en", "Firms will start spending real dollars on AI. Until then Nvidia leads.", (SPEND, "nvidia", None)),
]


@pytest.mark.parametrize("language, sentence, wrong", NOT_A_FACT)
def test_readings_the_rules_avoid(language, sentence, wrong):
    assert wrong not in {(k, a, b) for k, a, b, _ in facts(sentence, language)}


def test_the_avoided_readings_still_draft_the_right_fact():
    # the same sentences, read the right way round (so the rows above cannot pass by drafting nothing)
    assert (HW, "coreweave", "microsoft") in {(k, a, b) for k, a, b, _ in facts(
        "CoreWeave, backed by Nvidia, buys servers from Microsoft.", "en")}
    assert {(HW, "coreweave", "nvidia"), (HW, "microsoft", "lambda")} <= {(k, a, b) for k, a, b, _ in facts(
        "Nvidia sells chips to CoreWeave and Microsoft buys servers from Lambda.", "en")}
    assert (HW, "microsoft", "nvidia") in {(k, a, b) for k, a, b, _ in facts(
        "Microsoft invested in OpenAI and bought chips from Nvidia.", "en")}
