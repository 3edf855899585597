"""Figures: every number about the war, with kind, value/range, approximation, subject, side and attribution.

Digits, number words, vague quantities (ACLED conventions), ranges, percentages and money are found with one
compiled regex; what a number counts comes from the parse (the counted noun, the verb that governs it, the words
right after). Dates, ages, durations, distances and ratios are not figures.
"""
from __future__ import annotations

import re

from sitrep.actors import lexicon
from sitrep.attribution import Attributor
from sitrep.extract.base import Context
from sitrep.lexicon import load_yaml
from sitrep.model import Figure

CASUALTY_KINDS = ("killed", "wounded", "captured", "missing", "deserted", "remaining")
PEOPLE_KINDS = CASUALTY_KINDS + ("troops",)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class FiguresExtractor:
    name = "figures"

    def __init__(self, nlp) -> None:
        data = load_yaml("figures.yaml")
        self.words = data["number_words"]
        self.mult = data["multipliers"]
        self.vague = data["vague"]
        self.vague_needs_kind = set(data["vague_needs_kind"])
        self.symbols = data["currencies"]["symbols"]
        self.currency_words = data["currencies"]["words"]
        self.percent_lost_cues = set(data["percent_lost_cues"])
        self.civilian_nouns = set(data["civilian_nouns"])
        self.first_person = set(data["first_person"])
        self.kind_cues: dict[str, str] = {}
        for kind, cues in data["kinds"].items():
            for cue in cues:
                self.kind_cues.setdefault(cue.lower(), kind)
        self.not_after = set(data["not_figure_after"])
        word_num = rf"(?:{_alt([w for w in self.words if ' ' not in w])})(?:[- ](?:{_alt(['one','two','three','four','five','six','seven','eight','nine'])}))?"
        digit_num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        mult = rf"(?:\s?(?:{_alt(self.mult)})\b)?"
        number = rf"(?:{digit_num}|{word_num}(?:\s(?:hundred|thousand|million)(?:\s(?:and\s)?{word_num})?)?){mult}"
        approx = rf"(?P<approx>(?:{_alt(data['approximate_before'])})\s+)?"
        currency = rf"(?P<cur>[{''.join(re.escape(s) for s in self.symbols)}])?\s?"
        rng = rf"(?:\s?(?:-|–|to|and|or)\s?(?P<high>{number}))?"
        vague = rf"(?P<vague>{_alt(self.vague)})"
        self.pattern = re.compile(
            rf"(?<![\w.,$€£₴₽]){approx}(?:(?:(?:between|from)\s)?{currency}(?P<low>{number}){rng}|{vague})"
            rf"(?P<pct>\s?(?:%|percent\b|per cent\b|pct\b))?(?![\w,:]|\.\d)",
            re.IGNORECASE,
        )
        troop_nouns = [cue for cue, kind in self.kind_cues.items() if kind == "troops" and " " not in cue]
        self.soldier_mention = re.compile(rf"(?i)\b(russian|ukrainian|russia's|ukraine's)\s+(?:\w+\s+)?"
                                          rf"(?:{_alt(troop_nouns)})\b")
        self.attributor = Attributor()
        self.lex = lexicon()

    # --- numbers --------------------------------------------------------------------------------------
    def value_of(self, text: str) -> float | None:
        text = text.lower().replace(",", "").strip()
        try:
            return float(text)
        except ValueError:
            pass
        total, current = 0.0, 0.0
        for part in re.split(r"[\s-]+", text):
            if part == "and" or not part:
                continue
            if part in self.words:
                current += self.words[part]
            elif part in self.mult:
                current = (current or 1) * self.mult[part]
                if self.mult[part] >= 1000:
                    total, current = total + current, 0.0
            else:
                try:
                    current += float(part)
                except ValueError:
                    return None
        return total + current

    # --- classification -------------------------------------------------------------------------------
    def _kind_and_subject(self, ctx: Context, start: int, end: int, is_money: bool, is_pct: bool):
        doc = ctx.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return "other", None, None
        last = span[-1]
        sent = last.sent
        noun = last.head if last.dep_ in ("nummod", "quantmod", "amod", "compound") and last.head.i != last.i \
            else last
        if noun.i == last.i and last.i + 1 < sent.end and doc[last.i + 1].lower_ == "of":
            of = doc[last.i + 1]
            pobj = [c for c in of.children if c.dep_ == "pobj"]
            if pobj:
                noun = pobj[0]
        elif noun.i == last.i and last.i + 1 < sent.end and doc[last.i + 1].pos_ in ("NOUN", "PROPN", "ADJ"):
            j = last.i + 1
            while j + 1 < sent.end and doc[j + 1].pos_ in ("NOUN", "PROPN") and j - last.i < 4:
                j += 1
            noun = doc[j]
        if is_money:
            return "money", noun.text if noun.i != last.i else None, noun
        mods = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and t.i > last.i]
        subject = doc[min([noun.i] + [t.i for t in mods]):noun.i + 1].text if noun.i != last.i else None
        window = [noun.lemma_.lower(), noun.lower_]
        verb = noun.head
        steps = 0
        while verb.pos_ not in ("VERB", "AUX", "ADJ") and verb.head.i != verb.i and steps < 3:
            verb = verb.head
            steps += 1
        after = [t.lower_ for t in doc[noun.i + 1:min(sent.end, noun.i + 4)]]
        if is_pct:
            context = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
            return ("percent_lost" if context & self.percent_lost_cues else "other"), subject, noun
        # 1. the verb that governs the counted noun; 2. the words right after; 3. the noun itself
        candidates = [verb.lemma_.lower(), verb.lower_] + after[:2] + window
        for i, tok in enumerate(after[:-1]):
            candidates.append(f"{tok} {after[i + 1]}")
        for cue in candidates:
            kind = self.kind_cues.get(cue)
            if kind and not (kind == "remaining" and cue == "only"):
                if kind in ("troops", "settlements", "equipment") and cue not in window:
                    continue
                return kind, subject, noun
        if doc[max(sent.start, span.start - 1)].lower_ == "only" and (subject is None or noun.lower_ in
                                                                       self.first_person):
            return "remaining", subject, noun
        return "other", subject, noun

    def _side(self, ctx: Context, subject: str | None, noun, start: int, kind: str) -> str | None:
        if subject:
            side = self.lex.side_of_words(subject)
            if side:
                return side
        if noun is not None:
            near = ctx.doc[max(noun.sent.start, noun.i - 4):noun.i + 1].text
            side = self.lex.side_of_words(near)
            if side:
                return side
            if noun.lower_ in self.civilian_nouns:
                return "civilian"
            if noun.lower_ in self.first_person or self.kind_cues.get(noun.lower_) == "troops" or \
                    (kind in ("remaining", "deserted") and noun.lower_ == "people"):
                return self._side_from_context(ctx, start)
        return None

    def _side_from_context(self, ctx: Context, start: int) -> str | None:
        """The side of the nearest soldier-like mention or unit in the preceding sentences."""
        window_start = max(0, start - 900)
        candidates = [e for e in ctx.entities if window_start <= e.start < start and e.side in ("RU", "UA")
                      and e.type in ("military_unit", "armed_group")]
        best = candidates[-1].side if candidates else None
        text = ctx.text[window_start:start]
        for m in self.soldier_mention.finditer(text):
            best = "RU" if m.group(1).lower().startswith("russia") else "UA"
        return best

    # --- main -----------------------------------------------------------------------------------------
    def __call__(self, ctx: Context) -> None:
        text = ctx.text
        blocked = [(d["start"], d["end"]) for d in ctx.dates]
        blocked += [(e.start, e.end) for e in ctx.entities if e.type == "military_unit"]
        for m in self.pattern.finditer(text):
            start, end = m.start(), m.end()
            core_start = m.start("low") if m.group("low") else m.start("vague")
            if any(bs <= core_start < be for bs, be in blocked):
                continue
            tail = text[end:end + 20].lower()
            next_word = re.match(r"\s*([\w.'-]+)", tail)
            next_word = next_word.group(1).rstrip(".") if next_word else ""
            if next_word in self.not_after or re.match(r"-year", tail):
                continue
            low_text = m.group("low")
            vague = m.group("vague")
            if low_text and re.fullmatch(r"(19|20)\d\d", low_text) and not m.group("cur"):
                continue  # a year
            if low_text and low_text.lower() in ("one", "a") and not m.group("high"):
                one_only = True
            else:
                one_only = False
            cur_word = next_word.lower() if next_word.lower() in self.currency_words else None
            is_money = bool(m.group("cur") or cur_word)
            is_pct = bool(m.group("pct"))
            kind, subject, noun = self._kind_and_subject(ctx, core_start, end, is_money, is_pct)
            if (one_only or (vague and vague.lower() in self.vague_needs_kind)) and kind not in CASUALTY_KINDS:
                continue
            if vague and text[max(0, start - 4):start].lower().strip() in ("how", "so", "too", "as"):
                continue  # "how many injured", "so many": questions and comparisons, not counts
            if vague:
                value, low, high = float(self.vague[vague.lower()]), None, None
                approximate = True
            else:
                low = self.value_of(low_text)
                high = self.value_of(m.group("high")) if m.group("high") else None
                if low is None:
                    continue
                value = low
                approximate = bool(m.group("approx")) or high is not None
                if high is None:
                    low = high = None
            if low_text and re.fullmatch(r"\d{10,}", low_text):
                continue  # identifiers and phone numbers, not counts
            att = self.attributor.for_span(ctx, start, end)
            evidence = ctx.sentence_span(start)
            side = self._side(ctx, subject, noun, start, kind)
            fig = Figure(kind=kind, value=_num(value), low=_num(low), high=_num(high), approximate=approximate,
                         subject=subject, side=side, claimed_by=att.claimed_by, status=att.status,
                         evidence=evidence, start=start, end=end, text=text[start:end])
            if is_money:
                fig.currency = self.symbols.get(m.group("cur")) if m.group("cur") else self.currency_words[cur_word]
            ctx.figures.append(fig)


def _num(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
