"""Telegram Desktop channel exports (`result.json`): each message a document.

Text entities (links, bold, mentions …) are flattened to their plain text; the channel name is the outlet and the
message date the publication date. Service messages and messages without text (a bare photo) are not documents;
a voice, audio or video message is one document: its recording with the message text as its page (ingest/audio.py).
"""
from __future__ import annotations

from collections.abc import Iterator

from sitrep.article import Article, ReadError
from sitrep.ingest.audio import telegram_recording


def flatten_text(value) -> str:
    """Telegram's `text` is a string or a list of strings and {type, text} entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value)
    return ""


def read_telegram_export(data: dict, path: str) -> Iterator[Article | ReadError]:
    channel = data.get("name")
    channel_id = data.get("id")
    username = data.get("username")
    for i, msg in enumerate(data.get("messages", [])):
        origin = f"{path}#message{msg.get('id', i)}" if isinstance(msg, dict) else f"{path}#{i}"
        if not isinstance(msg, dict):
            yield ReadError(source=origin, error="message is not an object")
            continue
        if msg.get("type", "message") != "message":
            continue
        entities = msg.get("text_entities")
        text = "".join(e.get("text", "") for e in entities) if isinstance(entities, list) and entities else \
            flatten_text(msg.get("text"))
        msg_id = msg.get("id", i)
        article = Article(
            id=f"telegram:{channel_id or channel}:{msg_id}",
            text=text,
            published=(msg.get("date") or None),
            outlet=channel,
            url=f"https://t.me/{username}/{msg_id}" if username else None,
            origin=origin,
        )
        recording = telegram_recording(msg, path, article)  # a voice/audio/video message: its text is the page
        if isinstance(recording, Article):
            yield recording
            continue
        if recording is not None:
            yield recording
        if not text.strip():
            continue
        yield article
