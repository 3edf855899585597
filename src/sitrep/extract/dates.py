"""Date expressions in the text, resolved against the publication date (an extra `dates` list in the output).

The events extractor takes each event's date from here; the resolver itself lives in sitrep.dates.
"""
from __future__ import annotations

from sitrep.dates import find_dates
from sitrep.extract.base import Context


class DatesExtractor:
    name = "dates"

    def __init__(self, nlp) -> None:
        pass

    def __call__(self, ctx: Context) -> None:
        ctx.dates.extend(m.to_dict() for m in find_dates(ctx.text, ctx.published))
