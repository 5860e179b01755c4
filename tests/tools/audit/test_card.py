"""`entity_card` and `python -m pipeline show` on the tiny corpus: lookups, context, refusals."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import invocation
from pipeline.cli import main as cli_main
from pipeline.errors import OutputError
from pipeline.tools import audit

from .tiny import ARTICLES, MENTIONS, tiny_rows, write_tables


@pytest.mark.parametrize(
    ("query", "type_"),
    [
        ("ent_person_eloise-dupre", None),  # id
        ("eloise-dupre", None),  # key
        ("ÉLOÏSE DUPRÉ", None),  # name, other case
        ("eloise  dupre", None),  # name without accents, extra space
        ("Éloïse Dupré", "PERSON"),
    ],
)
def test_audit_entity_card_finds_person(tiny_out: Path, query: str, type_: str | None) -> None:
    card = audit.entity_card(tiny_out, query, type_, color=False)
    assert card.startswith("Éloïse Dupré  [PERSON]")
    assert "Mentions (2):" in card
    assert "🙂 »Éloïse Dupré« a rencontré la Commission" in card
    assert "»Éloïse Dupré« habló." in card
    assert "  1. Défenseurs à Genève  [fr]\n" in card
    assert "     corpus/tiny.txt · art_fr 2–14 · model:fr_core_news_md@3.8.0 (PER) · fingerprint\n" in card


def test_audit_entity_card_by_alias(tiny_out: Path) -> None:
    card = audit.entity_card(tiny_out, "amnistia internacional", None, color=False)
    assert card.startswith("Amnesty International  [ORG]")
    assert "aliases     Amnesty International ×1, Amnistía Internacional ×1" in card
    assert "»Amnistía Internacional« denunció a México." in card
    assert "»Amnesty International« met officials in Mexico." in card


def test_audit_entity_card_mention_in_a_later_sentence(tiny_out: Path) -> None:
    card = audit.entity_card(tiny_out, "GE", None, color=False)
    assert "The draft said <script>alert('x')</script> & 5 < 6 in »Georgia«." in card
    assert "Mexico" not in card.split("Mentions")[1]  # only the mention's own sentence


def test_audit_entity_card_ambiguous_name(tiny_out: Path) -> None:
    with pytest.raises(OutputError, match="matches 2 entities") as error:
        audit.entity_card(tiny_out, "georgia", None)
    assert "ent_country_ge" in str(error.value) and "ent_location_georgia" in str(error.value)
    assert "--type" in str(error.value)
    assert audit.entity_card(tiny_out, "georgia", "LOCATION", color=False).startswith("Georgia  [LOCATION]")


def test_audit_entity_card_no_match_suggests(tiny_out: Path) -> None:
    with pytest.raises(OutputError, match=r"'amnesty'; did you mean 'Amnesty International'"):
        audit.entity_card(tiny_out, "amnesty", None)
    with pytest.raises(OutputError, match="no entity of type LAW"):
        audit.entity_card(tiny_out, "Mexico", "LAW")


def test_audit_entity_card_bold_on_a_terminal(tiny_out: Path) -> None:
    card = audit.entity_card(tiny_out, "MX", None, color=True)
    assert "in \x1b[1mMexico\x1b[0m." in card and "»" not in card


def test_audit_show_command(tiny_out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["show", "mexico", "--out", str(tiny_out)]) == 0
    assert "Mexico  [COUNTRY]" in capsys.readouterr().out
    assert cli_main(["show", "georgia", "--out", str(tiny_out)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        "error: 'georgia' matches 2 entities; give --type TYPE or the entity id: "
        "ent_country_ge (COUNTRY 'Georgia', key GE, 1 mentions); "
        "ent_location_georgia (LOCATION 'Georgia', key georgia, 1 mentions)"
    )


def test_audit_entity_card_ignores_the_kind_of_apostrophe(tiny_out: Path) -> None:
    query = "Commission nationale de l'informatique et des libertés"  # ' where the name has ’
    card = audit.entity_card(tiny_out, query, None, color=False)
    assert card.startswith("Commission nationale de l’informatique et des libertés  [ORG]")


def test_audit_find_entity_returns_the_card_as_data(tiny_out: Path) -> None:
    found = audit.find_entity(tiny_out, "Éloïse Dupré")
    assert (found.entity["key"], found.entity["n_mentions"]) == ("eloise-dupre", 2)
    assert [(m["article_id"], m["article"], m["path"], m["text"]) for m in found.mentions.to_pylist()] == [
        ("art_fr", "Défenseurs à Genève", "corpus/tiny.txt", "Éloïse Dupré"),
        ("art_es", "Amnistía en México", "corpus/tiny.txt", "Éloïse Dupré"),
    ]


def test_audit_entity_card_names_an_untitled_article_by_its_file_and_first_line(tmp_path: Path) -> None:
    """A file of plain paragraphs has no bullet title: the card shows its file and first line."""
    rows = tiny_rows(ARTICLES, MENTIONS)
    rows["articles"][2]["title"] = None  # art_es
    out = write_tables(tmp_path / "out", rows)
    card = audit.entity_card(out, "amnistia internacional", None, color=False)
    assert "  2. tiny.txt — Amnistía Internacional denunció a México. Éloïse Dupré habló.  [es]\n" in card
    assert "     corpus/tiny.txt · art_es 0–22 · rule:registry.org.name · registry" in card
    assert "(untitled)" not in card
    assert pq.read_table(out / "articles.parquet")["title"][2].as_py() is None  # the table keeps its null


@pytest.mark.parametrize("command", [["show", "mexico"], ["audit"]])
def test_audit_commands_say_when_out_is_not_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    a_file = tmp_path / "tables.parquet"
    a_file.write_bytes(b"PAR1")
    assert cli_main([*command, "--out", str(a_file)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == f"error: {a_file} is not a folder: give --out the folder that holds the tables"
    assert cli_main([*command, "--out", str(tmp_path / "nothing")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    nothing = tmp_path / "nothing"
    assert line == f"error: {nothing} does not exist: run `{invocation.command()} run --out {nothing}` first"
