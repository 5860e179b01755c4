"""Tests for pipeline.stages.langid: en/fr/es detection, determinism, statuses, title excluded.

The first test pays for langdetect's profile loading (about a second); the rest are fast.
"""

from __future__ import annotations

import pytest

from pipeline.records import Article
from pipeline.stages.langid import detect_language, identify

MIN_LETTERS = 30

SENTENCES = {
    "en": [
        "The new law gives the police wide powers to monitor online activity, rights groups say.",
        "Journalists who reported on the protests were detained for two days without charge.",
        "Activists called on the government to release the students arrested last week.",
    ],
    "fr": [
        "La nouvelle loi donne à la police de larges pouvoirs pour surveiller les activités en ligne.",
        "Les journalistes qui couvraient les manifestations ont été détenus pendant deux jours.",
        "Les militants demandent au gouvernement de libérer les étudiants arrêtés la semaine dernière.",
    ],
    "es": [
        "La nueva ley otorga a la policía amplios poderes para vigilar la actividad en línea.",
        "Los periodistas que cubrían las protestas fueron detenidos durante dos días sin cargos.",
        "Los activistas pidieron al gobierno liberar a los estudiantes detenidos la semana pasada.",
    ],
}


def _article(text: str, title: str | None = None) -> Article:
    return Article("art_test", "doc_test", 0, 0, len(text), text, title)


@pytest.mark.parametrize(
    ("lang", "text"), [(lang, text) for lang, texts in SENTENCES.items() for text in texts]
)
def test_langid_detects_en_fr_es(lang: str, text: str) -> None:
    detected, score = detect_language(text)
    assert detected == lang
    assert 0.9 <= score <= 1.0
    article = identify(_article(text), MIN_LETTERS)
    assert (article.status, article.lang, article.error) == ("ok", lang, None)
    assert article.lang_score == score


@pytest.mark.parametrize("text", [texts[0] for texts in SENTENCES.values()] + ["Oui, non, peut-être."])
def test_langid_is_deterministic(text: str) -> None:
    first = detect_language(text)
    detect_language("Un texte différent, pour changer l'état du détecteur entre deux appels.")
    assert detect_language(text) == first
    assert detect_language(text) == first


@pytest.mark.parametrize(
    ("text", "status", "lang"),
    [
        ("", "empty", None),
        ("   \n\t  ", "empty", None),
        ("12345 — 67 / 89 ...", "empty", None),
        ("Hi there", "too_short", "unknown"),  # a guess is recorded, but flagged
        ("Oui.", "too_short", "unknown"),
        ("Sí, claro.", "too_short", "unknown"),
        (
            "Das neue Gesetz gibt der Polizei weitreichende Befugnisse, um das Internet zu überwachen.",
            "unsupported_language",
            "de",
        ),
        (
            "La nuova legge concede alla polizia ampi poteri per sorvegliare le attività online.",
            "unsupported_language",
            "it",
        ),
        (SENTENCES["en"][0], "ok", "en"),
    ],
)
def test_langid_identify_statuses(text: str, status: str, lang: str | None) -> None:
    article = identify(_article(text), MIN_LETTERS)
    assert article.status == status
    if lang == "unknown":
        assert article.lang is not None
    else:
        assert article.lang == lang
    assert (article.error is None) == (status == "ok")


def test_langid_identify_min_letters_is_respected() -> None:
    text = SENTENCES["fr"][0]
    letters = sum(c.isalpha() for c in text)
    assert identify(_article(text), letters).status == "ok"
    short = identify(_article(text), letters + 1)
    assert short.status == "too_short"
    assert str(letters) in (short.error or "")


def test_langid_title_line_is_excluded_from_detection() -> None:
    title = (
        "RIGHTS GROUPS WARN THAT THE GOVERNMENT WILL WATCH EVERYTHING THEY WRITE ONLINE, "
        "AND THE POLICE SAY THEY WILL KEEP WATCHING THROUGHOUT THE WHOLE WEEK"
    )
    text = f"{title}\nSelon les associations, la police surveille les militants."
    assert detect_language(text)[0] == "en"  # the whole text reads as English...
    article = identify(_article(text, title=title), MIN_LETTERS)
    assert (article.status, article.lang) == ("ok", "fr")  # ...the body is French


def test_langid_title_only_article_falls_back_to_its_text() -> None:
    title = "JOURNALISTS DETAINED AFTER COVERING THE PROTESTS IN THE CAPITAL"
    article = identify(_article(title, title=title), MIN_LETTERS)
    assert (article.status, article.lang) == ("ok", "en")
