"""Lists of names one to a line, as a rule family of the decision (`org_lists`).

Joint statements end with their signatories and letters with the members of a
board, one name to a line ('Access Now', 'Kay Fanm', 'Natalia Carfi, Open Data
Charter').  The small models read such a list as running text: they join two
lines into one name, cut a name at a country's name ('Article 19 [Eastern
Africa]') and type the names they do not know as people or places ('Kolektif
Jistis Min').  But a list holds names of one kind: when most of its items name
an organisation, every item does.  The item is then one organisation's name
whole, from its first word to its last, less an acronym in brackets after it
('Ligue haïtienne des droits humains (LHDH)'), which `acronyms.py` links to it.
An item 'person, organisation' (a name and an affiliation) is read by its last
part.  Countries and registry names that are the item whole are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ...knowledge.lexicon import Lexicon
from .context import doc_text
from .provenance import Provenance, inside, overlaps
from .span_edges import strip_edges

# An item is a short line: a name, maybe a person's name and an affiliation.
MAX_ITEM_WORDS = 14
# The fewest lines that make a list, and the share of them that must hold an
# organisation for the list to be one of organisations.
MIN_ITEMS = 3
MIN_ORG_SHARE = 0.6
ORG_LIST = Provenance.rule("org.list")
# Sentences and headings ('Signatories:') end so; names do not.
_SENTENCE_END = re.compile(r"[.;:!?…]$")
_BRACKETED = re.compile(r"\s*\(([^()]*)\)$")
# A comma inside a name only in an enumeration closed by a conjunction
# ('Instituto sobre Raza, Igualdad y Derechos Humanos').
_ENUMERATION_END = re.compile(r",[^,]*\s(?:and|et|y|e|&)\s[^,]*$")


@dataclass(frozen=True)
class Item:
    """The name an item of a list gives, as character bounds in the doc's text."""

    start: int
    end: int


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Bounds of each line of `text`, without its leading and trailing spaces."""
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            yield start, start + len(stripped)
        else:
            yield offset, offset
        offset += len(line) + 1


def _item_like(line: str) -> bool:
    return (
        0 < len(line.split()) <= MAX_ITEM_WORDS
        and not _SENTENCE_END.search(line)
        and any(c.isupper() or c.isdigit() for c in line)
    )


def _name_bounds(text: str, start: int, end: int) -> Item:
    """The name of the line text[start:end]: its last comma-separated part
    (unless the commas enumerate), less an aside in brackets at its end."""
    line = text[start:end]
    if "," in line and not _ENUMERATION_END.search(line):
        comma = line.rindex(",") + 1
        start += comma + len(line[comma:]) - len(line[comma:].lstrip())
        line = text[start:end]
    bracket = _BRACKETED.search(line)
    if bracket is not None and bracket.start() > 0:
        end = start + bracket.start()
    return Item(start, end)


def list_items(text: str) -> list[list[Item]]:
    """The lists of `text` (three or more consecutive short lines that are no
    sentences), each as the names its items give."""
    lists: list[list[Item]] = []
    run: list[Item] = []
    for start, end in [*_lines(text), (len(text), len(text))]:
        if start < end and _item_like(text[start:end]):
            run.append(_name_bounds(text, start, end))
            continue
        if len(run) >= MIN_ITEMS:
            lists.append(run)
        run = []
    return lists


def _item_span(doc: Doc, item: Item, lex: Lexicon) -> Span | None:
    """The item's tokens as an organisation, less a leading determiner ('The …')."""
    span = doc.char_span(item.start, item.end, label="ORG", alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return strip_edges(Span(doc, span.start, span.end, "ORG", span_id=ORG_LIST.span_id), lex)


def _kept(item: Span, chosen: list[Span]) -> bool:
    """An item already named whole as an organisation, a country or a registry
    entry, or crossed by a span from outside it, is left as it is."""
    covering = [s for s in chosen if overlaps(s, item)]
    if any(not inside(s, item) for s in covering):
        return True
    return any(
        s.start == item.start and s.end == item.end and (s.label_ in ("ORG", "COUNTRY") or s.kb_id_)
        for s in covering
    )


def _names_organisation(item: Span, chosen: list[Span], lex: Lexicon) -> bool:
    """An organisation is found in the item, or its words hold an organisation's
    head noun ('Fundación …', '… Syndicate')."""
    return any(s.label_ == "ORG" and inside(s, item) for s in chosen) or any(
        t.lower_ in lex.org_heads and t.text[:1].isupper() for t in item
    )


def organisation_lists(doc: Doc, chosen: list[Span], lex: Lexicon) -> list[Span]:
    """Every item of a list of organisations named whole as one (see the module doc)."""
    result = list(chosen)
    for items in list_items(doc_text(doc)):
        spans = [s for s in (_item_span(doc, item, lex) for item in items) if s is not None]
        orgs = sum(_names_organisation(span, result, lex) for span in spans)
        if len(spans) < MIN_ITEMS or orgs < MIN_ORG_SHARE * len(spans):
            continue
        for span in spans:
            if not _kept(span, result):
                result = [s for s in result if not inside(s, span)] + [span]
    return result
