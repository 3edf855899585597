"""Loading lexicon data files (YAML/CSV under sitrep/lexicons/), once per process.

Lexicons are data, not code: every word list, pattern and canonical name lives in a file with a header saying
where it comes from. Code asks for a lexicon by file name and gets parsed, cached data back.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

LEXICON_DIR = Path(str(resources.files("sitrep") / "lexicons"))


def lexicon_path(name: str) -> Path:
    path = LEXICON_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"lexicon {name!r} not found in {LEXICON_DIR}")
    return path


@lru_cache(maxsize=None)
def load_yaml(name: str):
    with lexicon_path(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def load_csv(name: str) -> tuple[dict, ...]:
    with lexicon_path(name).open(encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return tuple(rows)


def compile_alternation(words, flags=re.IGNORECASE, boundary=True) -> re.Pattern:
    """One regex matching any of `words` (longest first), with word boundaries."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w) if not w.startswith("re:") else w[3:] for w in ordered)
    if boundary:
        body = rf"(?<![\w-])(?:{body})(?![\w-])"
    return re.compile(body, flags)
