"""Cross-language links: corroboration's second pass, by sentence vectors where words and places cannot match.

After the lexical and geographic pass (`corroborate.cluster_events` / `cluster_intercepts`), an event or intercept
that started a cluster of its own looks for the same event or call in other documents, only inside blocking keys:

- events: the same ACLED event type (else sitrep type), the date window of its date precision, the same oblast
  (or, for two places at settlement level, `event_radius_km`), a document in another language, no conflicting
  acting side; compared by the vectors of their evidence sentences;
- intercepts: release dates (else publication dates) at most `intercept_days` apart, no conflicting releasing
  agency, any language (two outlets translate one call differently); compared quote against quote.

A match (vectors.same_event / same_quote: calibrated cosine, no conflicting figures) merges the new cluster into the
other one; a coarse cluster takes the finer place. Vectors are computed only for sentences that meet a candidate,
all of a transaction's in one encoder call, and stored with the row, so no sentence is ever encoded twice.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, undefer

from sitrep.store import vectors
from sitrep.store.corroborate import (DATE_WINDOW, RADIUS_KM, _same_agency, _shift, haversine_km,
                                      intercept_quote_indices)
from sitrep.store.models import Document, Event, EventCluster, Intercept, InterceptCluster, InterceptKey, Quote

COARSE = ("admin2", "admin1")


def _settings() -> dict:
    return vectors.settings()


# ---- events -------------------------------------------------------------------------------------------------
def _same_area(a: Event, b: Event) -> bool:
    """Two settlement-level places within the radius; otherwise (a coarse place on either side) the same oblast."""
    if a.precision in RADIUS_KM and b.precision in RADIUS_KM:
        if None in (a.lat, a.lon, b.lat, b.lon):
            return False
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= float(_settings()["event_radius_km"])
    return bool(a.admin1) and a.admin1 == b.admin1


def event_candidates(session: Session, ev: Event, lang: str | None) -> list[tuple[Event, str]]:
    """Events of other documents, in another language, that could report the same event (the blocking keys)."""
    if not (ev.date and ev.evidence and lang and ev.cluster_id):
        return []
    if ev.precision not in RADIUS_KM and not (ev.precision in COARSE and ev.admin1):
        return []  # no usable place: never linked (precision first)
    window = DATE_WINDOW.get(ev.date_precision or "", 3)
    q = (select(Event, Document.language).join(Document, Event.document_id == Document.id)
         .where(Event.date.between(_shift(ev.date, -window), _shift(ev.date, window)),
                Event.document_id != ev.document_id, Event.cluster_id.is_not(None),
                Event.cluster_id != ev.cluster_id, Event.evidence.is_not(None),
                Document.language.is_not(None), Document.language != lang)
         .options(undefer(Event.vec)))
    q = q.where(Event.acled_event_type == ev.acled_event_type) if ev.acled_event_type else q.where(
        Event.type == ev.type)
    region = [Event.admin1 == ev.admin1] if ev.admin1 else []
    if ev.precision in RADIUS_KM and ev.lat is not None and ev.lon is not None:
        km = float(_settings()["event_radius_km"])
        dlat, dlon = km / 111.0, km / (111.0 * max(0.1, math.cos(math.radians(ev.lat))))
        region.append(and_(Event.lat.between(ev.lat - dlat, ev.lat + dlat),
                           Event.lon.between(ev.lon - dlon, ev.lon + dlon)))
    if not region:
        return []
    found = [(c, cl) for c, cl in session.execute(q.where(or_(*region)))
             if _same_area(ev, c) and not (ev.actor_side and c.actor_side and ev.actor_side != c.actor_side)]
    mine = vectors.numbers(ev.evidence)

    def rank(item: tuple[Event, str]) -> tuple:
        c = item[0]
        days = abs((_day(c.date) - _day(ev.date))) if c.date else 99
        return (not (ev.gazetteer_id and c.gazetteer_id == ev.gazetteer_id),
                not (mine & vectors.numbers(c.evidence)), days, c.id)

    return sorted(found, key=rank)[:int(_settings()["max_candidates"])]


def _day(value: str) -> int:
    return date.fromisoformat(value[:10]).toordinal()


def merge_event_clusters(session: Session, src_id: int, dst_id: int) -> bool:
    """Move every event of cluster `src_id` into `dst_id` (the finer place wins); False when sides conflict."""
    src, dst = session.get(EventCluster, src_id), session.get(EventCluster, dst_id)
    if src is None or dst is None or src_id == dst_id:
        return False
    if src.side and dst.side and src.side != dst.side:
        return False
    for e in session.scalars(select(Event).where(Event.cluster_id == src_id)):
        e.cluster_id = dst_id
    if dst.block is not None and src.block is None:
        dst.block, dst.lat, dst.lon, dst.precision = None, src.lat, src.lon, src.precision
    dst.side = dst.side or src.side
    session.flush()
    return True


# ---- intercepts ---------------------------------------------------------------------------------------------
def quote_rows(session: Session, it: Intercept) -> list[Quote]:
    """The stored quotes of an intercepted call (four words or more), longest first, at most `max_quotes`."""
    idx = intercept_quote_indices(it, None)
    cond = Quote.idx.in_(idx) if idx else Quote.intercept_idx == it.idx
    rows = [q for q in session.scalars(select(Quote).where(Quote.document_id == it.document_id, cond)
                                       .options(undefer(Quote.vec))) if len((q.text or "").split()) >= 4]
    return sorted(rows, key=lambda q: -len(q.text))[:int(_settings()["max_quotes"])]


def _release_day(it: Intercept, doc: Document | None) -> str | None:
    for value in (it.release_date, doc.published if doc else None):
        if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            return value[:10]
    return None


def intercept_candidates(session: Session, it: Intercept, doc: Document) -> list[tuple[Intercept, str | None]]:
    day = _release_day(it, doc)
    if not day or not it.cluster_id:
        return []
    w = int(_settings()["intercept_days"])
    lo, hi = _shift(day, -w), _shift(day, w + 1)
    q = (select(Intercept, Document).join(Document, Intercept.document_id == Document.id)
         .where(Intercept.document_id != it.document_id, Intercept.cluster_id.is_not(None),
                Intercept.cluster_id != it.cluster_id,
                or_(and_(Intercept.release_date >= lo, Intercept.release_date < hi),
                    and_(Intercept.release_date.is_(None), Document.published >= lo, Document.published < hi))))
    out = []
    for cand, cdoc in session.execute(q):
        cl = session.get(InterceptCluster, cand.cluster_id)
        if _same_agency(cand.released_by, it.released_by) and _same_agency(cl.released_by if cl else None,
                                                                            it.released_by):
            out.append((cand, cdoc.language))
    return out[:int(_settings()["max_candidates"])]


def merge_intercept_clusters(session: Session, src_id: int, dst_id: int) -> bool:
    src, dst = session.get(InterceptCluster, src_id), session.get(InterceptCluster, dst_id)
    if src is None or dst is None or src_id == dst_id:
        return False
    for it in session.scalars(select(Intercept).where(Intercept.cluster_id == src_id)):
        it.cluster_id = dst_id
    for key in session.scalars(select(InterceptKey).where(InterceptKey.cluster_id == src_id)):
        key.cluster_id = dst_id
    dst.released_by = dst.released_by or src.released_by
    session.flush()
    return True


# ---- the pass -----------------------------------------------------------------------------------------------
def ensure_vectors(enc: vectors.Encoder, rows: Iterable, text_of) -> int:
    """Encode, in one call, the rows that have no vector yet (identical texts once); returns sentences encoded."""
    todo: dict[str, list] = {}
    for row in rows:
        if row.vec is None and text_of(row):
            todo.setdefault(text_of(row), []).append(row)
    if not todo:
        return 0
    texts = list(todo)
    t0 = time.perf_counter()
    encoded = enc.encode(texts)
    LinkStats.encode_seconds += time.perf_counter() - t0
    for text, vec in zip(texts, encoded):
        blob = vectors.pack(vec)
        for row in todo[text]:
            row.vec = blob
    return len(texts)


class LinkStats:
    """What the pass did in this process (for the bench): sentences encoded, clusters merged, seconds spent."""
    encoded = 0
    merged_events = 0
    merged_intercepts = 0
    by_quote = 0
    seconds = 0.0
    encode_seconds = 0.0


def link(session: Session, get_encoder: Callable[[], vectors.Encoder | None], docs: list[Document],
         fresh_events: list[Event], fresh_intercepts: list[Intercept]) -> tuple[set[int], set[int]]:
    """Merge this transaction's new single-report clusters into matching clusters; the cluster ids touched.
    The encoder is asked for (and loaded) only when some report meets a candidate."""
    t0 = time.perf_counter()
    try:
        return _link(session, get_encoder, docs, fresh_events, fresh_intercepts)
    finally:
        LinkStats.seconds += time.perf_counter() - t0


def document_quotes(session: Session, doc_id: int) -> list[Quote]:
    """A document's quotes of four words or more (statements, calls), longest first, at most `max_quotes`."""
    rows = [q for q in session.scalars(select(Quote).where(Quote.document_id == doc_id).options(undefer(Quote.vec)))
            if len((q.text or "").split()) >= 4]
    return sorted(rows, key=lambda q: -len(q.text))[:int(_settings()["max_quotes"])]


def best_quote(mine: list[Quote], lang: str | None, theirs: list[Quote], their_lang: str | None) -> float | None:
    """The highest similarity of two quotes that pass the quote test, else None."""
    best = None
    for a in mine:
        for b in theirs:
            if a.vec is None or b.vec is None:
                continue
            cos = vectors.similarity("quote", vectors.unpack(a.vec), lang, vectors.unpack(b.vec), their_lang)
            if cos is not None and (best is None or cos > best) and vectors.same_quote(cos, a.text, b.text, lang,
                                                                                     their_lang):
                best = cos
    return best


def _sentence_similarity(ev: Event, lang: str | None, c: Event, clang: str | None) -> float | None:
    if ev.vec is None or c.vec is None:
        return None
    return vectors.similarity("event", vectors.unpack(ev.vec), lang, vectors.unpack(c.vec), clang)


def _link(session: Session, get_encoder: Callable[[], vectors.Encoder | None], docs: list[Document],
          fresh_events: list[Event], fresh_intercepts: list[Intercept]) -> tuple[set[int], set[int]]:
    langs = {d.id: d.language for d in docs}
    by_id = {d.id: d for d in docs}
    ev_work = [(ev, c) for ev in fresh_events if (c := event_candidates(session, ev, langs.get(ev.document_id)))]
    it_work = []
    for it in fresh_intercepts:
        cands = intercept_candidates(session, it, by_id.get(it.document_id))
        mine = quote_rows(session, it) if cands else []
        if mine:
            it_work.append((it, mine, [(c, lang, quote_rows(session, c)) for c, lang in cands]))
    if not ev_work and not it_work:
        return set(), set()
    enc = get_encoder()
    if enc is None:
        return set(), set()
    LinkStats.encoded += ensure_vectors(enc, [e for ev, cands in ev_work for e in (ev, *(c for c, _ in cands))],
                                        lambda e: e.evidence)
    LinkStats.encoded += ensure_vectors(enc, [q for _, mine, cands in it_work
                                              for q in (*mine, *(q for *_, qs in cands for q in qs))],
                                        lambda q: q.text)
    # events: the evidence sentences, then (for what they leave apart) a statement both documents quote
    decided: dict[int, Event] = {}
    for ev, cands in ev_work:
        lang, best, best_cos = langs.get(ev.document_id), None, -1.0
        for c, clang in cands:
            cos = _sentence_similarity(ev, lang, c, clang)
            if cos is not None and cos > best_cos and vectors.same_event(cos, ev.evidence, c.evidence, lang, clang):
                best, best_cos = c, cos
        if best is not None:
            decided[ev.id] = best
    undecided = [(ev, cands) for ev, cands in ev_work if ev.id not in decided]
    if undecided:
        quotes = {d: document_quotes(session, d) for ev, cands in undecided
                  for d in {ev.document_id, *(c.document_id for c, _ in cands)}}
        LinkStats.encoded += ensure_vectors(enc, [q for qs in quotes.values() for q in qs], lambda q: q.text)
        for ev, cands in undecided:
            lang = langs.get(ev.document_id)
            if not quotes[ev.document_id]:
                continue
            matched = [(c, clang) for c, clang in cands
                       if best_quote(quotes[ev.document_id], lang, quotes[c.document_id], clang) is not None]
            if matched:  # the same statement quoted: of that document's events here, the closest sentence
                decided[ev.id] = max(matched, key=lambda m: _sentence_similarity(ev, lang, *m) or -1.0)[0]
                LinkStats.by_quote += 1
    session.flush()
    touched_ev: set[int] = set()
    for ev, _ in ev_work:
        best = decided.get(ev.id)
        if best is not None and best.cluster_id != ev.cluster_id:
            src = ev.cluster_id
            if merge_event_clusters(session, src, best.cluster_id):
                touched_ev |= {src, best.cluster_id}
                LinkStats.merged_events += 1
    touched_it: set[int] = set()
    for it, mine, cands in it_work:
        lang = langs.get(it.document_id)
        best, best_cos = None, -1.0
        for c, clang, theirs in cands:
            if c.cluster_id == it.cluster_id:
                continue
            cos = best_quote(mine, lang, theirs, clang)
            if cos is not None and cos > best_cos:
                best, best_cos = c, cos
        if best is not None:
            src = it.cluster_id
            if merge_intercept_clusters(session, src, best.cluster_id):
                touched_it |= {src, best.cluster_id}
                LinkStats.merged_intercepts += 1
    return touched_ev, touched_it
