"""The interactive page (dealgraph.view): HTML checks, then real-browser checks in Chromium.

The browser tests open the page from disk in Debian's Chromium through Playwright, with every
request that is not ``file:`` aborted and recorded, so they prove the page works offline.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import networkx as nx
import pytest

from dealgraph.kinds import CUMULATIVE_STAGES, DEAL_KINDS
from dealgraph.kinds import CUMULATIVE_STAGE_LABELS
from dealgraph.view import ANNOUNCED_OPACITY, LOOP_COLOR, render_view


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

EVIL_NAME = "<script>alert(1)</script>"
EVIL_ALIAS = '<a href="javascript:window.__pwned=1">click</a></script><script>window.__pwned=1</script>'
EVIL_QUOTE = "<img src=x onerror=alert(1)><img src=y onerror=\"window.__pwned=1\">"
EVIL_LABEL = "<svg onload=window.__pwned=1></svg><b>bold?</b>"
NV_QUOTE = ("NVIDIA intends to invest up to $100 billion in OpenAI progressively "
            "as each gigawatt is deployed.")


def _claim(document, quote, modality="announced", speaker=None, language="en"):
    return {"document": document, "quote": quote, "language": language,
            "modality": modality, "speaker": speaker}


def _deal(G, u, v, deal, kind, label, amount=None, *, qualifier=None, share=None,
          share_qualifier=None, date="2025-09-22", claims=(), status="announced", **extra):
    """A deal edge as flows.project makes one; ``stage`` is set only when given (a graph built
    by hand may carry none)."""
    if "stage" in extra:
        extra["attrs"] = {"stage": extra.pop("stage")}
    G.add_edge(u, v, key=deal, deal=deal, kind=kind, label=label, amount=amount,
               amount_low=extra.pop("amount_low", None), amount_high=extra.pop("amount_high", None),
               currency="USD", qualifier=qualifier, share=share, share_qualifier=share_qualifier,
               date=date, until=extra.pop("until", None), period=extra.pop("period", None), status=status,
               sources=[c["document"] for c in claims], claims=list(claims), **extra.pop("attrs", {}))
    assert not extra, extra


def small_graph() -> tuple[nx.MultiDiGraph, list[list[str]]]:
    """Four companies whose deals make a loop, one equity stake, one unknown amount, quotes.
    Every deal has its commitment stage but the GPU purchase, which has none."""
    G = nx.MultiDiGraph()
    G.add_node("nvidia", name="NVIDIA", aliases=["Nvidia Corporation", "NVDA"])
    G.add_node("openai", name="OpenAI", aliases=["OpenAI Global LLC"])
    G.add_node("coreweave", name="CoreWeave", aliases=["CoreWeave, Inc."])
    G.add_node("microsoft", name="Microsoft", aliases=["MSFT"])
    G.add_node("evil", name=EVIL_NAME, aliases=[EVIL_ALIAS])
    _deal(G, "nvidia", "openai", "nv-oai-2025", "equity_investment",
          "NVIDIA invests in OpenAI as each gigawatt is deployed", 100e9, qualifier="up_to",
          claims=[_claim("doc-nvidia-pr-2025-09-22", NV_QUOTE, speaker="Jensen Huang")], stage="announced")
    _deal(G, "openai", "coreweave", "oai-cw-2025-03", "compute_contract",
          "OpenAI compute contract with CoreWeave", 11.9e9, qualifier="about",
          date="2025-03-10", until="2030",
          claims=[_claim("doc-cw-s1", "OpenAI agreed to pay CoreWeave up to $11.9 billion.",
                         modality="reported"),
                  _claim("doc-evil", EVIL_QUOTE, modality="rumoured", speaker=EVIL_NAME)],
          status="signed", stage="committed")
    _deal(G, "coreweave", "nvidia", "cw-nv-gpus", "hardware_purchase",
          "CoreWeave buys NVIDIA GPUs", None, period="2023/2025", status=None)
    _deal(G, "nvidia", "coreweave", "nv-cw-stake", "equity_stake",
          "NVIDIA holds a stake in CoreWeave", None, share=0.07, status="active", stage="realised")
    _deal(G, "nvidia", "coreweave", "nv-cw-backstop", "capacity_backstop",
          "NVIDIA buys CoreWeave's unsold capacity", 6.3e9, date="2025-09-15", until="2032-04",
          status="signed", stage="committed")
    _deal(G, "microsoft", "openai", "ms-oai-2023", "equity_investment",
          "Microsoft invests in OpenAI", 13e9, qualifier="about", date="2023-01",
          status="active", stage="realised")
    _deal(G, "openai", "microsoft", "oai-ms-azure", "compute_contract",
          "OpenAI commits to buy Azure services", 250e9, date="2025-10-28", status="signed",
          stage="committed")
    _deal(G, "microsoft", "coreweave", "ms-cw", "compute_contract",
          "Microsoft rents capacity from CoreWeave", 10e9, qualifier="about", date="2024",
          status="active", stage="committed")
    _deal(G, "evil", "openai", "evil-loan", "loan", EVIL_LABEL, 1e9,
          claims=[_claim("doc-<b>x</b>", EVIL_QUOTE, modality="<i>m</i>")], stage="announced")
    loops = [["nvidia", "openai", "coreweave"], ["microsoft", "openai"]]
    return G, loops


LOOP_DEALS = {"nv-oai-2025", "oai-cw-2025-03", "cw-nv-gpus", "ms-oai-2023", "oai-ms-azure"}
STAGE_OF = {"nv-oai-2025": "announced", "oai-cw-2025-03": "committed", "cw-nv-gpus": None,
            "nv-cw-stake": "realised", "nv-cw-backstop": "committed", "ms-oai-2023": "realised",
            "oai-ms-azure": "committed", "ms-cw": "committed", "evil-loan": "announced"}


# --------------------------------------------------------------------------------------------
# The HTML string


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster") and value:
                self.refs.append((tag, name, value))


def _dataset(page: str, name: str) -> list[dict]:
    m = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);\n", page, re.S)
    assert m, f"no {name} DataSet in the page"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def page_html() -> str:
    G, loops = small_graph()
    return render_view(G, loops=loops, title="AI deals <script>window.__pwned=1</script>")


def test_no_external_resources(page_html):
    p = _Tags()
    p.feed(page_html)
    external = [r for r in p.refs if re.match(r"\s*(https?:)?//", r[2], re.I)]
    assert external == []
    assert "cdn.jsdelivr.net" not in page_html and "cdnjs.cloudflare.com" not in page_html
    assert "bootstrap" not in page_html.lower()
    assert page_html.startswith("<!DOCTYPE html>")


def test_one_node_per_company_one_edge_per_deal(page_html):
    G, _ = small_graph()
    nodes = _dataset(page_html, "nodes")
    edges = _dataset(page_html, "edges")
    assert sorted(n["id"] for n in nodes) == sorted(G.nodes)
    assert sorted(e["id"] for e in edges) == sorted(k for _, _, k in G.edges(keys=True))
    by_id = {e["id"]: e for e in edges}
    assert by_id["nv-oai-2025"]["from"] == "nvidia" and by_id["nv-oai-2025"]["to"] == "openai"
    # positions are precomputed and physics is off, so the page is settled when drawn
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert '"physics": {"enabled": false' in page_html


def test_data_strings_are_escaped(page_html):
    for raw in (EVIL_NAME, "<img src=x", "<svg onload", "window.__pwned=1</script>",
                '<a href="javascript'):
        assert raw not in page_html
    nodes = {n["id"]: n for n in _dataset(page_html, "nodes")}
    edges = {e["id"]: e for e in _dataset(page_html, "edges")}
    assert nodes["evil"]["label"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in nodes["evil"]["title"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in edges["oai-cw-2025-03"]["title"]
    assert "&lt;svg onload" in edges["evil-loan"]["title"]
    assert "<title>AI deals &lt;script&gt;" in page_html
    # pyvis switches to an innerHTML tooltip template when a node title contains "href"
    assert not any("href" in n["title"] for n in nodes.values())
    assert "popup.innerHTML" not in page_html


def test_tooltip_content(page_html):
    edges = {e["id"]: e for e in _dataset(page_html, "edges")}
    t = edges["nv-oai-2025"]["title"]
    assert "up to 100 bn USD" in t and "Equity investment" in t
    assert "doc-nvidia-pr-2025-09-22" in t and "announced" in t and "Jensen Huang" in t
    assert "invest up to $100 billion in OpenAI" in t
    assert "7 % of ownership" in edges["nv-cw-stake"]["title"]
    assert "amount unknown" in edges["cw-nv-gpus"]["title"]
    assert "2023/2025" in edges["cw-nv-gpus"]["title"]
    nodes = {n["id"]: n for n in _dataset(page_html, "nodes")}
    assert "Nvidia Corporation" in nodes["nvidia"]["title"]
    assert "Money in" in nodes["openai"]["title"] and "114 bn USD" in nodes["openai"]["title"]


def test_styles_loops_stakes_unknown_amounts(page_html):
    edges = {e["id"]: e for e in _dataset(page_html, "edges")}
    nodes = {n["id"]: n for n in _dataset(page_html, "nodes")}
    for eid, e in edges.items():
        assert e["on_loop"] == (eid in LOOP_DEALS), eid
        assert (e["color"]["color"] == LOOP_COLOR) == (eid in LOOP_DEALS), eid
    assert edges["nv-cw-stake"]["dashes"] == [10, 6]
    assert edges["nv-cw-backstop"]["dashes"] is False
    assert edges["cw-nv-gpus"]["dashes"] == [2, 4]      # amount unknown (and on a loop)
    assert edges["nv-cw-stake"]["width"] < 2            # no amount: thin
    assert edges["oai-ms-azure"]["width"] > edges["ms-cw"]["width"]
    assert edges["nv-cw-backstop"]["color"]["color"] == DEAL_KINDS["capacity_backstop"].colour
    assert nodes["nvidia"]["on_loop"] and not nodes["evil"]["on_loop"]
    assert nodes["microsoft"]["size"] > nodes["openai"]["size"] > nodes["evil"]["size"]
    assert 'class="dg-legend"' in page_html and "Equity stake" in page_html
    assert "Money loop" in page_html


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="dg-data">(.*?)</script>', page, re.S)
    assert m, "no dg-data in the page"
    return json.loads(m.group(1))


def test_edges_carry_their_stage(page_html):
    edges = {e["id"]: e for e in _dataset(page_html, "edges")}
    assert {eid: e["stage"] for eid, e in edges.items()} == STAGE_OF
    for eid, stage in STAGE_OF.items():
        title = edges[eid]["title"]
        if stage is None:      # a deal built without a stage says nothing about one
            assert "<th>Stage</th>" not in title, eid
        else:
            assert f"<tr><th>Stage</th><td>{stage}</td></tr>" in title, eid


def test_announced_deals_are_faded_and_keep_their_pattern():
    G, loops = small_graph()
    _deal(G, "nvidia", "openai", "nv-oai-stake", "equity_stake", "NVIDIA to hold a stake", stage="announced")
    _deal(G, "openai", "nvidia", "oai-nv-chips", "hardware_purchase", "OpenAI to buy chips", stage="announced")
    page = render_view(G, loops=loops)
    edges = {e["id"]: e for e in _dataset(page, "edges")}
    # the pattern says holding / unknown amount, as for any deal; the opacity says announced
    assert edges["nv-oai-stake"]["dashes"] == [10, 6]
    assert edges["oai-nv-chips"]["dashes"] == [2, 4]
    assert edges["evil-loan"]["dashes"] is False
    for eid in ("nv-oai-stake", "oai-nv-chips", "evil-loan", "nv-oai-2025"):  # the last one on a loop
        assert edges[eid]["color"]["opacity"] == ANNOUNCED_OPACITY, eid
        assert "font" in edges[eid], eid            # its label is written lighter too
    assert edges["nv-oai-2025"]["color"]["color"] == LOOP_COLOR
    for eid in ("oai-ms-azure", "nv-cw-backstop", "nv-cw-stake"):
        assert edges[eid]["color"]["opacity"] == 1.0 and "font" not in edges[eid], eid
    assert edges["cw-nv-gpus"]["color"]["opacity"] == 1.0           # on a loop, no stage
    assert edges["nv-cw-stake"]["dashes"] == [10, 6]
    assert "only: plans, letters of intent" in page                  # the legend says so


def test_stage_filter_in_the_header(page_html):
    head = page_html[page_html.index('<header class="dg-head">'):page_html.index("</header>")]
    radios = re.findall(r'<input type="radio" name="dg-stage" value="([^"]*)"( checked)?>([^<]*)</label>', head)
    assert [value for value, _, _ in radios] == list(CUMULATIVE_STAGES)
    assert [label for _, _, label in radios] == [CUMULATIVE_STAGE_LABELS[k] for k in CUMULATIVE_STAGES]
    assert [value for value, checked, _ in radios if checked] == ["all"]
    assert "realised + committed" in head and "all (with announced plans)" in head
    assert '<span data-dg-count="deals">9</span> deals' in head
    assert '<span data-dg-count="loops">2</span> money loops' in head


def _counts_note(page: str) -> str:
    m = re.search(r'<p class="dg-why" id="dg-counts">(.*?)</p>', page, re.S)
    assert m, "no counts note in the header"
    return m.group(1)


def test_the_header_says_what_its_counts_count(page_html):
    """Issue 12, item 5: the deals table, the view and the report count deals differently; the
    header says what it draws and what it does not, as the report's summary does."""
    from dealgraph.formatting import kind_label
    from dealgraph.view import UNDRAWN_KINDS

    note = _counts_note(page_html)
    # small_graph: 9 deals, one of them an equity stake
    assert note.startswith("9 deals drawn: 8 money flows and 1 equity holding (ownership, not money: never on "
                           "a loop). Deals not drawn: they move no money between two companies of the graph (")
    assert note.endswith("), or were withdrawn.")
    assert all(kind_label(k).lower() in note for k in UNDRAWN_KINDS)


@pytest.mark.parametrize("on_record, words", [
    (12, "3 of the 12 deals on record are not drawn: they move no money between two companies"),
    (9, "9 deals drawn: 8 money flows and 1 equity holding (ownership, not money: never on a loop), every deal "
        "on record."),
])
def test_the_header_counts_the_deals_on_record(on_record, words):
    G, loops = small_graph()
    assert words in _counts_note(render_view(G, loops=loops, deals_on_record=on_record))


def test_undrawn_kinds_are_those_the_projection_draws_no_edge_for():
    from dealgraph.view import UNDRAWN_KINDS

    assert set(UNDRAWN_KINDS) == {"ipo", "infrastructure_partnership", "spending_commitment"}
    for name, kind in DEAL_KINDS.items():
        assert (name in UNDRAWN_KINDS) == (kind.layer is None or kind.flow_from is None or kind.flow_to is None)


def test_the_counts_note_is_true_of_the_seeds(memory_graph):
    """On the seeds: 19 deals on record, 16 drawn (14 money flows, 2 holdings, the report's
    numbers), and the 3 others are exactly the deals of an undrawn kind or withdrawn."""
    from dealgraph.view import UNDRAWN_KINDS

    r = memory_graph.report()
    held = r["holds"]
    flows, holdings = held["flow_edges"], len(r["holdings"])
    note = _counts_note(render_view(memory_graph.money_flows(layers=("flow", "holding")),
                                    deals_on_record=held["deals"]))
    assert note.startswith(f"{flows + holdings} deals drawn: {flows} money flows and {holdings} equity holdings")
    undrawn = [d for d in memory_graph.deals() if d["kind"] in UNDRAWN_KINDS or d["status"] == "withdrawn"]
    assert len(undrawn) == held["deals"] - flows - holdings == 3
    assert f"3 of the {held['deals']} deals on record are not drawn" in note


def test_every_cumulative_stage_has_a_label():
    from dealgraph.kinds import STAGES
    from dealgraph.view import ANNOUNCED, DEFAULT_STAGE_FILTER

    assert set(CUMULATIVE_STAGE_LABELS) == set(CUMULATIVE_STAGES)
    assert DEFAULT_STAGE_FILTER in CUMULATIVE_STAGES and ANNOUNCED in STAGES
    assert CUMULATIVE_STAGES[DEFAULT_STAGE_FILTER] == STAGES      # the page opens with everything


def test_page_data_for_the_filters(page_html):
    data = _page_data(page_html)
    assert data["stages"] == {k: list(v) for k, v in CUMULATIVE_STAGES.items()}
    assert [sorted(loop["nodes"]) for loop in data["loops"]] == [
        ["coreweave", "nvidia", "openai"], ["microsoft", "openai"]]
    assert data["loops"][1]["hops"] == [["ms-oai-2023"], ["oai-ms-azure"]]
    edges = {e["id"]: e for e in _dataset(page_html, "edges")}
    # an edge on a loop carries its look for when no loop through it is shown
    plain = edges["ms-oai-2023"]["loop_off"]
    assert plain["color"]["color"] == DEAL_KINDS["equity_investment"].colour
    assert plain["width"] < edges["ms-oai-2023"]["width"]
    nodes = {n["id"]: n for n in _dataset(page_html, "nodes")}
    assert nodes["openai"]["loop_off"]["color"]["border"] != LOOP_COLOR
    assert "loop_off" not in nodes["evil"] and "loop_off" not in edges["ms-cw"]


def test_page_data_is_safe_in_a_script():
    G = nx.MultiDiGraph()
    G.add_node("a</script><script>window.__pwned=1</script>", name="A")
    G.add_node("b", name="B")
    _deal(G, "a</script><script>window.__pwned=1</script>", "b", "x", "loan", "x", 1e9, stage="realised")
    _deal(G, "b", "a</script><script>window.__pwned=1</script>", "y", "loan", "y", 1e9, stage="realised")
    page = render_view(G, loops=[["a</script><script>window.__pwned=1</script>", "b"]])
    m = re.search(r'<script type="application/json" id="dg-data">(.*?)</script>', page, re.S)
    assert "<" not in m.group(1) and "window.__pwned" in m.group(1)
    assert json.loads(m.group(1))["loops"][0]["nodes"][0].startswith("a</script>")


def test_no_stage_filter_without_stages():
    """A graph built by hand whose deals carry no stage gets no filter that would do nothing;
    a stage the table does not know is shown under every filter, and written out escaped."""
    G = nx.MultiDiGraph()
    G.add_node("a", name="A")
    G.add_node("b", name="B")
    _deal(G, "a", "b", "a-b", "loan", "A lends to B", 1e9)
    page = render_view(G)
    assert 'name="dg-stage"' not in page and "Stage" not in _dataset(page, "edges")[0]["title"]
    _deal(G, "b", "a", "b-a", "loan", "B lends to A", 1e9, stage="<b>rumoured</b>")
    edges = {e["id"]: e for e in _dataset(render_view(G), "edges")}
    assert edges["b-a"]["stage"] is None
    assert "<td>&lt;b&gt;rumoured&lt;/b&gt;</td>" in edges["b-a"]["title"]


def test_edge_labels_say_kind_and_amount(page_html):
    labels = {e["id"]: e.get("label") for e in _dataset(page_html, "edges")}
    assert labels["oai-cw-2025-03"] == "compute ~11.9 bn USD"
    assert labels["nv-oai-2025"] == "equity ≤100 bn USD"
    assert labels["nv-cw-stake"] == "stake 7 %"          # no amount: the stated share
    assert labels["cw-nv-gpus"] == "hardware"            # amount unknown: left out


def test_nearly_keeps_its_marker():
    G = nx.MultiDiGraph()
    G.add_node("a", name="A")
    G.add_node("b", name="B")
    _deal(G, "a", "b", "a-b", "compute_contract", "A rents from B", 11.9e9, qualifier="nearly")
    _deal(G, "b", "a", "b-a", "equity_stake", "B holds a stake in A", share=0.07,
          share_qualifier="nearly")
    edges = {e["id"]: e for e in _dataset(render_view(G), "edges")}
    assert edges["a-b"]["label"] == "compute ≲11.9 bn USD"
    assert "nearly 11.9 bn USD" in edges["a-b"]["title"]
    assert edges["b-a"]["label"] == "stake ≲7 %"
    assert "nearly 7 % of ownership" in edges["b-a"]["title"]


def test_page_inlines_its_assets(page_html):
    for name in ("view.css", "view_prepare.js", "view_page.js"):
        text = files("dealgraph").joinpath("assets", name).read_text(encoding="utf-8")
        assert text.strip() and text in page_html, name
    assert "dealgraphShow(false);" in page_html
    assert f".dg-k-loan {{ background: {DEAL_KINDS['loan'].colour}; }}" in page_html


def test_import_does_not_load_pyvis():
    code = "import sys, dealgraph.view; assert 'pyvis' not in sys.modules, 'pyvis imported'"
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                       env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr


def test_page_as_a_file(tmp_path):
    G, loops = small_graph()
    out = tmp_path / "view.html"
    out.write_text(render_view(G, loops=loops), encoding="utf-8")
    assert out.exists() and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # loops default to G.graph["loops"]
    G.graph["loops"] = loops
    edges = {e["id"]: e for e in _dataset(render_view(G), "edges")}
    assert edges["cw-nv-gpus"]["on_loop"]


def test_empty_and_single_node_graphs():
    assert "new vis.DataSet([])" in render_view(nx.MultiDiGraph())
    G = nx.MultiDiGraph()
    G.add_node("solo", name="Solo")
    assert len(_dataset(render_view(G), "nodes")) == 1


def test_odd_data_renders():
    G = nx.MultiDiGraph()
    G.add_node("a", name="A & B", aliases=[])
    G.add_node("b")                                   # no name: the id is shown
    G.add_edge("a", "b", key="x", deal="dup", kind="mystery_kind", amount=float("nan"))
    G.add_edge("b", "a", key="y", deal="dup", kind="loan", amount=5e8, currency="EUR")
    G.add_edge("a", "b", key="z", kind="loan", amount=None, amount_low=1e9, amount_high=2e9)
    page = render_view(G, loops=[["a", "b"], ["nowhere"]])
    edges = {e["id"]: e for e in _dataset(page, "edges")}
    assert set(edges) == {"dup", "dup#2", "z"}        # deal ids are made unique for vis
    titles = " ".join(e["title"] for e in edges.values())
    assert "mystery kind" in titles and "500 m EUR" in titles and "1 bn–2 bn USD" in titles
    assert "nan" not in titles
    assert all(e["on_loop"] for e in edges.values())
    assert {n["label"] for n in _dataset(page, "nodes")} == {"A &amp; B", "b"}


# --------------------------------------------------------------------------------------------
# In the browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is missing (pip install playwright)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Opened:
    """A page opened from disk, offline, with everything that went wrong recorded."""

    def __init__(self, browser, path: Path):
        self.blocked: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.route("**/*", self._route)
        self.page = page = self.context.new_page()
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("dialog", self._dialog)
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.network && window.dealgraphReady === true", timeout=30000)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def hover_at(self, js_point: str):
        """Move the mouse to a canvas point given by a JS expression, return the tooltip text."""
        p = self.page.evaluate(
            "() => { const p = " + js_point + "; const d = network.canvasToDOM(p);"
            " const r = document.getElementById('mynetwork').getBoundingClientRect();"
            " return {x: r.left + d.x, y: r.top + d.y}; }")
        self.page.mouse.move(5, 5)
        self.page.mouse.move(p["x"], p["y"], steps=4)
        self.page.wait_for_function(
            "() => { const t = document.querySelector('div.vis-tooltip');"
            " return t && getComputedStyle(t).visibility === 'visible' && t.textContent; }",
            timeout=5000)
        return self.page.inner_text("div.vis-tooltip")

    def assert_clean(self):
        assert self.blocked == [], f"the page tried to load from outside: {self.blocked}"
        assert self.page_errors == []
        assert self.console_errors == []
        assert self.dialogs == []
        assert self.page.evaluate("window.__pwned") is None

    def close(self):
        self.context.close()


@pytest.fixture
def opened(browser, tmp_path):
    G, loops = small_graph()
    path = tmp_path / "view.html"
    path.write_text(render_view(G, loops=loops, title="AI deals <script>window.__pwned=1</script>"),
                    encoding="utf-8")
    o = Opened(browser, path)
    try:
        yield o
    finally:
        o.close()


@pytest.mark.browser
def test_page_draws_offline(opened, tmp_path):
    page = opened.page
    assert page.evaluate("network.body.data.nodes.length") == 5
    assert page.evaluate("network.body.data.edges.length") == 9
    assert page.evaluate("Object.keys(network.body.nodes).length") == 5
    # drawn: the canvas has non-white pixels and the view was fitted to the graph
    assert page.evaluate("""() => {
        const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 200) ink++;
        return ink; }""") > 1000
    assert page.is_visible("#dg-legend")
    shot = tmp_path / "view.png"
    page.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")
    opened.assert_clean()


@pytest.mark.browser
def test_loop_edges_are_highlighted(opened):
    colours = opened.page.evaluate(
        "() => Object.fromEntries(edges.getIds().map("
        "id => [id, network.body.edges[id].options.color.color]))")
    for eid, colour in colours.items():
        assert (colour.lower() == LOOP_COLOR) == (eid in LOOP_DEALS), eid
    widths = opened.page.evaluate(
        "() => Object.fromEntries(edges.getIds().map(id => [id, network.body.edges[id].options.width]))")
    assert min(widths[e] for e in LOOP_DEALS) >= 3.5
    ring = opened.page.evaluate("network.body.nodes['nvidia'].options.color.border")
    assert ring.lower() == LOOP_COLOR
    opened.assert_clean()


@pytest.mark.browser
def test_hovering_a_deal_shows_its_quote(opened, tmp_path):
    text = opened.hover_at("network.body.edges['nv-oai-2025'].edgeType.getPoint(0.5)")
    assert NV_QUOTE in text
    assert "up to 100 bn USD" in text and "Jensen Huang" in text and "On a money loop" in text
    # the tooltip is an element built from our markup, not a string shown with its tags
    assert "<div" not in text and "&lt;" not in text
    shot = tmp_path / "view-tooltip.png"
    opened.page.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")
    title = opened.page.evaluate("edges.get('nv-oai-2025').title.textContent")
    assert NV_QUOTE in title
    opened.assert_clean()


@pytest.mark.browser
def test_injected_markup_runs_nothing(opened):
    page = opened.page
    text = opened.hover_at("network.getPosition('evil')")
    assert EVIL_NAME in text                       # shown as text
    assert "window.__pwned=1" in text              # the alias, as text too
    text = opened.hover_at("network.body.edges['oai-cw-2025-03'].edgeType.getPoint(0.5)")
    assert "<img src=x onerror=alert(1)>" in text
    text = opened.hover_at("network.body.edges['evil-loan'].edgeType.getPoint(0.5)")
    assert "<svg onload=window.__pwned=1></svg><b>bold?</b>" in text
    assert page.evaluate("network.body.nodes['evil'].options.label") == EVIL_NAME
    page.wait_for_timeout(300)
    # nothing from data became an element
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('svg:not(.dg-ls)').length") == 0
    assert page.evaluate("document.querySelectorAll('a').length") == 0
    p = _Tags()
    p.feed(Path(page.url.removeprefix("file://")).read_text(encoding="utf-8"))
    assert page.evaluate("document.scripts.length") == p.scripts
    allowed = {"DIV", "SPAN", "B", "TABLE", "TBODY", "TR", "TH", "TD", "BLOCKQUOTE"}
    tags = page.evaluate("() => Array.from(document.querySelectorAll('div.vis-tooltip *'),"
                         " e => e.tagName)")
    assert set(tags) <= allowed
    # the title went into the page escaped
    assert page.title() == "AI deals <script>window.__pwned=1</script>"
    opened.assert_clean()


@pytest.mark.browser
def test_legend_hides_a_kind(opened):
    page = opened.page
    page.uncheck("#dg-legend input[data-kind='equity_stake']")
    assert page.evaluate("edges.get('nv-cw-stake').hidden") is True
    assert page.evaluate("!!edges.get('nv-cw-backstop').hidden") is False
    page.check("#dg-legend input[data-kind='equity_stake']")
    assert page.evaluate("edges.get('nv-cw-stake').hidden") is False
    opened.assert_clean()


def _shown(page) -> dict:
    return page.evaluate("""() => ({
        edges: network.body.data.edges.get().filter(e => !e.hidden).map(e => e.id).sort(),
        nodes: network.body.data.nodes.get().filter(n => !n.hidden).map(n => n.id).sort(),
        summary: document.getElementById('dg-summary').textContent})""")


@pytest.mark.browser
def test_stage_filter_hides_deals_companies_and_loops(opened):
    page = opened.page
    everything = _shown(page)
    page.check("#dg-stage input[value='realised']")
    shown = _shown(page)
    # realised deals, and the GPU purchase, which carries no stage: shown under every filter
    assert shown["edges"] == sorted(["nv-cw-stake", "ms-oai-2023", "cw-nv-gpus"])
    assert "evil" not in shown["nodes"] and len(shown["nodes"]) == 4   # its one deal is announced
    assert shown["summary"] == "4 of 5 companies · 3 of 9 deals · 0 of 2 money loops"
    # no loop closes on realised money: nothing is drawn in the loop colour
    colour = "id => network.body.edges[id].options.color.color.toLowerCase()"
    assert page.evaluate(f"network.body.data.edges.getIds().map({colour})").count(LOOP_COLOR) == 0
    assert page.evaluate("network.body.nodes['openai'].options.color.border").lower() != LOOP_COLOR
    assert page.inner_text("#dg-legend [data-dg-kind-count='compute_contract']") == "0 of 3"

    page.check("#dg-stage input[value='realised+committed']")
    shown = _shown(page)
    assert "nv-oai-2025" not in shown["edges"] and "evil-loan" not in shown["edges"]
    assert "oai-ms-azure" in shown["edges"] and len(shown["edges"]) == 7
    assert shown["summary"] == "4 of 5 companies · 7 of 9 deals · 1 of 2 money loops"
    # Microsoft <-> OpenAI closes with committed money; the NVIDIA loop needs the announced plan
    assert page.evaluate(f"({colour})('ms-oai-2023')") == LOOP_COLOR
    assert page.evaluate(f"({colour})('oai-cw-2025-03')") == DEAL_KINDS["compute_contract"].colour
    assert page.evaluate("network.body.nodes['openai'].options.color.border").lower() == LOOP_COLOR
    assert page.evaluate("network.body.nodes['nvidia'].options.color.border").lower() != LOOP_COLOR

    # the kind check boxes go through the same filter
    page.uncheck("#dg-legend input[data-kind='equity_stake']")
    page.check("#dg-stage input[value='all']")
    shown = _shown(page)
    assert shown["edges"] == sorted(set(everything["edges"]) - {"nv-cw-stake"})
    page.check("#dg-legend input[data-kind='equity_stake']")
    assert _shown(page) == everything
    assert everything["summary"] == "5 companies · 9 deals · 2 money loops"
    assert page.evaluate(f"network.body.data.edges.getIds().filter(id => ({colour})(id) === '{LOOP_COLOR}').sort()") \
        == sorted(LOOP_DEALS)
    opened.assert_clean()


@pytest.mark.browser
def test_the_counts_note_stays_while_a_filter_changes_the_counts(opened):
    page = opened.page
    note = page.inner_text("#dg-counts")
    assert page.is_visible("#dg-counts") and note.startswith("9 deals drawn")
    page.check("#dg-stage input[value='realised']")
    assert "3 of 9 deals" in page.inner_text("#dg-summary") and page.inner_text("#dg-counts") == note
    # the note is a line of its own, under the title and the counts
    boxes = page.evaluate("['#dg-summary', '#dg-counts'].map(s => document.querySelector(s)"
                          ".getBoundingClientRect().toJSON())")
    assert boxes[1]["top"] >= boxes[0]["bottom"]
    opened.assert_clean()


@pytest.mark.browser
def test_tooltip_says_the_stage(opened):
    text = opened.hover_at("network.body.edges['oai-ms-azure'].edgeType.getPoint(0.5)")
    assert "Stage" in text and "committed" in text
    opened.assert_clean()


@pytest.mark.browser
def test_physics_mode_settles_and_freezes(browser, tmp_path):
    G, loops = small_graph()
    path = tmp_path / "physics.html"
    path.write_text(render_view(G, loops=loops, physics=True), encoding="utf-8")
    o = Opened(browser, path)
    try:
        assert o.page.evaluate("network.physics.physicsEnabled") is False
        before = o.page.evaluate("network.getPositions()")
        o.page.wait_for_timeout(500)
        assert o.page.evaluate("network.getPositions()") == before
        o.assert_clean()
    finally:
        o.close()


def test_a_name_like_the_template_line_the_page_is_patched_at():
    """Issue 11: a company named like pyvis's `network = new vis.Network(...)` line made the
    patching find it twice and raise; data never reads like it now (``;`` is escaped)."""
    marker = "network = new vis.Network(container, data, options);"
    G = nx.MultiDiGraph()
    G.add_node("a", name=marker)
    G.add_node("b", name="B")
    G.add_edge("a", "b", key="d", kind="loan", amount=1e9, label=marker)
    page = render_view(G, loops=[])
    assert page.count(marker) == 1  # the template's own line, once
    assert "network = new vis.Network(container, data, options)\\u0026#59;" in page  # in the JSON data
