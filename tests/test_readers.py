"""Readers: every input format becomes Articles, and bad input becomes error records naming file and line."""
import gzip
import io
import json
from pathlib import Path

import pytest

from sitrep.article import Article, ReadError
from sitrep.ingest import ReaderOptions, read_inputs

ROOT = Path(__file__).resolve().parents[1]


def read(*paths, **opts):
    return list(read_inputs([str(p) for p in paths], ReaderOptions(**opts)))


def test_txt_title_and_date_marker(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(" date 2023-03-01 Shelling hit the town of Vuhledar overnight, officials said.\n\nMore text.\n")
    (art,) = read(f)
    assert art.published == "2023-03-01"
    assert art.title is None
    g = tmp_path / "b.txt"
    g.write_text("Drone strike on Odesa port\n\nA Russian drone hit the port of Odesa on Monday.\n")
    (art,) = read(g)
    assert art.title == "Drone strike on Odesa port"
    assert art.origin == f"{g}:1"


def test_txt_section_label_is_not_the_title(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("World News\n\nMissiles hit Dnipro\n\nThree missiles hit Dnipro on Friday.\n")
    (art,) = read(f)
    assert art.title == "Missiles hit Dnipro"


def test_cp1251_decodes_with_warning_and_garbage_is_an_error(tmp_path):
    f = tmp_path / "ru.txt"
    f.write_bytes("Обстрел Харькова продолжается.".encode("cp1251"))
    (art,) = read(f)
    assert "Харькова" in art.text and art.warnings and "cp1251" in art.warnings[0]
    g = tmp_path / "bad.txt"
    g.write_bytes(b"ok line\n\x98\x98\x98 bad")
    (err,) = read(g)
    assert isinstance(err, ReadError) and err.source.startswith(str(g)) and "undecodable" in err.error


def test_jsonl_malformed_line_is_reported_with_its_line_number(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "x1", "text": "Kyiv was hit."}\n{broken\n\n{"id": "x3", "html": "<p>Hi there</p>"}\n'
                 '{"id": "x4", "title": "no body"}\n')
    items = read(f)
    assert [type(i).__name__ for i in items] == ["Article", "ReadError", "Article", "ReadError"]
    assert items[1].source == f"{f}:2" and "malformed JSON" in items[1].error
    assert items[3].source == f"{f}:5"
    assert items[2].html == "<p>Hi there</p>"


def test_json_list_and_object(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps([{"id": "a", "text": "One.", "outlet": "Reuters", "published": "2022-05-01"},
                             {"id": "b", "body": "Two."}]))
    a, b = read(f)
    assert (a.id, a.outlet, a.published, b.text) == ("a", "Reuters", "2022-05-01", "Two.")


def test_csv_autodetect_and_named_columns(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('id,headline,content,date\n1,Title one,"Body, with comma",2022-03-01\n2,T2,,2022-03-02\n')
    a, b = read(f)
    assert (a.id, a.title, a.text, a.published) == ("1", "Title one", "Body, with comma", "2022-03-01")
    assert isinstance(b, ReadError) and b.source == f"{f}:3"
    g = tmp_path / "b.tsv"
    g.write_text("first_seen_date\theadline\n2022-02-24\tZelensky says 137 soldiers killed\n")
    (h,) = read(g, text_column="headline")
    assert h.text.startswith("Zelensky") and h.published == "2022-02-24"
    (headline_only,) = read(tmp_path / "b.tsv")  # a table of headlines only: the headline is the text
    assert headline_only.text.startswith("Zelensky") and headline_only.title is None
    n = tmp_path / "c.tsv"
    n.write_text("first_seen_date\tcount\n2022-02-24\t3\n")
    (missing,) = read(n)
    assert isinstance(missing, ReadError) and "--text-column" in missing.error


def test_rss_and_atom_feeds(tmp_path):
    rss = tmp_path / "feed.rss"
    rss.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Kyiv Wire</title>
<item><title>Strike on Kharkiv</title><link>http://x/1</link><guid>g1</guid>
<pubDate>Tue, 13 Sep 2022 10:00:00 GMT</pubDate>
<description>&lt;p&gt;A missile hit Kharkiv on Tuesday, the governor said.&lt;/p&gt;</description></item>
</channel></rss>""")
    (art,) = read(rss)
    assert art.outlet == "Kyiv Wire" and art.title == "Strike on Kharkiv" and art.published.startswith("2022-09-13")
    assert "missile hit Kharkiv" in art.html
    atom = tmp_path / "feed.atom"
    atom.write_text("""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Wire</title><id>urn:x</id><updated>2022-09-13T00:00:00Z</updated>
<entry><title>E1</title><id>urn:e1</id><updated>2022-09-12T00:00:00Z</updated>
<content type="text">Plain text body about Izium.</content></entry></feed>""")
    (art,) = read(atom)
    assert art.outlet == "Atom Wire" and art.text == "Plain text body about Izium."


def test_warc_html_responses(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        html = b"<html><head><title>T</title></head><body><article><p>Drones hit Odesa.</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("http://example.org/a", "response",
                                                      payload=io.BytesIO(html), http_headers=headers))
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("http://example.org/i.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG"), http_headers=img))
    (art,) = read(path)
    assert art.url == "http://example.org/a" and b"Drones hit Odesa" in art.html.encode()


def test_telegram_export(tmp_path):
    export = {"name": "Ukraine NOW", "type": "public_channel", "id": 1234, "messages": [
        {"id": 1, "type": "service", "date": "2022-03-01T10:00:00", "text": ""},
        {"id": 2, "type": "message", "date": "2022-03-01T11:00:00",
         "text": ["Explosions in ", {"type": "bold", "text": "Kharkiv"}, " tonight."],
         "text_entities": [{"type": "plain", "text": "Explosions in "}, {"type": "bold", "text": "Kharkiv"},
                           {"type": "plain", "text": " tonight."}]},
        {"id": 3, "type": "message", "date": "2022-03-01T12:00:00", "text": "", "photo": "p.jpg"},
    ]}
    f = tmp_path / "result.json"
    f.write_text(json.dumps(export))
    (art,) = read(f)
    assert art.text == "Explosions in Kharkiv tonight." and art.outlet == "Ukraine NOW"
    assert art.published == "2022-03-01T11:00:00" and art.id == "telegram:1234:2"


def test_directories_globs_and_duplicate_ids(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.txt").write_text("Text one about Kherson.")
    (tmp_path / "y.jsonl").write_text('{"id": "x", "text": "A"}\n{"id": "x", "text": "B"}\n')
    (tmp_path / "ignored.bin").write_bytes(b"\x00")
    warnings = []
    items = list(read_inputs([str(tmp_path)], warn=warnings.append))
    assert len(items) == 3
    assert {i.id for i in items} == {"z", "x", "x~2"}
    assert warnings and "duplicate id 'x'" in warnings[0]
    assert len(read(tmp_path / "*.jsonl")) == 2
    (missing,) = read(tmp_path / "nope*.txt")
    assert isinstance(missing, ReadError)


def test_html_main_text_and_metadata(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("""<html><head><title>Strikes on Zaporizhzhia | Kyiv Wire</title>
<meta property="og:site_name" content="Kyiv Wire"><meta name="date" content="2023-06-01"></head><body>
<nav>Home | World | Subscribe</nav><article><h1>Strikes on Zaporizhzhia</h1>
<p>Russian forces shelled Zaporizhzhia on Thursday, killing two people, the regional governor said.</p>
<p>Ukraine's air force said it shot down four drones over the region overnight.</p></article>
<footer>Copyright 2023</footer></body></html>""")
    (art,) = read(f)
    from sitrep.ingest.html import html_to_text

    text, meta = html_to_text(art.html)
    assert "shelled Zaporizhzhia" in text and "Copyright" not in text
    assert meta["sitename"] == "Kyiv Wire" and meta["date"] == "2023-06-01"


# ---- encodings: Cyrillic sources as they are really sent -------------------------------------------------------
UK = "Сили оборони звільнили село на Харківщині. Їхні підрозділи відбили атаку, повідомив Генштаб ЗСУ.\n"
RU = "Обстрел Харькова продолжается: погибли двое мирных жителей, сообщил губернатор области.\n"


@pytest.mark.parametrize("encoding, name, bom", [
    ("utf-8", None, False), ("utf-8-sig", "utf-8", True),
    ("utf-16", "utf-16-le", True), ("utf-16-le", "utf-16-le", False), ("utf-16-be", "utf-16-be", False),
    ("utf-32", "utf-32-le", True), ("utf-32-le", "utf-32-le", False), ("utf-32-be", "utf-32-be", False),
    ("cp1251", "cp1251", False), ("koi8-r", "koi8-r", False), ("koi8-u", "koi8-u", False),
])
@pytest.mark.parametrize("sentence", [UK, RU], ids=["uk", "ru"])
def test_every_encoding_reads_back_the_same_text(tmp_path, encoding, name, bom, sentence):
    try:
        raw = sentence.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{encoding} cannot hold this sentence")  # KOI8-R has no Ukrainian і, ї, є
    if encoding == "koi8-u" and sentence == RU:
        name = "koi8-r"  # Russian-only text reads the same in both KOI8 pages: the older name is reported
    f = tmp_path / "a.txt"
    f.write_bytes(raw)
    (art,) = read(f)
    assert art.text == sentence
    enc = art.meta.get("encoding")
    if name is None or (name == "utf-8" and bom):
        assert enc is None  # plain UTF-8 (BOM or not) is certain and needs no note
        return
    assert enc["name"] == name and enc["bom"] is bom
    if not bom:  # a guess: it says how sure it is and the command line is told
        assert 0 < enc["confidence"] < 1 and art.warnings and name in art.warnings[0]


def test_an_uncertain_guess_lists_its_alternatives(tmp_path):
    f = tmp_path / "short.txt"
    f.write_bytes("Cafe \u0439 ok".encode("cp1251"))  # one high byte: a letter in several code pages
    (art,) = read(f)
    enc = art.meta["encoding"]
    assert enc["confidence"] < 0.8 and enc["alternatives"] and "uncertain" in art.warnings[0]


def _as_browser_cp1252(text: str) -> str:
    """UTF-8 bytes shown as Windows-1252 the way browsers do it (undefined bytes kept as C1 controls)."""
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                   for b in text.encode("utf-8"))


@pytest.mark.parametrize("misread", ["cp1251", "cp1252"])
def test_mojibake_is_repaired_and_recorded(tmp_path, misread):
    good = "Заголовок: " + UK
    garbled = good.encode("utf-8").decode("cp1251") if misread == "cp1251" else _as_browser_cp1252(good)
    assert garbled != good
    f = tmp_path / "m.txt"
    f.write_text(garbled, encoding="utf-8")
    (art,) = read(f)
    assert art.text == good
    assert art.meta["encoding"]["mojibake_repaired"]["misread_as"] == misread
    assert any("mojibake" in w for w in art.warnings)


def test_mojibake_inside_good_cyrillic_is_repaired_run_by_run_and_real_words_are_left(tmp_path):
    f = tmp_path / "mix.txt"
    words = "ВІЙНА ЗІ СХОДУ. РІК тому Херсон"
    f.write_text(words + " і " + "Київ".encode("utf-8").decode("cp1251") + " атакували.", encoding="utf-8")
    (art,) = read(f)
    assert art.text == words + " і Київ атакували."
    assert art.meta["encoding"]["mojibake_repaired"]["runs"] == 1


def test_mojibake_that_lost_bytes_is_left_and_flagged(tmp_path):
    lossy = RU.encode("utf-8").decode("cp1252", errors="replace")  # 'с' (D1 81) became U+FFFD: not reversible
    f = tmp_path / "lossy.txt"
    f.write_text(lossy, encoding="utf-8")
    (art,) = read(f)
    assert "\ufffd" in art.text and art.meta["encoding"]["mojibake_left"] >= 3
    assert any("cannot be reversed" in w for w in art.warnings)


def test_english_and_latin1_text_is_not_touched(tmp_path):
    f = tmp_path / "en.txt"
    f.write_text("Müller told the café owner: the ВСУ report — 5 km — was checked.", encoding="utf-8")
    (art,) = read(f)
    assert art.text.startswith("Müller") and "ВСУ" in art.text and not art.meta
    g = tmp_path / "latin1.txt"
    g.write_bytes("Müller said the café in Kramatorsk was hit.".encode("cp1252"))
    (art,) = read(g)
    assert art.text == "Müller said the café in Kramatorsk was hit." and art.meta["encoding"]["name"] == "cp1252"


def test_declared_charset_of_html_and_every_reader_decodes(tmp_path):
    h = tmp_path / "page.html"
    h.write_bytes(('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
                   f"<body><article><p>{RU}</p></article></body></html>").encode("cp1251"))
    (art,) = read(h)
    assert RU.strip() in art.html and art.meta["encoding"]["name"] == "cp1251"
    c = tmp_path / "t.csv"
    c.write_bytes(f"id,text\nr1,\"{RU.strip()}\"\n".encode("utf-16"))
    (row,) = read(c)
    assert row.text == RU.strip() and row.meta["encoding"]["name"] == "utf-16-le"
    j = tmp_path / "a.jsonl"
    j.write_bytes(json.dumps({"id": "u1", "text": UK}, ensure_ascii=False).encode("koi8-u") + b"\n")
    (obj,) = read(j)
    assert obj.text == UK and obj.meta["encoding"]["name"] == "koi8-u"


# ---- Telegram Desktop exports ----------------------------------------------------------------------------------
TG = ROOT / "tests" / "fixtures" / "telegram"


def test_telegram_json_export_is_complete():
    read_back = read(TG / "result.json")
    # the bare voice message (5) whose recording the export left out is an error record naming it, not lost
    errors = [i for i in read_back if not isinstance(i, Article)]
    assert len(errors) == 1 and errors[0].source.endswith("#message5") and "recording" in errors[0].error
    items = [i for i in read_back if isinstance(i, Article)]
    by_id = {i.meta["telegram"]["message_id"]: i for i in items}
    assert sorted(by_id) == [2, 3, 4, 6, 8, 9]  # services (1, 7) are not documents
    assert "recording_missing" in by_id[8].meta["telegram"]  # a video with a caption: text read, absence noted
    first = by_id[2]
    assert first.outlet == "Вісті Півдня (тест)" and first.id == "telegram:1700000001:2"
    assert first.text.startswith("Вранці російські війська обстріляли Херсон з артилерії.")
    assert "#Херсон\nДеталі" in first.text  # entities flattened to their visible text
    link = first.meta["telegram"]["links"][0]
    assert link["url"] == "https://example.org/kherson-shelling" and first.text[link["start"]:link["end"]] == "Деталі"
    assert first.meta["telegram"]["hashtags"] == ["#Херсон"]
    assert first.published == "2024-06-03T05:15:00+00:00"  # UTC from date_unixtime, not the exporter's clock
    # no username in the export: Telegram's internal-id link, said so
    assert first.url == "https://t.me/c/1700000001/2" and first.meta["telegram"]["url_kind"] == "private_link"
    assert first.language == "uk" and by_id[3].language == "ru" and by_id[4].language == "en"
    fwd = by_id[3].meta
    assert fwd["telegram"]["forwarded_from"] == "Северный вестник (тест)"
    assert fwd["telegram"]["forwarded_from_id"] == "channel1600000002" and fwd["source_outlet"] == "Северный вестник (тест)"
    assert fwd["telegram"]["edited"] == "2024-06-03T07:00:00+00:00"
    assert "source_outlet" not in by_id[2].meta
    assert by_id[4].meta["telegram"]["media_type"] == "photo" and by_id[4].text.startswith("Firefighters")
    assert by_id[6].meta["telegram"]["reply_to_message_id"] == 2
    assert by_id[6].meta["telegram"]["mentions"] == ["@pivden_news_test"]
    assert by_id[8].meta["telegram"]["media_type"] == "video" and by_id[8].published.startswith("2024-06-03T22:30")
    assert by_id[9].meta["telegram"]["media_type"] == "document" and by_id[9].meta["telegram"]["author"] == "Олена К."


def test_telegram_public_username_gives_the_post_url():
    items = read(TG / "result.json", telegram_usernames={"1700000001": "pivden_test"})
    assert items[0].url == "https://t.me/pivden_test/2" and items[0].meta["telegram"]["url_kind"] == "public"
    other = read(TG / "result.json", telegram_usernames={"Another channel": "x"})
    assert other[0].url.startswith("https://t.me/c/")


def test_telegram_html_export_gives_the_same_fields():
    items = read(TG / "messages.html", telegram_usernames={"Северный вестник (тест)": "severny_test"})
    by_id = {i.meta["telegram"]["message_id"]: i for i in items}
    assert sorted(by_id) == [41, 42, 43, 44]  # service divs and the bare voice message are not documents
    first = by_id[41]
    assert first.outlet == "Северный вестник (тест)" and first.url == "https://t.me/severny_test/41"
    assert first.published == "2024-06-03T09:10:00+03:00" and first.language == "ru"
    assert "атаковали Харьков, ранены три человека.\nПо словам мэра" in first.text
    assert first.meta["telegram"]["hashtags"] == ["#Харьков"]
    link = first.meta["telegram"]["links"][0]
    assert link["url"] == "https://example.org/kharkiv-drones" and first.text[link["start"]:link["end"]] == "Подробнее"
    assert by_id[42].meta["telegram"]["media_type"] == "photo" and by_id[42].text == "Последствия атаки на Харьков."
    assert by_id[43].meta["source_outlet"] == "Вісті Півдня (тест)" and by_id[43].language == "uk"
    assert by_id[44].meta["telegram"]["reply_to_message_id"] == 41


def test_telegram_whole_account_export_and_bad_messages(tmp_path):
    chat = {"name": "Chan", "type": "public_channel", "id": 5, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "text": "Shelling of Nikopol overnight."},
        "not a message", {"type": "message", "text": "no id"}]}
    f = tmp_path / "result.json"
    f.write_text(json.dumps({"about": "export", "chats": {"about": "", "list": [chat, {"name": "Empty", "messages": []}]}}))
    items = read(f)
    assert [type(i).__name__ for i in items] == ["Article", "ReadError", "ReadError"]
    assert items[0].text == "Shelling of Nikopol overnight." and items[1].source.startswith(f"{f}#chat0/")


def test_telegram_channel_option_parsing():
    from sitrep.ingest import parse_telegram_channels

    assert parse_telegram_channels(["Вісті Півдня=@pivden", "https://t.me/all_of_them"]) == \
        {"Вісті Півдня": "pivden", "*": "all_of_them"}
    with pytest.raises(ValueError):
        parse_telegram_channels(["name=two words"])
