"""Where an event happened: the places of the document indexed once by sentence, the most specific and nearest
place of the event's clause chosen, a coordinated list of places giving one event per place."""
from __future__ import annotations

import bisect
import re

from sitrep.extract.base import Context

PRECISION_RANK = {"exact": 6, "settlement": 5, "admin3": 4, "admin2": 3, "admin1": 2, "country": 1, "unresolved": 0}
KIND_RANK = {"settlement": 5, "feature": 5, "district": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 1,
             "unknown": 2}
LIST_GAP = re.compile(r"^\s*(?:,|and|or|&|, and|, or|as well as)\s*$", re.IGNORECASE)
QUALIFIER_AFTER = re.compile(r"^\s*(?:region|oblast|district|raion|province|governorate|area)\b", re.IGNORECASE)
ATTEMPT_WORDS = re.compile(r"\b(?:attempt(?:ed|ing)?|tr(?:y|ied|ying)|fail(?:ed|ing)?|push(?:ed|ing)?|bid)\s+(?:to\s+)?"
                           r"(?:take|capture|seize|storm|encircle|advance|break through|reach|surround)\w*", re.I)
AREA_KINDS = {"admin1", "admin2", "region", "country"}
OWN_POINT = {"exact", "settlement"}  # a settlement placed at its own point, not at its oblast's
DIRECTION_AFTER = re.compile(r"^\s+(?:direction|axis|sector|front)\b", re.I)
DIRECTION_BEFORE = re.compile(r"\b(?:in|on|towards?) the direction of\s+$", re.I)


class Containment:
    """Whether a span lies inside one of a set of spans, in O(log n): spans sorted by start, with the running
    maximum of their ends."""

    def __init__(self, spans) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end: list[int] = []
        self.ends_at: dict[int, int] = {}
        top = -1
        for s, e in spans:
            top = max(top, e)
            self.max_end.append(top)
            self.ends_at[s] = max(self.ends_at.get(s, -1), e)

    def contains(self, start: int, end: int, strictly_longer: bool = False) -> bool:
        if not strictly_longer:
            k = bisect.bisect_right(self.starts, start)
            return k > 0 and self.max_end[k - 1] >= end
        k = bisect.bisect_left(self.starts, start)  # spans starting before `start`
        if k > 0 and self.max_end[k - 1] >= end:
            return True
        return self.ends_at.get(start, -1) > end


class Places:
    """Mixin of EventsExtractor (its lexicon data is set up in EventsExtractor.__init__)."""

    def _index_places(self, ctx: Context) -> list[dict]:
        """Places (from ctx.places, else spaCy's GPE/LOC entities) with their head token."""
        doc = ctx.doc
        blocked = [(e.start, e.end) for e in ctx.entities if e.type in ("agency", "organisation", "armed_group",
                                                                          "military_unit", "role")]
        out = []
        in_blocked = Containment(blocked)
        in_longer_place = Containment([(p.start, p.end) for p in ctx.places])
        for i, p in enumerate(ctx.places):
            if in_blocked.contains(p.start, p.end):
                continue
            if in_longer_place.contains(p.start, p.end, strictly_longer=True):
                continue  # "Kramatorsk" inside "Kramatorsk district": the district is the place
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            prec = getattr(p, "precision", "unresolved") or "unresolved"
            # how specific the place is: its kind (a village placed only at its oblast is still a village)
            rank = KIND_RANK.get(p.kind, 2) if p.kind != "unknown" else PRECISION_RANK.get(prec, 0)
            out.append({"index": i, "start": p.start, "end": p.end, "name": p.name or p.text, "head": span.root,
                        "rank": rank, "kind": p.kind, "lat": p.lat, "lon": p.lon, "tok_start": span.start,
                        "tok_end": span.end, "admin1": p.admin1, "precision": prec})
        if not ctx.places:
            for ent in doc.ents:
                if ent.label_ not in ("GPE", "LOC", "FAC"):
                    continue
                if in_blocked.contains(ent.start_char, ent.end_char):
                    continue
                low = ent.text.lower()
                if low.endswith(("ian", "ians", "ean", "ese")) and self.actors.nationality.get(low):
                    continue
                rank = 1 if low in ("russia", "ukraine", "the russian federation") else 3
                out.append({"index": None, "start": ent.start_char, "end": ent.end_char, "name": ent.text,
                            "head": ent.root, "rank": rank, "kind": "unknown", "lat": None, "lon": None,
                            "tok_start": ent.start, "tok_end": ent.end})
            # names coordinated with a place are places too ("shelled Dibrovne, Dolyna and Chepil")
            seen = {p["head"].i for p in out}
            for p in list(out):
                for tok in list(p["head"].conjuncts):
                    if tok.pos_ == "PROPN" and tok.i not in seen and tok.ent_type_ not in ("DATE", "TIME") \
                            and not self.actors.nationality.get(tok.lower_):
                        left = min(t.i for t in tok.subtree if t.dep_ == "compound" or t.i == tok.i)
                        span = doc[left:tok.i + 1]
                        seen.add(tok.i)
                        out.append({"index": None, "start": span.start_char, "end": span.end_char, "name": span.text,
                                    "head": tok, "rank": p["rank"], "kind": "unknown", "lat": None, "lon": None,
                                    "tok_start": span.start, "tok_end": span.end})
        out.sort(key=lambda p: p["start"])
        # look-up indexes, so that each event's place search is a slice, not a scan of the whole document
        self._place_starts = [p["start"] for p in out]
        self._place_by_head = {p["head"].i: p for p in out}
        return out

    def _places_in(self, sent) -> list[dict]:
        """The indexed places that start inside the sentence."""
        lo = bisect.bisect_left(self._place_starts, sent.start_char)
        hi = bisect.bisect_left(self._place_starts, sent.end_char)
        return self._place_tokens[lo:hi]

    def _places_for(self, ctx, sent, scope, head, actor_tok=None, movement: bool = False) -> list[dict]:
        cands = [p for p in self._places_in(sent) if not (actor_tok is not None and p["head"].i == actor_tok.i)]
        if not cands:
            return []
        att = None
        scored = []
        for p in cands:
            h = p["head"]
            in_scope = h.i in scope
            ancestors = {a.i for a in h.ancestors}
            direct = head.i in ancestors and all(
                a.pos_ not in ("VERB", "AUX") for a in h.ancestors if a.i != head.i and head.i in {x.i for x in a.ancestors})
            score = (3 if direct else 0) + (2 if in_scope else 0) + p["rank"] * 0.6 - abs(h.i - head.i) / 40
            if movement and (DIRECTION_AFTER.match(ctx.text[p["end"]:p["end"] + 20])
                             or DIRECTION_BEFORE.search(ctx.text[max(0, p["start"] - 30):p["start"]])):
                score += 2  # "advancing in the Slovyansk direction … were forced to withdraw": the axis
            if not in_scope:
                continue  # a place outside the event's clause is where something else happened
            scored.append((score, p))
        if not scored:
            return []
        scored.sort(key=lambda sp: -sp[0])
        best = scored[0][1]
        if scored[0][0] < 0 and len(scored) > 0 and best["head"].i not in scope:
            # only places outside the clause: keep the nearest settlement-like one
            pass
        group = self._coordinated(ctx, cands, best)
        return group

    def _settlement_named_with(self, ctx, sent, places: list[dict]) -> list[dict]:
        """An event placed only at an oblast (or nowhere) takes the first settlement with its own point that its
        sentence or the next one in the same paragraph names inside that oblast: "у Харківській області … Окупанти
        обстріляли Вовчанськ", "in the Donetsk region. The village of X …" — the report's own detail."""
        if any(p["kind"] not in AREA_KINDS for p in places):
            return places
        oblasts = {p["admin1"] or p["name"] for p in places}
        nxt = ctx.sentence_at(sent.end_char + 1) if sent.end_char < len(ctx.text) else None
        sents = [sent] + ([nxt] if nxt is not None and nxt.start_char >= sent.end_char
                          and "\n\n" not in ctx.text[sent.end_char:nxt.start_char] else [])
        for s in sents:
            for p in self._places_in(s):
                if p["kind"] == "settlement" and p["lat"] is not None and p["precision"] in OWN_POINT \
                        and (not oblasts or p["admin1"] in oblasts):
                    return [p]
        return places

    def _failed_objective(self, ctx, sent) -> list[dict]:
        """A retreat with no place of its own retreats from what the sentence says was being attacked: "after
        attempting to take the capital, Kyiv, … forced into a retreat", "withdrew after failing to capture X"."""
        if not ATTEMPT_WORDS.search(sent.text):
            return []
        cands = [p for p in self._places_in(sent) if p["rank"] >= 2]
        return sorted(cands, key=lambda p: -p["rank"])[:1]

    def _coordinated(self, ctx, cands, best) -> list[dict]:
        text = ctx.text
        ordered = sorted(cands, key=lambda p: p["start"])
        i = ordered.index(best)
        run = [best]
        j = i
        while j + 1 < len(ordered):
            gap = text[ordered[j]["end"]:ordered[j + 1]["start"]]
            if not LIST_GAP.match(gap) or QUALIFIER_AFTER.match(text[ordered[j + 1]["end"]:]):
                break
            if ordered[j + 1]["rank"] < best["rank"] - 1:
                break  # "Popasna, Luhansk": a region qualifying a settlement
            run.append(ordered[j + 1])
            j += 1
        j = i
        while j - 1 >= 0:
            gap = text[ordered[j - 1]["end"]:ordered[j]["start"]]
            if not LIST_GAP.match(gap) or QUALIFIER_AFTER.match(text[ordered[j]["end"]:]):
                break
            if ordered[j - 1]["rank"] < best["rank"] - 1 or best["rank"] < ordered[j - 1]["rank"] - 1:
                break
            run.insert(0, ordered[j - 1])
            j -= 1
        return run
