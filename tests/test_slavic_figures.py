"""Russian and Ukrainian figures, places and claims: number words in their case forms, what a number counts, ages
and subsets, one victim without a number; places the gazetteer holds in another form; "Про це повідомив X".
Sentences written for these tests."""
from types import SimpleNamespace

import pytest

from sitrep.pipeline import extract


@pytest.fixture(scope="module")
def pipeline():
    return SimpleNamespace(extract=extract)


def _figures(pipeline, text):
    res = pipeline.extract(text)
    return res, [(f.kind, f.value) for f in res.figures]


def test_collective_and_inflected_number_words(pipeline):
    _, figs = _figures(pipeline, "Унаслідок удару загинули п'ятеро людей, ще двох чоловіків госпіталізували.")
    assert ("killed", 5) in figs
    _, figs = _figures(pipeline, "Під час обстрілу загинули двадцять троє мешканців села.")
    assert ("killed", 23) in figs
    _, figs = _figures(pipeline, "В результате атаки погибли пятеро мирных жителей, ранены трое.")
    assert ("killed", 5) in figs and ("wounded", 3) in figs


def test_cue_beside_the_number_wins(pipeline):
    res, figs = _figures(pipeline, "Губернатор сообщил: при ударе по городу погибли двое, трое ранены.")
    assert ("killed", 2) in figs and ("wounded", 3) in figs
    assert ("killed", 3) not in figs
    _, figs = _figures(pipeline, "Внаслідок обстрілу – 3 загиблих і 6 поранених.")
    assert ("killed", 3) in figs and ("wounded", 6) in figs


def test_casualty_cues_count_people_not_things(pipeline):
    _, figs = _figures(pipeline, "Пострадали 14 жилых домов и девять автомобилей.")
    assert not any(kind in ("killed", "wounded") for kind, _ in figs)
    _, figs = _figures(pipeline, "За сутки уничтожено 15 военнослужащих и 4 танка.")
    assert ("killed", 15) in figs and ("equipment", 4) in figs


def test_ages_and_years_of_birth_are_not_counts(pipeline):
    _, figs = _figures(pipeline, "Загинули двоє чоловіків 47 і 52 років, поранено 12-річного хлопчика.")
    assert ("killed", 2) in figs
    assert not any(value in (47, 52, 12) for _, value in figs)
    _, figs = _figures(pipeline, "Погибли четверо мужчин от 36 до 86 лет.")
    assert figs == [("killed", 4)]


def test_subset_is_part_of_the_count_before(pipeline):
    res, _ = _figures(pipeline, "Загинули семеро людей, серед них двоє дітей.")
    total = next(f for f in res.figures if f.value == 7)
    part = next(f for f in res.figures if f.value == 2)
    assert total.kind == part.kind == "killed"
    assert part.part_of == res.figures.index(total)
    assert getattr(total, "part_of", None) is None


def test_one_victim_without_a_number(pipeline):
    res, figs = _figures(pipeline, "Вранці окупанти обстріляли Херсон. Загинула 64-річна жінка.")
    assert ("killed", 1) in figs
    one = next(f for f in res.figures if f.kind == "killed")
    assert one.implied and one.text == "жінка"
    _, figs = _figures(pipeline, "Мужчина скончался на месте, еще двое ранены.")
    assert ("killed", 1) in figs and ("wounded", 2) in figs
    _, figs = _figures(pipeline, "Загинули двоє чоловіків.")
    assert ("killed", 1) not in figs  # plural verb: the count is written


def test_english_comma_after_a_count(pipeline):
    _, figs = _figures(pipeline, "Officials said 5, not 7, civilians were killed in the strike.")
    assert ("other", 5) in figs or ("killed", 5) in figs


def test_russian_city_held_in_latin_is_found_inflected(pipeline):
    res = pipeline.extract("Ракетный удар по Шебекину и Белгороду привел к гибели двух человек.")
    names = {p.name for p in res.places}
    assert {"Shebekino", "Belgorod"} <= names


def test_two_word_name_written_the_russian_way(pipeline):
    res = pipeline.extract("Бои шли в районе населенных пунктов Желанное Первое и Курдюмовка.")
    place = next(p for p in res.places if p.text.startswith("Желанное"))
    assert place.text == "Желанное Первое" and place.name == "Zhelanne Pershe"


def test_republic_is_its_oblast_and_republic_is_no_village(pipeline):
    res = pipeline.extract("Пять мирных жителей Донецкой Народной Республики погибли при обстреле.")
    assert [p.name for p in res.places] == ["Donetsk Oblast"]


def test_first_name_is_no_village(pipeline):
    res = pipeline.extract("Ворог обстріляв Вовчанськ. Про це повідомив голова ОВА Олег Синєгубов.")
    assert "Oleh" not in {p.name for p in res.places}
    assert any(e.canonical == "Oleh Syniehubov" for e in res.entities)


def test_about_this_reports_the_sentence_before(pipeline):
    res = pipeline.extract("Ворог масовано обстрілював прикордонні села Харківщини.\n"
                           "Про це повідомив у телеграм-каналі голова ОВА Олег Синєгубов.")
    claim = next(c for c in res.claims if c.source == "Oleh Syniehubov")
    assert claim.content.text.startswith("Ворог масовано обстрілював")
    res = pipeline.extract("Российские военные отразили две атаки ВСУ под Купянском. Об этом сообщили в Минобороны "
                           "России.")
    claim = next(c for c in res.claims if c.source == "Ministry of Defense of the Russian Federation")
    assert claim.content.text.startswith("Российские военные отразили")


def test_subjectless_report_after_a_comma(pipeline):
    res = pipeline.extract("Российские военные отразили атаку украинских сил у Купянска, сообщили в Минобороны России.")
    claim = next(c for c in res.claims if c.source == "Ministry of Defense of the Russian Federation")
    assert claim.content.text.startswith("Российские военные отразили атаку")


def test_decimal_comma_before_a_multiplier(pipeline):
    res, _ = _figures(pipeline, "Оккупанты потеряли 2,3 тысячи военных за неделю.")
    assert any(f.value == 2300 for f in res.figures)
    res, _ = _figures(pipeline, "The army lost 12,500 soldiers.")
    assert any(f.value == 12500 for f in res.figures)


def test_axis_adjective_names_the_city(pipeline):
    res = pipeline.extract("На Покровському напрямку ворог намагався прорвати оборону біля Лисівки.")
    axis = next(p for p in res.places if p.text == "Покровському")
    assert axis.name == "Pokrovsk"
