"""The page of the bundled seeds, end to end: store -> money flows -> loops -> page -> Chromium.

Also the whole pipeline with hostile data: a company name and an evidence quote carrying
markup go through the seeds, the RDF store and SPARQL into the page, and run nothing there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dealgraph import DealGraph
from dealgraph.view import ANNOUNCED_OPACITY
from test_view import LOOP_COLOR, Opened, browser  # noqa: F401  (browser is a fixture)


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds_graph():
    return DealGraph.memory()


@pytest.mark.browser
def test_seeds_page_shows_every_company_deal_and_loop(browser, seeds_graph, tmp_path):
    path = tmp_path / "seeds.html"
    seeds_graph.view(path)
    flows = seeds_graph.money_flows(layers=("flow", "holding"))
    loops = seeds_graph.loops()["cycles"]
    opened = Opened(browser, path)
    try:
        page = opened.page
        assert page.evaluate("network.body.data.nodes.length") == flows.number_of_nodes()
        assert page.evaluate("network.body.data.edges.length") == flows.number_of_edges()
        assert sorted(page.evaluate("network.body.data.edges.getIds()")) == sorted(k for *_, k in flows.edges(keys=True))
        # every money edge between consecutive loop members is drawn in the loop colour
        on_loop = {k for c in loops for i, hop in enumerate(c["deals"]) for k in hop}
        colours = page.evaluate("Object.fromEntries(network.body.data.edges.get().map(e => [e.id, e.color.color || e.color]))")
        assert on_loop and all(colours[k] == LOOP_COLOR for k in on_loop)
        # the equity stakes are not money going round: never in the loop colour
        assert colours["nvidia-coreweave-stake"] != LOOP_COLOR
        # hovering a deal shows its evidence quote and source: Blackstone's loan (003)
        text = opened.hover_at("network.body.edges['blackstone-coreweave-loan'].edgeType.getPoint(0.5)")
        assert "via prêts Des entreprises comme Blackstone et Magnetar" in text
        assert "003_fd0c659e06895f58" in text
        # and every deal's tooltip carries its quotes (004, the 6.3 bn backstop)
        title = page.evaluate("""() => { const t = edges.get('nvidia-coreweave-capacity-backstop').title;
                                         return typeof t === 'string' ? t : t.textContent; }""")
        assert "un contratto da 6,3 miliardi di dollari" in title and "004_9cb071e2598439fe" in title
        shot = tmp_path / "seeds-view.png"
        page.screenshot(path=str(shot))
        print(f"screenshot of the seeds view: {shot}")
        assert shot.stat().st_size > 20_000
        opened.assert_clean()
    finally:
        opened.close()


@pytest.mark.browser
def test_seeds_page_filters_by_commitment_stage(browser, seeds_graph, tmp_path):
    """Nvidia's ~100 bn plan for OpenAI and OpenAI's planned accelerator purchase are only
    announced: gone under "realised + committed", where the signed 6.3 bn backstop stays;
    "realised" leaves only money that moved; "all" shows everything again."""
    path = tmp_path / "seeds.html"
    seeds_graph.view(path)
    flows = seeds_graph.money_flows(layers=("flow", "holding"))
    stage = {k: s for *_, k, s in flows.edges(keys=True, data="stage")}
    opened = Opened(browser, path)
    try:
        page = opened.page

        def choose(value):
            page.check(f"#dg-stage input[name='dg-stage'][value='{value}']")
            return set(page.evaluate("network.body.data.edges.get().filter(e => !e.hidden).map(e => e.id)"))

        assert page.is_checked("#dg-stage input[value='all']")
        # announced-only deals are drawn faded
        assert page.evaluate("edges.get('nvidia-openai-investment-plan').color.opacity") == ANNOUNCED_OPACITY
        assert page.evaluate("edges.get('nvidia-coreweave-capacity-backstop').color.opacity") == 1
        everything = set(page.evaluate("network.body.data.edges.getIds()"))
        assert everything == set(stage)

        shown = choose("realised+committed")
        assert "nvidia-openai-investment-plan" not in shown
        assert "openai-nvidia-accelerators" not in shown
        assert "nvidia-coreweave-capacity-backstop" in shown
        assert shown == {k for k, s in stage.items() if s in ("realised", "committed")}

        shown = choose("realised")
        assert {"coreweave-nvidia-equipment", "blackstone-coreweave-loan", "microsoft-openai-investment",
                "microsoft-coreweave-revenue-2024"} <= shown
        assert "nvidia-coreweave-capacity-backstop" not in shown
        assert shown == {k for k, s in stage.items() if s == "realised"}
        assert all(page.evaluate(f"edges.get({k!r}).stage") == "realised" for k in shown)
        summary = page.inner_text("#dg-summary")
        assert f"{len(shown)} of {len(stage)} deals" in summary
        # every company still shown has a deal shown
        ends = page.evaluate("""() => { const s = new Set(); network.body.data.edges.get().forEach(
            e => { if (!e.hidden) { s.add(e.from); s.add(e.to); } }); return [...s]; }""")
        assert set(page.evaluate("network.body.data.nodes.get().filter(n => !n.hidden).map(n => n.id)")) == set(ends)

        assert choose("all") == everything
        assert page.evaluate("network.body.data.nodes.get().filter(n => n.hidden).length") == 0
        assert page.inner_text("#dg-summary").startswith(f"{flows.number_of_nodes()} companies · {len(stage)} deals")
        # the tooltip says the stage
        title = page.evaluate("""() => { const t = edges.get('nvidia-openai-investment-plan').title;
                                         return typeof t === 'string' ? t : t.textContent; }""")
        assert "<th>Stage</th><td>announced</td>" in title or "Stageannounced" in title
        opened.assert_clean()
    finally:
        opened.close()


@pytest.fixture
def hostile_graph(tmp_path):
    """The bundled seeds with markup in a company name and in an evidence quote."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    entities = seeds / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace(
        "name: Magnetar", 'name: "<img src=x onerror=window.__pwned=1>Magnetar"'), encoding="utf-8")
    ex = seeds / "extractions" / "003_fd0c659e06895f58.yaml"
    text = ex.read_text(encoding="utf-8")
    text, n = re.subn(r'(- deal: magnetar-coreweave-loan\n    quote: )"[^"]*"',
                      r'\1"<script>window.__pwned=1</script> via prêts"', text)
    assert n == 1
    ex.write_text(text, encoding="utf-8")
    return DealGraph.memory(seeds)  # no --documents: the hostile quote is not in any article


@pytest.mark.browser
def test_hostile_names_and_quotes_render_as_text(browser, hostile_graph, tmp_path):
    path = tmp_path / "hostile.html"
    hostile_graph.view(path)
    opened = Opened(browser, path)
    try:
        page = opened.page
        assert page.evaluate("network.body.nodes['magnetar'].options.label").startswith("<img src=x")
        text = opened.hover_at("network.body.edges['magnetar-coreweave-loan'].edgeType.getPoint(0.5)")
        assert "<script>window.__pwned=1</script>" in text  # shown as text
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        opened.assert_clean()  # no dialog, no page error, window.__pwned never set
    finally:
        opened.close()


def test_the_page_says_why_it_draws_fewer_deals_than_the_records(seeds_graph):
    """The deals table lists 19 deals, the page draws 16: its header says which 3 are left out
    and why, from the same records; under a filter it does not count them."""
    on_record = len(seeds_graph.deals())
    assert f"3 of the {on_record} deals on record are not drawn" in seeds_graph.view()
    assert "deals on record" not in seeds_graph.view(as_of="2025-06")
