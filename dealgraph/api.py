"""The public surface: everything the CLI and the notebooks do goes through here.

>>> from dealgraph import DealGraph
>>> g = DealGraph.memory()                       # build the bundled seeds in memory
>>> len(g.deals()) > 10
True
>>> g.query("companies-by-alias", alias="AI-Hyperscaler").rows[0]["canonical"]
'CoreWeave'
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .dates import check_partial_date, month_range
from .errors import AnalysisError, DealGraphError, InvalidInput, NotFound, QueryError
from .gc_pause import collector_paused
from .namespace import IRI, VOCABULARIES
from .sparql import QueryResult, resolve_query, saved_queries
from .store import default_store_path, memory_store, open_store, write_store

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .backend import Backend
    from .flows import FlowRecords
    from .seeds import Seeds

__all__ = ["DealGraph", "BuildReport", "ValidationReport", "AddReport", "validate", "add", "draft", "synth", "server_command",
           "saved_queries", "check_as_of", "EXPORT_FORMATS"]

#: Export format -> what writes it: an Oxigraph RDF serializer (the store), or, for the money-flow
#: graph (Gephi, Cytoscape, Kumu, Flourish), dealgraph.network.
EXPORT_FORMATS = {"ttl": "TURTLE", "trig": "TRIG", "nq": "N_QUADS", "nt": "N_TRIPLES", "jsonld": "JSON_LD",
                  "graphml": "network", "gexf": "network", "csv": "network"}
Progress = Callable[[str], None]

#: A store version of at least this many quads is read from its record tables, a smaller one
#: with SPARQL: importing the tables' reader (pyarrow and numpy, 75-100 ms) costs more than they
#: save on a small version. Read from the tables instead of the store, the deals listing took
#: 4 ms less on the seeds (2 416 quads), 31 ms less at 7 459 quads (100 synthetic deals), 70
#: at 13 322 (200), 136 at 19 846 (300), 481 at 65 160 (1 000): the tables pay from about
#: 16 000 quads (benchmarks/RESULTS.md, cold start, 2026-11-30). Every build writes them.
READ_TABLES_FROM_QUADS = 16_000


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
    #: The ``review:`` notes still in the records: what the curator has left to check.
    to_review: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.shacl_conforms is not False


@dataclass
class AddReport:
    """What ``add`` merged into the seeds folder."""

    document: str
    entities: int
    deals: int
    claims: int
    files: list[str]
    validation: ValidationReport


def _noop(_: str) -> None:
    pass


def _load(seeds_dir, documents_dir, progress: Progress, drafts: Iterable[str | Path] = ()) -> Seeds:
    from .seeds import load_seeds  # here, not at the top: the read commands need no seeds (pydantic, yaml)

    progress("loading and checking the seeds" + (" and the draft" if drafts else ""))
    return load_seeds(seeds_dir, documents_dir, drafts=drafts)


def _checked(seeds_dir, documents_dir, drafts: Iterable[str | Path], shacl: bool,
             progress: Progress) -> tuple[Seeds, ValidationReport]:
    from .rdf import build_dataset

    seeds = _load(seeds_dir, documents_dir, progress, drafts)
    conforms, violations = None, []
    if shacl:
        from .shapes import check_shapes

        progress("building the dataset in memory")
        ds = build_dataset(seeds)
        progress("validating against ontology/shapes.ttl (SHACL)")
        conforms, violations = check_shapes(ds)
    report = ValidationReport(len(seeds.documents), len(seeds.deals), len(seeds.claims),
                              documents_dir is not None, conforms, violations,
                              [str(w) for w in seeds.warnings if w.severity != "review"],
                              [str(w) for w in seeds.warnings if w.severity == "review"])
    return seeds, report


def validate(seeds_dir: str | Path | None = None, documents_dir: str | Path | None = None, *,
             drafts: Iterable[str | Path] = (), shacl: bool = True,
             progress: Progress = _noop) -> ValidationReport:
    """Every check ``build`` makes, plus SHACL, without writing anything. With ``drafts``
    (files written by ``dealgraph draft``), the seeds are checked as if the drafts were
    merged into them, and problems in a draft are located in the draft.

    Raises :class:`dealgraph.errors.InvalidSeeds` when the seeds have errors.
    """
    return _checked(seeds_dir, documents_dir, [Path(d) for d in drafts], shacl, progress)[1]


def add(draft: str | Path, seeds_dir: str | Path | None = None, documents_dir: str | Path | None = None, *,
        progress: Progress = _noop) -> AddReport:
    """Merge a reviewed draft into the seeds folder: every check of :func:`validate` (SHACL
    included) on the merged seeds first, then all the files or none (:mod:`dealgraph.merge`).

    Refuses a draft whose ids are taken, or whose document is already in the seeds (same id
    or same text), with the draft's file and line. ``review:`` notes are kept, and listed.
    """
    from . import merge
    from .seeds import default_seeds_dir, load_seeds, read_data

    draft = Path(draft)
    root = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    if "_data" in root.parts:
        raise InvalidInput("the bundled seeds are part of the installed package: give the seeds folder to "
                           "merge into with --seeds DIR")
    expected, report = _checked(root, documents_dir, [draft], True, progress)
    if not report.ok:
        raise InvalidInput(f"{draft}: merged, the seeds would violate {len(report.shacl_violations)} SHACL "
                           f"constraint(s): {report.shacl_violations[0]}; nothing was written")
    data = read_data(draft)
    texts = merge.merged_files(root, data)
    progress("writing the merged seeds beside the folder")
    staging = merge.stage(root, texts)
    try:
        progress("checking the merged files")
        try:
            merged = load_seeds(staging, documents_dir)
        except DealGraphError as exc:
            raise DealGraphError(f"the merged files do not read back ({exc}); nothing was written") from exc
        if _records(merged) != _records(expected):
            raise DealGraphError("the merged files do not read back as the draft and the seeds; nothing was written")
        merge.commit(root, staging)
    except BaseException:
        merge.discard(staging)  # the new files, or after the exchange the old ones
        raise
    document = data["document"]["id"]
    return AddReport(document, len(data.get("entities") or []), len(data.get("deals") or []),
                     len(data.get("claims") or []), sorted(texts), report)


def _records(seeds: Seeds) -> tuple:
    """What a seeds folder holds, to compare two readings of it (not where it was read from)."""
    return (seeds.documents, seeds.entities, seeds.deals, sorted(seeds.claims, key=repr),
            sorted(seeds.statements, key=repr), sorted(seeds.totals, key=repr))


def draft(article: str | Path, seeds_dir: str | Path | None = None, *, url: str | None = None,
          published: str | None = None, document_id: str | None = None):
    """Draft the seed entries of one article (plain text, or HTML through a main-text
    extractor) in English, French, Italian, German or Spanish, for a curator to review and
    merge with :func:`add`: its document entry, the organisations the seeds lack, the deals it
    states, one claim per stated fact with a verbatim quote and a ``review:`` note, and every
    figure it mentions. Organisations and deals the seeds (``seeds_dir``, default the bundled
    ones; a missing or empty folder knows none) already hold are referred to by id.

    Returns a :class:`dealgraph.draft.drafter.Draft`: ``.data`` (the draft), ``.render("yaml")``
    or ``.render("json")``, and ``.text`` (the text drafted from).
    """
    from .draft.drafter import draft_article
    from .seeds import default_seeds_dir, load_seeds

    import re

    from .models import PATTERN_RULES, URL_PATTERN, shown

    if url is not None and not re.match(URL_PATTERN, url):
        what, rule = PATTERN_RULES[URL_PATTERN]
        raise InvalidInput(f"--url: '{shown(url)}' is not {what} ({rule})")
    article = Path(article)
    root = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    entities: dict[str, Any] = {}
    deals: dict[str, Any] = {}
    if (root / "documents.yaml").exists() or (root / "entities.yaml").exists():
        known = load_seeds(root)
        entities, deals = known.entities, known.deals
    try:
        raw = article.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {article}: {exc.strerror or exc}") from None
    return draft_article(raw, article.name, entities=entities, deals=deals, url=url, published=published,
                         document_id=document_id)


def check_as_of(as_of: str | None) -> str | None:
    """An as-of date checked by the seeds' own rule; :class:`InvalidInput` saying why not."""
    if as_of is None:
        return None
    try:
        return check_partial_date(as_of)
    except ValueError as exc:
        raise InvalidInput(f"--as-of: {exc}") from None


@contextlib.contextmanager
def _analysing() -> Iterator[None]:
    """Run an analysis with the cyclic garbage collector paused (it walked the whole graph again
    and again as the analyses' results grew: 4.4 s of the 26 s `loops` took at 100 000 deals;
    see :mod:`dealgraph.gc_pause`). What it refuses (a graph it cannot measure, an argument out
    of range) becomes one :class:`AnalysisError`, so the CLI prints one line."""
    import networkx as nx

    try:
        with collector_paused():
            yield
    except (ValueError, TypeError, ArithmeticError, nx.NetworkXException) as exc:
        if isinstance(exc, DealGraphError):
            raise
        raise AnalysisError(f"the analysis failed: {exc}") from exc


def synth(output: str | Path, companies: int, deals: int, *, seed: int = 0,
          documents_per_deal: int = 3) -> dict[str, Any]:
    """Write a random deal network in the seeds' format into ``output``; returns the manifest
    of what was planted (see :mod:`dealgraph.synth`)."""
    from .synth import generate

    return generate(output, companies, deals, seed=seed, documents_per_deal=documents_per_deal)


def server_command(store: str | Path | None = None, bind: str = "127.0.0.1:7878") -> list[str]:
    """The command line that serves the current version of the embedded store read-only with
    the Oxigraph server (``oxigraph serve-read-only``).

    The version is held (an inheritable shared lock, see :func:`dealgraph.store.hold_version`)
    until this process, or the server it execs, ends: a rebuild meanwhile never removes what
    is served. The server goes on serving that snapshot; restart it to serve a newer build.

    Queries without ``GRAPH`` read the union of the named graphs, as on the embedded store
    (``--union-default-graph``): dealgraph writes every triple into a named graph, so the
    server's own default graph is empty.
    """
    import os
    import shutil
    import sys

    from .errors import StoreError
    from .store import hold_version

    server = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                             os.environ.get("PATH", "")]))
    if server is None:
        raise StoreError("the oxigraph server is not installed: pip install 'dealgraph[server]'")
    version, hold = hold_version(Path(store) if store is not None else default_store_path(), inheritable=True)
    _HELD.append(hold)  # kept open to the exec, which inherits it
    return [server, "serve-read-only", "--location", str(version), "--bind", bind, "--union-default-graph"]


#: Versions held for a server this process is about to become.
_HELD: list[Any] = []


class DealGraph:
    """A built deal graph in a store: query it, list its deals and companies, measure and
    draw its money flows, export it.

    It composes the pipeline's stages, which are plain functions of data: they read the store
    through :meth:`select`, and what they read (the deal records, timelines, claims) is read
    once and kept, since a store version never changes: open the graph again to see a newer
    build.
    """

    def __init__(self, store: Backend, location: str | None = None):
        self.store = store
        self.location = location or (str(store.location) if store.location else ":memory:")
        self._records: FlowRecords | None = None
        self._record_select: Callable[..., list[dict[str, Any]]] | None = None
        #: How many SPARQL queries this graph has sent (the work a command costs).
        self.queries_sent = 0

    # -- opening and building -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, *, endpoint: str | None = None) -> "DealGraph":
        """Open the embedded store built by ``build`` (default location: see ``dealgraph build
        --help``), or, with ``endpoint``, a remote SPARQL 1.1 engine (its base URL)."""
        if endpoint is not None:
            if path is not None:
                raise InvalidInput("give a store or an endpoint, not both")
            from .remote import open_remote

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
        from .rdf import dataset_quads

        if store is not None and endpoint is not None:
            raise InvalidInput("give a store or an endpoint, not both")
        if endpoint is not None:
            from .remote import Endpoint

            Endpoint(endpoint)  # a bad URL, or one with a password in it, is refused before any work
        seeds = _load(seeds_dir, documents_dir, progress)
        if endpoint is not None:
            from .namespace import GRAPH
            from .remote import push_quads

            progress("mapping records to RDF")
            quads = list(dict.fromkeys(dataset_quads(seeds)))  # grouped by graph before anything is sent
            progress(f"pushing {len(quads)} quads to {endpoint}")
            push_quads(quads, endpoint, namespace=str(GRAPH),
                       progress=lambda g, i, n: progress(f"graph {i}/{n}: {g}"))
            graph = cls.open(endpoint=endpoint)
            return graph, graph._build_report(seeds, endpoint)
        root = Path(store) if store is not None else default_store_path()
        progress(f"mapping records to RDF and writing the quads to {root}")
        # The quads are made from the records as Oxigraph loads them (dealgraph.rdf), never
        # held whole as Python objects. Closed on the way out: a stream a failed write left
        # half-read would keep the garbage collector paused while the error is kept around.
        # The record tables come from an in-memory copy of the quads when they are few enough
        # (store.DERIVE_IN_MEMORY_QUADS); seeds surely larger skip the copy from the start, since
        # a copy begun and dropped half-way costs memory for nothing (3.5 GiB instead of 2.7 at
        # 100 000 deals). The estimate only chooses where the same queries run, never what they
        # answer: a copy is used only if it holds exactly the version's quads.
        from .store import DERIVE_IN_MEMORY_QUADS

        copy = None if _quads_estimate(seeds) <= DERIVE_IN_MEMORY_QUADS else 0
        with contextlib.closing(dataset_quads(seeds)) as quads:
            write_store(quads, root, derive=lambda version: _write_record_tables(version, progress),
                        derive_in_memory=copy)
        graph = cls.open(root)
        return graph, graph._build_report(seeds, str(root))

    @classmethod
    def memory(cls, seeds_dir: str | Path | None = None, documents_dir: str | Path | None = None) -> "DealGraph":
        """Build the seeds into an in-memory store (for notebooks and tests)."""
        from .rdf import build_quads
        from .seeds import load_seeds

        return cls(memory_store(build_quads(load_seeds(seeds_dir, documents_dir))))

    def _build_report(self, seeds: Seeds, location: str) -> BuildReport:
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
        A ``company`` binding may be any alias, as in :meth:`deals`: it is bound to the
        company's canonical name (a name no company has is bound as given).
        """
        text = resolve_query(query)
        if "company" in bindings:
            with contextlib.suppress(NotFound):
                bindings["company"] = self.find_company(str(bindings["company"]))["name"]
        self.queries_sent += 1
        try:
            return self.store.select(text, {k: str(v) for k, v in bindings.items()})
        except (SyntaxError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise QueryError(f"the query failed: {first}") from exc

    def select(self, query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The rows of a SELECT as dicts of plain values: the callable the stages read with."""
        return self.query(query, **(bindings or {})).rows

    def _read(self, *, claims: bool = False, timeline: bool = False) -> "FlowRecords":
        """The deal records, with the parts asked for, each read from the store once: from the
        version's tables where they hold the answer (see :mod:`dealgraph.tables`) and the
        version is large enough for them to pay (:data:`READ_TABLES_FROM_QUADS`), else with
        SPARQL (a remote engine, a store in memory, built before the tables or small, a table
        missing, damaged or stale)."""
        from .flows import add_claims, add_timeline, read_records

        if self._record_select is None:
            self._record_select = self.select
            # Only the embedded store has tables; the size is checked before their reader is
            # imported (pyarrow, numpy), which is what a small version would pay for nothing.
            folder = getattr(self.store, "tables", None)
            if folder is not None and (self.store.quads or 0) >= READ_TABLES_FROM_QUADS:
                from .tables import open_tables, table_select

                tables = open_tables(folder, version=Path(self.store.location).name, quads=self.store.quads)
                if tables is not None:
                    self._record_select = table_select(tables, self.select)
        select = self._record_select
        if self._records is None:
            self._records = read_records(select, claims=False, timeline=False)
        if timeline and self._records.steps is None:
            add_timeline(self._records, select)
        if claims and self._records.claims is None:
            add_claims(self._records, select)
        return self._records

    # -- records ----------------------------------------------------------------------------

    def companies(self) -> list[dict[str, Any]]:
        """Every company: id, canonical name, aliases and Wikidata id where known."""
        return sorted(self._read().companies.values(), key=lambda c: c["name"].casefold())

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

        With ``company`` (a canonical name or alias), only the deals it is or was party to
        (``parties`` says which roles it held and until when).
        """
        from .flows import deal_record, party_ids

        party = self.find_company(company)["id"] if company else None
        records = self._read(timeline=True)
        return [deal_record(r, records) for r in records.deals if party is None or party in party_ids(r, records)]

    # -- analysis ---------------------------------------------------------------------------

    def money_flows(self, *, layers: Iterable[str] = ("flow",), kinds: Iterable[str] | None = None,
                    include_withdrawn: bool = False, as_of: str | None = None,
                    with_claims: bool = True, currency: str = "USD",
                    rates: Mapping[str, Any] | None = None) -> "nx.MultiDiGraph":
        """The money-flow graph (networkx MultiDiGraph); see :func:`dealgraph.flows.project`.

        Every ``amount`` is in ``currency``; a sum in another currency counts only at a rate the
        user gives in ``rates`` (``{"EUR": "1.08"}``: 1 EUR = 1.08 USD), else it is unknown.
        """
        from .flows import check_flow_options, check_money_options, project

        try:
            check_flow_options(layers, kinds)
            check_money_options(currency, rates)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        as_of = check_as_of(as_of)
        records = self._read(claims=with_claims, timeline=as_of is not None)
        return project(records, layers=layers, kinds=kinds, include_withdrawn=include_withdrawn, as_of=as_of,
                       with_claims=with_claims, currency=currency, rates=rates)

    def loops(self, *, max_length: int = 6, kinds: Iterable[str] | None = None, as_of: str | None = None,
              max_cycles: int = 10_000, time_limit: float = 30.0, currency: str = "USD",
              rates: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The loop inventory and the circularity metrics, as plain data (the ``loops`` JSON);
        amounts in ``currency`` (see :meth:`money_flows` for ``rates``)."""
        from .report import loop_inventory

        G = self.money_flows(kinds=kinds, as_of=as_of, with_claims=False, currency=currency, rates=rates)
        with _analysing():
            return loop_inventory(G, max_length=max_length, max_cycles=max_cycles, time_limit=time_limit)

    def stress(self, remove: str, *, as_of: str | None = None, max_length: int = 6, currency: str = "USD",
               rates: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What every other company loses when ``remove`` (a company name or alias, or a
        deal id) goes away, and which loops disappear; amounts in ``currency`` (see
        :meth:`money_flows` for ``rates``)."""
        from .report import stress_summary

        G = self.money_flows(as_of=as_of, with_claims=False, currency=currency, rates=rates)
        deal_ids = {k for _, _, k in G.edges(keys=True)}
        with _analysing():
            if remove in deal_ids:
                return stress_summary(G, remove_deal=remove, max_length=max_length)
            company = self.find_company(remove)["id"]
            if company not in G:
                raise NotFound(f"{remove!r} is party to no money flow{' as of ' + as_of if as_of else ''}")
            return stress_summary(G, remove_node=company, max_length=max_length)

    def view(self, path: str | Path | None = None, *, as_of: str | None = None, kinds: Iterable[str] | None = None,
             loops_only: bool = False, holdings: bool = True, max_length: int = 6,
             title: str = "dealgraph: AI deal network", currency: str = "USD",
             rates: Mapping[str, Any] | None = None) -> str:
        """The interactive page (self-contained HTML, works offline) of the money-flow graph,
        loops highlighted; written to ``path`` when given. Returns the HTML.

        In Jupyter: ``IPython.display.HTML(graph.view())``.
        """
        from .analysis import find_loops
        from .view import render_view

        from .report import money_words

        layers = ("flow", "holding") if holdings else ("flow",)
        self._read(timeline=True)  # the companies' former roles, for their details
        G = self.money_flows(layers=layers, kinds=kinds, as_of=as_of, currency=currency, rates=rates)
        flows = self.money_flows(kinds=kinds, as_of=as_of, with_claims=False, currency=currency, rates=rates)
        # the page says what its amounts are in when a rate was used or a deal left unpriced
        title += "".join(f" ({w})" for w in money_words(G.graph["money"]))
        with _analysing():
            loops = [list(c.members) for c in find_loops(flows, max_length=max_length).cycles]
        if loops_only:
            on_loop = {(c[i], c[(i + 1) % len(c)]) for c in loops for i in range(len(c))}
            G = G.edge_subgraph([(u, v, k) for u, v, k in G.edges(keys=True) if (u, v) in on_loop]).copy()
        # What is drawn is the deal records less those that move no money between two
        # companies; under a filter the records no longer match the drawing, so no count.
        on_record = None if (kinds or loops_only or as_of or not holdings) else len(self.deals())
        page = render_view(G, loops=loops, title=title + (f" (as of {as_of})" if as_of else ""),
                           deals_on_record=on_record)
        if path is not None:
            _write_text(Path(path), page)
        return page

    def timeline(self) -> list[dict[str, Any]]:
        """Month by month, from the first deal the graph knows of to its newest source: the
        known money in all flows, the part on deals inside loops, and the number of loops."""
        from .analysis import timeline
        from .flows import project

        records = self._read(timeline=True)
        if not records.deals:
            return []
        first = min(r["knownFrom"] for r in records.deals)
        last = max(r["published"] for r in self._record_select(resolve_query("sources")))
        with _analysing():
            return timeline((month, project(records, as_of=month, with_claims=False))
                            for month in month_range(first, last))

    def report(self, *, as_of: str | None = None, max_length: int = 6, currency: str = "USD",
               rates: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The closed-loop report as plain data; :mod:`dealgraph.render` renders it. Amounts in
        ``currency`` (see :meth:`money_flows` for ``rates``)."""
        from .conflicts import check_totals, find_conflicts
        from .flows import kind_of_record, read_observations
        from .report import build_report

        G = self.money_flows(as_of=as_of, currency=currency, rates=rates)
        holdings = self.money_flows(as_of=as_of, layers=("holding",), with_claims=False)
        records = self._read(claims=True)
        # Everything the report reads is among the derived queries: the version's tables answer
        # it when they can (at 100 000 deals on disk, 135 s of SPARQL), the store the rest.
        read = self._record_select
        with _analysing():
            return build_report(
                G, holdings, as_of=as_of, max_length=max_length,
                deal_kinds=[kind_of_record(r) for r in records.deals], sources=read(resolve_query("sources")),
                conflicts=find_conflicts(read, claims=records.claim_rows, labels=records.labels),
                totals=check_totals(read),
                commentary=read_observations(read, records.labels))

    def plots(self, out_dir: str | Path | None = None, report: dict[str, Any] | None = None) -> list[Any]:
        """The report's charts (needs matplotlib): written into ``out_dir`` as PNG files, their
        paths returned; with no ``out_dir``, returned as inline SVG (:class:`dealgraph.plots.Chart`,
        for a page) and nothing written. Both are the same drawing."""
        from .plots import svg_charts, write_plots

        report = report if report is not None else self.report()
        inputs = {"report": report, "timeline": self.timeline(), "flows": self.money_flows(with_claims=False)}
        return svg_charts(**inputs) if out_dir is None else write_plots(out_dir, **inputs)

    def report_html(self, report: dict[str, Any] | None = None, *, as_of: str | None = None,
                    max_length: int = 6) -> str:
        """The report as one self-contained HTML page that works offline and prints: the
        report's sections, the charts as inline SVG (without matplotlib the page says which
        extra adds them) and the interactive network, embedded. ``report``: the report's data
        when already made (with the same ``as_of`` and ``max_length``).

        In Jupyter: ``IPython.display.HTML(graph.report_html())``.
        """
        from .errors import MissingExtra
        from .html_report import report_page

        report = report if report is not None else self.report(as_of=as_of, max_length=max_length)
        try:
            charts, missing = self.plots(report=report), None
        except MissingExtra as exc:
            charts, missing = None, f"No charts: {exc}."
        money = report.get("money") or {}  # the page's network in the report's currency and rates
        return report_page(report, charts=charts, charts_missing=missing,
                           network=self.view(as_of=as_of, max_length=max_length,
                                             currency=money.get("currency", "USD"), rates=money.get("rates")))

    # -- export -----------------------------------------------------------------------------

    def export(self, path: str | Path, fmt: str = "trig", *, currency: str = "USD",
               rates: Mapping[str, Any] | None = None) -> Path:
        """Write the whole dataset (``trig``, ``nq``, ``jsonld``) or, for ``ttl``/``nt``, the
        resolved view as one graph; Oxigraph's own serializers do the writing.

        ``graphml``, ``gexf`` and ``csv`` write the money-flow graph with the holdings and
        each deal's and company's loop membership, for network tools (see
        :mod:`dealgraph.network`); ``csv`` writes ``FILE.nodes.csv`` and ``FILE.edges.csv`` and
        returns the edges file. Their amounts are in ``currency`` (see :meth:`money_flows` for
        ``rates``); the RDF formats hold every amount as stated.
        """
        import pyoxigraph as ox

        if fmt not in EXPORT_FORMATS:
            raise InvalidInput(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
        if EXPORT_FORMATS[fmt] == "network":
            return self._export_network(Path(path), fmt, currency=currency, rates=rates)
        rdf_format = getattr(ox.RdfFormat, EXPORT_FORMATS[fmt])
        path = Path(path)
        tmp = path.with_name(f".{path.name}.part")
        graph = IRI.graph.resolved if fmt in ("ttl", "nt") else None
        try:
            self.store.dump(tmp, rdf_format, graph, dict(VOCABULARIES))
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DealGraphError(f"cannot write {path}: {exc}") from exc
        return path

    def _export_network(self, path: Path, fmt: str, max_length: int = 6, *, currency: str = "USD",
                        rates: Mapping[str, Any] | None = None) -> Path:
        from .analysis import find_loops
        from .network import write_network

        self._read(timeline=True)  # the companies' former roles
        G = self.money_flows(layers=("flow", "holding"), currency=currency, rates=rates)
        with _analysing():  # the loops `dealgraph loops` finds: money flows only
            loops = find_loops(self.money_flows(with_claims=False, currency=currency, rates=rates),
                               max_length=max_length).cycles
        try:
            return write_network(G, path, fmt, loops=loops)[-1]
        except OSError as exc:
            raise DealGraphError(f"cannot write {path}: {exc}") from exc


#: Quads a build writes per record, about (synthetic networks: 6.1 million quads for 100 000
#: deals and their claims, 640 000 for 10 000; the bundled seeds: 2416 for 19 deals).
QUADS_PER_DEAL = 60


def _quads_estimate(seeds: Seeds) -> int:
    return QUADS_PER_DEAL * len(seeds.deals)


def derived_queries() -> dict[str, str]:
    """Every query whose answer a build derives into the new version's tables, by table name:
    the records' (:data:`dealgraph.flows.RECORD_QUERIES`), the observations, the conflicts' and
    totals' (:data:`dealgraph.conflicts.READ_QUERIES`) and the saved query ``sources``, which
    the report lists whole (2.3 s on disk at 100 000 deals; 91 s before its rewrite). The read
    commands on the embedded store ask these and nothing else (``dealgraph query`` aside)."""
    from .conflicts import READ_QUERIES
    from .flows import OBSERVATIONS, RECORD_QUERIES

    return {**RECORD_QUERIES, "observations": OBSERVATIONS, **READ_QUERIES, "sources": resolve_query("sources")}


def _write_record_tables(version: Any, progress: Progress) -> None:
    """Derive the tables of a new store version (``write_store``'s ``derive``): the answer of
    each of :func:`derived_queries`, asked of the version's quads (the version on disk, or the
    in-memory copy ``write_store`` made of the same quads), so the tables and SPARQL give the
    same rows by construction; in another order from a copy in memory, which no reader depends
    on (flows.read_records sorts every list it builds, the conflicts and the report sort theirs)."""
    from .tables import oxigraph_table, write_tables

    progress(f"writing the record tables to {version.tables}")
    write_tables(version.tables, ((name, query, oxigraph_table(version.solutions(query)))
                                  for name, query in derived_queries().items()),
                 version=version.location.name, quads=version.quads)


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DealGraphError(f"cannot write {path}: {exc}") from exc
