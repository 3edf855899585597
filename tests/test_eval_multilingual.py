"""The Ukrainian/Russian evaluation: gold annotations are consistent, and each check scores what it claims to."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from sitrep.evaluation.multilingual import GoldDoc, check_document, half_of, load_set, locate, overlaps, sha1_text

REPO = Path(__file__).resolve().parent.parent
ANNOTATIONS = REPO / "eval" / "annotations"
LEXICONS = REPO / "src" / "sitrep" / "lexicons"
SCHEMA = yaml.safe_load((REPO / "src" / "sitrep" / "schema" / "document.schema.json").read_text())


def _enum(*path):
    node = SCHEMA
    for key in path:
        node = node[key]
    return set(node["enum"])


SOURCE_TYPES = _enum("$defs", "source_type")
STATUSES = _enum("$defs", "status")
SIDES = _enum("$defs", "side") - {None}
EVENT_TYPES = _enum("properties", "events", "items", "properties", "type")
ROLES = _enum("properties", "intercepts", "items", "properties", "participants", "items", "properties", "role")
ACLED = yaml.safe_load((LEXICONS / "acled.yaml").read_text())["event_types"]
AGENCIES = {a["canonical"] for a in yaml.safe_load((LEXICONS / "actors.yaml").read_text())}


def _documents(name: str) -> list[dict]:
    return yaml.safe_load((ANNOTATIONS / name).read_text(encoding="utf-8"))["documents"]


def _check_gold(doc: dict, text_len: int | None) -> None:
    assert doc["language"] in {"uk", "ru"}
    assert doc["category"] in {"shelling", "battle", "territory", "intercept"}
    spans = []
    ev = doc["main_event"]
    if ev:
        assert set(ev["type"]) <= EVENT_TYPES
        assert ev["acled_sub_event_type"] in ACLED[ev["acled_event_type"]]
        for place in ev["places"]:
            assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
            spans.append(place)
        assert ev["places"] or ev.get("place_note"), f"{doc['id']}: no place and no note saying why"
        for key in ("killed", "wounded"):
            assert ev[key] is None or all(isinstance(v, int) for v in (ev[key] if isinstance(ev[key], list)
                                                                          else [ev[key]]))
    for claim in doc["claims"]:
        assert claim["source_type"] in SOURCE_TYPES and claim["status"] in STATUSES and claim["side"] in SIDES
        spans.append(claim)
    spans += doc["quotes"]
    for it in doc["intercepts"]:
        assert it["released_by"] in AGENCIES
        assert all(p["role"] in ROLES and p["side"] in SIDES for p in it["participants"])
        assert all(0 <= q < len(doc["quotes"]) and doc["quotes"][q]["from_intercept"] for q in it["quotes"])
        spans += it["places"]
    for span in spans:
        assert 0 <= span["start"] < span["end"], doc["id"]
        if text_len is not None:
            assert span["end"] <= text_len, doc["id"]


def test_page_annotations_are_consistent():
    docs = _documents("uk_ru.yaml")
    assert len(docs) >= 40
    assert len({d["id"] for d in docs}) == len(docs)
    for doc in docs:
        assert doc["url"].startswith("http") and len(doc["sha1"]) == 40
        _check_gold(doc, None)
    for lang in ("uk", "ru"):
        for category in ("shelling", "battle", "territory", "intercept"):
            assert any(d["language"] == lang and d["category"] == category for d in docs), (lang, category)
    assert {d["outlet_side"] for d in docs} == {"UA", "RU"}


def test_page_annotations_skip_the_pages_the_intercepts_set_annotates():
    listed = {line.split("\t", 1)[0] for line in
              (REPO.parent / "shared" / "dev" / "intercept_pages.tsv").read_text().splitlines()[1:]} \
        if (REPO.parent / "shared" / "dev" / "intercept_pages.tsv").exists() else set()
    assert not listed & {d["url"] for d in _documents("uk_ru.yaml")}


def test_own_texts_are_present_and_annotated():
    loaded = load_set(ANNOTATIONS / "uk_ru_own" / "annotations.yaml", ANNOTATIONS / "uk_ru_own")
    assert not loaded.skipped
    assert len(loaded.docs) >= 10
    for doc in loaded.docs:
        _check_gold(doc.gold, len(doc.text))
        assert all(doc.text[q["start"]:q["end"]].strip() == doc.text[q["start"]:q["end"]] for q in doc.gold["quotes"])
    assert {d.gold["language"] for d in loaded.docs} == {"uk", "ru"}


def test_load_set_skips_absent_and_changed_texts(tmp_path):
    (tmp_path / "01.txt").write_text("Обстріл Херсона.", encoding="utf-8")
    (tmp_path / "02.txt").write_text("змінений текст", encoding="utf-8")
    ann = tmp_path / "a.yaml"
    ann.write_text(yaml.safe_dump({"documents": [
        {"id": "01", "file": "01.txt", "sha1": sha1_text("Обстріл Херсона.")},
        {"id": "02", "file": "02.txt", "sha1": sha1_text("первісний текст")},
        {"id": "03", "file": "03.txt", "sha1": sha1_text("x")},
    ]}, allow_unicode=True), encoding="utf-8")
    loaded = load_set(ann, tmp_path)
    assert [d.id for d in loaded.docs] == ["01"]
    assert len(loaded.skipped) == 2
    assert "sha1" in loaded.skipped[0] and "absent" in loaded.skipped[1]


def _script():
    spec = importlib.util.spec_from_file_location("eval_multilingual", REPO / "eval" / "eval_multilingual.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_eval_skips_the_pages_without_devdata_and_splits_halves(tmp_path):
    sets, messages = _script().load_sets(tmp_path, half="tuning")
    assert "pages" not in sets and any("skipped" in m for m in messages)
    assert sets["own"].docs and all(half_of(d.id) == "tuning" for d in sets["own"].docs)


def test_halves_by_document_number():
    assert half_of("01") == "tuning" and half_of("02") == "held-back"
    assert half_of("own13") == "tuning" and half_of("own12") == "held-back"


def test_locate_finds_gold_words_in_cleaned_text():
    raw = "Заголовок\n\nВін сказав:  \"Ми   тримаємо   село\".\n"
    start = raw.index("Ми")
    end = raw.index("село") + len("село")
    cleaned = "Він сказав: \"Ми тримаємо село\"."
    s, e = locate(cleaned, raw, start, end)
    assert cleaned[s:e] == "Ми тримаємо село"
    assert locate("зовсім інший текст", raw, start, end) is None


def test_overlaps_needs_half_of_each_span():
    assert overlaps((10, 30), (12, 30))
    assert not overlaps((10, 30), (0, 100))  # a long outer quote does not match a short inner one
    assert not overlaps((10, 20), (20, 30))


RAW = ("date 2024-06-12\nОбстріл Оріхова\n\nОкупанти обстріляли Оріхів. Загинула жінка.\n"
       "\"Ми тримаємося\", – сказав голова ОВА. СБУ оприлюднила перехоплення: \"Нас оточили\".")


def _gold(**over) -> GoldDoc:
    q1, q2 = RAW.index("Ми тримаємося"), RAW.index("Нас оточили")
    gold = {
        "id": "05", "language": "uk", "category": "shelling",
        "main_event": {"type": ["shelling"], "acled_event_type": "Explosions/Remote violence",
                       "acled_sub_event_type": "Shelling/artillery/missile attack", "date": "2024-06-12",
                       "places": [{"name": "Orikhiv", "lat": 47.576, "lon": 35.783, "start": 0, "end": 1}],
                       "killed": [1, 2], "wounded": None},
        "claims": [], "intercepts": [{"released_by": "Security Service of Ukraine (SBU)", "quotes": [1]}],
        "quotes": [{"speaker": "governor", "from_intercept": False, "start": q1, "end": q1 + len("Ми тримаємося")},
                   {"speaker": "soldier", "from_intercept": True, "start": q2, "end": q2 + len("Нас оточили")}],
    }
    gold.update(over)
    return GoldDoc(gold=gold, text=RAW, path=Path("05.txt"))


def _result(lat: float, killed: int | None, released_by: str | None, acled: str = "Explosions/Remote violence"):
    cleaned = RAW.split("\n\n", 1)[1]  # the title and date lines removed, as cleaning does
    quote = cleaned.index("Нас оточили")
    return {
        "document": {"text": cleaned, "language": "uk"},
        "events": [{"type": "shelling", "acled_event_type": "Other", "mode": "negated", "lat": 47.576,
                    "lon": 35.783, "fatalities": {"killed": 1}},
                   {"type": "shelling", "acled_event_type": acled, "lat": lat, "lon": 35.783, "date": "2024-06-12",
                    "fatalities": {"killed": killed, "wounded": None}}],
        "quotes": [{"start": quote, "end": quote + len("Нас оточили"), "from_intercept": True}],
        "intercepts": [{"released_by": released_by}] if released_by else [],
        "claims": [],
    }


def _by_kind(checks):
    return {c.kind: c.ok for c in checks if c.kind != "quotes"}, [c.ok for c in checks if c.kind == "quotes"]


def test_checks_met():
    kinds, quotes = _by_kind(check_document(_result(47.65, 2, "Security Service of Ukraine (SBU)"), _gold()))
    assert kinds == {"language": True, "place": True, "acled_type": True, "sitrep_type": True, "fatalities": True,
                     "event_date": True, "releaser": True, "call_quote_linked": True}
    assert quotes == [False, True]  # the governor's quote was not extracted


def test_checks_missed():
    result = _result(47.75, 3, "Main Intelligence Directorate of Ukraine (HUR)", acled="Battles")  # 19 km north
    kinds, _ = _by_kind(check_document(result, _gold(language="ru")))
    assert not any(kinds[k] for k in ("language", "place", "acled_type", "fatalities", "releaser"))


@pytest.mark.parametrize("events", [[], [{"type": "shelling", "mode": "hypothetical", "lat": 47.576, "lon": 35.783,
                                          "acled_event_type": "Explosions/Remote violence"}]])
def test_no_main_event_fails_event_checks(events):
    result = _result(47.576, 1, None) | {"events": events}
    kinds, _ = _by_kind(check_document(result, _gold()))
    assert kinds["place"] is False and kinds["acled_type"] is False and kinds["fatalities"] is False


def _oracle(doc: GoldDoc) -> dict:
    """The result a perfect pipeline would give for a gold document (text uncleaned)."""
    gold = doc.gold
    first = lambda v: v[0] if isinstance(v, list) else v  # noqa: E731
    events = []
    if gold["main_event"]:
        ev = gold["main_event"]
        place = ev["places"][0] if ev["places"] else {}
        events.append({"type": ev["type"][0], "acled_event_type": ev["acled_event_type"], "date": ev["date"],
                       "lat": place.get("lat"), "lon": place.get("lon"),
                       "fatalities": {"killed": first(ev["killed"]), "wounded": first(ev["wounded"])}})
    span = lambda x: {"start": x["start"], "end": x["end"]}  # noqa: E731
    return {"document": {"text": doc.text, "language": gold["language"]}, "events": events,
            "quotes": [span(q) | {"from_intercept": q["from_intercept"]} for q in gold["quotes"]],
            "intercepts": [{"released_by": i["released_by"]} for i in gold["intercepts"]],
            "claims": [{"source_type": c["source_type"], "status": c["status"], "content": span(c),
                        "evidence": span(c)} for c in gold["claims"]]}


def test_a_perfect_result_meets_every_check_of_the_own_texts():
    loaded = load_set(ANNOTATIONS / "uk_ru_own" / "annotations.yaml", ANNOTATIONS / "uk_ru_own")
    for doc in loaded.docs:
        missed = [c.description for c in check_document(_oracle(doc), doc) if not c.ok]
        assert not missed, missed
