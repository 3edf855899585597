"""Reading the record back: events (one row per cluster), intercepts, claims, full-text search and counts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select, text

from sitrep.store.corroborate import haversine_km, source_of
from sitrep.store.db import Store
from sitrep.store.fts import fts_words, match_clause
from sitrep.store.models import (Claim, Document, DuplicateGroup, Entity, Event, EventCluster, Figure, Indicator,
                                 IngestError, Intercept, InterceptCluster, Place, Quote)


@dataclass
class EventFilter:
    type: str | None = None
    acled_type: str | None = None
    side: str | None = None
    oblast: str | None = None
    place: str | None = None
    near: tuple[float, float] | None = None
    km: float = 25.0
    since: str | None = None
    until: str | None = None
    status: str | None = None
    min_sources: int | None = None
    text: str | None = None
    language: str | None = None
    limit: int | None = None


def parse_near(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", value)
    if not m:
        raise ValueError(f"--near wants LAT,LON (got {value!r})")
    return float(m.group(1)), float(m.group(2))


def _like(col, value: str):
    return func.lower(col).like(f"%{value.lower()}%")


def languages(value: str | None) -> list[str]:
    """`--language uk,ru` → ["uk", "ru"] (ISO 639-1 codes, lower case)."""
    return [v.strip().lower() for v in (value or "").split(",") if v.strip()]


def language_condition(document_id_col, value: str | None):
    """Rows whose document is in one of the languages of `value` (None when no language is asked for)."""
    langs = languages(value)
    if not langs:
        return None
    return document_id_col.in_(select(Document.id).where(func.lower(Document.language).in_(langs)))


def event_rows(store: Store, f: EventFilter | None = None) -> list[dict]:
    """One row per event cluster matching the filter; the earliest matching report speaks for it."""
    f = f or EventFilter()
    q = (select(Event, EventCluster, Document).join(EventCluster, Event.cluster_id == EventCluster.id)
         .join(Document, Event.document_id == Document.id))
    if f.type:
        q = q.where(Event.type == f.type)
    if f.acled_type:
        q = q.where(or_(func.lower(Event.acled_event_type) == f.acled_type.lower(),
                        func.lower(Event.acled_sub_event_type) == f.acled_type.lower()))
    if f.side:
        q = q.where(Event.actor_side == f.side)
    if f.oblast:
        q = q.where(_like(Event.admin1, f.oblast))
    if f.place:
        q = q.where(_like(Event.place_name, f.place))
    if f.since:
        q = q.where(Event.date >= f.since)
    if f.until:
        q = q.where(Event.date <= f.until)
    if f.status:
        q = q.where(Event.status == f.status)
    if f.min_sources:
        q = q.where(EventCluster.n_independent >= f.min_sources)
    if f.text:
        q = q.where(_like(Event.evidence, f.text))
    if f.language:
        q = q.where(language_condition(Event.document_id, f.language))
    if f.near:
        import math

        lat, lon = f.near
        dlat = f.km / 111.0
        dlon = f.km / (111.0 * max(0.05, math.cos(math.radians(lat))))
        q = q.where(Event.lat.between(lat - dlat, lat + dlat), Event.lon.between(lon - dlon, lon + dlon))
    # newest clusters first; within a cluster the earliest report speaks for it
    q = q.order_by(EventCluster.date_max.desc().nulls_last(), EventCluster.id, Document.published.nulls_last(),
                   Document.id, Event.idx)
    rows: dict[int, dict] = {}
    with store.session() as session:
        for ev, cl, doc in session.execute(q):
            if f.near and (ev.lat is None or haversine_km(f.near[0], f.near[1], ev.lat, ev.lon) > f.km):
                continue
            if cl.id in rows:
                continue
            rows[cl.id] = event_row(ev, cl, doc)
            if f.limit and len(rows) >= f.limit:
                break
    return list(rows.values())


def event_row(ev: Event, cl: EventCluster, doc: Document) -> dict:
    return {
        "cluster_id": cl.id, "date": ev.date, "date_precision": ev.date_precision, "type": ev.type,
        "acled_event_type": ev.acled_event_type, "acled_sub_event_type": ev.acled_sub_event_type,
        "place": ev.place_name, "admin1": ev.admin1, "admin2": ev.admin2, "admin3": ev.admin3,
        "country": ev.country, "lat": ev.lat, "lon": ev.lon, "precision": ev.precision,
        "actors": ev.actors, "targets": ev.targets, "actor_side": ev.actor_side, "target_side": ev.target_side,
        "status": ev.status, "claimed_by": ev.claimed_by,
        "fatalities": cl.fatalities, "fatalities_low": cl.fatalities_low, "fatalities_high": cl.fatalities_high,
        "disputed": cl.disputed, "n_reports": cl.n_reports, "n_independent": cl.n_independent,
        "outlets": cl.outlets, "claimants": cl.claimants, "claimed_by_sides": cl.claimed_by_sides,
        "first_reported": cl.first_reported, "evidence": ev.evidence, "document_id": doc.id,
        "title": doc.title, "url": doc.url, "outlet": source_of(doc), "language": doc.language,
    }


def intercept_rows(store: Store, released_by: str | None = None, since: str | None = None,
                   until: str | None = None, min_sources: int | None = None, text_: str | None = None,
                   limit: int | None = None, language: str | None = None) -> list[dict]:
    q = (select(Intercept, InterceptCluster, Document).join(InterceptCluster, Intercept.cluster_id == InterceptCluster.id)
         .join(Document, Intercept.document_id == Document.id))
    if released_by:
        q = q.where(_like(InterceptCluster.released_by, released_by))
    if since:
        q = q.where(InterceptCluster.first_reported >= since)
    if until:
        q = q.where(InterceptCluster.first_reported <= until + "\uffff")
    if min_sources:
        q = q.where(InterceptCluster.n_independent >= min_sources)
    if text_:
        q = q.where(_like(Intercept.evidence, text_))
    if languages(language):
        q = q.where(language_condition(Intercept.document_id, language))
    q = q.order_by(InterceptCluster.first_reported.desc().nulls_last(), InterceptCluster.id, Document.published,
                   Document.id)
    rows: dict[int, dict] = {}
    with store.session() as session:
        for it, cl, doc in session.execute(q):
            if cl.id in rows:
                continue
            rows[cl.id] = {
                "cluster_id": cl.id, "released_by": cl.released_by, "medium": it.medium, "call_date": it.call_date,
                "participants": it.participants, "status": it.status, "n_reports": cl.n_reports,
                "n_independent": cl.n_independent, "outlets": cl.outlets, "first_reported": cl.first_reported,
                "evidence": it.evidence, "document_id": doc.id, "title": doc.title, "language": doc.language,
            }
            if limit and len(rows) >= limit:
                break
    return list(rows.values())


def claim_rows(store: Store, source: str | None = None, source_type: str | None = None, status: str | None = None,
               text_: str | None = None, limit: int | None = None, language: str | None = None) -> list[dict]:
    q = select(Claim, Document).join(Document, Claim.document_id == Document.id)
    if source:
        q = q.where(_like(Claim.source, source))
    if source_type:
        q = q.where(Claim.source_type == source_type)
    if status:
        q = q.where(Claim.status == status)
    if text_:
        q = q.where(_like(Claim.content, text_))
    if languages(language):
        q = q.where(language_condition(Claim.document_id, language))
    q = q.order_by(Document.published.desc().nulls_last(), Document.id, Claim.idx)
    if limit:
        q = q.limit(limit)
    with store.session() as session:
        return [{"claim_id": c.id, "source": c.source, "source_type": c.source_type, "side": c.side, "cue": c.cue,
                 "status": c.status, "hedges": c.hedges, "content": c.content, "evidence": c.evidence,
                 "document_id": d.id, "published": d.published, "outlet": source_of(d), "language": d.language}
                for c, d in session.execute(q)]


def _snippet(body: str, query: str, width: int = 80) -> str:
    low = body.lower()
    pos = min((p for p in (low.find(w) for w in fts_words(query)) if p >= 0), default=0)
    start = max(0, pos - width)
    return ("…" if start else "") + body[start:pos + width].replace("\n", " ") + "…"


def search_rows(store: Store, query: str, limit: int = 50, language: str | None = None) -> list[dict]:
    """Documents and quotes matching every word of `query` (a phrase when it is quoted), in `language` if given."""
    rows = []
    langs = languages(language)
    lang_sql = ""
    lang_params: dict = {}
    if langs:
        names = ", ".join(f":lang{i}" for i in range(len(langs)))
        lang_sql = f" AND lower(documents.language) IN ({names})"
        lang_params = {f"lang{i}": v for i, v in enumerate(langs)}
    with store.engine.connect() as conn:
        cond, params = match_clause(conn, "documents", query)
        sql = (f"SELECT documents.id, documents.title, documents.published, documents.outlet, documents.language, "
               f"documents.text FROM documents WHERE {cond}{lang_sql} "
               f"ORDER BY documents.published DESC, documents.id LIMIT :lim")
        for r in conn.execute(text(sql), {**params, **lang_params, "lim": limit}):
            rows.append({"kind": "document", "document_id": r.id, "title": r.title, "published": r.published,
                         "outlet": r.outlet, "language": r.language, "snippet": _snippet(r.text, query)})
        cond, params = match_clause(conn, "quotes", query)
        sql = (f"SELECT quotes.id, quotes.document_id, quotes.text, quotes.speaker, documents.title, "
               f"documents.published, documents.outlet, documents.language FROM quotes "
               f"JOIN documents ON documents.id = quotes.document_id "
               f"WHERE {cond}{lang_sql} ORDER BY documents.published DESC, quotes.id LIMIT :lim")
        for r in conn.execute(text(sql), {**params, **lang_params, "lim": limit}):
            rows.append({"kind": "quote", "document_id": r.document_id, "title": r.title, "published": r.published,
                         "outlet": r.outlet, "language": r.language,
                         "snippet": (f"{r.speaker}: " if r.speaker else "") + r.text[:200]})
    return rows


def stats(store: Store) -> dict:
    with store.session() as session:
        def count(model, *where) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        duplicates = count(Document, Document.dup_group_id.is_not(None),
                           Document.id.not_in(select(DuplicateGroup.original_id).where(
                               DuplicateGroup.original_id.is_not(None))))
        return {
            "documents": count(Document), "duplicates": duplicates,
            "duplicate_groups": count(DuplicateGroup), "superseded": count(Document, Document.superseded.is_(True)),
            "events": count(Event), "event_clusters": count(EventCluster),
            "corroborated_events": count(EventCluster, EventCluster.n_independent >= 2),
            "intercepts": count(Intercept), "intercept_clusters": count(InterceptCluster),
            "claims": count(Claim), "quotes": count(Quote), "places": count(Place), "entities": count(Entity),
            "figures": count(Figure), "indicators": count(Indicator), "errors": count(IngestError),
        }
