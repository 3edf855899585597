"""Loading lexicon data files (YAML/CSV under sitrep/lexicons/), once per process, merged across languages.

Lexicons are data, not code: every word list, pattern and canonical name lives in a file with a header saying
where it comes from. Code asks for a lexicon by file name and gets parsed, cached data back.

Languages: `lexicons/<name>` holds the concepts with their English surface forms; `lexicons/<lang>/<name>` (same
name, same shape) adds the surface forms of another language (`ru/`, `uk/`). `load_yaml(name)` returns the base
merged with every language file, so one matcher serves all languages — Cyrillic cue words never collide with
English ones, and an extractor never needs to know which language it reads. Merging only adds:

- mappings merge key by key (recursively); a key only a language file has is added;
- lists concatenate (duplicates dropped); list items that are mappings with a `canonical` key (actors, people,
  units) merge into the base item of the same canonical name, their `aliases` appended;
- a string (a regex in intercepts.yaml) becomes the alternation of the base and the language's string;
- any other value must equal the base's (two languages may both say `один: 1`), else loading fails;
- CSV rows of a language file follow the base rows (the header must be the same).

`load_yaml(name, lang)` / `load_csv(name, lang)` return the base plus one language only, for code that needs it.
"""
from __future__ import annotations

import copy
import csv
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

LEXICON_DIR = Path(str(resources.files("sitrep") / "lexicons"))
LANGUAGES = ("ru", "uk")  # languages with their own lexicon folders, merged in this order


def lexicon_path(name: str, lang: str | None = None) -> Path:
    path = LEXICON_DIR / lang / name if lang else LEXICON_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"lexicon {name!r} not found in {path.parent}")
    return path


def _read_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def merge(base, extra, where: str = ""):
    """`base` with `extra`'s entries added (see the module docstring); neither argument is changed."""
    if extra is None:
        return copy.deepcopy(base)
    if base is None:
        return copy.deepcopy(extra)
    if isinstance(base, dict) and isinstance(extra, dict):
        out = copy.deepcopy(base)
        for key, value in extra.items():
            out[key] = merge(out[key], value, f"{where}.{key}") if key in out else copy.deepcopy(value)
        return out
    if isinstance(base, list) and isinstance(extra, list):
        out = copy.deepcopy(base)
        by_canonical = {item["canonical"]: item for item in out if isinstance(item, dict) and "canonical" in item}
        seen = {_key(item) for item in out}
        for item in extra:
            if isinstance(item, dict) and item.get("canonical") in by_canonical:
                target = by_canonical[item["canonical"]]
                aliases = target.setdefault("aliases", [])
                aliases.extend(a for a in item.get("aliases", []) if a not in aliases)
                for key, value in item.items():
                    if key not in ("canonical", "aliases") and key not in target:
                        target[key] = copy.deepcopy(value)
                continue
            if _key(item) not in seen:
                seen.add(_key(item))
                out.append(copy.deepcopy(item))
        return out
    if isinstance(base, str) and isinstance(extra, str):
        return base if base == extra else f"(?:{base})|(?:{extra})"
    if base == extra:
        return copy.deepcopy(base)
    raise TypeError(f"lexicon merge at {where or 'top level'}: cannot merge {type(extra).__name__} "
                    f"into {type(base).__name__}")


def _key(item) -> str:
    return repr(item)


def _languages(lang: str | None) -> tuple[str, ...]:
    return LANGUAGES if lang is None else ((lang,) if lang in LANGUAGES else ())


@lru_cache(maxsize=None)
def load_yaml(name: str, lang: str | None = None):
    """The lexicon `name` merged with its ru/uk files (all languages, or only `lang`)."""
    data = _read_yaml(lexicon_path(name))
    for code in _languages(lang):
        path = LEXICON_DIR / code / name
        if path.exists():
            try:
                data = merge(data, _read_yaml(path), f"{code}/{name}")
            except TypeError as exc:
                raise ValueError(f"{path}: {exc}") from None
    return data


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@lru_cache(maxsize=None)
def load_csv(name: str, lang: str | None = None) -> tuple[dict, ...]:
    header, rows = _read_csv(lexicon_path(name))
    for code in _languages(lang):
        path = LEXICON_DIR / code / name
        if path.exists():
            extra_header, extra = _read_csv(path)
            if extra_header != header:
                raise ValueError(f"{path}: header {extra_header} differs from the base file's {header}")
            rows.extend(extra)
    return tuple(rows)


def compile_alternation(words, flags=re.IGNORECASE, boundary=True) -> re.Pattern:
    """One regex matching any of `words` (longest first), with word boundaries."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w) if not w.startswith("re:") else w[3:] for w in ordered)
    if boundary:
        body = rf"(?<![\w-])(?:{body})(?![\w-])"
    return re.compile(body, flags)
