"""Case forms of Ukrainian and Russian place names, for recognising them inflected in Cyrillic text.

Owns applying the paradigms in lexicons/place_inflection.yaml: `stem_entries(key)` gives, for a one-word Cyrillic
name (normalised, lower case), the stem the text matcher looks for and the endings allowed after it (Куп'янськ →
stem "куп'янськ" + "", "а", "у", "ом"…); `unit_forms(key)` gives the inflected forms of two-word units
("запорізька область" → "запорізькій області", "запорожской области"; "куп'янський район" → "куп'янському районі").
These work on the raw text, independent of any model; `nominatives(word)` reads a case form back to its
nominative readings with pymorphy3 for forms no paradigm covers (plural names: "Крынок" → "крынки").
"""
from __future__ import annotations

from functools import lru_cache

from sitrep.lexicon import load_yaml

MIN_STEM = 3


@lru_cache(maxsize=1)
def _paradigms() -> dict:
    data = load_yaml("place_inflection.yaml")
    classes = [(c["cut"], tuple(dict.fromkeys(c["endings"])), bool(c.get("consonant"))) for c in data["classes"]]
    units = []
    for lang in ("uk", "ru"):
        for u in data["admin_units"][lang]:
            units.append((u["adjective_cut"], u["forms"]))
    return {"classes": classes, "units": units}


_CONSONANTS = set("бвгґджзйклмнпрстфхцчшщ")


def stem_entries(key: str) -> tuple[str, tuple[str, ...]] | None:
    """(stem, allowed endings) for a one-word Cyrillic name, or None when it does not decline by these rules."""
    if " " in key or len(key) < 4:
        return None
    for cut, endings, consonant in _paradigms()["classes"]:
        if consonant:
            if key[-1] in _CONSONANTS:
                return key, endings
            continue
        if cut and key.endswith(cut) and len(key) - len(cut) >= MIN_STEM:
            return key[: -len(cut)], endings
    return None


def unit_forms(key: str) -> list[str]:
    """Inflected forms of '<adjective> область|район' (Ukrainian and Russian), the nominative excluded."""
    words = key.split()
    if len(words) != 2:
        return []
    adj = words[0]
    out = []
    for cut, forms in _paradigms()["units"]:
        noun = forms[0].split()[1]
        if words[1] != noun or not adj.endswith(cut):
            continue
        stem = adj[: -len(cut)]
        out += [stem + f for f in forms[1:]]
    return out


def nominatives(word: str, lang: str, limit: int = 5) -> list[str]:
    """The word and its nominative readings, lower case, most likely first: pymorphy3's normal form; for an
    adjective the nominative of the same gender ("Вторая" stays "вторая", "Первом" → "первое"); for a noun also the
    plural nominative, since many names are plural ("Крынок" → "крынки")."""
    from sitrep.slavic import analyzer

    out = [word.lower()]
    for parse in analyzer("uk" if lang == "uk" else "ru").parse(word)[:3]:
        if parse.tag.POS in ("ADJF", "PRTF"):
            form = parse.inflect({"nomn", parse.tag.gender} if parse.tag.gender else {"nomn"})
            cands = [form.word if form else parse.normal_form]
        else:
            plural = parse.inflect({"plur", "nomn"})
            cands = [parse.normal_form] + ([plural.word] if plural else [])
        out += [c for c in cands if c not in out]
    return out[:limit]
