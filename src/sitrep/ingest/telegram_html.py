"""Telegram Desktop exports in HTML (`messages.html`, `messages2.html`, …): one document per channel message.

Each page holds the chat's name in `.page_header .text.bold` and its messages as `div.message.default` with
`id="message<N>"`: a `.date.details` whose `title` is the full time ("01.03.2022 11:00:00 UTC+02:00", the
offset only in newer versions), `.from_name` (left out on "joined" follow-up messages), `.forwarded.body` (with
the original's name in its own `.from_name`), `.reply_to.details` (a link to `#go_to_message<N>`), `.media_wrap`
(photo_wrap, video_file_wrap, media_voice_message, media_audio_file, media_file, …), `.text` and
`.signature.details`. Service messages are `div.message.service`. Each message is turned into the JSON export's
shape and read by `telegram.message_article`, so both exports give the same documents (the HTML export has no
channel id nor edit time: its URLs need the channel's username, given by the caller).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.ingest.telegram import message_article, username_for

MARKERS = ('class="page_header"', 'class="history"', 'class="message ')
MEDIA_CLASSES = (  # class of the media block → the JSON export's field and value
    ("photo_wrap", "photo", "photo"), ("media_photo", "photo", "photo"),
    ("video_file_wrap", "media_type", "video_file"), ("media_video", "media_type", "video_file"),
    ("media_voice_message", "media_type", "voice_message"), ("media_audio_file", "media_type", "audio_file"),
    ("animated_wrap", "media_type", "animation"), ("sticker_wrap", "media_type", "sticker"),
    ("media_file", "file", "file"), ("media_poll", "poll", {"question": ""}),
    ("media_location", "location_information", {"place": ""}), ("media_contact", "contact_information", {"name": ""}),
)
DATE_TITLE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}:\d{2}:\d{2})(?: UTC([+-]\d{2}):?(\d{2}))?")


def is_telegram_html(html: str) -> bool:
    head = html[:20000]
    return all(m in head for m in MARKERS) and "message default" in html


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _date(title: str | None) -> str | None:
    m = DATE_TITLE.search(title or "")
    if not m:
        return None
    day, month, year, clock, oh, om = m.groups()
    return f"{year}-{month}-{day}T{clock}" + (f"{oh}:{om}" if oh else "")


def _entities(div) -> list[dict]:
    """The `.text` block as JSON-export entities: plain runs, and text_link for <a href> (line breaks kept)."""
    out: list[dict] = []

    def add(kind: str, text: str, href: str | None = None) -> None:
        if not text:
            return
        if kind == "plain" and out and out[-1]["type"] == "plain":
            out[-1]["text"] += text
        else:
            out.append({"type": kind, "text": text, **({"href": href} if href else {})})

    def walk(el) -> None:
        add("plain", el.text or "")
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                add("plain", "\n")
            elif tag == "a":  # hashtags are links with an empty href and an onclick
                href = (child.get("href") or "").strip()
                text = child.text_content()
                kind = "hashtag" if text.startswith("#") else "mention" if text.startswith("@") else \
                    ("link" if text.strip() == href else "text_link" if href else "plain")
                add(kind, text, href if kind in ("text_link", "link") else None)
            else:
                walk(child)
            add("plain", child.tail or "")

    walk(div)
    if out:  # the exporter indents: drop the layout whitespace at both ends
        out[0]["text"] = out[0]["text"].lstrip()
        out[-1]["text"] = out[-1]["text"].rstrip()
    return [e for e in out if e["text"]]


def _first(el, cls: str):
    for child in el.iter():
        if cls in _classes(child):
            return child
    return None


def html_message(div, previous_from: str | None) -> dict | None:
    """A `div.message` as a JSON-export message dict (None for service messages)."""
    classes = _classes(div)
    if "service" in classes or "default" not in classes:
        return None
    m = re.fullmatch(r"message(-?\d+)", div.get("id") or "")
    body = next((c for c in div if "body" in _classes(c)), None)
    if not m or body is None:
        return {"id": None}
    msg: dict = {"id": int(m.group(1)), "type": "message"}
    date = next((c for c in body if {"date", "details"} <= _classes(c)), None)
    msg["date"] = _date(date.get("title") if date is not None else None)
    name = next((c for c in body if "from_name" in _classes(c)), None)
    msg["from"] = name.text_content().strip() if name is not None else previous_from
    forwarded = next((c for c in body if "forwarded" in _classes(c)), None)
    holder = body
    if forwarded is not None:
        fname = next((c for c in forwarded if "from_name" in _classes(c)), None)
        if fname is not None:
            msg["forwarded_from"] = (fname.text or "").strip() or fname.text_content().strip()
        holder = forwarded
    reply = next((c for c in body if "reply_to" in _classes(c)), None)
    if reply is not None:
        link = reply.find(".//a")
        target = re.search(r"go_to_message(\d+)", link.get("href", "") if link is not None else "")
        if target:
            msg["reply_to_message_id"] = int(target.group(1))
    media = _first(holder, "media_wrap")
    if media is not None:
        found = {c for el in media.iter() for c in _classes(el)}
        for cls, key, value in MEDIA_CLASSES:
            if cls in found:
                msg[key] = value
                break
    text = next((c for c in holder if "text" in _classes(c)), None)
    msg["text_entities"] = _entities(text) if text is not None else []
    signature = _first(body, "signature")
    if signature is not None:
        msg["author"] = signature.text_content().strip()
    return msg


def read_telegram_html(html: str, path: Path, usernames: dict[str, str] | None = None
                       ) -> Iterator[Article | ReadError]:
    import lxml.html

    root = lxml.html.fromstring(html)
    header = root.xpath('//div[contains(@class, "page_header")]//div[contains(@class, "text")]')
    channel = header[0].text_content().strip() if header else None
    chat = {"name": channel, "type": None, "id": None}
    username = username_for(chat, usernames)
    previous_from = None
    for n, div in enumerate(root.xpath('//div[contains(concat(" ", @class, " "), " message ")]'), start=1):
        msg = html_message(div, previous_from)
        if msg is None:
            continue
        if msg.get("id") is None:
            yield ReadError(source=f"{path}#div{n}", error="Telegram message without an id or body")
            continue
        previous_from = msg.get("from") or previous_from
        article = message_article(chat, msg, f"{path}#message{msg['id']}", username)
        if article is not None:
            yield article
