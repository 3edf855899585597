"""Ranking same-name candidates on evidence, and how sure the choice is: one scoring shared by `sitrep geocode`
and by place resolution in documents.

Evidence (see `Evidence`), strongest first: the oblast / raion / hromada named next to the mention ("X, Donetsk
Oblast", "X, Sumy", "X of the Bakhmut hromada"); a neighbouring settlement named with it ("X near Y"); direction and
axis phrases ("the Pokrovsk direction"); the document's other places (the nearest namesake) and oblasts; the
conflict prior (how many unambiguous events the store holds within 15 km, sitrep.geo.prior); then population and
whether the candidate has its own point. Scores become probabilities with a softmax (`rank`), so `confidence` is
the chosen candidate's share; the weights and the threshold below which a place keeps only its oblast are
calibrated on the dev sets (eval/eval_geocode.py prints accuracy per confidence band).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from sitrep.geo.db import GazPlace
from sitrep.geo.translit import norm

KIND_RANK = {"settlement": 3, "feature": 2, "district": 2, "admin2": 2, "admin1": 1, "region": 1, "country": 1}

# the chosen candidate needs this share of the probability to keep its own point; below it the place keeps its
# oblast (precision admin1) when that is this sure, else it stays unresolved; both list the candidates
CONFIDENT = 0.5
# how often a settlement lies within 10 km of the centre whose point it takes when it has none of its own, measured
# on the built gazetteer (settlements with their own point against their hromada / raion / oblast centre, the centre
# itself left out): a settlement placed at its hromada centre is "right to 10 km" half the time, at its oblast centre
# almost never. `located` turns how sure the choice is into how sure the point is.
POINT_WITHIN_10KM = {"admin3": 0.5, "admin2": 0.08, "admin1": 0.015}
NEAR_KM = (25.0, 60.0)        # "near" and "same area" for neighbouring places
DIRECTION_KM = 60.0           # an axis named after a town covers the front this far around it
TEMPERATURE = 1.0
REGION_SIZE = 6.0    # log10 population given to a first-level unit abroad that has none in the gazetteer
CITY_DISTRICT = "city district"  # feature_class of a district of a city (sitrep.geo.build)


@dataclass
class Evidence:
    """What is known about a mention besides its name."""
    admin1: set[str] = field(default_factory=set)        # oblasts named as the mention's qualifier
    admin2: set[str] = field(default_factory=set)        # raions named as qualifier
    admin3: set[str] = field(default_factory=set)        # hromadas named as qualifier
    near: list[GazPlace] = field(default_factory=list)   # settlements named as its neighbours ("X near Y")
    cities: set[str] = field(default_factory=set)        # ids of cities named with it ("Kyivskyi district, Kharkiv")
    directions: list[GazPlace] = field(default_factory=list)  # axes named in the text ("the Pokrovsk direction")
    context: list[GazPlace] = field(default_factory=list)     # the document's other certain places (nearby in text)
    doc_admin1: dict[str, float] = field(default_factory=dict)  # oblasts the surrounding text is about → weight
    doc_regions: dict[str, float] = field(default_factory=dict)  # first-level units abroad (US states) → weight
    doc_countries: dict[str, float] = field(default_factory=dict)  # countries of the surrounding places → weight
    prior: object | None = None                          # a sitrep.geo.prior.ConflictPrior
    key: str | None = None                               # the normalised name as written
    ukraine: bool = False                                # the mention is framed as Ukrainian (an axis, a cue)


def _min_km(p: GazPlace, others: list[GazPlace]) -> float | None:
    """Distance to the nearest of `others` (equirectangular: exact enough at the ≤150 km scale that matters)."""
    if p.lat is None:
        return None
    best = None
    kx = 111.32 * math.cos(math.radians(p.lat))
    for o in others:
        if o.lat is None:
            continue
        dx, dy = (o.lon - p.lon) * kx, (o.lat - p.lat) * 110.57
        d = dx * dx + dy * dy
        if best is None or d < best:
            best = d
    return None if best is None else math.sqrt(best)


def score(p: GazPlace, ev: Evidence) -> float:
    size = math.log10((p.population or 0) + 1)
    if p.kind == "admin1" and p.country != "UA" and not p.population:
        size = REGION_SIZE  # a US state, a province: as big as a large city, before a town with its name as alias
    # size separates towns from villages and world cities from namesake towns; among villages (whose population
    # figures are patchy) it is a weak tie-breaker that context outweighs
    s = 0.2 * KIND_RANK.get(p.kind, 0) + 0.1 * size + 0.6 * max(0.0, size - 3.5)
    s += {"exact": 0.6, "settlement": 0.6, "admin3": 0.1, "admin2": 0.05}.get(p.precision, 0.0)
    if ev.admin1:
        s += 4.0 if (p.admin1 in ev.admin1 or p.name in ev.admin1) else -4.0
    if ev.admin2 and p.admin2 in ev.admin2:
        s += 2.0
    if ev.admin3 and p.admin3 in ev.admin3:
        s += 2.5
    if ev.near:
        d = _min_km(p, ev.near)
        if d is not None:
            s += 3.0 if d <= NEAR_KM[0] else (1.5 if d <= NEAR_KM[1] else -1.0)
    if ev.directions:
        d = _min_km(p, ev.directions)
        if d is not None and d <= DIRECTION_KM:
            s += 1.5
    if ev.context:
        d = _min_km(p, ev.context)
        if d is not None:
            s += 2.0 if d <= NEAR_KM[0] else (1.2 if d <= NEAR_KM[1] else (0.5 if d <= 2 * NEAR_KM[1] else 0.0))
    if ev.doc_admin1 and p.admin1:
        s += 1.5 * ev.doc_admin1.get(p.admin1, 0.0)
    if ev.doc_regions and p.admin1 and p.country != "UA":
        s += 1.5 * ev.doc_regions.get(p.admin1, 0.0)  # Paris near Texas, Springfield near Illinois
    if ev.doc_countries and p.country:
        s += 1.0 * ev.doc_countries.get(p.country, 0.0)
    if p.feature_class == CITY_DISTRICT and city_named(p, ev):
        s += 3.0  # a city's district with its city named with it or around it
    if ev.key and (norm(p.name) == ev.key or (p.uk and norm(p.uk) == ev.key)):
        s += 0.8  # its own name, not an alternate or historic one (Pokrovsk the town, not Engels once called so)
    if p.country == "UA" and (ev.doc_admin1 or ev.directions or ev.ukraine):
        s += 0.8  # the document is about Ukraine: a Ukrainian namesake before a foreign one
    if ev.prior is not None and p.lat is not None and p.country == "UA":
        s += ev.prior.bonus(p.lat, p.lon)
    return s


def city_named(p: GazPlace, ev: Evidence) -> bool:
    """The city a city district belongs to is named with the mention or around it."""
    return p.parent in ev.cities or any(c.id == p.parent for c in ev.context) or any(c.id == p.parent for c in ev.near)


def rank(candidates: list[GazPlace], ev: Evidence) -> list[tuple[GazPlace, float]]:
    """Candidates with their probability (softmax of the scores), best first."""
    if not candidates:
        return []
    scores = [score(p, ev) / TEMPERATURE for p in candidates]
    if any(p.kind == "admin2" for p in candidates):
        # "Pokrovskyi district" without a city: the raion, not the district of Kryvyi Rih of that name
        scores = [s - 2.0 if p.feature_class == CITY_DISTRICT and not city_named(p, ev) else s
                  for p, s in zip(candidates, scores)]
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    out = sorted(((p, w / total) for p, w in zip(candidates, weights)), key=lambda pw: (-pw[1], pw[0].id or ""))
    return out


def oblast_share(ranked: list[tuple[GazPlace, float]]) -> tuple[str | None, float]:
    """The oblast holding most of the probability, and its share."""
    mass: dict[str, float] = {}
    for p, w in ranked:
        if p.admin1:
            mass[p.admin1] = mass.get(p.admin1, 0.0) + w
    if not mass:
        return None, 0.0
    a1 = max(mass, key=mass.get)
    return a1, mass[a1]


def located(p: GazPlace, probability: float) -> float:
    """How sure it is that the point given for a settlement is where it is: the probability of the choice times how
    often a point of that precision lies within 10 km (POINT_WITHIN_10KM). Areas (oblasts, raions, countries) and
    settlements with their own point keep the probability of the choice."""
    if p.kind != "settlement":
        return probability
    return probability * POINT_WITHIN_10KM.get(p.precision, 1.0)


def admin1_share(ranked: list[tuple[GazPlace, float]], admin1: str | None) -> float | None:
    """The probability that the place is in `admin1` (the sum over its candidates there)."""
    if not admin1:
        return None
    return sum(w for p, w in ranked if p.admin1 == admin1)
