"""Recordings: a transcribed call becomes an intercept whose quotes are its timed segments.

Owns turns and speakers of a recording (`split_turns`: speakers told apart by the stereo channel that carries
them, else by the pitch of their voice; a turn ends where the speaker changes or after a pause; roles only from
what the call itself says — a speaker addressed as "мама" is the mother — never guessed names), the transcript's
layout as document text (`layout_turns`: one turn per line, `Mother: …` when roles are known), and the extractor
that, for an article read from a recording (sitrep.ingest.audio), maps every segment onto the cleaned text
(character offsets ↔ seconds), makes each segment a quote of the call and makes the recording an intercept:
medium, participants, released_by (from the page published with the recording, the file's metadata or the
channel that posted it), places and status. An intercept the text of the page already reported is completed
rather than doubled. The result carries `recording` (file, hash, language, segments with their character spans,
turns, speakers, Whisper's English translation) so every evidence span maps back to a time range
(`time_range`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sitrep.extract.base import Context
from sitrep.lexicon import load_yaml
from sitrep.model import Intercept, Participant, Quote

PAUSE_SECONDS = 1.2          # a silence this long ends a turn even when the speaker is unknown
SAMPLE_RATE = 16_000
MIN_PITCH_RATIO = 1.35       # two voices: medians of the two pitch groups at least this far apart …
MIN_PITCH_SEPARATION = 2.5   # … and that gap at least this many pooled standard deviations (log pitch)
CHANNEL_DOMINANCE = 2.0      # a stereo segment belongs to a channel carrying twice the other's energy
SPEAKER_ROLES = {"soldier": "soldier", "commander": "commander", "mother": "relative", "father": "relative",
                 "wife": "relative", "husband": "soldier", "son": "soldier", "comrade": "soldier", "parent": "relative"}
PARTICIPANT_ROLES = {"soldier", "commander", "wife", "mother", "father", "parent", "relative", "comrade"}


# ---- lexicon ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _lexicon(language: str) -> dict:
    """recording.yaml of `language` (ru/uk in their folders), falling back to English."""
    if language not in ("en", None):
        try:
            return load_yaml(f"{language}/recording.yaml")
        except FileNotFoundError:
            pass
    return load_yaml("recording.yaml")


@lru_cache(maxsize=None)
def _address_patterns(language: str) -> list[tuple[str, re.Pattern]]:
    """(role of the person addressed, pattern of the address word as a vocative: turn-initial or between commas)."""
    out = []
    for role, words in (_lexicon(language).get("address") or {}).items():
        alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
        out.append((role, re.compile(rf"(?:^|[,.!?…]\s*|^(?:\w+[,!]?\s+){{0,2}})(?:{alt})(?=\s*[,.!?…]|$)",
                                     re.IGNORECASE)))
    return out


# ---- turns and speakers ----------------------------------------------------------------------------------
@dataclass
class Turn:
    speaker: str | None            # "A", "B" … (None: the speakers could not be told apart)
    segments: list[int]            # indices into the transcript's segments
    start: float
    end: float
    text: str
    role: str | None = None        # from the call itself (addressed as mother …), else None


@dataclass
class Speakers:
    labels: list[str | None]                              # per segment
    method: str                                           # channel | pitch | none
    info: dict = field(default_factory=dict)              # per label: pitch_hz, channel
    roles: dict = field(default_factory=dict)             # label → (role, confidence, evidence segment)


def pitch_hz(samples, start: float, end: float) -> float | None:
    """Median fundamental frequency of the voiced frames in [start, end] (autocorrelation, 70–400 Hz)."""
    import numpy as np

    x = samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]
    frame, hop = 640, 320
    if len(x) < frame:
        return None
    idx = np.arange(frame)[None, :] + hop * np.arange((len(x) - frame) // hop + 1)[:, None]
    frames = x[idx] * np.hanning(frame)
    energy = (frames ** 2).sum(axis=1)
    frames = frames[energy > max(1e-6, np.median(energy) * 0.5)]
    if len(frames) == 0:
        return None
    spec = np.fft.rfft(frames, n=2 * frame, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :frame]
    ac = ac / np.maximum(ac[:, :1], 1e-12)
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 70
    lags = lo + ac[:, lo:hi].argmax(axis=1)
    peaks = ac[np.arange(len(ac)), lags]
    voiced = lags[peaks > 0.45]
    if len(voiced) < 3:
        return None
    return float(np.median(SAMPLE_RATE / voiced))


def _channel_labels(channels, segments) -> list[str | None] | None:
    """Per segment, the stereo channel carrying the voice ("A" left, "B" right), when one clearly does."""
    import numpy as np

    if channels is None or len(channels) < 2:
        return None
    labels = []
    for seg in segments:
        a, b = int(seg.start * SAMPLE_RATE), int(seg.end * SAMPLE_RATE)
        left, right = (float(np.mean(channels[i][a:b] ** 2)) if b > a else 0.0 for i in (0, 1))
        if left > CHANNEL_DOMINANCE * right:
            labels.append("A")
        elif right > CHANNEL_DOMINANCE * left:
            labels.append("B")
        else:
            labels.append(None)
    known = [x for x in labels if x]
    if len(set(known)) < 2 or len(known) < 0.6 * len(labels):
        return None  # one party only, or the same mix on both channels: not a two-channel call
    return labels


def _pitch_labels(pitches: list[float | None]) -> tuple[list[str | None], dict] | None:
    """Two voices when the segments' pitches fall in two well-separated groups (1-D two-means on log pitch)."""
    import numpy as np

    known = [(i, p) for i, p in enumerate(pitches) if p]
    if len(known) < 2:
        return None
    logs = np.log([p for _, p in known])
    order = np.sort(logs)
    best = None
    for k in range(1, len(order)):
        lo, hi = order[:k], order[k:]
        within = (((lo - lo.mean()) ** 2).sum() + ((hi - hi.mean()) ** 2).sum()) / max(1, len(order) - 2)
        gap = hi.mean() - lo.mean()
        score = gap / max(np.sqrt(within), 0.03)
        if best is None or score > best[0]:
            best = (score, (order[k - 1] + order[k]) / 2, float(np.exp(lo.mean())), float(np.exp(hi.mean())))
    score, threshold, low_hz, high_hz = best
    if high_hz / low_hz < MIN_PITCH_RATIO or score < MIN_PITCH_SEPARATION:
        return None
    first = "low" if np.log(known[0][1]) < threshold else "high"
    name = {first: "A", ("high" if first == "low" else "low"): "B"}
    labels: list[str | None] = [None] * len(pitches)
    for i, p in known:
        labels[i] = name["low"] if np.log(p) < threshold else name["high"]
    info = {name["low"]: {"pitch_hz": round(low_hz, 1)}, name["high"]: {"pitch_hz": round(high_hz, 1)}}
    return labels, info


def identify_speakers(transcript, decoded) -> Speakers:
    segments = transcript.segments
    if decoded is None or not segments:
        return Speakers([None] * len(segments), "none")
    labels = _channel_labels(getattr(decoded, "channels", None), segments)
    if labels is not None:
        return Speakers(labels, "channel", {"A": {"channel": "left"}, "B": {"channel": "right"}})
    pitches = [pitch_hz(decoded.samples, s.start, s.end) for s in segments]
    found = _pitch_labels(pitches)
    if found is not None:
        labels, info = found
        return Speakers(labels, "pitch", info)
    return Speakers([None] * len(segments), "none")


def _assign_roles(speakers: Speakers, transcript) -> None:
    """A speaker addressed with a kinship or rank word ("мама", "сынок", "товарищ командир") has that role; the
    other party of a call home is the soldier. Only with two told-apart speakers."""
    labels = speakers.labels
    present = sorted({x for x in labels if x})
    if len(present) != 2:
        return
    votes: dict[str, dict[str, int]] = {}
    evidence: dict[tuple[str, str], int] = {}
    for i, seg in enumerate(transcript.segments):
        if labels[i] is None:
            continue
        other = present[1] if labels[i] == present[0] else present[0]
        for role, rx in _address_patterns(transcript.language):
            if rx.search(seg.text):
                votes.setdefault(other, {}).setdefault(role, 0)
                votes[other][role] += 1
                evidence.setdefault((other, role), i)
    for label, counts in votes.items():
        role = max(counts, key=counts.get)
        conf = round(counts[role] / sum(counts.values()) * (0.9 if counts[role] > 1 else 0.8), 2)
        alts = [r for r in counts if r != role]
        speakers.roles[label] = {"role": role, "confidence": conf, "alternatives": alts,
                                 "evidence_segment": evidence[(label, role)], "from": "addressed"}
    complement = _lexicon(transcript.language).get("complement") or {}
    for label in present:
        if label in speakers.roles:
            continue
        other = present[1] if label == present[0] else present[0]
        other_role = speakers.roles.get(other, {}).get("from") == "addressed" and speakers.roles[other]["role"]
        if other_role and complement.get(other_role):
            speakers.roles[label] = {"role": complement[other_role], "confidence": 0.7,
                                     "alternatives": ["unknown"], "from": f"the other party is the {other_role}"}


def split_turns(transcript, decoded) -> tuple[list[Turn], Speakers]:
    """Segments grouped into turns (a new turn where the speaker changes or after a pause), and the speakers."""
    speakers = identify_speakers(transcript, decoded)
    _assign_roles(speakers, transcript)
    turns: list[Turn] = []
    for i, seg in enumerate(transcript.segments):
        label = speakers.labels[i]
        prev = turns[-1] if turns else None
        if prev and prev.speaker == label and seg.start - prev.end < PAUSE_SECONDS:
            prev.segments.append(i)
            prev.end, prev.text = seg.end, f"{prev.text} {seg.text}"
            continue
        role = speakers.roles.get(label, {}).get("role") if label else None
        turns.append(Turn(speaker=label, segments=[i], start=seg.start, end=seg.end, text=seg.text, role=role))
    return turns, speakers


def role_label(role: str, language: str) -> str:
    return (_lexicon(language).get("labels") or {}).get(role) or role.capitalize()


def layout_turns(turns: list[Turn], language: str) -> str:
    """One turn per line; with roles known for every speaker, a transcript legend layout (`Mother: …`)."""
    labelled = bool(turns) and all(t.role for t in turns)
    return "\n".join(f"{role_label(t.role, language)}: {t.text}" if labelled else t.text for t in turns)


# ---- offsets ↔ time --------------------------------------------------------------------------------------
def _locate(text: str, needle: str, start: int) -> tuple[int, int] | None:
    """`needle` in `text` at or after `start`, tolerant of whitespace changes made by cleaning."""
    pos = text.find(needle, start)
    if pos >= 0:
        return pos, pos + len(needle)
    words = needle.split()
    if not words:
        return None
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = rx.search(text, start)
    return (m.start(), m.end()) if m else None


def time_range(recording: dict, start: int, end: int) -> tuple[float, float] | None:
    """Seconds of the recording behind characters [start, end) of the document text (None outside it)."""
    hits = [s for s in recording.get("segments", []) if s.get("char_start") is not None
            and s["char_start"] < end and start < s["char_end"]]
    if not hits:
        return None
    return min(s["start"] for s in hits), max(s["end"] for s in hits)


# ---- the extractor ---------------------------------------------------------------------------------------
class RecordingExtractor:
    name = "recording"

    def __init__(self, nlp) -> None:
        self.medium_cues = {lang: {k: re.compile(v, re.IGNORECASE) for k, v in
                                   (_lexicon(lang).get("medium") or {}).items()} for lang in ("en", "ru", "uk")}

    def __call__(self, ctx: Context) -> None:
        article = ctx.article
        transcript = getattr(article, "transcript", None)
        if transcript is None:
            return
        if not transcript.segments:  # no speech in the recording: the page alone is the document
            ctx.extra["recording"] = {"file": article.recording.path, "sha256": article.recording.sha256,
                                      "duration": transcript.duration, "language": None, "segments": []}
            return
        text = ctx.text
        turns = getattr(article, "turns", None) or []
        speakers: Speakers | None = getattr(article, "speakers", None)
        # the transcript starts after the page text; find each segment in the cleaned text, in order
        page = (getattr(article, "page_text", "") or "").strip()
        cursor = 0
        if page:
            last_line = page.splitlines()[-1].strip()
            found = _locate(text, last_line, 0) if last_line else None
            cursor = found[1] if found else 0
        transcript_start = None
        segments = []
        for i, seg in enumerate(transcript.segments):
            where = _locate(text, seg.text, cursor)
            if where:
                cursor = where[1]
                transcript_start = where[0] if transcript_start is None else transcript_start
            segments.append({"index": i, "start": seg.start, "end": seg.end, "text": seg.text,
                             "avg_logprob": seg.avg_logprob, "no_speech_prob": seg.no_speech_prob,
                             "char_start": where[0] if where else None, "char_end": where[1] if where else None,
                             "speaker": speakers.labels[i] if speakers else None})
        if transcript_start is None:
            transcript_start = len(text)
        transcript_end = max([s["char_end"] for s in segments if s["char_end"] is not None] or [len(text)])
        icpt_index = self._intercept(ctx, transcript_start, transcript_end, page, speakers, transcript, segments)
        self._quotes(ctx, segments, speakers, icpt_index)
        ctx.extra["recording"] = {
            "file": article.recording.path, "sha256": article.recording.sha256, "codec": article.recording.codec,
            "container": article.recording.container, "duration": transcript.duration,
            "channels": article.recording.channels, "metadata": article.recording.metadata,
            "language": transcript.language, "language_probability": transcript.language_probability,
            "duration_after_vad": transcript.duration_after_vad, "model": transcript.model,
            "prompt": transcript.prompt, "transcript_start": transcript_start, "transcript_end": transcript_end,
            "segments": segments,
            "turns": [{"speaker": t.speaker, "role": t.role, "start": t.start, "end": t.end, "segments": t.segments}
                      for t in turns],
            "speakers": self._speaker_list(speakers),
            "speaker_method": speakers.method if speakers else "none",
            "translation_en": [{"start": s.start, "end": s.end, "text": s.text} for s in transcript.translation_en],
        }

    @staticmethod
    def _speaker_list(speakers: Speakers | None) -> list[dict]:
        if speakers is None:
            return []
        out = []
        for label in sorted({x for x in speakers.labels if x}):
            role = speakers.roles.get(label, {})
            out.append({"label": label, "role": role.get("role"), "confidence": role.get("confidence"),
                        "alternatives": role.get("alternatives", []), **speakers.info.get(label, {})})
        return out

    def _medium(self, ctx: Context, page_span: tuple[int, int], transcript, n_speakers: int) -> tuple[str, float]:
        for lang in dict.fromkeys((transcript.language, "en")):
            for name in ("radio", "messenger", "phone"):
                rx = self.medium_cues.get(lang, {}).get(name)
                if rx and (rx.search(ctx.text[page_span[0]:page_span[1]])
                           or rx.search(" ".join(s.text for s in transcript.segments))):
                    return name, 0.8
        return ("phone", 0.6) if n_speakers == 2 else ("unknown", 0.0)

    def _released_by(self, ctx: Context, page_end: int) -> tuple[str | None, str | None]:
        """(releasing body, where it was read): the file's metadata or the posting channel naming a known agency,
        else an intelligence/military body named in the page."""
        from sitrep.actors import lexicon

        lex = lexicon()
        rec = ctx.article.recording
        for key in ("publisher", "artist", "album_artist", "copyright", "comment", "title", "encoded_by"):
            value = rec.metadata.get(key)
            actor = self._agency(lex, value)
            if actor:
                return actor, f"metadata:{key}"
        actor = self._agency(lex, ctx.article.outlet)
        if actor:
            return actor, "channel"
        for ent in ctx.entities:
            if ent.start < page_end and ent.type == "agency" and ent.side == "UA" and ent.canonical:
                kind = (ent.model_extra or {}).get("source_type")
                if kind in ("ua_intelligence", "ua_military"):
                    return ent.canonical, "page"
        return None, None

    @staticmethod
    def _agency(lex, value: str | None) -> str | None:
        if not value:
            return None
        actor = lex.actor(value.strip())
        if actor is None:
            for word in re.findall(r"[\w'’-]+", value):
                actor = lex.actor(word) if word.isupper() and len(word) >= 3 else None
                if actor:
                    break
        if actor is None or getattr(actor, "source_type", None) not in ("ua_intelligence", "ua_military",
                                                                         "ua_government", "ru_military"):
            return None
        return actor.canonical

    def _intercept(self, ctx, t_start, t_end, page, speakers, transcript, segments) -> int:
        page_span = (0, t_start)
        existing = 0 if ctx.intercepts else None  # the page reported this call: complete that intercept
        n_speakers = len({x for x in (speakers.labels if speakers else []) if x})
        medium, medium_conf = self._medium(ctx, page_span, transcript, n_speakers)
        participants = []
        for sp in self._speaker_list(speakers):
            # the son or husband on a released call home is the soldier
            role = sp["role"] if sp["role"] in PARTICIPANT_ROLES else ("soldier" if sp["role"] in ("son", "husband")
                                                                      else "unknown")
            p = Participant(role=role, description=f"speaker {sp['label']}" +
                            (f", addressed as {sp['role']}" if sp["role"] and sp["role"] != role else ""))
            p.speaker = sp["label"]
            p.confidence = sp["confidence"]
            p.alternatives = sp["alternatives"]
            participants.append(p)
        places = [i for i, p in enumerate(ctx.places) if t_start <= p.start < t_end]
        first = next((s for s in segments if s["char_start"] is not None), None)
        if existing is not None:
            icpt = ctx.intercepts[existing]
            icpt.scope = list(getattr(icpt, "scope", [])) + [[t_start, t_end]]
            if icpt.medium == "unknown":
                icpt.medium = medium
            if not icpt.participants:
                icpt.participants = participants
            icpt.places = sorted(set(icpt.places) | set(places))
            if not icpt.released_by:
                icpt.released_by, icpt.released_by_from = self._released_by(ctx, t_start)
            index = existing
        else:
            released_by, source = self._released_by(ctx, t_start)
            evidence = ctx.span(first["char_start"], first["char_end"]) if first else ctx.span(t_start, t_end)
            icpt = Intercept(released_by=released_by, medium=medium, participants=participants, places=places,
                             release_date=ctx.article.published, status="attributed" if released_by else "unverified",
                             evidence=evidence)
            icpt.released_by_from = source
            icpt.scope = [[t_start, t_end]]
            ctx.intercepts.append(icpt)
            index = len(ctx.intercepts) - 1
        icpt.from_recording = True
        icpt.medium_confidence = medium_conf
        icpt.language = transcript.language
        icpt.time = {"start": transcript.segments[0].start if transcript.segments else 0.0,
                     "end": transcript.segments[-1].end if transcript.segments else 0.0}
        return index

    def _quotes(self, ctx: Context, segments: list[dict], speakers: Speakers | None, icpt_index: int) -> None:
        icpt = ctx.intercepts[icpt_index]
        language = getattr(ctx.article, "language", None) or "en"
        for seg in segments:
            if seg["char_start"] is None:
                continue
            a, b = seg["char_start"], seg["char_end"]
            label = seg["speaker"]
            role = speakers.roles.get(label, {}) if speakers and label else {}
            k = next((i for i, q in enumerate(ctx.quotes) if q.start < b and a < q.end and not q.from_intercept),
                     None)
            if k is None:  # no quote of this segment yet (a transcript legend layout may have given one)
                ctx.quotes.append(Quote(start=a, end=b, text=ctx.text[a:b]))
                k = len(ctx.quotes) - 1
            quote = ctx.quotes[k]
            quote.from_intercept = True
            quote.intercept = icpt_index
            if role.get("role") and not quote.speaker:
                quote.speaker = role_label(role["role"], language)
                quote.speaker_role = SPEAKER_ROLES.get(role["role"], "other")
                quote.speaker_confidence = role.get("confidence")
            quote.speaker_label = label
            quote.time = {"start": seg["start"], "end": seg["end"]}
            quote.segment = seg["index"]
            if k not in icpt.quotes:
                icpt.quotes.append(k)
