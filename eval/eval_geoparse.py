"""Toponym recognition and resolution on GeoWebNews (Gritta et al. 2019): span precision/recall/F1 (exact and
overlapping spans) and Acc@161 km over the gold toponyms found. Gold counts demonyms ("Irish") and metonymic uses
as toponyms; sitrep reports only places, so recall is bounded below 1 by design."""
from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.geo.gazetteer import haversine_km
from sitrep.pipeline import Pipeline


def gold_rows(line: str) -> list[tuple[int, int, float, float]]:
    out = []
    for item in line.strip().split("||"):
        parts = item.split(",,")
        if len(parts) < 6:
            continue
        try:
            out.append((int(parts[4]), int(parts[5]), float(parts[2]), float(parts[3])))
        except ValueError:
            continue
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()
    base = Path(args.shared) / "dev" / "geo"
    xml, gold_file = base / "GeoWebNews.xml", base / "GeoWebNews_geocoding_gold.txt"
    if not xml.exists() or not gold_file.exists():
        print(f"geo.geowebnews: skipped: {base} absent")
        return
    texts = [a.findtext("text") or "" for a in ET.parse(xml).getroot().iter("article")]
    golds = [gold_rows(line) for line in gold_file.read_text(encoding="utf-8").splitlines()]
    n = min(len(texts), len(golds))
    if args.limit:
        n = min(n, args.limit)
    pipeline = Pipeline(clean=False)
    tp = fp = fn = overlap_tp = 0
    acc_hits = acc_n = 0
    articles = [Article(text=texts[i], id=str(i), origin=f"GeoWebNews#{i}") for i in range(n)]
    for i, result in enumerate(pipeline.run(articles)):
        if isinstance(result, ReadError):
            fn += len(golds[i])
            continue
        predicted = [(p.start, p.end, p.lat, p.lon) for p in result.places]
        gold = golds[i]
        gold_spans = {(s, e) for s, e, _, _ in gold}
        pred_spans = {(s, e) for s, e, _, _ in predicted}
        tp += len(gold_spans & pred_spans)
        fp += len(pred_spans - gold_spans)
        fn += len(gold_spans - pred_spans)
        overlap_tp += sum(1 for gs, ge in gold_spans if any(ps < ge and gs < pe for ps, pe in pred_spans))
        for gs, ge, glat, glon in gold:
            match = next((p for p in predicted if p[0] < ge and gs < p[1] and p[2] is not None), None)
            if match:
                acc_n += 1
                acc_hits += haversine_km(glat, glon, match[2], match[3]) <= 161
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    n_gold = tp + fn
    print(f"geo.geowebnews toponym_precision: {p:.3f} (articles={n})")
    print(f"geo.geowebnews toponym_recall: {r:.3f} (gold={n_gold})")
    print(f"geo.geowebnews toponym_f1: {f:.3f}")
    print(f"geo.geowebnews overlap_recall: {overlap_tp / n_gold if n_gold else 0:.3f}")
    print(f"geo.geowebnews acc@161km: {acc_hits / acc_n if acc_n else 0:.3f} (n={acc_n} found toponyms with coordinates)")


if __name__ == "__main__":
    main()
