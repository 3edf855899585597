"""Cleaning: boilerplate lines out (kept verbatim in `removed_boilerplate`), whitespace normalised.

Line patterns, section labels and embed placeholders live in `lexicons/boilerplate.yaml`. Besides them, three
structural rules: a caption printed twice (the second time with its credit; a headline printed twice keeps one
copy), a teaser headline in Title Case
between body paragraphs, and the reader's header lines (the `date YYYY-MM-DD` marker, the title line). Transcript
furniture — a speaker legend ("(R)=Russian soldier (W)=Woman") or a speaker-tagged line — is never boilerplate.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sitrep.lexicon import load_yaml
from sitrep.quotemarks import is_transcript_furniture

DATE_MARKER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b[ \t]*", re.IGNORECASE)
HEADLINE_REGION_LINE = 40  # a kept line this long is body text: what follows is no longer the page's head
SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with", "from",
               "as", "is", "vs", "via", "into", "over", "after", "up", "out", "it"}


def _compile(pattern: str) -> re.Pattern:
    """Case-insensitive unless the lexicon pattern starts with (?-i)."""
    if pattern.startswith("(?-i)"):
        return re.compile(pattern[5:])
    return re.compile(pattern, re.IGNORECASE)


class Rules:
    def __init__(self) -> None:
        data = load_yaml("boilerplate.yaml")
        self.patterns: list[tuple[str, re.Pattern]] = []
        for category, patterns in data["line_patterns"].items():
            for pattern in patterns:
                self.patterns.append((category, _compile(pattern)))
        self.caption_suffixes = [_compile(p) for p in data["caption_suffixes"]]
        self.placeholders = [p.casefold() for p in data["embed_placeholders"]]
        self.sections = {s.casefold() for s in data["section_labels"]}

    def category(self, line: str) -> str | None:
        """The boilerplate category of one stripped line, or None for body text."""
        if not line:
            return None
        folded = line.casefold()
        if folded.rstrip(":") in self.sections:
            return "section"
        if any(p in folded for p in self.placeholders):
            return "embed"
        for category, pattern in self.patterns:
            if pattern.search(line):
                return category
        if len(line) < 300 and any(p.search(line) for p in self.caption_suffixes):
            return "caption"
        return None


@lru_cache(maxsize=1)
def rules() -> Rules:
    return Rules()


def is_boilerplate_line(line: str) -> bool:
    return rules().category(line.strip()) is not None


def is_title_case_teaser(line: str) -> bool:
    """A short headline-style line: most content words capitalised, no sentence-final full stop."""
    if line.endswith((".", ",", ";", ":", "\"", "”")) and not line.endswith("..."):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    if not 4 <= len(words) <= 25:
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    if len(content) < 3:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.8 and sum(1 for w in words if w[0].isupper()) >= 4


def clean(text: str, title: str | None = None) -> tuple[str, list[str]]:
    """Return (cleaned text, removed lines verbatim)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    text = DATE_MARKER.sub("", text, count=1)
    lines = [line.strip() for line in text.split("\n")]
    r = rules()
    keep = [True] * len(lines)

    nonblank = [i for i, line in enumerate(lines) if line]
    # the title line, when the reader took it from the first paragraph
    first_body = None
    for i in nonblank:
        if r.category(lines[i]) is None:
            first_body = i
            break
    title_index = None
    body_lines = [i for i in nonblank if i != first_body]
    if title and first_body is not None and lines[first_body] == title.strip() and body_lines:
        # (a text that is nothing but its title — a headline — keeps it)
        keep[first_body] = False
        title_index = first_body

    transcript = {i for i in nonblank if is_transcript_furniture(lines[i])}  # legends and speaker-tagged lines stay
    for i in nonblank:
        if not keep[i] or i in transcript:
            continue
        if r.category(lines[i]) is not None:
            keep[i] = False

    # a caption printed twice: identical consecutive lines, or the second is the first plus a credit; an identical
    # pair above the first paragraph is the headline printed twice (page title and heading): its first copy stays
    for a, b in zip(nonblank, nonblank[1:]):
        la, lb = lines[a], lines[b]
        if len(la) >= 12 and (lb == la or (lb.startswith(la) and len(lb) - len(la) < 80)) and keep[a]:
            headline = lb == la and not any(keep[i] and len(lines[i]) >= HEADLINE_REGION_LINE for i in nonblank if i < a)
            keep[a], keep[b] = headline, False

    # teaser headlines between body paragraphs (only in multi-paragraph texts, never the first line)
    body = [i for i in nonblank if keep[i]]
    if len(body) >= 4:
        for i in body[1:-1] if body[0] != first_body else body[1:]:
            if i not in transcript and is_title_case_teaser(lines[i]):
                keep[i] = False

    kept_lines: list[str] = []
    blank = False
    for i, line in enumerate(lines):
        if not line:
            blank = bool(kept_lines)
            continue
        if not keep[i]:
            continue
        if blank and kept_lines:
            kept_lines.append("")
        kept_lines.append(re.sub(r"[ \t]{2,}", " ", line))
        blank = False
    removed_in_order = [lines[i] for i in nonblank if not keep[i] and i != title_index]
    return "\n".join(kept_lines), removed_in_order
