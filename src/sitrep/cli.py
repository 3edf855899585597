"""The `sitrep` command line: thin Typer commands that parse arguments, call the library and print.

Each concept registers its own commands (see COMMAND_MODULES: each module has `register(app)`), so this file
stays small. Errors print as one readable line; `--verbose` adds the traceback.
"""
from __future__ import annotations

import json
import sys
import traceback
from importlib import import_module
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.splitlines()[0],
                  pretty_exceptions_enable=False)
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 200)  # pipes get full rows, not folded ones

# Modules that add commands with `register(app)`.
COMMAND_MODULES = [
    "sitrep.commands_extract",
    "sitrep.commands_geo",
    "sitrep.commands_store",
    "sitrep.commands_batch",
    "sitrep.commands_web",
]

STATE = {"verbose": False}


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks on errors.")):
    STATE["verbose"] = verbose


def fail(message: str, code: int = 1) -> None:
    """Print one readable error line (and the traceback with --verbose), then exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    if STATE["verbose"]:
        err.print(traceback.format_exc())
    raise typer.Exit(code)


def emit(rows: list[dict], fmt: str, columns: list[str] | None = None, title: str | None = None) -> None:
    """Print rows as a rich table (default), JSON, JSONL or CSV."""
    import csv

    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        cols = columns or (list(rows[0].keys()) if rows else [])
        writer = csv.DictWriter(sys.stdout, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                             for k, v in row.items()})
    else:
        from rich.table import Table

        cols = columns or (list(rows[0].keys()) if rows else [])
        table = Table(title=title, show_lines=False)
        for col in cols:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*["" if row.get(c) is None else str(row.get(c)) for c in cols])
        out.print(table)


def main() -> None:
    for module in COMMAND_MODULES:
        import_module(module).register(app)
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - one readable line, the traceback with --verbose
        err.print(f"[bold red]error:[/] {type(exc).__name__}: {exc}", highlight=False)
        if STATE["verbose"] or "--verbose" in sys.argv or "-v" in sys.argv:
            err.print(traceback.format_exc())
        sys.exit(1)
