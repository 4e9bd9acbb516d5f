"""Who may write, and proof that a write came from our own page.

Writes exist only with ``--review``. Two ways in, both needing the start-up token:
- API clients send ``Authorization: Bearer TOKEN``. Browsers never attach that header on their own
  and the server enables no CORS, so a cross-site page cannot forge such a request.
- People sign in once on ``/review/login`` with the token and their name. They get a random session
  id in an HttpOnly, SameSite=Strict cookie, and every form carries a CSRF token derived from that
  session (HMAC). A write needs the cookie, the matching form token, and an Origin (when the
  browser sends one) equal to this server's own.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

SESSION_COOKIE = "chronicle_session"


@dataclass
class Guard:
    """The token, the secret for CSRF tokens and the signed-in sessions of one server process."""

    token: str
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sessions: dict[str, str] = field(default_factory=dict)  # session id -> reviewer name

    @classmethod
    def from_env(cls, token: str | None = None) -> Guard:
        """Token from the argument, else ``CHRONICLE_TOKEN``, else a fresh random one."""
        chosen = token or os.environ.get("CHRONICLE_TOKEN") or secrets.token_urlsafe(24)
        return cls(token=chosen)

    def token_ok(self, candidate: str | None) -> bool:
        return bool(candidate) and hmac.compare_digest(
            candidate.encode("utf-8"), self.token.encode("utf-8")
        )

    def sign_in(self, reviewer: str) -> str:
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = reviewer
        return sid

    def csrf_for(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode("utf-8"), hashlib.sha256).hexdigest()

    def reviewer(self, request: Request) -> str | None:
        """The signed-in reviewer of this browser, or None."""
        sid = request.cookies.get(SESSION_COOKIE)
        return self.sessions.get(sid) if sid else None

    def csrf_token(self, request: Request) -> str | None:
        sid = request.cookies.get(SESSION_COOKIE)
        return self.csrf_for(sid) if sid and sid in self.sessions else None

    def check_form(self, request: Request, form_token: str | None) -> str:
        """The reviewer for a form write; 403 unless session, CSRF token and origin all agree."""
        sid = request.cookies.get(SESSION_COOKIE)
        if not sid or sid not in self.sessions:
            raise HTTPException(403, "sign in on /review/login first")
        if not form_token or not hmac.compare_digest(form_token, self.csrf_for(sid)):
            raise HTTPException(403, "missing or wrong CSRF token")
        check_origin(request)
        return self.sessions[sid]

    def check_bearer(self, request: Request) -> None:
        """403 unless the request carries ``Authorization: Bearer TOKEN``."""
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not self.token_ok(value.strip()):
            raise HTTPException(403, "writes need 'Authorization: Bearer TOKEN'")


def check_origin(request: Request) -> None:
    """Refuse a browser write whose Origin (or Referer) names another site."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return  # non-browser clients and privacy settings omit both; the CSRF token still holds
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin != own and not origin.startswith(own + "/"):
        raise HTTPException(403, "cross-origin write refused")
