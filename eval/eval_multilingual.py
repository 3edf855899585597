"""Ukrainian and Russian: share of gold checks met (issue 16: language, place within 15 km, ACLED event type,
fatalities, releaser, quotes; the bar is ≥ 80%), one line per figure.

Two sets, annotated the same way (guidelines and check definitions at the top of eval/annotations/uk_ru.yaml):
- pages: real public news pages, texts in $SITREP_DEVDATA/uk_ru (default ../devdata/uk_ru next to the repo),
  labels and offsets in eval/annotations/uk_ru.yaml; skipped when the folder is absent, a document skipped when
  its text is absent or differs (sha1) from the annotated one;
- own: short texts written for sitrep (eval/annotations/uk_ru_own/), always present.
Documents with an odd number are the tuning half, those with an even number the held-back half: tune on the
first only. `--half tuning` restricts every figure to one half; `--verbose` lists the checks missed.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

from sitrep.article import ReadError
from sitrep.evaluation.multilingual import EXTRA_KINDS, HEADLINE_KINDS, Check, LoadedSet, check_document, half_of, \
    load_set
from sitrep.ingest import read_inputs
from sitrep.pipeline import Pipeline

REPO = Path(__file__).resolve().parent.parent
ANNOTATIONS = REPO / "eval" / "annotations"
BAR = 0.80


def devdata_dir() -> Path:
    return Path(os.environ.get("SITREP_DEVDATA") or REPO.parent / "devdata")


def load_sets(devdata: Path, half: str | None = None) -> tuple[dict[str, LoadedSet], list[str]]:
    """The sets present (pages only when devdata/uk_ru exists), restricted to one half if asked, with notes."""
    sets: dict[str, LoadedSet] = {}
    messages: list[str] = []
    pages_dir = devdata / "uk_ru"
    if pages_dir.is_dir():
        sets["pages"] = load_set(ANNOTATIONS / "uk_ru.yaml", pages_dir)
    else:
        messages.append(f"uk_ru pages: skipped ({pages_dir} absent)")
    sets["own"] = load_set(ANNOTATIONS / "uk_ru_own" / "annotations.yaml", ANNOTATIONS / "uk_ru_own")
    for name, loaded in sets.items():
        if half:
            loaded.docs = [d for d in loaded.docs if half_of(d.id) == half]
        if loaded.skipped:
            messages.append(f"uk_ru {name}: {len(loaded.skipped)} documents skipped (text absent or changed)")
    return sets, messages


def share(checks: list[Check]) -> str:
    ok = sum(c.ok for c in checks)
    return f"{ok}/{len(checks)} ({ok / len(checks):.0%})" if checks else "no checks"


def run_set(pipe: Pipeline, loaded: LoadedSet) -> list[tuple[dict, list[Check]]]:
    """(gold, checks) per document; a document the pipeline failed on fails all its checks."""
    articles = []
    for doc, article in zip(loaded.docs, read_inputs([str(doc.path) for doc in loaded.docs])):
        if not isinstance(article, ReadError) and not article.published:
            article.published = doc.gold.get("published")  # the page's date, as a feed would give it
        articles.append(article)
    out = []
    for doc, res in zip(loaded.docs, pipe.run(articles)):
        if isinstance(res, ReadError):
            checks = [Check("language", False, f"{doc.id}: pipeline error {res.error}")]
        else:
            checks = check_document(res.to_dict(), doc)
        out.append((doc.gold, checks))
    return out


def report(label: str, docs: list[tuple[dict, list[Check]]], detail: bool) -> None:
    head = [c for _, cs in docs for c in cs if c.kind in HEADLINE_KINDS]
    print(f"{label} overall: {share(head)} of the issue's checks met on {len(docs)} documents (bar {BAR:.0%})")
    for half in ("tuning", "held-back"):
        part = [c for g, cs in docs if half_of(str(g["id"])) == half for c in cs if c.kind in HEADLINE_KINDS]
        if part:
            print(f"{label} {half} half: {share(part)}")
    if not detail:
        return
    for kind in HEADLINE_KINDS:
        print(f"{label} {kind}: {share([c for c in head if c.kind == kind])}")
    for key, values in (("language", ("uk", "ru")), ("category", ("shelling", "battle", "territory", "intercept"))):
        for value in values:
            part = [c for g, cs in docs if g[key] == value for c in cs if c.kind in HEADLINE_KINDS]
            if part:
                print(f"{label} {key} {value}: {share(part)}")
    extra = [c for _, cs in docs for c in cs if c.kind in EXTRA_KINDS]
    print(f"{label} further figures (not in the bar): "
          + ", ".join(f"{k} {share([c for c in extra if c.kind == k])}" for k in EXTRA_KINDS))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared", help="unused; accepted like every eval script")
    ap.add_argument("--devdata", type=Path, default=None, help="folder holding uk_ru/ (default $SITREP_DEVDATA "
                                                                  "or ../devdata)")
    ap.add_argument("--half", choices=("tuning", "held-back"), help="score one half only")
    ap.add_argument("--verbose", action="store_true", help="list every check missed")
    args = ap.parse_args()

    sets, messages = load_sets(args.devdata or devdata_dir(), args.half)
    for line in messages:
        print(line)
    for name, loaded in sets.items():
        for reason in loaded.skipped:
            print(f"uk_ru {name}: skipped {reason}", file=sys.stderr)

    pipe = Pipeline()
    scored: dict[str, list] = {name: run_set(pipe, loaded) for name, loaded in sets.items() if loaded.docs}
    suffix = f" [{args.half} half]" if args.half else ""
    for name, docs in scored.items():
        report(f"uk_ru {name}{suffix}", docs, detail=False)
    both = [d for docs in scored.values() for d in docs]
    report(f"uk_ru all{suffix}", both, detail=True)
    if args.verbose:
        misses = defaultdict(list)
        for _, checks in both:
            for c in checks:
                if not c.ok:
                    misses[c.kind].append(c.description)
        for kind in HEADLINE_KINDS + EXTRA_KINDS:
            for line in misses[kind]:
                print(f"  MISS {kind}: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
