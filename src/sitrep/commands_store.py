"""Commands over the record: ingest, events, intercepts, claims, search, stats, export, watch and db check."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from sitrep.commands_extract import (DATE_COLUMN, ERRORS_FILE, ID_COLUMN, NO_CLEAN, TEXT_COLUMN, TITLE_COLUMN,
                                     WORKERS)
from sitrep.store.url import DEFAULT_URL

DB_OPTION = typer.Option(DEFAULT_URL, "--db", envvar="SITREP_DB", help="Database URL (sqlite:///… or postgresql://…).")
FORMATS = ("table", "json", "jsonl", "csv")
TELEGRAM_CHANNEL = typer.Option(None, "--telegram-channel", help="A Telegram export's channel NAME (or id)=its "
                                "public USERNAME, for https://t.me/USERNAME/<id> links (repeatable).")
LANGUAGE = typer.Option(None, "--language", "-l", help="Documents in these languages only: uk, ru, en or a list (uk,ru).")


def _store(db: str):
    from sitrep.store import open_store

    return open_store(db)


def _check_format(fmt: str) -> None:
    from sitrep.cli import fail

    if fmt not in FORMATS:
        fail(f"unknown --format {fmt!r} (use {', '.join(FORMATS)})", code=2)


def run_ingest(store, paths: list[str], *, clean: bool = True, workers: int = 1, errors_file: Path | None = None,
               text_column=None, title_column=None, date_column=None, id_column=None, writer=None,
               quiet: bool = False, batch_size: int = 32, telegram_usernames: dict[str, str] | None = None):
    """Read, skip what is stored, extract and store the rest; returns Counts."""
    from sitrep.article import ReadError
    from sitrep.cli import STATE
    from sitrep.commands_extract import ErrorSink, collect_inputs, iter_results, progress_bar
    from sitrep.store.ingest import ingest_items

    items = collect_inputs(paths, text_column, title_column, date_column, id_column, telegram_usernames)
    errors = ErrorSink(errors_file)
    try:
        with progress_bar(len(items), len(items) > 3 and not quiet) as progress:
            task = progress.add_task("ingesting", total=len(items))

            def on_item(out) -> None:
                if isinstance(out, ReadError):
                    errors.write(out)
                progress.advance(task)

            return ingest_items(store, items, lambda xs: iter_results(xs, clean, workers, STATE["verbose"]),
                                on_item=on_item, writer=writer, batch_size=batch_size)
    finally:
        errors.close()


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: Optional[list[str]] = typer.Argument(None, help="Files, directories, globs, feed URLs, or - for stdin."),
        db: str = DB_OPTION,
        from_parquet: Optional[Path] = typer.Option(None, "--from-parquet", help="Bulk-load a `sitrep batch` --out "
                                                    "directory instead (already extracted)."),
        no_clean: bool = NO_CLEAN,
        workers: int = WORKERS,
        errors_file: Optional[Path] = ERRORS_FILE,
        text_column: Optional[str] = TEXT_COLUMN,
        title_column: Optional[str] = TITLE_COLUMN,
        date_column: Optional[str] = DATE_COLUMN,
        id_column: Optional[str] = ID_COLUMN,
        batch_size: int = typer.Option(32, "--batch-size", min=1, help="Documents per transaction."),
        telegram_channel: Optional[list[str]] = TELEGRAM_CHANNEL,
    ) -> None:
        """Extract and store articles; what is already stored is skipped before extraction."""
        from sitrep.cli import err, fail

        if bool(paths) == (from_parquet is not None):
            fail("give PATHS to extract, or --from-parquet DIR (not both)", code=2)
        usernames = _telegram_usernames(telegram_channel)
        store = _store(db)
        if from_parquet is not None:
            from sitrep.store.bulk import run_bulk_ingest

            try:
                counts = run_bulk_ingest(store, from_parquet, errors_file=errors_file)
            except FileNotFoundError as exc:
                fail(str(exc), code=2)
        else:
            counts = run_ingest(store, paths, clean=not no_clean, workers=workers, errors_file=errors_file,
                                text_column=text_column, title_column=title_column, date_column=date_column,
                                id_column=id_column, batch_size=batch_size, telegram_usernames=usernames)
        err.print(counts.summary(), highlight=False)
        if counts.stored + counts.unchanged == 0 and counts.errors > 0:
            raise typer.Exit(1)

    @app.command()
    def events(
        db: str = DB_OPTION,
        type_: Optional[str] = typer.Option(None, "--type", help="sitrep event type, e.g. shelling"),
        acled_type: Optional[str] = typer.Option(None, "--acled-type", help="ACLED event or sub-event type"),
        side: Optional[str] = typer.Option(None, "--side", help="RU | UA | civilian | other (who acted)"),
        oblast: Optional[str] = typer.Option(None, "--oblast"),
        place: Optional[str] = typer.Option(None, "--place"),
        near: Optional[str] = typer.Option(None, "--near", help="LAT,LON"),
        km: float = typer.Option(25.0, "--km", help="Radius for --near."),
        since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
        until: Optional[str] = typer.Option(None, "--until", help="YYYY-MM-DD"),
        status: Optional[str] = typer.Option(None, "--status"),
        min_sources: Optional[int] = typer.Option(None, "--min-sources", help="At least N independent sources."),
        text_: Optional[str] = typer.Option(None, "--text", help="Words in the evidence sentence."),
        language: Optional[str] = LANGUAGE,
        limit: Optional[int] = typer.Option(None, "--limit"),
        fmt: str = typer.Option("table", "--format", "-f", help="table | json | jsonl | csv"),
    ) -> None:
        """Events, one row per cluster (the same event across documents), with source counts."""
        from sitrep.cli import emit

        _check_format(fmt)
        rows = _event_rows(db, type_, acled_type, side, oblast, place, near, km, since, until, status, min_sources,
                           text_, limit, language)
        cols = ["cluster_id", "date", "type", "acled_sub_event_type", "place", "admin1", "actor_side", "status",
                "fatalities", "n_reports", "n_independent", "claimed_by_sides", "language", "evidence"] \
            if fmt == "table" else None
        emit(rows, fmt, cols, title="sitrep events")

    @app.command()
    def intercepts(
        db: str = DB_OPTION,
        released_by: Optional[str] = typer.Option(None, "--released-by"),
        since: Optional[str] = typer.Option(None, "--since"),
        until: Optional[str] = typer.Option(None, "--until"),
        min_sources: Optional[int] = typer.Option(None, "--min-sources"),
        text_: Optional[str] = typer.Option(None, "--text"),
        language: Optional[str] = LANGUAGE,
        limit: Optional[int] = typer.Option(None, "--limit"),
        fmt: str = typer.Option("table", "--format", "-f"),
    ) -> None:
        """Intercepted calls, one row per cluster (the same call across outlets)."""
        from sitrep.cli import emit
        from sitrep.store.queries import intercept_rows

        _check_format(fmt)
        rows = intercept_rows(_store(db), released_by, since, until, min_sources, text_, limit, language)
        cols = ["cluster_id", "released_by", "medium", "first_reported", "n_reports", "n_independent", "outlets",
                "language", "evidence"] if fmt == "table" else None
        emit(rows, fmt, cols, title="sitrep intercepts")

    @app.command()
    def claims(
        db: str = DB_OPTION,
        source: Optional[str] = typer.Option(None, "--source"),
        source_type: Optional[str] = typer.Option(None, "--source-type"),
        status: Optional[str] = typer.Option(None, "--status"),
        text_: Optional[str] = typer.Option(None, "--text"),
        language: Optional[str] = LANGUAGE,
        limit: Optional[int] = typer.Option(None, "--limit"),
        fmt: str = typer.Option("table", "--format", "-f"),
    ) -> None:
        """Attributed claims with their sources."""
        from sitrep.cli import emit
        from sitrep.store.queries import claim_rows

        _check_format(fmt)
        rows = claim_rows(_store(db), source, source_type, status, text_, limit, language)
        cols = ["claim_id", "published", "source", "source_type", "side", "status", "language", "content"] \
            if fmt == "table" else None
        emit(rows, fmt, cols, title="sitrep claims")

    @app.command()
    def search(
        query: str = typer.Argument(..., help="Words (all must occur); quote them for a phrase."),
        db: str = DB_OPTION,
        language: Optional[str] = LANGUAGE,
        limit: int = typer.Option(50, "--limit"),
        fmt: str = typer.Option("table", "--format", "-f"),
    ) -> None:
        """Full-text search over article text and quotes."""
        from sitrep.cli import emit
        from sitrep.store.queries import search_rows

        _check_format(fmt)
        emit(search_rows(_store(db), query, limit, language), fmt,
             ["kind", "document_id", "published", "outlet", "language", "title", "snippet"] if fmt == "table" else None,
             title="sitrep search")

    @app.command()
    def stats(db: str = DB_OPTION, fmt: str = typer.Option("table", "--format", "-f")) -> None:
        """Counts: documents, duplicates, events, event clusters, intercepts, claims, quotes, places."""
        import json

        from sitrep.cli import emit
        from sitrep.store.queries import stats as get_stats

        _check_format(fmt)
        data = get_stats(_store(db))
        if fmt == "json":
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
        else:
            emit([{"what": k, "count": v} for k, v in data.items()] if fmt == "table" else [data], fmt,
                 title="sitrep stats")

    @app.command()
    def export(
        fmt: str = typer.Option(..., "--format", "-f", help="csv | acled-csv | geojson | jsonl | parquet"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="File (stdout without it; Parquet needs it)."),
        db: str = DB_OPTION,
        type_: Optional[str] = typer.Option(None, "--type"),
        acled_type: Optional[str] = typer.Option(None, "--acled-type"),
        side: Optional[str] = typer.Option(None, "--side"),
        oblast: Optional[str] = typer.Option(None, "--oblast"),
        place: Optional[str] = typer.Option(None, "--place"),
        near: Optional[str] = typer.Option(None, "--near"),
        km: float = typer.Option(25.0, "--km"),
        since: Optional[str] = typer.Option(None, "--since"),
        until: Optional[str] = typer.Option(None, "--until"),
        status: Optional[str] = typer.Option(None, "--status"),
        min_sources: Optional[int] = typer.Option(None, "--min-sources"),
        text_: Optional[str] = typer.Option(None, "--text"),
        language: Optional[str] = LANGUAGE,
    ) -> None:
        """Export events (one row per cluster) as CSV, ACLED-CSV, GeoJSON, JSONL or Parquet."""
        from sitrep.cli import err, fail
        from sitrep.store.export import EXPORTERS, write_export

        if fmt not in EXPORTERS:
            fail(f"unknown --format {fmt!r} (use {', '.join(EXPORTERS)})", code=2)
        if fmt == "parquet" and output is None:
            fail("Parquet is binary: give a file with -o", code=2)
        rows = _event_rows(db, type_, acled_type, side, oblast, place, near, km, since, until, status, min_sources,
                           text_, None, language)
        write_export(rows, fmt, output)
        if output:
            err.print(f"{len(rows)} events → {output}", highlight=False)

    @app.command()
    def watch(
        sources: list[str] = typer.Argument(..., help="RSS/Atom URLs, feed files or folders."),
        db: str = DB_OPTION,
        every: str = typer.Option("15m", "--every", help="Interval: 30s, 15m, 1h."),
        max_rounds: Optional[int] = typer.Option(None, "--max-rounds", help="Stop after N rounds."),
        telegram_channel: Optional[list[str]] = TELEGRAM_CHANNEL,
    ) -> None:
        """Poll feeds and folders, ingesting what is new; stops cleanly on Ctrl-C or SIGTERM."""
        from sitrep.cli import err, fail
        from sitrep.store.watch import Watcher, parse_interval

        try:
            interval = parse_interval(every)
        except ValueError as exc:
            fail(str(exc), code=2)
        from sitrep.ingest import ReaderOptions

        options = ReaderOptions(telegram_usernames=_telegram_usernames(telegram_channel))
        watcher = Watcher(_store(db), sources, interval, log=lambda m: err.print(m, highlight=False),
                          options=options)
        watcher.run(max_rounds)

    db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("check")
    def db_check(db: str = DB_OPTION) -> None:
        """Verify integrity: foreign keys, full-text index in sync, cluster counts; exit 1 on problems."""
        from sitrep.cli import err, out
        from sitrep.store.check import check

        problems = check(_store(db))
        for p in problems:
            err.print(f"[red]problem:[/] {p}", highlight=False)
        if problems:
            raise typer.Exit(1)
        out.print("ok")


def _telegram_usernames(values: list[str] | None) -> dict[str, str]:
    from sitrep.cli import fail
    from sitrep.ingest import parse_telegram_channels

    try:
        return parse_telegram_channels(values)
    except ValueError as exc:
        fail(str(exc), code=2)


def _event_rows(db, type_, acled_type, side, oblast, place, near, km, since, until, status, min_sources, text_, limit,
                language=None):
    from sitrep.cli import fail
    from sitrep.store.queries import EventFilter, event_rows, parse_near

    try:
        near_pt = parse_near(near)
    except ValueError as exc:
        fail(str(exc), code=2)
    f = EventFilter(type=type_, acled_type=acled_type, side=side, oblast=oblast, place=place, near=near_pt, km=km,
                    since=since, until=until, status=status, min_sources=min_sources, text=text_, language=language,
                    limit=limit)
    return event_rows(_store(db), f)
