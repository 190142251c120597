"""The worker bound, the pickling across it, and the limits on built expressions."""

from __future__ import annotations

import math
import operator
import os
import re
import threading
import time
from functools import partial

import pytest
import sympy as sp
from sympy.core.symbol import Str

from sigderiv import Derivation, LimitError, ParseError, TimeoutError, check, derive
from sigderiv.expr.build import Paren
from sigderiv.expr.functions import CATALOGUE, Defined, sigma
from sigderiv.input.limits import (
    MAX_EXPONENT,
    MAX_INTEGER_DIGITS,
    MAX_ORDER,
    MAX_TREE_DEPTH,
    MAX_TREE_SIZE,
    MEMORY,
    check_expression,
)
from sigderiv.input.parse import parse
from sigderiv.sandbox import kept
from sigderiv.sandbox.bound import (
    can_fork,
    dumps,
    loads,
    prestart,
    remaining,
    run_bounded,
    stop_worker,
    submit,
)

pytestmark = pytest.mark.skipif(not can_fork(), reason="the worker bound needs os.fork")

X, K = sp.symbols("x k")


# ---- the worker -------------------------------------------------------------------------------


def test_a_value_comes_back() -> None:
    assert run_bounded(lambda: sp.sin(X) + 1, 5) == sp.sin(X) + 1


def test_a_loop_inside_c_code_is_killed_at_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"time bound of 0\.3 s"):
        run_bounded(lambda: pow(3, 10**9), 0.3)  # one C call, deaf to signals and alarms
    assert time.monotonic() - started < 2


def test_memory_past_the_bound_is_a_limit_error() -> None:
    with pytest.raises(LimitError, match="memory bound of 256 MiB"):
        run_bounded(lambda: bytearray(2 * 1024**3), 10, memory=256 * 1024**2)


def test_an_exception_comes_back_as_itself_with_the_worker_traceback() -> None:
    with pytest.raises(ZeroDivisionError) as info:
        run_bounded(lambda: 1 // 0, 5)
    assert "Traceback" in str(info.value.__cause__)


def test_a_parse_error_keeps_its_position_across_the_boundary() -> None:
    with pytest.raises(ParseError) as info:
        derive("x + foo(x)")
    assert info.value.position == 4
    assert info.value.caret() == "x + foo(x)\n    ^"


def test_a_nested_bound_never_outlives_the_outer_one() -> None:
    def outer() -> str:
        with pytest.raises(TimeoutError) as info:
            run_bounded(lambda: time.sleep(10), 10)  # asks for 10 s, gets what is left
        return str(info.value)

    started = time.monotonic()
    message = run_bounded(outer, 3.0)  # the outer worker outlives the inner one, and answers
    # far less than the 10 s the inner call asked for; the slack is for forking on a machine
    # whose two cores the rest of the suite shares
    assert time.monotonic() - started < 6.0
    bound = float(re.search(r"time bound of ([0-9.]+) s", message).group(1))
    assert 0 < bound < 3.0  # what was left of the outer bound, never the 10 s asked for
    assert math.isinf(remaining())


def test_a_worker_that_dies_says_so() -> None:
    import os
    import signal

    with pytest.raises(LimitError, match=r"crashed with signal SIGSEGV .* memory bound"):
        run_bounded(lambda: os.kill(os.getpid(), signal.SIGSEGV), 5)
    with pytest.raises(LimitError, match="stopped with exit code 7 without an answer"):
        run_bounded(lambda: os._exit(7), 5)


def test_timeout_none_and_memory_none_lift_the_bounds() -> None:
    assert derive("x^2", timeout=None, memory=None).result == 2 * X


def test_timeouts_must_be_positive() -> None:
    with pytest.raises(LimitError, match="timeout"):
        derive("x", timeout=0)
    with pytest.raises(LimitError, match="check_timeout"):
        derive("x", check_timeout=-1)


@pytest.mark.parametrize("value", [0, -1, 1e10, math.inf, math.nan, True, "5"])
@pytest.mark.parametrize("parameter", ["timeout", "check_timeout"])
def test_time_bounds_are_positive_finite_and_capped(parameter: str, value: object) -> None:
    with pytest.raises(LimitError, match=f"^{parameter}= must be a positive number"):
        derive("x^2", **{parameter: value})  # type: ignore[arg-type]
    assert derive("x^2").result == 2 * X  # and the next call is not harmed


@pytest.mark.parametrize("value", [0, -5, 2.5, 2**50, True])
def test_memory_bounds_are_positive_whole_and_capped(value: object) -> None:
    with pytest.raises(LimitError, match=r"^memory= must be a whole number of bytes"):
        derive("x^2", memory=value)  # type: ignore[arg-type]
    with pytest.raises(LimitError, match=r"^memory= must be a whole number of bytes"):
        run_bounded(lambda: 1, 5, memory=value)  # type: ignore[arg-type]
    assert derive("x^2").result == 2 * X


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("timeout", 0), ("timeout", 1e10), ("total_timeout", math.inf), ("memory", -5)],
)
def test_a_check_refuses_the_same_bounds(parameter: str, value: object) -> None:
    with pytest.raises(LimitError, match=f"^{parameter}= must be"):
        check("f(x) = x^2\nf'(x) = 2*x", **{parameter: value})  # type: ignore[arg-type]


# ---- the kept worker --------------------------------------------------------------------------


def _cache_entries() -> int:
    """How many results SymPy's cache holds in this process."""
    from sympy.core.cache import CACHE

    return sum(f.cache_info().currsize for f in CACHE)


def test_a_call_that_pickles_goes_to_one_kept_worker() -> None:
    first = run_bounded(partial(os.getpid), 5, memory=MEMORY)
    assert first != os.getpid()
    assert run_bounded(partial(os.getpid), 5, memory=MEMORY) == first
    assert derive("x^2").result == 2 * X  # derive's own default bound is MEMORY
    assert run_bounded(partial(os.getpid), 5, memory=MEMORY) == first


def test_a_lambda_gets_a_worker_of_its_own() -> None:
    kept = run_bounded(partial(os.getpid), 5)
    pids = {run_bounded(lambda: os.getpid(), 5) for _ in range(2)}
    assert len(pids) == 2 and kept not in pids and os.getpid() not in pids


def test_each_call_in_the_kept_worker_starts_from_a_cleared_cache() -> None:
    run_bounded(partial(sp.simplify, sp.sin(X) ** 2 + sp.cos(X) ** 2), 10)
    assert run_bounded(partial(_cache_entries), 5) == 0


def test_a_kept_worker_past_its_deadline_is_killed_and_replaced() -> None:
    kept = run_bounded(partial(os.getpid), 5)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"time bound of 0\.3 s"):
        run_bounded(partial(pow, 3, 10**9), 0.3)  # one C call, deaf to signals
    assert time.monotonic() - started < 2
    with pytest.raises(ProcessLookupError):
        os.kill(kept, 0)
    assert run_bounded(partial(os.getpid), 5) not in (kept, os.getpid())


def test_a_kept_worker_out_of_memory_is_a_limit_error_and_is_replaced() -> None:
    memory = 256 * 1024**2
    kept = run_bounded(partial(os.getpid), 5, memory=memory)
    with pytest.raises(LimitError, match="memory bound of 256 MiB"):
        run_bounded(partial(bytearray, 2 * 1024**3), 10, memory=memory)
    assert run_bounded(partial(os.getpid), 5, memory=memory) != kept


def test_a_different_memory_bound_forks_a_new_kept_worker() -> None:
    kept = run_bounded(partial(os.getpid), 5, memory=None)
    assert run_bounded(partial(os.getpid), 5, memory=512 * 1024**2) != kept


def test_our_own_errors_keep_the_worker_and_others_replace_it() -> None:
    kept = run_bounded(partial(os.getpid), 5)
    with pytest.raises(ParseError):
        run_bounded(partial(parse, "x + foo(x)"), 5)
    assert run_bounded(partial(os.getpid), 5) == kept
    with pytest.raises(ZeroDivisionError) as info:
        run_bounded(partial(operator.floordiv, 1, 0), 5)
    assert "Traceback" in str(info.value.__cause__)
    assert run_bounded(partial(os.getpid), 5) != kept


def test_a_worker_that_grew_too_much_retires(monkeypatch: pytest.MonkeyPatch) -> None:
    # forked after this: retires every time, even when clearing the cache shrank the worker
    monkeypatch.setattr(kept, "_RETIRE_GROWTH", -(1 << 62))
    pids = [run_bounded(partial(os.getpid), 5) for _ in range(3)]
    assert len(set(pids)) == 3


def _late() -> int:
    return 42


def test_a_function_the_kept_worker_cannot_rebuild_runs_in_a_worker_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_bounded(partial(os.getpid), 5)  # the kept worker is forked before the name exists
    monkeypatch.setattr(_late, "__qualname__", "_made_later")
    monkeypatch.setitem(globals(), "_made_later", _late)
    assert run_bounded(partial(_late), 5) == 42


def test_stop_worker_ends_the_kept_worker() -> None:
    kept = run_bounded(partial(os.getpid), 5)
    stop_worker()
    with pytest.raises(ProcessLookupError):
        os.kill(kept, 0)
    assert run_bounded(partial(os.getpid), 5) != kept


def test_threads_each_get_an_answer() -> None:
    answers: list[int] = []

    def call() -> None:
        answers.append(run_bounded(partial(operator.add, 40, 2), 5))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == [42] * 4


def test_a_forked_child_gets_its_own_kept_worker() -> None:
    parents = run_bounded(partial(os.getppid), 5)
    assert parents == os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its kept worker is its own child, not its parent's
        code = 1
        try:
            mine = run_bounded(partial(os.getppid), 5) == os.getpid()
            os.write(write, b"yes" if mine else b"no")
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 3) == b"yes"
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert run_bounded(partial(os.getppid), 5) == os.getpid()


def test_a_submitted_call_runs_while_this_process_goes_on() -> None:
    pending = submit(partial(time.sleep, 0.3), 5, memory=MEMORY)
    started = time.monotonic()
    assert run_bounded(partial(operator.add, 40, 2), 5) == 42  # a worker of its own meanwhile
    assert pending.result() is None
    assert time.monotonic() - started < 1
    with pytest.raises(RuntimeError, match="already collected"):
        pending.result()


def test_a_submitted_call_raises_from_result() -> None:
    pending = submit(partial(operator.floordiv, 1, 0), 5)
    with pytest.raises(ZeroDivisionError):
        pending.result()


def test_a_call_never_collected_is_stopped_with_its_worker() -> None:
    import gc

    pending = submit(partial(time.sleep, 30), 60, memory=MEMORY)
    assert kept.workers()
    busy = kept.workers()[0]
    started = time.monotonic()
    del pending
    gc.collect()
    with pytest.raises(ProcessLookupError):
        os.kill(busy, 0)
    assert run_bounded(partial(os.getpid), 5, memory=MEMORY) not in (busy, os.getpid())
    forked = submit(lambda: time.sleep(30), 60)  # a worker of its own, dropped too
    del forked
    gc.collect()
    assert time.monotonic() - started < 15  # not the 30 s the calls would sleep


def test_stop_worker_stops_a_call_in_progress() -> None:
    pending = submit(partial(time.sleep, 30), 60, memory=MEMORY)
    started = time.monotonic()
    stop_worker()
    with pytest.raises(LimitError, match="signal"):
        pending.result()
    assert time.monotonic() - started < 15  # not the 30 s the calls would sleep
    assert run_bounded(partial(operator.add, 40, 2), 5, memory=MEMORY) == 42


def test_prestart_forks_the_kept_worker_that_later_calls_use() -> None:
    prestart(MEMORY, partial(sp.simplify, sp.sin(X) ** 2 + sp.cos(X) ** 2))
    assert kept.workers()
    warm = kept.workers()[0]
    assert run_bounded(partial(os.getpid), 5, memory=MEMORY) == warm
    assert run_bounded(partial(_cache_entries), 5, memory=MEMORY) == 0  # warm, yet cleared
    prestart(MEMORY)  # already there: nothing to do
    assert run_bounded(partial(os.getpid), 5, memory=MEMORY) == warm


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_prestart_keeps_as_many_workers_as_asked_and_a_call_takes_any_free_one() -> None:
    prestart(MEMORY, count=2)
    pids = kept.workers()
    assert len(set(pids)) == 2 and os.getpid() not in pids
    calls = [submit(partial(_pid_after, 0.3), 10, memory=MEMORY) for _ in range(3)]
    served = [call.result() for call in calls]
    assert set(served[:2]) == set(pids)  # both kept workers, busy at once
    assert served[2] not in (*pids, os.getpid())  # none free: a worker of its own
    assert kept.workers() == pids  # kept, for the next calls
    assert {run_bounded(partial(os.getpid), 5, memory=MEMORY) for _ in range(3)} <= set(pids)
    stop_worker()
    assert kept.workers() == ()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_warm_up_that_fails_costs_only_its_head_start() -> None:
    prestart(MEMORY, partial(operator.floordiv, 1, 0))
    assert run_bounded(partial(operator.add, 40, 2), 5, memory=MEMORY) == 42


# ---- pickling across the boundary -------------------------------------------------------------


def shapes(d: Derivation) -> list[str]:
    """The exact form of every expression in the derivation, unevaluated parts included."""
    exprs = [d.function, d.result, *(e for pair in d.definitions for e in pair)]
    for step in d.walk():
        exprs += [step.before, step.after, *(step.local or ())]
    return [sp.srepr(e, order="none") for e in exprs]


def outline(d: Derivation) -> list[object]:
    """What a derivation says, without the time each check took."""
    return [*shapes(d), *((s.rule, s.title, s.check and s.check.status) for s in d.walk())]


def test_every_catalogue_derivation_pickles_exactly() -> None:
    seen: set[type] = set()
    for name in CATALOGUE:
        here = derive(name, bounded=False)
        back = loads(dumps(here))
        assert back == here, name
        assert shapes(back) == shapes(here), name
        for step in here.walk():
            seen |= {type(node) for node in sp.preorder_traversal(step.after)}
    # the derivations carry every kind of node the boundary must keep as built
    assert {Paren, Defined, sigma, sp.UnevaluatedExpr, sp.Piecewise} <= seen


@pytest.mark.parametrize("name", ["sigmoid", "elu", "softplus", "hardswish"])
def test_the_worker_returns_what_this_process_computes(name: str) -> None:
    assert outline(derive(name)) == outline(derive(name, bounded=False))


def test_our_own_classes_survive_the_boundary() -> None:
    y = sp.Dummy("y")
    softplus = Defined(Str("softplus"), sp.Lambda(y, sp.log(1 + sp.exp(y))), X)
    unevaluated = sp.Mul(2, sp.Pow(2, -1, evaluate=False), evaluate=False)
    for expr in (
        softplus,
        Paren(1 + sp.exp(-X)),
        sp.UnevaluatedExpr(X / X),
        unevaluated,
        sp.Add(1, sp.exp(-X), -1, evaluate=False),
        sp.Derivative(X**2, X, evaluate=False),
    ):
        back = run_bounded(lambda e=expr: e, 5)
        assert back == expr
        assert sp.srepr(back, order="none") == sp.srepr(expr, order="none")
    assert loads(dumps(unevaluated)).args == (2, sp.Pow(2, -1, evaluate=False))


def test_dummies_made_in_a_worker_do_not_clash_with_new_ones_here() -> None:
    there = run_bounded(lambda: sp.Dummy("y"), 5)
    here = sp.Dummy("y")
    assert there != here


# ---- limits on the built expression -----------------------------------------------------------


def nested(depth: int) -> sp.Expr:
    """sin(sin(...sin(x)...)), ``depth`` calls deep."""
    expr: sp.Expr = X
    for _ in range(depth):
        expr = sp.sin(expr)
    return expr


@pytest.mark.parametrize(
    ("expr", "limit"),
    [
        pytest.param(sp.Pow(X, 10**6, evaluate=False), "MAX_EXPONENT = 10000", id="x^(10^6)"),
        pytest.param((X + 1) ** (MAX_EXPONENT + 1), "MAX_EXPONENT", id="merged power"),
        pytest.param(X * sp.Integer(10) ** 5000, "MAX_INTEGER_DIGITS = 4000", id="10^5000 x"),
        pytest.param(X * sp.Rational(1, 10**5000), "MAX_INTEGER_DIGITS", id="x/10^5000"),
        pytest.param(X * sp.Float(1, 5000), "MAX_PRECISION = 1000", id="5000-digit float"),
        pytest.param(
            sp.Add(*sp.symbols(f"a:{MAX_TREE_SIZE}")) * X, "MAX_TREE_SIZE = 5000", id="wide"
        ),
        pytest.param(nested(MAX_TREE_DEPTH + 5), "MAX_TREE_DEPTH = 100", id="deep"),
    ],
)
def test_limits_on_expressions_passed_in_directly(expr: sp.Expr, limit: str) -> None:
    with pytest.raises(LimitError, match=limit):
        derive(expr)
    with pytest.raises(LimitError, match=limit):
        check_expression(expr)


def test_limits_on_the_built_expression_of_parsed_text() -> None:
    # each power is fine on its own; SymPy merges them into (x+1)^40000
    with pytest.raises(LimitError, match="exponent 40000; the limit is MAX_EXPONENT"):
        derive("((x+1)^200)^200")
    assert derive("((x^2)^50)^100").result == 10000 * X**9999  # at the limit: fine


def test_limits_within_bounds_pass() -> None:
    check_expression(nested(MAX_TREE_DEPTH - 2))
    check_expression(X * sp.Integer(10) ** (MAX_INTEGER_DIGITS - 2))
    check_expression(sp.Pow(X, MAX_EXPONENT, evaluate=False))


@pytest.mark.parametrize(
    "order",
    [0, -1, MAX_ORDER + 1, 2.0, True, 10**5000],
    ids=["0", "-1", "max+1", "2.0", "True", "huge"],
)
def test_order_out_of_range(order: object) -> None:
    with pytest.raises(LimitError, match="MAX_ORDER"):
        derive("x", order=order)  # type: ignore[arg-type]


def shared(levels: int) -> sp.Expr:
    """sin(e) + cos(e), ``levels`` times over: 3 levels of DAG per level, a tree twice as big."""
    e: sp.Expr = X
    for _ in range(levels):
        e = sp.Add(sp.sin(e), sp.cos(e))
    return e


def test_size_is_measured_over_the_dag_but_counts_the_tree() -> None:
    """A shared subtree is visited once, yet counts as often as it occurs, as printing it does."""
    at_ten = shared(10)
    assert sum(1 for _ in sp.preorder_traversal(at_ten)) == 4093  # the tree: 3 + 2 * 2045
    check_expression(at_ten)  # 4093 <= MAX_TREE_SIZE
    with pytest.raises(LimitError, match="MAX_TREE_SIZE = 5000"):
        check_expression(shared(11))  # 8189 nodes as a tree, 34 distinct subtrees


@pytest.mark.parametrize("levels", [11, 24, 40])
def test_a_dag_bomb_is_refused_at_once(levels: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused after looking at each distinct subtree at most once: about 3 per level.

    Counted, not timed: at 40 levels the tree has 2^41 nodes, and the walk looks at fewer
    than 3·40 subtrees (a wall-clock bound failed under load on two shared cores).
    """
    from sigderiv.input import limits

    looked_at = 0
    real_check = limits.check_node

    def counting(node: sp.Basic) -> None:
        nonlocal looked_at
        looked_at += 1
        real_check(node)

    monkeypatch.setattr(limits, "check_node", counting)
    with pytest.raises(LimitError, match="MAX_TREE_SIZE"):
        check_expression(shared(levels))
    # the DAG's distinct subtrees: x, then sin, cos, + per level; SymPy's cache, as earlier
    # tests left it, may hand back an equal subtree as a second object, looked at once more
    assert looked_at <= 3 * levels + 3


def test_an_equation_crosses_as_built_without_being_decided_again() -> None:
    """A step's words hold equations (d/dx (u/v) = …): unpickled as built, never re-evaluated."""
    import sympy as sp

    from sigderiv.sandbox.pickling import dumps, loads

    x, u = sp.symbols("x u")
    built = sp.Eq(sp.Derivative(u / x, x), -u / x**2, evaluate=False)
    again = loads(dumps(built))
    assert again == built and type(again) is sp.Equality
    assert loads(dumps(sp.Eq(x, x, evaluate=False))) != sp.true  # not decided to True
