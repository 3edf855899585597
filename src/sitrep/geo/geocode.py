"""Geocoding a place name with optional free-text context ("Donetsk Oblast", "Bakhmut raion, Donetsk"): ranked
gazetteer candidates. Shared by `sitrep geocode` and by place resolution in documents.

Ranking: the exact name variants first (the skeleton look-up only when none exists); then a candidate inside the
oblast / raion the context names; then settlements with their own point before codifier-only ones; then
population.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sitrep.geo.gazetteer import KIND_RANK, GazPlace, Gazetteer
from sitrep.geo.translit import norm

ADMIN_WORDS = re.compile(r"\b(oblast|region|province|raion|rayon|district|hromada|community|municipality|"
                         r"territorial community|city|town|village|settlement|urban-type settlement)\b\.?", re.I)
LEADING = re.compile(r"^(the|near|outside|in|at|village of|town of|city of|settlement of)\s+", re.I)


@dataclass
class Context:
    admin1: set[str]
    admin2: set[str]
    near: list[GazPlace]


def parse_context(gaz: Gazetteer, context: str | None) -> Context:
    """Oblasts, raions and places named in a free-text context."""
    ctx = Context(set(), set(), [])
    if not context:
        return ctx
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
                ctx.admin1.add(p.name)
            elif p.kind == "admin2":
                ctx.admin2.add(p.name)
                if p.admin1:
                    ctx.admin1.add(p.admin1)
        if found and found[0].kind == "settlement" and not ctx.admin1:
            ctx.near.append(found[0])
    return ctx


def candidates(gaz: Gazetteer, name: str) -> list[GazPlace]:
    """Exact variants of `name`, else of its cleaned form, else its spelling skeleton."""
    found = gaz.lookup(name)
    if found:
        return found
    cleaned = LEADING.sub("", name.strip())
    cleaned = re.sub(r"\s*\(.*?\)\s*", " ", cleaned).strip()
    for form in (cleaned, ADMIN_WORDS.sub("", cleaned).strip()):
        if form and form != name:
            found = gaz.lookup(form)
            if found:
                return found
    return gaz.lookup_similar(cleaned) if cleaned else []


def score(place: GazPlace, ctx: Context, exact: bool = True) -> float:
    s = 1.0 if exact else 0.6
    s += 0.15 * KIND_RANK.get(place.kind, 0)
    if ctx.admin1:
        s += 2.0 if (place.admin1 in ctx.admin1 or place.name in ctx.admin1) else -1.0
    if ctx.admin2 and place.admin2 in ctx.admin2:
        s += 1.0
    if ctx.near:
        d = min((place.distance_km(n) or 1e4) for n in ctx.near)
        s += 1.0 if d < 50 else 0.0
    s += {"exact": 0.4, "settlement": 0.4, "admin3": 0.1, "admin2": 0.05}.get(place.precision, 0.0)
    s += 0.1 * math.log10((place.population or 0) + 1)
    return round(s, 3)


def geocode(gaz: Gazetteer, name: str, context: str | None = None, limit: int = 5) -> list[tuple[GazPlace, float]]:
    ctx = parse_context(gaz, context)
    found = candidates(gaz, name)
    exact_key = norm(name)
    ranked = [(p, score(p, ctx, exact=True)) for p in found]
    ranked.sort(key=lambda ps: (-ps[1], norm(ps[0].name) != exact_key, ps[0].id))
    return ranked[:limit]


def as_match(place: GazPlace, score_: float) -> dict:
    return {"name": place.name, "lat": place.lat, "lon": place.lon, "admin1": place.admin1, "admin2": place.admin2,
            "admin3": place.admin3, "country": place.country, "kind": place.kind, "precision": place.precision,
            "gazetteer_id": place.id, "score": score_}
