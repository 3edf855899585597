"""Language of a document (ISO 639-1), guessed cheaply from its script, letters and function words.

Cyrillic text is told apart as Ukrainian or Russian by three kinds of evidence, each counted only in words that
are not capitalised (a Russian report quoting "Київ" or "Ігор" stays Russian; a Ukrainian one naming "Сергей"
stays Ukrainian): letters only one of the two alphabets has (і ї є ґ / ы э ъ ё), function words frequent in one
language and absent or rare in the other (та, що, від / что, от, это), and word endings typical of one of
them (-ння/-ість/-ого vs -ние/-ость/-ого is shared, so only the unshared ones count). The word lists are data in
lexicons/language.yaml. Belarusian (ў), Serbian/Macedonian (ј љ њ ћ џ) and Bulgarian (ъ inside words with no ы)
are recognised so that they are not mistaken for Russian. Latin-script text gets the older function-word guess.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from sitrep.lexicon import load_yaml

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
SAMPLE = 6000


@dataclass(frozen=True)
class Guess:
    language: str | None
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()


@lru_cache(maxsize=1)
def _data() -> dict:
    data = load_yaml("language.yaml")
    return {
        "latin": {lang: frozenset(words) for lang, words in data["latin_function_words"].items()},
        "uk_words": frozenset(data["cyrillic"]["uk_words"]),
        "ru_words": frozenset(data["cyrillic"]["ru_words"]),
        "uk_letters": frozenset(data["cyrillic"]["uk_letters"]),
        "ru_letters": frozenset(data["cyrillic"]["ru_letters"]),
        "uk_endings": tuple(data["cyrillic"]["uk_endings"]),
        "ru_endings": tuple(data["cyrillic"]["ru_endings"]),
        "other": {lang: frozenset(letters) for lang, letters in data["cyrillic"]["other_letters"].items()},
    }


def _cyrillic(words: list[tuple[str, bool]]) -> Guess:
    d = _data()
    uk = ru = 0.0
    other = {lang: 0 for lang in d["other"]}
    for word, initial in words:
        low = word.lower()
        for lang, letters in d["other"].items():
            if any(ch in letters for ch in low):
                other[lang] += 1
        if low in d["uk_words"]:
            uk += 1.5
        if low in d["ru_words"]:
            ru += 1.5
        # a capitalised word inside a sentence is mostly a name: its letters say where the name is from more than
        # what language quotes it, so they count a little
        weight = 0.3 if word[:1].isupper() and len(word) > 1 and not word.isupper() and not initial else 1.0
        if any(ch in d["uk_letters"] for ch in low):
            uk += weight
        if any(ch in d["ru_letters"] for ch in low):
            ru += weight
        if weight < 1:
            continue
        if len(low) > 4:
            if low.endswith(d["uk_endings"]):
                uk += 0.5
            if low.endswith(d["ru_endings"]):
                ru += 0.5
    n = len(words) or 1
    for lang, count in sorted(other.items(), key=lambda kv: -kv[1]):
        if count >= max(2, 0.05 * n):  # letters Russian and Ukrainian never use
            return Guess(lang, 0.7)
    if uk == ru == 0:
        return Guess("ru", 0.5, (("uk", 0.5),))  # no evidence either way: the more common language, said so
    p_uk = 1 / (1 + math.exp(-(uk - ru) / 1.5))
    lang, conf = ("uk", p_uk) if p_uk >= 0.5 else ("ru", 1 - p_uk)
    return Guess(lang, round(conf, 3), (("ru" if lang == "uk" else "uk", round(1 - conf, 3)),))


def detect(text: str) -> Guess:
    """The language of `text` with a confidence (0–1) and the runner-up."""
    sample = text[:SAMPLE]
    cyr = sum(1 for ch in sample if "\u0400" <= ch <= "\u04ff")
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    if cyr / letters > 0.5:
        words = []
        for m in _WORD.finditer(sample):
            if "\u0400" <= m.group()[0] <= "\u04ff":
                before = sample[:m.start()].rstrip(" \t«\"'„“—–-")
                words.append((m.group(), not before or before[-1] in ".!?\n…:"))
        return _cyrillic(words)
    low = [w.lower() for w in _WORD.findall(sample)]
    if not low:
        return Guess(None, 0.0)
    scores = {lang: sum(1 for w in low if w in fw) for lang, fw in _data()["latin"].items()}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    lang, score = ranked[0]
    if score < max(2, len(low) * 0.03):
        return Guess(None, 0.0)
    total = sum(scores.values()) or 1
    return Guess(lang, round(score / total, 3), tuple((k, round(v / total, 3)) for k, v in ranked[1:] if v))


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code of `text`'s language, or None when there is too little to tell."""
    return detect(text).language
