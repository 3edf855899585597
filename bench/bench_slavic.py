"""Russian/Ukrainian extraction speed, measured in one run against English on the same machine and process.

Prints docs/s and characters/s for Ukrainian and Russian texts (the reports in tests/fixtures/slavic, written
for sitrep, repeated) and for English news articles (../shared/dev/quotes/polnear, else the seeds), the ratio of
sitrep's time per character in each language to its time per character in English, and the English
sitrep ÷ bare spaCy ratio (the throughput bar: ≤ 1.5), so that routing is seen not to slow English down.
Model loading (spaCy, natasha, pymorphy3) is excluded; everything is warmed up first.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import bare_vs_extract, load_texts  # noqa: E402

from sitrep.article import Article  # noqa: E402
from sitrep.language import guess_language  # noqa: E402
from sitrep.pipeline import Pipeline  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "slavic"


def timed(pipeline: Pipeline, texts: list[str]) -> tuple[float, int]:
    """Seconds for the whole pipeline on `texts` and the characters it read (after cleaning)."""
    chars = sum(len(pipeline.prepare(Article(text=t, origin="b")).text) for t in texts)
    t0 = time.perf_counter()
    out = list(pipeline.run(Article(text=t, origin=f"bench#{i}") for i, t in enumerate(texts)))
    elapsed = time.perf_counter() - t0
    failed = [r for r in out if not hasattr(r, "document")]
    if failed:
        raise SystemExit(f"bench_slavic: {len(failed)} documents failed, e.g. {failed[0]}")
    return elapsed, chars


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--limit", type=int, default=40, help="English articles")
    ap.add_argument("--repeat", type=int, default=8, help="copies of each Russian/Ukrainian report")
    args = ap.parse_args()
    by_lang: dict[str, list[str]] = {"uk": [], "ru": []}
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        by_lang.setdefault(guess_language(text) or "?", []).append(text)
    english, what = load_texts(Path(args.shared), args.limit)
    t_bare, t_en, _, cleaned = bare_vs_extract(english)  # loads and warms the English side
    en_chars = sum(map(len, cleaned))
    pipeline = Pipeline()
    timed(pipeline, by_lang["uk"][:1] + by_lang["ru"][:1])  # load and warm natasha + pymorphy3
    en_per_char = t_en / en_chars
    print(f"slavic english corpus: {what}, {en_chars / 1000:.0f}k chars: {len(english) / t_en:.1f} docs/s, "
          f"{en_chars / t_en / 1000:.1f}k chars/s")
    for lang in ("uk", "ru"):
        texts = by_lang[lang] * args.repeat
        seconds, chars = timed(pipeline, texts)
        print(f"slavic {lang}: {len(texts)} reports, {chars / 1000:.0f}k chars: {len(texts) / seconds:.1f} docs/s, "
              f"{chars / seconds / 1000:.1f}k chars/s; time per char ÷ English {seconds / chars / en_per_char:.2f}")
    print(f"slavic english ratio sitrep/bare spaCy: {t_en / t_bare:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
