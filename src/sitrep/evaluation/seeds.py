"""Checks of an extraction result against the seeds' analyst expectations (shared/corpus/seeds_expected.json).

`check_document(result, expected)` returns a list of Check(list_name, description, ok) — one per expectation —
so tests can assert on a list and eval can print pass rates per list.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Check:
    section: str
    description: str
    ok: bool


def _contains(hay: str | None, needle: str) -> bool:
    return hay is not None and needle.casefold() in hay.casefold()


def _place_ok(place: dict, exp: dict) -> bool:
    if place.get("name") not in exp["name_in"] and place.get("text") not in exp["name_in"]:
        return False
    if exp.get("resolved") is False:
        return True
    if place.get("name") not in exp["name_in"]:
        return False
    if exp.get("admin1") and place.get("admin1") != exp["admin1"] and place.get("name") != exp["admin1"]:
        return False
    return place.get("lat") is not None and place.get("lon") is not None


def _place_names(result: dict, indices) -> set[str]:
    names = set()
    for i in indices:
        if isinstance(i, int) and 0 <= i < len(result["places"]):
            p = result["places"][i]
            names.update(n for n in (p.get("name"), p.get("text")) if n)
    return names


def _event_ok(result: dict, ev: dict, exp: dict) -> bool:
    if ev["type"] not in exp["type_in"]:
        return False
    place_names = _place_names(result, [ev.get("place")]) if ev.get("place") is not None else set()
    if "place" in exp and exp["place"] not in place_names:
        return False
    if "place_any" in exp and not (set(exp["place_any"]) & place_names):
        return False
    if "killed" in exp and (ev.get("fatalities") or {}).get("killed") != exp["killed"]:
        return False
    if "actors_side" in exp and exp["actors_side"] not in {a.get("side") for a in ev.get("actors", [])}:
        return False
    if "claimed_by_contains" in exp and not _contains(ev.get("claimed_by"), exp["claimed_by_contains"]):
        return False
    return True


def _figure_ok(fig: dict, exp: dict) -> bool:
    if exp.get("kind") != "other" and "note" not in exp and fig["kind"] != exp["kind"]:
        return False
    if fig.get("value") != exp["value"]:
        return False
    if "side" in exp and fig.get("side") != exp["side"]:
        return False
    if "approximate" in exp and fig.get("approximate") != exp["approximate"]:
        return False
    if "claimed_by_contains" in exp and not _contains(fig.get("claimed_by"), exp["claimed_by_contains"]):
        return False
    return True


def _intercept_ok(result: dict, ic: dict, exp: dict) -> bool:
    roles = [p.get("role") for p in ic.get("participants", [])]
    sides = {p.get("side") for p in ic.get("participants", [])}
    units = {p.get("unit") for p in ic.get("participants", [])}
    if "released_by" in exp and ic.get("released_by") != exp["released_by"]:
        return False
    if "relayed_by" in exp and not set(exp["relayed_by"]) <= set(ic.get("relayed_by", [])):
        return False
    if "participants_roles" in exp and not set(exp["participants_roles"]) <= set(roles):
        return False
    if "participants_roles_any" in exp and not set(exp["participants_roles_any"]) & set(roles):
        return False
    if "participants_side" in exp and exp["participants_side"] not in sides:
        return False
    if "unit" in exp and exp["unit"] not in units:
        return False
    if "places" in exp and not set(exp["places"]) <= _place_names(result, ic.get("places", [])):
        return False
    kinds = {result["indicators"][i]["kind"] for i in ic.get("indicators", []) if i < len(result["indicators"])}
    if "indicators" in exp and not set(exp["indicators"]) <= kinds:
        return False
    if "indicators_any" in exp and not set(exp["indicators_any"]) & kinds:
        return False
    if "status_in" in exp and ic.get("status") not in exp["status_in"]:
        return False
    if "call_date" in exp and ic.get("call_date") != exp["call_date"]:
        return False
    return True


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).strip(" .,\"'").casefold()


def check_document(result: dict, expected: dict) -> list[Check]:
    checks: list[Check] = []
    doc = result["document"]
    for key, value in expected.get("document", {}).items():
        checks.append(Check("document", f"{key} == {value!r}", doc.get(key) == value))
    for needle in expected.get("removed_boilerplate_contains", []):
        checks.append(Check("removed_boilerplate", needle[:50],
                            any(needle.replace("’", "'") in line.replace("’", "'")
                                for line in doc["removed_boilerplate"])))
    for exp in expected.get("entities", []):
        ok = any(_contains(e.get("canonical"), exp["canonical_contains"]) and e["type"] == exp["type"]
                 and e.get("side") == exp.get("side", e.get("side")) for e in result["entities"])
        checks.append(Check("entities", exp["canonical_contains"], ok))
    for exp in expected.get("figures", []):
        checks.append(Check("figures", f"{exp.get('kind')} {exp['value']}",
                            any(_figure_ok(f, exp) for f in result["figures"])))
    for exp in expected.get("places", []):
        checks.append(Check("places", "/".join(exp["name_in"]), any(_place_ok(p, exp) for p in result["places"])))
    for exp in expected.get("events", []):
        checks.append(Check("events", f"{'/'.join(exp['type_in'])} {exp.get('place') or exp.get('place_any', '')}",
                            any(_event_ok(result, ev, exp) for ev in result["events"])))
    for exp in expected.get("intercepts", []):
        checks.append(Check("intercepts", str(exp.get("released_by") or exp.get("relayed_by") or "intercept"),
                            any(_intercept_ok(result, ic, exp) for ic in result["intercepts"])))
    intercept_quotes = [q for q in result["quotes"] if q.get("from_intercept")]
    for text in expected.get("quotes_from_intercept", []):
        checks.append(Check("quotes", f"intercept: {text[:40]}",
                            any(_norm(text) == _norm(q["text"]) or _norm(text) in _norm(q["text"])
                                for q in intercept_quotes)))
    for text in expected.get("quotes_from_intercept_contains", []):
        checks.append(Check("quotes", f"intercept contains: {text[:40]}",
                            any(_norm(text) in _norm(q["text"]) for q in intercept_quotes)))
    for exp in expected.get("quotes_other", []):
        ok = any(_norm(exp["contains"]) in _norm(q["text"]) and q.get("speaker") == exp["speaker"]
                 and q.get("speaker_side") == exp.get("speaker_side", q.get("speaker_side"))
                 for q in result["quotes"])
        checks.append(Check("quotes", f"{exp['speaker']}: {exp['contains'][:30]}", ok))
    for exp in expected.get("claims", []):
        ok = any(_contains(c.get("source"), exp["source_contains"]) and c.get("source_type") == exp["source_type"]
                 for c in result["claims"])
        checks.append(Check("claims", exp["source_contains"], ok))
    return checks
