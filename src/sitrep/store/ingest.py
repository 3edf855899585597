"""Writing results: skip inputs already stored (raw hash), store documents and their items, one transaction a batch."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update

from sitrep.article import Article, ReadError
from sitrep.store.corroborate import Corroborator, detach_document
from sitrep.store.db import Store
from sitrep.store.models import (Claim, Document, Entity, Event, Figure, Indicator, IngestError, InputHash,
                                 Intercept, Place, Quote)

SEP = "\x1f"


def raw_hash(article: Article) -> str:
    """Hash of an input as read, before any extraction: what a re-run compares to skip work already done."""
    # a recording is known by its bytes (and its page's text): skipping it must not need its transcript
    parts = [getattr(article, "raw_key", None) or article.text or article.html or "", article.title or "", article.outlet or "", article.url or "",
             article.published or ""]
    return hashlib.sha256(SEP.join(parts).encode("utf-8")).hexdigest()


def doc_key(doc: dict) -> str:
    """The document's identity: its cleaned text with its outlet and URL (a changed text is a new version).

    Without outlet and URL the input's id joins the key: the same story in two differently named files is two
    publications (grouped later as near-duplicates), not one.
    """
    parts = [doc.get("text") or "", doc.get("outlet") or "", doc.get("url") or ""]
    if not doc.get("outlet") and not doc.get("url"):
        parts.append(doc.get("id") or "")
    return hashlib.sha256(SEP.join(parts).encode("utf-8")).hexdigest()


@dataclass
class Counts:
    stored: int = 0
    unchanged: int = 0
    errors: int = 0
    new_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.stored} stored, {self.unchanged} unchanged, {self.errors} errors"


def strip_nul(obj):
    """PostgreSQL text cannot hold NUL characters: drop them everywhere in a result."""
    if isinstance(obj, str):
        return obj.replace("\x00", "") if "\x00" in obj else obj
    if isinstance(obj, list):
        return [strip_nul(x) for x in obj]
    if isinstance(obj, dict):
        return {k: strip_nul(v) for k, v in obj.items()}
    return obj


def _date10(value: str | None) -> str | None:
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None


def _span_text(item: dict, key: str = "evidence") -> str | None:
    span = item.get(key)
    return span.get("text") if isinstance(span, dict) else None


def _claimant_side(name: str | None, claims: list[dict]) -> str | None:
    """The claimant's side: the actor lexicon, else the side its claims in the same document carry."""
    if not name:
        return None
    from sitrep.actors import lexicon

    lex = lexicon()
    actor = lex.actor(name)
    side = actor.side if actor else lex.side_of_words(name)
    return side or next((c.get("side") for c in claims if c.get("source") == name and c.get("side")), None)


def source_outlet(doc: dict) -> str | None:
    """The original outlet a document relays (its `source_outlet` field, set by the Telegram reader on forwards)."""
    value = doc.get("source_outlet")
    return str(value).strip()[:300] or None if value else None


def _origin_file(origin: str | None) -> str:
    return (origin or "").rsplit(":", 1)[0].split("#", 1)[0]


class Writer:
    """Stores batches of (raw hash, Result | ReadError); keeps the corroboration index for the run."""

    def __init__(self, store: Store):
        self.store = store
        self.corroborator = Corroborator()

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        hashes = list(hashes)
        found: set[str] = set()
        with self.store.engine.connect() as conn:
            for i in range(0, len(hashes), 500):
                chunk = hashes[i:i + 500]
                found |= set(conn.execute(select(InputHash.raw_hash).where(InputHash.raw_hash.in_(chunk))).scalars())
        return found

    def write_batch(self, pairs: list[tuple[str | None, object]], counts: Counts) -> None:
        try:
            with self.store.session() as session:
                new_docs: list[Document] = []
                batch_keys: dict[str, Document] = {}
                for rh, out in pairs:
                    if isinstance(out, ReadError):
                        session.execute(delete(IngestError).where(IngestError.source == out.source))
                        session.add(IngestError(source=strip_nul(out.source), error=strip_nul(out.error), raw_hash=rh))
                        counts.errors += 1
                        continue
                    result = strip_nul(out.to_dict() if hasattr(out, "to_dict") else out)
                    key = doc_key(result["document"])
                    existing = batch_keys.get(key) or session.scalar(select(Document).where(Document.doc_key == key))
                    if existing is None:
                        existing = self._add_document(session, result, key)
                        batch_keys[key] = existing
                        new_docs.append(existing)
                        counts.stored += 1
                    else:
                        counts.unchanged += 1
                    if rh and session.get(InputHash, rh) is None:
                        session.add(InputHash(raw_hash=rh, document_id=existing.id))
                    if existing.origin:
                        session.execute(delete(IngestError).where(IngestError.source == existing.origin))
                session.flush()
                self.corroborator.add_documents(session, new_docs)
                counts.new_ids.extend(d.id for d in new_docs)
        except BaseException:
            self.corroborator.reset()
            raise

    def _previous_version(self, session, doc: dict, origin: str | None) -> Document | None:
        q = select(Document).where(Document.superseded.is_(False))
        if doc.get("url"):
            q = q.where(Document.url == doc["url"])
        elif doc.get("id") and origin:
            q = q.where(Document.ext_id == doc["id"], Document.outlet.is_(None) if not doc.get("outlet")
                        else Document.outlet == doc["outlet"])
        else:
            return None
        for cand in session.scalars(q.order_by(Document.id.desc())):
            if cand.outlet and doc.get("outlet") and cand.outlet != doc["outlet"]:
                continue  # another outlet under the same URL is a re-publication, not a new version
            if cand.url or _origin_file(cand.origin) == _origin_file(origin):
                return cand
        return None

    def _add_document(self, session, result: dict, key: str) -> Document:
        d = result["document"]
        origin = result.get("origin")
        prev = self._previous_version(session, d, origin)
        doc = Document(doc_key=key, ext_id=(d.get("id") or "")[:300] or None, title=d.get("title"), text=d["text"],
                       published=d.get("published"), outlet=d.get("outlet"), url=d.get("url"),
                       language=d.get("language"), source_outlet=source_outlet(d), origin=origin, result=result,
                       version=(prev.version + 1) if prev else 1, previous_id=prev.id if prev else None)
        session.add(doc)
        session.flush()
        if prev is not None:
            prev.superseded = True
            detach_document(session, prev.id)
        self._add_items(session, doc, result)
        if result.get("recording"):  # a transcribed recording: keep it for the dashboard's player
            from sitrep.store.media import keep

            keep(self.store, result["recording"])
        return doc

    def _add_items(self, session, doc: Document, r: dict) -> None:
        place_rows: list[Place] = []
        for i, p in enumerate(r.get("places", [])):
            row = Place(document_id=doc.id, idx=i, start=p.get("start", 0), end=p.get("end", 0), text=p.get("text", ""),
                        name=p.get("name"), kind=p.get("kind"), country=p.get("country"), admin1=p.get("admin1"),
                        admin2=p.get("admin2"), admin3=p.get("admin3"), lat=p.get("lat"), lon=p.get("lon"),
                        precision=p.get("precision"), gazetteer_id=p.get("gazetteer_id"))
            place_rows.append(row)
        session.add_all(place_rows)
        for i, e in enumerate(r.get("entities", [])):
            session.add(Entity(document_id=doc.id, idx=i, type=e.get("type"), text=e.get("text", ""),
                               canonical=e.get("canonical"), side=e.get("side")))
        session.flush()
        published = _date10(doc.published)
        for i, e in enumerate(r.get("events", [])):
            pi = e.get("place")
            place = place_rows[pi] if isinstance(pi, int) and 0 <= pi < len(place_rows) else None
            lat = e.get("lat") if e.get("lat") is not None else (place.lat if place else None)
            lon = e.get("lon") if e.get("lon") is not None else (place.lon if place else None)
            day, precision = _date10(e.get("date")), e.get("date_precision")
            if day is None and published:
                day, precision = published, "publication"
            actors, targets = e.get("actors") or [], e.get("targets") or []
            fat = e.get("fatalities") or {}
            ev = e.get("evidence") or {}
            session.add(Event(
                document_id=doc.id, idx=i, type=e.get("type", "other"), acled_event_type=e.get("acled_event_type"),
                acled_sub_event_type=e.get("acled_sub_event_type"), date=day, date_precision=precision,
                place_id=place.id if place else None,
                place_name=(place.name or place.text) if place else e.get("place_name"),
                admin1=place.admin1 if place else None, admin2=place.admin2 if place else None,
                admin3=place.admin3 if place else None, country=place.country if place else None,
                precision=(place.precision if place else ("exact" if lat is not None else "unresolved")),
                gazetteer_id=place.gazetteer_id if place else None, lat=lat, lon=lon,
                actor_side=next((a.get("side") for a in actors if a.get("side")), None),
                target_side=next((a.get("side") for a in targets if a.get("side")), None),
                actors=actors, targets=targets, killed=fat.get("killed"), wounded=fat.get("wounded"),
                captured=fat.get("captured"), status=e.get("status"), claimed_by=e.get("claimed_by"),
                claimant_side=_claimant_side(e.get("claimed_by"), r.get("claims", [])), evidence=ev.get("text"),
                start=ev.get("start"), end=ev.get("end")))
        for i, f in enumerate(r.get("figures", [])):
            session.add(Figure(document_id=doc.id, idx=i, kind=f.get("kind", "other"), value=f.get("value"),
                               low=f.get("low"), high=f.get("high"), subject=f.get("subject"), side=f.get("side"),
                               claimed_by=f.get("claimed_by"), status=f.get("status"), evidence=_span_text(f)))
        for i, c in enumerate(r.get("claims", [])):
            session.add(Claim(document_id=doc.id, idx=i, source=c.get("source"), source_type=c.get("source_type"),
                              side=c.get("side"), cue=c.get("cue"), content=_span_text(c, "content"),
                              status=c.get("status"), hedges=c.get("hedges") or [], evidence=_span_text(c)))
        for i, q in enumerate(r.get("quotes", [])):
            session.add(Quote(document_id=doc.id, idx=i, start=q.get("start"), end=q.get("end"),
                              text=q.get("text", ""), speaker=q.get("speaker"), speaker_role=q.get("speaker_role"),
                              speaker_side=q.get("speaker_side"), from_intercept=bool(q.get("from_intercept")),
                              intercept_idx=q.get("intercept")))
        for i, it in enumerate(r.get("intercepts", [])):
            session.add(Intercept(document_id=doc.id, idx=i, released_by=it.get("released_by"),
                                  relayed_by=it.get("relayed_by") or [], medium=it.get("medium"),
                                  participants=it.get("participants") or [], call_date=it.get("call_date"),
                                  release_date=it.get("release_date"), status=it.get("status"),
                                  evidence=_span_text(it), data=it))
        for i, ind in enumerate(r.get("indicators", [])):
            session.add(Indicator(document_id=doc.id, idx=i, kind=ind.get("kind", "other"), side=ind.get("side"),
                                  evidence=_span_text(ind)))
        session.flush()


def ingest_items(store: Store, items: list[Article | ReadError], results: Callable[[list], Iterator],
                 batch_size: int = 32, on_item: Callable[[object], None] | None = None,
                 writer: Writer | None = None) -> Counts:
    """Store what is new among `items`; `results(items)` runs extraction (one output per item, in order). Place
    resolution uses the conflict prior of the store being ingested into (sitrep.geo.prior) unless one is set."""
    from sitrep.geo import prior as conflict_prior

    if conflict_prior.current() is not None:
        return _ingest_items(store, items, results, batch_size, on_item, writer)
    with conflict_prior.using(store):
        return _ingest_items(store, items, results, batch_size, on_item, writer)


def _ingest_items(store: Store, items: list[Article | ReadError], results: Callable[[list], Iterator],
                  batch_size: int, on_item: Callable[[object], None] | None, writer: Writer | None) -> Counts:
    counts = Counts()
    writer = writer or Writer(store)
    hashes: list[str | None] = [raw_hash(a) if isinstance(a, Article) else None for a in items]
    known = writer.known_hashes(h for h in hashes if h)
    todo: list[tuple[str | None, Article | ReadError]] = []
    seen: set[str] = set()
    for rh, item in zip(hashes, items):
        if rh and (rh in known or rh in seen):
            counts.unchanged += 1
            if on_item:
                on_item(None)
            continue
        if rh:
            seen.add(rh)
        todo.append((rh, item))
    batch: list[tuple[str | None, object]] = []
    outputs = results([item for _, item in todo])
    for (rh, _), out in zip(todo, outputs):
        batch.append((rh, out))
        if on_item:
            on_item(out)
        if len(batch) >= batch_size:
            writer.write_batch(batch, counts)
            batch = []
    if batch:
        writer.write_batch(batch, counts)
    return counts
