"""Evidence quotes against the source articles: every quote of the bundled seeds is found
verbatim in its document, every document is the text that was curated, quotes stay short,
and no seed file carries a long passage of an article (the articles are not ours to copy).

The quotes are read from the raw YAML (not through the loader), so these checks hold even for
a quote the models would refuse.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
ARTICLE_IDS = [d["id"] for d in yaml.safe_load((SEEDS_DIR / "documents.yaml").read_text(encoding="utf-8"))["documents"]]
WINDOW = 300
MAX_QUOTE = 240


def _quotes() -> list:
    out = []
    for path in sorted((SEEDS_DIR / "extractions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("claims", "statements", "totals"):
            for i, rec in enumerate(data.get(section) or []):
                out.append(pytest.param(data["document"], rec["quote"], id=f"{path.stem[:3]}-{section}.{i}"))
    return out


QUOTES = _quotes()


def test_the_seeds_hold_quotes():
    assert len(QUOTES) >= 70  # 49 claims, 23 observations and 2 totals when this was written
    assert {p.values[0] for p in QUOTES} == set(ARTICLE_IDS)  # every article is quoted


@pytest.fixture(scope="module")
def texts(documents_dir) -> dict[str, str]:
    return {doc: (documents_dir / f"{doc}.txt").read_text(encoding="utf-8") for doc in ARTICLE_IDS}


@pytest.mark.parametrize(("document", "quote"), QUOTES)
def test_quote_is_verbatim_in_its_document(texts, document, quote):
    assert quote in texts[document], f"not found verbatim in {document}.txt: {quote!r}"


@pytest.mark.parametrize(("document", "quote"), QUOTES)
def test_quote_is_short(document, quote):
    assert 8 <= len(quote) <= MAX_QUOTE, f"{len(quote)} characters"


@pytest.mark.parametrize(
    ("document", "sha256"),
    [(d["id"], d["sha256"]) for d in yaml.safe_load((SEEDS_DIR / "documents.yaml").read_text(encoding="utf-8"))["documents"]],
)
def test_document_sha256_matches_the_text(documents_dir, document, sha256):
    assert hashlib.sha256((documents_dir / f"{document}.txt").read_bytes()).hexdigest() == sha256


def _seed_files() -> list[Path]:
    return sorted(p for p in SEEDS_DIR.rglob("*") if p.is_file())


def longest_shared_run(article: str, text: str, window: int) -> int | None:
    """The start of the first ``window``-character passage of ``article`` found in ``text``."""
    # Any shared passage of `window` characters contains an aligned block of window // 2: look
    # for those first, then for the full window around each hit.
    half = window // 2
    for start in range(0, max(len(article) - half + 1, 1), half):
        if article[start:start + half] in text:
            for i in range(max(0, start - half), min(start + 1, len(article) - window + 1)):
                if article[i:i + window] in text:
                    return i
    return None


@pytest.mark.parametrize("document", ARTICLE_IDS)
@pytest.mark.parametrize("seed_file", _seed_files(), ids=lambda p: str(p.relative_to(SEEDS_DIR)))
def test_no_seed_file_holds_a_long_passage_of_an_article(texts, document, seed_file):
    text = seed_file.read_text(encoding="utf-8", errors="replace")
    at = longest_shared_run(texts[document], text, WINDOW)
    assert at is None, f"{seed_file.name} copies {WINDOW} characters of {document} from offset {at}"


@pytest.mark.parametrize(
    ("article", "text", "found"),
    [
        ("x" * 50 + "abcdefghij" * 40 + "y" * 50, "...." + "abcdefghij" * 40, True),
        ("abcdefghij" * 40, "abcdefghij" * 29, False),  # 290 characters: under the window
        ("0123456789" * 60, "" , False),
        ("".join(chr(65 + i % 26) + str(i) for i in range(400)),
         "prefix " + "".join(chr(65 + i % 26) + str(i) for i in range(200, 360)) + " suffix", True),
    ],
    ids=["copied", "short-run", "empty", "unaligned"],
)
def test_the_window_check_itself(article, text, found):
    assert (longest_shared_run(article, text, WINDOW) is not None) is found
