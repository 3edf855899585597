"""REST API routes under /api: events, intercepts, claims, documents, search, stats, export, aggregates, ingest."""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.datastructures import UploadFile
from fastapi.responses import JSONResponse, Response

from sitrep.store import aggregate
from sitrep.store.export import render, to_geojson
from sitrep.store.queries import EventFilter, claim_rows, intercept_rows, parse_near, search_rows, stats
from sitrep.web.jobs import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES
from sitrep.web.security import feed_url_problem

router = APIRouter(prefix="/api")
EXPORT_MEDIA = {"csv": "text/csv; charset=utf-8", "acled-csv": "text/csv; charset=utf-8",
                "geojson": "application/geo+json", "jsonl": "application/x-ndjson"}


def _store(request: Request):
    return request.app.state.store


def event_filter(type: Optional[str] = None, acled_type: Optional[str] = None, side: Optional[str] = None,
                 oblast: Optional[str] = None, place: Optional[str] = None,
                 near: Optional[str] = Query(None, description="LAT,LON"), km: float = 25.0,
                 since: Optional[str] = Query(None, description="YYYY-MM-DD"),
                 until: Optional[str] = Query(None, description="YYYY-MM-DD"), status: Optional[str] = None,
                 min_sources: Optional[int] = Query(None, ge=1), text: Optional[str] = None,
                 language: Optional[str] = None) -> EventFilter:
    try:
        near_pt = parse_near(near)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return EventFilter(type=type or None, acled_type=acled_type or None, side=side or None, oblast=oblast or None,
                       place=place or None, near=near_pt, km=km, since=since or None, until=until or None,
                       status=status or None, min_sources=min_sources, text=text or None, language=language or None)


def _offset(cursor: Optional[str]) -> int:
    try:
        return aggregate.decode_cursor(cursor)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc


def _page(rows: list, offset: int, limit: int) -> tuple[list, Optional[str]]:
    nxt = aggregate.encode_cursor(offset + limit) if len(rows) > offset + limit else None
    return rows[offset:offset + limit], nxt


@router.get("/events", summary="Events, one per cluster, with the CLI's filters; cursor pages; ?format=geojson",
            description="JSON: {events, count, total, next_cursor}. GeoJSON: an RFC 7946 FeatureCollection (longitude "
                        "first); the next page's cursor is in the X-Next-Cursor and Link headers, the total in "
                        "X-Total-Count.")
def events(request: Request, cursor: Optional[str] = None, limit: int = Query(100, ge=1, le=1000),
           format: str = Query("json", pattern="^(json|geojson)$"), type: Optional[str] = None,
           acled_type: Optional[str] = None, side: Optional[str] = None, oblast: Optional[str] = None,
           place: Optional[str] = None, near: Optional[str] = Query(None, description="LAT,LON"), km: float = 25.0,
           since: Optional[str] = None, until: Optional[str] = None, status: Optional[str] = None,
           min_sources: Optional[int] = Query(None, ge=1), text: Optional[str] = None,
           language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    f = event_filter(type, acled_type, side, oblast, place, near, km, since, until, status, min_sources, text,
                     language)
    store = _store(request)
    total = aggregate.count_events(store, f)
    try:
        rows, nxt = aggregate.event_page(store, f, cursor, limit)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if format == "geojson":  # a plain RFC 7946 FeatureCollection; paging travels in headers
        headers = {"X-Total-Count": str(total)}
        if nxt:
            headers["X-Next-Cursor"] = nxt
            query = dict(request.query_params)
            query["cursor"] = nxt
            headers["Link"] = f'<{request.url.path}?{urlencode(query)}>; rel="next"'
        return JSONResponse(to_geojson(rows), media_type="application/geo+json", headers=headers)
    return {"events": rows, "count": len(rows), "total": total, "next_cursor": nxt}


@router.get("/events/{cluster_id}", summary="One event cluster with every report, outlet, claimant and evidence span")
def event(request: Request, cluster_id: int):
    detail = aggregate.cluster_detail(_store(request), cluster_id)
    if detail is None:
        raise HTTPException(404, f"no event {cluster_id}")
    return detail


@router.get("/intercepts", summary="Intercepted calls, one per cluster, with participants, places and quotes")
def intercepts(request: Request, released_by: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, min_sources: Optional[int] = Query(None, ge=1),
               text: Optional[str] = None, cursor: Optional[str] = None, limit: int = Query(50, ge=1, le=500),
               language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    offset = _offset(cursor)
    store = _store(request)
    rows = intercept_rows(store, released_by or None, since or None, until or None, min_sources, text or None,
                          offset + limit + 1, language or None)
    page, nxt = _page(rows, offset, limit)
    return {"intercepts": aggregate.intercept_cards(store, page), "count": len(page), "next_cursor": nxt}


@router.get("/claims", summary="Attributed claims with their sources")
def claims(request: Request, source: Optional[str] = None, source_type: Optional[str] = None,
           status: Optional[str] = None, text: Optional[str] = None, cursor: Optional[str] = None,
           limit: int = Query(100, ge=1, le=1000), language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    offset = _offset(cursor)
    rows = claim_rows(_store(request), source or None, source_type or None, status or None, text or None,
                      offset + limit + 1, language or None)
    page, nxt = _page(rows, offset, limit)
    return {"claims": page, "count": len(page), "next_cursor": nxt}


@router.get("/documents/{document_id}", summary="An article's text and every extracted item with its offsets")
def document(request: Request, document_id: int):
    detail = aggregate.document_detail(_store(request), document_id)
    if detail is None:
        raise HTTPException(404, f"no document {document_id}")
    return detail


@router.get("/search", summary="Full-text search over article text and quotes")
def search(request: Request, q: str = Query(..., min_length=1), limit: int = Query(50, ge=1, le=500),
           language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    try:
        rows = search_rows(_store(request), q, limit, language or None)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"query": q, "results": rows, "count": len(rows)}


@router.get("/stats", summary="Counts of documents, events, clusters, intercepts, claims …")
def get_stats(request: Request):
    return stats(_store(request))


@router.get("/facets", summary="Distinct types, sides, statuses and oblasts for filter menus")
def get_facets(request: Request):
    return aggregate.facets(_store(request))


@router.get("/export", summary="All matching events as csv, acled-csv, geojson or jsonl")
def export(request: Request, format: str = Query(..., pattern="^(csv|acled-csv|geojson|jsonl)$"),
           type: Optional[str] = None, acled_type: Optional[str] = None, side: Optional[str] = None,
           oblast: Optional[str] = None, place: Optional[str] = None, near: Optional[str] = None, km: float = 25.0,
           since: Optional[str] = None, until: Optional[str] = None, status: Optional[str] = None,
           min_sources: Optional[int] = Query(None, ge=1), text: Optional[str] = None,
           language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    from sitrep.store.queries import event_rows

    f = event_filter(type, acled_type, side, oblast, place, near, km, since, until, status, min_sources, text,
                     language)
    data = render(event_rows(_store(request), f), format)
    ext = {"acled-csv": "csv"}.get(format, format)
    return Response(data, media_type=EXPORT_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="sitrep-events.{ext}"'})


@router.get("/aggregate/map", summary="Map view: one point per cluster when few, else grid cells with counts")
def aggregate_map(request: Request, bbox: Optional[str] = Query(None, description="W,S,E,N"),
                  zoom: int = Query(6, ge=0, le=22), type: Optional[str] = None, acled_type: Optional[str] = None,
                  side: Optional[str] = None, oblast: Optional[str] = None, place: Optional[str] = None,
                  since: Optional[str] = None, until: Optional[str] = None, status: Optional[str] = None,
                  min_sources: Optional[int] = Query(None, ge=1), text: Optional[str] = None,
                  language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    f = event_filter(type, acled_type, side, oblast, place, None, 25.0, since, until, status, min_sources, text,
                     language)
    box = None
    if bbox:
        try:
            box = tuple(float(v) for v in bbox.split(","))
            assert len(box) == 4
        except (ValueError, AssertionError) as exc:
            raise HTTPException(400, "bbox wants W,S,E,N") from exc
    return aggregate.map_view(_store(request), f, box, zoom)


@router.get("/aggregate/timeline", summary="Daily counts of matching events")
def aggregate_timeline(request: Request, type: Optional[str] = None, acled_type: Optional[str] = None,
                       side: Optional[str] = None, oblast: Optional[str] = None, place: Optional[str] = None,
                       status: Optional[str] = None, min_sources: Optional[int] = Query(None, ge=1),
                       text: Optional[str] = None, language: Optional[str] = Query(None, description="ISO 639-1 code(s), e.g. uk or uk,ru")):
    f = event_filter(type, acled_type, side, oblast, place, None, 25.0, None, None, status, min_sources, text,
                     language)
    return {"days": aggregate.timeline(_store(request), f)}


INGEST_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {
        "text": {"type": "string", "description": "Pasted article text"},
        "title": {"type": "string", "description": "Title for the pasted text"},
        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": f"Files ({' '.join(ALLOWED_SUFFIXES)}), at most {MAX_UPLOAD_BYTES // 2**20} MB in all"},
        "url": {"type": "string", "description": "An RSS/Atom feed URL (public http(s) address)"}}}}}},
    "responses": {"202": {"description": "The job: {job_id, state, done, total, progress, …}"}}}


@router.post("/ingest", summary="Ingest pasted text, uploaded files or a feed URL; returns a job to poll",
             status_code=202, openapi_extra=INGEST_BODY)
async def ingest(request: Request):
    if request.app.state.read_only:
        raise HTTPException(403, "this server is read-only (--read-only): ingest is disabled")
    length = request.headers.get("content-length")
    if not length or not length.isdigit():  # chunked bodies would be parsed before any limit could apply
        raise HTTPException(411, "send a Content-Length (uploads are limited in size)")
    size = int(length)
    if size > MAX_UPLOAD_BYTES + 64 * 1024:
        raise HTTPException(413, f"upload too large: at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    form = await request.form(max_files=200, max_fields=50)
    files: list[tuple[str, bytes]] = []
    total = 0
    text = (form.get("text") or "").strip() if isinstance(form.get("text"), str) else ""
    if text:
        title = form.get("title") if isinstance(form.get("title"), str) else ""
        body = (title.strip() + "\n\n" + text) if title and title.strip() else text
        files.append(("pasted.txt", body.encode("utf-8")))
        total += len(files[-1][1])
    for upload in form.getlist("files"):
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        name = upload.filename.lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise HTTPException(415, f"unsupported file type: {upload.filename} (allowed: {' '.join(ALLOWED_SUFFIXES)})")
        data = await upload.read(MAX_UPLOAD_BYTES + 1 - total)
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"upload too large: at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        files.append((upload.filename, data))
    url = form.get("url")
    sources = []
    if isinstance(url, str) and url.strip():
        problem = feed_url_problem(url.strip())
        if problem:
            raise HTTPException(400, problem)
        sources.append(url.strip())
    if not files and not sources:
        raise HTTPException(400, "nothing to ingest: give text, files or a feed url")
    job = request.app.state.jobs.submit(files, sources)
    return JSONResponse({"job_id": job.id, **job.public()}, status_code=202)


@router.get("/jobs/{job_id}", summary="Progress of an ingest job")
def job(request: Request, job_id: str):
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id}")
    return found.public()
