"""The printed evaluation report (pipeline next to raw spaCy throughout), and its JSON form.

`format_report` prints a gold set's figures and its errors (false positives,
misses, fragments, false merges, inconsistent keys); `format_summary` prints a
blind set's figures from a `GoldSummary`, which holds no error to print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass
from typing import Any

from spacy.scorer import PRFScore

from ...schema import CORE_TYPES
from .benchmarks import BENCH_TYPES, BenchmarkComparison, BenchmarkResult
from .scoring import Finding, GoldReport, GoldSummary, Ratio

NORMALISATION_NOTES = [
    "  fragmented: found gold entities matched by >1 predicted id in one article",
    "  key consistent: gold keys found in >=2 articles (or >=2 languages) whose matches"
    " are one single id everywhere",
    "  false merges: predicted ids matching >=2 gold keys / ids matching any gold key",
]
WIKINEURAL_NOTE = (
    "  wikineural_* is silver data (CC BY-NC-SA, non-commercial) close to spaCy fr/es"
    " training data: flattering for both systems; use it for comparisons only."
)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = (str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join((first, *rest)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal, "-" when unknown."""
    return "-" if value is None else f"{100 * value:.1f}"


def delta(a: float | None, b: float | None) -> str:
    """The signed difference of two shares in percentage points, "-" when either is unknown."""
    return "-" if a is None or b is None else f"{100 * (a - b):+.1f}"


def _ratio(ratio: Ratio) -> str:
    share = "-" if ratio.share is None else f"{pct(ratio.share)}%"
    return f"{share} ({ratio.hits}/{ratio.total})"


def _f1(counts: PRFScore | None) -> float | None:
    # Not `if counts`: a PRFScore with no counts is falsy (it has a length), yet scores 0.0.
    return None if counts is None else counts.fscore


def _prf(counts: PRFScore | None) -> list[str]:
    if counts is None:
        return ["-"] * 4
    counted = f"{counts.tp}/{counts.fp}/{counts.fn}"
    return [pct(counts.precision), pct(counts.recall), pct(counts.fscore), counted]


def _side_by_side(
    label: str, keys: Sequence[str], pipe: Mapping[str, PRFScore], raw: Mapping[str, PRFScore]
) -> str:
    rows = []
    for key in keys:
        p, r = pipe.get(key), raw.get(key)
        rows.append([key, *_prf(p), *_prf(r), delta(_f1(p), _f1(r))])
    header = [label, "P", "R", "F1", "TP/FP/FN", "raw P", "raw R", "raw F1", "TP/FP/FN", "ΔF1"]
    return table(header, rows)


def _normalisation_rows(report: GoldSummary) -> list[str]:
    return [
        report.system,
        _ratio(report.fragmentation),
        _ratio(report.key_consistency),
        _ratio(report.key_consistency_langs),
        f"{report.false_merges}/{report.matched_entity_ids}",
        _ratio(report.language),
    ]


def _findings(title: str, findings: Sequence[Finding]) -> list[str]:
    lines = [f"{title} ({len(findings)})"]
    lines += [
        f"  [{f.type}] {f.string!r}" + (f" ({f.detail})" if f.detail else "") + f" — {f.title}"
        for f in sorted(findings, key=lambda f: (f.type, f.title, f.string))
    ]
    return lines


def _gold_section(pipeline: GoldSummary | None, baseline: GoldSummary | None) -> list[str]:
    """Scores per type and per language, both systems side by side."""
    reports = [r for r in (pipeline, baseline) if r is not None]
    first = reports[0]
    out = [
        f"GOLD ENTITY SETS — {first.n_articles} articles"
        + (f" from {first.gold_path}" if first.gold_path else "")
        + "  (pipeline | raw spaCy, micro over articles, %)"
    ]
    pipe_types = {**pipeline.by_type, "ALL": pipeline.overall} if pipeline else {}
    raw_types = {**baseline.by_type, "ALL": baseline.overall} if baseline else {}
    out.append(_side_by_side("type", [*CORE_TYPES, "ALL"], pipe_types, raw_types))
    langs = sorted({lang for r in reports for lang in r.by_lang})
    out.append("")
    out.append(
        _side_by_side(
            "lang", langs, pipeline.by_lang if pipeline else {}, baseline.by_lang if baseline else {}
        )
    )
    return out


def _normalisation_section(summaries: Sequence[GoldSummary]) -> list[str]:
    header = ["system", "fragmented", "key consistent", "… across langs", "false merges", "language ok"]
    out = ["", "NORMALISATION AND LANGUAGE", table(header, [_normalisation_rows(s) for s in summaries])]
    return out + NORMALISATION_NOTES


def _title_problems(report: GoldReport) -> list[str]:
    """The gold articles that found no output article, or another language, by title."""
    out = []
    if report.unmatched_titles:
        out.append(f"  {report.system}: gold titles without output article:")
        out += [f"    {t}" for t in report.unmatched_titles]
    for m in report.language_mismatches:
        out.append(f"  {report.system}: language {m.predicted} ≠ gold {m.gold}: {m.title}")
    return out


def _title_problem_counts(summary: GoldSummary) -> list[str]:
    """How many gold articles found no output article, or another language; no titles."""
    counts = [
        f"{what}: {n}"
        for n, what in (
            (summary.unmatched_titles, "gold titles without output article"),
            (summary.language_mismatches, "articles in another language than the gold's"),
        )
        if n
    ]
    return [f"  {summary.system}: {', '.join(counts)} (not listed: blind set)"] if counts else []


def _pipeline_details(pipeline: GoldReport) -> list[str]:
    """The pipeline's inconsistent keys, false merges, fragments, false positives and misses."""
    out = [""]
    if pipeline.inconsistent_keys:
        out.append(f"Inconsistent keys ({len(pipeline.inconsistent_keys)})")
        out += [
            f"  [{k.type}] {k.key}: {len(k.entity_ids)} ids over {k.articles} articles"
            f" ({', '.join(k.langs)}): {', '.join(k.entity_ids)}"
            for k in pipeline.inconsistent_keys
        ]
    if pipeline.false_merges:
        out.append(f"False merges ({len(pipeline.false_merges)})")
        out += [f"  [{m.type}] {m.entity_id} → {', '.join(m.keys)}" for m in pipeline.false_merges]
    out += _findings("Fragmented (pipeline)", pipeline.fragmented)
    out += _findings("False positives (pipeline)", pipeline.false_positives)
    out += _findings("Misses (pipeline)", pipeline.misses)
    if pipeline.doubtful_matches:
        out.append(f"({pipeline.doubtful_matches} predictions matched doubtful items: ignored)")
    return out


def _bench_counts(result: BenchmarkResult | None, type_: str) -> PRFScore | None:
    if result is None:
        return None
    return result.overall if type_ == "micro" else result.by_type.get(type_)


def _benchmark_section(benchmarks: Sequence[BenchmarkComparison]) -> list[str]:
    rows = []
    for b in benchmarks:
        result = b.pipeline or b.raw
        n = result.n_sentences if result else 0
        labels = [b.name, f"({b.note}, n={n})", "", ""]
        for label, type_ in zip(labels, (*BENCH_TYPES, "micro"), strict=True):
            p, r = _bench_counts(b.pipeline, type_), _bench_counts(b.raw, type_)
            p_f1, r_f1 = _f1(p), _f1(r)
            rows.append([label, type_, pct(p_f1), pct(r_f1), delta(p_f1, r_f1)])
    return [
        "",
        "BENCHMARKS — mention level, exact span and type, MISC left out (F1 %)",
        table(["set", "type", "pipeline", "raw spaCy", "Δ"], rows),
        WIKINEURAL_NOTE,
    ]


def format_report(
    pipeline: GoldReport | None,
    baseline: GoldReport | None = None,
    benchmarks: Sequence[BenchmarkComparison] = (),
    notes: Sequence[str] = (),
) -> str:
    """The human-readable evaluation report: pipeline next to raw spaCy throughout."""
    out: list[str] = []
    reports = [r for r in (pipeline, baseline) if r is not None]
    if reports:
        out += _gold_section(
            None if pipeline is None else pipeline.summary(), None if baseline is None else baseline.summary()
        )
        out += _normalisation_section([r.summary() for r in reports])
        out += [line for r in reports for line in _title_problems(r)]
    if pipeline is not None:
        out += _pipeline_details(pipeline)
    if benchmarks:
        out += _benchmark_section(benchmarks)
    if notes:
        out.append("")
        out += [f"note: {n}" for n in notes]
    return "\n".join(out) + "\n"


def format_summary(pipeline: GoldSummary, baseline: GoldSummary | None = None) -> str:
    """A blind set's report: the tables per type, per language and of normalisation, nothing else."""
    summaries = [s for s in (pipeline, baseline) if s is not None]
    out = _gold_section(pipeline, baseline) + _normalisation_section(summaries)
    out += [line for s in summaries for line in _title_problem_counts(s)]
    return "\n".join(out) + "\n"


def to_jsonable(value: Any) -> Any:
    """Dataclasses to dicts (with precision/recall/F1 next to each count), for --json."""
    if isinstance(value, PRFScore):
        return {
            "tp": value.tp,
            "fp": value.fp,
            "fn": value.fn,
            "precision": round(value.precision, 4),
            "recall": round(value.recall, 4),
            "f1": round(value.fscore, 4),
        }
    if isinstance(value, Ratio):
        return {"hits": value.hits, "total": value.total, "share": value.share}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
