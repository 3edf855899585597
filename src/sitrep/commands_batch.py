"""`sitrep batch`: read inputs here, extract them in partitions on a Dask cluster, write Parquet tables."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sitrep.commands_extract import DATE_COLUMN, ID_COLUMN, NO_CLEAN, TEXT_COLUMN, TITLE_COLUMN


def partition_line(marker: dict) -> str:
    from sitrep.batch import part_name

    line = f"{part_name(marker['partition'])}: {marker['documents']} documents, {marker['errors']} errors"
    if "seconds" in marker:
        line += f", {marker['seconds']} s, peak RSS {marker['peak_rss_mb']:.0f} MB (pid {marker['pid']})"
    return line


def register(app: typer.Typer) -> None:
    @app.command()
    def batch(
        paths: list[str] = typer.Argument(..., metavar="INPUT", help="Files, directories, globs, feed URLs, or - for stdin."),
        out: Path = typer.Option(..., "--out", "-o", help="Output directory (Parquet tables, one file per "
                                                          "partition); rerunning into it resumes."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask "
                                                "scheduler (tcp://host:8786); default: a local cluster."),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Worker processes of the "
                                              "local cluster (default: one per CPU core)."),
        partition_size: Optional[int] = typer.Option(None, "--partition-size", min=1, help="Articles per "
                                                      "partition (task); default: ~64 partitions, at most 100 each."),
        no_clean: bool = NO_CLEAN,
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Tracebacks in error rows; a line per "
                                                                   "partition."),
        text_column: Optional[str] = TEXT_COLUMN,
        title_column: Optional[str] = TITLE_COLUMN,
        date_column: Optional[str] = DATE_COLUMN,
        id_column: Optional[str] = ID_COLUMN,
    ) -> None:
        """Extract many articles on Dask (local processes or a cluster) into Parquet: documents, one table per
        extracted list, errors; finished partitions are skipped on a rerun."""
        from sitrep import batch as batching
        from sitrep.cli import STATE, err, fail
        from sitrep.commands_extract import collect_inputs, progress_bar

        verbose = verbose or STATE["verbose"]
        if scheduler and workers:
            fail("--workers sizes a local cluster; with --scheduler the cluster has its own workers", code=2)
        items = collect_inputs(paths, text_column, title_column, date_column, id_column)
        if not items:
            fail("no inputs", code=2)
        try:
            todo, summary = batching.plan(items, out, partition_size)
        except batching.BatchMismatch as exc:
            fail(str(exc), code=2)
        if todo:
            client = batching.make_client(scheduler, workers or batching.cpu_count())
            try:
                if verbose:
                    err.print(f"dask: {client.dashboard_link or client.scheduler.address}", highlight=False)
                with progress_bar(len(todo), True) as progress:
                    task = progress.add_task("partitions", total=len(todo))

                    def on_partition(marker: dict) -> None:
                        progress.advance(task)
                        if verbose:
                            err.print(partition_line(marker), highlight=False)

                    batching.run(todo, summary, out, client, clean=not no_clean, verbose=verbose,
                                 on_partition=on_partition)
            finally:
                batching.close_client(client, own_cluster=not scheduler)
        err.print(summary.line(), highlight=False)
        if summary.documents == 0 and summary.errors > 0:
            raise typer.Exit(1)
