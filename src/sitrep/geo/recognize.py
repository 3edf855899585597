"""Toponym recognition: which character spans of a text name places.

A gazetteer matcher (one Aho-Corasick automaton over every normalised name variant, compiled once per process)
finds candidate spans; spaCy's GPE/LOC/FAC entities add places the gazetteer lacks; context words
(lexicons/place_context.yaml: "the village of X", "X region", "near X", "the X direction") confirm or add places;
common English words, people and names inside unit names are rejected unless the context says place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick
from spacy.tokens import Doc

from sitrep.geo.gazetteer import GazPlace, Gazetteer
from sitrep.geo.translit import norm, norm_text
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
        "after": re.compile(r"^\s+(?:%s)\b" % "|".join(data["after"]), re.I),
        "admin_after": re.compile(r"^(?:\s+and\s+[A-Z][\w'’-]+)?\s+(?:%s)\b" % "|".join(data["admin_after"]), re.I),
        "not_places": {norm(x) for x in data["not_places"]},
    }


class ToponymMatcher:
    """Finds gazetteer names in text; built once per gazetteer."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.automaton = ahocorasick.Automaton()
        for key, _ in gaz.variants():
            if len(key) >= 3 and key not in self.automaton and not function_word(key):
                self.automaton.add_word(key, key)
        self.automaton.make_automaton()

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Longest non-overlapping gazetteer matches that start with a capital and sit on word boundaries."""
        low = norm_text(text)
        found = []
        for end, key in self.automaton.iter(low):
            start = end - len(key) + 1
            if start > 0 and (low[start - 1].isalnum() or low[start - 1] == "'" and start > 1 and low[start - 2].isalnum()):
                continue
            if end + 1 < len(low) and low[end + 1].isalnum():
                continue
            if not text[start].isupper():
                continue
            found.append((start, end + 1, key))
        found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out, last_end = [], -1
        for start, end, key in found:
            if start >= last_end:
                out.append((start, end, key))
                last_end = end
        return out


@lru_cache(maxsize=4)
def matcher_for(path: str) -> ToponymMatcher:
    return ToponymMatcher(Gazetteer.open(path))


def function_word(key: str) -> bool:
    """'The', 'And', 'Of': never a place, whatever some gazetteer's alternate names say."""
    from wordfreq import zipf_frequency

    return " " not in key and zipf_frequency(key, "en") >= 5.8


def common_word(key: str) -> bool:
    """True when the name is also an ordinary English word or first name (Peace, Mercy, Victoria, March)."""
    from wordfreq import zipf_frequency

    return " " not in key and zipf_frequency(key, "en") >= 3.3


def recognize(doc: Doc, gaz: Gazetteer, matcher: ToponymMatcher, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Place mentions in a Doc. `blocked`: character spans of units/agencies a place name inside is not a place."""
    text = doc.text
    lex = context_lexicon()
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    mentions: list[Mention] = []
    covered: list[tuple[int, int]] = []
    for start, end, key in matcher.spans(text):
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in blocked):
            continue
        label = next((lab for s, e, lab in ents if s <= start and end <= e and lab in PLACE_LABELS), None)
        if any(lab == "PERSON" and s <= start and end <= e and (e - s) > (end - start) + 1 for s, e, lab in ents):
            continue  # part of a person's name
        before, after = text[max(0, start - 40):start], text[end:end + 40]
        cue = None
        m = lex["before"].search(before)
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
        if key in lex["not_places"] and not mention.is_place_by_context:
            continue
        big = max((p.population or 0) for p in cands) >= 100_000 or any(
            p.kind in ("admin1", "country", "region", "feature", "admin2") for p in cands)
        ua_or_border = any(p.country in ("UA", "RU", "BY", "MD") or p.country is None for p in cands)
        if common_word(key) and not mention.is_place_by_context:
            continue
        if not ua_or_border and not big and not label:
            continue  # a small town abroad that happens to share a word with the text
        mentions.append(mention)
        covered.append((start, end))

    # nested names: "Kramatorsk district" also names Kramatorsk
    for mention in list(mentions):
        if mention.candidates and mention.candidates[0].kind in ("admin2", "district"):
            inner = re.match(r"^(.+?)\s+(?:district|raion|rayon|hromada|community)$", mention.text, re.I)
            found = gaz.lookup(inner.group(1)) if inner else []
            if found and found[0].kind == "settlement":
                end = mention.start + len(inner.group(1))
                mentions.append(Mention(mention.start, end, text[mention.start:end], norm(inner.group(1)),
                                        found, None, "nested"))

    # spaCy's places the gazetteer does not hold, and names coordinated with a place ("Dibrovne, Dolyna and Chepil")
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC") or any(s < ent.end_char and ent.start_char < e for s, e in covered):
            continue
        if any(s <= ent.start_char and ent.end_char <= e for s, e in blocked):
            continue
        if ent.text.lower().startswith("the ") or not ent.text[:1].isupper() or DEMONYM.search(ent.text):
            continue
        mentions.append(Mention(ent.start_char, ent.end_char, ent.text, norm(ent.text), [], ent.label_))
        covered.append((ent.start_char, ent.end_char))
    for mention in list(mentions):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span.root.conjuncts:
            if tok.pos_ != "PROPN" or tok.ent_type_ in ("DATE", "NORP", "CARDINAL") or \
                    any(s <= tok.idx < e for s, e in covered) or any(s <= tok.idx < e for s, e in blocked):
                continue
            left = min(t.i for t in tok.subtree if t.dep_ == "compound" or t.i == tok.i)
            sub = doc[left:tok.i + 1]
            key = norm(sub.text)
            found = gaz.lookup(key) or gaz.lookup_similar(key)
            mentions.append(Mention(sub.start_char, sub.end_char, sub.text, key, found, None, "list"))
            covered.append((sub.start_char, sub.end_char))
    mentions.sort(key=lambda m: m.start)
    return mentions
