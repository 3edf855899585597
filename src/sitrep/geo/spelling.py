"""Press spellings of Ukrainian place names: Russian-derived forms generated from the official Ukrainian name,
and the keys of the edit-distance fallback for spellings no rule predicts.

Owns the rules' application; the rules are data (lexicons/place_spelling.yaml). `ru_forms` turns a Ukrainian
Cyrillic name into the Russian Cyrillic forms the press romanises (Миколаївка → Николаевка, Лісне → Лесное,
Покровське → Покровское, Зелена Роща → Зеленая Роща); `press_latin` romanises one the ways wires and ACLED do
(Nikolayevka and Nikolaevka, Otradnoye and Otradnoe); `consonant_key` and `press_key` are the fallback's keys.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sitrep.geo.translit import norm, romanise_ru, ru_variants, skeleton
from sitrep.lexicon import load_yaml


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = load_yaml("place_spelling.yaml")
    endings = sorted(((k, v.split("|")) for k, v in data["uk_to_ru_endings"].items()), key=lambda kv: -len(kv[0]))
    starts = sorted(data["uk_to_ru_starts"].items(), key=lambda kv: -len(kv[0]))
    letters = {k: v for k, v in data["uk_to_ru_letters"].items()}
    pairs = sorted(data["uk_to_ru_pairs"].items(), key=lambda kv: -len(kv[0]))
    press = [(re.compile(re.escape(a) + r"$"), b) for a, b in data["press_endings"]]
    return {"endings": endings, "starts": starts, "letters": letters, "max": int(data.get("max_forms", 4)), "pairs": pairs,
            "press": press}


def _word_forms(word: str) -> list[str]:
    r = _rules()
    low = word.lower()
    for a, b in r["pairs"]:
        low = low.replace(a, b)
    heads = [low]
    for start, repl in r["starts"]:
        if low.startswith(start) and len(low) > len(start):
            heads = [low, repl + low[len(start):]]
            break
    out = []
    for head in heads:
        tails = [(head, "")]
        for ending, alts in r["endings"]:
            if head.endswith(ending) and len(head) > len(ending) + 1:
                tails = [(head[: -len(ending)], alt) for alt in alts]
                break
        for stem, tail in tails:
            letters = "".join(r["letters"].get(ch, ch) for ch in stem)
            out.append(letters + tail)
            if stem.count("і") == 1:  # Лісне/Лесное, Вільне/Вольное (one і read as е or о)
                for vowel in ("е", "о"):
                    out.append("".join(vowel if ch == "і" else r["letters"].get(ch, ch) for ch in stem) + tail)
    return list(dict.fromkeys(out))


def ru_forms(uk: str) -> list[str]:
    """Russian Cyrillic forms of a Ukrainian name, most regular first (lower case)."""
    words = uk.replace("’", "'").replace("ʼ", "'").split()
    if not words:
        return []
    forms = [""]
    for i, word in enumerate(words):
        alts = _word_forms(word)
        forms = [(f + " " + a).strip() for f in forms for a in alts][:16]
    forms = [f for f in dict.fromkeys(forms) if f != uk.lower()]
    return forms[: _rules()["max"]]


def press_latin(ru: str) -> list[str]:
    """Latin spellings of a Russian Cyrillic name: BGN-style (Nikolayevka, Otradnoye) and the simpler wire style
    without the y-glide (Nikolaevka, Otradnoe)."""
    forms = ru_variants(ru)[:2]
    simple = romanise_ru(ru.replace("е", "э").replace("ё", "э"), yo=False).replace("ye", "e")
    forms.append(simple)
    return list(dict.fromkeys(f for f in forms if f))


def press_key(name: str, normed: bool = False) -> str:
    """A Latin name with press endings mapped to Ukrainian-style ones (Otradnoe → otradne, Nikolaevka → nikolaivka)."""
    key = name if normed else norm(name)
    words = key.split()
    out = []
    for w in words:
        for pattern, repl in _rules()["press"]:
            if pattern.search(w):
                w = pattern.sub(repl, w)
                break
        out.append(w)
    return " ".join(out)


_VOWELS = re.compile(r"(?<=.)[aeiouy]+")


def consonant_key(name: str, normed: bool = False) -> str:
    """The spelling skeleton without vowels after the first letter: Lisne/Lesnoe → lsn, Klishchiivka/Klischiivka →
    klscvk. Candidates sharing it (or within one edit of it) are compared by edit distance."""
    return _VOWELS.sub("", skeleton(press_key(name, normed), normed=True))


def latin_consonant_key(key: str) -> str:
    """consonant_key of a norm() key, '' for a Cyrillic one (stored with every name variant)."""
    return "" if _CYRILLIC.search(key) else consonant_key(key, normed=True)


_CYRILLIC = re.compile(r"[а-яіїєґё]")


_KEY_LETTERS = "bcdfghjklmnpqrstvwxz"  # what follows the first letter of a consonant key


def one_edit_keys(ckey: str) -> list[str]:
    """Every consonant key that starts like `ckey` and is within one substitution, insertion or deletion of it
    (the few hundred keys the fallback looks up through the names(ckey) index instead of scanning an oblast)."""
    head, out = ckey[:1], {ckey}
    for i in range(1, len(ckey) + 1):
        if i < len(ckey):
            out.add(ckey[:i] + ckey[i + 1:])
        for ch in _KEY_LETTERS:
            out.add(ckey[:i] + ch + ckey[i:])
            if i < len(ckey):
                out.add(ckey[:i] + ch + ckey[i + 1:])
    return sorted(k for k in out if k[:1] == head and k)


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one substitution, insertion or deletion (linear time)."""
    la, lb = len(a), len(b)
    if la > lb:
        a, b, la, lb = b, a, lb, la
    if lb - la > 1:
        return False
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`; only the diagonal band of
    width 2 * limit + 1 is computed."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if a == b:
        return 0
    big = limit + 1
    prev = [j if j <= limit else big for j in range(lb + 1)]
    for i in range(1, la + 1):
        ca = a[i - 1]
        lo, hi = max(1, i - limit), min(lb, i + limit)
        cur = [big] * (lb + 1)
        if i <= limit:
            cur[0] = i
        best = cur[0] if lo == 1 else big
        for j in range(lo, hi + 1):
            v = prev[j - 1] + (ca != b[j - 1])
            if prev[j] + 1 < v:
                v = prev[j] + 1
            if cur[j - 1] + 1 < v:
                v = cur[j - 1] + 1
            cur[j] = v if v < big else big
            if v < best:
                best = v
        if best > limit:
            return big
        prev = cur
    return prev[lb] if prev[lb] <= limit else big
