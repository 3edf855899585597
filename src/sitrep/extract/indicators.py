"""Indicators: what a report or an intercepted call reveals — heavy losses, low morale, fear, desertion, orders to
kill prisoners … — with side and evidence, from the patterns in indicators.yaml.

One indicator per kind per sentence. Side: inside a quotation, the speaker's side (an intercepted call's
participants are the side of its soldiers); else the side named before the match in its sentence ("Russian
soldiers were forced to retreat"), or after it for object-side patterns ("inflicted losses on the occupiers").
Indicators inside an intercept's scope are linked to it (`Intercept.indicators`, extra field `intercept` here).
"""
from __future__ import annotations

import re

from sitrep.actors import lexicon
from sitrep.extract.base import Context
from sitrep.lexicon import load_yaml
from sitrep.model import Indicator


class IndicatorsExtractor:
    name = "indicators"

    def __init__(self, nlp) -> None:
        self.patterns: list[tuple[str, re.Pattern, str]] = []
        for kind, rows in load_yaml("indicators.yaml").items():
            for row in rows:
                pattern, side = (row, "subject") if isinstance(row, str) else (row["pattern"], row.get("side", "subject"))
                self.patterns.append((kind, re.compile(pattern, re.IGNORECASE), side))
        self.lex = lexicon()

    def _intercept_of(self, ctx: Context, char: int) -> int | None:
        for i, icpt in enumerate(ctx.intercepts):
            if any(a <= char <= b for a, b in getattr(icpt, "scope", [])):
                return i
        return None

    def _side(self, ctx: Context, start: int, end: int, sent, how: str, intercept: int | None) -> str | None:
        quote = next((q for q in ctx.quotes if q.start <= start < q.end), None)
        if quote is not None:
            if quote.speaker_side:
                return quote.speaker_side
            if intercept is not None:
                sides = [p.side for p in ctx.intercepts[intercept].participants if p.side]
                if sides:
                    return sides[0]
        text = ctx.text
        if how == "object":
            side = self.lex.side_of_words(text[end:sent.end_char])
        else:
            side = self.lex.side_nearest_end(text[sent.start_char:start]) or self.lex.side_of_words(text[start:end])
        if side is None and intercept is not None:
            soldier = [p.side for p in ctx.intercepts[intercept].participants if p.role == "soldier" and p.side]
            side = soldier[0] if soldier else None
        return side

    def __call__(self, ctx: Context) -> None:
        seen: set[tuple[str, int]] = set()
        found: list[Indicator] = []
        text = ctx.text
        for kind, rx, how in self.patterns:
            for m in rx.finditer(text):
                sent = ctx.sentence_at(m.start())
                key = (kind, sent.start_char)
                if key in seen:
                    continue
                seen.add(key)
                intercept = self._intercept_of(ctx, m.start())
                item = Indicator(kind=kind, side=self._side(ctx, m.start(), m.end(), sent, how, intercept),
                                 evidence=ctx.span(m.start(), m.end()))
                item.sentence = ctx.span(sent.start_char, sent.end_char)
                item.intercept = intercept
                item.from_quote = any(q.start <= m.start() < q.end for q in ctx.quotes)
                found.append(item)
        found.sort(key=lambda x: x.evidence.start)
        base = len(ctx.indicators)
        for k, item in enumerate(found):
            ctx.indicators.append(item)
            if item.intercept is not None:
                ctx.intercepts[item.intercept].indicators.append(base + k)
