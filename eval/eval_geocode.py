"""Geocoding accuracy: a settlement name with its oblast as context → top match within 5 / 10 km of the verified
point. Sets: CIR Eyes on Russia (town/city + province columns), Bellingcat civilian harm ("Chuhuiv, south of
Kharkiv": the first part is the name, the rest context). Also prints look-ups per second."""
from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from sitrep.geo.gazetteer import Gazetteer, haversine_km
from sitrep.geo.geocode import geocode


def eyes_on_russia(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            town = (row.get("town/city") or "").strip()
            if row.get("country", "").strip().lower() != "ukraine" or not town or not row.get("lat"):
                continue
            try:
                yield town, (row.get("province") or "").strip(), float(row["lat"]), float(row["lon"])
            except ValueError:
                continue


def bellingcat(path: Path):
    for rec in json.loads(path.read_text(encoding="utf-8")):
        loc = (rec.get("location") or "").strip()
        if not loc or not rec.get("latitude"):
            continue
        name, _, context = loc.partition(",")
        try:
            yield name.strip(), context.strip(), float(rec["latitude"]), float(rec["longitude"])
        except ValueError:
            continue


def evaluate(label: str, rows, gaz: Gazetteer, show: int) -> None:
    n = found = within5 = within10 = 0
    misses = []
    start = time.perf_counter()
    for name, context, lat, lon in rows:
        n += 1
        matches = geocode(gaz, name, context or None, limit=1)
        if not matches or matches[0][0].lat is None:
            misses.append((name, context, "no match"))
            continue
        found += 1
        d = haversine_km(lat, lon, matches[0][0].lat, matches[0][0].lon)
        within5 += d <= 5
        within10 += d <= 10
        if d > 10:
            misses.append((name, context, f"{matches[0][0].name} ({matches[0][0].admin1}) {d:.0f} km"))
    elapsed = time.perf_counter() - start
    if not n:
        print(f"geo.geocode.{label}: skipped: no rows")
        return
    print(f"geo.geocode.{label} within5km: {within5 / n:.3f} (n={n})")
    print(f"geo.geocode.{label} within10km: {within10 / n:.3f} (n={n})")
    print(f"geo.geocode.{label} any_match: {found / n:.3f} (n={n})")
    print(f"geo.geocode.{label} lookups_per_s: {n / elapsed:.0f}")
    for miss in misses[:show]:
        print("   miss:", *miss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--show", type=int, default=0, help="print this many misses")
    args = parser.parse_args()
    events = Path(args.shared) / "dev" / "events"
    gaz = Gazetteer.open()
    eor, bc = events / "eyes_on_russia_events.csv", events / "bellingcat_civilian_harm_events.json"
    if eor.exists():
        evaluate("eyes_on_russia", eyes_on_russia(eor), gaz, args.show)
    else:
        print(f"geo.geocode.eyes_on_russia: skipped: {eor} absent")
    if bc.exists():
        evaluate("bellingcat", bellingcat(bc), gaz, args.show)
    else:
        print(f"geo.geocode.bellingcat: skipped: {bc} absent")


if __name__ == "__main__":
    main()
