"""Resolution: which gazetteer place a mention stands for, among same-name candidates (47 Hryhorivkas).

Evidence, strongest first: an oblast or raion named next to the mention ("Spirne, Donetsk Oblast", "the village
of X in the Kharkiv region"); the oblasts of the document's unambiguous places; closeness to those places (prefer the
candidate that keeps the document's places together); size. When the evidence does not single one candidate out,
the place falls back to the coarser level that is certain: its oblast's centre with precision "admin1" when every
remaining candidate is in one oblast, else unresolved — never a guess.
"""
from __future__ import annotations

import math
import re

from sitrep.geo.gazetteer import KIND_RANK, GazPlace, Gazetteer
from sitrep.geo.recognize import Mention
from sitrep.geo.translit import romanise_uk

LOCAL_WINDOW = 80          # characters after a mention in which an oblast/raion qualifies it
NEAR_KM = 60
CLEAR_MARGIN = 1.0
QUALIFYING_GAP = re.compile(r"^\s*(?:,|\(|\bin\b|\bof\b|\bnear\b)?\s*(?:the\s+)?$", re.I)         # score lead a candidate needs over the next to be chosen


def _anchor(m: Mention) -> GazPlace | None:
    """The place a mention certainly is, without document context."""
    c = m.candidates
    if not c:
        return None
    if len(c) == 1:
        return c[0]
    if m.admin_suffix and c[0].kind in ("admin1", "admin2"):
        return c[0]
    pops = sorted(((p.population or 0) for p in c), reverse=True)
    second = pops[1] if len(pops) > 1 else 0
    # a town that dwarfs its namesakes (Huliaipole the town, not the hamlets)
    if (pops[0] >= 50_000 and pops[0] >= 5 * second) or (pops[0] >= 5_000 and pops[0] >= 10 * second):
        return max(c, key=lambda p: p.population or 0)
    return None


def _score(p: GazPlace, local_a1: set[str], local_a2: set[str], doc_a1: dict[str, int],
           anchors: list[GazPlace]) -> float:
    s = 0.2 * KIND_RANK.get(p.kind, 0) + 0.15 * math.log10((p.population or 0) + 1)
    if local_a1:
        s += 3.0 if p.admin1 in local_a1 else -2.0
    if local_a2 and p.admin2 in local_a2:
        s += 1.5
    if doc_a1:
        s += 1.5 * doc_a1.get(p.admin1, 0) / max(doc_a1.values())
    if anchors and p.lat is not None:
        d = min((p.distance_km(a) or 1e4) for a in anchors)
        s += 1.0 if d <= NEAR_KM else (0.4 if d <= 2 * NEAR_KM else 0.0)
    if p.precision in ("settlement", "exact"):
        s += 0.3
    return s


def resolve(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[tuple[Mention, GazPlace | None, str]]:
    """(mention, chosen place or None, how) for every mention; `how` says why (for evidence and debugging)."""
    anchors: dict[int, GazPlace] = {}
    for i, m in enumerate(mentions):
        a = _anchor(m)
        if a is not None:
            anchors[i] = a
    # the oblasts the document is about
    doc_a1: dict[str, int] = {}
    for a in anchors.values():
        if a.country == "UA" and a.admin1:
            doc_a1[a.admin1] = doc_a1.get(a.admin1, 0) + 1
    anchor_points = [a for a in anchors.values() if a.kind == "settlement" and a.lat is not None and a.country == "UA"]

    out = []
    for i, m in enumerate(mentions):
        if not m.candidates:
            out.append((m, None, "not in gazetteer"))
            continue
        local_a1, local_a2 = set(), set()
        for j, other in enumerate(mentions):
            if other is m or not (0 <= other.start - m.end <= LOCAL_WINDOW):
                continue
            if not QUALIFYING_GAP.match(text[m.end:other.start]):
                continue  # only "X, Donetsk Oblast", "X in the Kharkiv region", "X of Donetsk region" qualify X
            o = anchors.get(j)
            if o and o.kind == "admin1":
                local_a1.add(o.name)
            elif o and o.kind == "admin2":
                local_a2.add(o.name)
                local_a1.add(o.admin1)
        if i in anchors and not (local_a1 and anchors[i].admin1 not in local_a1 and len(m.candidates) > 1):
            out.append((m, anchors[i], "unambiguous"))
            continue
        others = [a for j, a in anchors.items() if j != i and a.kind == "settlement" and a.lat is not None]
        scored = sorted(((_score(p, local_a1, local_a2, doc_a1, others or anchor_points), p) for p in m.candidates),
                        key=lambda sp: -sp[0])
        best_s, best = scored[0]
        runner = scored[1][0] if len(scored) > 1 else -1e9
        if best_s - runner >= CLEAR_MARGIN:
            out.append((m, best, "context"))
            continue
        tied = [p for s, p in scored if best_s - s < CLEAR_MARGIN]
        oblasts = {p.admin1 for p in tied}
        if len(oblasts) == 1 and None not in oblasts:
            out.append((m, _at_admin1(gaz, best), "oblast only"))
        else:
            out.append((m, _unresolved(best), "ambiguous"))
    return out


def _at_admin1(gaz: Gazetteer, p: GazPlace) -> GazPlace:
    """The place's name and oblast, at its oblast's point: all that is certain."""
    unit = gaz.admin1_place(p.admin1) if p.admin1 else None
    return GazPlace(id=None, name=p.name, kind=p.kind, country=p.country, admin1=p.admin1, admin2=None, admin3=None,
                    lat=unit.lat if unit else None, lon=unit.lon if unit else None,
                    precision="admin1" if unit else "unresolved", population=None, feature_class=p.feature_class)


def _unresolved(p: GazPlace) -> GazPlace:
    name = romanise_uk(p.uk) if p.uk else p.name
    return GazPlace(id=None, name=name, kind=p.kind, country=p.country, admin1=None, admin2=None, admin3=None,
                    lat=None, lon=None, precision="unresolved", population=None, feature_class=p.feature_class)
