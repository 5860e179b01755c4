"""Where a candidate span came from, and spans made from others keeping it.

spaCy spans carry strings only, so a span's provenance travels in `Span.id`;
`Provenance` is the one reader and writer of that string.  `source` is the
mentions table's `source` column ('model:NAME@VERSION' or 'rule:ID'), and
`model_label` the model's own label of a model span (its `label` column).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

MODEL_PREFIX = "model:"
RULE_PREFIX = "rule:"
_LABEL_SEPARATOR = "|"


@dataclass(frozen=True)
class Provenance:
    """What produced a candidate span: a model (with its label) or a rule."""

    source: str
    model_label: str = ""

    @classmethod
    def model(cls, model_source: str, label: str) -> Provenance:
        """A span of the model `model_source` ('NAME@VERSION') labelled `label`."""
        return cls(MODEL_PREFIX + model_source, label)

    @classmethod
    def rule(cls, rule_id: str) -> Provenance:
        return cls(RULE_PREFIX + rule_id)

    @classmethod
    def of(cls, span: Span) -> Provenance:
        source, _, label = span.id_.partition(_LABEL_SEPARATOR)
        return cls(source, label)

    @property
    def span_id(self) -> str:
        """The string stored in `Span.id`."""
        return f"{self.source}{_LABEL_SEPARATOR}{self.model_label}" if self.model_label else self.source

    @property
    def from_model(self) -> bool:
        return self.source.startswith(MODEL_PREFIX)

    @property
    def from_registry(self) -> bool:
        return self.source.startswith(RULE_PREFIX + "registry.")

    @property
    def from_state_body(self) -> bool:
        return self.source.startswith(RULE_PREFIX + "body.")


def respan(doc: Doc, start: int, end: int, like: Span, label: str | None = None) -> Span:
    """doc[start:end] as a span with the type (unless `label`), key and provenance of `like`."""
    return Span(doc, start, end, label or like.label_, kb_id=like.kb_id_, span_id=like.id_)


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
