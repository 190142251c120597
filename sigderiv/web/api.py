"""The JSON API: derive, steps, plot samples, check, preview and the health check.

Each handler reads its parameters (FastAPI validates types and ranges: 422), sends the work
to the bounded pool (:mod:`sigderiv.web.pool`) and returns what the library made: the same
JSON documents as the command line's ``-f json``. No handler reads or writes a file.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from sigderiv.errors import LimitError
from sigderiv.input.limits import MAX_ORDER, MAX_RANGE
from sigderiv.input.parse import MAX_LENGTH
from sigderiv.web import jobs
from sigderiv.web.cache import Answers
from sigderiv.web.errors import EXAMPLE
from sigderiv.web.pool import Pool
from sigderiv.web.settings import Settings

router = APIRouter()

#: The error answers every computing endpoint may give, for the OpenAPI description.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A user mistake: unreadable text, no rule yet, past a limit."},
    422: {"description": "A parameter of the wrong type or out of range."},
    503: {"description": "Every worker is busy and the queue is full; try again."},
    504: {"description": "The work ran out of the server's time bound."},
}
for _status in ERRORS:
    ERRORS[_status]["content"] = {"application/json": {"example": EXAMPLE}}

Expr = Annotated[
    str,
    Query(
        description="A catalogue name (sigmoid, tanh, ...) or an expression such as "
        "1/(1+exp(-x)); ^ is a power, e is Euler's number (docs/input.md).",
        examples=["x^2 sin(x)"],
    ),
]
Var = Annotated[str, Query(description="The variable to differentiate in.")]
Order = Annotated[
    int, Query(ge=1, le=MAX_ORDER, description=f"Which derivative, 1 to {MAX_ORDER}.")
]
Name = Annotated[
    str,
    Query(description="Names the function, so the result is written with its own value."),
]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _run(request: Request, work: partial[Any], timeout: float, what: str) -> Any:
    """``work()`` from the bounded pool, or its answer remembered for the same request."""
    pool: Pool = request.app.state.pool
    answers: Answers = request.app.state.answers
    key = (work.func.__name__, work.args)
    return await answers.get(key, lambda: pool.run(work, timeout, what))


def _readable(expr: str) -> str:
    """``expr`` if it is short enough to read at all; else LimitError, before any worker."""
    if len(expr) > MAX_LENGTH:
        raise LimitError(
            f"input is {len(expr)} characters long; the limit is MAX_LENGTH = {MAX_LENGTH}"
        )
    return expr


def _json(text: str) -> Response:
    """A JSON document the library already wrote."""
    return Response(text, media_type="application/json")


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The server is up."""
    return {"status": "ok"}


@router.get("/api/derive", responses=ERRORS, response_class=Response)
async def api_derive(
    request: Request, expr: Expr, var: Var = "x", order: Order = 1, name: Name = ""
) -> Response:
    """The derivation, step by step: exactly the ``sigderiv derive -f json`` document."""
    settings = _settings(request)
    work = partial(
        jobs.derivation_json, _readable(expr), var, order, name or None, settings.check_timeout
    )
    return _json(await _run(request, work, settings.timeout, "the derivation"))


@router.get("/api/steps", responses=ERRORS)
async def api_steps(
    request: Request, expr: Expr, var: Var = "x", order: Order = 1, name: Name = ""
) -> dict[str, Any]:
    """The HTML renderer's steps as a fragment (MathML, collapsible substeps, ✓ marks)."""
    settings = _settings(request)
    work = partial(
        jobs.steps_fragment, _readable(expr), var, order, name or None, settings.check_timeout
    )
    return await _run(request, work, settings.timeout, "the derivation")


@router.get("/api/plot", responses=ERRORS)
async def api_plot(
    request: Request,
    expr: Expr,
    var: Var = "x",
    order: Order = 1,
    name: Name = "",
    lo: Annotated[float, Query(ge=-MAX_RANGE, le=MAX_RANGE, description="Left end.")] = -6.0,
    hi: Annotated[float, Query(ge=-MAX_RANGE, le=MAX_RANGE, description="Right end.")] = 6.0,
) -> dict[str, Any]:
    """The samples the plot draws: x, f and its derivative (null where undefined), jump dots."""
    if not lo < hi:
        raise LimitError(f"the plot's range needs lo < hi, not lo={lo:g}, hi={hi:g}")
    settings = _settings(request)
    work = partial(
        jobs.plot_data,
        _readable(expr),
        var,
        order,
        name or None,
        settings.check_timeout,
        lo,
        hi,
    )
    return await _run(request, work, settings.timeout, "the plot")


class Working(BaseModel):
    """A learner's working: the function on the first line, then forms of its derivative."""

    lines: list[str] = Field(
        min_length=1,
        description="The function, then one form of its derivative per line (text or LaTeX).",
        examples=[["1/(1+e^(-x))", "e^(-x)/(1+e^(-x))^2"]],
    )
    var: str = Field("x", description="The variable to differentiate in.")


@router.post("/api/check", responses={**ERRORS, 413: {"description": "The body is too large."}})
async def api_check(request: Request, working: Working) -> Response:
    """The check of each line: exactly the ``sigderiv check -f json`` report."""
    settings = _settings(request)
    if len(working.lines) > settings.max_lines:
        raise LimitError(
            f"{len(working.lines)} lines to check; the server checks at most {settings.max_lines}"
        )
    lines = tuple(_readable(line) for line in working.lines)
    work = partial(jobs.check_report, lines, working.var, settings.check_timeout)
    pool: Pool = request.app.state.pool  # a learner's working: not worth remembering
    return _json(await pool.run(work, settings.timeout, "the check"))


@router.get("/api/preview", responses=ERRORS)
async def api_preview(request: Request, expr: Expr) -> dict[str, str]:
    """The expression parsed, not derived: MathML and LaTeX for the live preview."""
    settings = _settings(request)
    work = partial(jobs.preview, _readable(expr))
    return await _run(request, work, settings.preview_timeout, "the preview")
