"""Audio in: decoding every listed format through PyAV, errors naming the file, the page beside a recording, the
model's verified join and loading, speakers and turns, offsets ↔ time. Synthetic signals only (no festival)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

av = pytest.importorskip("av", reason="the audio extra (PyAV) is not installed")
np = pytest.importorskip("numpy")

from sitrep.article import Article, ReadError  # noqa: E402
from sitrep.ingest import read_inputs  # noqa: E402
from sitrep.ingest.audio import AudioArticle, AudioError, decode, probe  # noqa: E402
from sitrep.speech import Segment, SpeechUnavailable, Transcript, join_model  # noqa: E402

RATE = 16_000


def voice(f0: float, seconds: float, rate: int = RATE):
    """A buzzy vowel-like signal: harmonics of f0 under a slow envelope."""
    t = np.arange(int(seconds * rate)) / rate
    sig = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 8))
    return (0.2 * sig * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def encode(path: Path, samples, rate: int = RATE, codec: str = "pcm_s16le", fmt: str | None = None,
           layout: str = "mono", video: bool = False, audio: bool = True) -> Path:
    """Write samples with PyAV (the same library sitrep decodes with)."""
    with av.open(str(path), "w", format=fmt) as out:
        vstream = None
        if video:
            vstream = out.add_stream("mpeg4" if path.suffix != ".webm" else "libvpx", rate=10)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 48, "yuv420p"
        if audio:
            out_rate = 48_000 if codec in ("libopus", "opus") else rate
            stream = out.add_stream(codec, rate=out_rate)
            stream.layout = layout
            data = samples if samples.ndim == 2 else samples[None, :]
            frame = av.AudioFrame.from_ndarray((np.clip(data, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
                                               if layout == "stereo" else (data * 32767).astype(np.int16),
                                               format="s16", layout=layout)
            frame.sample_rate = rate
            resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=out_rate)
            for f in resampler.resample(frame) + resampler.resample(None):
                for packet in stream.encode(f):
                    out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
        if vstream is not None:
            for i in range(5):
                img = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 40, np.uint8), format="rgb24")
                for packet in vstream.encode(img):
                    out.mux(packet)
            for packet in vstream.encode(None):
                out.mux(packet)
    return path


FORMATS = [("call.wav", "pcm_s16le", None, False), ("call.mp3", "libmp3lame", None, False),
           ("call.ogg", "libopus", "ogg", False), ("call.opus", "libopus", "ogg", False),
           ("call.m4a", "aac", "ipod", False), ("call.mp4", "aac", "mp4", True), ("call.webm", "libopus", "webm", False)]


@pytest.mark.parametrize("name,codec,fmt,video", FORMATS)
def test_every_listed_format_decodes_to_16k_mono(tmp_path, name, codec, fmt, video):
    path = encode(tmp_path / name, voice(150, 1.5), codec=codec, fmt=fmt, video=video)
    d = decode(path)
    assert d.samples.dtype == np.float32 and d.samples.ndim == 1
    assert abs(d.duration - 1.5) < 0.15, d.duration
    assert np.abs(d.samples).max() > 0.05  # sound, not silence
    assert d.channels is None


def test_stereo_keeps_both_channels(tmp_path):
    left, right = voice(120, 1.0), np.zeros(RATE, np.float32)
    frames = np.empty(2 * RATE, np.float32)
    frames[0::2], frames[1::2] = left, right
    path = encode(tmp_path / "two.wav", frames.reshape(1, -1), layout="stereo")
    d = decode(path)
    assert d.channels.shape == (2, RATE)
    assert np.abs(d.channels[0]).max() > 0.05 and np.abs(d.channels[1]).max() < 1e-3


def test_video_without_audio_is_an_error_naming_the_file(tmp_path):
    path = encode(tmp_path / "silent.mp4", None, fmt="mp4", video=True, audio=False)
    with pytest.raises(AudioError, match=r"silent\.mp4: no audio stream"):
        probe(path)
    (item,) = list(read_inputs([str(path)]))
    assert isinstance(item, ReadError) and item.source == str(path) and item.error == "no audio stream"


def test_corrupt_and_mislabelled_files_are_error_records(tmp_path):
    bad = tmp_path / "notes.mp3"
    bad.write_text("this is not audio at all\n" * 20)
    good = encode(tmp_path / "ok.wav", voice(150, 1.0))
    cut = tmp_path / "cut.ogg"
    cut.write_bytes(encode(tmp_path / "full.ogg", voice(150, 1.0), codec="libopus", fmt="ogg").read_bytes()[:40])
    items = list(read_inputs([str(bad), str(good), str(cut)]))
    errors = {i.source: i.error for i in items if isinstance(i, ReadError)}
    assert set(errors) == {str(bad), str(cut)}
    assert all("audio" in e for e in errors.values()), errors
    assert [type(i) for i in items if not isinstance(i, ReadError)] == [AudioArticle]


def test_reading_does_not_transcribe_and_pairs_the_page_beside_it(tmp_path):
    encode(tmp_path / "call.ogg", voice(150, 1.0), codec="libopus", fmt="ogg")
    (tmp_path / "call.txt").write_text("SBU releases an intercepted call\n\nThe recording was published on Monday.\n")
    (tmp_path / "other.txt").write_text("Another article entirely.\n")
    items = list(read_inputs([str(tmp_path)]))
    audio = [i for i in items if isinstance(i, AudioArticle)]
    texts = [i for i in items if type(i) is Article]
    assert len(audio) == 1 and len(texts) == 1  # call.txt is read with its recording, not on its own
    art = audio[0]
    assert art.transcript is None and "_text" in art.__dict__ and art.__dict__["_text"] is None
    assert art.title == "SBU releases an intercepted call" and "published on Monday" in art.page_text
    assert art.recording.codec == "opus" and len(art.recording.sha256) == 64
    assert art.raw_key.startswith("audio:" + art.recording.sha256)
    from sitrep.store.ingest import raw_hash

    again = [i for i in read_inputs([str(tmp_path)]) if isinstance(i, AudioArticle)][0]
    assert raw_hash(again) == raw_hash(art)  # a re-run recognises the file without a transcript
    assert again.transcript is None


def test_model_join_is_verified():
    a, b = b"abc" * 10, b"xyz" * 5
    import hashlib

    good = hashlib.sha256(a + b).hexdigest()
    assert join_model([(a, 30), (b, 15)], 45, good) == a + b
    with pytest.raises(SpeechUnavailable, match="part 2 has 14 bytes, expected 15"):
        join_model([(a, 30), (b[:-1], 15)], 45, good)
    with pytest.raises(SpeechUnavailable, match="do not belong together"):
        join_model([(a, 30), (b[::-1], 15)], 45, good)


def test_missing_model_package_says_how_to_install(monkeypatch):
    from sitrep import speech

    monkeypatch.setattr(speech, "MODEL_PARTS", (("sitrep_no_such_whisper_part", "model.bin.part1", 1),))
    with pytest.raises(SpeechUnavailable, match=r"sitrep-no-such-whisper-part.*pip install 'sitrep\[audio\]'"):
        speech.model_files()


def test_installed_model_parts_join_and_load():
    pytest.importorskip("faster_whisper", reason="the audio extra is not installed")
    from sitrep import speech

    files = speech.model_files()
    assert len(files["model.bin"]) == speech.MODEL_SIZE
    assert json.loads(files["config.json"])["lang_ids"]
    model = speech.load_model()
    assert model is speech.load_model()  # once per process
    assert model.model.is_multilingual


def test_pitch_tells_two_voices_apart_and_roles_come_from_address():
    from sitrep.extract.recording import split_turns
    from sitrep.ingest.audio import Decoded

    low, high, gap = voice(110, 1.2), voice(210, 1.2), np.zeros(int(0.8 * RATE), np.float32)
    samples = np.concatenate([low, gap, high, gap, low, gap, high])
    t = [(0.0, 1.2), (2.0, 3.2), (4.0, 5.2), (6.0, 7.2)]
    texts = ["Алло, мама, это я.", "Сынок, где ты?", "Под Бахмутом стоим.", "Береги себя."]
    tr = Transcript(language="ru", language_probability=1.0, duration=7.2,
                    segments=[Segment(a, b, x) for (a, b), x in zip(t, texts)])
    turns, speakers = split_turns(tr, Decoded(samples, None, 7.2, "pcm", "wav", {}))
    assert speakers.method == "pitch"
    assert [x.speaker for x in turns] == ["A", "B", "A", "B"]
    assert speakers.roles["B"]["role"] == "mother"          # addressed as "мама"
    assert speakers.roles["A"]["role"] == "son"             # addressed as "сынок"


def test_one_voice_is_one_unknown_speaker_split_at_pauses():
    from sitrep.extract.recording import layout_turns, split_turns
    from sitrep.ingest.audio import Decoded

    gap = np.zeros(int(1.5 * RATE), np.float32)
    samples = np.concatenate([voice(130, 1.0), gap, voice(135, 1.0)])
    tr = Transcript(language="ru", language_probability=1.0, duration=3.5,
                    segments=[Segment(0.0, 1.0, "Мама, это я."), Segment(2.5, 3.5, "Перезвоню позже.")])
    turns, speakers = split_turns(tr, Decoded(samples, None, 3.5, "pcm", "wav", {}))
    assert speakers.method == "none" and not speakers.roles
    assert [x.speaker for x in turns] == [None, None] and len(turns) == 2  # the pause ends a turn
    assert layout_turns(turns, "ru") == "Мама, это я.\nПерезвоню позже."  # no guessed names


def test_stereo_channels_are_the_parties():
    from sitrep.extract.recording import split_turns
    from sitrep.ingest.audio import Decoded

    a, b, gap = voice(120, 1.0), voice(125, 1.0), np.zeros(RATE // 2, np.float32)
    left = np.concatenate([a, gap, b * 0.03, gap, a])
    right = np.concatenate([a * 0.03, gap, b, gap, a * 0.03])
    chans = np.stack([left, right])
    tr = Transcript(language="en", language_probability=1.0, duration=4.0,
                    segments=[Segment(0.0, 1.0, "Mom, it's me."), Segment(1.5, 2.5, "Son, where are you?"),
                              Segment(3.0, 4.0, "Near the river.")])
    turns, speakers = split_turns(tr, Decoded(chans.mean(axis=0), chans, 4.0, "pcm", "wav", {}))
    assert speakers.method == "channel"  # same pitch, told apart by the line each is on
    assert [x.speaker for x in turns] == ["A", "B", "A"]
    assert speakers.roles["B"]["role"] == "mother" and speakers.roles["A"]["role"] == "son"


def test_time_range_maps_characters_to_seconds():
    from sitrep.extract.recording import time_range

    rec = {"segments": [{"start": 0.0, "end": 2.0, "char_start": 0, "char_end": 10},
                        {"start": 3.0, "end": 5.5, "char_start": 11, "char_end": 30},
                        {"start": 6.0, "end": 7.0, "char_start": None, "char_end": None}]}
    assert time_range(rec, 2, 5) == (0.0, 2.0)
    assert time_range(rec, 8, 15) == (0.0, 5.5)
    assert time_range(rec, 31, 40) is None


def test_cli_error_line_for_a_bad_recording(tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    proc = subprocess.run([str(Path(sys.executable).parent / "sitrep"), "extract", str(bad)], capture_output=True,
                          text=True)
    assert proc.returncode == 1
    record = json.loads(proc.stderr.splitlines()[0])
    assert record["source"] == str(bad) and "audio" in record["error"]


def test_telegram_voice_messages_are_recordings_with_their_post_as_page(tmp_path):
    export = tmp_path / "ChatExport"
    (export / "voice_messages").mkdir(parents=True)
    encode(export / "voice_messages" / "audio_1.ogg", voice(140, 1.0), codec="libopus", fmt="ogg")
    messages = [
        {"id": 10, "type": "message", "date": "2024-02-20T10:00:00", "media_type": "voice_message",
         "file": "voice_messages/audio_1.ogg", "mime_type": "audio/ogg", "duration_seconds": 1,
         "text": ["SBU intercept: an occupier calls home ", {"type": "hashtag", "text": "#intercept"}]},
        {"id": 11, "type": "message", "date": "2024-02-20T11:00:00", "media_type": "voice_message",
         "file": "(File not included. Change data exporting settings to download.)", "text": "Another call"},
        {"id": 12, "type": "message", "date": "2024-02-20T12:00:00", "media_type": "voice_message",
         "file": "voice_messages/audio_1.ogg", "text": ""},
        {"id": 13, "type": "message", "date": "2024-02-20T13:00:00", "text": "A plain post about shelling."},
    ]
    (export / "result.json").write_text(json.dumps({"name": "SBU", "type": "public_channel", "id": 77,
                                                    "username": "SBUkr", "messages": messages}), encoding="utf-8")
    items = list(read_inputs([str(export / "result.json")]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["AudioArticle", "Article", "AudioArticle", "Article"], kinds
    voice_post = items[0]
    assert voice_post.page_text == "SBU intercept: an occupier calls home #intercept"
    assert voice_post.outlet == "SBU" and voice_post.url == "https://t.me/SBUkr/10"
    assert voice_post.published.startswith("2024-02-20") and voice_post.transcript is None
    # the text of a post whose file was left out is still read, and the missing recording is noted on it
    assert items[1].text == "Another call"
    assert "recording not in the export" in items[1].meta["telegram"]["recording_missing"]
    assert items[2].page_text == "" and items[2].url == "https://t.me/SBUkr/12"


def test_upload_accepts_recordings_and_reports_one_without_speech(tmp_path):
    import time

    import httpx

    from sitrep.web.app import ServerThread, create_app

    tone = encode(tmp_path / "tone.wav", voice(440, 1.0)).read_bytes()
    srv = ServerThread(create_app(f"sqlite:///{tmp_path / 'up.db'}")).start()
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            assert ".wav" in c.get("/upload").text and ".ogg" in c.get("/upload").text
            r = c.post("/api/ingest", files=[("files", ("tone.wav", tone, "audio/wav"))])
            assert r.status_code == 202, r.text
            job_id = r.json()["id"]
            for _ in range(600):
                job = c.get(f"/api/jobs/{job_id}").json()
                if job["state"] in ("done", "failed"):
                    break
                time.sleep(0.5)
            assert job["state"] == "done" and job["errors"] == 1 and job["stored"] == 0, job
            assert "tone.wav: no speech recognised" in job["message"]
    finally:
        srv.stop()


def test_file_metadata_is_read_and_can_name_the_releasing_agency(tmp_path):
    from sitrep.actors import lexicon
    from sitrep.extract.recording import RecordingExtractor

    path = tmp_path / "release.mp3"
    with av.open(str(path), "w") as out:
        out.metadata["title"] = "Intercepted call 14"
        out.metadata["artist"] = "SBU press service"
        out.metadata["date"] = "2024-03-02"
        stream = out.add_stream("libmp3lame", rate=RATE)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray((voice(150, 1.0) * 32767).astype(np.int16)[None, :], format="s16",
                                           layout="mono")
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=RATE)
        for f in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    (art,) = list(read_inputs([str(path)]))
    assert art.title == "Intercepted call 14" and art.published == "2024-03-02"
    assert art.recording.metadata["artist"] == "SBU press service"
    lex = lexicon()
    assert RecordingExtractor._agency(lex, "SBU press service") == "Security Service of Ukraine (SBU)"
    assert RecordingExtractor._agency(lex, "Kyiv Independent") is None  # an outlet is not a releasing agency
    assert RecordingExtractor._agency(lex, "Ivan Petrov") is None
