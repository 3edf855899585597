"""Bytes to text for every reader: which encoding a file is in, how sure that is, and mojibake undone.

Order of evidence, most certain first:
1. a byte-order mark (UTF-32 LE/BE, UTF-8, UTF-16 LE/BE): certain;
2. valid UTF-8 without NUL bytes: certain (ASCII is UTF-8);
3. UTF-16/UTF-32 without a BOM, recognised by the zero (or 0x04, Cyrillic) bytes in the high half of each code
   unit and by the decoded text being real words: a guess with a confidence;
4. a single-byte code page — cp1251, KOI8-R/KOI8-U or cp1252 — chosen by how word-like each decoding reads
   (cp1251 read as KOI8 turns lower case into upper case inside words; cp1251 read as cp1252 mixes scripts):
   a guess with a confidence and the alternatives that came close.
Text that is valid UTF-8 but carries mojibake — UTF-8 that someone decoded as cp1251 or cp1252 and saved again
("РљРёС—РІ", "ÐšÐ¸Ñ—Ð²") — is repaired run by run, only where the run turns back into Cyrillic exactly.

Nothing here is silent: `Decoded.meta()` says what was guessed or repaired (readers put it in the document's
`encoding` field) and `warnings` say it on the command line. Bytes that read as no text at all are an error that
names the file and line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


class DecodeError(ValueError):
    pass


BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
SINGLE_BYTE = ("cp1251", "koi8-r", "koi8-u", "cp1252")  # order breaks ties: cp1251 is the commonest Cyrillic page
UNCERTAIN_BELOW = 0.8
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_PUNCT_OK = set("«»„“”‘’‚—–…№•·§°±€ \u00a0\u2009\u202f")
# mojibake of UTF-8 is made of non-ASCII characters only (lead and continuation bytes are all >= 0x80)
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f]{2,}")
# what is left of mojibake when a byte was replaced by U+FFFD or dropped: a lead letter and a continuation sign
LEFTOVER_MOJIBAKE = re.compile(r"[ÐÑ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                               r"\u2013-\u203a\u20ac\u2122\ufffd]|[РС][\u0402-\u040f\u0452-\u045f\u0490\u0491"
                               r"\u2013-\u203a\u20ac\u2116\u2122\u00a0-\u00bb\ufffd]")


@dataclass
class Decoded:
    text: str
    encoding: str
    bom: bool = False
    confidence: float = 1.0
    alternatives: list[dict] = field(default_factory=list)
    repaired: int = 0          # mojibake runs turned back into text
    repaired_from: str | None = None
    mojibake_left: int = 0     # places that still look like mojibake but cannot be reversed exactly
    warnings: list[str] = field(default_factory=list)

    @property
    def certain(self) -> bool:
        return self.confidence >= 1.0 and not self.repaired and not self.mojibake_left

    def meta(self) -> dict | None:
        """What the document records about its decoding; None for plain (or BOM-marked) UTF-8 read as it is."""
        if self.encoding == "utf-8" and not self.repaired and not self.mojibake_left:
            return None
        out: dict = {"name": self.encoding, "bom": self.bom, "confidence": round(self.confidence, 2)}
        if self.alternatives:
            out["alternatives"] = self.alternatives
        if self.repaired:
            out["mojibake_repaired"] = {"runs": self.repaired, "misread_as": self.repaired_from}
        if self.mojibake_left:
            out["mojibake_left"] = self.mojibake_left
        return out


def _script(ch: str) -> str:
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    if ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return "latin"
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def _word_ok(w: str) -> bool:
    """A real word: one script, and lower case, Capitalised or UPPER case (no case flips inside)."""
    letters = w.replace("'", "").replace("’", "").replace("ʼ", "")
    scripts = {_script(c) for c in letters}
    if len(scripts) != 1:
        return False
    if scripts == {"latin"} and len(letters) >= 3 and sum(not c.isascii() for c in letters) * 2 > len(letters):
        return False  # "Îáñòðåë": Cyrillic read as cp1252; Latin words carry an accent here and there, not in most
    return letters.islower() or letters.isupper() or (letters[0].isupper() and letters[1:].islower())


def plausibility(text: str) -> float:
    """Share (0–1) of the non-ASCII characters that sit in real words or are ordinary typographic punctuation."""
    good = bad = 0
    for w in _WORD.findall(text):
        n = sum(1 for c in w if not c.isascii())
        if n:
            if _word_ok(w):
                good += n
            else:
                bad += n
    for ch in text:
        if ch.isascii():
            continue
        if ch in _PUNCT_OK:
            good += 1
        elif not ch.isalpha():
            bad += 1  # box drawing, control, modifier and math symbols: what a wrong code page produces
    share = good / (good + bad) if good + bad else 1.0
    wide = [c for c in text if c.isalpha() and not c.isascii()]
    upper = sum(c.isupper() for c in wide) / len(wide) if len(wide) >= 20 else 0.0
    return share - max(0.0, upper - 0.4)  # mostly UPPER CASE: lower case read through the wrong KOI8/cp1251 half


def _control_share(text: str) -> float:
    odd = sum(1 for c in text if (unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\n\r\t\f")
              or c == "\ufffd")
    return odd / max(1, len(text))


def _unbommed_wide(data: bytes) -> Decoded | None:
    """UTF-16/32 without a BOM: every code unit's high part is zero (Latin) or 0x04 (Cyrillic) far more often
    than chance, and the decoded text is words."""
    best: Decoded | None = None
    for enc, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if len(data) < unit * 4 or len(data) % unit:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > 0.01:
            continue
        letters = [c for c in text if c.isalpha()]
        if not letters:
            continue
        common = sum(1 for c in letters if _script(c) in ("latin", "cyrillic")) / len(letters)
        score = min(common, plausibility(text))
        if score >= 0.95 and (best is None or score > best.confidence):
            best = Decoded(text, enc, confidence=round(0.9 * score, 2))
    return best


def _single_byte(data: bytes, source: str, first_bad: int) -> Decoded:
    scored = []
    texts: dict[str, str] = {}
    for enc in SINGLE_BYTE:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if any(text == other for other in texts.values()):
            continue  # KOI8-U reads Russian-only text exactly as KOI8-R: one reading, the older name
        texts[enc] = text
        scored.append((plausibility(text) - _control_share(text) * 10, enc))
    scored.sort(key=lambda s: (-s[0], SINGLE_BYTE.index(s[1])))
    if not scored or scored[0][0] < 0.5:
        line = data[:first_bad].count(b"\n") + 1
        raise DecodeError(f"{source}:{line}: undecodable bytes (not UTF-8, UTF-16/32, cp1251, KOI8 or cp1252)")
    best_score, enc = scored[0]
    runner_up = 0.0
    if len(scored) > 1:  # judge the two best readings where they differ (KOI8-U and KOI8-R share most letters)
        a, b = texts[enc], texts[scored[1][1]]
        diff = {i for i in range(min(len(a), len(b))) if a[i] != b[i]}
        runner_up = best_score - (_local(a, diff) - _local(b, diff))
    confidence = round(max(0.0, min(0.95, best_score)) * min(1.0, 0.5 + (best_score - runner_up)), 2)
    alternatives = [{"name": e, "confidence": min(confidence, round(max(0.0, min(0.95, s)) * 0.5, 2))}
                    for s, e in scored[1:3] if s > 0.5]
    out = Decoded(texts[enc], enc, confidence=confidence, alternatives=alternatives)
    note = f"{source}: not valid UTF-8, decoded as {enc} (confidence {confidence:.2f})"
    if confidence < UNCERTAIN_BELOW:
        note += "; uncertain, alternatives: " + (", ".join(a["name"] for a in alternatives) or "none")
    out.warnings.append(note)
    return out


def _local(text: str, positions: set[int]) -> float:
    """Plausibility of the words (and lone characters) of `text` that cover `positions`."""
    spans = [m.span() for m in _WORD.finditer(text) if any(i in positions for i in range(*m.span()))]
    covered = {i for a, b in spans for i in range(a, b)}
    return plausibility(" ".join([text[a:b] for a, b in spans] + [text[i] for i in positions - covered]))


def _cp1252_bytes(run: str) -> bytes:
    """cp1252 bytes of a run, with latin-1 for the five bytes cp1252 leaves undefined (how browsers misread)."""
    return b"".join(ch.encode("cp1252") if ch not in "\x81\x8d\x8f\x90\x9d" else ch.encode("latin-1")
                    for ch in run)


_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"
MODERN_LETTERS = set(_LOWER) | set(_LOWER.upper())  # the letters of today's Russian and Ukrainian alphabets


def _repair_run(run: str, single: bool, misread: str | None) -> tuple[str, str] | None:
    """The run as the UTF-8 it was, when it turns back into Cyrillic exactly. A run that becomes one letter
    ("Рё" → "и", the one-letter words и, в, у, з, о, і; "вЂ”" → "—") only counts when `single` (the text has
    longer repairs)."""
    for name, to_bytes in (("cp1251", lambda s: s.encode("cp1251")), ("cp1252", _cp1252_bytes)):
        if misread and name != misread:
            continue
        try:
            fixed = to_bytes(run).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        wide = [c for c in fixed if not c.isascii()]
        if fixed == run or not wide or not all(c.isalpha() or c in _PUNCT_OK for c in wide):
            continue
        if len(wide) == 1:  # one letter or one dash/quote ("вЂ”" → "—"): only in a text already shown to be mojibake
            if single and (wide[0] in MODERN_LETTERS or wide[0] in _PUNCT_OK):
                return fixed, name
            continue
        # an exact byte round trip into mostly Cyrillic letters does not happen by chance ("БпЛА", "нанесëн" too)
        if sum(_script(c) == "cyrillic" for c in wide) >= 0.6 * len(wide):
            return fixed, name
    return None


def repair_mojibake(text: str) -> tuple[str, int, str | None]:
    """Undo UTF-8 read as cp1251/cp1252 where a run turns back into Cyrillic exactly; (text, runs, misread_as).

    Two passes: runs that become two or more characters first; once the text is known to hold mojibake, the
    one-letter runs of the same misreading too."""
    if not re.search(r"[РСÐÑ][^\x00-\x7f]", text):
        return text, 0, None
    count, used = 0, None
    for single in (False, True):
        if single and not count:
            break
        pieces, last = [], 0
        for m in _MOJIBAKE_RUN.finditer(text):
            fixed = _repair_run(m.group(0), single, used)
            if fixed is None:
                continue
            pieces.append(text[last:m.start()])
            pieces.append(fixed[0])
            last = m.end()
            count += 1
            used = used or fixed[1]
        pieces.append(text[last:])
        text = "".join(pieces)
    return text, count, used


def decode(data: bytes, source: str) -> Decoded:
    """Decode a file's bytes; raises DecodeError (naming `source` and the line) when no reading is text."""
    out: Decoded | None = None
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return _with_repair(Decoded(data[len(bom):].decode(enc), enc, bom=True), source)
            except UnicodeDecodeError as exc:
                line = data[:exc.start].count(b"\n") + 1
                raise DecodeError(f"{source}:{line}: {enc} byte-order mark, but bytes that are not {enc}") from None
    first_bad = len(data)
    try:
        text = data.decode("utf-8")
        if "\x00" not in text:
            return _with_repair(Decoded(text, "utf-8"), source)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    out = _unbommed_wide(data)
    if out is not None:
        out.warnings.append(f"{source}: no byte-order mark, read as {out.encoding} (confidence {out.confidence:.2f})")
        return out
    if first_bad == len(data):  # valid UTF-8 holding NUL bytes: keep it, say so
        return Decoded(data.decode("utf-8").replace("\x00", ""), "utf-8", confidence=0.9,
                       warnings=[f"{source}: NUL bytes removed"])
    return _single_byte(data, source, first_bad)


def _with_repair(out: Decoded, source: str) -> Decoded:
    fixed, runs, misread = repair_mojibake(out.text)
    if runs:
        out.text, out.repaired, out.repaired_from = fixed, runs, misread
        out.warnings.append(f"{source}: repaired {runs} run(s) of UTF-8 misread as {misread} (mojibake)")
    left = len(LEFTOVER_MOJIBAKE.findall(out.text))
    if left >= 3:
        out.mojibake_left = left
        out.warnings.append(f"{source}: {left} place(s) look like mojibake that cannot be reversed exactly "
                            f"(bytes were lost when it was made); left as they are")
    return out


def decode_declared(data: bytes, charset: str | None, source: str) -> Decoded:
    """Bytes whose sender declared a charset (HTTP header, <meta charset>): the declaration when the bytes obey it
    (no byte-order mark says otherwise, no mojibake inside), else the evidence of the bytes themselves."""
    if charset and not any(data.startswith(bom) for bom, _ in BOMS):
        try:
            import codecs

            name = codecs.lookup(charset).name
            out = _with_repair(Decoded(data.decode(name), "utf-8" if name == "utf-8" else name), source)
            if name != "utf-8":
                out.warnings.append(f"{source}: decoded as {name}, as its sender declared")
            return out
        except (LookupError, UnicodeDecodeError):
            pass
    out = decode(data, source)
    if charset:
        out.warnings.append(f"{source}: declared charset {charset!r} does not fit; read as {out.encoding}")
    return out


def note_on(article, decoded: Decoded) -> None:
    """Put what decoding guessed or repaired on an Article: its warnings and its document's `encoding` field."""
    article.warnings.extend(w for w in decoded.warnings if w not in article.warnings)
    meta = decoded.meta()
    if meta is not None:
        article.meta["encoding"] = meta


def decode_bytes(data: bytes, source: str) -> tuple[str, list[str]]:
    """Return (text, warnings) — the short form for readers that keep no metadata."""
    out = decode(data, source)
    return out.text, out.warnings
