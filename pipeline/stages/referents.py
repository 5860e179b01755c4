"""What an article has named so far, indexed for the resolve stage (`resolve.py`).

Resolution keys a mention by something named earlier in the same article: a
short or glued person name by the full name, an acronym by its long form, 'the
Commission' by the latest body with that head, 'the Cybercrime Convention' by
the latest law on that subject, 'Article 4' by the law it was cited with, a
body by the country placed before it in its sentence.  Comparing each mention
with every earlier one made a long article (a report, a judgment, a transcript)
cost the square of its mentions.  Here each earlier name is indexed by what a
later mention must share with it to refer to it (its squashed form, a word, a
first name, a head word, a subject word, the number it was cited after), and
the same test as before is applied to those few candidates only, in the same
order, so the referent found is the one the full scan found.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator

from ..knowledge.lexicon import Lexicon
from ..knowledge.names import APOSTROPHES, fold, slug
from ..records import Mention

# "Section 112 of the Criminal Code": what follows the article number the law was cited with.
CITED_WITH = r"\s+(?:of|de|du|del|des)\s+(?:the\s+|la\s+|le\s+|l'|el\s+)?$"
_LINK = re.compile(CITED_WITH, re.I)
_LINK_MAX = 12  # characters of link ("  of the ") that the citation's window allows
_CITED_TOKEN_MAX = 40  # a longer word before the link is not indexed: always checked


def glued_to_word(squashed: str, name_words: set[str]) -> bool:
    """'Stéphaneest' is 'Stéphane' glued to a short word ('est') by lost spacing."""
    return any(
        len(word) >= 3 and squashed.startswith(word) and 0 < len(squashed) - len(word) <= 4
        for word in name_words
    )


def short_form(name: str, full: str) -> bool:
    """'Yasmin Hegazy' (or 'YasminHegazy', glued on a byline) for 'Yasmin Abdelrahman
    Hegazy'; 'Aizhan Toktosunova' for 'Aizhan Toktosunova kyzy': the first name
    and later words of the full name, in order."""
    full_words = slug(full).split("-")
    words = slug(name).split("-")
    if len(full_words) < 3:
        return False
    if len(words) == 1:
        return words[0] in (full_words[0] + full_words[-1], full_words[0] + full_words[1])
    later = iter(full_words[1:])
    return words[0] == full_words[0] and len(words) < len(full_words) and all(w in later for w in words[1:])


def refers_to(name: str, full: str, partial_names: bool) -> bool:
    """Whether the person name `name` is another form of the full name `full`: the
    same letters run together, one of its words (or one glued to a short word),
    or, with the `partial_names` rule family, a short form of it."""
    if full == name:
        return False
    squashed = slug(name).replace("-", "")
    words = {slug(w) for w in name.split()}
    full_words = set(slug(full).split("-"))
    return (
        squashed == slug(full).replace("-", "")
        or (len(words) == 1 and (words <= full_words or glued_to_word(squashed, full_words)))
        or (partial_names and short_form(name, full))
    )


class People:
    """The full names (several words) of an article so far, in order, indexed by
    what a shorter form of one shares with it (`refers_to`)."""

    def __init__(self, partial_names: bool) -> None:
        self.partial_names = partial_names
        self.first: list[Mention] = []  # the first mention of each distinct full name, in order
        self.position: dict[str, int] = {}  # full name → its place in `first`
        self.index: dict[tuple[str, str], list[int]] = defaultdict(list)  # probe → places, ascending
        self.found: dict[str, Mention] = {}  # name → its full name: later names never come first
        self.checked: dict[str, int] = {}  # name → how many full names it was checked against

    def add(self, mention: Mention) -> None:
        """A full name, keyed by its own name (`mention.name`)."""
        if mention.name in self.position:
            return  # the first mention of a name is the one a later form finds
        place = self.position[mention.name] = len(self.first)
        self.first.append(mention)
        words = slug(mention.name).split("-")
        probes = {("squashed", "".join(words)), *(("word", w) for w in words)}
        if len(words) >= 3:
            probes |= {("short", words[0] + words[-1]), ("short", words[0] + words[1]), ("first", words[0])}
        for probe in probes:
            self.index[probe].append(place)

    def find(self, name: str) -> Mention | None:
        """The first full name so far that `name` refers to (`refers_to`), if any."""
        if name in self.found:
            return self.found[name]
        start = self.checked.get(name, 0)
        best = len(self.first)
        for probe in self._probes(name):
            places = self.index.get(probe, [])
            for place in places[bisect_left(places, start) :]:
                if place >= best:
                    break
                if refers_to(name, self.first[place].name, self.partial_names):
                    best = place
                    break
        if best < len(self.first):
            self.found[name] = self.first[best]
            return self.first[best]
        self.checked[name] = len(self.first)
        return None

    def _probes(self, name: str) -> Iterator[tuple[str, str]]:
        """Every probe a full name that `name` refers to is indexed under (a superset)."""
        words = slug(name).split("-")
        squashed = "".join(words)
        yield "squashed", squashed
        single = {slug(w) for w in name.split()}
        if len(single) == 1:
            yield "word", next(iter(single))
            for length in range(max(3, len(squashed) - 4), len(squashed)):
                yield "word", squashed[:length]
        if self.partial_names:
            yield ("short", words[0]) if len(words) == 1 else ("first", words[0])


def content_words(text: str, lex: Lexicon) -> set[str]:
    """Folded words of a law's title other than heads and short link words."""
    return {
        w for w in re.findall(r"\w+", fold(text)) if len(w) > 3 and w not in lex.heads_strong | lex.heads_weak
    }


def cites(number: str, law: Mention, text: str) -> bool:
    """Whether the article number `number` ('Section 112') stands just before `law`
    in `text`, linked to it ('Section 112 of the Criminal Code')."""
    pattern = re.compile(re.escape(number.translate(APOSTROPHES)) + CITED_WITH, re.I)
    preceding = text[max(0, law.start - len(number) - 12) : law.start]
    return bool(pattern.search(preceding.translate(APOSTROPHES)))


class Referents:
    """The bodies and laws an article has named so far (resolved ORG and LAW
    mentions), in order, indexed for the lookups of resolution."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.count = 0
        self.first_by_text: dict[tuple[str, str], Mention] = {}
        self.latest_of_type: dict[str, Mention] = {}
        self.latest_by_word: dict[tuple[str, str], Mention] = {}  # (type, folded word) → latest
        # Laws by subject: content word → {a title's content words: (place, latest such law)}.
        self.subjects: dict[str, dict[frozenset[str], tuple[int, Mention]]] = defaultdict(dict)
        # Laws with a link before them ('of the'): by the word the link follows ('112').
        self.cited: list[tuple[int, Mention]] = []
        self.cited_after: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
        self.cited_unindexed: list[tuple[int, Mention]] = []  # that word is not plain ASCII, or long

    def add(self, mention: Mention) -> None:
        place, self.count = self.count, self.count + 1
        self.first_by_text.setdefault((mention.type, mention.text), mention)
        self.latest_of_type[mention.type] = mention
        for word in fold(mention.text).split():
            self.latest_by_word[(mention.type, word)] = mention
        if mention.type == "LAW":
            words = frozenset(content_words(mention.text, self.lex))
            for word in words:
                self.subjects[word][words] = (place, mention)
            self._add_cited(place, mention)

    def defined(self, type_: str, text: str) -> Mention | None:
        """The first of the type named exactly `text` (an acronym's long form)."""
        return self.first_by_text.get((type_, text))

    def latest_with_head(self, type_: str, head: str) -> Mention | None:
        """The latest of the type whose folded name has the word `head` ('': any)."""
        return self.latest_by_word.get((type_, head)) if head else self.latest_of_type.get(type_)

    def law_by_subject(self, subject: set[str]) -> Mention | None:
        """The latest law whose title's content words include all of `subject`."""
        if not subject:
            return self.latest_of_type.get("LAW")
        rarest = min(subject, key=lambda w: len(self.subjects.get(w, ())))
        covering = [hit for words, hit in self.subjects.get(rarest, {}).items() if subject <= words]
        return max(covering, key=lambda hit: hit[0])[1] if covering else None

    def cited_with(self, number: str) -> Mention | None:
        """The first law that the article number `number` was cited with (`cites`)."""
        words = number.translate(APOSTROPHES).split()
        if len(words) < 2 or number[-1:].isspace() or not words[-1].isascii():
            candidates = self.cited
        else:
            by_word = self.cited_after.get(words[-1].lower(), [])
            candidates = sorted(by_word + self.cited_unindexed, key=lambda hit: hit[0])
        return next((law for _, law in candidates if cites(number, law, self.text)), None)

    def _add_cited(self, place: int, law: Mention) -> None:
        """Index a law by the word before each link that may end just before it.

        A number cited with it must end that word, after a space (the number is
        'Article 4', 'Section 112'), so a citation is found only among the laws
        indexed under its last word (compared as re.I does for ASCII), or not
        indexed (a word that is not plain ASCII, or longer than any number)."""
        before = self.text[max(0, law.start - _LINK_MAX - _CITED_TOKEN_MAX - 1) : law.start]
        before = before.translate(APOSTROPHES)
        links = range(1, min(_LINK_MAX, len(before)) + 1)
        ends = [len(before) - r for r in links if _LINK.match(before[-r:])]
        if not ends:
            return
        self.cited.append((place, law))
        keys = set()
        for end in ends:
            if end == 0 or before[end - 1].isspace():
                continue  # a number ends with a character of its own, not a space
            word = before[:end].split()[-1]
            if len(word) >= _CITED_TOKEN_MAX or not word.isascii():
                self.cited_unindexed.append((place, law))
                return
            keys.add(word.lower())
        for key in keys:
            self.cited_after[key].append((place, law))


# A country heading a section: alone on its line ('Kenya', 'Somalia and
# Somaliland'), or opening a paragraph before a full stop or colon ('Perú. La …').
_HEADING_AFTER = re.compile(r"(?:[ \t]*\n|[ \t]*$|[.:][ \t]|[ \t]+(?:and|et|y)[ \t]+[^\n.:]{1,40}\n)")


class Countries:
    """An article's country mentions, in order, found by position."""

    def __init__(self, countries: list[Mention], text: str = "") -> None:
        self.countries = countries
        ordered = sorted(range(len(countries)), key=lambda i: countries[i].start)
        self.starts = [countries[i].start for i in ordered]
        self.order = ordered
        headings = [countries[i] for i in ordered if _heads_section(countries[i], text)]
        self.heading_starts = [m.start for m in headings]
        self.headings = headings

    def latest_between(self, start: int, end: int) -> Iterator[Mention]:
        """The countries that start in [start, end), the latest in the article's order first."""
        low, high = bisect_left(self.starts, start), bisect_left(self.starts, end)
        for i in sorted(self.order[low:high], reverse=True):
            yield self.countries[i]

    def heading_before(self, position: int) -> Mention | None:
        """The country heading the section that `position` is in, if any: a round-up's
        'Kenya' line or a paragraph's 'Perú.' makes the laws and bodies below it
        Kenyan or Peruvian."""
        index = bisect_left(self.heading_starts, position)
        return self.headings[index - 1] if index else None


def _heads_section(country: Mention, text: str) -> bool:
    """Whether a country mention opens its line and is a heading or a paragraph's lead."""
    if text[country.start : country.end] != country.text:
        return False
    line_start = text.rfind("\n", 0, country.start) + 1
    if text[line_start : country.start].strip():
        return False
    return bool(_HEADING_AFTER.match(text, country.end))
