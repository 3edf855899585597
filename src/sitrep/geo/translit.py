"""Romanisation of Ukrainian and Russian Cyrillic place names, and the name normalisation used for matching.

Owns: the Ukrainian national romanisation (Cabinet of Ministers resolution 55 of 2010), press/BGN-style
variants (ya/yu/ye, apostrophe forms like Kramators'k, g for г as in Lugansk) and a BGN/PCGN-style Russian
romanisation (Kharkov, Zaporozhye, Artemovsk). `norm()` is the one key function for gazetteer look-ups.
"""
from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’ʼ‘`´ʹ"
_UK_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "y",
    "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ы": "y", "э": "e",
    "ё": "io", "ъ": "",
}
# letters whose romanisation depends on position: (word-initial, elsewhere)
_UK_POS = {"є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia")}
_Y_SYSTEM = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
_VOWELS = set("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")
_CYR = re.compile(r"[а-яА-ЯіїєґІЇЄҐёЁ]")
UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")


def is_cyrillic(text: str) -> bool:
    return bool(_CYR.search(text))


def _case(out: str, src: str) -> str:
    if not out:
        return out
    if src.isupper() and not src.islower():
        return out[0].upper() + out[1:]
    return out


def romanise_uk(name: str, system: str = "national", apostrophes: bool = False, g: bool = False) -> str:
    """Ukrainian Cyrillic → Latin. system 'national' (2010 standard) or 'y' (ya/yu/ye/yi/y everywhere)."""
    out: list[str] = []
    prev = " "
    for i, ch in enumerate(name):
        low = ch.lower()
        if ch in APOSTROPHES:
            out.append("'" if apostrophes else "")
            prev = "'"
            continue
        if low == "ь":
            out.append("'" if apostrophes else "")
            prev = ch
            continue
        if low in _UK_POS:
            initial = not prev.isalpha() and prev != "'"
            if system == "y":
                r = _Y_SYSTEM[low]
            elif initial or (low == "ї" and prev == "'"):
                r = _UK_POS[low][0]
            else:
                r = _UK_POS[low][1]
        elif low == "г":
            r = "g" if g else ("gh" if prev.lower() == "з" else "h")
        elif low in _UK_BASE:
            r = _UK_BASE[low]
        else:
            r = ch
            out.append(r)
            prev = ch
            continue
        out.append(_case(r, ch))
        prev = ch
    return "".join(out)


def romanise_ru(name: str, apostrophes: bool = False, yo: bool = True) -> str:
    """Russian Cyrillic → Latin, BGN/PCGN style as used by the press (Kharkov, Zaporozhye, Artemovsk)."""
    out: list[str] = []
    prev = " "
    for ch in name:
        low = ch.lower()
        if ch in APOSTROPHES:
            prev = "'"
            continue
        if low == "е":
            r = "ye" if (not prev.isalpha() or prev in _VOWELS or prev.lower() in "ьъ") else "e"
        elif low == "ё":
            r = "yo" if yo else "e"
        elif low == "ь":
            r = "'" if apostrophes else ""
        elif low in _RU:
            r = _RU[low]
        else:
            out.append(ch)
            prev = ch
            continue
        out.append(_case(r, ch))
        prev = ch
    text = "".join(out)
    return text


_NO_APOSTROPHE = {ord(c): None for c in APOSTROPHES}


def uk_variants(name: str) -> list[str]:
    """The national form first, then the press and BGN-style forms."""
    forms = [
        romanise_uk(name),
        romanise_uk(name, apostrophes=True),
        romanise_uk(name, system="y"),
        romanise_uk(name, system="y", apostrophes=True),
        romanise_uk(name, system="y", g=True),
        romanise_uk(name.translate(_NO_APOSTROPHE)),  # the standard read strictly: Мар'їнка → Marinka
    ]
    return list(dict.fromkeys(f for f in forms if f))


def ru_variants(name: str) -> list[str]:
    forms = [romanise_ru(name), romanise_ru(name, yo=False), romanise_ru(name, apostrophes=True)]
    extra = []
    for f in forms:  # -iy / -yy endings are written -y, -iy, -yi by outlets
        if f.endswith(("iy", "yy")):
            extra += [f[:-2] + "y", f[:-2] + "yi", f[:-2] + "iy"]
    return list(dict.fromkeys(f for f in forms + extra if f))


_DASHES = "-‐‑‒–—"
_TRANS = {ord(c): "'" for c in APOSTROPHES}
_TRANS.update({ord(c): " " for c in _DASHES})
_TRANS.update({ord("\u0301"): None, ord("\u00a0"): " "})


def norm(name: str) -> str:
    """Matching key: case-folded, apostrophes unified, dashes as spaces, Latin diacritics removed."""
    s = name.translate(_TRANS).lower()
    if not s.isascii() and not is_cyrillic(s):
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(s.split())


def norm_text(text: str) -> str:
    """Same transformation as norm() but character-for-character, so offsets into the original text survive."""
    out = []
    for ch in text:
        t = ch.translate(_TRANS) if ord(ch) in _TRANS else ch
        if t is None or len(t) != 1:
            t = " "
        low = t.lower()
        out.append(low if len(low) == 1 else t)
    return "".join(out)


_SKELETON_STEPS = [
    (re.compile(r"[^a-zа-яіїєґё]"), ""),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"i(?=[aeou])"), ""),
    (re.compile(r"shch|sch"), "sc"),
    (re.compile(r"kh|g"), "h"),
    (re.compile(r"w"), "v"),
    (re.compile(r"tz|ts"), "c"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def skeleton(name: str, normed: bool = False) -> str:
    """A coarse spelling key that survives romanisation differences (Slovyansk/Sloviansk, Klishchiyivka/Klishchiivka,
    Kramators'k/Kramatorsk, Hulyaipole/Huliaipole); used only as a fallback after exact variants. `normed`: the
    name is already a norm() key."""
    s = name if normed else norm(name)
    for pattern, repl in _SKELETON_STEPS:
        s = pattern.sub(repl, s)
    return s
