"""Review writes: sign-in and sign-out, the confirm / reject / correct forms, and the JSON API.

Every route here answers 403 on a server started without ``--review``. Form writes need the
sign-in cookie plus the CSRF token; API writes need ``Authorization: Bearer TOKEN``. Either way the
decision is signed with the name of the reviewer whose token it is, never a name the client sends.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import APIRouter, Body, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from chronicle.serve import data, review
from chronicle.serve.app import ItemId, ServeState, require_review
from chronicle.serve.security import SESSION_COOKIE, TooManyAttempts, check_origin

router = APIRouter(tags=["review"])
Writable = Annotated[ServeState, Depends(require_review)]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a sign-in link must not bounce the browser elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return "/"
    parts = urlsplit(target)
    query = f"?{parts.query}" if parts.query else ""
    return parts.path + query + (f"#{parts.fragment}" if parts.fragment else "")


def _login_form(
    request: Request, state: ServeState, next: str, error: str | None, status: int = 200, **kw: Any
) -> Response:
    return state.templates.TemplateResponse(
        request,
        "login.html",
        {"next": _safe_next(next), "error": error, "reviewer": state.guard.reviewer(request)},
        status_code=status,
        **kw,
    )


@router.get("/review/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, state: Writable, next: str = "/") -> Response:
    return _login_form(request, state, next, None)


@router.post("/review/login", include_in_schema=False)
def login(
    request: Request,
    state: Writable,
    token: Annotated[str, Form(max_length=1000)],
    reviewer: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    # Another site's page must not sign this browser in, nor spend its tries (a lock-out).
    check_origin(request)
    try:
        sid = state.guard.sign_in_attempt(request, reviewer, token)
    except TooManyAttempts as exc:
        return _login_form(request, state, next, exc.detail, exc.status_code, headers=exc.headers)
    if sid is None:
        return _login_form(request, state, next, "Wrong name or token.", 403)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        sid,
        max_age=int(state.guard.max_seconds),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/review/logout", include_in_schema=False)
def logout(request: Request, state: Writable, csrf: Annotated[str, Form()] = "") -> Response:
    """End this browser's session (the form carries the CSRF token, so no other site can)."""
    state.guard.check_form(request, csrf)
    state.guard.sign_out(request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
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
    event_id: ItemId,
    state: Writable,
    action: Annotated[str, Form(max_length=16)],
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
    claim_id: ItemId,
    state: Writable,
    action: Annotated[str, Form(max_length=16)],
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    reviewer = state.guard.check_form(request, csrf)
    fields = await _form_fields(request, "claim")
    _record(state, "claim", claim_id, action=action, reviewer=reviewer, fields=fields, note=note)
    return RedirectResponse(_safe_next(back), status_code=303)


FieldValue = StrictStr | StrictInt | StrictFloat | None


class ReviewBody(BaseModel):
    """A decision sent over the API. ``reviewer`` may be left out: the token says who it is."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["confirm", "reject", "correct"]
    reviewer: StrictStr | None = Field(
        None, max_length=200, description="if given, must be the name the token belongs to"
    )
    changes: dict[Annotated[str, Field(max_length=64)], FieldValue] = Field(
        default_factory=dict, max_length=32, description="field: new value ('' or null clears)"
    )
    note: StrictStr | None = Field(None, max_length=review.MAX_NOTE)


def _field_text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        raise HTTPException(422, f"{name}: {value} is not a finite number")
    return str(value)


def _api_review(
    request: Request, state: ServeState, kind: str, target_id: int, body: ReviewBody
) -> dict:
    signer = state.guard.check_bearer(request)
    if body.reviewer is not None and not body.reviewer.strip():
        raise HTTPException(422, "reviewer: leave it out or give your name")
    if body.reviewer is not None and body.reviewer.strip().casefold() != signer.casefold():
        raise HTTPException(
            403, f"this token belongs to reviewer {signer!r}; it cannot sign as someone else"
        )
    fields = {name: _field_text(name, v) for name, v in body.changes.items()}
    return _record(
        state,
        kind,
        target_id,
        action=body.action,
        reviewer=signer,
        fields=fields,
        note=body.note,
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
    event_id: ItemId,
    state: Writable,
    body: Annotated[ReviewBody, Body(examples=[REVIEW_EXAMPLE])],
) -> dict[str, Any]:
    """Needs ``--review`` and ``Authorization: Bearer TOKEN``; returns the event as now seen.

    The decision is signed with the name of the reviewer the token belongs to."""
    return _api_review(request, state, "event", event_id, body)


@router.post("/api/claims/{claim_id}/review", summary="Confirm, reject or correct a claim")
def api_review_claim(
    request: Request,
    claim_id: ItemId,
    state: Writable,
    body: Annotated[ReviewBody, Body(examples=[{"action": "confirm"}])],
) -> dict[str, Any]:
    """Needs ``--review`` and ``Authorization: Bearer TOKEN``; returns the claim as now seen.

    The decision is signed with the name of the reviewer the token belongs to."""
    return _api_review(request, state, "claim", claim_id, body)
