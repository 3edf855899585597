"""Audio and video recordings as articles: decoding (PyAV, codecs in its wheel), file metadata, the page beside a
recording, and the transcript that becomes the article's text.

A recording is read cheaply: its bytes are hashed (`raw_key`, so a store skips a file it already holds without
transcribing it again) and its container probed, so a file with no audio stream or a corrupt file is an error
record naming it at once. The transcript is made when the pipeline first asks for the article's text (or
language), in whichever process runs the extraction; the speech model is loaded once per process.

The document text of a recording is its transcript, one speaker turn per line (`Mother: …` when the turns'
roles are known, see extract/recording.py); a page published with the recording (a Telegram message with its
voice file, `call.txt`/`call.html` beside `call.ogg`) comes first, and the transcript follows it after a blank
line.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.article import Article, ReadError

AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".flac", ".mp4", ".m4v", ".webm",
                  ".mkv", ".mov")
PAGE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json")
SAMPLE_RATE = 16_000
METADATA_KEYS = ("title", "artist", "album_artist", "album", "publisher", "copyright", "comment", "description",
                 "encoded_by", "date", "creation_time")


class AudioError(ValueError):
    """A recording that cannot be decoded; the message names the file."""


@dataclass
class Decoded:
    samples: object            # numpy float32, mono, 16 kHz
    channels: object | None    # numpy float32 (2, n) at 16 kHz when the recording is stereo, else None
    duration: float
    codec: str
    container: str
    metadata: dict


def _open(path: Path):
    try:
        import av
    except ImportError:
        raise AudioError(f"{path}: reading audio needs PyAV; install sitrep's audio extra: "
                         "pip install 'sitrep[audio]'") from None
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio or video file ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _metadata(container, stream) -> dict:
    out = {}
    for source in (container.metadata or {}, stream.metadata or {}):
        for key, value in source.items():
            key = key.lower()
            if key in METADATA_KEYS and str(value).strip() and key not in out:
                out[key] = str(value).strip()
    return out


def probe(path: Path) -> dict:
    """Container facts without decoding: codec, duration, metadata. Raises AudioError naming the file."""
    with _open(path) as container:
        stream = next(iter(container.streams.audio), None)
        if stream is None:
            raise AudioError(f"{path}: no audio stream")
        duration = float(container.duration / 1_000_000) if container.duration else None
        return {"codec": stream.codec_context.name, "container": container.format.name, "duration": duration,
                "channels": stream.codec_context.channels, "metadata": _metadata(container, stream)}


def decode(path: Path) -> Decoded:
    """The first audio stream as 16 kHz float32 (mono, and both channels when stereo)."""
    import av
    import numpy as np

    with _open(path) as container:
        stream = next(iter(container.streams.audio), None)
        if stream is None:
            raise AudioError(f"{path}: no audio stream")
        stereo = (stream.codec_context.channels or 1) >= 2
        resampler = av.AudioResampler(format="fltp", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE)
        chunks = []
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
        except (av.error.FFmpegError, ValueError) as exc:
            if not chunks:
                raise AudioError(f"{path}: corrupt audio ({_reason(exc)})") from None
            # a truncated file: keep what decoded (Telegram downloads cut short are common)
        meta = _metadata(container, stream)
        codec, fmt = stream.codec_context.name, container.format.name
    if not chunks:
        raise AudioError(f"{path}: the audio stream holds no sound")
    data = np.concatenate(chunks, axis=1).astype(np.float32)
    samples = data.mean(axis=0) if stereo else data[0]
    if not np.isfinite(samples).all():
        raise AudioError(f"{path}: corrupt audio (non-finite samples)")
    return Decoded(samples=samples, channels=data if stereo else None, duration=len(samples) / SAMPLE_RATE,
                   codec=codec, container=fmt, metadata=meta)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Recording:
    """What the article knows about its recording before transcription."""

    path: str
    sha256: str
    codec: str
    container: str
    duration: float | None
    channels: int
    metadata: dict = field(default_factory=dict)


class AudioArticle(Article):
    """An Article whose text is the transcript of a recording (after the text of a page published with it).

    `text` and `language` are made on first access (decoding and speech-to-text); `raw_key` identifies the input
    without transcribing it. `transcript`, `turns`, `speakers` and `page_text` are there for extract/recording.py.
    """

    def __init__(self, recording: Recording, page: Article | None = None, **fields):
        super().__init__(**fields)
        self.recording = recording
        self.page = page
        self.page_text = (page.text or "") if page is not None else ""
        self.transcript = None
        self.turns = None
        self.speakers = None
        self.raw_key = "audio:" + recording.sha256 + (":" + hashlib.sha256(self.page_text.encode()).hexdigest()
                                                      if self.page_text else "")

    # `text` and `language` are dataclass fields of Article; here they are computed on first access.
    @property
    def text(self) -> str | None:  # type: ignore[override]
        if self.__dict__.get("_text") is None and "recording" in self.__dict__:
            self._transcribe()
        return self.__dict__.get("_text")

    @text.setter
    def text(self, value: str | None) -> None:
        self.__dict__["_text"] = value

    @property
    def language(self) -> str | None:  # type: ignore[override]
        if self.__dict__.get("_language") is None and "recording" in self.__dict__ and self.transcript is None:
            self._transcribe()
        return self.__dict__.get("_language")

    @language.setter
    def language(self, value: str | None) -> None:
        self.__dict__["_language"] = value

    def _transcribe(self) -> None:
        from sitrep import speech
        from sitrep.extract.recording import layout_turns, split_turns

        path = Path(self.recording.path)
        decoded = decode(path)
        self.transcript = speech.transcribe(decoded.samples)
        self.turns, self.speakers = split_turns(self.transcript, decoded)
        body = layout_turns(self.turns, self.transcript.language)
        page = self.page_text.rstrip()
        if not body.strip() and not page.strip():
            raise AudioError(f"{path}: no speech recognised")  # with a page, the page is still a document
        self.text = f"{page}\n\n{body}" if page.strip() else body
        self.language = self.transcript.language

    def _with_page_fields(self, page: Article) -> "AudioArticle":
        """Publication facts of the post that carried the recording, even when it has no text."""
        self.published = self.published or page.published
        self.outlet = self.outlet or page.outlet
        self.url = self.url or page.url
        self.meta = {**page.meta, **self.meta}  # the post's Telegram fields and forward source
        return self

    def __repr__(self) -> str:  # the dataclass repr would transcribe
        return f"AudioArticle(id={self.id!r}, recording={self.recording.path!r}, origin={self.origin!r})"



def sibling_page(path: Path) -> Path | None:
    """A page with the recording's name beside it (call.ogg → call.txt, call.html, call.json)."""
    for suffix in PAGE_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _published(meta: dict) -> str | None:
    value = meta.get("date") or meta.get("creation_time")
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None


def recording_article(path: Path, page: Article | None = None, origin: str | None = None,
                      id: str | None = None) -> AudioArticle:
    """An AudioArticle for `path` (probed, hashed; transcribed later). Raises AudioError naming the file."""
    info = probe(path)
    recording = Recording(path=str(path), sha256=file_sha256(path), codec=info["codec"],
                          container=info["container"], duration=info["duration"], channels=info["channels"] or 1,
                          metadata=info["metadata"])
    meta = info["metadata"]
    return AudioArticle(
        recording, page=page, id=id or (page.id if page and page.id else path.stem),
        title=(page.title if page else None) or meta.get("title"),
        published=(page.published if page else None) or _published(meta),
        url=page.url if page else None, outlet=page.outlet if page else None,
        origin=origin or str(path), warnings=list(page.warnings) if page else [])


def read_audio_file(path: Path, page_reader=None) -> list[Article | ReadError]:
    """One recording (with the page beside it, when there is one) as one article, or an error naming the file."""
    page = None
    page_path = sibling_page(path)
    if page_path is not None and page_reader is not None:
        pages = [p for p in page_reader(page_path) if isinstance(p, Article)]
        page = pages[0] if pages else None
    try:
        return [recording_article(path, page=page)]
    except AudioError as exc:
        return [ReadError(source=str(path), error=str(exc).removeprefix(f"{path}: "))]
    except OSError as exc:
        return [ReadError(source=str(path), error=f"cannot read file: {exc.strerror or exc}")]


# Telegram Desktop exports: messages carrying a recording (the file lies in the export folder beside result.json).
TELEGRAM_RECORDING_MEDIA = {"voice_message", "audio_file", "video_file", "video_message"}


def telegram_recording(msg: dict, export_path: str, page: Article) -> Article | ReadError | None:
    """The message's recording with the message as its page, or None when the message carries no recording.

    A recording the export left out ("(File not included…)") or that is missing is an error record naming the
    message; the message's text, if any, is still read as a text document by the caller."""
    if msg.get("media_type") not in TELEGRAM_RECORDING_MEDIA or not isinstance(msg.get("file"), str):
        return None
    rel = msg["file"]
    path = Path(export_path).parent / rel
    if rel.startswith("(") or not path.is_file():
        return ReadError(source=page.origin, error=f"recording not in the export: {rel}")
    try:
        return recording_article(path, page=page if (page.text or "").strip() else None, origin=page.origin,
                                 id=page.id)._with_page_fields(page)
    except AudioError as exc:
        return ReadError(source=page.origin, error=str(exc))
