"""Unit tests for pipeline.stages.ner.repair: glued words are split, real names are not, offsets map back.

Every text here is invented for the test.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.knowledge.lexicon import pattern_file
from pipeline.stages.ner.repair import Repair, repair_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lowercase word glued to a capitalised word (lost HTML spacing), en/fr/es
        ("She spoke withStéphane yesterday.", "She spoke with Stéphane yesterday."),
        ("Elle a parlé avecStéphane hier.", "Elle a parlé avec Stéphane hier."),
        ("Habló conÉlise ayer.", "Habló con Élise ayer."),
        ("Una reunión delPerú.", "Una reunión del Perú."),
        ("Le rapport duQuébec.", "Le rapport du Québec."),
        # a lowercase word glued to an acronym, and to a camel-case brand
        ("Rated by theCIVICUS Monitor.", "Rated by the CIVICUS Monitor."),
        ("A recentTikTok video.", "A recent TikTok video."),
        # a surname glued to a photo credit
        ("Photo: Jane HigginsCIVICUS", "Photo: Jane Higgins CIVICUS"),
        # a caption in camel case glued to its credit: every word is split
        ("StephaneDuguinCIVICUS speaks at the forum.", "Stephane Duguin CIVICUS speaks at the forum."),
        ("AnaLuisaPerezCIVICUS habla.", "Ana Luisa Perez CIVICUS habla."),
        # a comma glued to the next word
        ("Founded in 2017,Body and Data works", "Founded in 2017, Body and Data works"),
        ("many violations,providing cover", "many violations, providing cover"),
        # a handle glued to the word before it
        ("Please follow@Handle for news.", "Please follow @Handle for news."),
    ],
)
def test_repair_splits_glued_words(text: str, expected: str) -> None:
    assert repair_text(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # real camel-case names
        "CyberPeace",
        "DigitalReach",
        "TikTok",
        "iLaw",
        "YouTube",
        "WhatsApp",
        "macOS",
        "McDonald",
        "eBay",
        "iPhone",
        "LinkedIn",
        "the iLaw team met CyberPeace and DigitalReach on WhatsApp.",
        # handles, hashtags, URLs
        "@DigitalReachSEA",
        "RT @DigitalReachSEA: new report",
        "#FreeSpeechNow",
        "#StopSLAPPs",
        "https://example.org/reportOnCivicSpace",
        "www.example.org/monitorReport",
        # numbers, elisions, ordinary punctuation
        "COVID-19",
        "1,000 people",
        "2017,2018",
        "l’ONU et d’Amnesty",
        "O’Brien",
        "The end.The next",
        "",
        "plain lowercase text",
        pytest.param(
            "write to press@example.org today",
        ),
    ],
)
def test_repair_leaves_real_names_alone(text: str) -> None:
    repaired = repair_text(text)
    assert repaired.text == text
    assert repaired.inserted == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Photo: Jane DoeCIVICUS", "Photo: Jane Doe CIVICUS"),
        pytest.param(
            "Photo: Anna McDonaldCIVICUS",
            "Photo: Anna McDonald CIVICUS",
        ),
        pytest.param(
            "She spoke withŁukasz yesterday.",
            "She spoke with Łukasz yesterday.",
        ),
    ],
)
def test_repair_caption_and_non_latin1_edges(text: str, expected: str) -> None:
    assert repair_text(text).text == expected


@pytest.mark.parametrize("word", pattern_file("repair")["function_words"])
def test_repair_every_function_word_of_the_data_splits_from_an_acronym(word: str) -> None:
    assert repair_text(f"Ask {word}UN now.").text == f"Ask {word} UN now."


def test_repair_maps_offsets_back_to_the_original() -> None:
    original = "Rated by theCIVICUS Monitor withStéphane."
    repaired = repair_text(original)
    assert repaired.text == "Rated by the CIVICUS Monitor with Stéphane."
    assert repaired.inserted == (12, 33)
    start = repaired.text.index("CIVICUS Monitor")
    span = repaired.span_to_original(start, start + len("CIVICUS Monitor"))
    assert original[span[0] : span[1]] == "CIVICUS Monitor"
    start = repaired.text.index("Stéphane")
    span = repaired.span_to_original(start, start + len("Stéphane"))
    assert original[span[0] : span[1]] == "Stéphane"


def test_repair_unchanged_text_is_returned_as_is() -> None:
    repaired = repair_text("Nothing to repair here.")
    assert repaired == Repair("Nothing to repair here.", "Nothing to repair here.", ())
    assert [repaired.to_original(i) for i in range(4)] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # same-length substitutions: no-break spaces, and a left quote used for elision
        ("Open\u00a0Society", "Open Society"),
        ("10\u202f000 personnes", "10 000 personnes"),
        ("l‘Union et d‘Amnesty", "l’Union et d’Amnesty"),
        ("qu‘elle", "qu’elle"),
        ("‘quoted’", "‘quoted’"),  # a real opening quote stays
    ],
)
def test_repair_same_length_substitutions(text: str, expected: str) -> None:
    repaired = repair_text(text)
    assert repaired.text == expected
    assert repaired.inserted == ()
    assert len(repaired.text) == len(text)


# ---------------------------------------------------------------------------
# Property: repair only inserts spaces (and makes the documented same-length
# substitutions), and offsets map back exactly
# ---------------------------------------------------------------------------

# (original character, repaired character) pairs that repair_text may substitute
_SUBSTITUTIONS = {("\u00a0", " "), ("\u202f", " "), ("\u2007", " "), ("‘", "’")}
_WORDS = (
    "with avec con the Stéphane CIVICUS TikTok iLaw McDonald Higgins Duguin Égypte ÑU ß COVID-19 "
    "@Handle #Tag https://x.org/aB www.a.org/bC e@x.org 2017 l‘Union qu‘il"
)
_FRAGMENTS = st.sampled_from([*_WORDS.split(), ",", ".", " ", "’", "‘", "'", "/", "\n", "\u00a0", "\u202f"])
_CHARS = st.text(alphabet="abcéñxyzABCÉÑXYZ0189 ,.@#/’‘'-:\n\u00a0\u202f\u2007", max_size=12)
_TEXTS = st.lists(st.one_of(_FRAGMENTS, _CHARS), max_size=12).map("".join)
_EXAMPLE = "StephaneDuguinCIVICUS speaks withStéphane, 2017,Body follow@Handle in l‘Union\u00a0européenne"


def _same(original: str, repaired: str) -> bool:
    """Equal, up to the documented same-length substitutions."""
    return len(original) == len(repaired) and all(
        o == r or (o, r) in _SUBSTITUTIONS for o, r in zip(original, repaired, strict=True)
    )


def _without_inserted(repaired: Repair, start: int, end: int) -> str:
    inserted = set(repaired.inserted)
    return "".join(repaired.text[i] for i in range(start, end) if i not in inserted)


@given(_TEXTS)
@example(_EXAMPLE)
def test_repair_property_only_spaces_are_inserted(original: str) -> None:
    repaired = repair_text(original)
    assert _same(original, repaired.original)
    assert list(repaired.inserted) == sorted(set(repaired.inserted))
    assert len(repaired.text) == len(original) + len(repaired.inserted)
    assert all(repaired.text[i] == " " for i in repaired.inserted)
    assert _same(original, _without_inserted(repaired, 0, len(repaired.text)))


@given(_TEXTS)
@example(_EXAMPLE)
def test_repair_property_to_original_is_monotonic_and_in_range(original: str) -> None:
    repaired = repair_text(original)
    mapped = [repaired.to_original(i) for i in range(len(repaired.text) + 1)]
    assert all(0 <= m <= len(original) for m in mapped)
    assert all(a <= b for a, b in pairwise(mapped))
    assert mapped[0] == 0
    assert mapped[-1] == len(original)


@settings(max_examples=50)  # every span of every text: quadratic
@given(_TEXTS)
@example(_EXAMPLE)
def test_repair_property_spans_slice_the_same_characters(original: str) -> None:
    repaired = repair_text(original)
    inserted = set(repaired.inserted)
    real = [i for i in range(len(repaired.text)) if i not in inserted]
    stripped = "".join(repaired.text[i] for i in real)  # repaired text minus inserted spaces
    for a, first in enumerate(real):
        for b in range(a, len(real)):
            last = real[b]
            start, end = repaired.span_to_original(first, last + 1)
            # a span from one original character to another slices the same characters
            assert _same(original[start:end], stripped[a : b + 1])
            if last - first == b - a:  # no inserted space inside: the same text
                assert _same(original[start:end], repaired.text[first : last + 1])
