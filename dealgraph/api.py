"""The public surface: everything the CLI and the notebooks do goes through here.

>>> from dealgraph import DealGraph
>>> g = DealGraph.memory()                       # build the bundled seeds in memory
>>> len(g.deals()) > 10
True
>>> g.query("companies-by-alias", alias="AI-Hyperscaler").rows[0]["canonical"]
'CoreWeave'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


from .errors import DealGraphError, NotFound, QueryError
from .kinds import DEAL_KINDS
from .namespace import RESOLVED_GRAPH
from .seeds import Seeds, load_seeds
from .sparql import QueryResult, resolve_query, saved_queries
from .store import Store, default_store_path, memory_store, open_store, write_store

__all__ = ["DealGraph", "BuildReport", "ValidationReport", "validate", "saved_queries", "EXPORT_FORMATS"]

EXPORT_FORMATS = {"ttl": "TURTLE", "trig": "TRIG", "nq": "N_QUADS", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}
Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build made: counts, where the store is, and the seeds' warnings."""

    documents: int
    companies: int
    deals: int
    claims: int
    observations: int
    triples: int
    location: str
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ValidationReport:
    documents: int
    deals: int
    claims: int
    quotes_checked: bool
    shacl_conforms: bool | None
    shacl_violations: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return self.shacl_conforms is not False


def _noop(_: str) -> None:
    pass


def _load(seeds_dir, documents_dir, progress: Progress) -> Seeds:
    progress("loading and checking the seeds")
    return load_seeds(seeds_dir, documents_dir)


def validate(seeds_dir: str | Path | None = None, documents_dir: str | Path | None = None, *,
             shacl: bool = True, progress: Progress = _noop) -> ValidationReport:
    """Every check ``build`` makes, plus SHACL, without writing anything.

    Raises :class:`dealgraph.errors.InvalidSeeds` when the seeds have errors.
    """
    from .rdf import build_dataset

    seeds = _load(seeds_dir, documents_dir, progress)
    conforms, violations = None, []
    if shacl:
        from .shapes import check_shapes

        progress("building the dataset in memory")
        ds = build_dataset(seeds)
        progress("validating against ontology/shapes.ttl (SHACL)")
        conforms, violations = check_shapes(ds)
    return ValidationReport(len(seeds.documents), len(seeds.deals), len(seeds.claims),
                            documents_dir is not None, conforms, violations,
                            [str(w) for w in seeds.warnings])


class DealGraph:
    """A built deal graph in a store: query it, list its deals and companies, export it."""

    def __init__(self, store: Store, location: str | None = None):
        self.store = store
        self.location = location or (str(store.location) if store.location else ":memory:")

    # -- opening and building -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, *, endpoint: str | None = None) -> "DealGraph":
        """Open the embedded store built by ``build`` (default location: see ``dealgraph build
        --help``), or, with ``endpoint``, a remote SPARQL 1.1 engine (its base URL)."""
        if endpoint is not None:
            if path is not None:
                raise DealGraphError("give a store or an endpoint, not both")
            from .store import open_remote

            return cls(open_remote(endpoint), endpoint)
        root = Path(path) if path is not None else default_store_path()
        # Read-only: a notebook holding the graph open must not lock out `dealgraph query`.
        return cls(open_store(root, read_only=True), str(root))

    @classmethod
    def build(cls, seeds_dir: str | Path | None = None, documents_dir: str | Path | None = None,
              store: str | Path | None = None, *, endpoint: str | None = None,
              progress: Progress = _noop) -> tuple["DealGraph", BuildReport]:
        """Validate the seeds and (re)build the embedded store at ``store``, atomically; or,
        with ``endpoint``, push the dataset to a remote engine graph by graph (idempotent:
        rerun a push that was interrupted)."""
        from .rdf import build_quads

        if store is not None and endpoint is not None:
            raise DealGraphError("give a store or an endpoint, not both")
        seeds = _load(seeds_dir, documents_dir, progress)
        progress("mapping records to RDF")
        quads = build_quads(seeds)
        if endpoint is not None:
            from .namespace import GRAPH
            from .store import push_quads

            progress(f"pushing {len(quads)} quads to {endpoint}")
            push_quads(quads, endpoint, namespace=str(GRAPH),
                       progress=lambda g, i, n: progress(f"graph {i}/{n}: {g}"))
            graph = cls.open(endpoint=endpoint)
            return graph, graph._report(seeds, endpoint)
        root = Path(store) if store is not None else default_store_path()
        progress(f"writing {len(quads)} quads to {root}")
        write_store(quads, root)
        graph = cls.open(root)
        return graph, graph._report(seeds, str(root))

    @classmethod
    def memory(cls, seeds_dir: str | Path | None = None, documents_dir: str | Path | None = None) -> "DealGraph":
        """Build the seeds into an in-memory store (for notebooks and tests)."""
        from .rdf import build_quads

        seeds = load_seeds(seeds_dir, documents_dir)
        graph = cls(memory_store(build_quads(seeds)))
        graph.seeds = seeds
        return graph

    def _report(self, seeds: Seeds, location: str) -> BuildReport:
        companies = sum(1 for e in seeds.entities.values() if e.kind == "company")
        return BuildReport(len(seeds.documents), companies, len(seeds.deals), len(seeds.claims),
                           len(seeds.statements), self.store.quad_count(), location,
                           [str(w) for w in seeds.warnings])

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "DealGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- SPARQL -----------------------------------------------------------------------------

    def query(self, query: str, **bindings: Any) -> QueryResult:
        """Run SPARQL text, a ``.rq`` file or a saved query by name; ``bindings`` preset variables.

        Bindings become plain literals, so ``company="Nvidia"`` matches ``rdfs:label "Nvidia"``.
        """
        text = resolve_query(query)
        try:
            return self.store.select(text, {k: str(v) for k, v in bindings.items()})
        except (SyntaxError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise QueryError(f"the query failed: {first}") from exc

    # -- records ----------------------------------------------------------------------------

    def companies(self) -> list[dict[str, Any]]:
        """Every company: id, canonical name, aliases and Wikidata id where known."""
        rows = self.query(_COMPANIES).rows
        out: dict[str, dict[str, Any]] = {}
        for r in rows:
            c = out.setdefault(r["id"], {"id": r["id"], "name": r["name"], "aliases": [],
                                         "wikidata": (r["wikidata"] or "").rsplit("/", 1)[-1] or None})
            if r["alias"] and r["alias"] not in c["aliases"]:
                c["aliases"].append(r["alias"])
        return sorted(out.values(), key=lambda c: c["name"].casefold())

    def find_company(self, name: str) -> dict[str, Any]:
        """The company whose canonical name or alias is ``name`` (case-insensitive)."""
        companies = self.companies()
        for c in companies:
            if name.casefold() in {n.casefold() for n in [c["name"], c["id"], *c["aliases"]]}:
                return c
        names = [c["name"] for c in companies]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else f" (companies: {', '.join(names)})"
        raise NotFound(f"no company named {name!r}{hint}")

    def deals(self, company: str | None = None) -> list[dict[str, Any]]:
        """One record per deal of the resolved view, in the public JSON shape (see README).

        With ``company`` (a canonical name or alias), only the deals it is party to.
        """
        party_filter = self.find_company(company)["id"] if company else None
        rows = self.query(_DEALS).rows
        parties: dict[str, list[tuple[str, str, str]]] = {}
        for r in self.query(_DEAL_PARTIES).rows:
            parties.setdefault(r["id"], []).append((r["prop"].rsplit("#", 1)[-1], r["party"], r["name"]))
        sources: dict[str, list[str]] = {}
        for r in self.query(_DEAL_SOURCES).rows:
            sources.setdefault(r["id"], []).append(r["document"])
        kind_by_term = {k.term: k.name for k in DEAL_KINDS.values()}
        out = []
        for r in rows:
            ps = parties.get(r["id"], [])
            if party_filter and not any(p[1].rsplit("/", 1)[-1] == party_filter for p in ps):
                continue
            names = {prop: sorted(n for p, _, n in ps if p == prop) for prop in ("payer", "payee")}
            out.append({
                "id": r["id"],
                "kind": kind_by_term[r["class"].rsplit("#", 1)[-1]],
                "from": "; ".join(names["payer"]) or None,
                "to": "; ".join(names["payee"]) or None,
                "amount": None if r["amount"] is None else {
                    "value": r["amount"], "currency": r["currency"],
                    "qualifier": _enum(r["qualifier"]), "min": r["min"], "max": r["max"]},
                "share": None if r["fraction"] is None else {
                    "value": r["fraction"], "of": r["of"], "qualifier": _enum(r["squalifier"])},
                "date": r["date"], "until": r["until"], "period": r["period"],
                "status": _enum(r["status"]),
                "sources": sorted(sources.get(r["id"], [])),
            })
        return out

    # -- analysis ---------------------------------------------------------------------------

    def money_flows(self, *, layers=("flow",), kinds=None, include_withdrawn: bool = False,
                    as_of: str | None = None, with_claims: bool = True):
        """The money-flow graph (networkx MultiDiGraph); see :func:`dealgraph.flows.money_flows`."""
        from .flows import money_flows

        return money_flows(self, layers=layers, kinds=kinds, include_withdrawn=include_withdrawn, as_of=as_of,
                           with_claims=with_claims)

    def loops(self, *, max_length: int = 6, kinds=None, as_of: str | None = None,
              max_cycles: int = 10_000, time_limit: float = 30.0) -> dict[str, Any]:
        """The loop inventory and the circularity metrics, as plain data (the ``loops`` JSON)."""
        from .report import loop_inventory

        G = self.money_flows(kinds=kinds, as_of=as_of, with_claims=False)
        return loop_inventory(G, max_length=max_length, max_cycles=max_cycles, time_limit=time_limit)

    def stress(self, remove: str, *, as_of: str | None = None, max_length: int = 6) -> dict[str, Any]:
        """What every other company loses when ``remove`` (a company name or alias, or a
        deal id) goes away, and which loops disappear."""
        from .report import stress_summary

        G = self.money_flows(as_of=as_of, with_claims=False)
        deal_ids = {k for _, _, k in G.edges(keys=True)}
        if remove in deal_ids:
            return stress_summary(G, remove_deal=remove, max_length=max_length)
        company = self.find_company(remove)["id"]
        if company not in G:
            raise NotFound(f"{remove!r} is party to no money flow{' as of ' + as_of if as_of else ''}")
        return stress_summary(G, remove_node=company, max_length=max_length)

    def view(self, path: str | Path | None = None, *, as_of: str | None = None, kinds=None,
             loops_only: bool = False, holdings: bool = True, max_length: int = 6,
             title: str = "dealgraph: AI deal network") -> str:
        """The interactive page (self-contained HTML, works offline) of the money-flow graph,
        loops highlighted; written to ``path`` when given. Returns the HTML.

        In Jupyter: ``IPython.display.HTML(graph.view())``.
        """
        from .analysis import find_loops
        from .view import render_view

        layers = ("flow", "holding") if holdings else ("flow",)
        G = self.money_flows(layers=layers, kinds=kinds, as_of=as_of)
        flows = self.money_flows(kinds=kinds, as_of=as_of, with_claims=False)
        loops = [list(c.members) for c in find_loops(flows, max_length=max_length).cycles]
        if loops_only:
            on_loop = {(c[i], c[(i + 1) % len(c)]) for c in loops for i in range(len(c))}
            G = G.edge_subgraph([(u, v, k) for u, v, k in G.edges(keys=True) if (u, v) in on_loop]).copy()
        page = render_view(G, loops=loops, title=title + (f" (as of {as_of})" if as_of else ""))
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def timeline(self) -> list[dict[str, Any]]:
        """Month by month, from the first deal the graph knows of to its newest source: the
        known money in all flows, the part on deals inside loops, and the number of loops."""
        from .analysis import cyclic_share, find_loops
        from .dates import month_range

        first = min(r["knownFrom"] for r in self.query(_KNOWN_FROM).rows)
        last = max(r["published"] for r in self.query("sources").rows)
        rows = []
        for month in month_range(first, last):
            G = self.money_flows(as_of=month, with_claims=False)
            share = cyclic_share(G)
            rows.append({"month": month, "total_amount": share.total_amount,
                         "cyclic_amount": share.cyclic_amount, "loops": len(find_loops(G).cycles),
                         "deals": G.number_of_edges()})
        return rows

    def report(self, *, as_of: str | None = None, max_length: int = 6) -> dict[str, Any]:
        """The closed-loop report as plain data; :mod:`dealgraph.report` renders it."""
        from .report import build_report

        return build_report(self, as_of=as_of, max_length=max_length)

    # -- export -----------------------------------------------------------------------------

    def export(self, path: str | Path, fmt: str = "trig") -> Path:
        """Write the whole dataset (``trig``, ``nq``, ``jsonld``) or, for ``ttl``/``nt``, the
        resolved view as one graph; Oxigraph's own serializers do the writing."""
        import pyoxigraph as ox

        if fmt not in EXPORT_FORMATS:
            raise DealGraphError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
        rdf_format = getattr(ox.RdfFormat, EXPORT_FORMATS[fmt])
        path = Path(path)
        tmp = path.with_name(f".{path.name}.part")
        graph = str(RESOLVED_GRAPH) if fmt in ("ttl", "nt") else None
        try:
            self.store.dump(tmp, rdf_format, graph, _prefixes())
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DealGraphError(f"cannot write {path}: {exc}") from exc
        return path


def _prefixes() -> dict[str, str]:
    from .rdf import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def _enum(iri: str | None) -> str | None:
    from .namespace import enum_of_term

    return None if iri is None else enum_of_term(iri)


_PREFIXES = """
PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""

_COMPANIES = _PREFIXES + """
SELECT ?id ?name ?alias ?wikidata WHERE {
  GRAPH <https://w3id.org/dealgraph/graph/curation> {
    ?c a dg:Company ; skos:prefLabel ?name .
    OPTIONAL { ?c skos:altLabel ?alias }
    OPTIONAL { ?c schema:sameAs ?wikidata }
  }
  BIND(REPLACE(STR(?c), "^.*/", "") AS ?id)
} ORDER BY ?name ?alias
"""

_DEALS = _PREFIXES + """
SELECT ?id ?class ?amount ?currency ?qualifier ?min ?max ?fraction ?of ?squalifier
       ?date ?until ?period ?status WHERE {
  GRAPH <https://w3id.org/dealgraph/graph/resolved> {
    ?d a dg:Deal ; a ?class ; dct:identifier ?id . FILTER(?class != dg:Deal)
    OPTIONAL { ?d dg:amount ?a . ?a schema:value ?amount ; schema:currency ?currency ; dg:qualifier ?qualifier
               OPTIONAL { ?a schema:minValue ?min } OPTIONAL { ?a schema:maxValue ?max } }
    OPTIONAL { ?d dg:share ?s . ?s dg:fraction ?fraction ; dg:shareOf ?of ; dg:qualifier ?squalifier }
    OPTIONAL { ?d dg:date ?date } OPTIONAL { ?d dg:until ?until } OPTIONAL { ?d dg:period ?period }
    OPTIONAL { ?d dg:status ?status }
  }
} ORDER BY ?id
"""

_DEAL_PARTIES = _PREFIXES + """
SELECT ?id ?prop ?party ?name WHERE {
  GRAPH <https://w3id.org/dealgraph/graph/resolved> {
    ?d dct:identifier ?id ; ?prop ?party .
  }
  GRAPH <https://w3id.org/dealgraph/graph/curation> { ?party rdfs:label ?name }
}
"""

_KNOWN_FROM = _PREFIXES + """
SELECT ?knownFrom WHERE { GRAPH <https://w3id.org/dealgraph/graph/resolved> { ?d dg:knownFrom ?knownFrom } }
"""

_DEAL_SOURCES = _PREFIXES + """
SELECT ?id ?document WHERE {
  GRAPH <https://w3id.org/dealgraph/graph/resolved> { ?d dct:identifier ?id ; dg:source ?doc }
  GRAPH <https://w3id.org/dealgraph/graph/curation> { ?doc dct:identifier ?document }
}
"""
