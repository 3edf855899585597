"""Event coreference inside a document: a later mention of an event already told — a definite event noun ("the
shelling", "as a result of the strike", "the attack injured three people") or a consequence clause ("…, killing two
civilians") — joins the nearest earlier event it can refer to: same type family (`coreference.families` of
`lexicons/events.yaml`; a generic cue such as "attack" or "strike" may refer to any violent family), a compatible
place (none of its own, or the same) and a compatible date (none of its own, or the same). The joined event keeps
every evidence span (`mentions`), takes the mention's figures (a restated figure counts once) and, when it had
none, the mention's place and targets.
"""
from __future__ import annotations


class Coreference:
    def __init__(self, spec: dict) -> None:
        self.definite = {str(w).lower() for w in spec["definite"]}
        self.family_of: dict[str, set[str]] = {}
        for family, types in spec["families"].items():
            for t in types:
                self.family_of.setdefault(t, set()).add(family)
        self.generic_families = set(spec["generic_families"])
        self.consequence_verbs = {str(w).lower() for w in spec["consequence_verbs"]}
        self.window = int(spec["window"])

    # ------------------------------------------------------------------------------------------------
    def is_consequence(self, cand: dict, others: list[dict]) -> dict | None:
        """The event of the same sentence whose clause holds this one's casualty verb ("shelled X, killing two"),
        or None."""
        head = cand["head"]
        if cand["cue_kind"] != "generic" or head.lemma_.lower() not in self.consequence_verbs:
            return None
        for other in others:
            if other is cand or other["cue_kind"] == "generic" and other["head"].lemma_.lower() in self.consequence_verbs:
                continue
            if other["si"] == cand["si"] and head.i in other["scope"] and self.families(other) & self._violent():
                return other
        return None

    def is_anaphoric(self, cand: dict) -> bool:
        """A definite event noun ("the shelling", "this attack") or an event verb whose subject is one ("the strike
        killed a resident")."""
        head = cand["head"]
        nouns = [head]
        if head.pos_ in ("VERB", "AUX"):
            nouns = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for noun in nouns:
            if noun.pos_ not in ("NOUN", "PROPN"):
                continue
            if any(c.dep_ in ("det", "poss") and c.lower_ in self.definite for c in noun.children):
                return True
        return False

    def families(self, cand: dict) -> set[str]:
        if cand["cue_kind"] == "generic" and not cand.get("instrument"):
            return set(self.generic_families)
        return set(self.family_of.get(cand["type"], ()))

    def _violent(self) -> set[str]:
        return set(self.generic_families)

    @staticmethod
    def _place_key(cand):
        p = cand.get("place")
        return None if p is None else (p.get("index") if p.get("index") is not None else p["name"].lower())

    def compatible(self, antecedent: dict, mention: dict) -> bool:
        if antecedent["mode"] is not None or mention["mode"] is not None:
            return False
        if not (self.families(antecedent) & self.families(mention)):
            return False
        pm, pa = self._place_key(mention), self._place_key(antecedent)
        if pm is not None and pa is not None and pm != pa:
            return False
        dm, da = mention.get("date"), antecedent.get("date")
        if dm and da and not mention.get("date_inherited") and dm.get("date") != da.get("date"):
            return False
        sides_m = {a.side for a in mention["actors"] if a.side}
        sides_a = {a.side for a in antecedent["actors"] if a.side}
        if sides_m and sides_a and not sides_m & sides_a:
            return False
        return True

    # ------------------------------------------------------------------------------------------------
    def join(self, found: list[dict]) -> list[dict]:
        """`found` (candidate events in document order) with every mention joined to its antecedent."""
        ordered = sorted(found, key=lambda c: c["start"])
        kept: list[dict] = []
        by_sentence: dict[int, list[dict]] = {}
        for cand in ordered:
            by_sentence.setdefault(cand["si"], []).append(cand)
        for cand in ordered:
            target = self.is_consequence(cand, by_sentence[cand["si"]])
            if target is None and self.is_anaphoric(cand):
                target = self._antecedent(cand, kept)
            if target is None or target is cand or target.get("joined_into") is not None:
                kept.append(cand)
                continue
            self._merge(target, cand)
        return kept

    def _antecedent(self, cand: dict, kept: list[dict]) -> dict | None:
        for prev in reversed(kept):
            if prev["si"] >= cand["si"]:
                continue  # an antecedent is told before, in an earlier sentence
            if cand["si"] - prev["si"] > self.window or prev["para"] != cand["para"] and cand["si"] - prev["si"] > 1:
                return None
            if self.compatible(prev, cand):
                return prev
        return None

    @staticmethod
    def _merge(target: dict, mention: dict) -> None:
        mention["joined_into"] = target
        ev = mention["evidence"]
        target.setdefault("mentions", []).append(
            {"start": ev.start, "end": ev.end, "text": ev.text, "cue": mention["cue"], "cue_start": mention["start"]})
        target["mentions"].extend(mention.get("mentions", []))
        for kind, value in mention["fatalities"].items():
            # a figure restated by the mention counts once; a larger one is the updated toll
            target["fatalities"][kind] = max(target["fatalities"].get(kind, 0), value)
        for key in ("fatality_claims",):
            if mention.get(key) and not target.get(key):
                target[key] = mention[key]
        if target.get("place") is None and mention.get("place") is not None:
            target["place"] = mention["place"]
        if not target["targets"] and mention["targets"]:
            target["targets"] = mention["targets"]
        if not target["actors"] and mention["actors"]:
            target["actors"] = mention["actors"]
        target["score"] = max(target["score"], mention["score"])
