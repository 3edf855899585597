"""Claims: every attribution — who says what, through which cue, how hedged — with its content span.

Three sources of claims, deduplicated by content: quotations with a speaker (direct claims), reporting verbs
with a subject and a clausal complement ("X said/told/claimed/reported/announced that …", "…, officials say"),
and "according to X" / "citing X" phrases. Sources resolve through `sitrep.speakers` (pronouns to names;
"X's report", "the report published by X" to X); `source_type` and side come from the actor and role lexicons.
Russian and Ukrainian report the other way round: "Про це повідомив глава ОВА …" / "Об этом сообщили в
Минобороны" after the reported sentence — the sentence before is the content, the verb's subject (or the institution
after "в/у") the source. Cue words and phrases of every language are data (lexicons/attribution.yaml, `claims`).
Status: hedges in the content or cue → alleged; "could not be independently verified" and the like in the
sentence or the next → unverified; a denial cue → denied; a dispute in the next sentence → disputed.
Extra fields: `direct`, `quote`, `relayed_by` (outlets the claim reached us through), `channel`.
"""
from __future__ import annotations

import re

from sitrep.attribution import cues
from sitrep.extract.base import Context
from sitrep.lexicon import load_yaml
from sitrep.model import Claim
from sitrep.speakers import LONGEST_NAME, SpeakerResolver, Who, clean_name, subject_phrase

_LEX = load_yaml("attribution.yaml")["claims"]  # every language's forms merged (sitrep.lexicon)
HEDGING_CUES = set(_LEX["hedging_cues"])
DENYING_CUES = set(_LEX["denying_cues"])
RELAY_CUES = set(_LEX["relay_cues"])
INFERENCE_VERBS = set(_LEX["inference_verbs"])
NP_CONTENT_VERBS = set(_LEX["np_content_verbs"])
REPORT_NOUNS = set(_LEX["report_nouns"])
REPORT_BY = set(_LEX["report_by"])
# "Про це повідомив X", "Об этом сообщил X", "This was reported by X": the claim is the sentence before
ABOUT_THIS = re.compile(r"(?i)(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(_LEX["about_this"], key=len, reverse=True))
                        + r")(?!\w)")
SOURCE_PREPOSITIONS = set(_LEX["source_prepositions"])
CHANNEL = re.compile(r"\b(?:in|on|via|through) (?:a |an |the |his |her |their |its )?((?:Telegram|Facebook|Twitter|X|"
                     r"Instagram|YouTube|VK|video|televised|TV|radio|evening|daily|nightly)[\w -]{0,30}?"
                     r"(?:post|message|channel|address|statement|update|briefing|interview|app|account))\b")
RELAY = re.compile(r"\b(?:as )?(?:cited|quoted|reported|published|relayed|carried) by ((?:the |The )?[A-Z][\w.'’-]*"
                   r"(?: [A-Z][\w.'’-]*){0,5})")


class _NoSpan:
    """Stands in for the "about this" match when there is none (an empty span)."""

    @staticmethod
    def start() -> int:
        return -1

    @staticmethod
    def end() -> int:
        return -1


class ClaimsExtractor:
    name = "claims"

    def __init__(self, nlp) -> None:
        c = cues()
        self.verbs, self.according, self.hedges = c.verbs, c.according, c.hedges
        self.unverified, self.denials, self.disputes = c.unverified, c.denials, c.disputes
        self.resolver = SpeakerResolver()

    # ---- helpers ---------------------------------------------------------------------------------------
    def _in_quote(self, ctx: Context, char: int) -> bool:
        quoted = list(ctx.quotes) + ctx.extra.get("partial_quotes", [])
        return any(q.start <= char < q.end for q in quoted)

    def _report_source(self, ctx: Context, head) -> tuple[int, int] | None:
        """'X's report says' / 'the report published by X' / 'data from X' → the span of X."""
        if head.lemma_.lower() not in REPORT_NOUNS:
            return None
        for tok in head.subtree:
            if tok.dep_ == "poss" and tok.head == head:
                return tok.left_edge.idx, tok.idx + len(tok)
            if tok.dep_ == "pobj" and tok.head.lower_ in REPORT_BY and tok.head.head in (head, *head.children):
                return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
            if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
                return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        return None

    def _who(self, ctx: Context, start: int, end: int, head) -> Who:
        if head is not None and head.pos_ == "PRON":
            last = next((q for q in reversed(ctx.quotes) if q.speaker and q.end <= start), None)
            return self.resolver.who(ctx, head.idx, head.idx + len(head), previous=last)
        if head is not None:
            inner = self._report_source(ctx, head)
            if inner:
                return self.resolver.who(ctx, *inner)
        return self.resolver.who(ctx, start, end)

    def _status(self, ctx: Context, cue_lemma: str, content: tuple[int, int], sent) -> tuple[str, list[str]]:
        text = ctx.text
        hedges = [m.group(0) for m in self.hedges.finditer(text[content[0]:content[1]])]
        if cue_lemma in HEDGING_CUES:
            hedges.append(cue_lemma)
        status = "alleged" if hedges else "attributed"
        nxt = ctx.sentence_at(sent.end_char + 1) if sent.end_char + 1 < len(text) else None
        same_para = nxt is not None and "\n\n" not in text[sent.end_char:nxt.start_char]
        around = sent.text + (" " + nxt.text if same_para and nxt.start_char > sent.start_char else "")
        if self.unverified.search(around):
            status = "unverified"
            hedges.append(self.unverified.search(around).group(0))
        if cue_lemma in DENYING_CUES:
            status = "denied"
        elif same_para and nxt is not None and nxt.start_char > sent.start_char and (
                self.disputes.search(nxt.text) or self.denials.search(nxt.text)):
            m = self.disputes.search(nxt.text) or self.denials.search(nxt.text)
            status = "unverified" if "comment" in m.group(0).lower() else "disputed"
            hedges.append(m.group(0))
        return status, hedges

    def _make(self, ctx: Context, who: Who, cue: str | None, cue_lemma: str, content: tuple[int, int], sent,
              evidence: tuple[int, int], direct: bool = False, quote: int | None = None) -> Claim | None:
        if who.name is None or content[1] - content[0] < 3:
            return None
        status, hedges = self._status(ctx, cue_lemma, content, sent)
        claim = Claim(source=who.name if who.named else clean_name(who.name), source_type=who.source_type, side=who.side, cue=cue,
                      content=ctx.span(*content), status=status, hedges=hedges, evidence=ctx.span(*evidence))
        claim.direct = direct
        claim.quote = quote
        region = ctx.text[evidence[0]:evidence[1]]
        source_span = who.span or (0, 0)
        claim.relayed_by = [self._outlet(ctx, evidence[0] + m.start(1), evidence[0] + m.end(1))
                            for m in RELAY.finditer(region) if not (content[0] <= evidence[0] + m.start() < content[1])
                            and not (source_span[0] <= evidence[0] + m.start(1) < source_span[1])]
        channel = CHANNEL.search(region)
        claim.channel = channel.group(1) if channel else None
        return claim

    @staticmethod
    def _outlet(ctx: Context, start: int, end: int) -> str:
        for ent in ctx.starting_in("entities", start - LONGEST_NAME, end):
            if start < ent.end:
                return ent.canonical or ent.text
        return clean_name(ctx.text[start:end].strip(" .,;:")) or ""

    @staticmethod
    def _paragraph(ctx: Context, char: int) -> tuple[int, int]:
        text = ctx.text
        start = text.rfind("\n", 0, char) + 1
        end = text.find("\n", char)
        return start, len(text) if end < 0 else end

    def _clip(self, ctx: Context, content: tuple[int, int], anchor: int) -> tuple[int, int] | None:
        lo, hi = self._paragraph(ctx, anchor)
        start, end = max(content[0], lo), min(content[1], hi)
        return (start, end) if end - start >= 10 else None

    # ---- the three kinds -------------------------------------------------------------------------------
    def _from_quotes(self, ctx: Context) -> list[Claim]:
        out = []
        for i, q in enumerate(ctx.quotes):
            if not q.speaker or q.kind == "transcript":
                continue
            who = Who(name=q.speaker, role=q.speaker_role, side=q.speaker_side,
                      source_type=getattr(q, "speaker_source_type", None) or "other")
            if who.source_type == "other" and q.speaker_role:
                _r, key, _w = self.resolver.role_in(q.speaker)
                if key:
                    who.source_type = self.resolver.lex.source_type_for(key, q.speaker_side)
            span = getattr(q, "speaker_span", None) or [q.start, q.end]
            sent = ctx.sentence_at(q.start)
            ev = (min(q.start - 1, span[0]), max(q.end + 1, span[1]))
            claim = self._make(ctx, who, getattr(q, "cue", None), (getattr(q, "cue", "") or "").lower(),
                               (q.start, q.end), sent, ev, direct=True, quote=i)
            if claim:
                out.append(claim)
        return out

    def _content_of(self, verb, sent) -> tuple[int, int] | None:
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]
        if comps:
            c = comps[0]
            return c.left_edge.idx, c.right_edge.idx + len(c.right_edge)
        if verb.lemma_.lower() in NP_CONTENT_VERBS:
            # "the mayor blamed Ukraine for the shelling", "Moscow denied the reports": the object and its
            # complements are what is claimed
            objs = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr") or (
                c.dep_ == "prep" and c.lower_ in ("for", "of", "as", "on", "over"))]
            objs = [o for o in objs if o.i > verb.i]
            if objs:
                first, last = objs[0], objs[-1]
                return first.left_edge.idx, last.right_edge.idx + len(last.right_edge)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.i < verb.i and subj.left_edge.i > sent.start:
            # "Shelling hit Belgorod, the regional governor said." however the parser attached the clause
            before = sent.doc[subj.left_edge.i - 1]
            if before.text == "," and before.idx - sent.start_char > 10:
                return sent.start_char, before.idx
        if verb.dep_ in ("parataxis", "ccomp") and verb.head.i < verb.i:
            # "Russian forces are focusing on Luhansk, Ukrainian officials say."
            head = verb.head
            start = head.left_edge.idx if head.left_edge.i >= sent.start else sent.start_char
            end = min(t.idx for t in verb.subtree)
            if end - start > 10:
                return start, end
        return None

    @staticmethod
    def _inverted(ctx: Context, verb, sent):
        """'…, stated the report published by the General Staff.' / '…, said Haidai.': a reporting verb after a
        comma, followed by the noun phrase that ends the sentence → (content span, (source start, end, noun))."""
        doc = ctx.doc
        if verb.i == 0 or doc[verb.i - 1].text != "," or verb.i + 1 >= sent.end:
            return None
        nouns = [t for t in doc[verb.i + 1:sent.end] if t.pos_ in ("NOUN", "PROPN") and t.head.i == verb.i]
        if not nouns:
            return None
        noun = nouns[0]
        end = noun.right_edge.idx + len(noun.right_edge)
        rest = ctx.text[end:sent.end_char].strip().strip(" .\"”’)")
        if rest and not rest.startswith(("(", "on ", "in ", "at ")):
            return None
        content = (sent.start_char, doc[verb.i - 1].idx)
        if content[1] - content[0] < 10:
            return None
        return content, (doc[noun.left_edge.i].idx, end, noun)

    def _from_verbs(self, ctx: Context) -> list[Claim]:
        out = []
        for sent in ctx.doc.sents:
            for tok in sent:
                if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.verbs:
                    continue
                if self._in_quote(ctx, tok.idx):
                    continue
                inverted = self._inverted(ctx, tok, sent)
                if inverted is not None:
                    (c0, c1), (s0, s1, noun) = inverted
                    who = self._who(ctx, s0, s1, noun)
                    claim = self._make(ctx, who, tok.text.lower(), tok.lemma_.lower(), (c0, c1), sent, (c0, s1))
                    if claim:
                        out.append(claim)
                    continue
                content = self._content_of(tok, sent)
                content = self._clip(ctx, content, tok.idx) if content else None
                if content is None:
                    about = self._about_this(ctx, tok, sent)
                    if about is not None:
                        out.append(about)
                    continue
                found = subject_phrase(tok, sent.start_char)
                if found is not None and content[0] <= found[0] < content[1] and self._slavic(ctx.doc):
                    found = None  # "…, сообщили в Минобороны": no subject, the source follows the verb
                if found is None:
                    about = self._about_this(ctx, tok, sent) if self._slavic(ctx.doc) else None
                    if about is not None:
                        out.append(about)
                    continue
                start, end, head = found
                if head.dep_ == "nsubjpass" and tok.lemma_.lower() not in ("quote", "cite"):
                    continue  # "is said to be", "was reported to have": a hedge, not a source
                if content[0] <= start < content[1] or self._in_quote(ctx, head.idx):
                    continue
                if head.lower_ in ("it", "this", "that") and tok.lemma_.lower() in INFERENCE_VERBS:
                    continue  # "if the reports are accurate it would indicate that …": an inference, not a source
                if head.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                    noun = tok.head  # "the Directorate, which said …" → the Directorate
                    start, end, head = noun.left_edge.idx, noun.idx + len(noun), noun
                who = self._who(ctx, start, end, head)
                lo = min(start, content[0], tok.idx)
                hi = max(end, content[1], tok.idx + len(tok))
                claim = self._make(ctx, who, tok.text.lower(), tok.lemma_.lower(), content, sent, (lo, hi))
                if claim:
                    out.append(claim)
        return out

    def _about_this(self, ctx: Context, tok, sent) -> Claim | None:
        """ "Про це повідомив у телеграм-каналі глава ОВА Олег Синєгубов", "Об этом сообщили в Минобороны": a
        reporting verb with "about this" beside it reports the sentence before (in its paragraph, else the last one
        of the paragraph before); the source is the verb's subject, else the first name or noun after the verb in
        its clause, else the institution after a source preposition ("в Минобороны")."""
        text = ctx.text
        doc = ctx.doc
        near = ABOUT_THIS.search(text, max(sent.start_char, tok.idx - 25), min(sent.end_char, tok.idx + len(tok) + 25))
        if near is None:
            # "Российские военные отразили атаку, сообщили в Минобороны": no subject, the content before the comma
            j = tok.i - 1
            while j > sent.start and (doc[j].is_space or doc[j].text in ("—", "–", "-")):
                j -= 1
            if j <= sent.start + 3 or doc[j].text != "," or not self._slavic(doc):
                return None
            prev = doc[sent.start:j]
            near = _NoSpan()
        else:
            k = sent.start_char - 1
            while k > 0 and text[k].isspace():
                k -= 1
            if k <= 0:
                return None
            prev = ctx.sentence_at(k)
            if prev.start_char >= sent.start_char or len(prev.text.strip()) < 10:
                return None
        clause_end = tok.i + 1
        while clause_end < sent.end and not (doc[clause_end].is_punct and doc[clause_end].text in ",;.!?—–"):
            clause_end += 1
        spans: list[tuple[int, int, object]] = []
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
                     and not near.start() <= c.idx < near.end() and c.pos_ != "PRON"), None)
        if subj is not None:
            spans.append((subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge), subj))
        named = sorted((e for e in doc.ents if tok.i < e.start and e.end <= clause_end
                        and e.label_ not in ("DATE", "TIME", "CARDINAL", "GPE", "LOC")),
                       key=lambda e: (e.label_ != "PERSON", e.start))
        spans += [(e.start_char, e.end_char, e.root) for e in named]
        after = [t for t in doc[tok.i + 1:clause_end] if t.pos_ in ("NOUN", "PROPN")]
        prep = next((t for t in doc[tok.i + 1:clause_end] if t.lower_ in SOURCE_PREPOSITIONS), None)
        first = next((t for t in after if "Nom" in t.morph.get("Case") or t.pos_ == "PROPN"), None)
        if first is None and after and prep is not None and after[0].i == prep.i + 1:
            first = after[0]  # "сообщили в Минобороны": the institution after the preposition
        if first is not None:
            last = first
            while last.i + 1 < clause_end and doc[last.i + 1].pos_ in ("NOUN", "PROPN", "ADJ"):
                last = doc[last.i + 1]
            spans.append((first.idx, last.idx + len(last), first))
        best = None
        for start, end, head in spans:  # a known actor first ("Генеральный штаб ВСУ" before "Fаcebook")
            who = self._who(ctx, start, end, head)
            if who.name and (best is None or best.source_type == "other" and who.source_type != "other"):
                best = who
        if best is None:
            return None
        return self._make(ctx, best, tok.text.lower(), tok.lemma_.lower(), (prev.start_char, prev.end_char), sent,
                          (prev.start_char, sent.end_char))

    @staticmethod
    def _slavic(doc) -> bool:
        return doc.user_data.get("lang") in ("ru", "uk")

    def _from_according(self, ctx: Context) -> list[Claim]:
        out = []
        text = ctx.text
        for m in self.according.finditer(text):
            if self._in_quote(ctx, m.start()):
                continue
            sent = ctx.sentence_at(m.start())
            rest_end = sent.end_char
            stop = rest_end
            for sep in (",", ";", ".", " that ", " who ", "—", " – ", "\n"):
                k = text.find(sep, m.end(), rest_end)
                if 0 <= k < stop:
                    stop = k
            src = (m.end(), stop)
            if src[1] - src[0] < 2:
                continue
            span = ctx.doc.char_span(src[0], src[1], alignment_mode="expand")
            heads = [t for t in span if t.head.i < span.start or t.head.i >= span.end] if span is not None else []
            who = self._who(ctx, src[0], src[1], heads[0] if heads else None)
            para = self._paragraph(ctx, m.start())
            before = (max(sent.start_char, para[0]), m.start())
            after = (src[1], min(sent.end_char, para[1]))
            content = before if before[1] - before[0] >= after[1] - after[0] else after
            content = (content[0], content[1])
            stripped = text[content[0]:content[1]].strip(" ,.;:—–")
            if len(stripped) < 10:
                continue
            claim = self._make(ctx, who, m.group(0).lower(), "according", content, sent,
                               (sent.start_char, sent.end_char))
            if claim:
                out.append(claim)
        return out

    def __call__(self, ctx: Context) -> None:
        claims = self._from_quotes(ctx)
        covered = [(c.content.start, c.content.end) for c in claims]
        for claim in self._from_verbs(ctx) + self._from_according(ctx):
            a, b = claim.content.start, claim.content.end
            if any(x <= a + 2 and b - 2 <= y for x, y in covered) or any(a <= x and y <= b and (y - x) > 0.8 * (b - a)
                                                                          for x, y in covered):
                continue
            covered.append((a, b))
            claims.append(claim)
        claims.sort(key=lambda c: c.evidence.start)
        claims = self._relays_into_claims(ctx, claims)
        self._resolve_bare_reports(claims)
        ctx.claims.extend(claims)

    @staticmethod
    def _relays_into_claims(ctx: Context, claims: list[Claim]) -> list[Claim]:
        """'…, the governor said, as cited by Ukrinform': the outlet relayed the governor's claim; it is no
        claimant of its own."""
        out = []
        for claim in claims:
            if (claim.cue or "") in RELAY_CUES:
                sent = ctx.sentence_at(claim.evidence.start)
                host = next((c for c in claims if c is not claim and (c.cue or "") not in RELAY_CUES
                             and sent.start_char <= c.evidence.start < sent.end_char), None)
                if host is not None:
                    if claim.source and claim.source not in host.relayed_by:
                        host.relayed_by.append(claim.source)
                    continue
            out.append(claim)
        return out

    @staticmethod
    def _resolve_bare_reports(claims: list[Claim]) -> None:
        """'according to a report' / 'the report said': the institution whose report the article cites nearest
        (before, else after) speaks for it."""
        bare = {"report", "a report", "the report", "statement", "a statement", "the statement", "reports"}
        for i, claim in enumerate(claims):
            if (claim.source or "").lower() not in bare:
                continue
            others = [c for c in claims[:i][::-1] + claims[i + 1:]
                      if c.source_type not in ("other", "anonymous", "witness", "soldier", "relative", "expert")
                      and (c.source or "").lower() not in bare]
            if others:
                claim.reported_as = claim.source
                claim.source, claim.source_type, claim.side = others[0].source, others[0].source_type, others[0].side
