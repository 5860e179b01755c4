"""The `civic_decision` spaCy component: one type per span, from model and rule candidates.

It runs after the model's NER and the `civic_rules` component (`rules.py`), reads
the rule candidates from the span group `rules_key` and writes its choice to the
span group `output_key`: label = type, kb_id = key hint, id = provenance
(`provenance.py`).  In order:

1. Model spans get our types: PERSON/PER → PERSON, ORG → ORG, GPE/LOC →
   COUNTRY when the country lookup knows the name (else LOCATION), LAW → LAW,
   MISC/PRODUCT → LAW or ORG only when a law head or the registry says so; a
   span that is exactly a registry name takes the registry's type.
2. Model spans are reshaped where the small models err systematically
   (`reshape.py`), their edges trimmed of titles, determiners, quotes and
   possessives (`span_edges.py`), roles and generic nouns ("CSOs") dropped,
   and so are demonyms and dates typed as names (`not_names.py`).
3. Overlaps: registry laws, then pattern laws, then the longest of the rest
   (registry > model > country-name rule on equal length; `selection.py`).
4. Document-level consistency (`consistency.py`, `evidence.py`,
   `acronyms.py`): adjacent "X for Y" organisations merged, one type per name,
   a place listed among people retyped as a person, cues for people and
   organisations, each multi-word name propagated to its other exact
   occurrences, in-text acronyms linked to their long forms, "EMFA Article 4"
   kept as the law, and organisations and countries named inside a law's name
   added as their own mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ...knowledge.countries import country_code
from ...knowledge.lexicon import (
    Lexicon,
    city_names,
    common_words,
    cues,
    first_names,
    last_names,
    lexicon,
    place_cues,
    subdivision_names,
)
from ...knowledge.names import APOSTROPHES
from ...knowledge.registry import load_registry
from .acronyms import extend_to_acronyms, link_acronyms
from .consistency import (
    extend_articles,
    extend_years,
    merge_linked_orgs,
    propagate_names,
    retype_listed_people,
    vote_types,
)
from .context import doc_text
from .decision_words import decision_words
from .evidence import drop_common_words, org_evidence, person_evidence
from .law_citations import attach_articles, link_law_aliases
from .law_grammar import law_vocabulary
from .name_parts import retype_full_names, retype_name_parts
from .not_names import drop_dates, drop_demonyms
from .org_enumerations import enumerated_organisations
from .org_extents import named_with_country, organisation_extents
from .org_lists import organisation_lists
from .org_names import class_noun_names
from .places import retype_places
from .provenance import Provenance, inside, overlaps, respan
from .reshape import ModelSpanReshaper
from .rules import RULES_KEY, component_language
from .selection import greedy, nested_names
from .span_edges import strip_edges, whole_words
from .span_splits import split_lines
from .titles import drop_titles, state_body_titles

# The span group the decision writes, unless the factory is told another.
OUTPUT_KEY = "civic"
# Model label → our type; places are decided by the country lookup.
MODEL_TYPES = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "LAW": "LAW",
    "MISC": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
}
_WORD = re.compile(r"[^\W\d_]+")


class TypeDecision:
    """Chooses one typed span per stretch of text from model and rule candidates."""

    def __init__(
        self,
        lang: str,
        model_source: str,
        rules_key: str = RULES_KEY,
        output_key: str = OUTPUT_KEY,
        rules_off: Iterable[str] = (),
    ) -> None:
        self.lang = lang
        self.model_source = model_source
        self.rules_key = rules_key
        self.output_key = output_key
        self.lex: Lexicon = lexicon(lang)
        self.cues = cues(lang)
        self.common = common_words(lang)
        self.place_cues = place_cues(lang)
        # Read here, once per process and before a fork server forks its workers.
        self.place_lists = {"subdivisions": subdivision_names(), "cities": city_names()}
        self.family_names = last_names()
        first_names()
        self.registry = load_registry()
        self.reshaper = ModelSpanReshaper(lang, self.lex, self.registry)
        words = law_vocabulary(lang)
        self.law_drafts = frozenset(words["drafts"])
        # What `link_law_aliases` reads: law heads, alias links, subject links.
        self.law_citation_words = (
            frozenset(words["heads_strong"] + words["heads_weak"] + words["heads_numbered"]),
            frozenset(words["alias_links"]),
            frozenset(words["topic_links"] + words.get("head_links", [])),
        )
        # Rule families switched off (Config.rules_off) unless a call says otherwise:
        # the component is never changed after it is made, so calls cannot leak settings.
        self.rules_off = frozenset(rules_off)

    def __call__(self, doc: Doc, rules_off: Iterable[str] | None = None) -> Doc:
        """Write the chosen spans to `doc.spans[output_key]`, and those that do not
        overlap to `doc.ents`.  `rules_off`, for this call only (spaCy's
        `component_cfg`), replaces the families switched off at creation."""
        off = self.rules_off if rules_off is None else frozenset(rules_off)
        rules = self._unblocked(doc, list(doc.spans[self.rules_key]) if self.rules_key in doc.spans else [])
        if "generic_titles" not in off:
            rules = state_body_titles(rules, self.lex, self.lang)
        model = self._model_spans(doc, rules, off)
        chosen = self._document_rules(doc, self._choose(rules, model), off)
        nested = (
            nested_names(chosen, [s for s in rules if s.label_ in ("ORG", "COUNTRY")])
            if "nested_names" not in off
            else []
        )
        # No name starts or ends inside a word: 'n’t' of "won’t" is no place.
        named = [s for s in chosen + nested if whole_words(s)]
        spans = sorted(named, key=lambda s: (s.start, s.end, s.label_))
        doc.spans[self.output_key] = spans
        # doc.ents admits no overlap: a name nested in a longer one (a country in a
        # law's title) stays in the span group only.
        doc.ents = filter_spans(spans)
        return doc

    def _model_spans(self, doc: Doc, rules: list[Span], off: frozenset[str]) -> list[Span]:
        """The model's candidates, typed, reshaped and trimmed."""
        informal = _informal(doc)
        reshape = "model_reshape" not in off
        extend_right = "org_name_tail" not in off
        model = [
            fixed
            for span in self._model_candidates(doc, off)
            for part in (self.reshaper.reshape(span, extend_right) if reshape else [span])
            if (fixed := strip_edges(part, self.lex)) is not None and self._keep(fixed, informal)
        ]
        # A state body found by its head noun is an organisation, never a place or
        # a person: model guesses of another type on its words give way.
        bodies = [s for s in rules if Provenance.of(s).from_state_body]
        model = [m for m in model if m.label_ == "ORG" or not any(overlaps(m, b) for b in bodies)]
        if "common_words" not in off:
            model = drop_common_words(doc, model, self.lex, self.common, self.cues)
        if "demonyms" not in off:
            model = drop_demonyms(model, self.lang)
        if "dates" not in off:
            model = drop_dates(model, self.lang)
        if "generic_titles" not in off:
            model = drop_titles(model, rules, self.lex, self.lang)
        return model

    def _choose(self, rules: list[Span], model: list[Span]) -> list[Span]:
        """Registry laws, then pattern laws, then the longest of the rest."""
        model_orgs = [s for s in model if s.label_ == "ORG"]
        registry_laws = [s for s in rules if s.label_ == "LAW" and s.kb_id_]
        registry_orgs = [s for s in rules if s.label_ == "ORG" and Provenance.of(s).from_registry]
        pattern_laws = [
            s for s in rules if s.label_ == "LAW" and not s.kb_id_ and self._pattern_law_wins(s, model_orgs)
        ]
        chosen = greedy([_titled(law, pattern_laws) for law in registry_laws], [])
        # A registry body keeps its name whole: 'European Center for Not-for-Profit Law'.
        chosen = greedy([o for o in registry_orgs if any(inside(p, o) for p in pattern_laws)], chosen)
        chosen = greedy(pattern_laws, chosen)
        return greedy([s for s in rules if s.label_ not in ("LAW",)] + model, chosen)

    def _document_rules(self, doc: Doc, chosen: list[Span], off: frozenset[str]) -> list[Span]:
        """The document-level rule families, in order, skipping those switched off."""
        family_names = self.family_names if "last_names" not in off else frozenset()
        gazetteers = self._gazetteers(off)
        place_words = (self.lex, self.common, self.cues, self.place_cues)
        person_words = (self.lex, self.cues, self.place_cues)
        steps: list[tuple[bool, Callable[[list[Span]], list[Span]]]] = [
            ("linked_orgs" not in off, lambda c: merge_linked_orgs(doc, c)),
            ("type_vote" not in off, lambda c: vote_types(doc, c, self.lex)),
            ("listed_people" not in off, lambda c: retype_listed_people(doc, c)),
            (
                "person_cues" not in off,
                lambda c: person_evidence(doc, c, self.lex, self.common, self.cues, family_names),
            ),
            ("org_cues" not in off, lambda c: org_evidence(doc, c, self.lex, self.common, self.cues)),
            (
                bool(family_names),
                lambda c: retype_full_names(doc, c, gazetteers, family_names, person_words),
            ),
            (
                "name_parts" not in off,
                lambda c: retype_name_parts(doc, c, gazetteers, person_words),
            ),
            (
                bool(gazetteers),
                lambda c: retype_places(doc, c, gazetteers, place_words),
            ),
            (True, lambda c: self._organisation_rules(doc, c, off)),
            ("name_propagation" not in off, lambda c: propagate_names(doc, c)),
            ("acronym_extents" not in off, lambda c: extend_to_acronyms(doc, c)),
            ("acronym_links" not in off, lambda c: link_acronyms(doc, c)),
            (True, lambda c: extend_articles(doc, c)),
            ("numbered_laws" not in off, lambda c: extend_years(doc, c)),
            ("law_articles" not in off, lambda c: attach_articles(doc, c)),
            ("law_aliases" not in off, lambda c: link_law_aliases(doc, c, *self.law_citation_words)),
        ]
        for switched_on, step in steps:
            if switched_on:
                chosen = step(chosen)
        return chosen

    def _gazetteers(self, off: frozenset[str]) -> tuple[frozenset[str], ...]:
        """The place lists of the rule families `subdivisions` and `cities` not switched off."""
        return tuple(names for family, names in self.place_lists.items() if family not in off)

    def _organisation_rules(self, doc: Doc, chosen: list[Span], off: frozenset[str]) -> list[Span]:
        """Organisations' names: class nouns inside them, their extents, enumerations and lists."""
        if "org_name_nouns" not in off:
            chosen = class_noun_names(doc, chosen, self.lex, self.cues)
        if "org_extents" not in off:
            chosen = organisation_extents(doc, chosen, self.lex, self.cues)
            chosen = named_with_country(doc, chosen, self.cues)
        if "org_enumerations" not in off:
            chosen = enumerated_organisations(doc, chosen, self.lex, self.cues, self.common)
        if "org_lists" not in off:
            chosen = organisation_lists(doc, chosen, self.lex)
        return chosen

    def _unblocked(self, doc: Doc, rules: list[Span]) -> list[Span]:
        """Drop a country or registry name found inside a longer name the model
        typed as something else ('BBC Canada' as a channel, 'Jeux du Commonwealth'
        as an event, 'Pegasus' as a product): the country is not named there."""
        heads = self.lex.heads_strong | self.lex.heads_weak
        # A model span across lines is no name ('Amnistía Internacional\n Archivo Cuba'):
        # each of its lines blocks apart, without the article it may open with: 'El
        # Consejo Presidencial de Transición' typed MISC is not a longer name than the
        # body 'Consejo Presidencial de Transición'.
        blockers = [
            name
            for e in doc.ents
            if MODEL_TYPES.get(e.label_) in (None, "MISC")
            for line in split_lines(e)
            if (name := strip_edges(line, self.lex)) is not None and name[0].lower_ not in heads
        ]
        return [
            rule
            for rule in rules
            if rule.label_ == "LAW" or not any(inside(rule, b) and len(rule) < len(b) for b in blockers)
        ]

    def _model_candidates(self, doc: Doc, off: frozenset[str]) -> Iterator[Span]:
        for raw in doc.ents:
            kind = MODEL_TYPES.get(raw.label_)
            if kind is None:
                continue
            # Trim 'Según López', 'en Nicaragua' before deciding what the name is.
            ent = strip_edges(respan(doc, raw.start, raw.end, raw, kind), self.lex)
            if ent is None:
                continue
            text = ent.text
            entry = self.registry.lookup(text)
            code = country_code(text, loose=kind == "PLACE")
            if entry is not None and kind != "PERSON":
                label, key = entry.type, entry.id
            elif code is not None and (kind != "PERSON" or len(ent) == 1):
                label, key = "COUNTRY", code
            elif kind == "PLACE" and any(t.lower_ in self.lex.org_heads for t in ent[:2]):
                label, key = "ORG", ""  # 'Ministerio de Gobernación', 'Suprema Corte …'
            elif kind == "PLACE":
                label, key = "LOCATION", ""
            elif kind == "MISC":
                # an outlet the model took for a work ('Diario de Cuba', 'Radio Okapi'), or a law
                outlet = "org_cues" not in off and self._media_title(ent)
                if not outlet and ent[0].lower_ not in self.lex.heads_strong | self.lex.heads_weak:
                    continue
                label, key = "ORG" if outlet else "LAW", ""
            else:
                label, key = kind, ""
            provenance = Provenance.model(self.model_source, raw.label_)
            yield Span(doc, ent.start, ent.end, label, kb_id=key, span_id=provenance.span_id)

    def _media_title(self, ent: Span) -> bool:
        """A media prefix opens the name ('Diario …', 'Radio …'; cues.yaml org_prefixes)."""
        return len(ent) > 1 and ent[0].lower_ in self.cues.org_prefixes

    def _keep(self, span: Span, informal: bool) -> bool:
        text = span.text.translate(APOSTROPHES)
        folded = text.casefold()
        if span.label_ == "ORG" and (
            folded in self.lex.generic_orgs or (len(span) == 1 and folded in self.lex.roles)
        ):
            return False
        if span.label_ == "PERSON":
            words = [t.lower_.rstrip(".") for t in span if not t.is_punct]
            if not words or all(w in self.lex.roles for w in words):
                return False
            if any(c.isdigit() for c in text):
                return False
        if (
            span.label_ in ("PERSON", "ORG", "COUNTRY", "LOCATION")
            and not any(c.isupper() for c in text)
            and not informal
        ):
            return False  # edited text capitalises names; the model's lower-case guesses are noise
        return len(text.strip()) > 1

    def _pattern_law_wins(self, span: Span, model_orgs: list[Span]) -> bool:
        """Weak heads ('Charter', 'Déclaration') lose to a model ORG on the same words;
        a match starting inside a compound ('Not-for-[Profit Law]') or an unnamed
        law ('un traité sur les droits numériques') is no law name."""
        doc = span.doc
        if span.start > 0 and doc[span.start - 1].text == "-" and not doc[span.start - 1].whitespace_:
            return False
        if span[0].is_lower and _unnamed(span, self.law_drafts):
            return False
        heads = [t for t in span if t.lower_ in self.lex.heads_strong | self.lex.heads_weak]
        if any(h.lower_ in self.lex.heads_strong for h in heads) or any(t.is_digit for t in span):
            return True  # a strong head, or a number or year: '… (Amendment) Ordinance, 2025'
        # An organisation named inside the title ('… entre la UE y Cuba') does not
        # make it one; an organisation over its head word does.
        return not any(o.start <= h.i < o.end for o in model_orgs for h in heads)


def _titled(law: Span, pattern_laws: list[Span]) -> Span:
    """A registry law cited by number, followed by its title ('Law No. 149 of 2019
    [on the Regulation of …]'): the whole title, with the registry's key."""
    if not law[-1].like_num:
        return law
    longer = [p for p in pattern_laws if p.start == law.start and p.end > law.end]
    if not longer:
        return law
    end = max(p.end for p in longer)
    return Span(law.doc, law.start, end, law.label_, kb_id=law.kb_id_, span_id=law.id_)


def _unnamed(span: Span, drafts: frozenset[str]) -> bool:
    """'un traité sur …', 'un proyecto de ley contra …': an indefinite law, or a
    law in an indefinite draft, is not named."""
    doc, start = span.doc, span.start
    indefinites = decision_words().indefinites
    if start > 0 and doc[start - 1].lower_ in indefinites:
        return True
    return start > 2 and doc[start - 2].lower_ in drafts and doc[start - 3].lower_ in indefinites


def _informal(doc: Doc) -> bool:
    """Text typed without capitals (web comments, chat), where names may be lower-case."""
    words = _WORD.findall(doc_text(doc))
    if not words:
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return words[0].islower() or capitalised / len(words) < 0.04


@Language.factory(
    "civic_decision",
    default_config={
        "lang": None,
        "model_source": None,
        "rules_key": RULES_KEY,
        "output_key": OUTPUT_KEY,
        "rules_off": [],
    },
)
def make_type_decision(
    nlp: Language,
    name: str,
    lang: str | None,
    model_source: str | None,
    rules_key: str,
    output_key: str,
    rules_off: list[str],
) -> TypeDecision:
    """`nlp.add_pipe("civic_decision")`, after `civic_rules`: one type per span, in
    `doc.ents` and `doc.spans[output_key]`.  `model_source` names the model in each
    span's provenance (default: the pipeline's package and version)."""
    source = model_source or f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}@{nlp.meta.get('version')}"
    return TypeDecision(component_language(nlp, lang), source, rules_key, output_key, rules_off)
