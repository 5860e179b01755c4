"""Reshaping the model's spans where the small models err systematically.

Coordinated names are split ("Anatoly Volkov and Victoria Banjenova", "the
Ministry of the Interior and National Security Service"), names cut at a
lower-case word ("Ian isthe Chair"), an organisation extended left over
"Alliance of NGOs on …" when the model kept only the tail (and, in French and
Spanish, right over "de …" when it stopped at the link word), a possessive's
owner and thing owned told apart, handles and generic nouns ("OSC
humanitaires") dropped.
"""

from __future__ import annotations

from spacy.tokens import Span

from ...knowledge.countries import country_code
from ...knowledge.lexicon import Lexicon, common_words, vocabulary
from ...knowledge.names import fold
from ...knowledge.registry import Registry
from .decision_words import decision_words
from .provenance import Provenance, respan
from .span_splits import after_word, split_coordination, split_lines, split_possessive


def capitalised(token_text: str) -> bool:
    return token_text[:1].isupper()


class ModelSpanReshaper:
    """Splits, cuts or extends the model's spans of one language."""

    def __init__(self, lang: str, lex: Lexicon, registry: Registry) -> None:
        self.lang = lang
        self.lex = lex
        self.registry = registry
        self.common = common_words(lang)
        # Words that link the parts of a name ('Observatorio Venezolano de Conflictividad
        # Social'); coordinators join two names, so they never extend one.
        links = frozenset(w.casefold() for w in vocabulary()[0][lang]["name_links"])
        self.name_links = links - decision_words().coordinators

    def reshape(self, span: Span, extend_right: bool) -> list[Span]:
        """The names in `span`; `extend_right` turns on the French and Spanish
        extension over link words (rule family `org_name_tail`)."""
        if span.text[:1] in "@#":
            return []
        lines = split_lines(span)
        if len(lines) != 1 or lines[0] is not span:
            lines = [line for line in lines if self._law_on_its_line(line)]
            return [part for line in lines for part in self.reshape(line, extend_right)]
        if span.label_ in ("ORG", "PERSON") and not span.kb_id_:
            possessive = split_possessive(span)
            # 'New People's Army', 'Women's League': an ordinary word owns nothing, it is part of the name.
            if possessive is not None and possessive[0][-1].text not in self.common:
                return [p for p in (self._owner(possessive[0]), self._owned(possessive[1])) if p is not None]
        if span.label_ == "PERSON" and span[-1].lower_ in self.lex.org_heads:
            span = respan(span.doc, span.start, span.end, span, "ORG")  # 'Doublethink Lab'
        if span.label_ in ("ORG", "MISC") and len(span) == 1 and span[0].lower_ in self.lex.heads_strong:
            return [respan(span.doc, span.start, span.end, span, "LAW")]  # 'the Convention'
        if span.label_ == "PERSON":
            parts = split_coordination(span, lambda part: capitalised(part.text))
            return [p for part in parts for p in self._cut_person(part)]
        if span.label_ == "ORG" and not span.kb_id_:
            return self._reshape_org(span, extend_right)
        return [span]

    def _reshape_org(self, span: Span, extend_right: bool) -> list[Span]:
        parts = split_coordination(after_word(span, "at"), self.has_org_head)
        if len(parts) == 1:
            parts = [self._extend_org_left(parts[0])]
        if extend_right:
            parts = [self._extend_org_right(part) for part in parts]
        return [t for t in map(self._trim_org, parts) if t is not None]

    def _law_on_its_line(self, line: Span) -> bool:
        """A span typed a law for its head word ('résolution 2699') is a law only on
        the line that has the head, not on the next one ('Port-au-Prince')."""
        if line.label_ != "LAW" or Provenance.of(line).model_label == "LAW":
            return True
        return any(t.lower_ in self.lex.heads_strong | self.lex.heads_weak for t in line)

    def has_org_head(self, span: Span) -> bool:
        return any(t.lower_ in self.lex.org_heads or t.lower_ in self.lex.bare_heads for t in span)

    def _owner(self, span: Span) -> Span | None:
        """The owner in "Google's Advanced Protection Program": kept when the
        registry or the country lookup knows it."""
        entry = self.registry.lookup(span.text)
        if entry is not None:
            return Span(span.doc, span.start, span.end, entry.type, kb_id=entry.id, span_id=span.id_)
        code = country_code(span.text)
        if code is not None:
            return Span(span.doc, span.start, span.end, "COUNTRY", kb_id=code, span_id=span.id_)
        return None

    def _owned(self, span: Span) -> Span | None:
        """The thing owned is an organisation only when headed like one
        ("Uzbekistan's Ministry of Interior"), not a product or a monument."""
        return respan(span.doc, span.start, span.end, span, "ORG") if self.has_org_head(span) else None

    def _cut_person(self, span: Span) -> list[Span]:
        """End a person's name before the first lower-case word that is not a particle."""
        for token in span[1:]:
            hyphenated = token.nbor(-1).text == "-" and not token.nbor(-1).whitespace_  # 'Siu-tung'
            particle = fold(token.text, keep_accents=True) in self.lex.name_particles
            if token.is_lower and not particle and not hyphenated:
                return [respan(span.doc, span.start, token.i, span)] if token.i > span.start else []
        return [span]

    def _extend_org_right(self, span: Span) -> Span:
        """'Observatorio Venezolano [de Conflictividad Social]': the small French and
        Spanish models often end an organisation's name at its first lower-case link
        word; walk right over link words followed by capitalised words, within the
        line and the sentence, never over a person the model found."""
        if self.lang == "en":  # the English model keeps 'of the …' inside names
            return span
        doc = span.doc
        end = span.end
        while end < len(doc):
            first = end
            while first < len(doc) and first - end < 3 and doc[first].lower_ in self.name_links:
                first += 1
            if first == end or first >= len(doc) or "\n" in doc[end - 1 : first + 1].text:
                break
            last = first
            while last < len(doc) and capitalised(doc[last].text) and not doc[last].is_sent_start:
                last += 1
            people = any(e.label_ in ("PER", "PERSON") and e.start < last and e.end > first for e in doc.ents)
            if last == first or people:
                break
            end = last
        return span if end == span.end else respan(doc, span.start, end, span)

    def _extend_org_left(self, span: Span) -> Span:
        """'Alliance of NGOs on [Crime Prevention and Criminal Justice]': the model kept
        only the tail; walk left over capitalised words and connectors."""
        doc = span.doc
        start = span.start
        connectors = decision_words().connectors
        if start < 2 or doc[start - 1].lower_ not in connectors - {"the"}:
            return span
        i = start - 1
        while (
            i > 0
            and (doc[i - 1].lower_ in connectors or capitalised(doc[i - 1].text))
            and not doc[i - 1].is_sent_start
        ):
            i -= 1
        while i < start and (
            doc[i].lower_ in connectors or doc[i].lower_ in self.lex.roles or doc[i].is_lower
        ):
            i += 1
        if i >= start or not self.has_org_head(doc[i:start]):
            return span
        return respan(doc, i, span.end, span)

    def _trim_org(self, span: Span) -> Span | None:
        """'OSC humanitaires' is generic.  'Comité des recommandations', after the
        committee was named, is the bare 'Comité' followed by an object; without
        an earlier body of that head it is a name ('Union des forces de droite')."""
        tokens = list(span)
        first = fold(tokens[0].text, keep_accents=True)
        if first in self.lex.generic_orgs and all(t.is_lower for t in tokens[1:]):
            return None
        head = tokens[0].lower_
        if (
            len(tokens) > 1
            and first in self.lex.bare_heads
            and all(t.is_lower or t.is_punct for t in tokens[1:])
            and any(
                e.label_ == "ORG" and e.end <= span.start and len(e) > 1 and head in {t.lower_ for t in e}
                for e in span.doc.ents
            )
        ):
            return respan(span.doc, span.start, span.start + 1, span)
        return span
