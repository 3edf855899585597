"""The extract command end to end on the seed examples: every document gives a schema-valid result."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "src/sitrep/schema/document.schema.json").read_text())


def run_cli(*args, input_text=None):
    return subprocess.run([sys.executable, "-m", "sitrep", *args], cwd=ROOT, capture_output=True, text=True,
                          input=input_text, timeout=300)


def test_extract_examples_validates_against_schema():
    proc = run_cli("extract", "examples/")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 5
    for doc in lines:
        jsonschema.validate(doc, SCHEMA)
    assert "5 documents, 0 errors" in proc.stderr
