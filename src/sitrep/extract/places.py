"""Places: every toponym mention, resolved to the gazetteer with coordinates where the evidence allows.

Recognition lives in sitrep.geo.recognize, resolution in sitrep.geo.resolve; this extractor wires them to the
Doc and writes schema Place items (plus `resolution`: why this place, and `candidates`: how many places share
the name). Unresolved mentions stay in the list with precision "unresolved".
"""
from __future__ import annotations

from sitrep.extract.base import Context
from sitrep.geo.gazetteer import Gazetteer
from sitrep.geo.recognize import matcher_for, recognize
from sitrep.geo.resolve import resolve
from sitrep.model import Place

# entity-ruler labels whose spans a place name inside is part of ("1st Donetsk Army Corps", "Azov Regiment")
BLOCKING_LABELS = {"SITREP_UNIT", "SITREP_ACTOR"}


class PlacesExtractor:
    name = "places"

    def __init__(self, nlp) -> None:
        self.gaz = Gazetteer.open()
        self.matcher = matcher_for(str(self.gaz.path))

    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        blocked = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in BLOCKING_LABELS]
        mentions = recognize(doc, self.gaz, self.matcher, blocked)
        for mention, place, how in resolve(ctx.text, mentions, self.gaz):
            span = ctx.span(mention.start, mention.end)
            if place is None:
                ctx.places.append(Place(start=span.start, end=span.end, text=span.text, name=span.text,
                                        kind="settlement" if mention.cue else "unknown", precision="unresolved",
                                        resolution=how, candidates=0))
                continue
            ctx.places.append(Place(
                start=span.start, end=span.end, text=span.text, name=place.name, kind=place.kind,
                country=place.country, admin1=place.admin1, admin2=place.admin2, admin3=place.admin3,
                lat=place.lat, lon=place.lon, precision=place.precision, gazetteer_id=place.id,
                resolution=how, candidates=len(mention.candidates)))
