"""Scrape repair, the first step of the ner stage: undo damage that blinds NER, keeping offsets exact.

Lost HTML spacing glues words together (``withStéphane``, ``theCIVICUS Monitor``,
``Founded in 2017,Body and Data``) and photo captions run into the first
paragraph (``StephaneDuguinCIVICUS speaks``).  We only ever *insert spaces*, at
case transitions that real words do not have, so the repaired text maps back to
the source by counting insertions; every mention offset is reported against the
article's original text.

Why by hand: no maintained library segments glued mixed-case tokens while
keeping offsets, and the rules are few.  They are shaped not to break real
camel-case names: ``CyberPeace``, ``DigitalReach``, ``TikTok``, ``iLaw``,
``YouTube`` and ``macOS`` have a capitalised or one-letter left part, or a short
capitalised right part, and are left alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ...knowledge.lexicon import pattern_file


def _letters(predicate: str) -> str:
    """A regex character class body of the Latin letters (up to U+024F) with a case."""
    return "".join(re.escape(chr(c)) for c in range(0x41, 0x250) if getattr(chr(c), predicate)())


_LOWER = _letters("islower")
_UPPER = _letters("isupper")

# Closed-class words that never start a camel-case name (models/patterns/repair.yaml),
# longest first so that the regex alternation prefers "del" to "de".
FUNCTION_WORDS = sorted(pattern_file("repair")["function_words"], key=len, reverse=True)
# Each rule: (id, pattern); a space is inserted at the position of group "cut".
REPAIR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "withStéphane", "theCIVICUS", "recentTikTok": a lowercase word of 2+ letters
    # glued to a capitalised word or an acronym of 3+ capitals.
    (
        "glued_lower_upper",
        re.compile(rf"(?<![\w’'@#/.])[{_LOWER}]{{2,}}(?P<cut>)(?=[{_UPPER}](?:[{_LOWER}]|[{_UPPER}]{{2,}}))"),
    ),
    # "theUN", "duPNUD": a function word glued to any capitalised word or acronym.
    (
        "glued_function_word",
        re.compile(rf"(?<![\w’'@#/.])(?:{'|'.join(FUNCTION_WORDS)})(?P<cut>)(?=[{_UPPER}])"),
    ),
    # "HigginsCIVICUS": a word glued to a following acronym (photo credit).
    (
        "glued_acronym",
        re.compile(rf"(?<=[{_LOWER}]{{2}})(?P<cut>)(?=[{_UPPER}]{{3,}}(?![{_LOWER}]))"),
    ),
    # "2017,Body", "violations,providing": comma glued to the next word.
    ("glued_comma", re.compile(rf"(?<=[\w{_LOWER}{_UPPER}]),(?P<cut>)(?=[{_LOWER}{_UPPER}])")),
    # "follow@ECPMF": handle glued to the word before it.
    # Only after a lower-case word: "Olsen@ENRON" is an address, not lost spacing.
    ("glued_handle", re.compile(rf"(?<![\w.+-])[{_LOWER}]{{2,}}(?P<cut>)(?=@\w)")),
)
# A photo caption glued to a credit at the start of a paragraph:
# "StephaneDuguinCIVICUS" → split the caption's camel-case words too, but only
# there ("Anna McDonaldCIVICUS" mid-line keeps "McDonald").
_CAPTION = re.compile(
    rf"^[ \t]*(?P<caption>(?:[{_UPPER}][{_LOWER}]+){{2,4}})(?=[{_UPPER}]{{3,}}(?![{_LOWER}]))", re.M
)
_CAMEL_CUT = re.compile(rf"(?<=[{_LOWER}])(?=[{_UPPER}])")
# Handles, hashtags and URLs are names in their own right: never cut inside them.
_PROTECTED = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|[@#]\w+|https?://\S+|www\.\S+")


@dataclass(frozen=True)
class Repair:
    """Text with inserted spaces, and the positions (in the repaired text) of each."""

    original: str  # after same-length substitutions, which keep every offset
    text: str
    inserted: tuple[int, ...]

    def to_original(self, offset: int) -> int:
        """Map an offset in the repaired text back to the original text."""
        return offset - bisect.bisect_left(self.inserted, offset)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end)


def _cut_positions(text: str) -> set[int]:
    cuts: set[int] = set()
    for _rule, pattern in REPAIR_RULES:
        cuts.update(m.start("cut") for m in pattern.finditer(text))
    for caption in _CAPTION.finditer(text):
        base = caption.start("caption")
        cuts.update(base + m.start() for m in _CAMEL_CUT.finditer(caption.group("caption")))
        cuts.add(caption.end("caption"))
    for protected in _PROTECTED.finditer(text):
        cuts.difference_update(range(protected.start() + 1, protected.end()))
    return cuts


# Same-length substitutions, so offsets are untouched: no-break spaces become
# spaces (the models were trained on plain ones) and a left quote used as an
# elision apostrophe ("l‘Union") becomes the apostrophe the tokenizer splits on.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_ELISION_QUOTE = re.compile(r"(?<=\b[cdjlmnstCDJLMNST])‘(?=\w)|(?<=\bqu)‘(?=\w)", re.I)


def repair_text(text: str) -> Repair:
    """Insert spaces at glue points; `Repair.to_original` maps offsets back."""
    cuts = sorted(_cut_positions(text))
    text = _ELISION_QUOTE.sub("’", text.translate(_SPACES))
    if not cuts:
        return Repair(text, text, ())
    pieces: list[str] = []
    inserted: list[int] = []
    previous = 0
    for cut in cuts:
        pieces.append(text[previous:cut])
        inserted.append(cut + len(inserted))
        pieces.append(" ")
        previous = cut
    pieces.append(text[previous:])
    return Repair(text, "".join(pieces), tuple(inserted))
