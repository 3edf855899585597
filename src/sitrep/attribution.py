"""Who stands behind a statement, and how hedged: the one mechanism events, figures and claims share.

`Attributor.for_span(ctx, start, end)` answers (status, claimed_by, hedges) for any span: first from the claims
extractor's claims whose content covers it (once that extractor has run), else from a reporting-verb rule in the
span's sentence ("according to X", "X said", hedges, "could not be independently verified", denials).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from sitrep.extract.base import Context
from sitrep.lexicon import compile_alternation, load_yaml
from sitrep.speakers import SpeakerResolver, clean_name

@dataclass
class Attribution:
    status: str = "asserted"
    claimed_by: str | None = None
    source_side: str | None = None
    cue: str | None = None
    hedges: list[str] = field(default_factory=list)
    source_span: tuple[int, int] | None = None
    carried_from_next_sentence: bool = False


INSTITUTIONAL = {"ua_government", "ua_military", "ua_intelligence", "ua_local_official", "ru_government",
                 "ru_military", "ru_proxy_official", "foreign_government", "international_org"}


@dataclass(frozen=True)
class Cues:
    """attribution.yaml, compiled once: reporting verbs and the hedge, verification, denial and dispute cues."""
    verbs: frozenset
    according: re.Pattern
    hedges: re.Pattern
    unverified: re.Pattern
    denials: re.Pattern
    disputes: re.Pattern


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = load_yaml("attribution.yaml")
    return Cues(verbs=frozenset(data["reporting_verbs"]), according=compile_alternation(data["according_to"]),
                hedges=compile_alternation(data["hedges"]), unverified=compile_alternation(data["unverified"]),
                denials=compile_alternation(data["denials"]),
                # blaming and accusing make a claim; they do not dispute the one before
                disputes=compile_alternation([w for w in data["disputes"] if not w.startswith(("blame", "accus"))]))


class ClaimIndex:
    """The document's claims indexed by where their content starts (with the running maximum of content ends) and
    where their evidence starts, so that each look-up is a binary search and a short scan, not a pass over every
    claim: attribution stays linear in the length of a document. Answers are the same as a scan of `ctx.claims` in
    order (the first claim that fits)."""

    def __init__(self, claims) -> None:
        self.claims = list(claims)
        by_content = sorted(range(len(self.claims)), key=lambda i: self.claims[i].content.start)
        self.content_order = by_content
        self.content_starts = [self.claims[i].content.start for i in by_content]
        self.max_end: list[int] = []
        top = -1
        for i in by_content:
            top = max(top, self.claims[i].content.end)
            self.max_end.append(top)
        self.evidence_order = sorted(range(len(self.claims)), key=lambda i: self.claims[i].evidence.start)
        self.evidence_starts = [self.claims[i].evidence.start for i in self.evidence_order]

    @classmethod
    def of(cls, ctx: Context) -> "ClaimIndex":
        """The index of ctx's claims, built once per document (rebuilt if claims were added since)."""
        cached = getattr(ctx, "_claim_index", None)
        if cached is None or len(cached.claims) != len(ctx.claims):
            cached = cls(ctx.claims)
            ctx._claim_index = cached
        return cached

    def covering(self, start: int, end: int):
        """The first claim (in document order of `ctx.claims`) whose content covers [start, end)."""
        k = bisect.bisect_right(self.content_starts, start)
        if k == 0 or self.max_end[k - 1] + 1 < end:
            return None
        best = None
        for j in range(k - 1, -1, -1):
            if self.max_end[j] + 1 < end:
                break  # no claim starting this early reaches the span
            i = self.content_order[j]
            if end <= self.claims[i].content.end + 1 and (best is None or i < best):
                best = i
        return None if best is None else self.claims[best]

    def first_made_in(self, lo: int, hi: int, test):
        """The first claim (in `ctx.claims` order) whose evidence starts in [lo, hi) and passes `test`."""
        a = bisect.bisect_left(self.evidence_starts, lo)
        b = bisect.bisect_left(self.evidence_starts, hi)
        fits = [i for i in self.evidence_order[a:b] if test(self.claims[i])]
        return self.claims[min(fits)] if fits else None


class Attributor:
    def __init__(self) -> None:
        c = cues()
        self.verbs, self.according, self.hedges = c.verbs, c.according, c.hedges
        self.unverified, self.denials = c.unverified, c.denials
        self.resolver = SpeakerResolver()

    # ----------------------------------------------------------------------------------------------
    def for_span(self, ctx: Context, start: int, end: int) -> Attribution:
        index = ClaimIndex.of(ctx)
        claim = index.covering(start, end)
        if claim is not None:
            return Attribution(status=claim.status, claimed_by=claim.source, source_side=claim.side,
                               cue=claim.cue, hedges=list(claim.hedges))
        sent = ctx.sentence_at(start)
        # a claim made in the same sentence ("…, according to a report")
        claim = index.first_made_in(sent.start_char, sent.end_char, lambda c: c.content.start <= start)
        if claim is not None:
            return Attribution(status=claim.status, claimed_by=claim.source, source_side=claim.side,
                               cue=claim.cue, hedges=list(claim.hedges))
        att = self.in_sentence(ctx, start)
        if att.claimed_by is None:
            carried = self._next_sentence_institution(ctx, start)
            if carried is not None:
                att.claimed_by, att.source_side, att.cue = carried.source, carried.side, carried.cue
                att.status = att.status if att.status != "asserted" else "attributed"
                att.carried_from_next_sentence = True
        return att

    @staticmethod
    def _next_sentence_institution(ctx: Context, char: int):
        """'Russian troops were forced to withdraw. The Russians shelled …, the General Staff stated.': a report
        paragraph whose next sentence names an institution as its source speaks for the sentence before too."""
        sent = ctx.sentence_at(char)
        text = ctx.text
        if sent.end_char >= len(text) or "\n" in text[sent.end_char:sent.end_char + 2]:
            return None
        nxt = ctx.sentence_at(sent.end_char + 1)
        if nxt.start_char <= sent.start_char:
            return None
        return ClaimIndex.of(ctx).first_made_in(nxt.start_char, nxt.end_char,
                                                lambda c: c.source_type in INSTITUTIONAL)

    def in_sentence(self, ctx: Context, char: int) -> Attribution:
        sent = ctx.sentence_at(char)
        text = sent.text
        att = Attribution()
        att.hedges = [m.group(0) for m in self.hedges.finditer(text)]
        source = self._according_to(ctx, sent) or self._verb_subject(ctx, sent)
        if source:
            att.claimed_by, att.source_side, att.cue, att.source_span = source
            att.status = "attributed"
        if att.hedges:
            att.status = "alleged"
        if self.unverified.search(text):
            att.status = "unverified"
        if self.denials.search(text):
            att.status = "denied"
        return att

    # ----------------------------------------------------------------------------------------------
    def resolve_source(self, ctx: Context, start: int, end: int) -> tuple[str | None, str | None]:
        """(name, side) for a source span, through the resolver quotes and claims use (names, pronouns, roles)."""
        who = self.resolver.who(ctx, start, end)
        return (who.name if who.named else clean_name(who.name)), who.side

    def _according_to(self, ctx: Context, sent):
        m = self.according.search(sent.text)
        if not m:
            return None
        begin = sent.start_char + m.end()
        rest = ctx.text[begin:sent.end_char]
        stop = len(rest)
        for sep in (",", ";", ".", " that ", " who ", "—", " – ", "\n"):
            k = rest.find(sep)
            if 0 < k < stop:
                stop = k
        words = rest[:stop]
        for lead in ("estimates from ", "a report by ", "a report from ", "data from ", "figures from ", "a "):
            if words.lower().lstrip().startswith(lead):
                offset = words.lower().find(lead) + len(lead)
                begin += offset
                words = words[offset:]
        if not words.strip():
            return None
        name, side = self.resolve_source(ctx, begin, begin + len(words))
        return name, side, m.group(0).lower(), (begin, begin + len(words))

    def _verb_subject(self, ctx: Context, sent):
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.verbs:
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if not subj:
                continue  # "the Russians were accused of …": a passive subject is talked about, not talking
            head = subj[0]
            left = min(t.i for t in head.subtree)
            right = max(t.i for t in head.subtree)
            span = ctx.doc[left:right + 1]
            name, side = self.resolve_source(ctx, span.start_char, span.end_char)
            return name, side, tok.text.lower(), (span.start_char, span.end_char)
        return None
