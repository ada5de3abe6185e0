"""The money-flow graph exported for network tools: GraphML, GEXF and CSV (dealgraph/network.py).

Each format is read back by networkx (``read_graphml``, ``read_gexf``, the csv module) and
GraphML by a second reader, python-igraph (libxml2 underneath); the counts are those of
``money_flows(layers=("flow", "holding"))``, attributes come back typed by the one table, and
hostile text comes back as text: XML stays well-formed whatever a name holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealgraph.analysis import find_loops
from dealgraph.cli import app
from dealgraph.errors import DealGraphError
from dealgraph.network import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    NETWORK_FORMATS,
    csv_header,
    csv_paths,
    csv_text,
    flatten_network,
    write_network,
    xml_text,
)

igraph = pytest.importorskip("igraph")

SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
BACKSTOP = "nvidia-coreweave-capacity-backstop"
TYPES = {"string": str, "double": float, "int": int, "boolean": bool}


# -- readers: each file back into (nodes {id: attrs}, edges {(source, target, deal): attrs}) ----


def read_networkx(path: Path, fmt: str) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    G = nx.read_gexf(path)
    return G if G.is_multigraph() else nx.MultiDiGraph(G)


def parse_cell(text: str, type_: str):
    if type_ == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    return TYPES[type_](text)


def read_csv_pair(path: Path) -> tuple[list[dict], list[dict]]:
    """Both CSV files as rows of typed values (empty cells left out), checking the bytes: UTF-8
    without a byte order mark, CRLF line ends, the header the table says."""
    out = []
    for file, columns, edges in zip(csv_paths(path), (NODE_COLUMNS, EDGE_COLUMNS), (False, True)):
        raw = file.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
        assert text.endswith("\r\n")
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        assert header == csv_header(columns, edges=edges)
        types = {("Label" if c.label else c.name): c.type for c in columns}
        out.append([{k: (parse_cell(v, types[k]) if k in types else v) for k, v in zip(header, row) if v != ""}
                    for row in rows])
    return out[0], out[1]


def as_networkx_csv(path: Path) -> nx.MultiDiGraph:
    """The CSV pair as a MultiDiGraph keyed like the others (label columns under their names)."""
    nodes, edges = read_csv_pair(path)
    G = nx.MultiDiGraph()
    for row in nodes:
        G.add_node(row.pop("ID"), **{("name" if k == "Label" else k): v for k, v in row.items()})
    for row in edges:
        G.add_edge(row.pop("From"), row.pop("To"), key=row.pop("ID"),
                   **{("label" if k == "Label" else k): v for k, v in row.items()})
    return G


def read_back(path: Path, fmt: str) -> nx.MultiDiGraph:
    return as_networkx_csv(path) if fmt == "csv" else read_networkx(path, fmt)


def output_path(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / ("deals" if fmt == "csv" else f"deals.{fmt}")


def written_files(path: Path, fmt: str) -> list[Path]:
    return list(csv_paths(path)) if fmt == "csv" else [path]


def node_name(G: nx.Graph, n, fmt: str):
    """The company's name: GEXF holds it as the node's label."""
    return G.nodes[n].get("label" if fmt == "gexf" else "name")


def edge_label(data: dict):
    return data.get("label")


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flows(memory_graph) -> nx.MultiDiGraph:
    """The graph the export writes: both layers, with claims and former roles."""
    memory_graph._read(timeline=True)
    return memory_graph.money_flows(layers=("flow", "holding"))


@pytest.fixture(scope="module")
def exported(memory_graph, tmp_path_factory) -> dict[str, Path]:
    """The seeds exported once per format through the API."""
    folder = tmp_path_factory.mktemp("network")
    out = {}
    for fmt in NETWORK_FORMATS:
        path = output_path(folder, fmt)
        returned = memory_graph.export(path, fmt)
        assert returned == written_files(path, fmt)[-1]
        out[fmt] = path
    assert not list(folder.glob(".*.part"))  # every temporary file was renamed
    return out


# -- the seeds, in every format -------------------------------------------------------------


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_every_company_and_deal_comes_back(exported, flows, fmt):
    G = read_back(exported[fmt], fmt)
    assert G.number_of_nodes() == flows.number_of_nodes() == 6
    assert G.number_of_edges() == flows.number_of_edges() == 16
    assert set(G.nodes) == set(flows.nodes)
    assert {(u, v, d["deal"]) for u, v, d in G.edges(data=True)} == \
           {(u, v, k) for u, v, k in flows.edges(keys=True)}
    assert {d["layer"] for *_, d in G.edges(data=True)} == {"flow", "holding"}


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_the_backstop_reads_back_as_the_seeds_say(exported, fmt):
    G = read_back(exported[fmt], fmt)
    (u, v, data), = [(u, v, d) for u, v, d in G.edges(data=True) if d["deal"] == BACKSTOP]
    # 004: CoreWeave "ha già stipulato un contratto da 6,3 miliardi di dollari, assicurando la
    # vendita di tutte le capacità cloud non vendute ai clienti fino all'aprile 2032"; the buyer,
    # unnamed, is held to be Nvidia (the deal's `inferred`)
    assert (node_name(G, u, fmt), node_name(G, v, fmt)) == ("Nvidia", "CoreWeave")
    assert data["amount"] == 6.3e9 and isinstance(data["amount"], float)
    assert data["currency"] == "USD" and data["qualifier"] == "exact"
    assert data["status"] == "signed" and data["stage"] == "committed"   # a signed backstop: committed
    assert data["until"] == "2032-04"
    assert data["kind"] == "capacity_backstop" and data["layer"] == "flow"
    assert data["sources"] == "004_9cb071e2598439fe"
    assert data["inferred"] == "backstop_buyer"
    assert data["claims"] == 1 and isinstance(data["claims"], int)
    assert "share" not in data and "date" not in data   # None is left out, never "None"
    # on one loop: Nvidia -> CoreWeave -> Nvidia (CoreWeave "ha acquistato una considerevole
    # quantità di attrezzature da NVIDIA")
    assert data["on_loop"] is True and data["loops"] == 1
    assert edge_label(data) == "6.3 bn USD commitment to buy CoreWeave's unsold cloud capacity"


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_loop_membership_of_companies_and_holdings(exported, memory_graph, fmt):
    G = read_back(exported[fmt], fmt)
    cycles = memory_graph.loops()["cycles"]
    for n in G:
        expected = sum(n in c["member_ids"] for c in cycles)
        assert G.nodes[n]["loops"] == expected and G.nodes[n]["on_loop"] is (expected > 0), n
    assert G.nodes["nvidia"]["loops"] == 4 and G.nodes["magnetar"]["on_loop"] is False
    # a stake is no money going round, even between two companies on a loop
    (stake,) = [d for *_, d in G.edges(data=True) if d["deal"] == "nvidia-coreweave-stake"]
    assert stake["layer"] == "holding" and stake["on_loop"] is False and stake["loops"] == 0
    # the equipment Nvidia sold CoreWeave closes three loops
    (equipment,) = [d for *_, d in G.edges(data=True) if d["deal"] == "coreweave-nvidia-equipment"]
    assert equipment["loops"] == 3


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_list_and_record_attributes_are_flattened_by_the_table(exported, fmt):
    G = read_back(exported[fmt], fmt)
    coreweave = G.nodes["coreweave"]
    assert node_name(G, "coreweave", fmt) == "CoreWeave"
    assert "AI-Hyperscaler" in json.loads(coreweave["aliases"])
    assert coreweave["boundary_input"] == 1.5e9    # the IPO's 1.5 bn USD raised (003)
    (former,) = json.loads(G.nodes["microsoft"]["former_roles"])
    assert former["deal"] == "coreweave-capacity-option-2025" and former["ended_by"] == "withdrawn"
    (option,) = [d for *_, d in G.edges(data=True) if d["deal"] == "coreweave-capacity-option-2025"]
    assert option["sources"].split("; ") == ["000_59ef7ef0d81b026c", "001_b5cf80015326deb3", "002_3b40e35e9b637772"]
    shares = sorted(d["share"] for *_, d in G.edges(data=True) if "share" in d)
    assert shares == [0.05, 0.15, 0.62]  # CoreWeave's revenue: Nvidia 15 %, Microsoft 62 %; Magnetar's stake


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_values_have_the_type_the_table_says(exported, fmt):
    G = read_back(exported[fmt], fmt)
    for columns, items in ((NODE_COLUMNS, [d for _, d in G.nodes(data=True)]),
                           (EDGE_COLUMNS, [d for *_, d in G.edges(data=True)])):
        types = {c.name: TYPES[c.type] for c in columns}
        for data in items:
            for name, value in data.items():
                if name in types:
                    assert type(value) is types[name], (name, value)
                    assert value != "None"


def test_graphml_and_gexf_declare_the_tables_types(exported):
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(exported["graphml"]).getroot().findall("g:key", ns)
    declared = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    expected = {("node", c.name): {"int": "int"}.get(c.type, c.type) for c in NODE_COLUMNS}
    expected |= {("edge", c.name): c.type for c in EDGE_COLUMNS}
    assert declared == expected
    ns = {"x": "http://www.gexf.net/1.2draft"}
    gexf = ET.parse(exported["gexf"]).getroot()
    for scope, columns in (("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS)):
        (block,) = gexf.findall(f"x:graph/x:attributes[@class='{scope}']", ns)
        assert {a.get("title"): a.get("type") for a in block} == \
               {c.name: {"int": "integer"}.get(c.type, c.type) for c in columns if not c.label}


def test_graphml_reads_back_with_igraph(exported, flows):
    g = igraph.Graph.Read_GraphML(str(exported["graphml"]))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (flows.number_of_nodes(), flows.number_of_edges())
    names = g.vs["name"]
    (edge,) = [e for e in g.es if e["deal"] == BACKSTOP]
    assert (names[edge.source], names[edge.target]) == ("Nvidia", "CoreWeave")
    assert edge["amount"] == 6.3e9 and edge["on_loop"] is True and edge["stage"] == "committed"
    assert edge["sources"] == "004_9cb071e2598439fe"
    assert sorted(g.vs["loops"]) == [0.0, 0.0, 2.0, 3.0, 4.0, 4.0]  # igraph holds numbers as floats
    assert {e["layer"] for e in g.es} == {"flow", "holding"}


def test_the_table_covers_every_attribute_of_the_graph(flows):
    """An attribute flows.py adds must be given a type and a flattening here, or it is lost."""
    assert {k for _, d in flows.nodes(data=True) for k in d} <= {c.name for c in NODE_COLUMNS}
    assert {k for *_, d in flows.edges(data=True) for k in d} <= {c.name for c in EDGE_COLUMNS}


def test_loops_as_records_or_as_the_loops_json(memory_graph, flows):
    records = find_loops(memory_graph.money_flows(with_claims=False)).cycles
    assert flatten_network(flows, records) == flatten_network(flows, memory_graph.loops()["cycles"])


def test_csv_is_what_kumu_reads(exported):
    nodes, edges = read_csv_pair(exported["csv"])
    header = next(csv.reader(io.StringIO(csv_paths(exported["csv"])[1].read_text(encoding="utf-8"))))
    assert header[:4] == ["ID", "From", "To", "deal"]
    node_ids = {row["ID"] for row in nodes}
    assert all(row["From"] in node_ids and row["To"] in node_ids for row in edges)
    assert len({row["ID"] for row in edges}) == len(edges)


# -- through the command --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_the_command_writes_each_format(cli_store, tmp_path, fmt):
    out = output_path(tmp_path, fmt)
    result = CliRunner().invoke(app, ["export", "--format", fmt, "-o", str(out), "--store", str(cli_store)])
    assert result.exit_code == 0, result.output
    files = written_files(out, fmt)
    assert result.stdout.splitlines() == [f"Wrote {f}" for f in files]
    G = read_back(out, fmt)
    assert (G.number_of_nodes(), G.number_of_edges()) == (6, 16)


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_the_same_graph_gives_the_same_bytes(memory_graph, exported, tmp_path, fmt):
    """No date, no counter: a re-export of the same build diffs empty."""
    again = memory_graph.export(output_path(tmp_path, fmt), fmt)
    assert [f.read_bytes() for f in written_files(again.parent / exported[fmt].name, fmt)] == \
           [f.read_bytes() for f in written_files(exported[fmt], fmt)]


def test_a_csv_name_keeps_one_csv_suffix(tmp_path):
    assert csv_paths(tmp_path / "deals.csv") == (tmp_path / "deals.nodes.csv", tmp_path / "deals.edges.csv")


def test_an_unwritable_place_fails_cleanly_and_leaves_nothing(memory_graph, tmp_path):
    for fmt in NETWORK_FORMATS:
        with pytest.raises(DealGraphError, match="cannot write"):
            memory_graph.export(tmp_path / "missing" / "deals", fmt)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_csv_write_leaves_the_old_files(tmp_path, monkeypatch):
    import dealgraph.network as network

    G = nx.MultiDiGraph([("a", "b", {"deal": "d"})])
    nodes, edges = write_network(G, tmp_path / "x", "csv")
    before = (nodes.read_bytes(), edges.read_bytes())
    real = Path.write_bytes

    def fail_on_edges(self, data):
        if "edges" in self.name:
            raise OSError("disk full")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_edges)
    G.add_edge("b", "a", deal="e")
    with pytest.raises(OSError, match="disk full"):
        network.write_network(G, tmp_path / "x", "csv")
    assert (nodes.read_bytes(), edges.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.edges.csv", "x.nodes.csv"]


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown network format"):
        write_network(nx.MultiDiGraph(), tmp_path / "x", "dot")


# -- nothing known, hostile text --------------------------------------------------------------


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_an_edge_with_every_attribute_none(tmp_path, fmt):
    G = nx.MultiDiGraph()
    G.add_node("a", **{c.name: None for c in NODE_COLUMNS})
    G.add_node("b")
    G.add_edge("a", "b", key="d", **{c.name: None for c in EDGE_COLUMNS})
    path = output_path(tmp_path, fmt)
    write_network(G, path, fmt)
    for file in written_files(path, fmt):
        assert b"None" not in file.read_bytes()
    R = read_back(path, fmt)
    ((u, v, data),) = R.edges(data=True)
    assert (u, v) == ("a", "b")
    # only what the loops say is known of it; GEXF adds its own edge id
    assert {k: value for k, value in data.items() if k != "id"} == {"on_loop": False, "loops": 0}
    # networkx reads a GEXF node without a label as label None
    assert dict(R.nodes["a"]) == {"on_loop": False, "loops": 0} | ({"label": None} if fmt == "gexf" else {})


HOSTILE = [
    '<script>alert("x")</script>',
    "AT&T; \"quoted\" 'single' ]]> <!-- not a comment --> &amp;",
    "line one\nline two\r\nthree\rfour\tfive",
    "bell\x07 nul\x00 esc\x1b[31m vt\x0b ff\x0c unit\x1f del\x7f c1\x9b",
    "\ufffe\uffff lone \ud800 surrogate",
    "  spaces around  ",
    "=HYPERLINK(\"http://x\")",
    "🙂 émoji, 中文, עברית\u202e",
]


def hostile_graph(text: str) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node(f"n:{text}", name=text, aliases=[text, "plain"])
    G.add_node("m", name="plain")
    G.add_edge(f"n:{text}", "m", key=f"d:{text}", deal=f"d:{text}", label=text, kind=text, sources=[text])
    return G


def check_hostile(tmp_path: Path, text: str) -> None:
    G = hostile_graph(text)
    node, edge = f"n:{text}", f"d:{text}"
    for fmt in NETWORK_FORMATS:
        path = output_path(tmp_path, fmt)
        write_network(G, path, fmt)
        safe = csv_text if fmt == "csv" else xml_text
        if fmt != "csv":
            ET.fromstring(path.read_bytes())  # well-formed XML 1.0, whatever the text holds
        R = read_back(path, fmt)
        assert set(R.nodes) == {safe(node), "m"}
        ((u, v, data),) = R.edges(data=True)
        assert (u, v, data["deal"]) == (safe(node), "m", safe(edge))
        expected = safe(text) or None  # empty text is left out
        assert node_name(R, safe(node), fmt) == expected
        # JSON text escapes what XML cannot hold but lone surrogates, and those our \\u escapes
        # spell as JSON does: the aliases come back exactly (a surrogate *pair* of two code points
        # comes back as the one character it spells)
        aliases = json.loads(R.nodes[safe(node)]["aliases"])
        assert aliases == json.loads(safe(json.dumps([text, "plain"], ensure_ascii=False)))
        if not SURROGATE_PAIR.search(text):
            assert aliases == [text, "plain"]
        assert edge_label(data) == expected and data.get("kind") == expected and data.get("sources") == expected
    g = igraph.Graph.Read_GraphML(str(output_path(tmp_path, "graphml")))
    assert g.vs["name"] == [xml_text(text), "plain"]
    assert g.es["label"] == [xml_text(text)]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_comes_back_as_text(tmp_path, text):
    check_hostile(tmp_path, text)


def test_control_characters_are_written_as_u_escapes_in_xml(tmp_path):
    assert xml_text("a\x00b\x1fc\ud800\ufffe\t\n\r") == "a\\u0000b\\u001Fc\\uD800\\uFFFE\t\n\r"
    assert csv_text("a\x00\ud800") == "a\x00\\uD800"
    write_network(hostile_graph("x\x01\ry"), tmp_path / "g.graphml", "graphml")
    raw = (tmp_path / "g.graphml").read_bytes()
    assert b"x\\u0001&#13;y" in raw and b"\x01" not in raw and b"\r" not in raw


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.one_of(st.characters(codec=None, exclude_categories=()),  # any code point
                              st.sampled_from("\x00\x01\x1f\t\n\r\ud800\udc00\ufffe\uffff<>&\"';] \\u")),
                    max_size=20))
def test_generated_text_comes_back_as_text(tmp_path, text):
    check_hostile(tmp_path, text)
