"""How long the interactive page takes to render and to settle in a real browser.

Generates a synthetic money-flow graph of the same contract as the real one (default 1 000
companies, ~3 000 deals, some loops, quotes on a tenth of the deals), renders it with
``dealgraph.view.render_view``, opens it from disk in Debian's Chromium through Playwright with
every non-``file:`` request aborted, and measures:

* Python: layout and page generation time, page size;
* browser: time from navigation start until the network is drawn (the page's own
  ``window.dealgraphDrawnAt``, set on the first ``afterDrawing`` after the view is fitted),
  and the wall time from ``goto`` to that point;
* stability: whether node positions move during one second afterwards, and how many redraws
  happen with no one touching the page (0 means it is idle);
* the cost of one full redraw (median of 10), which is what panning and hovering pay.

Then the same with ``physics=True`` (a short stabilisation from the computed positions).

    PYTHONPATH=. python benchmarks/bench_view.py [--nodes 1000] [--edges 3000] [--out DIR]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx  # noqa: E402

from dealgraph.view import render_view  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

KINDS = [("compute_contract", 30), ("equity_investment", 20), ("hardware_purchase", 15),
         ("equity_stake", 10), ("capacity_option", 6), ("capacity_backstop", 5), ("loan", 8),
         ("revenue_share", 6)]


def synthetic_graph(n_nodes: int = 1000, n_edges: int = 3000, seed: int = 1):
    """A heavy-tailed deal network: a few hubs take part in most deals, as in the real one."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    ids = [f"co-{i:04d}" for i in range(n_nodes)]
    for i, n in enumerate(ids):
        G.add_node(n, name=f"Company {i} <{rng.choice(['AI', 'Cloud', 'Chips', 'Capital'])}>",
                   aliases=[f"C{i} Inc."])
    weights = [1.0 / (r + 1) ** 0.8 for r in range(n_nodes)]
    kinds, kind_w = zip(*KINDS)
    for j in range(n_edges):
        u, v = rng.choices(ids, weights, k=2)
        while v == u:
            v = rng.choices(ids, weights)[0]
        kind = rng.choices(kinds, kind_w)[0]
        amount = None if rng.random() < 0.15 else round(10 ** rng.gauss(9.0, 0.8), -6)
        claims = []
        if rng.random() < 0.1:
            claims = [{"document": f"doc-{j}", "quote": f"Company {u} agreed to pay {v} <b>a lot</b>.",
                       "language": "en", "modality": "reported", "speaker": None}]
        deal = f"deal-{j:05d}"
        G.add_edge(u, v, key=deal, deal=deal, kind=kind, label=f"{kind} {j}", amount=amount,
                   amount_low=None, amount_high=None, currency="USD",
                   qualifier=rng.choice([None, None, "about", "up_to"]),
                   share=round(rng.random() * 0.2, 3) if kind == "equity_stake" else None,
                   date=f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}", until=None,
                   period=None, status="announced", sources=[c["document"] for c in claims],
                   claims=claims)
    D = nx.DiGraph(G)
    loops = list(itertools.islice(nx.simple_cycles(D, length_bound=4), 40))
    return G, loops


def measure(browser, path: Path, shot: Path | None = None) -> dict:
    blocked: list[str] = []
    errors: list[str] = []
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.dealgraphReady === true", timeout=600_000, polling=50)
    wall = time.perf_counter() - t0
    drawn_at = page.evaluate("window.dealgraphDrawnAt")
    prepare_ms = page.evaluate("window.dealgraphPrepareMs")
    dom_loaded = page.evaluate(
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    before = page.evaluate("network.getPositions()")
    page.evaluate("window.__draws = 0; network.on('afterDrawing', () => window.__draws++); 0")
    page.wait_for_timeout(1000)
    after = page.evaluate("network.getPositions()")
    moved = max(abs(before[k]["x"] - after[k]["x"]) + abs(before[k]["y"] - after[k]["y"])
                for k in before) if before else 0.0
    idle_draws = page.evaluate("window.__draws")
    redraws = page.evaluate("""async () => {
        const times = [];
        for (let i = 0; i < 10; i++) {
            const t = performance.now();
            await new Promise(res => { network.once('afterDrawing', res); network.redraw(); });
            times.push(performance.now() - t);
        }
        return times; }""")
    if shot:
        page.screenshot(path=str(shot))
    counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    ctx.close()
    return {"wall_s": wall, "drawn_ms": drawn_at, "dom_loaded_ms": dom_loaded, "moved_px": moved,
            "idle_draws": idle_draws, "prepare_ms": prepare_ms, "redraw_ms": statistics.median(redraws), "counts": counts,
            "blocked": blocked, "errors": errors}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--edges", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None, help="keep the pages and screenshots here")
    ap.add_argument("--no-physics-run", action="store_true", help="skip the physics=True run")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-view-"))
    out.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    G, loops = synthetic_graph(args.nodes, args.edges, args.seed)
    print(f"graph: {G.number_of_nodes()} companies, {G.number_of_edges()} deals, "
          f"{len(loops)} loops (generated in {time.perf_counter() - t:.2f} s)")

    from dealgraph import view as V
    t = time.perf_counter()
    V._layout(G)
    layout_s = time.perf_counter() - t
    pages = {}
    for physics in (False, True)[: 1 if args.no_physics_run else 2]:
        t = time.perf_counter()
        html = render_view(G, loops=loops, title=f"bench {args.nodes}", physics=physics)
        render_s = time.perf_counter() - t
        p = out / f"bench-view-{'physics' if physics else 'static'}.html"
        p.write_text(html, encoding="utf-8")
        pages[physics] = p
        print(f"render_view(physics={physics}): {render_s:.2f} s (layout {layout_s:.2f} s), "
              f"page {len(html.encode()) / 1e6:.2f} MB -> {p}")

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed: browser figures skipped")
        return 0
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: browser figures skipped")
        return 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for physics, p in pages.items():
                shot = out / (p.stem + ".png")
                m = measure(browser, p, shot)
                print(f"browser physics={physics}: nodes/edges {m['counts'][0]}/{m['counts'][1]}; "
                      f"DOMContentLoaded {m['dom_loaded_ms']:.0f} ms; "
                      f"drawn and settled {m['drawn_ms']:.0f} ms after navigation start "
                      f"(wall {m['wall_s']:.2f} s from goto; tooltips and labels prepared in "
                      f"{m['prepare_ms']:.0f} ms); "
                      f"moved in the next 1 s: {m['moved_px']:.1f} px; "
                      f"idle redraws in 1 s: {m['idle_draws']}; "
                      f"one redraw: {m['redraw_ms']:.0f} ms (median of 10)")
                print(f"  blocked requests: {len(m['blocked'])}; page errors: {len(m['errors'])}"
                      f"; screenshot: {shot}")
                for e in m["errors"][:5]:
                    print("  page error:", e)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
