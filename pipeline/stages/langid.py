"""Langid: detect each article's language with langdetect, seeded.

Only English, French and Spanish go on to NER; any other language gets status
`unsupported_language`, so no text is ever run through a wrong-language model.
Articles with too few letters to judge get `too_short`, blank ones `empty`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ..records import Article
from ..schema import SUPPORTED_LANGS

# Detection is stable for a given text: langdetect reseeds from this per call.
LANGDETECT_SEED = 0
# langdetect reads n-grams from the whole text; this much is plenty to decide.
SAMPLE_CHARS = 4000
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    from langdetect import detector_factory

    detector_factory.init_factory()
    factory = detector_factory._factory
    factory.set_seed(LANGDETECT_SEED)
    return factory


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) of the most likely language."""
    detector = _factory().create()
    detector.append(text[:SAMPLE_CHARS])
    best = detector.get_probabilities()[0]
    return best.lang, round(best.prob, 6)


def _body(article: Article) -> str:
    """The article text without its title line, which is often all capitals."""
    if article.title is None:
        return article.text
    newline = article.text.find("\n")
    return article.text[newline + 1 :] if newline >= 0 else ""


def identify(article: Article, min_letters: int) -> Article:
    """Set lang, lang_score and status on an article (in place) and return it."""
    body = _body(article)
    if not body.strip():
        body = article.text
    letters = len(_LETTER.findall(body))
    if letters == 0:
        article.status, article.error = "empty", "no letters in the article"
        return article
    try:
        article.lang, article.lang_score = detect_language(body)
    except LangDetectException as exc:
        article.status, article.error = "too_short", f"language undetectable: {exc}"
        return article
    if letters < min_letters:
        article.status = "too_short"
        article.error = f"{letters} letters, fewer than {min_letters} needed to judge the language"
    elif article.lang not in SUPPORTED_LANGS:
        article.status = "unsupported_language"
        article.error = f"language {article.lang!r} is not one of {', '.join(SUPPORTED_LANGS)}"
    return article
