"""Quotes and claims on sentences written for these tests (not taken from the seeds or the dev data)."""
from sitrep.pipeline import extract
from sitrep.quotemarks import find_legend, find_quoted


def run(text):
    return extract(text, published="2024-03-05").to_dict()


def test_marks_curly_straight_mixed_single_and_apostrophes():
    text = ("He said “We held.” She said \"We left.\" They wrote “we stayed\" and ‘We’re not leaving now’ "
            "while the soldiers’ families waited.")
    inner = [text[q.start:q.end] for q in find_quoted(text)]
    assert inner == ["We held.", "We left.", "we stayed", "We’re not leaving now"]


def test_open_ended_paragraph_is_continued_by_the_next():
    text = "The officer said: “First we lost the trucks.\n\n“Then we lost the radio.”"
    quoted = find_quoted(text)
    assert [q.open_ended for q in quoted] == [True, False]


def test_split_quote_shares_its_speaker_and_links_the_pieces():
    r = run("“We held the line for three days,” the battalion commander said. “But we lost two vehicles.”")
    quotes = r["quotes"]
    assert [q["text"] for q in quotes] == ["We held the line for three days,", "But we lost two vehicles."]
    assert all(q["speaker"] == "battalion commander" and q["speaker_role"] == "commander" for q in quotes)
    assert quotes[1]["continues"] == 0


def test_said_name_inversion_and_pronoun_resolution():
    r = run("\"The shelling did not stop all night,\" said Ivan Fedorov, the head of the Zaporizhzhia regional "
            "administration.\n\nFedorov visited the damaged school on Monday. \"Two teachers were wounded in the "
            "strike,\" he said.")
    speakers = [q["speaker"] for q in r["quotes"]]
    assert speakers == ["Ivan Fedorov", "Ivan Fedorov"]
    assert r["quotes"][0]["speaker_role"] == "official"


def test_colon_introduced_paragraph_quote_takes_the_previous_sentence_subject():
    r = run("Mayor Ihor Terekhov wrote on Telegram:\n\n“Rescuers are still working at the site of the strike.”")
    assert r["quotes"] and r["quotes"][0]["speaker"] == "Ihor Terekhov"


def test_scare_quotes_and_titles_are_not_quotes():
    r = run("Moscow calls the war a “special military operation” and speaks of “reshuffling” its troops. "
            "The film “All Quiet on the Western Front” was shown in Lviv.")
    assert r["quotes"] == []


def test_transcript_with_legend_tags():
    text = ("The recording was published with a legend.\n(S)=Russian soldier (M)=his mother\n"
            "(S): Mum, we have nothing to eat here.\n(M): Come home, son, please.\n")
    assert find_legend(text) == {"S": "Russian soldier", "M": "his mother"}
    r = run(text)
    lines = [q for q in r["quotes"] if q["kind"] == "transcript"]
    assert [q["text"] for q in lines] == ["Mum, we have nothing to eat here.", "Come home, son, please."]
    assert lines[0]["speaker_role"] == "soldier" and lines[0]["speaker_side"] == "RU"
    assert lines[1]["speaker_role"] == "relative"


def test_claims_sources_types_and_statuses():
    r = run("According to the General Staff of the Armed Forces of Ukraine, 120 Russian soldiers were killed on "
            "Monday. The Russian Defence Ministry said it had destroyed a Ukrainian ammunition depot near Kupiansk. "
            "Reuters could not independently verify the claim. Moscow denied that its forces struck the market in "
            "Kostiantynivka. Russian troops allegedly executed two prisoners near Robotyne, Ukrainian officials said.")
    claims = r["claims"]
    by_source = {c["source"]: c for c in claims}
    staff = by_source["General Staff of the Armed Forces of Ukraine"]
    assert staff["source_type"] == "ua_military" and staff["status"] == "attributed"
    assert "120 Russian soldiers were killed" in staff["content"]["text"]
    ru = next(c for c in claims if c["source_type"] == "ru_military")
    assert ru["status"] == "unverified" and "ammunition depot" in ru["content"]["text"]
    assert any(c["status"] == "denied" and "market" in c["content"]["text"] for c in claims)
    officials = next(c for c in claims if c["source"] == "Ukrainian officials")
    assert officials["status"] == "alleged" and officials["side"] == "UA"


def test_figures_and_events_inside_a_claim_take_its_source():
    r = run("According to the General Staff of the Armed Forces of Ukraine, 120 Russian soldiers were killed on "
            "Monday.")
    killed = [f for f in r["figures"] if f["kind"] == "killed" and f["value"] == 120]
    assert killed and "General Staff" in (killed[0]["claimed_by"] or "")
    assert killed[0]["status"] == "attributed"


def test_governor_of_a_ukrainian_oblast_is_a_local_official():
    r = run("Governor Oleh Syniehubov said two civilians were wounded when Russian artillery shelled Kupiansk.")
    claim = next(c for c in r["claims"] if "Syniehubov" in (c["source"] or ""))
    assert claim["source_type"] == "ua_local_official" and claim["side"] == "UA"


def test_office_named_again_by_its_title_is_the_same_person():
    r = run("Zaporizhzhia Governor Ivan Fedorov said a missile hit an industrial site. Later, the head of the "
            "Zaporizhzhia Regional Military Administration said that two workers had been wounded.")
    later = next(c for c in r["claims"] if "two workers" in c["content"]["text"])
    assert later["source"] == "Ivan Fedorov"


def test_officials_of_occupied_cities_are_russian_proxies_and_np_claims():
    r = run("The mayor of occupied Horlivka blamed Ukrainian forces for the shelling of a market. Kyiv denied "
            "the accusation.")
    mayor = next(c for c in r["claims"] if (c["source"] or "").startswith("mayor"))
    assert mayor["source_type"] == "ru_proxy_official" and mayor["side"] == "RU"
    assert "shelling of a market" in mayor["content"]["text"]
    denial = next(c for c in r["claims"] if c["cue"] == "denied")
    assert denial["status"] == "denied" and denial["side"] == "UA"


def test_doubled_apostrophes_are_double_quotes():
    text = "''There's a lot of new complexity,'' said Mr. Burman, an economist. Then 'Hello there friend' she said."
    assert [text[q.start:q.end] for q in find_quoted(text)][:1] == ["There's a lot of new complexity,"]
    r = run(text)
    assert r["quotes"][0]["speaker"] == "Burman" or r["quotes"][0]["speaker"].endswith("Burman")


def test_dash_credit_and_abbreviated_titles_name_the_speaker():
    r = run("“The war has taken everything from us.” ― Olena Kovalenko\n\n“We will rebuild,” Rep. Mark Green "
            "(R-Tenn.) said Friday.")
    assert [q["speaker"] for q in r["quotes"]] == ["Olena Kovalenko", "Mark Green"]


def test_a_quote_left_open_at_the_end_of_the_text():
    r = run('Volodymyr Zelensky says "about 30 killed and 300 wounded as of this moment\' in Kramatorsk')
    assert r["claims"] and all(c["evidence"]["end"] <= len(r["document"]["text"]) for c in r["claims"])


def test_relayed_claims_and_unnamed_officials():
    r = run("Russian troops shelled Nikopol overnight, the regional governor said, as cited by Ukrinform.")
    (claim,) = r["claims"]
    assert claim["source_type"] == "ua_local_official" and claim["relayed_by"] == ["Ukrinform"]
    assert claim["content"]["text"] == "Russian troops shelled Nikopol overnight"


def test_a_short_scare_quote_outside_an_intercept_is_no_quote():
    from sitrep.pipeline import extract
    r = extract("The minister called the plan “very bad” and left the room.").to_dict()
    assert not any(q["text"] == "very bad" for q in r["quotes"])


def test_pronoun_lists_come_from_the_lexicon_in_every_language():
    from sitrep.speakers import SpeakerResolver
    resolver = SpeakerResolver()
    assert {"he", "він", "он"} <= resolver.person_pronouns
    assert {"they", "вони", "они"} <= resolver.group_pronouns


def test_words_whose_opening_mark_was_lost_are_still_a_quote():
    from sitrep.pipeline import extract
    r = extract("The SBU released an intercepted call of a Russian soldier and his mother.\n\n"
                "We have had no bread for a week,” the soldier says.").to_dict()
    assert any(q["text"].startswith("We have had no bread") and q["from_intercept"] for q in r["quotes"])
    r = extract("ГУР оприлюднило перехоплену розмову окупанта.\n\n"
                "Хліба вже тиждень немає», – розповів він дружині.", language="uk").to_dict()
    assert any(q["text"].startswith("Хліба вже тиждень") for q in r["quotes"])


def test_a_closing_mark_without_a_speech_tag_opens_nothing():
    from sitrep.pipeline import extract
    r = extract("The band played “Yesterday” and the crowd sang along.\n\nIt was a long night” for everyone.").to_dict()
    assert not any(q["text"].startswith("It was a long night") for q in r["quotes"])
