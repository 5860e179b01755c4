"""The bench's corpora: the sample page's articles recombined, at any multiple of its size."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from ...config import PROJECT_ROOT, Config

SAMPLE = PROJECT_ROOT / "corpus" / "pages" / "civicus_surveillance.txt"
SEED = 6
# Like the sample page: a tag line, eleven articles, then the page footer.
ARTICLES_PER_PAGE = 11


@dataclass(frozen=True)
class Template:
    """One sample article: its language, title and paragraphs (lines, indent kept)."""

    lang: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    scale: int
    folder: Path
    articles: Path  # JSON lines of {"lang", "text"}: the raw pass reads these
    n_pages: int
    n_articles: int
    words: int
    one_file: Path | None = None  # the same articles as one page file, if made


def sample_page(path: Path = SAMPLE) -> tuple[str, list[Template], str]:
    """(header, article templates, footer) of the sample page, cut by the pipeline's own split."""
    from ...stages.ingest import read_document
    from ...stages.langid import identify
    from ...stages.split import split_document

    doc = read_document(path)
    templates = []
    for article in split_document(doc):
        identify(article, Config().min_letters)
        lines = article.text.splitlines()[1:]
        paragraphs = tuple(line for line in lines if line.strip())
        templates.append(Template(article.lang or "", article.title or "", paragraphs))
    return doc.header, templates, doc.boilerplate or ""


def make_corpus(folder: Path, scale: int, seed: int = SEED, one_file: bool = False) -> Corpus:
    """Write `scale` × the sample's articles as pages of the sample's layout, all distinct.

    With `one_file`, the same articles are also written as one page (header,
    every article, footer) in `<folder>.one/`: one large file, the other shape
    of the same corpus.

    Article k takes the language, title and paragraph count of sample article
    k mod 11, and draws its paragraphs, shuffled, from all sample paragraphs of
    that language, so EN and FR never mix and sizes follow the sample.  Titles
    get a running number, and a repeated text is drawn again, so no article
    repeats: a repeat would let a cache or a model's memo flatter the numbers.
    """
    header, templates, footer = sample_page()
    pools: dict[str, list[str]] = {}
    for template in templates:
        pools.setdefault(template.lang, []).extend(template.paragraphs)
    rng = random.Random(f"{seed}:{scale}")
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    records: list[str] = []
    page: list[str] = []
    n_pages = words = 0
    for k in range(scale * len(templates)):
        template = templates[k % len(templates)]
        text = ""
        while not text or text in seen:
            paragraphs = rng.sample(pools[template.lang], len(template.paragraphs))
            text = f"  • {template.title} ({k + 1})\n\n" + "\n\n".join(paragraphs) + "\n\n"
        seen.add(text)
        words += len(text.split())
        records.append(json.dumps({"lang": template.lang, "text": text}, ensure_ascii=False))
        page.append(text)
        if len(page) == ARTICLES_PER_PAGE or k == scale * len(templates) - 1:
            n_pages += 1
            (folder / f"page-{n_pages:04d}.txt").write_text(header + "".join(page) + footer, encoding="utf-8")
            page = []
    articles = folder.with_name(folder.name + ".articles.jsonl")
    articles.write_text("\n".join(records) + "\n", encoding="utf-8")
    single = None
    if one_file:
        single = folder.with_name(folder.name + ".one")
        single.mkdir(exist_ok=True)
        with open(single / "all-pages.txt", "w", encoding="utf-8") as handle:
            handle.write(header)
            for record in records:
                handle.write(json.loads(record)["text"])
            handle.write(footer)
    return Corpus(scale, folder, articles, n_pages, len(records), words, single)
