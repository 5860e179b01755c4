"""A class noun right before a name ('la ONG Temblores', 'la radio Oméga'), for the
organisation cues (`evidence.org_evidence`, rule family `org_cues`).

A name right after a class noun is a name even when it is an ordinary word of
the language ('Temblores', 'Oméga'), which the cues otherwise leave alone
('Asimismo' at a sentence start); and such a name after a media prefix is named
with it: the station is 'radio Oméga', the NGO is 'Temblores'.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ...knowledge.lexicon import CommonWords, Cues
from ...knowledge.names import fold
from .provenance import respan


def after_class_noun(doc: Doc, i: int, cue: Cues) -> bool:
    """Token `i` comes right after a class noun: 'la ONG [Temblores]'."""
    return i > 0 and fold(doc[i - 1].text, keep_accents=True) in cue.org_class_nouns


def with_media_prefix(span: Span, common: CommonWords, cue: Cues) -> Span:
    """'la radio [Oméga]' → 'radio Oméga': an ordinary word after a media prefix is named with it."""
    doc = span.doc
    if (
        len(span) == 1
        and span.text in common
        and span.start > 0
        and fold(doc[span.start - 1].text, keep_accents=True) in cue.org_prefixes
    ):
        return respan(doc, span.start - 1, span.end, span)
    return span


def token_positions(doc: Doc) -> dict[str, list[int]]:
    """Token text → its indices in `doc`, made once per doc and kept in it (shared
    with `evidence`): rules that look for a few words need not walk every token."""
    if "civic_positions" not in doc.user_data:
        words: dict[str, list[int]] = {}
        for token in doc:
            words.setdefault(token.text, []).append(token.i)
        doc.user_data["civic_positions"] = words
    positions: dict[str, list[int]] = doc.user_data["civic_positions"]
    return positions
