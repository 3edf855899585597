"""Lexicons per language: lexicons/<lang>/<file> merged into the base file, one matcher for all languages."""
import pytest

from sitrep.actors import lexicon
from sitrep.lexicon import load_csv, load_yaml, merge


def test_merge_adds_and_never_replaces():
    base = {"verbs": ["say"], "kinds": {"killed": ["kill"]}, "rx": "a|b", "n": {"one": 1},
            "actors": [{"canonical": "SBU", "side": "UA", "aliases": ["SBU"]}]}
    extra = {"verbs": ["сказать", "say"], "kinds": {"killed": ["погибнуть"], "wounded": ["ранить"]}, "rx": "в|г",
             "n": {"один": 1}, "actors": [{"canonical": "SBU", "aliases": ["СБУ"]}, {"canonical": "ДСНС", "side": "UA"}]}
    out = merge(base, extra)
    assert out["verbs"] == ["say", "сказать"]
    assert out["kinds"] == {"killed": ["kill", "погибнуть"], "wounded": ["ранить"]}
    assert out["rx"] == "(?:a|b)|(?:в|г)"
    assert out["n"] == {"one": 1, "один": 1}
    assert out["actors"][0] == {"canonical": "SBU", "side": "UA", "aliases": ["SBU", "СБУ"]}
    assert out["actors"][1]["canonical"] == "ДСНС"
    assert base["verbs"] == ["say"]  # inputs untouched


def test_merge_refuses_conflicting_values():
    with pytest.raises(TypeError):
        merge({"n": {"one": 1}}, {"n": {"one": 2}})
    with pytest.raises(TypeError):
        merge({"verbs": ["say"]}, {"verbs": {"say": 1}})


def test_shipped_lexicons_carry_all_three_languages():
    attribution = load_yaml("attribution.yaml")
    assert {"say", "заявить", "заявити"} <= set(attribution["reporting_verbs"])
    assert "не вдалося незалежно перевірити" in attribution["unverified"]
    assert "по словам" in attribution["according_to"] and "за даними" in attribution["according_to"]
    # one language only, on request
    assert "заявити" not in load_yaml("attribution.yaml", "ru")["reporting_verbs"]
    events = load_yaml("events.yaml")
    cues = {c for group in events["triggers"]["air_defence"] for c in group["cues"]}
    assert {"shoot down", "сбить", "збити"} <= cues


def test_actor_aliases_in_cyrillic_resolve_to_the_english_canonical():
    lex = lexicon()
    assert lex.actor("СБУ").canonical == "Security Service of Ukraine (SBU)"
    assert lex.actor("ГУР МО").canonical == "Main Intelligence Directorate of Ukraine (HUR)"
    assert lex.actor("ЧВК «Вагнер»").canonical == "Wagner Group"
    assert lex.actor("Генштабу ЗСУ").side == "UA"
    assert lex.side_of_words("російські окупанти") == "RU" and lex.side_of_words("украинские военные") == "UA"


def test_csv_language_files_must_share_the_header(tmp_path, monkeypatch):
    import sitrep.lexicon as lx

    (tmp_path / "uk").mkdir()
    (tmp_path / "t.csv").write_text("# source\nname,lat\nKyiv,50.4\n", encoding="utf-8")
    (tmp_path / "uk" / "t.csv").write_text("name,lat\nКиїв,50.4\n", encoding="utf-8")
    monkeypatch.setattr(lx, "LEXICON_DIR", tmp_path)
    lx.load_csv.cache_clear()
    try:
        assert [r["name"] for r in lx.load_csv("t.csv")] == ["Kyiv", "Київ"]
        (tmp_path / "uk" / "t.csv").write_text("title,lat\nКиїв,50.4\n", encoding="utf-8")
        lx.load_csv.cache_clear()
        with pytest.raises(ValueError, match="header"):
            lx.load_csv("t.csv")
    finally:
        monkeypatch.undo()
        lx.load_csv.cache_clear()
    assert load_csv("oblasts.csv")  # the real files load again
