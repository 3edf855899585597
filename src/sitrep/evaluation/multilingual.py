"""Checks of an extraction result against the Ukrainian/Russian gold annotations (eval/annotations/uk_ru*).

The annotation guidelines and the exact definition of every check are at the top of eval/annotations/uk_ru.yaml.
`load_set` reads one annotation file with its texts (skipping a document whose text is absent or whose sha1
differs from the annotated one); `check_document(result, gold)` returns one Check per gold item, each of a
`kind`: the issue's kinds (HEADLINE_KINDS, the ≥ 80% bar) and further figures (EXTRA_KINDS) reported apart.
Gold offsets point into the saved text; the pipeline's into its cleaned text, so gold spans are located in the
cleaned text by their words before spans are compared.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sitrep.geo.gazetteer import haversine_km

HEADLINE_KINDS = ("language", "place", "acled_type", "fatalities", "releaser", "quotes")
EXTRA_KINDS = ("sitrep_type", "wounded", "event_date", "claims", "claim_status", "call_quote_linked")
PLACE_KM = 15.0
SPAN_OVERLAP = 0.5


@dataclass
class Check:
    kind: str
    ok: bool
    description: str


@dataclass
class GoldDoc:
    """One annotated document with the text its offsets point into."""

    gold: dict
    text: str
    path: Path

    @property
    def id(self) -> str:
        return str(self.gold["id"])


@dataclass
class LoadedSet:
    docs: list[GoldDoc] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def sha1_text(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_set(annotations: Path, text_dir: Path) -> LoadedSet:
    """The annotated documents whose text is present in `text_dir` with the annotated sha1."""
    data = yaml.safe_load(annotations.read_text(encoding="utf-8")) or {}
    out = LoadedSet()
    for gold in data.get("documents") or []:
        path = text_dir / gold["file"]
        if not path.is_file():
            out.skipped.append(f"{gold['id']}: {path} absent")
            continue
        text = path.read_bytes().decode("utf-8")
        if sha1_text(text) != gold["sha1"]:
            out.skipped.append(f"{gold['id']}: {path} differs from the annotated text (sha1)")
            continue
        out.docs.append(GoldDoc(gold=gold, text=text, path=path))
    return out


def half_of(doc_id: str) -> str:
    """The tuning half holds documents whose number is odd; the held-back half those whose number is even."""
    digits = re.findall(r"\d+", doc_id)
    number = int(digits[-1]) if digits else int(sha1_text(doc_id)[:8], 16)
    return "tuning" if number % 2 else "held-back"


# ---- spans ---------------------------------------------------------------------------------------------------
def _squeeze(text: str) -> tuple[str, list[int]]:
    """Text with every whitespace run made one space, and the original index of each kept character."""
    chars, index, prev_space = [], [], False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            chars.append(" ")
            prev_space = True
        else:
            chars.append(ch)
            prev_space = False
        index.append(i)
    return "".join(chars), index


def locate(cleaned: str, raw: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the words of raw[start:end] stand in the cleaned text (nearest to the same relative position)."""
    words = raw[start:end].strip()
    if not words:
        return None
    target = start / max(len(raw), 1) * len(cleaned)
    hits = [m.start() for m in re.finditer(re.escape(words), cleaned)]
    if hits:
        s = min(hits, key=lambda h: abs(h - target))
        return s, s + len(words)
    sq_clean, index = _squeeze(cleaned)
    sq_words, _ = _squeeze(words)
    hits = [m.start() for m in re.finditer(re.escape(sq_words.strip()), sq_clean)]
    if not hits:
        return None
    s = min(hits, key=lambda h: abs(index[h] - target))
    e = s + len(sq_words.strip()) - 1
    return index[s], index[e] + 1


def overlaps(a: tuple[int, int], b: tuple[int, int], share: float = SPAN_OVERLAP) -> bool:
    """True when the common part covers at least `share` of each span."""
    common = min(a[1], b[1]) - max(a[0], b[0])
    if common <= 0:
        return False
    return common >= share * (a[1] - a[0]) and common >= share * (b[1] - b[0])


# ---- checks --------------------------------------------------------------------------------------------------
def main_event(result: dict) -> dict | None:
    """The pipeline's main event: the most salient one that is neither negated nor hypothetical."""
    for ev in result.get("events") or []:
        if not ev.get("mode"):
            return ev
    return None


def _accepted(value) -> list:
    return value if isinstance(value, list) else [value]


def _event_checks(result: dict, gold_ev: dict, doc_id: str) -> list[Check]:
    ev = main_event(result)
    checks: list[Check] = []
    got = f"main event {ev['type']!r} ({ev.get('acled_event_type')})" if ev else "no event"
    places = [p for p in gold_ev.get("places") or [] if p.get("lat") is not None]
    if places:
        names = "/".join(p["name"] for p in places)
        if ev and ev.get("lat") is not None and ev.get("lon") is not None:
            km = min(haversine_km(ev["lat"], ev["lon"], p["lat"], p["lon"]) for p in places)
            checks.append(Check("place", km <= PLACE_KM, f"{doc_id}: {got} at {km:.1f} km from {names}"))
        else:
            checks.append(Check("place", False, f"{doc_id}: {got} without coordinates (gold {names})"))
    want = gold_ev["acled_event_type"]
    checks.append(Check("acled_type", bool(ev) and ev.get("acled_event_type") == want,
                        f"{doc_id}: {got}, gold {want}"))
    checks.append(Check("sitrep_type", bool(ev) and ev["type"] in _accepted(gold_ev["type"]),
                        f"{doc_id}: {got}, gold {gold_ev['type']}"))
    for kind, key in (("fatalities", "killed"), ("wounded", "wounded")):
        if gold_ev.get(key) is None:
            continue
        value = ((ev or {}).get("fatalities") or {}).get(key)
        checks.append(Check(kind, value in _accepted(gold_ev[key]),
                            f"{doc_id}: {key} {value} on {got}, gold {gold_ev[key]}"))
    if gold_ev.get("date"):
        value = (ev or {}).get("date")
        checks.append(Check("event_date", value == gold_ev["date"], f"{doc_id}: date {value}, gold {gold_ev['date']}"))
    return checks


def check_document(result: dict, doc: GoldDoc) -> list[Check]:
    gold, raw = doc.gold, doc.text
    cleaned = result["document"]["text"]
    did = doc.id
    checks = [Check("language", result["document"].get("language") == gold["language"],
                    f"{did}: language {result['document'].get('language')}, gold {gold['language']}")]
    if gold.get("main_event"):
        checks += _event_checks(result, gold["main_event"], did)

    quotes = result.get("quotes") or []
    found_quotes: list[dict | None] = []
    for q in gold.get("quotes") or []:
        where = locate(cleaned, raw, q["start"], q["end"])
        hit = None
        if where is not None:
            hit = next((p for p in quotes if overlaps(where, (p["start"], p["end"]))), None)
        found_quotes.append(hit)
        excerpt = raw[q["start"]:q["end"]][:40]
        reason = "not in the cleaned text" if where is None else ("found" if hit else "missed")
        checks.append(Check("quotes", hit is not None, f"{did}: quote [{excerpt}…] ({q['speaker']}): {reason}"))
        if q.get("from_intercept"):
            linked = bool(hit) and hit.get("from_intercept") is True
            checks.append(Check("call_quote_linked", linked, f"{did}: call quote [{excerpt}…] linked to an intercept"))

    released = {i.get("released_by") for i in result.get("intercepts") or []}
    for it in gold.get("intercepts") or []:
        checks.append(Check("releaser", it["released_by"] in released,
                            f"{did}: released_by {sorted(map(str, released))}, gold {it['released_by']}"))

    claims = result.get("claims") or []
    for c in gold.get("claims") or []:
        where = locate(cleaned, raw, c["start"], c["end"])
        hit = None
        if where is not None:
            for cl in claims:
                spans = [(cl[k]["start"], cl[k]["end"]) for k in ("content", "evidence") if cl.get(k)]
                if cl.get("source_type") == c["source_type"] and any(overlaps(where, s, 0.3) for s in spans):
                    hit = cl
                    break
        checks.append(Check("claims", hit is not None,
                            f"{did}: claim by {c['source']} ({c['source_type']}): {'found' if hit else 'missed'}"))
        if hit is not None:
            checks.append(Check("claim_status", hit.get("status") == c["status"],
                                f"{did}: claim by {c['source']} status {hit.get('status')}, gold {c['status']}"))
    return checks
