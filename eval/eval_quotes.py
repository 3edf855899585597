"""Quotes and attribution on PolNeAR (../shared/dev/quotes/polnear, brat standoff), one line per figure.

Gold direct quotes are attribution Content spans whose text opens with a quotation mark (discontinuous spans are
one quote). A predicted quote matches a gold one when at least half of the predicted characters fall inside the
gold span; several predicted pieces of one split quote count as one true positive (the rest are not counted
as false positives). Speaker accuracy is measured on matched quotes whose gold Source names someone (holds a
capitalised word other than a pronoun): right when the predicted speaker shares a name word with the gold
source. Attribution F1 compares claims with every gold attribution by content overlap (≥ 50% of the smaller).
Runs on the `dev` split by default (`--split train` for the tuning split); skips when the data is absent.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from sitrep.article import Article
from sitrep.pipeline import Pipeline

QUOTE_OPEN = "“\"‘'«"
PRONOUNS = {"He", "She", "They", "It", "We", "I", "His", "Her", "The", "A", "An", "This", "That"}


def read_ann(path: Path) -> list[dict]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            label, _, offsets = parts[1].partition(" ")
            frags = [tuple(int(x) for x in frag.split()) for frag in offsets.split(";")]
            spans[parts[0]] = (label, frags, parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        if not content:
            continue
        source = spans.get(rel.get("Source", ""))
        out.append({"content": content[1], "content_text": content[2],
                    "source_text": source[2] if source else None})
    return out


def overlap(a: tuple[int, int], frags: list[tuple[int, int]]) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in frags)


def named(source: str | None) -> bool:
    if not source:
        return False
    words = re.findall(r"[A-Z][\w’'-]+", source)
    return any(w not in PRONOUNS for w in words)


def same_person(predicted: str | None, gold: str) -> bool:
    if not predicted:
        return False
    gold_words = {w.strip("’'s").lower() for w in re.findall(r"[A-Z][\w’'-]+", gold) if w not in PRONOUNS}
    pred_words = {w.strip("’'s").lower() for w in re.findall(r"[\w’'-]+", predicted)}
    return bool(gold_words & pred_words)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    root = Path(args.shared) / "dev" / "quotes" / "polnear" / args.split
    if not root.exists():
        print(f"quotes.polnear: skipped ({root} absent)")
        return 0
    pairs = []
    for ann in sorted((root / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        txt = root / "text" / f"{stem}.txt"
        if txt.exists():
            pairs.append((txt, ann))
    if args.limit:
        pairs = pairs[: args.limit]
    pipeline = Pipeline(clean=False)
    articles = [Article(text=txt.read_text(encoding="utf-8"), origin=str(txt)) for txt, _ in pairs]
    t0 = time.perf_counter()
    results = list(pipeline.run(articles))
    elapsed = time.perf_counter() - t0
    tp = fp = fn = 0
    spk_right = spk_total = 0
    a_tp = a_fp = a_fn = 0
    errors = 0
    for (txt, ann), result in zip(pairs, results):
        if not hasattr(result, "document"):
            errors += 1
            continue
        if result.document.text != txt.read_text(encoding="utf-8"):
            errors += 1  # offsets would not line up
            continue
        gold = read_ann(ann)
        direct = [g for g in gold if g["content_text"].lstrip()[:1] in QUOTE_OPEN]
        matched_gold: dict[int, bool] = {}
        for q in result.quotes:
            hit = None
            for gi, g in enumerate(direct):
                if overlap((q.start, q.end), g["content"]) >= 0.5 * max(1, q.end - q.start):
                    hit = gi
                    break
            if hit is None:
                fp += 1
            elif hit not in matched_gold:
                matched_gold[hit] = True
                tp += 1
                if named(direct[hit]["source_text"]):
                    spk_total += 1
                    spk_right += same_person(q.speaker, direct[hit]["source_text"])
        fn += len(direct) - len(matched_gold)
        # attributions
        used: set[int] = set()
        for c in result.claims:
            cs = (c.content.start, c.content.end)
            hit = None
            for gi, g in enumerate(gold):
                glen = sum(e - s for s, e in g["content"])
                if gi not in used and overlap(cs, g["content"]) >= 0.5 * max(1, min(glen, cs[1] - cs[0])):
                    hit = gi
                    break
            if hit is None:
                a_fp += 1
            else:
                used.add(hit)
                a_tp += 1
        a_fn += len(gold) - len(used)

    def prf(tp_, fp_, fn_):
        p = tp_ / (tp_ + fp_) if tp_ + fp_ else 0.0
        r = tp_ / (tp_ + fn_) if tp_ + fn_ else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f = prf(tp, fp, fn)
    print(f"quotes.polnear.{args.split} direct_quote P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp}, fp {fp}, fn {fn}; "
          f"{len(pairs)} docs, {errors} errors)")
    acc = spk_right / spk_total if spk_total else 0.0
    print(f"quotes.polnear.{args.split} named_speaker_accuracy {acc:.3f} ({spk_right}/{spk_total})")
    p, r, f = prf(a_tp, a_fp, a_fn)
    print(f"quotes.polnear.{args.split} attribution_content P {p:.3f} R {r:.3f} F1 {f:.3f} "
          f"(tp {a_tp}, fp {a_fp}, fn {a_fn})")
    print(f"quotes.polnear.{args.split} docs_per_second {len(pairs) / elapsed:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
