"""Event coreference and casualty counting inside a document, on sentences written for these tests."""
import pytest

from sitrep.pipeline import extract


def events(text):
    return [e for e in extract(text, published="2024-01-12").to_dict()["events"] if not e.get("mode")]


def test_casualties_in_a_later_sentence_join_the_shelling():
    text = "Russian forces shelled Kherson on Monday. As a result of the shelling, one civilian was killed."
    evs = events(text)
    assert len(evs) == 1
    ev = evs[0]
    assert ev["type"] == "shelling" and ev["place_name"] == "Kherson"
    assert ev["fatalities"]["killed"] == 1
    # both sentences stay as evidence of the one event
    assert [m["text"] for m in ev["mentions"]] == ["As a result of the shelling, one civilian was killed."]
    assert text[ev["mentions"][0]["start"]:ev["mentions"][0]["end"]] == ev["mentions"][0]["text"]


def test_a_restated_figure_counts_once():
    evs = events("Russian forces shelled Kherson on Monday, killing 430 people. The shelling killed 430 people.")
    assert len(evs) == 1 and evs[0]["fatalities"]["killed"] == 430


def test_the_strike_killed_a_resident_counts_one_on_the_strike():
    evs = events("A Russian missile struck Kramatorsk on Monday. The strike killed a resident.")
    assert len(evs) == 1
    assert evs[0]["type"] == "missile_strike" and evs[0]["fatalities"]["killed"] == 1


@pytest.mark.parametrize("text, killed", [
    ("A Russian drone hit a car near Beryslav. The driver died.", 1),
    ("Russian forces shelled Nikopol. A body was found under the rubble.", 1),
    ("A Russian drone attacked a car in Kherson, killing a couple.", 2),
    ("Russian artillery shelled Kupiansk, killing two brothers.", 2),
    ("Russian artillery shelled Kupiansk, killing a local farmer.", 1),
])
def test_deaths_without_a_number(text, killed):
    evs = events(text)
    assert evs and evs[0]["fatalities"]["killed"] == killed


def test_a_consequence_clause_is_not_a_second_event():
    evs = events("Russian forces fired rockets at Nikopol, killing two civilians.")
    assert [e["type"] for e in evs] == ["shelling"]
    assert evs[0]["fatalities"]["killed"] == 2


def test_a_generic_mention_joins_the_event_before_it():
    evs = events("Russian forces shelled Kherson on Monday. The attack injured three people.")
    assert len(evs) == 1 and evs[0]["type"] == "shelling" and evs[0]["fatalities"]["wounded"] == 3


def test_different_events_are_not_joined():
    # an indefinite new event, another place, another family: two events
    evs = events("Russian troops shelled Orikhiv. Later, Ukrainian forces repelled an assault near Robotyne.")
    assert {e["type"] for e in evs} == {"shelling", "armed_clash"}
    evs = events("Russian forces shelled Kherson on Monday. The shelling of Nikopol on Tuesday killed two people.")
    assert len(evs) == 2


def test_two_sides_counts_are_kept_with_their_claimants():
    evs = events("Russian forces attacked Avdiivka on Monday. Russia says 60 Ukrainian soldiers were killed, "
                 "while Ukraine says 20.")
    assert len(evs) == 1
    f = evs[0]["fatalities"]
    assert f["killed"] == 20 and f["killed_low"] == 20 and f["killed_high"] == 60
    assert {(c["claimed_by"], c["value"]) for c in f["claims"]} == {("Russia", 60), ("Ukraine", 20)}


@pytest.mark.parametrize("text, killed, wounded", [
    ("Reportedly 5 civilians were killed and 8 wounded by shelling in Kurakhove.", 5, 8),
    ("Russian shelling killed 3 people and injured 7 in Kherson.", 3, 7),
    ("A missile hit an apartment block in Chuhuiv, with 1 x fatality and 12 x wounded reported.", 1, 12),
])
def test_each_count_is_what_the_word_after_it_says(text, killed, wounded):
    evs = events(text)
    assert evs and evs[0]["fatalities"]["killed"] == killed and evs[0]["fatalities"]["wounded"] == wounded


@pytest.mark.parametrize("text, killed", [
    ("A 64-year-old woman was killed when Russian forces shelled Kherson.", 1),
    ("Російські військові обстріляли Куп'янськ. Загинули двоє чоловіків 47 і 52 років.", 2),
    ("Российские войска обстреляли Белгород. Погиб водитель.", 1),
])
def test_an_age_is_not_a_count_and_slavic_numberless_victims_count(text, killed):
    evs = events(text)
    assert evs and evs[0]["fatalities"]["killed"] == killed, (text, evs and evs[0]["fatalities"])


@pytest.mark.parametrize("text,place", [
    ("Ворог знову атакував Харківську область. Окупанти обстріляли Вовчанськ з артилерії, загинула жінка.",
     "Vovchansk"),
    ("Russian forces shelled the Donetsk region overnight. The village of Kurakhove was hit, two people died.",
     "Kurakhove"),
])
def test_an_event_placed_at_an_oblast_takes_the_settlement_the_report_names_in_it(text, place):
    events = extract(text).events
    assert events and events[0].place_name == place and events[0].lat is not None


def test_a_settlement_in_another_oblast_does_not_refine_the_event():
    events = extract("Russian forces shelled the Sumy region overnight. Separately, Kurakhove was quiet.").events
    assert events and events[0].place_name != "Kurakhove"
