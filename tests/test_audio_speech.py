"""Recordings end to end on a call festival speaks (Russian voice, two parties): `sitrep extract CALL.wav`, a page
beside its recording, the store (recording kept, re-run skipped without transcribing), the recordings API and the
intercept desk's player in Debian's chromium. Skips with the reason when festival or the audio extra is missing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.evaluation.speech import festival_missing, speak_call, word_recall

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "src/sitrep/schema/document.schema.json").read_text())
TURNS = [("A", "Алло, мама, привет. Это я."), ("B", "Сынок, где ты сейчас?"),
         ("A", "Мы стоим под Бахмутом. Вчера у нас было много убитых."), ("B", "Береги себя, пожалуйста.")]
CAPTION = ("SBU publishes intercepted call\n\nThe Security Service of Ukraine (SBU) released an intercepted phone call "
           "in which a Russian soldier tells his mother about losses near Bakhmut.\n")

why = festival_missing()
if why:
    pytest.skip(why, allow_module_level=True)
pytest.importorskip("faster_whisper", reason="the audio extra is not installed")


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """call.wav (the call alone) and page/call.ogg with page/call.txt (the release that published it)."""
    from sitrep.ingest.audio import decode
    from sitrep.store.media import encode_opus

    root = tmp_path_factory.mktemp("speech")
    wav = root / "call.wav"
    speak_call(TURNS, wav)
    page = root / "page"
    page.mkdir()
    encode_opus(decode(wav).samples, page / "call.ogg")
    (page / "call.txt").write_text(CAPTION, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def extracted(clips):
    proc = subprocess.run([str(Path(sys.executable).parent / "sitrep"), "extract", str(clips / "call.wav")],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[0])


def test_extract_gives_a_timed_russian_transcript(extracted):
    import jsonschema

    jsonschema.validate(extracted, SCHEMA)
    doc, rec = extracted["document"], extracted["recording"]
    assert doc["language"] == "ru" and rec["language"] == "ru"
    spoken = " ".join(t for _, t in TURNS)
    assert word_recall(spoken, doc["text"]) >= 0.5, doc["text"]
    segs = rec["segments"]
    assert len(segs) >= 3
    assert all(0 <= s["start"] < s["end"] <= rec["duration"] + 0.5 for s in segs)
    assert [s["start"] for s in segs] == sorted(s["start"] for s in segs)
    for s in segs:  # every segment is found in the document text: offsets ↔ seconds
        assert doc["text"][s["char_start"]:s["char_end"]] == s["text"]
    assert rec["translation_en"] and all(t["text"].isascii() for t in rec["translation_en"])


def test_the_recording_is_an_intercept_whose_quotes_are_the_segments(extracted):
    (icpt,) = extracted["intercepts"]
    assert icpt["from_recording"] and icpt["medium"] in ("phone", "radio", "messenger", "unknown")
    quotes = extracted["quotes"]
    assert icpt["quotes"] == [i for i, q in enumerate(quotes) if q["from_intercept"]]
    assert len(icpt["quotes"]) == len(extracted["recording"]["segments"])
    text = extracted["document"]["text"]
    for q in quotes:
        assert text[q["start"]:q["end"]] == q["text"] and q["intercept"] == 0
        assert q["time"]["start"] < q["time"]["end"]
    # two voices (festival's voice, the second one resampled higher): speakers told apart
    assert len(extracted["recording"]["speakers"]) == 2, extracted["recording"]["speakers"]


def test_page_beside_the_recording_names_who_released_it(clips, monkeypatch):
    monkeypatch.setenv("SITREP_ASR_TRANSLATE", "0")
    from sitrep.ingest import read_inputs
    from sitrep.pipeline import Pipeline

    (result,) = list(Pipeline().run(read_inputs([str(clips / "page")])))
    r = result.to_dict()
    assert r["document"]["title"] == "SBU publishes intercepted call"
    assert r["document"]["text"].index("released an intercepted phone call") < r["recording"]["transcript_start"]
    assert len(r["intercepts"]) == 1  # the page's report of the call and the recording are one intercept
    icpt = r["intercepts"][0]
    assert "SBU" in (icpt["released_by"] or "") and icpt["from_recording"]
    assert all(r["quotes"][i]["start"] >= r["recording"]["transcript_start"] for i in icpt["quotes"]
               if r["quotes"][i].get("time"))


@pytest.fixture(scope="module")
def stored(clips, tmp_path_factory):
    from sitrep.commands_store import run_ingest
    from sitrep.store import open_store

    os.environ["SITREP_ASR_TRANSLATE"] = "0"
    try:
        url = f"sqlite:///{tmp_path_factory.mktemp('speechdb') / 'calls.db'}"
        store = open_store(url)
        counts = run_ingest(store, [str(clips / "call.wav")], quiet=True)
        assert counts.stored == 1, counts.summary()
        store.close()
    finally:
        os.environ.pop("SITREP_ASR_TRANSLATE", None)
    return url


def test_ingest_keeps_the_recording_and_a_rerun_does_not_transcribe(stored, clips, monkeypatch):
    from sitrep import speech
    from sitrep.commands_store import run_ingest
    from sitrep.ingest.audio import file_sha256
    from sitrep.store import open_store
    from sitrep.store.media import media_path

    store = open_store(stored)
    kept = media_path(store, file_sha256(clips / "call.wav"))
    assert kept.is_file() and kept.stat().st_size < (clips / "call.wav").stat().st_size / 4  # Opus, not WAV

    def refuse(*_a, **_k):
        raise AssertionError("a known recording was transcribed again")

    monkeypatch.setattr(speech, "transcribe", refuse)
    counts = run_ingest(store, [str(clips / "call.wav")], quiet=True)
    assert (counts.stored, counts.unchanged, counts.errors) == (0, 1, 0)
    store.close()


@pytest.fixture(scope="module")
def server(stored):
    from sitrep.web.app import ServerThread, create_app

    srv = ServerThread(create_app(stored)).start()
    yield srv
    srv.stop()


def test_recordings_api_serves_byte_ranges(server, clips):
    import httpx

    from sitrep.ingest.audio import file_sha256

    sha = file_sha256(clips / "call.wav")
    with httpx.Client(base_url=server.url, timeout=30) as c:
        full = c.get(f"/api/recordings/{sha}")
        assert full.status_code == 200 and full.headers["content-type"] == "audio/ogg"
        assert full.content[:4] == b"OggS"
        part = c.get(f"/api/recordings/{sha}", headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100
        assert c.get("/api/recordings/not-a-hash").status_code == 400
        assert c.get("/api/recordings/" + "0" * 64).json()["error"].startswith("no recording")
        page = c.get("/intercepts").text
        assert f'src="/api/recordings/{sha}"' in page and "data-t0=" in page


@pytest.mark.browser
def test_intercept_desk_plays_and_seeks_to_the_segment(server):
    pw = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        pytest.skip(f"Debian's chromium is missing at {chromium}")
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"])
        try:
            pg = browser.new_page()
            errors: list[str] = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.goto(server.url + "/intercepts")
            pg.wait_for_function("document.querySelector('audio.player').readyState >= 1", timeout=30_000)
            segments = pg.locator(".recording .segment[data-t0]")
            assert segments.count() >= 3
            target = segments.nth(2)
            t0 = float(target.get_attribute("data-t0"))
            target.click()
            pg.wait_for_function(f"Math.abs(document.querySelector('audio.player').currentTime - {t0}) < 0.6",
                                 timeout=15_000)
            pg.wait_for_function("document.querySelectorAll('.recording .segment.playing').length >= 1")
            assert "playing" in (target.get_attribute("class") or "")
            ROOT.joinpath("test-artifacts").mkdir(exist_ok=True)
            pg.screenshot(path=str(ROOT / "test-artifacts" / "intercept_desk_player.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
