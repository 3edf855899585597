"""Small dependency-parse helpers shared by the events modules."""
from __future__ import annotations

SUBJ = ("nsubj", "nsubjpass", "csubj")


def _head_of(doc, start: int, end: int):
    """The token of [start, end) whose head lies outside the span."""
    for i in range(start, end):
        tok = doc[i]
        if tok.head.i < start or tok.head.i >= end or tok.head.i == tok.i:
            return tok
    return doc[start]


def _clause_verb(tok):
    """The verb whose clause the token belongs to (itself if it is a verb)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "amod":
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _phrase(tok):
    """Token range of a noun phrase headed by tok, without relative clauses or trailing prepositions."""
    left, right = tok.i, tok.i
    for child in tok.children:
        if child.dep_ in ("relcl", "acl", "prep", "punct", "appos", "advcl", "cc") and child.i > tok.i:
            continue
        if child.dep_ == "conj":
            sub = [t.i for t in child.subtree]
            right = max(right, max(sub))
            continue
        sub = [t.i for t in child.subtree]
        left, right = min(left, min(sub)), max(right, max(sub))
    return left, right + 1
