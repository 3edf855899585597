"""Toponym recognition: which character spans of a text name places.

A gazetteer matcher (one Aho-Corasick automaton over every normalised name variant, compiled once per process)
finds candidate spans; spaCy's GPE/LOC/FAC entities add places the gazetteer lacks; context words
(lexicons/place_context.yaml: "the village of X", "X region", "near X", "the X direction") confirm or add places;
common English words, people and names inside unit names are rejected unless the context says place.

Cyrillic names the automaton's stems miss (a Russian place the gazetteer holds in Latin only — "Белгороду",
"Шебекино" —, a two-word name inflected or in its Russian form — "Николаевка Вторая", "Желанное Первое") are found
by `cyrillic_fallback`: a capitalised word inside a sentence (with the capitalised word after it, for two-word
names) is put in the nominative with pymorphy3 and looked up as written and romanised.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick
from spacy.tokens import Doc

from sitrep.geo.gazetteer import GazPlace, Gazetteer
from sitrep.geo.inflect import nominatives, stem_entries, unit_forms
from sitrep.geo.translit import is_cyrillic, norm, norm_text
from sitrep.lexicon import load_yaml

PLACE_LABELS = {"GPE", "LOC", "FAC"}
DEMONYM = re.compile(r"(?:ian|ians|ean|eans|ese|ish|i)$")  # "Ukrainian", "Luhansk"-adjectives are not places


@dataclass
class Mention:
    start: int
    end: int
    text: str
    key: str
    candidates: list[GazPlace] = field(default_factory=list)
    spacy_label: str | None = None
    cue: str | None = None          # the context word that marks it as a place ("village", "region", "near")
    admin_suffix: bool = False      # "X region", "X Oblast" → first-level unit

    @property
    def is_place_by_context(self) -> bool:
        return bool(self.spacy_label or self.cue)


@lru_cache(maxsize=1)
def context_lexicon() -> dict:
    data = load_yaml("place_context.yaml")
    return {
        "before": re.compile(r"(?:\b(?:%s))\s+$" % "|".join(data["before"]), re.I),
        "before_cyrillic": re.compile(r"(?:(?<![\w])(?:%s))\s+$" % "|".join(data["before_cyrillic"]), re.I),
        "after": re.compile(r"^\s+(?:%s)\b" % "|".join(data["after"]), re.I),
        "admin_after": re.compile(r"^(?:\s+and\s+[A-Z][\w'’-]+)?\s+(?:%s)\b" % "|".join(data["admin_after"]), re.I),
        "not_places": {norm(x) for x in data["not_places"]},
        "weapons": {norm(x) for x in data["weapons"]},
        "ru_name_words": data["ru_name_words"],
        "ru_name_endings": data["ru_name_endings"],
        "republics": re.compile(r"(?i)(?<!\w)(?P<stem>%s)\w*\s+народн\w*\s+республ\w*" % "|".join(data["republic_stems"])),
        "republic_stems": data["republic_stems"],
        "republic_abbr": re.compile(r"(?<!\w)(?:в|у|на территории|на території)\s+(?P<abbr>%s)(?!\w)"
                                    % "|".join(data["republic_abbreviations"])),
        "republic_abbreviations": data["republic_abbreviations"],
    }


SETTLEMENT_CUE = re.compile(r"village|town|city|settlement|hamlet|село|селі|селище|місто|міст|город|поселок|посёлок",
                            re.I)


class ToponymMatcher:
    """Finds gazetteer names in text; built once per gazetteer. Cyrillic one-word names are also matched inflected:
    the automaton holds their stem and the endings allowed after it (sitrep.geo.inflect), and two-word units
    (oblasts, raions) their case forms."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, tuple[str, ...] | None]]] = {}

        def add(surface: str, key: str, endings: tuple[str, ...] | None) -> None:
            entries.setdefault(surface, []).append((key, endings))

        for key in {k for k, _ in gaz.variants()}:
            if len(key) < 3 or (len(key) <= 9 and function_word(key)):  # English function words are short
                continue
            add(key, key, None)
            if is_cyrillic(key):
                stem = stem_entries(key)
                if stem:
                    add(stem[0], key, stem[1])
                for form in unit_forms(key):
                    add(form, key, None)
        for surface, alts in entries.items():
            # exact forms before stems: "бахмут" is the name itself before it is the stem of "бахмута"
            alts.sort(key=lambda a: a[1] is not None)
            self.automaton.add_word(surface, (len(surface), tuple(alts)))
        self.automaton.make_automaton()

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Longest non-overlapping gazetteer matches that start with a capital and sit on word boundaries; an
        inflected Cyrillic form spans the whole word and yields its nominative key."""
        low = norm_text(text)
        n = len(low)
        found = []
        for end, (length, alts) in self.automaton.iter(low):
            start = end - length + 1
            if start > 0 and (low[start - 1].isalnum() or low[start - 1] == "'" and start > 1 and low[start - 2].isalnum()):
                continue
            if not text[start].isupper():
                continue
            word_end = end + 1
            while word_end < n and (low[word_end].isalpha() or low[word_end] == "'" and word_end + 1 < n
                                    and low[word_end + 1].isalpha()):
                word_end += 1
            for key, endings in alts:
                if endings is None:
                    if end + 1 < n and low[end + 1].isalnum():
                        continue
                    found.append((start, end + 1, key))
                    break
                if low[end + 1:word_end] in endings:
                    found.append((start, word_end, key))
                    break
        found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out, last_end = [], -1
        for start, end, key in found:
            if start >= last_end:
                out.append((start, end, key))
                last_end = end
        return out


class SpanIndex:
    """Sorted, non-overlapping character spans (spaCy entities are) with O(log n) 'which span contains this?'."""

    def __init__(self, spans: list[tuple]):
        self.spans = sorted(spans)
        self.starts = [sp[0] for sp in self.spans]

    def containing(self, start: int, end: int) -> tuple | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]:
            return self.spans[i]
        return None


@lru_cache(maxsize=4)
def matcher_for(path: str) -> ToponymMatcher:
    return ToponymMatcher(Gazetteer.open(path))


def function_word(key: str) -> bool:
    """'The', 'And', 'Of': never a place, whatever some gazetteer's alternate names say."""
    from wordfreq import zipf_frequency

    return " " not in key and zipf_frequency(key, "en") >= 5.8


FUNCTION_POS = {"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "ADVB", "PRED"}


@lru_cache(maxsize=50_000)
def cyrillic_function_word(key: str) -> bool:
    """'Они', 'Тут', 'Вот': a pronoun, particle, conjunction or adverb in Russian or Ukrainian (the likelier reading
    by pymorphy3) is never a place, even where some gazetteer lists it as an alternate name."""
    from sitrep.slavic import analyzer

    if " " in key:
        return False
    for lang in ("ru", "uk"):
        best = analyzer(lang).parse(key)[0]
        if best.tag.POS in FUNCTION_POS and best.score >= 0.5:
            return True
    return False


def common_word(key: str) -> bool:
    """True when the name is also an ordinary English word or first name (Peace, Mercy, Victoria, March)."""
    from wordfreq import zipf_frequency

    if " " in key:
        return False
    if is_cyrillic(key):
        return max(zipf_frequency(key, "uk"), zipf_frequency(key, "ru")) >= 3.5
    return zipf_frequency(key, "en") >= 3.3


def proper_use(text: str, start: int, key: str) -> bool:
    """A Cyrillic name written capitalised inside a sentence is used as a name ("обстріляли Херсон"), however
    common the word: Ukrainian and Russian capitalise only names there. Sentence-initial or lowercase uses stay
    ordinary words ("Слава Україні", "мир")."""
    if not is_cyrillic(key) or not text[start:start + 1].isupper():
        return False
    before = text[max(0, start - 3):start].rstrip(" \t«„\"'(-—–")
    return bool(before) and before[-1] not in ".!?\n:…"


def recognize(doc: Doc, gaz: Gazetteer, matcher: ToponymMatcher, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Place mentions in a Doc. `blocked`: character spans of units/agencies a place name inside is not a place.
    Linear in the text: every containment test is a binary search or a look at a character mask."""
    text = doc.text
    lex = context_lexicon()
    ents = SpanIndex([(e.start_char, e.end_char, e.label_) for e in doc.ents])
    blocks = SpanIndex([(s, e) for s, e in blocked])
    mentions: list[Mention] = []
    covered = bytearray(len(text) + 1)

    def cover(start: int, end: int) -> None:
        covered[start:end] = b"\x01" * (end - start)

    for start, end, key in matcher.spans(text):
        block = blocks.containing(start, end)
        if block and (block[0], block[1]) != (start, end):
            continue
        ent = ents.containing(start, end)
        label = ent[2] if ent and ent[2] in PLACE_LABELS else None
        if ent and ent[2] == "PERSON" and (ent[1] - ent[0]) > (end - start) + 1 and (
                not is_cyrillic(key) or _personal_name(doc, text[start:end])):
            continue  # part of a person's name ("Олег Синєгубов": Олег is a first name before it is a village)
        before, after = text[max(0, start - 40):start], text[end:end + 40]
        cue = None
        m = lex["before"].search(before)
        if m is None and is_cyrillic(key):
            m = lex["before_cyrillic"].search(before)
        if m:
            cue = m.group(0).strip()
        else:
            m = lex["after"].match(after)
            if m:
                cue = m.group(0).strip()
        admin = bool(lex["admin_after"].match(after))
        cands = gaz.lookup(key)
        if admin:  # "Donetsk and Luhansk regions", "Kharkiv region": the first-level unit, not the city
            admin_cands = [p for p in gaz.lookup(key + " oblast") if p.kind in ("admin1", "admin2")]
            if admin_cands:
                cands = admin_cands
        mention = Mention(start, end, text[start:end], key, cands, label, cue, admin)
        if not cands:
            continue
        if key in lex["weapons"] and not (cue and SETTLEMENT_CUE.search(cue)) and not admin:
            continue  # "a VOG", "Grad rockets", "Tochka-U"
        if key in lex["not_places"] and not (cue or label and not is_cyrillic(key)):
            continue  # natasha labels "Донецкой Народной Республики" a place: "Республика" is not one
        big = max((p.population or 0) for p in cands) >= 100_000 or any(
            p.kind in ("admin1", "country", "region", "feature", "admin2") for p in cands)
        ua_or_border = any(p.country in ("UA", "RU", "BY", "MD") or p.country is None for p in cands)
        if is_cyrillic(key) and cyrillic_function_word(key):
            continue
        if common_word(key) and not mention.is_place_by_context and not proper_use(text, start, key):
            continue
        if not ua_or_border and not big and not label:
            continue  # a small town abroad that happens to share a word with the text
        mentions.append(mention)
        cover(start, end)

    # nested names: "Kramatorsk district" also names Kramatorsk
    for mention in list(mentions):
        if mention.candidates and mention.candidates[0].kind in ("admin2", "district") and \
                not any(p.feature_class == "city district" for p in mention.candidates):
            inner = re.match(r"^(.+?)\s+(?:district|raion|rayon|hromada|community)$", mention.text, re.I)
            found = gaz.lookup(inner.group(1)) if inner else []
            if found and found[0].kind == "settlement":
                end = mention.start + len(inner.group(1))
                mentions.append(Mention(mention.start, end, text[mention.start:end], norm(inner.group(1)),
                                        found, None, "nested"))

    if doc.user_data.get("lang") in ("ru", "uk"):
        cyrillic_fallback(doc, gaz, mentions, cover, covered, blocks, lex)

    # spaCy's places the gazetteer does not hold, and names coordinated with a place ("Dibrovne, Dolyna and Chepil")
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC") or any(covered[ent.start_char:ent.end_char]):
            continue
        if blocks.containing(ent.start_char, ent.end_char):
            continue
        if ent.text.lower().startswith("the ") or not ent.text[:1].isupper() or DEMONYM.search(ent.text):
            continue
        if norm(ent.text) in lex["weapons"]:
            continue
        before = text[max(0, ent.start_char - 40):ent.start_char]
        m = lex["before"].search(before)
        key, cands = norm(ent.text), []
        if is_cyrillic(key) and " " not in key:  # a case form no paradigm covers ("Крынок" → Крынки)
            form, cands = _fallback_lookup(gaz, nominatives(ent.text, doc.user_data.get("lang"))[1:], lex)
            key = norm(form) if cands else key
        mentions.append(Mention(ent.start_char, ent.end_char, ent.text, key, cands, ent.label_,
                                m.group(0).strip() if m else None))
        cover(ent.start_char, ent.end_char)
    for mention in list(mentions):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span.root.conjuncts:
            if tok.pos_ != "PROPN" or tok.ent_type_ in ("DATE", "NORP", "CARDINAL") or covered[tok.idx] or \
                    blocks.containing(tok.idx, tok.idx + len(tok)):
                continue
            left = min(t.i for t in tok.subtree if t.dep_ == "compound" or t.i == tok.i)
            sub = doc[left:tok.i + 1]
            key = norm(sub.text)
            if key in lex["weapons"]:
                continue
            found = gaz.lookup(key) or gaz.lookup_similar(key)
            mentions.append(Mention(sub.start_char, sub.end_char, sub.text, key, found, None, "list"))
            cover(sub.start_char, sub.end_char)
    mentions.sort(key=lambda m: m.start)
    return _without_bare_city_districts(mentions)


DISTRICT_WORD = re.compile(r"\b(?:district|raion|rayon|район|района|районе|районі|району|районом)\b")
CITY_DISTRICT_REACH = 60  # characters between a bare district name and its city ("Donetsk - Petrovskyi")


def _without_bare_city_districts(mentions: list[Mention]) -> list[Mention]:
    """A city district's bare name ("Petrovskyi", also a surname) is a place only next to its city."""
    out = []
    for i, m in enumerate(mentions):
        if m.candidates and not DISTRICT_WORD.search(m.key) and \
                all(p.feature_class == "city district" for p in m.candidates):
            parents = {p.parent for p in m.candidates}
            near = [o for o in mentions[max(0, i - 2):i + 3] if o is not m and
                    (abs(o.start - m.end) <= CITY_DISTRICT_REACH or abs(m.start - o.end) <= CITY_DISTRICT_REACH)]
            if not any(c.id in parents for o in near for c in o.candidates):
                continue
        out.append(m)
    return out


_AXIS_ADJECTIVE = re.compile(r"^(.+?(?:ськ|цьк|ск|цк))(?:ому|ого|ий|ій|ім|им|ом|ое|ая|ої|ої|ий|ая|ой)$")
_AXIS_AFTER = re.compile(r"^\s+(напрямк\w*|напрям\w*|направлени\w*)", re.I)
_NAME_WORD = re.compile(r"[А-ЯІЇЄҐЁ][а-яіїєґёʼ’'-]+[а-яіїєґё]")
FALLBACK_COUNTRIES = ("UA", "RU", "BY")


def _personal_name(doc: Doc, word: str) -> bool:
    """pymorphy3 knows the word as a first name, surname or patronymic (in the text's language)."""
    lang = doc.user_data.get("lang")
    if lang not in ("ru", "uk"):
        return False
    from sitrep.slavic import analyzer

    return any(p.tag.grammemes & {"Name", "Surn", "Patr"} for p in analyzer(lang).parse(word)[:3])


def _ukrainian_forms(name: str, lex) -> list[str]:
    """A two-word name written the Russian way in its Ukrainian form: "желанное первое" → "желанне перше"."""
    words = name.split()
    if len(words) < 2:
        return []
    out = []
    for w in words:
        mapped = lex["ru_name_words"].get(w)
        if mapped is None:
            mapped = next((w[:-len(a)] + b for a, b in lex["ru_name_endings"].items() if w.endswith(a)), w)
        out.append(mapped)
    return [" ".join(out)] if out != words else []


def _fallback_lookup(gaz: Gazetteer, names: list[str], lex) -> tuple[str, list[GazPlace]]:
    """The first of `names` the gazetteer holds: as written (Ukrainian places have their Cyrillic and Russian
    forms), in its Ukrainian form, else romanised the Russian way (Russian and Belarusian places are held in
    Latin)."""
    from sitrep.geo.translit import romanise_ru

    names = names + [u for n in names for u in _ukrainian_forms(n, lex)]
    for name in names:
        found = [p for p in gaz.lookup(name) if p.country in FALLBACK_COUNTRIES]
        if found:
            return name, found
    for name in names:
        found = [p for p in gaz.lookup(romanise_ru(name)) if p.country in ("RU", "BY")]
        if found:
            return name, found
    return "", []


def cyrillic_fallback(doc: Doc, gaz: Gazetteer, mentions: list[Mention], cover, covered, blocks, lex) -> None:
    """Places the automaton missed in Russian or Ukrainian text (see the module docstring); a gazetteer mention
    followed by a capitalised word of its name ("Николаевка" + "Вторая") is widened to the two-word place."""
    text = doc.text
    lang = doc.user_data.get("lang")
    persons = SpanIndex([(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PERSON", "ORG")])
    for m in mentions:  # "на Покровському напрямку": the axis is named after the city, not the village Покровське
        adjective = _AXIS_ADJECTIVE.match(text[m.start:m.end].lower())
        if adjective and _AXIS_AFTER.match(text[m.end:m.end + 30]):
            found = [p for p in gaz.lookup(adjective.group(1)) if p.kind == "settlement"]
            if found:
                m.key, m.candidates, m.cue = adjective.group(1), found, _AXIS_AFTER.match(text[m.end:]).group(1)
    for m in list(lex["republics"].finditer(text)) + list(lex["republic_abbr"].finditer(text)):
        start, end = (m.start(), m.end()) if m.lastgroup == "stem" else m.span("abbr")
        oblast = lex["republic_stems"].get(m.group("stem").lower()) if m.lastgroup == "stem" \
            else lex["republic_abbreviations"][m.group("abbr")]
        place = gaz.admin1_place(oblast)
        if place is None or any(covered[start:end]):
            continue
        mentions.append(Mention(start, end, text[start:end], norm(text[start:end]), [place], None, "republic", True))
        cover(start, end)
    by_start = {m.start: m for m in mentions}
    words = [(w.start(), w.end(), w.group()) for w in _NAME_WORD.finditer(text)]
    for k, (start, end, word) in enumerate(words):
        nxt = words[k + 1] if k + 1 < len(words) and text[end:words[k + 1][0]] in (" ", "-") else None
        known = by_start.get(start)
        if known is not None and known.end == end and nxt and not covered[nxt[0]]:
            key, found = _fallback_lookup(gaz, [f"{a} {b}" for a in nominatives(word, lang)[:2]
                                                 for b in nominatives(nxt[2], lang)[:2]], lex)
            if found:  # "Николаевка Вторая": the two-word name, not the first word's namesakes
                known.end, known.text, known.key, known.candidates = nxt[1], text[start:nxt[1]], key, found
                cover(start, nxt[1])
            continue
        if covered[start] or blocks.containing(start, end) or persons.containing(start, end):
            continue
        before = text[max(0, start - 40):start]
        cue = lex["before_cyrillic"].search(before)
        if not proper_use(text, start, word.lower()) and not cue:
            continue  # sentence-initial: an ordinary word as often as a name
        span_end, names = end, nominatives(word, lang)
        found: list[GazPlace] = []
        key = ""
        if nxt and not covered[nxt[0]]:
            key, found = _fallback_lookup(gaz, [f"{a} {b}" for a in names[:2] for b in nominatives(nxt[2], lang)[:2]],
                                          lex)
            if found:
                span_end = nxt[1]
        if not found:
            key, found = _fallback_lookup(gaz, names, lex)
        if not found or key in lex["not_places"] or norm(word) in lex["not_places"]:
            continue
        mentions.append(Mention(start, span_end, text[start:span_end], key, found, None,
                                cue.group(0).strip() if cue else "inflected"))
        cover(start, span_end)
