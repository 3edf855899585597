"""Extraction speed: sitrep's full pipeline time ÷ bare spaCy `nlp.pipe` time on the same texts, one run.

Texts: long-form news articles from ../shared/dev/quotes/polnear (train, first N) plus the seeds; falls back to
the seeds repeated when the dev set is absent. Both sides see the same cleaned texts; model loading is excluded.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sitrep.article import Article
from sitrep.nlp import bare
from sitrep.pipeline import Pipeline


def load_texts(shared: Path, limit: int) -> tuple[list[str], str]:
    polnear = shared / "dev" / "quotes" / "polnear" / "train" / "text"
    if polnear.is_dir():
        files = sorted(polnear.glob("*.txt"))[:limit]
        return [f.read_text(encoding="utf-8") for f in files], f"{len(files)} PolNeAR news articles"
    seeds = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in seeds] * max(1, limit // len(seeds))
    return texts, f"{len(texts)} seed copies"


def bare_vs_extract(texts: list[str]) -> tuple[float, float, list, list[str]]:
    """Seconds for bare spaCy `nlp.pipe` and for sitrep's whole pipeline on the same texts in this process (models
    loaded and warmed up first), with sitrep's results and the cleaned texts both sides saw."""
    pipeline = Pipeline()
    cleaned = [pipeline.prepare(Article(text=t, origin=f"bench#{i}")).text for i, t in enumerate(texts)]
    nlp = bare()
    list(nlp.pipe(cleaned[:5]))  # warm both up
    list(pipeline.run([Article(text=t) for t in texts[:5]]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(cleaned, batch_size=16):
        pass
    t_bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = list(pipeline.run(Article(text=t, origin=f"bench#{i}") for i, t in enumerate(texts)))
    return t_bare, time.perf_counter() - t0, results, cleaned


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--limit", type=int, default=200)
    args = ap.parse_args()
    texts, what = load_texts(Path(args.shared), args.limit)
    t_bare, t_sitrep, results, cleaned = bare_vs_extract(texts)
    ok = sum(1 for r in results if hasattr(r, "document"))
    chars = sum(map(len, cleaned))
    print(f"throughput corpus: {what}, {chars / 1000:.0f}k chars")
    print(f"throughput bare spaCy: {t_bare:.2f} s ({len(texts) / t_bare:.1f} docs/s)")
    print(f"throughput sitrep extract: {t_sitrep:.2f} s ({len(texts) / t_sitrep:.1f} docs/s), "
          f"{ok}/{len(texts)} documents with a result")
    print(f"throughput ratio sitrep/bare spaCy: {t_sitrep / t_bare:.2f} (target <= 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
