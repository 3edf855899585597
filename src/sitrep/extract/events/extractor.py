"""Events: what happened, typed in sitrep's vocabulary and ACLED's, with actors, targets, place, date, fatalities,
status and mode, most salient first.

Per sentence: cue words and phrases from `lexicons/events.yaml` find triggers; cues in the same clause (the same
governing verb) make one event, typed by the most decisive cue, and generic cues ("attack", "strike", "hit") are
typed by the weapon named in the clause ("Shahed" → drone_strike) or by what was hit. The parse gives actors
(subject, "by X", "Russian shelling") and targets (object, "on X"), the place (places in the clause, the most
specific and nearest first; a coordinated list of places gives one event per place), the date (an explicit date in
the clause wins over a relative one; else the publication date) and the fatalities (killed/wounded/captured figures
of the clause or sentence, see `casualties`). Later mentions of an event ("the shelling", "as a result of the
strike") are then joined to it (`coreference`), and what one sentence cannot decide is decided over the whole report
(a protest's sub-type; whether an explosion with no weapon named is war shelling or a remote explosive). Status and
source come from the shared `sitrep.attribution.Attributor`. Future, hypothetical and negated events carry `mode`
and sort last. The ACLED names come from `lexicons/acled.yaml` only. This module runs the steps; the package's other
modules own them (see `sitrep.extract.events`).
"""
from __future__ import annotations

import bisect
import re

from sitrep.actors import lexicon
from sitrep.attribution import Attributor
from sitrep.extract.base import Context
from sitrep.extract.events.arguments import Arguments
from sitrep.extract.events.casualties import VIOLENT, Casualties, CasualtyPatterns
from sitrep.extract.events.coreference import Coreference
from sitrep.extract.events.cue_typing import CueTyping
from sitrep.extract.events.cues import CueMatcher, _non_overlapping
from sitrep.extract.events.places import Places
from sitrep.extract.events.syntax import _clause_verb, _head_of
from sitrep.lexicon import compile_alternation, load_yaml
from sitrep.model import Actor, Event, Fatalities, Span

MONTHS = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\d")
SENTENCE_INITIAL_DATE = re.compile(r"^\W*(?:on|in|around|about|between|early|late|overnight|during)?\s*"
                                   r"(?:the\s+)?(?:night\s+of\s+|morning\s+of\s+|evening\s+of\s+)?$", re.I)
MOVEMENT_TYPES = {"retreat", "advance", "armed_clash", "territory_gained", "encirclement"}


class EventsExtractor(CueTyping, Arguments, Places, Casualties):
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
                          "extra": {k: v for k, v in group.items()
                                    if k not in ("cues", "variant", "pos", "verbs", "objects", "subjects",
                                                 "predicates")}}
                # `verbs` × `objects`: "seize ~ rifles", "sign ~ ceasefire" (the object up to three words later)
                crossed = [f"{v} ~ {o}" for v in group.get("verbs", ()) for o in group.get("objects", ())] + \
                    [f"{a} ~ {b}" for a in group.get("subjects", ()) for b in group.get("predicates", ())]
                for phrase in list(group.get("cues", ())) + crossed:
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
        # weapon words as the tokenizer splits them: one token → a word, several ("tornado-s") → a phrase
        weapon_tokens = [tuple(t.lower_ for t in nlp.tokenizer(str(w).lower()) if not t.is_space)
                         for g in lex["instruments"] for w in g["cues"]]
        self.instrument_words = {w[0] for w in weapon_tokens if len(w) == 1}
        self.instrument_phrases = {" ".join(w) for w in weapon_tokens if len(w) > 1}
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
        self.armed_actors = {str(w).lower() for w in lex["armed_actors"]}
        self.one_sided_cues = {str(w).lower() for w in lex["one_sided_cues"]}
        self.war_types = set(lex["war_context"]["types"])
        self.war_words = compile_alternation(lex["war_context"]["words"])
        self.war_countries = set(lex["war_context"].get("countries", ()))
        self.casualty_patterns = CasualtyPatterns(lex["casualties"], set(victims))
        self.coreference = Coreference(lex["coreference"])
        self.words = {k: {str(w).lower() for w in v} for k, v in lex["arguments"].items()}
        frame = lex["instrument_frame"]
        self.frame_verbs = {str(w).lower() for w in frame["verbs"]}
        self.frame_preps = {str(w).lower() for w in frame["target_preps"]}
        self.attributor = Attributor()
        self.actors = lexicon()

    def acled_for(self, ev_type: str, variant: str | None) -> tuple[str | None, str | None]:
        variants = self.mapping.get(ev_type) or {}
        sub = variants.get(variant) if variant in variants else variants.get("default")
        return (self.sub_to_type.get(sub) if sub else None), sub

    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        sents = list(doc.sents)
        # paragraph number of each sentence (blank line or newline separated)
        newlines = [i for i, ch in enumerate(ctx.text) if ch == "\n"]
        para_of = [bisect.bisect_right(newlines, s.start_char) for s in sents]
        self._place_tokens = self._index_places(ctx)
        self._index_entities(ctx)
        self._dates = sorted(ctx.dates, key=lambda d: d["start"])
        self._date_starts = [d["start"] for d in self._dates]
        found: list[dict] = []
        for si, sent in enumerate(sents):
            for cand in self._sentence_events(ctx, sent, si):
                cand["para"] = para_of[si]
                cand["si"] = si
                found.append(cand)
        self._assign_fatalities(ctx, sents, para_of, found)
        self._inherit_dates(found)
        found = self.coreference.join(found)
        self._decide_over_report(ctx, found)
        events = []
        for cand in found:
            events.append(self._to_event(ctx, cand))
        order = sorted(range(len(events)), key=lambda i: (found[i]["mode"] is not None, -found[i]["score"],
                                                          found[i]["start"]))
        ctx.events.extend(events[i] for i in order)

    def _sentence_events(self, ctx: Context, sent, si: int) -> list[dict]:
        text = sent.text.strip()
        if not text or text.endswith("?"):
            return []
        matches = self.matcher.find(sent)
        if not matches:
            return []
        instruments = _non_overlapping([m for m in matches if m.cue.kind == "instrument"])  # "jet artillery", not "jet"
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

    def _attempted(self, head) -> bool:
        """Is the cue's verb governed by an attempt verb ("tried to", "намагався", "пытался")?"""
        cur = head
        for _ in range(3):
            if cur.dep_ in ("xcomp", "pcomp") and cur.head.lemma_.lower() in self.words["attempt_heads"]:
                return True
            if cur.head.i == cur.i:
                return False
            cur = cur.head
        return False

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
        if ev_type == "other" and variant in ("group_change", "hq"):
            target_toks = []  # a movement or a base has no target ("tanks on the move": nothing was hit)
        actor = self._actor_of(ctx, actor_tok)
        targets = []
        if target_toks:
            t_head = min(target_toks, key=lambda t: len(list(t.ancestors)))
            tgt = self._actor_of(ctx, t_head, as_target=True)
            place_heads = self._place_by_head
            bare_place = (t_head.i in place_heads or any(c.i in place_heads for c in t_head.subtree)) \
                and tgt is not None and tgt.side is None
            launched = head.lemma_.lower() in self.words["light_verbs"] and self._is_instrument(t_head)
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
        if mode is None and ev_type in ("territory_gained", "retreat", "pow_capture", "advance") \
                and self._attempted(head):
            if ev_type == "advance":
                ev_type = "armed_clash"  # "tried to break through the defences": the assault happened, the advance not
            else:
                mode = "hypothetical"  # "tried to take the village": no territory changed hands
        # weak cues need an argument to be an event
        if m.cue.extra.get("weak") and not actors and not targets:
            return []
        places = self._places_for(ctx, sent, scope, head, actor_tok, movement=ev_type in MOVEMENT_TYPES)
        if not places and ev_type == "retreat":
            places = self._failed_objective(ctx, sent)
        if ev_type in VIOLENT:
            places = self._settlement_named_with(ctx, sent, places)
        start_char = m_start = doc[m.start].idx
        evidence = ctx.span(sent.start_char, sent.end_char)
        base = {
            "type": ev_type, "variant": variant, "actors": actors, "targets": targets, "mode": mode,
            "head": head, "verb": verb, "scope": scope, "sent": sent, "start": m_start,
            "cue": doc[m.start:m.end].text, "evidence": evidence, "fatalities": {}, "date": None,
            "instrument": clause_instr[0].cue.words if clause_instr else None, "cue_kind": m.cue.kind,
            "target_toks": target_toks,
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
        lo = bisect.bisect_left(self._date_starts, sent.start_char)
        hi = bisect.bisect_left(self._date_starts, sent.end_char)
        for d in self._dates[lo:hi]:
            if not d.get("date"):
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

    def _decide_over_report(self, ctx, found: list[dict]) -> None:
        """What one sentence cannot decide, the whole report does: a protest's ACLED sub-type (the first of
        `protest_variants` told anywhere: "… later turned violent and police fired tear gas"), and whether an
        explosion with no weapon named is war shelling or a remote explosive."""
        if any(c["type"] == "protest" for c in found):
            report = next((name for name, rx in self.protest_variants.items() if rx.search(ctx.text)), None)
            if report is not None:
                for c in found:
                    if c["type"] == "protest":
                        c["variant"] = report
        guessed = [c for c in found if c["variant"] is None and not c.get("instrument") and (
            c["type"] == "explosion" or c["cue_kind"] == "generic" and c["type"] in ("shelling", "air_strike"))]
        if guessed:
            countries = {getattr(p, "country", None) for p in ctx.places} - {None}
            war = any(c["type"] in self.war_types and not (c["cue_kind"] == "generic" and not c.get("instrument"))
                      for c in found) or self.war_words.search(ctx.text) is not None or countries & self.war_countries
            if not war and countries:  # a report set elsewhere; with no place at all the war default stands
                for c in guessed:
                    if c["type"] == "explosion":
                        c["variant"] = "ied"  # "an explosion in a cafe in Lagos": a remote explosive
                    elif c["type"] == "air_strike":
                        c["type"] = "mine_ied"  # "a bombing in Quetta", no aircraft named: a remote explosive
                    else:  # "gunmen fired at a bus", no artillery named: no shelling outside a war's front
                        c["type"] = "armed_clash" if self._target_class(ctx, c.get("target_toks") or []) \
                            == "military" else "attack_on_civilians"

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
        claims = cand.get("fatality_claims")
        if claims:
            # two sides' counts: `fatalities` holds the lower; each count keeps its claimant and evidence
            event.fatalities.claims = [{"kind": c["kind"], "value": c["value"], "claimed_by": c["claimed_by"],
                                        "evidence": c["evidence"]} for c in claims]
            for kind, (low, high) in cand.get("fatality_range", {}).items():
                setattr(event.fatalities, f"{kind}_low", low)
                setattr(event.fatalities, f"{kind}_high", high)
        event.mentions = [Span(start=mn["start"], end=mn["end"], text=mn["text"], cue=mn["cue"],
                               cue_start=mn["cue_start"]) for mn in cand.get("mentions", [])]
        event.mode = cand["mode"]
        event.place_name = p["name"] if p else None
        event.cue = cand["cue"]
        event.cue_start = cand["start"]
        if cand["instrument"]:
            event.weapon = " ".join(cand["instrument"])
        event.confidence = round(min(1.0, 0.5 + 0.1 * bool(p) + 0.1 * bool(cand["actors"]) + 0.1 * bool(d)
                                     + (0.1 if cand["mode"] is None else -0.2)), 2)
        return event
