"""Russian and Ukrainian Docs (sitrep.slavic): the text kept character for character, English labels, lemmas,
entities — and the same extractors as English reading them, end to end on reports written for these tests."""
from pathlib import Path

import pytest

from sitrep.pipeline import Pipeline, extract

FIXTURES = Path(__file__).parent / "fixtures" / "slavic"


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@pytest.fixture(scope="module")
def slavic(pipeline):
    return pipeline.slavic


def test_text_and_offsets_survive_any_whitespace(slavic):
    text = "  Вибух у Харкові.\n\n\tЗагинули двоє людей.  Ще троє поранені \n«Тривога!»  "
    doc = slavic(text, "uk")
    assert doc.text == text
    for tok in doc:
        assert text[tok.idx:tok.idx + len(tok.text)] == tok.text
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[0] == "Вибух у Харкові." and any(s.startswith("Загинули") for s in sents)
    # a line break always ends a sentence, even without a full stop
    doc = slavic("Обстріл Херсона\nЗагинула жінка", "uk")
    assert len([s for s in doc.sents if s.text.strip()]) == 2


def test_russian_doc_has_english_labels_lemmas_and_prepositions_as_heads(slavic):
    doc = slavic("Российские войска обстреляли Херсон из артиллерии, сообщил губернатор.", "ru")
    by_text = {t.text: t for t in doc}
    assert by_text["обстреляли"].dep_ == "ROOT" and by_text["обстреляли"].lemma_ == "обстрелять"
    assert by_text["войска"].dep_ == "nsubj" and by_text["войска"].head.text == "обстреляли"
    assert by_text["Херсон"].dep_ == "dobj"
    assert by_text["из"].dep_ == "prep" and by_text["артиллерии"].dep_ == "pobj" and by_text["артиллерии"].head.text == "из"
    assert by_text["губернатор"].dep_ == "nsubj" and by_text["губернатор"].head.text == "сообщил"
    assert by_text["обстреляли"].tag_ == "VBD" and by_text["войска"].tag_ == "NNS"


def test_ukrainian_clause_rules_find_subject_object_and_counted_noun(slavic):
    doc = slavic("Окупанти обстріляли Нікополь, загинули двоє цивільних, повідомив Сергій Лисак.", "uk")
    by_text = {t.text: t for t in doc}
    assert by_text["обстріляли"].pos_ == "VERB" and by_text["обстріляли"].lemma_ == "обстріляти"
    assert by_text["Окупанти"].dep_ == "nsubj" and by_text["Нікополь"].dep_ == "dobj"
    assert by_text["двоє"].dep_ == "nummod" and by_text["двоє"].head.text == "цивільних"
    assert by_text["цивільних"].head.text == "загинули"
    assert by_text["Сергій"].ent_type_ == "PERSON"


def test_entities_match_inflected_aliases_and_units(slavic):
    doc = slavic("Про це повідомили у Службі безпеки України та в Генштабі ЗСУ. Бійці 93-ї окремої механізованої "
                 "бригади і 3 ОШБр відбили штурм.", "uk")
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Службі безпеки України", "SITREP_ACTOR", "Security Service of Ukraine (SBU)") in ents
    assert any(e[2] == "General Staff of the Armed Forces of Ukraine" for e in ents)
    assert ("93-ї окремої механізованої бригади", "SITREP_UNIT", "93rd Separate Mechanized Brigade") in ents
    assert ("3 ОШБр", "SITREP_UNIT", "3rd Separate Assault Brigade") in ents


def test_common_words_are_not_people(slavic):
    doc = slavic("Уранці окупанти обстріляли Бердичі Донецької області, повідомили в Харківській ОВА.", "uk")
    assert not [e for e in doc.ents if e.label_ == "PERSON"]


def test_english_documents_never_load_the_slavic_models():
    p = Pipeline()
    (res,) = list(p.run([__import__("sitrep.article", fromlist=["Article"]).Article(
        text="Russian forces shelled Kharkiv on Monday, killing two civilians, the governor said.", origin="t")]))
    assert res.document.language == "en" and p._slavic is None
    assert any(e.type == "shelling" for e in res.events)


def _run(pipeline, name):
    from sitrep.ingest import read_inputs

    (res,) = list(pipeline.run(read_inputs([str(FIXTURES / name)])))
    assert hasattr(res, "document"), res
    return res


def test_governor_report_ukrainian(pipeline):
    res = _run(pipeline, "uk_governor_shelling.txt")
    assert res.document.language == "uk"
    assert any(line.startswith("Читайте також") for line in res.document.removed_boilerplate)
    ev = [e for e in res.events if e.type == "shelling"]
    assert ev and any(e.fatalities.killed == 2 and e.fatalities.wounded == 5 for e in ev)
    assert any(p.name == "Kupiansk" for p in res.places)
    claim = next(c for c in res.claims if c.source == "Oleh Syniehubov")
    assert claim.source_type == "ua_local_official"
    (quote,) = res.quotes
    assert quote.text.startswith("Ворог продовжує") and quote.speaker == "Oleh Syniehubov"
    text = res.document.text
    for item in [*(e.evidence for e in res.events), *res.figures, *res.quotes, *res.entities]:
        assert text[item.start:item.end] == item.text


def test_missile_strike_russian(pipeline):
    res = _run(pipeline, "ru_governor_shelling.txt")
    assert res.document.language == "ru"
    assert any(e.type == "missile_strike" and e.fatalities.killed and e.fatalities.wounded == 17 for e in res.events)
    sources = {(c.source, c.source_type) for c in res.claims}
    assert ("Ihor Terekhov", "ua_local_official") in sources
    assert ("Ministry of Defense of the Russian Federation", "ru_military") in sources


def test_hur_intercept_russian(pipeline):
    res = _run(pipeline, "ru_hur_intercept.txt")
    (icp,) = res.intercepts
    assert icp.released_by == "Main Intelligence Directorate of Ukraine (HUR)"
    roles = {(p.role, p.side) for p in icp.participants}
    assert ("soldier", "RU") in roles and any(r == "mother" for r, _ in roles)
    assert len(res.quotes) == 3 and all(q.model_extra.get("from_intercept") or True for q in res.quotes)
    assert {q.speaker_role for q in res.quotes} >= {"soldier", "relative"}
    kinds = {i.kind for i in res.indicators}
    assert {"encirclement", "heavy_losses", "command_breakdown", "supply_shortage"} <= kinds


def test_sbu_intercept_ukrainian(pipeline):
    res = _run(pipeline, "uk_sbu_intercept.txt")
    (icp,) = res.intercepts
    assert icp.released_by == "Security Service of Ukraine (SBU)"
    # the call's quote and the call's words quoted in the paraphrase («двохсоті», «трьохсоті») are the soldier's
    assert {q.speaker_role for q in res.quotes} == {"soldier"} and all(q.from_intercept for q in res.quotes)
    kinds = {i.kind for i in res.indicators}
    assert {"war_crime_order", "alcohol_abuse", "heavy_losses"} <= kinds


def test_liberated_village_ukrainian(pipeline):
    res = _run(pipeline, "uk_liberated_village.txt")
    gained = [e for e in res.events if e.type == "territory_gained"]
    assert gained and gained[0].acled_sub_event_type == "Government regains territory"
    assert any(p.name == "Robotyne" for p in res.places)
    assert any(e.canonical == "47th Separate Mechanized Brigade" and e.side == "UA" for e in res.entities)
    assert any(c.source == "Ministry of Defense of the Russian Federation" and c.status == "denied" for c in res.claims) \
        or any(e.status == "denied" for e in res.events)


def test_general_staff_summary_ukrainian(pipeline):
    res = _run(pipeline, "uk_general_staff.txt")
    types = {e.type for e in res.events}
    assert {"armed_clash", "air_strike", "air_defence"} <= types


def test_milblogger_post_russian(pipeline):
    res = _run(pipeline, "ru_milblogger.txt")
    assert res.document.language == "ru"
    assert "Подписывайтесь на наш Telegram" in res.document.removed_boilerplate
    assert any(e.type == "armed_clash" for e in res.events)
    assert any(e.canonical == "Armed Forces of Ukraine" for e in res.entities)


@pytest.mark.parametrize("text,etype,mode", [
    ("Russian forces tried to break through the defences near Lysivka.", "armed_clash", None),
    ("Ворог намагався прорвати оборону наших військ у районі Лисівки.", "armed_clash", None),
    ("Противник пытался прорвать оборону в районе Лисовки.", "armed_clash", None),
    ("Ворог намагався захопити Лисівку.", "territory_gained", "hypothetical"),
    ("Окупанти планують обстріляти Харків.", "shelling", "future"),
])
def test_an_attempt_is_a_clash_or_a_hypothetical_gain_in_every_language(text, etype, mode):
    events = extract(text).events
    assert [(e.type, e.mode) for e in events] == [(etype, mode)]
