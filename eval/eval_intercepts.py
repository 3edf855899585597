"""Intercept desk on real pages (eval/annotations/intercept_pages.yaml), one line per figure.

The page texts are search-tool excerpts saved outside the repo (`--pages`, default /work/devdata/intercept_pages,
NN.txt per row of ../shared/dev/intercept_pages.tsv); a page whose text is absent or whose sha1 differs from the
annotation is skipped, and the whole evaluation skips when no page is readable. Each page runs through the full
pipeline (cleaning included); gold offsets into the saved text are carried into the cleaned text by a character
alignment, so what cleaning drops cannot be found.

Figures, per half (tuning = odd rows, held-back = even rows), per language group (en; uk+ru; other languages:
detection only) and overall:
- detection P/R/F1 over pages (a page is detected when it yields an intercept) and false alarms on look-alikes;
- released_by accuracy: the first intercept's releaser (short name: SBU, HUR, FSB, BND, else the canonical name)
  is one of the annotated acceptable ones (null when the text names none);
- call-quote recall: a gold call quote is recovered when a `from_intercept` quote covers ≥ 50% of it;
- indicators P/R/F1: the intercepts' indicators against gold (same kind, the indicator's sentence overlapping the
  gold clause; each gold item matched once);
- participant roles P/R/F1: multisets of the schema roles of all intercepts' participants per page.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ANNOTATIONS = Path(__file__).parent / "annotations" / "intercept_pages.yaml"
SLAVIC = {"uk", "ru"}


def short_name(name: str | None) -> str | None:
    """'Security Service of Ukraine (SBU)' → 'SBU'; other names as given."""
    if not name:
        return None
    m = re.search(r"\(([A-Z]{2,5})\)\s*$", name)
    return m.group(1) if m else name.strip()


def group_of(language: str) -> str:
    return "en" if language == "en" else "uk+ru" if language in SLAVIC else "other"


class Aligner:
    """Maps character offsets of the saved text to offsets in the cleaned text."""

    def __init__(self, raw: str, clean: str) -> None:
        self.map: dict[int, int] = {}
        matcher = difflib.SequenceMatcher(None, raw, clean, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                self.map[a + k] = b + k

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        inside = [self.map[i] for i in range(start, end) if i in self.map]
        if len(inside) < max(1, (end - start) // 2):
            return None  # mostly dropped by cleaning
        return min(inside), max(inside) + 1


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class Tally:
    def __init__(self) -> None:
        self.c: Counter = Counter()

    def prf(self, key: str) -> tuple[float, float, float]:
        tp, fp, fn = self.c[f"{key}_tp"], self.c[f"{key}_fp"], self.c[f"{key}_fn"]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_page(entry: dict, result, raw: str, t: Tally, details: list[str]) -> None:
    gold = entry["gold"]
    clean = result.document.text
    align = Aligner(raw, clean)
    intercepts = result.intercepts
    detected = bool(intercepts)
    if gold["is_intercept"]:
        t.c["det_tp" if detected else "det_fn"] += 1
    else:
        t.c["det_fp" if detected else "det_tn"] += 1
        t.c["lookalikes"] += 1
        t.c["false_alarms"] += detected
        if detected:
            details.append(f"row {entry['row']}: false alarm")
        return
    if gold.get("detection_only"):
        return
    # releaser
    predicted = short_name(intercepts[0].released_by) if detected else "<no intercept>"
    ok = predicted in gold["released_by"]
    t.c["rel_n"] += 1
    t.c["rel_ok"] += ok
    if not ok:
        details.append(f"row {entry['row']}: released_by {predicted!r}, gold {gold['released_by']}")
    # call quotes
    call_quotes = [(q.start, q.end) for q in result.quotes if q.from_intercept]
    for a, b in gold["quotes"]:
        t.c["q_n"] += 1
        span = align.span(a, b)
        hit = span is not None and any(overlap(span, q) >= 0.5 * (span[1] - span[0]) for q in call_quotes)
        t.c["q_ok"] += hit
        if not hit:
            details.append(f"row {entry['row']}: call quote missed: {raw[a:b][:70]!r}")
    # indicators
    linked = [ind for ind in result.indicators if getattr(ind, "intercept", None) is not None]
    gold_ind = [(g["kind"], align.span(*g["span"])) for g in gold["indicators"]]
    used: set[int] = set()
    for ind in linked:
        sentence = getattr(ind, "sentence", None)
        ev = (sentence.start, sentence.end) if sentence is not None else (ind.evidence.start, ind.evidence.end)
        k = next((i for i, (kind, span) in enumerate(gold_ind)
                  if i not in used and span and kind == ind.kind and overlap(ev, span) > 0), None)
        if k is None:
            t.c["ind_fp"] += 1
            details.append(f"row {entry['row']}: indicator FP {ind.kind}: {clean[ind.evidence.start:ind.evidence.end][:60]!r}")
        else:
            used.add(k)
            t.c["ind_tp"] += 1
    for i, (kind, span) in enumerate(gold_ind):
        if i not in used:
            t.c["ind_fn"] += 1
            a, b = gold["indicators"][i]["span"]
            details.append(f"row {entry['row']}: indicator FN {kind}: {raw[a:b][:60]!r}")
    # participants
    pred_roles = Counter(p.role for icpt in intercepts for p in icpt.participants)
    gold_roles = Counter(p["role"] for p in gold["participants"])
    tp = sum((pred_roles & gold_roles).values())
    t.c["part_tp"] += tp
    t.c["part_fp"] += sum(pred_roles.values()) - tp
    t.c["part_fn"] += sum(gold_roles.values()) - tp
    if pred_roles != gold_roles:
        details.append(f"row {entry['row']}: roles {dict(pred_roles)}, gold {dict(gold_roles)}")


def report(label: str, t: Tally) -> None:
    if not t.c["det_tp"] + t.c["det_fn"] + t.c["lookalikes"]:
        return
    p, r, f = t.prf("det")
    print(f"intercepts {label} detection: P {p:.2f} R {r:.2f} F1 {f:.2f} "
          f"({t.c['det_tp'] + t.c['det_fn']} intercept pages); false alarms {t.c['false_alarms']}/{t.c['lookalikes']} "
          f"look-alikes")
    if t.c["rel_n"]:
        print(f"intercepts {label} released_by: {t.c['rel_ok'] / t.c['rel_n']:.2f} ({t.c['rel_ok']}/{t.c['rel_n']})")
    if t.c["q_n"]:
        print(f"intercepts {label} call-quote recall: {t.c['q_ok'] / t.c['q_n']:.2f} ({t.c['q_ok']}/{t.c['q_n']})")
    if t.c["ind_tp"] + t.c["ind_fp"] + t.c["ind_fn"]:
        p, r, f = t.prf("ind")
        print(f"intercepts {label} indicators: P {p:.2f} R {r:.2f} F1 {f:.2f} "
              f"({t.c['ind_tp'] + t.c['ind_fn']} gold)")
    if t.c["part_tp"] + t.c["part_fp"] + t.c["part_fn"]:
        p, r, f = t.prf("part")
        print(f"intercepts {label} participant roles: P {p:.2f} R {r:.2f} F1 {f:.2f} "
              f"({t.c['part_tp'] + t.c['part_fn']} gold)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--pages", default="/work/devdata/intercept_pages", help="directory of the saved NN.txt texts")
    ap.add_argument("--split", choices=["tuning", "held-out", "both"], default="both")
    ap.add_argument("--rows", help="comma-separated rows to run (for iterating)")
    ap.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    args = ap.parse_args()
    entries = yaml.safe_load(ANNOTATIONS.read_text(encoding="utf-8"))
    wanted = {int(x) for x in args.rows.split(",")} if args.rows else None
    pages, skipped = [], 0
    for entry in entries:
        if wanted and entry["row"] not in wanted or "gold" not in entry:
            continue
        half = "tuning" if entry["row"] % 2 else "held-out"
        if args.split != "both" and half != args.split:
            continue
        path = Path(args.pages) / f"{entry['row']:02d}.txt"
        if not path.exists():
            skipped += 1
            continue
        raw = path.read_text(encoding="utf-8")
        if hashlib.sha1(raw.encode("utf-8")).hexdigest() != entry["sha1"]:
            skipped += 1
            continue
        pages.append((entry, half, raw))
    if not pages:
        print(f"intercepts: skipped (no page texts under {args.pages})")
        return 0

    from sitrep.article import Article
    from sitrep.pipeline import Pipeline

    articles = [Article(text=raw, language=entry["language"], url=entry["url"], origin=f"row {entry['row']}")
                for entry, _, raw in pages]
    tallies: dict[str, Tally] = defaultdict(Tally)
    details: list[str] = []
    for (entry, half, raw), result in zip(pages, Pipeline().run(articles)):
        if not hasattr(result, "document"):
            print(f"intercepts: row {entry['row']} failed: {result.error}", file=sys.stderr)
            continue
        grp = group_of(entry["language"])
        for label in (f"[{half}/{grp}]", f"[{half}/all]", "[all]"):
            score_page(entry, result, raw, tallies[label], details if label == "[all]" else [])
    print(f"intercepts: {len(pages)} pages read, {skipped} skipped (text absent or changed)")
    for half in ("tuning", "held-out"):
        for grp in ("en", "uk+ru", "other", "all"):
            report(f"[{half}/{grp}]", tallies[f"[{half}/{grp}]"])
    report("[all]", tallies["[all]"])
    if args.verbose:
        for line in details:
            print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
