"""Raw spaCy as a baseline: the installed pipelines as they are, no rules, on the gold's articles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...schema import SUPPORTED_LANGS
from .gold import PredictedArticle, PredictedEntity, Predictions, first_by_title
from .strings import title_key

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Doc

SpacyLoader = Callable[[str], "Language"]

# Raw spaCy labels → gold types.  Plain on purpose: this is what spaCy gives with
# no rules, so the comparison shows what the pipeline adds.  FAC, NORP, MISC and
# the numeric/temporal labels have no gold counterpart and are dropped.
RAW_SPACY_GOLD_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "COUNTRY",
    "LOC": "COUNTRY",
    "LAW": "LAW",
}


@lru_cache(maxsize=8)
def load_spacy(name: str) -> Language:
    """An installed spaCy pipeline, loaded once per process."""
    from ...stages.ner.recognise import load_model

    return load_model(name)


def _doc_entities(doc: Doc) -> tuple[PredictedEntity, ...]:
    """One entity per (type, casefolded surface), its surfaces in order of appearance."""
    surfaces: dict[tuple[str, str], list[str]] = {}
    for ent in doc.ents:
        type_ = RAW_SPACY_GOLD_LABELS.get(ent.label_)
        if type_ is None:
            continue
        seen = surfaces.setdefault((type_, ent.text.casefold()), [])
        if ent.text not in seen:
            seen.append(ent.text)
    return tuple(
        PredictedEntity(f"{type_}:{key}", type_, texts[0], key, tuple(texts))
        for (type_, key), texts in surfaces.items()
    )


def _entities_by_article(
    by_lang: Mapping[str, list[Any]], models: Mapping[str, str], load: SpacyLoader
) -> dict[str, tuple[PredictedEntity, ...]]:
    found: dict[str, tuple[PredictedEntity, ...]] = {}
    for lang, lang_rows in by_lang.items():
        nlp = load(models[lang])
        texts = [row.text for row in lang_rows]
        nlp.max_length = max(nlp.max_length, *(len(t) + 1 for t in texts))
        for row, doc in zip(lang_rows, nlp.pipe(texts, batch_size=8), strict=True):
            found[row.article_id] = _doc_entities(doc)
    return found


def baseline_tables(
    articles: pd.DataFrame,
    models: Mapping[str, str],
    load: SpacyLoader | None = None,
) -> Predictions:
    """Predict entity sets with raw spaCy, for the same articles as the pipeline.

    Each ok article in en/fr/es goes whole (its original `text`, no repair)
    through ``spacy.load(models[lang])`` with the full default pipeline.  Labels
    are mapped plainly (`RAW_SPACY_GOLD_LABELS`) and one entity is made per
    (type, casefolded surface), with that pair as its id, so "UN" and "un" are one
    entity in every article while "UN" and "United Nations" stay two: the
    baseline does no normalisation, which is what the normalisation figures
    compare against.  Other articles are kept with no entities so that language
    accuracy is still scored.  `load` replaces `spacy.load` (tests use blank
    pipelines).
    """
    by_lang: dict[str, list[Any]] = defaultdict(list)
    rows = []
    for row in articles.itertuples(index=False):
        if row.title is None:
            continue
        rows.append(row)
        if row.status == "ok" and row.lang in SUPPORTED_LANGS and row.lang in models:
            by_lang[row.lang].append(row)
    found = _entities_by_article(by_lang, models, load or load_spacy)
    return first_by_title(_predicted(rows, found))


def _predicted(
    rows: Iterable[Any], found: Mapping[str, tuple[PredictedEntity, ...]]
) -> Iterable[tuple[str, PredictedArticle]]:
    for row in rows:
        entities = found.get(row.article_id, ())
        yield title_key(row.title), PredictedArticle(row.title, row.lang, row.status, entities)
