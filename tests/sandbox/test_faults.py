"""Fault injection: a call interrupted anywhere leaves nothing behind for the next call.

Each test interrupts a derivation (or a check) at some point, with ^C in this process,
SIGTERM or SIGKILL to its worker, or by killing the process that waits for it, and then
asserts that the next call answers for its own input, that no worker is left running, and
and that no file is left half-written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sigderiv import LimitError, check, derive
from sigderiv.sandbox import kept
from sigderiv.sandbox.bound import can_fork, run_bounded, submit

pytestmark = pytest.mark.skipif(not can_fork(), reason="the worker bound needs os.fork")

X = sp.Symbol("x")
#: A derivation that takes about a second: long enough to be interrupted anywhere.
SLOW = ("sigmoid", 5)
SLOW_CHECK = "f(x) = sin(x)^5*cos(x)^7\nf'(x) = 5*sin(x)^4*cos(x)^8 - 7*sin(x)^6*cos(x)^6"


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _answers_for_itself() -> None:
    """The next calls answer for their own input, and a check for its own lines."""
    assert derive("x^2").result == 2 * X
    assert derive("sin(x)").result == sp.cos(X)
    assert check("f(x) = x^3\nf'(x) = 3*x^2").correct


def _interrupted(call: Callable[[], object], after: float) -> None:
    """Run ``call`` and ^C it after ``after`` seconds (or just after it ended)."""
    timer = threading.Timer(after, os.kill, (os.getpid(), signal.SIGINT))
    with contextlib.suppress(KeyboardInterrupt):
        try:
            timer.start()
            call()
        finally:
            timer.join()
    with contextlib.suppress(KeyboardInterrupt):
        time.sleep(0.05)  # a ^C sent after the call ended lands here


# ---- ^C in the caller -------------------------------------------------------------------


@pytest.mark.parametrize("after", [0.0, 0.05, 0.3, 0.8])
def test_an_interrupted_derivation_leaves_no_answer_behind(after: float) -> None:
    derive("x^3")  # the kept worker is there, warm
    _interrupted(lambda: derive(SLOW[0], order=SLOW[1]), after)
    _answers_for_itself()


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(after=st.floats(min_value=0.0, max_value=1.0))
def test_an_interrupt_at_a_random_moment_leaves_no_answer_behind(after: float) -> None:
    _interrupted(lambda: derive(SLOW[0], order=SLOW[1]), after)
    _answers_for_itself()


@pytest.mark.parametrize("after", [0.02, 0.2])
def test_an_interrupted_check_leaves_nothing_behind(after: float) -> None:
    _interrupted(lambda: check(SLOW_CHECK), after)
    started = time.monotonic()
    _answers_for_itself()
    assert time.monotonic() - started < 10  # no wait on a worker still busy with the check


class _Injected(KeyboardInterrupt):
    """The ^C a test raises at one exact point of the exchange with the worker."""


def _raise_on_call(n: int, real: Callable[..., object]) -> Callable[..., object]:
    """Return ``real`` that raises _Injected on its ``n``-th call (1-based), after it ran."""
    calls = 0

    def wrapped(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        value = real(*args, **kwargs)
        if calls == n:
            raise _Injected
        return value

    return wrapped


@pytest.mark.parametrize(
    ("function", "call"),
    [
        ("_write_all", 1),  # the call was sent, the caller never got to wait for it
        ("_read", 1),  # the answer's length was read, its body was not
        ("_read", 2),  # the whole answer was read, then ^C
        ("_ready", 1),  # the worker was ready, nothing sent yet
    ],
)
def test_an_interrupt_at_each_point_of_the_exchange_leaves_no_answer_behind(
    monkeypatch: pytest.MonkeyPatch, function: str, call: int
) -> None:
    derive("x^3")
    monkeypatch.setattr(kept, function, _raise_on_call(call, getattr(kept, function)))
    with pytest.raises(_Injected):
        derive("cos(x)")
    monkeypatch.undo()
    _answers_for_itself()


def test_a_call_dropped_before_its_result_leaves_no_answer_behind() -> None:
    pending = submit(lambda: sp.Integer(1), 5)  # a lambda: a worker of its own
    del pending
    kept = derive("x^3")  # the kept worker
    from sigderiv.engine.deriver import start

    dropped = start("sin(x)")
    del dropped
    assert kept.result == 3 * X**2
    _answers_for_itself()


def test_an_answer_to_an_earlier_call_is_never_taken_for_this_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an interrupted call whose worker could not be ended leaves its answer in the pipe
    monkeypatch.setattr(kept, "_end", lambda worker, *, kill: 0)
    derive("x^3")

    def interrupted(*args: object) -> bytes:
        raise _Injected  # before any of the answer is read: all of it stays in the pipe

    monkeypatch.setattr(kept, "_answer_to", interrupted)
    with pytest.raises(_Injected):
        derive("tan(x)")
    monkeypatch.undo()
    assert derive("x^2").result == 2 * X  # tan's answer is read and dropped, not returned


# ---- signals to the worker --------------------------------------------------------------


def _worker_of(pending: object) -> int:
    deadline = time.monotonic() + 5
    while not kept.workers() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert kept.workers()
    return kept.workers()[0]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_worker_killed_mid_call_is_reported_and_replaced(sig: signal.Signals) -> None:
    from sigderiv.engine.deriver import start

    pending = start(SLOW[0], order=SLOW[1])
    pid = _worker_of(pending)
    time.sleep(0.2)
    os.kill(pid, sig)
    with pytest.raises(LimitError, match=f"{sig.name} from outside"):
        pending.result()
    assert _gone_within([pid], 2)
    _answers_for_itself()


def test_a_worker_of_its_own_killed_mid_call_is_reported() -> None:
    def slow() -> int:
        time.sleep(30)
        return 1

    pending = submit(slow, 10)
    time.sleep(0.3)
    for pid in _children():
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(LimitError, match="SIGKILL from outside"):
        pending.result()
    assert run_bounded(lambda: 2, 5) == 2


def _children() -> list[int]:
    """The processes this one forked that still run."""
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                found.append(int(entry))
    return found


# ---- the caller killed ------------------------------------------------------------------

_CALLER = """
from sigderiv.engine.deriver import start
from sigderiv.sandbox import bound, kept
pending = start({expr!r}, order={order}, timeout=30)
print(kept.workers()[0], flush=True)
pending.result()
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_the_worker_dies_with_its_caller_and_lets_go_of_its_streams(sig: signal.Signals) -> None:
    caller = subprocess.Popen(
        [sys.executable, "-c", _CALLER.format(expr="x^x^x^x", order=4)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert caller.stdout is not None
    worker = int(caller.stdout.readline())
    time.sleep(0.3)
    assert _alive(worker)
    caller.send_signal(sig)
    started = time.monotonic()
    caller.stdout.read()  # end of file only once no process holds the caller's stdout
    caller.wait()
    assert time.monotonic() - started < 3
    assert _gone_within([worker], 3)


def test_the_worker_holds_no_file_of_its_caller() -> None:
    held = os.open(os.devnull, os.O_RDONLY)
    try:

        def files() -> list[str]:
            names = sorted(os.listdir("/proc/self/fd"), key=int)
            found = []
            for fd in names:
                with contextlib.suppress(OSError):  # the listing's own, closed by now
                    found.append(os.readlink(f"/proc/self/fd/{fd}"))
            return found

        found = run_bounded(files, 5)
        assert found[:3] == ["/dev/null"] * 3
        assert len(found) == 4 and found[3].startswith("pipe:")  # where its answer goes
    finally:
        os.close(held)
