"""Cue typing: which sitrep event type (and ACLED variant) a clause's cues make — type cues ranked by decisiveness,
generic cues ("attack", "strike", "fire") typed by the weapon in the clause or by the class of what was hit, with
the instrument frame ("fired mortars at X": the weapon is the instrument, X the target)."""
from __future__ import annotations

import re


CIVILIAN_VICTIMS = re.compile(r"\b(?:kill|killing|killed|wounding|wounded|injuring|injured|abducting|abducted)\s+"
                              r"(?:\w+\s+){0,3}?(?:civilians|villagers|residents|worshippers|people|women|children|"
                              r"farmers|passengers)\b", re.I)
SPECIFIC_REMOTE = {"mine_ied", "drone_strike", "missile_strike", "air_strike", "shelling"}


class CueTyping:
    """Mixin of EventsExtractor (its lexicon data is set up in EventsExtractor.__init__)."""

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
        heads = self._place_by_head
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
            if ev_type == "armed_clash" and variant is None and m.cue.words[0] in self.one_sided_cues \
                    and CIVILIAN_VICTIMS.search(sent.text):
                actor_tok, target_toks = self._arguments(ctx, head, m)
                actor = self._actor_of(ctx, actor_tok) if actor_tok is not None else None
                if self._target_class(ctx, target_toks) != "military" and (actor is None or actor.side is None):
                    # "gunmen stormed a village, killing 20 civilians": one-sided violence (ACLED Attack), no clash
                    ev_type = "attack_on_civilians"
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
            # the first generic cue that makes an event types the clause ("killed in the attack on X": "killed"
            # needs a named actor, "attack" does not)
            for m, head in generics:
                typed = self._type_generic(ctx, sent, m, head, clause_instr)
                if typed is not None:
                    break
            else:
                return None
            ev_type, variant, clause_instr = typed
            cue_match = m
            alt = []
        if ev_type in ("protest",) and variant is None:
            for name, rx in self.protest_variants.items():
                if rx.search(sent.text):
                    variant = name
                    break
        return self._build(ctx, sent, verb, scope, cue_match, head, ev_type, variant, clause_instr, alt)

    def _type_generic(self, ctx, sent, m, head, clause_instr):
        """(type, variant, clause instruments) a generic cue makes, or None: typed by the weapon in the clause, else
        by the class of what was hit."""
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
        if spec.get("needs_actor") and not clause_instr and not self._armed_actor(ctx, actor_tok):
            return None
        return ev_type, variant, clause_instr

    def _armed_actor(self, ctx, actor_tok) -> bool:
        """An actor who can commit violence in an event's own right: a side's forces, or an armed group named by
        its kind ("gunmen", "militants"; `armed_actors` of the lexicon)."""
        actor = self._actor_of(ctx, actor_tok) if actor_tok is not None else None
        if actor is None:
            return False
        if self._side(actor.name or "") is not None:
            return True
        return actor_tok.lemma_.lower() in self.armed_actors or actor_tok.lower_ in self.armed_actors

    def _has_place_object(self, ctx, head, scope) -> bool:
        if any(c.dep_ == "prt" and c.lower_ == "up" for c in head.children):
            return False  # "taking up positions"
        objs = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        if head.dep_ in ("acl", "relcl"):
            objs.append(head.head)
        for o in objs:
            sub = {t.i for t in o.subtree}
            if any(i in self._place_by_head for i in sub):
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
