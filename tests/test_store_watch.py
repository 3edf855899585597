"""`sitrep watch` against feeds served on 127.0.0.1: new items ingested, bad feeds survived, clean stop on SIGTERM."""
from __future__ import annotations

import functools
import http.server
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ITEMS = [
    ("Drones over Odesa", "Russian drones struck port infrastructure in Odesa on Saturday, the Ukrainian Air Force said."),
    ("Shelling in Kherson", "Russian artillery shelled Kherson on Sunday, killing two civilians, the regional governor said."),
    ("Strike on Kharkiv", "A Russian missile hit a warehouse in Kharkiv on Monday, the mayor Ihor Terekhov said."),
]


def rss(items) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>http://news.test/{i}</link><guid>news-{i}</guid>"
        f"<pubDate>Sat, 0{i + 1} Jun 2024 10:00:00 GMT</pubDate><description>{body}</description></item>"
        for i, (t, body) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local Test News</title>'
            f"<link>http://news.test/</link><description>test</description>{entries}</channel></rss>")


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "feed.xml").write_text(rss(ITEMS[:2]))
    (root / "garbage.xml").write_bytes(b"\x00\x01 this is not a feed <<<")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def pipeline():
    from sitrep.pipeline import Pipeline

    return Pipeline()


def test_watch_ingests_new_items_and_survives_bad_feeds(server, tmp_path, pipeline):
    from sitrep.store import open_store
    from sitrep.store.queries import stats
    from sitrep.store.watch import Watcher

    root, base = server
    folder = tmp_path / "drop"
    folder.mkdir()
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    logs: list[str] = []
    sources = [f"{base}/feed.xml", f"{base}/garbage.xml", f"{base}/missing.xml", str(folder)]
    watcher = Watcher(store, sources, interval=0.05, log=logs.append, results=pipeline.run)
    watcher.run(max_rounds=2)
    assert stats(store)["documents"] == 2
    assert watcher.failures[f"{base}/garbage.xml"] >= 1 and watcher.failures[f"{base}/missing.xml"] >= 1
    assert any("missing.xml: failed" in line and "404" in line for line in logs)

    # new items appear in the feed and in the folder; the down feeds keep backing off
    (root / "feed.xml").write_text(rss(ITEMS))
    (folder / "note.txt").write_text("Kyiv attack\n\nRussian missiles hit Kyiv overnight, the city administration said.")
    watcher.run(max_rounds=3)
    assert stats(store)["documents"] == 4
    assert watcher.totals["stored"] == 4
    assert watcher.next_round[f"{base}/missing.xml"] > 1  # backoff: not retried every round
    from sitrep.store.check import check

    assert check(store) == []
    store.close()


def test_watch_stops_cleanly_on_sigterm(server, tmp_path):
    _, base = server
    db = f"sqlite:///{tmp_path / 'w.db'}"
    proc = subprocess.Popen([sys.executable, "-m", "sitrep", "watch", f"{base}/feed.xml", "--db", db, "--every", "1h"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []

    def reader():
        for line in proc.stderr:
            lines.append(line)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any("feed.xml:" in line for line in lines):
        time.sleep(0.1)
    assert any("2 stored" in line for line in lines), lines
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    t.join(timeout=5)
    assert any("watch stopped after 1 round" in line for line in lines), lines


def test_interval_parsing():
    from sitrep.store.watch import parse_interval

    assert parse_interval("15m") == 900 and parse_interval("30s") == 30 and parse_interval("2h") == 7200
    with pytest.raises(ValueError):
        parse_interval("soon")


# ---- Telegram export folders -----------------------------------------------------------------------------------
import json  # noqa: E402

OBLAST = {"name": "Kherson Region Admin (test)", "type": "public_channel", "id": 1800000001}
DIGEST = {"name": "Front Digest (test)", "type": "public_channel", "id": 1800000002}


def tg_message(mid: int, unixtime: int, text: str, **extra) -> dict:
    day = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(unixtime))
    return {"id": mid, "type": "message", "date": day, "date_unixtime": str(unixtime), "text": text,
            "text_entities": [{"type": "plain", "text": text}], **extra}


def write_export(folder: Path, chat: dict, messages: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "result.json"
    path.write_text(json.dumps({**chat, "messages": messages}, ensure_ascii=False), encoding="utf-8")
    return path


MONDAY = 1717405200  # 2024-06-03 09:00 UTC
SHELLING = "Russian artillery shelled Kherson on Monday morning, killing two civilians, the regional governor said."
UPDATE = "Two civilians were killed when Russian forces shelled a market in Kherson on Monday, the governor said."
NIKOPOL = "Russian drones attacked Nikopol on Monday evening, wounding one man, the district head said."


def test_watch_picks_up_new_and_grown_telegram_exports_without_rereading(tmp_path, pipeline):
    from sitrep.store import open_store
    from sitrep.store.queries import event_rows, stats
    from sitrep.store.watch import Watcher

    drop = tmp_path / "telegram"
    write_export(drop / "ChatExport_oblast", OBLAST, [tg_message(10, MONDAY, SHELLING)])
    store = open_store(f"sqlite:///{tmp_path / 'tg.db'}")
    extracted: list[str] = []

    def results(items):
        extracted.extend(getattr(i, "id", None) for i in items)
        return pipeline.run(items)

    logs: list[str] = []
    watcher = Watcher(store, [str(drop)], interval=0.01, log=logs.append, results=results)
    watcher.run(max_rounds=1)
    assert stats(store)["documents"] == 1 and extracted == ["telegram:1800000001:10"]

    watcher.run(max_rounds=1)  # nothing changed: no file is read again
    assert extracted == ["telegram:1800000001:10"] and any("nothing new" in line for line in logs)

    # the channel's export grows by one message, and a second channel's export folder appears with a forward
    write_export(drop / "ChatExport_oblast", OBLAST, [tg_message(10, MONDAY, SHELLING),
                                                      tg_message(11, MONDAY + 3600, NIKOPOL)])
    write_export(drop / "ChatExport_digest", DIGEST, [
        tg_message(20, MONDAY + 1800, UPDATE, forwarded_from=OBLAST["name"], forwarded_from_id="channel1800000001")])
    watcher.run(max_rounds=1)
    assert sorted(extracted[1:]) == ["telegram:1800000001:11", "telegram:1800000002:20"]  # message 10 not re-read
    assert stats(store)["documents"] == 3

    # the forward is the oblast channel speaking: its report of the shelling is not a second independent source
    shelling = [r for r in event_rows(store) if r["place"] == "Kherson"]
    assert shelling and shelling[0]["n_reports"] == 2, shelling
    assert shelling[0]["n_independent"] == 1 and shelling[0]["outlets"] == [OBLAST["name"]]
    store.close()


def test_a_file_still_being_written_is_retried_not_recorded_as_an_error(tmp_path, pipeline):
    from sitrep.store import open_store
    from sitrep.store.queries import stats
    from sitrep.store.watch import Watcher

    drop = tmp_path / "telegram"
    path = write_export(drop / "ChatExport_oblast", OBLAST, [tg_message(10, MONDAY, SHELLING)])
    full = path.read_text(encoding="utf-8")
    path.write_text(full[: len(full) // 2], encoding="utf-8")  # the exporter is half way through
    store = open_store(f"sqlite:///{tmp_path / 'half.db'}")
    logs: list[str] = []
    watcher = Watcher(store, [str(drop)], interval=0.01, log=logs.append, results=pipeline.run)
    watcher.run(max_rounds=1)
    assert stats(store)["errors"] == 0 and any("retrying next round" in line for line in logs)
    path.write_text(full, encoding="utf-8")
    watcher.run(max_rounds=1)
    assert stats(store)["documents"] == 1 and stats(store)["errors"] == 0
    store.close()
