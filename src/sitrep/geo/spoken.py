"""Place names as a speech recogniser writes them, for transcripts of recordings only.

Whisper lowercases and misspells front-line names it has not heard often ("под угледаром", "под Купинском",
"возле Роботина", "напротив Крынок"). Ordinary recognition (sitrep.geo.recognize) wants a capital and a gazetteer
spelling; this module takes the words right after a place preposition that it left, reads them back to their
nominative forms (pymorphy3: case, number), looks those up, and failing that accepts a name within one edit among
the settlements of the front-line oblasts (lexicons/spoken_places.yaml). The mentions it adds carry the cue
"spoken" so resolution, confidence and alternatives treat them like any other; nothing here runs on written text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sitrep.geo.gazetteer import Gazetteer
from sitrep.geo.inflect import nominatives
from sitrep.geo.recognize import Mention, context_lexicon
from sitrep.geo.translit import norm, romanise_ru
from sitrep.lexicon import load_yaml

SPOKEN_EXACT, SPOKEN_FUZZY = "spoken", "spoken, one edit"
WORD = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґʼ'’-]{5,}")
MIN_FUZZY = 6  # shorter misheard words are one edit from too many villages ("из лушь" is not Luch)


@lru_cache(maxsize=1)
def settings() -> dict:
    data = load_yaml("spoken_places.yaml")
    preposition = load_yaml("place_context.yaml")["before_cyrillic"][0]
    return {**data, "preposition": re.compile(r"(?<!\w)%s\s+$" % preposition, re.I),
            "front": set(data["front_oblasts"])}


def capped_confidence(cue: str | None, confidence: float | None) -> float | None:
    """A spoken reading is never surer than its kind of match allows (lexicons/spoken_places.yaml)."""
    if cue not in (SPOKEN_EXACT, SPOKEN_FUZZY) or confidence is None:
        return confidence
    cap = settings()["confidence_exact" if cue == SPOKEN_EXACT else "confidence_fuzzy"]
    return min(confidence, cap)


def ordinary_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    cfg = settings()
    low = word.lower()
    zipf = max(zipf_frequency(low, "ru"), zipf_frequency(low, "uk"))
    return zipf > (cfg["max_zipf_capitalised"] if word[:1].isupper() else cfg["max_zipf_lower"])


def spoken_mentions(text: str, start: int, gaz: Gazetteer, taken: list[Mention], lang: str) -> list[Mention]:
    """Mentions recognition missed or could not place in text[start:], each with its candidates (front-line ones
    first); the caller drops the unplaced mentions these replace."""
    cfg = settings()
    covered = [(m.start, m.end) for m in taken if m.candidates]  # a name recognition could not place is re-read
    out = []
    for m in WORD.finditer(text, start):
        if any(s < m.end() and m.start() < e for s, e in covered):
            continue
        if not cfg["preposition"].search(text[max(0, m.start() - 20):m.start()]) or ordinary_word(m.group()):
            continue
        forms = nominatives(m.group(), lang)
        found, how = [], None
        for form in forms:
            found = [p for p in gaz.lookup(norm(form)) if p.country == "UA"]
            if found:
                how = "exact"
                break
        if not found and len(m.group()) >= MIN_FUZZY:
            for form in forms:
                found = gaz.lookup_fuzzy(romanise_ru(form), cfg["front"])
                if found:
                    how = "fuzzy"
                    break
        if not found:
            continue
        found.sort(key=lambda p: p.admin1 not in cfg["front"])
        out.append(Mention(m.start(), m.end(), m.group(), norm(forms[0]), found, None,
                           SPOKEN_EXACT if how == "exact" else SPOKEN_FUZZY))
    return out
