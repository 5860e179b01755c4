"""Acronyms defined in the text: 'Open Government Partnership (OGP)' types every
'OGP' in the document like its long form.

An organisation's one-word short name in brackets after its name is linked the
same way ('National Democratic Action Society (Waad)').  Its acronym is often
that of its name in another language ('Front de libération du peuple du Tigray
(TPLF)', 'Parti du sauvetage national du Cambodge (CNRP)'): after an
organisation's name, any acronym that is not a country's defines it too, and so
does a hyphenated one ('Movimiento al Socialismo (MAS-IPSP)').  A definition in the text outweighs a
registry acronym spelled the same ('Conseil présidentiel de transition (CPT)' is
not the European CPT).  `acronym_extents` extends a name the model cut short to
the words its acronym spells ('Law and Policy of [Sustainable Development
Research Center] (LPSD)', '[Mission multinationale d'appui] à la sécurité (MMAS)').
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ...knowledge.countries import country_code
from ...knowledge.names import fold, looks_like_acronym
from ...knowledge.registry import load_registry
from .class_nouns import token_positions
from .context import doc_text
from .provenance import Provenance, respan

# The key of an acronym's mention whose long form has no registry or ISO key;
# entity resolution (stages/resolve.py) keys such mentions to the long form.
ACRONYM_KEY_PREFIX = "acronym:"
# Tokens between the brackets of a definition: 'NI-CO' is three ('NI', '-', 'CO').
_MAX_ACRONYM_TOKENS = 5
# Most words a name the model cut short is extended by to fit its acronym.
MAX_EXTENSION = 6
_REGISTRY_ACRONYM = Provenance.rule("registry.org.acronym")
_ORG_CUE = Provenance.rule("org.cue")  # evidence.ORG_CUE


def is_abbreviation(short: str, long: str) -> bool:
    """Schwartz & Hearst (2003): the short form's letters appear in order in the long
    form, the first one starting a word.  Used to accept 'Long Form (LF)'."""
    short_letters = [c.lower() for c in short if c.isalnum()]
    if len(short_letters) < 2:
        return False
    long_text = long.lower()
    s_index, l_index = len(short_letters) - 1, len(long_text) - 1
    while s_index >= 0:
        char = short_letters[s_index]
        while l_index >= 0 and (
            long_text[l_index] != char or (s_index == 0 and l_index > 0 and long_text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return False
        s_index -= 1
        l_index -= 1
    return True


def acronym_shaped(text: str) -> bool:
    """'OGP', 'U.N.', and hyphenated ones: 'MAS-IPSP', 'NI-CO'."""
    return bool(text) and all(looks_like_acronym(part) for part in text.split("-"))


def _defines(short: str, span: Span) -> bool:
    """Whether 'LONG FORM (SHORT)' defines the acronym `short`: its letters in order
    in the long form (`is_abbreviation`); or, after an organisation's name, any
    acronym that is not a country's: a name is often given in the article's
    language with its acronym in another ('Front de libération du peuple du Tigray
    (TPLF)', 'Fondation Connaissance et Liberté (FOKAL)'), and in the texts read so
    far a bracketed acronym right after an organisation's name always was its own."""
    if is_abbreviation(short.split("-")[0], span.text):
        return True
    return span.label_ == "ORG" and country_code(short) is None


def _bracketed_acronym(doc: Doc, i: int) -> str | None:
    """The acronym in brackets at token `i` ('(OGP)', '(MAS-IPSP)'), if there is one."""
    if i >= len(doc) or doc[i].text != "(":
        return None
    inside = range(i + 2, min(i + 2 + _MAX_ACRONYM_TOKENS, len(doc)))
    close = next((j for j in inside if doc[j].text == ")"), None)
    short = doc[i + 1 : close].text if close is not None else ""
    return short if " " not in short and acronym_shaped(short) else None


def _bracketed_short_name(doc: Doc, span: Span, by_token: dict[int, Span]) -> str | None:
    """An organisation's one-word short name in brackets after its name ('National
    Democratic Action Society (Waad)', '… de Medios (Fundamedios)'): a capitalised
    word no person, place or law covers."""
    i = span.end
    if (
        span.label_ != "ORG"
        or len(span) < 2
        or i + 2 >= len(doc)
        or doc[i].text != "("
        or doc[i + 2].text != ")"
    ):
        return None
    word = doc[i + 1]
    other = by_token.get(word.i)
    if not (word.is_alpha and word.text[:1].isupper() and len(word) > 2) or (other and other.label_ != "ORG"):
        return None
    return word.text


def extend_to_acronyms(doc: Doc, chosen: list[Span]) -> list[Span]:
    """Names the model cut short, extended right up to their acronym's bracket and
    left over capitalised words, when the acronym then spells them and did not
    before (see the module doc).  The model's guesses and countries inside the
    longer name give way to it ('Centro de Documentación e [Información Bolivia]
    (CEDIB)', 'Americans for Democracy & Human Rights in [Bahrain] (ADHRB)')."""
    owner = {i: s for s in chosen for i in range(s.start, s.end)}
    absorbed: set[int] = set()
    result = []
    for span in chosen:
        if span.label_ == "ORG" and not span.kb_id_ and id(span) not in absorbed:
            fitted = _fitted(doc, span, owner)
            if fitted is not None:
                absorbed.update(id(owner[i]) for i in range(fitted.start, fitted.end) if i in owner)
                span = fitted
        result.append(span)
    return [s for s in result if id(s) not in absorbed]


def _absorbable(span: Span | None) -> bool:
    """Nothing, a guess of the model or of the cues, or a country: what a longer name may take in."""
    if span is None or span.label_ == "COUNTRY":
        return True
    source = Provenance.of(span)
    return not span.kb_id_ and (source.from_model or source == _ORG_CUE)


def _joinable(token: Token, owner: dict[int, Span]) -> bool:
    return not token.is_punct and "\n" not in token.whitespace_ and _absorbable(owner.get(token.i))


def _fitted(doc: Doc, span: Span, owner: dict[int, Span]) -> Span | None:
    """`span` extended to the words its bracketed acronym spells, or None."""
    bracket = span.end
    while _bracketed_acronym(doc, bracket) is None:
        if bracket - span.end >= MAX_EXTENSION or bracket >= len(doc) or not _joinable(doc[bracket], owner):
            return None
        bracket += 1
    short = _bracketed_acronym(doc, bracket)
    assert short is not None
    if is_abbreviation(short, span.text):
        return None  # it spells the name already
    for start in range(span.start, max(-1, span.start - MAX_EXTENSION - 1), -1):
        if start < span.start and (not _joinable(doc[start], owner) or doc[start].is_sent_end):
            return None
        first = doc[start]
        # The acronym starts with the name's first word: 'Doublethink Lab is a civil
        # society organisation (CSO)' does not define the lab.
        if (
            first.text[:1].isupper()
            and fold(first.text)[:1] == fold(short)[:1]
            and is_abbreviation(short, doc[start:bracket].text)
        ):
            return respan(doc, start, bracket, span)
    return None


def _redefines(existing: Span, long_form: Span) -> bool:
    """A registry acronym the text defines as another organisation's name, spelled
    from its first word ('Conseil présidentiel de transition (CPT)'), which the
    registry does not know as the acronym's entry; not the acronym of a name inside
    a longer one ('loi sur l'IA de l'Union européenne (UE)')."""
    if (
        Provenance.of(existing) != _REGISTRY_ACRONYM
        or existing.kb_id_ == long_form.kb_id_
        or long_form.label_ != existing.label_
        or fold(existing.text)[:1] != fold(long_form.text)[:1]
    ):
        return False
    entry = load_registry().lookup(long_form.text)
    return is_abbreviation(existing.text, long_form.text) and (entry is None or entry.id != existing.kb_id_)


def link_acronyms(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'Open Government Partnership (OGP)': type every 'OGP' in the doc like its long form.

    The acronym's mentions get kb_id 'acronym:<long form>' unless the long form
    carries a registry or ISO key; resolution then keys them to the long form.
    """
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    definitions: dict[str, Span] = {}
    for span in chosen:
        short = _bracketed_acronym(doc, span.end) or _bracketed_short_name(doc, span, by_token)
        if short is not None and (_defines(short, span) or not looks_like_acronym(short)):
            definitions.setdefault(short, span)
    if not definitions:
        return chosen
    chosen = _keyed_by_registry_acronym(chosen, definitions, by_token)
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    definitions = {short: by_token.get(long.start, long) for short, long in definitions.items()}
    uses = [
        (start, end, definitions[short]) for short in definitions for start, end in _uses(doc, short)
    ]
    result = list(chosen)
    replaced: set[int] = set()
    span_id = Provenance.rule("acronym.definition").span_id
    for start, end, long_form in sorted(uses, key=lambda use: use[:2]):
        existing = {id(s): s for i in range(start, end) if (s := by_token.get(i)) is not None}
        if any(not _gives_way(span, start, end, long_form) for span in existing.values()):
            continue
        replaced |= set(existing)
        key = long_form.kb_id_ or ACRONYM_KEY_PREFIX + long_form.text
        result.append(Span(doc, start, end, long_form.label_, kb_id=key, span_id=span_id))
    return [s for s in result if id(s) not in replaced]


def _uses(doc: Doc, short: str) -> list[tuple[int, int]]:
    """The token ranges where `short` is written: one token, or several for a
    hyphenated acronym ('NI-CO'), found in the text."""
    if "-" not in short:
        return [(i, i + 1) for i in token_positions(doc).get(short, [])]
    written = re.finditer(rf"(?<!\w){re.escape(short)}(?!\w)", doc_text(doc))
    found = (doc.char_span(match.start(), match.end()) for match in written)
    return [(use.start, use.end) for use in found if use is not None]


def _gives_way(existing: Span, start: int, end: int, long_form: Span) -> bool:
    """A span over an acronym's use gives way when it is that use alone and has no
    key, or is a registry acronym the text redefines (`_redefines`)."""
    if existing.start != start or existing.end != end:
        return False
    return not existing.kb_id_ or _redefines(existing, long_form)


def _keyed_by_registry_acronym(
    chosen: list[Span], definitions: dict[str, Span], by_token: dict[int, Span]
) -> list[Span]:
    """'loi sur les associations … (LANGO)' where the registry knows the law LANGO:
    the long form is that law, whatever its wording in this language."""
    keyed: dict[int, str] = {}
    for long_form in definitions.values():
        acronym = by_token.get(long_form.end + 1)
        if (
            acronym is not None
            and len(acronym) == 1
            and acronym.label_ == long_form.label_ == "LAW"
            and acronym.kb_id_
            and not acronym.kb_id_.startswith(ACRONYM_KEY_PREFIX)
            and not long_form.kb_id_
        ):
            keyed[id(long_form)] = acronym.kb_id_
    return [
        Span(s.doc, s.start, s.end, s.label_, kb_id=keyed[id(s)], span_id=s.id_) if id(s) in keyed else s
        for s in chosen
    ]
