"""The ``dealgraph`` command: thin typer commands over :mod:`dealgraph.api`.

Each command opens the store, calls one API method and prints; library errors become one
line on stderr and a non-zero exit (2 for invalid seeds, 1 for anything else). Heavy imports
(rdflib, pyoxigraph, pyshacl, pyvis) happen inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import typer

from .backend import ENDPOINT_ENV, STORE_ENV

app = typer.Typer(
    name="dealgraph",
    help="A knowledge graph of AI-industry deals, and how much of their money goes round in a circle.\n\n"
    "Start with: dealgraph build, then dealgraph report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

StoreOption = typer.Option(
    None, "--store", envvar=STORE_ENV, metavar="PATH",
    help="Store folder [default: $DEALGRAPH_STORE, else ~/.local/share/dealgraph/store].")
EndpointOption = typer.Option(
    None, "--endpoint", envvar=ENDPOINT_ENV, metavar="URL",
    help="Use a remote SPARQL 1.1 engine (its base URL, e.g. http://127.0.0.1:7878 for Oxigraph "
         "server) instead of the embedded store. Credentials: $DEALGRAPH_ENDPOINT_USER, "
         "$DEALGRAPH_ENDPOINT_PASSWORD.")
SeedsOption = typer.Option(None, "--seeds", metavar="DIR", help="Seeds folder [default: the bundled seeds].")
DocumentsOption = typer.Option(
    None, "--documents", envvar="DEALGRAPH_DOCUMENTS", metavar="DIR",
    help="Folder of the source texts (<document id>.txt): check hashes and that every quote is in them.")


class TextOrJson(str, Enum):
    """What every command prints: ``text`` for people (tables, lines), ``json`` for programs."""

    text = "text"
    json = "json"


class ResultFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    tsv = "tsv"


class ExportFormat(str, Enum):
    ttl = "ttl"
    trig = "trig"
    nq = "nq"
    nt = "nt"
    jsonld = "jsonld"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


def _open(store: Optional[Path], endpoint: Optional[str]):
    from .api import DealGraph

    return DealGraph.open(store, endpoint=endpoint)


def _say(text: str, *, err: bool = False, nl: bool = True, wrap: bool = False) -> None:
    """Print a line for people: data in it is shown, never obeyed (control characters escaped).
    With ``wrap``, a long line is wrapped to the terminal's width (error lines never are: one
    problem, one line)."""
    from .render import console
    from .text import printable

    text = printable(str(text))
    if wrap:
        import textwrap

        text = textwrap.fill(text, width=console().width, subsequent_indent="  ", break_long_words=False,
                             break_on_hyphens=False)
    typer.echo(text, err=err, nl=nl)


def _json(data: Any) -> None:
    """Print JSON indented by two, as ``json.dumps(data, indent=2, ensure_ascii=False)`` would,
    written by orjson: the standard library indents in pure Python (4.7 s for the 129 MB report
    of 100 000 synthetic deals, 11.6 s for the 224 MB one of 10 000, against 0.26 s and 0.8 s).
    The texts differ only in notation: a float under 1e-4 is written in full by orjson
    (0.000027643245245179138 for 2.7643245245179138e-05, the same double), and a NaN as null
    (the standard library's NaN is no JSON). What orjson refuses (an integer beyond 64 bits) is
    written by the standard library, as before. C0 controls
    are escaped by both; C1 controls (0x9b is a terminal's CSI) and the bidirectional overrides
    left raw are written as \\u escapes, still valid JSON."""
    import orjson

    from .text import u_escaped

    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except orjson.JSONEncodeError:
        text = json.dumps(data, indent=2, ensure_ascii=False)
    typer.echo(u_escaped(text))


def _err(message: str) -> None:
    _say(f"dealgraph: error: {message}", err=True)


def cli_errors(fn: Callable) -> Callable:
    """Turn dealgraph's errors into one clean line each and an exit status, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import DealGraphError, InvalidSeeds

        try:
            return fn(*args, **kwargs)
        except InvalidSeeds as exc:
            for problem in exc.problems:
                _say(str(problem), err=True)
            errors = sum(1 for p in exc.problems if p.severity == "error")
            _err(f"the seeds have {errors} error(s); nothing was written")
            raise typer.Exit(2)
        except DealGraphError as exc:
            _err(str(exc))
            raise typer.Exit(1)
        except BrokenPipeError:  # `dealgraph deals | head`: the reader left, nothing is wrong
            sys.stderr.close()
            raise typer.Exit(0)
        except OSError as exc:
            _err(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
            raise typer.Exit(1)
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise  # the command's own exit status, or a usage error typer reports
        except Exception as exc:  # a defect of dealgraph's own: one line still, the trace on request
            if os.environ.get("DEALGRAPH_DEBUG"):
                raise
            _err(f"unexpected {type(exc).__name__}: {exc} (a bug in dealgraph: rerun with DEALGRAPH_DEBUG=1 "
                 "for the trace and report it)")
            raise typer.Exit(70)

    return wrapper


def _progress() -> Callable[[str], None]:
    """Stage messages on stderr when it is a terminal; silent in pipes and tests."""
    if not sys.stderr.isatty():
        return lambda _: None
    from rich.console import Console

    console = Console(stderr=True)
    from rich.text import Text

    from .text import printable

    return lambda msg: console.print(Text(f"… {printable(msg)}", style="dim"))


# --------------------------------------------------------------------------------------------


@app.command()
@cli_errors
def build(seeds: Optional[Path] = SeedsOption, documents: Optional[Path] = DocumentsOption,
          store: Optional[Path] = StoreOption, endpoint: Optional[str] = EndpointOption,
          fmt: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text, or json for the counts.")) -> None:
    """Validate the seeds and (re)build the embedded store, atomically.

    A build that fails or is interrupted leaves the previous store as it was. With --endpoint,
    the dataset is pushed to a remote engine graph by graph; rerun an interrupted push.

    Examples:

      dealgraph build --documents ../shared/seeds --store ./store

      dealgraph build --endpoint http://127.0.0.1:7878
    """
    from .api import DealGraph

    graph, report = DealGraph.build(seeds, documents, store, endpoint=endpoint, progress=_progress())
    graph.close()
    for w in report.warnings:
        _say(w, err=True)
    if fmt == TextOrJson.json:
        _json(report.as_dict())
        return
    _say(f"Built {report.location}")
    for key in ("documents", "companies", "deals", "claims", "observations", "triples"):
        typer.echo(f"  {key:<13}{getattr(report, key):>7}")


@app.command()
@cli_errors
def validate(draft: Optional[Path] = typer.Argument(None, metavar="[DRAFT.yaml]",
                                                   help="A draft (from `dealgraph draft`) to check as if merged into the seeds."),
             seeds: Optional[Path] = SeedsOption, documents: Optional[Path] = DocumentsOption,
             shacl: bool = typer.Option(True, "--shacl/--no-shacl", help="Also validate the built RDF against ontology/shapes.ttl.")) -> None:
    """Check the seeds (schema, references, amounts, dates, quotes, totals) and the RDF
    they build (SHACL), without writing anything. Given a draft, check the seeds as if it
    were merged, and list the review notes the curator has still to clear.

    Exit status: 0 valid, 2 invalid seeds, 1 SHACL violations.

    Examples:

      dealgraph validate --documents ../shared/seeds

      dealgraph validate draft.yaml --seeds seeds --documents articles/
    """
    from .api import validate as run

    report = run(seeds, documents, drafts=[draft] if draft else [], shacl=shacl, progress=_progress())
    _say_validation(report)
    typer.echo(f"OK: {report.documents} documents, {report.deals} deals, {report.claims} claims; "
               f"{_validation_summary(report)}")


def _say_validation(report) -> None:
    """The warnings, review notes and SHACL violations of a validation, on standard error."""
    for w in report.warnings + report.to_review:
        _say(w, err=True)
    for v in report.shacl_violations:
        _say(f"SHACL: {v}", err=True)
    if not report.ok:
        _err(f"the built graph violates {len(report.shacl_violations)} SHACL constraint(s)")
        raise typer.Exit(1)


def _validation_summary(report) -> str:
    quotes = "every quote found in its document" if report.quotes_checked else "quotes not checked (no --documents)"
    shacl_note = "SHACL: conforms" if report.shacl_conforms else "SHACL: not run"
    review = f"; {len(report.to_review)} note(s) to review" if report.to_review else ""
    return f"{quotes}; {shacl_note}; {len(report.warnings)} warning(s){review}"


@app.command()
@cli_errors
def add(draft: Path = typer.Argument(..., metavar="DRAFT.yaml", help="A reviewed draft, from `dealgraph draft`."),
        seeds: Optional[Path] = typer.Option(None, "--seeds", metavar="DIR",
                                             help="Seeds folder to merge into [default: seeds/ of this checkout]."),
        documents: Optional[Path] = DocumentsOption) -> None:
    """Merge a reviewed draft into the seeds folder: its document entry, new entities and
    deals, and its extraction file. Every check of `validate` runs on the merged seeds
    first; then all the files are written, or none. Refuses ids already taken and a
    document already in the seeds. Review notes left in the draft are kept and listed.

    Example: dealgraph add draft.yaml --seeds seeds --documents articles/
    """
    from .api import add as run

    report = run(draft, seeds, documents, progress=_progress())
    _say_validation(report.validation)
    typer.echo(f"Added {report.document}: {report.entities} entities, {report.deals} deals, "
               f"{report.claims} claims ({', '.join(report.files)}); {_validation_summary(report.validation)}")


class DraftFormat(str, Enum):
    yaml = "yaml"
    json = "json"


@app.command()
@cli_errors
def draft(article: Path = typer.Argument(..., metavar="ARTICLE", help="The article: plain text (UTF-8) or HTML."),
          output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="DRAFT.yaml",
                                                help="File to write [default: standard output]."),
          url: Optional[str] = typer.Option(None, "--url", metavar="URL", help="Where the article was published."),
          published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD",
                                                  help="Its publication date [default: the latest full date "
                                                       "it mentions, marked for review]."),
          document_id: Optional[str] = typer.Option(None, "--id", metavar="ID",
                                                    help="The document's id [default: the file name without "
                                                         "its extension]."),
          seeds: Optional[Path] = SeedsOption,
          fmt: DraftFormat = typer.Option(DraftFormat.yaml, "--format", "-f",
                                          help="yaml (the seeds' schema, for `dealgraph add`), or json (the "
                                               "deals as records of the deals JSON, with the mentions).")) -> None:
    """Draft the seed entries of one article (English, French, Italian, German or Spanish):
    its document entry, new organisations, proposed deals, one claim per stated fact with a
    verbatim quote, and every money amount, percentage, date and capacity it mentions. Each
    guess carries a `review:` note; review them, then merge the draft with `dealgraph add`.

    Examples:

      dealgraph draft article.txt --published 2025-09-22 -o article.draft.yaml

      dealgraph validate article.draft.yaml --documents articles/

      dealgraph draft page.html --url https://example.com/news --format json
    """
    from .api import draft as run

    result = run(article, seeds, url=url, published=published, document_id=document_id)
    text = result.render(fmt.value)
    if output is None:
        sys.stdout.write(text)
        return
    with _writing_to(output):
        sys.stdout.write(text)
    doc = result.data["document"]["id"]
    if result.html:
        kept = output.parent / f"{doc}.txt"
        kept.write_text(result.text, encoding="utf-8")
        _say(f"Wrote {kept} (the text extracted from the page: keep it with the documents)", err=True)
    _say(f"Wrote {output}: {len(result.data['entities'])} new entities, {len(result.data['deals'])} new deals, "
         f"{len(result.data['claims'])} claims, {len(result.data['mentions'])} mentions; review its notes, "
         f"then: dealgraph add {output}", err=True)


@app.command()
@cli_errors
def query(
    query: Optional[str] = typer.Argument(None, help="SPARQL text, a .rq file, or a saved query's name."),
    list_saved: bool = typer.Option(False, "--list", help="List the saved queries."),
    bind: list[str] = typer.Option([], "--bind", "-b", metavar="NAME=VALUE",
                                   help="Preset a variable to a plain literal (repeatable)."),
    fmt: ResultFormat = typer.Option(ResultFormat.text, "--format", "-f",
                                     help="text (a table), or a W3C SPARQL results format: json, csv, tsv."),
    store: Optional[Path] = StoreOption,
    endpoint: Optional[str] = EndpointOption,
) -> None:
    """Run a SPARQL query on the store.

    Examples:

      dealgraph query --list

      dealgraph query deals-of-company --bind company=Nvidia

      dealgraph query 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' --format csv
    """
    from .errors import QueryError
    from .api import saved_queries

    if list_saved:
        for q in saved_queries().values():
            typer.echo(f"{q.name:<22} {q.description}")
        return
    if not query:
        raise QueryError("give a query (SPARQL text, a .rq file or a saved query's name), or --list")
    bindings = {}
    for item in bind:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--bind takes NAME=VALUE, not {item!r}")
        bindings[name.lstrip("?")] = value
    with _open(store, endpoint) as graph:
        result = graph.query(query, **bindings)
        if fmt == ResultFormat.text:
            from .render import print_table

            print_table(result.rows, result.columns)
            typer.echo(f"{len(result)} row(s)", err=True)
        else:
            sys.stdout.write(result.serialize(fmt.value))


@app.command()
@cli_errors
def deals(company: Optional[str] = typer.Option(None, "--company", "-c", help="Only deals this company (name or alias) is party to."),
          fmt: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f"),
          store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """List the deals of the resolved view: one record per deal, money flowing from -> to.

    The JSON (--format json) is a stable interface, documented in the README.

    Example: dealgraph deals --company CoreWeave --format json
    """
    from .render import deal_rows, deals_footnote, print_table

    with _open(store, endpoint) as graph:
        records = graph.deals(company)
    if fmt == TextOrJson.json:
        _json(records)
        return
    # the number of sources is in the JSON: without it the table fits 120 columns
    print_table(deal_rows(records), ["deal", "kind", "from", "to", "amount", "share", "date", "status"])
    if footnote := deals_footnote(records):
        _say(footnote, wrap=True)


@app.command()
@cli_errors
def companies(fmt: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f"),
              store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """List the companies with the aliases the sources use for them.

    Example: dealgraph companies --format json
    """
    with _open(store, endpoint) as graph:
        records = graph.companies()
    if fmt == TextOrJson.json:
        _json(records)
        return
    from .render import company_rows, print_table

    print_table(company_rows(records), ["id", "name", "aliases", "wikidata"])


@app.command()
@cli_errors
def export(fmt: ExportFormat = typer.Option(
               ..., "--format", "-f",
               help="trig, nq, jsonld: every named graph; ttl, nt: the resolved view; graphml, gexf, csv: the "
                    "money-flow graph for network tools (csv: FILE.nodes.csv and FILE.edges.csv)."),
           output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="File to write."),
           currency: str = typer.Option("USD", "--currency", metavar="CODE",
                                        help="graphml, gexf, csv: currency to give money in (see loops --help)."),
           rate: list[str] = typer.Option([], "--rate", metavar="CODE=RATE",
                                          help="graphml, gexf, csv: exchange rate, 1 CODE = RATE (repeatable)."),
           store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """Export the store (RDF, with Oxigraph's serializers) or the money-flow graph for Gephi,
    Cytoscape, Kumu or Flourish: companies and deals, holdings included, with their amounts,
    stages, sources and loop membership. CSV is two files: -o deals writes deals.nodes.csv
    and deals.edges.csv.

    Examples:

      dealgraph export --format trig -o dealgraph.trig

      dealgraph export --format graphml -o deals.graphml

      dealgraph export --format csv -o deals

      dealgraph export --format graphml -o deals.graphml --rate EUR=1.08
    """
    with _open(store, endpoint) as graph:
        path = graph.export(output, fmt.value, currency=currency.upper(), rates=_rates(rate))
    if fmt == ExportFormat.csv:
        from .network import csv_paths

        for written in csv_paths(output):
            _say(f"Wrote {written}")
    else:
        _say(f"Wrote {path}")


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


AsOfOption = typer.Option(None, "--as-of", metavar="DATE",
                          help="View the graph as of a date (YYYY, YYYY-MM or YYYY-MM-DD).")
CurrencyOption = typer.Option("USD", "--currency", metavar="CODE",
                              help="Currency to give money in (ISO 4217); amounts in any other currency count "
                                   "as unknown unless --rate gives a rate.")
RateOption = typer.Option([], "--rate", metavar="CODE=RATE",
                          help="Exchange rate, as 1 CODE = RATE of --currency (EUR=1.08); repeatable. No rate is "
                               "ever assumed.")


def _rates(texts: list[str]) -> dict[str, str]:
    """``["EUR=1.08"]`` -> ``{"EUR": "1.08"}``; the API checks the codes and numbers."""
    from .errors import InvalidInput

    rates: dict[str, str] = {}
    for text in texts:
        code, sep, rate = text.partition("=")
        if not sep or not code.strip() or not rate.strip():
            raise InvalidInput(f"--rate {text!r}: write CODE=RATE, e.g. EUR=1.08 (1 EUR = 1.08 of --currency)")
        if code.strip().upper() in rates:
            raise InvalidInput(f"--rate: two rates for {code.strip().upper()}")
        rates[code.strip().upper()] = rate.strip()
    return rates


@app.command()
@cli_errors
def loops(max_length: int = typer.Option(6, "--max-length", min=1, max=12, help="Longest loop to look for, in hops."),
          kind: list[str] = typer.Option([], "--kind", "-k", metavar="KIND", help="Keep only deals of this kind (repeatable)."),
          as_of: Optional[str] = AsOfOption,
          currency: str = CurrencyOption,
          rate: list[str] = RateOption,
          fmt: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f"),
          store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """Find the closed loops of money and measure how circular the flows are.

    Prints every elementary cycle (members, deals, kinds, bottleneck), the cyclic share, the
    clearable share, Finn's cycling index with per-company return fractions, and the bounds
    that limited the search.

    Amounts are added in one currency only (--currency, USD by default): an amount in another
    currency is unknown unless --rate gives its rate, and the output says which were.

    Example: dealgraph loops --max-length 4 --as-of 2025-06 --format json

    Example: dealgraph loops --rate EUR=1.08 --rate GBP=1.27
    """
    from .render import loop_rows, loops_summary, print_table

    with _open(store, endpoint) as graph:
        result = graph.loops(max_length=max_length, kinds=kind or None, as_of=as_of, currency=currency.upper(),
                             rates=_rates(rate))
    if fmt == TextOrJson.json:
        _json(result)
        return
    if result["cycles"]:
        print_table(loop_rows(result), ["loop", "kinds", "bottleneck"])
    else:
        _say(f"no loops{' as of ' + as_of if as_of else ''}: "
             f"{result['metrics']['coverage']['edges']} money flow(s), none of them closes a loop", wrap=True)
    for line in loops_summary(result):
        _say(line, wrap=True)


@app.command()
@cli_errors
def report(as_of: Optional[str] = AsOfOption,
           fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f",
                                            help="text, markdown, json, or html: one self-contained page (charts "
                                                 "and the interactive network in it) to write with -o."),
           output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                                 help="Write the report to FILE instead of the terminal."),
           plots: Optional[Path] = typer.Option(None, "--plots", metavar="DIR",
                                                help="Also write PNG charts into DIR (needs matplotlib)."),
           max_length: int = typer.Option(6, "--max-length", min=1, max=12, help="Longest loop to look for, in hops."),
           currency: str = CurrencyOption,
           rate: list[str] = RateOption,
           store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """The closed-loop report: what the graph holds, the loops and their money, the metrics,
    revenue concentration, conflicting claims and stated totals, each traced to its sources.

    Examples:

      dealgraph report

      dealgraph report --format markdown > report.md

      dealgraph report --format html -o report.html

      dealgraph report --plots charts/

      dealgraph report --currency EUR --rate USD=0.92
    """
    from .errors import InvalidInput
    from .render import print_report, report_markdown

    if fmt == ReportFormat.html and output is None and sys.stdout.isatty():
        raise InvalidInput("--format html writes a page, not terminal text: give -o FILE.html")
    with _open(store, endpoint) as graph:
        data = graph.report(as_of=as_of, max_length=max_length, currency=currency.upper(), rates=_rates(rate))
        written = graph.plots(plots, data) if plots is not None else []
        page = graph.report_html(data, as_of=as_of, max_length=max_length) if fmt == ReportFormat.html else None
    # with -o, the file gets what a pipe would: the same printing, stdout sent to the file
    with _writing_to(output) if output is not None else contextlib.nullcontext():
        if page is not None:
            typer.echo(page, nl=False)
        elif fmt == ReportFormat.json:
            _json(data)
        elif fmt == ReportFormat.markdown:
            typer.echo(report_markdown(data), nl=False)
        else:
            print_report(data)
    for path in [*written, *([output] if output is not None else [])]:
        _say(f"Wrote {path}", err=True)


@contextlib.contextmanager
def _writing_to(path: Path) -> Iterator[None]:
    """Send stdout to ``path`` through a temporary file beside it, put in place when all is
    written: a reader never sees half a report, and a failure leaves what was there."""
    from .errors import DealGraphError

    tmp = path.with_name(f".{path.name}.part")
    try:
        file = tmp.open("w", encoding="utf-8")
    except OSError as exc:
        raise DealGraphError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:  # from here on the temporary file is ours, and goes whatever happens
        with file, contextlib.redirect_stdout(file):
            yield
        try:
            tmp.replace(path)
        except OSError as exc:
            raise DealGraphError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


@app.command()
@cli_errors
def stress(remove: str = typer.Option(..., "--remove", "-r", metavar="NAME",
                                      help="A company (name or alias) or a deal id to take away."),
           as_of: Optional[str] = AsOfOption,
           currency: str = CurrencyOption,
           rate: list[str] = RateOption,
           fmt: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f"),
           store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """What every other company loses if a company or a deal goes away: revenue, funding,
    capacity and equity, and which loops break.

    Example: dealgraph stress --remove Microsoft
    """
    from .render import STRESS_COLUMNS, print_table, stress_rows, stress_summary_line

    with _open(store, endpoint) as graph:
        result = graph.stress(remove, as_of=as_of, currency=currency.upper(), rates=_rates(rate))
    if fmt == TextOrJson.json:
        _json(result)
        return
    print_table(stress_rows(result), STRESS_COLUMNS, title=f"Without {result['removed']}")
    _say(stress_summary_line(result), wrap=True)


@app.command()
@cli_errors
def view(output: Path = typer.Option(Path("dealgraph.html"), "--output", "-o", metavar="FILE.html",
                                     help="Page to write."),
         as_of: Optional[str] = AsOfOption,
         kind: list[str] = typer.Option([], "--kind", "-k", metavar="KIND", help="Keep only deals of this kind (repeatable)."),
         loops_only: bool = typer.Option(False, "--loops-only", help="Only the deals on loops."),
         open_page: bool = typer.Option(False, "--open", help="Open the page in a browser."),
         currency: str = CurrencyOption,
         rate: list[str] = RateOption,
         store: Optional[Path] = StoreOption,
          endpoint: Optional[str] = EndpointOption) -> None:
    """Write the interactive graph page: companies sized by money received, deals as arrows
    the way money flows, loops in red, evidence quotes on hover. Works offline.

    Example: dealgraph view -o deals.html --loops-only --open
    """
    with _open(store, endpoint) as graph:
        graph.view(output, as_of=as_of, kinds=kind or None, loops_only=loops_only, currency=currency.upper(),
                   rates=_rates(rate))
    _say(f"Wrote {output}")
    if open_page:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


@app.command()
@cli_errors
def serve(listen: str = typer.Option("127.0.0.1:7878", "--listen", metavar="HOST:PORT", help="Address to listen on."),
          store: Optional[Path] = StoreOption) -> None:
    """Serve the embedded store as a read-only SPARQL 1.1 endpoint (Oxigraph server).

    Endpoints: /query (SPARQL), /store (Graph Store Protocol, read). A query without GRAPH
    reads all the named graphs, as on the embedded store. Stop it with Ctrl-C.
    Needs the server extra: pip install 'dealgraph[server]'.

    Example: dealgraph serve --listen 127.0.0.1:7878, then
    dealgraph query who-funds-whom --endpoint http://127.0.0.1:7878
    """
    from .api import server_command

    argv = server_command(store, listen)
    _say(f"Serving {argv[3]} at http://{listen}/query (Ctrl-C to stop); a snapshot: restart it after "
         "`dealgraph build` to serve the new build", err=True)
    os.execv(argv[0], argv)


@app.command()
@cli_errors
def synth(companies: int = typer.Option(..., "--companies", metavar="N", help="Number of companies (at least 2)."),
          deals: int = typer.Option(..., "--deals", metavar="M", help="Number of deals (at least 1)."),
          seed: int = typer.Option(0, "--seed", metavar="S", help="Random seed: the same seed gives the same bytes."),
          documents_per_deal: int = typer.Option(3, "--documents-per-deal", metavar="K",
                                                 help="Most documents reporting one deal (most deals get one)."),
          output: Path = typer.Option(..., "--output", "-o", metavar="DIR",
                                      help="Folder to write: new, empty, or an earlier synth output.")) -> None:
    """Generate a random deal network in the seeds' format, with what was planted (loops,
    conflicting claims, stated totals) in DIR/planted.json.

    Writes documents.yaml, entities.yaml, deals.yaml, extractions/ and the synthetic texts in
    documents/, so every command runs on it: dealgraph build --seeds DIR --documents DIR/documents.

    Example: dealgraph synth --companies 500 --deals 5000 --seed 1 -o synth/
    """
    from .api import synth as generate

    manifest = generate(output, companies, deals, seed=seed, documents_per_deal=documents_per_deal)
    counts = manifest["counts"]
    _say(f"Wrote {output}")
    for key in ("companies", "deals", "documents", "claims", "loops", "conflicts", "totals"):
        typer.echo(f"  {key:<13}{counts[key]:>7}")
    _say(f"Next: dealgraph build --seeds {output} --documents {output / 'documents'}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
