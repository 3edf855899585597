"""The intercept desk's recordings: the audio behind a transcribed call (`GET /api/recordings/{sha256}`, byte
ranges so the player can seek) and, for a card, the time range of each quote and indicator (`recording_card`)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from sitrep.store.media import MEDIA_TYPE, media_path

router = APIRouter(prefix="/api")


@router.get("/recordings/{sha256}", summary="The audio of a transcribed recording (Ogg Opus), by its SHA-256",
            response_class=FileResponse)
def recording(request: Request, sha256: str):
    path = media_path(request.app.state.store, sha256)
    if path is None:
        raise HTTPException(400, "a recording is named by the 64 hex digits of its SHA-256")
    if not path.is_file():
        raise HTTPException(404, f"no recording {sha256} kept on this server")
    return FileResponse(path, media_type=MEDIA_TYPE)


def recording_card(store, result: dict | None, quotes: list[dict], indicator_idx: list[int]) -> dict | None:
    """Player data for a card: the audio URL (when kept here), the call's language, each quote's time (by the
    quote's index in its document) and each indicator's time range (from its evidence span)."""
    from sitrep.extract.recording import time_range

    rec = (result or {}).get("recording")
    if not rec:
        return None
    path = media_path(store, rec.get("sha256", ""))
    items = result.get("quotes") or []
    for q in quotes:
        idx = q.get("idx")
        time = items[idx].get("time") if idx is not None and 0 <= idx < len(items) else None
        if time is None and q.get("start") is not None:
            rng = time_range(rec, q["start"], q["end"])
            time = {"start": rng[0], "end": rng[1]} if rng else None
        q["time"] = time
    indicators = []
    all_ind = result.get("indicators") or []
    for i in indicator_idx:
        if 0 <= i < len(all_ind):
            ev = all_ind[i].get("evidence") or {}
            rng = time_range(rec, ev.get("start", -1), ev.get("end", -1))
            indicators.append({"kind": all_ind[i].get("kind"), "text": ev.get("text"),
                               "time": {"start": rng[0], "end": rng[1]} if rng else None})
    return {"url": f"/api/recordings/{rec['sha256']}" if path is not None and path.is_file() else None,
            "duration": rec.get("duration"), "language": rec.get("language"), "speakers": rec.get("speakers") or [],
            "indicators": indicators,
            "translation_en": " ".join(s.get("text", "") for s in rec.get("translation_en") or [])}
