"""Errors as HTTP answers: one body shape, a status for each kind, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from sigderiv.errors import (
    ParseError,
    SigderivError,
    TimeoutError,
    VerificationError,
)
from sigderiv.formats.safe import printable
from sigderiv.web.pool import BusyError

_log = logging.getLogger("sigderiv.web")

#: The status of each error class (the first that the error is an instance of).
STATUSES: tuple[tuple[type[SigderivError], int], ...] = (
    (BusyError, 503),
    (TimeoutError, 504),
    (VerificationError, 500),  # a step failed its proof: a bug of ours, never bad input
    (SigderivError, 400),  # ParseError, LimitError, UnsupportedError: the user's mistake
)

#: An example of the error body, for the OpenAPI description.
EXAMPLE = {"error": {"kind": "ParseError", "message": "missing operand", "position": 2}}


def body(kind: str, message: str, position: int | None = None) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"error": {"kind": kind, "message": printable(message), "position": position}}


def status_of(error: SigderivError) -> int:
    """The HTTP status of one of our errors."""
    return next(status for kind, status in STATUSES if isinstance(error, kind))


def answer(error: SigderivError) -> JSONResponse:
    """The answer to a request that ended in ``error``."""
    position = error.position if isinstance(error, ParseError) else None
    headers = {"Retry-After": "1"} if isinstance(error, BusyError) else None
    return JSONResponse(
        body(type(error).__name__, str(error), position), status_of(error), headers=headers
    )


def _validation(request: Request, error: Exception) -> JSONResponse:
    """A parameter of the wrong type or out of range (FastAPI's validation): 422."""
    assert isinstance(error, RequestValidationError)
    said = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "query")
        said.append(f"{where}: {problem.get('msg', 'invalid')}")
    return JSONResponse(body("ValidationError", "; ".join(said) or "invalid request"), 422)


def _http(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own errors (404, 405) in the same shape."""
    assert isinstance(error, HTTPException)
    kinds = {404: "NotFound", 405: "MethodNotAllowed", 413: "LimitError"}
    kind = kinds.get(error.status_code, "HTTPError")
    return JSONResponse(
        body(kind, str(error.detail)), error.status_code, headers=getattr(error, "headers", None)
    )


def _ours(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SigderivError)
    if isinstance(error, VerificationError):
        _log.error("a step failed its proof on %s: %s", request.url.path, error)
    return answer(error)


#: What the answer to a bug of ours says (the middleware answers it, logging the traceback).
INTERNAL = body("InternalError", "internal error; this is a bug in sigderiv, please report it")


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with the one body shape."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(SigderivError, _ours)
