"""The server's bounds: the pool and its queue (503), time-outs (504), settings."""

from __future__ import annotations

import asyncio
import time
from functools import partial

import httpx
import pytest
from fastapi.testclient import TestClient
from test_security import TIME_BOMBS

from sigderiv.errors import SigderivError, TimeoutError
from sigderiv.web.app import create_app
from sigderiv.web.errors import status_of
from sigderiv.web.pool import BusyError, Pool
from sigderiv.web.settings import QUEUE_PER_WORKER, Settings


@pytest.mark.parametrize(("workers", "queue"), [(1, 0), (1, 2), (2, 1), (3, 0)])
def test_the_pool_admits_workers_plus_queue_and_refuses_the_next(workers: int, queue: int) -> None:
    pool = Pool(workers, queue)
    try:
        running = [
            pool.submit(partial(time.sleep, 0.6), 5.0, "a nap") for _ in range(workers + queue)
        ]
        assert pool.admitted == workers + queue
        with pytest.raises(BusyError, match="busy"):
            pool.submit(partial(time.sleep, 0), 5.0, "one too many")
        for future in running:
            future.result(timeout=10)
        assert pool.admitted == 0  # every call released its place, so the next is admitted
        assert pool.submit(partial(abs, -3), 5.0, "after").result(timeout=10) == 3
    finally:
        pool.close()


def test_a_call_keeps_its_place_until_its_worker_is_done() -> None:
    pool = Pool(1, 0)
    try:
        future = pool.submit(partial(time.sleep, 0.5), 5.0, "a nap")

        async def impatient() -> None:  # the caller stops waiting: the worker still runs
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.wrap_future(future), 0.05)

        asyncio.run(impatient())
        with pytest.raises(BusyError):
            pool.submit(partial(abs, 1), 5.0, "too soon")
        time.sleep(0.8)
        assert pool.admitted == 0
    finally:
        pool.close()


def test_a_call_past_its_time_bound_ends_in_timeout_error() -> None:
    pool = Pool(1, 0)
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"a nap ran out of its time bound of 0\.3 s"):
            pool.submit(partial(time.sleep, 30), 0.3, "a nap").result(timeout=10)
        assert time.monotonic() - started < 10, "the bomb outlived its bound"
    finally:
        pool.close()


@pytest.mark.parametrize(("workers", "queue"), [(0, 1), (1, -1)])
def test_a_pool_needs_a_worker_and_a_queue(workers: int, queue: int) -> None:
    with pytest.raises(ValueError, match="a pool needs"):
        Pool(workers, queue)


def test_the_queue_full_is_503_with_retry_after() -> None:
    app = create_app(Settings(workers=1, queue=0, timeout=1.5))
    bomb = TIME_BOMBS[0].text

    async def both() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            slow = asyncio.ensure_future(client.get("/api/derive", params={"expr": bomb}))
            await asyncio.sleep(0.3)  # the bomb holds the only worker
            refused = await client.get("/api/derive", params={"expr": "x^2"})
            return await slow, refused

    slow, refused = asyncio.run(both())
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["error"]["kind"] == "BusyError"
    assert slow.status_code == 504 and slow.json()["error"]["kind"] == "TimeoutError"
    app.state.pool.close()


@pytest.mark.parametrize("case", TIME_BOMBS, ids=lambda c: c.text[:20])
@pytest.mark.parametrize("path", ["/api/derive", "/api/preview"])
def test_a_time_bomb_is_504_at_the_bound(case, path: str) -> None:
    settings = Settings(workers=1, timeout=0.5, preview_timeout=0.5)
    with TestClient(create_app(settings)) as client:
        started = time.monotonic()
        answer = client.get(path, params={"expr": case.text})
        assert time.monotonic() - started < 10, "the bomb outlived its bound"
        assert client.get("/healthz").json() == {"status": "ok"}
    assert answer.status_code == 504, answer.text
    error = answer.json()["error"]
    assert error["kind"] == "TimeoutError" and "0.5 s" in error["message"]


@pytest.mark.parametrize("path", ["/api/steps", "/api/plot", "/api/check"])
def test_every_computing_endpoint_ends_a_time_bomb_at_the_bound(path: str) -> None:
    bomb = TIME_BOMBS[1].text
    with TestClient(create_app(Settings(workers=1, timeout=0.5))) as client:
        started = time.monotonic()
        if path == "/api/check":
            answer = client.post(path, json={"lines": [bomb, "0"]})
        else:
            answer = client.get(path, params={"expr": bomb})
        assert time.monotonic() - started < 10, "the bomb outlived its bound"
        assert client.get("/healthz").json() == {"status": "ok"}
    assert answer.status_code == 504, answer.text
    error = answer.json()["error"]
    assert error["kind"] == "TimeoutError" and "0.5 s" in error["message"]


STATUSES = [
    (SigderivError("x"), 400),
    (BusyError("x"), 503),
    (TimeoutError("x"), 504),
]


@pytest.mark.parametrize(("error", "status"), STATUSES, ids=lambda v: type(v).__name__)
def test_the_status_of_each_error(error: SigderivError, status: int) -> None:
    assert status_of(error) == status


def test_the_status_of_the_library_errors() -> None:
    from sigderiv import LimitError, ParseError, UnsupportedError, VerificationError

    assert [status_of(e("x")) for e in (ParseError, LimitError, UnsupportedError)] == [400] * 3
    assert status_of(VerificationError("x")) == 500  # a bug of ours, never bad input


ENV = [
    ({}, (None, None, 30.0, False)),
    ({"SIGDERIV_WORKERS": "3"}, (3, 3 * QUEUE_PER_WORKER, 30.0, False)),
    ({"SIGDERIV_QUEUE": "0", "SIGDERIV_WORKERS": "1"}, (1, 0, 30.0, False)),
    ({"SIGDERIV_TIMEOUT": "5", "SIGDERIV_LOG_INPUT": "1"}, (None, None, 5.0, True)),
]


@pytest.mark.parametrize(("env", "expected"), ENV, ids=lambda v: str(v))
def test_settings_from_the_environment(env: dict[str, str], expected: tuple) -> None:
    settings = Settings.from_env(env)
    workers, waiting, timeout, log_input = expected
    assert settings.workers == (workers or Settings().workers) >= 1
    assert settings.waiting == (settings.workers * QUEUE_PER_WORKER if waiting is None else waiting)
    assert (settings.timeout, settings.log_input) == (timeout, log_input)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SIGDERIV_WORKERS": "many"}, "not a number"),
        ({"SIGDERIV_WORKERS": "0"}, "workers must be 1 or more"),
        ({"SIGDERIV_QUEUE": "-2"}, "queue must be 0 or more"),
        ({"SIGDERIV_TIMEOUT": "0"}, "timeout must be between"),
    ],
)
def test_bad_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(SigderivError, match=message):
        Settings.from_env(env)
