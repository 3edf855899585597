"""Server-side views for the dashboard: map grid cells, daily timeline, cursor pages and detail records."""
from __future__ import annotations

import base64
import json
import math

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import undefer

from sitrep.store.corroborate import source_of
from sitrep.store.db import Store
from sitrep.store.models import Document, Event, EventCluster, Indicator, Intercept, InterceptCluster, Place, Quote
from sitrep.store.queries import EventFilter, event_row, event_rows, language_condition


def _like(col, value: str):
    return func.lower(col).like(f"%{value.lower()}%")


def conditions(f: EventFilter) -> list:
    """SQL conditions equal to those `queries.event_rows` applies (tests check both agree)."""
    c: list = []
    if f.type:
        c.append(Event.type == f.type)
    if f.acled_type:
        c.append(or_(func.lower(Event.acled_event_type) == f.acled_type.lower(),
                     func.lower(Event.acled_sub_event_type) == f.acled_type.lower()))
    if f.side:
        c.append(Event.actor_side == f.side)
    if f.oblast:
        c.append(_like(Event.admin1, f.oblast))
    if f.place:
        c.append(_like(Event.place_name, f.place))
    if f.since:
        c.append(Event.date >= f.since)
    if f.until:
        c.append(Event.date <= f.until)
    if f.status:
        c.append(Event.status == f.status)
    if f.min_sources:
        c.append(EventCluster.n_independent >= f.min_sources)
    if f.text:
        c.append(_like(Event.evidence, f.text))
    if f.language:
        c.append(language_condition(Event.document_id, f.language))
    if f.near:
        lat, lon = f.near
        dlat = f.km / 111.0
        dlon = f.km / (111.0 * max(0.05, math.cos(math.radians(lat))))
        c.append(Event.lat.between(lat - dlat, lat + dlat))
        c.append(Event.lon.between(lon - dlon, lon + dlon))
    return c


def count_events(store: Store, f: EventFilter) -> int:
    """How many clusters `event_rows` gives for `f` (near: the exact distance, as event_rows checks it)."""
    if f.near:
        return len(event_rows(store, EventFilter(**{**f.__dict__, "limit": None})))
    q = select(func.count(func.distinct(Event.cluster_id))).join(
        EventCluster, Event.cluster_id == EventCluster.id).where(*conditions(f))
    with store.engine.connect() as conn:
        return conn.execute(q).scalar() or 0


def cell_size(zoom: int) -> float:
    """Grid cell in degrees for a map zoom level (about 60 px per cell on screen)."""
    return 360.0 / (2 ** max(0, min(zoom, 20))) / 256 * 60


def map_view(store: Store, f: EventFilter, bbox: tuple[float, float, float, float] | None, zoom: int,
             max_points: int = 1500, lone: int = 3) -> dict:
    """One point per cluster when few enough (or zoomed in), else grid cells with counts (grouped in SQL).

    In cell mode, cells holding at most `lone` clusters still show them as points, so a sparse region never turns
    into a field of "1"s.
    """
    conds = conditions(f) + [EventCluster.lat.is_not(None), EventCluster.lon.is_not(None)]
    if bbox:
        w, s, e, n = bbox
        conds += [EventCluster.lat.between(s, n), EventCluster.lon.between(w, e)]
    ids = (select(Event.cluster_id).join(EventCluster, Event.cluster_id == EventCluster.id).where(*conds)
           .distinct().subquery())
    in_view = EventCluster.id.in_(select(ids.c.cluster_id))
    cols = (EventCluster.id, EventCluster.lat, EventCluster.lon, EventCluster.n_independent, EventCluster.side,
            EventCluster.date_max)
    cells: list[dict] = []
    size = None
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(ids)).scalar() or 0
        if total <= max_points or zoom >= 12:
            shown = conn.execute(select(*cols).where(in_view).limit(max_points * 4)).all()
        else:
            size = cell_size(zoom)
            gy, gx = func.floor(EventCluster.lat / size), func.floor(EventCluster.lon / size)
            grouped = conn.execute(select(gy.label("gy"), gx.label("gx"), func.count().label("n"),
                                          func.avg(EventCluster.lat).label("lat"),
                                          func.avg(EventCluster.lon).label("lon"))
                                   .where(in_view).group_by(gy, gx)).all()
            small, budget = [], max_points
            for r in sorted(grouped, key=lambda r: r.n):
                if r.n <= lone and r.n <= budget:
                    small.append((r.gy, r.gx))
                    budget -= r.n
                else:
                    cells.append({"lat": r.lat, "lon": r.lon, "count": r.n})
            shown = []
            for i in range(0, len(small), 300):
                shown += conn.execute(select(*cols).where(in_view, tuple_(gy, gx).in_(small[i:i + 300]))).all()
        # the type, side and place of the report that speaks for each shown cluster (its first matching event)
        speaking: dict[int, tuple] = {}
        wanted = [r.id for r in shown]
        for i in range(0, len(wanted), 900):
            tq = (select(Event.cluster_id, Event.type, Event.actor_side, Event.place_name)
                  .join(EventCluster, Event.cluster_id == EventCluster.id)
                  .where(Event.cluster_id.in_(wanted[i:i + 900]), *conditions(f)).order_by(Event.id))
            for r in conn.execute(tq):
                speaking.setdefault(r.cluster_id, (r.type, r.actor_side, r.place_name))
    points = [{"id": r.id, "lat": r.lat, "lon": r.lon, "n_independent": r.n_independent,
               "type": speaking.get(r.id, (None,))[0], "side": speaking.get(r.id, (None, r.side))[1],
               "place": speaking.get(r.id, (None, None, None))[2], "date": r.date_max} for r in shown]
    return {"mode": "cells" if cells else "points", "total": total, "cell_deg": size, "points": points,
            "cells": cells}


def timeline(store: Store, f: EventFilter) -> list[dict]:
    """Daily counts of matching event clusters (a cluster counts on each day one of its reports gives)."""
    q = (select(Event.date, func.count(func.distinct(Event.cluster_id)))
         .join(EventCluster, Event.cluster_id == EventCluster.id)
         .where(*conditions(f), Event.date.is_not(None)).group_by(Event.date).order_by(Event.date))
    with store.engine.connect() as conn:
        return [{"date": d, "count": n} for d, n in conn.execute(q)]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        pad = "=" * (-len(cursor) % 4)
        offset = int(json.loads(base64.urlsafe_b64decode(cursor + pad))["o"])
    except Exception as exc:  # noqa: BLE001
        raise ValueError("invalid cursor") from exc
    if offset < 0:
        raise ValueError("invalid cursor")
    return offset


def event_page(store: Store, f: EventFilter, cursor: str | None, limit: int) -> tuple[list[dict], str | None]:
    """A page of `queries.event_rows` (same filters, order and rows) and the next page's cursor (None at the end).

    The page's clusters are picked in SQL (LIMIT/OFFSET over clusters), so a page costs the same at 100,000 events;
    `--near` keeps the exact-distance path of `event_rows`.
    """
    offset = decode_cursor(cursor)
    if f.near:
        f.limit = offset + limit + 1
        rows = event_rows(store, f)
        return rows[offset:offset + limit], (encode_cursor(offset + limit) if len(rows) > offset + limit else None)
    ids_q = (select(EventCluster.id).join(Event, Event.cluster_id == EventCluster.id).where(*conditions(f))
             .group_by(EventCluster.id, EventCluster.date_max)
             .order_by(EventCluster.date_max.desc().nulls_last(), EventCluster.id).limit(limit + 1).offset(offset))
    with store.engine.connect() as conn:
        ids = list(conn.execute(ids_q).scalars())
    more = len(ids) > limit
    ids = ids[:limit]
    if not ids:
        return [], None
    q = (select(Event, EventCluster, Document).join(EventCluster, Event.cluster_id == EventCluster.id)
         .join(Document, Event.document_id == Document.id).where(EventCluster.id.in_(ids), *conditions(f))
         .order_by(Document.published.nulls_last(), Document.id, Event.idx))
    rows: dict[int, dict] = {}
    with store.session() as session:
        for ev, cl, doc in session.execute(q):
            rows.setdefault(cl.id, event_row(ev, cl, doc))
    return [rows[i] for i in ids if i in rows], (encode_cursor(offset + limit) if more else None)


def _span(item: dict | None) -> dict | None:
    if isinstance(item, dict) and item.get("start") is not None and item.get("end") is not None:
        return {"start": item["start"], "end": item["end"], "text": item.get("text")}
    return None


def cluster_detail(store: Store, cluster_id: int) -> dict | None:
    """An event cluster with every report: document, outlet, claimant, status and evidence span."""
    with store.session() as session:
        cl = session.get(EventCluster, cluster_id)
        if cl is None:
            return None
        reports = []
        q = (select(Event, Document).join(Document, Event.document_id == Document.id)
             .where(Event.cluster_id == cluster_id).order_by(Document.published.nulls_last(), Document.id, Event.idx))
        for ev, doc in session.execute(q):
            reports.append({
                "event_id": ev.id, "document_id": doc.id, "title": doc.title, "url": doc.url,
                "published": doc.published, "outlet": source_of(doc), "language": doc.language, "type": ev.type,
                "acled_event_type": ev.acled_event_type, "acled_sub_event_type": ev.acled_sub_event_type,
                "date": ev.date, "date_precision": ev.date_precision, "place": ev.place_name, "admin1": ev.admin1,
                "lat": ev.lat, "lon": ev.lon, "precision": ev.precision, "actors": ev.actors, "targets": ev.targets,
                "actor_side": ev.actor_side, "target_side": ev.target_side, "status": ev.status,
                "claimed_by": ev.claimed_by, "claimant_side": ev.claimant_side,
                "killed": ev.killed, "wounded": ev.wounded, "captured": ev.captured,
                "evidence": {"start": ev.start, "end": ev.end, "text": ev.evidence}})
        head = reports[0] if reports else {}
        return {
            "cluster_id": cl.id, "type": head.get("type"), "date_min": cl.date_min, "date_max": cl.date_max,
            "lat": cl.lat, "lon": cl.lon, "precision": cl.precision, "side": cl.side,
            "n_reports": cl.n_reports, "n_independent": cl.n_independent, "outlets": cl.outlets,
            "claimants": cl.claimants, "claimed_by_sides": cl.claimed_by_sides, "first_reported": cl.first_reported,
            "fatalities": cl.fatalities, "fatalities_low": cl.fatalities_low, "fatalities_high": cl.fatalities_high,
            "disputed": cl.disputed, "statuses": sorted({r["status"] for r in reports if r["status"]}),
            "reports": reports,
        }


KINDS = ("place", "entity", "event", "figure", "quote", "claim", "intercept", "indicator", "date")


def document_items(result: dict) -> list[dict]:
    """Every extracted item of a stored result as {kind, index, start, end, label, detail}, offsets in the text."""
    items: list[dict] = []

    def add(kind: str, i: int, span: dict | None, label: str, detail: dict) -> None:
        if span and span.get("start") is not None and span.get("end") is not None and span["end"] > span["start"]:
            items.append({"kind": kind, "index": i, "start": span["start"], "end": span["end"], "label": label,
                          "detail": detail})

    for i, p in enumerate(result.get("places") or []):
        add("place", i, p, p.get("name") or p.get("text") or "",
            {k: p.get(k) for k in ("name", "kind", "admin1", "lat", "lon", "precision")})
    for i, e in enumerate(result.get("entities") or []):
        add("entity", i, e, e.get("canonical") or e.get("text") or "", {k: e.get(k) for k in ("type", "side")})
    for i, e in enumerate(result.get("events") or []):
        add("event", i, _span(e.get("evidence")), e.get("type") or "",
            {k: e.get(k) for k in ("type", "acled_sub_event_type", "date", "place", "status", "claimed_by")})
    for i, f in enumerate(result.get("figures") or []):
        add("figure", i, _span(f) or _span(f.get("evidence")), f"{f.get('kind')}: {f.get('value')}",
            {k: f.get(k) for k in ("kind", "value", "low", "high", "subject", "side", "status", "claimed_by")})
    for i, q in enumerate(result.get("quotes") or []):
        add("quote", i, _span(q), q.get("speaker") or "unknown speaker",
            {k: q.get(k) for k in ("speaker", "speaker_role", "speaker_side", "from_intercept")})
    for i, c in enumerate(result.get("claims") or []):
        add("claim", i, _span(c.get("evidence")), c.get("source") or "",
            {k: c.get(k) for k in ("source", "source_type", "side", "cue", "status", "hedges")})
    for i, it in enumerate(result.get("intercepts") or []):
        add("intercept", i, _span(it.get("evidence")), it.get("released_by") or "intercept",
            {k: it.get(k) for k in ("released_by", "medium", "participants", "status")})
    for i, ind in enumerate(result.get("indicators") or []):
        add("indicator", i, _span(ind.get("evidence")), ind.get("kind") or "",
            {k: ind.get(k) for k in ("kind", "side")})
    for i, d in enumerate(result.get("dates") or []):
        add("date", i, d, d.get("date") or d.get("text") or "", {k: d.get(k) for k in ("date", "precision")})
    items.sort(key=lambda x: (x["start"], -x["end"]))
    return items


def segments(text: str, items: list[dict], kinds: set[str] | None = None) -> list[dict]:
    """The text cut at every item boundary: [{text, kinds, items}] so each piece can be highlighted by kind."""
    chosen = [(n, it) for n, it in enumerate(items) if kinds is None or it["kind"] in kinds]
    cuts = {0, len(text)}
    for _, it in chosen:
        cuts.add(max(0, min(len(text), it["start"])))
        cuts.add(max(0, min(len(text), it["end"])))
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        cover = [n for n, it in chosen if it["start"] <= a and it["end"] >= b]
        out.append({"text": text[a:b], "start": a, "kinds": sorted({items[n]["kind"] for n in cover}),
                    "items": cover})
    return out


def document_detail(store: Store, document_id: int) -> dict | None:
    with store.session() as session:
        q = (select(Document).where(Document.id == document_id)
             .options(undefer(Document.text), undefer(Document.result)))
        doc = session.scalars(q).first()
        if doc is None:
            return None
        result = doc.result or {}
        cluster_of = {ev.idx: ev.cluster_id for ev in session.scalars(select(Event).where(Event.document_id == doc.id))}
        items = document_items(result)
        for it in items:
            if it["kind"] == "event":
                it["detail"]["cluster_id"] = cluster_of.get(it["index"])
        meta = result.get("document") or {}
        return {"document_id": doc.id, "title": doc.title, "url": doc.url, "published": doc.published,
                "outlet": doc.outlet or source_of(doc), "source_outlet": doc.source_outlet,
                "telegram": meta.get("telegram"), "encoding": meta.get("encoding"),
                "language": doc.language, "version": doc.version,
                "superseded": doc.superseded, "text": doc.text, "items": items,
                "counts": {k: sum(1 for it in items if it["kind"] == k) for k in KINDS}}


def intercept_cards(store: Store, rows: list[dict]) -> list[dict]:
    """Intercept rows (from `queries.intercept_rows`) with participants, units, places, indicators and quotes."""
    cards = []
    with store.session() as session:
        for row in rows:
            it = session.scalars(select(Intercept).where(Intercept.cluster_id == row["cluster_id"],
                                                         Intercept.document_id == row["document_id"])
                                 .order_by(Intercept.idx)).first()
            data = (it.data if it else {}) or {}
            doc_id = row["document_id"]
            places = [p.name or p.text for p in session.scalars(
                select(Place).where(Place.document_id == doc_id, Place.idx.in_(data.get("places") or [-1])))]
            indicators = [i.kind for i in session.scalars(
                select(Indicator).where(Indicator.document_id == doc_id,
                                        Indicator.idx.in_(data.get("indicators") or [-1])).order_by(Indicator.idx))]
            quotes = [{"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end, "idx": q.idx}
                      for q in session.scalars(
                select(Quote).where(Quote.document_id == doc_id, Quote.from_intercept.is_(True),
                                    Quote.intercept_idx == (it.idx if it else -1)).order_by(Quote.idx))]
            cluster = session.get(InterceptCluster, row["cluster_id"])
            members = session.execute(select(Document.id, Document.title, Document.outlet, Document.published,
                                             Document.language)
                                      .join(Intercept, Intercept.document_id == Document.id)
                                      .where(Intercept.cluster_id == row["cluster_id"])).all()
            units = sorted({p.get("unit") for p in row.get("participants") or [] if p.get("unit")})
            recording = None
            if data.get("from_recording"):  # a transcribed call: the player's times (web/recordings.py)
                from sitrep.web.recordings import recording_card

                recording = recording_card(store, session.get(Document, doc_id).result, quotes,
                                           data.get("indicators") or [])
            cards.append({**row, "released_by": row.get("released_by") or (cluster.released_by if cluster else None),
                          "relayed_by": data.get("relayed_by") or [], "units": units, "places": sorted(set(places)),
                          "indicators": indicators, "quotes": quotes, "recording": recording,
                          "carried_by": [{"document_id": m.id, "title": m.title, "outlet": m.outlet,
                                          "published": m.published, "language": m.language} for m in members]})
    return cards



def facets(store: Store) -> dict:
    """Distinct values for the dashboard's filter menus."""
    with store.engine.connect() as conn:
        def distinct(col) -> list:
            return [v for (v,) in conn.execute(select(col).where(col.is_not(None)).distinct().order_by(col))]

        dates = conn.execute(select(func.min(Event.date), func.max(Event.date))).one()
        return {"types": distinct(Event.type), "sides": distinct(Event.actor_side), "statuses": distinct(Event.status),
                "oblasts": distinct(Event.admin1), "languages": distinct(Document.language),
                "date_min": dates[0], "date_max": dates[1]}

