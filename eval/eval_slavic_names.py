"""People and organisations in Russian and Ukrainian text: precision and recall of sitrep's entities.

Data: eval/data/slavic_names.jsonl ("written": the sentences the rules were developed on) and
eval/data/slavic_names_written_later.jsonl ("held-out": written afterwards and scored without changing anything) —
sentences written for sitrep in the style of Ukrainian and Russian war reporting (officials with titles, soldiers,
volunteers, agencies, units), each with the person and organisation mentions as written. A mention counts when sitrep has an entity with exactly that text (people:
type person; organisations: agency, organisation, armed_group or military_unit). `--pages FILE` adds a JSONL file
of the same shape made from real pages (kept outside the repository); it is skipped when absent.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sitrep.article import Article
from sitrep.pipeline import Pipeline

ORG_TYPES = {"agency", "organisation", "armed_group", "military_unit"}


def score(pipeline: Pipeline, rows: list[dict]) -> dict:
    counts = {(lang, kind): [0, 0, 0] for lang in ("uk", "ru") for kind in ("PERSON", "ORG")}  # tp, fp, fn
    articles = [Article(text=r["text"], language=r["lang"], origin=f"names#{i}") for i, r in enumerate(rows)]
    for row, res in zip(rows, pipeline.run(articles)):
        found = {"PERSON": {e.text for e in res.entities if e.type == "person"},
                 "ORG": {e.text for e in res.entities if e.type in ORG_TYPES}}
        for kind in ("PERSON", "ORG"):
            gold = set(row[kind])
            c = counts[(row["lang"], kind)]
            c[0] += len(found[kind] & gold)
            c[1] += len(found[kind] - gold)
            c[2] += len(gold - found[kind])
    return counts


def report(label: str, counts: dict) -> None:
    for (lang, kind), (tp, fp, fn) in counts.items():
        if tp + fp + fn == 0:
            continue
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"slavic names {label} {lang} {kind}: P {p:.2f} R {r:.2f} ({tp} found, {fp} wrong, {fn} missed)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--pages", default=None, help="JSONL annotations of real pages (optional)")
    args = ap.parse_args()
    data = Path(__file__).resolve().parent / "data" / "slavic_names.jsonl"
    if not data.exists():
        print("slavic names: skipped (eval/data/slavic_names.jsonl absent)")
        return 0
    pipeline = Pipeline()
    for label, path in (("written", data), ("held-out", data.with_name("slavic_names_written_later.jsonl"))):
        if path.exists():
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            report(label, score(pipeline, rows))
    if args.pages:
        pages = Path(args.pages)
        if pages.exists():
            rows = [json.loads(line) for line in pages.read_text(encoding="utf-8").splitlines() if line.strip()]
            report("pages", score(pipeline, rows))
        else:
            print(f"slavic names pages: skipped ({pages} absent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
