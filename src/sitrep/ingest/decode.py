"""Bytes to text: UTF-8 (with or without BOM), then cp1251 with a warning; anything else is an error."""
from __future__ import annotations


class DecodeError(ValueError):
    pass


def decode_bytes(data: bytes, source: str) -> tuple[str, list[str]]:
    """Return (text, warnings)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        line = data[:first_bad].count(b"\n") + 1
        raise DecodeError(f"{source}:{line}: undecodable bytes (not UTF-8 or cp1251)") from None
    return text, [f"{source}: not valid UTF-8, decoded as cp1251"]
