"""Resolution: which gazetteer place a mention stands for, among same-name candidates (47 Hryhorivkas), and how sure.

Evidence is gathered per mention (sitrep.geo.rank.Evidence) and scored there: the qualifier right after the name
("Spirne, Donetsk Oblast", "X, Sumy" — a bare oblast name or oblast centre after a settlement is the oblast —,
"X of the Bakhmut hromada", "X near Y"), direction and axis phrases, the document's certain places near the mention in
the text (the nearest namesake), their oblasts, the conflict prior (sitrep.geo.prior), then size. A name no spelling
rule produced is looked up by edit distance inside the qualifying oblast. The chosen candidate keeps its own point
when its probability clears rank.CONFIDENT; below it the place keeps its oblast's point (precision "admin1") when the
oblast is that sure, else it stays unresolved; either way the candidates are listed as alternatives.

Every look-up is windowed (qualifiers within LOCAL_WINDOW characters after the mention, context within
CONTEXT_WINDOW characters around it), so a document's cost grows linearly with its length.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from sitrep.geo.db import GazPlace
from sitrep.geo.gazetteer import Gazetteer
from sitrep.geo.rank import (CITY_DISTRICT, CONFIDENT, POINT_WITHIN_10KM, REGION_SIZE, Evidence, admin1_share,
                             located, oblast_share, rank)
from sitrep.geo.recognize import Mention
from sitrep.geo.translit import is_cyrillic, romanise_uk

LOCAL_WINDOW = 80          # characters after a mention in which an oblast/raion qualifies it
CONTEXT_WINDOW = 3000      # characters either side whose certain places are the mention's context
MAX_ALTERNATIVES = 5
MAX_CONTEXT = 16           # distinct context places compared with each candidate
PROVISIONAL = 0.6          # a likely place (not certain) is context for its neighbours
QUALIFYING_GAP = re.compile(r"^\s*(?:,|\(|\bin\b|\bof\b|\bnear\b|-|–|—)?\s*(?:the\s+)?$", re.I)
BARE_GAP = re.compile(r"^\s*(?:,|\()\s*$")        # "X, Sumy", "X (Donetsk)"
NEAR_GAP = re.compile(r"^\s*,?\s*(?:near|outside|close to|next to|not far from|south of|north of|east of|west of|"
                      r"(?:north|south)-?(?:east|west) of|біля|поблизу|під|возле|около|под)\s+(?:the\s+)?"
                      r"(?:(?:village|town|city|settlement)\s+of\s+)?$", re.I)
CITY_BEFORE_GAP = re.compile(r"^\s*(?:[-–—,:]|'s|’s)?\s*(?:the\s+)?$", re.I)  # "Donetsk - X", "Kyiv's X"
LIST_AFTER = re.compile(r"^\s*(?:,|and\b|or\b|&|і\b|и\b|та\b)", re.I)
DIRECTION_CUES = {"direction", "axis", "front", "sector", "frontline", "напрямок", "напрямку", "направление",
                  "направлении"}


@dataclass
class Resolution:
    mention: Mention
    place: GazPlace | None
    how: str
    confidence: float | None = None     # how sure the point is (sitrep.geo.rank.located)
    alternatives: list[tuple[GazPlace, float]] = field(default_factory=list)
    admin1_confidence: float | None = None  # how sure the first-level unit (oblast, state) is


def _anchor(m: Mention) -> GazPlace | None:
    """The place a mention certainly is, without document context."""
    c = m.candidates
    if not c:
        return None
    if len(c) == 1:
        return c[0]
    if m.admin_suffix and c[0].kind in ("admin1", "admin2"):
        return c[0]
    if is_cyrillic(m.key) and any(p.kind == "admin1" for p in c):
        return next(p for p in c if p.kind == "admin1")  # Харківщина, Донеччина: the oblast, not a village
    pops = sorted((_size(p) for p in c), reverse=True)
    second = pops[1] if len(pops) > 1 else 0
    # a town that dwarfs its namesakes (Huliaipole the town, not the hamlets; Maine the state, not a suburb)
    if (pops[0] >= 50_000 and pops[0] >= 5 * second) or (pops[0] >= 5_000 and pops[0] >= 10 * second):
        return max(c, key=_size)
    return None


def _size(p: GazPlace) -> float:
    """Population, with a first-level unit abroad that has none counted as big (rank.REGION_SIZE)."""
    if p.kind == "admin1" and p.country != "UA" and not p.population:
        return 10 ** REGION_SIZE
    return p.population or 0


def _oblast_named(gaz: Gazetteer, m: Mention) -> GazPlace | None:
    """The oblast a bare name stands for when it qualifies another place ("X, Sumy" → Sumy Oblast)."""
    if m.admin_suffix:
        return None
    found = [p for p in gaz.lookup(m.key + " oblast") if p.kind == "admin1"]
    return found[0] if found else None


def resolve(text: str, mentions: list[Mention], gaz: Gazetteer, prior=None) -> list[Resolution]:
    """A Resolution for every mention (in the order given)."""
    anchors: dict[int, GazPlace] = {}
    for i, m in enumerate(mentions):
        a = _anchor(m)
        if a is not None:
            anchors[i] = a

    # qualifiers: what follows each mention within LOCAL_WINDOW, chained ("X, Bakhmut raion, Donetsk Oblast")
    evidence = [Evidence(prior=prior) for _ in mentions]
    as_oblast: dict[int, GazPlace] = {}
    for i, m in enumerate(mentions):
        ev = evidence[i]
        prev_end = m.end
        for j in range(i + 1, len(mentions)):
            other = mentions[j]
            if other.start - m.end > LOCAL_WINDOW:
                break
            gap = text[prev_end:other.start]
            o = anchors.get(j)
            if NEAR_GAP.match(gap) and o is not None and o.kind == "settlement":
                ev.near.append(o)
                break
            if not QUALIFYING_GAP.match(gap):
                break
            if o is not None and o.kind == "settlement" and _district_of(m, o):
                ev.cities.add(o.id)  # "Kyivskyi district, Kharkiv": the city, not the oblast
                break
            oblast = _oblast_named(gaz, other) if BARE_GAP.match(gap) else None
            if oblast is not None and _bare_oblast_qualifies(text, mentions, i, j, anchors, oblast):
                ev.admin1.add(oblast.name)
                as_oblast[j] = oblast
            elif o and o.kind == "admin1":
                ev.admin1.add(o.name)
            elif o and o.kind == "admin2":
                ev.admin2.add(o.name)
                ev.admin1.add(o.admin1)
            elif o and o.kind == "district" and o.feature_class != CITY_DISTRICT:
                ev.admin3.add(o.name)
                ev.admin1.add(o.admin1)
            else:
                break
            prev_end = other.end

    # a district after its city: "Donetsk - Voznesenskyi", "Kharkiv's Kyivskyi district", "in Kyiv, the Pecherskyi
    # district"
    for i, m in enumerate(mentions):
        if i == 0 or not any(p.feature_class == CITY_DISTRICT for p in m.candidates):
            continue
        for j in range(i - 1, -1, -1):
            prev = mentions[j]
            if m.start - prev.end > LOCAL_WINDOW:
                break
            o = anchors.get(j)
            if o is not None and o.kind == "settlement" and _district_of(m, o) and \
                    CITY_BEFORE_GAP.match(text[prev.end:m.start]):
                evidence[i].cities.add(o.id)
                break

    # second pass: a place its own qualifiers (or a Ukrainian framing) make likely enough is context for the others
    for i, m in enumerate(mentions):
        if i in anchors or i in as_oblast or not m.candidates:
            continue
        ev = evidence[i]
        ev.key = m.key
        ev.ukraine = bool(m.cue and m.cue.lower() in DIRECTION_CUES) or is_cyrillic(m.key)
        best, p = rank(m.candidates, ev)[0]
        if p >= PROVISIONAL:
            anchors[i] = best

    # certain places, in text order, for windowed context
    order = sorted((mentions[i].start, i) for i, a in anchors.items() if i not in as_oblast)
    starts = [s for s, _ in order]
    directions = [(mentions[i].start, anchors[i]) for i, m in enumerate(mentions)
                  if i in anchors and m.cue and m.cue.lower() in DIRECTION_CUES and anchors[i].kind == "settlement"]
    dir_starts = [s for s, _ in directions]

    out: list[Resolution] = []
    for i, m in enumerate(mentions):
        ev = evidence[i]
        if i in as_oblast:
            out.append(Resolution(m, as_oblast[i], "qualifier", 0.95, admin1_confidence=0.95))
            continue
        a = anchors.get(i)
        if a is not None and a.kind in ("admin1", "admin2") and len(m.candidates) > 1 and not ev.admin1 and \
                (m.admin_suffix or is_cyrillic(m.key)):
            # "Kharkiv region", Харківщина: the unit, whatever villages share the word
            out.append(Resolution(m, a, "admin unit", 0.95, admin1_confidence=0.95))
            continue
        cands = m.candidates
        fuzzy = False
        if not cands and (ev.admin1 or m.cue or m.spacy_label):
            cands = gaz.lookup_fuzzy(m.key, ev.admin1 or None) if (ev.admin1 or m.cue) else []
            fuzzy = bool(cands)
        if not cands:
            out.append(Resolution(m, None, "not in gazetteer"))
            continue
        lo = bisect.bisect_left(starts, m.start - CONTEXT_WINDOW)
        hi = bisect.bisect_right(starts, m.start + CONTEXT_WINDOW)
        context = [anchors[j] for _, j in order[lo:hi] if j != i]
        ev.context = _unique([a for a in context if a.kind == "settlement" and a.lat is not None], MAX_CONTEXT)
        for a in context:
            if a.country == "UA" and a.admin1:
                ev.doc_admin1[a.admin1] = ev.doc_admin1.get(a.admin1, 0) + 1
            elif a.country and a.admin1:
                ev.doc_regions[a.admin1] = ev.doc_regions.get(a.admin1, 0) + 1
            if a.country:
                ev.doc_countries[a.country] = ev.doc_countries.get(a.country, 0) + 1
        ev.doc_admin1, ev.doc_regions, ev.doc_countries = (_normalised(d) for d in (
            ev.doc_admin1, ev.doc_regions, ev.doc_countries))
        lo = bisect.bisect_left(dir_starts, m.start - CONTEXT_WINDOW)
        hi = bisect.bisect_right(dir_starts, m.start + CONTEXT_WINDOW)
        ev.directions = _unique([p for _, p in directions[lo:hi]], MAX_CONTEXT)
        ev.key = m.key
        ev.ukraine = bool(m.cue and m.cue.lower() in DIRECTION_CUES) or is_cyrillic(m.key)
        out.append(_decide(gaz, m, cands, ev, anchors.get(i), fuzzy))
    return out


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights relative to the largest (the unit or country the surrounding text is most about counts 1)."""
    top = max(weights.values(), default=0)
    return {k: v / top for k, v in weights.items()} if top else {}


def _district_of(m: Mention, city: GazPlace) -> bool:
    """One of the mention's candidates is a district of `city`."""
    return any(p.feature_class == CITY_DISTRICT and p.parent == city.id for p in m.candidates)


def _unique(places: list[GazPlace], limit: int) -> list[GazPlace]:
    """Distinct places (a name repeated through a long text counts once), at most `limit`."""
    seen, out = set(), []
    for p in places:
        key = p.id or (p.lat, p.lon)
        if key not in seen:
            seen.add(key)
            out.append(p)
            if len(out) >= limit:
                break
    return out


def _bare_oblast_qualifies(text: str, mentions: list[Mention], i: int, j: int, anchors: dict[int, GazPlace],
                           oblast: GazPlace) -> bool:
    """'X, Donetsk' names X's oblast unless it is a list of cities ("Kyiv, Kharkiv and Odesa") or X is certainly
    elsewhere."""
    m, other = mentions[i], mentions[j]
    if not any(p.admin1 == oblast.name for p in m.candidates) and m.candidates:
        return False
    a = anchors.get(i) if len(m.candidates) == 1 else None  # a size-dominant namesake is no proof
    if a is not None and (a.admin1 != oblast.name or a.kind != "settlement" or (a.population or 0) >= 100_000):
        return False
    if j + 1 < len(mentions) and mentions[j + 1].start - other.end < 30 and \
            LIST_AFTER.match(text[other.end:mentions[j + 1].start]):
        return False
    if i > 0 and m.start - mentions[i - 1].end < 4 and LIST_AFTER.match(text[mentions[i - 1].end:m.start]):
        return False  # "Kupiansk, Izium, Kharkiv and ...": part of a list
    return True


def _how(ev: Evidence, n: int) -> str:
    if n == 1:
        return "unambiguous"
    if ev.admin1 or ev.admin2 or ev.admin3 or ev.cities:
        return "qualifier"
    if ev.near:
        return "neighbour"
    if ev.directions:
        return "direction"
    if ev.context or ev.doc_admin1 or ev.doc_regions:
        return "context"
    if ev.prior is not None and len(ev.prior):
        return "prior"
    return "population"


def _decide(gaz: Gazetteer, m: Mention, cands: list[GazPlace], ev: Evidence, anchor: GazPlace | None,
            fuzzy: bool) -> Resolution:
    ranked = rank(cands, ev)
    best, p = ranked[0]
    ranked_p = p
    if anchor is not None and len(cands) > 1 and best is anchor and not ev.admin1:
        p = max(p, 0.8)  # a town that dwarfs its namesakes, nothing said against it
    alternatives = ranked[1:MAX_ALTERNATIVES + 1] if len(ranked) > 1 else []
    how = _how(ev, len(cands))
    if fuzzy:
        how, p = "spelling", p * 0.8
    elif len(cands) == 1:
        p = 0.97 if (m.is_place_by_context or m.admin_suffix) else 0.9
    p = round(p, 3)
    # the oblast is at least as sure as the place in it; the same adjustments (fuzzy, single candidate) apply
    scale = p / ranked_p if ranked_p else 1.0
    share = admin1_share(ranked, best.admin1)
    a1_conf = round(min(1.0, max(p, share * scale)), 3) if share is not None else None
    if p >= CONFIDENT or best.kind in ("country", "admin1", "region"):
        return Resolution(m, best, how, round(located(best, p), 3), alternatives, a1_conf)
    a1, share = oblast_share(ranked)
    if a1 and share >= CONFIDENT:
        # only the oblast is sure: its centre is the point, which is rarely within 10 km of the place meant
        return Resolution(m, _at_admin1(gaz, best, a1), "oblast only", round(share * POINT_WITHIN_10KM["admin1"], 3),
                          ranked[:MAX_ALTERNATIVES], round(min(1.0, share * scale), 3))
    return Resolution(m, _unresolved(best), "ambiguous", p, ranked[:MAX_ALTERNATIVES])


def _at_admin1(gaz: Gazetteer, p: GazPlace, admin1: str) -> GazPlace:
    """The place's name and oblast, at its oblast's point: all that is certain."""
    unit = gaz.admin1_place(admin1)
    return GazPlace(id=None, name=p.name, kind=p.kind, country=p.country, admin1=admin1, admin2=None, admin3=None,
                    lat=unit.lat if unit else None, lon=unit.lon if unit else None,
                    precision="admin1" if unit else "unresolved", population=None, feature_class=p.feature_class)


def _unresolved(p: GazPlace) -> GazPlace:
    name = romanise_uk(p.uk) if p.uk else p.name
    return GazPlace(id=None, name=name, kind=p.kind, country=p.country, admin1=None, admin2=None, admin3=None,
                    lat=None, lon=None, precision="unresolved", population=None, feature_class=p.feature_class)
