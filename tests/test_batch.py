"""`sitrep batch` on a real Dask LocalCluster: Parquet output equals single-process extraction, reruns resume,
broken inputs become error rows, and the Parquet codec round-trips what the models allow."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sitrep import batch
from sitrep.article import Article, ReadError
from sitrep.ingest import ReaderOptions, read_inputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


# Dask's nannies start every worker with PYTHONHASHSEED=6640 (dask/dask#6640); the single-process reference runs
# with another seed on purpose: extraction must not depend on it (tests/test_determinism.py).
SEED = {"PYTHONHASHSEED": "1"}


def sitrep(*args):
    proc = subprocess.run([sys.executable, "-m", "sitrep", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **SEED})
    proc.stderr = " ".join(proc.stderr.split())  # rich folds long lines
    return proc


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    broken = tmp_path_factory.mktemp("broken")
    (broken / "bad.jsonl").write_text('{"id": "odesa-1", "text": "Russian drones hit Odesa on Monday night, the '
                                      'regional governor said."}\n{not json}\n')
    (broken / "empty.txt").write_text("   \n")
    return [EXAMPLES, broken]


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    """What single-process `sitrep extract` prints for the same inputs: (results, error records)."""
    errors = tmp_path_factory.mktemp("extract") / "errors.jsonl"
    proc = sitrep("extract", *inputs, "--errors", errors)
    assert proc.returncode == 0, proc.stderr
    return ([json.loads(line) for line in proc.stdout.splitlines()],
            [json.loads(line) for line in errors.read_text().splitlines()])


@pytest.fixture(scope="module")
def batch_out(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    proc = sitrep("batch", *inputs, "--out", out, "--workers", 2, "--partition-size", 2, "--verbose")
    assert proc.returncode == 0, proc.stderr
    return out, proc.stderr


def differences(got, expected):
    """Per differing list item, the keys whose values differ (for a readable failure)."""
    if not isinstance(got, list) or len(got) != len(expected):
        return got, expected
    return [(i, {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)})
            for i, (a, b) in enumerate(zip(got, expected)) if a != b]


def by_id(results):
    return {r["document"]["id"]: r for r in results}


def test_batch_equals_single_process_extraction(batch_out, reference):
    out, stderr = batch_out
    expected, _ = reference
    got, _ = batch.read_results(out)
    assert "6 documents, 2 errors, 4 partitions (0 skipped)" in stderr
    assert [r["document"]["id"] for r in got] == [r["document"]["id"] for r in expected]
    assert len(got) == 6 and "odesa-1" in by_id(got)
    expected_by_id, got_by_id = by_id(expected), by_id(got)
    for doc_id, exp in expected_by_id.items():
        assert got_by_id[doc_id]["document"] == exp["document"]
        for table in [*batch.TABLES, "origin", "schema_version"]:
            assert got_by_id[doc_id][table] == exp[table], (doc_id, table, differences(got_by_id[doc_id][table],
                                                                                     exp[table]))
    assert got == expected
    # real values, not just equal emptiness
    seed = got_by_id["000_72f7eb26c8eac92d"]
    assert seed["document"]["title"].startswith("\u2018Three of us remain\u2019")
    russia = next(p for p in seed["places"] if p["text"] == "Russia")
    assert (russia["lat"], russia["lon"], russia["precision"]) == (60.0, 100.0, "country")  # the country's middle
    assert sum(len(r["events"]) for r in got) > 10 and sum(len(r["places"]) for r in got) > 20


def test_parquet_tables_are_typed_and_keyed(batch_out, reference):
    out, _ = batch_out
    expected, _ = reference
    for table in ["documents", "errors", *batch.TABLES]:
        assert sorted(p.name for p in (out / table).glob("*")) == [f"part-0000{i}.parquet" for i in range(4)]
    assert sorted(p.name for p in (out / "_done").iterdir()) == [f"part-0000{i}" for i in range(4)]
    events = pq.read_table(out / "events")  # every partition file shares one schema
    assert events.schema.field("lat").type == "double" and events.schema.field("place").type == "int64"
    assert events.num_rows == sum(len(r["events"]) for r in expected)
    rows = events.to_pylist()
    first = next(r for r in rows if r["document_id"] == "000_72f7eb26c8eac92d" and r["index"] == 0)
    exp = by_id(expected)["000_72f7eb26c8eac92d"]["events"][0]
    assert first["type"] == exp["type"] and json.loads(first["actors"]) == exp["actors"]
    assert json.loads(first["evidence"]) == exp["evidence"]
    for doc_id in {r["document_id"] for r in rows}:
        assert sorted(r["index"] for r in rows if r["document_id"] == doc_id) == list(
            range(len(by_id(expected)[doc_id]["events"])))
    docs = pq.read_table(out / "documents").to_pylist()
    assert [d["position"] for d in docs] == [0, 1, 2, 3, 4, 5]
    assert docs[5]["document_id"] == "odesa-1" and docs[5]["origin"].endswith("bad.jsonl:1")


def test_broken_inputs_are_error_rows_not_crashes(batch_out, reference):
    out, _ = batch_out
    _, expected_errors = reference
    _, errors = batch.read_results(out)
    assert errors == expected_errors
    rows = pq.read_table(out / "errors").to_pylist()
    assert [(Path(r["source"]).name, r["position"]) for r in rows] == [("bad.jsonl:2", 6), ("empty.txt:1", 7)]
    assert rows[1]["error"] == "empty text" and rows[0]["error"]
    marker = json.loads((out / "_done" / "part-00003").read_text())
    assert (marker["documents"], marker["errors"], marker["partition"]) == (0, 2, 3)


def test_rerun_recomputes_only_the_missing_partition(batch_out, inputs, tmp_path, monkeypatch):
    from distributed import LocalCluster

    out = tmp_path / "out"
    shutil.copytree(batch_out[0], out)
    before, _ = batch.read_results(out)
    kept = {p: p.stat().st_mtime_ns for p in out.rglob("part-*") if "part-00001" not in p.name}
    removed = [p for p in out.rglob("part-00001*")]
    assert len(removed) == len(batch.TABLES) + 3  # every table, errors, documents, marker
    for p in removed:
        p.unlink()
    # the rerun goes to an already running scheduler, as on a SLURM or Kubernetes cluster
    monkeypatch.setenv("PYTHONHASHSEED", SEED["PYTHONHASHSEED"])  # inherited by the spawned worker
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        proc = sitrep("batch", *inputs, "--out", out, "--scheduler", cluster.scheduler_address,
                      "--partition-size", 2, "--verbose")
    assert proc.returncode == 0, proc.stderr
    assert "6 documents, 2 errors, 4 partitions (3 skipped)" in proc.stderr
    assert "part-00001: 2 documents, 0 errors" in proc.stderr and "part-00000:" not in proc.stderr
    assert all(p.exists() for p in removed)
    assert {p: p.stat().st_mtime_ns for p in kept} == kept  # finished partitions untouched
    after, _ = batch.read_results(out)
    assert after == before and len(after) == 6
    # a third run has nothing to do and starts no cluster
    proc = sitrep("batch", *inputs, "--out", out, "--partition-size", 2)
    assert proc.returncode == 0 and "6 documents, 2 errors, 4 partitions (4 skipped)" in proc.stderr


def test_other_inputs_into_a_finished_directory_are_refused(batch_out, inputs):
    proc = sitrep("batch", *inputs, "--out", batch_out[0], "--partition-size", 3)
    assert proc.returncode == 2
    assert "other inputs" in proc.stderr


def test_codec_round_trips_extras_none_and_nesting(tmp_path):
    from sitrep.model import Document, Event, Figure, Intercept, Participant, Result, Span

    ev = Span(start=0, end=5, text="Kyiv.")
    result = Result(
        document=Document(id="d1", text="Kyiv.", removed_boilerplate=["Subscribe now"], paywall=True),
        events=[Event(type="strike", evidence=ev, actors=[{"name": "Russian forces", "side": "RU"}], score=None),
                Event(type="shelling", evidence=ev, lat=50.45, place=0)],
        figures=[Figure(kind="killed", value=3, evidence=ev, unit_hint=[1, 2.5])],
        intercepts=[Intercept(evidence=ev, participants=[Participant(role="wife", side="RU")], places=[0])],
    )
    result.origin, result.dates, result.custom = "x.txt:1", [{"start": 0, "end": 4, "date": None}], {"a": [1]}
    tables = batch.result_tables([(0, result), (1, ReadError(source="y.txt:3", error="boom"))])
    batch.write_partition(tmp_path, 0, tables, {"documents": 1, "errors": 1})
    results, errors = batch.read_results(tmp_path)
    assert results == [result.to_dict()]
    assert results[0]["events"][0]["score"] is None and "score" not in results[0]["events"][1]
    assert results[0]["figures"][0]["value"] == 3.0 and results[0]["figures"][0]["unit_hint"] == [1, 2.5]
    assert errors == [{"source": "y.txt:3", "error": "boom"}]
    assert not list(tmp_path.rglob(".*.tmp"))  # temp files renamed into place


def test_partitions_keep_input_order():
    items = [Article(text=str(i), origin=f"f:{i}") for i in range(7)]
    parts = batch.partitions(items, 3)
    assert [(p.pid, p.start, len(p.items)) for p in parts] == [(0, 0, 3), (1, 3, 3), (2, 6, 1)]
    assert batch.fingerprint(parts[0].items) != batch.fingerprint(parts[1].items)
    assert [batch.auto_partition_size(n) for n in (5, 407, 10**6)] == [1, 7, 100]


def test_a_lost_partition_becomes_error_rows_and_is_retried(tmp_path):
    items = [Article(text="Drones hit Odesa.", origin="a.txt:1"), ReadError(source="b.txt:1", error="empty text")]
    marker = batch.failed_partition(tmp_path, 2, 40, items, "KilledWorker: worker died")
    assert marker["errors"] == 2 and marker["documents"] == 0
    _, errors = batch.read_results(tmp_path)
    assert errors == [{"source": "a.txt:1", "error": "partition failed: KilledWorker: worker died"},
                      {"source": "b.txt:1", "error": "partition failed: KilledWorker: worker died"}]
    assert [r["position"] for r in pq.read_table(tmp_path / "errors").to_pylist()] == [40, 41]
    todo, _ = batch.plan([Article(text=str(i), origin=f"x:{i}") for i in range(6)], tmp_path, 2)
    assert [p.pid for p in todo] == [0, 1, 2]  # no marker: a rerun does it again


def test_scheduler_and_workers_exclude_each_other(tmp_path):
    proc = sitrep("batch", EXAMPLES, "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1", "--workers", 2)
    assert proc.returncode == 2 and "--workers sizes a local cluster" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_partitions_read_one_at_a_time_add_up_to_the_whole(batch_out):
    out, _ = batch_out
    whole, whole_errors = batch.read_results(out)
    parts = [batch.read_partition(out, pid) for pid in range(4)]
    assert [r for results, _ in parts for r in results] == whole
    assert [e for _, errors in parts for e in errors] == whole_errors
    assert [len(results) for results, _ in parts] == [2, 2, 2, 0]
    assert batch.read_partition(out, "part-00003")[1] == whole_errors
