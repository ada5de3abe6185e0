"""The HTML report (``dealgraph report --format html -o FILE``): one self-contained page with
the report's sections, the charts as inline SVG and the network embedded.

The page is checked as HTML first (sections, citations, the policy, the SVG ids), then opened
from disk in Debian's Chromium (as tests/test_view.py does): every request is recorded, and
the Content-Security-Policy is what must stop them (a fetch the policy blocks never becomes a
request); a report built from hostile seeds must run nothing from data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.cli import app
from dealgraph.html_report import CHARTS, NETWORK, SUMMARY, content_security_policy, report_page
from dealgraph.render import report_sections

from test_view import browser  # noqa: F401  (a fixture: Debian's Chromium through Playwright)

#: Injected into a company name, a document title and a quote of the hostile seeds: each sets
#: window.__pwned or opens a dialog if it ever runs; "$" would start matplotlib's mathtext.
PWN = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
       "<svg onload=alert(3)></svg>\"'><iframe src=javascript:alert(4)> $x$ $")


class Page(HTMLParser):
    """What a page is made of: its headings, ids, links, scripts and tags."""

    def __init__(self, text: str):
        super().__init__()
        self.h2: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._h2: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        for name in ("href", "xlink:href", "src", "cite"):
            if a.get(name) is not None:
                self.hrefs.append(a[name])
        if tag == "h2":
            self._h2 = []

    def handle_endtag(self, tag):
        if tag == "h2" and self._h2 is not None:
            self.h2.append("".join(self._h2))
            self._h2 = None

    def handle_data(self, data):
        if self._h2 is not None:
            self._h2.append(data)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def report(memory_graph) -> dict:
    return memory_graph.report()


@pytest.fixture(scope="module")
def page_html(memory_graph, report) -> str:
    return memory_graph.report_html(report)


@pytest.fixture(scope="module")
def page(page_html) -> Page:
    return Page(page_html)


# ---------------------------------------------------------------------------------------------
# The page as HTML


def test_every_section_of_the_report_is_a_section_of_the_page(page, report):
    assert page.h2 == [SUMMARY, *(s.title for s in report_sections(report)), CHARTS, NETWORK]
    # the contents link to every section
    contents = [a["href"] for a in page.all("a") if a["href"].startswith("#") and not a["href"].startswith("#source-")]
    assert contents == [f"#{s['id']}" for s in page.all("section")]


def test_the_summary_and_the_per_stage_numbers(page_html):
    assert "5 closed loop(s) among 6 companies linked by 14 money flows" in page_html
    assert "0 USD realised, 28.7 bn USD committed and 100 bn USD only announced" in page_html
    # the per-stage table, one row per cumulative stage, its first cell a row header
    for stage in ("realised", "realised + committed", "all (with announced plans)"):
        assert f'<th scope="row">{stage}</th>' in page_html
    assert '<th scope="col">cyclic share</th>' in page_html


def test_each_loop_has_its_legs_amounts_and_quotes(page_html, report):
    loops = page_html[page_html.index('<section id="loops"'):page_html.index("</section>", page_html.index('<section id="loops"'))]
    for loop in report["loops"]:
        assert " → ".join(loop["members"] + loop["members"][:1]) in loops
        for hop in loop["hops"]:
            for d in hop["deals"]:
                assert f"<strong>{hop['from']} → {hop['to']}</strong>" in loops
                if d["quote"]:
                    assert d["quote"].replace("'", "&#x27;").replace('"', "&quot;") in loops
    assert "6.3 bn USD, signed" in loops and "11.9 bn USD, 2025-03, assumed" in loops


def test_quotes_are_in_the_language_of_their_document(page, report):
    language = {s["document"]: s["language"] for s in report["sources"]}
    anchors = {f"#source-{i}": s["document"] for i, s in enumerate(report["sources"], 1)}
    quotes = page.all("blockquote")
    assert len(quotes) > 10
    for q in quotes:
        assert q["lang"] == language[anchors[q["cite"]]]
    assert {q["lang"] for q in quotes} >= {"it", "fr"}


def test_every_citation_links_to_its_source(page, page_html, report):
    ids = set(page.ids)
    assert len(ids) == len(page.ids), "an id is used twice"
    local = [h for h in page.hrefs if h.startswith("#")]
    assert local and all(h[1:] in ids for h in local), [h for h in local if h[1:] not in ids]
    # every source has its entry, and "[004]" as the report writes it links to it
    for i, s in enumerate(report["sources"], 1):
        assert f"source-{i}" in ids
    doc_004 = next(i for i, s in enumerate(report["sources"], 1) if s["document"].startswith("004"))
    assert f'signed [<a href="#source-{doc_004}">004</a>]' in page_html
    assert f'<li id="source-{doc_004}">004_9cb071e2598439fe  it  2025-09' in page_html


def test_nothing_is_loaded_from_outside(page):
    external = [h for h in page.hrefs if not h.startswith("#")]
    assert external == []
    assert page.all("script") == [] and page.all("link") == [] and page.all("img") == []
    (frame,) = page.all("iframe")
    assert frame["sandbox"] == "allow-scripts" and frame["srcdoc"].startswith("<!DOCTYPE html>")


def test_the_policy_allows_the_network_scripts_and_nothing_else(page):
    (meta,) = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    policy = meta["content"]
    assert policy.startswith("default-src 'none'; ") and "unsafe-eval" not in policy
    scripts = re.search(r"script-src ([^;]*);", policy).group(1).split()
    # the hashes are those of the scripts the embedded page runs, computed again here
    network = Page(page.all("iframe")[0]["srcdoc"])
    bodies = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                        page.all("iframe")[0]["srcdoc"], re.S)
    expected = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}
    assert set(scripts) == expected and len(expected) == len(network.all("script")) - 1  # not the JSON
    assert content_security_policy(None).startswith("default-src 'none'; script-src 'none';")


def test_charts_are_inline_svg_with_ids_of_their_own(page_html, page):
    figures = page.all("figure")
    assert [f["id"] for f in figures] == ["chart-money-in-loops", "chart-revenue-concentration", "chart-loops"]
    assert page_html.count("<svg ") == 3 and "<?xml" not in page_html and "<!DOCTYPE svg" not in page_html
    svgs = re.findall(r"<figure[^>]*>(<svg .*?</svg>)", page_html, re.S)
    for fig, svg in zip(figures, svgs):
        name = fig["id"].removeprefix("chart-")
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and all(i.startswith(f"{name}-") for i in ids)
        refs = re.findall(r'(?:xlink:href="#|url\(#)([^")]+)', svg)
        assert refs and set(refs) <= set(ids)            # every reference stays in its own chart


def test_a_page_without_charts_says_which_extra_adds_them(report):
    page = report_page(report, charts=None, charts_missing="No charts: pip install 'dealgraph[plots]'.")
    assert "No charts: pip install &#x27;dealgraph[plots]&#x27;." in page
    assert Page(page).h2[-2:] == [CHARTS, NETWORK]


def test_without_matplotlib_the_page_still_renders(memory_graph, report, monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    page = memory_graph.report_html(report)
    assert "pip install &#x27;dealgraph[plots]&#x27;" in page
    assert "<svg " not in page and Page(page).all("iframe")


def test_the_charts_are_the_same_bytes_on_every_run(memory_graph, report):
    first, second = memory_graph.plots(report=report), memory_graph.plots(report=report)
    assert [c.name for c in first] == ["money-in-loops", "revenue-concentration", "loops"]
    assert [c.svg for c in first] == [c.svg for c in second]


# ---------------------------------------------------------------------------------------------
# The command


def test_report_html_to_a_file(built_store, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--format", "html", "-o", str(out), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"Wrote {out}\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


@pytest.mark.parametrize("fmt", ["markdown", "json", "text"])
def test_output_writes_what_stdout_would(built_store, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    runner = CliRunner()
    env = {"COLUMNS": "100"}
    printed = runner.invoke(app, ["report", "-f", fmt, "--store", str(built_store)], env=env).stdout
    written = runner.invoke(app, ["report", "-f", fmt, "-o", str(out), "--store", str(built_store)], env=env)
    assert written.exit_code == 0 and written.stdout == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "json":  # the seconds the loop search took differ
        printed, text = (re.sub(r'"elapsed": [^,\n]+', "", t) for t in (printed, text))
    assert text == printed and "\x1b[" not in text


def test_a_failed_write_leaves_what_was_there(built_store, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("before", encoding="utf-8")
    (tmp_path / ".report.html.part").mkdir()  # the temporary file cannot be made
    result = CliRunner().invoke(app, ["report", "-f", "html", "-o", str(out), "--store", str(built_store)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"dealgraph: error: cannot write {out}: Is a directory"]
    assert out.read_text(encoding="utf-8") == "before"


def test_html_is_refused_on_a_terminal_in_one_line(built_store):
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "dealgraph", "report", "-f", "html", "--store", str(built_store)],
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parents[1])
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 1
    assert proc.stderr == "dealgraph: error: --format html writes a page, not terminal text: give -o FILE.html\n"


# ---------------------------------------------------------------------------------------------
# In the browser


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory, seeds_dir) -> tuple[Path, str]:
    """The seeds with Nvidia's name, 004's title and a quote of 004 made of :data:`PWN`."""
    root = tmp_path_factory.mktemp("hostile-html")
    seeds = root / "seeds"
    shutil.copytree(seeds_dir, seeds)
    for path, old, new in [
        ("entities.yaml", "    name: Nvidia\n", f"    name: {json.dumps('Nvidia ' + PWN)}\n"),
        ("documents.yaml", '    title: "CoreWeave e OpenAI firmano un accordo da 6,5 miliardi di dollari"\n',
         f"    title: {json.dumps('CoreWeave ' + PWN)}\n"),
        ("extractions/004_9cb071e2598439fe.yaml", "ha acquistato una considerevole quantità di attrezzature da NVIDIA",
         PWN.replace('"', "'")),
    ]:
        file = seeds / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    graph = DealGraph.memory(seeds)
    out = root / "report.html"
    out.write_text(graph.report_html(), encoding="utf-8")
    graph.close()
    return out, "Nvidia " + PWN


def test_hostile_data_is_text_in_the_page(hostile_report):
    path, name = hostile_report
    text = path.read_text(encoding="utf-8")
    # nothing of it is markup anywhere, the embedded page included (its srcdoc is escaped)
    for raw in ("<script", "<img", "<svg onload", "<iframe src=javascript"):
        assert raw not in text
    p = Page(text)
    assert p.all("script") == [] and p.all("img") == [] and len(p.all("iframe")) == 1
    assert "Nvidia &lt;script&gt;window.__pwned=1&lt;/script&gt;" in text


class Opened:
    """A report opened from disk with every request, console error, page error and dialog
    recorded. Requests are recorded, not blocked: the page's own policy must stop them (a
    route that aborted them would hide a page that tries)."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.page = page = self.context.new_page()
        self.url = path.resolve().as_uri()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri())
        self.frame = next(f for f in page.frames if f.url == "about:srcdoc")
        self.frame.wait_for_function("window.network && window.dealgraphReady === true", timeout=30000)

    def assert_clean(self):
        assert self.requests == [self.url], "the page asked for more than itself"
        assert self.errors == [] and self.dialogs == []
        for where in (self.page, self.frame):
            assert where.evaluate("window.__pwned") is None

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, page_html) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(page_html, encoding="utf-8")
    return path


@pytest.fixture
def opened(browser, report_file):
    o = Opened(browser, report_file)
    try:
        yield o
    finally:
        o.close()


@pytest.mark.browser
def test_the_page_in_chromium(opened, report, tmp_path):
    page = opened.page
    assert page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)") == \
        [SUMMARY, *(s.title for s in report_sections(report)), CHARTS, NETWORK]
    loops = page.inner_text("#loops")
    for loop in report["loops"]:
        for hop in loop["hops"]:
            for d in hop["deals"]:
                assert f"{hop['from']} → {hop['to']}" in loops
                if d["quote"]:
                    assert d["quote"] in loops
    assert page.is_visible("#loops blockquote[lang='it']")
    for box in page.eval_on_selector_all("figure svg", "ss => ss.map(s => s.getBoundingClientRect().toJSON())"):
        assert box["width"] > 300 and box["height"] > 100
    # the network is drawn in its frame, and its header says what its counts count
    ink = opened.frame.evaluate("""() => { const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 200) ink++; return ink; }""")
    assert ink > 1000
    assert opened.frame.inner_text("#dg-counts").startswith("16 deals drawn: 14 money flows and 2 equity holdings")
    # a citation takes the reader to its source
    page.click("#loops a[href^='#source-']")
    assert page.evaluate("location.hash").startswith("#source-")
    page.locator("iframe.network").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "report.png"))
    print(f"\nscreenshot: {tmp_path / 'report.png'}")
    opened.assert_clean()


@pytest.mark.browser
def test_the_policy_stops_what_the_routing_would_not_see(opened):
    """A fetch from the report or from the network's frame is refused by the policy before it
    becomes a request: none is recorded."""
    for where in (opened.page, opened.frame):
        assert where.evaluate("fetch('http://127.0.0.1:9/x').then(() => 'fetched', e => 'refused')") == "refused"
    opened.errors.clear()  # the refusals are reported on the console, as they should be
    opened.assert_clean()


@pytest.mark.browser
def test_the_page_prints(opened, tmp_path):
    page = opened.page
    page.emulate_media(media="print")
    assert not page.is_visible("iframe.network") and page.is_visible("#the-network .print-only")
    assert not page.is_visible("nav")
    pdf = page.pdf(path=str(tmp_path / "report.pdf"))  # in print media, as a browser prints
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    # each section starts a page: at least one page per section
    assert pages >= len(page.query_selector_all("main > section")), pages
    print(f"\nPDF: {tmp_path / 'report.pdf'}, {pages} pages")
    opened.assert_clean()


@pytest.mark.browser
def test_a_report_from_hostile_seeds_runs_nothing(browser, hostile_report):
    path, name = hostile_report
    o = Opened(browser, path)
    try:
        page = o.page
        page.wait_for_timeout(300)
        text = page.inner_text("main")
        assert name.split(" $")[0] in text                 # shown, as text
        assert page.eval_on_selector_all("img, script, object, embed", "es => es.length") == 0
        assert page.eval_on_selector_all("iframe", "es => es.length") == 1
        assert o.frame.evaluate("network.body.nodes['nvidia'].options.label") == name
        o.assert_clean()
    finally:
        o.close()


def test_a_source_with_a_web_address_links_to_it(tmp_path):
    """A document whose seeds record its url: the report's Sources entry ends with it, and the
    page makes it the link (the only link out of the page; the bundled seeds record none)."""
    from dealgraph.seeds import default_seeds_dir

    seeds = tmp_path / "seeds"
    shutil.copytree(default_seeds_dir(), seeds)
    documents = seeds / "documents.yaml"
    url = "https://example.com/news/coreweave?id=1&lang=it"
    text = documents.read_text(encoding="utf-8")
    anchor = "  - id: 004_9cb071e2598439fe\n"
    documents.write_text(text.replace(anchor, f"{anchor}    url: \"{url}\"\n"), encoding="utf-8")
    graph = DealGraph.memory(seeds)
    data = graph.report()
    assert [s["url"] for s in data["sources"] if s["url"]] == [url]
    page = graph.report_html(data)
    escaped = url.replace("&", "&amp;")
    assert page.count(f'<a href="{escaped}" rel="noopener noreferrer">{escaped}</a>') == 1
    assert len(re.findall(r'<a href="(?!#)', page)) == 1
