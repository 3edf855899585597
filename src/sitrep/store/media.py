"""Recordings kept for playback: each stored recording as a small Opus file (Ogg), named by the SHA-256 of the
original, in the store's media folder.

The folder is `$SITREP_MEDIA`, else `<database file>.media/` beside a SQLite database, else `media/` under the
user's data directory (PostgreSQL). The dashboard's player reads from it (`/api/recordings/{sha256}`); a
recording whose file is not in this folder (another host, a deleted folder) simply has no player.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from platformdirs import user_data_dir

log = logging.getLogger(__name__)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
BITRATE = 24_000
MEDIA_TYPE = "audio/ogg"


def media_dir(store) -> Path:
    env = os.environ.get("SITREP_MEDIA")
    if env:
        return Path(env)
    url = store.engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database + ".media")
    return Path(user_data_dir("sitrep", appauthor=False)) / "media"


def media_path(store, sha256: str) -> Path | None:
    """Where the recording with this hash is kept (None for a malformed hash)."""
    if not SHA256.match(sha256 or ""):
        return None
    return media_dir(store) / f"{sha256}.ogg"


def encode_opus(samples, path: Path, rate: int = 16_000) -> None:
    """Mono float32 samples as Ogg Opus at BITRATE (written to a temporary name, then renamed)."""
    import av
    import numpy as np

    tmp = path.with_name(f".{path.name}.tmp")
    with av.open(str(tmp), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48_000)
        stream.bit_rate = BITRATE
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        frame = av.AudioFrame.from_ndarray((np.clip(samples, -1, 1) * 32767).astype(np.int16)[None, :],
                                           format="s16", layout="mono")
        frame.sample_rate = rate
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    tmp.replace(path)


def keep(store, recording: dict) -> Path | None:
    """Keep the recording behind a result (`result['recording']`) for playback, once per distinct file."""
    target = media_path(store, recording.get("sha256", ""))
    source = Path(recording.get("file") or "")
    if target is None or target.exists() or not source.is_file():
        return target if target is not None and target.exists() else None
    from sitrep.ingest.audio import decode

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        encode_opus(decode(source).samples, target)
    except Exception as exc:  # noqa: BLE001 - no player for this one; the record itself is stored
        log.warning("recording %s not kept for playback: %s", source, exc)
        return None
    return target
