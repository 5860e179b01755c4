"""People named by part of their name, as the rule family `name_parts` of the decision.

After a person is named in full, the article often calls them by one part of
the name: the surname ('Kamau' after 'Wanjiru Kamau', 'Petro' after 'Gustavo
Petro'), the given name in Ethiopian or Vietnamese usage ('Abiy' after 'Abiy
Ahmed', 'Trang' after 'Pham Doan Trang'), two Spanish surnames ('Quintero
Restrepo'), a name with its particle ('al-Hathloul', 'Ould Ghazouani').  The
small models often type that part alone as an organisation or a place.  A
model organisation or place (no registry key) whose words are a contiguous
part of a longer person's name in the article is that person, unless
something says otherwise at that mention: an organisation head or cue ('the
Kamau Foundation' keeps its own span), or, for a place or a name that is
also a place in a gazetteer, a locative or place noun around it ('in
Santander' beside 'Jorge Santander').
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from ...knowledge.countries import country_code
from ...knowledge.lexicon import Cues, Lexicon, PlaceCues
from .evidence import org_cue
from .places import in_gazetteer, part_of_person, person_names, place_evidence
from .provenance import Provenance, respan


def retype_name_parts(
    doc: Doc,
    chosen: list[Span],
    gazetteers: Iterable[frozenset[str]],
    words: tuple[Lexicon, Cues, PlaceCues],
) -> list[Span]:
    """The chosen spans with the model's organisations and places that are part
    of a person's name typed PERSON."""
    lex, cue, place = words
    people = person_names(chosen)
    if not people:
        return chosen
    gazetteers = tuple(gazetteers)
    result = []
    for span in chosen:
        if (
            span.label_ in ("ORG", "LOCATION")
            and not span.kb_id_
            and Provenance.of(span).from_model
            and part_of_person(span, people)
            and country_code(span.text) is None
            and not any(t.lower_ in lex.org_heads or t.lower_ in lex.bare_heads for t in span)
            and org_cue(span, cue) is None
            and not (
                (span.label_ == "LOCATION" or in_gazetteer(span, gazetteers))
                and place_evidence(span, chosen, place)
            )
        ):
            span = respan(doc, span.start, span.end, span, "PERSON")
        result.append(span)
    return result
