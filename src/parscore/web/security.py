"""The guards around every request: the access token, a per-browser CSRF token, the body size limit.

Plain ASGI middlewares, so they wrap every route, static or not, the same way.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parscore.core.messages import word

TOKEN_COOKIE = "parscore_token"
CSRF_COOKIE = "parscore_csrf"


def cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies (Starlette's lenient parser: a malformed header yields no cookie, never an error)."""
    out: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            out.update(cookie_parser(value.decode("latin-1")))
    return out


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def _refused(status: int, code: str) -> PlainTextResponse:
    return PlainTextResponse(f"{word(code, 'vi')}\n{word(code, 'en')}\n", status_code=status)


class TokenGuard:
    """With a token set, every request must carry it: `Authorization: Bearer …`, the cookie, or `?token=` once.

    `?token=` (the link printed at start) is swapped for an HttpOnly cookie and a redirect
    to the same page without it, so the token does not stay in the address bar or history.
    """

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is None or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.startswith("Bearer ") and same(auth[7:].strip(), self.token):
            await self.app(scope, receive, send)
            return
        if same(cookies(scope).get(TOKEN_COOKIE), self.token):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), None)
        if given is not None and same(given, self.token) and scope["type"] == "http":
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            response = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            await response(scope, receive, send)
            return
        await _refused(401, "web_refused_token")(scope, receive, send)


class CsrfCookie:
    """Gives each browser a random CSRF cookie; forms echo it in a hidden field and routes compare the two.

    The cookie is SameSite=Strict and HttpOnly: another site can neither send it nor read it to forge the field.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        current = cookies(scope).get(CSRF_COOKIE)
        fresh = None if current and len(current) >= 32 else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = current if fresh is None else fresh

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and fresh is not None:
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", f"{CSRF_COOKIE}={fresh}; HttpOnly; Path=/; SameSite=strict")
            await send(message)
        await self.app(scope, receive, send_with_cookie)


class BodyTooLarge(Exception):
    """A request body passed the limit while it was being read."""


class BodyLimit:
    """Stops reading a request body past `limit` bytes (the Content-Length is not trusted: it may be absent)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message
        await self.app(scope, counted, send)


def security_headers() -> list[tuple[str, str]]:
    return [("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "same-origin"),
            ("cache-control", "no-store")]


class Headers:
    """Adds the safety headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in security_headers():
                    headers.setdefault(k, v)
            await send(message)
        await self.app(scope, receive, send_with if scope["type"] == "http" else send)

