"""A small language guess (ISO 639-1) for texts whose metadata does not say: script plus function words."""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "was", "for", "on", "with", "said"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "sich"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour"},
    "es": {"el", "la", "los", "las", "y", "que", "del", "en", "por", "una"},
}


def guess_language(text: str) -> str | None:
    sample = text[:4000]
    cyr = sum(1 for ch in sample if "\u0400" <= ch <= "\u04ff")
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    if cyr / letters > 0.5:
        if re.search(r"[іїєґІЇЄҐ]", sample):
            return "uk"
        return "ru"
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return None
    scores = {lang: sum(1 for w in words if w in fw) for lang, fw in _FUNCTION_WORDS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= max(2, len(words) * 0.03) else None
