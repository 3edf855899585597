"""The extractors, in pipeline order. Each module owns one concept and its lexicon files.

Order matters: each extractor may read what the ones before it found (places → entities → dates → quotes →
claims → figures → events → intercepts → indicators), never what comes after.
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

# (module, class). Lists whose extractor is not installed yet stay present and empty.
PIPELINE_ORDER: list[tuple[str, str]] = [
    ("sitrep.extract.places", "PlacesExtractor"),
    ("sitrep.extract.entities", "EntitiesExtractor"),
    ("sitrep.extract.dates", "DatesExtractor"),
    ("sitrep.extract.quotes", "QuotesExtractor"),
    ("sitrep.extract.claims", "ClaimsExtractor"),
    ("sitrep.extract.figures", "FiguresExtractor"),
    ("sitrep.extract.events", "EventsExtractor"),
    ("sitrep.extract.intercepts", "InterceptsExtractor"),
    ("sitrep.extract.recording", "RecordingExtractor"),  # a transcribed recording: an intercept of its own
    ("sitrep.extract.indicators", "IndicatorsExtractor"),
]


def extractor_classes() -> list[type]:
    return [getattr(import_module(module), cls) for module, cls in PIPELINE_ORDER if find_spec(module) is not None]
