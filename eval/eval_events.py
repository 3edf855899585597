"""Events: type agreement and place distance on data someone else annotated (../shared/dev), one line per figure.

- CIR Eyes on Russia (dev/events/eyes_on_russia_events.csv): each row's description is run through the pipeline;
  the top event's ACLED event type (or sub-type) is compared with the row's `event_group` where the group maps to
  ACLED (e.g. "Bombing or Explosion" → Explosions/Remote violence, "Ground Battle" → Battles, "Detentions or
  Arrests" → Arrests); the place distance is measured when the event's place resolves to coordinates.
- Bellingcat civilian harm (dev/events/bellingcat_civilian_harm_events.json): every record is harm to civilians,
  so the top event should be remote violence or violence against civilians; the sub-type mix is printed per
  weapon/association tag.
For both sets, printed for the tuning half (even rows) and the held-back half (odd rows) separately: the share of
documents with no event, a confusion table (the annotators' class × the top event's ACLED event type, one line per
class), and fatalities agreement: neither set has a count column, so the reference is the count the annotator's
description states in a fixed form ("1 x fatality", "3 killed", "killing 2", "two people died" → 1, 3, 2, 2; see
`stated_deaths`), compared with the top event's `fatalities.killed` (exact), plus how often a count is given where the
description states no death at all.
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


NUMBER_WORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
NUM = r"(\d+|" + "|".join(w for w in NUMBER_WORDS if len(w) > 2) + r")"
STATED = [re.compile(p, re.I) for p in (
    NUM + r"\s*x\s*(?:fatalit|dead|killed|deaths?)",
    NUM + r"\s+(?:\w+\s+){0,2}?(?:were|was|have been|has been)\s+killed\b",
    NUM + r"\s+(?:people|civilians|persons|residents)?\s*(?:killed|dead|died)\b",
    r"\bkill(?:ing|ed)\s+" + NUM + r"\b",
    NUM + r"\s+fatalit",
)]
DEATH_WORDS = re.compile(r"(?i)\b(kill|killed|killing|dead|died|death|deaths|fatalit\w*|body|bodies|casualt\w*)\b")


def stated_deaths(text: str) -> int | None:
    """The death count a description states in a fixed form (the first such statement), or None."""
    for rx in STATED:
        m = rx.search(text)
        if m:
            word = m.group(1).lower()
            return int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    return None


class Tally:
    """One half of a data set: rows, rows with an event, type agreement per class, confusion, fatalities."""

    def __init__(self) -> None:
        self.per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # rows, with event, agreeing
        self.confusion: dict[str, Counter] = defaultdict(Counter)
        self.deaths_stated = self.deaths_exact = 0
        self.no_death_words = self.count_without_death = 0
        self.dists: list[float] = []

    def add(self, cls: str, top: dict | None, ok: bool, text: str) -> None:
        stats = self.per_class[cls]
        stats[0] += 1
        self.confusion[cls][(top or {}).get("acled_event_type") or ("none" if top is None else "no ACLED type")] += 1
        if top is not None:
            stats[1] += 1
            stats[2] += ok
        killed = ((top or {}).get("fatalities") or {}).get("killed")
        ref = stated_deaths(text)
        if ref is not None:
            self.deaths_stated += 1
            self.deaths_exact += killed == ref
        if not DEATH_WORDS.search(text):
            self.no_death_words += 1
            self.count_without_death += bool(killed)

    def report(self, label: str) -> None:
        rows = sum(s[0] for s in self.per_class.values())
        with_ev = sum(s[1] for s in self.per_class.values())
        agree = sum(s[2] for s in self.per_class.values())
        print(f"events {label}: {rows} rows, no event on {rows - with_ev} ({(rows - with_ev) / max(rows, 1):.0%}), "
              f"ACLED type agrees on {agree}/{with_ev} ({agree / max(with_ev, 1):.0%}) of rows with an event")
        for cls, (n, w, ok) in sorted(self.per_class.items(), key=lambda kv: -kv[1][0]):
            mix = ", ".join(f"{k}: {v}" for k, v in self.confusion[cls].most_common())
            print(f"events {label} confusion {cls}: {n} rows, agree {ok}/{w} ({ok / max(w, 1):.0%}); {mix}")
        print(f"events {label} fatalities: {self.deaths_stated} descriptions state a death count, top event's "
              f"killed exact on {self.deaths_exact} ({self.deaths_exact / max(self.deaths_stated, 1):.0%}); "
              f"a killed count on {self.count_without_death}/{self.no_death_words} "
              f"({self.count_without_death / max(self.no_death_words, 1):.0%}) descriptions stating no death")


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
    halves = {"tuning": Tally(), "held-back": Tally()}
    for i, (row, res, (text, _)) in enumerate(zip(rows, results, items)):
        g = group_of(row["event_group"])
        tally = halves["tuning" if i % 2 == 0 else "held-back"]
        evs = [e for e in res.to_dict()["events"] if not e.get("mode")] if hasattr(res, "document") else []
        top = evs[0] if evs else None
        tally.add(g, top, bool(top) and accepted(top, EOR_GROUPS[g]), text)
        if top is not None:
            try:
                d = place_distance(res.to_dict(), top, float(row["lat"]), float(row["lon"]))
            except (TypeError, ValueError):
                d = None
            if d is not None:
                tally.dists.append(d)
    print(f"events eyes-on-russia: {len(rows)} rows in {elapsed:.1f}s")
    for label, tally in halves.items():
        tally.report(f"eyes-on-russia {label}")
        with_ev = sum(s[1] for s in tally.per_class.values())
        report_distances(f"eyes-on-russia {label}", tally.dists, with_ev)


def bellingcat(pipe: Pipeline, path: Path, limit: int | None) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    if limit:
        records = records[:limit]
    items = [((r.get("description") or "").strip(), iso(r.get("date") or "")) for r in records]
    keep = [i for i, (t, _) in enumerate(items) if t]
    results = run(pipe, [items[i] for i in keep])
    halves = {"tuning": Tally(), "held-back": Tally()}
    by_tag: dict[str, Counter] = defaultdict(Counter)
    for k, (i, res) in enumerate(zip(keep, results)):
        tally = halves["tuning" if k % 2 == 0 else "held-back"]
        evs = [e for e in res.to_dict()["events"] if not e.get("mode")] if hasattr(res, "document") else []
        top = evs[0] if evs else None
        tally.add("civilian harm", top, bool(top) and accepted(top, BELLINGCAT_OK), items[i][0])
        if top is None:
            continue
        for tag in records[i].get("associations", []):
            by_tag[tag][top.get("acled_sub_event_type")] += 1
        try:
            d = place_distance(res.to_dict(), top, float(records[i]["latitude"]), float(records[i]["longitude"]))
        except (TypeError, ValueError, KeyError):
            d = None
        if d is not None:
            tally.dists.append(d)
    print(f"events bellingcat: {len(keep)} records; the civilian-harm ACLED types are remote violence and "
          f"violence against civilians")
    for label, tally in halves.items():
        tally.report(f"bellingcat {label}")
        with_ev = sum(s[1] for s in tally.per_class.values())
        report_distances(f"bellingcat {label}", tally.dists, with_ev)
    for tag, counts in sorted(by_tag.items(), key=lambda kv: -sum(kv[1].values()))[:8]:
        top3 = ", ".join(f"{k}: {v}" for k, v in counts.most_common(3))
        print(f"events bellingcat tag {tag}: {sum(counts.values())} with an event; {top3}")


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
