"""The `sitrep serve` command: REST API and dashboard over the store (FastAPI + uvicorn)."""
from __future__ import annotations

from typing import Optional

import typer

from sitrep.store.url import DEFAULT_URL


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: str = typer.Option(DEFAULT_URL, "--db", envvar="SITREP_DB", help="Database URL (sqlite:///… or postgresql://…)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; non-loopback needs a token."),
        port: int = typer.Option(8000, "--port", min=0, max=65535),
        token: Optional[str] = typer.Option(None, "--token", envvar="SITREP_TOKEN",
                                            help="Require this token on every API call (Bearer header or ?token=)."),
        read_only: bool = typer.Option(False, "--read-only", help="Disable ingest (POST /api/ingest answers 403)."),
    ) -> None:
        """Serve the REST API (docs at /docs) and the dashboard: map, timeline, intercept desk, documents, upload."""
        import sys

        from sitrep.web.security import bind_problem

        problem = bind_problem(host, token)
        if problem:
            sys.stderr.write(f"error: {problem}\n")  # one line, before anything starts
            raise typer.Exit(2)
        import uvicorn

        from sitrep.web.app import create_app

        web = create_app(db, token=token, read_only=read_only)
        shown = f"[{host}]" if ":" in host else host
        sys.stderr.write(f"sitrep dashboard on http://{shown}:{port}/  (API docs /docs"
                         f"{', token required' if token else ''}{', read-only' if read_only else ''})\n")
        sys.stderr.flush()
        uvicorn.run(web, host=host, port=port, log_level="warning")
