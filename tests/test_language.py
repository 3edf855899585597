"""Language detection: Ukrainian vs Russian on more than the four Ukrainian letters, names quoted across the
two languages, short Telegram-style messages, other Cyrillic languages, English."""
import pytest

from sitrep.language import detect, guess_language


@pytest.mark.parametrize("text,lang", [
    # Russian text naming Ukrainian people and places in Ukrainian spelling stays Russian
    ("Глава Харьковской области Олег Синєгубов сообщил, что в Ізюмі снова был обстрел.", "ru"),
    ("По словам Віталія Кіма, ночью над Николаевом сбили три беспилотника.", "ru"),
    # Ukrainian text naming Russian people in Russian spelling stays Ukrainian
    ("Речник Кремля Дмитрий Песков заявив, що переговорів не буде.", "uk"),
    # no і/ї/є/ґ at all, Ukrainian by its words
    ("Ворог атакував Харків уночі, та наші захисники відбили атаку.", "uk"),
    ("Вони кажуть, що все буде добре, але ми не віримо.", "uk"),
    # short messages
    ("Вибухи в Одесі", "uk"),
    ("Взрывы в Одессе", "ru"),
    ("Тривога! Всі в укриття", "uk"),
    ("Тревога, все в укрытие", "ru"),
    # other Cyrillic languages are not mistaken for Russian
    ("Мы пайшлі дадому, бо ўсё скончылася ўвечары і ўсе стаміліся.", "be"),
    ("Ја сам рекао да ћемо доћи сутра, али није било љубави ни његовог њихања.", "sr"),
    # English
    ("The governor said that two people were killed in the shelling of the city.", "en"),
])
def test_guess_language(text, lang):
    assert guess_language(text) == lang


def test_mixed_post_takes_the_language_of_most_of_it():
    text = ("Повідомляють про вибухи у Херсоні. Ворог знову обстрілює житлові квартали, є поранені.\n"
            "Сообщают о взрывах.")
    guess = detect(text)
    assert guess.language == "uk"
    assert 0.5 < guess.confidence <= 1.0
    assert guess.alternatives and guess.alternatives[0][0] == "ru"


def test_no_evidence_is_said_so():
    guess = detect("Бахмут Покровськ")  # two names, no letter or word that only one language has
    assert guess.language == "ru" and guess.confidence == 0.5  # a coin toss, flagged as one
    assert guess_language("12345 !!!") is None
