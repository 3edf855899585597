"""The same input gives the same output in every process, whatever Python's hash seed (Dask workers and
`sitrep extract` run with different seeds; batch output must equal single-process output)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ("Russian drones hit Odesa on Monday night, the regional governor said. Ukrainian forces shot down 12 "
         "Shaheds and two missiles over Kyiv, while artillery shelled Kherson and Nikopol.\n")


def run_with_seed(seed: str, tmp_path: Path) -> str:
    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    env = dict(os.environ, PYTHONHASHSEED=seed)
    out = subprocess.run([str(Path(sys.executable).parent / "sitrep"), "extract", str(ROOT / "examples"), str(extra)],
                         env=env, capture_output=True, text=True, check=True, cwd=tmp_path)
    return out.stdout


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    first = run_with_seed("0", tmp_path)
    second = run_with_seed("12345", tmp_path)
    assert first.count("\n") == 6
    assert first == second
