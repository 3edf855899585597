"""What every extractor shares: the per-document Context and the Extractor protocol.

An extractor is a small class constructed once per process (load lexicons, compile matchers there) and called
once per document with a Context. It reads the Doc and what earlier extractors found, and appends its own items to
its own list; it never edits another extractor's items — except the two-way links of an intercepted call: the
intercepts extractor marks the quotes spoken in a call (and promotes call fragments from `partial_quotes`), and the
indicators extractor adds its items to the intercepts whose scope holds them.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan

from sitrep.article import Article
from sitrep.model import Span


@dataclass
class Context:
    article: Article
    doc: Doc
    published: date | None
    places: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    dates: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    events: list = field(default_factory=list)
    intercepts: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _sent_starts: list[int] | None = None
    _text: str | None = None
    _positions: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The cleaned text (cached: spaCy rebuilds Doc.text from its tokens on every access)."""
        if self._text is None:
            self._text = self.doc.text
        return self._text

    def span(self, start: int, end: int) -> Span:
        """An evidence span into the cleaned text, trimmed of surrounding whitespace."""
        text = self.text
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Span(start=start, end=end, text=text[start:end])

    def _by_start(self, name: str) -> tuple[list, list[int], list[int]]:
        """One item list (`entities`, `places`, `quotes` …) sorted by start, with the starts and the running maximum
        of the ends; rebuilt only when the list has grown or changed its last item (extractors only append)."""
        items = getattr(self, name)
        stamp = (len(items), id(items[-1]) if items else None)
        cached = self._positions.get(name)
        if cached is None or cached[0] != stamp:
            ordered = sorted(items, key=lambda it: it.start)
            ends, reach = [], -1
            for it in ordered:
                reach = max(reach, it.end)
                ends.append(reach)
            cached = self._positions[name] = (stamp, ordered, [it.start for it in ordered], ends)
        return cached[1], cached[2], cached[3]

    def starting_in(self, name: str, lo: int, hi: int) -> list:
        """The items of list `name` that start in [lo, hi), in text order: a binary search, not a scan."""
        ordered, starts, _ = self._by_start(name)
        return ordered[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]

    def inside(self, name: str, char: int) -> bool:
        """Does an item of list `name` (quotes, say) cover character `char`?"""
        ordered, starts, reach = self._by_start(name)
        i = bisect.bisect_right(starts, char) - 1
        return i >= 0 and reach[i] > char

    def covering(self, name: str, char: int):
        """The earliest-starting item of list `name` that covers character `char`, or None."""
        ordered, starts, reach = self._by_start(name)
        found = None
        j = bisect.bisect_right(starts, char) - 1
        while j >= 0 and reach[j] > char:  # only items whose run of ends still reaches `char`
            if ordered[j].end > char:
                found = ordered[j]
            j -= 1
        return found

    def sentence_at(self, char: int) -> SpacySpan:
        """The sentence containing character offset `char`."""
        sents = list(self.doc.sents) if self._sent_starts is None else self._sents
        if self._sent_starts is None:
            self._sents = sents
            self._sent_starts = [s.start_char for s in sents]
        i = max(0, bisect.bisect_right(self._sent_starts, char) - 1)
        return self._sents[i]

    def sentence_span(self, char: int) -> Span:
        sent = self.sentence_at(char)
        return self.span(sent.start_char, sent.end_char)


class Extractor(Protocol):
    name: str

    def __init__(self, nlp: Language) -> None: ...

    def __call__(self, ctx: Context) -> None: ...
