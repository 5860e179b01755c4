"""Word lists of the rules and resolution, read from models/patterns/ (no spaCy here).

Kept apart from `components.py` so that code which only needs the lists (entity
resolution in the main process, on a warm cached run) does not import spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .config import MODELS_DIR
from .names import APOSTROPHES


@lru_cache(maxsize=1)
def vocabulary() -> tuple[dict[str, Any], dict[str, Any]]:
    laws = yaml.safe_load((MODELS_DIR / "patterns" / "laws.yaml").read_text(encoding="utf-8"))
    stops = yaml.safe_load((MODELS_DIR / "patterns" / "stoplists.yaml").read_text(encoding="utf-8"))
    return laws, stops


@dataclass(frozen=True)
class Lexicon:
    """Per-language word lists used by the decision, compared casefolded."""

    generic_orgs: frozenset[str]
    bare_heads: frozenset[str]
    roles: frozenset[str]
    determiners: frozenset[str]
    heads_strong: frozenset[str]
    heads_weak: frozenset[str]
    org_heads: frozenset[str]
    name_particles: frozenset[str]


@lru_cache(maxsize=3)
def lexicon(lang: str) -> Lexicon:
    laws, stops = vocabulary()
    fold = lambda words: frozenset(w.casefold().translate(APOSTROPHES) for w in words)  # noqa: E731
    return Lexicon(
        generic_orgs=fold(stops[lang]["generic_orgs"]),
        bare_heads=fold(stops[lang]["bare_heads"]),
        roles=fold(stops[lang]["roles"]),
        determiners=fold(laws[lang]["determiners"] + laws["en"]["determiners"][:3]),
        heads_strong=fold(laws[lang]["heads_strong"]),
        heads_weak=fold(laws[lang]["heads_weak"]),
        org_heads=fold(stops[lang]["org_heads"]),
        name_particles=fold(stops[lang]["name_particles"]),
    )
