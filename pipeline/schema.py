"""The output contract: every Parquet table, declared once.

Every writer builds its tables from these schemas and every reader (audit, eval,
tests) validates against them.  Each field carries its documentation in the
field metadata under ``doc`` so that ``pyarrow.parquet.read_schema`` shows it.
Bump ``SCHEMA_VERSION`` whenever a column is added, removed or changes meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

SCHEMA_VERSION = "1.1"
SCHEMA_VERSION_KEY = b"civic_entities.schema_version"

# Allowed values, checked by `validate_table` before outputs replace old ones.
DOCUMENT_STATUSES = ("ok", "empty", "undecodable", "binary", "unreadable", "error")
ARTICLE_STATUSES = ("ok", "unsupported_language", "too_short", "empty", "error")
CORE_TYPES = ("PERSON", "ORG", "COUNTRY", "LAW")
# LOCATION holds places that are not countries (cities, regions, continents):
# kept for audit, never counted as one of the four core types.
ENTITY_TYPES = (*CORE_TYPES, "LOCATION")
SUPPORTED_LANGS = ("en", "fr", "es")
RESOLUTIONS = (
    "iso",  # country keyed by its ISO 3166-1 alpha-2 code
    "registry",  # law or organisation found in a registry under models/
    "acronym",  # acronym linked to a long form defined in the same article
    "partial_name",  # person surname/given name linked to a full name in the article
    "fingerprint",  # normalised name (case, accents, articles, punctuation, legal forms)
    "jurisdiction",  # state body or national law: normalised name + its country ('…-kg') or article
    "fuzzy",  # conservative fuzzy match to another entity's fingerprint
    "curation",  # merged, renamed or retyped by the curation file
)


def _field(name: str, type_: pa.DataType, doc: str, nullable: bool = False) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


def _schema(*fields: pa.Field, doc: str) -> pa.Schema:
    return pa.schema(
        fields, metadata={SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode(), b"doc": doc.encode()}
    )


DOCUMENTS = _schema(
    _field("doc_id", pa.string(), "Stable id: hash of the file's relative path and its SHA-256."),
    _field(
        "path",
        pa.string(),
        "Input path as given on the command line (or found in a folder); bytes of the name "
        "that are not UTF-8 are shown as U+FFFD (see path_hex).",
    ),
    _field("sha256", pa.string(), "SHA-256 of the raw file bytes (after gunzip for .gz).", True),
    _field("encoding", pa.string(), "Encoding the bytes were decoded with.", True),
    _field("status", pa.string(), f"One of {', '.join(DOCUMENT_STATUSES)}."),
    _field("message", pa.string(), "Why the document is not ok, or a warning.", True),
    _field("n_chars", pa.int64(), "Characters of the decoded, normalised document text."),
    _field("tag", pa.string(), "The page's leading tag line (e.g. 'surveillance').", True),
    _field("header", pa.string(), "Text before the first article (tag line, blank lines)."),
    _field("n_articles", pa.int32(), "Number of articles split from the document."),
    _field("boilerplate", pa.string(), "Page chrome after the last article (e.g. a footer).", True),
    _field(
        "boilerplate_start",
        pa.int64(),
        "Offset of the boilerplate in the document text; it runs to the end.",
        True,
    ),
    _field("boilerplate_lang", pa.string(), "Detected language of the boilerplate.", True),
    _field(
        "path_hex",
        pa.string(),
        "Hex of the path's raw bytes when the file name is not valid UTF-8 (so `path` cannot "
        "show it exactly); null otherwise.",
        True,
    ),
    doc="One row per input file, whatever its fate.",
)

ARTICLES = _schema(
    _field("article_id", pa.string(), "Stable id: hash of doc_id, seq and the article text."),
    _field("doc_id", pa.string(), "Document the article belongs to."),
    _field("seq", pa.int32(), "Position of the article in its document, from 0."),
    _field("title", pa.string(), "Title line without its bullet.", True),
    _field("lang", pa.string(), "ISO 639-1 code from language detection.", True),
    _field("lang_score", pa.float64(), "Probability of `lang` given by the detector.", True),
    _field("status", pa.string(), f"One of {', '.join(ARTICLE_STATUSES)}."),
    _field("error", pa.string(), "Why the article is not ok.", True),
    _field("start", pa.int64(), "Start offset of the article in the document text."),
    _field("end", pa.int64(), "End offset (exclusive) of the article in the document text."),
    _field("text", pa.string(), "The article text exactly as in the document: text == doc[start:end]."),
    _field(
        "repaired_text",
        pa.string(),
        "Text after scrape repair (glued words split), as given to NER; null when unchanged.",
        True,
    ),
    _field("n_repairs", pa.int32(), "Number of scrape repairs (inserted spaces)."),
    _field("n_tokens", pa.int32(), "spaCy tokens in the article (0 when not processed)."),
    _field("n_mentions", pa.int32(), "Mentions extracted from the article."),
    doc="One row per article; offsets slice the document text.",
)

MENTIONS = _schema(
    _field("mention_id", pa.string(), "Stable id: hash of article_id, offsets and type."),
    _field("article_id", pa.string(), "Article the mention was found in."),
    _field("doc_id", pa.string(), "Document the article belongs to."),
    _field("entity_id", pa.string(), "Entity the mention resolves to."),
    _field("type", pa.string(), f"One of {', '.join(ENTITY_TYPES)}."),
    _field("text", pa.string(), "Surface form: exactly article.text[start:end]."),
    _field("start", pa.int64(), "Start offset in the article's `text`."),
    _field("end", pa.int64(), "End offset (exclusive) in the article's `text`."),
    _field("sentence", pa.string(), "The sentence around the mention, from the article text."),
    _field("sentence_start", pa.int64(), "Offset of `sentence` in the article's `text`."),
    _field("lang", pa.string(), "Language of the article."),
    _field("label", pa.string(), "Raw label of the model or rule (e.g. GPE, PER, LAW).", True),
    _field("source", pa.string(), "What produced it: 'model:NAME@VERSION' or 'rule:ID'."),
    _field("key", pa.string(), "Resolved key: ISO code, registry id or normalised name (+ country)."),
    _field("resolution", pa.string(), f"How the key was resolved: {', '.join(RESOLUTIONS)}."),
    _field("curated", pa.bool_(), "True when the curation file changed this mention."),
    doc="One row per entity mention, with provenance.",
)

ENTITIES = _schema(
    _field("entity_id", pa.string(), "Stable id: hash of type and key."),
    _field("type", pa.string(), f"One of {', '.join(ENTITY_TYPES)}."),
    _field("name", pa.string(), "Canonical display name."),
    _field("key", pa.string(), "ISO code, registry id or normalised name (+ country: state bodies, laws)."),
    _field("aliases", pa.list_(pa.string()), "Distinct surface forms, most frequent first."),
    _field("alias_counts", pa.list_(pa.int32()), "Mention count of each alias, aligned."),
    _field("n_mentions", pa.int32(), "Number of mentions."),
    _field("n_articles", pa.int32(), "Number of distinct articles with a mention."),
    _field("langs", pa.list_(pa.string()), "Languages of the articles it occurs in, sorted."),
    _field("resolution", pa.string(), f"How it was resolved: {', '.join(RESOLUTIONS)}."),
    _field("registry_source", pa.string(), "Source of the registry entry, if any.", True),
    _field("curated", pa.bool_(), "True when the curation file changed this entity."),
    _field(
        "doubt",
        pa.float64(),
        "Review-queue score in [0, 1]: how likely the entity is an extraction error "
        "(see pipeline/stages/doubt.py); the audit report lists the most doubtful first.",
    ),
    _field(
        "doubt_reasons",
        pa.list_(pa.string()),
        "The evidence behind `doubt`, one phrase each (e.g. 'one mention only').",
    ),
    doc="One row per real-world entity.",
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "articles": ARTICLES,
    "mentions": MENTIONS,
    "entities": ENTITIES,
}


@dataclass(frozen=True)
class SchemaViolation(Exception):
    table: str
    problem: str

    def __str__(self) -> str:
        return f"{self.table}.parquet fails its schema: {self.problem}"


_ALLOWED_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "documents": {"status": DOCUMENT_STATUSES},
    "articles": {"status": ARTICLE_STATUSES},
    "mentions": {"type": ENTITY_TYPES, "lang": SUPPORTED_LANGS, "resolution": RESOLUTIONS},
    "entities": {"type": ENTITY_TYPES, "resolution": RESOLUTIONS},
}
# Counts and offsets that cannot be negative (nulls allowed where the field is nullable).
_NON_NEGATIVE: dict[str, tuple[str, ...]] = {
    "documents": ("n_chars", "n_articles", "boilerplate_start"),
    "articles": ("seq", "start", "n_repairs", "n_tokens", "n_mentions"),
    "mentions": ("start", "sentence_start"),
    "entities": ("n_mentions", "n_articles"),
}
# Column holding the reason a row is not ok: a row whose status is not ok must say why.
_REASON = {"documents": "message", "articles": "error"}


def _schema_difference(actual: pa.Schema, expected: pa.Schema) -> str:
    """A one-line account of how two schemas differ (names, types, nullability, order)."""
    missing = [n for n in expected.names if n not in actual.names]
    extra = [n for n in actual.names if n not in expected.names]
    problems = [f"missing {', '.join(missing)}"] if missing else []
    problems += [f"unexpected {', '.join(extra)}"] if extra else []
    for field in expected:
        if field.name in actual.names:
            got = actual.field(field.name)
            if not got.type.equals(field.type) or got.nullable != field.nullable:
                problems.append(
                    f"{field.name} is {got.type}{'' if got.nullable else ' not null'}, "
                    f"expected {field.type}{'' if field.nullable else ' not null'}"
                )
    return "; ".join(problems) or f"column order {actual.names} != {expected.names}"


def validate_table(name: str, table: pa.Table) -> None:
    """Raise SchemaViolation unless `table` matches the declared schema and values.

    Works on any slice of a table (the writer calls it per row group), so every
    check is row-local: types and nullability, allowed values, non-negative
    counts, offsets that span each row's text, a reason for every row that is
    not ok, and aligned alias lists.  Checks across tables are in
    `consistency.check_consistency`.
    """
    expected = TABLES[name]
    if not table.schema.equals(expected, check_metadata=False):
        raise SchemaViolation(name, f"columns/types differ: {_schema_difference(table.schema, expected)}")
    checks = (_nulls, _disallowed_values, *(_ROW_CHECKS[name] if table.num_rows else ()))
    for check in checks:
        problem = check(name, table)
        if problem is not None:
            raise SchemaViolation(name, problem)


def _nulls(name: str, table: pa.Table) -> str | None:
    for field in TABLES[name]:
        if not field.nullable and table.column(field.name).null_count:
            return f"column {field.name} has nulls"
    return None


def _disallowed_values(name: str, table: pa.Table) -> str | None:
    for column, allowed in _ALLOWED_VALUES[name].items():
        values = pc.unique(table.column(column).drop_null()).to_pylist()
        bad = sorted(set(values) - set(allowed))
        if bad:
            return f"column {column} has values outside {allowed}: {bad}"
    return None


def _negative_counts(name: str, table: pa.Table) -> str | None:
    for column in _NON_NEGATIVE[name]:
        if pc.any(pc.less(table.column(column), 0)).as_py():
            return f"column {column} has negative values"
    return None


def _status_without_reason(name: str, table: pa.Table) -> str | None:
    not_ok = pc.not_equal(table.column("status"), "ok")
    if pc.any(pc.and_(not_ok, pc.is_null(table.column(_REASON[name])))).as_py():
        return f"rows whose status is not ok have no {_REASON[name]}"
    return None


def _ok_article_unsupported_lang(name: str, table: pa.Table) -> str | None:
    unsupported = pc.invert(pc.is_in(table.column("lang"), pa.array(SUPPORTED_LANGS)))
    if pc.any(pc.and_(pc.equal(table.column("status"), "ok"), unsupported)).as_py():
        return f"ok articles must have lang in {SUPPORTED_LANGS}"
    return None


def _offsets_off_text(name: str, table: pa.Table) -> str | None:
    starts, ends = table.column("start"), table.column("end")
    if pc.any(pc.less(ends, starts)).as_py():
        return "offsets out of order"
    lengths = pc.utf8_length(table.column("text"))
    if not pc.all(pc.equal(pc.subtract(ends, starts), lengths)).as_py():
        return "offsets do not span the row's text"
    return None


def _misaligned_aliases(name: str, table: pa.Table) -> str | None:
    aliases = pc.list_value_length(table.column("aliases"))
    if not pc.all(pc.equal(aliases, pc.list_value_length(table.column("alias_counts")))).as_py():
        return "aliases and alias_counts differ in length"
    return None


def _doubt_out_of_range(name: str, table: pa.Table) -> str | None:
    doubt = table.column("doubt")
    if pc.any(pc.or_(pc.less(doubt, 0), pc.greater(doubt, 1))).as_py():
        return "doubt outside [0, 1]"
    return None


# The checks of a non-empty table, in the order their problems are reported;
# each gives the problem or None.
_ROW_CHECKS: dict[str, tuple[Callable[[str, pa.Table], str | None], ...]] = {
    "documents": (_negative_counts, _status_without_reason),
    "articles": (_negative_counts, _status_without_reason, _ok_article_unsupported_lang, _offsets_off_text),
    "mentions": (_negative_counts, _offsets_off_text),
    "entities": (_negative_counts, _misaligned_aliases, _doubt_out_of_range),
}
