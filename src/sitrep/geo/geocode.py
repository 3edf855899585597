"""Geocoding a place name with optional free-text context ("Donetsk Oblast", "Bakhmut raion, Donetsk"): ranked
gazetteer candidates. Shared by `sitrep geocode` and by place resolution in documents.

Candidates: the exact name variants; when none exists, the spelling skeleton and, inside the oblast the context
names, the edit-distance fallback. Ranking and probabilities: sitrep.geo.rank (the same as in documents). A match's
`score` is the probability of the choice among namesakes, its `confidence` that of the point (rank.located).
"""
from __future__ import annotations

import re

from sitrep.geo.db import GazPlace
from sitrep.geo.gazetteer import Gazetteer
from sitrep.geo.rank import Evidence, located, rank

ADMIN_WORDS = re.compile(r"\b(oblast|region|province|raion|rayon|district|hromada|community|municipality|"
                         r"territorial community|city|town|village|settlement|urban-type settlement)\b\.?", re.I)
LEADING = re.compile(r"^(the|near|outside|in|at|village of|town of|city of|settlement of)\s+", re.I)


def parse_context(gaz: Gazetteer, context: str | None) -> Evidence:
    """Oblasts, raions, hromadas and places named in a free-text context (a fresh Evidence each call)."""
    if not context:
        return Evidence()
    memo = gaz.__dict__.setdefault("_context_memo", {})
    parsed = memo.get(context)
    if parsed is None:
        if len(memo) > 50_000:
            memo.clear()
        parsed = memo[context] = _parse_context(gaz, context)
    return Evidence(admin1=set(parsed.admin1), admin2=set(parsed.admin2), near=list(parsed.near),
                    doc_countries=dict(parsed.doc_countries), cities=set(parsed.cities))


def _parse_context(gaz: Gazetteer, context: str) -> Evidence:
    ev = Evidence()
    for part in re.split(r"[,;/()]|\band\b", context):
        part = part.strip()
        if not part:
            continue
        found = gaz.lookup(part)
        bare = ADMIN_WORDS.sub("", part).strip()
        if not any(p.kind in ("admin1", "admin2") for p in found) and bare:
            for suffix in (" Oblast", " Raion"):
                found = gaz.lookup(bare + suffix) + found
        for p in found:
            if p.kind == "admin1":
                ev.admin1.add(p.name)
            elif p.kind == "admin2":
                ev.admin2.add(p.name)
                if p.admin1:
                    ev.admin1.add(p.admin1)
            elif p.kind == "country" and p is found[0] and p.country:
                ev.doc_countries[p.country] = 1.0  # "Paris", context "Texas" is a qualifier; "France" a country
        if found and found[0].kind == "settlement" and not ev.admin1:
            ev.near.append(found[0])
        city = next((p for p in found if p.kind == "settlement"), None)
        if city is not None:
            ev.cities.add(city.id)  # "Petrovsky", context "Donetsk": a district of that city
    return ev


def candidates(gaz: Gazetteer, name: str, admin1: set[str] | None = None) -> tuple[list[GazPlace], bool]:
    """Exact variants of `name`, else of its cleaned form, else near spellings (in the named oblasts when given);
    the flag says whether the match is exact."""
    found = gaz.lookup(name)
    if found and admin1 and not any(p.admin1 in admin1 or p.name in admin1 for p in found):
        # none of the exact namesakes is in the named oblast: a press spelling of a place there is likelier
        near = gaz.lookup_fuzzy(name, admin1)
        if near:
            return near + found, False
    if found:
        return found, True
    cleaned = LEADING.sub("", name.strip())
    cleaned = re.sub(r"\s*\(.*?\)\s*", " ", cleaned).strip()
    for form in (cleaned, ADMIN_WORDS.sub("", cleaned).strip()):
        if form and form != name:
            found = gaz.lookup(form)
            if found:
                return found, True
    if not cleaned:
        return [], False
    found = gaz.lookup_similar(cleaned)
    if admin1:
        found = [p for p in found if p.admin1 in admin1] or gaz.lookup_fuzzy(cleaned, admin1)
    return found, False


def geocode(gaz: Gazetteer, name: str, context: str | None = None, limit: int = 5,
            prior=None) -> list[tuple[GazPlace, float]]:
    """Ranked candidates with their probability (sitrep.geo.rank), best first."""
    ev = parse_context(gaz, context)
    ev.prior = prior
    found, exact = candidates(gaz, name, ev.admin1 or None)
    ranked = rank(found, ev)
    if not exact:
        ranked = [(p, w * 0.8) for p, w in ranked]
    return ranked[:limit]


def as_match(place: GazPlace, score_: float) -> dict:
    return {"name": place.name, "lat": place.lat, "lon": place.lon, "admin1": place.admin1, "admin2": place.admin2,
            "admin3": place.admin3, "country": place.country, "kind": place.kind, "precision": place.precision,
            "gazetteer_id": place.id, "score": round(score_, 3), "confidence": round(located(place, score_), 3)}
