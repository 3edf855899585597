"""Dashboard pages (server-rendered Jinja, autoescaped): map, intercept desk, claims, documents, search, upload."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from sitrep.store import aggregate
from sitrep.store.queries import claim_rows, intercept_rows, search_rows, stats

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))  # autoescapes .html
router = APIRouter(include_in_schema=False)
LANGUAGE_NAMES = {"uk": "Ukrainian", "ru": "Russian", "en": "English", "de": "German", "fr": "French", "es": "Spanish",
                  "pl": "Polish", "be": "Belarusian"}
templates.env.globals["language_names"] = LANGUAGE_NAMES
LEGEND = [("place", "places"), ("event", "events"), ("figure", "figures"), ("quote", "quotes"), ("claim", "claims"),
          ("intercept", "intercepts"), ("indicator", "indicators"), ("entity", "entities"), ("date", "dates")]


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status)


@router.get("/", response_class=HTMLResponse)
def index(request: Request):
    store = request.app.state.store
    return templates.TemplateResponse(request, "index.html", {"page": "map", "stats": stats(store),
                                                              "facets": aggregate.facets(store)})


@router.get("/intercepts", response_class=HTMLResponse)
def intercept_desk(request: Request, released_by: Optional[str] = None, text: Optional[str] = None,
                   cursor: Optional[str] = None, language: Optional[str] = None):
    store = request.app.state.store
    try:
        offset = aggregate.decode_cursor(cursor)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    limit = 30
    rows = intercept_rows(store, released_by or None, None, None, None, text or None, offset + limit + 1,
                          language or None)
    cards = aggregate.intercept_cards(store, rows[offset:offset + limit])
    nxt = aggregate.encode_cursor(offset + limit) if len(rows) > offset + limit else None
    return templates.TemplateResponse(request, "intercepts.html", {
        "page": "intercepts", "cards": cards, "next_cursor": nxt, "released_by": released_by or "",
        "text": text or "", "language": language or "", "languages": aggregate.facets(store)["languages"],
        "offset": offset})


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, source: Optional[str] = None, source_type: Optional[str] = None,
                status: Optional[str] = None, text: Optional[str] = None, cursor: Optional[str] = None):
    try:
        offset = aggregate.decode_cursor(cursor)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    limit = 100
    rows = claim_rows(request.app.state.store, source or None, source_type or None, status or None, text or None,
                      offset + limit + 1)
    nxt = aggregate.encode_cursor(offset + limit) if len(rows) > offset + limit else None
    return templates.TemplateResponse(request, "claims.html", {
        "page": "claims", "rows": rows[offset:offset + limit], "next_cursor": nxt, "offset": offset,
        "f": {"source": source or "", "source_type": source_type or "", "status": status or "", "text": text or ""}})


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_view(request: Request, document_id: int, mark: Optional[int] = None, mark_end: Optional[int] = None):
    detail = aggregate.document_detail(request.app.state.store, document_id)
    if detail is None:
        raise HTTPException(404, f"no document {document_id}")
    segs = aggregate.segments(detail["text"], detail["items"])
    return templates.TemplateResponse(request, "document.html", {
        "page": "document", "doc": detail, "segments": segs, "legend": LEGEND, "mark": mark, "mark_end": mark_end})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", language: Optional[str] = None):
    rows = search_rows(request.app.state.store, q, 100, language or None) if q.strip() else []
    return templates.TemplateResponse(request, "search.html", {"page": "search", "q": q, "rows": rows,
                                                               "language": language or ""})


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    from sitrep.web.jobs import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES

    return templates.TemplateResponse(request, "upload.html", {
        "page": "upload", "read_only": request.app.state.read_only, "allowed": " ".join(ALLOWED_SUFFIXES),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
