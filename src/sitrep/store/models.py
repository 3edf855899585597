"""SQLAlchemy 2 models: one table per concept of the output contract, plus corroboration tables."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def doc_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)


class DuplicateGroup(Base):
    """Near-duplicate documents (syndicated copies); the earliest published member is the original."""
    __tablename__ = "duplicate_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    original_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # documents.id (checked by db check)
    size: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of cleaned text + outlet + url
    ext_id: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, deferred=True)  # large columns load only when asked for
    published: Mapped[str | None] = mapped_column(String(40), index=True)
    outlet: Mapped[str | None] = mapped_column(String(300), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    # the outlet this document counts as when it only relays another's post (a Telegram forward's original channel)
    source_outlet: Mapped[str | None] = mapped_column(String(300))
    origin: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    dup_group_id: Mapped[int | None] = mapped_column(ForeignKey("duplicate_groups.id"), nullable=True, index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    n_shingles: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict] = mapped_column(JSON, deferred=True)
    ingested_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class InputHash(Base):
    """Hash of a raw input (before extraction) → its document: what lets a re-run skip work already done."""
    __tablename__ = "input_hashes"
    raw_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[int] = doc_fk()


class IngestError(Base):
    __tablename__ = "errors"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    error: Mapped[str] = mapped_column(Text)
    raw_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class Place(Base):
    __tablename__ = "places"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text, index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(8))
    admin1: Mapped[str | None] = mapped_column(Text)
    admin2: Mapped[str | None] = mapped_column(Text)
    admin3: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(String(16))
    gazetteer_id: Mapped[str | None] = mapped_column(String(80))


class Entity(Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    type: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    canonical: Mapped[str | None] = mapped_column(Text)
    side: Mapped[str | None] = mapped_column(String(10))


class EventCluster(Base):
    """The same event across documents; counts and merged estimates are recomputed from the members."""
    __tablename__ = "event_clusters"
    id: Mapped[int] = mapped_column(primary_key=True)
    type_group: Mapped[str] = mapped_column(String(80), index=True)
    block: Mapped[str | None] = mapped_column(String(120), index=True)
    side: Mapped[str | None] = mapped_column(String(10))
    date_min: Mapped[str | None] = mapped_column(String(10))
    date_max: Mapped[str | None] = mapped_column(String(10))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(String(16))
    n_reports: Mapped[int] = mapped_column(Integer, default=0)
    n_independent: Mapped[int] = mapped_column(Integer, default=0)
    outlets: Mapped[list] = mapped_column(JSON, default=list)
    claimants: Mapped[list] = mapped_column(JSON, default=list)
    claimed_by_sides: Mapped[str | None] = mapped_column(String(40))
    first_reported: Mapped[str | None] = mapped_column(String(40))
    fatalities: Mapped[int | None] = mapped_column(Integer)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(60), index=True)
    acled_event_type: Mapped[str | None] = mapped_column(String(60))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(80))
    date: Mapped[str | None] = mapped_column(String(10), index=True)  # event date, else publication date
    date_precision: Mapped[str | None] = mapped_column(String(16))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"), nullable=True)
    place_name: Mapped[str | None] = mapped_column(Text)
    admin1: Mapped[str | None] = mapped_column(Text)
    admin2: Mapped[str | None] = mapped_column(Text)
    admin3: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    precision: Mapped[str | None] = mapped_column(String(16))
    gazetteer_id: Mapped[str | None] = mapped_column(String(80))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    actor_side: Mapped[str | None] = mapped_column(String(10))
    target_side: Mapped[str | None] = mapped_column(String(10))
    actors: Mapped[list] = mapped_column(JSON, default=list)
    targets: Mapped[list] = mapped_column(JSON, default=list)
    killed: Mapped[int | None] = mapped_column(Integer)
    wounded: Mapped[int | None] = mapped_column(Integer)
    captured: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(16))
    claimed_by: Mapped[str | None] = mapped_column(Text)
    claimant_side: Mapped[str | None] = mapped_column(String(10))
    evidence: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("event_clusters.id"), nullable=True, index=True)
    # the evidence sentence's cross-lingual vector (float16 blob, sitrep.store.vectors), computed when first needed
    vec: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class Figure(Base):
    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[float | None] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    subject: Mapped[str | None] = mapped_column(Text)
    side: Mapped[str | None] = mapped_column(String(10))
    claimed_by: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    evidence: Mapped[str | None] = mapped_column(Text)


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text, index=True)
    source_type: Mapped[str | None] = mapped_column(String(30))
    side: Mapped[str | None] = mapped_column(String(10))
    cue: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    hedges: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[str | None] = mapped_column(Text)


class InterceptCluster(Base):
    """The same intercepted call carried by several outlets (shared quotes, same releasing agency)."""
    __tablename__ = "intercept_clusters"
    id: Mapped[int] = mapped_column(primary_key=True)
    released_by: Mapped[str | None] = mapped_column(Text)
    n_reports: Mapped[int] = mapped_column(Integer, default=0)
    n_independent: Mapped[int] = mapped_column(Integer, default=0)
    outlets: Mapped[list] = mapped_column(JSON, default=list)
    first_reported: Mapped[str | None] = mapped_column(String(40))


class Intercept(Base):
    __tablename__ = "intercepts"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    released_by: Mapped[str | None] = mapped_column(Text)
    relayed_by: Mapped[list] = mapped_column(JSON, default=list)
    medium: Mapped[str | None] = mapped_column(String(16))
    participants: Mapped[list] = mapped_column(JSON, default=list)
    call_date: Mapped[str | None] = mapped_column(String(20))
    release_date: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(16))
    evidence: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("intercept_clusters.id"), nullable=True, index=True)


class InterceptKey(Base):
    """Normalised quote text of an intercept → its cluster (the blocking key for intercept corroboration)."""
    __tablename__ = "intercept_keys"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("intercept_clusters.id"), index=True)


class Quote(Base):
    __tablename__ = "quotes"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(Text)
    speaker_role: Mapped[str | None] = mapped_column(String(20))
    speaker_side: Mapped[str | None] = mapped_column(String(10))
    from_intercept: Mapped[bool] = mapped_column(Boolean, default=False)
    intercept_idx: Mapped[int | None] = mapped_column(Integer)
    vec: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # cross-lingual vector of an intercept's quote


class Indicator(Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = doc_fk()
    idx: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    side: Mapped[str | None] = mapped_column(String(10))
    evidence: Mapped[str | None] = mapped_column(Text)


Index("ix_events_latlon", Event.lat, Event.lon)
Index("ix_clusters_block_dates", EventCluster.type_group, EventCluster.date_min, EventCluster.date_max)
