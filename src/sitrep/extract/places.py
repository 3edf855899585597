"""Places: every toponym mention, resolved to the gazetteer with coordinates where the evidence allows.

Recognition lives in sitrep.geo.recognize, resolution in sitrep.geo.resolve; this extractor wires them to the
Doc and writes schema Place items plus `resolution` (why this place), `candidates` (how many places share the
name), `confidence` (0–1) and `alternatives` (the other candidates: name, admin1–3, lat/lon, probability). A place
whose best candidate is not sure enough carries its oblast's point with precision "admin1" (or none, precision
"unresolved"), so events that take their place's point never take a guessed one.
"""
from __future__ import annotations

from sitrep.extract.base import Context
from sitrep.geo import prior as conflict_prior
from sitrep.geo.gazetteer import Gazetteer
from sitrep.geo.recognize import matcher_for, recognize
from sitrep.geo.resolve import resolve
from sitrep.geo.spoken import capped_confidence, spoken_mentions
from sitrep.model import Place

# entity-ruler labels whose spans a place name inside is part of ("1st Donetsk Army Corps", "Azov Regiment")
BLOCKING_LABELS = {"SITREP_UNIT", "SITREP_ACTOR"}


def alternative(place, probability: float) -> dict:
    return {"name": place.name, "kind": place.kind, "country": place.country, "admin1": place.admin1,
            "admin2": place.admin2, "admin3": place.admin3, "lat": place.lat, "lon": place.lon,
            "precision": place.precision, "gazetteer_id": place.id, "probability": round(probability, 3)}


class PlacesExtractor:
    name = "places"

    def __init__(self, nlp) -> None:
        self.gaz = Gazetteer.open()
        self.matcher = matcher_for(str(self.gaz.path))

    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        blocked = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in BLOCKING_LABELS]
        mentions = recognize(doc, self.gaz, self.matcher, blocked)
        if getattr(ctx.article, "transcript", None) is not None:  # a recording: names as the recogniser spelt them
            page = (getattr(ctx.article, "page_text", "") or "").strip()
            spoken_from = ctx.text.find("\n\n", len(page) - 1) if page else 0
            spoken = spoken_mentions(ctx.text, max(0, spoken_from), self.gaz, mentions, ctx.article.language or "ru")
            kept = [m for m in mentions if m.candidates or not any(s.start < m.end and m.start < s.end for s in spoken)]
            mentions = sorted(kept + spoken, key=lambda m: m.start)
        for r in resolve(ctx.text, mentions, self.gaz, prior=conflict_prior.current()):
            mention, place = r.mention, r.place
            span = ctx.span(mention.start, mention.end)
            alternatives = [alternative(p, w) for p, w in r.alternatives]
            if place is None:
                ctx.places.append(Place(start=span.start, end=span.end, text=span.text, name=span.text,
                                        kind="settlement" if mention.cue else "unknown", precision="unresolved",
                                        resolution=r.how, candidates=0, confidence=None, alternatives=alternatives))
                continue
            ctx.places.append(Place(
                start=span.start, end=span.end, text=span.text, name=place.name, kind=place.kind,
                country=place.country, admin1=place.admin1, admin2=place.admin2, admin3=place.admin3,
                lat=place.lat, lon=place.lon, precision=place.precision, gazetteer_id=place.id,
                resolution=r.how if not mention.cue or not mention.cue.startswith("spoken") else f"{r.how} ({mention.cue})",
                candidates=max(len(mention.candidates), len(r.alternatives) + 1),
                confidence=capped_confidence(mention.cue, r.confidence), admin1_confidence=r.admin1_confidence,
                alternatives=alternatives))
