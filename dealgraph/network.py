"""The money-flow graph as files for network tools: GraphML, GEXF and CSV.

Gephi, Cytoscape and yEd open GraphML and GEXF; Kumu and Flourish take a spreadsheet of nodes
and one of edges. networkx's own writers refuse the graph :func:`dealgraph.flows.project` makes
(list and dict attributes, None values), so it is flattened here by one table,
:data:`NODE_COLUMNS` and :data:`EDGE_COLUMNS`: per attribute, its type and how a value becomes
one of that type. The three writers read the same table, so an attribute has the same name and
type in every format:

* ``None`` and empty values (empty text, lists, dicts) are left out: no ``<data>`` element, no
  ``<attvalue>``, an empty CSV cell; never the text "None".
* Numbers are doubles (counts are integers), booleans are ``true``/``false``.
* A list of identifiers (``sources``, the keys of ``inferred``) is joined with ``"; "``: an id
  cannot hold a ``;``. Free text that comes in lists or records (``aliases``, ``former_roles``)
  is JSON text, which says where each item ends whatever it holds.
* ``on_loop`` and ``loops`` say, for each company and each deal, whether it is on a loop of
  money and on how many, from the loops given (``find_loops(G).cycles`` or the ``cycles`` of the
  loops JSON). Holdings are no money going round: they are never on a loop.
* ``claims`` is how many claims the sources make about the deal. The claims themselves are left
  out: each is a verbatim quote in its article's language with its document, modality and
  speaker, a record a node-link tool shows as one long cell; ``dealgraph deals --format json``
  and the ``deal-claims`` query give them by deal id.

Text stays text. ElementTree escapes markup (``<``, ``&``, quotes). XML 1.0 cannot hold most
control characters at all, not even as character references, so in GraphML and GEXF each one
(U+0000 to U+001F but tab, line feed and carriage return), U+FFFE, U+FFFF and any lone surrogate
is written as the six characters ``\\uXXXX``, as the TSV results are (:func:`xml_text`). Tabs
and carriage returns are written as character references, so that readers do not turn them
into spaces and line feeds. CSV holds every character but lone surrogates, which no UTF-8 file
can: those are written as ``\\uXXXX`` too (:func:`csv_text`).

Every file is written to a temporary file beside it, then renamed over it, so a reader never
sees half a file and a failed export leaves what was there. The two CSV files are both written
before either is renamed.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from .kinds import STAGES

__all__ = ["NETWORK_FORMATS", "Column", "NODE_COLUMNS", "EDGE_COLUMNS", "FLATTEN", "flatten_network", "graphml_bytes",
           "gexf_bytes", "csv_bytes", "csv_header",
           "write_network", "write_graphml", "write_gexf", "write_csv", "csv_paths", "xml_text", "csv_text"]

#: The formats :func:`write_network` writes.
NETWORK_FORMATS = ("graphml", "gexf", "csv")


@dataclass(frozen=True)
class Column:
    """One attribute of the exported graph.

    ``name`` is the attribute of the networkx graph it is read from and its name in every
    format (``on_loop`` and ``loops`` are computed from the loops). ``type`` is ``string``,
    ``double``, ``int`` or ``boolean``; ``flatten`` names the function of :data:`FLATTEN`
    that turns the graph's value into one of that type. A ``label`` column is what tools show
    on the element: GEXF's ``label`` and the CSV's ``Label`` column (GraphML keeps the name).
    """

    name: str
    type: str
    flatten: str
    label: bool = False
    note: str = ""


#: How a value of the graph becomes one of its column's type; empty results are left out.
FLATTEN: dict[str, Callable[[Any], Any]] = {
    "text": str,
    "number": float,
    "int": int,
    "boolean": bool,
    "join": lambda items: "; ".join(str(i) for i in items),
    "keys": lambda record: "; ".join(sorted(str(k) for k in record)),
    "json": lambda value: json.dumps(value, ensure_ascii=False),
    "count": len,
}

_TEXT = ("string", "text")

NODE_COLUMNS: tuple[Column, ...] = (
    Column("name", *_TEXT, label=True, note="the canonical name; the node's id is the company id"),
    Column("aliases", "string", "json", note="JSON array: aliases are free text and may hold '; '"),
    *(Column(f"boundary_{side}{stage}", "double", "number",
             note="money across the graph's boundary (an IPO's proceeds in, a spending commitment out)"
             + (f", {stage[1:]} only" if stage else ""))
      for side in ("input", "output") for stage in ("", *(f"_{s}" for s in STAGES))),
    Column("former_roles", "string", "json",
           note="JSON array of {deal, label, role, until, ended_by}: roles the company held and lost"),
    Column("on_loop", "boolean", "boolean", note="a member of at least one loop"),
    Column("loops", "int", "int", note="how many loops it is a member of"),
)

EDGE_COLUMNS: tuple[Column, ...] = (
    Column("deal", *_TEXT, note="the deal's id"),
    Column("kind", *_TEXT, note="equity_investment, compute_contract, ... (dealgraph/kinds.py)"),
    Column("layer", *_TEXT, note="flow (money changing hands) or holding (an equity stake, owner -> owned)"),
    Column("label", *_TEXT, label=True, note="the deal in words"),
    Column("amount", "double", "number", note="in units of currency (12 billion is 12000000000.0)"),
    Column("amount_low", "double", "number", note="the low bound of a range or an 'up to'"),
    Column("amount_high", "double", "number", note="the high bound"),
    Column("currency", *_TEXT),
    Column("qualifier", *_TEXT, note="exact, about, nearly, more_than, up_to"),
    Column("stated_amount", "double", "number",
           note="the sum as the source states it, in stated_currency, per period when per is set"),
    Column("stated_currency", *_TEXT),
    Column("per", *_TEXT, note="month, quarter or year: the stated sum is a rate"),
    Column("term_months", "int", "int", note="the term of a rate, in months"),
    Column("rate", "double", "number", note="the rate the user gave from stated_currency to currency"),
    Column("amount_unknown", *_TEXT, note="why amount is empty though a sum is stated (no rate, no term)"),
    Column("share", "double", "number", note="a fraction 0-1 (of revenue or of ownership)"),
    Column("share_qualifier", *_TEXT),
    Column("date", *_TEXT, note="a partial ISO date (2025, 2025-03, 2025-03-28): text, as no date type holds a month"),
    Column("until", *_TEXT, note="a partial ISO date"),
    Column("period", *_TEXT, note="a partial ISO date"),
    Column("status", *_TEXT, note="announced, signed, active, completed, withdrawn, assumed"),
    Column("stage", *_TEXT, note="realised, committed or announced"),
    Column("inferred", "string", "keys",
           note="what the curator inferred rather than read ('amount; backstop_buyer'); the reasons are in the deals JSON"),
    Column("sources", "string", "join", note="the ids of the documents stating it, '; '-joined"),
    Column("claims", "int", "count", note="how many claims the sources make about the deal (the quotes are left out)"),
    Column("on_loop", "boolean", "boolean", note="on at least one loop of money"),
    Column("loops", "int", "int", note="how many loops it is on"),
)

GRAPHML_TYPES = {"string": "string", "double": "double", "int": "int", "boolean": "boolean"}
GEXF_TYPES = {"string": "string", "double": "double", "int": "integer", "boolean": "boolean"}

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: What XML 1.0 cannot hold (its Char production): C0 controls but tab, LF and CR; lone
#: surrogates; U+FFFE and U+FFFF.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _u_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04X}"


def xml_text(text: str) -> str:
    """``text`` as GraphML and GEXF hold it: what XML 1.0 cannot hold written as ``\\uXXXX``.

    >>> xml_text("A & B\\x01\\n")
    'A & B\\\\u0001\\n'
    """
    return _XML_UNSAFE.sub(_u_escape, text)


def csv_text(text: str) -> str:
    """``text`` as the CSV files hold it: lone surrogates (no UTF-8 holds them) as ``\\uXXXX``."""
    return _SURROGATES.sub(_u_escape, text)


# -- the graph as rows ------------------------------------------------------------------------


def _loop_parts(loop: Any) -> tuple[list, list]:
    """A loop's members (node ids, in cycle order) and, per hop, its deals: from a
    :class:`dealgraph.analysis.Loop` or a cycle of the loops JSON."""
    if isinstance(loop, Mapping):
        return list(loop["member_ids"] if "member_ids" in loop else loop["members"]), list(loop["deals"])
    return list(loop.members), list(loop.deals)


def _loop_counts(loops: Iterable[Any]) -> tuple[Counter, Counter]:
    """How many loops each node is a member of, and each ``(payer, payee, deal)`` is on."""
    nodes: Counter = Counter()
    edges: Counter = Counter()
    for loop in loops:
        members, deals = _loop_parts(loop)
        nodes.update(set(members))
        for (u, v), hop in zip(zip(members, members[1:] + members[:1]), deals):
            edges.update({(u, v, d) for d in hop})
    return nodes, edges


def _values(columns: tuple[Column, ...], data: Mapping[str, Any]) -> dict[str, Any]:
    """The typed values of one node or edge, by column; None and empty values left out."""
    out = {}
    for c in columns:
        value = data.get(c.name)
        if value is None or (c.flatten != "count" and isinstance(value, (str, list, tuple, dict, set)) and not value):
            continue
        value = FLATTEN[c.flatten](value)
        if value != "":
            out[c.name] = value
    return out


def flatten_network(G: nx.Graph, loops: Iterable[Any] = ()) -> tuple[list[tuple], list[tuple]]:
    """The graph as rows by :data:`NODE_COLUMNS` and :data:`EDGE_COLUMNS`.

    Returns ``(nodes, edges)``: ``nodes`` as ``(id, values)``, ``edges`` as ``(id, source,
    target, values)``; ids are text, ``values`` maps column names to str, float, int or bool,
    with None and empty values left out. An edge's id is its key (in a money-flow graph, the
    deal id), followed by ``" (payer -> payee)"`` when a deal has more than one edge (a deal
    with two payers); an edge without a key takes its ``deal``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="d1", deal="d1", amount=5, sources=["x", "y"], claims=[], share=None)
    'd1'
    >>> G.add_edge("b", "a", key="d2", deal="d2")
    'd2'
    >>> nodes, edges = flatten_network(G, loops=[{"member_ids": ["a", "b"], "deals": [["d1"], ["d2"]]}])
    >>> nodes[0]
    ('a', {'on_loop': True, 'loops': 1})
    >>> edges[0]
    ('d1', 'a', 'b', {'deal': 'd1', 'amount': 5.0, 'sources': 'x; y', 'claims': 0, 'on_loop': True, 'loops': 1})
    """
    on_nodes, on_edges = _loop_counts(loops)
    nodes = [(str(n), _values(NODE_COLUMNS, {**data, "on_loop": on_nodes[n] > 0, "loops": on_nodes[n]}))
             for n, data in G.nodes(data=True)]
    if G.is_multigraph():
        triples = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        triples = [(u, v, None, d) for u, v, d in G.edges(data=True)]
    ids = [str(k if k is not None else d.get("deal", f"{u} -> {v}")) for u, v, k, d in triples]
    repeated = {i for i, n in Counter(ids).items() if n > 1}
    edges = []
    for edge_id, (u, v, k, data) in zip(ids, triples):
        n = on_edges[u, v, data.get("deal", k)]
        edges.append((f"{edge_id} ({u} -> {v})" if edge_id in repeated else edge_id, str(u), str(v),
                      _values(EDGE_COLUMNS, {**data, "on_loop": n > 0, "loops": n})))
    return nodes, edges


def _lexical(value: Any) -> str:
    """A typed value as text: booleans as ``true``/``false``, doubles in full, and what is not
    finite as XML Schema spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return repr(value) if math.isfinite(value) else ("INF" if value > 0 else "-INF")
    return str(value)


# -- writers --------------------------------------------------------------------------------


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    # ElementTree writes tabs and carriage returns in text (and, before Python 3.13, tabs in
    # attributes) as they are, which an XML parser reads as line feeds and spaces; as character
    # references they stay what they were. The indentation is spaces and line feeds only.
    text = text.replace("\r", "&#13;").replace("\t", "&#9;")
    return ("<?xml version='1.0' encoding='utf-8'?>\n" + text + "\n").encode("utf-8")


def graphml_bytes(G: nx.Graph, loops: Iterable[Any] = ()) -> bytes:
    """The graph as GraphML: one ``<key>`` per column of the table (``node_name``,
    ``edge_amount``, ...), typed by it, declared whether or not any element has a value."""
    nodes, edges = flatten_network(G, loops)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": _XSI, "xsi:schemaLocation":
                                  f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"})
    for scope, columns in (("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS)):
        for c in columns:
            ET.SubElement(root, "key", {"id": f"{scope}_{c.name}", "for": scope, "attr.name": c.name,
                                        "attr.type": GRAPHML_TYPES[c.type]})
    graph = ET.SubElement(root, "graph", {"edgedefault": "directed" if G.is_directed() else "undirected"})

    def data(element: ET.Element, scope: str, values: dict[str, Any]) -> None:
        for name, value in values.items():
            ET.SubElement(element, "data", {"key": f"{scope}_{name}"}).text = xml_text(_lexical(value))

    for node_id, values in nodes:
        data(ET.SubElement(graph, "node", {"id": xml_text(node_id)}), "node", values)
    for edge_id, u, v, values in edges:
        data(ET.SubElement(graph, "edge", {"id": xml_text(edge_id), "source": xml_text(u), "target": xml_text(v)}),
             "edge", values)
    return _xml_bytes(root)


def gexf_bytes(G: nx.Graph, loops: Iterable[Any] = ()) -> bytes:
    """The graph as GEXF 1.2: the ``label`` columns as the elements' labels, every other
    column as a static attribute (its id is its name), typed by the table."""
    nodes, edges = flatten_network(G, loops)
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": _XSI, "version": "1.2",
                               "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "dealgraph"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed" if G.is_directed() else "undirected",
                                          "mode": "static"})
    for scope, columns in (("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS)):
        declared = ET.SubElement(graph, "attributes", {"class": scope, "mode": "static"})
        for c in columns:
            if not c.label:
                ET.SubElement(declared, "attribute", {"id": c.name, "title": c.name, "type": GEXF_TYPES[c.type]})

    def element(parent: ET.Element, tag: str, ids: dict[str, str], columns, values: dict[str, Any]) -> None:
        labels = {c.name for c in columns if c.label}
        attrs = {k: xml_text(v) for k, v in ids.items()}
        attrs.update({"label": xml_text(_lexical(values[n])) for n in labels if n in values})
        el = ET.SubElement(parent, tag, attrs)
        rest = [(n, v) for n, v in values.items() if n not in labels]
        if rest:
            attvalues = ET.SubElement(el, "attvalues")
            for name, value in rest:
                ET.SubElement(attvalues, "attvalue", {"for": name, "value": xml_text(_lexical(value))})

    parent = ET.SubElement(graph, "nodes")
    for node_id, values in nodes:
        element(parent, "node", {"id": node_id}, NODE_COLUMNS, values)
    parent = ET.SubElement(graph, "edges")
    for edge_id, u, v, values in edges:
        element(parent, "edge", {"id": edge_id, "source": u, "target": v}, EDGE_COLUMNS, values)
    return _xml_bytes(root)


#: The CSV files' structural columns. Kumu reads an element sheet whose first column is ``ID``
#: (or ``Label``) and a connection sheet of ``ID``, ``From``, ``To``, matching ``From`` and
#: ``To`` against the elements' IDs; Flourish and Cytoscape let you pick any columns.
CSV_NODE_ID, CSV_EDGE_ENDS, CSV_LABEL = "ID", ("From", "To"), "Label"


def csv_header(columns: tuple[Column, ...], *, edges: bool) -> list[str]:
    """The header row of the nodes (``edges=False``) or the edges file."""
    return [CSV_NODE_ID, *(CSV_EDGE_ENDS if edges else ()), *(CSV_LABEL if c.label else c.name for c in columns)]


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The two files a CSV export to ``path`` writes: ``FILE.nodes.csv`` and ``FILE.edges.csv``
    beside it (a final ``.csv`` on ``path`` is dropped: ``deals.csv`` gives ``deals.nodes.csv``)."""
    path = Path(path)
    stem = path.name[:-4] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}.nodes.csv"), path.with_name(f"{stem}.edges.csv")


def _csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # RFC 4180: comma, CRLF, fields quoted when they hold , " CR or LF
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_bytes(G: nx.Graph, loops: Iterable[Any] = ()) -> tuple[bytes, bytes]:
    """The nodes file and the edges file: UTF-8 (no byte order mark), a header row, one row per
    node or edge; an empty cell is no value."""
    nodes, edges = flatten_network(G, loops)

    def cells(columns: tuple[Column, ...], values: dict[str, Any]) -> list[str]:
        return [csv_text(_lexical(values[c.name])) if c.name in values else "" for c in columns]

    return (_csv_bytes(csv_header(NODE_COLUMNS, edges=False),
                       ([csv_text(n), *cells(NODE_COLUMNS, values)] for n, values in nodes)),
            _csv_bytes(csv_header(EDGE_COLUMNS, edges=True),
                       ([csv_text(i), csv_text(u), csv_text(v), *cells(EDGE_COLUMNS, values)]
                        for i, u, v, values in edges)))


def _write_atomically(contents: dict[Path, bytes]) -> list[Path]:
    """Write each file to ``.NAME.part`` beside it, then, once all are written, rename each
    over its target: a write that fails touches no target. The temporary files are removed on
    any failure."""
    temps: dict[Path, Path] = {}
    try:
        for path, data in contents.items():
            temps[path] = tmp = path.with_name(f".{path.name}.part")
            tmp.write_bytes(data)
        for path, tmp in temps.items():
            tmp.replace(path)
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    return list(contents)


def write_graphml(G: nx.Graph, path: str | Path, loops: Iterable[Any] = ()) -> Path:
    """Write :func:`graphml_bytes` to ``path``, atomically."""
    return _write_atomically({Path(path): graphml_bytes(G, loops)})[0]


def write_gexf(G: nx.Graph, path: str | Path, loops: Iterable[Any] = ()) -> Path:
    """Write :func:`gexf_bytes` to ``path``, atomically."""
    return _write_atomically({Path(path): gexf_bytes(G, loops)})[0]


def write_csv(G: nx.Graph, path: str | Path, loops: Iterable[Any] = ()) -> tuple[Path, Path]:
    """Write :func:`csv_bytes` to the two files of :func:`csv_paths`; returns their paths."""
    nodes, edges = csv_paths(path)
    written = _write_atomically(dict(zip((nodes, edges), csv_bytes(G, loops))))
    return written[0], written[1]


def write_network(G: nx.Graph, path: str | Path, fmt: str, *, loops: Iterable[Any] = ()) -> list[Path]:
    """Write ``G`` for network tools in ``fmt`` (one of :data:`NETWORK_FORMATS`); returns the
    files written (for ``csv``, the nodes file and the edges file).

    Raises ValueError for an unknown format, OSError when a file cannot be written.
    """
    loops = list(loops)
    if fmt == "graphml":
        return [write_graphml(G, path, loops)]
    if fmt == "gexf":
        return [write_gexf(G, path, loops)]
    if fmt == "csv":
        return list(write_csv(G, path, loops))
    raise ValueError(f"unknown network format {fmt!r} (one of {', '.join(NETWORK_FORMATS)})")
