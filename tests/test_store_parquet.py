"""`sitrep ingest --from-parquet`: bulk-loading `sitrep batch` output gives the record `sitrep ingest` gives, on SQLite
and PostgreSQL (fixtures and helpers of tests/test_store.py; PostgreSQL skips unless SITREP_REQUIRE_POSTGRES=1)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from test_store import EXAMPLES, ROOT, counts, db_url, postgres_database, store  # noqa: F401 - fixtures

# Dask's nannies run workers with PYTHONHASHSEED=6640 and events depend on the hash seed today (tests/test_batch.py):
# the single-process ingest runs with the same seed.
SEED = {"PYTHONHASHSEED": "6640"}
STATS = ["documents", "duplicates", "events", "event_clusters", "intercepts", "claims", "quotes", "places"]


def sitrep(*args, timeout=600):
    proc = subprocess.run([sys.executable, "-m", "sitrep", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **SEED})
    proc.stderr = " ".join(proc.stderr.split())  # rich folds long lines
    return proc


def stats(url: str) -> dict:
    proc = sitrep("stats", "--db", url, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def events_export(url: str) -> list[dict]:
    proc = sitrep("export", "--format", "jsonl", "--db", url)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    for row in rows:
        row.pop("first_reported", None)  # ingest time for documents without a publication date
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))  # PostgreSQL orders ties as it likes


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    proc = sitrep("batch", EXAMPLES, "--out", out, "--workers", 1)
    assert proc.returncode == 0, proc.stderr
    assert "5 documents, 0 errors" in proc.stderr
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def two_dbs(request, tmp_path):
    """Two empty databases of one kind: (normal ingest, bulk load)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'normal.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
        return
    (a, drop_a), (b, drop_b) = postgres_database(), postgres_database()
    try:
        yield a, b
    finally:
        drop_a()
        drop_b()


def test_bulk_load_equals_normal_ingest(two_dbs, batch_dir):
    normal, bulk = two_dbs
    proc = sitrep("ingest", EXAMPLES, "--db", normal)
    assert proc.returncode == 0, proc.stderr
    proc = sitrep("ingest", "--from-parquet", batch_dir, "--db", bulk)
    assert proc.returncode == 0, proc.stderr
    assert "5 stored, 0 unchanged, 0 errors" in proc.stderr
    expected, got = stats(normal), stats(bulk)
    assert {k: got[k] for k in STATS} == {k: expected[k] for k in STATS}
    assert got == expected  # every other count too (clusters, figures, indicators, …)
    assert got["events"] > 20 and got["event_clusters"] > 10 and got["places"] > 20 and got["quotes"] > 5
    got_rows, expected_rows = events_export(bulk), events_export(normal)  # same clusters, counts and estimates
    assert got_rows == expected_rows, [{k: (a.get(k), b.get(k)) for k in a if a.get(k) != b.get(k)}
                                       for a, b in zip(got_rows, expected_rows) if a != b][:3]
    assert sitrep("db", "check", "--db", bulk).returncode == 0

    again = sitrep("ingest", "--from-parquet", batch_dir, "--db", bulk)  # idempotent
    assert again.returncode == 0 and "0 stored, 5 unchanged, 0 errors" in again.stderr, again.stderr
    assert stats(bulk) == got
    mixed = sitrep("ingest", EXAMPLES, "--db", bulk)  # the normal path finds them stored too
    assert mixed.returncode == 0 and "0 stored, 5 unchanged, 0 errors" in mixed.stderr, mixed.stderr
    assert stats(bulk) == got


def test_unfinished_partitions_are_skipped_then_loaded(batch_dir, tmp_path):
    from sitrep.store import open_store
    from sitrep.store.bulk import load_parquet

    partial = tmp_path / "partial"
    shutil.copytree(batch_dir, partial)
    (partial / "_done" / "part-00002").unlink()  # as if the batch were killed while writing that partition
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        first = load_parquet(store, partial)
        assert (first.stored, first.unchanged, first.unfinished_partitions) == (4, 0, 1)
        assert "1 unfinished partitions skipped" in first.summary()
        (partial / "_done" / "part-00002").write_text((batch_dir / "_done" / "part-00002").read_text())
        second = load_parquet(store, partial)
        assert (second.stored, second.unchanged, second.unfinished_partitions) == (1, 4, 0)
        assert counts(store)["documents"] == 5
    finally:
        store.close()


# ---- the loader on synthetic results (no model needed) -------------------------------------------------------
def result(doc_id: str, text: str, url: str | None = None, outlet: str | None = "Kyiv Daily",
           origin: str | None = None) -> dict:
    return {"schema_version": "1", "origin": origin or f"feed.jsonl:{doc_id}",
            "document": {"id": doc_id, "text": text, "url": url, "outlet": outlet, "published": "2024-03-01"},
            "places": [{"start": 0, "end": 8, "text": "Kharkiv", "name": "Kharkiv", "kind": "settlement",
                        "country": "UA", "admin1": "Kharkiv Oblast", "lat": 49.99, "lon": 36.23,
                        "precision": "settlement"}],
            "events": [{"type": "missile_strike", "acled_event_type": "Explosions/Remote violence",
                        "acled_sub_event_type": "Shelling/artillery/missile attack", "date": "2024-03-01",
                        "date_precision": "day", "place": 0, "fatalities": {"killed": 2},
                        "evidence": {"text": text[:60], "start": 0, "end": 60}}],
            "quotes": [{"start": 0, "end": 10, "text": "We are here", "speaker": "Oleh Syniehubov"}]}


STORY = ("Russian missiles struck Kharkiv on Friday morning, killing two people and wounding eleven, the regional "
         "governor Oleh Syniehubov said in a Telegram post, adding that a school was damaged.")


def test_bulk_versions_duplicates_and_errors(store):
    from sqlalchemy import text

    from sitrep.store.bulk import load_results
    from sitrep.store.check import check

    originals = [result("a", STORY, "https://kyiv-daily.test/a"),
                 result("b", "Wire copy. " + STORY + " Follow us.", "https://wire.test/b", "Wire")]
    errors = [{"source": "feed.jsonl:c", "error": "invalid JSON"}, {"source": "feed.jsonl:a", "error": "old"}]
    first = load_results(store, [([], errors), (originals + [originals[0]], [])])  # a failed before, now it reads
    assert (first.stored, first.unchanged, first.errors) == (2, 1, 2)
    with store.engine.connect() as conn:  # storing a fails no more: its old error row is gone
        assert [r[0] for r in conn.execute(text("SELECT source FROM errors"))] == ["feed.jsonl:c"]
    c = counts(store)
    assert (c["documents"], c["duplicates"], c["events"], c["event_clusters"]) == (2, 1, 2, 1)
    assert (c["places"], c["quotes"], c["errors"]) == (2, 2, 1)

    changed = result("a", STORY.replace("eleven", "twelve"), "https://kyiv-daily.test/a")
    second = load_results(store, [([changed, *originals], [])])
    assert (second.stored, second.unchanged) == (1, 2)
    c = counts(store)
    assert (c["documents"], c["superseded"]) == (3, 1)
    with store.engine.connect() as conn:
        version, previous = conn.execute(text("SELECT version, previous_id FROM documents "
                                              "WHERE url = 'https://kyiv-daily.test/a' AND superseded = :f"),
                                         {"f": False}).one()
    assert version == 2 and previous is not None
    assert check(store) == []


def test_cli_needs_paths_or_parquet(tmp_path):
    for args in ([], ["examples", "--from-parquet", tmp_path]):
        proc = sitrep("ingest", *args, "--db", f"sqlite:///{tmp_path / 'x.db'}")
        assert proc.returncode == 2 and "--from-parquet" in proc.stderr, proc.stderr
    proc = sitrep("ingest", "--from-parquet", tmp_path, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert proc.returncode == 2 and "not a sitrep batch output directory" in proc.stderr, proc.stderr


def test_every_bulk_document_gets_an_input_hash(store):
    """Two files holding the same text (no outlet, URL or title) are two documents, each with an input hash."""
    from sitrep.store.bulk import load_results
    from sitrep.store.check import check

    same = [result(name, STORY, url=None, outlet=None, origin=f"{name}.txt") for name in ("one", "two")]
    first = load_results(store, [(same, [])])
    again = load_results(store, [(same, [])], chunk_size=1)
    assert (first.stored, again.stored, again.unchanged) == (2, 0, 2)
    assert counts(store)["documents"] == 2 and counts(store)["duplicates"] == 1
    assert check(store) == []
