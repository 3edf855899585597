"""Indicators: what a report or an intercepted call reveals — heavy losses, low morale, fear, desertion, orders to
kill prisoners … — with side and evidence, from the patterns in indicators.yaml.

The patterns run on a normalised copy of the text (straight apostrophes and quotes, censored swear words restored:
"f*cking", "f***ing", "f—ing" → "fucking"; indicator_rules.yaml) whose offsets map back to the cleaned text, so
each indicator keeps its evidence span. Entries written `{lemma: …}` (the ru/uk files) run instead on the
lemmas of the Cyrillic words (pymorphy3, via the language's Doc): one pattern "загинути" serves "загинуло",
"загиблих", "загинули". A match negated or hypothetical in its clause ("not to retreat", "no
reason to withdraw us", "if we retreat") is not taken. One indicator per kind per sentence. Side: inside a
quotation, the speaker's side (an intercepted call's participants are the side of its soldiers); else the side
named before the match in its sentence ("Russian soldiers were forced to retreat"), or after it for object-side
patterns ("inflicted losses on the occupiers").
An indicator inside an intercept's scope is linked to it (`Intercept.indicators`, extra field `intercept` here)
only when it is the call's content or a report about the call: inside the call's words, in a cue sentence, or in a
sentence that speaks of the call or its speakers — never the outlet's own commentary around it.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from sitrep.actors import lexicon
from sitrep.extract.base import Context
from sitrep.lexicon import load_yaml
from sitrep.model import Indicator

CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
MASKED_WORD = re.compile(r"\b([A-Za-z]{1,3})([*#_—–-]+)([A-Za-z]*)")
DASH_ENDINGS = {"", "ing", "in", "ed", "er", "ers", "ck", "cking", "cked", "k", "king", "t"}


@lru_cache(maxsize=1)
def rules() -> dict:
    data = load_yaml("indicator_rules.yaml")
    data["_negation"] = re.compile(data["negation"], re.IGNORECASE)
    data["_hypothetical"] = re.compile(data["hypothetical"], re.IGNORECASE)
    data["_call_report"] = re.compile(data["call_report"], re.IGNORECASE)
    return data


def _restore(prefix: str, mask: str, rest: str, censored: dict[str, str]) -> str | None:
    """'f', '*', 'cking' → 'fucking'; None when the word is no censored swear word ("re-enter", "AFU—the")."""
    base = censored.get(prefix.lower())
    if base is None:
        return None
    if not mask.strip("-–—"):  # only dashes: a hyphenated word unless a swear word's ending follows
        if rest.lower() not in DASH_ENDINGS or (not rest and prefix.lower() != "f"):
            return None
    tail = rest
    for k in range(len(base) - len(prefix), 0, -1):  # the visible end overlaps the base word: "ck" of "fuck"
        if tail.lower().startswith(base[-k:]):
            tail = tail[k:]
            break
    word = base + tail.lower()
    return word if prefix[0].islower() else word.capitalize()


def normalise(text: str) -> tuple[str, list[int]]:
    """The text to match patterns on, and for each of its characters the offset of its source character."""
    data = rules()
    chars = data["characters"]
    censored = {k.lower(): v for k, v in data["censored"].items()}
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in MASKED_WORD.finditer(text):
        word = _restore(m.group(1), m.group(2), m.group(3), censored)
        if word is None:
            continue
        for i in range(pos, m.start()):
            out.append(chars.get(text[i], text[i]))
            index.append(i)
        for k, ch in enumerate(word):  # the restored word spans the masked one
            out.append(ch)
            index.append(min(m.start() + k, m.end() - 1))
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(chars.get(text[i], text[i]))
        index.append(i)
    index.append(len(text))
    return "".join(out), index


def lemma_text(doc) -> tuple[str, list[tuple[int, int]]]:
    """The Doc's lemmas (lower case, apostrophes straight) joined by spaces, and for each character of that string
    the source span [start, end) of its token; '' when the text has no Cyrillic words (nothing to lemmatise)."""
    if not CYRILLIC.search(doc.text):
        return "", []
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    for tok in doc:
        if tok.is_space:
            continue
        lemma = (tok.lemma_ or tok.text).lower().translate(APOSTROPHES)
        if parts:
            parts.append(" ")
            spans.append(spans[-1])
        parts.append(lemma)
        spans.extend([(tok.idx, tok.idx + len(tok))] * len(lemma))
    return "".join(parts), spans


class IndicatorsExtractor:
    name = "indicators"

    def __init__(self, nlp) -> None:
        self.patterns: list[tuple[str, re.Pattern, str]] = []
        self.lemma_patterns: list[tuple[str, re.Pattern, str]] = []
        for kind, rows in load_yaml("indicators.yaml").items():
            for row in rows:
                if isinstance(row, str):
                    self.patterns.append((kind, re.compile(row, re.IGNORECASE), "subject"))
                elif "lemma" in row:
                    self.lemma_patterns.append((kind, re.compile(row["lemma"], re.IGNORECASE),
                                                row.get("side", "subject")))
                else:
                    self.patterns.append((kind, re.compile(row["pattern"], re.IGNORECASE), row.get("side", "subject")))
        self.lex = lexicon()
        self.rules = rules()

    def _intercept_of(self, ctx: Context, char: int) -> int | None:
        for i, icpt in enumerate(ctx.intercepts):
            if any(a <= char <= b for a, b in getattr(icpt, "scope", [])):
                return i
        return None

    def _side(self, ctx: Context, start: int, end: int, sent, how: str, intercept: int | None) -> str | None:
        quote = ctx.covering("quotes", start)
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

    def _qualified(self, norm: str, sent_start: int, match_start: int, kind: str) -> bool:
        """Not negated or hypothetical in its clause."""
        if kind in self.rules["exempt_kinds"]:
            return True
        before = norm[sent_start:match_start]
        clause = re.split(r"[.;:!?]|,\s*(?:but|and|so)\b|\bbut\b", before)[-1][-60:]
        return not (self.rules["_negation"].search(clause) or self.rules["_hypothetical"].search(clause))

    def _about_call(self, ctx: Context, char: int, sent, index: int) -> bool:
        """Is this the call's content or a report about the call (not the outlet's commentary)?"""
        icpt = ctx.intercepts[index]
        quote = ctx.covering("quotes", char)
        if quote is not None:
            return quote.intercept == index or quote.from_intercept
        if any(c["start"] <= char < c["end"] for c in getattr(icpt, "cues", [])):
            return True
        scope = getattr(icpt, "scope", [])
        if scope and icpt.evidence.start < 1200 and scope[0][0] <= char <= scope[0][1]:
            return True  # the lead paragraph of a report on the call summarises the call
        text = sent.text
        if self.rules["_call_report"].search(text):
            return True
        para_start = ctx.text.rfind("\n", 0, char) + 1
        opening = ctx.sentence_at(para_start)
        if opening.start_char < sent.start_char and self.rules["_call_report"].search(opening.text):
            return True  # a paragraph that opens by reporting the call ("the occupier said that …") goes on with it
        return any(p.description and p.description in text for p in icpt.participants) or any(
            name in text for name in getattr(icpt, "party_names", []))  # "Colonel Zhuravlyov then orders …"

    def _matches(self, ctx: Context, norm: str, index: list[int]):
        """(kind, start, end, side rule, position in `norm`) of every pattern match: surface patterns on the
        normalised text, lemma patterns on the lemmas of the Cyrillic words (mapped back to their tokens)."""
        for kind, rx, how in self.patterns:
            for m in rx.finditer(norm):
                yield kind, index[m.start()], index[m.end() - 1] + 1, how, m.start()
        if not self.lemma_patterns:
            return
        lemmas, spans = lemma_text(ctx.doc)
        if not lemmas:
            return
        for kind, rx, how in self.lemma_patterns:
            for m in rx.finditer(lemmas):
                if m.end() <= m.start():
                    continue
                start, end = spans[m.start()][0], spans[m.end() - 1][1]
                yield kind, start, end, how, bisect.bisect_left(index, start)

    def _without_subsumed(self, found: list[Indicator]) -> list[Indicator]:
        """Drop an indicator whose evidence lies inside the evidence of one of a kind that subsumes it
        (indicator_rules.yaml): "the go-ahead to commit a war crime" is one order, not also a report."""
        subsumes = self.rules.get("subsumes") or {}

        def inside(item, other) -> bool:
            return (item.kind in subsumes.get(other.kind, ()) and other.evidence.start <= item.evidence.start
                    and item.evidence.end <= other.evidence.end)

        return [item for item in found if not any(inside(item, other) for other in found if other is not item)]

    def __call__(self, ctx: Context) -> None:
        seen: set[tuple[str, int]] = set()
        found: list[Indicator] = []
        text = ctx.text
        norm, index = normalise(text)
        for kind, start, end, how, n_start in self._matches(ctx, norm, index):
            sent = ctx.sentence_at(start)
            key = (kind, sent.start_char)
            if key in seen:
                continue
            n_sent = bisect.bisect_left(index, sent.start_char)
            if not self._qualified(norm, n_sent, n_start, kind):
                continue
            seen.add(key)
            intercept = self._intercept_of(ctx, start)
            if intercept is not None and not self._about_call(ctx, start, sent, intercept):
                intercept = None
            item = Indicator(kind=kind, side=self._side(ctx, start, end, sent, how, intercept),
                             evidence=ctx.span(start, end))
            item.sentence = ctx.span(sent.start_char, sent.end_char)
            item.intercept = intercept
            item.from_quote = ctx.inside("quotes", start)
            found.append(item)
        found = self._without_subsumed(found)
        found.sort(key=lambda x: x.evidence.start)
        base = len(ctx.indicators)
        for k, item in enumerate(found):
            ctx.indicators.append(item)
            if item.intercept is not None:
                ctx.intercepts[item.intercept].indicators.append(base + k)
