"""Toponym recognition and resolution on sentences written for these tests (not the seeds)."""
import pytest

from sitrep.pipeline import extract


def places(text):
    return [p for p in extract(text).places]


def by_text(text):
    return {p.text: p for p in places(text)}


def test_villages_spacy_mislabels_are_found_and_placed():
    found = by_text("Ukrainian troops pushed Russian units out of Kupiansk, while shelling hit Vovchansk and "
                    "Huliaipole overnight.")
    assert found["Kupiansk"].admin1 == "Kharkiv Oblast" and found["Kupiansk"].lat is not None
    assert found["Vovchansk"].admin1 == "Kharkiv Oblast"
    assert found["Huliaipole"].admin1 == "Zaporizhzhia Oblast"


def test_regions_districts_and_nested_mentions():
    found = by_text("Drones struck the Pokrovsk district of the Donetsk region, and the Kherson region was shelled.")
    assert found["Pokrovsk district"].kind == "admin2"
    assert found["Donetsk region"].kind == "admin1" and found["Donetsk region"].name == "Donetsk Oblast"
    assert found["Pokrovsk"].kind == "settlement"  # nested inside the district mention
    assert found["Kherson region"].name == "Kherson Oblast"


def test_press_spellings_resolve_to_the_national_romanisation():
    found = by_text("Fighting continued near Artemovsk, Avdeyevka and Ugledar, Russian bloggers wrote.")
    assert found["Artemovsk"].name == "Bakhmut"
    assert found["Avdeyevka"].name == "Avdiivka"
    assert found["Ugledar"].name == "Vuhledar"


def test_same_name_village_takes_the_oblast_named_next_to_it():
    found = by_text("The strike hit Hryhorivka, Zaporizhzhia Oblast, on Monday.")
    assert found["Hryhorivka"].admin1 == "Zaporizhzhia Oblast"


def test_ambiguous_village_without_context_falls_back_instead_of_guessing():
    found = by_text("Residents of Adamivka said the shop had reopened.")
    adamivka = found["Adamivka"]
    assert adamivka.precision in ("admin1", "unresolved")
    assert adamivka.gazetteer_id is None


def test_common_words_and_people_are_not_places():
    texts = [p.text for p in places("Peace talks stalled in March as Victoria Nuland met officials. The mood was grim.")]
    assert "Peace" not in texts and "March" not in texts and "The" not in texts and "Victoria" not in texts


def test_places_abroad():
    found = by_text("Explosions were reported in Belgorod and Kursk, and officials in Washington and London reacted.")
    assert found["Belgorod"].country == "RU" and found["Belgorod"].admin1 == "Belgorod Oblast"
    assert found["Washington"].country == "US"
    assert found["London"].country == "GB"


@pytest.mark.parametrize("text,name", [
    ("Russian forces advanced in the Lyman direction.", "Lyman"),
    ("The village of Robotyne was retaken.", "Robotyne"),
])
def test_place_context_phrases(text, name):
    assert name in [p.name for p in places(text)]
