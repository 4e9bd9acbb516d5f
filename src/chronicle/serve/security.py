"""Who may write, proof that a write came from our own page, and the guard in front of all requests.

Writes exist only with ``--review``. Reviewers are named accounts: each token belongs to one
reviewer, and every decision made with it is signed with that name (see :func:`load_accounts`).
Two ways in:
- API clients send ``Authorization: Bearer TOKEN``. Browsers never attach that header on their own
  and the server enables no CORS, so a cross-site page cannot forge such a request.
- People sign in on ``/review/login`` with their name and token. They get a random session id in
  an HttpOnly, SameSite=Strict cookie, and every form carries a CSRF token derived from that
  session (HMAC). A write needs the cookie, the matching form token, and an Origin (when the
  browser sends one) equal to this server's own. Sessions end on ``/review/logout``, after
  ``idle_seconds`` without a request, and ``max_seconds`` after sign-in whatever happens.

Wrong tokens are rate-limited (:class:`Backoff`): per client address and per reviewer name, after
a few free failures every further one doubles the wait, answered ``429`` with ``Retry-After``.

Every response, errors included, carries the security headers, and a request whose ``Host`` is not
on the allow-list is refused before it reaches the app (DNS rebinding): see :class:`Perimeter`.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request

SESSION_COOKIE = "chronicle_session"
DEFAULT_REVIEWER = "analyst"
MAX_NAME = 200


class AccountError(ValueError):
    """A reviewers list that cannot be used (malformed line, empty or duplicate token or name)."""


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def check_name(name: str, where: str = "reviewer") -> str:
    """A reviewer name as stored: stripped, non-empty, at most 200 printable characters."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise AccountError(f"{where}: a reviewer name needs 1 to {MAX_NAME} characters")
    if any(not ch.isprintable() for ch in name):
        raise AccountError(f"{where}: a reviewer name cannot hold control characters")
    return name


def parse_accounts(text: str, *, source: str, sep: str = "\n") -> dict[str, str]:
    """``name:token`` entries (split at the last colon) separated by ``sep``; '#' comments."""
    out: dict[str, str] = {}
    for number, entry in enumerate(text.split(sep), 1):
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        where = f"{source}:{number}" if sep == "\n" else f"{source} entry {number}"
        name, colon, token = entry.rpartition(":")
        if not colon or not token.strip():
            raise AccountError(f"{where}: expected 'name:token'")
        out[check_name(name, where)] = token.strip()
    return out


@dataclass(frozen=True)
class Accounts:
    """The reviewers of one server: name -> SHA-256 of its token (the tokens are not kept)."""

    digests: Mapping[str, bytes]
    token: str | None = None  # the single start-up token, when one was given or generated
    source: str = ""

    @classmethod
    def build(
        cls, named: Mapping[str, str], *, token: str | None = None, source: str = ""
    ) -> Accounts:
        digests: dict[str, bytes] = {}
        seen: dict[bytes, str] = {}
        folded: dict[str, str] = {}
        for raw_name, tok in named.items():
            name = check_name(raw_name)
            if not tok:
                raise AccountError(f"{name}: empty token")
            if name.casefold() in folded:
                raise AccountError(f"reviewer {name!r} is listed twice")
            d = _digest(tok)
            if d in seen:
                raise AccountError(f"reviewers {seen[d]!r} and {name!r} share a token")
            digests[name], seen[d], folded[name.casefold()] = d, name, name
        if not digests:
            raise AccountError("no reviewer accounts")
        return cls(digests, token, source)

    @property
    def names(self) -> list[str]:
        return sorted(self.digests)

    def canonical(self, name: str) -> str | None:
        """The account name matching ``name`` (case and surrounding spaces ignored), or None."""
        wanted = name.strip().casefold()
        return next((n for n in self.digests if n.casefold() == wanted), None)

    def owner(self, token: str | None) -> str | None:
        """The reviewer whose token this is, or None (compares every account, in constant time)."""
        if not token:
            return None
        d = _digest(token)
        found = None
        for name, want in self.digests.items():
            if hmac.compare_digest(d, want):
                found = name
        return found


def load_accounts(
    *,
    token: str | None = None,
    reviewer: str | None = None,
    reviewers: Mapping[str, str] | None = None,
    reviewers_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Accounts:
    """The reviewer accounts of a server, from arguments first, then the environment.

    - ``reviewers`` (name -> token), the lines of ``reviewers_file`` / ``CHRONICLE_REVIEWERS_FILE``
      and ``CHRONICLE_REVIEWERS`` (``"name:token,name:token"``) are named accounts;
    - the single token (``token``, else ``CHRONICLE_TOKEN``) is one more account, named ``reviewer``
      / ``CHRONICLE_REVIEWER`` (default "analyst");
    - with no account at all, a random token is made for that one reviewer (printed at start-up).
    """
    env = os.environ if environ is None else environ
    named: dict[str, str] = {}
    sources: list[str] = []

    def add(more: Mapping[str, str], source: str) -> None:
        for name, tok in more.items():
            if name in named:
                raise AccountError(f"reviewer {name!r} is listed twice ({source})")
            named[name] = tok
        if more:
            sources.append(source)

    if reviewers:
        add(dict(reviewers), "arguments")
    path = reviewers_file or env.get("CHRONICLE_REVIEWERS_FILE")
    if path:
        try:
            text = Path(path).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AccountError(f"{path}: cannot read the reviewers file ({exc})") from None
        add(parse_accounts(text, source=str(path)), str(path))
    if env.get("CHRONICLE_REVIEWERS"):
        add(
            parse_accounts(env["CHRONICLE_REVIEWERS"], source="CHRONICLE_REVIEWERS", sep=","),
            "CHRONICLE_REVIEWERS",
        )
    source = ", ".join(sources)
    single = token or env.get("CHRONICLE_TOKEN") or None
    if single is None and not named:
        single = secrets.token_urlsafe(24)
    if single is not None:
        name = check_name(reviewer or env.get("CHRONICLE_REVIEWER") or DEFAULT_REVIEWER)
        add({name: single}, "token")
    return Accounts.build(named, token=single, source=source)


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    until: float = 0.0


@dataclass
class Backoff:
    """Failed attempts per key; after ``free`` failures each one doubles the wait (capped).

    Failures older than ``forget_after`` seconds are forgotten; at most ``max_keys`` keys are kept
    (the stalest go first), so a flood of addresses cannot grow memory without bound.
    """

    free: int = 5
    base_delay: float = 1.0
    max_delay: float = 900.0
    forget_after: float = 3600.0
    max_keys: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, _Failures] = field(default_factory=dict)

    def _entry(self, key: str) -> _Failures | None:
        entry = self._keys.get(key)
        if entry is not None and self.clock() - entry.last > self.forget_after:
            del self._keys[key]
            return None
        return entry

    def retry_after(self, *keys: str) -> float:
        """Seconds to wait before ``keys`` may try again (0: go ahead)."""
        now = self.clock()
        waits = [e.until - now for k in keys if (e := self._entry(k)) is not None]
        return max([0.0, *waits])

    def failed(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            entry = self._entry(key) or _Failures()
            entry.count += 1
            entry.last = now
            over = entry.count - self.free
            if over > 0:
                entry.until = now + min(self.max_delay, self.base_delay * 2 ** min(over - 1, 40))
            self._keys.pop(key, None)
            self._keys[key] = entry  # most recent last
        while len(self._keys) > self.max_keys:
            del self._keys[next(iter(self._keys))]

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._keys.pop(key, None)


class TooManyAttempts(HTTPException):
    """429 with ``Retry-After`` (whole seconds, at least 1)."""

    def __init__(self, wait: float) -> None:
        self.wait = max(1, math.ceil(wait))
        super().__init__(
            429,
            f"too many wrong tokens; try again in {self.wait} s",
            headers={"Retry-After": str(self.wait)},
        )


@dataclass
class Session:
    reviewer: str
    started: float
    seen: float


def client_key(request: Request) -> str:
    return "addr:" + (request.client.host if request.client else "unknown")


@dataclass
class Guard:
    """The accounts, CSRF secret, signed-in sessions and failure counts of one server."""

    accounts: Accounts
    idle_seconds: float = 3600.0
    max_seconds: float = 8 * 3600.0
    clock: Callable[[], float] = time.monotonic
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sessions: dict[str, Session] = field(default_factory=dict)
    backoff: Backoff = field(default_factory=Backoff)

    def __post_init__(self) -> None:
        self.backoff.clock = lambda: self.clock()

    @classmethod
    def from_env(cls, token: str | None = None, **accounts: Any) -> Guard:
        """Accounts from the arguments and the environment (see :func:`load_accounts`)."""
        return cls(load_accounts(token=token, **accounts))

    @property
    def token(self) -> str | None:
        """The single start-up token, if there is one (``chronicle serve`` prints it)."""
        return self.accounts.token

    # -- tokens ---------------------------------------------------------------------------------

    def sign_in_attempt(self, request: Request, name: str, token: str) -> str | None:
        """A new session id for ``name`` if ``token`` is that reviewer's; None if not.

        Raises :class:`TooManyAttempts` while this address or this reviewer is backing off.
        """
        reviewer = self.accounts.canonical(name)
        keys = [client_key(request)] + ([f"reviewer:{reviewer}"] if reviewer else [])
        wait = self.backoff.retry_after(*keys)
        if wait > 0:
            raise TooManyAttempts(wait)
        if reviewer is None or self.accounts.owner(token) != reviewer:
            self.backoff.failed(*keys)
            return None
        self.backoff.succeeded(*keys)
        return self.sign_in(reviewer)

    def check_bearer(self, request: Request) -> str:
        """The reviewer owning the request's ``Authorization: Bearer TOKEN``; 403 or 429 if none."""
        key = client_key(request)
        wait = self.backoff.retry_after(key)
        if wait > 0:
            raise TooManyAttempts(wait)
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        reviewer = self.accounts.owner(value.strip()) if scheme.lower() == "bearer" else None
        if reviewer is None:
            self.backoff.failed(key)
            raise HTTPException(403, "writes need 'Authorization: Bearer TOKEN'")
        self.backoff.succeeded(key)
        return reviewer

    # -- sessions -------------------------------------------------------------------------------

    def sign_in(self, reviewer: str) -> str:
        self._prune()
        sid = secrets.token_urlsafe(32)
        now = self.clock()
        self.sessions[sid] = Session(reviewer, now, now)
        return sid

    def sign_out(self, request: Request) -> None:
        sid = request.cookies.get(SESSION_COOKIE)
        if sid:
            self.sessions.pop(sid, None)

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.seen > self.idle_seconds or now - session.started > self.max_seconds

    def _prune(self) -> None:
        now = self.clock()
        for sid in [s for s, sess in self.sessions.items() if self._expired(sess, now)]:
            del self.sessions[sid]

    def _session(self, request: Request) -> tuple[str, Session] | None:
        """The live session of this browser (touching it), or None; an expired one is dropped."""
        sid = request.cookies.get(SESSION_COOKIE)
        session = self.sessions.get(sid) if sid else None
        if session is None:
            return None
        now = self.clock()
        if self._expired(session, now):
            del self.sessions[sid]
            return None
        session.seen = now
        return sid, session

    def reviewer(self, request: Request) -> str | None:
        """The signed-in reviewer of this browser, or None."""
        live = self._session(request)
        return live[1].reviewer if live else None

    def csrf_for(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode("utf-8"), hashlib.sha256).hexdigest()

    def csrf_token(self, request: Request) -> str | None:
        live = self._session(request)
        return self.csrf_for(live[0]) if live else None

    def check_form(self, request: Request, form_token: str | None) -> str:
        """The reviewer for a form write; 403 unless session, CSRF token and origin all agree."""
        live = self._session(request)
        if live is None:
            raise HTTPException(403, "sign in on /review/login first (or again: sessions expire)")
        sid, session = live
        if not form_token or not hmac.compare_digest(
            form_token.encode("utf-8", "surrogatepass"), self.csrf_for(sid).encode("ascii")
        ):
            raise HTTPException(403, "missing or wrong CSRF token")
        check_origin(request)
        return session.reviewer


def check_origin(request: Request) -> None:
    """Refuse a browser write whose Origin (or Referer) names another site."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return  # non-browser clients and privacy settings omit both; the CSRF token still holds
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin != own and not origin.startswith(own + "/"):
        raise HTTPException(403, "cross-origin write refused")


# -- the perimeter: every request, before the app ---------------------------------------------

# No inline script is ever needed; article text cannot run code even if escaping failed.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_OWN_NAMES = {name for name, _ in SECURITY_HEADERS}

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
MAX_BODY = 1 << 20  # no form or review body comes near 1 MiB


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without port, lower-cased ('[::1]:8000' -> '::1')."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(
    extra: Iterable[str] = (), environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """``LOCAL_HOSTS``, ``extra`` and ``CHRONICLE_ALLOWED_HOSTS`` (comma-separated); '*' = any."""
    env = os.environ if environ is None else environ
    names = [*LOCAL_HOSTS, *extra, *env.get("CHRONICLE_ALLOWED_HOSTS", "").split(",")]
    out = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        out.add("*" if name == "*" else host_name(name if not _bare_ipv6(name) else f"[{name}]"))
    return frozenset(out)


def _bare_ipv6(name: str) -> bool:
    return name.count(":") > 1 and not name.startswith("[")


class Perimeter:
    """Pure ASGI wrapper around the whole app, error handling included.

    Adds ``SECURITY_HEADERS`` to every HTTP response (a 500 too), answers 400 to a ``Host`` not in
    ``hosts`` or a NUL in the URL, and 413 to a body over ``max_body`` bytes, whether announced
    or streamed.
    """

    def __init__(self, app: Any, hosts: frozenset[str], max_body: int = MAX_BODY) -> None:
        self.app = app
        self.hosts = hosts
        self.max_body = max_body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                kept = [h for h in message.get("headers", []) if h[0].lower() not in _OWN_NAMES]
                message = {**message, "headers": [*kept, *SECURITY_HEADERS]}
            await send(message)

        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if "*" not in self.hosts and host not in self.hosts:
            await _plain(send_with_headers, 400, "Invalid Host header")
            return
        if _has_nul(scope):
            # No database stores NUL alike (PostgreSQL refuses it): refuse it in the URL at once.
            await _plain(send_with_headers, 400, "NUL in the request URL")
            return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            status = 413 if length.isdigit() else 400
            await _plain(send_with_headers, status, "Request body refused")
            return
        if length is None and b"transfer-encoding" in headers:
            # A streamed body of unknown length: read it (up to the limit) before the app does.
            chunks: list[bytes] = []
            size = 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_body:
                    await _plain(send_with_headers, 413, "Request body too large")
                    return
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            replayed = False

            async def replay() -> Any:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            await self.app(scope, replay, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _has_nul(scope: Any) -> bool:
    query = scope.get("query_string", b"").lower()
    return "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query


async def _plain(send: Any, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
