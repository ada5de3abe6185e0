"""The money-flow graph: the store's resolved view read as records and projected onto networkx.

Two steps, both plain functions of data:

* :func:`read_records` asks a ``select(query, bindings) -> rows`` callable (the embedded
  store, a remote engine, anything that answers SPARQL) for the companies, the deals of the
  resolved view, their timelines and, when wanted, their claims; the same
  :class:`FlowRecords` serve every as-of view, the deals listing and the report, so a
  command reads the store once.
* :func:`project` turns records into a ``networkx.MultiDiGraph``. Companies are nodes (keyed
  by their id, e.g. ``"nvidia"``); each deal with a payer and a payee is one edge from the
  party money flows from to the party it flows to, as the table in ``kinds.py`` says
  (materialised as ``dg:payer``/``dg:payee`` in the resolved view). Equity stakes form the
  ``"holding"`` layer, left out unless asked for. Deals with only a payee (an IPO: the money
  comes from the public market) or only a payer (a spending commitment) make no edge; their
  known amounts become the node attributes ``boundary_input`` and ``boundary_output``, which
  Finn's cycling index takes as flows across the graph's boundary (and, per commitment stage,
  ``boundary_input_realised`` ...).

Every edge carries its commitment ``stage`` (realised, committed, announced: the table in
``kinds.py``), so each money figure can be given per cumulative stage.

Money in one currency, sums not rates (the one rule, :func:`money_rule`). Every ``amount`` of
the graph is a sum in the reporting currency (``currency``, USD by default), because every
analysis adds amounts. A sum stated in another currency is converted only at a rate the user
gives (``rates={"EUR": 1.08}``: 1 EUR = 1.08 USD); with none it is an unknown amount, as a leg
no source prices is, never added as it stands and never converted at a rate of our own. A rate
(an amount per month, quarter or year) becomes the sum over the deal's stated term; with no
term it has no sum, and is unknown too. Each edge says what was stated (``stated_amount``,
``stated_currency``, ``per``, ``term_months``), the ``rate`` used, and, when its amount is
unknown for one of these reasons, why (``amount_unknown``); the graph says it once for all
(``G.graph["money"]``: the currency, the rates as given, the deals converted and the deals
left without an amount).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from .codes import ISO_4217, PERIOD_MONTHS, amount_range
from .dates import date_start
from .gc_pause import gc_paused
from .kinds import DEAL_KINDS, KIND_BY_TERM, ROLES, stage_of
from .namespace import IRI, enum_of_term, role_iri, role_of_term, sparql
from .resolve import Step, state_at
from .sparql import columns_of

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx  # imported by project(): listing deals needs no graph library

__all__ = ["Select", "FlowRecords", "read_records", "add_timeline", "add_claims", "read_companies", "read_labels",
           "read_claims", "read_observations", "local_name", "row_key", "project", "money_flows", "deal_record", "events", "party_history", "party_ids",
           "check_flow_options", "check_money_options", "money_rule", "StatedAmount", "select_columns", "LAYERS",
           "RECORD_QUERIES", "REPORTING_CURRENCY"]

#: ``select(query, bindings)`` -> result rows as dicts of plain Python values. A select may
#: also answer by column, ``select.columns(query, names)`` -> the values of each of ``names``
#: in row order (the version's tables do: dealgraph.tables.TableSelect); see select_columns.
Select = Callable[..., list[dict[str, Any]]]

#: The layers of the money-flow graph: money changing hands, and equity holdings.
LAYERS = ("flow", "holding")

# The deals are read as one row per (deal, property) and assembled in Python. A single wide
# query with an OPTIONAL per property costs a join per property per deal: on an on-disk
# Oxigraph store of 100 000 deals it took 89 s, these scans take a third of that
# (benchmarks/RESULTS.md). The type is asked for by kind class only (rdf:type also types
# every step and value node), and any ORDER BY is left to Python: engines sort terms slowly.
# The two tables below say where each property lands in a deal record, and the queries'
# VALUES lists are made from them.
_DEAL_FIELDS: dict[str, tuple[str, bool]] = {  # property -> (field, more than one value?)
    IRI.rdf.type: ("class", True),
    IRI.dct.identifier: ("id", False),
    IRI.rdfs.label: ("label", False),
    IRI.dg.layer: ("layer", False), IRI.dg.payer: ("payer", True), IRI.dg.payee: ("payee", True),
    IRI.dg.date: ("date", False), IRI.dg.until: ("until", False), IRI.dg.period: ("period", False),
    IRI.dg.status: ("status", False), IRI.dg.knownFrom: ("knownFrom", False),
    IRI.dg.source: ("sources", True),
    **{role_iri(role): ("parties", True) for role in ROLES},
}
_VALUE_FIELDS: dict[tuple[str, str], str] = {  # (deal property, value-node property) -> field
    (IRI.dg.amount, IRI.schema.value): "amount",
    (IRI.dg.amount, IRI.schema.currency): "currency",
    (IRI.dg.amount, IRI.dg.qualifier): "qualifier",
    (IRI.dg.amount, IRI.schema.minValue): "min",
    (IRI.dg.amount, IRI.schema.maxValue): "max",
    (IRI.dg.amount, IRI.dg.per): "per",
    (IRI.dg.amount, IRI.dg.termMonths): "termMonths",
    (IRI.dg.share, IRI.dg.fraction): "fraction",
    (IRI.dg.share, IRI.dg.shareOf): "shareOf",
    (IRI.dg.share, IRI.dg.qualifier): "shareQualifier",
}
_ROLE_PROPERTIES = {role_iri(role) for role in ROLES}


def _deal_properties_query() -> str:
    properties = " ".join(f"<{p}>" for p in _DEAL_FIELDS if p != IRI.rdf.type)
    kinds = " ".join(f"(rdf:type dg:{k.term})" for k in DEAL_KINDS.values())
    return sparql(f"""
SELECT ?d ?p ?o WHERE {{
  GRAPH graph:resolved {{
    {{ VALUES ?p {{ {properties} }} ?d ?p ?o }}
    UNION {{ VALUES (?p ?o) {{ {kinds} }} ?d ?p ?o }}
  }}
}}""")


DEAL_PROPERTIES = _deal_properties_query()

DEAL_VALUES = sparql(f"""
SELECT ?d ?value ?p ?o WHERE {{
  GRAPH graph:resolved {{
    VALUES ?value {{ {" ".join(sorted({f"<{v}>" for v, _ in _VALUE_FIELDS}))} }}
    VALUES ?p {{ {" ".join(sorted({f"<{p}>" for _, p in _VALUE_FIELDS}))} }}
    ?d ?value ?node . ?node ?p ?o
  }}
}}""")

# How the source holds the figure the resolved view chose: an expected figure is a plan.
AMOUNT_MODALITY = sparql("""
SELECT ?d ?modality WHERE {
  GRAPH graph:resolved { ?d dg:amount ?a . ?a dg:resolvedFrom ?claim }
  GRAPH ?g { ?claim dg:modality ?modality }
}""")

STEPS = sparql("""
SELECT ?id ?seq ?date ?datedBy ?kind ?actor ?role WHERE {
  GRAPH graph:resolved {
    ?d dct:identifier ?id ; dg:step ?s . ?s dg:sequence ?seq ; dg:date ?date ; dg:eventKind ?kind .
    OPTIONAL { ?s dg:datedBy ?datedBy } OPTIONAL { ?s dg:actor ?actor } OPTIONAL { ?s dg:takesRole ?role }
  }
}""")

# What the curator inferred rather than read: values and steps resolved from inferred claims,
# and parties in roles no source names. Each as (deal, what, reason).
INFERRED = sparql("""
SELECT ?d ?what ?reason WHERE {
  { GRAPH graph:resolved { ?d ?what ?node . ?node dg:resolvedFrom ?claim FILTER(?what != dg:step) }
    GRAPH ?g { ?claim dg:basis dg:Inferred ; dg:inferenceReason ?reason } }
  UNION
  { # the status is the last step's: inferred when that step is
    GRAPH graph:resolved {
      ?d dg:step ?node . ?node dg:sequence ?seq ; dg:basis dg:Inferred ; dg:inferenceReason ?reason .
      FILTER NOT EXISTS { ?d dg:step ?later . ?later dg:sequence ?next FILTER(?next > ?seq) }
    }
    BIND(dg:status AS ?what) }
  UNION
  { GRAPH graph:curation { ?n a dg:RoleInference ; dg:about ?d ; dg:inferredRole ?what ; dg:inferenceReason ?reason } }
}""")

# The document each step was taken from: its claim's source, joined in a graph of its own.
STEP_SOURCES = sparql("""
SELECT ?id ?seq ?doc WHERE {
  GRAPH graph:resolved { ?d dct:identifier ?id ; dg:step ?s . ?s dg:sequence ?seq ; dg:resolvedFrom ?claim }
  GRAPH ?g { ?claim prov:wasDerivedFrom ?doc }
}""")

CURATED_ROLES = sparql("""
SELECT ?id ?role ?party WHERE {
  GRAPH graph:curation { ?d a dg:Deal ; dct:identifier ?id ; ?role ?party . ?party a dg:Company }
}""")

COMPANIES = sparql("""
SELECT ?c ?name ?alias ?wikidata WHERE {
  GRAPH graph:curation {
    ?c a dg:Company ; skos:prefLabel ?name .
    OPTIONAL { ?c skos:altLabel ?alias } OPTIONAL { ?c schema:sameAs ?wikidata }
  }
}""")

LABELS = sparql("""
SELECT ?e ?label WHERE { GRAPH graph:curation { ?e rdfs:label ?label } }""")

# What the curators recorded beside the deals: a speaker's commentary or the source's own
# observation, one row per thing it mentions; names are joined in Python (read_observations).
OBSERVATIONS = sparql("""
SELECT ?o ?speaker ?topic ?doc ?quote ?mentioned WHERE {
  GRAPH ?g { ?o a dg:Observation ; dg:topic ?topic ; dg:quote ?quote ; prov:wasDerivedFrom ?doc ;
                dg:mentions ?mentioned . OPTIONAL { ?o dg:speaker ?speaker } }
}""")

# Kept simple on purpose: no cross-graph OPTIONAL joins (engines plan those badly at scale);
# names and the resolved choices are joined in Python.
CLAIMS = sparql("""
SELECT ?claim ?d ?doc ?quote (LANG(?quote) AS ?language) ?modality ?speaker ?doubtful ?basis WHERE {
  GRAPH ?g { ?claim a dg:Claim ; dg:about ?d ; prov:wasDerivedFrom ?doc ; dg:quote ?quote ; dg:modality ?modality .
             OPTIONAL { ?claim dg:doubtful ?doubtful } OPTIONAL { ?claim dg:speaker ?speaker }
             OPTIONAL { ?claim dg:basis ?basis } }
}""")

CHOSEN = sparql("""
SELECT ?c WHERE { GRAPH graph:resolved { ?d (dg:amount|dg:share) ?value . ?value dg:resolvedFrom ?c } }""")


#: Every query the records are read with, by name: the embedded store's build writes each one's
#: answer into the version as a table (dealgraph.tables), which then answers it in its place.
RECORD_QUERIES: dict[str, str] = {
    "companies": COMPANIES, "deal_properties": DEAL_PROPERTIES, "deal_values": DEAL_VALUES,
    "amount_modality": AMOUNT_MODALITY, "inferred": INFERRED, "steps": STEPS, "step_sources": STEP_SOURCES,
    "curated_roles": CURATED_ROLES, "labels": LABELS, "chosen": CHOSEN, "claims": CLAIMS,
}


def local_name(iri: str | None) -> str | None:
    """The id at the end of a dealgraph IRI (``.../id/deal/x`` -> ``x``)."""
    return None if iri is None else str(iri).rstrip("/").rsplit("/", 1)[-1]


class _LocalNames(dict):
    """``names[iri]`` is :func:`local_name` of ``iri``, split once per IRI: the readers and the
    projection meet the same companies and documents on many deals (at 100 000 deals, with
    claims and timelines, 1.4 million IRIs of which 115 000 distinct: 0.27 s split one by one,
    0.18 s so)."""

    def __missing__(self, iri: str | None) -> str | None:
        name = self[iri] = local_name(iri)
        return name


def select_columns(select: Select, query: str, *names: str) -> list[list[Any]]:
    """The values of each of ``names`` in ``query``'s answer, in row order: from the select's
    own columns where it answers by column (the version's tables), else from its rows. Making
    a dict of each of the 1.3 million rows of the deal properties of 100 000 deals took 0.9 s
    (reading their records took 6 to 8 s then, 3 now)."""
    by_column = getattr(select, "columns", None)
    if by_column is not None:
        return by_column(query, names)
    return columns_of(select(query), names)


@dataclass
class FlowRecords:
    """What the money-flow projection and the deal listing read from a store, read once.

    ``deals`` holds one dict per deal of the resolved view, ordered by id: the fields of
    ``_DEAL_FIELDS`` and ``_VALUE_FIELDS`` (``class``, ``payer``, ``payee``, ``parties``
    (role property, party) pairs and ``sources`` as lists). ``steps`` and ``curated`` (the
    curated parties by role) are there when ``timeline`` was read, for as-of views;
    ``claims`` when claims were read, and ``claim_rows``, each claim as :func:`read_claims`
    gives it, for readers that need the claims' IRIs (the conflicts), so none reads them twice.
    """

    companies: dict[str, dict[str, Any]]
    deals: list[dict[str, Any]]
    steps: dict[str, list[Step]] | None = None
    curated: dict[str, dict[str, list[str]]] | None = None
    claims: dict[str, list[dict[str, Any]]] | None = None
    claim_rows: dict[str, dict[str, Any]] | None = None
    labels: dict[str, str] = field(default_factory=dict)


def read_companies(select: Select) -> dict[str, dict[str, Any]]:
    """Every company by id: name, aliases (in order) and Wikidata id where known."""
    out: dict[str, dict[str, Any]] = {}
    # the whole row in the key: a company with two names or two Wikidata ids (a curation
    # slip) keeps the same one whatever order the engine gives the rows in
    rows = zip(*select_columns(select, COMPANIES, "c", "alias", "name", "wikidata"))
    for iri, alias, name, wikidata in sorted(rows, key=lambda r: (r[0], r[1] or "", r[2] or "", r[3] or "")):
        company = local_name(iri)
        c = out.get(company)
        if c is None:
            c = out[company] = {"id": company, "name": name, "aliases": [],
                                "wikidata": local_name(wikidata) if wikidata else None}
        if alias and alias not in c["aliases"]:
            c["aliases"].append(alias)
    return out


def read_labels(select: Select) -> dict[str, str]:
    """The label of every curated node (entities, deals, documents), by IRI."""
    # An entity with two labels keeps the least, whatever the row order (the last row won before).
    out: dict[str, str] = {}
    for entity, label in zip(*select_columns(select, LABELS, "e", "label")):
        if entity not in out or _order_key(label) < _order_key(out[entity]):
            out[entity] = label
    return out


def read_observations(select: Select, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """The observations as the saved query ``commentary`` gives them (``speaker``, ``topic``,
    ``mentions``, ``document``, ``quote``; one row for observations alike in all four but what
    they mention), in one order whatever the engine's: by document, speaker (none first), topic
    and quote, the names mentioned sorted. ``labels``: :func:`read_labels`."""
    mentioned: dict[tuple, set[str]] = defaultdict(set)
    for r in select(OBSERVATIONS):
        name = labels.get(r["mentioned"])
        if name is not None:  # as the saved query: a thing mentioned has a name, or is not listed
            mentioned[labels.get(r["speaker"]), r["topic"], local_name(r["doc"]), r["quote"]].add(name)
    return [{"speaker": speaker, "topic": topic, "mentions": ", ".join(sorted(names, key=lambda n: (n.casefold(), n))),
             "document": document, "quote": quote}
            for (speaker, topic, document, quote), names in sorted(
                mentioned.items(), key=lambda item: (item[0][2], item[0][0] is not None, item[0][0] or "",
                                                     item[0][1], item[0][3]))]


def read_claims(select: Select) -> dict[str, dict[str, Any]]:
    """Every claim by IRI: ``claim``, ``d`` (deal IRI), ``doc`` (document IRI), ``quote``,
    ``language``, ``modality`` (IRI), ``speaker`` (IRI), ``doubtful`` and ``basis`` (IRI)."""
    # A claim with two speakers (or quotes) gives two rows: the least row wins, whatever their
    # order (the last row won before). Rows are compared only when a claim repeats: rare.
    out: dict[str, dict[str, Any]] = {}
    for row in zip(*select_columns(select, CLAIMS, *_CLAIM_FIELDS)):
        r = dict(zip(_CLAIM_FIELDS, row))
        if row[0] not in out or row_key(r) < row_key(out[row[0]]):
            out[row[0]] = r
    return out


#: The variables of CLAIMS, as read_claims gives each claim (``claim`` first).
_CLAIM_FIELDS = ("claim", "d", "doc", "quote", "language", "modality", "speaker", "doubtful", "basis")


def _read_deals(select: Select) -> list[dict[str, Any]]:
    deals: dict[str, dict[str, Any]] = {}
    # 1.3 million rows at 100 000 deals, read column by column with the loop's names local
    fields, get = _DEAL_FIELDS, deals.get
    for d, p, o in zip(*select_columns(select, DEAL_PROPERTIES, "d", "p", "o")):
        record = get(d)
        if record is None:  # not setdefault: it built a dict per row, a million at 100 000 deals
            record = deals[d] = defaultdict(list)
        name, many = fields[p]
        if name == "parties":
            record[name].append((p, o))
        elif many:
            record[name].append(o)
        elif name not in record:
            record[name] = o
        else:
            _keep_least(record, name, o)
    for d, value, p, o in zip(*select_columns(select, DEAL_VALUES, "d", "value", "p", "o")):
        record = get(d)
        if record is not None:
            _keep_least(record, _VALUE_FIELDS[value, p], o)
    for d, modality in zip(*select_columns(select, AMOUNT_MODALITY, "d", "modality")):
        record = get(d)
        if record is not None:
            _keep_least(record, "amountModality", enum_of_term(modality))
    for d, term, reason in zip(*select_columns(select, INFERRED, "d", "what", "reason")):
        if d in deals:
            inferred = deals[d].setdefault("inferred", {})
            what = role_of_term(term)
            if reason not in inferred.get(what, []):
                inferred.setdefault(what, []).append(reason)
    # Step nodes have a dg:date too; a deal has an identifier.
    out = sorted((d for d in deals.values() if "id" in d), key=lambda d: d["id"])
    for d in out:
        # SPARQL answers are multisets: the engine's row order (another in memory than on
        # disk, another on a server) must not show in a record, so every list is sorted.
        # None of these lists carries an order of its own: classes, payers, payees, sources,
        # (role, party) pairs, reasons.
        for name in _DEAL_LISTS:
            if name in d:
                d[name].sort()
        if "inferred" in d:  # an edge attribute, written out as it iterates: keys in order too
            d["inferred"] = {what: sorted(reasons) for what, reasons in sorted(d["inferred"].items())}
    return out


#: The list fields of a deal record (see _DEAL_FIELDS).
_DEAL_LISTS = sorted({name for name, many in _DEAL_FIELDS.values() if many})


def _order_key(value: Any) -> tuple[str, str]:
    """A total order over the plain values of a row (str, numbers, dates, None), by type
    first: values of different types do not compare in Python."""
    return (type(value).__name__, str(value))


def row_key(row: Mapping[str, Any]) -> tuple:
    """A total order over rows of plain values: where a reader keeps one of several rows, or
    lists rows, this decides instead of the engine's row order (another in memory, on disk, on
    a server)."""
    return tuple((k, _order_key(v)) for k, v in sorted(row.items()))


def _keep_least(record: dict[str, Any], name: str, value: Any) -> None:
    """Set a single-valued field; when the store holds two values for it (the resolved view
    keeps one, so only damaged or hand-edited data does), keep the least, not the last row's."""
    if name not in record or _order_key(value) < _order_key(record[name]):
        record[name] = value


# Reading and projecting run with the cyclic collector paused (dealgraph.gc_pause): the records
# and the graph of 100 000 deals are millions of containers that all survive, and its full
# passes over them took 1.3 s of reading the records (5.0 s against 3.8, its one pass after
# the pause included) and 0.7 s of projecting them (3.0 s against 2.3).
@gc_paused
def read_records(select: Select, *, claims: bool = True, timeline: bool = True) -> FlowRecords:
    """Read what :func:`project` needs from ``select``; ``claims`` and ``timeline`` (the steps
    as-of views replay) can be left out when not needed, and added later: on a large store
    reading every claim is the larger part of the work."""
    records = FlowRecords(read_companies(select), _read_deals(select))
    if timeline:
        add_timeline(records, select)
    if claims:
        add_claims(records, select)
    return records


@gc_paused
def add_timeline(records: FlowRecords, select: Select) -> None:
    """Read each deal's steps and curated parties into ``records``, for as-of views."""
    records.steps, records.curated = defaultdict(list), defaultdict(lambda: defaultdict(list))
    # A step resolved from claims of two documents names the least of them, whatever the
    # row order (the last row won before); steps go in the timeline's own order, their
    # sequence, and the rest of the row only breaks ties (two steps of one sequence number).
    ids = _LocalNames()
    sources: dict[tuple, str] = {}
    for deal, seq, iri in zip(*select_columns(select, STEP_SOURCES, "id", "seq", "doc")):
        key, doc = (deal, seq), ids[iri]
        if key not in sources or doc < sources[key]:
            sources[key] = doc
    steps = zip(*select_columns(select, STEPS, "id", "seq", "date", "kind", "actor", "role", "datedBy"))
    for deal, seq, date, kind, actor, role, dated_by in sorted(
            steps, key=lambda r: (r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6] or "")):
        records.steps[deal].append(Step(date, enum_of_term(kind), ids[actor], role_of_term(role) if role else None,
                                        sources.get((deal, seq), ""), None, dated_by or "publication"))
    for deal, role_term, party in zip(*select_columns(select, CURATED_ROLES, "id", "role", "party")):
        role = role_of_term(role_term)
        if role in ROLES:  # dg:party, asserted beside each role, is no role of its own
            records.curated[deal][role].append(ids[party])
    # The curated parties of a role have no order of their own; the first is who an as-of
    # view takes as payer or payee, so it must not be the engine's first row.
    for roles in records.curated.values():
        for parties in roles.values():
            parties.sort()


@gc_paused
def add_claims(records: FlowRecords, select: Select) -> None:
    """Read every claim into ``records``: per deal, the claim behind the resolved value first,
    then by source."""
    records.labels = labels = read_labels(select)
    chosen = set(select_columns(select, CHOSEN, "c")[0])
    records.claims = defaultdict(list)
    ids, inferred = _LocalNames(), IRI.dg.Inferred
    records.claim_rows = read_claims(select)
    for r in records.claim_rows.values():
        records.claims[ids[r["d"]]].append({
            "document": ids[r["doc"]], "quote": r["quote"], "language": r["language"] or None,
            "modality": enum_of_term(r["modality"]), "speaker": labels.get(r["speaker"]),
            "doubtful": bool(r["doubtful"]), "resolved": r["claim"] in chosen, "inferred": r["basis"] == inferred})
    for found in records.claims.values():
        # the rest of the claim breaks ties (one document quoting the same words twice)
        found.sort(key=lambda c: (not c["resolved"], c["document"], c["quote"], _TieBreak(c)))


class _TieBreak:
    """Orders as :func:`row_key` of its row, computed only when two sort keys tie on all that
    comes before it (rare): the 185 000 claims of 100 000 deals took 0.60 s to sort with it
    computed for each, 0.16 s so."""

    __slots__ = ("row",)

    def __init__(self, row: Mapping[str, Any]):
        self.row = row

    def __lt__(self, other: _TieBreak) -> bool:
        return row_key(self.row) < row_key(other.row)


def kind_of_record(record: Mapping[str, Any]) -> str:
    """The kind name of a deal record (``equity_investment``), from its class."""
    classes = tuple(record["class"])
    kind = _KIND_OF_CLASSES.get(classes)
    if kind is None:
        kind = next(KIND_BY_TERM[t].name for t in (c.rsplit("#", 1)[-1] for c in classes) if t in KIND_BY_TERM)
        _KIND_OF_CLASSES[classes] = kind
    return kind


#: kind_of_record's answers by the record's classes: a handful of class lists recur across
#: 100 000 deals, and splitting their IRIs each time took a second of a projection.
_KIND_OF_CLASSES: dict[tuple[str, ...], str] = {}


#: The currency money figures are given in unless the user asks for another.
REPORTING_CURRENCY = "USD"


def check_money_options(currency: str = REPORTING_CURRENCY, rates: Mapping[str, Any] | None = None
                        ) -> tuple[str, dict[str, Decimal]]:
    """The reporting currency and the user's rates, checked: ISO 4217 codes, each rate a
    positive finite number of reporting-currency units per unit of its currency (``EUR: 1.08``
    means 1 EUR = 1.08 USD). ValueError saying what is wrong. No rate is ever supplied here:
    a built-in table would be a silent conversion at a rate of no stated day."""
    if currency not in ISO_4217:
        raise ValueError(f"currency {currency!r} is not an ISO 4217 code (USD, EUR, ...)")
    checked: dict[str, Decimal] = {}
    for code, rate in (rates or {}).items():
        if code not in ISO_4217:
            raise ValueError(f"rate for {code!r}: not an ISO 4217 currency code")
        if code == currency:
            raise ValueError(f"a rate for {code} is given, but {code} is the reporting currency")
        try:
            value = Decimal(str(rate).strip())
        except ArithmeticError:
            raise ValueError(f"rate for {code}: {rate!r} is not a number") from None
        if not value.is_finite() or value <= 0 or value > Decimal(10) ** 9:
            raise ValueError(f"rate for {code}: {rate!r} is not a positive number of {currency} per {code} "
                             f"(at most 1e9)")
        checked[code] = value
    return currency, checked


class StatedAmount(NamedTuple):
    """An amount a deal record states, as plain values: what :func:`money_rule` reads, by the
    names a :class:`dealgraph.models.Amount` gives them (``low`` and ``high`` by its rule)."""

    value: Decimal
    currency: str
    low: Decimal
    high: Decimal
    per: str | None
    term_months: int | None


def money_rule(a: StatedAmount, currency: str, rates: Mapping[str, Decimal]
               ) -> tuple[tuple[Decimal, Decimal, Decimal] | None, Decimal | None, str | None]:
    """The sum ``a`` states, in ``currency``: ((value, low, high), the rate used, None), or
    (None, None, why not). ``a`` is a :class:`StatedAmount` or a :class:`dealgraph.models.Amount`.

    A rate per period times the term in periods (12 months of a per-year amount over P5Y is 5
    periods); a sum in another currency times the user's rate. Exact decimals, so 10 bn EUR at
    1.08 is 10.8 bn USD to the unit.
    """
    factor = Decimal(1)
    if a.per == "share":  # a price, never a sum the deal is worth
        return None, None, "a price per share, not the deal's sum"
    if a.per in PERIOD_MONTHS:
        if a.term_months is None:
            return None, None, f"{a.per}ly amount with no stated term: no total"
        factor = Decimal(a.term_months) / Decimal(PERIOD_MONTHS[a.per])
    rate = None
    if a.currency != currency:
        rate = rates.get(a.currency)
        if rate is None:
            return None, None, f"in {a.currency}: no rate to {currency} given"
        factor *= rate
    return (a.value * factor, a.low * factor, a.high * factor), rate, None


def _stated_amount(row: Mapping[str, Any]) -> StatedAmount | None:
    """The amount a deal record states, its bounds by :func:`dealgraph.models.amount_range`
    (the rule of :class:`dealgraph.models.Amount`), its term in the months the record holds
    (what ``Amount.term_months`` gave the build).

    No Amount is made: the record tables hold what the seeds' validation let in, and making
    one per amount, even without validating it again (``model_construct``, which resolves
    every default per call), took 0.40 s for the 77 747 amounts of 100 000 deals, 0.15 s
    without. The values are the numbers validation gives (it only normalised their Decimal
    exponent and wrote a zero as ``0``, which no float or product of them shows)."""
    if row.get("amount") is None:
        return None
    value = Decimal(str(row["amount"]))
    low, high = amount_range(value, enum_of_term(row["qualifier"]),
                             None if row.get("min") is None else Decimal(str(row["min"])),
                             None if row.get("max") is None else Decimal(str(row["max"])))
    months = row.get("termMonths")
    return StatedAmount(value, row["currency"], low, high, row.get("per"), None if months is None else int(months))


def _amount_bounds(row: Mapping[str, Any], currency: str = REPORTING_CURRENCY,
                   rates: Mapping[str, Decimal] | None = None
                   ) -> tuple[float | None, float | None, float | None, dict[str, Any]]:
    """(value, low, high) in units of ``currency``, by the qualifier rule of
    :class:`dealgraph.models.Amount` and :func:`money_rule`, and what was stated (the edge
    attributes ``stated_amount``, ``stated_currency``, ``per``, ``term_months``, ``rate``,
    ``amount_unknown``)."""
    a = _stated_amount(row)
    if a is None:
        return None, None, None, {}
    bounds, rate, unknown = money_rule(a, currency, rates or {})
    stated = {"stated_amount": float(a.value), "stated_currency": a.currency, "per": a.per,
              "term_months": a.term_months, "rate": None if rate is None else float(rate),
              "amount_unknown": unknown}
    if bounds is None:
        return None, None, None, stated
    value, low, high = bounds
    return float(value), float(low), float(high), stated


def check_flow_options(layers: Iterable[str], kinds: Iterable[str] | None) -> tuple[set[str], set[str] | None]:
    """``layers`` and ``kinds`` as sets; ValueError naming what is unknown."""
    layers = set(layers)
    kinds = set(kinds) if kinds is not None else None
    for what, given, known in (("layer", layers, LAYERS), ("deal kind", kinds or set(), tuple(DEAL_KINDS))):
        unknown = given - set(known)
        if unknown:
            raise ValueError(f"unknown {what}(s) {', '.join(sorted(unknown))} (one of: {', '.join(known)})")
    return layers, kinds


@gc_paused
def project(records: FlowRecords, *, layers: Iterable[str] = ("flow",), kinds: Iterable[str] | None = None,
            include_withdrawn: bool = False, as_of: str | None = None,
            with_claims: bool = True, currency: str = REPORTING_CURRENCY,
            rates: Mapping[str, Any] | None = None) -> nx.MultiDiGraph:
    """Project ``records`` onto networkx.

    Parameters
    ----------
    layers : which layers to keep: ``"flow"`` (money changing hands), ``"holding"`` (equity
        stakes, owner -> owned).
    kinds : keep only these deal kinds (names from ``dealgraph.kinds.DEAL_KINDS``).
    include_withdrawn : keep deals whose status is ``withdrawn`` (left out by default).
    as_of : a (partial) ISO date: deals not yet made that day are left out, and statuses and
        parties are those of that day (the timeline in the resolved view; ``records`` must
        have been read with ``timeline=True``).
    with_claims : attach each deal's claims (document, quote, modality, speaker) as the edge
        attribute ``claims`` (``records`` read with ``claims=True``).
    currency, rates : the reporting currency every ``amount`` is in, and the user's rates to
        it (see the module docstring and :func:`check_money_options`); ``G.graph["money"]``
        says which were used and which deals were left without an amount.
    """
    import networkx as nx

    layers, kinds = check_flow_options(layers, kinds)
    currency, rates = check_money_options(currency, rates)
    money: dict[str, Any] = {"currency": currency, "rates": {k: format(v, "f") for k, v in sorted(rates.items())},
                             "converted": [], "unknown": []}
    cutoff = date_start(as_of) if as_of else None
    if cutoff and records.steps is None:
        raise ValueError("an as-of view needs the records read with timeline=True")
    claims = records.claims if with_claims and records.claims is not None else {}

    G = nx.MultiDiGraph()
    boundary: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    ids = _LocalNames()
    for r in records.deals:
        kind = DEAL_KINDS[kind_of_record(r)]
        if kinds is not None and kind.name not in kinds:
            continue
        if kind.layer is not None and kind.layer not in layers:
            continue
        if cutoff:
            if r["knownFrom"] > cutoff:
                continue
            status, parties, _ = state_at(records.steps.get(r["id"], []), records.curated.get(r["id"], {}), cutoff)
            payers = [(parties.get(kind.flow_from) or [None])[0] if kind.flow_from else None]
            payees = [(parties.get(kind.flow_to) or [None])[0] if kind.flow_to else None]
        else:
            status = enum_of_term(r["status"]) if r.get("status") else None
            payers, payees = [ids[x] for x in r["payer"]] or [None], [ids[x] for x in r["payee"]] or [None]
        if status == "withdrawn" and not include_withdrawn:
            continue
        value, low, high, stated = _amount_bounds(r, currency, rates)
        if stated.get("amount_unknown"):
            money["unknown"].append({"deal": r["id"], "label": r.get("label"), "reason": stated["amount_unknown"],
                                     "stated_amount": stated["stated_amount"],
                                     "stated_currency": stated["stated_currency"], "per": stated["per"]})
        elif stated.get("rate") is not None or stated.get("per"):
            money["converted"].append({"deal": r["id"], "label": r.get("label"),
                                       "stated_amount": stated["stated_amount"],
                                       "stated_currency": stated["stated_currency"], "per": stated["per"],
                                       "term_months": stated["term_months"], "rate": stated["rate"],
                                       "amount": value})
        stage = stage_of(kind.name, status, r.get("amountModality"))
        for payer, payee in itertools.product(payers, payees):
            if payer is None or payee is None:
                end, side = (payee, "boundary_input") if payee else (payer, "boundary_output")
                if end and kind.layer is not None and value is not None:
                    boundary[end][side] += value
                    boundary[end][f"{side}_{stage}"] += value
                continue
            for node in (payer, payee):
                if node not in G:
                    company = records.companies.get(node)
                    G.add_node(node, name=company["name"] if company else node,
                               aliases=list(company["aliases"]) if company else [])
            G.add_edge(payer, payee, key=r["id"], deal=r["id"], kind=kind.name, layer=kind.layer,
                       label=r.get("label"), amount=value, amount_low=low, amount_high=high,
                       # the currency of ``amount``; of the stated figure when it has no amount
                       currency=currency if value is not None else r.get("currency"), **stated,
                       qualifier=enum_of_term(r["qualifier"]) if r.get("qualifier") else None,
                       share=r.get("fraction"),
                       share_qualifier=enum_of_term(r["shareQualifier"]) if r.get("shareQualifier") else None,
                       date=r.get("date"), until=r.get("until"), period=r.get("period"), status=status, stage=stage,
                       inferred=dict(r.get("inferred", {})),
                       sources=sorted([ids[d] for d in r["sources"]]), claims=list(claims.get(r["id"], [])))
    for node, sides in boundary.items():
        if node in G:
            G.nodes[node].update(sides)
    G.graph["money"] = money
    if records.steps is not None and not cutoff:
        _mark_former_roles(G, records)
    return G


def _mark_former_roles(G: nx.MultiDiGraph, records: FlowRecords) -> None:
    """Give each company of ``G`` the roles it held and lost (node attribute ``former_roles``:
    deal, label, role, until, and the step that ended it), so a view of the company shows
    the deals it was party to as well as those it is."""
    for r in records.deals:
        for held in party_history(records.steps.get(r["id"], []), records.curated.get(r["id"], {})):
            if held["until"] is not None and held["name"] in G:
                G.nodes[held["name"]].setdefault("former_roles", []).append({
                    "deal": r["id"], "label": r.get("label"), "role": held["role"], "until": held["until"],
                    "ended_by": held["ended_by"]["step"] if held["ended_by"] else None})


def money_flows(select: Select, *, layers: Iterable[str] = ("flow",), kinds: Iterable[str] | None = None,
                include_withdrawn: bool = False, as_of: str | None = None,
                with_claims: bool = True, currency: str = REPORTING_CURRENCY,
                rates: Mapping[str, Any] | None = None) -> nx.MultiDiGraph:
    """Read and project in one step (see :func:`project` for the parameters)."""
    records = read_records(select, claims=with_claims, timeline=as_of is not None)
    return project(records, layers=layers, kinds=kinds, include_withdrawn=include_withdrawn, as_of=as_of,
                   with_claims=with_claims, currency=currency, rates=rates)


def deal_record(r: Mapping[str, Any], records: FlowRecords) -> dict[str, Any]:
    """A deal of the records in the public JSON shape (see the README's deals table); with its
    history (``parties``, ``events``) when ``records`` hold the timeline."""
    companies = records.companies

    def name(company: str | None) -> str | None:
        return None if company is None else companies[company]["name"] if company in companies else company

    def names(prop: str) -> str | None:
        return "; ".join(sorted(name(local_name(p)) for p in r[prop])) or None

    record = {
        "id": r["id"],
        "kind": kind_of_record(r),
        "from": names("payer"),
        "to": names("payee"),
        "amount": None if r.get("amount") is None else {
            "value": r["amount"], "currency": r["currency"], "qualifier": enum_of_term(r["qualifier"]),
            "min": r.get("min"), "max": r.get("max"),
            # a rate ("a year") and its term, only where a source states one: a figure per
            # period read as a sum would be wrong by the length of the term
            **({"per": r["per"]} if r.get("per") else {}),
            **({"term_months": int(r["termMonths"])} if r.get("termMonths") is not None else {})},
        "share": None if r.get("fraction") is None else {
            "value": r["fraction"], "of": r.get("shareOf"), "qualifier": enum_of_term(r["shareQualifier"])},
        "date": r.get("date"), "until": r.get("until"), "period": r.get("period"),
        "status": enum_of_term(r["status"]) if r.get("status") else None,
        "sources": sorted(local_name(d) for d in r["sources"]),
        # what the curator inferred rather than read, with why: {"amount": [...], "backstop_buyer": [...]}
        "inferred": {what: list(reasons) for what, reasons in sorted(r.get("inferred", {}).items())},
    }
    if records.steps is not None:
        steps = records.steps.get(r["id"], [])
        record["parties"] = [{**p, "name": name(p["name"]), "ended_by": p["ended_by"] and
                              {**p["ended_by"], "actor": name(p["ended_by"]["actor"])}}
                             for p in party_history(steps, records.curated.get(r["id"], {}))]
        record["events"] = [{**e, "actor": name(e["actor"])} for e in events(steps)]
    return record


def events(steps: list[Step]) -> list[dict[str, Any]]:
    """A deal's timeline: each step (the same step reported by several documents once, with
    all of them as sources), in order. ``date`` is the first day of the date the sources give
    (a month counts from its first day); ``dated_by`` says whose date it is: the event's, the
    claim's, or only its document's (estimated) publication date, which is no event date."""
    out: dict[tuple, dict[str, Any]] = {}
    for step in steps:
        event = out.setdefault((step.date, step.status, step.actor, step.role), {
            "date": step.date, "dated_by": step.dated_by, "step": step.status, "actor": step.actor,
            "role": step.role, "sources": []})
        if step.dated_by != "publication":  # a source dating the event itself outranks an estimate
            event["dated_by"] = step.dated_by
        if step.document and step.document not in event["sources"]:
            event["sources"].append(step.document)
    for event in out.values():
        event["sources"].sort()
    return list(out.values())


def party_history(steps: list[Step], curated: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """Every company that ever held a role in a deal: the curated parties (in the kinds table's
    role order), then
    whoever took a role over by an ``assumed`` step. A holder replaced by an assumption holds
    ``until`` that step's date; ``ended_by`` is its own withdrawal before then, if the record
    has one, else the assumption. ``from`` is known only for a party that took a role over.
    ``dated_by`` says, for ``from`` and ``until``, whose date it is (see :func:`events`).
    """
    held: list[dict[str, Any]] = [{"name": party, "role": role, "from": None, "until": None, "ended_by": None,
                                   "dated_by": {"from": None, "until": None}}
                                  for role in sorted(curated, key=ROLES.index) for party in sorted(curated[role])]
    for i, step in enumerate(steps):
        if step.status != "assumed" or not step.role or not step.actor:
            continue
        for entry in held:
            if entry["role"] == step.role and entry["until"] is None and entry["name"] != step.actor:
                withdrawals = [s for s in steps[:i] if s.status == "withdrawn" and s.actor == entry["name"]]
                ended = withdrawals[-1] if withdrawals else step
                entry["until"] = step.date
                entry["dated_by"]["until"] = step.dated_by
                entry["ended_by"] = {"step": ended.status, "actor": ended.actor, "date": ended.date,
                                     "dated_by": ended.dated_by}
        if not any(e["role"] == step.role and e["name"] == step.actor and e["until"] is None for e in held):
            held.append({"name": step.actor, "role": step.role, "from": step.date, "until": None, "ended_by": None,
                         "dated_by": {"from": step.dated_by, "until": None}})
    return held


def party_ids(r: Mapping[str, Any], records: FlowRecords | None = None) -> set[str]:
    """The ids of every party a deal record names in a role, and, with the timeline in
    ``records``, every party that ever held one."""
    ids = {local_name(party) for prop, party in r["parties"] if prop in _ROLE_PROPERTIES}
    if records is not None and records.curated is not None:
        ids.update(p for parties in records.curated.get(r["id"], {}).values() for p in parties)
    return ids
