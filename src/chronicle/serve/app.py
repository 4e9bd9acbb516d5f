"""The FastAPI application: JSON API, server-rendered pages and (with ``--review``) review writes.

``create_app(url)`` opens the store's database (running its migrations, which include the review
table) and wires the routers. The server is read-only unless ``review=True``; then writes need a
reviewer's token (see :mod:`chronicle.serve.security`). Whatever the app does, every response
carries the security headers, and requests naming a host not on the allow-list are refused.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import make_url
from starlette.exceptions import HTTPException as StarletteHTTPException

from chronicle.serve.security import Accounts, Guard, Perimeter, allowed_hosts, load_accounts
from chronicle.store.db import make_engine, migrate, resolve_url

HERE = Path(__file__).parent

# Row ids are 32-bit integers on PostgreSQL (SQLite's go to 2**63 - 1, where it raises an
# overflow); offsets are 64-bit on both. Anything larger is refused with 422 before it reaches SQL.
MAX_ID = 2**31 - 1
MAX_OFFSET = 2**31 - 1
ItemId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="row id")]


class ChronicleApp(FastAPI):
    """FastAPI whose whole middleware stack, error pages included, runs inside ``Perimeter``."""

    hosts: frozenset[str] = frozenset()

    def build_middleware_stack(self) -> Any:
        return Perimeter(super().build_middleware_stack(), self.hosts)


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
    url: str | None = None,
    *,
    review: bool = False,
    token: str | None = None,
    reviewer: str | None = None,
    reviewers: Mapping[str, str] | None = None,
    reviewers_file: str | Path | None = None,
    hosts: Iterable[str] = (),
) -> FastAPI:
    """The Chronicle web app over the database at ``url`` (``CHRONICLE_DB`` / ./chronicle.db).

    With ``review``, the reviewer accounts come from ``token`` (one reviewer, named ``reviewer``),
    ``reviewers`` (name -> token), ``reviewers_file`` and the environment (see
    :func:`chronicle.serve.security.load_accounts`). ``hosts`` are allowed in the ``Host`` header
    besides localhost and ``CHRONICLE_ALLOWED_HOSTS``.
    """
    from chronicle.serve import api, pages, review_routes

    if review:
        accounts = load_accounts(
            token=token, reviewer=reviewer, reviewers=reviewers, reviewers_file=reviewers_file
        )
    else:  # read-only: no account can write, whatever the environment holds
        accounts = Accounts.build({"read-only": secrets.token_urlsafe(24)})
    resolved, engine = open_database(url)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    # Autoescaping is on for .html in Jinja2Templates; make sure it is whatever the extension.
    templates.env.autoescape = True

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = ChronicleApp(
        lifespan=lifespan,
        title="Chronicle",
        description="Events, people and sources extracted from news articles.",
        version="0.1.0",
    )
    app.hosts = allowed_hosts(hosts)
    state = ServeState(engine, templates, review, Guard(accounts), resolved)
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
            return JSONResponse(
                {"detail": encodable(exc.detail)}, status_code=exc.status_code, headers=exc.headers
            )
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "detail": encodable(exc.detail)},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse({"detail": validation_errors(exc)}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in validation_errors(exc)
        )
        return templates.TemplateResponse(
            request, "error.html", {"status": 422, "detail": problems}, status_code=422
        )

    @app.exception_handler(sa.exc.OperationalError)
    async def _busy(request: Request, exc: sa.exc.OperationalError):
        # Another writer holds SQLite's lock past the busy timeout: say so, and when to retry.
        if "locked" not in str(exc.orig).lower():
            raise exc
        return JSONResponse(
            {"detail": "the database is busy with another write; try again"},
            status_code=503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        return JSONResponse({"detail": "internal server error"}, status_code=500)

    return app


def encodable(value: Any) -> Any:
    """``value`` with every string made encodable as UTF-8 (a lone surrogate becomes '\\ud800')."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {encodable(k): encodable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encodable(v) for v in value]
    return value


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, without echoing the input back (it may be huge, or not even UTF-8)."""
    return [
        {
            "type": str(e.get("type", "")),
            "loc": encodable(list(e.get("loc", []))),
            "msg": encodable(str(e.get("msg", ""))),
        }
        for e in exc.errors()
    ]


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
