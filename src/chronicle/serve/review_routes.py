"""Review writes: sign-in, the confirm / reject / correct forms, and the same over the JSON API.

Every route here answers 403 on a server started without ``--review``. Form writes need the
sign-in cookie plus the CSRF token; API writes need ``Authorization: Bearer TOKEN``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import APIRouter, Body, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chronicle.serve import data, review
from chronicle.serve.app import ServeState, require_review
from chronicle.serve.security import SESSION_COOKIE

router = APIRouter(tags=["review"])
Writable = Annotated[ServeState, Depends(require_review)]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a sign-in link must not bounce the browser elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    query = f"?{parts.query}" if parts.query else ""
    return parts.path + query + (f"#{parts.fragment}" if parts.fragment else "")


@router.get("/review/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, state: Writable, next: str = "/") -> Response:
    return state.templates.TemplateResponse(
        request, "login.html", {"next": _safe_next(next), "error": None}
    )


@router.post("/review/login", include_in_schema=False)
def login(
    request: Request,
    state: Writable,
    token: Annotated[str, Form()],
    reviewer: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    if not state.guard.token_ok(token) or not reviewer.strip():
        return state.templates.TemplateResponse(
            request,
            "login.html",
            {"next": _safe_next(next), "error": "Wrong token, or no name given."},
            status_code=403,
        )
    sid = state.guard.sign_in(reviewer.strip())
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/")
    return response


def _load(conn: sa.Connection, kind: str, target_id: int) -> dict[str, Any]:
    item = data.get_event(conn, target_id) if kind == "event" else data.get_claim(conn, target_id)
    if item is None:
        raise HTTPException(404, f"no {kind} {target_id}")
    return item


def _record(
    state: ServeState,
    kind: str,
    target_id: int,
    *,
    action: str,
    reviewer: str,
    fields: dict[str, str],
    note: str | None,
) -> dict[str, Any]:
    """Validate and store one decision in its own transaction; returns the item as now seen."""
    with state.engine.begin() as conn:
        item = _load(conn, kind, target_id)
        try:
            changes = {}
            if action == "correct":
                for name, raw in fields.items():
                    value = review.clean_value(kind, name, raw)
                    if value != item.get(name):
                        changes[name] = value
            review.add_review(
                conn,
                kind=kind,
                target_id=str(target_id),
                action=action,
                reviewer=reviewer,
                current=item,
                changes=changes,
                note=note,
            )
        except review.ReviewError as exc:
            raise HTTPException(422, str(exc)) from None
    with state.engine.connect() as conn:
        return _load(conn, kind, target_id)


async def _form_fields(request: Request, kind: str) -> dict[str, str]:
    form = await request.form()
    return {k: str(form[k]) for k in review.FIELDS[kind] if k in form}


@router.post("/events/{event_id}/review", include_in_schema=False)
async def review_event_form(
    request: Request,
    event_id: int,
    state: Writable,
    action: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    reviewer = state.guard.check_form(request, csrf)
    fields = await _form_fields(request, "event")
    _record(state, "event", event_id, action=action, reviewer=reviewer, fields=fields, note=note)
    return RedirectResponse(f"/events/{event_id}#review", status_code=303)


@router.post("/claims/{claim_id}/review", include_in_schema=False)
async def review_claim_form(
    request: Request,
    claim_id: int,
    state: Writable,
    action: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form()] = "/",
) -> Response:
    reviewer = state.guard.check_form(request, csrf)
    fields = await _form_fields(request, "claim")
    _record(state, "claim", claim_id, action=action, reviewer=reviewer, fields=fields, note=note)
    return RedirectResponse(_safe_next(back), status_code=303)


def _api_review(request: Request, state: ServeState, kind: str, target_id: int, body: dict) -> dict:
    state.guard.check_bearer(request)
    changes = body.get("changes") or {}
    if not isinstance(changes, dict):
        raise HTTPException(422, "changes must be an object of field: value")
    fields = {str(k): "" if v is None else str(v) for k, v in changes.items()}
    return _record(
        state,
        kind,
        target_id,
        action=str(body.get("action", "")),
        reviewer=str(body.get("reviewer", "")),
        fields=fields,
        note=body.get("note"),
    )


REVIEW_EXAMPLE = {
    "action": "correct",
    "reviewer": "A. Analyst",
    "changes": {"date": "2023-09-11", "country": "RU"},
    "note": "date is in paragraph 5",
}


@router.post("/api/events/{event_id}/review", summary="Confirm, reject or correct an event")
def api_review_event(
    request: Request,
    event_id: int,
    state: Writable,
    body: Annotated[dict[str, Any], Body(examples=[REVIEW_EXAMPLE])],
) -> dict[str, Any]:
    """Needs ``--review`` and ``Authorization: Bearer TOKEN``; returns the event as now seen."""
    return _api_review(request, state, "event", event_id, body)


@router.post("/api/claims/{claim_id}/review", summary="Confirm, reject or correct a claim")
def api_review_claim(
    request: Request,
    claim_id: int,
    state: Writable,
    body: Annotated[dict[str, Any], Body(examples=[{"action": "confirm", "reviewer": "A."}])],
) -> dict[str, Any]:
    """Needs ``--review`` and ``Authorization: Bearer TOKEN``; returns the claim as now seen."""
    return _api_review(request, state, "claim", claim_id, body)
