"""Russian and Ukrainian NLP: one spaCy `Doc` per text, built from natasha and pymorphy3, in the English Vocab.

Every extractor reads spaCy Docs with the English model's labels, so a Russian or Ukrainian text is turned into
exactly such a Doc and goes through the same extractors:

- tokens and sentences from natasha's segmenter (razdel), every line of the text segmented on its own (a line
  break ends a sentence, as `sitrep_paragraph_breaks` does for English); whitespace other than one space
  becomes a space token, so `doc.text` is the input text character for character and every offset holds;
- parts of speech, morphological features and a UD dependency tree from natasha's news models (trained on
  Russian; used for Ukrainian too, where they transfer less well), mapped onto the labels of spaCy's English
  models (`obj` → `dobj`, `nsubj:pass` → `nsubjpass`, `aux:pass` → `auxpass`, `root` → `ROOT`, `acl:relcl` →
  `relcl`, a negating particle → `neg` …) with the preposition made the head of its noun (`case` → `prep` +
  `pobj`), the shape the English extractors walk; a Penn-style tag is derived from UPOS and features;
- lemmas from pymorphy3 with the dictionary of the text's language (the analysis agreeing with natasha's part
  of speech and case wins; verbs and participles lemmatise to the infinitive);
- entities: sitrep's own patterns (actors, units, people: the EntityRuler patterns of the English pipeline,
  matched on exact tokens and, for Cyrillic aliases, on lemmas so that inflected forms match), natasha's Russian
  NER (PER/ORG/LOC → PERSON/ORG/GPE; on Ukrainian text as well), and personal names found by morphology:
  a capitalised word pymorphy3 knows as a first name, patronymic or surname next to another capitalised word.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from sitrep.slavic_rules import parse_clauses, retag

LANGUAGES = ("ru", "uk")
# languages whose trees come from sitrep.slavic_rules (natasha's Russian models do not transfer; see there)
RULE_PARSED = ("uk",)
# languages natasha's NER runs on (on Ukrainian it found no person the morphological rule missed, and added
# wrong ones: see eval/eval_slavic_names.py)
NER_LANGUAGES = ("ru",)

# the English shape for prepositional phrases (verb → prep → pobj) instead of UD's (verb → obl → case); measured
# on the Russian fixtures: see the README
PREP_AS_HEAD = True
# UD relation → the label spaCy's English models use for the same relation.
UD_TO_EN = {
    "root": "ROOT", "nsubj": "nsubj", "nsubj:pass": "nsubjpass", "csubj": "csubj", "csubj:pass": "csubjpass",
    "obj": "dobj", "iobj": "dative", "obl": "npadvmod", "obl:agent": "agent", "obl:tmod": "npadvmod",
    "nmod": "nmod", "nmod:poss": "poss", "amod": "amod", "det": "det", "nummod": "nummod", "nummod:gov": "nummod",
    "nummod:entity": "nummod", "advmod": "advmod", "advcl": "advcl", "acl": "acl", "acl:relcl": "relcl",
    "aux": "aux", "aux:pass": "auxpass", "cop": "auxpass", "case": "prep", "cc": "cc", "conj": "conj",
    "punct": "punct", "mark": "mark", "ccomp": "ccomp", "xcomp": "xcomp", "parataxis": "parataxis",
    "appos": "appos", "flat": "compound", "flat:name": "compound", "flat:foreign": "compound", "compound": "compound",
    "fixed": "prep", "expl": "expl", "discourse": "intj", "vocative": "npadvmod", "orphan": "dep", "list": "dep",
    "dislocated": "dep", "goeswith": "dep", "reparandum": "dep", "dep": "dep",
}
# relations whose `case` child becomes their head (the English shape: verb → prep → pobj)
PREP_HOSTS = {"obl", "obl:agent", "obl:tmod", "nmod", "nmod:poss", "iobj", "obj", "advcl", "acl", "appos", "conj",
              "nummod:gov", "nummod", "amod", "parataxis", "xcomp", "ccomp", "orphan"}

# UPOS → the pymorphy3 parts of speech that agree with it
UPOS_TO_MORPHY = {
    "NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "VERB": {"VERB", "INFN", "PRTF", "PRTS", "GRND"}, "AUX": {"VERB", "INFN"},
    "ADJ": {"ADJF", "ADJS", "COMP", "PRTF", "PRTS", "NUMR"}, "ADV": {"ADVB", "COMP", "PRED"}, "NUM": {"NUMR"},
    "PRON": {"NPRO", "ADJF"}, "DET": {"ADJF", "NPRO"}, "ADP": {"PREP"}, "CCONJ": {"CONJ"}, "SCONJ": {"CONJ"},
    "PART": {"PRCL"}, "INTJ": {"INTJ"},
}
UD_CASE_TO_MORPHY = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct",
                     "Voc": "voct", "Par": "gen2"}
NAME_GRAMMEMES = {"Name", "Surn", "Patr"}
NER_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LINE = re.compile(r"[^\n]+")


def ptb_tag(pos: str, feats: dict) -> str:
    """A Penn Treebank tag for a UPOS and UD features (what the English extractors read from `tag_`)."""
    plural = feats.get("Number") == "Plur"
    if pos == "NOUN":
        return "NNS" if plural else "NN"
    if pos == "PROPN":
        return "NNPS" if plural else "NNP"
    if pos in ("VERB", "AUX"):
        form = feats.get("VerbForm")
        if form == "Part":
            return "VBN" if feats.get("Voice") == "Pass" or feats.get("Tense") == "Past" else "VBG"
        if form == "Conv":
            return "VBG"
        if form == "Inf":
            return "VB"
        if feats.get("Tense") == "Past":
            return "VBD"
        if feats.get("Tense") == "Pres":
            return "VBZ" if feats.get("Person") == "3" and not plural else "VBP"
        return "VB" if pos == "VERB" else "MD"
    if pos == "ADJ":
        return {"Cmp": "JJR", "Sup": "JJS"}.get(feats.get("Degree", ""), "JJ")
    if pos == "PRON":
        kind = feats.get("PronType")
        return {"Rel": "WDT", "Int": "WP"}.get(kind or "", "PRP$" if feats.get("Poss") == "Yes" else "PRP")
    return {"ADV": "RB", "ADP": "IN", "DET": "DT", "NUM": "CD", "PART": "RB" if feats.get("Polarity") == "Neg" else "RP",
            "CCONJ": "CC", "SCONJ": "IN", "PUNCT": ".", "SYM": "SYM", "X": "FW", "INTJ": "UH"}.get(pos, "XX")


@lru_cache(maxsize=1)
def _natasha():
    """natasha's segmenter and news models (weights ship in the PyPI packages), loaded once per process."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)


@lru_cache(maxsize=2)
def analyzer(lang: str):
    """The pymorphy3 analyser with the dictionary of `lang` (ru or uk)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


class Lemmatizer:
    """pymorphy3 lemmas, the analysis agreeing with the tagger's part of speech and case chosen; cached."""

    def __init__(self, lang: str) -> None:
        self.morph = analyzer(lang)
        self.cache: dict[tuple, tuple[str, frozenset]] = {}

    def __call__(self, word: str, pos: str = "", case: str = "") -> tuple[str, frozenset]:
        key = (word, pos, case)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        if not _CYRILLIC.search(word):
            out = (word.lower(), frozenset())
        else:
            parses = self.morph.parse(word)
            wanted = UPOS_TO_MORPHY.get(pos)
            m_case = UD_CASE_TO_MORPHY.get(case)

            def score(p):
                s = p.score
                if wanted and p.tag.POS in wanted:
                    s += 1.0
                if m_case and m_case in p.tag:
                    s += 0.5
                return s

            best = max(parses, key=score) if parses else None
            grammemes = frozenset(g for p in parses[:3] for g in p.tag.grammemes if g in NAME_GRAMMEMES)
            out = ((best.normal_form if best else word.lower()).replace("ё", "е"), grammemes)
        if len(self.cache) < 200_000:
            self.cache[key] = out
        return out


def _by_length(model, items: list) -> list:
    """`model.map(items)` with items of similar length batched together (slovnet pads every batch to its longest
    item), results in the input order."""
    order = sorted(range(len(items)), key=lambda i: len(items[i]))
    out: list = [None] * len(items)
    for i, result in zip(order, model.map([items[i] for i in order])):
        out[i] = result
    return out


_APOSTROPHES = {"'", "’", "ʼ", "`"}


def _join_apostrophes(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One token for a word with an apostrophe inside (п'ятеро, Куп'янськ, об'єкт), which razdel splits."""
    out: list[tuple[int, int, str]] = []
    for tok in toks:
        if out and (tok[2] in _APOSTROPHES or out[-1][2][-1:] in _APOSTROPHES) and tok[0] == out[-1][1] \
                and (tok[2] in _APOSTROPHES and out[-1][2][-1:].isalpha() or tok[2][:1].isalpha()
                     and len(out[-1][2]) > 1):
            prev = out.pop()
            out.append((prev[0], tok[1], prev[2] + tok[2]))
        else:
            out.append(tok)
    return out


def _break_cycles(heads: list[int], start: int, end: int) -> None:
    """Make tokens [start, end) one tree: one root (others attach to it), no cycles (a cycle attaches to the root)."""
    roots = [i for i in range(start, end) if heads[i] == i]
    if not roots:
        roots = [start]
        heads[start] = start
    root = roots[0]
    for r in roots[1:]:
        heads[r] = root
    for i in range(start, end):
        seen = set()
        cur = i
        while heads[cur] != cur:
            if cur in seen or not (start <= heads[cur] < end):
                heads[cur] = root
                break
            seen.add(cur)
            cur = heads[cur]


class SlavicPipeline:
    """Builds Docs for Russian and Ukrainian text in the English pipeline's Vocab, entities included."""

    def __init__(self, nlp) -> None:
        self.vocab = nlp.vocab
        self.segmenter, self.morph, self.syntax, self.ner = _natasha()
        self.lemmatizers = {lang: Lemmatizer(lang) for lang in LANGUAGES}
        self._build_matchers()

    # ---- sitrep's entity patterns on these Docs -----------------------------------------------------
    def _build_matchers(self) -> None:
        from sitrep.extract.entities import ruler_patterns

        self.token_matcher = Matcher(self.vocab)
        self.exact = PhraseMatcher(self.vocab, attr="ORTH")
        self.by_lemma = PhraseMatcher(self.vocab, attr="LEMMA")
        self.pattern_ids: dict[int, tuple[str, str | None]] = {}
        seen: set[tuple] = set()
        patterns = ruler_patterns()
        # an alias written in lower case comes back with a capitalised variant too: it is no name
        lower_written = {(p["label"], p.get("id"), p["pattern"]) for p in patterns if isinstance(p["pattern"], str)
                         and p["pattern"][:1].islower()}
        for pat in patterns:
            label, ent_id, pattern = pat["label"], pat.get("id"), pat["pattern"]
            key = f"{label}\x1f{ent_id or ''}"
            match_id = self.vocab.strings.add(key)
            self.pattern_ids[match_id] = (label, ent_id)
            if isinstance(pattern, list):
                self.token_matcher.add(key, [pattern])
                continue
            if (key, pattern) in seen:
                continue
            seen.add((key, pattern))
            docs = [self._pattern_doc(pattern)]
            self.exact.add(key, docs)
            decapitalised = pattern[:1].lower() + pattern[1:]
            if _CYRILLIC.search(pattern) and any(w[:1].isupper() for w in pattern.split()) \
                    and (label, ent_id, decapitalised) not in lower_written:
                # names inflect: match them on lemmas too (common-noun aliases such as "окупанти" are listed
                # in the forms they are meant in, so that the singular "окупант" — a soldier — is not an army)
                for lang in LANGUAGES:
                    lemma_doc = self._pattern_doc(pattern, lang)
                    if (key, lang, tuple(t.lemma_ for t in lemma_doc)) not in seen:
                        seen.add((key, lang, tuple(t.lemma_ for t in lemma_doc)))
                        self.by_lemma.add(key, [lemma_doc])

    def _pattern_doc(self, text: str, lang: str | None = None) -> Doc:
        """A pattern as a Doc tokenised like the texts it must match (and lemmatised for `lang`)."""
        toks = list(self.segmenter.tokenize(text))
        words = [t.text for t in toks]
        spaces = [k + 1 < len(toks) and toks[k + 1].start > t.stop for k, t in enumerate(toks)]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if lang:
            lem = self.lemmatizers[lang]
            for tok in doc:
                tok.lemma_ = lem(tok.text)[0]
        return doc

    # ---- building the Doc ---------------------------------------------------------------------------
    def __call__(self, text: str, lang: str) -> Doc:
        return next(self.pipe([(text, lang)]))

    def pipe(self, items):
        """Docs for (text, lang) pairs, in order."""
        for text, lang in items:
            yield self._build(text, lang if lang in LANGUAGES else "ru")

    def _segment(self, text: str):
        """Sentences as lists of (start, end, text) tokens, every line segmented on its own."""
        sents = []
        for line in _LINE.finditer(text):
            base = line.start()
            chunk = line.group()
            if not chunk.strip():
                continue
            for sent in self.segmenter.sentenize(chunk):
                toks = [(base + sent.start + t.start, base + sent.start + t.stop, t.text)
                        for t in self.segmenter.tokenize(sent.text)]
                if toks:
                    sents.append(_join_apostrophes(toks))
        return sents

    def _build(self, text: str, lang: str) -> Doc:
        sents = self._segment(text)
        words_per_sent = [[t[2] for t in s] for s in sents]
        rules = lang in RULE_PARSED
        if rules or not sents:  # Ukrainian: pymorphy3 and rules only (natasha's Russian models do not transfer)
            morphs = trees = [None] * len(sents)
        else:
            morphs = _by_length(self.morph, words_per_sent)
            trees = _by_length(self.syntax, words_per_sent)
        lem = self.lemmatizers[lang]

        words: list[str] = []
        spaces: list[bool] = []
        pos: list[str] = []
        tags: list[str] = []
        feats: list[str] = []
        fdicts: list[dict] = []
        lemmas: list[str] = []
        heads: list[int] = []
        deps: list[str] = []
        names: list[frozenset] = []
        ud: list[str] = []
        sent_bounds: list[tuple[int, int]] = []
        cursor = 0

        def add_space(gap: str, attach: int | None) -> None:
            words.append(gap)
            spaces.append(False)
            pos.append("SPACE")
            tags.append("_SP")
            feats.append("")
            fdicts.append({})
            lemmas.append(gap)
            idx = len(words) - 1
            heads.append(attach if attach is not None else idx)
            deps.append("dep" if attach is not None else "ROOT")
            names.append(frozenset())
            ud.append("dep")
            if attach is None:
                sent_bounds.append((idx, idx + 1))

        def gap_before(start: int) -> None:
            nonlocal cursor
            gap = text[cursor:start]
            if not gap:
                return
            if gap == " " and words and not spaces[-1] and pos[-1] != "SPACE":
                spaces[-1] = True
                return
            if words and not spaces[-1] and pos[-1] != "SPACE" and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                add_space(gap, len(words) - 1 if words else None)

        for s_toks, m_markup, t_markup in zip(sents, morphs, trees):
            first = None
            for k, (start, end, word) in enumerate(s_toks):
                gap_before(start)
                cursor = end
                if first is None:
                    first = len(words)
                if rules:
                    f, upos, head, rel = {}, "X", 0, "dep"
                else:
                    mtok, stok = m_markup.tokens[k], t_markup.tokens[k]
                    f, upos, head, rel = dict(mtok.feats or {}), mtok.pos or "X", int(stok.head_id), stok.rel or "dep"
                if rules:
                    upos, f = retag(word, upos, f, lem.morph, k == 0)
                words.append(word)
                spaces.append(False)
                pos.append(upos)
                fdicts.append(f)
                tags.append("")
                feats.append("")
                lemmas.append("")
                heads.append(first + head - 1 if head > 0 else len(words) - 1)
                ud.append(rel)
                names.append(frozenset())
                deps.append("")
            sent_bounds.append((first, len(words)))
            if rules:
                parse_clauses(words, pos, fdicts, first, len(words), heads, ud)
        gap_before(len(text))
        for i, word in enumerate(words):
            if pos[i] == "SPACE":
                continue
            f = fdicts[i]
            tags[i] = ptb_tag(pos[i], f)
            feats[i] = "|".join(f"{a}={v}" for a, v in sorted(f.items()))
            lemmas[i], names[i] = lem(word, pos[i], f.get("Case", ""))
        # sentence trees: one root each, no cycles; labels mapped; prepositions made heads of their nouns
        for start, end in sent_bounds:
            _break_cycles(heads, start, end)
        for i, rel in enumerate(ud):
            if pos[i] == "SPACE":
                continue
            label = "ROOT" if heads[i] == i else UD_TO_EN.get(rel, UD_TO_EN.get(rel.split(":")[0], "dep"))
            if label == "advmod" and "Polarity=Neg" in feats[i]:
                label = "neg"
            deps[i] = label
        for i, rel in enumerate(ud):
            if not PREP_AS_HEAD or rel != "case" or pos[i] == "SPACE":
                continue
            noun = heads[i]
            if noun <= i or heads[noun] == noun or ud[noun] not in PREP_HOSTS:
                continue
            heads[i], deps[i] = heads[noun], "prep"
            heads[noun], deps[noun] = i, "pobj"
        for start, end in sent_bounds:
            _break_cycles(heads, start, end)
            for i in range(start, end):
                if heads[i] == i:
                    deps[i] = "ROOT"
                elif deps[i] == "ROOT":
                    deps[i] = "dep"
        doc = Doc(self.vocab, words=words, spaces=spaces, pos=pos, tags=tags, morphs=feats, lemmas=lemmas,
                  heads=heads, deps=deps, user_data={"lang": lang})
        if doc.text != text:  # never: every offset of every extractor depends on it
            raise ValueError("Cyrillic tokenisation did not reproduce the text")
        self._entities(doc, text, names)
        return doc

    # ---- entities -------------------------------------------------------------------------------------
    def _entities(self, doc: Doc, text: str, names: list[frozenset]) -> None:
        found: list[Span] = []
        lines = [m for m in _LINE.finditer(text) if m.group().strip()] if doc.user_data.get("lang") in NER_LANGUAGES \
            else []
        for line, markup in zip(lines, _by_length(self.ner, [m.group() for m in lines])):
            for span in markup.spans:
                ent = doc.char_span(line.start() + span.start, line.start() + span.stop, label=NER_LABELS.get(span.type,
                                    span.type), alignment_mode="contract")
                if ent is not None and len(ent) and self._plausible(ent, names):
                    found.append(ent)
        found.extend(self._morphological_names(doc, names, found))
        found = [t for t in (self._trim_person(s, names) for s in found) if t is not None]
        ours: list[Span] = []
        for matcher in (self.exact, self.by_lemma, self.token_matcher):  # named (with an id) before generic
            for match_id, start, end in matcher(doc):
                label, ent_id = self.pattern_ids[match_id]
                span = Span(doc, start, end, label=label, span_id=ent_id or "")
                ours.append(span)
        ours = filter_spans(ours)
        taken = {i for s in ours for i in range(s.start, s.end)}
        rest = [s for s in filter_spans(found) if not any(i in taken for i in range(s.start, s.end))]
        doc.ents = sorted(ours + rest, key=lambda s: s.start)

    def _plausible(self, ent: Span, names: list[frozenset]) -> bool:
        """natasha's PERSON spans (weakest on Ukrainian) must look like names: capitalised nouns, no acronym,
        no adjective ("Харківської ОВА", "Бердичі Донецької"); one word alone must be a known first name,
        patronymic or surname, or a word the dictionary does not know ("Уранці" is an adverb)."""
        if ent.label_ != "PERSON":
            return True
        for tok in ent:
            if tok.is_punct:
                continue
            if tok.text.isupper() or tok.pos_ == "ADJ" or not tok.text[:1].isupper():
                return False
        if len(ent) == 1:
            tok = ent[0]
            lang = "uk" if tok.doc.user_data.get("lang") == "uk" else "ru"
            known = self.lemmatizers[lang].morph.word_is_known(tok.text)
            return bool(names[tok.i] & NAME_GRAMMEMES) or not known
        return True

    def _trim_person(self, ent: Span, names: list[frozenset]) -> Span | None:
        """A person's words agree in case with the first name: words at the edges that do not ("Миколаєва
        Олександр Сєнкевич": the city's genitive), and a common word opening the run ("Волонтерка Ірина
        Мельник"), are not part of the name."""
        if ent.label_ != "PERSON":
            return ent
        doc = ent.doc
        anchor = next((t for t in ent if names[t.i] & {"Name", "Patr"}), None)
        if anchor is None:
            return ent
        case = anchor.morph.get("Case")
        lang = "uk" if doc.user_data.get("lang") == "uk" else "ru"
        morph = self.lemmatizers[lang].morph

        def foreign(tok) -> bool:
            if names[tok.i] & NAME_GRAMMEMES:
                return False
            other_case = bool(case) and bool(tok.morph.get("Case")) and tok.morph.get("Case") != case
            return other_case or morph.word_is_known(tok.text) and tok.i < anchor.i

        start, end = ent.start, ent.end
        while start < anchor.i and foreign(doc[start]):
            start += 1
        while end - 1 > anchor.i and foreign(doc[end - 1]) and bool(case) and doc[end - 1].morph.get("Case") \
                and doc[end - 1].morph.get("Case") != case:
            end -= 1
        return Span(doc, start, end, label="PERSON") if end - start >= 1 else None

    @staticmethod
    def _morphological_names(doc: Doc, names: list[frozenset], found: list[Span]) -> list[Span]:
        """Runs of capitalised words of which one is a known first name, patronymic or surname (and another word
        is capitalised too): "Вадим Філашкін", "Олег Синєгубов". natasha's PERSON spans already found are kept."""
        taken = {i for s in found for i in range(s.start, s.end)}
        out: list[Span] = []

        def capitalised(tok) -> bool:
            t = tok.text
            return len(t) > 1 and t[:1].isupper() and not t.isupper() and bool(_CYRILLIC.match(t))

        i, n = 0, len(doc)
        while i < n:
            if not capitalised(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < n and j - i < 3 and capitalised(doc[j]) and not doc[j].is_sent_start:
                j += 1
            if j - i >= 2 and any(names[k] & {"Name", "Patr"} for k in range(i, j)) \
                    and not any(k in taken for k in range(i, j)):
                out.append(Span(doc, i, j, label="PERSON"))
            i = j
        return out
