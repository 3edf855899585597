"""The output contract: pydantic models mirroring ../shared/schema/document.schema.json.

Every required field of the schema is a field here; extra fields are allowed (the schema allows them) and are
how sitrep adds information without renaming or dropping anything.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

Side = Literal["RU", "UA", "civilian", "other"] | None
Status = Literal["asserted", "attributed", "alleged", "unverified", "disputed", "denied"]
SourceType = Literal[
    "ua_government", "ua_military", "ua_intelligence", "ua_local_official", "ru_government", "ru_military",
    "ru_proxy_official", "ru_state_media", "foreign_government", "international_org", "media", "expert",
    "witness", "soldier", "relative", "anonymous", "other",
]
Precision = Literal["exact", "settlement", "admin3", "admin2", "admin1", "country", "unresolved"]


class Item(BaseModel):
    model_config = ConfigDict(extra="allow")


class Span(Item):
    start: int
    end: int
    text: str


class Place(Item):
    start: int
    end: int
    text: str
    name: str | None = None
    kind: Literal["settlement", "district", "admin1", "admin2", "country", "region", "feature", "unknown"] = "unknown"
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: Precision = "unresolved"
    gazetteer_id: str | None = None
    # how sure the point is (0–1: the choice among namesakes times how often a point of this precision lies within
    # 10 km of the place), how sure its first-level unit is, and the other candidates (name, admin1–3, lat/lon,
    # probability)
    confidence: float | None = None
    admin1_confidence: float | None = None
    alternatives: list[dict] = Field(default_factory=list)


class Entity(Item):
    start: int
    end: int
    text: str
    type: Literal["military_unit", "armed_group", "agency", "organisation", "person", "role"]
    canonical: str | None = None
    side: Side = None


class Actor(Item):
    name: str
    side: Side = None


class Fatalities(Item):
    killed: int | None = None
    wounded: int | None = None
    captured: int | None = None


class Event(Item):
    type: str
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    date: str | None = None
    date_precision: Literal["day", "week", "month", "year", "publication", "unknown"] = "unknown"
    place: int | None = None
    lat: float | None = None
    lon: float | None = None
    actors: list[Actor] = Field(default_factory=list)
    targets: list[Actor] = Field(default_factory=list)
    fatalities: Fatalities = Field(default_factory=Fatalities)
    status: Status = "asserted"
    claimed_by: str | None = None
    evidence: Span


class Figure(Item):
    kind: Literal["killed", "wounded", "captured", "missing", "deserted", "remaining", "troops", "settlements",
                  "equipment", "percent_lost", "money", "other"]
    value: float | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    subject: str | None = None
    side: Side = None
    claimed_by: str | None = None
    status: Status = "asserted"
    evidence: Span


class Claim(Item):
    source: str | None = None
    source_type: SourceType = "other"
    side: Side = None
    cue: str | None = None
    content: Span
    status: Status = "attributed"
    hedges: list[str] = Field(default_factory=list)
    evidence: Span


class Quote(Item):
    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_role: Literal["soldier", "commander", "relative", "official", "expert", "witness", "journalist",
                          "other"] | None = None
    speaker_side: Side = None
    from_intercept: bool = False
    intercept: int | None = None


class Participant(Item):
    role: Literal["soldier", "commander", "wife", "mother", "father", "parent", "relative", "comrade", "other",
                  "unknown"] = "unknown"
    side: Side = None
    unit: str | None = None
    description: str | None = None
    relation: str | None = None  # the precise tie as the text gives it (husband, girlfriend, son …); role is the enum


class Intercept(Item):
    released_by: str | None = None
    relayed_by: list[str] = Field(default_factory=list)
    medium: Literal["phone", "radio", "messenger", "unknown"] = "unknown"
    participants: list[Participant] = Field(default_factory=list)
    places: list[int] = Field(default_factory=list)
    call_date: str | None = None
    release_date: str | None = None
    quotes: list[int] = Field(default_factory=list)
    indicators: list[int] = Field(default_factory=list)
    status: Status = "attributed"
    evidence: Span


class Indicator(Item):
    kind: Literal["heavy_losses", "low_morale", "fear", "alcohol_abuse", "supply_shortage", "command_breakdown",
                  "encirclement", "retreat", "desertion", "refusal_to_fight", "war_crime_order", "war_crime_report",
                  "looting", "mistreatment_of_own_troops", "forced_mobilization", "prisoner_recruitment"]
    side: Side = None
    evidence: Span


class Document(Item):
    id: str
    title: str | None = None
    text: str
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    removed_boilerplate: list[str] = Field(default_factory=list)


class Result(Item):
    schema_version: Literal["1"] = SCHEMA_VERSION
    document: Document
    places: list[Place] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    intercepts: list[Intercept] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")
