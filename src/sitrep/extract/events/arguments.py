"""Event arguments from the parse: who acted (subject, "by X", "Russian shelling") and what was hit (object,
"on X"), as `Actor`s with a side."""
from __future__ import annotations

import re

from sitrep.extract.events.syntax import SUBJ, _phrase
from sitrep.model import Actor

ARG_PREPS_TARGET = {"on", "at", "against", "upon", "of", "targeting", "into"}
VERB_TARGET_PREPS = {"on", "at", "against", "upon"}
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
SUBJ = ("nsubj", "nsubjpass", "csubj")


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

    def _sentence_side(self, ctx, sent, exclude) -> str | None:
        ex = {t.i for t in exclude} | {p["head"].i for p in self._place_tokens}
        words = " ".join(t.text for t in sent if t.i not in ex and t.ent_type_ != "GPE")
        sides = set()
        for w in re.findall(r"[\w.'’-]+", words.lower()):
            s = self.actors.nationality.get(w)
            if s in ("RU", "UA"):
                sides.add(s)
        return sides.pop() if len(sides) == 1 else None
