"""The money-flow graph: the store's resolved view projected onto a networkx MultiDiGraph.

Companies are nodes (keyed by their id, e.g. ``"nvidia"``); each deal with a payer and a
payee is one edge from the party money flows from to the party it flows to, as the table in
``kinds.py`` says (materialised as ``dg:payer``/``dg:payee`` in the resolved view). Equity
stakes form the ``"holding"`` layer, left out unless asked for. Deals with only a payee (an
IPO: the money comes from the public market) or only a payer (a spending commitment) make no
edge; their known amounts become the node attributes ``boundary_input`` and
``boundary_output``, which Finn's cycling index takes as flows across the graph's boundary.

Everything is read with SPARQL, so the same code serves the embedded store and a remote one.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import networkx as nx

from .kinds import DEAL_KINDS
from .models import Amount
from .namespace import DG, enum_of_term, role_of_term
from .dates import date_start
from .resolve import Step, state_at

__all__ = ["money_flows", "EDGE_ATTRIBUTES"]

EDGE_ATTRIBUTES = ("deal", "kind", "layer", "label", "amount", "amount_low", "amount_high", "currency",
                   "qualifier", "share", "share_qualifier", "date", "until", "period", "status", "sources", "claims")

_P = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
RESOLVED = "<https://w3id.org/dealgraph/graph/resolved>"
DG_NS = str(DG._NS)
CURATION = "<https://w3id.org/dealgraph/graph/curation>"

# The deals are read as one row per (deal, property) and assembled in Python. A single wide
# query with an OPTIONAL per property costs a join per property per deal: on an on-disk
# Oxigraph store of 100 000 deals it took 89 s, these scans take a third of that
# (benchmarks/RESULTS.md). The type is asked for by kind class only (rdf:type also types
# every step and value node), and any ORDER BY is left to Python: engines sort terms slowly.
# The two tables below say where each property lands in a deal record, and the queries'
# VALUES lists are made from them.
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DEAL_FIELDS = {  # property -> (field, more than one value?)
    RDF_TYPE: ("class", True),
    "http://purl.org/dc/terms/identifier": ("id", False),
    "http://www.w3.org/2000/01/rdf-schema#label": ("label", False),
    DG_NS + "layer": ("layer", False), DG_NS + "payer": ("payer", True), DG_NS + "payee": ("payee", True),
    DG_NS + "date": ("date", False), DG_NS + "until": ("until", False), DG_NS + "period": ("period", False),
    DG_NS + "status": ("status", False), DG_NS + "knownFrom": ("knownFrom", False),
    DG_NS + "source": ("sources", True),
}
_VALUE_FIELDS = {  # (deal property, value-node property) -> field
    (DG_NS + "amount", "https://schema.org/value"): "amount",
    (DG_NS + "amount", "https://schema.org/currency"): "currency",
    (DG_NS + "amount", DG_NS + "qualifier"): "qualifier",
    (DG_NS + "amount", "https://schema.org/minValue"): "min",
    (DG_NS + "amount", "https://schema.org/maxValue"): "max",
    (DG_NS + "share", DG_NS + "fraction"): "fraction",
    (DG_NS + "share", DG_NS + "qualifier"): "shareQualifier",
}

STEPS = _P + f"""
SELECT ?id ?seq ?date ?kind ?actor ?role WHERE {{
  GRAPH {RESOLVED} {{
    ?d dct:identifier ?id ; dg:step ?s . ?s dg:sequence ?seq ; dg:date ?date ; dg:eventKind ?kind .
    OPTIONAL {{ ?s dg:actor ?actor }} OPTIONAL {{ ?s dg:takesRole ?role }}
  }}
}} ORDER BY ?id ?seq"""

CURATED_ROLES = _P + f"""
SELECT ?id ?role ?party WHERE {{
  GRAPH {CURATION} {{ ?d a dg:Deal ; dct:identifier ?id ; ?role ?party . ?party a dg:Company }}
}}"""

# Kept simple on purpose: no cross-graph OPTIONAL joins (engines plan those badly at scale);
# names and the resolved choices are joined in Python.
CLAIMS = _P + """
SELECT ?c ?d ?doc ?quote (LANG(?quote) AS ?language) ?modality ?speaker ?doubtful WHERE {
  GRAPH ?g { ?c a dg:Claim ; dg:about ?d ; prov:wasDerivedFrom ?doc ; dg:quote ?quote ; dg:modality ?modality .
             OPTIONAL { ?c dg:doubtful ?doubtful } OPTIONAL { ?c dg:speaker ?speaker } }
}"""

CHOSEN = _P + f"""
SELECT ?c WHERE {{ GRAPH {RESOLVED} {{ ?d (dg:amount|dg:share) ?value . ?value dg:resolvedFrom ?c }} }}"""

LABELS = _P + f"""
SELECT ?e ?label WHERE {{ GRAPH {CURATION} {{ ?e rdfs:label ?label }} }}"""

COMPANIES = _P + f"""
SELECT ?c ?name ?alias WHERE {{
  GRAPH {CURATION} {{ ?c a dg:Company ; skos:prefLabel ?name OPTIONAL {{ ?c skos:altLabel ?alias }} }}
}}"""


def _deal_properties_query(as_of: bool) -> str:
    properties = " ".join(f"<{p}>" for p in _DEAL_FIELDS
                          if p != RDF_TYPE and (as_of or p != DG_NS + "knownFrom"))
    kinds = " ".join(f"(<{RDF_TYPE}> dg:{k.term})" for k in DEAL_KINDS.values())
    return _P + f"""
SELECT ?d ?p ?o WHERE {{
  GRAPH {RESOLVED} {{
    {{ VALUES ?p {{ {properties} }} ?d ?p ?o }}
    UNION {{ VALUES (?p ?o) {{ {kinds} }} ?d ?p ?o }}
  }}
}}"""


DEAL_VALUES = _P + f"""
SELECT ?d ?value ?p ?o WHERE {{
  GRAPH {RESOLVED} {{
    VALUES ?value {{ {" ".join(sorted({f"<{v}>" for v, _ in _VALUE_FIELDS}))} }}
    VALUES ?p {{ {" ".join(sorted({f"<{p}>" for _, p in _VALUE_FIELDS}))} }}
    ?d ?value ?node . ?node ?p ?o
  }}
}}"""

def _local(iri: str | None) -> str | None:
    return None if iri is None else str(iri).rstrip("/").rsplit("/", 1)[-1]


def _amount_bounds(row: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) in units, by the qualifier rule of :class:`dealgraph.models.Amount`."""
    if row.get("amount") is None:
        return None, None, None
    a = Amount(value=Decimal(str(row["amount"])), currency=row["currency"],
               qualifier=enum_of_term(row["qualifier"]),
               min=None if row.get("min") is None else Decimal(str(row["min"])),
               max=None if row.get("max") is None else Decimal(str(row["max"])))
    return float(a.value), float(a.low), float(a.high)


def _deal_records(graph, as_of: bool = False) -> list[dict[str, Any]]:
    """Every deal of the resolved view as one dict (the fields of ``_DEAL_FIELDS`` and
    ``_VALUE_FIELDS``; payers, payees, classes and sources as lists), ordered by id."""
    deals: dict[str, dict[str, Any]] = {}
    for r in graph.query(_deal_properties_query(as_of)).rows:
        field, many = _DEAL_FIELDS[r["p"]]
        record = deals.setdefault(r["d"], defaultdict(list))
        if many:
            record[field].append(r["o"])
        else:
            record[field] = r["o"]
    for r in graph.query(DEAL_VALUES).rows:
        if r["d"] in deals:
            deals[r["d"]][_VALUE_FIELDS[r["value"], r["p"]]] = r["o"]
    # Step nodes have a dg:date too; a deal has an identifier.
    return sorted((d for d in deals.values() if "id" in d), key=lambda d: d["id"])


def money_flows(graph, *, layers: Iterable[str] = ("flow",), kinds: Iterable[str] | None = None,
                include_withdrawn: bool = False, as_of: str | None = None,
                with_claims: bool = True) -> nx.MultiDiGraph:
    """Project the resolved view of ``graph`` (a :class:`dealgraph.DealGraph`) onto networkx.

    Parameters
    ----------
    layers : which layers to keep: ``"flow"`` (money changing hands), ``"holding"`` (equity
        stakes, owner -> owned).
    kinds : keep only these deal kinds (names from ``dealgraph.kinds.DEAL_KINDS``).
    include_withdrawn : keep deals whose status is ``withdrawn`` (left out by default).
    as_of : a (partial) ISO date: deals not yet made that day are left out, and statuses and
        parties are those of that day (the timeline in the resolved view).
    with_claims : attach each deal's claims (document, quote, modality, speaker) as the edge
        attribute ``claims``; the metrics do not need them, and reading every claim is the
        larger part of the work on a big store.
    """
    layers = set(layers)
    kinds = set(kinds) if kinds is not None else None
    unknown = (kinds or set()) - set(DEAL_KINDS)
    if unknown:
        from .errors import DealGraphError

        raise DealGraphError(f"unknown deal kind(s) {', '.join(sorted(unknown))} "
                             f"(one of: {', '.join(DEAL_KINDS)})")
    cutoff = date_start(as_of) if as_of else None
    kind_by_term = {k.term: k.name for k in DEAL_KINDS.values()}

    steps: dict[str, list[Step]] = defaultdict(list)
    curated: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if cutoff:
        for r in graph.query(STEPS).rows:
            steps[r["id"]].append(Step(r["date"], enum_of_term(r["kind"]), _local(r["actor"]),
                                       role_of_term(r["role"]) if r["role"] else None, "", None))
        for r in graph.query(CURATED_ROLES).rows:
            curated[r["id"]][role_of_term(r["role"])].append(_local(r["party"]))
    claims: dict[str, list[dict[str, Any]]] = defaultdict(list)
    chosen = {r["c"] for r in graph.query(CHOSEN).rows} if with_claims else set()
    labels = {r["e"]: r["label"] for r in graph.query(LABELS).rows} if with_claims else {}
    for r in graph.query(CLAIMS).rows if with_claims else ():
        claims[_local(r["d"])].append({
            "document": _local(r["doc"]), "quote": r["quote"], "language": r["language"] or None,
            "modality": enum_of_term(r["modality"]), "speaker": labels.get(r["speaker"]),
            "doubtful": bool(r["doubtful"]), "resolved": r["c"] in chosen})
    for found in claims.values():  # the claim behind the resolved value first, then by source
        found.sort(key=lambda c: (not c["resolved"], c["document"], c["quote"]))

    G = nx.MultiDiGraph()
    names: dict[str, dict[str, Any]] = {}
    for r in sorted(graph.query(COMPANIES).rows, key=lambda r: (r["c"], r["alias"] or "")):
        node = names.setdefault(_local(r["c"]), {"name": r["name"], "aliases": []})
        if r["alias"] and r["alias"] not in node["aliases"]:
            node["aliases"].append(r["alias"])

    boundary: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in _deal_records(graph, as_of=cutoff is not None):
        kind = DEAL_KINDS[kind_by_term[r["class"][0].rsplit("#", 1)[-1]]]
        if kinds is not None and kind.name not in kinds:
            continue
        if kind.layer is not None and kind.layer not in layers:
            continue
        status = enum_of_term(r["status"]) if r.get("status") else None
        payers, payees = [_local(x) for x in r["payer"]] or [None], [_local(x) for x in r["payee"]] or [None]
        if cutoff:
            if r["knownFrom"] > cutoff:
                continue
            status, parties, _ = state_at(steps[r["id"]], curated[r["id"]], cutoff)
            payers = [(parties.get(kind.flow_from) or [None])[0] if kind.flow_from else None]
            payees = [(parties.get(kind.flow_to) or [None])[0] if kind.flow_to else None]
        if status == "withdrawn" and not include_withdrawn:
            continue
        value, low, high = _amount_bounds(r)
        for payer, payee in itertools.product(payers, payees):
            if payer is None or payee is None:
                end, side = (payee, "boundary_input") if payee else (payer, "boundary_output")
                if end and kind.layer is not None and value is not None:
                    boundary[end][side] += value
                continue
            for node in (payer, payee):
                if node not in G:
                    G.add_node(node, **names.get(node, {"name": node, "aliases": []}))
            G.add_edge(payer, payee, key=r["id"], deal=r["id"], kind=kind.name, layer=kind.layer,
                       label=r.get("label"), amount=value, amount_low=low, amount_high=high,
                       currency=r.get("currency"),
                       qualifier=enum_of_term(r["qualifier"]) if r.get("qualifier") else None,
                       share=r.get("fraction"),
                       share_qualifier=enum_of_term(r["shareQualifier"]) if r.get("shareQualifier") else None,
                       date=r.get("date"), until=r.get("until"), period=r.get("period"), status=status,
                       sources=sorted(_local(d) for d in r["sources"]), claims=claims[r["id"]])
    for node, sides in boundary.items():
        if node in G:
            G.nodes[node].update(sides)
    return G

