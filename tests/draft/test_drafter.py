"""`dealgraph draft`: each seed article drafted, added into an empty seeds folder, validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dealgraph import api
from dealgraph.cli import app
from dealgraph.seeds import default_documents_dir

ARTICLES = default_documents_dir()
needs_articles = pytest.mark.skipif(ARTICLES is None or not any(ARTICLES.glob("*.txt")),
                                    reason="the seed articles (../shared/seeds/*.txt) are not beside this checkout")


@needs_articles
def test_each_seed_article_drafted_then_added_into_an_empty_folder_validates(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for article in sorted(ARTICLES.glob("0*.txt")):
        draft = tmp_path / f"{article.stem}.yaml"
        result = CliRunner().invoke(app, ["draft", str(article), "--seeds", str(folder), "-o", str(draft)])
        assert result.exit_code == 0, result.output
        data = yaml.safe_load(draft.read_text(encoding="utf-8"))
        text = article.read_text(encoding="utf-8")
        for claim in data["claims"]:  # verbatim, checked against the text itself
            assert claim["quote"] in text and claim["basis"] == "stated" and claim["review"]
        for m in data["mentions"]:
            assert text[m["start"]:m["end"]] == m["surface"]
        api.add(draft, folder, ARTICLES)
    report = api.validate(folder, ARTICLES)
    assert report.documents == 5 and report.quotes_checked and report.shacl_conforms


@needs_articles
def test_json_gives_the_deals_as_public_records_with_the_mentions():
    article = ARTICLES / "004_9cb071e2598439fe.txt"
    result = CliRunner().invoke(app, ["draft", str(article), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["document"]["id"] == "004_9cb071e2598439fe" and data["document"]["language"] == "it"
    assert data["mentions"] and all({"kind", "surface", "start", "end"} <= set(m) for m in data["mentions"])
    for record in data["deals"]:
        assert {"id", "kind", "from", "to", "amount", "share", "date", "status", "sources"} <= set(record)


def test_a_drafted_text_of_my_own_validates_against_no_seeds(tmp_path):
    article = tmp_path / "acme_news.txt"
    article.write_text("Acme Robotics raises money\nOn 2025-09-22 Acme Robotics Inc. said that Nvidia "
                       "invested in Acme Robotics Inc. about $2 billion. Nvidia said the deal was signed.\n",
                       encoding="utf-8")
    result = api.draft(article, tmp_path / "none", url="https://example.com/a", published="2025-09-22")
    data = result.data
    # the url is the document's own field since the model holds one (not a note any more)
    assert data["document"]["published"] == "2025-09-22" and data["document"]["url"] == "https://example.com/a"
    draft = tmp_path / "draft.yaml"
    draft.write_text(result.render("yaml"), encoding="utf-8")
    api.validate(tmp_path / "none", tmp_path, drafts=[draft])


@pytest.mark.parametrize("line, title", [
    ("Nvidia to invest in OpenAI", "Nvidia to invest in OpenAI"),
    ("CoreWeave signs a contract with OpenAI. " + "The deal is worth more than anyone expected. " * 5,
     "CoreWeave signs a contract with OpenAI."),
    ("word " * 60, ("word " * 31).strip() + "…"),
])
def test_a_draft_proposes_a_headline_not_a_paragraph(line, title):
    from dealgraph.draft.drafter import HEADLINE, _headline

    assert _headline(line) == title
    assert len(_headline(line)) <= HEADLINE


HELD_OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "articles"


def test_each_held_out_article_drafted_then_added_into_an_empty_folder_validates(tmp_path):
    # the held-out articles state what the seed articles do not (a warrant with its count of
    # shares, leases, rates a year, terms, euros): every draft must still merge and validate,
    # SHACL included, with those fields written
    folder = tmp_path / "seeds"
    folder.mkdir()
    written = set()
    for article in sorted(HELD_OUT.glob("*.txt")):
        draft = tmp_path / f"{article.stem}.yaml"
        result = CliRunner().invoke(app, ["draft", str(article), "--seeds", str(folder), "-o", str(draft)])
        assert result.exit_code == 0, result.output
        data = yaml.safe_load(draft.read_text(encoding="utf-8"))
        written |= {d["kind"] for d in data["deals"]}
        for claim in data["claims"]:
            written |= {k for k in ("quantity", "tranche", "price") if k in claim}
            written |= {k for k in ("per", "term") if k in claim.get("amount", {})}
        api.add(draft, folder, HELD_OUT)
    assert {"warrant", "lease", "quantity", "per", "term"} <= written
    report = api.validate(folder, HELD_OUT)
    assert report.documents == 10 and report.quotes_checked and report.shacl_conforms
