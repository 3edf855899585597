"""Exports of event rows (one per cluster): CSV, ACLED-CSV, GeoJSON (RFC 7946), JSONL and Parquet."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

ACLED_COLUMNS = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "inter1", "inter2", "admin1",
                 "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "time_precision",
                 "source", "source_scale", "notes", "fatalities"]
SITREP_COLUMNS = ["status", "n_independent", "claimants", "sitrep_type", "language"]

# ACLED actor names and interaction codes (1 state forces, 7 civilians, 8 external/other forces) by side
ACLED_ACTOR = {"RU": ("Military Forces of Russia (2000-)", 8), "UA": ("Military Forces of Ukraine (2019-)", 1),
               "civilian": ("Civilians (Ukraine)", 7)}
UNIDENTIFIED = "Unidentified Armed Group (Ukraine)"
GEO_PRECISION = {"exact": 1, "settlement": 1, "admin3": 2, "admin2": 2}
TIME_PRECISION = {"day": 1, "week": 2, "publication": 2}


def _flat(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _actor(side: str | None, actors: list[dict], acting: bool = True) -> tuple[str, int | str]:
    """ACLED actor name and inter code. An actor of unknown side is an unidentified armed group (inter 3); a
    target of unknown side is no actor at all ("residential buildings"), so actor2 stays empty."""
    if side in ACLED_ACTOR:
        return ACLED_ACTOR[side]
    name = next((a.get("name") for a in actors or [] if a.get("name")), "")
    if name and side == "other":
        return name, 8  # external/other forces under their own name
    if not name or not acting:
        return "", ""
    return UNIDENTIFIED, 3


def _admin(name: str | None) -> str:
    return (name or "").removesuffix(" Oblast").removesuffix(" oblast")


def acled_row(r: dict) -> dict:
    actor1, inter1 = _actor(r.get("actor_side"), r.get("actors"))
    actor2, inter2 = _actor(r.get("target_side"), r.get("targets"), acting=False)
    claimants = "; ".join(f"{c['name']} ({c['side'] or '?'})" for c in r.get("claimants") or [])
    return {
        "event_date": r.get("date"), "event_type": r.get("acled_event_type"),
        "sub_event_type": r.get("acled_sub_event_type"), "actor1": actor1, "actor2": actor2,
        "inter1": inter1, "inter2": inter2, "admin1": _admin(r.get("admin1")), "admin2": r.get("admin2") or "",
        "admin3": r.get("admin3") or "", "location": r.get("place") or "", "latitude": r.get("lat"),
        "longitude": r.get("lon"), "geo_precision": GEO_PRECISION.get(r.get("precision") or "", 3),
        "time_precision": TIME_PRECISION.get(r.get("date_precision") or "", 3),
        "source": "; ".join(r.get("outlets") or []), "source_scale": "Other", "notes": r.get("evidence") or "",
        "fatalities": r.get("fatalities") or 0, "status": r.get("status"), "n_independent": r.get("n_independent"),
        "claimants": claimants, "sitrep_type": r.get("type"), "language": r.get("language"),
    }


def to_geojson(rows: list[dict]) -> dict:
    features = []
    for r in rows:
        if r.get("lat") is None or r.get("lon") is None:
            continue
        props = {k: v for k, v in r.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": r.get("cluster_id"),
                         "geometry": {"type": "Point", "coordinates": [round(r["lon"], 6), round(r["lat"], 6)]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _flat(v) for k, v in r.items()})
    return buf.getvalue()


def render(rows: list[dict], fmt: str) -> str | bytes:
    if fmt == "csv":
        return _csv(rows, list(rows[0].keys()) if rows else ["cluster_id"])
    if fmt == "acled-csv":
        return _csv([acled_row(r) for r in rows if r.get("acled_event_type") and r.get("date")],
                    ACLED_COLUMNS + SITREP_COLUMNS)
    if fmt == "geojson":
        return json.dumps(to_geojson(rows), ensure_ascii=False) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "parquet":
        import pandas as pd

        frame = pd.DataFrame([{k: _flat(v) for k, v in r.items()} for r in rows])
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False, engine="pyarrow")
        return buf.getvalue()
    raise ValueError(f"unknown export format {fmt!r}")


EXPORTERS = ("csv", "acled-csv", "geojson", "jsonl", "parquet")


def write_export(rows: list[dict], fmt: str, output: Path | None) -> None:
    data = render(rows, fmt)
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode("latin-1"))
        return
    tmp = output.with_name(output.name + ".part")
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        tmp.write_text(data, encoding="utf-8")
    tmp.replace(output)
