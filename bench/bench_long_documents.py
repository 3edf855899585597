"""Linear cost on long documents, measured in one run:
(a) one long document (80 PolNeAR news articles joined, ~385k characters) ÷ the same text as 80 articles (target <= 1.3);
(b) N repetitions of one short war sentence: time per character at N=4,000 ÷ at N=250 (target <= 1.3);
(c) `sitrep geocode` look-ups per second (Eyes-on-Russia settlement names with their oblast; target >= 2,000).
Falls back to the seeds when the dev set is absent. Model and gazetteer loading are excluded.
"""
from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from sitrep.article import Article
from sitrep.pipeline import Pipeline

SENTENCE = ("Russian forces shelled Hryhorivka and Kupiansk in the Kharkiv region on Monday, "
            "killing two civilians, the governor said. ")


def articles(shared: Path, n: int) -> list[str]:
    polnear = shared / "dev" / "quotes" / "polnear" / "train" / "text"
    if polnear.is_dir():
        return [f.read_text(encoding="utf-8") for f in sorted(polnear.glob("*.txt"))[:n]]
    seeds = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in seeds]
    return (texts * (n // max(1, len(texts)) + 1))[:n]


class TimedExtractor:
    """An extractor that adds up its own time, so each concept's share of a long document shows."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.seconds = inner, getattr(inner, "name", type(inner).__name__), 0.0

    def __call__(self, ctx) -> None:
        t0 = time.perf_counter()
        try:
            self.inner(ctx)
        finally:
            self.seconds += time.perf_counter() - t0


def timed(pipeline: Pipeline, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for _ in pipeline.run(Article(text=t, origin=f"bench#{i}") for i, t in enumerate(texts)):
        pass
    return time.perf_counter() - t0


def extractor_seconds(pipeline: Pipeline) -> dict[str, float]:
    """Seconds per extractor since the last call (and reset them)."""
    out = {}
    for e in pipeline.extractors:
        if isinstance(e, TimedExtractor):
            out[e.name] = out.get(e.name, 0.0) + e.seconds
            e.seconds = 0.0
    return out


def lookups(shared: Path, limit: int = 3000) -> tuple[int, float]:
    from sitrep.geo.gazetteer import Gazetteer
    from sitrep.geo.geocode import geocode

    gaz = Gazetteer.open()
    path = shared / "dev" / "events" / "eyes_on_russia_events.csv"
    queries = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("country") == "Ukraine" and row.get("town/city"):
                    queries.append((row["town/city"], row.get("province") or None))
    if not queries:
        queries = [("Hryhorivka", "Donetsk Oblast"), ("Kupiansk", None), ("Rabotino", "Zaporizhzhia")] * 300
    queries = queries[:limit]
    t0 = time.perf_counter()
    for name, context in queries:
        geocode(gaz, name, context, limit=5)
    return len(queries), time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--articles", type=int, default=80)
    ap.add_argument("--small", type=int, default=250)
    ap.add_argument("--large", type=int, default=4000)
    args = ap.parse_args()
    shared = Path(args.shared)
    pipeline = Pipeline(clean=False)
    pipeline.extractors = [TimedExtractor(e) for e in pipeline.extractors]
    timed(pipeline, [SENTENCE * 3, "Kyiv was hit."])  # warm up: model, gazetteer, matcher
    extractor_seconds(pipeline)

    texts = articles(shared, args.articles)
    joined = "\n\n".join(texts)
    t_many = timed(pipeline, texts)
    by_many = extractor_seconds(pipeline)
    t_one = timed(pipeline, [joined])
    by_one = extractor_seconds(pipeline)
    print(f"long_documents corpus: {len(texts)} articles, {len(joined) / 1000:.0f}k chars")
    print(f"long_documents one document: {t_one:.2f} s; as {len(texts)} articles: {t_many:.2f} s")
    print(f"long_documents ratio one/many: {t_one / t_many:.2f} (target <= 1.3)")
    for name in by_one:  # which concept's extractor grows faster than the text
        print(f"long_documents extractor {name}: one {by_one[name]:.2f} s, many {by_many.get(name, 0.0):.2f} s, "
              f"ratio {by_one[name] / max(by_many.get(name, 0.0), 1e-3):.2f}")

    small, large = SENTENCE * args.small, SENTENCE * args.large
    t_small = timed(pipeline, [small])
    by_small = extractor_seconds(pipeline)
    t_large = timed(pipeline, [large])
    by_large = extractor_seconds(pipeline)
    per_small, per_large = t_small / len(small), t_large / len(large)
    print(f"long_documents repeated sentence: N={args.small}: {t_small:.2f} s, N={args.large}: {t_large:.2f} s")
    print(f"long_documents ratio time-per-char N={args.large}/N={args.small}: {per_large / per_small:.2f} "
          f"(target <= 1.3)")
    scale = args.large / args.small
    for name in by_large:
        print(f"long_documents repeated extractor {name}: N={args.large} {by_large[name]:.2f} s, time-per-char ratio "
              f"{by_large[name] / max(by_small.get(name, 0.0), 1e-3) / scale:.2f}")

    n, t = lookups(shared)
    print(f"long_documents geocode lookups_per_s: {n / t:.0f} (n={n}; target >= 2000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
