"""Full gazetteer sources a user adds with `sitrep gazetteer import PATH`, re-joined to the built-in codifier.

Formats: the Who's On First flat file (wof_ua_localities.csv), the GeoNames dump format (UA.txt, allCountries.txt,
cities*.txt: 19 tab-separated columns), GeoJSON point features and CSV with name/lat/lon columns.

Every record becomes a Record (a point, its names, its oblast if known). Joining, in order: the codifier
settlement of the same Ukrainian name in the same oblast (several → the one whose hromada centre is nearest,
within 25 km) takes the point; else any gazetteer place that already carries one of the record's names within
5 km takes the names (this folds WOF's duplicate imports and its pre-rename main names such as Артемівськ into the
current place); else the record is a new place. Importing the same source again replaces what it added.
"""
from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sitrep.geo.db import COLUMNS, connect_for_writing, haversine_km, refresh_fuzzy_keys
from sitrep.geo.spelling import latin_consonant_key
from sitrep.geo.translit import UK_ONLY, is_cyrillic, norm, romanise_uk, ru_variants, skeleton, uk_variants
from sitrep.lexicon import load_csv


FAR_FROM_HROMADA_KM = 40.0


class ImportError_(ValueError):
    """A source file sitrep cannot read; the message names the file and line."""


@dataclass
class Record:
    id: str
    lat: float
    lon: float
    uk: str | None = None
    english: str | None = None
    names: list[str] = field(default_factory=list)
    admin1: str | None = None
    country: str | None = "UA"
    population: int | None = None
    feature_class: str | None = None


def _admin1_by_uk() -> dict[str, str]:
    out = {}
    for row in load_csv("oblasts.csv"):
        out[norm(row["uk"] + " область")] = row["name"]
        out[norm(row["uk"])] = row["name"]
        out[norm(row["name"])] = row["name"]
        out[norm(row["short"])] = row["name"]
    out[norm("Республіка Крим")] = "Autonomous Republic of Crimea"
    out[norm("Crimea")] = "Autonomous Republic of Crimea"
    return out


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def read_wof(path: Path) -> Iterator[Record]:
    admin1 = _admin1_by_uk()
    seen_geonames: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                if row.get("deprecated") or row.get("superseded_by") or row.get("is_current") == "0":
                    continue
                gid = row.get("geonameid") or ""
                if gid and gid in seen_geonames:  # WOF's second import of the same GeoNames record
                    continue
                seen_geonames.add(gid)
                cyr = [n for n in _split(row.get("names_ukr")) + _split(row.get("names_cyrillic")) if is_cyrillic(n)]
                uk = next((n for n in cyr if UK_ONLY.search(n)), cyr[0] if cyr else None)
                if uk is None and is_cyrillic(row["name"]):
                    uk = row["name"]
                latin = [n for n in _split(row.get("names_eng")) + _split(row.get("names_latin"))
                         if re.fullmatch(r"[A-Z][\w'’ .-]*", n)]
                region = row.get("region_pip_uk") or row.get("region_uk") or row.get("region_pip") or row.get("region")
                yield Record(id=f"wof:{row['wof_id']}", lat=float(row["lat"]), lon=float(row["lon"]), uk=uk,
                             english=None if is_cyrillic(row["name"]) else row["name"],
                             names=latin + [n for n in cyr if n != uk] +
                                   [n for n in _split(row.get("names_rus")) if is_cyrillic(n)],
                             admin1=admin1.get(norm(region or "")), population=int(row["population"] or 0) or None,
                             feature_class="wof locality")
            except (KeyError, ValueError) as exc:
                raise ImportError_(f"{path}:{line}: not a Who's On First localities row ({exc})") from exc


GEONAMES_COLUMNS = 19


def read_geonames(path: Path) -> Iterator[Record]:
    """GeoNames dump rows of feature class P (populated places)."""
    ua_admin1 = {row["geonames_admin1"]: row["name"] for row in load_csv("oblasts.csv")}
    other_admin1 = {(r["country"], r["code"]): r["name"] for r in load_csv("geonames_admin1.csv")}
    with path.open(encoding="utf-8") as fh:
        for line, raw in enumerate(fh, start=1):
            if not raw.strip() or raw.startswith("#"):
                continue
            cols = raw.rstrip("\n").split("\t")
            if len(cols) != GEONAMES_COLUMNS:
                raise ImportError_(f"{path}:{line}: expected {GEONAMES_COLUMNS} tab-separated GeoNames columns, "
                                   f"found {len(cols)}")
            if cols[6] != "P":
                continue
            try:
                lat, lon = float(cols[4]), float(cols[5])
            except ValueError as exc:
                raise ImportError_(f"{path}:{line}: bad coordinates {cols[4]!r}, {cols[5]!r}") from exc
            alts = [a for a in cols[3].split(",") if a]
            cc = cols[8]
            uk = next((a for a in alts if is_cyrillic(a) and UK_ONLY.search(a)), None) if cc == "UA" else None
            names = [cols[1], cols[2]] + [a for a in alts if is_cyrillic(a) or re.fullmatch(r"[A-Z][\w'’ .-]*", a)]
            yield Record(id=f"geonames:{cols[0]}", lat=lat, lon=lon, uk=uk, english=cols[1], names=names,
                         admin1=ua_admin1.get(cols[10]) if cc == "UA" else other_admin1.get((cc, cols[10])),
                         country=cc, population=int(cols[14] or 0) or None, feature_class=f"geonames {cols[7]}")


def read_table(path: Path) -> Iterator[Record]:
    """CSV (name, lat, lon; optional id, admin1, country, alt_names '|'-separated, population)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"name", "lat", "lon"} - set(reader.fieldnames or [])
        if missing:
            raise ImportError_(f"{path}:1: CSV of places needs columns name, lat, lon (missing {', '.join(sorted(missing))})")
        for line, row in enumerate(reader, start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError) as exc:
                raise ImportError_(f"{path}:{line}: bad coordinates") from exc
            yield _plain_record(path, line, row["name"], lat, lon, row)


def read_geojson(path: Path) -> Iterator[Record]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ImportError_(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    for i, feat in enumerate(data.get("features", []), start=1):
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        if geom.get("type") != "Point" or not props.get("name"):
            continue
        lon, lat = geom["coordinates"][:2]
        yield _plain_record(path, i, props["name"], float(lat), float(lon), props)


def _plain_record(path: Path, n: int, name: str, lat: float, lon: float, row: dict) -> Record:
    alt = row.get("alt_names") or row.get("alternatenames") or ""
    names = [name] + (alt if isinstance(alt, list) else _split(alt))
    uk = next((x for x in names if is_cyrillic(x) and UK_ONLY.search(x)), None)
    return Record(id=str(row.get("id") or f"{path.stem}:{n}"), lat=lat, lon=lon, uk=uk,
                  english=None if is_cyrillic(name) else name, names=names, admin1=row.get("admin1") or None,
                  country=row.get("country") or "UA", population=int(row.get("population") or 0) or None,
                  feature_class="imported")


def reader_for(path: Path) -> tuple[str, Callable[[Path], Iterator[Record]]]:
    name = path.name.lower()
    if name.endswith((".geojson", ".json")):
        return "geojson:" + path.stem, read_geojson
    if name.endswith(".txt"):
        return "geonames:" + path.stem, read_geonames
    if name.endswith(".csv"):
        with path.open(encoding="utf-8-sig") as fh:
            header = fh.readline()
        if "wof_id" in header and "names_ukr" in header:
            return "wof", read_wof
        return "csv:" + path.stem, read_table
    raise ImportError_(f"{path}: unknown gazetteer format (expected .csv, .txt GeoNames dump, .geojson)")


def import_source(gazetteer_path: Path, path: Path, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Import one file into the gazetteer; returns counts of joined, merged and new places."""
    path = Path(path)
    if not path.exists():
        raise ImportError_(f"{path}: no such file")
    source, reader = reader_for(path)
    conn = connect_for_writing(Path(gazetteer_path))
    conn.create_function("skeleton", 1, skeleton)
    conn.create_function("ckey", 1, latin_consonant_key)
    counts = {"records": 0, "joined_codifier": 0, "merged": 0, "new": 0}
    with conn:
        _forget(conn, source)
        codifier = defaultdict(list)
        for pid, uk, admin1, lat, lon, precision in conn.execute(
                "SELECT id, uk, admin1, lat, lon, precision FROM places WHERE source='katottg' AND kind='settlement'"):
            codifier[(admin1, norm(uk or ""))].append([pid, lat, lon, precision])
        by_prefix = defaultdict(list)
        for (admin1, key), group in codifier.items():
            by_prefix[(admin1, key[:2])].append((key, group))
        names_out: list[tuple[str, str, str]] = []
        for rec in reader(path):
            counts["records"] += 1
            if progress and counts["records"] % 1000 == 0:
                progress(counts["records"])
            target = _join_codifier(codifier, rec, by_prefix)
            if target:
                pid = target[0]
                if target[3] != "settlement":
                    # only the point: population figures of merged WOF records belong to other places
                    conn.execute("UPDATE places SET lat=?, lon=?, precision='settlement' WHERE id=?",
                                 (rec.lat, rec.lon, pid))
                    before = "|".join("" if v is None else str(v) for v in target[1:4])
                    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"point:{pid}", f"{source}|{before}"))
                    target[1:] = [rec.lat, rec.lon, "settlement"]
                counts["joined_codifier"] += 1
            else:
                pid = _same_place(conn, rec)
                if pid:
                    counts["merged"] += 1
                else:
                    pid = f"{rec.id}" if ":" in rec.id else f"{source}:{rec.id}"
                    name = romanise_uk(rec.uk) if rec.uk else (rec.english or rec.names[0])
                    row = dict(id=pid, name=name, kind="settlement", country=rec.country, admin1=rec.admin1,
                               admin2=None, admin3=None, lat=rec.lat, lon=rec.lon, precision="settlement",
                               population=rec.population, feature_class=rec.feature_class, source=source, uk=rec.uk,
                               parent=None)
                    conn.execute(f"INSERT OR REPLACE INTO places ({','.join(COLUMNS)}) VALUES "
                                 f"({','.join('?' * len(COLUMNS))})", tuple(row[c] for c in COLUMNS))
                    counts["new"] += 1
            forms = list(rec.names) + (uk_variants(rec.uk) + [rec.uk] if rec.uk else [])
            forms += [v for n in rec.names if is_cyrillic(n) and not UK_ONLY.search(n) for v in ru_variants(n)[:2]]
            for form in dict.fromkeys(forms):
                key = norm(form)
                if len(key) >= 3:
                    names_out.append((key, pid, source))
        conn.executemany("INSERT OR IGNORE INTO names (key, place_id, source, skel, ckey) VALUES "
                         "(?,?,?,skeleton(?),ckey(?))", [(k, p, s, k, k) for k, p, s in names_out])
        refresh_fuzzy_keys(conn)
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"imported:{source}", str(path)))
    conn.close()
    return counts


def _forget(conn: sqlite3.Connection, source: str) -> None:
    """Undo a previous import of the same source (its places and names; points it gave to codifier places, which
    get their own point and precision back), so importing a file again gives the same gazetteer."""
    conn.execute("DELETE FROM places WHERE source=?", (source,))
    conn.execute("DELETE FROM names WHERE source=?", (source,))
    given = conn.execute("SELECT k, v FROM meta WHERE k LIKE 'point:%' AND v LIKE ?",
                         (source + "|%",)).fetchall()
    for key, value in given:
        _src, lat, lon, precision = value.split("|")
        conn.execute("UPDATE places SET lat=?, lon=?, precision=? WHERE id=?",
                     (float(lat) if lat else None, float(lon) if lon else None, precision, key[len("point:"):]))
        conn.execute("DELETE FROM meta WHERE k=?", (key,))


def _join_codifier(codifier: dict, rec: Record, by_prefix: dict | None = None) -> list | None:
    if not rec.uk or rec.country not in (None, "UA"):
        return None
    # the main Ukrainian name first, then the other Cyrillic names (WOF keeps pre-rename main names: Красний Лиман)
    group = None
    for name in [rec.uk] + [n for n in rec.names if is_cyrillic(n)]:
        group = codifier.get((rec.admin1, norm(name)))
        if group:
            break
    if not group:
        group = _near_spelling(by_prefix, rec) if by_prefix is not None else None
    if not group:
        return None
    if len(group) == 1:
        cand = group[0]
        # a codifier village placed at its hromada centre takes a point only from within its hromada's reach
        reach = {"admin3": FAR_FROM_HROMADA_KM, "admin2": 2 * FAR_FROM_HROMADA_KM}.get(cand[3])
        if reach and cand[1] is not None and haversine_km(rec.lat, rec.lon, cand[1], cand[2]) > reach:
            return None
        return cand
    best = None
    for cand in group:
        if cand[3] == "settlement" or cand[1] is None:
            continue
        d = haversine_km(rec.lat, rec.lon, cand[1], cand[2])
        if d < 25 and (best is None or d < best[0]):
            best = (d, cand)
    return best[1] if best else None


def _near_spelling(by_prefix: dict, rec: Record) -> list | None:
    """Codifier settlements of the record's oblast without a point of their own whose Ukrainian name is one edit
    away from one of the record's Cyrillic names and whose hromada centre is within 25 km (WOF's Клищіївка is the
    codifier's Кліщіївка)."""
    from sitrep.geo.spelling import edit_distance

    names = {norm(n) for n in [rec.uk] + [n for n in rec.names if is_cyrillic(n)] if n}
    out = []
    for n in names:
        for key, group in by_prefix.get((rec.admin1, n[:2]), ()):
            if abs(len(key) - len(n)) > 1 or edit_distance(key, n, 1) > 1:
                continue
            for cand in group:
                if cand[3] != "settlement" and cand[1] is not None and \
                        haversine_km(rec.lat, rec.lon, cand[1], cand[2]) < 25 and cand not in out:
                    out.append(cand)
    return out or None


def _same_place(conn: sqlite3.Connection, rec: Record) -> str | None:
    """An existing place with one of the record's names whose point is within 5 km."""
    keys = {norm(n) for n in rec.names + ([rec.uk] if rec.uk else []) if n}
    if not keys:
        return None
    marks = ",".join("?" * len(keys))
    rows = conn.execute(f"SELECT DISTINCT p.id, p.lat, p.lon FROM names n JOIN places p ON p.id=n.place_id "
                        f"WHERE n.key IN ({marks}) AND p.lat IS NOT NULL AND p.kind='settlement'", tuple(keys)).fetchall()
    best = None
    for pid, lat, lon in rows:
        d = haversine_km(rec.lat, rec.lon, lat, lon)
        if d < 5 and (best is None or d < best[0]):
            best = (d, pid)
    return best[1] if best else None


def import_paths(gazetteer_path: Path, paths: Iterable[Path]) -> dict[str, dict[str, int]]:
    return {str(p): import_source(gazetteer_path, Path(p)) for p in paths}
