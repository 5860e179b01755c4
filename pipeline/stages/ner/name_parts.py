"""People named by part of their name, as the rule family `name_parts` of the decision.

After a person is named in full, the article often calls them by one part of
the name: the surname ('Kamau' after 'Wanjiru Kamau', 'Petro' after 'Gustavo
Petro'), the given name in Ethiopian or Vietnamese usage ('Abiy' after 'Abiy
Ahmed', 'Trang' after 'Pham Doan Trang'), two Spanish surnames ('Quintero
Restrepo'), a name with its particle ('al-Hathloul', 'Ould Ghazouani').  The
small models often type that part alone as an organisation or a place.  A
model organisation or place (no registry key) whose words are a contiguous
part of one longer person's name named earlier in the article (of one only:
'Castro' after 'Raúl Castro' and 'Xiomara Castro' could be either; and
earlier, as the reader meets it) is that person, unless
something says otherwise at that mention: an organisation head or cue ('the
Kamau Foundation' keeps its own span), or, for a place or a name that is
also a place in a gazetteer, a locative or place noun around it ('in
Santander' beside 'Jorge Santander').
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from ...knowledge.countries import country_code
from ...knowledge.lexicon import Cues, Lexicon, PlaceCues, first_names
from .evidence import org_cue
from .places import in_gazetteer, named_place, people_named_by, person_names, place_evidence
from .provenance import Provenance, respan


def join_particle_names(doc: Doc, chosen: list[Span], lex: Lexicon) -> list[Span]:
    """'[Ramon B.] [dela Paz]': a person's name split by the model before a
    lower-case particle is one name when the two parts touch on one line."""
    ordered = sorted(chosen, key=lambda s: (s.start, s.end))
    result: list[Span] = []
    for span in ordered:
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.label_ == span.label_ == "PERSON"
            and not previous.kb_id_
            and not span.kb_id_
            and previous.end == span.start
            and span[0].is_lower
            and span[0].lower_ in lex.name_particles
            and "\n" not in previous[-1].whitespace_
        ):
            result[-1] = respan(doc, previous.start, span.end, previous)
            continue
        result.append(span)
    return result


def retype_name_parts(
    doc: Doc,
    chosen: list[Span],
    gazetteers: Iterable[frozenset[str]],
    words: tuple[Lexicon, Cues, PlaceCues],
) -> list[Span]:
    """The chosen spans with a name split before its particle joined, and the
    model's organisations and places that are part of a person's name typed PERSON."""
    chosen = join_particle_names(doc, chosen, words[0])
    gazetteers = tuple(gazetteers)
    # A 'person' named like a gazetteer's place ('Lagos State') says nothing of its parts.
    full = [
        s for s in chosen if s.label_ == "PERSON" and len(s) > 1 and not named_place(s, gazetteers, words[2])
    ]
    if not full:
        return chosen
    return [
        respan(doc, s.start, s.end, s, "PERSON")
        if len(people_named_by(s, person_names([p for p in full if p.end <= s.start]))) == 1
        and _could_be_person(s, chosen, gazetteers, words)
        else s
        for s in chosen
    ]


def retype_full_names(
    doc: Doc,
    chosen: list[Span],
    gazetteers: Iterable[frozenset[str]],
    family_names: frozenset[str],
    words: tuple[Lexicon, Cues, PlaceCues],
) -> list[Span]:
    """The chosen spans with the model's organisations and places of two or
    three words, a first name (Faker) then a last name (`family_names`), that
    no gazetteer knows, typed PERSON ('la fiscal Consuelo Porras', 'justicia
    para Berta Cáceres')."""
    given = first_names()
    gazetteers = tuple(gazetteers)
    return [
        respan(doc, s.start, s.end, s, "PERSON")
        if 2 <= len(s) <= 3
        and s[0].text.casefold() in given
        and s[-1].text.casefold() in family_names
        and all(t.text[:1].isupper() for t in s)
        and not in_gazetteer(s, gazetteers)
        and _could_be_person(s, chosen, gazetteers, words)
        else s
        for s in chosen
    ]


def _could_be_person(
    span: Span,
    chosen: list[Span],
    gazetteers: tuple[frozenset[str], ...],
    words: tuple[Lexicon, Cues, PlaceCues],
) -> bool:
    """A model organisation or place (no registry key, no country) that nothing
    at this mention says is one: no organisation head or cue, and, for a place
    or a gazetteer's name, nothing that places it."""
    lex, cue, place = words
    return (
        span.label_ in ("ORG", "LOCATION")
        and not span.kb_id_
        and Provenance.of(span).from_model
        and country_code(span.text) is None
        and not any(t.lower_ in lex.org_heads or t.lower_ in lex.bare_heads for t in span)
        and org_cue(span, cue) is None
        and not (
            (span.label_ == "LOCATION" or in_gazetteer(span, gazetteers))
            and place_evidence(span, chosen, place)
        )
    )
