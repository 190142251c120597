"""The answers each server process remembers: one derivation for many identical requests."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from sigderiv.web.app import create_app
from sigderiv.web.cache import Answers
from sigderiv.web.settings import Settings


def run(
    size: int, keys: list[str], fail: frozenset[str] = frozenset()
) -> tuple[list, int, Answers]:
    """Ask ``keys`` at once of a cache of ``size``; return the answers, computations, cache."""
    answers = Answers(size)
    computed = []

    async def compute(key: str) -> str:
        computed.append(key)
        await asyncio.sleep(0.01)
        if key in fail:
            raise ValueError(key)
        return key.upper()

    async def ask() -> list:
        calls = [answers.get(key, lambda key=key: compute(key)) for key in keys]
        return await asyncio.gather(*calls, return_exceptions=True)

    got = asyncio.run(ask())
    return got, len(computed), answers


@pytest.mark.parametrize(
    ("size", "keys", "computations"),
    [
        (4, ["a", "a", "a"], 1),  # asked at once: derived once
        (4, ["a", "b", "a", "b"], 2),
        (0, ["a", "a", "a"], 3),  # no cache: every request derives
        (1, ["a", "b", "c"], 3),
    ],
)
def test_identical_requests_are_computed_once(
    size: int, keys: list[str], computations: int
) -> None:
    got, computed, _answers = run(size, keys)
    assert got == [key.upper() for key in keys]
    assert computed == computations


def test_the_oldest_answer_goes_first() -> None:
    answers = Answers(2)

    async def go() -> list[str]:
        for key in ("a", "b", "a", "c"):  # a is used again, so b is the oldest when c comes
            await answers.get(key, lambda key=key: asyncio.sleep(0, key))
        return list(answers._done)

    assert asyncio.run(go()) == ["a", "c"]
    assert (answers.hits, answers.misses) == (1, 3)


def test_a_failure_is_not_remembered() -> None:
    got, computed, answers = run(4, ["bad", "bad"], fail=frozenset({"bad"}))
    assert all(isinstance(g, ValueError) for g in got) and computed == 1 and len(answers) == 0
    again, computed, _ = run(4, ["bad"], fail=frozenset({"bad"}))
    assert isinstance(again[0], ValueError) and computed == 1


def test_a_repeated_request_gets_the_same_document() -> None:
    with TestClient(create_app(Settings(workers=1))) as client:
        first = client.get("/api/derive", params={"expr": "x*exp(x)"})
        second = client.get("/api/derive", params={"expr": "x*exp(x)"})
        other = client.get("/api/derive", params={"expr": "x*exp(x)", "var": "t"})
        answers = client.app.state.answers
    assert first.text == second.text and first.text != other.text
    assert (answers.hits, answers.misses) == (1, 2)


def test_the_check_is_never_remembered() -> None:
    with TestClient(create_app(Settings(workers=1))) as client:
        for _ in range(2):
            client.post("/api/check", json={"lines": ["x^2", "2x"]})
        assert len(client.app.state.answers) == 0
