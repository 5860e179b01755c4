"""pipeline.tools.evaluate.benchmarks: mention-level scores and predictors (no trained model)."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from pipeline.tools.evaluate.benchmark_sets import BENCHMARKS, Span
from pipeline.tools.evaluate.benchmarks import benchmark, pipeline_predictor, raw_spacy_predictor, score_spans

from .conftest import PATTERNS, ruler_loader


def test_score_spans_ignores_misc_and_other_types() -> None:
    gold = [[(0, 3, "PER"), (4, 8, "MISC"), (9, 12, "LOC")]]
    predicted = [[(0, 3, "PER"), (4, 8, "DATE"), (9, 12, "ORG"), (9, 12, "ORG")]]
    counts = score_spans(gold, predicted)
    assert (counts["PER"].tp, counts["PER"].fp, counts["PER"].fn) == (1, 0, 0)
    assert (counts["ORG"].tp, counts["ORG"].fp) == (0, 1)
    assert counts["LOC"].fn == 1
    assert "MISC" not in counts


def test_benchmark_with_fake_predictor(tmp_path: Path) -> None:
    spec = BENCHMARKS["btc_g"]
    path = tmp_path / spec.path
    path.parent.mkdir(parents=True)
    path.write_text("Ann\tB-PER\nsaw\tO\nLima\tB-LOC\n\nBob\tB-PER\n\nCid\tB-PER\n", encoding="utf-8")
    seen: list[tuple[list[str], str]] = []

    def predict(texts: list[str], lang: str) -> list[list[Span]]:
        seen.append((texts, lang))
        return [[(0, 3, "PER"), (8, 12, "ORG")], []]

    result = benchmark("btc_g", predict, limit=2, root=tmp_path, system="fake")
    assert seen == [(["Ann saw Lima", "Bob"], "en")]
    assert result.n_sentences == 2
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (1, 1, 2)
    assert result.by_type["LOC"].fn == 1


def test_raw_spacy_predictor_label_map() -> None:
    predict = raw_spacy_predictor("en_x", load=ruler_loader(PATTERNS))
    text = "Jane Roe took the Gare to France and Europe with AF , French"
    [spans] = predict([text], "en")
    assert [(text[a:b], label) for a, b, label in spans] == [
        ("Jane Roe", "PER"),
        ("France", "LOC"),
        ("Europe", "LOC"),
        ("AF", "ORG"),
    ]  # FAC (Gare) and NORP (French) dropped


def test_pipeline_predictor_maps_types(monkeypatch: pytest.MonkeyPatch) -> None:
    def mention(start: int, end: int, type_: str) -> Any:
        return types.SimpleNamespace(start=start, end=end, type=type_)

    def recognise_texts(texts: list[str], lang: str, config: Any) -> list[list[Any]]:
        assert lang == "fr"
        return [
            [
                mention(0, 3, "PERSON"),
                mention(4, 6, "COUNTRY"),
                mention(7, 9, "LOCATION"),
                mention(1, 2, "LAW"),
            ]
        ]

    fake = types.ModuleType("pipeline.stages.ner.recognise")
    fake.recognise_texts = recognise_texts  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pipeline.stages.ner.recognise", fake)
    predict = pipeline_predictor()
    assert predict(["Ann in FR at xy"], "fr") == [[(0, 3, "PER"), (4, 6, "LOC"), (7, 9, "LOC")]]
