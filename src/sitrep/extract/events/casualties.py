"""Casualties of an event: killed/wounded/captured figures of its clause or sentence, numberless deaths ("a
civilian was killed"), counted once per event."""
from __future__ import annotations

import bisect
import re


class Casualties:
    """Mixin of EventsExtractor (its lexicon data is set up in EventsExtractor.__init__)."""

    def _assign_fatalities(self, ctx, sents, para_of, found) -> None:
        violent = {"armed_clash", "shelling", "air_strike", "drone_strike", "missile_strike", "explosion",
                   "mine_ied", "attack_on_civilians", "execution", "pow_mistreatment", "territory_gained",
                   "encirclement", "advance", "retreat", "pow_capture", "air_defence", "protest"}
        starts = [s.start_char for s in sents]
        for fig in ctx.figures:
            if fig.kind not in ("killed", "wounded", "captured"):
                continue
            fstart = getattr(fig, "start", None)
            if fstart is None:
                fstart = fig.evidence.start
            si = max(0, bisect.bisect_right(starts, fstart) - 1)
            sent = sents[si]
            sent_text = sent.text
            local = ctx.text[max(sent.start_char, fstart - 40):min(sent.end_char, fstart + 80)]
            if self.not_own.search(local) or self.background.search(ctx.text[sent.start_char:fstart]):
                continue
            if re.search(r"(?i)\b(including|among them|of whom|of them)\s*$", ctx.text[max(0, fstart - 20):fstart]):
                continue
            value = fig.low if fig.low is not None else fig.value
            if value is None:
                continue
            same = [c for c in found if c["sent"].start == sent.start and c["mode"] is None and c["type"] in violent]
            target = None
            if same:
                ftok = ctx.doc.char_span(fstart, fstart + 1, alignment_mode="expand")
                fi = ftok.start if ftok is not None else None
                in_scope = [c for c in same if fi is not None and fi in c["scope"]]
                pool = in_scope or same
                target = min(pool, key=lambda c: (len(c["scope"]) if fi in c["scope"] else 10 ** 6,
                                                  abs(c["head"].i - (fi or 0))))
            else:
                prev = [c for c in found if c["mode"] is None and c["type"] in violent
                        and c["sent"].start < sent.start and para_of[sents.index(c["sent"])] == para_of[si]
                        and sents.index(c["sent"]) >= si - 1]
                if prev and not any(c["sent"].start == sent.start for c in found):
                    target = prev[-1]
            if target is None:
                continue
            del sent_text
            # every event of a place list shares the sentence; ACLED counts the figure once, for the first place
            group = [c for c in found if c["sent"].start == target["sent"].start and c["head"].i == target["head"].i]
            first = min(group, key=lambda c: c["place"]["start"] if c["place"] else 0)
            key = fig.kind
            first["fatalities"][key] = first["fatalities"].get(key, 0) + int(value)
            first["score"] += 2
        self._single_victims(ctx, found, violent)

    def _single_victims(self, ctx, found, violent) -> None:
        """ "A civilian was killed": one, for events no figure counted."""
        for cand in found:
            if cand["mode"] is not None or cand["type"] not in violent:
                continue
            sent = cand["sent"]
            texts = [sent.text]
            nxt = ctx.sentence_at(sent.end_char + 1) if sent.end_char + 1 < len(ctx.text) else None
            if nxt is not None and nxt.start_char > sent.start_char and "\n" not in ctx.text[sent.end_char:nxt.start_char] \
                    and not any(c["sent"].start == nxt.start for c in found):
                texts.append(nxt.text)  # "A drone hit a car near Beryslav. The driver was killed."
            for m in (m for t in texts for m in self.single_victim.finditer(t)):
                kind = "killed" if m.group("verb").lower() in ("killed", "dead") else "wounded"
                if kind not in cand["fatalities"]:
                    group = [c for c in found if c["sent"].start == sent.start and c["head"].i == cand["head"].i]
                    first = min(group, key=lambda c: c["place"]["start"] if c["place"] else 0)
                    if first is cand:
                        cand["fatalities"][kind] = 1
