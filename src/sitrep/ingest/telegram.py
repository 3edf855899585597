"""Telegram Desktop exports in JSON (`result.json`): one document per channel message.

The format (Telegram Desktop → Export chat history → JSON): a chat object `{name, type, id, messages}` — or a
whole-account export `{chats: {list: [chat, …]}}` — whose messages carry `id`, `type` ("message" | "service"),
`date` (exporter's local time) and `date_unixtime`, `edited`/`edited_unixtime`, `from`/`from_id`, `author` (a
channel post's signature), `forwarded_from`/`forwarded_from_id`, `saved_from`, `reply_to_message_id`
(+ `reply_to_peer_id` for a reply in another chat), `via_bot`, media (`photo`; `file` with `media_type`
video_file | voice_message | audio_file | video_message | animation | sticker, or none for a document; `poll`,
`location_information`, `contact_information`), and `text` (a string or a list of strings and entities) with
`text_entities` (the same as `{type, text}` objects, `href` on text_link, `user_id` on mention_name).

What a document gets:
- text: the entities flattened to their visible text; a media message's caption is its text. Messages with no
  text (a bare photo, a sticker) and service messages (pins, joins) are not documents.
- outlet: the channel's name; published: the message time in UTC (`date_unixtime`), else `date` as exported.
- url: https://t.me/<username>/<id> when the channel's public username is known (the caller gives it, by channel
  id or name — `--telegram-channel NAME=USERNAME` — or the export carries a `username`); else https://t.me/c/<channel id>/<id>, Telegram's link to a post
  by the channel's internal id (it opens for members; `telegram.url_kind` says "private_link"); with neither, none.
- language: guessed per message (`sitrep.language.guess_language`).
- `telegram` field: channel, ids, dates, edit time, author, forward and reply links, media type, links (URLs of
  text_link entities with their offsets in the message text), hashtags and mentions.
- `source_outlet`: for a message that forwards another, the original channel — what the store counts as its
  source when it counts independent sources (a forward is the original channel speaking, not a second voice).
- a voice, audio or video message is one document: its recording, with the message text as its page
  (ingest/audio.py); a recording the export left out is an error record naming the message.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from sitrep.article import Article, ReadError
from sitrep.ingest.audio import telegram_recording
from sitrep.language import guess_language

MEDIA_TYPES = {"video_file": "video", "voice_message": "voice", "audio_file": "audio", "video_message": "video_note",
               "animation": "animation", "sticker": "sticker"}
CHANNEL_TYPES = ("public_channel", "private_channel", "channel")


def flatten_text(value) -> str:
    """Telegram's `text` is a string or a list of strings and {type, text} entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value)
    return ""


def entities_of(msg: dict) -> list[dict]:
    """The message's entities as [{type, text, href?, start, end}] with offsets into the flattened text."""
    raw = msg.get("text_entities")
    if not isinstance(raw, list) or not raw:
        value = msg.get("text")
        raw = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in value] \
            if isinstance(value, list) else [{"type": "plain", "text": value if isinstance(value, str) else ""}]
    out, pos = [], 0
    for ent in raw:
        if not isinstance(ent, dict):
            continue
        text = str(ent.get("text", ""))
        out.append({**ent, "text": text, "start": pos, "end": pos + len(text)})
        pos += len(text)
    return out


def media_type(msg: dict) -> str | None:
    if msg.get("photo"):
        return "photo"
    if msg.get("media_type"):
        return MEDIA_TYPES.get(msg["media_type"], msg["media_type"])
    if msg.get("file"):
        return "document"
    for key, kind in (("poll", "poll"), ("location_information", "location"), ("contact_information", "contact")):
        if msg.get(key):
            return kind
    return None


def _utc(unixtime) -> str | None:
    try:
        return datetime.fromtimestamp(int(unixtime), tz=timezone.utc).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def message_url(username: str | None, channel_id, msg_id) -> tuple[str | None, str | None]:
    """(url, kind): the public post link when the username is known, else the internal-id link, else none."""
    if username:
        return f"https://t.me/{username.lstrip('@')}/{msg_id}", "public"
    if channel_id not in (None, ""):
        return f"https://t.me/c/{str(channel_id).removeprefix('-100')}/{msg_id}", "private_link"
    return None, None


def telegram_meta(chat: dict, msg: dict, entities: list[dict], url_kind: str | None) -> dict:
    meta = {
        "channel": chat.get("name"), "channel_id": chat.get("id"), "channel_type": chat.get("type"),
        "message_id": msg.get("id"), "date": msg.get("date"), "date_utc": _utc(msg.get("date_unixtime")),
        "edited": _utc(msg.get("edited_unixtime")) or msg.get("edited"),
        "author": msg.get("author") or msg.get("from"), "author_id": msg.get("from_id"),
        "forwarded_from": msg.get("forwarded_from"), "forwarded_from_id": msg.get("forwarded_from_id"),
        "saved_from": msg.get("saved_from"), "reply_to_message_id": msg.get("reply_to_message_id"),
        "reply_to_peer_id": msg.get("reply_to_peer_id"), "via_bot": msg.get("via_bot"),
        "media_type": media_type(msg), "mime_type": msg.get("mime_type"), "url_kind": url_kind,
        "links": [{"text": e["text"], "url": e.get("href") or e["text"], "start": e["start"], "end": e["end"]}
                  for e in entities if e.get("type") in ("text_link", "link") and (e.get("href") or e["text"])],
        "hashtags": [e["text"] for e in entities if e.get("type") == "hashtag"],
        "mentions": [e["text"] for e in entities if e.get("type") in ("mention", "mention_name")],
    }
    return {k: v for k, v in meta.items() if v not in (None, [], "")}


def message_article(chat: dict, msg: dict, origin: str, username: str | None = None,
                    keep_empty: bool = False) -> Article | None:
    """One message as an Article (None for service messages, and for messages without text unless `keep_empty`:
    a recording's post is its page even when it has no caption)."""
    if msg.get("type", "message") != "message":
        return None
    entities = entities_of(msg)
    text = "".join(e["text"] for e in entities)
    if not text.strip() and not keep_empty:
        return None
    msg_id = msg.get("id")
    channel_id = chat.get("id")
    url, url_kind = message_url(username, channel_id, msg_id)
    meta = {"telegram": telegram_meta(chat, msg, entities, url_kind)}
    original = msg.get("forwarded_from") or msg.get("saved_from")
    if original and str(original).strip() != str(chat.get("name") or "").strip():
        meta["source_outlet"] = str(original).strip()
    return Article(
        id=f"telegram:{channel_id if channel_id not in (None, '') else chat.get('name')}:{msg_id}",
        text=text,
        published=_utc(msg.get("date_unixtime")) or msg.get("date") or None,
        outlet=chat.get("name"),
        url=url,
        language=guess_language(text),
        origin=origin,
        meta=meta,
    )


def chats_of(data: dict) -> list[dict]:
    """The chats of an export: the object itself (one chat) or every chat of a whole-account export."""
    if isinstance(data.get("messages"), list):
        return [data]
    chats = data.get("chats")
    listed = chats.get("list") if isinstance(chats, dict) else None
    return [c for c in listed or [] if isinstance(c, dict) and isinstance(c.get("messages"), list)]


def is_telegram_export(data) -> bool:
    return isinstance(data, dict) and bool(chats_of(data))


def username_for(chat: dict, usernames: dict[str, str] | None) -> str | None:
    """The channel's public username: given by the caller (by channel id, name or "*"), else in the export."""
    given = usernames or {}
    for key in (str(chat.get("id") or ""), str(chat.get("name") or "").strip(), "*"):
        if key and given.get(key):
            return given[key]
    return chat.get("username") or None


def read_telegram_export(data: dict, path: str, usernames: dict[str, str] | None = None
                         ) -> Iterator[Article | ReadError]:
    chats = chats_of(data)
    for n, chat in enumerate(chats):
        where = f"{path}#chat{n}/" if len(chats) > 1 else f"{path}#"
        for i, msg in enumerate(chat.get("messages", [])):
            if not isinstance(msg, dict):
                yield ReadError(source=f"{where}message{i}", error="message is not an object")
                continue
            origin = f"{where}message{msg.get('id', i)}"
            if msg.get("id") is None:
                yield ReadError(source=origin, error="message has no id")
                continue
            article = message_article(chat, msg, origin, username_for(chat, usernames), keep_empty=True)
            if article is None:
                continue
            recording = telegram_recording(msg, path, article)  # a voice/audio/video message: its text is the page
            if isinstance(recording, Article):
                yield recording
                continue
            if recording is not None and not article.text.strip():
                yield recording  # a voice message whose recording the export left out: nothing else to read
                continue
            if recording is not None:  # the text is read; the missing recording is noted, not lost silently
                article.meta.setdefault("telegram", {})["recording_missing"] = recording.error
            if article.text.strip():
                yield article
