"""Figures and entities on sentences written for these tests (not the seeds)."""
import pytest

from sitrep.pipeline import extract


@pytest.fixture(scope="module")
def figures_of():
    def run(text, **meta):
        return [f for f in extract(text, **meta).figures]
    return run


def one(figs, kind):
    found = [f for f in figs if f.kind == kind]
    assert len(found) == 1, [(f.kind, f.value) for f in figs]
    return found[0]


def test_killed_wounded_with_attribution(figures_of):
    figs = figures_of("At least 12 civilians were killed and 64 wounded when a missile hit Kramatorsk station, "
                      "the regional governor said.")
    killed = one(figs, "killed")
    assert (killed.value, killed.approximate, killed.side, killed.status) == (12, True, "civilian", "attributed")
    assert one(figs, "wounded").value == 64
    assert killed.evidence.text.startswith("At least 12 civilians")


def test_vague_quantities_follow_acled(figures_of):
    figs = figures_of("Dozens of Russian soldiers were killed in the assault.")
    f = one(figs, "killed")
    assert (f.value, f.approximate, f.side) == (12, True, "RU")
    assert figures_of("Hundreds of residents fled the shelling.") == [] or \
        all(f.kind != "killed" for f in figures_of("Hundreds of residents fled the shelling."))


def test_ranges_percent_money_equipment(figures_of):
    figs = figures_of("Between 10 and 15 Ukrainian troops were captured. The brigade lost 40 percent of its tanks. "
                      "Kyiv received $1.2 billion in aid. Air defences shot down 18 Shahed drones.")
    captured = one(figs, "captured")
    assert (captured.low, captured.high, captured.value, captured.side) == (10, 15, 10, "UA")
    assert one(figs, "percent_lost").value == 40
    money = one(figs, "money")
    assert money.value == 1_200_000_000 and money.currency == "USD"
    assert one(figs, "equipment").value == 18


def test_dates_ages_durations_are_not_figures(figures_of):
    figs = figures_of("On March 3, 2022, a 45-year-old man walked 20 km. Five months into the war, in 2022, "
                      "the 93rd Mechanized Brigade moved 3 times.")
    assert figs == []


def test_remaining_with_first_person_takes_the_speakers_side(figures_of):
    figs = figures_of("A Ukrainian marine described the battle. \"Only four of us are left,\" he said.")
    f = one(figs, "remaining")
    assert (f.value, f.side) == (4, "UA")


def test_entities_units_agencies_people_roles():
    r = extract("Ukraine's 47th Mechanized Brigade and the Russian 76th Guards Air Assault Division clashed near "
                "Avdiivka, Ukraine's SBU security service and the General Staff said. Kharkiv Governor Oleh "
                "Syniehubov said the Wagner Group withdrew. Ivan Petrov, a Russian conscript, told reporters "
                "he wanted to go home. Sea of Azov ports were closed.")
    by_text = {e.text: e for e in r.entities}
    assert by_text["47th Mechanized Brigade"].side == "UA"
    assert by_text["47th Mechanized Brigade"].canonical == "47th Separate Mechanized Brigade"
    assert by_text["76th Guards Air Assault Division"].side == "RU"
    assert any(e.canonical == "Security Service of Ukraine (SBU)" for e in r.entities)
    assert any(e.canonical == "General Staff of the Armed Forces of Ukraine" for e in r.entities)
    assert any(e.canonical == "Wagner Group" and e.side == "RU" for e in r.entities)
    assert not any(e.canonical == "Azov" for e in r.entities)
    petrov = by_text["Ivan Petrov"]
    assert petrov.side == "RU" and "conscript" in petrov.role
    assert by_text["Oleh Syniehubov"].side == "UA"


def test_generic_numbered_formation_side_from_its_words():
    r = extract("The 150th Motor Rifle Division attacked positions held by the 110th Separate Mechanized Brigade.")
    units = {e.canonical: e.side for e in r.entities if e.type == "military_unit"}
    assert units == {"150th Motor Rifle Division": "RU", "110th Separate Mechanized Brigade": "UA"}
