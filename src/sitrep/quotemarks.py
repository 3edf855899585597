"""Finding quoted stretches of text by their marks, in every convention news text uses.

`find_quoted(text)` returns `Quoted` spans (inner text, without the marks) for: curly and straight double marks
(and mixed, mistyped pairs such as “…"), guillemets, single marks ‘…’ / '…' told apart from apostrophes, quotes
nested inside quotes (only the outer one is returned), and a quote whose paragraph ends before the closing mark
(`open_ended`; the next paragraph's opening mark continues it, as in multi-paragraph quotes).
Transcript lines (`(R): …`, `Soldier: …`, dialogue dashes) are found by `find_transcript_lines`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«\"”"
DOUBLE_CLOSE = "”\"»“"
SINGLE_OPEN = "‘'"
SINGLE_CLOSE = "’'"
MAX_SINGLE = 400
DOUBLED = '"\u2060'  # stands in for a doubled apostrophe while scanning  # a single-quoted stretch longer than this is apostrophes, not a quote


@dataclass
class Quoted:
    start: int          # first character inside the marks
    end: int            # one past the last character inside the marks
    open_ended: bool = False
    single: bool = False


def _before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else "\n"


def _after(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else "\n"


def _can_open(text: str, i: int) -> bool:
    prev, nxt = _before(text, i), _after(text, i)
    if nxt.isspace() and text[i] != "«":
        return False
    if text[i] == "”":  # a mistyped opener: only where nothing else could open
        return (prev.isspace() or prev in "([—–-:") and nxt.isalnum()
    return prev.isspace() or prev in "([{—–-:/…" or not prev.isalnum() or text[i] in "“„«"


def _can_close(text: str, i: int) -> bool:
    nxt, prev = _after(text, i), _before(text, i)
    if text[i] == "“":  # a mistyped closer
        return not prev.isspace() and not nxt.isalnum()
    return not prev.isspace() or nxt.isspace() or nxt in ".,;:!?)—–-\n"


def _single_open(text: str, i: int) -> bool:
    prev, nxt = _before(text, i), _after(text, i)
    return (prev.isspace() or prev in "([—–-:\"“") and (nxt.isalnum() or nxt in "[…")


def _single_close(text: str, i: int) -> bool:
    prev, nxt = _before(text, i), _after(text, i)
    return not prev.isspace() and not nxt.isalnum()


def _scan_singles(text: str, lo: int, hi: int, out: list[Quoted]) -> None:
    i = lo
    while i < hi:
        ch = text[i]
        if ch in SINGLE_OPEN and _single_open(text, i):
            for j in range(i + 1, min(hi, i + MAX_SINGLE)):
                if text[j] in SINGLE_CLOSE and _single_close(text, j):
                    out.append(Quoted(i + 1, j, single=True))
                    i = j
                    break
        i += 1


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted stretch, in text order (double-marked first within a paragraph, then single-marked gaps).

    Two apostrophes `''` (the New York Times archive and wire-copy convention) are one double mark."""
    text = text.replace("''", DOUBLED)  # same length: offsets stay those of the caller's text
    out: list[Quoted] = []
    pos = 0
    for para in text.split("\n"):
        lo, hi = pos, pos + len(para)
        pos = hi + 1
        found: list[Quoted] = []
        inside: int | None = None
        i = lo
        while i < hi:
            ch = text[i]
            if inside is None and ch in DOUBLE_OPEN and _can_open(text, i):
                inside = i + 1
                if text[inside:inside + 1] == DOUBLED[1]:
                    inside += 1
                    i += 1
            elif inside is not None and ch in DOUBLE_CLOSE and _can_close(text, i) and i > inside:
                found.append(Quoted(inside, i))
                inside = None
            i += 1
        if inside is not None and hi - inside > 1:
            found.append(Quoted(inside, hi, open_ended=True))
        # single marks outside the double-quoted stretches
        gaps, cursor = [], lo
        for q in found:
            gaps.append((cursor, q.start - 1))
            cursor = q.end + 1
        gaps.append((cursor, hi))
        singles: list[Quoted] = []
        for a, b in gaps:
            if b > a:
                _scan_singles(text, a, b, singles)
        out.extend(sorted(found + singles, key=lambda q: q.start))
    return out


# ---- transcripts ---------------------------------------------------------------------------------------
# A tag may follow a bullet or a number ("• (R): …", "2) Soldier: …") and may be bold ("**Mother:**").
BULLET = r"(?:[•·▪●◦*]|\d{1,3}[.)])?[ \t]*(?:\*\*|__)?"
LEGEND = re.compile(r"\(([A-ZА-Я][\w.]{0,3})\)\s*[=–—]\s*([^()\n]{2,60}?)(?=\s*\(|\s*$|\s*[,;]\s)", re.M)
TAG_LINE = re.compile(r"^[ \t]*" + BULLET + r"(?:\(([A-ZА-Я][\w.]{0,3})\)|\[?([A-Za-zА-Яа-яІіЇїЄєҐґ][\w’'.-]*"
                      r"(?:[ ][A-Za-z0-9А-Яа-я][\w’'.-]*){0,3})\]?)[ \t]*(?:\*\*|__)?"
                      r"[ \t]*(?::|[ \t][—–][ \t])[ \t]*(?:\*\*|__)?[ \t]*(\S.*)$", re.M)
PAREN_TAG = re.compile(r"^[ \t]*" + BULLET + r"\([A-ZА-Я][\w.]{0,3}\)[ \t]*:")
DASH_LINE = re.compile(r"^[ \t]*[—–-][ \t]+(\S.*)$", re.M)
QA_TAGS = {"Q": "interviewer", "A": "interviewee"}


def is_transcript_furniture(line: str) -> bool:
    """A speaker legend ("(R)=Russian soldier (M)=His mother") or a line tagged "(R): …" / "• (W): …"."""
    return bool(LEGEND.search(line) and line.lstrip().startswith("(")) or bool(PAREN_TAG.match(line))


@dataclass
class TranscriptLine:
    tag: str
    start: int
    end: int


def find_legend(text: str) -> dict[str, str]:
    """`(R)=Russian soldier (W)=Woman` → {"R": "Russian soldier", "W": "Woman"}."""
    return {m.group(1): m.group(2).strip(" .,;") for m in LEGEND.finditer(text)}


def find_transcript_lines(text: str, speaker_words: set[str]) -> list[TranscriptLine]:
    """Speaker-tagged lines: legend tags `(R): …`, role tags `Soldier: …` (bulleted, numbered or bold too), runs
    of ≥ 2 dialogue-dash lines, and dialogues between named speakers (`Sergei: …` / `Lena: …`, each tag at least
    twice in a run of tagged lines).

    A word tag counts only when it is a known speaker word (soldier, wife, mother, …), a legend key, or a name in
    such a dialogue, so "Note: …" or "Update: …" are not speech; ALL-CAPS names (a broadcast's presenters) are not
    call speakers.
    """
    legend = find_legend(text)
    lines: list[TranscriptLine] = []
    named: list[tuple[str, re.Match]] = []
    for m in TAG_LINE.finditer(text):
        tag = m.group(1) or m.group(2)
        words = [w for w in tag.lower().replace("’", "'").split() if not w.isdigit()] or [""]
        known = tag in legend or (m.group(2) and (words[-1] in speaker_words or " ".join(words) in speaker_words))
        if known:
            lines.append(TranscriptLine(legend.get(tag, tag), m.start(3), m.end(3)))
        elif m.group(2) and re.fullmatch(r"[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ’'-]+", tag):
            named.append((tag, m))
    # named dialogues: ≥ 2 distinct names, each at least twice, in consecutive tagged lines
    run: list[tuple[str, re.Match]] = []
    for item in named + [None]:
        if item is not None and run and text[run[-1][1].end():item[1].start()].count("\n") <= 3:
            run.append(item)
            continue
        counts = {}
        for tag, _ in run:
            counts[tag] = counts.get(tag, 0) + 1
        if len(counts) >= 2 and all(c >= 2 for c in counts.values()) or set(counts) == set(QA_TAGS):
            for tag, m in run:
                lines.append(TranscriptLine(QA_TAGS.get(tag, tag), m.start(3), m.end(3)))
        run = [item] if item is not None else []
    dashes = list(DASH_LINE.finditer(text))
    run_d: list[re.Match] = []
    for m in dashes + [None]:
        if m is not None and run_d and text[run_d[-1].end():m.start()].count("\n") <= 2:
            run_d.append(m)
            continue
        if len(run_d) >= 2:
            for k, d in enumerate(run_d):
                lines.append(TranscriptLine(f"speaker {'AB'[k % 2]}", d.start(1), d.end(1)))
        run_d = [m] if m is not None else []
    return sorted(lines, key=lambda t: t.start)
