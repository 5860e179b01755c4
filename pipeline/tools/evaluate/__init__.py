"""Evaluation: entity-set scores on the hand-written gold, and public NER benchmarks.

Two measurements, both read-only with respect to the data they use:

* **Gold entity sets** (`scoring.score_gold`): the dev gold (``corpus/eval/dev_gold.jsonl``)
  lists, per article, the distinct entities a careful reader expects.  It is scored
  exactly as its GUIDELINES.md says: strings are normalised (`strings.normalise`), a
  gold entity is found when a predicted entity of the same type shares a normalised
  string with it, and a predicted entity that matches nothing is a false positive
  unless it matches a ``doubtful`` item.  The same scorer (`scoring.score_predictions`)
  also scores a raw-spaCy baseline (`baseline.baseline_tables`) run on the same
  article texts, so every figure can be shown next to what spaCy alone gives.
* **Benchmarks** (`benchmarks.benchmark`): public token-level NER sets (WikiNEuRal,
  Universal NER, WikiGold, Broad Twitter Corpus) scored mention by mention, exact
  character span and type, like seqeval's default mode.  Any predictor with the
  `benchmarks.Predictor` signature can be scored, so the pipeline and raw spaCy share
  one code path.

Modules: `strings` (the guidelines' normalisation), `gold` (gold files and output
tables as scorer input), `baseline` (raw spaCy on the gold articles), `scoring`
(entity-set scores), `benchmark_sets` (the benchmark files and how to read them),
`benchmarks` (predictors and mention-level scores), `sets` (the held-out set folders
and their role: blind or developed on), `ablation` (held-out runs and the rule-family
ablation), `report` (the printed report), `command` (`make eval`).

A blind set stays blind only if nobody reads its errors: for a set declared blind
(`corpus/eval/<set>/set.yaml`, or none), `make eval` prints and writes its figures
alone, never its false positives, misses or ablation rows.

The gold and benchmark files are for measuring only: nothing in this package, nor
anywhere in the pipeline, may build word lists or rules from them.
"""

from __future__ import annotations

from ...config import PROJECT_ROOT

# Evaluation data ships with the repository (corpus/eval/, outside the pipeline's
# default input folder corpus/pages/), so `make eval` works from a clone alone.
EVAL_DIR = PROJECT_ROOT / "corpus" / "eval"
DEFAULT_GOLD = EVAL_DIR / "dev_gold.jsonl"
DEFAULT_PAGES = PROJECT_ROOT / "corpus" / "pages"
BENCHMARKS_DIR = EVAL_DIR / "benchmarks"
# Sentences scored per benchmark set: enough for stable per-type F1 while keeping
# `make eval` to a few minutes on two cores with two systems to run.
DEFAULT_LIMIT = 1000
