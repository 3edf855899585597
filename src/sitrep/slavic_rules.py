"""A rule-based clause parser for Ukrainian: parts of speech from pymorphy3's Ukrainian dictionary, UD trees by rules.

natasha's taggers and parser are trained on Russian and read Ukrainian words as unknown ones (on the Ukrainian
fixtures verbs came out as ADJ or ADP, and subjects as objects), so for Ukrainian `sitrep.slavic` keeps natasha's
tokens and sentences but takes the part of speech and features from pymorphy3 (where the dictionary knows the
word) and builds each sentence's tree with the rules here: clauses are the stretches between punctuation marks;
the clause's first finite verb (else its first noun) is its predicate; adjectives, numerals and determiners attach
to the noun they precede; a preposition is the `case` of the noun after it; a nominative noun is the predicate's
subject, an accusative one its object, a genitive one right after a noun that noun's `nmod`, others `obl`; the
first clause's predicate is the root and later predicates attach to it (`ccomp` after a complementiser, else
`parataxis`). It is meant for what the extractors read — who did what to whom, what a number counts, who spoke —
not as a general parser.
"""
from __future__ import annotations

MORPHY_TO_UPOS = {"NOUN": "NOUN", "ADJF": "ADJ", "ADJS": "ADJ", "COMP": "ADJ", "VERB": "VERB", "INFN": "VERB",
                  "PRTF": "VERB", "PRTS": "VERB", "GRND": "VERB", "NUMR": "NUM", "ADVB": "ADV", "NPRO": "PRON",
                  "PRED": "ADV", "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART", "INTJ": "INTJ"}
MORPHY_CASE = {"nomn": "Nom", "gent": "Gen", "datv": "Dat", "accs": "Acc", "ablt": "Ins", "loct": "Loc",
               "voct": "Voc"}
PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn"}
NOMINAL = ("NOUN", "PROPN", "PRON")
CLAUSE_BREAK = {",", ";", ":", "—", "–", "-", "«", "»", "\"", "“", "”", "„", "(", ")", ".", "!", "?", "…"}
COMPLEMENTISERS = {"що", "щоб", "чи", "як", "нібито", "начебто", "наче", "коли", "де", "якщо"}


def morph_features(parse) -> tuple[str, dict]:
    """(UPOS, UD features) of one pymorphy3 parse."""
    tag = parse.tag
    upos = MORPHY_TO_UPOS.get(tag.POS or "", "X")
    feats: dict[str, str] = {}
    if tag.case in MORPHY_CASE:
        feats["Case"] = MORPHY_CASE[tag.case]
    if tag.number:
        feats["Number"] = "Plur" if tag.number == "plur" else "Sing"
    if tag.gender:
        feats["Gender"] = {"masc": "Masc", "femn": "Fem", "neut": "Neut"}.get(tag.gender, "")
    if tag.POS in ("VERB", "INFN", "PRTF", "PRTS", "GRND"):
        if tag.POS == "INFN" or "infn" in tag.grammemes:  # the Ukrainian dictionary tags it VERB + infn
            feats["VerbForm"] = "Inf"
        elif tag.POS in ("PRTF", "PRTS") or "Impe" in tag.grammemes:
            feats["VerbForm"], feats["Voice"] = "Part", "Pass"
        elif tag.POS == "GRND":
            feats["VerbForm"] = "Conv"
        else:
            feats["VerbForm"] = "Fin"
        if tag.tense:
            feats["Tense"] = {"past": "Past", "pres": "Pres", "futr": "Fut"}[tag.tense]
        if tag.person:
            feats["Person"] = tag.person[0]
        if "pssv" in tag.grammemes:
            feats["Voice"] = "Pass"
    if "pssv" in tag.grammemes and tag.POS in ("ADJF", "ADJS"):
        upos, feats["VerbForm"], feats["Voice"] = "VERB", "Part", "Pass"
    return upos, {k: v for k, v in feats.items() if v}


def retag(word: str, upos: str, feats: dict, morph, sentence_initial: bool) -> tuple[str, dict]:
    """The part of speech and features of a Ukrainian word from pymorphy3: the dictionary's analysis agreeing best
    with `upos`/`feats` (hints, may be empty), else its guess for an unknown word; punctuation and numbers by
    their characters."""
    if not any(ch.isalpha() for ch in word):
        if any(ch.isdigit() for ch in word):
            return "NUM", feats
        return ("PUNCT" if all(not ch.isalnum() for ch in word) else "SYM"), feats
    if not any("\u0400" <= ch <= "\u04ff" for ch in word):
        return ("PROPN" if word[:1].isupper() else "X"), feats
    parses = morph.parse(word)
    if not morph.word_is_known(word):
        pos, f = morph_features(parses[0]) if parses else ("X", {})
        if word[:1].isupper() and not sentence_initial or parses and parses[0].tag.grammemes & PROPER:
            pos = "PROPN"
        return (pos if pos != "X" else upos), f
    want_case = feats.get("Case")

    def score(p):
        pos, f = morph_features(p)
        return (pos == upos) + 0.5 * (want_case is not None and f.get("Case") == want_case)

    best = max(parses, key=score)
    pos, f = morph_features(best)
    if pos == "NOUN" and (best.tag.grammemes & PROPER or word[:1].isupper() and not sentence_initial):
        pos = "PROPN"
    return pos, f


def parse_clauses(words: list[str], pos: list[str], feats: list[dict], start: int, end: int,
                  heads: list[int], rels: list[str]) -> None:
    """Rebuild heads/rels of tokens [start, end) (absolute indices) as a UD tree by the module's rules."""
    idx = [i for i in range(start, end) if pos[i] != "SPACE"]
    if not idx:
        return
    clauses: list[list[int]] = []
    cur: list[int] = []
    for i in idx:
        if pos[i] == "PUNCT" and words[i] in CLAUSE_BREAK:
            if cur:
                clauses.append(cur)
            clauses.append([i])
            cur = []
        else:
            cur.append(i)
    if cur:
        clauses.append(cur)

    def finite(i: int) -> bool:
        return pos[i] in ("VERB", "AUX") and feats[i].get("VerbForm") in ("Fin", "Part", None)

    predicates: list[int | None] = []
    for clause in clauses:
        if len(clause) == 1 and pos[clause[0]] == "PUNCT":
            predicates.append(None)
            continue
        pred = next((i for i in clause if finite(i)), None)
        if pred is None:
            pred = next((i for i in clause if pos[i] == "VERB"), None)
        if pred is None:
            pred = next((i for i in clause if pos[i] in ("NOUN", "PROPN")), clause[0])
        predicates.append(pred)
        _attach_clause(clause, pred, words, pos, feats, heads, rels)
    real = [p for p in predicates if p is not None]
    root = next((p for p in real if pos[p] == "VERB"), real[0] if real else idx[0])
    heads[root], rels[root] = root, "root"
    last_pred = root
    for clause, pred in zip(clauses, predicates):
        if pred is None:
            heads[clause[0]], rels[clause[0]] = last_pred, "punct"
            continue
        if pred != root:
            first = words[clause[0]].lower()
            heads[pred] = root
            rels[pred] = "ccomp" if first in COMPLEMENTISERS else ("conj" if pos[clause[0]] == "CCONJ" else "parataxis")
        last_pred = pred


def _attach_clause(clause, pred, words, pos, feats, heads, rels) -> None:
    """Heads inside one clause; everything ends up under `pred`."""
    n = len(clause)
    for k, i in enumerate(clause):  # an adjective with no noun after it is used as one ("загинули двоє цивільних")
        after = pos[clause[k + 1]] if k + 1 < n else None
        if pos[i] == "ADJ" and after not in ("NOUN", "PROPN", "ADJ") and i != pred:
            pos[i] = "NOUN"
    # noun phrase heads: the next nominal within three tokens for modifiers and prepositions
    for k, i in enumerate(clause):
        heads[i], rels[i] = pred, "dep"
    has_subj = False
    for k, i in enumerate(clause):
        if i == pred:
            continue
        p = pos[i]
        nxt = next((clause[m] for m in range(k + 1, min(n, k + 4)) if pos[clause[m]] in NOMINAL), None)
        if p == "ADP":
            if nxt is not None:
                heads[i], rels[i] = nxt, "case"
            continue
        if p in ("ADJ", "DET", "NUM") and nxt is not None and nxt != pred:
            heads[i], rels[i] = nxt, {"ADJ": "amod", "DET": "det", "NUM": "nummod"}[p]
            continue
        if p == "NUM" and nxt is None:
            rels[i] = "nummod" if pos[pred] in NOMINAL else "obl"
            continue
        if p == "PROPN" and k > 0 and pos[clause[k - 1]] == "PROPN" and heads[clause[k - 1]] != i:
            first = clause[k - 1]
            while rels[first] == "flat:name":
                first = heads[first]
            heads[i], rels[i] = first, "flat:name"
            continue
        if p in NOMINAL:
            case = feats[i].get("Case")
            j = k - 1  # the word before this noun's own modifiers
            while j >= 0 and heads[clause[j]] == i and rels[clause[j]] in ("amod", "det"):
                j -= 1
            prev = clause[k - 1] if k > 0 else None
            before = clause[j] if j >= 0 else None
            preposed = prev is not None and rels[prev] == "case" and heads[prev] == i
            counted = prev is not None and rels[prev] == "nummod" and heads[prev] == i
            if counted and case == "Gen":
                case = feats[prev].get("Case", "Nom")
            if preposed:
                rels[i] = "obl" if pos[pred] == "VERB" else "nmod"
            elif not has_subj and pos[pred] == "VERB" and (case == "Nom" or i < pred and case in ("Acc", None)):
                has_subj = True
                rels[i] = "nsubj:pass" if feats[pred].get("Voice") == "Pass" else "nsubj"
            elif case == "Gen" and before is not None and pos[before] in NOMINAL:
                heads[i], rels[i] = before, "nmod"
            elif pos[pred] == "VERB" and i > pred and (case == "Acc" or case == "Nom" and has_subj):
                rels[i] = "obj"
            else:
                rels[i] = "obl" if pos[pred] == "VERB" else "nmod"
            continue
        if p == "VERB":
            rels[i] = "xcomp" if feats[i].get("VerbForm") == "Inf" else "conj"
            continue
        if p in ("ADV", "PART"):
            rels[i] = "advmod"
            continue
        if p == "CCONJ":
            rels[i] = "cc"
            continue
        if p == "SCONJ":
            rels[i] = "mark"
            continue
        if p == "PUNCT":
            rels[i] = "punct"
