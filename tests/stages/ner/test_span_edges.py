"""span_edges: a candidate name's edges trimmed, on hand-built docs (no model loaded)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from pipeline.knowledge.lexicon import lexicon
from pipeline.stages.ner.span_edges import inside_word, strip_edges


def _stripped(text: str, label: str, lang: str = "en") -> str | None:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    span = strip_edges(Span(doc, 0, len(doc), label, span_id="model:test|X"), lexicon(lang))
    return None if span is None else span.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Parliamentary Assembly (PACE", "Parliamentary Assembly"),
        ("Egyptian Initiative for Personal Rights (EIPR", "Egyptian Initiative for Personal Rights"),
        ("Law (Codification and Reform) Act", "Law (Codification and Reform) Act"),
        ("Comité [de soutien", "Comité"),
    ],
)
def test_span_edges_a_name_is_cut_before_a_bracket_it_leaves_open(text: str, expected: str) -> None:
    doc = spacy.blank("en")(text)
    span = Span(doc, 0, len(doc), "ORG", span_id="model:test|ORG")
    stripped = strip_edges(span, lexicon("en"))
    assert stripped is not None and stripped.text == expected
    assert stripped.id_ == "model:test|ORG"


@pytest.mark.parametrize(
    ("text", "label", "lang", "expected"),
    [
        ("“Media Foundation”", "ORG", "en", "Media Foundation"),
        ("Media Foundation's", "ORG", "en", "Media Foundation"),
        ("Fonds de résilience de la", "ORG", "fr", "Fonds de résilience"),
        ("Jordan Higgins CIVICUS", "PERSON", "en", "Jordan Higgins"),
        ("Napoléon III", "PERSON", "fr", "Napoléon III"),
        ("President Ana Ruiz", "PERSON", "en", "Ana Ruiz"),
        ("Según López", "PERSON", "es", "López"),
        ("“”", "ORG", "en", None),
    ],
)
def test_span_edges_quotes_possessives_links_credits_and_titles_are_trimmed(
    text: str, label: str, lang: str, expected: str | None
) -> None:
    assert _stripped(text, label, lang) == expected


def test_span_edges_an_article_written_as_part_of_a_name_is_kept() -> None:
    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    doc = nlp("Il a visité Le Foyer juif.")
    span = Span(doc, 3, 6, "ORG")
    stripped = strip_edges(span, lexicon("fr"))
    assert stripped is not None and stripped.text == "Le Foyer juif"
    assert _stripped("the Media Foundation", "ORG") == "Media Foundation"


@pytest.mark.parametrize(
    ("text", "i", "inside"),
    [
        ("they won’t go", 2, True),  # 'wo|n’t': the tokenizer's split of one word
        ("they cannot go", 2, True),  # 'can|not'
        ("the Act 2024", 2, False),  # between two words
        ("a pro-government view", 2, False),  # after a hyphen
    ],
)
def test_span_edges_boundary_inside_a_word(text: str, i: int, inside: bool) -> None:
    assert inside_word(spacy.blank("en")(text), i) is inside

