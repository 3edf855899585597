"""The one-way pipeline: Article → clean → one spaCy Doc → extractors → Result (or an error record).

`Pipeline` loads the model and every extractor once; `run` streams articles through `nlp.pipe` in batches and
yields, in input order, one Result or one ReadError per input. Each document's language (its metadata, else
`sitrep.language.detect`) routes it: Russian and Ukrainian to `sitrep.slavic` (natasha + pymorphy3, loaded on
the first such document), every other language to the English spaCy pipeline; the extractors are the same. A crash inside one document's extraction becomes
that document's error record; the batch goes on.
"""
from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterable, Iterator
from datetime import date

from sitrep import clean as cleaning
from sitrep import nlp as nlp_loader
from sitrep.article import Article, ReadError
from sitrep.dates import parse_iso_date, publication_date_from_text
from sitrep.extract import extractor_classes
from sitrep.extract.base import Context
from sitrep.language import guess_language
from sitrep.model import Document, Result

log = logging.getLogger(__name__)


def text_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


class Prepared:
    __slots__ = ("article", "text", "removed", "title", "published", "date", "language")

    def __init__(self, article: Article, text: str, removed: list[str], title: str | None, published: str | None):
        self.article, self.text, self.removed, self.title, self.published = article, text, removed, title, published
        self.date: date | None = parse_iso_date(published)
        self.language: str | None = normalise_language(article.language) or guess_language(text)


def normalise_language(code: str | None) -> str | None:
    """'ru-RU', 'UK', 'ukr' → 'ru', 'uk', 'uk'; None when absent."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return {"ukr": "uk", "rus": "ru", "ua": "uk", "eng": "en"}.get(code, code) or None


class Pipeline:
    def __init__(self, clean: bool = True, verbose: bool = False):
        self.clean = clean
        self.verbose = verbose
        self.nlp = nlp_loader.load()
        self.extractors = [cls(self.nlp) for cls in extractor_classes()]
        self._slavic = None

    @property
    def slavic(self):
        """The Russian/Ukrainian Doc builder, loaded on first use (English-only runs never load it)."""
        if self._slavic is None:
            from sitrep.slavic import SlavicPipeline

            self._slavic = SlavicPipeline(self.nlp)
        return self._slavic

    def docs(self, prepared: list[Prepared]) -> list:
        """One Doc per prepared text, in order (or the exception that text raised): uk/ru through sitrep.slavic,
        the rest through spaCy."""
        from sitrep.slavic import LANGUAGES

        english = [p for p in prepared if p.language not in LANGUAGES]
        en_docs = iter(self.nlp.pipe((p.text for p in english), batch_size=len(english) or 1))
        out: list = []
        for p in prepared:
            if p.language in LANGUAGES:
                try:
                    out.append(self.slavic(p.text, p.language))
                except Exception as exc:  # noqa: BLE001 - the document gets an error record
                    out.append(exc)
            else:
                out.append(next(en_docs))
        return out

    # ---- preparation: html → text, cleaning, metadata -------------------------------------------------
    def prepare(self, article: Article) -> Prepared:
        title, published, outlet = article.title, article.published, article.outlet
        text = article.text
        if text is None and article.html is not None:
            from sitrep.ingest.html import html_to_text

            text, meta = html_to_text(article.html, url=article.url)
            title = title or meta.get("title")
            published = published or meta.get("date")
            article.outlet = outlet or meta.get("sitename")
            article.url = article.url or meta.get("url")
        if text is None or not text.strip():
            raise ValueError("empty text")
        if self.clean:
            text, removed = cleaning.clean(text, title=title)
        else:
            removed = []
        if not text.strip():
            raise ValueError("no text left after removing boilerplate")
        if not published:
            published = publication_date_from_text(text)
        return Prepared(article, text, removed, title, published)

    # ---- extraction ------------------------------------------------------------------------------------
    def extract_doc(self, prep: Prepared, doc) -> Result:
        article = prep.article
        ctx = Context(article=article, doc=doc, published=prep.date)
        for extractor in self.extractors:
            extractor(ctx)
        document = Document(
            id=article.id or text_id(prep.text),
            title=prep.title,
            text=prep.text,
            published=prep.published,
            outlet=article.outlet,
            url=article.url,
            language=prep.language,
            removed_boilerplate=prep.removed,
            **article.meta,  # reader-given extra fields: encoding guesses, telegram metadata, source_outlet
        )
        result = Result(
            document=document, places=ctx.places, entities=ctx.entities, events=ctx.events, figures=ctx.figures,
            claims=ctx.claims, quotes=ctx.quotes, intercepts=ctx.intercepts, indicators=ctx.indicators,
        )
        extra = {"dates": ctx.dates, "origin": article.origin, **ctx.extra}
        for key, value in extra.items():
            setattr(result, key, value)
        return result

    def run(self, items: Iterable[Article | ReadError], batch_size: int = 16) -> Iterator[Result | ReadError]:
        """Yield one Result or ReadError per input, in input order."""
        buffer: list[Article | ReadError] = []
        for item in items:
            buffer.append(item)
            if len(buffer) >= batch_size:
                yield from self._run_batch(buffer)
                buffer = []
        if buffer:
            yield from self._run_batch(buffer)

    def _error(self, article: Article, exc: BaseException) -> ReadError:
        msg = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        if self.verbose:
            msg += "\n" + traceback.format_exc()
        return ReadError(source=article.origin, error=msg)

    def _run_batch(self, batch: list[Article | ReadError]) -> Iterator[Result | ReadError]:
        slots: list[Result | ReadError | None] = [None] * len(batch)
        prepared: list[tuple[int, Prepared]] = []
        for i, item in enumerate(batch):
            if isinstance(item, ReadError):
                slots[i] = item
                continue
            try:
                prepared.append((i, self.prepare(item)))
            except Exception as exc:  # noqa: BLE001 - every failure becomes a record
                slots[i] = self._error(item, exc)
        docs = self.docs([p for _, p in prepared])
        for (i, prep), doc in zip(prepared, docs):
            try:
                if isinstance(doc, Exception):
                    raise doc
                slots[i] = self.extract_doc(prep, doc)
            except Exception as exc:  # noqa: BLE001
                log.debug("extraction failed for %s", prep.article.origin, exc_info=True)
                slots[i] = self._error(prep.article, exc)
        yield from slots  # type: ignore[misc]


_default: Pipeline | None = None


def extract(text: str, **meta) -> Result:
    """Extract one document from plain text. `meta`: title, published, outlet, url, language, id, clean."""
    global _default
    do_clean = meta.pop("clean", True)
    if _default is None or _default.clean != do_clean:
        _default = Pipeline(clean=do_clean)
    article = Article(text=text, origin=meta.pop("origin", "<text>"), **meta)
    (out,) = list(_default.run([article]))
    if isinstance(out, ReadError):
        raise ValueError(f"{out.source}: {out.error}")
    return out
