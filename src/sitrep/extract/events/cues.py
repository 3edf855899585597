"""Cue matching: word and phrase cues of `lexicons/events.yaml` found in a sentence on each token's lemma or
lower-cased form."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cue:
    words: tuple[str, ...]
    kind: str  # "trigger" | "generic" | "instrument"
    type: str | None = None
    variant: str | None = None
    pos: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


@dataclass
class Match:
    start: int  # token indices, end exclusive
    end: int
    cue: Cue

    @property
    def length(self) -> int:
        return self.end - self.start


class CueMatcher:
    """Word/phrase cues matched on each token's lemma or lower-cased form; "~" skips up to three tokens."""

    def __init__(self, nlp) -> None:
        self.by_first: dict[str, list[Cue]] = {}
        self.tokenizer = nlp.tokenizer

    def add(self, phrase: str, cue_kwargs: dict) -> None:
        words = tuple(t.lower_ for t in self.tokenizer(phrase.strip()) if not t.is_space)
        if not words:
            return
        cue = Cue(words=words, **cue_kwargs)
        self.by_first.setdefault(words[0], []).append(cue)

    @staticmethod
    def _eq(word: str, tok) -> bool:
        return word == tok.lower_ or word == tok.lemma_.lower()

    def _match_from(self, words, sent, i, end) -> int | None:
        """End index (exclusive) of `words` matched at token i of the sentence, or None."""
        j = i
        k = 0
        while k < len(words):
            w = words[k]
            if w == "~":
                nxt = words[k + 1]
                for skip in range(0, 4):
                    if j + skip < end and self._eq(nxt, sent.doc[j + skip]):
                        j = j + skip + 1
                        k += 2
                        break
                else:
                    return None
                continue
            if j >= end or not self._eq(w, sent.doc[j]):
                return None
            j += 1
            k += 1
        return j

    def find(self, sent) -> list[Match]:
        out: list[Match] = []
        end = sent.end
        for i in range(sent.start, end):
            tok = sent.doc[i]
            keys = dict.fromkeys((tok.lower_, tok.lemma_.lower()))  # ordered: the same output under any hash seed
            for key in keys:
                for cue in self.by_first.get(key, ()):
                    if cue.pos and tok.pos_ not in cue.pos:
                        continue
                    stop = self._match_from(cue.words, sent, i, end)
                    if stop is not None:
                        out.append(Match(i, stop, cue))
        return out


def _non_overlapping(matches: list[Match]) -> list[Match]:
    """Type cues before generic ones ("нанести ~ удар" must not swallow "ракетный удар"), then longest first; a
    match overlapping a kept one is dropped."""
    kept: list[Match] = []
    taken: set[int] = set()
    for m in sorted(matches, key=lambda m: (m.cue.kind == "generic", -m.length, m.start)):
        span = set(range(m.start, m.end))
        if span & taken:
            continue
        kept.append(m)
        taken |= span
    return sorted(kept, key=lambda m: m.start)
