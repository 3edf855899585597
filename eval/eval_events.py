"""Events: type agreement and place distance on data someone else annotated (../shared/dev), one line per figure.

- CIR Eyes on Russia (dev/events/eyes_on_russia_events.csv): each row's description is run through the pipeline;
  the top event's ACLED event type (or sub-type) is compared with the row's `event_group` where the group maps to
  ACLED (e.g. "Bombing or Explosion" → Explosions/Remote violence, "Ground Battle" → Battles, "Detentions or
  Arrests" → Arrests); the place distance is measured when the event's place resolves to coordinates.
- Bellingcat civilian harm (dev/events/bellingcat_civilian_harm_events.json): every record is harm to civilians,
  so the top event should be remote violence or violence against civilians; the sub-type mix is printed per
  weapon/association tag.
Skips cleanly when the data is absent. The dev data is read in place, never copied into the repo.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from sitrep.article import Article
from sitrep.pipeline import Pipeline

RV, BAT, VAC, SD = "Explosions/Remote violence", "Battles", "Violence against civilians", "Strategic developments"
# event_group prefix → accepted ACLED event types (or "sub:" + sub-event type)
EOR_GROUPS = {
    "Bombing or Explosion": {RV},
    "Civilian Infrastructure Damage": {RV, "sub:Looting/property destruction"},
    "Military Infrastructure Damage": {RV},
    "Russian Firing Positions": {RV},
    "Ground Battle": {BAT},
    "Civilian Casualty": {RV, VAC},
    "Detentions or Arrests": {"sub:Arrests", "sub:Abduction/forced disappearance"},
    "Russian Military Losses": {RV, BAT, "sub:Disrupted weapons use"},
    "Ukrainian Military Losses": {RV, BAT, "sub:Disrupted weapons use"},
    "Russian Military Presence": {"sub:Change to group/activity", "sub:Headquarters or base established"},
}
BELLINGCAT_OK = {RV, VAC}


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def group_of(name: str) -> str | None:
    for prefix in EOR_GROUPS:
        if name.startswith(prefix):
            return prefix
    return None


def iso(d: str) -> str | None:
    for pat, order in ((r"(\d{4})-(\d{2})-(\d{2})", "ymd"), (r"(\d{2})/(\d{2})/(\d{4})", "mdy")):
        m = re.fullmatch(pat, d.strip())
        if m:
            if order == "ymd":
                return d.strip()
            return f"{m.group(3)}-{m.group(1)}-{m.group(2)}"
    return None


def run(pipe: Pipeline, items: list[tuple[str, str | None]]):
    arts = [Article(text=t, published=p, origin=f"dev#{i}") for i, (t, p) in enumerate(items)]
    return list(pipe.run(arts, batch_size=64))


def accepted(ev: dict, ok: set[str]) -> bool:
    return ev.get("acled_event_type") in ok or f"sub:{ev.get('acled_sub_event_type')}" in ok


def place_distance(result: dict, ev: dict, lat: float, lon: float) -> float | None:
    if ev.get("lat") is None or ev.get("lon") is None:
        return None
    return km(ev["lat"], ev["lon"], lat, lon)


def report_distances(label: str, dists: list[float], n: int) -> None:
    if not dists:
        print(f"events {label} place: no event place resolved to coordinates (of {n})")
        return
    dists.sort()
    med = dists[len(dists) // 2]
    within = sum(d <= 25 for d in dists) / len(dists)
    print(f"events {label} place: {len(dists)}/{n} events with coordinates, median {med:.1f} km, "
          f"{within:.0%} within 25 km")


def eyes_on_russia(pipe: Pipeline, path: Path, limit: int | None) -> None:
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if group_of(r.get("event_group", ""))]
    if limit:
        rows = rows[:limit]
    items = [((r.get("brief description") or r.get("title") or "").strip() or r.get("title", ""), iso(r["date"]))
             for r in rows]
    t0 = time.perf_counter()
    results = run(pipe, items)
    elapsed = time.perf_counter() - t0
    per_group: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # rows, with event, agreeing
    dists: list[float] = []
    n_with_event = 0
    for row, res in zip(rows, results):
        g = group_of(row["event_group"])
        stats = per_group[g]
        stats[0] += 1
        if not hasattr(res, "document"):
            continue
        evs = res.to_dict()["events"]
        evs = [e for e in evs if not e.get("mode")]
        if not evs:
            continue
        stats[1] += 1
        n_with_event += 1
        stats[2] += accepted(evs[0], EOR_GROUPS[g])
        try:
            d = place_distance(res.to_dict(), evs[0], float(row["lat"]), float(row["lon"]))
        except (TypeError, ValueError):
            d = None
        if d is not None:
            dists.append(d)
    total = sum(s[0] for s in per_group.values())
    agree = sum(s[2] for s in per_group.values())
    print(f"events eyes-on-russia: {total} rows in {elapsed:.1f}s, {n_with_event} with an event "
          f"({n_with_event / max(total, 1):.0%}), ACLED type agrees on {agree}/{n_with_event} "
          f"({agree / max(n_with_event, 1):.0%}) of rows with an event")
    for g, (n, with_ev, ok) in sorted(per_group.items(), key=lambda kv: -kv[1][0]):
        print(f"events eyes-on-russia {g}: {n} rows, {with_ev} with an event, agree {ok}/{with_ev} "
              f"({ok / max(with_ev, 1):.0%})")
    report_distances("eyes-on-russia", dists, n_with_event)


def bellingcat(pipe: Pipeline, path: Path, limit: int | None) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    if limit:
        records = records[:limit]
    items = [((r.get("description") or "").strip(), iso(r.get("date") or "")) for r in records]
    keep = [i for i, (t, _) in enumerate(items) if t]
    results = run(pipe, [items[i] for i in keep])
    with_event = agree = 0
    dists: list[float] = []
    by_tag: dict[str, Counter] = defaultdict(Counter)
    for i, res in zip(keep, results):
        if not hasattr(res, "document"):
            continue
        evs = [e for e in res.to_dict()["events"] if not e.get("mode")]
        if not evs:
            continue
        with_event += 1
        agree += accepted(evs[0], BELLINGCAT_OK)
        for tag in records[i].get("associations", []):
            by_tag[tag][evs[0].get("acled_sub_event_type")] += 1
        try:
            d = place_distance(res.to_dict(), evs[0], float(records[i]["latitude"]), float(records[i]["longitude"]))
        except (TypeError, ValueError, KeyError):
            d = None
        if d is not None:
            dists.append(d)
    print(f"events bellingcat: {len(keep)} records, {with_event} with an event ({with_event / max(len(keep), 1):.0%}), "
          f"civilian-harm ACLED type (remote violence / violence against civilians) on {agree}/{with_event} "
          f"({agree / max(with_event, 1):.0%})")
    for tag, counts in sorted(by_tag.items(), key=lambda kv: -sum(kv[1].values()))[:8]:
        top = ", ".join(f"{k}: {v}" for k, v in counts.most_common(3))
        print(f"events bellingcat tag {tag}: {sum(counts.values())} with an event; {top}")
    report_distances("bellingcat", dists, with_event)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--limit", type=int, default=None, help="at most this many rows per data set")
    args = ap.parse_args()
    dev = Path(args.shared) / "dev" / "events"
    eor = dev / "eyes_on_russia_events.csv"
    bc = dev / "bellingcat_civilian_harm_events.json"
    if not eor.exists() and not bc.exists():
        print(f"events: skipped ({dev} absent)")
        return 0
    pipe = Pipeline()
    if eor.exists():
        eyes_on_russia(pipe, eor, args.limit)
    else:
        print(f"events eyes-on-russia: skipped ({eor} absent)")
    if bc.exists():
        bellingcat(pipe, bc, args.limit)
    else:
        print(f"events bellingcat: skipped ({bc} absent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
