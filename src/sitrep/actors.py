"""The actor lexicons, loaded once: agencies/armed groups/outlets, known people, units, roles and nationality words.

One place for each fact: the canonical name, side and source_type of every named actor, and the side suggested
by a nationality word. Entities, claims, intercepts and events all ask here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sitrep.lexicon import load_yaml


@dataclass(frozen=True)
class Actor:
    canonical: str
    type: str
    side: str | None
    source_type: str
    role: str | None = None


@dataclass
class ActorLexicon:
    by_canonical: dict[str, Actor]
    alias_to_canonical: dict[str, str]
    people_by_alias: dict[str, Actor]
    nationality: dict[str, str]
    roles: dict[str, dict]
    by_side: dict[str, dict]

    def actor(self, name: str | None) -> Actor | None:
        if not name:
            return None
        key = name.strip().casefold()
        canonical = self.alias_to_canonical.get(key)
        if canonical:
            return self.by_canonical[canonical]
        return self.people_by_alias.get(key) or self.by_canonical.get(name)

    def side_of_words(self, text: str) -> str | None:
        """The side a phrase names ('Russian forces' → RU, 'Kyiv-backed forces' → UA), or None."""
        found = None
        for word in re.findall(r"[\w.'’-]+", text.casefold().replace("’", "'")):
            side = self.nationality.get(word)
            if side and found is None:
                found = side
        return found

    def side_nearest_end(self, text: str) -> str | None:
        """The side named by the last nationality word of `text` (the one closest to what follows it)."""
        for word in reversed(re.findall(r"[\w.'’-]+", text.casefold().replace("’", "'"))):
            side = self.nationality.get(word)
            if side:
                return side
        return None

    def source_type_for(self, role_key: str, side: str | None) -> str:
        if role_key.startswith("by_side_"):
            return self.by_side[role_key].get(side if side else None) or self.by_side[role_key].get("null") or "other"
        return role_key


@lru_cache(maxsize=1)
def lexicon() -> ActorLexicon:
    by_canonical: dict[str, Actor] = {}
    alias_to_canonical: dict[str, str] = {}
    for row in load_yaml("actors.yaml"):
        actor = Actor(row["canonical"], row["type"], row.get("side"), row.get("source_type", "other"))
        by_canonical[actor.canonical] = actor
        for alias in [row["canonical"], *row.get("aliases", [])]:
            alias_to_canonical.setdefault(alias.casefold(), actor.canonical)
    people: dict[str, Actor] = {}
    for row in load_yaml("people.yaml"):
        person = Actor(row["canonical"], "person", row.get("side"), row.get("source_type", "other"), row.get("role"))
        by_canonical.setdefault(person.canonical, person)
        for alias in [row["canonical"], *row.get("aliases", [])]:
            people.setdefault(alias.casefold(), person)
    roles_data = load_yaml("roles.yaml")
    nationality = {w: side for side, words in roles_data["nationality"].items() for w in words}
    roles = {row["match"]: row for row in roles_data["titles"]}
    by_side = {key: {(None if k in (None, "null") else k): v for k, v in mapping.items()}
               for key, mapping in roles_data["by_side"].items()}
    return ActorLexicon(by_canonical, alias_to_canonical, people, nationality, roles, by_side)
