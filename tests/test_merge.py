"""`dealgraph add` and `dealgraph validate DRAFT`: a reviewed draft merged into a seeds folder,
all files or none.

The reference is the bundled seeds themselves: cut into one draft per document and added one
by one into an empty folder, they must read back as the same records.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealgraph import api, merge
from dealgraph.cli import app
from dealgraph.errors import DealGraphError, InvalidSeeds
from dealgraph.seeds import default_documents_dir, default_seeds_dir, load_seeds, read_data

SEEDS = default_seeds_dir()


def _read(path: Path):
    return read_data(path)


def _mentioned(value) -> set[str]:
    """Every string in a record: the ids it may refer to."""
    if isinstance(value, dict):
        return set().union(*(_mentioned(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_mentioned(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


def drafts_of_the_seeds(out: Path) -> list[Path]:
    """The bundled seeds as one draft per document: each deal goes with the first document
    that has a claim about it, each entity with the first document whose records name it
    (any left over with the last document)."""
    documents = _read(SEEDS / "documents.yaml")["documents"]
    # 003's totals name a deal that only 004 has claims about: a curator adds 004 first.
    documents.sort(key=lambda d: d["id"].startswith("003_"))
    entities = _read(SEEDS / "entities.yaml")["entities"]
    deals = _read(SEEDS / "deals.yaml")["deals"]
    placed: set[str] = set()
    paths = []
    for i, doc in enumerate(documents):
        extraction = _read(SEEDS / "extractions" / f"{doc['id']}.yaml")
        named = _mentioned({k: v for k, v in extraction.items() if k != "document"})
        last = i == len(documents) - 1
        claimed = {c["deal"] for c in extraction.get("claims", [])}  # a deal comes with a claim
        my_deals = [d for d in deals if d["id"] not in placed and (last or d["id"] in claimed)]
        placed.update(d["id"] for d in my_deals)
        named |= _mentioned(my_deals)
        my_entities: list[dict] = []
        while True:  # with the entities they name in turn (a person's affiliation)
            more = [e for e in entities if e["id"] not in placed and (last or e["id"] in named)]
            if not more:
                break
            placed.update(e["id"] for e in more)
            named |= _mentioned(more)
            my_entities += more
        my_entities.sort(key=entities.index)
        draft = {"document": doc, "entities": my_entities, "deals": my_deals}
        draft.update({k: v for k, v in extraction.items() if k != "document"})
        path = out / f"{doc['id']}.draft.yaml"
        path.write_text(merge.dump_yaml(draft), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_seeds_cut_into_drafts_and_added_one_by_one_are_the_seeds(tmp_path):
    drafts = drafts_of_the_seeds(tmp_path)
    folder = tmp_path / "seeds"
    folder.mkdir()
    for draft in drafts:
        report = api.add(draft, folder, default_documents_dir())
        assert report.validation.shacl_conforms is True
    assert api._records(load_seeds(folder)) == api._records(load_seeds(SEEDS))


def test_a_figure_met_twice_is_written_twice_not_as_an_alias(tmp_path):
    from decimal import Decimal

    shared = Decimal("6.5")
    text = merge.dump_yaml({"claims": [{"amount": {"value": shared}}], "mentions": [{"value": shared}]})
    assert "&" not in text and "*" not in text
    assert text.count("6.5") == 2


def test_appended_records_keep_the_curators_comments(tmp_path, folder):
    draft = _written(tmp_path / "new.yaml")
    before = (folder / "entities.yaml").read_text(encoding="utf-8")
    api.add(draft, folder)
    after = (folder / "entities.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: nothing of what the curators wrote moved
    assert "id: acme-ai" in after[len(before):]
    merged = load_seeds(folder)
    assert merged.entities["acme-ai"].name == "Acme AI"
    assert [c.review for d, c in merged.claims if d == "999_acme"] == ["check the amount's qualifier"]


def _new_document_draft(**changes) -> dict:
    draft = {
        "document": {"id": "999_acme", "title": "Acme AI raises money from Nvidia", "language": "en",
                     "published": "2025-10", "published_basis": "given by the curator",
                     "sha256": "a" * 64, "review": "the title is the text's first line"},
        "entities": [{"id": "acme-ai", "name": "Acme AI", "kind": "company", "aliases": ["Acme AI", "Acme"]}],
        "deals": [{"id": "nvidia-acme-investment", "kind": "equity_investment",
                   "label": "Nvidia's investment in Acme AI",
                   "parties": {"investor": "nvidia", "investee": "acme-ai"}}],
        "claims": [{"deal": "nvidia-acme-investment",
                    "quote": "Nvidia invests about $2 billion in Acme AI",
                    "amount": {"value": 2, "scale": "billion", "currency": "USD", "qualifier": "about",
                               "text": "about $2 billion"},
                    "status": "announced", "review": "check the amount's qualifier"}],
        "mentions": [{"kind": "money", "surface": "$2 billion", "start": 26, "end": 36}],
    }
    draft.update(changes)
    return draft


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the bundled seeds that a test may merge into."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds"


def _written(path: Path, data: dict | None = None) -> Path:
    """``data`` (the new document's draft by default) written as a draft file at ``path``."""
    path.write_text(merge.dump_yaml(_new_document_draft() if data is None else data), encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("change, says", [
    ({"entities": [{"id": "nvidia", "name": "Nvidia again", "kind": "company"}]}, "duplicate id 'nvidia'"),
    ({"document": {**_new_document_draft()["document"], "id": "004_9cb071e2598439fe"}}, "duplicate id"),
    ({"document": {**_new_document_draft()["document"],
                   "sha256": "ed0c4f0a0c6ec1d1e4ed9a0e05cc46a35fbd4da6ab7d82e50a3b7a1a7f0e30d1"}}, None),
    ({"claims": [{"deal": "no-such-deal", "quote": "Nvidia invests about $2 billion in Acme AI"}]}, "no-such-deal"),
])
def test_a_draft_that_does_not_fit_is_refused_and_nothing_is_written(tmp_path, folder, change, says):
    if says is None:  # the same text as a document already present: take its real sha256
        existing = _read(folder / "documents.yaml")["documents"][0]
        change = {"document": {**_new_document_draft()["document"], "sha256": existing["sha256"]}}
        says = f"the same text as document '{existing['id']}'"
    draft = _written(tmp_path / "draft.yaml", _new_document_draft(**change))
    before = _snapshot(folder)
    with pytest.raises(InvalidSeeds) as caught:
        api.add(draft, folder)
    problem = next(p for p in caught.value.problems if p.severity == "error")
    assert says in problem.message
    assert problem.file.endswith("draft.yaml") and problem.line > 1
    assert _snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.yaml", "seeds"]


def test_a_merge_stopped_before_the_swap_leaves_the_seeds_as_they_were(tmp_path, folder, monkeypatch):
    draft = _written(tmp_path / "draft.yaml")
    before = _snapshot(folder)

    def killed(root, staging):
        raise KeyboardInterrupt

    monkeypatch.setattr(merge, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        api.add(draft, folder)
    assert _snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.yaml", "seeds"]


def test_files_that_would_not_read_back_are_not_written(tmp_path, folder, monkeypatch):
    draft = _written(tmp_path / "draft.yaml")
    before = _snapshot(folder)
    real = merge.merged_files

    def with_an_entity_the_draft_lacks(root, data):
        return real(root, {**data, "entities": data["entities"] + [{"id": "ghost", "name": "Ghost", "kind": "company"}]})

    monkeypatch.setattr(merge, "merged_files", with_an_entity_the_draft_lacks)
    with pytest.raises(DealGraphError, match="do not read back"):
        api.add(draft, folder)
    assert _snapshot(folder) == before


def test_the_bundled_seeds_of_an_installed_package_are_not_written(tmp_path):
    fake = tmp_path / "site" / "dealgraph" / "_data" / "seeds"
    fake.mkdir(parents=True)
    with pytest.raises(DealGraphError, match="--seeds"):
        api.add(tmp_path / "draft.yaml", fake)


def test_validate_a_draft_lists_what_is_left_to_review(tmp_path):
    draft = _written(tmp_path / "draft.yaml")
    result = CliRunner().invoke(app, ["validate", str(draft)])
    assert result.exit_code == 0, result.output
    assert "2 note(s) to review" in result.stdout
    reviews = [line for line in result.stderr.splitlines() if " review: " in line]
    assert len(reviews) == 2
    assert all(line.startswith(f"{draft}:") or "draft.yaml:" in line for line in reviews)
    assert any("claims.0.review: check the amount's qualifier" in line for line in reviews)


def test_validate_a_broken_draft_names_its_line(tmp_path):
    bad = _new_document_draft()
    bad["claims"][0]["status"] = "rumoured"
    draft = _written(tmp_path / "draft.yaml", bad)
    result = CliRunner().invoke(app, ["validate", str(draft)])
    assert result.exit_code == 2
    line = next(line for line in result.stderr.splitlines() if "claims.0.status" in line)
    number = int(line.split(":")[1])
    assert draft.read_text(encoding="utf-8").splitlines()[number - 1].strip().startswith("status:")


def test_add_from_the_command_line(tmp_path, folder):
    draft = _written(tmp_path / "draft.yaml")
    result = CliRunner().invoke(app, ["add", str(draft), "--seeds", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Added 999_acme: 1 entities, 1 deals, 1 claims" in result.stdout
    assert (folder / "extractions" / "999_acme.yaml").is_file()
    again = CliRunner().invoke(app, ["add", str(draft), "--seeds", str(folder)])
    assert again.exit_code == 2 and "duplicate id" in again.stderr


@pytest.mark.parametrize("url, ok", [
    ("https://example.com/news/nvidia-openai?id=3#top", True),
    ("http://example.com/a%20b", True),
    ("ftp://example.com/x", False),
    ("https://example.com/a b", False),
    ("https://example.com/<script>", False),
    ("example.com/news", False),
])
def test_a_document_s_web_address_is_one_the_graph_can_link_to(tmp_path, url, ok):
    """The url field becomes an IRI in the graph (schema:url): what cannot be one is refused
    with the field's line, and what is accepted is written as that IRI."""
    data = _new_document_draft()
    data["document"]["url"] = url
    draft = _written(tmp_path / "draft.yaml", data)
    if not ok:
        with pytest.raises(InvalidSeeds) as caught:
            api.validate(drafts=[draft], shacl=False)
        problem = next(p for p in caught.value.problems if p.severity == "error")
        assert problem.field == "document.url" and "not a web address" in problem.message
        return
    from dealgraph.rdf import dataset_quads

    seeds = load_seeds(SEEDS, drafts=[draft])
    links = [q.object.value for q in dataset_quads(seeds) if q.predicate.value == "https://schema.org/url"]
    assert links == [url]
    assert api.validate(drafts=[draft]).shacl_conforms is True


def test_draft_refuses_a_url_that_is_not_one(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Nvidia invests about $2 billion in Acme AI, the companies said on Monday.", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", str(article), "--url", "not a url", "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code != 0
    assert "--url: 'not a url' is not a web address" in result.stderr
    assert not (tmp_path / "d.yaml").exists()
