"""The `civic_rules` spaCy component: candidates found by rules.

It finds candidates the statistical model misses or mistypes: country names
(CLDR, via `countries.py`), registry laws and organisations (names and
acronyms, via `registry.py`), named legal instruments (`law_grammar.py`) and
state bodies (`body_grammar.py`).  It only *adds* candidates, to the span group
named by its `spans_key` setting; the `civic_decision` component
(`decision.py`) then keeps one type per span.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ...errors import UnsupportedLanguageError
from ...knowledge.countries import country_code, country_surfaces
from ...knowledge.jurisdiction import body_vocabulary, demonym_code, is_national, named_jurisdiction
from ...knowledge.names import APOSTROPHES, looks_like_acronym
from ...knowledge.registry import Registry, load_registry
from ...schema import SUPPORTED_LANGS
from .body_grammar import body_patterns
from .context import doc_text
from .law_edges import LawEdges
from .law_grammar import either, law_patterns, law_vocabulary
from .provenance import Provenance

# The span group the rule candidates go to, unless the factory is told another.
RULES_KEY = "civic_rules"
# Tokens around a law head noun that a law name can span: English names end in
# the head ("… Media Freedom Act"), French and Spanish ones start with it.
LAW_WINDOW_BEFORE = 16
LAW_WINDOW_AFTER = 40
_CONJUNCTIONS = ("and", "or", "et", "ou", "y", "o", "e", "ni", "nor")


def _enumeration(doc: Doc, start: int, end: int) -> int:
    """A comma stays inside a name only in an enumeration closed by a conjunction
    ('… Service, Labour and Social Welfare'); else the name ends at the first comma."""
    commas = [t.i for t in doc[start:end] if t.text == ","]
    if commas and not any(t.lower_ in _CONJUNCTIONS for t in doc[commas[-1] + 1 : end]):
        return commas[0]
    return end


def _in_capitals_line(span: Span, text: str) -> bool:
    """True inside a line written mostly in capitals (a title), where an acronym
    cannot be told from an ordinary word; `text` is the doc's text."""
    line_end = text.find("\n", span.end_char)
    line = text[text.rfind("\n", 0, span.start_char) + 1 : line_end if line_end >= 0 else None]
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) >= 0.6


def _after_owner(doc: Doc, start: int, end: int) -> int:
    """A registry law after its country's possessive ('Russia's Foreign Agents Law')
    is named without it: the country is a mention of its own."""
    for token in doc[start + 1 : end - 1]:
        if token.text.translate(APOSTROPHES) == "'s" and country_code(doc[start : token.i].text):
            return token.i + 1
    return start


def with_country_adjective(doc: Doc, end: int, lang: str) -> int:
    """A national body's or law's name ends after the country adjective that follows
    it on its line ('Tribunal Constitucional [dominicano]', 'Código Penal
    [mexicano]'), which the patterns, made of capitalised words after the head,
    leave out: the adjective is what tells two countries' courts and codes apart in
    a round-up, and part of the name as written."""
    following = doc[end] if end < len(doc) else None
    if following is not None and following.is_lower and demonym_code(following.text, lang) is not None:
        return end + 1
    return end


def component_language(nlp: Language, lang: str | None) -> str:
    """The language a civic component works in: `lang` when given, else the pipeline's."""
    chosen = lang or nlp.lang
    if chosen not in SUPPORTED_LANGS:
        raise UnsupportedLanguageError(
            f"the civic components know {', '.join(SUPPORTED_LANGS)}, not {chosen!r}: "
            "give config={'lang': ...} to add_pipe for a pipeline of another language"
        )
    return chosen


class RuleRecogniser:
    """Adds country, registry, law-pattern and state-body candidates to the span
    group `spans_key`."""

    def __init__(
        self,
        nlp: Language,
        lang: str,
        registry: Registry | None = None,
        spans_key: str = RULES_KEY,
        rules_off: Iterable[str] = (),
    ) -> None:
        self.lang = lang
        self.spans_key = spans_key
        # Rule families switched off (Config.rules_off) unless a call says otherwise:
        # the component is never changed after it is made, so calls cannot leak settings.
        self.rules_off = frozenset(rules_off)
        registry = registry or load_registry()
        self.countries = PhraseMatcher(nlp.vocab, attr="ORTH")
        for code, names in sorted(country_surfaces().items()):
            variants = {v for name in names for v in (name, name.upper(), name.translate(APOSTROPHES))}
            self.countries.add(code, [nlp.make_doc(v) for v in sorted(variants)])
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")  # case-sensitive, whole tokens
        self._entries = {entry.id: entry for entry in registry.entries}
        self._lowercase_names = {
            v.casefold()
            for entry in registry.entries
            for s in entry.surfaces
            if s[:1].islower()
            for v in (s, s.translate(APOSTROPHES), s.replace("'", "’"))
        }
        for entry in registry.entries:
            surfaces = {v for s in entry.surfaces for v in (s, s.translate(APOSTROPHES), s.replace("'", "’"))}
            self.names.add(entry.id, [nlp.make_doc(v) for v in sorted(surfaces)])
            if entry.acronyms:
                self.acronyms.add(entry.id, [nlp.make_doc(a) for a in entry.acronyms])
        self.law_heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        vocab = law_vocabulary(lang)
        heads = vocab["heads_strong"] + vocab["heads_weak"] + vocab["heads_numbered"]
        self.law_heads.add("HEAD", [nlp.make_doc(h) for h in heads])
        self.laws = Matcher(nlp.vocab)
        for rule_id, pattern in law_patterns(lang):
            self.laws.add(rule_id, [pattern], greedy="LONGEST")
        self._law_head_words = frozenset(vocab["heads_strong"] + vocab["heads_weak"])
        self.law_edges = LawEdges(lang)
        self.bodies = Matcher(nlp.vocab)
        for rule_id, pattern in body_patterns(lang):
            self.bodies.add(rule_id, [pattern], greedy="LONGEST")
        self._edge_words = frozenset(
            either(
                *vocab["name_links"],
                *body_vocabulary(lang).links,
                *_CONJUNCTIONS,
                *vocab["determiners"][:3],
                *vocab["negations"],
            )
        )

    def _law_windows(self, doc: Doc) -> list[Span]:
        """Stretches of the doc around law head nouns: the law patterns only match
        there, and running the Matcher on them alone keeps the rules cheap."""
        windows: list[list[int]] = []
        for _, head, _ in self.law_heads(doc):
            start, end = max(0, head - LAW_WINDOW_BEFORE), min(len(doc), head + LAW_WINDOW_AFTER)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        return [doc[start:end] for start, end in windows]

    def _plausible(self, span: Span, how: str, text: str) -> bool:
        """Names match case-insensitively ('TRAITÉ DES NATIONS UNIES'), but a name
        written with capitals must not match plain words ('a signal', 'apple');
        an acronym inside an all-capitals title line is just a word there."""
        if how == "acronym":
            return not _in_capitals_line(span, text)
        return any(c.isupper() for c in span.text) or span.text.casefold() in self._lowercase_names

    def __call__(self, doc: Doc, rules_off: Iterable[str] | None = None) -> Doc:
        """Add the candidates to `doc.spans[spans_key]`.  `rules_off`, for this call only
        (spaCy's `component_cfg`), replaces the families switched off at creation."""
        text = doc_text(doc)
        off = self.rules_off if rules_off is None else frozenset(rules_off)
        found = [
            *(self._countries(doc, text) if "countries" not in off else []),
            *(self._registry_names(doc, text) if "registry" not in off else []),
            *(self._laws(doc, numbered="numbered_laws" not in off) if "law_patterns" not in off else []),
        ]
        if "public_bodies" not in off:
            bodies = self._bodies(doc)
            # 'Supreme Council for Media Regulation' is a body named after its
            # remit, not a regulation: a law pattern inside a body's name that
            # does not start with a law head gives way.
            found = [
                s
                for s in found
                if s.label_ != "LAW"
                or s.kb_id_
                or s[0].lower_ in self._law_head_words
                or not any(b.start <= s.start and s.end <= b.end for b in bodies)
            ]
            found += bodies
        doc.spans[self.spans_key] = found
        return doc

    def _countries(self, doc: Doc, text: str) -> list[Span]:
        """CLDR country names, but not an acronym in a capitals line: 'US' in 'WHAT THEY DID TO US'."""
        found = []
        for match_id, start, end in self.countries(doc):
            if looks_like_acronym(doc[start:end].text) and _in_capitals_line(doc[start:end], text):
                continue
            code = doc.vocab.strings[match_id]
            found.append(
                Span(doc, start, end, "COUNTRY", kb_id=code, span_id=Provenance.rule("country.cldr").span_id)
            )
        return found

    def _registry_names(self, doc: Doc, text: str) -> list[Span]:
        """Registry names and acronyms, typed and keyed by their registry entry."""
        found = []
        acronyms = self.acronyms(doc) if len(self.acronyms) else []
        for matches, how in ((self.names(doc), "name"), (acronyms, "acronym")):
            for match_id, start, end in matches:
                if not self._plausible(doc[start:end], how, text):
                    continue
                entry = self._entries[doc.vocab.strings[match_id]]
                rule = Provenance.rule(f"registry.{entry.type.lower()}.{how}")
                if entry.type == "LAW":
                    start = _after_owner(doc, start, end)
                found.append(Span(doc, start, end, entry.type, kb_id=entry.id, span_id=rule.span_id))
        return found

    def _laws(self, doc: Doc, numbered: bool) -> list[Span]:
        """Law-pattern matches in the windows around law heads, trimmed to the law's
        name and extended over its number and year (`law_edges`, numbered
        instruments only when `numbered`); an amending law's title joined to the
        title of the law it amends."""
        found = []
        for window in self._law_windows(doc):
            for match in self.laws(window, as_spans=True):
                if match.label_.endswith(".numbered") and not numbered:
                    continue
                for start, end in self._law_spans(doc, match.start, match.end):
                    if numbered:
                        start, end = self.law_edges.extend(doc, start, end)
                    end = with_country_adjective(doc, end, self.lang)
                    if doc[start].text != ")":  # a bracket whose title was not found
                        rule = Provenance.rule(match.label_)
                        found.append(Span(doc, start, end, "LAW", span_id=rule.span_id))
        by_start: dict[int, list[Span]] = {}
        for span in found:
            by_start.setdefault(span.start, []).append(span)
        joined = [
            Span(doc, first.start, second.end, "LAW", span_id=first.id_)
            for first in found
            for gap in range(4)
            for second in by_start.get(first.end + gap, [])
            if self.law_edges.amended(doc, (first.start, first.end), (second.start, second.end))
        ]
        return found + joined

    def _trim(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """No name starts or ends with a link word, an article, a conjunction or a
        hyphen ('the Office of …', 'Ministry of Justice and', 'Ley de … y')."""
        while end - start > 1 and (doc[start].lower_ in self._edge_words or doc[start].text in "-,"):
            start += 1
        while end - start > 1 and (doc[end - 1].lower_ in self._edge_words or doc[end - 1].text in "-,"):
            end -= 1
        return start, end

    def _law_spans(self, doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
        """The laws in a match: a comma stays inside a law's title only in an
        enumeration closed by a conjunction ('Ley de Transparencia, Acceso … y Buen
        Gobierno'); two laws joined are two ('Law on Non-Profit Entities and the
        Criminal Code', 'Ley Orgánica de Salud, la Ley Orgánica de Educación y …');
        edges are trimmed of link words."""
        end = _enumeration(doc, start, end)
        depth = 0  # not inside brackets: 'Criminal Law (Codification and Reform) Act'
        for token in doc[start + 1 : end - 1]:
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            if not depth and self._joins_two_laws(doc, start, token.i, end):
                rest = self._law_spans(doc, token.i + 1, self._rest_end(doc, token.i + 1, end))
                return [self._trim(doc, start, token.i), *[(s, e) for s, e in rest if e - s > 1]]
        return [self._trim(doc, start, end)]

    def _rest_end(self, doc: Doc, start: int, end: int) -> int:
        """Where the law after a join ends: its own longest match ('… y la Ley
        25.326', which the Matcher dropped as overlapping the first law's match),
        else the first match's end."""
        while start < end and doc[start].lower_ in self._edge_words:
            start += 1
        window = doc[start : min(len(doc), start + LAW_WINDOW_AFTER)]
        ends = [m.end for m in self.laws(window, as_spans=True) if m.start == start]
        return max(ends, default=end)

    def _joins_two_laws(self, doc: Doc, start: int, i: int, end: int) -> bool:
        """doc[i] ends one law's title and the next one starts after it: a
        conjunction with a law on either side, or a comma or conjunction before
        a law's head ('…, la Ley …')."""
        if doc[i].lower_ not in _CONJUNCTIONS and doc[i].text != ",":
            return False
        if not (self._has_law_head(doc[start:i]) or doc[start].lower_ in self._law_head_words):
            return False
        following = i + 1
        while following < end - 1 and doc[following].lower_ in self._edge_words:
            following += 1
        if doc[following].lower_ in self._law_head_words and following > i + 1:
            return True  # '… et la loi sur …', '…, la Ley …': an article, then a law's head
        return doc[i].lower_ in _CONJUNCTIONS and self._has_law_head(doc[i + 1 : end])

    def _has_law_head(self, span: Span) -> bool:
        return any(t.lower_ in self._law_head_words and t.text[:1].isupper() for t in span)

    def _bodies(self, doc: Doc) -> list[Span]:
        """State bodies by head-noun grammar; a match is cut at a conjunction that
        starts a second body ('Ministry of Digital Economy and Society | and the
        Supreme Court')."""
        heads = frozenset(body_vocabulary(self.lang).head_words)
        # A state body is named after its remit or its country, never after a person:
        # 'le gouvernement de José Luis Rodríguez Zapatero', 'la cour de Tamerlan'.
        people = [e for e in doc.ents if e.label_ in ("PER", "PERSON")]
        found: list[Span] = []
        for match_id, start, end in self.bodies(doc):
            rule = Provenance.rule(doc.vocab.strings[match_id])
            end = _enumeration(doc, start, end)
            cuts = [
                t.i for t in doc[start + 1 : end - 1] if t.lower_ in ("and", "et", "y", "e") or t.text == ","
            ]
            bounds, begin = [], start
            for index, cut in enumerate(cuts):
                segment = doc[cut + 1 : cuts[index + 1] if index + 1 < len(cuts) else end]
                if any(t.lower_ in heads and t.text[:1].isupper() for t in segment):
                    bounds.append((begin, cut))
                    begin = cut + 1
            for part_start, part_end in [*bounds, (begin, end)]:
                part_start, part_end = self._trim(doc, part_start, part_end)
                part_end = with_country_adjective(doc, part_end, self.lang)
                span = doc[part_start:part_end]
                named_after_person = any(span.start < p.start and p.end <= span.end for p in people)
                if len(span) < 2 or "\n" in span.text or named_after_person:
                    continue
                named, _ = named_jurisdiction(span.text, self.lang)
                if is_national(span.text, "ORG", self.lang, named):
                    found.append(Span(doc, part_start, part_end, "ORG", span_id=rule.span_id))
        return filter_spans(found)


@Language.factory(
    "civic_rules", default_config={"lang": None, "spans_key": RULES_KEY, "rules_off": []}
)
def make_rule_recogniser(
    nlp: Language, name: str, lang: str | None, spans_key: str, rules_off: list[str]
) -> RuleRecogniser:
    """`nlp.add_pipe("civic_rules")`: the rule candidates for the pipeline's language
    (or `lang`), in `doc.spans[spans_key]`, for `civic_decision` to choose from."""
    return RuleRecogniser(nlp, component_language(nlp, lang), spans_key=spans_key, rules_off=rules_off)
