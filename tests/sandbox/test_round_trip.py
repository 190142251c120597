"""What a call to a worker sends and reads back: no more than its value, each node once."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from functools import partial

import pytest
import sympy as sp
from sympy.core.cache import CACHE, clear_cache

from sigderiv import derive
from sigderiv.sandbox import process
from sigderiv.sandbox.bound import dumps, loads, run_bounded
from sigderiv.sandbox.pickling import _rebuilt_as_is

X = sp.Symbol("x")
A, B = sp.symbols("A B", commutative=False)

EXPRESSIONS = [
    sp.sin(X) + X**2,
    sp.Mul(2, sp.Pow(2, -1, evaluate=False), evaluate=False),
    sp.Derivative(sp.exp(-X) / (1 + sp.exp(-X)), X, evaluate=False),
    sp.Eq(X, X, evaluate=False),
    sp.Function("f")(X) * sp.cos(X),
]


def _distinct_copy(expr: sp.Expr) -> sp.Expr:
    """An equal copy of ``expr`` that shares none of its nodes (SymPy's cache cleared)."""
    clear_cache()
    return loads(dumps(expr))


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=str)
def test_equal_copies_of_a_node_are_sent_once_and_read_as_one(expr: sp.Expr) -> None:
    one, other = _distinct_copy(expr), _distinct_copy(expr)
    assert one == other and one is not other
    both = dumps((one, other))
    assert len(both) <= len(dumps((one, one))) + 16
    first, second = loads(both)
    assert first is second
    assert first == expr and sp.srepr(first) == sp.srepr(expr)  # the form kept as built


def test_an_unknown_function_made_twice_is_read_back_as_one() -> None:
    clear_cache()
    g = sp.Function("g′")
    clear_cache()
    h = sp.Function("g′")
    assert g == h and g is not h  # two classes, equal
    one, other = loads(dumps((g(X), h(X + 1))))
    assert type(one) is type(other) and one.func == g


@pytest.mark.parametrize(
    ("expr", "commutative"),
    [
        (sp.Mul(A, B, evaluate=False), False),
        (sp.Pow(A, 2, evaluate=False), False),
        (sp.Add(A, X, evaluate=False), False),
        (sp.Mul(X, 3, evaluate=False), True),
        (sp.Pow(X, -1, evaluate=False), True),
    ],
)
def test_a_node_is_read_back_commutative_as_it_was_without_asking_its_args(
    monkeypatch: pytest.MonkeyPatch, expr: sp.Expr, commutative: bool
) -> None:
    import sympy.core.operations as operations

    data = dumps(expr)
    asked: list[object] = []
    real = operations.fuzzy_and

    def counted(args: object) -> object:
        asked.append(args)
        return real(args)

    monkeypatch.setattr(operations, "fuzzy_and", counted)
    back = loads(data)
    assert back.is_commutative is commutative and back == expr
    assert not asked


def _nodes(obj: object) -> list[sp.Basic]:
    """Every node of every expression in a Derivation, a repeated object once."""
    found: dict[int, sp.Basic] = {}
    stack: list[object] = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, sp.Basic):
            if id(item) not in found:
                found[id(item)] = item
                stack.extend(item.args)
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)
    return list(found.values())


@pytest.mark.parametrize("text", ["7", "sin(x)", "sigmoid", "x*exp(x)", "tanh(x)^2"])
def test_a_kept_workers_reply_is_the_derivation_each_node_once(text: str) -> None:
    data, clean = process._payload(partial(derive, text, bounded=False))
    kind, derivation, _count = loads(data)
    assert clean and kind == "ok"
    # the value and a tag, nothing else (memo numbers shift by one: a few bytes more)
    assert len(data) <= 1.02 * len(dumps(derivation)) + 64
    rebuilt = [n for n in _nodes(derivation) if _rebuilt_as_is(n)]
    assert len({(type(n), n.args) for n in rebuilt}) == len(rebuilt)  # no equal twins
    again = derive(text)
    assert derivation.result == again.result
    assert _shape(derivation) == _shape(again)


def _shape(derivation: object) -> list[tuple[object, ...]]:
    """The steps' rules and sides, in order (their proofs' times differ from run to run)."""
    steps = derivation.steps  # type: ignore[attr-defined]
    return [(s.rule, s.before, s.after, s.check.method) for st in steps for s in st.walk()]


def _cache_entries_beside(expr: sp.Expr) -> int:
    """How many results SymPy's cache holds when this call, holding ``expr``, starts."""
    entries = sum(f.cache_info().currsize for f in CACHE)
    assert expr.has(X)
    return entries


def test_a_call_after_a_large_one_starts_from_a_cleared_cache() -> None:
    derive("sigmoid")
    run_bounded(partial(sp.simplify, sp.sin(X) ** 2 + sp.cos(X) ** 2), 10)
    assert run_bounded(partial(_cache_entries_beside, sp.exp(-X) / (1 + X**2)), 5) == 0


def _pipe_after(delay: float, data: bytes) -> int:
    """A pipe's read end; ``data`` is written to it after ``delay`` seconds, then it closes."""
    read, write = os.pipe()

    def later() -> None:
        time.sleep(delay)
        with contextlib.suppress(OSError):  # the test may have closed the read end by then
            os.write(write, data)
        os.close(write)

    threading.Thread(target=later, daemon=True).start()
    return read


@pytest.mark.parametrize("deadline", [None, 5.0])
def test_a_read_waits_for_what_comes_and_ends_when_the_pipe_closes(deadline: float | None) -> None:
    read = _pipe_after(0.05, b"abc")
    until = float("inf") if deadline is None else time.monotonic() + deadline
    assert process._read(read, until) == b"abc"
    assert process._read(read, until, 8) == b""
    os.close(read)


def test_a_read_with_a_deadline_gives_none_when_nothing_comes_in_time() -> None:
    read = _pipe_after(2.0, b"late")
    started = time.monotonic()
    assert process._read(read, started + 0.2, 4) is None
    assert 0.2 <= time.monotonic() - started < 1.5
    os.close(read)


def test_a_read_of_a_given_size_stops_there() -> None:
    read = _pipe_after(0.0, b"0123456789")
    assert process._read(read, time.monotonic() + 5, 4) == b"0123"
    assert process._read(read, time.monotonic() + 5, 6) == b"456789"
    os.close(read)


@pytest.mark.parametrize(
    "assumptions", [{}, {"real": True}, {"positive": True, "commutative": True}]
)
def test_an_unknown_function_read_again_is_the_class_read_before(assumptions: dict) -> None:
    clear_cache()  # what a call in a worker does: SymPy would make the class anew
    f = sp.Function("fx18", **assumptions)
    first = type(loads(dumps(f(X))))
    clear_cache()
    again = type(loads(dumps(sp.Function("fx18", **assumptions)(X))))
    assert again is first and again == f
    assert again(X).is_real == f(X).is_real
    other = {} if assumptions else {"real": True}
    assert type(loads(dumps(sp.Function("fx18", **other)(X)))) is not first
