"""The bench's archive: articles that keep naming new people, organisations and laws.

The sample-based corpora (`corpus.py`) recombine the sample's paragraphs, so
their names repeat: fewer than a hundred organisations however large the
corpus.  A news archive meets new names every day, and that is what makes the
cross-article merge, the entities stage and the writer grow.  These corpora
draw a new cast for every paragraph of every article, in English, French and
Spanish: people from Faker's person names (en_US, fr_FR, es_ES), organisations
and laws made from the words of `archive.yaml`, countries by their CLDR names,
in frames of civic-space news with several mentions per sentence.  Seeded:
the same arguments give the same bytes.

Faker comes with the `lexicons` extra, which `make setup` installs.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .corpus import Corpus

DATA = Path(__file__).with_name("archive.yaml")
LANGS = ("en", "fr", "es")
SEED = 20
HEADER = "civic space\n\n"
ARTICLES_PER_PAGE = 11
PARAGRAPHS = (2, 4)  # paragraphs per short article, at least and at most
SENTENCES = (2, 4)  # sentences per paragraph
POOL_DRAWS = 4000  # Faker draws per pool: its lists are finite, so distinct names come from combining them
# Words an acronym skips ('Ligue pour la liberté de la presse' → 'LLP').
_ACRONYM_SKIP = re.compile(r"^(?:of|for|in|and|the|pour|de|la|le|les|des|du|sur|l|d|y|el|por|en|a)$", re.I)


@dataclass(frozen=True)
class Language:
    """What `archive.yaml` gives for one language, and Faker's pools of names."""

    code: str
    frames: tuple[str, ...]
    topics: tuple[str, ...]
    kinds: tuple[str, ...]
    organisations: tuple[str, ...]
    laws: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    countries: tuple[str, ...]


def _distinct(draw: Callable[[], str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(draw() for _ in range(POOL_DRAWS)))


@cache
def language(code: str) -> Language:
    """The words and name pools of a language (Faker seeded, so always the same)."""
    try:
        from faker import Faker
    except ImportError as exc:  # the lexicons extra
        raise RuntimeError("the bench's archive needs Faker: pip install -e '.[lexicons]'") from exc
    import pycountry
    from babel import Locale

    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))[code]
    fake = Faker(data["locale"])
    fake.seed_instance(SEED)
    names = Locale.parse(code).territories
    countries = tuple(sorted(names[c.alpha_2] for c in pycountry.countries if c.alpha_2 in names))
    return Language(
        code, tuple(data["frames"]), tuple(data["topics"]), tuple(data["kinds"]),
        tuple(data["organisations"]), tuple(data["laws"]),
        _distinct(fake.first_name), _distinct(fake.last_name), _distinct(fake.city), countries,
    )


def acronym(name: str) -> str:
    """Initials of a name's words but link words: 'Lakewood Press Freedom Centre' → 'LPFC'."""
    words = re.findall(r"\w+", name)
    return "".join(w[0].upper() for w in words if not _ACRONYM_SKIP.match(w))


class NameMaker:
    """New names on demand, drawn with one seeded generator."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)

    def person(self, lang: str) -> tuple[str, str]:
        """(full name, the surname it is later called by)."""
        words = language(lang)
        first, last = self.rng.choice(words.first_names), self.rng.choice(words.last_names)
        if lang == "es":  # Spanish people carry two surnames; the first is the one used alone
            return f"{first} {last} {self.rng.choice(words.last_names)}", last
        return f"{first} {last}", last

    def organisation(self, lang: str) -> str:
        words = language(lang)
        return self.rng.choice(words.organisations).format(
            place=self.rng.choice(words.cities), topic=self.rng.choice(words.topics),
            kind=self.rng.choice(words.kinds), surname=self.rng.choice(words.last_names),
        )

    def law(self, lang: str) -> str:
        words = language(lang)
        topic, topic2 = self.rng.sample(words.topics, 2)
        return self.rng.choice(words.laws).format(
            topic=topic, topic2=topic2, year=self.rng.randint(1990, 2025), n=self.rng.randint(2, 999)
        )

    def cast(self, lang: str) -> dict[str, str]:
        """A paragraph's names: its frames' slots filled with new people, bodies and a law."""
        words = language(lang)
        (person, surname), (person2, _) = self.person(lang), self.person(lang)
        long_form = self.organisation(lang)
        return {
            "person": person, "person2": person2, "surname": surname,
            "org": self.organisation(lang), "org2": self.organisation(lang),
            "org_long": long_form, "acronym": acronym(long_form), "law": self.law(lang),
            "country": self.rng.choice(words.countries), "city": self.rng.choice(words.cities),
            "n": str(self.rng.randint(3, 400)), "year": str(self.rng.randint(2005, 2025)),
        }

    def paragraph(self, lang: str, n_sentences: int) -> str:
        """Sentences about one new cast: the first two introduce people, bodies and an
        acronym; the others (any frame) may refer back to them."""
        frames = language(lang).frames
        others = [frames[1], *frames[3:]]
        chosen = [frames[0], frames[2], *self.rng.sample(others, min(len(others), max(0, n_sentences - 2)))]
        cast = self.cast(lang)
        return " ".join(frame.format(**cast) for frame in chosen[:n_sentences])

    def article(self, lang: str) -> tuple[str, list[str]]:
        """A short article: (title, paragraphs)."""
        paragraphs = [
            self.paragraph(lang, self.rng.randint(*SENTENCES)) for _ in range(self.rng.randint(*PARAGRAPHS))
        ]
        return paragraphs[0].split(",")[0][:80], paragraphs


def _article_text(title: str, paragraphs: list[str]) -> str:
    """An article in the sample page's layout: a bullet title line, indented paragraphs."""
    return f"  • {title}\n\n" + "".join(f"    {p}\n\n" for p in paragraphs)


def _write_pages(folder: Path, articles: Iterator[tuple[str, str]], per_page: int) -> tuple[int, int, int]:
    """Write (lang, text) articles as pages of `per_page`, with a JSON-lines copy for raw
    passes; (pages, articles, words)."""
    folder.mkdir(parents=True, exist_ok=True)
    records, page, n_pages, words = [], [], 0, 0
    for lang, text in articles:
        words += len(text.split())
        records.append(json.dumps({"lang": lang, "text": text}, ensure_ascii=False))
        page.append(text)
        if len(page) == per_page:
            n_pages += 1
            (folder / f"page-{n_pages:05d}.txt").write_text(HEADER + "".join(page), encoding="utf-8")
            page = []
    if page:
        n_pages += 1
        (folder / f"page-{n_pages:05d}.txt").write_text(HEADER + "".join(page), encoding="utf-8")
    folder.with_name(folder.name + ".articles.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return n_pages, len(records), words


def make_archive(folder: Path, n_articles: int, seed: int = SEED, scale: int = 1) -> Corpus:
    """`n_articles` short articles (en, fr, es in turn), each with a new cast, as pages.

    The first k articles are the same for every `n_articles` ≥ k: a larger
    archive is a smaller one that went on growing."""
    maker = NameMaker(seed)

    def articles() -> Iterator[tuple[str, str]]:
        for k in range(n_articles):
            lang = LANGS[k % len(LANGS)]
            title, paragraphs = maker.article(lang)
            yield lang, _article_text(f"{title} ({k + 1})", paragraphs)

    n_pages, n, words = _write_pages(folder, articles(), ARTICLES_PER_PAGE)
    return Corpus(scale, folder, folder.with_name(folder.name + ".articles.jsonl"), n_pages, n, words)


@dataclass(frozen=True)
class LongArticle:
    """The same sentences as one article and as `parts` articles (one page each)."""

    one: Path  # a folder holding one page with one article
    split: Path  # a folder of `parts` pages, one article each
    sentences: int
    parts: int
    words: int


def make_long_article(
    folder: Path, n_sentences: int, parts: int, lang: str = "en", seed: int = SEED
) -> LongArticle:
    """A report of `n_sentences` sentences (a new cast every 5 sentences, paragraphs
    of 5), written as one article, and cut at paragraph ends into `parts` articles."""
    maker = NameMaker(seed)
    paragraphs = [maker.paragraph(lang, 5) for _ in range(max(1, n_sentences // 5))]
    one, split = folder / "one", folder / "split"
    _write_pages(one, iter([(lang, _article_text("Annual report", paragraphs))]), 1)
    size = -(-len(paragraphs) // parts)
    chunks = [paragraphs[i : i + size] for i in range(0, len(paragraphs), size)]
    parts_text = ((lang, _article_text(f"Annual report, part {i + 1}", c)) for i, c in enumerate(chunks))
    _write_pages(split, parts_text, 1)
    return LongArticle(one, split, len(paragraphs) * 5, len(chunks), sum(len(p.split()) for p in paragraphs))


_LEGAL_FORMS = ("Ltd", "Inc.", "S.A.", "A.C.", "e.V.", "SARL")


def organisation_names(n: int, seed: int = SEED) -> list[str]:
    """`n` distinct organisation names as an archive meets them, in en, fr and es: mostly
    new ones, and one in four another spelling of an earlier one (a typo, its last word
    moved first, a legal form added, accents dropped, a link word dropped)."""
    maker = NameMaker(seed)
    rng = maker.rng
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        if names and rng.random() < 0.25:
            name = _variant(rng.choice(names[-2000:]), rng)
        else:
            name = maker.organisation(LANGS[len(names) % len(LANGS)])
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _variant(name: str, rng: random.Random) -> str:
    words = name.split()
    kind = rng.randrange(5)
    if kind == 0:  # a typo: a letter dropped, doubled or changed
        i = rng.randrange(len(name))
        return rng.choice([name[:i] + name[i + 1 :], name[:i] + name[i] + name[i:],
                           name[:i] + rng.choice("aeiourstn") + name[i + 1 :]])
    if kind == 1 and len(words) > 1:
        return " ".join([words[-1], *words[:-1]])
    if kind == 2:
        return f"{name} {rng.choice(_LEGAL_FORMS)}"
    if kind == 3:
        return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    kept = [w for w in words if not _ACRONYM_SKIP.match(w)]
    return " ".join(kept) if len(kept) > 1 else name.upper()


def organisation_keys(n: int, seed: int = SEED) -> list[tuple[str, str]]:
    """`n` distinct organisation keys with a name each, (key, name), from `organisation_names`."""
    from ...knowledge.names import entity_key

    keys: dict[str, str] = {}
    for name in organisation_names(n + n // 8, seed):
        keys.setdefault(entity_key("ORG", name), name)
    if len(keys) < n:
        raise ValueError(f"only {len(keys)} distinct keys among the names generated")
    return list(keys.items())[:n]
