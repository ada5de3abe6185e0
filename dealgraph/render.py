"""Everything a person reads in a terminal or a Markdown file: the report, the command tables.

The report is one list of sections (:func:`report_sections`), each a title and a few kinds of
block (a line, an entry with lines under it, a quote, a table). Two renderers read that list:
:func:`print_report` to a terminal with rich, :func:`report_markdown` to Markdown, so the two
say the same things in the same order. The command tables (``deals``, ``loops``, ``stress``
...) are rows made here from the API's data and printed by :func:`print_table`.

Data is text: it reaches rich as :class:`rich.text.Text`, never as markup. Figures are
written by :mod:`dealgraph.formatting`, the one formatter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Union

from .formatting import document_refs, index, kind_label, kind_short, money, percent, share
from .kinds import CUMULATIVE_STAGE_LABELS, DEAL_KINDS
from .text import printable

__all__ = ["console", "printable", "md_text", "print_table", "print_report", "report_markdown", "report_sections", "REPORT_FORMATS",
           "deal_rows", "deals_footnote", "currency_of", "money_lines", "company_rows", "loop_rows", "loops_summary", "stress_rows", "stress_summary_line",
           "Section", "Line", "Entry", "Quote", "Table"]

REPORT_FORMATS = ("text", "markdown", "json")

#: Widths when the output is not a terminal and COLUMNS does not say: rich would assume 80,
#: too narrow for quotes and wide tables.
PIPE_WIDTH = {"table": 200, "report": 110}


def console(kind: str = "table", *, stderr: bool = False):
    """A rich console as wide as the terminal, or as ``COLUMNS`` says, else :data:`PIPE_WIDTH`."""
    from rich.console import Console

    c = Console(stderr=stderr)
    if c.is_terminal or os.environ.get("COLUMNS", "").isdigit():
        return c
    return Console(stderr=stderr, width=PIPE_WIDTH[kind])


# ---------------------------------------------------------------------------------------------
# The report as data for both renderers

#: A run of text, and how it is set: "strong", "good", "bad", "quote", "link" (a web address,
#: which a page makes a link) or None.
Span = tuple[str, Union[str, None]]


@dataclass
class Line:
    spans: list[Span]


@dataclass
class Entry:
    """A heading line (a loop, a deal, a conflict) with the lines that belong to it."""

    head: list[Span]
    lines: list[Union[Line, "Quote"]] = field(default_factory=list)


@dataclass
class Quote:
    text: str
    source: str


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    #: Columns left out of Markdown (the meaning of each metric reads well in a terminal only).
    terminal_only: tuple[str, ...] = ()


Block = Union[Line, Entry, Quote, Table]


@dataclass
class Section:
    title: str
    blocks: list[Block]


def _plain(text: str) -> Line:
    return Line([(text, None)])


def _deal_text(d: dict[str, Any]) -> str:
    amount = (money(d["amount"], d["currency"], d["qualifier"], short=True) if d["amount"] is not None
              # a stated figure the money rule could not count: what it was, and why not
              else f"{money(d['stated_amount'], d['stated_currency'], short=True)}, not counted: {d['amount_unknown']}"
              if d.get("amount_unknown")
              else share(d["share"], of="revenue", unknown="amount unknown"))
    when = f", {d['date']}" if d["date"] else ""
    status = f", {d['status']}" if d["status"] else ""
    return f"{kind_label(d['kind']).lower()}: {amount}{when}{status} {document_refs(d['sources'])}"


def currency_of(r: dict[str, Any]) -> str:
    """The currency the amounts of a report, ``loops`` or ``stress`` JSON are in: USD unless a
    ``money`` section says otherwise (it is there whenever another currency or a rate was used,
    or a stated figure was left without an amount)."""
    return (r.get("money") or {}).get("currency", "USD")


def money_lines(r: dict[str, Any]) -> list[str]:
    """What the ``money`` section of a report, ``loops`` or ``stress`` JSON says, one sentence a
    line: the rates used as the user gave them, and each deal left without an amount, and why."""
    m = r.get("money")
    if not m:
        return []
    cur = m["currency"]
    lines = [f"Amounts are in {cur}" + (": " + ", ".join(f"1 {code} = {rate} {cur}" for code, rate in m["rates"].items())
                                        + " (rates as given)" if m["rates"] else "; no exchange rate given") + "."]
    for d in m["converted"]:
        per = f" a {d['per']}" if d.get("per") else ""
        term = f" over {d['term_months']} months" if d.get("term_months") else ""
        lines.append(f"{d['deal']}: {money(d['stated_amount'], d['stated_currency'], short=True)}{per}{term} "
                     f"counted as {money(d['amount'], cur, short=True)}.")
    for d in m["unknown"]:
        per = f" a {d['per']}" if d.get("per") else ""
        lines.append(f"{d['deal']}: {money(d['stated_amount'], d['stated_currency'], short=True)}{per} left out "
                     f"({d['reason']}).")
    return lines


def _bottleneck(loop: dict[str, Any], cur: str = "USD") -> str:
    return money(loop["bottleneck"], cur, short=True) if loop["bottleneck"] is not None else "unknown (a leg has no amount)"


def _path(members: list[str]) -> str:
    return " → ".join(members + members[:1])


def _fraction(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def headline(r: dict[str, Any]) -> list[str]:
    """The summary at the top of the report, one sentence a line."""
    h, m = r["holds"], r["metrics"]
    cur = currency_of(r)
    cov = m["coverage"]
    by_stage = m["by_stage"]
    realised, committed, everything = (by_stage[k] for k in ("realised", "realised+committed", "all"))
    # why the counts differ between outputs: a deal is a money flow, a holding, or neither
    others = h["deals"] - h["flow_edges"] - len(r["holdings"])
    lines = [
        f"{len(r['loops'])} closed loop(s) among {h['companies_in_flows']} companies linked by "
        f"{h['flow_edges']} money flows from {h['documents']} sources (of {h['deals']} deals: "
        f"{len(r['holdings'])} equity holdings, {max(others, 0)} with no money between two companies of the "
        "graph, such as an IPO, or withdrawn).",
        f"Amounts are known for {cov['edges_with_amount']} of the {cov['edges_that_can_carry_amount']} flows that "
        f"can carry one ({percent(_fraction(cov['edges_with_amount'], cov['edges_that_can_carry_amount']))}"
        + (f"; {cov['share_only_edges']} more state a share of revenue instead" if cov["share_only_edges"] else "")
        + f"), {money(h['known_flow_amount'], cur)} in all: "
        f"{money(realised['known_amount'], cur)} realised, "
        f"{money(committed['known_amount'] - realised['known_amount'], cur)} committed and "
        f"{money(everything['known_amount'] - committed['known_amount'], cur)} only announced (plans, not money moved).",
        f"Cyclic share (known money between companies on a common loop): {percent(realised['cyclic_share'])} "
        f"of realised money, {percent(committed['cyclic_share'])} of realised and committed money, "
        f"{percent(everything['cyclic_share'])} counting announced plans; "
        f"{m['cyclic_share']['edges_on_loops']} of {m['cyclic_share']['edges']} flows lie on a loop, whatever "
        "their amounts.",
        f"Clearable share (all money, with plans): {percent(m['clearable_share']['value'])} could be netted away multilaterally "
        f"({money(m['clearable_share']['cleared_amount'], cur)}). Finn cycling index: "
        f"{index(m['finn_cycling_index']['value'])} with IPO proceeds as the only money from outside, "
        f"{index(m['finn_cycling_index_balanced']['value'])} if every company's spending beyond its income in the "
        "graph came from outside.",
    ]
    partial = sum(1 for loop in r["loops"] if loop["circulation"]["known_legs"] < loop["circulation"]["legs"])
    if partial:
        lines.append(f"{partial} of {len(r['loops'])} loops have a leg with no stated amount: those loops exist, "
                     "their size is not on record. The shares and the Finn index are of the known money only; "
                     "filling in a missing amount can raise or lower them.")
    lines.extend(money_lines(r))
    truncated = r["bounds"]["truncated_by"]
    lines.append("The loop search is complete." if not truncated
                 else f"The loop search was cut short by: {', '.join(truncated)}.")
    return lines


def _loops(r: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    cur = currency_of(r)
    for i, loop in enumerate(r["loops"], 1):
        entry = Entry([(f"{i}. {_path(loop['members'])}", "strong"), (f"   bottleneck: {_bottleneck(loop, cur)}", None)],
                      [_plain(f"circulation: {circulation_words(loop, cur)}"),
                       _plain(f"by stage: {_loop_stages(loop, cur)}")])
        for hop in loop["hops"]:
            for d in hop["deals"]:
                entry.lines.append(Line([(f"{hop['from']} → {hop['to']}", "strong"), (f": {_deal_text(d)}", None)]))
                if d["quote"]:
                    entry.lines.append(Quote(d["quote"], d["quote_document"]))
                for what, reasons in d["inferred"].items():
                    entry.lines.append(_plain(f"inferred, not stated ({what.replace('_', ' ')}): {'; '.join(reasons)}"))
            unknown = [d for d in hop["deals"] if d["amount"] is None]
            if unknown and len(unknown) < len(hop["deals"]):
                kinds = ", ".join(sorted({kind_label(d["kind"]).lower() for d in unknown}))
                entry.lines.append(_plain(f"note: {hop['from']} → {hop['to']} also has {len(unknown)} deal(s) of "
                                          f"unknown amount ({kinds}): this leg may carry more than its stated amount"))
        blocks.append(entry)
    return blocks


def circulation_words(loop: dict[str, Any], cur: str = "USD") -> str:
    """What the record says of how much could go round one loop, naming its unknown legs."""
    c, members = loop["circulation"], loop["members"]
    if c["high"] is None:
        return f"not bounded by the record (none of its {c['legs']} legs has a stated amount)"
    unknown = [f"what {members[i]} pays {members[(i + 1) % len(members)]}"
               for i, amount in enumerate(loop["hop_amounts"]) if amount is None]
    if not unknown:
        return f"at most {money(c['high'], cur, short=True)} can go round (every leg has an amount)"
    return (f"could carry up to {money(c['high'], cur, short=True)} if {', '.join(unknown[:-1])}"
            f"{' and ' if len(unknown) > 1 else ''}{unknown[-1]} (not on record) "
            f"{'is' if len(unknown) == 1 else 'are'} at least that large")


def _loop_stages(loop: dict[str, Any], cur: str = "USD") -> str:
    """Whether the loop closes on realised money, on committed money, or only with plans."""
    def one(c: dict[str, Any] | None) -> str:
        if c is None:
            return "no loop"
        return "size not on record" if c["high"] is None else f"up to {money(c['high'], cur, short=True)}"

    return "; ".join(f"{CUMULATIVE_STAGE_LABELS[k]}: {one(c)}" for k, c in loop["circulation_by_stage"].items())


def _stage_table(m: dict[str, Any], cur: str = "USD") -> Table:
    """The money figures per cumulative commitment stage."""
    rows = []
    for key, s in m["by_stage"].items():
        circ = s["circulation"]
        rows.append([CUMULATIVE_STAGE_LABELS[key], f"{s['flows_with_amount']} of {s['flows']}", money(s["known_amount"], cur),
                     percent(s["cyclic_share"]), percent(s["clearable_share"]),
                     index(s["finn_cycling_index"]), str(s["loops"]),
                     "not bounded" if circ["unbounded"] else money(circ["high"], cur)])
    return Table(["money", "flows with amount", "known money", "cyclic share", "clearable share", "Finn index",
                  "loops", "circulation"], rows)


def _graph_circulation(m: dict[str, Any], cur: str = "USD") -> str:
    c = m["circulation"]
    known = (f"at most {money(c['known_high'], cur)} of the {money(c['total_amount'], cur)} known "
             f"({percent(c['share_high'])}) could go round")
    if c["unbounded"]:
        loops = "; ".join(_path(members) for members in c["not_bounded_by_record"])
        return f"Circulation: not bounded by the record ({loops}); {known}."
    return f"Circulation: at most {money(c['high'], cur)} could go round with the unknown legs filled in; {known}."


def _metrics(r: dict[str, Any]) -> list[Block]:
    m = r["metrics"]
    f = m["finn_cycling_index"]
    rows = [
        ["cyclic share", *(percent(m["cyclic_share"][k]) for k in ("value", "low", "high")),
         "known money on edges inside loops"],
        ["clearable share", *(percent(m["clearable_share"][k]) for k in ("value", "low", "high")),
         "money multilateral netting could cancel"],
        ["Finn cycling index", *(index(f[k]) for k in ("value", "low", "high")),
         f"share of throughflow that comes back (Finn 1980); inputs: {f['input_assumption']}"],
        ["Finn index, balanced inputs", index(m['finn_cycling_index_balanced']['value']), "", "",
         f"the same, inputs: {m['finn_cycling_index_balanced']['input_assumption']}"],
    ]
    rec = m["reciprocity"]
    cur = currency_of(r)
    return [_stage_table(m, cur),
            Table(["metric (all money, with plans)", "value", "on low amounts", "on high amounts", "meaning"], rows,
                  terminal_only=("meaning",)),
            _plain(f"Reciprocal pairs (money both ways): {rec['reciprocal_pairs']} of {rec['connected_pairs']} "
                   "connected pairs: " + "; ".join(" ⇄ ".join(p) for p in rec["pairs"]) + "."),
            _plain(_graph_circulation(m, cur))]


def _concentration(r: dict[str, Any]) -> list[Block]:
    out: list[Block] = []
    for c in r["concentration"]:
        shares = ", ".join(f"{x['customer']} {percent(x['share'])}" for x in c["customers"])
        mixed = (f"; the shares mix periods ({', '.join(c['periods'])})" if len(c["periods"]) > 1 else "")
        if c["largest_customers_known"]:
            mixed += "; the upper bound takes the known customers as the largest, as a stated total does"
        out.append(Line([(c["supplier"], "strong"),
                         (f": {shares}; HHI ≥ {c['hhi']:.0f} (≤ {c['hhi_high']:.0f}), {c['classification']} "
                          f"(2010 US merger guidelines: > 2500){mixed} {document_refs(c['sources'])}", None)]))
    for c in r.get("concentration_refused", []):
        out.append(Line([(c["supplier"], "strong"),
                         (f": no concentration measured: {c['reason']} {document_refs(c['sources'])}", None)]))
    return out


def _holdings(r: dict[str, Any]) -> list[Block]:
    return [_plain(f"{h['owner']} holds {share(h['share'], h['qualifier'], unknown='a stake of unknown size')} "
                   f"of {h['owned']} ({h['status']}) {document_refs(h['sources'])}") for h in r["holdings"]]


def _conflicts(r: dict[str, Any], doubtful: bool = False) -> list[Block]:
    """The claims that disagree; with ``doubtful``, the lone claims a curator found contradicted
    by their own document instead."""
    out: list[Block] = []
    for c in r["conflicts"]:
        if (c["kind"] == "doubtful") != doubtful:
            continue
        entry = Entry([(f"{c['label']} — {c['property']} ({c['kind']})", "strong")])
        for v in c["values"]:
            value = v["value"]
            if c["property"] in ("amount", "price") and isinstance(value, (int, float)):
                value = money(value, v["unit"], v["qualifier"])
            elif c["property"] == "share" and isinstance(value, (int, float)):
                value = percent(value)
            mark = " ← resolved" if v["chosen"] else (" (doubtful)" if v["doubtful"] else "")
            if v["inferred"]:
                mark += " (inferred, not stated)"
            if v["modality"] == "denied" and v["speakers"]:
                mark += f" (denied by {', '.join(v['speakers'])})"
            entry.lines.append(_plain(f"{v['modality']:<9} {value}{mark} {document_refs(v['documents'])}"))
        for other in c["contradicts"]:
            entry.lines.append(_plain(f"against: {other['label'] or other['deal']}"
                                      f"{', ' + other['date'] if other['date'] else ''} "
                                      f"{document_refs(other['sources'])}"))
        out.append(entry)
    return out


_VERDICT = {True: ("adds up", "good"), False: ("does NOT add up", "bad"), None: ("cannot be checked", None)}


def _totals(r: dict[str, Any]) -> list[Block]:
    out: list[Block] = []
    for t in r["totals"]:
        fmt: Callable[[Any], str] = money if t["measure"] == "amount" else percent
        parts = " + ".join(fmt(v) if v is not None else "?" for v in t["parts"].values())
        verdict, tone = _VERDICT[t["consistent"]]
        out.append(Line([(f"{t['label']}: stated {fmt(t['stated'])}; parts {parts} — ", None), (verdict, tone),
                         (f" {document_refs([t['document']])}", None)]))
    return out


def _commentary(r: dict[str, Any]) -> list[Block]:
    return [Line([(c["speaker"], "strong"), (f": {c['topic']} {document_refs([c['document']])}", None)])
            for c in r["commentary"]]


def _observations(r: dict[str, Any]) -> list[Block]:
    return [Line([(o["topic"], None), (f" {document_refs([o['document']])}", None)]) for o in r["observations"]]


def _sources(r: dict[str, Any]) -> list[Block]:
    return [Line([(f"{s['document']}  {s['language']}  {s['published']}  {s['title']}"
                   f"{' [title ours: the text has none]' if s.get('curatorTitle') else ''} — "
                   f"{s['claims']} claims, {s['observations']} observations", None),
                  *([("  ", None), (s["url"], "link")] if s.get("url") else [])]) for s in r["sources"]]


def report_sections(r: dict[str, Any]) -> list[Section]:
    """The report, section by section; sections with nothing to say are left out."""
    sections = [
        Section("Loops", _loops(r)),
        Section("Metrics", _metrics(r)),
        Section("Revenue concentration", _concentration(r)),
        Section("Equity holdings", _holdings(r)),
        Section("Claims that disagree", _conflicts(r)),
        Section("Doubtful claims", _conflicts(r, doubtful=True)),
        Section("Stated totals", _totals(r)),
        Section("What commentators say", _commentary(r)),
        Section("Other observations", _observations(r)),
        Section("Sources", _sources(r)),
    ]
    return [s for s in sections if s.blocks]


def report_title(r: dict[str, Any]) -> str:
    return "The closed loop of AI money" + (f" — as of {r['as_of']}" if r["as_of"] else "")


# ---------------------------------------------------------------------------------------------
# Terminal

_STYLE = {"strong": "bold", "good": "green", "bad": "red", "quote": "dim italic", "link": "underline", None: ""}


def _text(spans: list[Span], indent: int = 0):
    """Spans as rich Text (never parsed as markup), indented so wrapped lines hang under the first."""
    from rich.padding import Padding
    from rich.text import Text

    text = Text()
    for chunk, tone in spans:
        text.append(printable(chunk), style=_STYLE[tone])
    return Padding(text, (0, 0, 0, indent), expand=False) if indent else text


def _print_block(out, block: Block, indent: int = 0) -> None:
    if isinstance(block, Line):
        out.print(_text(block.spans, indent))
    elif isinstance(block, Quote):
        out.print(_text([(f"“{block.text}” ({block.source[:3]})", "quote")], indent))
    elif isinstance(block, Entry):
        out.print(_text(block.head, indent))
        for line in block.lines:
            _print_block(out, line, indent + 3 if isinstance(line, Line) else indent + 6)
    else:
        out.print(_rich_table(block.columns, block.rows, width=out.width))


def print_report(r: dict[str, Any], out=None) -> None:
    """The report in the terminal: the summary in a panel, then each section under a rule."""
    from rich.panel import Panel

    from rich.text import Text

    out = out or console("report")
    out.print(Panel(_text([("\n".join(headline(r)), None)]), title=Text(printable(report_title(r))),
                    title_align="left", border_style="cyan"))
    for section in report_sections(r):
        out.rule(Text(section.title))
        for block in section.blocks:
            _print_block(out, block)


# ---------------------------------------------------------------------------------------------
# Markdown

_MD_TONE = {"strong": "**{}**", "good": "{}", "bad": "**{}**", "quote": "{}", "link": "{}", None: "{}"}


#: Data in Markdown is text: HTML is written as entities (a Markdown viewer renders raw HTML),
#: the characters that make emphasis, code, links and table cells are escaped, and a line break
#: in data becomes a space, so it cannot start a heading or a list item of its own.
_MD_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`", "*": "\\*",
                             "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|", "\n": " ", "\r": " "})


def md_text(text: str) -> str:
    """``text`` (from data) as literal Markdown text."""
    return printable(str(text)).translate(_MD_ESCAPES)


def _md_spans(spans: list[Span]) -> str:
    return "".join(_MD_TONE[tone].format(md_text(chunk)) for chunk, tone in spans)


def _md_table(table: Table) -> list[str]:
    keep = [i for i, c in enumerate(table.columns) if c not in table.terminal_only]
    out = ["| " + " | ".join(md_text(table.columns[i]) for i in keep) + " |", "|" + "---|" * len(keep)]
    out += ["| " + " | ".join(md_text(row[i]) for i in keep) + " |" for row in table.rows]
    return out


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Line):
        return [f"- {_md_spans(block.spans)}"]
    if isinstance(block, Quote):
        return [f"> “{md_text(block.text)}” ({md_text(block.source)})"]
    if isinstance(block, Entry):  # its lines nest under it, a quote under the line it backs
        lines = [f"- {_md_spans(block.head)}"]
        for line in block.lines:
            lines += [("  " if isinstance(line, Line) else "    ") + x for x in _md_block(line)]
        return lines
    return ["", *_md_table(block), ""]


def report_markdown(r: dict[str, Any]) -> str:
    """The report as Markdown, for pasting into a note or an article draft."""
    title = "The closed loop of AI money" + (f" (as of {r['as_of']})" if r["as_of"] else "")
    lines = [f"# {md_text(title)}", "", *(f"- {md_text(line)}" for line in headline(r))]
    for section in report_sections(r):
        lines += ["", f"## {section.title}", ""]
        for block in section.blocks:
            lines += _md_block(block)
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


# ---------------------------------------------------------------------------------------------
# Command tables


#: A column of prose (quotes, reasons) gets at least this many characters, or the records layout.
PROSE_WIDTH = 30


def _min_width(header: str, cells: list[str]) -> int:
    """The narrowest a column may be: its longest word (no word is broken), and for prose at
    least :data:`PROSE_WIDTH` (a quote folded to a few characters a line reads as noise)."""
    longest_word = max((len(w) for text in [header, *cells] for w in text.split()), default=1)
    if max((len(c) for c in cells), default=0) > 2 * PROSE_WIDTH:
        return max(longest_word, PROSE_WIDTH)
    return longest_word


def _widths(columns: list[str], rows: list[list[str]], mins: list[int], room: int) -> list[int]:
    """Each column's width: all it needs where that fits in ``room``, else its minimum plus a
    share of what is left, in proportion to what it lacks (rich's own shrinking can cut a
    column below its words)."""
    natural = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]
    if sum(natural) <= room:
        return natural
    # the columns that lack least get all they need first (a short figure is not wrapped to
    # save room for prose), then the rest share what is left in proportion to what they lack
    widths, spare = list(mins), room - sum(mins)
    for i in sorted(range(len(columns)), key=lambda i: natural[i] - mins[i]):
        lack = natural[i] - mins[i]
        if lack > spare:
            left = [j for j in range(len(columns)) if widths[j] < natural[j]]
            total = sum(natural[j] - widths[j] for j in left)
            for j in left:
                widths[j] += spare * (natural[j] - widths[j]) // total
            break
        widths[i], spare = natural[i], spare - lack
    return widths


def _rich_table(columns: list[str], rows: list[list[str]], title: str | None = None, width: int = 80):
    """A table whose columns are never narrower than their words; where that does not fit in
    ``width``, one block per row instead (the first column as its heading, then "field value"
    lines whose text wraps under itself)."""
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    columns = [printable(c) for c in columns]
    rows = [[printable(cell) for cell in row] for row in rows]
    mins = [_min_width(c, [row[i] for row in rows]) for i, c in enumerate(columns)]
    room = width - 3 * (len(columns) - 1) - 2  # " │ " between columns, a space at either edge
    if sum(mins) <= room:
        table = RichTable(title=Text(printable(title)) if title else None, header_style="bold", show_edge=False)
        for i, c in enumerate(columns):
            table.add_column(Text(c), width=_widths(columns, rows, mins, room)[i], overflow="fold")
        for row in rows:
            table.add_row(*[Text(cell) for cell in row])
        return table
    blocks = [Text(printable(title), style="bold")] if title else []
    label = max(len(c) for c in columns[1:]) if len(columns) > 1 else 0
    for row in rows:
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, min_width=label + 2, style="dim")
        grid.add_column(overflow="fold")
        for c, cell in zip(columns[1:], row[1:]):
            if cell:
                grid.add_row(Text("  " + c), Text(cell))
        blocks += [Text(row[0], style="bold"), grid, Text("")]
    return Group(*blocks)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**6:
        return money(value, None)
    return str(value)


def print_table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None, out=None) -> None:
    """Rows of dicts as a table (or row blocks where a table would break words); numbers of a
    million and more are written as money is."""
    out = out or console("table")
    out.print(_rich_table(columns, [[_cell(r.get(c)) for c in columns] for r in rows], title, out.width))


#: The mark of a cell whose fact the curator inferred rather than read.
INFERRED_MARK = " *"
INFERRED_FOOTNOTE = "* inferred by the curator, not stated by a source (the reasons: deals --format json)"


def deal_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``deals`` table: one row per deal record of the API; inferred facts marked."""
    rows = []
    for d in records:
        amount, stated = d["amount"], d["share"]
        row = {
            "deal": d["id"], "kind": kind_short(d["kind"]), "from": d["from"], "to": d["to"],
            "amount": (money(amount["value"], amount["currency"], amount["qualifier"], short=True)
                       + (f" a {amount['per']}" if amount.get("per") else "")
                       + (f" for {amount['term_months']} months" if amount.get("term_months") else "")) if amount else None,
            "share": share(stated["value"], stated["qualifier"], stated["of"], short=True) if stated else None,
            "date": d["date"] or d["period"], "status": d["status"], "sources": len(d["sources"]),
        }
        kind = DEAL_KINDS[d["kind"]]
        cells = {"amount": "amount", "share": "share", "status": "status",
                 kind.flow_from: "from", kind.flow_to: "to"}
        for what in d.get("inferred", {}):
            cell = cells.get(what)
            if cell and row[cell] is not None:
                row[cell] = f"{row[cell]}{INFERRED_MARK}"
        rows.append(row)
    return rows


def deals_footnote(records: list[dict[str, Any]]) -> str | None:
    return INFERRED_FOOTNOTE if any(d.get("inferred") for d in records) else None


def company_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**c, "aliases": ", ".join(c["aliases"])} for c in records]


def loop_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``loops`` table: one row per loop of the ``loops`` JSON."""
    return [{"loop": _path(c["members"]), "kinds": " / ".join("+".join(map(kind_short, k)) for k in c["kinds"]),
             "bottleneck": money(c["bottleneck"], currency_of(result), short=True, unknown="unknown")}
            for c in result["cycles"]]


def _bounded_share(b: dict[str, Any]) -> str:
    text = percent(b["value"])
    if b["low"] != b["value"] or b["high"] != b["value"]:
        lo = "n/a" if b["low"] is None else f"{b['low'] * 100:.1f}"
        hi = "n/a" if b["high"] is None else f"{b['high'] * 100:.1f}"
        text += f" (low {lo}, high {hi})"
    return text


def loops_summary(result: dict[str, Any]) -> list[str]:
    """The lines under the ``loops`` table: the metrics and whether the search was complete."""
    m = result["metrics"]
    cov = m["coverage"]
    truncated = result["bounds"]["truncated_by"]
    return [*money_lines(result), f"cyclic share {_bounded_share(m['cyclic_share'])}, clearable share {_bounded_share(m['clearable_share'])}, "
            f"Finn cycling index {index(m['finn_cycling_index']['value'])}; "
            f"amounts known for {cov['edges_with_amount']} of {cov['edges']} flows",
            "search complete" if not truncated else f"search cut short by: {', '.join(truncated)}"]


STRESS_CATEGORIES = ("revenue", "funding", "capacity", "equity")


def stress_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``stress`` table: one row per company and what it loses."""
    rows = []
    cur = currency_of(result)
    for loss in result["losses"]:
        for category in STRESS_CATEGORIES:
            e = loss.get(category)
            if not e:
                continue
            amount = money(e["amount"], cur, short=True, unknown="unknown")
            if e["unknown_deals"] and e["amount"] is not None:
                amount += f" + {e['unknown_deals']} deal(s) of unknown size"
            lost = "n/a" if e["share"] is None else f"{e['share'] * 100:.0f} % of known amounts"
            if e.get("revenue_share_lost") is not None:
                lost = f"{e['revenue_share_lost'] * 100:g} % of revenue (stated share)"
            if e["unknown_deals_kept"]:
                n = e["unknown_deals_kept"]
                lost += f"; {n} {category} deal{'s' if n > 1 else ''} of unknown size remain{'' if n > 1 else 's'}"
            by_stage = e["amount_by_stage"]
            if e["amount"] and by_stage["realised+committed"] < e["amount"]:
                amount += f" ({money(by_stage['realised+committed'], cur, short=True)} realised or committed)"
            rows.append({"company": loss["company"], "loses": category, "amount": amount,
                         "share of its total": lost, "deals": ", ".join(e["deals"])})
    return rows


STRESS_COLUMNS = ["company", "loses", "amount", "share of its total", "deals"]


def stress_summary_line(result: dict[str, Any]) -> str:
    lost = result["loops_lost"]
    return " ".join([*money_lines(result), f"{len(lost)} of {result['loops_before']} loops break"
                     + (": " + "; ".join(_path(m) for m in lost) if lost else "")])
