"""Spoken test calls: Debian's festival with its Russian voice (festvox-ru) speaks scripted calls into WAV files.

Used by tests/test_audio*.py, eval/eval_speech.py and bench/bench_speech.py; nothing here is committed as audio.
Two parties get two voices from the one Russian voice: speaker B is spoken slower (festival's Duration_Stretch)
and resampled to a higher pitch; a pause separates turns. `word_recall` scores a transcript against the words
spoken.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RATE = 16_000
VOICE = "voice_msu_ru_nsh_clunits"
VOICE_DIR = Path("/usr/share/festival/voices/russian")


@dataclass(frozen=True)
class Voice:
    stretch: float = 1.0      # festival Duration_Stretch (tempo)
    pitch: float = 1.0        # resampling factor: > 1 raises pitch (and shortens)
    gain: float = 1.0


VOICES = {"A": Voice(), "B": Voice(stretch=1.1, pitch=1.6, gain=0.8)}
PAUSE = 0.9


def festival_missing() -> str | None:
    """Why spoken clips cannot be made here (None when they can)."""
    if shutil.which("text2wave") is None:
        return "festival is not installed (make speech installs festival and festvox-ru)"
    if not VOICE_DIR.is_dir():
        return "festival's Russian voice festvox-ru is not installed (make speech)"
    return None


def _read_wav(path: Path):
    import numpy as np

    with wave.open(str(path)) as w:
        rate, n, width = w.getframerate(), w.getnframes(), w.getsampwidth()
        data = np.frombuffer(w.readframes(n), dtype=np.int16 if width == 2 else np.uint8).astype(np.float32)
    if width == 2:
        data /= 32768.0
    if rate != RATE:
        data = _resample(data, RATE / rate)
    return data


def _resample(x, factor: float):
    """Linear-interpolation resampling to len(x) * factor samples."""
    import numpy as np

    n = max(1, int(round(len(x) * factor)))
    return np.interp(np.linspace(0, len(x) - 1, n), np.arange(len(x)), x).astype(np.float32)


def speak(text: str, voice: Voice = Voice()):
    """16 kHz float32 samples of festival's Russian voice saying `text`."""
    with tempfile.TemporaryDirectory(prefix="sitrep-festival-") as tmp:
        src, out = Path(tmp) / "in.txt", Path(tmp) / "out.wav"
        src.write_text(text + "\n", encoding="utf-8")
        cmd = ["text2wave", "-eval", f"({VOICE})"]
        if voice.stretch != 1.0:
            cmd += ["-eval", f"(Parameter.set 'Duration_Stretch {voice.stretch})"]
        subprocess.run(cmd + [str(src), "-o", str(out)], check=True, capture_output=True, timeout=300)
        samples = _read_wav(out)
    if voice.pitch != 1.0:
        samples = _resample(samples, 1.0 / voice.pitch)  # fewer samples played at the same rate: higher voice
    return samples * voice.gain


def write_wav(path: Path, samples, channels=None) -> Path:
    """16-bit PCM WAV; `channels` (2, n) writes stereo."""
    import numpy as np

    data = channels.T if channels is not None else samples[:, None]
    pcm = (np.clip(data, -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path


def speak_call(turns: list[tuple[str, str]], path: Path, stereo: bool = False, voices: dict | None = None) -> dict:
    """Speak [(speaker, text), …] into a WAV at `path` (in stereo: A left, B right, as a two-line recorder keeps
    them). Returns the turns with their times."""
    import numpy as np

    voices = voices or VOICES
    gap = np.zeros(int(PAUSE * RATE), dtype=np.float32)
    pieces, timeline, t = [], [], 0.0
    for speaker, text in turns:
        samples = speak(text, voices[speaker])
        pieces.append((speaker, samples))
        timeline.append({"speaker": speaker, "text": text, "start": round(t, 2),
                         "end": round(t + len(samples) / RATE, 2)})
        t += (len(samples) + len(gap)) / RATE
    mono, left, right = [], [], []
    for speaker, samples in pieces:  # in stereo, each party is heard faintly on the other line too
        mono += [samples, gap]
        left += [samples if speaker == "A" else samples * 0.05, gap]
        right += [samples if speaker != "A" else samples * 0.05, gap]
    if stereo:
        write_wav(path, None, np.stack([np.concatenate(left), np.concatenate(right)]))
    else:
        write_wav(path, np.concatenate(mono))
    return {"turns": timeline, "duration": round(t, 2)}


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def spoken_calls(calls: list[dict], clips: str | None, prefix: str) -> list[Path]:
    """The calls of eval/speech_calls.yaml spoken into `clips` (a temporary folder when None); a clip already
    there is reused."""
    folder = Path(clips) if clips else Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for call in calls:
        path = folder / f"{call['id']}.wav"
        if not path.exists():
            speak_call([tuple(t) for t in call["turns"]], path)
        paths.append(path)
    return paths


def words(text: str) -> list[str]:
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text)]


def word_recall(reference: str, hypothesis: str) -> float:
    """Share of the spoken words (with repeats) found in the transcript."""
    ref, hyp = Counter(words(reference)), Counter(words(hypothesis))
    total = sum(ref.values())
    return sum(min(n, hyp[w]) for w, n in ref.items()) / total if total else 0.0
