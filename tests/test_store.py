"""The record on real databases: the same suite on a temporary SQLite file and on the local PostgreSQL.

PostgreSQL: a fresh database per test on 127.0.0.1:5432 (user postgres), dropped afterwards. Without a reachable
server those tests skip, unless SITREP_REQUIRE_POSTGRES=1, which turns the skip into a failure.
"""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures" / "store"
PG_ADMIN = os.environ.get("SITREP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BOILER_TOP = "Sign up to our newsletter for the latest news from the front line, delivered every morning."
BOILER_END = "Copyright 2022 Wire Reprint Daily. All rights reserved. Share this article on social media."


# ---- databases ----------------------------------------------------------------------------------------------
def postgres_database():
    """Create a fresh database and return (url, drop); skip (or fail) when PostgreSQL is unreachable."""
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN, connect_timeout=3, autocommit=True)
    except Exception as exc:  # noqa: BLE001
        reason = f"PostgreSQL unreachable at {PG_ADMIN}: {exc}".splitlines()[0]
        if os.environ.get("SITREP_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (SITREP_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    name = f"sitrep_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]

    def drop() -> None:
        from sqlalchemy.pool import NullPool  # noqa: F401 - engines are disposed by the tests

        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{base}/{name}", drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sitrep.db'}"
        return
    url, drop = postgres_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def store(db_url):
    from sitrep.store import open_store

    s = open_store(db_url)
    yield s
    s.close()


# ---- inputs -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pipeline():
    from sitrep.pipeline import Pipeline

    return Pipeline()


def example_records() -> list[dict]:
    records = []
    for i, path in enumerate(sorted(EXAMPLES.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        records.append({"id": path.stem, "outlet": "Example Times", "url": f"https://example-times.test/a{i}",
                        "published": f"2022-04-2{i}", "text": text})
    return records


def syndicated(record: dict) -> dict:
    """The same story re-published by another outlet, a day later, with its own boilerplate."""
    return {"id": "wire-" + record["id"], "outlet": "Wire Reprint Daily",
            "url": f"https://wire-reprint.test/{record['id']}", "published": record["published"][:8] + "28",
            "text": f"{BOILER_TOP}\n\n{record['text']}\n\n{BOILER_END}"}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path) -> dict[str, Path]:
    originals = example_records()
    return {
        "originals": write_jsonl(tmp_path / "originals.jsonl", originals),
        "syndicated": write_jsonl(tmp_path / "syndicated.jsonl", [syndicated(originals[1]), syndicated(originals[2])]),
        "kramatorsk": FIXTURES / "kramatorsk.jsonl",
    }


def ingest(store, pipeline, *paths, batch_size: int = 32):
    from sitrep.ingest import read_inputs
    from sitrep.store.ingest import ingest_items

    items = list(read_inputs([str(p) for p in paths]))
    return ingest_items(store, items, pipeline.run, batch_size=batch_size)


def sitrep(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "sitrep", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def counts(store) -> dict:
    from sitrep.store.queries import stats

    return stats(store)


def members(store, cluster_id: int) -> list[tuple[int, str]]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT DISTINCT d.id, d.outlet FROM events e JOIN documents d ON d.id = e.document_id "
            "WHERE e.cluster_id = :c ORDER BY d.id"), {"c": cluster_id})]


# ---- ingest -------------------------------------------------------------------------------------------------
def test_reingest_adds_nothing_and_skips_extraction(store, pipeline, corpus):
    first = ingest(store, pipeline, corpus["originals"], corpus["kramatorsk"])
    assert (first.stored, first.unchanged, first.errors) == (8, 0, 0)
    before = counts(store)
    assert before["documents"] == 8 and before["events"] > 20 and before["places"] > 50

    calls = []

    def spy(items):
        calls.append(list(items))
        return pipeline.run(calls[-1])

    from sitrep.ingest import read_inputs
    from sitrep.store.ingest import ingest_items

    items = list(read_inputs([str(corpus["originals"]), str(corpus["kramatorsk"])]))
    second = ingest_items(store, items, spy)
    assert (second.stored, second.unchanged, second.errors) == (0, 8, 0)
    assert calls in ([], [[]])  # nothing was extracted again
    assert counts(store) == before

    from sitrep.store.check import check

    assert check(store) == []


def test_changed_article_is_a_new_version(store, pipeline, corpus, tmp_path):
    ingest(store, pipeline, corpus["kramatorsk"])
    records = [json.loads(line) for line in corpus["kramatorsk"].read_text().splitlines()]
    records[0]["text"] += " Two more people were wounded, he added later."
    changed = write_jsonl(tmp_path / "changed.jsonl", records)
    result = ingest(store, pipeline, changed)
    assert (result.stored, result.unchanged) == (1, 2)
    stats = counts(store)
    assert stats["documents"] == 4 and stats["superseded"] == 1
    from sqlalchemy import text

    with store.engine.connect() as conn:
        version, previous = conn.execute(text("SELECT version, previous_id FROM documents WHERE superseded = :f "
                                              "AND ext_id = 'kd-1'"), {"f": False}).one()
    assert version == 2 and previous is not None
    from sitrep.store.check import check

    assert check(store) == []


def test_errors_are_stored_and_reported(store, pipeline, tmp_path):
    bad = tmp_path / "mixed.jsonl"
    bad.write_text('{"text": "Russian drones hit Odesa on Monday, the governor said."}\n{not json}\n'
                   '{"text": "   "}\n')
    result = ingest(store, pipeline, bad)
    assert (result.stored, result.errors) == (1, 2)
    from sqlalchemy import text

    with store.engine.connect() as conn:
        sources = sorted(r[0] for r in conn.execute(text("SELECT source FROM errors")))
    assert sources == [f"{bad}:2", f"{bad}:3"]
    # the bad lines are retried on the next run, and their error rows replaced rather than repeated
    again = ingest(store, pipeline, bad)
    assert (again.stored, again.unchanged, again.errors) == (0, 1, 2)
    assert counts(store)["errors"] == 2


# ---- corroboration ------------------------------------------------------------------------------------------
def test_syndicated_copies_are_duplicates_and_not_independent(store, pipeline, corpus):
    ingest(store, pipeline, corpus["originals"])
    base = counts(store)
    from sqlalchemy import text

    with store.engine.connect() as conn:
        independent_before = dict(conn.execute(text("SELECT id, n_independent FROM event_clusters")).all())
    ingest(store, pipeline, corpus["syndicated"])
    stats = counts(store)
    assert stats["documents"] == base["documents"] + 2
    assert stats["duplicates"] == 2 and stats["duplicate_groups"] == 2
    with store.engine.connect() as conn:
        groups = conn.execute(text("SELECT g.size, d.outlet FROM duplicate_groups g "
                                   "JOIN documents d ON d.id = g.original_id")).all()
        assert sorted(groups) == [(2, "Example Times"), (2, "Example Times")]  # the earliest is the original
        clusters = conn.execute(text("SELECT id, n_reports, n_independent, outlets FROM event_clusters")).all()
    shared = [c for c in clusters if c.n_reports == 2]
    assert len(shared) >= 5  # the copies' events joined the originals' clusters...
    for c in shared:
        assert c.n_independent == 1  # ...without adding an independent source
        assert c.id in independent_before and independent_before[c.id] == 1
        assert sorted(json.loads(c.outlets) if isinstance(c.outlets, str) else c.outlets) == \
            ["Example Times", "Wire Reprint Daily"]
    assert stats["event_clusters"] == base["event_clusters"]  # no new events, only new reports
    # the copies' intercepts are the same calls: more reports, no more clusters, no more independent outlets
    assert stats["intercept_clusters"] == base["intercept_clusters"]
    from sitrep.store.queries import intercept_rows

    for row in intercept_rows(store):
        assert row["n_independent"] == 1
        assert row["n_reports"] == (2 if "Wire Reprint Daily" in row["outlets"] else 1)


def test_near_duplicate_measure_tolerates_extra_boilerplate():
    from sitrep.store.corroborate import DUP_THRESHOLD, minhash, resemblance

    text = (EXAMPLES / "000_72f7eb26c8eac92d.txt").read_text()
    extra = " ".join(f"related{i} story about something else entirely" for i in range(25))
    (a, na), (b, nb) = minhash(text), minhash(text + "\n\n" + extra)
    assert a.jaccard(b) < DUP_THRESHOLD <= resemblance(a.jaccard(b), na, nb)
    other, no = minhash((EXAMPLES / "002_efe81dc8f45b563b.txt").read_text())
    assert resemblance(a.jaccard(other), na, no) < 0.2


def test_nul_characters_are_dropped(store):
    from sitrep.store.ingest import Counts, Writer

    c = Counts()
    Writer(store).write_batch([("n1", {"document": {"id": "x", "text": "Drones hit Odesa\x00 today.", "outlet": "A"}})], c)
    assert c.stored == 1
    from sqlalchemy import text

    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT text FROM documents")).scalar() == "Drones hit Odesa today."


def test_independent_reports_of_one_event_are_corroborated(store, pipeline, corpus):
    ingest(store, pipeline, corpus["kramatorsk"])
    from sitrep.store.queries import EventFilter, event_rows

    rows = event_rows(store, EventFilter(place="Kramatorsk"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["n_reports"], row["n_independent"]) == (2, 2)
    assert row["outlets"] == ["Front Wire", "Kyiv Desk"]
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"], row["disputed"]) == (3, 3, 5, True)
    assert row["first_reported"] == "2024-03-05"
    assert row["claimed_by_sides"] == "UA only"
    sides = {c["name"]: c["side"] for c in row["claimants"]}
    assert sides["General Staff of the Armed Forces of Ukraine"] == "UA" and "Vadym Filashkin" in sides
    # the Odesa drone strike is a different event
    odesa = event_rows(store, EventFilter(place="Odesa"))
    assert len(odesa) == 1 and odesa[0]["n_reports"] == 1


def test_intercepts_are_clustered_by_shared_quotes(store):
    from sitrep.store.ingest import Counts, Writer

    quote = "Our platoon was destroyed, only three of us remained, we are going back with nineteen boys."

    leads = {"a1": "Ukraine's military intelligence published a phone call on Monday in which",
             "b2": "A Russian serviceman complained to his wife about the collapse of his unit, and",
             "c3": "Listeners heard a conscript from the 20th Army describing the retreat from Izium, where",
             "d4": "Another recording, from a different front and a different release, showed"}

    def result(doc_id: str, outlet: str, released_by: str | None) -> dict:
        text = f"{leads[doc_id]} a soldier said: “{quote}”"
        start = text.index(quote)
        return {"schema_version": "1",
                "document": {"id": doc_id, "text": text + f" ({outlet})", "outlet": outlet,
                             "url": f"https://{doc_id}.test/", "published": "2022-05-0" + doc_id[-1]},
                "quotes": [{"start": start, "end": start + len(quote), "text": quote, "from_intercept": True,
                            "intercept": 0}],
                "intercepts": [{"released_by": released_by, "medium": "phone", "quotes": [0], "status": "attributed",
                                "evidence": {"start": 0, "end": len(text), "text": text}}]}

    writer = Writer(store)
    c = Counts()
    writer.write_batch([("h1", result("a1", "Outlet A", "HUR")), ("h2", result("b2", "Outlet B", None))], c)
    writer.write_batch([("h3", result("c3", "Outlet C", "HUR")), ("h4", result("d4", "Outlet D", "SBU"))], c)
    assert c.stored == 4
    from sitrep.store.queries import intercept_rows

    rows = sorted(intercept_rows(store), key=lambda r: -r["n_reports"])
    assert [r["n_reports"] for r in rows] == [3, 1]  # the SBU release is another call
    assert rows[0]["outlets"] == ["Outlet A", "Outlet B", "Outlet C"] and rows[0]["n_independent"] == 3
    assert rows[0]["released_by"] == "HUR" and rows[0]["first_reported"] == "2022-05-01"
    from sitrep.store.check import check

    assert check(store) == []


# ---- queries and exports ------------------------------------------------------------------------------------
def test_queries_filter(store, pipeline, corpus):
    ingest(store, pipeline, corpus["originals"], corpus["kramatorsk"])
    from sitrep.store.queries import EventFilter, claim_rows, event_rows, search_rows

    near = event_rows(store, EventFilter(near=(48.7389, 37.5848), km=10))
    assert near and all("Kramatorsk" in (r["place"] or "") for r in near)
    assert [r["n_independent"] for r in event_rows(store, EventFilter(min_sources=2))] == [2]
    assert event_rows(store, EventFilter(type="shelling", since="2024-03-01", until="2024-03-31", side="RU"))
    assert not event_rows(store, EventFilter(type="shelling", since="2030-01-01"))
    assert all(r["acled_event_type"] == "Explosions/Remote violence"
               for r in event_rows(store, EventFilter(acled_type="Explosions/Remote violence")))
    assert all("Donetsk" in r["admin1"] for r in event_rows(store, EventFilter(oblast="donetsk")))
    assert all(r["status"] == "attributed" for r in event_rows(store, EventFilter(status="attributed")))
    assert event_rows(store, EventFilter(text="artillery"))

    hits = search_rows(store, "Kramatorsk shelling")
    assert {h["document_id"] for h in hits if h["kind"] == "document"}
    assert search_rows(store, "nonexistentword") == []
    phrase = search_rows(store, '"Vadym Filashkin"')
    assert [h["title"] for h in phrase if h["kind"] == "document"] == ["Shelling in Kramatorsk"]
    assert isinstance(claim_rows(store), list)


def test_exports_parse(store, pipeline, corpus, tmp_path):
    import pandas as pd

    from sitrep.store.export import ACLED_COLUMNS, render, write_export
    from sitrep.store.queries import event_rows

    ingest(store, pipeline, corpus["originals"], corpus["kramatorsk"])
    rows = event_rows(store)
    acled = pd.read_csv(io.StringIO(render(rows, "acled-csv")))
    assert list(acled.columns[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert {"status", "n_independent", "claimants", "sitrep_type"} <= set(acled.columns)
    kr = acled[(acled["location"] == "Kramatorsk") & (acled["event_date"] == "2024-03-05")]
    assert len(kr) == 1
    assert (kr["fatalities"].iloc[0], kr["geo_precision"].iloc[0], kr["n_independent"].iloc[0]) == (3, 1, 2)
    assert kr["event_date"].iloc[0] == "2024-03-05" and kr["admin1"].iloc[0].startswith("Donetsk")
    assert kr["actor1"].iloc[0] == "Military Forces of Russia (2000-)"
    assert set(acled["geo_precision"]) <= {1, 2, 3} and set(acled["time_precision"]) <= {1, 2, 3}

    geo = json.loads(render(rows, "geojson"))
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    kf = [f for f in geo["features"] if f["properties"]["place"] == "Kramatorsk"][0]
    assert kf["geometry"]["type"] == "Point"
    lon, lat = kf["geometry"]["coordinates"]
    assert abs(lon - 37.57) < 0.1 and abs(lat - 48.73) < 0.1  # RFC 7946: longitude first

    lines = render(rows, "jsonl").splitlines()
    assert len(lines) == len(rows) and json.loads(lines[0])["cluster_id"] == rows[0]["cluster_id"]
    assert len(pd.read_csv(io.StringIO(render(rows, "csv")))) == len(rows)
    out = tmp_path / "events.parquet"
    write_export(rows, "parquet", out)
    assert len(pd.read_parquet(out)) == len(rows)


# ---- integrity ----------------------------------------------------------------------------------------------
def test_db_check_finds_inconsistencies(store, pipeline, corpus, db_url):
    ingest(store, pipeline, corpus["kramatorsk"])
    from sqlalchemy import text

    from sitrep.store.check import check

    assert check(store) == []
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE event_clusters SET n_reports = n_reports + 5"))
    problems = check(store)
    assert any("n_reports" in p for p in problems)
    proc = sitrep("db", "check", "--db", db_url)
    assert proc.returncode == 1 and "n_reports" in proc.stderr


def test_cli_ingest_stats_export(db_url, corpus, tmp_path):
    proc = sitrep("ingest", corpus["originals"], corpus["kramatorsk"], "--db", db_url)
    assert proc.returncode == 0, proc.stderr
    assert "8 stored, 0 unchanged, 0 errors" in proc.stderr
    proc = sitrep("ingest", corpus["originals"], "--db", db_url)
    assert "0 stored, 5 unchanged, 0 errors" in proc.stderr
    stats = json.loads(sitrep("stats", "--db", db_url, "--format", "json").stdout)
    assert {"documents", "duplicates", "events", "event_clusters", "intercepts", "claims", "quotes",
            "places"} <= set(stats)
    assert stats["documents"] == 8 and stats["duplicates"] == 0
    events = json.loads(sitrep("events", "--db", db_url, "--near", "48.7389,37.5848", "--km", "10",
                               "--since", "2024-01-01",
                               "--format", "json").stdout)
    assert len(events) == 1 and events[0]["n_independent"] == 2
    geo = sitrep("export", "--format", "geojson", "--db", db_url, "--place", "Kramatorsk")
    assert geo.returncode == 0 and json.loads(geo.stdout)["features"][0]["geometry"]["type"] == "Point"
    assert sitrep("export", "--format", "parquet", "--db", db_url).returncode == 2
    assert sitrep("db", "check", "--db", db_url).returncode == 0
    claims = json.loads(sitrep("claims", "--db", db_url, "--source-type", "media", "--format", "json").stdout)
    assert all(c["source_type"] == "media" for c in claims)
    everything = json.loads(sitrep("claims", "--db", db_url, "--format", "json").stdout)
    assert len(everything) == stats["claims"]
    its = [json.loads(line) for line in sitrep("intercepts", "--db", db_url, "--format", "jsonl").stdout.splitlines()]
    assert len(its) == stats["intercept_clusters"]
    assert sitrep("events", "--db", db_url, "--format", "xml").returncode == 2
    search = json.loads(sitrep("search", "Filashkin", "--db", db_url, "--format", "json").stdout)
    assert search and search[0]["kind"] == "document"


def test_kill_during_ingest_then_resume_stores_each_article_once(db_url, tmp_path):
    """kill -9 mid-run leaves a consistent database; the next run completes it, every article exactly once."""
    from sqlalchemy import text

    from sitrep.store import open_store
    from sitrep.store.check import check

    records = []
    for i in range(40):
        base = example_records()[i % 5]
        records.append({**base, "id": f"v{i}", "url": f"https://variants.test/{i}", "outlet": f"Outlet {i % 7}",
                        "text": base["text"] + f"\n\nEditor's note {i}: this version {i} was updated."})
    path = write_jsonl(tmp_path / "variants.jsonl", records)
    cmd = [sys.executable, "-m", "sitrep", "ingest", str(path), "--db", db_url, "--batch-size", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = open_store(db_url)
    seen = 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            with store.engine.connect() as conn:  # readers query while the ingest runs
                seen = conn.execute(text("SELECT count(*) FROM documents")).scalar()
            if seen >= 6:
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert 0 < seen < 40, f"the kill did not land mid-run ({seen} documents)"
    with store.engine.connect() as conn:
        partial = conn.execute(text("SELECT count(*) FROM documents")).scalar()
    assert partial < 40
    assert check(store) == []  # consistent after the kill

    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{40 - partial} stored, {partial} unchanged, 0 errors" in done.stderr
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 40
        assert conn.execute(text("SELECT count(DISTINCT ext_id) FROM documents")).scalar() == 40
        assert conn.execute(text("SELECT count(*) FROM input_hashes")).scalar() == 40
    assert check(store) == []
    store.close()


def test_sqlite_and_postgresql_give_the_same_counts(tmp_path, pipeline, corpus):
    from sqlalchemy import text

    from sitrep.store import open_store
    from sitrep.store.queries import search_rows, stats

    url, drop = postgres_database()
    try:
        summaries = []
        for db in (f"sqlite:///{tmp_path / 'same.db'}", url):
            s = open_store(db)
            ingest(s, pipeline, corpus["originals"], corpus["kramatorsk"], batch_size=3)
            ingest(s, pipeline, corpus["syndicated"], corpus["originals"])
            with s.engine.connect() as conn:
                clusters = sorted(tuple(r) for r in conn.execute(text(
                    "SELECT n_reports, n_independent, coalesce(fatalities, -1) FROM event_clusters")))
            summaries.append((stats(s), clusters, len(search_rows(s, "Russian soldiers"))))
            s.close()
        assert summaries[0] == summaries[1]
        assert summaries[0][0]["documents"] == 10 and summaries[0][0]["duplicates"] == 2
    finally:
        drop()


def test_same_story_in_another_file_is_a_duplicate_not_the_same_document(store, pipeline, tmp_path):
    text = (EXAMPLES / "002_efe81dc8f45b563b.txt").read_text()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(text)
    (tmp_path / "b" / "reprint.txt").write_text(f"{BOILER_TOP}\n\n{text}\n\n{BOILER_END}")
    first = ingest(store, pipeline, tmp_path / "a", tmp_path / "b")
    assert (first.stored, first.unchanged) == (2, 0)
    again = ingest(store, pipeline, tmp_path)
    assert (again.stored, again.unchanged) == (0, 2)
    stats = counts(store)
    assert (stats["documents"], stats["duplicates"], stats["superseded"]) == (2, 1, 0)
    from sitrep.store.queries import event_rows

    assert all(r["n_independent"] == 1 for r in event_rows(store))


def test_concurrent_first_open_migrates_once(db_url):
    from sitrep.store import open_store
    from sitrep.store.check import check

    code = f"from sitrep.store import open_store; open_store({db_url!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    s = open_store(db_url)
    assert check(s) == []
    s.close()


def test_migrations_match_the_models(store):
    """A model changed without a migration shows here (write one with alembic revision --autogenerate)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from sitrep.store.models import Base

    def include(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name and ("_fts" in name or name == "alembic_version")) and not (
            type_ == "index" and name and name.endswith("_fts"))

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include, "compare_type": False})
        assert compare_metadata(ctx, Base.metadata) == []


def test_acled_actors_of_unknown_side():
    from sitrep.store.export import acled_row

    row = acled_row({"actor_side": None, "actors": [{"name": "gunmen", "side": None}], "target_side": None,
                     "targets": [{"name": "residential buildings", "side": None}]})
    assert (row["actor1"], row["inter1"]) == ("Unidentified Armed Group (Ukraine)", 3)
    assert (row["actor2"], row["inter2"]) == ("", "")
    row = acled_row({"actor_side": "RU", "actors": [], "target_side": "civilian", "targets": []})
    assert (row["actor1"], row["inter2"]) == ("Military Forces of Russia (2000-)", 7)
