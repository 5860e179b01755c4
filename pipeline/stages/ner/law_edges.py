"""Where a law's title ends and begins, beyond what the Matcher patterns see.

A title is followed by its number and year ("Hate Speech … Proclamation No.
1185/2020", "Public Benefit Organizations Act, 2013", "Ley General de Migración
285-04"); a number written as one word runs to the word's end
("Decree 147/2024/ND-CP"); an English title may start with a hyphenated
compound whose second part is lower-case ("NGOs Co-ordination Act"); and an
amending law's title names the law it amends ("Ley Orgánica Reformatoria a la
Ley Orgánica de Comunicación"): the two titles are one name.  Token
patterns cannot say "no space between two tokens", which these edges depend
on, so they are walked here.  The words come from models/patterns/laws.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from ...knowledge.jurisdiction import body_vocabulary
from ...knowledge.names import fold
from .law_grammar import NUMBER, either, law_vocabulary

# A year in a law's title: 1800-2099.
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# The parts of a number written as one word: "/ND-CP", "-SC", "/PRES-TRANS".
_NUMBER_PART = re.compile(r"^(?:[/-]|[A-Z0-9]+)$")
_YEAR_LINKS = ("of", "de", "del")
_UPPER_START = re.compile(r"^[A-ZÀ-ÖØ-Þ]")


def _glued(left: Token) -> bool:
    """No space between `left` and the token after it."""
    return not left.whitespace_


def _hyphen_inside(doc: Doc, i: int) -> bool:
    """doc[i] is a hyphen inside a word ('Co-ordination')."""
    return i > 0 and doc[i].text == "-" and _glued(doc[i - 1]) and _glued(doc[i])


class LawEdges:
    """The edges of law titles in one language."""

    def __init__(self, lang: str) -> None:
        vocab = law_vocabulary(lang)
        self.lang = lang
        self.heads = frozenset(vocab["heads_strong"] + vocab["heads_weak"] + vocab["heads_numbered"])
        self.marks = frozenset(m.casefold() for m in body_vocabulary(lang).number_marks) | {
            "n",
            "no",
            "nº",
            "n°",
        }
        self.determiners = frozenset(either(*vocab["determiners"]))
        # Links inside an English title, not the coordinators that join two names.
        self.title_links = frozenset(vocab.get("inner_links", [])) - {"and", "or"}
        self.amending = frozenset(either(*vocab["amending"]))
        self.amended_links = frozenset(either(*vocab["amended_links"]))
        # Heads of national laws, cited with their year ("Media Law of 2016"); a
        # treaty's year is its signature's, not part of its name.
        self.dated_heads = body_vocabulary(lang).law_heads

    def extend(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """The title doc[start:end] with its English start, number, year and glued end."""
        if self.lang == "en":
            start = self._title_start(doc, start)
        end = self._number_tail(doc, end)
        end = self._year_tail(doc, start, end)
        return start, word_end(doc, end)

    def _title_start(self, doc: Doc, start: int) -> int:
        """English titles end in their head: back over what the patterns cannot
        hold, capitalised words with link words ('Trafficking in Persons'),
        bracket groups ('(Prevention) (Amendment)', '(Amendment No. 2)') and
        compounds with a lower-case part ('NGOs Co-ordination'), within the sentence."""
        i = start + 1 if doc[start].text == ")" else start  # ') Act': the match of a bracketed title
        while i > 0 and not doc[i].is_sent_start:
            before = self._title_part_before(doc, i)
            if before is None:
                break
            i = before
        return i if i <= start else start

    def _title_part_before(self, doc: Doc, i: int) -> int | None:
        """Where the title part that ends just before token `i` starts, if any."""
        prev = doc[i - 1]
        if prev.text == ")":
            return self._bracket_start(doc, i - 1)
        if self._title_word(prev):
            return i - 1
        if prev.is_lower and i >= 3 and _hyphen_inside(doc, i - 2) and self._title_word(doc[i - 3]):
            return i - 3  # 'Co-[ordination]': a compound with a lower-case part
        if i >= 2 and _hyphen_inside(doc, i - 1) and self._title_word(doc[i - 2]):
            return i - 2  # 'Non-[Profit]'
        if prev.lower_ in self.title_links and i >= 2 and self._title_word(doc[i - 2]):
            return i - 1
        return None

    def _bracket_start(self, doc: Doc, close: int) -> int | None:
        """The '(' of the bracket group closed at `close`, when it holds title
        words, numbers and number marks only."""
        for j in range(close - 1, max(close - 8, 0) - 1, -1):
            token = doc[j]
            if token.text == "(":
                return j if j < close - 1 else None
            if not (
                self._title_word(token)
                or token.like_num
                or token.lower_ in self.marks
                or token.text in ".,"
                or token.lower_ in self.title_links
            ):
                return None
        return None

    def _title_word(self, token: Token) -> bool:
        return bool(_UPPER_START.match(token.text)) and token.lower_ not in self.determiners

    def _number_tail(self, doc: Doc, end: int) -> int:
        """'… Proclamation [No. 1185/2020]', '… de Migración [285-04]': a number with a
        mark, or written with '/' or '-', right after the title."""
        i, marked = end, False
        if i < len(doc) and doc[i].lower_ in self.marks:
            i, marked = i + 1, True
            if i < len(doc) and doc[i].text in (".", "°", "º"):
                i += 1
        if i >= len(doc) or not re.match(NUMBER, doc[i].text):
            return end
        if not (marked or any(c in doc[i].text for c in "./-")):
            return end  # 'the Penal Code 2 years ago
        if YEAR.match(doc[i].text) and not marked:
            return end  # a year, taken by `_year_tail`
        return i + 1

    def _year_tail(self, doc: Doc, start: int, end: int) -> int:
        """'… Act[, 2013]', '… Law [of 2016]', '… de Comunicación [de 2013]', '… Act [2023]'."""
        if end >= len(doc) or not dated_law(doc[start:end], self.dated_heads):
            return end
        link = doc[end]
        if link.lower_ in _YEAR_LINKS or (self.lang == "en" and link.text == ","):
            year = end + 1
        elif self.lang == "en" and doc[end - 1].lower_ in self.heads:
            year = end
        else:
            return end
        if year < len(doc) and YEAR.match(doc[year].text) and not _continues(doc, year + 1):
            return year + 1
        return end

    def amended(self, doc: Doc, first: tuple[int, int], second: tuple[int, int]) -> bool:
        """True when the title `second` is the law amended by the title `first`
        ('Ley Orgánica Reformatoria [a la] Ley Orgánica de Comunicación')."""
        between = doc[first[1] : second[0]]
        if not all(t.lower_ in self.amended_links for t in between):
            return False
        return doc[first[1] - 1].lower_ in self.amending or any(t.lower_ in self.amending for t in between)


def dated_law(words: Iterable[Token], dated_heads: frozenset[str]) -> bool:
    """A national law's title ('Decreto-Ley …'), which its year may follow."""
    return any(part in dated_heads for t in words for part in fold(t.text).split("-"))


def _continues(doc: Doc, i: int) -> bool:
    """The year is the start of a longer number ('2013-2015', '2013/14')."""
    return i < len(doc) and doc[i].text in ("-", "/", "–") and _glued(doc[i - 1])


def word_end(doc: Doc, end: int) -> int:
    """A number written as one word runs to the word's end: 'Decree 147/2024[/ND-CP]'.
    Unchanged when the word goes on with something else ('147/2024/ND-CPx')."""
    i = end
    while i < len(doc) and _glued(doc[i - 1]) and _NUMBER_PART.match(doc[i].text):
        i += 1
    if i == end or not doc[i - 1].text[-1].isalnum():
        return end
    if i < len(doc) and _glued(doc[i - 1]) and doc[i].text[:1].isalnum():
        return end
    return i
