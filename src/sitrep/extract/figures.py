"""Figures: every number about the war, with kind, value/range, approximation, subject, side and attribution.

Digits, number words, vague quantities (ACLED conventions), ranges, percentages and money are found with one
compiled regex; what a number counts comes from the parse (the counted noun, the verb that governs it, the words
right after). Dates, ages, durations, distances and ratios are not figures.

Russian and Ukrainian: number words are the lexicon's words in every case form pymorphy3 knows ("двоє" → двох,
двома; "пять" → пяти, пятью), composed ("двадцять п'ять", "сто сорок"); what a number counts is read from its
neighbours first (inflected short clauses put the cue right next to it: "погибли двое, трое ранены"), and a
casualty cue counts people only (an inanimate counted noun — "пострадали 14 домов" — is not a casualty). A
casualty verb agreeing with one singular person ("загинула 64-річна жінка", "мужчина скончался") is a figure of
one, marked `implied`. A count introduced by "in particular / among them" ("в том числе двое детей", "серед них")
is part of the count before it and carries `part_of` (that figure's index), never a total of its own.
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
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


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
        self.not_after_stems = tuple(data["not_figure_after_stems"])
        self.subset_before = re.compile(r"(?i)(?:^|\W)(?:" + _alt(data["subset_before"]) + r")\W*$")
        self.suffer_verbs = set(data["suffer_verbs"])
        self.slavic_words = _inflected_number_words(self.words)
        self.words = {**self.slavic_words, **self.words}
        self.mult = {**_inflected_number_words(self.mult), **self.mult}
        # two compiled patterns: Latin-script words only (English texts; every extra alternative costs at every
        # character) and every language's (Russian and Ukrainian texts)
        self.pattern = self._compile(data, latin_only=True)
        self.pattern_all = self._compile(data, latin_only=False)
        troop_nouns = [cue for cue, kind in self.kind_cues.items() if kind == "troops" and " " not in cue]
        self.soldier_mention = re.compile(rf"(?i)\b(russian|ukrainian|russia's|ukraine's)\s+(?:\w+\s+)?"
                                          rf"(?:{_alt(troop_nouns)})\b")
        self.attributor = Attributor()
        self.lex = lexicon()

    def _compile(self, data: dict, latin_only: bool) -> re.Pattern:
        def keep(items):
            return [w for w in items if not (latin_only and _CYRILLIC.search(w))]

        single = keep(w for w in self.words if " " not in w)
        units = [w for w in single if 1 <= self.words[w] <= 9]
        tens = [w for w in single if self.words[w] in (20, 30, 40, 50, 60, 70, 80, 90)]
        hundreds = [w for w in single if self.words[w] in (100, 200, 300, 400, 500, 600, 700, 800, 900)]
        # "сто двадцять п'ять", "twenty-one", "сорок два": hundreds, tens and units composed
        word_num = rf"(?:(?:{_alt(hundreds)})\s(?=\w))?(?:(?:{_alt(tens)})(?:[- ](?:{_alt(units)}))?|{_alt(single)})"
        digit_num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        mult = rf"(?:\s?(?:{_alt(keep(self.mult))})\b)?"
        if not latin_only:  # "1,5 тис.", "2,3 млн": a decimal comma before a multiplier
            digit_num = rf"\d+,\d{{1,2}}(?=\s?(?:{_alt(keep(self.mult))})\b)|{digit_num}"
        number = rf"(?:{digit_num}|{word_num}(?:\s(?:hundred|thousand|million)(?:\s(?:and\s)?{word_num})?)?){mult}"
        approx = rf"(?P<approx>(?:{_alt(keep(data['approximate_before']))})\s+)?"
        currency = rf"(?:(?P<cur>[{''.join(re.escape(s) for s in self.symbols)}])\s?)?"
        rng = rf"(?:\s?(?:{_alt(keep(data['range_to']))})\s?(?P<high>{number}))?"
        vague = rf"(?P<vague>{_alt(keep(self.vague))})"
        return re.compile(
            rf"(?<![\w.,$€£₴₽'’ʼ]){approx}(?:(?:(?:{_alt(keep(data['range_from']))})\s)?{currency}(?P<low>{number})"
            rf"{rng}|{vague})(?P<pct>\s?(?:%|percent\b|per cent\b|pct\b))?(?![\w:'’ʼ]|[.,]\d)",
            re.IGNORECASE,
        )

    # --- numbers --------------------------------------------------------------------------------------
    def value_of(self, text: str) -> float | None:
        text = _apostrophe(text.lower().strip())
        text = re.sub(r"(?<=\d),(?=\d{1,2}(?!\d))", ".", text).replace(",", "")  # decimal comma, thousands comma
        try:
            return float(text)
        except ValueError:
            pass
        total, current = 0.0, 0.0
        for part in re.split(r"[\s-]+", text):
            if part in ("and", "і", "и") or not part:
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
    def _kind_and_subject(self, ctx: Context, start: int, end: int, is_money: bool, is_pct: bool,
                          slavic: bool = False):
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
        if slavic and noun.i > last.i + 1:
            # "троє мешканців села": the counted noun is the first after the number; the genitives after it modify it
            j = last.i + 1
            while j < noun.i and doc[j].pos_ in ("ADJ", "DET"):
                j += 1
            if doc[j].pos_ in ("NOUN", "PROPN"):
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
        if slavic:
            own = [c for c in window if self.kind_cues.get(c) in CASUALTY_KINDS]  # "4 загиблих": the noun says it
            candidates = own + self._neighbour_cues(doc, span, noun) + candidates
            if noun.i != last.i and not self._person_like(noun):
                # "пострадали 14 домов", "уничтожено 5 танков": a casualty cue counts people, not things
                candidates = [c for c in candidates if self.kind_cues.get(c) not in CASUALTY_KINDS or c in window]
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

    def _neighbour_cues(self, doc, span, noun) -> list[str]:
        """Russian and Ukrainian put the cue next to the number: the words after the number (and its counted noun)
        up to the clause's end, then the words before it ("погибли двое, трое ранены", "убили 1 человека, ранили
        6"); lemmas and forms, nearest first."""
        sent = span[-1].sent
        out: list[str] = []
        j = max(noun.i, span[-1].i) + 1
        while j < sent.end and j <= noun.i + 3 and not (doc[j].is_punct or doc[j].pos_ == "CCONJ" or doc[j].like_num):
            out += [doc[j].lemma_.lower(), doc[j].lower_]
            j += 1
        j = span.start - 1
        while j >= sent.start and j >= span.start - 2 and not (doc[j].is_punct or doc[j].like_num):
            out += [doc[j].lemma_.lower(), doc[j].lower_]
            j -= 1
        return out

    @staticmethod
    def _person_like(noun) -> bool:
        """A counted noun that can be a casualty: animate for pymorphy3 ("жінок", "бійців", "жертв"), or a noun the
        dictionary does not know."""
        from sitrep.slavic import analyzer

        lang = noun.doc.user_data.get("lang")
        if noun.pos_ not in ("NOUN", "PROPN") or not re.search(r"[\u0400-\u04ff]", noun.text):
            return True
        parses = [p for p in analyzer(lang).parse(noun.text) if p.tag.POS == "NOUN"]
        return not parses or any("anim" in p.tag for p in parses[:2])

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
        candidates = [e for e in ctx.starting_in("entities", window_start, start) if e.side in ("RU", "UA")
                      and e.type in ("military_unit", "armed_group")]
        best = candidates[-1].side if candidates else None
        text = ctx.text[window_start:start]
        for m in self.soldier_mention.finditer(text):
            best = "RU" if m.group(1).lower().startswith("russia") else "UA"
        return best

    # --- main -----------------------------------------------------------------------------------------
    def __call__(self, ctx: Context) -> None:
        text = ctx.text
        slavic = ctx.doc.user_data.get("lang") in ("ru", "uk")
        blocked = [(d["start"], d["end"]) for d in ctx.dates]
        blocked += [(e.start, e.end) for e in ctx.entities if e.type == "military_unit"]
        for m in (self.pattern_all if slavic else self.pattern).finditer(text):
            start, end = m.start(), m.end()
            core_start = m.start("low") if m.group("low") else m.start("vague")
            if any(bs <= core_start < be for bs, be in blocked):
                continue
            tail = text[end:end + 20].lower()
            next_word = re.match(r"\s*([\w.'-]+)", tail)
            next_word = next_word.group(1).rstrip(".") if next_word else ""
            if next_word in self.not_after or next_word.lstrip("-") in self.not_after \
                    or tail.startswith(self.not_after_stems):
                continue  # "12-year-old", "55-річна", "86 лет": ages, durations, distances
            low_text = m.group("low")
            vague = m.group("vague")
            if low_text and re.fullmatch(r"(19|20)\d\d", low_text) and not m.group("cur"):
                continue  # a year
            cur_word = next_word.lower() if next_word.lower() in self.currency_words else None
            is_money = bool(m.group("cur") or cur_word)
            is_pct = bool(m.group("pct"))
            kind, subject, noun = self._kind_and_subject(ctx, core_start, end, is_money, is_pct, slavic)
            # "one", "a", "один", "одна" without a casualty: an article or a pronoun, not a count
            one_only = bool(low_text) and not m.group("high") and not re.search(r"\d", low_text) \
                and (low_text.lower() == "a" or self.value_of(low_text) == 1)
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
            fig = self._figure(ctx, kind, value, low, high, approximate, subject, noun, start, end)
            if is_money:
                fig.currency = self.symbols.get(m.group("cur")) if m.group("cur") else self.currency_words[cur_word]
            self._mark_part(ctx, fig)
            ctx.figures.append(fig)
        if slavic:
            self._single_victims(ctx)

    def _figure(self, ctx: Context, kind, value, low, high, approximate, subject, noun, start, end) -> Figure:
        att = self.attributor.for_span(ctx, start, end)
        side = self._side(ctx, subject, noun, start, kind)
        return Figure(kind=kind, value=_num(value), low=_num(low), high=_num(high), approximate=approximate,
                      subject=subject, side=side, claimed_by=att.claimed_by, status=att.status,
                      evidence=ctx.sentence_span(start), start=start, end=end, text=ctx.text[start:end])

    def _mark_part(self, ctx: Context, fig: Figure) -> None:
        """ "3 killed, including 2 children", "загинули троє, серед них двоє дітей": the second count is part of
        the first (same kind, same sentence, before it), not a count of its own."""
        if fig.kind not in CASUALTY_KINDS or not self.subset_before.search(ctx.text[max(0, fig.start - 30):fig.start]):
            return
        for i in range(len(ctx.figures) - 1, -1, -1):
            other = ctx.figures[i]
            if other.kind == fig.kind and other.evidence.start == fig.evidence.start and other.start < fig.start:
                fig.part_of = i
                return

    # --- one person, no number ------------------------------------------------------------------------
    def _single_victims(self, ctx: Context) -> None:
        """ "Загинула 64-річна жінка", "мужчина скончался на месте", "поранено жінку": a casualty verb (or a verb
        of suffering with a casualty noun: "зазнав поранення", "получил ранение") in the singular agreeing with one
        singular person noun of its clause is a figure of one (`implied`: no number is written)."""
        from sitrep.slavic import analyzer

        doc = ctx.doc
        morph = analyzer(doc.user_data.get("lang"))
        counted = [(f.evidence.start, f.kind) for f in ctx.figures if f.kind in ("killed", "wounded")]
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX", "ADJ"):
                continue
            kind = self.kind_cues.get(tok.lemma_.lower()) or self.kind_cues.get(tok.lower_)
            if kind is None and tok.lemma_.lower() in self.suffer_verbs:
                near = [t for t in doc[max(tok.sent.start, tok.i - 3):min(tok.sent.end, tok.i + 4)] if t.i != tok.i]
                kind = next((self.kind_cues.get(t.lower_) for t in near if t.pos_ == "NOUN"
                             and self.kind_cues.get(t.lower_) in ("wounded", "killed")), None)
            if kind not in ("killed", "wounded"):
                continue
            verb = next((p for p in morph.parse(tok.text) if p.tag.POS in ("VERB", "PRTS", "PRTF")), None)
            if verb is None or "plur" in verb.tag or "impr" in verb.tag:
                continue  # the Ukrainian dictionary marks the plural only ("загинула": femn, past)
            impersonal = "Impe" in verb.tag or tok.lower_.endswith(("но", "то"))
            clause = self._clause(doc, tok)
            victim = None
            for t in sorted(clause, key=lambda t: abs(t.i - tok.i)):
                if t.pos_ not in ("NOUN", "PROPN") or abs(t.i - tok.i) > 6:
                    continue
                if self._one_person(morph, t, "accs" if impersonal else "nomn") and not self._numbered(t):
                    victim = t
                    break
            if victim is None or (ctx.sentence_span(tok.idx).start, kind) in counted:
                continue
            start, end = victim.idx, victim.idx + len(victim.text)
            mods = [t for t in victim.lefts if t.dep_ in ("amod", "compound") and t.i >= min(clause).i]
            subject = doc[min([victim.i] + [t.i for t in mods]):victim.i + 1].text
            fig = self._figure(ctx, kind, 1, None, None, False, subject, victim, start, end)
            fig.implied = True
            counted.append((fig.evidence.start, kind))
            ctx.figures.append(fig)

    @staticmethod
    def _clause(doc, tok) -> list:
        """The tokens of `tok`'s clause: its sentence between the punctuation marks around it."""
        sent = tok.sent
        lo = tok.i
        while lo > sent.start and not doc[lo - 1].is_punct:
            lo -= 1
        hi = tok.i
        while hi + 1 < sent.end and not doc[hi + 1].is_punct:
            hi += 1
        return list(doc[lo:hi + 1])

    @staticmethod
    def _one_person(morph, tok, case: str) -> bool:
        parses = [p for p in morph.parse(tok.text) if p.tag.POS == "NOUN"]
        return bool(parses) and any("anim" in p.tag and "plur" not in p.tag and case in p.tag for p in parses[:2]) \
            and not tok.text.isupper()

    @staticmethod
    def _numbered(tok) -> bool:
        """A noun counted by a number ("двоє чоловіків", "4 людини"): not one person."""
        doc = tok.doc
        j = tok.i - 1
        while j >= tok.sent.start and doc[j].pos_ in ("ADJ", "DET") and tok.i - j < 4:
            j -= 1
        return j >= tok.sent.start and (doc[j].pos_ == "NUM" or doc[j].like_num)


_APOSTROPHES = re.compile(r"[’ʼ`]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _apostrophe(word: str) -> str:
    return _APOSTROPHES.sub("'", word)


def _inflected_number_words(words: dict) -> dict:
    """Every case form of the lexicon's Cyrillic number words (from pymorphy3's dictionaries of both languages),
    with its value; apostrophe variants (п'ять, п’ять, пʼять) included."""
    from sitrep.slavic import analyzer

    out: dict[str, float] = {}
    for word, value in words.items():
        if " " in word or not re.search(r"[\u0400-\u04ff]", word):
            continue
        for lang in ("ru", "uk"):
            for parse in analyzer(lang).parse(word):
                tag = parse.tag
                if parse.word != word or not (tag.POS == "NUMR" or "Anum" in tag.grammemes or tag.POS == "NOUN"
                                              and parse.normal_form == word):
                    continue
                for form in parse.lexeme:
                    out.setdefault(form.word, value)
                break
        out.setdefault(word, value)
    for word in list(out):
        if "'" in word:
            for mark in "’ʼ":
                out.setdefault(word.replace("'", mark), out[word])
    return out


def _num(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
