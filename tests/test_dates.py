"""The date resolver: relative and partial expressions against a publication date."""
from datetime import date

import pytest

from sitrep.dates import find_dates, publication_date_from_text, resolve

PUB = date(2023, 3, 9)  # a Thursday


@pytest.mark.parametrize("expr,expected", [
    ("on Tuesday", ("2023-03-07", "day")),
    ("yesterday", ("2023-03-08", "day")),
    ("yesterday (Wednesday)", ("2023-03-08", "day")),
    ("yesterday (Monday)", ("2023-03-06", "day")),
    ("the day before yesterday", ("2023-03-07", "day")),
    ("last month", ("2023-02-01", "month")),
    ("on Feb. 24", ("2023-02-24", "day")),
    ("on Dec. 31", ("2022-12-31", "day")),
    ("in early April", ("2022-04-05", "month")),
    ("On 10 January 2024", ("2024-01-10", "day")),
    ("July 4, 2022", ("2022-07-04", "day")),
    ("three days ago", ("2023-03-06", "day")),
    ("last week", ("2023-03-02", "week")),
    ("in 2022", ("2022-01-01", "year")),
    ("overnight", ("2023-03-08", "day")),
    ("nothing here", (None, "unknown")),
])
def test_resolve(expr, expected):
    assert resolve(expr, PUB) == expected


def test_find_dates_offsets_and_no_false_may():
    text = "Troops may advance. On Feb. 24, 2022 Russia invaded; since March the front has moved."
    found = list(find_dates(text, PUB))
    assert [text[d.start:d.end] for d in found] == [d.text for d in found]
    assert [d.date for d in found] == ["2022-02-24", "2023-03-01"]


def test_publication_date_from_the_head_of_a_text():
    assert publication_date_from_text("Published April 23, 2022\nRussian forces ...") == "2022-04-23"
    assert publication_date_from_text("No date at all in this text.") is None
