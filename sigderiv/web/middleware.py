"""What wraps every request: security headers, the body limit, the request log, the last catch.

A pure ASGI middleware (no buffering of responses): it adds the headers as the response
starts, counts the body's bytes as they arrive, logs one line per request without the
user's text (unless asked to), and answers an exception nothing else handled with a 500 in
the one error shape, its traceback in the log only.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from sigderiv.formats.safe import printable
from sigderiv.web.errors import INTERNAL, body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_log = logging.getLogger("sigderiv.web.access")

#: No script but the page's own files, no inline script or style, no framing by other sites.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The headers on every answer.
HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode(), value.encode())
    for name, value in (
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    )
)
#: Characters of the user's text a request log line shows, with log_input.
_LOGGED = 300


class _BodyTooLargeError(HTTPException):
    """Raised into the app when the body passes the limit while it is read: a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over {limit} bytes, the server's limit")


class Guard:
    """The middleware: ``max_body`` bytes at most per request, ``log_input`` logs the text."""

    def __init__(self, app: ASGIApp, max_body: int, log_input: bool = False) -> None:
        self.app = app
        self.max_body = max_body
        self.log_input = log_input

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        state: dict[str, Any] = {"status": 0, "read": 0, "body": b""}

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                state["read"] += len(chunk)
                if state["read"] > self.max_body:
                    raise _BodyTooLargeError(self.max_body)
                if self.log_input and len(state["body"]) < _LOGGED:
                    state["body"] += chunk[:_LOGGED]
            return message

        declared = _content_length(scope)
        try:
            if declared is not None and declared > self.max_body:
                raise _BodyTooLargeError(self.max_body)
            await self.app(scope, counted, secured)
        except _BodyTooLargeError as error:
            if not state["status"]:
                content = json.dumps(body("LimitError", str(error.detail))).encode()
                await _respond(secured, 413, content)
        except Exception:
            _log.exception("internal error on %s", scope.get("path", ""))
            if not state["status"]:
                await _respond(secured, 500, json.dumps(INTERNAL).encode())
        finally:
            self._log(scope, state, started)

    def _log(self, scope: Scope, state: dict[str, Any], started: float) -> None:
        """One line per request: method, path, status, milliseconds (and the text if asked)."""
        line = f"{scope.get('method', '')} {scope.get('path', '')} {state['status']} "
        line += f"{1000 * (time.monotonic() - started):.0f} ms"
        if self.log_input:
            query = scope.get("query_string", b"").decode("latin-1")[:_LOGGED]
            given = state["body"].decode("utf-8", "replace")[:_LOGGED]
            line += f" query={query!r} body={given!r}"
        _log.info("%s", printable(line))


def _content_length(scope: Scope) -> int | None:
    """The declared length of the request body, or None."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _respond(send: Send, status: int, content: bytes) -> None:
    """Send a whole JSON answer."""
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(content)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
