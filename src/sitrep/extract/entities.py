"""Entities: military units, armed groups, agencies, organisations and people, with canonical name and side.

Named actors come from lexicons (actors.yaml, people.yaml, units.yaml) through an EntityRuler placed before
spaCy's NER (see `ruler_patterns`, added once in sitrep.nlp; sitrep.slavic matches the same patterns on Russian
and Ukrainian Docs); numbered formations of any kind ("20th Guards Combined Arms Army", and with the inflected
ordinals and abbreviations of units.yaml "155-я отдельная бригада", "47 ОМБр") through token patterns; other people and organisations from spaCy's NER. A person's role
comes from the title before the name or the apposition after it ("Luhansk Governor Serhiy Haidai", "Mykola
Bielieskov, a research fellow at ...").
"""
from __future__ import annotations

import re

from sitrep.actors import lexicon
from sitrep.extract.base import Context
from sitrep.lexicon import load_csv, load_yaml
from sitrep.model import Entity

LONGEST_PLACE = 200  # characters: a place overlapping an entity starts at most this far before it

ACTOR, UNIT, PERSON = "SITREP_ACTOR", "SITREP_UNIT", "PERSON"
ORDINAL = r"^\d{1,4}(?:st|nd|rd|th)$"
_SHORT_CAPS = re.compile(r"^[A-Z.]{1,5}$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _variants(alias: str) -> set[str]:
    """Case and apostrophe variants of an alias (patterns match case-sensitively)."""
    out = {alias, alias[:1].upper() + alias[1:]}
    if alias.lower().startswith("the "):
        out.add("The " + alias[4:])
        out.add(alias[4:])
    return out | {v.replace("'", "\u2019") for v in out if "'" in v}


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns for every lexicon actor, known unit and known person, plus numbered formations."""
    patterns: list[dict] = []
    for row in load_yaml("actors.yaml"):
        for alias in [row["canonical"], *row.get("aliases", [])]:
            if _SHORT_CAPS.match(alias):
                patterns.append({"label": ACTOR, "pattern": [{"ORTH": alias}], "id": row["canonical"]})
            else:
                for v in _variants(alias):
                    patterns.append({"label": ACTOR, "pattern": v, "id": row["canonical"]})
    units = load_yaml("units.yaml")
    for row in units["known"]:
        for alias in [row["canonical"], *row.get("aliases", [])]:
            for v in _variants(alias):
                patterns.append({"label": UNIT, "pattern": v, "id": row["canonical"]})
    modifiers = sorted({m for m in units["unit_modifiers"]} | {m.capitalize() for m in units["unit_modifiers"]}
                       | {m.upper() for m in units["unit_modifiers"] if len(m) <= 2})
    patterns.append({"label": UNIT, "pattern": [
        {"TEXT": {"REGEX": ORDINAL}},
        {"TEXT": {"IN": modifiers}, "OP": "*"},
        {"TEXT": {"IN": [n.capitalize() for n in units["unit_nouns"]]}},
    ]})
    patterns.append({"label": UNIT, "pattern": [
        {"TEXT": {"REGEX": ORDINAL}},
        {"TEXT": {"IN": modifiers}, "OP": "+"},
        {"LOWER": {"IN": [n for n in units["unit_nouns"]]}},
    ]})
    # languages that inflect ordinals, modifiers and nouns: "155-я отдельная бригада", "47-ї окремої бригади"
    inflected = "|".join(f"(?:{rx})" for rx in units.get("inflected_ordinals", []))
    if inflected:
        patterns.append({"label": UNIT, "pattern": [
            {"TEXT": {"REGEX": inflected}},
            {"LEMMA": {"IN": units["unit_modifiers"]}, "OP": "*"},
            {"LEMMA": {"IN": units["unit_nouns"]}},
        ]})
    if units.get("unit_abbreviations"):
        number = "|".join([r"^\d{1,4}$", *(f"(?:{rx})" for rx in units.get("inflected_ordinals", []))])
        patterns.append({"label": UNIT, "pattern": [
            {"TEXT": {"REGEX": number}},
            {"TEXT": {"IN": units["unit_abbreviations"]}},
        ]})
    for row in load_yaml("people.yaml"):
        for alias in [row["canonical"], *row.get("aliases", [])]:
            for v in _variants(alias):
                patterns.append({"label": PERSON, "pattern": v, "id": row["canonical"]})
    return patterns


def _title_case(text: str) -> str:
    return " ".join(w if (w[:1].isdigit() or w.isupper()) else w[:1].upper() + w[1:] for w in text.split())


class EntitiesExtractor:
    name = "entities"

    def __init__(self, nlp) -> None:
        self.lex = lexicon()
        units = load_yaml("units.yaml")
        self.unit_side_words = [(w, side) for side, words in units["side_words"].items() for w in words]
        self.role_words = sorted(self.lex.roles, key=len, reverse=True)
        self.known_unit_side = {row["canonical"]: row["side"] for row in units["known"]}
        self.oblast_names = {n.lower() for row in load_csv("oblasts.csv") for n in (row["short"], row["name"])
                             if n and "Crimea" not in n and "Sevastopol" not in n}

    # --- helpers --------------------------------------------------------------------------------------
    def _unit_side(self, ent) -> str | None:
        low = ent.text.lower()
        left = ent.doc[max(ent.sent.start, ent.start - 3):ent.start].text
        side = self.lex.side_of_words(left)
        if side:
            return side
        for words, s in self.unit_side_words:
            if words in low:
                return s
        return None

    def _role(self, ent) -> tuple[str | None, str | None]:
        """(role text, side) from the title before a name or the apposition after it."""
        doc = ent.doc
        sent = ent.sent
        # title before the name, attached to it in the parse: "Luhansk Governor Serhiy Haidai", "Corporal X"
        i = ent.start - 1
        while i >= sent.start and ent.start - i <= 6 and not doc[i].is_punct and doc[i].ent_type_ != PERSON \
                and (doc[i].head.i >= ent.start and doc[i].head.i < ent.end or
                     doc[i].head.i > i and doc[i].head.i < ent.start and doc[i].dep_ in ("compound", "amod", "poss",
                                                                                          "nmod", "case")):
            i -= 1
        before = doc[i + 1:ent.start]
        role_text = before.text if before and self._has_role_word(before.text) else None
        after_text = None
        # "Ukraine's deputy defense minister, Hanna Maliar" (title, comma, name)
        if role_text is None and ent.start - 1 > sent.start and doc[ent.start - 1].text == ",":
            j = ent.start - 2
            while j >= sent.start and not doc[j].is_punct and ent.start - j <= 8 and doc[j].pos_ != "VERB":
                j -= 1
            cand = doc[j + 1:ent.start - 1]
            if cand and self._has_role_word(cand.text):
                role_text = cand.text
        # apposition after: "Mykola Bielieskov, a research fellow at the ..." / "Ilya Kamisky, a Russian paratrooper"
        if ent.end < sent.end - 1 and doc[ent.end].text == ",":
            k = ent.end + 1
            if k < sent.end and doc[k].lower_ in ("a", "an", "the"):
                end = k
                while end < sent.end and doc[end].text not in (",", ".", ";", "—", "–") and end - k < 14:
                    end += 1
                cand = doc[k:end]
                if self._has_role_word(cand.text):
                    after_text = cand.text
        side = None
        for text in (role_text, after_text):
            if text and side is None:  # only the words before the role noun's complements tell the side
                side = self.lex.side_of_words(re.split(r"\s(?:at|of|on|in|for|with|from)\s", text)[0])
        return role_text or after_text, side

    def _split_title(self, ctx: Context, ent):
        """'Zaporizhzhia Governor Ivan Fedorov' tagged as one PERSON: (the title, the name span)."""
        tokens = list(ent)
        for k in range(len(tokens) - 2, -1, -1):
            if tokens[k].lower_ in self.lex.roles and tokens[k + 1].text[:1].isupper():
                return ent[:k + 1].text, ent[k + 1:]
        return None, ent

    def _oblast_side(self, title: str) -> str | None:
        """A title naming a Ukrainian oblast ('Zaporizhzhia Governor') is a Ukrainian office."""
        low = title.lower()
        return "UA" if any(re.search(rf"\b{re.escape(n)}\b", low) for n in self.oblast_names) else None

    def _has_role_word(self, text: str) -> bool:
        low = f" {text.lower()} "
        return any(f" {w} " in low or f" {w}s " in low for w in self.role_words)

    # --- main -----------------------------------------------------------------------------------------
    def __call__(self, ctx: Context) -> None:
        surnames: dict[str, str] = {}
        out: list[Entity] = []
        for ent in ctx.doc.ents:
            label = ent.label_
            if label not in (ACTOR, UNIT, PERSON, "ORG"):
                continue
            if label != ACTOR and any(ent.start_char < p.end for p in
                                      ctx.starting_in("places", ent.start_char - LONGEST_PLACE, ent.end_char)):
                continue
            text = ent.text
            if label == ACTOR:
                actor = self.lex.by_canonical.get(ent.ent_id_)
                if actor is None:
                    continue
                prev = ctx.doc[ent.start - 2:ent.start].text.lower() if ent.start >= 2 else ""
                if actor.canonical == "Azov" and (prev.endswith("sea of") or ent.end < len(ctx.doc)
                                                  and ctx.doc[ent.end].lower_ in ("sea", "coast")):
                    continue
                out.append(Entity(start=ent.start_char, end=ent.end_char, text=text, type=actor.type,
                                  canonical=actor.canonical, side=actor.side, source_type=actor.source_type))
            elif label == UNIT:
                canonical = ent.ent_id_ or (text if _CYRILLIC.search(text) else _title_case(text))
                side = self.known_unit_side.get(ent.ent_id_) or self._unit_side(ent)
                out.append(Entity(start=ent.start_char, end=ent.end_char, text=text, type="military_unit",
                                  canonical=canonical, side=side))
            elif label == PERSON:
                title, ent = self._split_title(ctx, ent)
                text = ent.text
                name = re.sub(r"['’]s$", "", text).strip()
                if not name or any(ch.isdigit() for ch in name) or len(name) < 3:
                    continue
                if self._has_role_word(name.split()[-1]) and not ent.ent_id_:
                    continue  # "Luhansk Governor": a title, not a name
                person = self.lex.people_by_alias.get(name.casefold())
                role, side = self._role(ent)
                if title:
                    role = title
                    side = side or self.lex.side_of_words(title) or self._oblast_side(title)
                if person is not None:
                    canonical, side = person.canonical, person.side
                    role = role or person.role
                elif " " not in name and name in surnames:
                    canonical = surnames[name]
                else:
                    canonical = name
                if " " in canonical:
                    surnames.setdefault(canonical.split()[-1], canonical)
                out.append(Entity(start=ent.start_char, end=ent.start_char + len(name), text=name, type="person",
                                  canonical=canonical, side=side, role=role))
            else:  # ORG from spaCy, not in the lexicon
                actor = self.lex.actor(text)
                if actor is not None:
                    out.append(Entity(start=ent.start_char, end=ent.end_char, text=text, type=actor.type,
                                      canonical=actor.canonical, side=actor.side, source_type=actor.source_type))
                    continue
                if len(ent) < 2 and not _SHORT_CAPS.match(text):
                    continue  # single capitalised words tagged ORG are mostly demonyms and places
                side = self.lex.side_of_words(text)
                canonical = re.sub(r"^(the|The)\s+", "", text)
                out.append(Entity(start=ent.start_char, end=ent.end_char, text=text, type="organisation",
                                  canonical=canonical, side=side))
        # propagate a person's side and role to later surname-only mentions
        by_canonical = {}
        for e in out:
            if e.type == "person" and e.side:
                by_canonical.setdefault(e.canonical, e)
        for e in out:
            if e.type == "person" and e.side is None and e.canonical in by_canonical:
                e.side = by_canonical[e.canonical].side
        out.sort(key=lambda e: e.start)
        ctx.entities.extend(out)
