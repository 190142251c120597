"""The load test: a real server on loopback, 20 clients at once, hostile input among them.

200 requests from 20 concurrent clients over the activation catalogue and the textbook
table (tests/test_textbook.py), each answer checked; 50 hostile inputs (the refused rows of
tests/test_security.py) interleaved, each a 4xx; the server healthy afterwards. The test
prints the median and 95th-percentile latency and the server's memory before and after
(``pytest -s``, and in the summary at the end of the run).
"""

from __future__ import annotations

import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
import sympy as sp
from test_textbook import TEXTBOOK

from sigderiv import Derivation
from sigderiv.engine.sample import value
from sigderiv.engine.verify import explicit
from sigderiv.expr.functions import CATALOGUE

from .server import serving
from .test_api import HOSTILE, params

X = sp.Symbol("x")
REAL_X = sp.Symbol("x", real=True)  # |x|′ = sign(x) for a real x
#: Requests that must be answered (the others are the hostile ones), and clients at once.
GOOD, BAD, CLIENTS = 200, 50, 20
#: Seconds a client waits for its answer: queued behind the others on two busy cores.
TIMEOUT = 180.0
#: Points where a catalogue function's derivative is compared with SymPy's (no breakpoints).
POINTS = (-2.3, -0.7, 0.4, 1.9)


@dataclass(frozen=True)
class Request:
    """One request of the load: its query, and whether it must be refused."""

    query: dict[str, str]
    hostile: bool
    answer: str | None = None  # the textbook's answer, as result.text writes it


def load() -> list[Request]:
    """GOOD requests over the catalogue and the textbook, BAD hostile ones, interleaved."""
    good = [Request({"expr": name}, False) for name in CATALOGUE]
    good += [Request({"expr": given}, False, answer) for given, answer in TEXTBOOK]
    bad = [Request(params(case), True) for case in HOSTILE]
    goods = [good[i % len(good)] for i in range(GOOD)]
    bads = [bad[i % len(bad)] for i in range(BAD)]
    mixed: list[Request] = []
    for i, request in enumerate(goods):
        mixed.append(request)
        if i % (GOOD // BAD) == GOOD // BAD - 1:
            mixed.append(bads[len(mixed) // (GOOD // BAD + 1) - 1])
    assert len(mixed) == GOOD + BAD
    return mixed


def is_right(request: Request, text: str) -> bool:
    """The answer is the derivative: the textbook's form, or SymPy's values at POINTS."""
    data = json.loads(text)
    if not data["verified"]:
        return False
    if request.answer is not None:
        return data["result"]["text"] == request.answer
    entry = CATALOGUE[request.query["expr"]]
    defaults = dict(entry.parameters)
    result = explicit(Derivation.from_json(text).result).subs(defaults)
    expected = sp.diff(entry.definition(REAL_X), REAL_X).subs(defaults)
    for at in POINTS:
        got, want = value(result, X, at), value(expected, X, at)
        if got is None or want is None or abs(got - want) > 1e-9 * (1 + abs(want)):
            return False
    return True


def figures(seconds: list[float]) -> str:
    """The median and the 95th percentile of ``seconds``, in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {1000 * statistics.median(ordered):.0f} ms, p95 {1000 * p95:.0f} ms"


def test_load(record_property) -> None:
    requests = load()
    command = ("-m", "sigderiv", "serve", "--port", "{port}", "--workers", "2")
    with serving(*command) as server, httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
        if True:
            client.get("/api/derive", params={"expr": "x^2"})  # the server is warm
            before = server.rss()

            def send(request: Request) -> tuple[Request, httpx.Response, float]:
                started = time.monotonic()
                answer = client.get("/api/derive", params=request.query)
                return request, answer, time.monotonic() - started

            started = time.monotonic()
            with ThreadPoolExecutor(CLIENTS) as clients:
                answers = list(clients.map(send, requests))
            wall = time.monotonic() - started
            after = server.rss()
            healthy = client.get("/healthz")
    wrong = []
    for request, answer, _ in answers:
        if request.hostile:
            if not 400 <= answer.status_code < 500 or "Traceback" in answer.text:
                wrong.append((request.query, answer.status_code, answer.text[:200]))
        elif answer.status_code != 200 or not is_right(request, answer.text):
            wrong.append((request.query, answer.status_code, answer.text[:200]))
    assert not wrong, wrong
    assert healthy.status_code == 200 and healthy.json() == {"status": "ok"}
    good = [seconds for request, _, seconds in answers if not request.hostile]
    bad = [seconds for request, _, seconds in answers if request.hostile]
    seen: set[str] = set()
    first = []  # the first request for each function: derived, not remembered
    for request, _, seconds in answers:
        if not request.hostile and str(request.query) not in seen:
            seen.add(str(request.query))
            first.append(seconds)
    summary = (
        f"load: {GOOD} requests ({len(first)} functions) + {BAD} hostile from {CLIENTS} "
        f"clients, 2 workers, in {wall:.1f} s: {figures(good)}; first request for each "
        f"function {figures(first)}; hostile {figures(bad)}; "
        f"server RSS {before / 2**20:.0f} MiB before, {after / 2**20:.0f} MiB after"
    )
    print(summary)
    record_property("figures", summary)


@pytest.mark.parametrize("n", [GOOD])
def test_the_load_is_the_catalogue_and_the_textbook(n: int) -> None:
    requests = load()
    good = [r for r in requests if not r.hostile]
    assert len(good) == n and len(requests) - len(good) == BAD
    assert {r.query["expr"] for r in good} >= set(CATALOGUE) | {given for given, _ in TEXTBOOK}
    assert all(not (r.hostile and r.answer) for r in requests)
