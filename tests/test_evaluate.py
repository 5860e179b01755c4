"""Unit tests for pipeline.tools.evaluate, on tiny hand-written inputs (no trained model).

Every gold, prediction and benchmark snippet here is invented for the test; none
is taken from the shared gold or benchmark files.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy

from pipeline.errors import OutputError
from pipeline.schema import TABLES, validate_table
from pipeline.tools import evaluate as ev

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # accents, case, NFKC, spaces
        ("Égypte", "egypte"),
        ("São Tomé", "sao tome"),
        ("ＡＢＣ", "abc"),
        ("Straße", "strasse"),
        ("  Open\u00a0Society \n Fund ", "open society fund"),
        ("Jean\u202fDupont", "jean dupont"),
        # typographic apostrophes
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("Convention de l‘Union", "convention de l'union"),
        # leading articles, en/fr/es, only one removed
        ("The Guardian", "guardian"),
        ("the the band", "the band"),
        ("la Chine", "chine"),
        ("Le Monde", "monde"),
        ("les Nations Unies", "nations unies"),
        ("l’ONU", "onu"),
        ("L'Institut Exemple", "institut exemple"),
        ("de la Commission", "commission"),
        ("de l’Europe", "europe"),
        ("des Nations Unies", "nations unies"),
        ("du Conseil", "conseil"),
        ("d’Amnesty", "amnesty"),
        ("el Gobierno", "gobierno"),
        ("los Estados Unidos", "estados unidos"),
        ("las Naciones Unidas", "naciones unidas"),
        ("del Perú", "peru"),
        # an article alone, or inside a word, stays
        ("The", "the"),
        ("Theatre Royal", "theatre royal"),
        ("Lesotho", "lesotho"),
        ("Delaware", "delaware"),
        # possessive
        ("Amnesty's", "amnesty"),
        ("the UN’s", "un"),
        # surrounding punctuation and quotes
        ("« Nations Unies »", "nations unies"),
        ("“Acme Corp.”", "acme corp"),
        ("(UN)", "un"),
        ("'Pegasus',", "pegasus"),
        ("« l’ONU »", "onu"),
        ("U.S.", "u.s"),
        ("co-operation", "co-operation"),
        ("...", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert ev.normalise(raw) == expected


def test_title_key_collapses_whitespace() -> None:
    assert ev.title_key("  A\u00a0 title\tline ") == "A title line"
    assert ev.title_key(None) == ""


# ---------------------------------------------------------------------------
# Gold scoring
# ---------------------------------------------------------------------------


def gold_entity(type_: str, key: str, name: str, *aliases: str) -> ev.GoldEntity:
    return ev.GoldEntity(type_, key, name, aliases or (name,))


def pred(entity_id: str, type_: str, name: str, *surfaces: str, key: str = "") -> ev.PredictedEntity:
    return ev.PredictedEntity(entity_id, type_, name, key or name.casefold(), surfaces or (name,))


def predicted(title: str, lang: str, *entities: ev.PredictedEntity) -> tuple[str, Any]:
    return ev.title_key(title), ev.PredictedArticle(title, lang, "ok", entities)


GOLD_A = ev.GoldArticle(
    title="Alpha news",
    lang="en",
    entities=(
        gold_entity("PERSON", "jane-roe", "Jane Roe", "Jane Roe", "Roe"),
        gold_entity("ORG", "acme", "Acme Foundation", "Acme Foundation", "AF"),
        gold_entity("COUNTRY", "FR", "France", "France"),
        gold_entity("LAW", "fake-act", "Fake Act", "Fake Act"),
    ),
    doubtful=(ev.Doubtful("ORG", "Board", "common noun?"),),
)


def test_tp_fp_fn_and_doubtful() -> None:
    predictions = dict(
        [
            predicted(
                "Alpha  news",  # whitespace differs from the gold title
                "en",
                pred("p1", "PERSON", "Jane Roe", "Roe"),
                pred("o1", "ORG", "AF"),  # matches the gold alias
                pred("c1", "COUNTRY", "France", key="FR"),
                pred("x1", "ORG", "Zeta Corp"),  # false positive
                pred("d1", "ORG", "the Board"),  # doubtful: ignored
                pred("l1", "ORG", "Fake Act"),  # wrong type: FP, and the law is missed
                pred("z1", "LOCATION", "Paris"),  # not a core type: ignored
            )
        ]
    )
    report = ev.score_predictions([GOLD_A], predictions, "test")
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 2, 1)
    assert report.by_type["ORG"].tp == 1 and report.by_type["ORG"].fp == 2
    assert report.by_type["LAW"].fn == 1
    assert report.by_lang["en"].tp == 3
    assert report.doubtful_matches == 1
    assert {f.string for f in report.false_positives} == {"Zeta Corp", "Fake Act"}
    assert report.misses == [ev.Finding("Alpha news", "LAW", "Fake Act")]
    assert report.overall.precision == pytest.approx(3 / 5)
    assert report.overall.recall == pytest.approx(3 / 4)
    assert report.language == ev.Ratio(1, 1)


def test_match_by_key_and_name() -> None:
    gold = ev.GoldArticle("T", "fr", (gold_entity("COUNTRY", "CN", "China", "Chine"),))
    by_key = dict([predicted("T", "fr", pred("c", "COUNTRY", "République populaire", key="CN"))])
    assert ev.score_predictions([gold], by_key, "k").overall.tp == 1
    by_name = dict([predicted("T", "fr", pred("c", "COUNTRY", "China", "la Chine", key="x"))])
    assert ev.score_predictions([gold], by_name, "n").overall.tp == 1


def test_unmatched_title_footer_and_other_language() -> None:
    gold = [
        GOLD_A,
        ev.GoldArticle("__footer__", "es", (gold_entity("ORG", "acme", "Acme"),)),
        ev.GoldArticle("Artikel", "de", (gold_entity("ORG", "acme", "Acme"),)),
    ]
    predictions = dict([predicted("Artikel", "nl")])
    report = ev.score_predictions(gold, predictions, "t")
    assert report.n_articles == 2  # footer skipped
    assert report.unmatched_titles == ["Alpha news"]
    assert report.overall.fn == 4 and report.overall.tp == 0  # German article not scored
    assert report.language == ev.Ratio(0, 2)
    assert {(m.gold, m.predicted) for m in report.language_mismatches} == {
        ("en", None),
        ("de", "nl"),
    }
    assert set(report.by_lang) == {"en"}


def test_fragmentation() -> None:
    predictions = dict(
        [
            predicted(
                "Alpha news",
                "en",
                pred("p1", "PERSON", "Jane Roe"),
                pred("p2", "PERSON", "Roe"),
                pred("c1", "COUNTRY", "France"),
            )
        ]
    )
    report = ev.score_predictions([GOLD_A], predictions, "t")
    assert report.fragmentation == ev.Ratio(1, 2)
    assert report.overall.fp == 0  # the second fragment is not a false positive
    assert report.fragmented[0].string == "Jane Roe"


def _two_articles() -> list[ev.GoldArticle]:
    acme = gold_entity("ORG", "acme", "Acme Foundation", "Acme Foundation", "AF")
    return [
        ev.GoldArticle("One", "en", (acme, gold_entity("COUNTRY", "FR", "France"))),
        ev.GoldArticle("Two", "fr", (acme, gold_entity("COUNTRY", "FR", "France", "la France"))),
        ev.GoldArticle("Three", "en", (gold_entity("COUNTRY", "FR", "France"),)),
    ]


def test_key_consistency() -> None:
    predictions = dict(
        [
            predicted(
                "One",
                "en",
                pred("org-1", "ORG", "Acme Foundation"),
                pred("fr", "COUNTRY", "France"),
            ),
            predicted("Two", "fr", pred("org-2", "ORG", "AF"), pred("fr", "COUNTRY", "France")),
            predicted("Three", "en", pred("fr", "COUNTRY", "France")),
        ]
    )
    report = ev.score_predictions(_two_articles(), predictions, "t")
    assert report.key_consistency == ev.Ratio(1, 2)  # FR one id; acme two ids
    assert report.key_consistency_langs == ev.Ratio(1, 2)
    assert report.keys_in_several_articles == 2
    [trace] = report.inconsistent_keys
    assert (trace.key, trace.entity_ids, trace.langs) == ("acme", ("org-1", "org-2"), ("en", "fr"))


def test_key_found_once_is_not_counted_for_consistency() -> None:
    predictions = dict([predicted("One", "en", pred("org-1", "ORG", "AF"))])
    report = ev.score_predictions(_two_articles(), predictions, "t")
    assert report.key_consistency == ev.Ratio(0, 0)
    assert report.key_consistency.share is None


def test_false_merges_within_and_across_articles() -> None:
    gold = [
        ev.GoldArticle(
            "One",
            "en",
            (
                gold_entity("ORG", "european-commission", "European Commission", "Commission"),
                gold_entity("ORG", "european-parliament", "European Parliament"),
            ),
        ),
        ev.GoldArticle("Two", "en", (gold_entity("ORG", "un-committee", "UN Committee", "Commission"),)),
    ]
    merged = pred("eu", "ORG", "European Commission", "European Parliament", "Commission")
    predictions = dict(
        [
            predicted("One", "en", merged),  # within: one id for two keys
            predicted("Two", "en", pred("com", "ORG", "Commission")),
        ]
    )
    report = ev.score_predictions(gold, predictions, "t")
    assert [m.entity_id for m in report.false_merges] == ["eu"]
    assert report.false_merges[0].keys == ("ORG:european-commission", "ORG:european-parliament")
    assert report.matched_entity_ids == 2

    # across articles: the same id stands for two different keys in two articles
    across = dict(
        [
            predicted("One", "en", pred("com", "ORG", "Commission")),
            predicted("Two", "en", pred("com", "ORG", "Commission")),
        ]
    )
    report = ev.score_predictions(gold, across, "t")
    assert [m.keys for m in report.false_merges] == [("ORG:european-commission", "ORG:un-committee")]
    assert report.false_merges[0].titles == ("One", "Two")


# ---------------------------------------------------------------------------
# Tables: read_gold, read_tables, score_gold end to end
# ---------------------------------------------------------------------------


def _default(type_: pa.DataType) -> Any:
    if pa.types.is_string(type_):
        return ""
    if pa.types.is_integer(type_):
        return 0
    if pa.types.is_floating(type_):
        return 0.0
    if pa.types.is_boolean(type_):
        return False
    if pa.types.is_list(type_):
        return []
    raise AssertionError(type_)


def write_table(directory: Path, name: str, rows: list[dict[str, Any]]) -> None:
    schema = TABLES[name]
    full = [{f.name: row.get(f.name, _default(f.type)) for f in schema} for row in rows]
    table = pa.Table.from_pylist(full, schema=schema)
    validate_table(name, table)
    pq.write_table(table, directory / f"{name}.parquet")


def _article(article_id: str, title: str, text: str, lang: str = "en", status: str = "ok") -> dict[str, Any]:
    return {
        "article_id": article_id,
        "doc_id": "d",
        "title": title,
        "lang": lang,
        "status": status,
        "text": text,
        "end": len(text),
    }


def _mention(article_id: str, text: str, article_text: str, entity_id: str, type_: str) -> dict[str, Any]:
    start = article_text.index(text)
    return {
        "mention_id": f"m-{article_id}-{start}",
        "article_id": article_id,
        "doc_id": "d",
        "entity_id": entity_id,
        "type": type_,
        "text": text,
        "start": start,
        "end": start + len(text),
        "lang": "en",
        "resolution": "fingerprint",
    }


def _entity(entity_id: str, type_: str, name: str, key: str) -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "type": type_,
        "name": name,
        "key": key,
        "resolution": "fingerprint",
    }


@pytest.fixture
def tables_dir(tmp_path: Path) -> Path:
    text = "Alpha news\nJane Roe of the AF visited France. Roe said Bob Smith agreed. Paris."
    write_table(tmp_path, "articles", [_article("a1", "Alpha news", text), _article("a2", "Other", "x")])
    write_table(
        tmp_path,
        "mentions",
        [
            _mention("a1", "Jane Roe", text, "e-roe", "PERSON"),
            _mention("a1", "Roe said", text, "e-roe", "PERSON")
            | {"text": "Roe", "end": text.index("Roe said") + 3},
            _mention("a1", "AF", text, "e-acme", "ORG"),
            _mention("a1", "France", text, "e-fr", "COUNTRY"),
            _mention("a1", "Bob Smith", text, "e-bob", "PERSON"),
            _mention("a1", "Paris", text, "e-paris", "LOCATION"),
        ],
    )
    write_table(
        tmp_path,
        "entities",
        [
            _entity("e-roe", "PERSON", "Jane Roe", "jane roe"),
            _entity("e-acme", "ORG", "Acme Foundation", "acme foundation"),
            _entity("e-fr", "COUNTRY", "France", "FR"),
            _entity("e-bob", "PERSON", "Bob Smith", "bob smith"),
            _entity("e-paris", "LOCATION", "Paris", "paris"),
            _entity("e-unused", "ORG", "Unused", "unused"),
        ],
    )
    return tmp_path


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    rows = [
        {
            "title": "Alpha news",
            "lang": "en",
            "entities": [
                {
                    "type": "PERSON",
                    "key": "jane-roe",
                    "name": "Jane Roe",
                    "aliases": ["Jane Roe", "Roe"],
                },
                {"type": "ORG", "key": "acme", "name": "Acme Foundation", "aliases": ["AF"]},
                {"type": "COUNTRY", "key": "FR", "name": "France", "aliases": ["France"]},
                {"type": "LAW", "key": "fake-act", "name": "Fake Act", "aliases": ["Fake Act"]},
            ],
            "doubtful": [],
        },
        {"title": "__footer__", "lang": "en", "entities": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_predictions_from_tables(tables_dir: Path) -> None:
    predictions = ev.predictions_from_tables(ev.read_tables(tables_dir))
    article = predictions["Alpha news"]
    by_id = {e.entity_id: e for e in article.entities}
    assert set(by_id) == {"e-roe", "e-acme", "e-fr", "e-bob"}  # LOCATION dropped, unused absent
    assert by_id["e-roe"].surfaces == ("Jane Roe", "Roe")
    assert by_id["e-acme"].name == "Acme Foundation"
    assert predictions["Other"].entities == ()


def test_score_gold_end_to_end(tables_dir: Path, gold_file: Path) -> None:
    report = ev.score_gold(gold_file, tables_dir)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 1, 1)
    assert report.false_positives[0].string == "Bob Smith"
    assert report.n_articles == 1
    assert report.language == ev.Ratio(1, 1)
    assert report.fragmentation == ev.Ratio(0, 3)


def test_read_tables_missing(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        ev.read_tables(tmp_path)


def test_select_gold_articles(tables_dir: Path, gold_file: Path) -> None:
    articles = ev.read_tables(tables_dir).articles
    selected = ev.select_gold_articles(articles, ev.read_gold(gold_file))
    assert selected["article_id"].tolist() == ["a1"]


# ---------------------------------------------------------------------------
# Raw spaCy baseline, with blank pipelines and an entity ruler (no trained model)
# ---------------------------------------------------------------------------


def ruler_loader(patterns: list[dict[str, str]], asked: list[str] | None = None) -> ev.SpacyLoader:
    """A stand-in for spacy.load: a blank English pipeline with an entity ruler."""

    def load(name: str) -> Any:
        if asked is not None:
            asked.append(name)
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler")
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
        return nlp

    return load


PATTERNS = [
    {"label": "PER", "pattern": "Jane Roe"},
    {"label": "PERSON", "pattern": "Roe"},
    {"label": "GPE", "pattern": "France"},
    {"label": "GPE", "pattern": "FRANCE"},
    {"label": "LOC", "pattern": "Europe"},
    {"label": "FAC", "pattern": "Gare"},
    {"label": "NORP", "pattern": "French"},
    {"label": "LAW", "pattern": "Fake Act"},
    {"label": "ORG", "pattern": "AF"},
]


def test_baseline_tables() -> None:
    articles = pd.DataFrame(
        [
            _article("a1", "One", "Jane Roe in France. FRANCE and Europe. Gare. French. Fake Act. AF."),
            _article("a2", "Two", "France again", lang="fr"),
            _article("a3", "Three", "France ignored", lang="de", status="unsupported_language"),
        ]
    )
    asked: list[str] = []
    predictions = ev.baseline_tables(
        articles, {"en": "en_x", "fr": "fr_x"}, load=ruler_loader(PATTERNS, asked)
    )
    assert sorted(asked) == ["en_x", "fr_x"]  # one model per language, none for "de"
    one = {e.entity_id: e for e in predictions["One"].entities}
    assert set(one) == {
        "PERSON:jane roe",
        "COUNTRY:france",
        "COUNTRY:europe",
        "LAW:fake act",
        "ORG:af",
    }
    assert one["COUNTRY:france"].surfaces == ("France", "FRANCE")
    assert {e.entity_id for e in predictions["Two"].entities} == {"COUNTRY:france"}
    assert predictions["Three"].entities == () and predictions["Three"].lang == "de"


# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["I-ORG", "I-ORG", "B-ORG", "O"], [(0, 2, "ORG"), (2, 3, "ORG")]),  # IOB1
        (["O", "I-MISC", "I-MISC"], [(1, 3, "MISC")]),  # stray I- after O starts one
        (["B-PER", "I-ORG"], [(0, 1, "PER"), (1, 2, "ORG")]),  # type change starts one
        (["B-LOC", "B-LOC"], [(0, 1, "LOC"), (1, 2, "LOC")]),
        ([], []),
    ],
)
def test_iob_spans(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert ev.iob_spans(tags) == spans


def test_iob_spans_rejects_unknown_tags() -> None:
    with pytest.raises(ValueError):
        ev.iob_spans(["S-PER"])


def test_make_sentence_char_spans() -> None:
    sentence = ev.make_sentence(
        ["Ann", "Lee", "visited", "New", "York", "."],
        ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"],
    )
    assert sentence.text == "Ann Lee visited New York ."
    assert sentence.spans == ((0, 7, "PER"), (16, 24, "LOC"))
    assert [sentence.text[a:b] for a, b, _ in sentence.spans] == ["Ann Lee", "New York"]


def test_read_wikineural(tmp_path: Path) -> None:
    path = tmp_path / "test.conllu"
    path.write_text("0\tAnn\tB-PER\n1\tsang\tO\n2\t.\tO\n\n0\tIn\tO\n1\tOslo\tI-LOC\n\n", encoding="utf-8")
    sentences = ev.read_wikineural(path)
    assert [s.text for s in sentences] == ["Ann sang .", "In Oslo"]
    assert sentences[1].spans == ((3, 7, "LOC"),)


def test_read_uner(tmp_path: Path) -> None:
    path = tmp_path / "x.iob2"
    path.write_text(
        "# newdoc id = d1\n# sent_id = s1\n# text = Bo met Acme Inc\n"
        "1\tBo\tB-PER\t-\tann\n2\tmet\tO\t-\t-\n3\tAcme\tB-ORG\t-\tann\n4\tInc\tI-ORG\t-\tann\n\n"
        "# sent_id = s2\n1\tHi\tO\t-\t-\n",
        encoding="utf-8",
    )
    sentences = ev.read_uner(path)
    assert [s.text for s in sentences] == ["Bo met Acme Inc", "Hi"]
    assert sentences[0].spans == ((0, 2, "PER"), (7, 15, "ORG"))


def test_read_wikigold(tmp_path: Path) -> None:
    path = tmp_path / "wg.txt"
    path.write_text(
        "-DOCSTART- O\n\nThe I-ORG\nBand I-ORG\nplayed O\nin O\nRome I-LOC\n\n"
        "-DOCSTART- O\n\nJazz I-MISC\nfan O\nAl I-PER\nB-PER-like O\n",
        encoding="utf-8",
    )
    sentences = ev.read_wikigold(path)
    assert len(sentences) == 2
    assert sentences[0].spans == ((0, 8, "ORG"), (19, 23, "LOC"))
    assert sentences[1].tokens == ("Jazz", "fan", "Al", "B-PER-like")
    assert [t for *_, t in sentences[1].spans] == ["MISC", "PER"]


def test_read_btc(tmp_path: Path) -> None:
    path = tmp_path / "g.conll"
    path.write_text("#UN\tB-ORG\nsays\tO\n#Obama\tB-PER\n\nhttp://t.co/x\tO\n", encoding="utf-8")
    sentences = ev.read_btc(path)
    assert sentences[0].text == "#UN says #Obama"
    assert sentences[0].spans == ((0, 3, "ORG"), (9, 15, "PER"))
    assert sentences[1].spans == ()


def test_score_spans_ignores_misc_and_other_types() -> None:
    gold = [[(0, 3, "PER"), (4, 8, "MISC"), (9, 12, "LOC")]]
    predicted = [[(0, 3, "PER"), (4, 8, "DATE"), (9, 12, "ORG"), (9, 12, "ORG")]]
    counts = ev.score_spans(gold, predicted)
    assert (counts["PER"].tp, counts["PER"].fp, counts["PER"].fn) == (1, 0, 0)
    assert (counts["ORG"].tp, counts["ORG"].fp) == (0, 1)
    assert counts["LOC"].fn == 1
    assert "MISC" not in counts


def test_benchmark_with_fake_predictor(tmp_path: Path) -> None:
    spec = ev.BENCHMARKS["btc_g"]
    path = tmp_path / spec.path
    path.parent.mkdir(parents=True)
    path.write_text("Ann\tB-PER\nsaw\tO\nLima\tB-LOC\n\nBob\tB-PER\n\nCid\tB-PER\n", encoding="utf-8")
    seen: list[tuple[list[str], str]] = []

    def predict(texts: list[str], lang: str) -> list[list[ev.Span]]:
        seen.append((texts, lang))
        return [[(0, 3, "PER"), (8, 12, "ORG")], []]

    result = ev.benchmark("btc_g", predict, limit=2, root=tmp_path, system="fake")
    assert seen == [(["Ann saw Lima", "Bob"], "en")]
    assert result.n_sentences == 2
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (1, 1, 2)
    assert result.by_type["LOC"].fn == 1


def test_raw_spacy_predictor_label_map() -> None:
    predict = ev.raw_spacy_predictor("en_x", load=ruler_loader(PATTERNS))
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
    predict = ev.pipeline_predictor()
    assert predict(["Ann in FR at xy"], "fr") == [[(0, 3, "PER"), (4, 6, "LOC"), (7, 9, "LOC")]]


# ---------------------------------------------------------------------------
# Report and command line
# ---------------------------------------------------------------------------


def test_format_report(tables_dir: Path, gold_file: Path) -> None:
    pipe = ev.score_gold(gold_file, tables_dir)
    raw = ev.score_predictions(ev.read_gold(gold_file), {}, "raw spaCy")
    counts = {t: ev.Counts(1, 0, 1) for t in ev.BENCH_TYPES}
    bench = ev.BenchmarkResult("btc_g", "en", "raw", 2, counts, ev.Counts(3, 0, 3))
    text = ev.format_report(pipe, raw, [ev.BenchmarkComparison("btc_g", "en", None, bench, "tweets")])
    assert "GOLD ENTITY SETS" in text and "NORMALISATION" in text and "BENCHMARKS" in text
    assert "False positives (pipeline) (1)" in text and "'Bob Smith'" in text
    assert "Misses (pipeline) (1)" in text and "'Fake Act'" in text
    assert "gold titles without output article" in text  # the raw report matched nothing
    assert ev.format_report(None, None, [], ["only a note"]).strip() == "note: only a note"


def test_main_without_models(
    tables_dir: Path, gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    argv = [
        "--gold",
        str(gold_file),
        "--tables",
        str(tables_dir),
        "--no-benchmarks",
        "--no-baseline",
        "--no-heldout",
        "--no-ablation",
        "--json",
        str(out),
    ]
    assert ev.main(argv) == 0
    assert "GOLD ENTITY SETS" in capsys.readouterr().out
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["gold"]["pipeline"]["overall"]["tp"] == 3
    assert payload["gold"]["pipeline"]["overall"]["precision"] == 0.75
    assert payload["gold"]["raw_spacy"] is None


def test_main_missing_tables(gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--gold", str(gold_file), "--tables", str(tmp_path / "none"), "--no-benchmarks", "--no-heldout"]
    argv.append("--no-ablation")
    assert ev.main(argv) == 1
    assert "gold not scored" in capsys.readouterr().out


def test_evaluate_defaults_ship_with_the_repository() -> None:
    """`make eval` works from a clone alone: gold and every benchmark subset read
    by default are inside the repository, outside the default input folder."""
    from pipeline.cli import DEFAULT_INPUT
    from pipeline.config import PROJECT_ROOT

    assert ev.DEFAULT_GOLD.relative_to(PROJECT_ROOT) == Path("corpus/eval/dev_gold.jsonl")
    assert ev.read_gold(ev.DEFAULT_GOLD)
    for name, spec in ev.BENCHMARKS.items():
        path = ev.BENCHMARKS_DIR / spec.path
        assert len(spec.reader(path)) >= ev.DEFAULT_LIMIT, name
        set_dir = ev.BENCHMARKS_DIR / Path(spec.path).parts[0]
        assert [p for p in path.parents if p.is_relative_to(set_dir) and list(p.glob("LICENSE*"))], name
    assert not ev.BENCHMARKS_DIR.is_relative_to(DEFAULT_INPUT)


def test_evaluate_help_shows_default_paths(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # argparse wraps long lines, at hyphens too
    with pytest.raises(SystemExit):
        ev.main(["--help"])
    out = capsys.readouterr().out
    assert "(default <project>/corpus/eval/dev_gold.jsonl)" in out
    assert "(default <project>/corpus/eval/benchmarks)" in out
