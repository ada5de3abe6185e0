"""The language of an article: one of five, or a clear refusal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dealgraph.draft import LanguageNotDetected, TextTooShort, UnsupportedLanguage, detect_language, guess_language
from dealgraph.errors import DealGraphError

DOCUMENTS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

SENTENCES = [
    ("Nvidia said on Monday it would invest up to $100 billion in OpenAI and supply it with data-centre chips.", "en"),
    ("Microsoft remains CoreWeave's largest customer, accounting for most of its revenue last year.", "en"),
    ("Nvidia a annoncé lundi qu'elle investirait jusqu'à 100 milliards de dollars dans OpenAI.", "fr"),
    ("CoreWeave prépare son introduction en bourse malgré le retrait de Microsoft.", "fr"),
    ("Nvidia ha annunciato lunedì che investirà fino a 100 miliardi di dollari in OpenAI.", "it"),
    ("CoreWeave ha firmato un nuovo contratto con OpenAI per la fornitura di capacità di calcolo.", "it"),
    ("Nvidia kündigte am Montag an, bis zu 100 Milliarden US-Dollar in OpenAI zu investieren.", "de"),
    ("CoreWeave bereitet trotz des Rückzugs von Microsoft seinen Börsengang vor.", "de"),
    ("Nvidia anunció el lunes que invertirá hasta 100.000 millones de dólares en OpenAI.", "es"),
    ("CoreWeave prepara su salida a bolsa a pesar de la retirada de Microsoft.", "es"),
]


@pytest.mark.parametrize("text, lang", SENTENCES)
def test_a_sentence_in_each_language(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("name, lang", [("000_59ef7ef0d81b026c", "fr"), ("001_b5cf80015326deb3", "en"),
                                        ("002_3b40e35e9b637772", "en"), ("003_fd0c659e06895f58", "fr"),
                                        ("004_9cb071e2598439fe", "it")])
def test_the_source_articles(name, lang):
    """The languages documents.yaml gives them."""
    path = DOCUMENTS_DIR / f"{name}.txt"
    if not path.is_file():
        pytest.skip("the source articles (../shared/seeds) are not beside this checkout")
    started = time.perf_counter()
    assert detect_language(path.read_text(encoding="utf-8")) == lang
    assert time.perf_counter() - started < 2  # the budget for a whole article, first call included


@pytest.mark.parametrize("text", ["", "   ", "OpenAI $100bn", "12 345 678", "Nvidia → OpenAI"])
def test_too_short(text):
    with pytest.raises(TextTooShort, match="too short"):
        detect_language(text)
    assert guess_language(text) is None


@pytest.mark.parametrize("text, code", [
    ("O governo brasileiro anunciou hoje um investimento de dez bilhões de reais em centros de dados.", "pt"),
    ("De Nederlandse overheid investeert volgend jaar tien miljard euro in de bouw van chipfabrieken.", "nl"),
    ("Компания объявила сегодня о крупных инвестициях в строительство новых центров обработки данных.", "ru"),
])
def test_another_language_is_refused_and_named(text, code):
    with pytest.raises(UnsupportedLanguage) as info:
        detect_language(text)
    assert info.value.language == code and code in str(info.value)


def test_the_errors_are_dealgraphs():
    assert issubclass(LanguageNotDetected, DealGraphError) and issubclass(LanguageNotDetected, ValueError)
    with pytest.raises(UnsupportedLanguage):
        detect_language("☃☃☃ " * 30 + "xqzv " * 10)
