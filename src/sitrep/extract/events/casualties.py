"""Casualties of an event: the killed/wounded/captured figures of its clause or sentence (or of the next sentence
when that one tells no event of its own), numberless victims ("a civilian was killed", "killed a resident", "the
driver died", "a body was found": one; "a couple": two), and two sides' competing counts ("Russia says 60 were
killed, Ukraine says 20"), kept with their claimants instead of summed. Every look-up goes through a per-sentence
index, so the work per document is linear in its events and figures.
"""
from __future__ import annotations

import bisect
import re

from sitrep.lexicon import compile_alternation

VIOLENT = {"armed_clash", "shelling", "air_strike", "drone_strike", "missile_strike", "explosion", "mine_ied",
           "attack_on_civilians", "execution", "pow_mistreatment", "territory_gained", "encirclement", "advance",
           "retreat", "pow_capture", "air_defence", "protest"}
PART_OF = re.compile(r"(?i)\b(including|among them|of whom|of them)\s*$")


class CasualtyPatterns:
    """The numberless-victim and competing-count patterns of `lexicons/events.yaml` (`casualties`)."""

    def __init__(self, spec: dict, victims: set[str]) -> None:
        victim_rx = "(?:" + "|".join(re.escape(v) for v in sorted(victims, key=len, reverse=True)) + ")"
        self.numberless = [re.compile(p.replace("{victim}", victim_rx), re.I) for p in spec["numberless"]]
        self.count_words = {str(k).lower(): int(v) for k, v in spec["count_words"].items()}
        self.kind_of_verb = {str(k).lower(): v for k, v in spec["verb_kinds"].items()}
        verbs = compile_alternation(spec["claim_verbs"], boundary=False).pattern
        qualifiers = compile_alternation(spec["count_qualifiers"], boundary=False).pattern
        self.claim = re.compile(
            r"(?P<who>\b(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*){0,4})\s+(?:" + verbs + r")\s+"
            r"(?:that\s+)?(?:(?:" + qualifiers + r")\s+)?(?P<n>\d[\d,]*)\b")
        self.killed_words = compile_alternation(spec["killed_words"])
        self.wounded_words = compile_alternation(spec["wounded_words"])
        kinds = "|".join(f"(?P<{k}>{compile_alternation(spec[k + '_words'], boundary=False).pattern})"
                         for k in ("killed", "wounded"))
        # the word right after a count says what it counts ("5 were killed and 8 wounded": 8 wounded)
        self.age_after = re.compile(r"^\s*(?:" + compile_alternation(spec["age_after"], boundary=False).pattern
                                    + r"|(?:and|і|и|та)\s+\d+\s*(?:" + compile_alternation(
                                        spec["age_after"], boundary=False).pattern + r"))", re.I)
        gap = compile_alternation(spec["count_gap_words"], boundary=False).pattern
        self.kind_after = re.compile(r"^\s*(?:x\s+)?(?:(?:" + gap + r")\s+){0,3}(?:" + kinds + r")\b", re.I)

    def kind_after_count(self, text: str) -> str | None:
        m = self.kind_after.match(text)
        if not m:
            return None
        return "killed" if m.group("killed") else "wounded"

    def victims_in(self, text: str):
        """(kind, count, start, end) of each numberless victim in `text`."""
        for rx in self.numberless:
            for m in rx.finditer(text):
                kind = self.kind_of_verb.get(m.group("verb").lower().split()[0], "killed")
                n = self.count_words.get((m.groupdict().get("n") or "").lower(), 1)
                yield kind, n, m.start(), m.end()

    def competing_counts(self, text: str) -> list[tuple[str, int, int, int]]:
        """(claimant, value, start, end) of each side's count when two or more claimants give different counts."""
        out = []
        for m in self.claim.finditer(text):
            try:
                value = int(m.group("n").replace(",", ""))
            except ValueError:
                continue
            who = re.sub(r"^(?i:the)\s+", "", m.group("who")).strip()
            out.append((who, value, m.start(), m.end()))
        if len({who for who, *_ in out}) < 2 or len({v for _, v, *_ in out}) < 2:
            return []
        return out

    def kind_of(self, text: str) -> str | None:
        if self.killed_words.search(text):
            return "killed"
        if self.wounded_words.search(text):
            return "wounded"
        return None


class Casualties:
    """Mixin of EventsExtractor (its lexicon data is set up in EventsExtractor.__init__)."""

    @staticmethod
    def _first_of_group(by_sentence, target):
        """Every event of a place list shares the sentence; ACLED counts the figure once, for the first place."""
        group = [c for c in by_sentence.get(target["si"], ()) if c["head"].i == target["head"].i]
        return min(group, key=lambda c: c["place"]["start"] if c["place"] else 0)

    def _assign_fatalities(self, ctx, sents, para_of, found) -> None:
        starts = [s.start_char for s in sents]
        by_sentence: dict[int, list[dict]] = {}
        for c in found:
            by_sentence.setdefault(c["si"], []).append(c)
        claimed = self._competing_counts(ctx, sents, by_sentence)
        last_violent: dict[int, dict] = {}  # sentence index → the last violent event told up to that sentence
        prev = None
        for si in range(len(sents)):
            for c in by_sentence.get(si, ()):
                if c["mode"] is None and c["type"] in VIOLENT:
                    prev = c
            if prev is not None:
                last_violent[si] = prev
        for fig in ctx.figures:
            if fig.kind not in ("killed", "wounded", "captured"):
                continue
            fstart = getattr(fig, "start", None)
            if fstart is None:
                fstart = fig.evidence.start
            si = max(0, bisect.bisect_right(starts, fstart) - 1)
            if (si, fig.kind) in claimed:
                continue  # the sentence's competing counts were kept with their claimants
            sent = sents[si]
            local = ctx.text[max(sent.start_char, fstart - 40):min(sent.end_char, fstart + 80)]
            if self.not_own.search(local) or self.background.search(ctx.text[sent.start_char:fstart]):
                continue
            if getattr(fig, "part_of", None) is not None or PART_OF.search(ctx.text[max(0, fstart - 20):fstart]):
                continue  # "3 killed, including 2 children", "в том числе двое детей": part of a count already taken
            value = fig.low if fig.low is not None else fig.value
            if value is None:
                continue
            if getattr(fig, "end", None) is not None and self.casualty_patterns.age_after.match(
                    ctx.text[fig.end:fig.end + 30]):
                continue  # "a 64-year-old woman", "двоє чоловіків 47 і 52 років": an age, not a count
            same = [c for c in by_sentence.get(si, ()) if c["mode"] is None and c["type"] in VIOLENT]
            target = None
            if same:
                ftok = ctx.doc.char_span(fstart, fstart + 1, alignment_mode="expand")
                fi = ftok.start if ftok is not None else None
                in_scope = [c for c in same if fi is not None and fi in c["scope"]]
                pool = in_scope or same
                target = min(pool, key=lambda c: (len(c["scope"]) if fi in c["scope"] else 10 ** 6,
                                                  abs(c["head"].i - (fi or 0))))
            elif si >= 1 and not by_sentence.get(si):
                # "… shelled Kherson. One civilian was killed.": the previous sentence's event, same paragraph
                cand = last_violent.get(si - 1)
                if cand is not None and cand["si"] >= si - 1 and para_of[cand["si"]] == para_of[si]:
                    target = cand
            if target is None:
                continue
            first = self._first_of_group(by_sentence, target)
            key = fig.kind
            if key in ("killed", "wounded") and getattr(fig, "end", None) is not None:
                key = self.casualty_patterns.kind_after_count(ctx.text[fig.end:fig.end + 40]) or key
            counted = first.setdefault("figure_values", {}).setdefault(key, {})
            if int(value) in counted and si not in counted[int(value)]:
                continue  # the same figure restated in another sentence counts once (430, then 430: 430)
            counted.setdefault(int(value), set()).add(si)
            first["fatalities"][key] = first["fatalities"].get(key, 0) + int(value)
            first["score"] += 2
        self._single_victims(ctx, sents, by_sentence)

    def _competing_counts(self, ctx, sents, by_sentence) -> set[tuple[int, str]]:
        """ "Russia says 60 were killed, Ukraine says 20": both counts, with claimants, on the sentence's event;
        `fatalities` gets the lower. Returns the (sentence, kind) pairs so handled."""
        handled = set()
        for si, sent in enumerate(sents):
            counts = self.casualty_patterns.competing_counts(sent.text)
            kind = self.casualty_patterns.kind_of(sent.text) if counts else None
            if not counts or kind is None:
                continue
            violent = [c for c in by_sentence.get(si, ()) if c["mode"] is None and c["type"] in VIOLENT]
            if not violent and si and not by_sentence.get(si) and \
                    "\n\n" not in ctx.text[sents[si - 1].end_char:sent.start_char]:
                # "Russian forces attacked X. Russia says 60 were killed, Ukraine says 20.": the previous event
                violent = [c for c in by_sentence.get(si - 1, ()) if c["mode"] is None and c["type"] in VIOLENT]
            if not violent:
                continue
            first = self._first_of_group(by_sentence, violent[0])
            first["fatality_claims"] = [
                {"kind": kind, "value": value, "claimed_by": who,
                 "evidence": ctx.span(sent.start_char + s, sent.start_char + e)} for who, value, s, e in counts]
            values = [value for _, value, _, _ in counts]
            first["fatalities"][kind] = min(values)
            first["fatality_range"] = {kind: (min(values), max(values))}
            handled.add((si, kind))
        return handled

    def _single_victims(self, ctx, sents, by_sentence) -> None:
        """Numberless victims ("a civilian was killed", "killed a resident", "the driver died", "a body was found"):
        one each (a couple: two), for events no figure counted; the next sentence counts when it tells no event."""
        for si, cands in by_sentence.items():
            events = [c for c in cands if c["mode"] is None and c["type"] in VIOLENT]
            if not events:
                continue
            sent = sents[si]
            texts = [sent.text]
            if si + 1 < len(sents) and not by_sentence.get(si + 1) \
                    and "\n" not in ctx.text[sent.end_char:sents[si + 1].start_char]:
                texts.append(sents[si + 1].text)  # "A drone hit a car near Beryslav. The driver was killed."
            found: dict[str, int] = {}
            for text in texts:
                spans: list[tuple[int, int]] = []
                for kind, n, s, e in self.casualty_patterns.victims_in(text):
                    if any(s < e2 and s2 < e for s2, e2 in spans):
                        continue  # two patterns on the same words count once
                    spans.append((s, e))
                    found[kind] = found.get(kind, 0) + n
            for cand in events:
                first = self._first_of_group(by_sentence, cand)
                if first is not cand:
                    continue
                for kind, n in found.items():
                    if kind not in cand["fatalities"]:
                        cand["fatalities"][kind] = n
                break  # the sentence's numberless victims belong to its first event
