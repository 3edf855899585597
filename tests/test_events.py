"""Events extractor on sentences written for these tests (not taken from the seeds or the dev data)."""
import pytest

from sitrep.lexicon import load_yaml
from sitrep.pipeline import extract

PUB = "2024-01-12"


def events(text, published=PUB):
    return extract(text, published=published).to_dict()["events"]


def place_name(result_events, ev):
    return ev.get("place_name")


def test_acled_taxonomy_has_6_types_25_subtypes_and_mapping_is_valid():
    acled = load_yaml("acled.yaml")
    assert len(acled["event_types"]) == 6
    subs = [s for subs in acled["event_types"].values() for s in subs]
    assert len(subs) == 25 and len(set(subs)) == 25
    for variants in acled["mapping"].values():
        for sub in variants.values():
            assert sub is None or sub in subs
    schema_types = {"armed_clash", "shelling", "air_strike", "drone_strike", "missile_strike", "explosion", "mine_ied",
                    "air_defence", "territory_gained", "retreat", "advance", "encirclement", "attack_on_civilians",
                    "execution", "abduction", "sexual_violence", "arrest", "detention_of_troops", "pow_capture",
                    "pow_mistreatment", "desertion", "refusal_to_fight", "mobilization", "looting",
                    "property_destruction", "intercepted_communication", "protest", "agreement", "other"}
    assert set(acled["mapping"]) == schema_types


@pytest.mark.parametrize("text, etype, sub", [
    ("Russian artillery shelled the outskirts of Orikhiv overnight.", "shelling", "Shelling/artillery/missile attack"),
    ("A Shahed drone struck an apartment building in Odesa.", "drone_strike", "Air/drone strike"),
    ("A Lancet loitering munition hit a Ukrainian howitzer near Kupiansk.", "drone_strike", "Air/drone strike"),
    ("Russian aircraft dropped glide bombs on Vovchansk.", None, "Air/drone strike"),
    ("Two Iskander missiles hit the port of Pivdennyi.", "missile_strike", "Shelling/artillery/missile attack"),
    ("Air defence units shot down eleven drones over Mykolaiv oblast.", "air_defence", "Disrupted weapons use"),
    ("Sappers defused an anti-personnel mine near Izium.", "air_defence", "Disrupted weapons use"),
    ("A tractor driver was injured when his tractor ran over a mine near Kupiansk.", "mine_ied",
     "Remote explosive/landmine/IED"),
    ("Ukrainian and Russian troops clashed near Marinka.", "armed_clash", "Armed clash"),
    ("Ukrainian forces liberated the village of Klishchiivka.", "territory_gained", "Government regains territory"),
    ("Russian forces seized the village of Krasnohorivka.", "territory_gained", "Non-state actor overtakes territory"),
    ("Russian soldiers abducted a village head in Zaporizhzhia oblast.", "abduction", "Abduction/forced disappearance"),
    ("Russian soldiers raped a woman in a village near Kyiv, prosecutors said.", "sexual_violence", "Sexual violence"),
    ("Police detained a man suspected of spying in Dnipro.", "arrest", "Arrests"),
    ("Russian troops looted shops in Kherson before leaving.", "looting", "Looting/property destruction"),
    ("About 200 people protested in Yerevan against the government.", "protest", "Peaceful protest"),
    ("Police used tear gas to disperse protesters in Tbilisi.", "protest", "Protest with intervention"),
    ("Rioters threw stones at police and torched cars in the city centre.", "protest", "Violent demonstration"),
    ("Ukraine and Russia carried out a prisoner exchange on Saturday.", "agreement", "Agreement"),
])
def test_types_follow_acled_rules(text, etype, sub):
    evs = events(text)
    assert evs, text
    top = evs[0]
    if etype:
        assert top["type"] == etype, (text, top["type"])
    assert top["acled_sub_event_type"] == sub, (text, top["acled_sub_event_type"])


def test_one_event_per_place_in_a_list():
    evs = events("Russian forces shelled Bilozerka, Antonivka and Komyshany.")
    shelling = [e for e in evs if e["type"] == "shelling"]
    assert len(shelling) == 3
    assert all(a["side"] == "RU" for e in shelling for a in e["actors"])


def test_explicit_date_wins_and_fatalities_follow_the_event():
    evs = events("On 3 March 2023, Russian forces shelled Beryslav. Two civilians were killed and four wounded.")
    top = evs[0]
    assert top["type"] == "shelling"
    assert top["date"] == "2023-03-03" and top["date_precision"] == "day"
    assert top["fatalities"]["killed"] == 2 and top["fatalities"]["wounded"] == 4


def test_relative_date_and_publication_fallback():
    evs = events("Russian troops shelled a school in Kupiansk yesterday.")
    assert evs[0]["date"] == "2024-01-11"
    evs = events("Russian troops shelled a school in Kupiansk.")
    assert evs[0]["date"] == PUB and evs[0]["date_precision"] == "publication"


def test_vague_and_split_fatalities():
    evs = events("Russian forces shelled Chasiv Yar, killing several civilians.")
    assert evs[0]["fatalities"]["killed"] == 10  # ACLED: "several" = 10
    evs = events("Russian forces shelled Chasiv Yar [4 fatalities split across 22 events].")
    assert evs[0]["fatalities"]["killed"] is None


def test_background_figure_is_not_this_events_count():
    evs = events("Russian forces shelled Vuhledar on Monday. Since the invasion began, more than 100 people have "
                 "been killed in the town.")
    assert evs[0]["fatalities"]["killed"] is None


def test_modes_sort_last():
    evs = events("Russian forces did not attack Zaporizhzhia. Russia could attack Kharkiv again. "
                 "Ukrainian forces shelled Russian positions near Tokmak.")
    assert evs[0]["type"] == "shelling" and evs[0].get("mode") is None
    modes = [e.get("mode") for e in evs[1:]]
    assert "negated" in modes and "hypothetical" in modes


def test_future_is_marked():
    evs = events("The governor said Ukrainian forces would target Russian positions near Donetsk next.")
    assert evs and all(e.get("mode") == "future" for e in evs)


def test_status_and_source_from_attribution():
    evs = events("Russian forces shelled Nikopol overnight, according to the regional governor.")
    assert evs[0]["status"] == "attributed"
    assert "governor" in (evs[0]["claimed_by"] or "").lower()


def test_sides_from_phrases():
    evs = events("Kyiv-backed forces retook the village of Andriivka.")
    assert evs[0]["type"] == "territory_gained"
    assert evs[0]["actors"][0]["side"] == "UA"
    evs = events("The occupiers shelled the village of Zolochiv.")
    assert evs[0]["actors"][0]["side"] == "RU"


def test_weapon_side_when_no_actor_named():
    evs = events("A Shahed drone hit a gas station in Sumy.")
    assert evs[0]["actors"] and evs[0]["actors"][0]["side"] == "RU"


def test_detention_of_troops():
    evs = events("Commanders locked up twenty Russian soldiers who refused to fight.")
    assert any(e["type"] == "detention_of_troops" for e in evs)


def test_salience_main_event_first():
    evs = events("Ukrainian forces shot down a Russian Su-34 over Avdiivka on Friday, the air force said. "
                 "Since February 2022, Russia has lost hundreds of aircraft in battles across the country.")
    assert evs[0]["type"] == "air_defence"


def test_no_event_without_cue():
    assert events("The minister met his counterpart in Warsaw to discuss grain exports.") == []


def test_evidence_is_the_sentence():
    text = "It was quiet in Lviv. Russian forces shelled Kurakhove on Sunday."
    result = extract(text, published=PUB).to_dict()
    ev = result["events"][0]
    assert result["document"]["text"][ev["evidence"]["start"]:ev["evidence"]["end"]] == ev["evidence"]["text"]
    assert ev["evidence"]["text"].startswith("Russian forces shelled")


def test_event_cue_with_an_actor_that_is_not_a_known_actor_does_not_crash():
    # a "needs an actor" cue whose subject resolves to no actor (found on US politics news in PolNeAR)
    evs = events("Donald Trump said Wednesday night that he never pledged to kill family members of terrorists.")
    assert isinstance(evs, list)


def test_retreat_from_a_place_and_after_a_failed_attack():
    evs = events("Ukrainian troops were forced into a retreat from Avdiivka in February.")
    retreat = next(e for e in evs if e["type"] == "retreat")
    assert retreat["place_name"] == "Avdiivka" and [a["side"] for a in retreat["actors"]] == ["UA"]
    evs = events("After failing to capture Vuhledar, Russian marines withdrew to their positions.")
    retreat = next(e for e in evs if e["type"] == "retreat")
    assert retreat["place_name"] == "Vuhledar"


def test_source_named_in_the_next_sentence_of_a_report_paragraph():
    evs = events("Russian forces withdrew from Synkivka. Russian artillery also shelled Kupiansk overnight, said the "
                 "General Staff of the Armed Forces of Ukraine.")
    retreat = next(e for e in evs if e["type"] == "retreat")
    assert "General Staff" in (retreat["claimed_by"] or "")
    shelling = next(e for e in evs if e["type"] == "shelling")
    assert "General Staff" in (shelling["claimed_by"] or "") and shelling["status"] == "attributed"


def test_a_sentence_opening_date_dates_its_events():
    evs = events("On 9 May 2022, around 200 people protested in Kherson against the Russian occupation.")
    assert evs[0]["type"] == "protest" and evs[0]["date"] == "2022-05-09" and evs[0]["date_precision"] == "day"


def test_a_single_victim_in_the_next_sentence_counts_once():
    evs = events("On 3 May 2022, a Russian drone hit a car near Beryslav. The driver was killed.")
    assert evs[0]["type"] == "drone_strike" and evs[0]["fatalities"]["killed"] == 1


@pytest.mark.parametrize("text, sub", [
    ("An IED exploded under a military vehicle near Kramatorsk.", "Remote explosive/landmine/IED"),
    ("A roadside bomb exploded near a police convoy in Melitopol.", "Remote explosive/landmine/IED"),
    ("Hundreds marched through Lviv to demand the return of prisoners of war.", "Peaceful protest"),
])
def test_specific_weapon_and_protest_marches(text, sub):
    assert events(text)[0]["acled_sub_event_type"] == sub


def test_troops_marching_into_a_city_is_no_protest():
    assert all(e["type"] != "protest" for e in events("Russian troops marched into Kherson in March 2022."))


def test_unidentified_gunmen_killing_civilians_is_an_attack_not_a_clash():
    assert events("Armed men attacked a village near Izium, killing 3 civilians.")[0]["acled_sub_event_type"] == "Attack"
    assert events("Russian forces attacked Ukrainian positions near Bakhmut.")[0]["acled_sub_event_type"] == "Armed clash"


def test_rioters_setting_fire_is_a_violent_demonstration():
    assert events("Rioters set fire to shops in Odesa.")[0]["acled_sub_event_type"] == "Violent demonstration"


@pytest.mark.parametrize("text, sub", [
    ("Russian troops open fire on protesters against the occupation in Kherson.", "Excessive force against protesters"),
    ("Russian soldiers fired warning shots at protesters in Nova Kakhovka.", "Protest with intervention"),
    ("Police fired tear gas at protesters in Kharkiv.", "Protest with intervention"),
])
def test_force_against_protesters(text, sub):
    assert events(text)[0]["acled_sub_event_type"] == sub
