"""`sitrep extract` as a user runs it: formats, errors that name file and line, exit codes, --no-clean, workers."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "src/sitrep/schema/document.schema.json").read_text())


def sitrep(*args, input_text=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "sitrep", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, input=input_text, timeout=300)


def test_bad_inputs_become_error_records_and_the_run_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text("Russian forces shelled Nikopol on Monday, the governor said.")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "lines.jsonl").write_text('{"text": "Drones hit Odesa."}\n{not json}\n')
    errors = tmp_path / "errors.jsonl"
    proc = sitrep("extract", tmp_path, "--errors", errors)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 2
    records = [json.loads(line) for line in errors.read_text().splitlines()]
    sources = sorted(r["source"] for r in records)
    assert sources == sorted([f"{tmp_path / 'empty.txt'}:1", f"{tmp_path / 'lines.jsonl'}:2"])
    assert "2 documents, 2 errors" in proc.stderr


def test_exit_1_when_everything_fails_and_2_on_bad_usage(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    proc = sitrep("extract", tmp_path / "empty.txt")
    assert proc.returncode == 1
    assert '"error": "empty text"' in proc.stderr and "0 documents, 1 errors" in proc.stderr
    assert sitrep("extract", tmp_path, "--format", "yaml").returncode == 2
    assert sitrep("extract", "--workers", "0", tmp_path).returncode == 2


def test_no_clean_keeps_text_exactly_so_offsets_index_the_input():
    raw = "World News\n\n Kharkiv was shelled again on Friday, regional governor Oleh Syniehubov said.\n"
    proc = sitrep("extract", "--no-clean", "-", input_text=raw)
    doc = json.loads(proc.stdout)
    assert doc["document"]["text"] == raw and doc["document"]["removed_boilerplate"] == []
    for ent in doc["entities"]:
        assert raw[ent["start"]:ent["end"]] == ent["text"]
    cleaned = json.loads(sitrep("extract", "-", input_text=raw).stdout)
    assert cleaned["document"]["removed_boilerplate"] == ["World News"]


def test_evidence_offsets_point_into_the_cleaned_text():
    proc = sitrep("extract", "examples/")
    for line in proc.stdout.splitlines():
        doc = json.loads(line)
        text = doc["document"]["text"]
        for key in ("places", "entities", "quotes"):
            for item in doc[key]:
                assert text[item["start"]:item["end"]] == item["text"] or key == "quotes"
        for item in doc["figures"] + doc["events"] + doc["claims"]:
            ev = item["evidence"]
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_two_workers_give_the_same_output_as_one(tmp_path):
    one = sitrep("extract", "examples/")
    two = sitrep("extract", "examples/", "--workers", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout


def test_json_and_table_formats():
    proc = sitrep("extract", "examples/004_0f37daef263df6ea.txt", "--format", "json")
    (doc,) = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["document"]["published"] == "2022-04-23"
    table = sitrep("extract", "examples/", "--format", "table")
    assert table.returncode == 0 and "004_0f37" in table.stdout
