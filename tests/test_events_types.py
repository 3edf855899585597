"""Event types and ACLED sub-types the cues used to miss, on sentences written for these tests."""
import pytest

from sitrep.pipeline import extract


def top(text):
    evs = [e for e in extract(text, published="2024-01-12").to_dict()["events"] if not e.get("mode")]
    return evs[0] if evs else None


@pytest.mark.parametrize("text, sub", [
    # disrupted weapons use: weapons seized, found, cached; not a territory event
    ("Police seized rifles and grenades in Dnipro.", "Disrupted weapons use"),
    ("Security forces found a weapons cache near Kharkiv.", "Disrupted weapons use"),
    ("The army confiscated ammunition and explosives at a checkpoint near Mosul.", "Disrupted weapons use"),
    ("Sappers defused a bomb near Izium.", "Disrupted weapons use"),
    # headquarters or base established
    ("Russian forces set up a new base near Melitopol.", "Headquarters or base established"),
    ("The rebels established a headquarters in the town of Bunia.", "Headquarters or base established"),
    # agreements
    ("Russia and Ukraine signed an agreement on grain exports in Istanbul.", "Agreement"),
    ("The two militias reached a ceasefire in Tripoli on Sunday.", "Agreement"),
    # chemical weapons
    ("Russian troops used chlorine against Ukrainian positions near Bakhmut.", "Chemical weapon"),
    ("Government forces dropped canisters of poison gas on the town of Douma.", "Chemical weapon"),
    # remote explosives: a bomb or a blast with no artillery word is not shelling
    ("A bomb exploded in a market in Kabul, killing five people.", "Remote explosive/landmine/IED"),
    ("An explosion killed three people in a cafe in Lagos.", "Remote explosive/landmine/IED"),
    ("Militants planted a bomb under a bus in Quetta.", "Remote explosive/landmine/IED"),
    ("A bombing at a mosque in Peshawar killed 12 worshippers.", "Remote explosive/landmine/IED"),
    # general news does not fall back to shelling: fire with no artillery named, outside a war report
    ("Gunmen fired at a minibus in Karachi, wounding five passengers.", "Attack"),
    # attack, not armed clash: one-sided violence against civilians
    ("Gunmen killed 10 villagers in Zamfara state.", "Attack"),
    ("Gunmen stormed a village in Borno, killing 20 civilians.", "Attack"),
])
def test_missing_types(text, sub):
    ev = top(text)
    assert ev is not None, text
    assert ev["acled_sub_event_type"] == sub, (text, ev["type"], ev["acled_sub_event_type"])


def test_police_seizing_rifles_is_not_territory():
    ev = top("Police seized rifles and grenades in Dnipro.")
    assert ev["type"] != "territory_gained"


@pytest.mark.parametrize("text", [
    "An explosion hit an apartment block in Kharkiv after Russian shelling overnight.",
    "An explosion damaged a school in Kharkiv.",  # a place in Ukraine: a war report
    "Residential building damaged by an explosion.",  # no place at all: the war default stands
    "Russian forces fired at Nikopol overnight.",
])
def test_in_a_war_report_the_unnamed_weapon_stays_shelling(text):
    ev = top(text)
    assert ev["acled_sub_event_type"] == "Shelling/artillery/missile attack", text


@pytest.mark.parametrize("text, sub", [
    ("Thousands protested in Nairobi on Tuesday against the tax bill. Later the protest turned violent.",
     "Violent demonstration"),
    ("Protesters clashed with police in Dhaka.", "Violent demonstration"),
    ("Hundreds rallied in Minsk against the election results. Police suppressed the rally with batons.",
     "Protest with intervention"),
    ("Students protested in Tehran on Friday. Security forces fired live rounds, killing four.",
     "Excessive force against protesters"),
    ("About 300 people protested peacefully in Tbilisi against the law.", "Peaceful protest"),
])
def test_protest_sub_type_is_decided_over_the_whole_report(text, sub):
    evs = [e for e in extract(text, published="2024-01-12").to_dict()["events"] if e["type"] == "protest"]
    assert evs and {e["acled_sub_event_type"] for e in evs} == {sub}, text


@pytest.mark.parametrize("text", [
    "Movement of tanks near Belgorod.",
    "Heavy weaponry on the move near Melitopol.",
    "Russian military hardware transported through Rechytsa by train.",
])
def test_troop_and_equipment_movements_are_a_change_to_group_activity(text):
    ev = top(text)
    assert ev is not None and ev["acled_sub_event_type"] == "Change to group/activity", text
    assert ev["targets"] == []


def test_a_civilian_shipment_is_not_a_movement():
    assert top("The company transported grain to Odesa.") is None
