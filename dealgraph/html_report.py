"""The closed-loop report as one self-contained HTML page a journalist can send.

The page renders the same list of sections as the terminal and Markdown reports
(:func:`dealgraph.render.report_sections`, after the summary of :func:`dealgraph.render.headline`),
so a section added there appears here; then the charts, as inline SVG
(:func:`dealgraph.plots.svg_charts`), and the interactive network (the page of
:func:`dealgraph.view.render_view`). It lives beside ``render.py`` rather than in it because
the page is more than a renderer of blocks: a stylesheet, a Content-Security-Policy, figures
and an embedded page.

Offline and inert by construction:

* A ``Content-Security-Policy`` meta tag forbids every fetch (``default-src 'none'``). The only
  scripts allowed are the network page's own, by their SHA-256 hashes: a script that came from
  data could not run even if it escaped escaping. Styles are allowed inline (matplotlib's SVG
  sets ``style`` attributes on every element); with nothing allowed to load, a style can fetch
  nothing.
* The network page goes in an ``<iframe srcdoc sandbox="allow-scripts">``: its scripts run in
  an opaque origin that cannot reach the report, its global variables and stylesheet
  (``html, body {height: 100%}``) stay in their own document, and the page is the one
  ``dealgraph view`` writes, unchanged. A ``srcdoc`` frame inherits the report's policy, which
  is why the network's script hashes are in it.
* Every string from data is escaped (and its control characters written as their escapes, as
  in every output), and is only ever text or a quoted attribute value.

Sources: a citation (``[004]``, as :func:`dealgraph.formatting.document_refs` writes it) and
each quote link to the document's entry under "Sources", where its language, date and title
are, and its web address as a link when the seeds record one (``url``; the bundled seeds do
not).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .formatting import document_refs
from .render import Block, Entry, Line, Quote, Span, Table, headline, report_sections, report_title
from .text import printable

if TYPE_CHECKING:  # pragma: no cover
    from .plots import Chart

__all__ = ["report_page", "content_security_policy", "SUMMARY", "CHARTS", "NETWORK"]

#: The headings of what the page adds around the report's sections.
SUMMARY, CHARTS, NETWORK = "Summary", "Charts", "The network"


def _text(value: Any) -> str:
    """Data as HTML text (or a quoted attribute's value): control characters written as their
    escapes, as in every other output, then ``& < > " '`` as entities."""
    return html.escape(printable(str(value)), quote=True)


# ---------------------------------------------------------------------------------------------
# Citations


class _Sources:
    """Where each document's entry is (``#source-N``, N its place in the report's sources),
    and the ref each is cited by in text (``document_refs([id])`` without its brackets).

    A ref two documents share links nowhere: an ambiguous link would be a wrong one.
    """

    def __init__(self, sources: Sequence[dict[str, Any]]):
        self.anchor = {str(s["document"]): f"source-{i}" for i, s in enumerate(sources, 1)}
        self.language = {str(s["document"]): s.get("language") for s in sources}
        refs: dict[str, list[str]] = {}
        for doc in self.anchor:
            refs.setdefault(document_refs([doc])[1:-1], []).append(doc)
        self.by_ref = {ref: docs[0] for ref, docs in refs.items() if len(docs) == 1}
        #: documents whose entry has been written (an anchor is given once)
        self.placed: set[str] = set()

    def link(self, document: str, text: str | None = None) -> str:
        anchor = self.anchor.get(document)
        shown = _text(text if text is not None else document)
        return f'<a href="#{anchor}">{shown}</a>' if anchor else shown

    def entry_of(self, block: Line) -> str | None:
        """The document a line is the entry of: one that starts with the document's id (the
        Sources section's lines do), not yet placed."""
        first = block.spans[0][0] if block.spans else ""
        for doc in self.anchor:
            if doc not in self.placed and (first == doc or first.startswith(doc + " ")):
                self.placed.add(doc)
                return doc
        return None


#: A bracketed list, such as document_refs writes: "[000, 003]".
_BRACKETED = re.compile(r"\[([^\[\]\n]+)\]")
_REF_SEPARATOR = ", "


def _cited(text: str, sources: _Sources) -> str:
    """``text`` as HTML, each citation of known documents in it linked to their entries; a
    bracketed list with anything else in it stays text."""
    out, last = [], 0
    for m in _BRACKETED.finditer(text):
        refs = m.group(1).split(_REF_SEPARATOR)
        if not all(r in sources.by_ref for r in refs):
            continue
        out.append(_text(text[last:m.start()]))
        out.append("[" + _REF_SEPARATOR.join(sources.link(sources.by_ref[r], r) for r in refs) + "]")
        last = m.end()
    out.append(_text(text[last:]))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Blocks

#: How each tone of a span is set (render.Span: "strong", "good", "bad", "quote" or None).
_TONE = {"strong": "<strong>{}</strong>", "good": '<span class="good">{}</span>',
         "bad": '<strong class="bad">{}</strong>', "quote": '<span class="quote">{}</span>',
         # a source's web address: an http(s) address without <>" or spaces (the seeds refuse
         # any other), escaped, and the only link out of the page
         "link": '<a href="{0}" rel="noopener noreferrer">{0}</a>', None: "{}"}

#: A language tag as BCP 47 spells one; anything else is not written into ``lang``.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def _spans(spans: list[Span], sources: _Sources) -> str:
    # an address is text, never citations: "[004]" in a URL stays as written
    return "".join(_TONE[tone].format(_text(chunk) if tone == "link" else _cited(chunk, sources))
                   for chunk, tone in spans)


def _quote(q: Quote, sources: _Sources) -> str:
    """A verbatim quote in the language of its document, linked to the document's entry."""
    language = sources.language.get(q.source)
    lang = f' lang="{_text(language)}"' if isinstance(language, str) and _LANGUAGE.match(language) else ""
    anchor = sources.anchor.get(q.source)
    cite = f' cite="#{anchor}"' if anchor else ""
    return (f'<blockquote{lang}{cite}><p>{_text(q.text)}</p></blockquote>'
            f'<p class="cite">— {sources.link(q.source)}</p>')


def _item(block: Line | Entry | Quote, sources: _Sources) -> str:
    """A block as a list item; an entry's lines nest under its head."""
    if isinstance(block, Quote):
        return f'<li class="quoted">{_quote(block, sources)}</li>'
    if isinstance(block, Entry):
        lines = "".join(_item(line, sources) for line in block.lines)
        return f"<li><p>{_spans(block.head, sources)}</p>" + (f"<ul>{lines}</ul>" if lines else "") + "</li>"
    doc = sources.entry_of(block)
    anchor = f' id="{sources.anchor[doc]}"' if doc else ""
    return f"<li{anchor}>{_spans(block.spans, sources)}</li>"


def _table(t: Table) -> str:
    # every column, the meanings too: Markdown leaves them out (terminal_only) because its
    # tables cannot wrap; an HTML table wraps its cells
    head = "".join(f'<th scope="col">{_text(c)}</th>' for c in t.columns)
    rows = "".join("<tr>" + "".join(f'<th scope="row">{_text(cell)}</th>' if i == 0 else f"<td>{_text(cell)}</td>"
                                    for i, cell in enumerate(row)) + "</tr>" for row in t.rows)
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _blocks(blocks: Iterable[Block], sources: _Sources) -> str:
    """Blocks in order: runs of lines, entries and quotes as one list, tables as tables."""
    out: list[str] = []
    items: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            if items:
                out.append(f"<ul>{''.join(items)}</ul>")
                items = []
            out.append(_table(block))
        else:
            items.append(_item(block, sources))
    if items:
        out.append(f"<ul>{''.join(items)}</ul>")
    return "".join(out)


def _section(title: str, body: str, ids: dict[str, int]) -> tuple[str, str, str]:
    """A section, with its id (from its title, made unique on the page) and its title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
    ids[slug] = ids.get(slug, 0) + 1
    sid = slug if ids[slug] == 1 else f"{slug}-{ids[slug]}"
    return sid, title, (f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{_text(title)}</h2>'
                        f"{body}</section>")


# ---------------------------------------------------------------------------------------------
# Charts and the network


def _charts(charts: Sequence[Chart] | None, missing: str | None) -> str:
    if not charts:
        why = missing or "No charts were drawn."
        return f'<p class="note">{_text(why)}</p>'
    return "".join(f'<figure class="chart" id="chart-{_text(c.name)}">'
                   + c.svg.replace("<svg ", f'<svg role="img" aria-label="{_text(c.caption)}" ', 1)
                   + f"<figcaption>{_text(c.caption)}</figcaption></figure>" for c in charts)


def _network(page: str | None) -> str:
    if page is None:
        return '<p class="note">The network was not drawn.</p>'
    return ('<p class="screen-only">Drag to move, scroll to zoom, hover a company or a deal for its '
            "evidence; the header filters the deals by stage.</p>"
            '<iframe class="network" title="The interactive network of the deals" sandbox="allow-scripts" '
            f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
            '<p class="print-only">The interactive network is not printed: open this page in a browser '
            "to explore it.</p>")


class _Scripts(HTMLParser):
    """The text of every inline script of a page that a browser would run."""

    _RUN = {"", "text/javascript", "application/javascript", "module"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and "src" not in a and (a.get("type") or "").strip().lower() in self._RUN:
            self._in = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data


def content_security_policy(embedded: str | None) -> str:
    """The page's policy: nothing fetched, the scripts of the ``embedded`` page and no other.

    ``frame-src 'self'`` lets the ``srcdoc`` frame be; ``img-src data:`` the images
    vis-network's stylesheet carries in itself.
    """
    hashes = []
    if embedded is not None:
        parser = _Scripts()
        parser.feed(embedded)
        parser.close()
        hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                         for s in parser.scripts})
    scripts = " ".join(hashes) or "'none'"
    return ("default-src 'none'; "
            f"script-src {scripts}; "
            "style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
            "base-uri 'none'; form-action 'none'")


# ---------------------------------------------------------------------------------------------
# The page


def report_page(r: dict[str, Any], *, charts: Sequence[Chart] | None = None, charts_missing: str | None = None,
                network: str | None = None) -> str:
    """The report ``r`` (:func:`dealgraph.report.build_report`) as one HTML page.

    ``charts``: the charts as inline SVG (:func:`dealgraph.plots.svg_charts`); when there are
    none, ``charts_missing`` says why in the page (e.g. which extra adds them). ``network``: the
    interactive page (:func:`dealgraph.view.render_view`), embedded sandboxed.
    """
    sources = _Sources(r["sources"])
    ids: dict[str, int] = {}
    parts = [_section(SUMMARY, "<ul>" + "".join(f"<li>{_cited(line, sources)}</li>" for line in headline(r))
                      + "</ul>", ids)]
    parts += [_section(s.title, _blocks(s.blocks, sources), ids) for s in report_sections(r)]
    parts += [_section(CHARTS, _charts(charts, charts_missing), ids), _section(NETWORK, _network(network), ids)]
    title = report_title(r)
    contents = "".join(f'<li><a href="#{sid}">{_text(heading)}</a></li>' for sid, heading, _ in parts)
    held = r["holds"]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_text(content_security_policy(network))}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(title)}</title>\n<style>\n{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{_text(title)}</h1>"
        f'<p class="meta">Drawn from {held["documents"]} source documents, {held["claims"]} claims and '
        f'{held["deals"]} deals by dealgraph. Figures in brackets cite the sources, listed at the end.</p>'
        f'</header>\n<nav aria-label="Contents"><ol>{contents}</ol></nav>\n<main>\n'
        + "\n".join(body for *_, body in parts)
        + "\n</main>\n</body>\n</html>\n")


#: The page's stylesheet: readable on a screen, and printable (no navigation or live network on
#: paper, each section from a new page, no figure or quote split across pages).
_STYLE = """\
:root { color-scheme: light; --ink: #1f2933; --dim: #52606d; --rule: #d9e2ec; --good: #1e7b34; --bad: #b3261e; }
body { margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; color: var(--ink);
       font: 16px/1.5 Georgia, 'Times New Roman', serif; }
header h1 { font-size: 30px; line-height: 1.2; margin: 28px 0 6px; }
h1, h2, nav, table, figcaption, .meta, .note, .cite, .screen-only, .print-only {
  font-family: Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif; }
h2 { font-size: 22px; margin: 36px 0 10px; padding-top: 8px; border-top: 2px solid var(--ink); }
.meta, .note, .cite, .screen-only { color: var(--dim); font-size: 14px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 12px 0 0; list-style: none;
         font-size: 14px; }
ul { padding-left: 22px; }
li { margin: 4px 0; }
li > p { margin: 0; }
li.quoted { list-style: none; }
blockquote { margin: 6px 0 0; padding: 2px 12px; border-left: 3px solid #9fb3c8; font-style: italic; }
blockquote p { margin: 0; }
.cite { margin: 0 0 6px 15px; }
.good { color: var(--good); font-weight: 600; }
.bad { color: var(--bad); }
.quote { font-style: italic; }
a { color: #1d4ed8; }
.table { overflow-x: auto; margin: 10px 0 14px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 10px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
tbody th { font-weight: 600; }
figure { margin: 18px 0 28px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--dim); font-size: 14px; margin-top: 4px; }
iframe.network { display: block; width: 100%; height: 80vh; min-height: 520px; border: 1px solid var(--rule); }
.print-only { display: none; }
:target { background: #fff7d6; }
@media print {
  @page { margin: 16mm 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, iframe.network, .screen-only { display: none; }
  .print-only { display: block; }
  main > section { break-before: page; }
  main > section:first-child { break-before: auto; }
  h2 { break-after: avoid; }
  li, tr, figure, blockquote { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  :target { background: none; }
}
"""
