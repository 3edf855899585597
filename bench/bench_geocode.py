"""`sitrep geocode` speed, one run: look-ups per second, in process and through the command line, and the ratio to
a bare SQLite look-up of the same names.

Queries (distinct name + context pairs): Eyes-on-Russia settlement names with their province, and press spellings of
Ukrainian settlements (WOF Russian names romanised simply, oblast as context: the spelling fallback's path) from
../shared/gazetteer; the seeds' places when neither is present. In process the gazetteer is opened and warmed first
(its file is then in the page cache); the command-line figure includes starting Python and reading the JSONL.
Targets: >= 2,000 look-ups/s on the command line (issue 13).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from sitrep.geo.db import COLUMNS  # noqa: E402
from sitrep.geo.gazetteer import Gazetteer  # noqa: E402
from sitrep.geo.geocode import geocode  # noqa: E402
from sitrep.geo.translit import norm  # noqa: E402


def queries(shared: Path, limit: int) -> list[tuple[str, str | None]]:
    from eval_geocode import eyes_on_russia, press_spellings

    rows: list[tuple[str, str | None]] = []
    eor = shared / "dev" / "events" / "eyes_on_russia_events.csv"
    wof = shared / "gazetteer" / "wof_ua_localities.csv"
    if wof.exists():
        rows += [(n, c) for n, c, _, _ in press_spellings(wof, step=3)]
    if eor.exists():
        rows += [(n, c or None) for n, c, _, _ in eyes_on_russia(eor)]
    if not rows:
        rows = [("Hryhorivka", "Donetsk Oblast"), ("Kupiansk", None), ("Rabotino", "Zaporizhzhia"),
                ("Nikolaevka", "Donetsk"), ("Klischiivka", "Donetsk Oblast"), ("Otradnoe", "Kharkiv")]
    distinct = list(dict.fromkeys(rows))
    # interleave the two sets so any prefix has both kinds
    half = len(distinct) // 2
    mixed = [q for pair in zip(distinct[:half], distinct[half:]) for q in pair] + distinct[2 * half:]
    return mixed[:limit]


def in_process(qs: list[tuple[str, str | None]]) -> tuple[float, float, float, float]:
    """(geocode seconds wall, geocode CPU seconds, bare SQLite seconds wall, bare CPU seconds) for the queries."""
    gaz = Gazetteer.open()
    geocode(gaz, "Kyivv", "Kyiv Oblast")  # warm: connection, lexicons, spelling rules
    t0, c0 = time.perf_counter(), time.process_time()
    for name, context in qs:
        geocode(gaz, name, context, limit=5)
    t_geo, c_geo = time.perf_counter() - t0, time.process_time() - c0

    import sqlite3

    conn = sqlite3.connect(gaz.path)
    conn.execute("PRAGMA mmap_size=268435456")
    sql = (f"SELECT {','.join('p.' + c for c in COLUMNS)} FROM names n JOIN places p ON p.id = n.place_id "
           "WHERE n.key = ?")
    t0, c0 = time.perf_counter(), time.process_time()
    for name, _ in qs:
        conn.execute(sql, (norm(name),)).fetchall()
    t_bare, c_bare = time.perf_counter() - t0, time.process_time() - c0
    conn.close()
    return t_geo, c_geo, t_bare, c_bare


def command_line(qs: list[tuple[str, str | None]]) -> float:
    """Wall seconds of `sitrep geocode --input FILE` over the queries (a fresh process, as a user runs it)."""
    exe = Path(sys.executable).with_name("sitrep")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for i, (name, context) in enumerate(qs):
            fh.write(json.dumps({"id": i, "name": name, "context": context}, ensure_ascii=False) + "\n")
        path = fh.name
    try:
        t0 = time.perf_counter()
        subprocess.run([str(exe), "geocode", "--input", path], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ))
        return time.perf_counter() - t0
    finally:
        os.unlink(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--limit", type=int, default=4000)
    args = ap.parse_args()
    qs = queries(Path(args.shared), args.limit)
    n = len(qs)
    t_geo, c_geo, t_bare, c_bare = in_process(qs)
    print(f"geocode queries: {n} distinct name+context pairs")
    print(f"geocode in_process lookups_per_s: {n / t_geo:.0f} wall, {n / c_geo:.0f} cpu")
    print(f"geocode bare_sqlite lookups_per_s: {n / t_bare:.0f} wall, {n / c_bare:.0f} cpu")
    print(f"geocode ratio geocode/bare_sqlite (cpu): {c_geo / c_bare:.1f}")
    t_cli = command_line(qs)
    print(f"geocode command_line lookups_per_s: {n / t_cli:.0f} (wall, start-up included; target >= 2000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
