"""Dates: ISO parsing of metadata, the publication date found in a text, and the resolver of date expressions.

`resolve(expression, published)` turns "on Tuesday", "yesterday (Wednesday)", "last month", "on Feb. 24",
"in early April", "10 January 2024" into (ISO date, precision) against the publication date. `find_dates(text)`
yields every date expression with its offsets. Precision is one of day / week / month / year / unknown.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "a": 1, "an": 1, "several": 3, "a few": 3}

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|several|a few)"

DATE_PATTERN = re.compile(
    rf"""(?ix)
    (?P<iso>\b{_YEAR}-[01]\d-[0-3]\d\b)
  | (?P<dmy>\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b)
  | (?P<mdy>\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b)
  | (?P<part_month>\b(?:early|mid|middle\s+of|late|end\s+of|beginning\s+of|the\s+start\s+of|start\s+of)[-\s]+{_MONTH}(?:\s+{_YEAR})?\b)
  | (?P<month_year>\b{_MONTH}\s+{_YEAR}\b)
  | (?P<in_month>\b(?:in|since|during|until|by)\s+{_MONTH}(?![\w-])(?!\.?\s*\d))
  | (?P<yesterday>\b(?:the\s+day\s+before\s+yesterday|yesterday)(?:\s*\(\s*{_WEEKDAY}\s*\))?)
  | (?P<today>\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b)
  | (?P<last_night>\b(?:last|overnight)\s+night\b|\bovernight\b)
  | (?P<weekday>\b(?:(?:early|late|on|last|this\s+past)\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b)
  | (?P<weekend>\b(?:over\s+)?(?:the|this\s+past|last)\s+weekend\b)
  | (?P<ago>\b{_NUM}\s+(?:days?|weeks?|months?|years?)\s+ago\b)
  | (?P<last_unit>\b(?:last|this|past)\s+(?:week|month|year)\b)
  | (?P<year>\b(?:in|since|during)\s+{_YEAR}\b)
    """
)


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    date: str | None
    precision: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "date": self.date,
                "precision": self.precision}


def parse_iso_date(value: str | None) -> date | None:
    """A date from metadata: ISO, ISO datetime, RFC 2822 or any format dateutil reads."""
    if not value:
        return None
    value = str(value).strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        from dateutil import parser

        return parser.parse(value, fuzzy=False).date()
    except (ValueError, OverflowError, TypeError):
        return None


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def _number(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, published: date | None) -> date | None:
    """A month-day without a year: the most recent such day not long after publication."""
    if published is None:
        return None
    candidate = _safe_date(published.year, month, day)
    if candidate and candidate > published + timedelta(days=7):
        candidate = _safe_date(published.year - 1, month, day)
    return candidate


def _month_start(month: int, published: date | None, year: int | None) -> date | None:
    if year is not None:
        return date(year, month, 1)
    if published is None:
        return None
    y = published.year if month <= published.month else published.year - 1
    return date(y, month, 1)


def resolve(expression: str, published: date | None) -> tuple[str | None, str]:
    """(ISO date, precision) of one date expression; (None, 'unknown') when it cannot be placed."""
    m = DATE_PATTERN.search(expression)
    if not m:
        return None, "unknown"
    resolved, precision = _resolve_match(m, published)
    return (resolved.isoformat() if resolved else None), (precision if resolved else "unknown")


def _resolve_match(m: re.Match, published: date | None) -> tuple[date | None, str]:
    kind = m.lastgroup
    text = m.group(0)
    low = text.lower()
    if kind == "iso":
        return parse_iso_date(text), "day"
    if kind in ("dmy", "mdy"):
        month_tok = re.search(_MONTH, low).group(0)
        rest = low.replace(month_tok, " ", 1)
        day = int(re.search(r"\d{1,2}", re.sub(_YEAR, " ", rest)).group(0))
        year_m = re.search(_YEAR, low)
        if year_m:
            return _safe_date(int(year_m.group(0)), _month(month_tok), day), "day"
        return _infer_year(_month(month_tok), day, published), "day"
    if kind == "part_month":
        month = _month(re.search(_MONTH, low).group(0))
        year_m = re.search(_YEAR, low)
        start = _month_start(month, published, int(year_m.group(0)) if year_m else None)
        if start is None:
            return None, "unknown"
        day = 5 if re.match(r"(early|beginning|the start|start)", low) else 25 if re.match(r"(late|end)", low) else 15
        return start.replace(day=day), "month"
    if kind == "month_year":
        month = _month(re.search(_MONTH, low).group(0))
        return date(int(re.search(_YEAR, low).group(0)), month, 1), "month"
    if kind == "in_month":
        month_tok = re.search(_MONTH + r"$", low.strip())
        if not month_tok:
            return None, "unknown"
        if month_tok.group(0).rstrip(".") == "may" and not low.startswith(("in may", "since may")):
            return None, "unknown"
        return _month_start(_month(month_tok.group(0)), published, None), "month"
    if published is None:
        return None, "unknown"
    if kind == "yesterday":
        named = re.search(_WEEKDAY, low)
        if named:  # "yesterday (Wednesday)": the named weekday wins over an inexact publication date
            back = (published.weekday() - WEEKDAYS[named.group(0)]) % 7 or 7
            return published - timedelta(days=back), "day"
        return published - timedelta(days=2 if "before" in low else 1), "day"
    if kind == "today":
        return published, "day"
    if kind == "last_night":
        return published - timedelta(days=1), "day"
    if kind == "weekday":
        weekday = WEEKDAYS[re.search(_WEEKDAY, low).group(0)]
        back = (published.weekday() - weekday) % 7
        if low.startswith("last ") and back == 0:
            back = 7
        return published - timedelta(days=back), "day"
    if kind == "weekend":
        back = (published.weekday() - 5) % 7
        return published - timedelta(days=back), "week"
    if kind == "ago":
        n_tok, unit = re.match(rf"({_NUM})\s+(\w+)", low).groups()
        n = _number(n_tok)
        if unit.startswith("day"):
            return published - timedelta(days=n), "day"
        if unit.startswith("week"):
            return published - timedelta(weeks=n), "week"
        if unit.startswith("month"):
            month_index = published.year * 12 + published.month - 1 - n
            return date(month_index // 12, month_index % 12 + 1, 1), "month"
        return date(published.year - n, 1, 1), "year"
    if kind == "last_unit":
        which, unit = low.split()
        if unit == "week":
            return published - timedelta(days=0 if which == "this" else 7), "week"
        if unit == "month":
            if which == "this":
                return published.replace(day=1), "month"
            month_index = published.year * 12 + published.month - 2
            return date(month_index // 12, month_index % 12 + 1, 1), "month"
        return date(published.year - (0 if which == "this" else 1), 1, 1), "year"
    if kind == "year":
        return date(int(re.search(_YEAR, low).group(0)), 1, 1), "year"
    return None, "unknown"


def find_dates(text: str, published: date | None) -> Iterator[DateMention]:
    for m in DATE_PATTERN.finditer(text):
        resolved, precision = _resolve_match(m, published)
        if m.lastgroup == "in_month" and resolved is None:
            continue
        yield DateMention(m.start(), m.end(), m.group(0), resolved.isoformat() if resolved else None, precision)


_PUBLISHED_LINE = re.compile(
    rf"(?i)(?:published|updated|posted|date)?\s*:?\s*(?P<date>{_YEAR}-[01]\d-[0-3]\d|{_DAY}\s+{_MONTH},?\s+{_YEAR}|"
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR})"
)


def publication_date_from_text(text: str) -> str | None:
    """A full date (with year) in the first lines of the text, taken as the publication date."""
    head = text[:400]
    m = _PUBLISHED_LINE.search(head)
    if not m:
        return None
    value, _ = resolve(m.group("date"), None)
    return value


def today() -> date:
    return datetime.now().date()
