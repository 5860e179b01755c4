"""`load_nlp`: the project's spaCy pipeline for one language, for anyone's spaCy code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import Config, model_version
from ..errors import UnsupportedLanguageError

if TYPE_CHECKING:
    from spacy.language import Language


def load_nlp(lang: str, *, config: Config | None = None) -> Language:
    """A new spaCy pipeline for `lang` (`en`, `fr` or `es`) as `extract` configures it.

    The installed model of `config.models` (default: `Config().models`) with its
    NER only, a sentencizer, then the `civic_rules` and `civic_decision`
    components, with the rule families of `config.rules_off` switched off.
    `nlp(text)` gives a Doc whose `doc.ents` are typed PERSON, ORG, COUNTRY,
    LAW or LOCATION (`span.kb_id_`: the ISO code or registry id when known;
    `span.id_`: the model or rule that found it); `doc.spans["civic"]` also
    keeps the names nested in a longer one (a country in a law's title).
    `spacy.displacy.render(doc, style="ent")` shows them in the project's colours.

    Unlike `extract`, the pipeline does not repair scrape damage (`withStéphane`)
    nor resolve mentions to entities.  Each call loads a new pipeline (a few
    seconds), yours to change; `extract` keeps its own, loaded once per process.
    Raises `UnsupportedLanguageError` for another language, `ModelError` when
    the model is not installed at the version `models/spacy-models.txt` pins.
    """
    from ..stages.ner.recognise import build_pipeline

    models = (config or Config()).models
    if lang not in models:
        raise UnsupportedLanguageError(
            f"no spaCy pipeline is configured for {lang!r}; the languages are {', '.join(sorted(models))}"
        )
    model = models[lang]
    return build_pipeline(lang, model, model_version(model), (config or Config()).rules_off)
