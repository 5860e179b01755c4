"""Acronyms defined in the text: 'Open Government Partnership (OGP)' types every
'OGP' in the document like its long form."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ...knowledge.names import looks_like_acronym
from .provenance import Provenance

# The key of an acronym's mention whose long form has no registry or ISO key;
# entity resolution (stages/resolve.py) keys such mentions to the long form.
ACRONYM_KEY_PREFIX = "acronym:"


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


def link_acronyms(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'Open Government Partnership (OGP)': type every 'OGP' in the doc like its long form.

    The acronym's mentions get kb_id 'acronym:<long form>' unless the long form
    carries a registry or ISO key; resolution then keys them to the long form.
    """
    definitions: dict[str, Span] = {}
    for span in chosen:
        end = span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            short = doc[end + 1].text
            if looks_like_acronym(short) and is_abbreviation(short, span.text):
                definitions.setdefault(short, span)
    if not definitions:
        return chosen
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    chosen = _keyed_by_registry_acronym(chosen, definitions, by_token)
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    definitions = {short: by_token.get(long.start, long) for short, long in definitions.items()}
    result = list(chosen)
    replaced: set[int] = set()
    for token in doc:
        long_form = definitions.get(token.text)
        if long_form is None:
            continue
        existing = by_token.get(token.i)
        if existing is not None:
            if existing.end - existing.start > 1 or existing.kb_id_:
                continue
            replaced.add(id(existing))
        key = long_form.kb_id_ or ACRONYM_KEY_PREFIX + long_form.text
        span_id = Provenance.rule("acronym.definition").span_id
        result.append(Span(doc, token.i, token.i + 1, long_form.label_, kb_id=key, span_id=span_id))
    return [s for s in result if id(s) not in replaced]


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
