"""Who a phrase names: one resolver for quote speakers, claim sources and call participants.

`SpeakerResolver.who(ctx, start, end)` turns a subject phrase ("Haidai", "he", "the mayor of the pro-Russian
separatist city", "one U.S. official", "his father") into a `Who`: a canonical name or the description as written,
speaker_role, side and source_type. Named actors come from the entities extractor; pronouns resolve to the most
recent compatible mention (a named person, or a role noun that was the subject of a clause); descriptions get
their role, side and source type from roles.yaml and the nationality words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.actors import lexicon
from sitrep.extract.base import Context
from sitrep.lexicon import compile_alternation, load_yaml

GENERIC_OFFICE_WORDS = {"Regional", "Military", "Administration", "Oblast", "State", "City", "Council", "Region",
                        "District", "Ministry", "Office", "Head", "Governor", "Mayor", "Ukraine", "Russia", "Russian",
                        "Ukrainian"}
# how far back (characters) a pronoun or a title looks for the person it refers to; bounded so that a long document
# costs linear time (a news article is a few thousand characters)
LOOKBACK = 20_000
LONGEST_NAME = 300  # an entity overlapping [start, end) starts at most this far before `start`
NAMED_TYPES = ("person", "agency", "organisation", "armed_group", "military_unit")


@dataclass
class Who:
    name: str | None = None
    role: str | None = None          # the Quote.speaker_role vocabulary
    side: str | None = None
    source_type: str = "other"
    named: bool = False
    entity_type: str | None = None
    span: tuple[int, int] | None = None
    role_word: str | None = None     # the role noun as written ("wife", "paratrooper")


class SpeakerResolver:
    def __init__(self) -> None:
        self.lex = lexicon()
        data = load_yaml("speakers.yaml")
        ordered = sorted(self.lex.roles, key=len, reverse=True)
        self.roles = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ordered)) + r")(?:s|es)?(?![\w-])")
        self.anonymous = compile_alternation(data["anonymous"])
        self.entity_roles = data["entity_speaker_role"]
        self.participant_roles = {w: role for role, words in data["participant_roles"].items() for w in words}
        self.participant_re = compile_alternation(self.participant_roles)
        self.occupation = compile_alternation(data["occupation_markers"])
        self.relations = data.get("relations", {})
        self.collective = set(data.get("collective", []))
        self.person_pronouns = {w.lower() for w in data["person_pronouns"]}  # one person: he, она, він …
        self.group_pronouns = {w.lower() for w in data["group_pronouns"]}    # a group or body: they, они, вони …
        self.neuter_pronouns = {w.lower() for w in data["neuter_pronouns"]}  # a body only, never a group of people

    def relation_of(self, word: str) -> str:
        """The precise tie a participant word gives: 'mum' → mother, 'husband' → husband."""
        word = word.lower()
        return self.relations.get(word, word)

    # ---- roles -------------------------------------------------------------------------------------
    def role_in(self, text: str) -> tuple[str | None, str | None, str | None]:
        """(speaker_role, source_type key, role word) of the first role word in `text` (longest match wins)."""
        best = None
        low = text.lower()
        for m in self.roles.finditer(low):
            if low[m.end():m.end() + 2] in ("'s", "’s"):
                continue  # "a Russian soldier's wife" is a wife
            if best is None or m.start() < best.start():
                best = m
        if not best:
            return None, None, None
        row = self.lex.roles[best.group(1)]
        return row.get("speaker_role"), row.get("source_type"), best.group(1)

    def participant_role(self, word: str) -> str | None:
        return self.participant_roles.get(word.lower())

    # ---- entities ----------------------------------------------------------------------------------
    def _entity_who(self, ent) -> Who:
        extra = ent.model_extra or {}
        who = Who(name=ent.canonical or ent.text, side=ent.side, named=True, entity_type=ent.type,
                  span=(ent.start, ent.end))
        if ent.type == "person":
            known = self.lex.actor(ent.canonical)
            role_text = extra.get("role") or (known.role if known else None) or ""
            role, key, word = self.role_in(role_text)
            who.role, who.role_word = role or "other", word
            if known and known.source_type not in (None, "other"):
                who.source_type = known.source_type
            elif key:
                who.source_type = self.lex.source_type_for(key, ent.side or self.lex.side_of_words(role_text))
        else:
            who.source_type = extra.get("source_type") or "other"
            who.role = self.entity_roles.get(who.source_type, "official" if ent.type == "agency" else "other")
        return who

    def _entities_in(self, ctx: Context, start: int, end: int) -> list:
        found = [e for e in ctx.starting_in("entities", start - LONGEST_NAME, end)
                 if start < e.end and e.type in NAMED_TYPES]
        return sorted(found, key=lambda e: (e.type != "person", e.start))

    # ---- mentions for pronouns ---------------------------------------------------------------------
    @staticmethod
    def _quoted(ctx: Context, char: int) -> bool:
        return ctx.inside("quotes", char)

    def mentions_before(self, ctx: Context, char: int, singular: bool = False) -> list[tuple[int, Who]]:
        """Named people and subject role nouns before `char` (outside quotations), as (position, Who), oldest
        first; `singular` keeps only singular role nouns (for he/she)."""
        out: list[tuple[int, Who]] = []
        for ent in ctx.starting_in("entities", char - LOOKBACK, char):
            if ent.end <= char and ent.type == "person" and not self._quoted(ctx, ent.start):
                if ctx.text[ent.end:ent.end + 2] in ("'s", "’s"):
                    continue  # "Putin's troops": a possessor, not the one a later "he" refers to
                out.append((ent.start, self._entity_who(ent)))
        lo = max(0, char - 3000)
        for tok in ctx.doc.char_span(lo, char, alignment_mode="contract") or []:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if (singular and tok.tag_ in ("NNS", "NNPS")) or self._quoted(ctx, tok.idx):
                continue
            if tok.lemma_.lower() not in self.lex.roles and tok.lower_ not in self.lex.roles:
                continue
            left, right = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
            if any(e.type == "person" for e in ctx.starting_in("entities", left, right)):
                continue  # "the head of the region, Serhiy Haidai" is Haidai, already counted
            out.append((tok.idx, self.describe(ctx, left, right)))
        out.sort(key=lambda pair: pair[0])
        return out

    def antecedent(self, ctx: Context, pronoun: str, char: int, previous=None) -> Who | None:
        """The referent of a pronoun at `char`. For he/she, the speaker of the previous quotation wins unless a
        named person was mentioned after it (discourse topic); else the most recent compatible mention: a person
        or singular role noun for he/she, an organisation or plural role noun for they/we/it."""
        pronoun = pronoun.lower()
        person = pronoun in self.person_pronouns
        if person:
            mentions = self.mentions_before(ctx, char, singular=True)
            if previous is not None and char - previous.end < 1500 and previous.speaker:
                later_people = [w for pos, w in mentions if pos > previous.end and w.entity_type == "person"]
                if not later_people:
                    return Who(name=previous.speaker, role=previous.speaker_role, side=previous.speaker_side,
                               named=bool(getattr(previous, "speaker_named", False)),
                               source_type=getattr(previous, "speaker_source_type", None) or "other",
                               role_word=getattr(previous, "speaker_role_word", None))
            for _, who in reversed(mentions):
                if who.entity_type in (None, "person"):
                    return who
            return None
        groups: list[tuple[int, Who]] = [(e.start, self._entity_who(e))
                                         for e in ctx.starting_in("entities", char - LOOKBACK, char)
                                         if e.end <= char and e.type in NAMED_TYPES and e.type != "person"
                                         and not self._quoted(ctx, e.start)]
        if pronoun not in self.neuter_pronouns:
            groups += [(pos, w) for pos, w in self.mentions_before(ctx, char) if w.entity_type is None
                       and (w.name or "").endswith("s")]
        groups.sort(key=lambda pair: pair[0])
        return groups[-1][1] if groups else None

    # ---- descriptions ------------------------------------------------------------------------------
    def describe(self, ctx: Context, start: int, end: int) -> Who:
        words = ctx.text[start:end].strip().strip(",;:—–- ")
        role, key, word = self.role_in(words)
        side = self.lex.side_of_words(words)
        who = Who(name=words or None, role=role or "other", side=side, span=(start, end), role_word=word)
        if key == "by_side_local" and self.occupation.search(words):
            who.side = side = "RU"  # "the mayor of occupied Donetsk" holds a Russian-installed office
        elif key == "by_side_local" and side is None and self._ukrainian_places_only(ctx, start):
            who.side = side = "UA"  # "the regional governor said" of a report on Ukrainian towns
        if self.anonymous.search(words):
            who.source_type = "anonymous"
        elif key:
            who.source_type = self.lex.source_type_for(key, side)
        return who

    @staticmethod
    def _ukrainian_places_only(ctx: Context, char: int) -> bool:
        """Does the sentence around `char` name places, all of them in Ukraine?"""
        sent = ctx.sentence_at(char)
        countries = {p.country for p in ctx.starting_in("places", sent.start_char, sent.end_char) if p.country}
        return countries == {"UA"}

    def who(self, ctx: Context, start: int, end: int, previous=None) -> Who:
        """The actor a subject phrase at [start, end) names; `previous` is the last quotation with a speaker."""
        words = ctx.text[start:end].strip().strip(",;:—–- ")
        if words.lower() in self.person_pronouns | self.group_pronouns:
            found = self.antecedent(ctx, words, start, previous)
            if found:
                return found
            return Who(name=None, role=None, span=(start, end))
        ents = self._entities_in(ctx, start, end)
        first_role = self.roles.search(ctx.text[start:end].lower())
        if ents and (ents[0].type == "person" or not first_role or start + first_role.start() >= ents[0].start):
            return self._entity_who(ents[0])
        who = self.describe(ctx, start, end)
        if who.side is None and ents:
            who.side = ents[0].side  # "one soldier from the 20th Guards Combined Arms Army" → RU
        if who.role_word and who.role_word not in self.participant_roles:
            # "The Prime Minister said" after "Boris Johnson …": the named person holding that title
            for ent in reversed(ctx.starting_in("entities", start - LOOKBACK, start)):
                role_text = ((ent.model_extra or {}).get("role") or "").lower()
                if ent.end <= start and ent.type == "person" and re.search(rf"\b{re.escape(who.role_word)}\b", role_text):
                    return self._entity_who(ent)
            holder = self._office_holder(ctx, start, words)
            if holder is not None:
                return holder
        return who

    def _office_holder(self, ctx: Context, start: int, words: str) -> Who | None:
        """'the head of the Luhansk Regional Military Administration' after 'Luhansk Governor Serhiy Haidai': a
        named person mentioned before, whose office is of the same kind and names the same place."""
        _r, key, _w = self.role_in(words)
        names = {w for w in re.findall(r"\b[A-Z][a-z]{3,}\b", words) if w not in GENERIC_OFFICE_WORDS}
        if not key or not names:
            return None
        for ent in reversed(ctx.starting_in("entities", start - LOOKBACK, start)):
            if ent.end > start or ent.type != "person":
                continue
            role_text = (ent.model_extra or {}).get("role") or ""
            known = self.lex.actor(ent.canonical)
            role_text = role_text or (known.role if known else "") or ""
            _r2, key2, _w2 = self.role_in(role_text)
            if key2 == key and names & set(re.findall(r"\b[A-Z][a-z]{3,}\b", role_text)):
                return self._entity_who(ent)
        return None


SKIP_LEFT = ("ADV", "AUX", "PART")
ADDRESSEE_PASSIVE = {"ask", "order", "tell", "instruct", "command", "urge", "beg", "warn", "force"}


def subject_phrase(verb, window_start: int = 0):
    """(start, end, head token) of who speaks with a speech verb: the noun phrase right before it ("RIA Novosti
    bizarrely stressed"), else its parsed subject, else the first subject noun of its clause. None for a passive
    of asking/ordering ("the soldiers were asked to …": the subject is spoken to, not speaking)."""
    doc = verb.doc
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if passive and verb.lemma_.lower() in ADDRESSEE_PASSIVE:
        return None
    j = verb.i - 1
    while j >= 0 and doc[j].pos_ in SKIP_LEFT:
        j -= 1
    if j >= 0 and doc[j].pos_ in ("NOUN", "PROPN", "PRON") and doc[j].idx >= window_start:
        head = doc[j]
        while head.dep_ in ("pobj", "prep") and head.head.i < head.i:  # "one of them says" → "one of them"
            head = head.head
        if head is not doc[j] and head.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
            head = doc[j]
        return head.left_edge.idx, doc[j].idx + len(doc[j]), head
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj and verb.dep_ in ("xcomp", "advcl", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        subj = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        head = subj[0]
        return head.left_edge.idx, head.right_edge.idx + len(head.right_edge), head
    for tok in doc[verb.sent.start:verb.i]:
        if tok.idx >= window_start and tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("nsubj", "nsubjpass"):
            return tok.left_edge.idx, tok.idx + len(tok), tok
    return None


_SPACE = re.compile(r"\s+")


def clean_name(text: str | None) -> str | None:
    """A description as a name: whitespace collapsed, a leading article dropped."""
    if not text:
        return text
    text = _SPACE.sub(" ", text).strip()
    for lead in ("the ", "The "):
        if text.startswith(lead):
            return text[len(lead):]
    return text
