"""Quotes: direct quotations and transcript lines, each with its speaker, speaker_role and speaker_side.

Quoted stretches come from `sitrep.quotemarks`; scare quotes, titles and short quoted terms are dropped. The
speaker is the subject of the speech verb tagging the quote — after it (`"…," he said`, `"…" the father asks`,
`"…," said Haidai`) or before it with nothing verbal in between (`He said: "…"`, `X told the FT: "…"`); a quote
with no tag continues the previous quote's speaker (split quotes, multi-paragraph quotes). Subjects resolve
through `sitrep.speakers` (names, pronouns, role nouns). Extra fields: `kind` (direct | partial | transcript),
`cue`, `speaker_span`, `continues` (index of the earlier piece of the same quotation).
"""
from __future__ import annotations

import re

from sitrep.extract.base import Context
from sitrep.lexicon import load_yaml
from sitrep.model import Quote
from sitrep.quotemarks import Quoted, find_quoted, find_transcript_lines
from sitrep.speakers import SpeakerResolver, Who, clean_name, subject_phrase

SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bMs)(?<!\bgen)(?<!\bGen)(?<!\bRep)(?<!\bSen)(?<!\bGov)(?<!\bLt)(?<!\bCol)(?<!\bSgt)(?<!\bMaj)(?<!\bCapt)(?<!\bProf)(?<!\bRev)(?<!\bJr)(?<!\bSr)(?<!\bMt)(?<!\bCpl)(?<!\bPvt)(?<!\bAdm)(?<!\bBrig)(?<!\bCmdr)(?<!\bSupt)(?<!\bInsp)(?<!\bNo)(?<!\bVol)(?<!\bFr)[.!?…](?=[\s”\"’']|$)")

TERMINAL = ".!?…,;:-—–"
# a closing mark after punctuation and before a speech tag: the end of words whose opening mark may be lost
UNOPENED_CLOSE = re.compile(r"(?<=[,.!?…])[”»](?=[ \t\xa0]*[―—–-]?[ \t\xa0]*[^\W\d_])"
                            r"|[”»](?=[,.]?[ \t\xa0]*[―—–-][ \t\xa0]*[^\W\d_])")  # «…», – розповів він
DASH_CREDIT = re.compile(r"[ \t\xa0]*[―—–-][ \t\xa0]*([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,4})[ \t\xa0.]*(?:\n|$)")
PARTICIPANT_SPEAKER_ROLE = {"soldier": "soldier", "comrade": "soldier", "commander": "commander", "wife": "relative",
                            "mother": "relative", "father": "relative", "parent": "relative", "relative": "relative"}
SPEAKER_FIELDS = ("speaker", "speaker_role", "speaker_side", "speaker_span", "cue", "speaker_named",
                  "speaker_source_type", "speaker_role_word")


class QuotesExtractor:
    name = "quotes"

    def __init__(self, nlp) -> None:
        data = load_yaml("attribution.yaml")
        self.speech = set(data["speech_verbs"])
        self.phrasal = {(verb, particle) for verb, particle in data["speech_phrasal"]}
        self.resolver = SpeakerResolver()
        self.speaker_words = set(self.resolver.participant_roles) | {w for w in self.resolver.lex.roles} | {
            "man", "woman", "voice", "russian", "ukrainian", "speaker", "male", "female", "caller", "interlocutor", "orc",
            "orcs", "occupant", "husband", "boyfriend", "girl", "guy", "son", "male voice", "female voice", "unknown"}

    # ---- which quoted stretches are quotations ---------------------------------------------------------
    @staticmethod
    def _prev_char(text: str, i: int) -> str:
        j = i - 1
        while j >= 0 and text[j] in " \t\xa0“\"‘'«„”":
            j -= 1
        return text[j] if j >= 0 else "\n"

    def _kind(self, ctx: Context, q: Quoted) -> str:
        """direct: the quotation stands as speech (after a colon, a sentence end, a speech verb, or as a whole
        quoted sentence after a comma); partial: a fragment quoted inside the writer's own sentence."""
        text = ctx.text
        prev = self._prev_char(text, q.start - 1)
        if prev in ":.!?\n…" or q.start <= 1:
            return "direct"
        inner = text[q.start:q.end].strip()
        whole_sentence = (inner[:1].isupper() and len(inner.split()) >= 3
                          and inner.rstrip("”’\"' ")[-1:] in ".!?…,")
        clause = re.split(r"[.!?:;]\s", text[max(0, q.start - 160):q.start - 1])[-1]
        words = re.findall(r"[A-Za-z]+", clause)
        if prev == "," and (whole_sentence or any(self._is_speech_word(w) for w in words[-6:])):
            return "direct"
        if prev.isalpha() and any(self._is_speech_word(w) for w in words[-2:]):
            return "direct"
        return "partial"

    def _speaks(self, tok) -> bool:
        """Is this token a verb that tags a quotation ("said", "asks", "pointed out", "shot back")?"""
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        lemma = tok.lemma_.lower()
        if lemma in self.speech:
            return True
        return any(c.dep_ == "prt" and (lemma, c.lower_) in self.phrasal for c in tok.children)

    def _is_speech_word(self, word: str) -> bool:
        if word[:1].isupper() and word[1:2].islower():
            return word.lower() in ("said", "says", "told", "asked", "added")  # "States" is not "state"
        w = word.lower()
        for suffix in ("", "s", "es", "ed", "d", "ing"):
            if suffix and w.endswith(suffix) and w[: -len(suffix)] in self.speech:
                return True
        return w in self.speech or w in {"said", "told", "wrote", "says", "tells", "asked"}

    def _is_quotation(self, ctx: Context, q: Quoted, kind: str) -> bool:
        inner = ctx.text[q.start:q.end].strip()
        words = inner.split()
        if len(words) < 2:
            return False
        ends = inner[-1:] in TERMINAL
        if kind == "partial" and len(words) < 4:
            return False
        if kind == "direct" and len(words) < 3 and not ends:
            return False
        if q.single and len(words) < 3:
            return False
        capitalised = sum(1 for w in words if w[:1].isupper())
        at_para_start = self._prev_char(ctx.text, q.start - 1) == "\n"
        ratio = capitalised / len(words)
        if len(words) <= 8 and not at_para_start and (ratio >= 0.75 or (ratio >= 0.6 and not ends)):
            return False  # a title, a show or a slogan in quotes
        return True

    @staticmethod
    def _is_short_fragment(ctx: Context, q: Quoted) -> bool:
        """One to three words in double quotation marks (or a number in single ones: "at least '120' people"), not
        a name or title in capitalised words ("K Battalion", "Storm-Z"; words in capitals are shouted, not names)."""
        words = ctx.text[q.start:q.end].strip().strip(".,!?…").split()
        if not 1 <= len(words) <= 3:
            return False
        if q.single:
            return all(w.replace(",", "").isdigit() for w in words)
        return not all(w[:1].isupper() and not w.isupper() for w in words)

    # ---- speaker ---------------------------------------------------------------------------------------
    def _window_tokens(self, ctx: Context, start: int, end: int):
        if end <= start:
            return []
        span = ctx.doc.char_span(start, end, alignment_mode="contract")
        return list(span) if span is not None else []

    def _dash_credit(self, ctx: Context, q: Quoted):
        """`"…" ― Karen Bobadilla`: a name after a dash right behind the closing mark (pull quotes, vox pops)."""
        m = DASH_CREDIT.match(ctx.text, q.end + 1)
        if not m:
            return None
        start, end = m.start(1), m.end(1)
        return self.resolver.who(ctx, start, end), (start, end)

    def _right_tag(self, ctx: Context, q: Quoted, limit: int):
        text = ctx.text
        after = q.end + 1
        m = SENTENCE_END.search(text, after, limit)
        window_end = m.end() if m else limit
        inner = text[q.start:q.end].rstrip()
        following = text[after:window_end].lstrip(" ,")
        toks = self._window_tokens(ctx, after, window_end)
        if not toks:
            return None
        if inner[-1:] in ".!?…" and following[:1].isupper() and len(toks) > 8:
            return None  # a new sentence, not a tag
        words = [t for t in toks if not t.is_punct]
        for tok in toks:
            if not self._speaks(tok):
                continue
            found = subject_phrase(tok, after)
            if found is None:  # "…," said the soldier: the inverted subject follows the verb
                nxt = [t for t in toks if t.i > tok.i and t.pos_ in ("PROPN", "NOUN", "PRON")]
                found = (nxt[0].left_edge.idx, nxt[0].right_edge.idx + len(nxt[0].right_edge), nxt[0]) if nxt else None
            near = words.index(tok) < 4 if tok in words else False
            if found and (near or found[0] <= (words[min(4, len(words) - 1)].idx if words else after)):
                return found, tok
            return None
        return None

    def _left_tag(self, ctx: Context, q: Quoted, lo: int, kind: str):
        toks = self._window_tokens(ctx, lo, q.start - 1)
        first = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
        for k in range(len(toks) - 1, -1, -1):
            tok = toks[k]
            if not self._speaks(tok):
                continue
            between = toks[k + 1:]
            verbal = [t for t in between if t.pos_ == "VERB"]
            in_subtree = first is not None and tok.is_ancestor(first[0])
            if verbal and not (kind == "partial" and in_subtree):
                return None
            found = subject_phrase(tok, lo)
            return (found, tok) if found else None
        return None

    def _previous_sentence_tag(self, ctx: Context, q: Quoted):
        """A quote opening its paragraph with no tag: the speaker of the sentence just before, when that sentence
        is about speaking ("the soldier continues to vent …") or introduces the quote with a colon ("Cruz
        continued:", "President Clinton released the following statement:")."""
        text = ctx.text
        para_start = text.rfind("\n", 0, q.start) + 1
        if text[para_start:q.start].strip(" “\"‘'") or para_start == 0:
            return None
        k = para_start - 1
        while k > 0 and text[k].isspace():
            k -= 1
        prev = ctx.sentence_at(k)
        colon = text[k] == ":"
        for tok in prev:
            if tok.pos_ not in ("VERB", "AUX") or tok.dep_ not in ("ROOT", "xcomp"):
                continue
            if self._speaks(tok) or (colon and tok.dep_ == "ROOT"):
                found = subject_phrase(tok, prev.start_char)
                if found:
                    return found, tok
        return None

    def _colon_label(self, ctx: Context, q: Quoted):
        """`Mark Blumenthal and Jon Cohen: "…"`, `HEADLINE - More from Jones: "…"`, `Marco Rubio: '…'`: a name
        (a person or organisation, or capitalised words) right before a colon that opens the quote."""
        text = ctx.text
        line_start = text.rfind("\n", 0, q.start) + 1
        left = text[line_start:q.start - 1].rstrip(" \t\xa0“\"‘'")
        if not left.endswith(":"):
            return None
        label_end = line_start + len(left) - 1
        segment = left[:-1]
        cut = max(segment.rfind(" - "), segment.rfind(" – "), segment.rfind(" — "), segment.rfind(". "))
        label_start = line_start + (cut + 3 if cut >= 0 else 0)
        label = text[label_start:label_end]
        for lead in ("More from ", "more from ", "From ", "Via ", "As "):
            if label.startswith(lead):
                label_start += len(lead)
                label = label[len(lead):]
        words = label.split()
        ents = [e for e in ctx.entities if label_start <= e.start and e.end <= label_end
                and e.type in ("person", "agency", "organisation", "armed_group")]
        if ents:
            return self.resolver.who(ctx, ents[0].start, ents[0].end), (ents[0].start, ents[0].end)
        if 1 <= len(words) <= 6 and all(w[:1].isupper() or w in ("and", "of", "the", "&") for w in words):
            return self.resolver.who(ctx, label_start, label_end), (label_start, label_end)
        return None

    def _speaker(self, ctx: Context, q: Quoted, lo: int, hi: int, kind: str):
        tag = self._right_tag(ctx, q, hi) or self._left_tag(ctx, q, lo, kind)
        if not tag:
            credit = self._dash_credit(ctx, q)
            if credit:
                return credit[0], None, credit[1]
            label = self._colon_label(ctx, q)
            if label:
                return label[0], None, label[1]
            tag = self._previous_sentence_tag(ctx, q)
        if not tag:
            return None, None, None
        (start, end, head), verb = tag
        if head.pos_ == "PRON":
            who = self.resolver.who(ctx, head.idx, head.idx + len(head), previous=self._last_speaker(ctx))
        else:
            who = self.resolver.who(ctx, start, end)
        return who, verb.text, (start, end)

    # ---- the extractor ---------------------------------------------------------------------------------
    def _unopened(self, ctx: Context, quoted: list[Quoted]) -> list[Quoted]:
        """A paragraph that ends its words with a closing mark and a speech tag but lost its opening mark ("We are
        surrounded,” the soldier says.", after navigation text took the mark): its words run from the paragraph
        start to the closing mark."""
        out: list[Quoted] = []
        text = ctx.text
        pos = 0
        for line in text.split("\n"):
            start, pos = pos, pos + len(line) + 1
            close = UNOPENED_CLOSE.search(line)
            if not close or any(m in line[:close.start()] for m in "“«\"„"):
                continue
            tail = re.findall(r"[^\W\d_]+", line[close.end():close.end() + 60])[:6]
            after = self._window_tokens(ctx, start + close.end(), min(start + len(line), start + close.end() + 60))
            if not (any(self._is_speech_word(w) for w in tail) or any(self._speaks(t) for t in after[:6])):
                continue
            lead = len(line) - len(line.lstrip())
            q = Quoted(start=start + lead, end=start + close.start())
            if q.end - q.start > 10 and not any(o.start < q.end and q.start < o.end for o in quoted):
                out.append(q)
        return out

    def __call__(self, ctx: Context) -> None:
        text = ctx.text
        quoted = [q for q in find_quoted(text)]
        unopened = self._unopened(ctx, quoted)
        unopened_ids = {id(q) for q in unopened}
        quoted = sorted(quoted + unopened, key=lambda q: q.start)
        kept: list[tuple[Quoted, str]] = []
        for q in quoted:
            kind = self._kind(ctx, q)
            if self._is_quotation(ctx, q, kind):
                kept.append((q, kind))
            elif self._is_short_fragment(ctx, q):
                # "orders Ratnik to “raze” the villages": too short to be a quotation of its own, but the trace of
                # a call's words where an intercept report uses it (intercepts promote it, nothing else does)
                short = Quote(start=q.start, end=q.end, text=text[q.start:q.end])
                short.kind = "partial"
                ctx.extra.setdefault("short_partial_quotes", []).append(short)
        previous: Quote | None = None
        earlier: dict[int, Quote] = {}
        prev_end = 0
        for n, (q, kind) in enumerate(kept):
            para_start = text.rfind("\n", 0, q.start) + 1
            sent = ctx.sentence_at(max(0, q.start - 1))
            lo = max(prev_end + 1, para_start, sent.start_char if sent.start_char < q.start else para_start)
            para_end = text.find("\n", q.end)
            para_end = len(text) if para_end < 0 else para_end
            nxt = kept[n + 1][0].start - 1 if n + 1 < len(kept) else len(text)
            hi = min(para_end, nxt)
            who, cue, span = self._speaker(ctx, q, lo, hi, kind)
            quote = Quote(start=q.start, end=q.end, text=text[q.start:q.end])
            quote.kind = kind
            if who is None and previous is not None and self._continues(text, previous, q):
                earlier[id(quote)] = previous
                for key in SPEAKER_FIELDS:
                    setattr(quote, key, getattr(previous, key, None))
            elif who is not None:
                self._set_speaker(quote, who, cue, span)
            quote.open_ended = q.open_ended
            if id(q) in unopened_ids:
                # words that lost their opening mark are a quote only where an intercept report gives them a
                # context (intercepts promote them); elsewhere a stray closing mark is too weak a sign
                ctx.extra.setdefault("unopened_quotes", []).append(quote)
                continue
            if kind == "partial":
                # A fragment quoted inside the writer's own sentence belongs to that sentence's claim; it is
                # a quote of its own only where it is the trace of an intercepted call (intercepts promote it).
                ctx.extra.setdefault("partial_quotes", []).append(quote)
                continue
            ctx.quotes.append(quote)
            previous, prev_end = quote, q.end
        self._transcripts(ctx)
        ctx.quotes.sort(key=lambda x: x.start)
        position = {id(x): i for i, x in enumerate(ctx.quotes)}
        for x in ctx.quotes:
            x.continues = position[id(earlier[id(x)])] if id(x) in earlier else None

    @staticmethod
    def _last_speaker(ctx: Context):
        for quote in reversed(ctx.quotes):
            if quote.speaker:
                return quote
        return None

    @staticmethod
    def _continues(text: str, previous: Quote, q: Quoted) -> bool:
        gap = text[previous.end:q.start]
        paragraphs = gap.count("\n\n") + (1 if "\n" in gap and "\n\n" not in gap else 0)
        if getattr(previous, "open_ended", False) and paragraphs <= 1:
            return True
        if "\n" not in gap and len(gap) < 120:
            return gap.rstrip(" “\"‘'")[-1:] in ".,"  # "…," she said. "…" — not "…, prompting the response: "
        starts_paragraph = text[max(0, q.start - 2):q.start - 1] == "\n" or text[q.start - 1:q.start] == "\n"
        return starts_paragraph and len(gap.strip(" \n“”\"'’‘")) <= 2 and previous.speaker is not None

    @staticmethod
    def _set_speaker(quote: Quote, who: Who, cue: str | None, span) -> None:
        quote.speaker = who.name if who.named else clean_name(who.name)
        quote.speaker_role = who.role if who.role in (
            "soldier", "commander", "relative", "official", "expert", "witness", "journalist", "other") else (
            "other" if who.name else None)
        quote.speaker_side = who.side
        quote.cue = cue
        quote.speaker_span = list(span) if span else None
        quote.speaker_named = who.named
        quote.speaker_source_type = who.source_type
        quote.speaker_role_word = who.role_word

    def _transcripts(self, ctx: Context) -> None:
        taken = [(q.start, q.end) for q in ctx.quotes]
        for line in find_transcript_lines(ctx.text, self.speaker_words):
            if any(a < line.end and line.start < b for a, b in taken):
                continue
            who = self.resolver.describe(ctx, line.start, line.start)
            role, _key, word = self.resolver.role_in(line.tag)
            quote = Quote(start=line.start, end=line.end, text=ctx.text[line.start:line.end])
            quote.kind = "transcript"
            quote.speaker = line.tag
            participant = self.resolver.participant_role(line.tag) or self.resolver.participant_role(
                line.tag.split()[-1])
            quote.speaker_role = role or PARTICIPANT_SPEAKER_ROLE.get(participant, "other")
            quote.speaker_side = self.resolver.lex.side_of_words(line.tag) or who.side
            quote.speaker_role_word = word or (line.tag.lower() if participant else None)
            quote.speaker_named = False
            ctx.quotes.append(quote)
