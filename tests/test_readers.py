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
