"""`sitrep extract`: read inputs, run the pipeline, print one result per document (or an error record).

Also home of the shared batch runner (`run_batch`) that `ingest` reuses: progress bar on stderr, error records
to stderr or a file, the closing `N documents, M errors` line and the exit code rule.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Optional

import typer

from sitrep.article import Article, ReadError


# Reader options shared by every command that reads articles (extract, ingest, batch).
NO_CLEAN = typer.Option(False, "--no-clean", help="Keep the text exactly as given.")
TEXT_COLUMN = typer.Option(None, "--text-column", help="Table/JSON field holding the article text.")
TITLE_COLUMN = typer.Option(None, "--title-column", help="Table/JSON field holding the title.")
DATE_COLUMN = typer.Option(None, "--date-column", help="Table/JSON field holding the publication date.")
ID_COLUMN = typer.Option(None, "--id-column", help="Table/JSON field holding the article id.")
WORKERS = typer.Option(1, "--workers", "-w", min=1, help="Worker processes.")
ERRORS_FILE = typer.Option(None, "--errors", help="Write error records here.")


def progress_bar(total: int | None, enabled: bool):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=False)


class ErrorSink:
    """Error records as JSON lines to stderr or to --errors FILE."""

    def __init__(self, path: Path | None):
        self.count = 0
        self.fh = path.open("w", encoding="utf-8") if path else None

    def write(self, error: ReadError) -> None:
        self.count += 1
        line = json.dumps(error.to_dict(), ensure_ascii=False)
        (self.fh or sys.stderr).write(line + "\n")
        (self.fh or sys.stderr).flush()

    def close(self) -> None:
        if self.fh:
            self.fh.close()


def collect_inputs(paths: list[str], text_column, title_column, date_column, id_column,
                   telegram_usernames: dict[str, str] | None = None) -> list[Article | ReadError]:
    from sitrep.cli import err
    from sitrep.ingest import ReaderOptions, read_inputs

    options = ReaderOptions(text_column=text_column, title_column=title_column, date_column=date_column,
                            id_column=id_column, telegram_usernames=telegram_usernames)
    items = list(read_inputs(paths or ["-"], options, warn=lambda m: err.print(f"[yellow]warning:[/] {m}",
                                                                               highlight=False)))
    for item in items:
        if isinstance(item, Article):
            for warning in item.warnings:
                err.print(f"[yellow]warning:[/] {warning}", highlight=False)
    return items


def run_batch(items: list[Article | ReadError], results: Iterator, on_result: Callable, errors: ErrorSink,
              label: str = "extracting") -> tuple[int, int]:
    """Drive `results` (one per item) with a progress bar; return (documents, errors)."""
    n_docs = 0
    with progress_bar(len(items), len(items) > 3) as progress:
        task = progress.add_task(label, total=len(items))
        for out in results:
            if isinstance(out, ReadError):
                errors.write(out)
            else:
                n_docs += 1
                on_result(out)
            progress.advance(task)
    return n_docs, errors.count


def finish(n_docs: int, n_errors: int) -> None:
    from sitrep.cli import err

    err.print(f"{n_docs} documents, {n_errors} errors", highlight=False)
    if n_docs == 0 and n_errors > 0:
        raise typer.Exit(1)


def summary_row(result) -> dict:
    d = result.document
    return {
        "id": d.id, "title": (d.title or "")[:50], "published": d.published, "places": len(result.places),
        "entities": len(result.entities), "figures": len(result.figures), "events": len(result.events),
        "claims": len(result.claims), "quotes": len(result.quotes), "intercepts": len(result.intercepts),
        "indicators": len(result.indicators), "boilerplate": len(d.removed_boilerplate),
    }


def iter_results(items: list[Article | ReadError], clean: bool, workers: int, verbose: bool) -> Iterator:
    if workers > 1:
        from sitrep.parallel import run_parallel

        yield from run_parallel(items, clean=clean, workers=workers, verbose=verbose)
        return
    from sitrep.pipeline import Pipeline

    yield from Pipeline(clean=clean, verbose=verbose).run(items)


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        paths: list[str] = typer.Argument(None, help="Files, directories, globs, feed URLs, or - for stdin."),
        fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | json | table"),
        no_clean: bool = NO_CLEAN,
        workers: int = WORKERS,
        errors_file: Optional[Path] = ERRORS_FILE,
        text_column: Optional[str] = TEXT_COLUMN,
        title_column: Optional[str] = TITLE_COLUMN,
        date_column: Optional[str] = DATE_COLUMN,
        id_column: Optional[str] = ID_COLUMN,
        prior: Optional[str] = typer.Option(None, "--prior", help="A sitrep store (sqlite:///x.db, postgresql://…) "
                                            "whose events inform which namesake a place is (the conflict prior)."),
    ) -> None:
        """Extract places, entities, figures, events, claims, quotes and intercepts from articles."""
        from sitrep.cli import STATE, emit, fail

        if prior:
            from sitrep.geo import prior as conflict_prior

            try:
                conflict_prior.use(prior)
            except Exception as exc:  # noqa: BLE001 - any unusable store is a usage error
                fail(f"--prior {prior}: not a usable sitrep store ({exc.__class__.__name__}: {exc})", code=2)

        if fmt not in ("jsonl", "json", "table"):
            fail(f"unknown --format {fmt!r} (use jsonl, json or table)", code=2)
        items = collect_inputs(paths or [], text_column, title_column, date_column, id_column)
        errors = ErrorSink(errors_file)
        collected: list = []

        def on_result(result) -> None:
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                collected.append(result)

        try:
            n_docs, n_errors = run_batch(items, iter_results(items, not no_clean, workers, STATE["verbose"]),
                                         on_result, errors)
        finally:
            errors.close()
        if fmt == "json":
            sys.stdout.write(json.dumps([r.to_dict() for r in collected], ensure_ascii=False, indent=2) + "\n")
        elif fmt == "table":
            emit([summary_row(r) for r in collected], "table", title="sitrep extract")
        finish(n_docs, n_errors)
