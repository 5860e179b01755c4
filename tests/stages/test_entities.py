"""The entities stage: mentions grouped into typed entity records, with curation and doubt."""

from __future__ import annotations

from pathlib import Path

from pipeline.knowledge.curation import load_curation
from pipeline.records import Article, Entity, Mention, entity_id
from pipeline.stages.entities import EntityBuilder
from pipeline.store.write import mention_row

from ..conftest import make_mention


def _mention(
    text: str, type_: str, key: str, resolution: str = "fingerprint", source: str = "model:x"
) -> Mention:
    mention = make_mention(text, type_, key, name=text)
    mention.resolution, mention.source = resolution, source
    return mention


def _article(article_id: str, lang: str, *mentions: Mention) -> Article:
    text = " ".join(m.text for m in mentions)
    return Article(article_id, "doc", 0, 0, len(text), text, None, lang=lang, mentions=list(mentions))


def _build(articles: list[Article], builder: EntityBuilder | None = None) -> tuple[list[dict], list[Entity]]:
    """(linked mention rows, entities), as the runner and writer drive the stage."""
    builder = builder or EntityBuilder(fuzzy_threshold=92.0)
    builder.add(articles)
    builder.settle()
    rows = [builder.link(mention_row(a, m)) for a in articles for m in a.mentions]
    return rows, builder.entities()


def test_entities_ids_derive_from_type_and_key_only() -> None:
    assert entity_id("ORG", "united-nations") == entity_id("ORG", "united-nations")
    assert entity_id("ORG", "x") != entity_id("PERSON", "x")


def test_entities_group_mentions_across_articles_and_languages() -> None:
    english = _article("a1", "en", _mention("Karisma Foundation", "ORG", "karisma-foundation"),
                       _mention("Karisma Foundation", "ORG", "karisma-foundation"))
    french = _article("a2", "fr", _mention("Fondation Karisma", "ORG", "fondation-karisma"))
    rows, entities = _build([english, french])
    (entity,) = entities
    assert {row["entity_id"] for row in rows} == {entity.entity_id}
    assert {row["key"] for row in rows} == {"karisma-foundation"}
    assert (entity.n_mentions, entity.n_articles, entity.langs) == (3, 2, ["en", "fr"])
    assert (entity.aliases, entity.alias_counts) == (["Karisma Foundation", "Fondation Karisma"], [2, 1])
    assert entity.resolution == "fuzzy"  # two keys joined without a registry id


def test_entities_an_organisation_that_is_a_person_elsewhere_becomes_the_person() -> None:
    person = _article("a1", "en", _mention("Amara Osei", "PERSON", "amara-osei"))
    as_org = _article("a2", "en", _mention("Amara Osei", "ORG", "amara-osei"))
    rows, entities = _build([person, as_org])
    assert [row["type"] for row in rows] == ["PERSON", "PERSON"]
    assert [(e.type, e.n_mentions) for e in entities] == [("PERSON", 2)]


def test_entities_registry_resolution_and_name_win_and_doubt_is_scored() -> None:
    registry = _mention("OSCE", "ORG", "osce", resolution="registry", source="rule:registry")
    registry.name = "Organization for Security and Co-operation in Europe"
    lone = _mention("Bits of Light", "ORG", "bits-of-light")
    _, entities = _build([_article("a1", "en", registry, lone)])
    by_key = {e.key: e for e in entities}
    assert by_key["osce"].resolution == "registry"
    assert by_key["osce"].name == "Organization for Security and Co-operation in Europe"
    assert by_key["bits-of-light"].doubt > by_key["osce"].doubt  # one mention, the model alone
    assert by_key["bits-of-light"].doubt_reasons


def test_entities_curation_renames_merges_and_flags(tmp_path: Path) -> None:
    curation_file = tmp_path / "curation.yaml"
    curation_file.write_text(
        "merge:\n  - {type: ORG, into: civicus, keys: [civicus-monitor]}\n"
        "rename:\n  - {type: ORG, key: civicus, name: CIVICUS}\n",
        encoding="utf-8",
    )
    articles = [_article("a1", "en", _mention("Civicus", "ORG", "civicus"),
                         _mention("CIVICUS Monitor", "ORG", "civicus-monitor"))]
    rows, entities = _build(articles, EntityBuilder(92.0, load_curation(curation_file)))
    (entity,) = entities
    assert (entity.key, entity.name, entity.resolution) == ("civicus", "CIVICUS", "curation")
    assert entity.curated
    assert [(row["key"], row["curated"]) for row in rows] == [("civicus", False), ("civicus", True)]


def test_entities_curation_merge_keeps_the_target_name(tmp_path: Path) -> None:
    """The researcher chose the target of a merge: its name stays, however often the merged forms occur."""
    curation_file = tmp_path / "curation.yaml"
    merge = "merge:\n  - {type: ORG, into: ministry-of-justice, keys: [ministere-de-la-justice]}\n"
    curation_file.write_text(merge, encoding="utf-8")
    english = _article("a1", "en", _mention("Ministry of Justice", "ORG", "ministry-of-justice"))
    french = _article("a2", "fr", *(_mention("Ministère de la Justice", "ORG", "ministere-de-la-justice")
                                    for _ in range(3)))
    _, entities = _build([english, french], EntityBuilder(92.0, load_curation(curation_file)))
    (entity,) = entities
    assert (entity.key, entity.name, entity.n_mentions) == ("ministry-of-justice", "Ministry of Justice", 4)
    assert entity.aliases == ["Ministère de la Justice", "Ministry of Justice"]

    # Without the merge each keeps its own name; a rename still wins over the target's.
    _, apart = _build([english, french])
    assert sorted(e.name for e in apart) == ["Ministry of Justice", "Ministère de la Justice"]
    rename = "rename:\n  - {type: ORG, key: ministry-of-justice, name: Ministry of Justice (Georgia)}\n"
    curation_file.write_text(merge + rename, encoding="utf-8")
    _, renamed = _build([english, french], EntityBuilder(92.0, load_curation(curation_file)))
    assert [e.name for e in renamed] == ["Ministry of Justice (Georgia)"]
