"""Event arguments from the parse: who acted (subject, "by X", "Russian shelling") and what was hit (object,
"on X"), as `Actor`s with a side."""
from __future__ import annotations

import bisect
import re

from sitrep.extract.events.syntax import SUBJ, _phrase
from sitrep.model import Actor

INTRANSITIVE = {"retreat", "advance", "desertion", "refusal_to_fight", "mobilization", "protest", "armed_clash",
                "encirclement"}


class Arguments:
    """Mixin of EventsExtractor (its lexicon data is set up in EventsExtractor.__init__)."""

    def _arguments(self, ctx, head, m):
        """(actor head token or None, target tokens) for a trigger head."""
        actor = None
        targets: list = []
        doc = ctx.doc
        if head.pos_ in ("VERB", "AUX"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
            subj = next((c for c in head.children if c.dep_ in SUBJ), None)
            prep_targets: list = []
            weapon = self._instrument_object(head)
            preps = self.words["verb_target_preps"] | (self.frame_preps if weapon is not None else set())
            for c in head.children:
                if c.dep_ == "agent":
                    actor = next((g for g in c.children if g.dep_ == "pobj"), actor)
                elif c.dep_ in ("dobj",) or (c.dep_ == "nsubjpass"):
                    if weapon is not None and c.i == weapon.i:
                        # "fired mortars at X": the weapon is the instrument; X (on the verb or the weapon) was hit
                        for p in (x for x in c.children if x.dep_ == "prep" and x.lower_ in self.frame_preps):
                            prep_targets.extend(t for g in p.children if g.dep_ == "pobj"
                                                and not self._is_place_or_time(g) for t in g.subtree)
                        continue
                    targets.extend(c.subtree)
                elif c.dep_ in ("prep", "prt") and c.lower_ in preps:
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
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in self.words["agent_preps"]):
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None and not (c.lower_ in self.words["agent_preps_of_place"] and self._is_place_or_time(pobj)):
                        actor = pobj  # "a retreat from Kyiv" is where from, not who
                elif c.dep_ == "prep" and c.lower_ in self.words["noun_target_preps"]:
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
                        if lemma in self.words["suffer_verbs"] and subj is not None:
                            targets.extend(subj.subtree)
                        elif subj is not None and (lemma in self.words["light_verbs"] or (m.cue.type in INTRANSITIVE
                                                                             and lemma in self.words["force_verbs"])):
                            actor = subj
        if actor is not None and (m.start <= actor.i < m.end or actor.i == head.i
                                  or (actor.i in self._place_by_head and self._place_by_head[actor.i]["rank"] > 1
                                      and not self._side(actor.text))):
            actor = None
        return actor, targets

    def _instrument_object(self, head):
        """The weapon a verb of the instrument frame fires, launches or drops ("fired mortars at X", "missiles were
        launched at X"), or None: its object or passive subject when that phrase names a weapon."""
        if head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() not in self.frame_verbs:
            return None
        for c in head.children:
            if c.dep_ in ("dobj", "nsubjpass") and self._is_instrument(c):
                return c
        return None

    def _is_instrument(self, tok) -> bool:
        words = {t.lower_ for t in tok.subtree} | {t.lemma_.lower() for t in tok.subtree}
        if tok.lower_ in self.instrument_words or tok.lemma_.lower() in self.instrument_words:
            return True
        if words & self.target_classes["troops"]:
            return False
        if words & self.instrument_words:
            return True
        text = " ".join(t.lower_ for t in tok.subtree)
        lemmas = " ".join(t.lemma_.lower() for t in tok.subtree)
        return any(p in text or p in lemmas for p in self.instrument_phrases)

    def _is_place_or_time(self, tok) -> bool:
        if tok.lemma_.lower() in self.words["not_target_words"] or tok.ent_type_ in ("DATE", "TIME"):
            return True
        return tok.i in self._place_by_head

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
                if cur.lemma_.lower() in self.words["accuse_verbs"] or (via == "xcomp" and tok.dep_ == "xcomp"):
                    return subj
                return None
            return subj
        return None

    def _index_entities(self, ctx) -> None:
        """ctx's entities (roles aside) by start, for `_first_entity_overlapping`: linear work per document."""
        ents = [(e.start, i, e) for i, e in enumerate(ctx.entities) if e.type != "role"]
        ents.sort(key=lambda x: x[0])
        self._entity_rows = ents
        self._entity_starts = [x[0] for x in ents]
        self._entity_longest = max((e.end - e.start for _, _, e in ents), default=0)

    def _first_entity_overlapping(self, start: int, end: int):
        """The first entity (in ctx.entities order) overlapping [start, end), roles aside."""
        hi = bisect.bisect_left(self._entity_starts, end)
        lo = bisect.bisect_left(self._entity_starts, start - self._entity_longest)
        hits = [(i, e) for _, i, e in self._entity_rows[lo:hi] if start < e.end]
        return min(hits, key=lambda x: x[0])[1] if hits else None

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
        ent = self._first_entity_overlapping(start, end)
        if ent is not None:
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

    def _sentence_side(self, ctx, sent, exclude) -> str | None:
        ex = {t.i for t in exclude} | self._place_by_head.keys()
        words = " ".join(t.text for t in sent if t.i not in ex and t.ent_type_ != "GPE")
        sides = set()
        for w in re.findall(r"[\w.'’-]+", words.lower()):
            s = self.actors.nationality.get(w)
            if s in ("RU", "UA"):
                sides.add(s)
        return sides.pop() if len(sides) == 1 else None
