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
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from ..knowledge.lexicon import Lexicon
from ..knowledge.names import APOSTROPHES, fold, match_key, slug, without_un_qualifier
from ..knowledge.patterns import alias_words
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


def surname_of(name: str, full: str) -> bool:
    """'Carabalí Mina' for 'Yenny Carabalí Mina', 'al-Singace' for 'Abduljalil al-Singace',
    'Dela Cruz-Umali' for 'Rowena Dela Cruz-Umali': the last words of the full name
    (two or more, counting the parts of a hyphenated word), not all of them."""
    words, full_words = slug(name).split("-"), slug(full).split("-")
    return 2 <= len(words) < len(full_words) and full_words[-len(words) :] == words


def refers_to(name: str, full: str, partial_names: bool) -> bool:
    """Whether the person name `name` is another form of the full name `full`: the
    same letters run together, one of its words (or one glued to a short word),
    or, with the `partial_names` rule family, a short form or the surname of it."""
    if full == name:
        return False
    squashed = slug(name).replace("-", "")
    words = {slug(w) for w in name.split()}
    full_words = set(slug(full).split("-"))
    return (
        squashed == slug(full).replace("-", "")
        or (len(words) == 1 and (words <= full_words or glued_to_word(squashed, full_words)))
        or (partial_names and (short_form(name, full) or surname_of(name, full)))
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
            probes |= {("surname", "-".join(words[-size:])) for size in range(2, len(words))}
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
            yield "surname", "-".join(words)




def _short_forms(text: str, cuts: frozenset[str]) -> set[str]:
    """The short forms a later mention may name a body `text` by, in `match_key` form:
    the name without its UN qualifier ('[UN] Ad Hoc Committee'); either cut before a
    word of `cuts` ('[UN] Ad Hoc Committee [on Cybercrime]', 'Parliamentary Assembly
    [of the Council of Europe]'); a run of its capitalised words written as their
    initials.  (A law's short forms, without its year or subject or with initials,
    are linked to it earlier, in the decision's `law_citations`.)"""
    forms = _with_initials(text)
    unqualified = without_un_qualifier(text)
    for name in {text, unqualified}:
        words = name.split()
        if name != text and len(words) > 1:
            forms.add(match_key(name))
        cut = next((size for size in range(2, len(words)) if fold(words[size]) in cuts), None)
        if cut is not None:
            forms.add(match_key(" ".join(words[:cut])))
    return forms


_MAX_INITIALS = 6  # words a name's acronym inside a longer name stands for


def _with_initials(text: str) -> set[str]:
    """'Private Voluntary Organisations Amendment Act' → 'pvo amendment act': a run of
    two or more capitalised words (hyphen parts counted: 'Non-Governmental') as
    their initials, in `match_key` form, with at least one other word kept."""
    words = text.split()
    capitalised = [w[:1].isupper() for w in words]
    forms = set()
    for start in range(len(words)):
        for end in range(start + 2, min(start + _MAX_INITIALS, len(words)) + 1):
            if not all(capitalised[start:end]) or end - start == len(words):
                continue
            initials = "".join(part[:1] for word in words[start:end] for part in word.split("-") if part)
            forms.add(match_key(" ".join([*words[:start], initials, *words[end:]])))
    return forms


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

    def __init__(
        self,
        text: str,
        lex: Lexicon,
        title_cuts: frozenset[str] = frozenset(),
        name_cuts: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.lex = lex
        self.title_cuts = title_cuts  # the words a short title ends before (`aliases.yaml`)
        self.name_cuts = name_cuts  # and a body's short name too ('of')
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
        # Short forms of the names so far: (type, match_key form) → the latest name it shortens.
        self.short_forms: dict[tuple[str, str], Mention] = {}

    def add(self, mention: Mention) -> None:
        place, self.count = self.count, self.count + 1
        self.first_by_text.setdefault((mention.type, " ".join(mention.text.split())), mention)
        if mention.type == "ORG":
            for short in _short_forms(mention.text, self.title_cuts | self.name_cuts):
                self.short_forms[(mention.type, short)] = mention
        self.latest_of_type[mention.type] = mention
        for word in fold(mention.text).split():
            self.latest_by_word[(mention.type, word)] = mention
        if mention.type == "LAW":
            words = frozenset(content_words(mention.text, self.lex))
            for word in words:
                self.subjects[word][words] = (place, mention)
            self._add_cited(place, mention)

    def defined(self, type_: str, text: str) -> Mention | None:
        """The first of the type named exactly `text` (an acronym's long form), whatever
        its spaces: a key hint carries 'Ley 27692' where the text has a no-break space."""
        return self.first_by_text.get((type_, " ".join(text.split())))

    def shortened(self, type_: str, text: str) -> Mention | None:
        """The latest of the type that `text` is a short form of (`_short_forms`)."""
        return self.short_forms.get((type_, match_key(text)))

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


class Countries:
    """An article's country mentions, in order, found by position."""

    def __init__(self, countries: list[Mention]) -> None:
        self.countries = countries
        ordered = sorted(range(len(countries)), key=lambda i: countries[i].start)
        self.starts = [countries[i].start for i in ordered]
        self.order = ordered

    def latest_between(self, start: int, end: int) -> Iterator[Mention]:
        """The countries that start in [start, end), the latest in the article's order first."""
        low, high = bisect_left(self.starts, start), bisect_left(self.starts, end)
        for i in sorted(self.order[low:high], reverse=True):
            yield self.countries[i]


# A blank line ends a paragraph; a paragraph of a few words opening with a country is a
# heading ('Kenya', 'Somalia and Somaliland'), and so is a country ending in a full stop or
# colon at the start of a paragraph ('Bahrain. Danish-Bahraini rights defender …'), and a
# country alone on its line, which starts a section even where no blank line separates
# them ('Kenya' then its section's first line).
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_HEADING_WORDS = 5
_RUN_IN_HEAD = re.compile(r"[.:]\s")
_ALONE_ON_LINE = re.compile(r"[^\S\n]*(?:\n|$)|[^\S\n]+(?:and|et|y)[^\S\n]+[^\n.:]{1,40}(?:\n|$)")


class CountryFocus:
    """The country each passage of an article is about: what a state body or national
    law named without its own country belongs to.

    A round-up or a legislative summary goes country by country, each section under
    a heading ('Kenya' on a line of its own, 'Bahrain. …' at the start of a
    paragraph), and the article's most-mentioned country says nothing of the other
    sections; within a paragraph, a sentence opening on a place ('In Kazakhstan,
    …', 'En Colombie, …') sets the scene for the rest of the paragraph.  A passage
    under neither is about the article's main country.  A country merely named in
    a paragraph ('moved its newsroom to Costa Rica') says nothing of its bodies."""

    def __init__(
        self, text: str, countries: list[Mention], main: str | None, locatives: frozenset[str] = frozenset()
    ) -> None:
        alone = [c for c in countries if _in_text(text, c) and _alone_on_line(text, c)]
        lines = [_line_start(text, c.start) for c in alone]
        self.starts = sorted({0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text)), *lines})
        self.focus: list[str | None] = [main] * len(self.starts)
        self.scenes: list[list[tuple[int, str]]] = [[] for _ in self.starts]  # (start, country) by paragraph
        heading: str | None = None
        for country in sorted((c for c in countries if c.key and _in_text(text, c)), key=lambda m: m.start):
            place = bisect_right(self.starts, country.start) - 1
            if _is_heading(text, self.starts[place], country):
                heading = country.key
                self.focus[place:] = [heading] * (len(self.starts) - place)
            elif _opens_sentence(text, country, locatives):
                self.scenes[place].append((country.start, country.key))

    def at(self, position: int) -> str | None:
        """The country the passage holding `position` is about, if one."""
        place = bisect_right(self.starts, position) - 1
        scenes = self.scenes[place]
        latest = bisect_left(scenes, (position, "")) - 1
        return scenes[latest][1] if latest >= 0 else self.focus[place]


def _in_text(text: str, mention: Mention) -> bool:
    return text[mention.start : mention.end] == mention.text


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _alone_on_line(text: str, country: Mention) -> bool:
    """'Kenya' or 'Somalia and Somaliland' as a line of its own."""
    return not text[_line_start(text, country.start) : country.start].strip() and bool(
        _ALONE_ON_LINE.match(text, country.end)
    )


def _is_heading(text: str, start: int, country: Mention) -> bool:
    """Whether `country` opens the paragraph (or line) starting at `start` as its heading."""
    if text[start : country.start].strip():
        return False
    if _alone_on_line(text, country):
        return True
    end = text.find("\n\n", country.end)
    line = text[country.start : end if end >= 0 else len(text)]
    return len(line.split()) <= _HEADING_WORDS or bool(_RUN_IN_HEAD.match(text, country.end))


def _opens_sentence(text: str, country: Mention, locatives: frozenset[str]) -> bool:
    """'In Kazakhstan, …': the country follows a locative that opens its sentence."""
    words = text[country.sentence_start : country.start].split()
    return len(words) == 1 and fold(words[0]) in locatives


_QUOTES = "\"'«»“”‘’„‹›"


class _AliasPatterns(NamedTuple):
    """Patterns over the folded text between two names (`aliases.yaml`)."""

    direct: re.Pattern[str]  # ', known as “'
    relative: re.Pattern[str]  # ', which everyone now calls the '


def _any_of(phrases: list[str]) -> str:
    longest_first = sorted((p.casefold() for p in phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in longest_first)


@lru_cache(maxsize=3)
def _alias_patterns(lang: str) -> _AliasPatterns:
    words = alias_words(lang)
    quotes = f"[\\s{_QUOTES}]*"
    article = f"(?:(?:{_any_of(words.articles)})(?:\\s+|(?<=')){quotes})?"
    return _AliasPatterns(
        direct=re.compile(f"^[\\s,(]*(?:{_any_of(words.direct_cues)}){quotes}{article}$"),
        relative=re.compile(
            f"^[^.;:!?]*,\\s*(?:{_any_of(words.relatives)})\\b[^.;:!?,]*?\\b(?:{_any_of(words.naming_verbs)})"
            f"(?:\\s+\\w+)??{quotes}{article}$"
        ),
    )


class AliasLinks:
    """The mentions an article introduces as another name of the entity it has just
    named ('X, known as Y', 'X, dit « Y »', 'the Law on X, which everyone calls Y'),
    each with the mention it names again: what the resolve stage keys them as.  (A
    law's number in brackets or apposition is linked to its title earlier, in the
    decision's `law_citations`.)

    Only the mention right before another (nested ones aside) can be named
    again, in the same sentence, with nothing but the cue between them: one pass
    over the article's mentions in order.  A one- or two-word name typed a place
    or an organisation that is introduced as a person's nickname ('Jimmy
    Chérizier, dit « Barbecue »') is retyped PERSON."""

    def __init__(self, text: str, mentions: list[Mention], lang: str) -> None:
        self.text = text
        self.patterns = _alias_patterns(lang)
        self.of: dict[int, Mention] = {}  # id(alias) → the mention it names again
        ordered: list[Mention] = []
        for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
            if not ordered or mention.start >= ordered[-1].end:
                ordered.append(mention)
        for place in range(1, len(ordered)):
            if self._introduces(ordered[place - 1], ordered[place]):
                self.of[id(ordered[place])] = ordered[place - 1]

    def _gap(self, earlier: Mention, later: Mention) -> str:
        return self.text[earlier.end : later.start].casefold().translate(APOSTROPHES)

    def _introduces(self, earlier: Mention, alias: Mention) -> bool:
        gap = self._gap(earlier, alias)
        if len(gap) > _MAX_GAP or alias.long_form is not None or alias.key.startswith("acronym:"):
            return False
        cued = bool(self.patterns.direct.match(gap))
        nickname = alias.type in ("ORG", "LOCATION") and len(alias.text.split()) <= 2
        if cued and earlier.type == "PERSON" and nickname:
            alias.type = "PERSON"  # a nickname: 'Jimmy Chérizier, dit « Barbecue »'
        if earlier.type != alias.type or alias.type == "COUNTRY":
            return False
        return cued or bool(self.patterns.relative.match(gap))


_MAX_GAP = 200  # characters between a name and its other name: a clause, never a paragraph

