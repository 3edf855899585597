"""Events: what happened, typed in sitrep's vocabulary and ACLED's, with actors, targets, place, date, fatalities,
status and mode, most salient first.

Per sentence: cue words and phrases from `lexicons/events.yaml` find triggers; cues in the same clause (the same
governing verb) make one event, typed by the most decisive cue, and generic cues ("attack", "strike", "hit") are
typed by the weapon named in the clause ("Shahed" → drone_strike) or by what was hit. The parse gives actors
(subject, "by X", "Russian shelling") and targets (object, "on X"), the place (places in the clause, the most
specific and nearest first; a coordinated list of places gives one event per place), the date (an explicit date in
the clause wins over a relative one; else the publication date) and the fatalities (killed/wounded/captured figures
of the clause or sentence). Status and source come from the shared `sitrep.attribution.Attributor`. Future,
hypothetical and negated events carry `mode` and sort last. The ACLED names come from `lexicons/acled.yaml` only.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from sitrep.actors import lexicon
from sitrep.attribution import Attributor
from sitrep.extract.base import Context
from sitrep.lexicon import compile_alternation, load_yaml
from sitrep.model import Actor, Event, Fatalities

PRECISION_RANK = {"exact": 6, "settlement": 5, "admin3": 4, "admin2": 3, "admin1": 2, "country": 1, "unresolved": 0}
KIND_RANK = {"settlement": 5, "feature": 5, "district": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 1,
             "unknown": 2}
LIST_GAP = re.compile(r"^\s*(?:,|and|or|&|, and|, or|as well as)\s*$", re.IGNORECASE)
QUALIFIER_AFTER = re.compile(r"^\s*(?:region|oblast|district|raion|province|governorate|area)\b", re.IGNORECASE)
MONTHS = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\d")
ARG_PREPS_TARGET = {"on", "at", "against", "upon", "of", "targeting", "into"}
VERB_TARGET_PREPS = {"on", "at", "against", "upon"}
ATTEMPT_WORDS = re.compile(r"\b(?:attempt(?:ed|ing)?|tr(?:y|ied|ying)|fail(?:ed|ing)?|push(?:ed|ing)?|bid)\s+(?:to\s+)?"
                           r"(?:take|capture|seize|storm|encircle|advance|break through|reach|surround)\w*", re.I)
SENTENCE_INITIAL_DATE = re.compile(r"^\W*(?:on|in|around|about|between|early|late|overnight|during)?\s*"
                                   r"(?:the\s+)?(?:night\s+of\s+|morning\s+of\s+|evening\s+of\s+)?$", re.I)
CIVILIAN_VICTIMS = re.compile(r"\b(?:kill|killing|killed|wounding|wounded|injuring|injured|abducting|abducted)\s+"
                              r"(?:\w+\s+){0,3}?(?:civilians|villagers|residents|worshippers|people|women|children|"
                              r"farmers|passengers)\b", re.I)
SPECIFIC_REMOTE = {"mine_ied", "drone_strike", "missile_strike", "air_strike", "shelling"}
MOVEMENT_TYPES = {"retreat", "advance", "armed_clash", "territory_gained", "encirclement"}
DIRECTION_AFTER = re.compile(r"^\s+(?:direction|axis|sector|front)\b", re.I)
DIRECTION_BEFORE = re.compile(r"\b(?:in|on|towards?) the direction of\s+$", re.I)
NOT_TARGET_WORDS = {"border", "outskirts", "front", "frontline", "line", "direction", "day", "night", "morning",
                    "evening", "side", "way", "edge", "territory", "ground", "area", "basis", "behalf"}
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "continue", "begin", "intensify", "step", "undertake",
               "make", "resume", "unleash", "commit", "perpetrate", "fire", "use", "lead", "organise", "organize",
               "hold", "start", "initiate", "wage", "perform", "execute", "deliver", "inflict", "attempt", "try"}
SUFFER_VERBS = {"suffer", "withstand", "endure", "face", "survive", "come", "sustain", "experience", "repel",
                "repulse", "thwart", "witness", "see", "hit", "rock", "shake"}
INTRANSITIVE = {"retreat", "advance", "desertion", "refusal_to_fight", "mobilization", "protest", "armed_clash",
                "encirclement"}
FORCE_VERBS = {"force", "begin", "start", "continue", "go", "order", "push", "launch", "mount", "stage", "attempt",
               "try", "make", "resume", "announce", "beat", "stop", "halt", "join", "hold"}
ACCUSE_VERBS = {"accuse", "blame", "suspect", "charge", "force", "order", "see", "report", "say", "believe",
                "allege", "claim", "think", "know", "understand", "expect"}
ATTEMPT_HEADS = {"attempt", "try", "seek", "strive"}
SUBJ = ("nsubj", "nsubjpass", "csubj")


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
    """Longest first; a match overlapping a kept one is dropped."""
    kept: list[Match] = []
    taken: set[int] = set()
    for m in sorted(matches, key=lambda m: (-m.length, m.start)):
        span = set(range(m.start, m.end))
        if span & taken:
            continue
        kept.append(m)
        taken |= span
    return sorted(kept, key=lambda m: m.start)


def _head_of(doc, start: int, end: int):
    """The token of [start, end) whose head lies outside the span."""
    for i in range(start, end):
        tok = doc[i]
        if tok.head.i < start or tok.head.i >= end or tok.head.i == tok.i:
            return tok
    return doc[start]


def _clause_verb(tok):
    """The verb whose clause the token belongs to (itself if it is a verb)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "amod":
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _phrase(tok):
    """Token range of a noun phrase headed by tok, without relative clauses or trailing prepositions."""
    left, right = tok.i, tok.i
    for child in tok.children:
        if child.dep_ in ("relcl", "acl", "prep", "punct", "appos", "advcl", "cc") and child.i > tok.i:
            continue
        if child.dep_ == "conj":
            sub = [t.i for t in child.subtree]
            right = max(right, max(sub))
            continue
        sub = [t.i for t in child.subtree]
        left, right = min(left, min(sub)), max(right, max(sub))
    return left, right + 1


class EventsExtractor:
    name = "events"

    def __init__(self, nlp) -> None:
        lex = load_yaml("events.yaml")
        acled = load_yaml("acled.yaml")
        self.sub_to_type: dict[str, str] = {}
        for ev_type, subs in acled["event_types"].items():
            for sub in subs:
                self.sub_to_type[sub] = ev_type
        self.mapping: dict[str, dict] = acled["mapping"]
        for sitrep_type, variants in self.mapping.items():
            for sub in variants.values():
                if sub is not None and sub not in self.sub_to_type:
                    raise ValueError(f"acled.yaml: {sitrep_type} maps to unknown sub-event type {sub!r}")
        self.matcher = CueMatcher(nlp)
        self.priority: dict[str, int] = {}
        for rank, (ev_type, groups) in enumerate(lex["triggers"].items()):
            self.priority.setdefault(ev_type, rank)
            for group in groups:
                kwargs = {"kind": "trigger", "type": ev_type, "variant": group.get("variant"),
                          "pos": tuple(group.get("pos", ())),
                          "extra": {k: v for k, v in group.items() if k not in ("cues", "variant", "pos")}}
                for phrase in group["cues"]:
                    self.matcher.add(str(phrase), kwargs)
        for phrase, spec in lex["generic"].items():
            spec = dict(spec)
            pos = tuple(spec.pop("pos", ()))
            self.matcher.add(phrase, {"kind": "generic", "pos": pos, "extra": spec})
        self.instrument_rank: dict[str, int] = {}
        for rank, group in enumerate(lex["instruments"]):
            for phrase in group["cues"]:
                self.matcher.add(str(phrase), {"kind": "instrument", "type": group["type"],
                                               "variant": group.get("variant"),
                                               "extra": {"rank": rank, "only_for": group.get("only_for")}})
        self.instrument_side = {str(k).lower(): v for k, v in lex.get("instrument_sides", {}).items()}
        self.side_forces = lex.get("side_forces", {})
        self.instrument_words = {str(w).lower() for g in lex["instruments"] for w in g["cues"] if " " not in str(w)}
        self.target_classes = {k: {str(w).lower() for w in v} for k, v in lex["target_classes"].items()}
        mode = lex["mode"]
        self.negations = set(mode["negation"])
        self.future_aux = set(mode["future_aux"])
        self.hypo_aux = set(mode["hypothetical_aux"])
        self.hypo_marks = set(mode["hypothetical_marks"])
        self.future_heads = set(mode["future_heads"])
        self.hypo_heads = set(mode["hypothetical_heads"])
        self.hypo_mods = set(mode["hypothetical_modifiers"])
        self.background = re.compile(
            r"(?i)\b(?:" + "|".join(re.escape(w) for w in sorted(lex["background"], key=len, reverse=True)) + r")\b")
        self.not_own = re.compile(r"(?i)(?:" + "|".join(
            re.escape(w).replace(r"\~", r"(?:\W+\w+){0,3}\W+").replace(r"\ ~\ ", r"(?:\W+\w+){0,3}\W+")
            for w in lex["not_own_fatalities"]) + r")")
        self.protest_variants = {k: compile_alternation(v) for k, v in lex.get("protest_variants", {}).items()}
        self.absorbed_by = {k: set(v) for k, v in lex.get("absorbs", {}).items()}
        victims = sorted((self.target_classes["civilians"] | self.target_classes["troops"]) - {"people", "personnel"},
                         key=len, reverse=True)
        self.single_victim = re.compile(
            r"(?i)\b(?:a|an|the|one|another)\s+(?:[\w-]+\s+){0,2}?(?:" + "|".join(re.escape(v) for v in victims)
            + r")\s+(?:was|has been|had been|is)\s+(?:reportedly\s+)?(?P<verb>killed|wounded|injured)\b")
        self.attributor = Attributor()
        self.actors = lexicon()

    # ------------------------------------------------------------------------------------------------
    def acled_for(self, ev_type: str, variant: str | None) -> tuple[str | None, str | None]:
        variants = self.mapping.get(ev_type) or {}
        sub = variants.get(variant) if variant in variants else variants.get("default")
        return (self.sub_to_type.get(sub) if sub else None), sub

    # ------------------------------------------------------------------------------------------------
    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        sents = list(doc.sents)
        # paragraph number of each sentence (blank line or newline separated)
        newlines = [i for i, ch in enumerate(ctx.text) if ch == "\n"]
        para_of = [bisect.bisect_right(newlines, s.start_char) for s in sents]
        self._place_tokens = self._index_places(ctx)
        found: list[dict] = []
        for si, sent in enumerate(sents):
            for cand in self._sentence_events(ctx, sent, si):
                cand["para"] = para_of[si]
                found.append(cand)
        self._assign_fatalities(ctx, sents, para_of, found)
        self._inherit_dates(found)
        events = []
        for cand in found:
            events.append(self._to_event(ctx, cand))
        order = sorted(range(len(events)), key=lambda i: (found[i]["mode"] is not None, -found[i]["score"],
                                                          found[i]["start"]))
        ctx.events.extend(events[i] for i in order)

    # ------------------------------------------------------------------------------------------------
    def _index_places(self, ctx: Context) -> list[dict]:
        """Places (from ctx.places, else spaCy's GPE/LOC entities) with their head token."""
        doc = ctx.doc
        blocked = [(e.start, e.end) for e in ctx.entities if e.type in ("agency", "organisation", "armed_group",
                                                                          "military_unit", "role")]
        out = []
        spans = [(p.start, p.end) for p in ctx.places]
        for i, p in enumerate(ctx.places):
            if any(s <= p.start and p.end <= e for s, e in blocked):
                continue
            if any(s <= p.start and p.end <= e and (e - s) > (p.end - p.start) for s, e in spans):
                continue  # "Kramatorsk" inside "Kramatorsk district": the district is the place
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            prec = getattr(p, "precision", "unresolved") or "unresolved"
            # how specific the place is: its kind (a village placed only at its oblast is still a village)
            rank = KIND_RANK.get(p.kind, 2) if p.kind != "unknown" else PRECISION_RANK.get(prec, 0)
            out.append({"index": i, "start": p.start, "end": p.end, "name": p.name or p.text, "head": span.root,
                        "rank": rank, "kind": p.kind, "lat": p.lat, "lon": p.lon, "tok_start": span.start,
                        "tok_end": span.end})
        if not ctx.places:
            for ent in doc.ents:
                if ent.label_ not in ("GPE", "LOC", "FAC"):
                    continue
                if any(s <= ent.start_char and ent.end_char <= e for s, e in blocked):
                    continue
                low = ent.text.lower()
                if low.endswith(("ian", "ians", "ean", "ese")) and self.actors.nationality.get(low):
                    continue
                rank = 1 if low in ("russia", "ukraine", "the russian federation") else 3
                out.append({"index": None, "start": ent.start_char, "end": ent.end_char, "name": ent.text,
                            "head": ent.root, "rank": rank, "kind": "unknown", "lat": None, "lon": None,
                            "tok_start": ent.start, "tok_end": ent.end})
            # names coordinated with a place are places too ("shelled Dibrovne, Dolyna and Chepil")
            seen = {p["head"].i for p in out}
            for p in list(out):
                for tok in list(p["head"].conjuncts):
                    if tok.pos_ == "PROPN" and tok.i not in seen and tok.ent_type_ not in ("DATE", "TIME") \
                            and not self.actors.nationality.get(tok.lower_):
                        left = min(t.i for t in tok.subtree if t.dep_ == "compound" or t.i == tok.i)
                        span = doc[left:tok.i + 1]
                        seen.add(tok.i)
                        out.append({"index": None, "start": span.start_char, "end": span.end_char, "name": span.text,
                                    "head": tok, "rank": p["rank"], "kind": "unknown", "lat": None, "lon": None,
                                    "tok_start": span.start, "tok_end": span.end})
        return out

    # ------------------------------------------------------------------------------------------------
    def _sentence_events(self, ctx: Context, sent, si: int) -> list[dict]:
        text = sent.text.strip()
        if not text or text.endswith("?"):
            return []
        matches = self.matcher.find(sent)
        if not matches:
            return []
        instruments = [m for m in matches if m.cue.kind == "instrument"]
        events = _non_overlapping([m for m in matches if m.cue.kind != "instrument"])
        # instruments that are part of a trigger phrase ("drone strike") do not type other cues
        taken = {i for m in events for i in range(m.start, m.end)}
        instruments = [m for m in instruments if not (set(range(m.start, m.end)) & taken)]
        doc = ctx.doc
        by_clause: dict[int, list] = {}
        for m in events:
            head = _head_of(doc, m.start, m.end)
            first = doc[m.start]
            if (head.dep_ == "amod" and head.pos_ == "VERB") or (first.dep_ == "amod" and first.pos_ == "VERB"
                                                                  and first.tag_ == "VBN"):
                continue  # "the destroyed warehouse", "heavily shelled cities": a state, not an event
            verb = _clause_verb(head)
            by_clause.setdefault(verb.i, []).append((m, head))
        by_clause = self._merge_clauses(doc, by_clause)
        out = []
        for verb_i, items in by_clause.items():
            verb = doc[verb_i]
            scope = {t.i for t in self._extended_root(verb).subtree}
            cand = self._type_clause(ctx, sent, verb, scope, items, instruments)
            if cand is None:
                continue
            out.extend(cand)
        # protest absorbs arrests/clashes in its sentence (ACLED: protest with intervention, violent demonstration)
        types = {c["type"] for c in out}
        for absorber, absorbed in self.absorbed_by.items():
            if absorber in types:
                out = [c for c in out if c["type"] not in absorbed]
        return out

    @staticmethod
    def _extended_root(verb):
        """The verb whose subtree is the event's clause: climbs "forced to withdraw", "were forced into a retreat"."""
        cur = verb
        for _ in range(3):
            if cur.dep_ in ("xcomp",) and cur.head.i != cur.i:
                cur = cur.head
            else:
                break
        return cur

    @staticmethod
    def _merge_clauses(doc, by_clause: dict) -> dict:
        """A clause with only generic cues joins a nearby clause with a type cue ("killed by Russian shelling",
        parsed as two verbs): one event, in the clause of the higher verb."""
        def has_trigger(items):
            return any(m.cue.kind == "trigger" for m, _ in items)

        changed = True
        while changed:
            changed = False
            for a in list(by_clause):
                if a not in by_clause or has_trigger(by_clause[a]):
                    continue
                for b in list(by_clause):
                    if b == a or not has_trigger(by_clause[b]):
                        continue
                    va, vb = doc[a], doc[b]
                    for lower, upper in ((va, vb), (vb, va)):
                        cur, steps = lower, 0
                        while cur.head.i != cur.i and steps < 3 and cur.dep_ not in ("ccomp", "conj", "parataxis"):
                            cur, steps = cur.head, steps + 1
                            if cur.i == upper.i:
                                break
                        if cur.i == upper.i and steps:
                            items = by_clause.pop(a) + by_clause.pop(b)
                            by_clause[upper.i] = by_clause.get(upper.i, []) + items
                            changed = True
                            break
                    if changed:
                        break
                if changed:
                    break
        return by_clause

    def _target_class(self, ctx, tokens) -> str | None:
        if tokens:
            head = min(tokens, key=lambda t: len(list(t.ancestors)))  # "civilian homes": the homes decide
            for cls in ("property", "military", "civilians"):
                if head.lower_ in self.target_classes[cls] or head.lemma_.lower() in self.target_classes[cls]:
                    return cls
        words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}
        text = " ".join(t.lower_ for t in tokens)
        for cls in ("civilians", "military", "property"):
            for w in self.target_classes[cls]:
                if (" " in w and w in text) or w in words:
                    return cls
        heads = {p["head"].i for p in self._place_tokens}
        if any(t.i in heads for t in tokens):
            return "place"
        return None

    def _type_clause(self, ctx, sent, verb, scope, items, instruments):
        doc = ctx.doc
        triggers = [(m, h) for m, h in items if m.cue.kind == "trigger"]
        generics = [(m, h) for m, h in items if m.cue.kind == "generic"]
        clause_instr = sorted([m for m in instruments if m.start in scope],
                              key=lambda m: (m.cue.extra["rank"], m.start))
        if triggers:
            absorbers = [mh for mh in triggers if mh[0].cue.type in self.absorbed_by]
            if absorbers and any(mh[0].cue.type in self.absorbed_by[absorbers[0][0].cue.type] for mh in triggers):
                triggers = absorbers  # "rioters set fire to shops": one violent demonstration, not arson
            triggers.sort(key=lambda mh: (bool(mh[0].cue.extra.get("weak")), mh[1].i != verb.i and mh[1].pos_ != "VERB",
                                          self.priority.get(mh[0].cue.type, 99), mh[0].start))
            m, head = triggers[0]
            ev_type, variant = m.cue.type, m.cue.variant
            if ev_type == "explosion" and variant is None:
                # "a roadside bomb exploded": the specific weapon cue says more than the explosion verb
                specific = [(tm, th) for tm, th in triggers if tm.cue.type in SPECIFIC_REMOTE]
                if specific:
                    m, head = specific[0]
                    ev_type, variant = m.cue.type, m.cue.variant
            # a weapon word makes a weaker remote-violence cue precise ("explosion" + "drone" → drone_strike)
            if ev_type in ("explosion", "armed_clash") and clause_instr and variant is None:
                instr = clause_instr[0]
                only = instr.cue.extra.get("only_for")
                ied_subject = instr.cue.type == "mine_ied" and ev_type == "explosion" and abs(instr.start - m.start) <= 3
                if not only and instr.cue.type != "mine_ied" or instr.cue.type == ev_type or ied_subject:
                    if not (ev_type == "armed_clash" and instr.cue.type in ("explosion",)):
                        if ev_type != "armed_clash" or m.cue.words[0] in ("attack", "assault", "raid", "ambush"):
                            ev_type, variant = instr.cue.type, instr.cue.variant
            if m.cue.extra.get("needs_place_target"):
                if not self._has_place_object(ctx, head, scope):
                    if self._has_troop_object(head):
                        ev_type, variant = "pow_capture", None
                    else:
                        return None
            if ev_type == "arrest" and self._has_troop_object(head):
                ev_type = "detention_of_troops"
            cue_match = m
            alt = [(gm, gh) for gm, gh in items if (gm, gh) != (m, head)]
        else:
            m, head = generics[0]
            spec = m.cue.extra
            actor_tok, target_toks = self._arguments(ctx, head, m)
            cls = self._target_class(ctx, target_toks) if target_toks else None
            in_target = {t.i for t in target_toks}
            if cls == "military":  # "destroyed a Russian tank": the tank was hit, it is not the weapon
                clause_instr = [i for i in clause_instr if i.start not in in_target]
            if clause_instr:
                instr = clause_instr[0]
                only = instr.cue.extra.get("only_for")
                ev_type, variant = instr.cue.type, instr.cue.variant
                if only:
                    base = spec.get(cls, spec.get("default")) if cls else spec.get("default")
                    if base not in only:
                        return None
                    ev_type, variant = base, None
            else:
                if spec.get("needs_instrument"):
                    return None
                ev_type = spec.get(cls, spec.get("default")) if cls else spec.get("default")
                variant = None
                if ev_type is None:
                    return None
                if ev_type == "armed_clash" and cls in (None, "place") and CIVILIAN_VICTIMS.search(sent.text):
                    actor = self._actor_of(ctx, actor_tok) if actor_tok is not None else None
                    if actor is None or self._side(actor.name or "") is None:
                        # "armed men attacked a village, killing 30 civilians": one-sided violence (ACLED Attack)
                        ev_type = "attack_on_civilians"
            if spec.get("needs_actor") and not clause_instr and (
                    actor_tok is None or self._actor_of(ctx, actor_tok) is None
                    or self._side(self._actor_of(ctx, actor_tok).name or "") is None):
                return None
            cue_match = m
            alt = []
        if ev_type in ("protest",) and variant is None:
            for name, rx in self.protest_variants.items():
                if rx.search(sent.text):
                    variant = name
                    break
        return self._build(ctx, sent, verb, scope, cue_match, head, ev_type, variant, clause_instr, alt)

    def _has_place_object(self, ctx, head, scope) -> bool:
        if any(c.dep_ == "prt" and c.lower_ == "up" for c in head.children):
            return False  # "taking up positions"
        objs = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        if head.dep_ in ("acl", "relcl"):
            objs.append(head.head)
        for o in objs:
            sub = {t.i for t in o.subtree}
            if any(p["head"].i in sub for p in self._place_tokens):
                return True
            if {t.lemma_.lower() for t in o.subtree} & {"village", "town", "city", "settlement", "territory",
                                                          "area", "control", "swath", "swathe", "region",
                                                          "position", "height", "bridgehead", "district",
                                                          "capital", "airport", "plant", "outskirt", "part"}:
                return True
        return False

    def _has_troop_object(self, head) -> bool:
        objs = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        for prep in (c for c in head.children if c.dep_ == "prt"):
            objs.extend(c for c in prep.children if c.dep_ == "pobj")
        for o in objs:
            words = {t.lemma_.lower() for t in o.subtree} | {t.lower_ for t in o.subtree}
            if words & self.target_classes["troops"]:
                return True
        return False

    # ------------------------------------------------------------------------------------------------
    def _arguments(self, ctx, head, m):
        """(actor head token or None, target tokens) for a trigger head."""
        actor = None
        targets: list = []
        doc = ctx.doc
        if head.pos_ in ("VERB", "AUX"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
            subj = next((c for c in head.children if c.dep_ in SUBJ), None)
            prep_targets: list = []
            for c in head.children:
                if c.dep_ == "agent":
                    actor = next((g for g in c.children if g.dep_ == "pobj"), actor)
                elif c.dep_ in ("dobj",) or (c.dep_ == "nsubjpass"):
                    targets.extend(c.subtree)
                elif c.dep_ in ("prep", "prt") and c.lower_ in VERB_TARGET_PREPS:
                    for g in c.children:
                        if g.dep_ == "pobj" and not self._is_place_or_time(g):
                            prep_targets.extend(g.subtree)
            if not targets:
                targets = prep_targets
            if subj is not None and not passive and subj.dep_ != "nsubjpass":
                actor = subj
            if actor is None and subj is None:
                actor = self._climb_subject(head)
        else:
            for c in head.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "from")):
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None and not (c.lower_ == "from" and self._is_place_or_time(pobj)):
                        actor = pobj  # "a retreat from Kyiv" is where from, not who
                elif c.dep_ == "prep" and c.lower_ in ARG_PREPS_TARGET:
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        if c.lower_ == "of" and m.cue.type in INTRANSITIVE:
                            actor = actor or pobj
                        else:
                            targets.extend(pobj.subtree)
                elif c.dep_ in ("poss",) or (c.dep_ in ("amod", "compound", "nmod")
                                             and self._side(c.text) is not None):
                    actor = actor or c
            if actor is None:
                gov = head.head
                if head.dep_ in ("dobj", "pobj", "attr") and gov.i != head.i:
                    verb = gov if gov.pos_ in ("VERB", "AUX") else (gov.head if gov.dep_ == "prep" else gov)
                    if verb.pos_ in ("VERB", "AUX"):
                        lemma = verb.lemma_.lower()
                        subjects = [c for c in verb.children if c.i != head.i and c.dep_ in SUBJ]
                        # a misparsed place among the subjects ("…, Kyiv, …, Russian troops were forced") is not one
                        subj = next((c for c in subjects if not self._is_place_or_time(c)), None) or (
                            subjects[0] if subjects else None)
                        if subj is None:
                            subj = self._climb_subject(verb)
                        if lemma in SUFFER_VERBS and subj is not None:
                            targets.extend(subj.subtree)
                        elif subj is not None and (lemma in LIGHT_VERBS or (m.cue.type in INTRANSITIVE
                                                                             and lemma in FORCE_VERBS)):
                            actor = subj
        if actor is not None and (m.start <= actor.i < m.end or actor.i == head.i
                                  or any(p["head"].i == actor.i and p["rank"] > 1 and not self._side(actor.text)
                                         for p in self._place_tokens)):
            actor = None
        return actor, targets

    def _is_instrument(self, tok) -> bool:
        words = {t.lower_ for t in tok.subtree} | {t.lemma_.lower() for t in tok.subtree}
        return tok.lower_ in self.instrument_words or tok.lemma_.lower() in self.instrument_words \
            or bool(words & self.instrument_words and not words & self.target_classes["troops"])

    def _is_place_or_time(self, tok) -> bool:
        if tok.lemma_.lower() in NOT_TARGET_WORDS or tok.ent_type_ in ("DATE", "TIME"):
            return True
        return any(p["head"].i == tok.i for p in self._place_tokens)

    def _climb_subject(self, tok):
        """The subject a verb shares with the verb it depends on ("were forced to withdraw", "accused of using
        tanks to shell"), or the noun a relative clause describes ("soldiers who tried to advance")."""
        cur = tok
        for _ in range(6):
            if cur.head.i == cur.i:
                return None
            if cur.dep_ in ("relcl", "acl") and cur.pos_ in ("VERB", "AUX"):
                return cur.head
            if cur.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "prep"):
                return None
            via = cur.dep_
            cur = cur.head
            subj = next((c for c in cur.children if c.dep_ in SUBJ), None)
            if subj is None:
                continue
            if subj.dep_ == "nsubjpass":
                if cur.lemma_.lower() in ACCUSE_VERBS or (via == "xcomp" and tok.dep_ == "xcomp"):
                    return subj
                return None
            return subj
        return None

    def _side(self, words: str) -> str | None:
        side = self.actors.side_of_words(words)
        if side is None:
            singular = " ".join(w[:-1] if w.lower().endswith("s") and len(w) > 4 else w for w in words.split())
            side = self.actors.side_of_words(singular)
        return side

    def _actor_of(self, ctx, tok, as_target=False) -> Actor | None:
        if tok is None:
            return None
        left, right = _phrase(tok)
        span = ctx.doc[left:right]
        start, end = span.start_char, span.end_char
        for ent in ctx.entities:
            if ent.start < end and start < ent.end and ent.type != "role":
                return Actor(name=ent.canonical or ent.text, side=ent.side or self._side(ent.text))
        words = span.text.split("\n")[0].strip().strip("•*-–—“”\"'‘’ ")
        low = words.lower()
        if low in ("he", "she", "they", "it", "we", "i", "who", "which", "that", "them", "us"):
            if tok.dep_ in SUBJ and tok.head.dep_ == "relcl":
                return self._actor_of(ctx, tok.head.head, as_target)
            return None
        for det in ("the ", "a ", "an ", "some ", "their ", "its ", "his ", "her "):
            if low.startswith(det):
                words = words[len(det):]
                low = low[len(det):]
                break
        if len(words) > 80:
            words = ctx.doc[tok.i].text if tok.dep_ != "compound" else words[:80]
        side = self._side(words)
        if side is None:
            lemmas = {t.lemma_.lower() for t in span} | {t.lower_ for t in span}
            if lemmas & self.target_classes["civilians"] and not lemmas & self.target_classes["troops"]:
                side = "civilian"
        return Actor(name=words, side=side)

    # ------------------------------------------------------------------------------------------------
    def _mode(self, ctx, head, verb, sent) -> str | None:
        chain = [head]
        cur = head
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            if cur.dep_ in ("ccomp",) and cur.head.lemma_.lower() in self.attributor.verbs:
                break  # reported speech: the reporting verb's own mode does not count
            cur = cur.head
            chain.append(cur)
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("xcomp", "amod", "acl", "pcomp", "advcl") \
                    and cur.i != head.i:
                break
        for tok in chain:
            for c in tok.children:
                low = c.lower_
                if c.dep_ == "neg" or (low in self.negations and c.dep_ in ("neg", "advmod")):
                    return "negated"
                if c.dep_ == "aux" and low in self.future_aux:
                    return "future"
                if c.dep_ == "aux" and low in self.hypo_aux:
                    return "hypothetical"
                if c.dep_ == "mark" and low in self.hypo_marks:
                    return "hypothetical"
                if c.dep_ == "amod" and low in self.hypo_mods and tok.i == head.i:
                    return "hypothetical"
        for tok in chain[1:]:
            lemma = tok.lemma_.lower()
            if lemma in self.future_heads:
                return "future"
            if lemma in self.hypo_heads:
                return "hypothetical"
        return None

    # ------------------------------------------------------------------------------------------------
    def _build(self, ctx, sent, verb, scope, m, head, ev_type, variant, clause_instr, alt) -> list[dict]:
        doc = ctx.doc
        actor_tok, target_toks = self._arguments(ctx, head, m)
        for am, ah in alt:
            if actor_tok is not None and target_toks:
                break
            a2, t2 = self._arguments(ctx, ah, am)
            actor_tok = actor_tok if actor_tok is not None else a2
            target_toks = target_toks or t2
        if ev_type == "intercepted_communication":
            actor_tok, target_toks = None, []
        actor = self._actor_of(ctx, actor_tok)
        targets = []
        if target_toks:
            t_head = min(target_toks, key=lambda t: len(list(t.ancestors)))
            tgt = self._actor_of(ctx, t_head, as_target=True)
            place_heads = {p["head"].i for p in self._place_tokens}
            bare_place = (t_head.i in place_heads or any(c.i in place_heads for c in t_head.subtree)) \
                and tgt is not None and tgt.side is None
            launched = head.lemma_.lower() in LIGHT_VERBS and self._is_instrument(t_head)
            if tgt is not None and tgt.name and not bare_place and not launched:
                targets.append(tgt)
        actors = [actor] if actor is not None and actor.name else []
        if actors and actors[0].side is None and actor_tok is not None and self._is_instrument(actor_tok):
            actors = []  # "targeted by howitzer artillery": a weapon, not an actor
        if ev_type == "mine_ied" and actors and actors[0].side is None:
            actors = []  # "his car hit a landmine": the car is not who laid the mine
        if not actors and clause_instr:
            side = self.instrument_side.get(" ".join(clause_instr[0].cue.words))
            if side:
                actors = [Actor(name=self.side_forces.get(side, side), side=side, inferred_from="weapon")]
        if ev_type in ("detention_of_troops",) and actors and actors[0].side is None:
            side = self._sentence_side(ctx, sent, exclude=target_toks)
            if side:
                actors[0] = Actor(name=actors[0].name, side=side)
        if ev_type in ("territory_gained",) and variant is None and actors:
            if actors[0].side in ("UA", "RU"):
                variant = actors[0].side
            elif re.search(r"(?i)\b(government|army|military|security forces|troops|police)\b", actors[0].name):
                variant = "government"
        mode = self._mode(ctx, head, verb, sent)
        if mode is None and ev_type in ("territory_gained", "retreat", "pow_capture"):
            cur = head
            for _ in range(3):
                if cur.dep_ in ("xcomp", "pcomp") and cur.head.lemma_.lower() in ATTEMPT_HEADS:
                    mode = "hypothetical"
                    break
                if cur.head.i == cur.i:
                    break
                cur = cur.head
        # weak cues need an argument to be an event
        if m.cue.extra.get("weak") and not actors and not targets:
            return []
        places = self._places_for(ctx, sent, scope, head, actor_tok, movement=ev_type in MOVEMENT_TYPES)
        if not places and ev_type == "retreat":
            places = self._failed_objective(ctx, sent)
        start_char = m_start = doc[m.start].idx
        evidence = ctx.span(sent.start_char, sent.end_char)
        base = {
            "type": ev_type, "variant": variant, "actors": actors, "targets": targets, "mode": mode,
            "head": head, "verb": verb, "scope": scope, "sent": sent, "start": m_start,
            "cue": doc[m.start:m.end].text, "evidence": evidence, "fatalities": {}, "date": None,
            "instrument": clause_instr[0].cue.words if clause_instr else None,
        }
        base["date"] = self._date_for(ctx, sent, scope, head, verb)
        base["score"] = self._score(ctx, sent, head, verb, base, places)
        out = []
        for p in places or [None]:
            cand = dict(base)
            cand["place"] = p
            out.append(cand)
        del start_char
        return out

    def _sentence_side(self, ctx, sent, exclude) -> str | None:
        ex = {t.i for t in exclude} | {p["head"].i for p in self._place_tokens}
        words = " ".join(t.text for t in sent if t.i not in ex and t.ent_type_ != "GPE")
        sides = set()
        for w in re.findall(r"[\w.'’-]+", words.lower()):
            s = self.actors.nationality.get(w)
            if s in ("RU", "UA"):
                sides.add(s)
        return sides.pop() if len(sides) == 1 else None

    # ------------------------------------------------------------------------------------------------
    def _places_for(self, ctx, sent, scope, head, actor_tok=None, movement: bool = False) -> list[dict]:
        cands = [p for p in self._place_tokens if sent.start_char <= p["start"] < sent.end_char
                 and not (actor_tok is not None and p["head"].i == actor_tok.i)]
        if not cands:
            return []
        att = None
        scored = []
        for p in cands:
            h = p["head"]
            in_scope = h.i in scope
            ancestors = {a.i for a in h.ancestors}
            direct = head.i in ancestors and all(
                a.pos_ not in ("VERB", "AUX") for a in h.ancestors if a.i != head.i and head.i in {x.i for x in a.ancestors})
            score = (3 if direct else 0) + (2 if in_scope else 0) + p["rank"] * 0.6 - abs(h.i - head.i) / 40
            if movement and (DIRECTION_AFTER.match(ctx.text[p["end"]:p["end"] + 20])
                             or DIRECTION_BEFORE.search(ctx.text[max(0, p["start"] - 30):p["start"]])):
                score += 2  # "advancing in the Slovyansk direction … were forced to withdraw": the axis
            if not in_scope:
                continue  # a place outside the event's clause is where something else happened
            scored.append((score, p))
        if not scored:
            return []
        scored.sort(key=lambda sp: -sp[0])
        best = scored[0][1]
        if scored[0][0] < 0 and len(scored) > 0 and best["head"].i not in scope:
            # only places outside the clause: keep the nearest settlement-like one
            pass
        group = self._coordinated(ctx, cands, best)
        return group

    def _failed_objective(self, ctx, sent) -> list[dict]:
        """A retreat with no place of its own retreats from what the sentence says was being attacked: "after
        attempting to take the capital, Kyiv, … forced into a retreat", "withdrew after failing to capture X"."""
        if not ATTEMPT_WORDS.search(sent.text):
            return []
        cands = [p for p in self._place_tokens if sent.start_char <= p["start"] < sent.end_char and p["rank"] >= 2]
        return sorted(cands, key=lambda p: -p["rank"])[:1]

    def _coordinated(self, ctx, cands, best) -> list[dict]:
        text = ctx.text
        ordered = sorted(cands, key=lambda p: p["start"])
        i = ordered.index(best)
        run = [best]
        j = i
        while j + 1 < len(ordered):
            gap = text[ordered[j]["end"]:ordered[j + 1]["start"]]
            if not LIST_GAP.match(gap) or QUALIFIER_AFTER.match(text[ordered[j + 1]["end"]:]):
                break
            if ordered[j + 1]["rank"] < best["rank"] - 1:
                break  # "Popasna, Luhansk": a region qualifying a settlement
            run.append(ordered[j + 1])
            j += 1
        j = i
        while j - 1 >= 0:
            gap = text[ordered[j - 1]["end"]:ordered[j]["start"]]
            if not LIST_GAP.match(gap) or QUALIFIER_AFTER.match(text[ordered[j]["end"]:]):
                break
            if ordered[j - 1]["rank"] < best["rank"] - 1 or best["rank"] < ordered[j - 1]["rank"] - 1:
                break
            run.insert(0, ordered[j - 1])
            j -= 1
        return run

    # ------------------------------------------------------------------------------------------------
    def _date_for(self, ctx, sent, scope, head, verb):
        if not ctx.dates:
            return None
        path = {head.i, verb.i}
        cur = verb
        for _ in range(4):
            if cur.dep_ in ("xcomp", "conj", "acl", "relcl") and cur.head.i != cur.i:
                cur = cur.head
                path.add(cur.i)
            else:
                break
        best = None
        for d in ctx.dates:
            if not (sent.start_char <= d["start"] < sent.end_char) or not d.get("date"):
                continue
            before = ctx.text[max(sent.start_char, d["start"] - 8):d["start"]].lower()
            if re.search(r"\b(since|until|till|by|from|before)\s*$", before):
                continue
            span = ctx.doc.char_span(d["start"], d["end"], alignment_mode="expand")
            if span is None:
                continue
            tok = span.root
            gov = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
            ok = (tok.i in scope and (gov is None or gov.i in path or gov.i in scope and gov.i == verb.i)) \
                or (gov is not None and gov.i in path)
            if not ok and gov is not None and gov.dep_ == "ROOT" and head.i in {t.i for t in gov.subtree} \
                    and gov.lemma_.lower() not in self.attributor.verbs and d["start"] < head.idx:
                ok = True  # "On 10 January, ..., Russian forces shelled X": a sentence-initial date
            if not ok and SENTENCE_INITIAL_DATE.match(ctx.text[sent.start_char:d["start"]]) and \
                    ctx.text[d["end"]:d["end"] + 2].lstrip(" ")[:1] in (",", ":", "(") and d["start"] < head.idx:
                ok = True  # "On 9 May 2022, around 200 people protested …": the date opens the sentence
            if not ok:
                continue
            explicit = bool(MONTHS.search(d["text"]))
            key = (explicit, -abs(tok.i - head.i))
            if best is None or key > best[0]:
                best = (key, d)
        return best[1] if best else None

    def _inherit_dates(self, found: list[dict]) -> None:
        """An undated event takes the date of the event before it in the same paragraph."""
        last: dict | None = None
        for cand in sorted(found, key=lambda c: c["start"]):
            if cand["date"] is None and last is not None and last["para"] == cand["para"] and last["date"]:
                cand["date"] = last["date"]
                cand["date_inherited"] = True
            if cand["date"] is not None:
                last = cand
            elif last is not None and last["para"] != cand["para"]:
                last = None

    # ------------------------------------------------------------------------------------------------
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

    # ------------------------------------------------------------------------------------------------
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

    def _score(self, ctx, sent, head, verb, base, places) -> float:
        score = 100.0 - min(sent.start, 400) * 0.08
        if verb.dep_ == "ROOT" or head.dep_ == "ROOT":
            score += 4
        elif verb.dep_ in ("ccomp",) and verb.head.lemma_.lower() in self.attributor.verbs:
            score += 3
        if places:
            score += 2
        if base["actors"] and base["actors"][0].side:
            score += 1
        clause_text = " ".join(t.text for t in sorted(ctx.doc[i] for i in base["scope"]))
        if self.background.search(clause_text):
            score -= 15
        if base["type"] in ("intercepted_communication", "mobilization", "other", "desertion", "refusal_to_fight"):
            score -= 8
        if base["type"] in ("advance",):
            score -= 3
        return score

    # ------------------------------------------------------------------------------------------------
    def _to_event(self, ctx, cand) -> Event:
        acled_type, acled_sub = self.acled_for(cand["type"], cand["variant"])
        p = cand["place"]
        d = cand["date"]
        if d is not None:
            date, prec = d["date"], d.get("precision") or "day"
            if prec not in ("day", "week", "month", "year"):
                prec = "unknown"
        elif ctx.published is not None:
            date, prec = ctx.published.isoformat(), "publication"
        else:
            date, prec = None, "unknown"
        ev = cand["evidence"]
        att = self.attributor.for_span(ctx, ev.start, ev.end)
        f = cand["fatalities"]
        event = Event(
            type=cand["type"], acled_event_type=acled_type, acled_sub_event_type=acled_sub, date=date,
            date_precision=prec, place=p["index"] if p else None, lat=p["lat"] if p else None,
            lon=p["lon"] if p else None, actors=cand["actors"], targets=cand["targets"],
            fatalities=Fatalities(killed=f.get("killed"), wounded=f.get("wounded"), captured=f.get("captured")),
            status=att.status, claimed_by=att.claimed_by, evidence=ev,
        )
        event.mode = cand["mode"]
        event.place_name = p["name"] if p else None
        event.cue = cand["cue"]
        event.cue_start = cand["start"]
        if cand["instrument"]:
            event.weapon = " ".join(cand["instrument"])
        event.confidence = round(min(1.0, 0.5 + 0.1 * bool(p) + 0.1 * bool(cand["actors"]) + 0.1 * bool(d)
                                     + (0.1 if cand["mode"] is None else -0.2)), 2)
        return event
