"""Cleaning: boilerplate out and kept verbatim, body text untouched. Texts here are not the seeds."""
from sitrep.clean import clean

GUARDIAN_STYLE = """Russia-Ukraine war

Ukrainian forces repelled an attack near Avdiivka on Sunday, the general staff said.
Ukrainian servicemen fire a howitzer near Bakhmut. Photograph: Libkos/AP
Sign up to First Edition, our free daily newsletter – every weekday morning at 7am
Privacy Notice: Newsletters may contain info about charities, online ads, and content funded by outside parties.
after newsletter promotion
The regional governor said three civilians were wounded in the shelling of Kherson.
Diesen Beitrag auf Instagram ansehen
Related: Zelenskiy fires top commander in shake-up
Residents said the sign-up for evacuation buses opened on Monday, and photographers documented the damage.
"""


def test_guardian_style_boilerplate_is_removed_and_kept():
    text, removed = clean(GUARDIAN_STYLE)
    assert "repelled an attack near Avdiivka" in text
    assert "three civilians were wounded" in text
    assert "sign-up for evacuation buses" in text  # ordinary prose mentioning sign-up stays
    for line in ("Russia-Ukraine war", "Photograph: Libkos/AP", "Sign up to First Edition", "Privacy Notice",
                 "after newsletter promotion", "Diesen Beitrag auf Instagram ansehen", "Related: Zelenskiy"):
        assert any(line in r for r in removed), line
        assert line not in text


def test_caption_printed_twice_and_agency_credit():
    raw = ("Firefighters work at the site of a missile strike in Dnipro\n"
           "Firefighters work at the site of a missile strike in Dnipro REUTERS / VALENTYN OGIRENKO\n\n"
           "A Russian missile struck an apartment block in Dnipro on Saturday, killing 40 people.\n"
           "Ukrainian State Emergency Service via AP\n")
    text, removed = clean(raw)
    assert text == "A Russian missile struck an apartment block in Dnipro on Saturday, killing 40 people."
    assert len(removed) == 3


def test_teaser_tags_and_title_case_teasers_between_paragraphs():
    raw = ("Russian forces pressed their assault on Vuhledar.\n\n"
           "Moscow Says Ukrainian Drones Hit Oil Depot in Bryansk Region\n\n"
           "The Kremlin said talks were not on the agenda.\n"
           "Putin's army in chaos as generals row [REVEAL]\n\n"
           "Officials said the attack began at dawn.\n\nThe fighting continued into the night.\n")
    text, removed = clean(raw)
    assert "Moscow Says Ukrainian Drones" not in text and "[REVEAL]" not in text
    assert "The Kremlin said talks were not on the agenda." in text
    assert len(removed) == 2


def test_single_headline_is_never_removed():
    text, removed = clean("Zelensky Says Ukrainian Forces Retook Five Villages Near Kharkiv")
    assert text and removed == []


def test_whitespace_normalised_and_paragraphs_kept():
    text, _ = clean("First   paragraph.\r\n\r\n\r\n\r\nSecond paragraph.  \n")
    assert text == "First paragraph.\n\nSecond paragraph."


def test_credit_labels_need_a_credit_not_a_headline():
    from sitrep.clean import rules

    r = rules()
    for credit in ("Photo: Genya Savilov/AFP via Getty Images", "Image: State Emergency Service of Ukraine",
                   "Video: Reuters", "Ruins of a school in Zhytomyr. Photograph: Efrem Lukatsky/AP"):
        assert r.category(credit) in {"credit", "caption"}, credit
    for headline in ("Photos: Rescuers search the rubble of an apartment block in Dnipro",
                     "In pictures: life returns to the streets of liberated Kherson",
                     "Video: drone footage shows the aftermath of the strike on Odesa port"):
        assert r.category(headline) is None, headline


def test_a_text_that_is_only_its_title_keeps_it():
    text, removed = clean("Russian forces shelled Kharkiv overnight", title="Russian forces shelled Kharkiv overnight")
    assert text.strip() == "Russian forces shelled Kharkiv overnight" and removed == []
    text, _ = clean("Shelling in Kharkiv\n\nTwo people were wounded.", title="Shelling in Kharkiv")
    assert text.strip() == "Two people were wounded."


def test_a_headline_printed_twice_keeps_one_copy_and_a_caption_printed_twice_none():
    text = ("Soldiers Complain Of Hunger In Call Released By Intelligence\n\n"
            "Soldiers Complain Of Hunger In Call Released By Intelligence\n\n"
            "Ukraine's intelligence published a call in which a soldier tells his wife they have not eaten for days.\n\n"
            "A burnt-out tank near the village road\n"
            "A burnt-out tank near the village road Photo: Reuters\n\n"
            "The recording could not be verified independently.")
    cleaned, removed = clean(text)
    assert cleaned.count("Soldiers Complain Of Hunger") == 1 and cleaned.startswith("Soldiers Complain")
    assert "burnt-out tank" not in cleaned and len([r for r in removed if "burnt-out" in r]) == 2
