"""Intercepts: reports of intercepted calls, radio and messages — who released them, who relayed them, who speaks.

A sentence matching a "strong" cue of intercepts.yaml (and not about shooting down missiles or drones) reports an
intercept. Its scope grows paragraph by paragraph while the text stays on the call: more cues, later mentions
("the call", "the purported phone call"), and quotes or claims whose speaker is an unnamed participant (a soldier,
his wife, "he"). Within the scope: `released_by` (the agency that intercepted/released it, canonical: SBU, HUR,
General Staff …), `relayed_by` (outlets "cited by", "published by", "according to"), medium, participants (role
nouns of the cue sentences and speech sentences, with side and the speaker's own unit), places, call and release
dates, the quotes spoken in the call and the status.

The call's words include what the quotes extractor keeps aside: fragments quoted inside the writer's sentence,
one- to three-word fragments where a sentence reports the call ("orders Ratnik to “raze” the villages"), and words
whose opening mark was lost; each becomes a quote only inside an intercept's scope. The page's headline lines
above an early cue, paragraphs attributed to a party ("according to the soldier", "за словами окупанта") and
subheadings or furniture between paragraphs keep the scope going.

Links: this extractor writes the two-way links between intercepts and quotes (`Quote.from_intercept`,
`Quote.intercept`, and the side of a call's unnamed speakers); the indicators extractor, which runs after it, links its items to the intercept scopes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitrep.extract.base import Context
from sitrep.extract.quotes import QuotesExtractor
from sitrep.lexicon import load_yaml
from sitrep.model import Intercept, Participant
from sitrep.speakers import SpeakerResolver

RELEASER_TYPES = {"ua_intelligence", "ua_military", "ua_government", "ua_local_official", "foreign_government",
                  "ru_military", "ru_government", "international_org"}
MEDIA_TYPES = {"media", "ru_state_media"}
SPEAKING_ROLES = {"soldier", "commander", "relative", None}
AGENT_AS_GIVEN = re.compile(r"\b(?:intercepted|released|published|obtained|recorded)\s+by\s+(?:the\s+)?"
                            r"((?:[A-Z][\w'’-]*\s+){0,3}(?:intelligence|security service|military|army|forces|"
                            r"ministry|directorate|police|general staff|border guards?|navy)(?:\s+of\s+[A-Z][\w'’-]*)?)",
                            re.IGNORECASE)
CHILD_WORDS = {"son", "daughter", "boy"}
PARENT_ROLES = {"father", "mother", "parent"}
COMMUNICATION_WORDS = {"tell", "call", "ask", "talk", "speak", "say", "complain", "despair", "phone", "ring", "converse",
                       "chat", "reply", "answer", "text", "message", "explain", "order", "instruct", "conversation",
                       "advise", "exchange", "intercept", "recording", "audio", "dialogue", "argue", "beg",
                       "plead", "warn", "boast", "brag", "confess", "admit", "share", "inform", "hear", "record",
                       "overhear", "discuss", "describe", "reveal", "lament", "vent"}
FURNITURE_LENGTH = 60   # characters: a shorter line without a sentence end is a subheading or furniture
HEADLINE_REACH = 1200   # characters: a cue this early makes the lines above it the page's headline about the call
HEADLINE_LENGTH = 250   # characters: a longer paragraph is body text, not a headline, standfirst or caption
NUMBERED_TIE = re.compile(r"\bof (?:one|two|three|four|five|six|\d+)\b", re.IGNORECASE)  # "mother of one"
CALL_PREPOSITIONS = set(load_yaml("speakers.yaml")["call_prepositions"])  # "a call between …", "розмова з …"
POSSESSIVE_PRONOUNS = set(load_yaml("speakers.yaml")["possessive_pronouns"])  # "his wife", "его жена", "його дружина"
NOT_PARTY_MODIFIERS = {"intelligence", "security", "police", "enforcement", "law", "press", "army", "border"}
PARTICIPANT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "dative", "conj", "appos", "poss", "compound",
                    "nmod"}  # "розмову окупанта": the genitive of a Slavic parse


def _coordinated(a, b) -> bool:
    """Are two role-noun tokens coordinated ("the colonel, commander of …, and a subordinate commander")? Then they
    are two people, even with one role."""
    if a is None or b is None or a.i == b.i:
        return False
    return (a.dep_ == "conj" and a.head.i == b.i) or (b.dep_ == "conj" and b.head.i == a.i) or (
        a.dep_ == b.dep_ == "conj" and a.head.i == b.head.i)


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass
class Mention:
    sentences: list = field(default_factory=list)   # strong-cue sentences (spaCy spans)
    paragraphs: set = field(default_factory=set)    # paragraph indices in scope
    released_by: str | None = None


class InterceptsExtractor:
    name = "intercepts"

    def __init__(self, nlp) -> None:
        data = load_yaml("intercepts.yaml")
        self.strong = [_rx(p) for p in data["strong"]]
        self.with_party = [_rx(p) for p in data["with_party"]]
        self.weak = [_rx(p) for p in data["weak"]]
        self.not_calls = _rx(data["not_calls"])
        self.medium = [(name, _rx(p)) for name, p in data["medium"].items()]
        self.releasing = _rx(data["releasing_verbs"])
        self.release_by = _rx("(?:" + data["release_by"] + r")\s*$")  # every alternative ends at the body
        self.intercepted_party = _rx("(?:" + data["intercepted_party"] + r")\s*$")
        self.release_subject = _rx(data["release_subject"])
        self.relaying = _rx(data["relaying"])
        self.unknown_call_date = _rx(data["unknown_call_date"])
        self.call_date_cue = _rx(data["call_date_cue"])
        self.hedges = _rx(data["hedges"])
        self.unverified = _rx(data["unverified"])
        self.party_attribution = _rx(data["party_attribution"])
        self.resolver = SpeakerResolver()
        speakers = load_yaml("speakers.yaml")
        self.subject_pronouns = {w.lower() for w in speakers["party_subject_pronouns"]}
        self.speaking = set(load_yaml("attribution.yaml")["speech_verbs"]) | COMMUNICATION_WORDS

    # ---- paragraphs ------------------------------------------------------------------------------------
    @staticmethod
    def _paragraphs(text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out

    @staticmethod
    def _para_of(paras: list[tuple[int, int]], char: int) -> int:
        for i, (a, b) in enumerate(paras):
            if a <= char <= b:
                return i
        return len(paras) - 1

    @staticmethod
    def _furniture(text: str, para: tuple[int, int]) -> bool:
        """A short line without a sentence end: a subheading, a caption or site furniture, not body text."""
        line = text[para[0]:para[1]].strip()
        return len(line) <= FURNITURE_LENGTH and line[-1:] not in ".!?…\"”»’'"

    @staticmethod
    def _headlines_before(paras: list[tuple[int, int]], first: int) -> bool:
        """Do only a headline, standfirst and captions (short lines, the first cue within the opening of the page)
        come before paragraph `first`?"""
        if first == 0 or paras[first][0] > HEADLINE_REACH:
            return False
        return all(b - a <= HEADLINE_LENGTH for a, b in paras[:first])

    def _is_strong(self, sent_text: str) -> re.Match | None:
        party = self.resolver.participant_re.search(sent_text) or re.search(r"\bRussians?\b", sent_text)
        for rx in self.strong + (self.with_party if party else []):
            m = rx.search(sent_text)
            if m:
                window = sent_text[max(0, m.start() - 60):m.end() + 60]
                if self.not_calls.search(window) and not re.search(r"\b(?:call|conversation|phone|audio|recording)",
                                                                    window, re.I):
                    continue
                return m
        return None

    def _reports_party_speech(self, sent) -> bool:
        """A sentence whose speech verb has a party to a call as subject (he/she or a participant noun: "his
        interlocutor says"), or that attributes its words to one ("according to the occupier", "за словами
        окупанта")."""
        m = self.party_attribution.search(sent.text)
        if m and self.resolver.participant_re.match(sent.text, m.end()):
            return True
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.speaking:
                continue
            for child in tok.children:
                role = self.resolver.participant_role(child.lower_)
                if child.dep_ in ("nsubj", "nsubjpass") and (
                        child.lower_ in self.subject_pronouns or role == "soldier"  # "the soldiers told relatives"
                        or role and child.tag_ not in ("NNS", "NNPS")):
                    return True
        return False

    def _credit_fragment(self, ctx: Context, quote, sent) -> None:
        """A fragment quoted where a party speaks ("he also complains that most are «двохсоті»") is that party's."""
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.speaking:
                continue
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass") and (child.lower_ in self.subject_pronouns
                                                             or self.resolver.participant_role(child.lower_)):
                    start, end = child.left_edge.idx, child.idx + len(child)
                    previous = next((q for q in reversed(ctx.quotes) if q.end <= quote.start and q.speaker), None)
                    who = self.resolver.who(ctx, start, end, previous=previous)
                    QuotesExtractor._set_speaker(quote, who, tok.text, (start, end))
                    return

    def _participant_speaker(self, item) -> bool:
        if getattr(item, "speaker_named", False):
            return False
        role = getattr(item, "speaker_role", None)
        word = getattr(item, "speaker_role_word", None)
        if word is None:
            return role in SPEAKING_ROLES or role == "other"  # "one of them says", "the voice says"
        return role in SPEAKING_ROLES or self.resolver.participant_role(word) is not None

    # ---- releaser and relays ---------------------------------------------------------------------------
    def _releaser(self, ctx: Context, sentences, scope_sents, lead_sents) -> str | None:
        """The body that intercepted or released the call, searched over the cue sentences, the whole scope and the
        lead, with verb-governed patterns only: "released/published/intercepted/obtained by X" (3), "X released/
        intercepted/published …" (2), "audio released from X" (2); a Ukrainian releasing body merely named in a cue
        sentence scores 1. A by-phrase of any other verb ("losses suffered by X") and a country never qualify."""
        cue_starts = {s.start_char for s in sentences}
        seen, candidates = set(), []
        for sent in list(sentences) + list(scope_sents) + list(lead_sents):
            if sent.start_char in seen:
                continue
            seen.add(sent.start_char)
            in_cue = sent.start_char in cue_starts
            for ent in ctx.entities:
                if not (sent.start_char <= ent.start < sent.end_char):
                    continue
                kind = (ent.model_extra or {}).get("source_type")
                if ent.type not in ("agency", "armed_group", "organisation") or kind in MEDIA_TYPES:
                    continue
                before = ctx.text[sent.start_char:ent.start]
                after = ctx.text[ent.end:sent.end_char]
                if self.release_by.search(before):
                    score = 3
                elif self.release_subject.match(after):
                    score = 2
                elif in_cue and kind in RELEASER_TYPES and ent.side == "UA" and (
                        kind == "ua_intelligence" or not self.intercepted_party.search(before)):
                    score = 1  # a Ukrainian body named in the cue, unless the army whose talk was intercepted
                    # ("радиопереговоры ВСУ"); "перехопленої розмови ГУР" is the intelligence service's release
                else:
                    continue
                known = kind in RELEASER_TYPES
                candidates.append((-score, not known, kind != "ua_intelligence", not in_cue, ent.start,
                                   ent.canonical or ent.text))
        if candidates:
            return min(candidates)[-1]
        return self._agent_as_given(list(sentences) + list(scope_sents))

    @staticmethod
    def _agent_as_given(sentences) -> str | None:
        """'intercepted by Ukrainian intelligence': a body the lexicons do not know, named as the text names it."""
        for sent in sentences:
            m = AGENT_AS_GIVEN.search(sent.text)
            if m:
                return m.group(1).strip()
        return None

    def _relays(self, ctx: Context, spans: list[tuple[int, int]]) -> list[str]:
        out: list[str] = []
        for ent in ctx.entities:
            kind = (ent.model_extra or {}).get("source_type")
            if kind not in MEDIA_TYPES or not any(a <= ent.start < b for a, b in spans):
                continue
            before = ctx.text[max(0, ent.start - 60):ent.start]
            if self.relaying.search(before):
                name = ent.canonical or ent.text
                if name not in out:
                    out.append(name)
        return out

    # ---- participants ----------------------------------------------------------------------------------
    def _participants(self, ctx: Context, cue_sents, speech_sents, released_by: str | None,
                      call_words: list[tuple[int, int]]) -> list[Participant]:
        """Parties to the call as distinct people: a later mention of the same role joins the first ("a soldier" …
        "the soldier"), unless it is another one ("the other soldier", a different name, "two soldiers" → two).
        Collective or merely mentioned nouns ("their families", "his commanders", "intelligence officers") are no
        parties. Each keeps its relation (husband, girlfriend, son …) beside the schema role."""
        found: list[tuple[int, str, str | None, str, str, int]] = []  # (position, role, side, phrase, word, count)
        token_at: dict[int, object] = {}
        lex = self.resolver.lex

        def add_from(sent, any_role: bool):
            for tok in sent:
                if tok.pos_ not in ("NOUN", "PROPN"):
                    continue
                word = tok.lower_
                role = self.resolver.participant_role(word) or self.resolver.participant_role(tok.lemma_)
                if role is None and tok.i + 1 < len(ctx.doc):
                    word = f"{tok.lower_} {ctx.doc[tok.i + 1].lower_}"
                    role = self.resolver.participant_role(word)
                if role is None:
                    continue
                if any(a <= tok.idx < b for a, b in call_words):
                    continue  # words inside the call are not its participants (a witness's quote may name them)
                if tok.dep_ not in PARTICIPANT_DEPS and not (any_role and tok.dep_ == "ROOT"):
                    continue  # "stayed mum" is no mother
                if role != "soldier" and not self._is_party(tok):
                    continue  # "complains about his commanders": talked about, not talking
                numbered = any(c.dep_ == "nummod" and c.lower_ in ("two", "both", "2") for c in tok.children)
                if tok.lower_ in self.resolver.collective or (role != "soldier" and tok.tag_ in ("NNS", "NNPS")
                                                               and not numbered):
                    continue  # "their families", "friends": a group talked about, not a party ("two officers" are)
                if any(c.lower_ in NOT_PARTY_MODIFIERS for c in tok.children if c.dep_ in ("compound", "amod")):
                    continue  # "intelligence officers", "law enforcement officers"
                nxt = ctx.doc[tok.i + 1:tok.i + 3]
                if len(nxt) == 2 and nxt[0].lower_ == "of" and nxt[1].like_num:
                    continue  # "the mother of one": no tie to the caller
                left = tok.left_edge.idx
                phrase = ctx.text[left:tok.idx + len(tok)]
                count = 2 if any(c.lower_ in ("two", "both") and c.dep_ == "nummod" for c in tok.children) else 1
                found.append((tok.idx, role, lex.side_of_words(phrase), phrase, word, count))
                token_at[tok.idx] = tok

        for sent in cue_sents:
            add_from(sent, True)
        for sent in speech_sents:
            add_from(sent, False)
        found.sort()
        if {role for _, role, _, _, _, _ in found} & PARENT_ROLES:  # "his son" in a call with his father is the soldier
            found = [(pos, "soldier" if word.split()[-1] in CHILD_WORDS else role, side, phrase, word, n)
                     for pos, role, side, phrase, word, n in found]
        default_side = "RU" if released_by is None or "Ukrain" in released_by or "SBU" in released_by or "HUR" in (
            released_by or "") else None
        soldier_side = next((side for _, role, side, _, _, _ in found if role == "soldier" and side), None) or default_side
        participants: list[Participant] = []
        for pos, role, side, phrase, word, count in found:
            same = [p for p in participants if p.role == role]
            another = re.search(r"\b(?:other|another|second)\b", phrase, re.I)
            name = self._name_in(ctx, pos - len(phrase), pos + len(word) + 1)
            distinct = (another and len(same) < 2) or (name and all(p.description and name not in p.description
                                                                   for p in same)) or any(
                _coordinated(token_at.get(pos), token_at.get(getattr(p, "_pos", -1))) for p in same)
            if same and not distinct:
                target = same[0] if not name else next((p for p in same if p.description and name in p.description),
                                                       same[0])
                if target.relation is None:
                    target.relation = self._relation(role, word)
                if role in ("soldier", "commander") and target.unit is None:
                    target.unit = self._unit_near(ctx, pos)
                continue
            for _ in range(max(1, count - len(same))):
                p = Participant(role=role, side=side or soldier_side, description=phrase.strip())
                p._pos = pos  # noqa: SLF001 — which mention made it (for coordination with a later one)
                p.relation = self._relation(role, word)
                left = ctx.text.find(phrase, max(0, pos - len(phrase)))
                p.evidence = ctx.span(left, left + len(phrase)) if left >= 0 else None
                if role in ("soldier", "commander"):
                    p.unit = self._unit_near(ctx, pos)
                participants.append(p)
        return participants

    def _relation(self, role: str, word: str) -> str | None:
        """The precise tie for family and partner roles (mother, girlfriend, husband …); None for soldiers."""
        last = word.split()[-1]
        relation = self.resolver.relation_of(last)
        if role in ("soldier", "commander") and relation not in ("husband", "boyfriend", "son"):
            return None
        return relation

    def _named_parties(self, ctx: Context, scope_sents) -> set[str]:
        """Names of people the scope presents as parties to the call: "the Russian soldier Andrei", "a serviceman
        known only as Andrey", "Sergey, a paratrooper" — a person next to a participant role noun."""
        names: set[str] = set()
        for sent in scope_sents:
            for ent in ctx.entities:
                if ent.type != "person" or not (sent.start_char <= ent.start < sent.end_char):
                    continue
                around = ctx.text[max(sent.start_char, ent.start - 45):min(sent.end_char, ent.end + 25)]
                if self.resolver.participant_re.search(around.replace(ent.text, " ")):
                    names.add(ent.canonical or ent.text)
                    names.add(ent.text)
        return names

    @staticmethod
    def _name_in(ctx: Context, start: int, end: int) -> str | None:
        for ent in ctx.entities:
            if ent.type == "person" and start <= ent.start < end + 3:
                return ent.text
        return None

    def _is_party(self, tok) -> bool:
        """Is this role noun a party to the call: the one told/asked/called ("tells his wife"), one side of
        "a call between X and Y" / "a conversation of X with Y", or a possessed relative ("his mother")?"""
        possessed = any(c.dep_ == "poss" or c.lower_ in POSSESSIVE_PRONOUNS for c in tok.children) or (
            tok.i > 0 and tok.doc[tok.i - 1].lower_ in POSSESSIVE_PRONOUNS)  # "його співрозмовниця", parsed loose
        if possessed and tok.dep_ in ("dobj", "pobj", "dative", "conj", "nsubj"):
            return True
        cur = tok
        for _ in range(4):
            head = cur.head
            if head.i == cur.i:
                break
            if head.lemma_.lower() in self.speaking or head.lower_ in CALL_PREPOSITIONS:
                return True
            if cur.dep_ not in ("pobj", "prep", "conj", "dobj", "dative", "iobj", "appos", "cc", "obl"):
                break
            cur = head
        return False

    @staticmethod
    def _unit_near(ctx: Context, char: int) -> str | None:
        for ent in ctx.entities:
            if ent.type == "military_unit" and 0 <= ent.start - char <= 60 and "\n" not in ctx.text[char:ent.start]:
                between = ctx.text[char:ent.start].lower()
                if re.search(r"\b(?:from|of|in|with|serving in|belonging to)\b", between):
                    return ent.canonical or ent.text
        return None

    # ---- dates -----------------------------------------------------------------------------------------
    @staticmethod
    def _dates_in(ctx: Context, sent) -> list[dict]:
        return [d for d in ctx.dates if sent.start_char <= d["start"] < sent.end_char and d.get("date")]

    def _call_and_release_dates(self, ctx: Context, scope_sents, cue_sents) -> tuple[str | None, str | None, bool]:
        call_date, release_date, unknown = None, None, False
        for sent in scope_sents:
            if self.unknown_call_date.search(sent.text):
                unknown = True
            if call_date is None and self.call_date_cue.search(sent.text):
                dates = self._dates_in(ctx, sent)
                if dates:
                    call_date = dates[0]["date"]
        for sent in cue_sents:
            if release_date is None and self.releasing.search(sent.text):
                dates = self._dates_in(ctx, sent)
                if dates:
                    release_date = dates[0]["date"]
        return (None if unknown else call_date), release_date, unknown

    # ---- the extractor ---------------------------------------------------------------------------------
    def __call__(self, ctx: Context) -> None:
        text = ctx.text
        paras = self._paragraphs(text)
        if not paras:
            return
        sents = list(ctx.doc.sents)
        strong: dict[int, list] = {}
        weak: set[int] = set()
        cue_at: dict[int, int] = {}  # sentence start → character where its cue matched
        for sent in sents:
            p = self._para_of(paras, sent.start_char)
            m = self._is_strong(sent.text)
            if m:
                p = self._para_of(paras, sent.start_char + m.start())
                cue_at[sent.start_char] = sent.start_char + m.start()
                strong.setdefault(p, []).append(sent)
            elif any(rx.search(sent.text) for rx in self.weak):
                weak.add(p)
        if not strong:
            return
        related: set[int] = set(strong) | weak
        for sent in sents:  # paraphrase of the call: "the soldier further claimed …", "he also explained to his mom"
            if self._reports_party_speech(sent):
                related.add(self._para_of(paras, sent.start_char))
        for item in list(ctx.quotes) + ctx.extra.get("partial_quotes", []) + list(ctx.claims):
            anchor = item.start if hasattr(item, "start") else item.evidence.start
            speaker_item = item if hasattr(item, "speaker") else None
            if speaker_item is not None and (self._participant_speaker(speaker_item) or speaker_item.speaker is None):
                related.add(self._para_of(paras, anchor))
            elif speaker_item is None and item.source and not getattr(item, "direct", False):
                role, _k, word = self.resolver.role_in(item.source)
                named = any(e.type == "person" and (e.canonical == item.source) for e in ctx.entities)
                if not named and word and self.resolver.participant_role(word):
                    related.add(self._para_of(paras, anchor))
        # scopes: from each strong paragraph, extend over related paragraphs (gaps of at most one paragraph)
        mentions: list[Mention] = []
        covered: set[int] = set()
        for p in sorted(strong):
            if p in covered:
                mentions[-1].sentences.extend(strong[p])
                continue
            m = Mention(sentences=list(strong[p]), paragraphs={p})
            back = p - 1
            while back >= 0 and back in related and back not in covered and back not in strong:
                m.paragraphs.add(back)
                back -= 1
            if not mentions and self._headlines_before(paras, min(m.paragraphs)):
                m.paragraphs |= set(range(min(m.paragraphs)))  # the page's headline and standfirst sum up its call
            nxt, gap = p + 1, 0
            while nxt < len(paras) and gap <= 1:
                if nxt in related:
                    for k in range(p + 1, nxt + 1):
                        m.paragraphs.add(k)
                    if nxt in strong:
                        m.sentences.extend(strong[nxt])
                    gap = 0
                elif not self._furniture(text, paras[nxt]):
                    gap += 1  # site furniture and subheadings ("Advertisement", "Sign up …") are no gap
                nxt += 1
            covered |= m.paragraphs
            mentions.append(m)
        lead = [s for s in sents if s.start_char <= paras[min(1, len(paras) - 1)][1]]
        for m in mentions:
            spans = [paras[p] for p in m.paragraphs]
            scope_sents = [s for s in sents if any(a <= s.start_char <= b for a, b in spans)]
            m.released_by = self._releaser(ctx, m.sentences, scope_sents, lead)
        merged: list[Mention] = []
        for m in mentions:  # one intercept per releaser; mentions without one join the others
            target = next((x for x in merged if x.released_by == m.released_by or m.released_by is None
                           or x.released_by is None), None)
            if target is None:
                merged.append(m)
            else:
                target.sentences.extend(m.sentences)
                target.paragraphs |= m.paragraphs
                target.released_by = target.released_by or m.released_by
        for m in merged:
            self._emit(ctx, m, paras, sents, cue_at)

    def _emit(self, ctx: Context, m: Mention, paras, sents, cue_at: dict[int, int]) -> None:
        spans = [paras[p] for p in sorted(m.paragraphs)]
        in_scope = lambda char: any(a <= char <= b for a, b in spans)  # noqa: E731
        scope_sents = [s for s in sents if in_scope(s.start_char)]
        cue_sents = sorted(m.sentences, key=lambda s: s.start_char)
        index = len(ctx.intercepts)
        partial = ctx.extra.get("partial_quotes", [])
        for quote in [x for x in partial if in_scope(x.start)]:
            partial.remove(quote)  # a fragment of the call's words becomes a quote of its own
            ctx.quotes.append(quote)
        unopened = ctx.extra.get("unopened_quotes", [])
        for quote in [x for x in unopened if in_scope(x.start)]:
            unopened.remove(quote)  # the call's words whose opening mark was lost
            ctx.quotes.append(quote)
        speech_sents = [s for s in scope_sents if any(t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.speaking
                                                       for t in s)]
        named_parties = self._named_parties(ctx, scope_sents)
        cue_starts = {s.start_char for s in cue_sents}
        shorts = ctx.extra.get("short_partial_quotes", [])
        for quote in [x for x in shorts if in_scope(x.start)]:
            sent = ctx.sentence_at(quote.start)
            if sent.start_char in cue_starts or self._reports_party_speech(sent) or any(
                    n in sent.text for n in named_parties):
                shorts.remove(quote)  # a word or two of the call, quoted in a sentence reporting it
                self._credit_fragment(ctx, quote, sent)
                quote.call_fragment = True
                ctx.quotes.append(quote)  # appended, like the promoted fragments: earlier indices stay valid
        quotes = []
        for qi, quote in enumerate(ctx.quotes):
            if not in_scope(quote.start):
                continue
            named_party = bool(getattr(quote, "speaker_named", False)) and any(
                n in (quote.speaker or "") or (quote.speaker or "") in n for n in named_parties)
            if (quote.kind == "transcript" or quote.speaker is None or self._participant_speaker(quote) or named_party
                    or getattr(quote, "call_fragment", False)):
                quote.from_intercept = True
                quote.intercept = index
                quotes.append(qi)
        call_words = [(ctx.quotes[qi].start, ctx.quotes[qi].end) for qi in quotes]
        participants = self._participants(ctx, cue_sents, speech_sents, m.released_by, call_words)
        for qi in quotes:  # a quote's speaker is a participant too ("the father asks")
            quote = ctx.quotes[qi]
            word = (getattr(quote, "speaker_role_word", None) or "").lower()
            role = self.resolver.participant_role(word)
            if word in CHILD_WORDS and {p.role for p in participants} & PARENT_ROLES:
                role = "soldier"  # "his son explains" in a call with his father: the son is the soldier
                quote.speaker_role = "soldier"
            if NUMBERED_TIE.search(quote.speaker or ""):
                continue  # "says the mother of one": a description of a party already counted, no new tie
            if role and role not in {p.role for p in participants}:
                part = Participant(role=role, side=quote.speaker_side or "RU", description=quote.speaker)
                part.relation = self._relation(role, word or role)
                span = getattr(quote, "speaker_span", None)
                part.evidence = ctx.span(*span) if span else ctx.span(quote.start, quote.end)
                participants.append(part)
        soldier_side = next((p.side for p in participants if p.role == "soldier" and p.side), None)
        for qi in quotes:  # a call's unnamed speakers take the side of its participants
            quote = ctx.quotes[qi]
            if quote.speaker_side is None:
                role = self.resolver.participant_role(getattr(quote, "speaker_role_word", None) or "")
                match = next((p.side for p in participants if p.role == role and p.side), None)
                quote.speaker_side = match or soldier_side
        place_ids = [i for i, place in enumerate(ctx.places)
                     if in_scope(place.start) and place.kind not in ("country", "region") and place.name]
        cue_text = " ".join(s.text for s in cue_sents)
        scope_text = " ".join(s.text for s in scope_sents)
        medium = "unknown"
        for name, rx in self.medium:
            masked = cue_text
            for ent in ctx.entities:  # "Hromadske Radio" is an outlet, not a medium
                masked = masked.replace(ent.text, " ")
            if rx.search(masked):
                medium = name
                break
        call_date, release_date, unknown_date = self._call_and_release_dates(ctx, scope_sents, cue_sents)
        relayed = self._relays(ctx, [(s.start_char, s.end_char) for s in scope_sents])
        hedges = [h.group(0) for h in self.hedges.finditer(scope_text)]
        if self.unverified.search(scope_text):
            status = "unverified"
        elif hedges:
            status = "alleged"
        elif m.released_by or relayed:
            status = "attributed"
        else:
            status = "asserted"
        first = cue_sents[0]
        para = paras[self._para_of(paras, cue_at.get(first.start_char, first.start_char))]
        ev_start, ev_end = max(first.start_char, para[0]), min(first.end_char, para[1])  # a caption is no cue
        icpt = Intercept(released_by=m.released_by, relayed_by=relayed, medium=medium, participants=participants,
                         places=place_ids, call_date=call_date, release_date=release_date, quotes=quotes,
                         status=status, evidence=ctx.span(ev_start, ev_end))
        icpt.hedges = hedges
        icpt.call_date_unknown = unknown_date
        icpt.scope = [list(s) for s in spans]
        icpt.party_names = sorted(named_parties)
        icpt.cues = [ctx.span(s.start_char, s.end_char).model_dump() for s in cue_sents]
        ctx.intercepts.append(icpt)
