"""The FastAPI app factory: store, jobs, token middleware, JSON errors, API router, pages and static files."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep.web.security import COOKIE, token_ok

HERE = Path(__file__).parent
log = logging.getLogger("sitrep.web")
OPEN_PATHS = ("/static/", "/healthz")
# scripts only from this server (never inline), so even an escaping bug could not run an article's payload
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CSP_DOCS = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path in ("/openapi.json",)


def create_app(db: str | None = None, *, store=None, token: str | None = None, read_only: bool = False) -> FastAPI:
    from sitrep.store import open_store
    from sitrep.web.api import router
    from sitrep.web.jobs import Jobs
    from sitrep.web.pages import router as pages

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        warm_up(_app)
        yield
        _app.state.jobs.shutdown()

    app = FastAPI(lifespan=lifespan, title="sitrep", version="1", description="Events, claims, quotes and intercepts from war reporting.",
                  docs_url=None, redoc_url=None)
    app.state.store = store or open_store(db or "sqlite:///sitrep.db")
    app.state.token = token or None
    app.state.read_only = read_only
    app.state.jobs = Jobs(app.state.store)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        docs = request.url.path == "/docs"  # swagger-ui starts from an inline script
        response.headers.setdefault("Content-Security-Policy", CSP_DOCS if docs else CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.middleware("http")
    async def require_token(request: Request, call_next):
        path = request.url.path
        if app.state.token and not path.startswith(OPEN_PATHS):
            if not token_ok(request, app.state.token):
                if _wants_json(request):
                    return JSONResponse({"error": "token required: send Authorization: Bearer <token> or ?token="},
                                        status_code=401, headers={"WWW-Authenticate": "Bearer"})
                return HTMLResponse("<h1>401</h1><p>This sitrep server needs its token: open the page with "
                                    "<code>?token=…</code>.</p>", status_code=401)
            response = await call_next(request)
            if request.query_params.get("token") and not path.startswith("/api"):
                response.set_cookie(COOKIE, request.query_params["token"], httponly=True, samesite="strict")
            return response
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _wants_json(request):
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        from sitrep.web.pages import render_error

        return render_error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        parts = ["{}: {}".format(".".join(str(x) for x in e.get("loc", ())[1:]) or "request", e.get("msg"))
                 for e in exc.errors()]
        return JSONResponse({"error": "; ".join(parts) or "invalid request"}, status_code=422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)
        return JSONResponse({"error": f"internal error ({type(exc).__name__})"}, status_code=500)

    @app.get("/docs", include_in_schema=False)
    def docs():
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(openapi_url="/openapi.json", title="sitrep API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return {"ok": True}

    from sitrep.web.recordings import router as recordings

    app.include_router(router)
    app.include_router(recordings)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def warm_up(app: FastAPI) -> None:
    """Compile the templates and touch the database before the first visitor, so the first page is as fast."""
    from sitrep.store.aggregate import facets
    from sitrep.store.queries import stats
    from sitrep.web.pages import templates

    for name in templates.env.list_templates():
        templates.env.get_template(name)
    try:
        stats(app.state.store)
        facets(app.state.store)
    except Exception:  # noqa: BLE001 - a broken database shows on the first request, with its message
        log.exception("warm-up query failed")


class ServerThread:
    """A real uvicorn server on a free port in a background thread (tests, notebooks): `.url`, `.stop()`."""

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0):
        import socket
        import threading

        import uvicorn

        if not port:
            with socket.socket() as s:
                s.bind((host, 0))
                port = s.getsockname()[1]
        self.url = f"http://{host}:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="sitrep-web")

    def start(self, timeout: float = 20.0) -> "ServerThread":
        import time

        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"server at {self.url} did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
