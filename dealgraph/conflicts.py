"""Claims that disagree, and stated totals checked against their parts.

Read with SPARQL through a ``select(query, bindings) -> rows`` callable, like everything
downstream of the build:

* a **conflict** is a deal property for which the claims give more than one value, or an event
  that one source reports and another denies. Each competing value comes with its modality
  (reported, expected, target, denied), the documents and their quotes, and whether it is the
  value the resolved view chose. A value a curator marked doubtful (contradicted by its own
  document) is listed too, as ``doubtful``, even when no other claim gives that property. Amounts within 5 % of each other with the same modality are
  flagged ``rounding`` (a source saying "nearly 12 bn" of an 11.9 bn contract agrees with it).
* a **consistency check** compares a stated total ("22.4 bn in all") with the sum of its parts
  as the resolved view has them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Sequence

from .codes import MODALITY_RANK
from .flows import Select, local_name, read_claims, read_labels, row_key
from .namespace import IRI, deal_iri, enum_of_term, sparql

__all__ = ["CompetingValue", "Conflict", "TotalCheck", "READ_QUERIES", "find_conflicts", "check_totals",
           "classify_conflict"]


# Simple patterns inside one graph each, joined in Python: cross-graph OPTIONAL and UNION
# joins are planned badly by engines once there are tens of thousands of claims.
CLAIM_VALUES = {
    "node": sparql("""
SELECT ?claim ?p ?value ?qualifier ?unit WHERE {
  VALUES ?p { dg:amount dg:price dg:capacity }
  GRAPH ?g { ?claim a dg:Claim ; ?p ?node . ?node schema:value ?value ; dg:qualifier ?qualifier .
             OPTIONAL { ?node schema:currency ?unit } OPTIONAL { ?node schema:unitText ?unit } }
}"""),
    "share": sparql("""
SELECT ?claim ?value ?qualifier WHERE {
  GRAPH ?g { ?claim a dg:Claim ; dg:share ?node . ?node dg:fraction ?value ; dg:qualifier ?qualifier }
}"""),
    "date": sparql("""
SELECT ?claim ?p ?value WHERE {
  VALUES ?p { dg:date dg:until dg:period }
  GRAPH ?g { ?claim a dg:Claim ; ?p ?value }
}"""),
    "event": sparql("""
SELECT ?claim ?value ?actor WHERE { GRAPH ?g { ?claim dg:event ?ev . ?ev dg:eventKind ?value ; dg:actor ?actor } }"""),
}

CONTRADICTED = sparql("""
SELECT ?claim ?deal WHERE { GRAPH ?g { ?claim dg:contradicts ?d } GRAPH graph:curation { ?d dct:identifier ?deal } }""")

RESOLVED_CHOICES = sparql("""
SELECT ?deal ?property ?claim WHERE {
  GRAPH graph:resolved {
    ?d dct:identifier ?deal ; ?p ?node . ?node dg:resolvedFrom ?claim .
    VALUES (?p ?property) { (dg:amount "amount") (dg:price "price") (dg:capacity "capacity") (dg:share "share") }
  }
}""")

TOTALS = sparql("""
SELECT ?t ?label ?document ?quote ?stated ?measure ?part ?partAmount ?partShare ?largest WHERE {
  GRAPH ?g { ?t a dg:StatedTotal ; rdfs:label ?label ; prov:wasDerivedFrom ?doc ; dg:quote ?quote ; dg:part ?p .
             { ?t dg:amount/schema:value ?stated BIND("amount" AS ?measure) }
             UNION { ?t dg:share/dg:fraction ?stated BIND("share" AS ?measure) } }
  GRAPH graph:curation { ?doc dct:identifier ?document . ?p dct:identifier ?part }
  OPTIONAL { GRAPH ?g { ?t dg:largestParts ?largest } }
  OPTIONAL { GRAPH graph:resolved { ?p dg:amount/schema:value ?partAmount } }
  OPTIONAL { GRAPH graph:resolved { ?p dg:share/dg:fraction ?partShare } }
}""")

#: Every query conflicts and totals are read with, by name: the embedded store's build derives
#: each one's answer into the new version (dealgraph.tables), as it does the records', so the
#: report reads them there instead of asking the store (35 s at 100 000 deals on disk).
READ_QUERIES: dict[str, str] = {
    **{f"claim_values_{name}": query for name, query in CLAIM_VALUES.items()},
    "contradicted": CONTRADICTED, "resolved_choices": RESOLVED_CHOICES, "totals": TOTALS,
}


@dataclass
class CompetingValue:
    value: Any
    qualifier: str | None
    unit: str | None
    modality: str
    documents: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    chosen: bool = False
    doubtful: bool = False
    #: Who the documents say holds it: for a denial, who denies ("denied by CoreWeave").
    speakers: list[str] = field(default_factory=list)
    #: The IRIs of the claims that give it.
    claims: list[str] = field(default_factory=list)
    #: True when only curators' inferences give it: no document states it.
    inferred: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "claims"}


@dataclass
class Conflict:
    deal: str
    label: str
    property: str
    values: list[CompetingValue]
    kind: str  # "values differ", "rounding", "denied", "doubtful"
    #: For a doubtful value: the deals whose claims contradict it, as the curator found them.
    contradicts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"deal": self.deal, "label": self.label, "property": self.property, "kind": self.kind,
                "values": [v.as_dict() for v in self.values], "contradicts": self.contradicts}


@dataclass
class TotalCheck:
    total: str
    label: str
    measure: str
    stated: float
    parts: dict[str, float | None]
    document: str
    quote: str
    #: The parts are the largest of what the total measures (a supplier's largest customers).
    largest_parts: bool = False

    @property
    def parts_sum(self) -> float | None:
        known = [v for v in self.parts.values() if v is not None]
        return sum(known) if len(known) == len(self.parts) else None

    @property
    def consistent(self) -> bool | None:
        s = self.parts_sum
        return None if s is None else abs(s - self.stated) <= abs(self.stated) * 0.005

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "label": self.label, "measure": self.measure, "stated": self.stated,
                "parts": self.parts, "parts_sum": self.parts_sum, "consistent": self.consistent,
                "document": self.document, "quote": self.quote, "largest_parts": self.largest_parts}


def _claim_values(select: Select):
    """(claim IRI, property, value, qualifier, unit, actor IRI) for every value a claim states."""
    for r in select(CLAIM_VALUES["node"]):
        yield r["claim"], r["p"].rsplit("#", 1)[-1], r["value"], r["qualifier"], r["unit"], None
    for r in select(CLAIM_VALUES["share"]):
        yield r["claim"], "share", r["value"], r["qualifier"], None, None
    for r in select(CLAIM_VALUES["date"]):
        yield r["claim"], r["p"].rsplit("#", 1)[-1], r["value"], None, None, None
    for r in select(CLAIM_VALUES["event"]):
        yield r["claim"], "event", r["value"], None, None, r["actor"]


def find_conflicts(select: Select, *, claims: dict[str, dict[str, Any]] | None = None,
                   labels: dict[str, str] | None = None) -> list[Conflict]:
    """Deal properties with competing values across claims, and denied events.

    ``claims`` and ``labels`` (:func:`dealgraph.flows.read_claims`, :func:`~dealgraph.flows.read_labels`)
    are read from ``select`` unless a caller that has them already passes them.
    """
    chosen = {(r["deal"], r["property"], r["claim"]) for r in select(RESOLVED_CHOICES)}
    contradicted: dict[str, list[str]] = defaultdict(list)
    for r in select(CONTRADICTED):
        contradicted[r["claim"]].append(r["deal"])
    labels = read_labels(select) if labels is None else labels
    claims = read_claims(select) if claims is None else claims
    groups: dict[tuple[str, str], dict[tuple, CompetingValue]] = defaultdict(dict)
    # by deal, property, document, quote and value; the whole row breaks ties (two claims of one
    # document and quote: their speakers' order). What a claim adds to the key is made once.
    of_claim = {iri: (c["d"], local_name(c["doc"]), c["quote"]) for iri, c in claims.items()}
    rows = sorted(_claim_values(select), key=lambda v: (of_claim[v[0]][0], v[1], *of_claim[v[0]][1:], str(v[2]),
                                                        [str(x) for x in v]))
    inferred = str(IRI.dg.Inferred)
    for claim, prop, value, qualifier, unit, actor in rows:
        c = claims[claim]
        deal = local_name(c["d"])
        modality = enum_of_term(c["modality"])
        if prop == "event":
            value = f"{enum_of_term(value)} by {labels.get(actor, local_name(actor))}"
        qualifier = enum_of_term(qualifier) if qualifier else None
        cv = groups[(deal, prop)].setdefault((value, qualifier, unit, modality),
                                             CompetingValue(value, qualifier, unit, modality))
        document = local_name(c["doc"])
        if document not in cv.documents:
            cv.documents.append(document)
        cv.quotes.append(c["quote"])
        cv.claims.append(claim)
        cv.inferred &= c["basis"] == inferred
        cv.chosen |= (deal, prop, claim) in chosen
        cv.doubtful |= bool(c["doubtful"])
        speaker = labels.get(c["speaker"]) if c["speaker"] else None
        if speaker and speaker not in cv.speakers:
            cv.speakers.append(speaker)
    out = []
    for (deal, prop), values in sorted(groups.items()):
        label = labels.get(str(deal_iri(deal)), deal)
        # reported first, then what was expected, hoped for, denied; then by first source
        vs = sorted(values.values(), key=lambda v: (MODALITY_RANK[v.modality], v.documents[0]))
        found = classify_conflict(prop, vs)
        if found is not None:
            against = sorted({d for v in found[1] if v.doubtful for c in v.claims for d in contradicted.get(c, ())})
            out.append(Conflict(deal, label, prop, found[1], found[0], against))
    return out


#: Two figures held the same way and within this ratio of each other are a rounding, not a
#: disagreement: a source saying "nearly 12 bn" of an 11.9 bn contract agrees with it.
ROUNDING_RATIO = 1.05


def classify_conflict(prop: str, values: Sequence[Any]) -> tuple[str, list[Any]] | None:
    """The conflict rule: what kind of conflict ``values`` (the distinct values the claims give
    for one deal property, each with ``value``, ``qualifier``, ``modality`` and ``doubtful``)
    make, and which of them it lists; None when they agree.

    Used by :func:`find_conflicts` and by the synthetic generator's manifest, so what is
    planted is what is found.

    >>> from types import SimpleNamespace as V
    >>> classify_conflict("amount", [V(value=12e9, qualifier="nearly", modality="reported", doubtful=False),
    ...                              V(value=11.9e9, qualifier="exact", modality="reported", doubtful=False)])[0]
    'rounding'
    """
    if prop == "event":
        denied = {v.value for v in values if v.modality == "denied"}
        return ("denied", [v for v in values if v.value in denied]) if denied else None
    if any(v.doubtful for v in values):
        return "doubtful", list(values)
    if len({(v.value, v.qualifier, v.modality) for v in values}) < 2:
        return None
    numbers = [v.value for v in values if isinstance(v.value, (int, float)) and not isinstance(v.value, bool)]
    if (len(numbers) == len(values) and len({v.modality for v in values}) == 1 and min(numbers) > 0
            and max(numbers) / min(numbers) <= ROUNDING_RATIO):
        return "rounding", list(values)
    return "values differ", list(values)


def check_totals(select: Select) -> list[TotalCheck]:
    """Each stated total against the resolved values of its parts."""
    checks: dict[str, TotalCheck] = {}
    # a total's first row gives its label and quote: the least row, not the engine's first
    for r in sorted(select(TOTALS), key=lambda r: (local_name(r["t"]), r["part"], row_key(r))):
        total = local_name(r["t"])
        t = checks.setdefault(total, TotalCheck(total, r["label"], r["measure"], r["stated"], {},
                                                r["document"], r["quote"], bool(r["largest"])))
        t.parts[r["part"]] = r["partAmount"] if t.measure == "amount" else r["partShare"]
    return list(checks.values())
