"""Builds the word lexicons of models/lexicons/ from maintained packages.

`python -m pipeline.knowledge.wordlists` rewrites them; the pipeline only reads the files
(`lexicon.common_words`, `lexicon.first_names`), so a run loads a few thousand
words instead of wordfreq's and Faker's whole data.  The thresholds are in
models/patterns/cues.yaml; tests/stages/ner/test_evidence.py checks that the files match
what the packages and thresholds give.

* common_words.<lang>.tsv: every word of wordfreq's list for the language with
  a Zipf frequency of at least `min_zipf`, marked `ordinary` when it is also at
  least `margin` above its frequency in each reference language.
* first_names.txt: first names in Latin script of all of Faker's person
  providers (about 85 locales, Western and not).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import unicodedata
from pathlib import Path

from ..schema import SUPPORTED_LANGS
from .lexicon import LEXICONS_DIR
from .patterns import cue_words


def common_word_lines(lang: str) -> list[str]:
    from wordfreq import get_frequency_dict, zipf_frequency

    settings = cue_words().common_words
    min_zipf, margin = settings.min_zipf, settings.margin
    references = [r for r in settings.reference_languages if r != lang]
    version = importlib.metadata.version("wordfreq")
    lines = [
        f"# wordfreq {version} ({lang}): words with Zipf >= {min_zipf}; 'ordinary' when at least "
        f"{margin} above their Zipf in {', '.join(references)}.  "
        "Made by `python -m pipeline.knowledge.wordlists`."
    ]
    words = sorted(w for w in get_frequency_dict(lang, wordlist="small") if w.replace("'", "").isalpha())
    for word in words:
        own = zipf_frequency(word, lang)
        if own < min_zipf:
            continue
        ordinary = all(own - zipf_frequency(word, ref) >= margin for ref in references)
        lines.append(f"{word}\tordinary" if ordinary else word)
    return lines


def _latin(word: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word)


def first_name_lines() -> list[str]:
    import faker.providers.person as person_providers

    min_length = cue_words().first_names.min_length
    names: set[str] = set()
    for module in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"{person_providers.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attribute)
            if isinstance(value, (list, tuple, dict)):
                names.update(str(n) for n in value)
    kept = sorted({n.casefold() for n in names if len(n) >= min_length and _latin(n) and " " not in n})
    version = importlib.metadata.version("faker")
    return [f"# Faker {version}: first names in Latin script of all person providers.", *kept]


def expected_files() -> dict[Path, str]:
    files = {
        LEXICONS_DIR / f"common_words.{lang}.tsv": "\n".join(common_word_lines(lang)) + "\n"
        for lang in sorted(SUPPORTED_LANGS)
    }
    files[LEXICONS_DIR / "first_names.txt"] = "\n".join(first_name_lines()) + "\n"
    return files


def main() -> None:
    LEXICONS_DIR.mkdir(exist_ok=True)
    for path, text in expected_files().items():
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {text.count(chr(10)) - 1} entries")


if __name__ == "__main__":
    main()
