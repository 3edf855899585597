"""The instrument frame ("fired mortars at X", "launched missiles at X", "dropped bombs on X"): the weapon is the
instrument, X is what was hit, and the event is kept. Built from every English weapon word of the events lexicon,
on sentences written for these tests."""
import pytest

from sitrep.lexicon import load_yaml
from sitrep.pipeline import extract

LEX = load_yaml("events.yaml", "en")  # the English lexicon only (no ru/uk surface forms)
WEAPONS = [(str(word), group["type"], bool(group.get("only_for")))
           for group in LEX["instruments"] for word in group["cues"]]
FRAMES = ["Russian forces fired {w} at a residential area of Kupiansk on Monday.",
          "Russian troops launched {w} at the town of Nikopol overnight.",
          "Russian units dropped {w} on the village of Bilohorivka."]


def as_written(word):
    """Model names as the press writes them ("Su-34", "Kh-101"); common nouns as they are."""
    return word[0].upper() + word[1:] if any(ch.isdigit() or ch == "-" for ch in word) else word


def top_event(text):
    evs = [e for e in extract(text, published="2024-01-12").to_dict()["events"] if not e.get("mode")]
    return evs[0] if evs else None


@pytest.mark.parametrize("word, etype, hand_weapon", WEAPONS, ids=[w for w, _, _ in WEAPONS])
def test_every_weapon_word_is_an_instrument_not_a_target(word, etype, hand_weapon):
    for i, frame in enumerate(FRAMES):
        if hand_weapon:  # rifles and knives are not launched or dropped: one-sided fire at people
            if i:
                continue
            text, etype_expected = f"Russian soldiers fired {word} at civilians in Kupiansk on Monday.", \
                "attack_on_civilians"
        else:
            text, etype_expected = frame.format(w=as_written(word)), etype
        ev = top_event(text)
        assert ev is not None, text
        assert ev["type"] == etype_expected, (text, ev["type"])
        assert all(word.lower() not in t["name"].lower() for t in ev["targets"]), (text, ev["targets"])
        assert ev["place_name"] is not None, text


def test_instrument_frame_keeps_the_real_target():
    ev = top_event("Russian forces fired artillery at Ukrainian positions near Robotyne.")
    assert ev["type"] == "shelling"
    assert [t["name"] for t in ev["targets"]] == ["Ukrainian positions"]
    assert ev["targets"][0]["side"] == "UA"


def test_instrument_frame_passive():
    ev = top_event("Two missiles were launched at Odesa from the Black Sea on Tuesday.")
    assert ev is not None and ev["type"] == "missile_strike"
    assert ev["place_name"] == "Odesa"


def test_a_destroyed_weapon_is_still_what_was_hit():
    ev = top_event("Ukrainian drones destroyed a Russian howitzer near Bakhmut.")
    assert ev is not None and ev["type"] == "drone_strike"
    assert any("howitzer" in t["name"] for t in ev["targets"])


@pytest.mark.parametrize("text, etype, place", [
    ("Российская армия нанесла ракетный удар по Одессе.", "missile_strike", "Odesa"),
    ("Российские войска выпустили ракеты по Николаеву.", "missile_strike", "Mykolaiv"),
    ("Российские войска обстреляли из артиллерии Херсон.", "shelling", "Kherson"),
    ("Ворог завдав ракетного удару по Одесі.", "missile_strike", "Odesa"),
    ("Російські війська обстріляли з артилерії Херсон.", "shelling", "Kherson"),
])
def test_instrument_frame_in_russian_and_ukrainian(text, etype, place):
    ev = top_event(text)
    assert ev is not None and ev["type"] == etype, (text, ev and ev["type"])
    assert ev["place_name"] == place


def test_language_files_extend_the_argument_word_lists():
    merged = load_yaml("events.yaml")
    assert "по" in merged["instrument_frame"]["target_preps"] and "at" in merged["instrument_frame"]["target_preps"]
    assert "нанести" in merged["arguments"]["light_verbs"] and "launch" in merged["arguments"]["light_verbs"]
