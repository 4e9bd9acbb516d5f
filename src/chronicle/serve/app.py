"""The FastAPI application: JSON API, server-rendered pages and (with ``--review``) review writes.

``create_app(url)`` opens the store's database (running its migrations, which include the review
table) and wires the routers. The server is read-only unless ``review=True``; then writes need the
token (see :mod:`chronicle.serve.security`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import make_url
from starlette.exceptions import HTTPException as StarletteHTTPException

from chronicle.serve.security import Guard
from chronicle.store.db import make_engine, migrate, resolve_url

HERE = Path(__file__).parent


@dataclass
class ServeState:
    """What every request handler needs: the engine, the templates and the write guard."""

    engine: sa.Engine
    templates: Jinja2Templates
    review: bool
    guard: Guard
    url: str


def open_database(url: str | None) -> tuple[str, sa.Engine]:
    """Resolve and open the database; a missing SQLite file is an error, not a new empty store."""
    resolved = resolve_url(url)
    parsed = make_url(resolved)
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if is_file and not Path(str(parsed.database)).expanduser().exists():
        raise FileNotFoundError(
            f"{parsed.database}: no such database; run `chronicle ingest` first"
        )
    engine = make_engine(resolved)
    migrate(engine)  # idempotent; brings in the reviews table on an older store
    return resolved, engine


def create_app(
    url: str | None = None, *, review: bool = False, token: str | None = None
) -> FastAPI:
    """The Chronicle web app over the database at ``url`` (``CHRONICLE_DB`` / ./chronicle.db)."""
    from chronicle.serve import api, pages, review_routes

    resolved, engine = open_database(url)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    # Autoescaping is on for .html in Jinja2Templates; make sure it is whatever the extension.
    templates.env.autoescape = True

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Chronicle",
        description="Events, people and sources extracted from news articles.",
        version="0.1.0",
    )
    state = ServeState(engine, templates, review, Guard.from_env(token), resolved)
    app.state.chronicle = state
    templates.env.globals["review_mode"] = review
    templates.env.filters["roles"] = roles_text
    # The inline SVG maps are large but repetitive: compressed they are a fraction of the size.
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(review_routes.router)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        # JSON for the API, a page for people; the detail is escaped by the template.
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg')}"
            for e in exc.errors()
        )
        return templates.TemplateResponse(
            request, "error.html", {"status": 422, "detail": problems}, status_code=422
        )

    app.add_middleware(SecurityHeaders)
    return app


# No inline script is ever needed; article text cannot run code even if escaping failed.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware adding ``SECURITY_HEADERS`` to every HTTP response (cheap per call)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def roles_text(roles: Any) -> str:
    """Entity roles as one line, whether stored as strings or as {"role": ..., ...} records."""
    if not roles:
        return ""
    if isinstance(roles, str):
        return roles
    if isinstance(roles, dict):
        roles = [roles]
    out: list[str] = []
    for r in roles:
        text = r.get("role") if isinstance(r, dict) else str(r)
        if text and text not in out:
            out.append(text)
    return "; ".join(out)


def serve_state(request: Request) -> ServeState:
    return request.app.state.chronicle


def connection(request: Request) -> Iterator[sa.Connection]:
    """One database connection per request (a FastAPI dependency)."""
    with serve_state(request).engine.connect() as conn:
        yield conn


def require_review(request: Request) -> ServeState:
    """403 for any write on a server started without ``--review``."""
    state = serve_state(request)
    if not state.review:
        raise HTTPException(
            403, "this server is read-only; start it with `chronicle serve --review`"
        )
    return state


__all__ = [
    "HTMLResponse",
    "ServeState",
    "connection",
    "create_app",
    "require_review",
    "serve_state",
]
