"""Run a function under a wall-clock bound in a forked worker that is killed on time-out."""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from typing import TypeVar

from .errors import TimeoutError

T = TypeVar("T")


def _has_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_bounded(fn: Callable[[], T], timeout: float) -> T:
    """Return ``fn()``, computed in a forked worker; raise TimeoutError after ``timeout`` s.

    A thread or an alarm cannot stop SymPy inside GMP or a long C loop; a killed process
    can. Forking after import means the worker costs no second SymPy import. Where fork is
    not available the function runs in this process, unbounded.
    """
    if not _has_fork():
        return fn()
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def work() -> None:
        try:
            payload = pickle.dumps(("ok", fn()))
        except BaseException as exc:  # reported to the parent, which decides
            payload = pickle.dumps(("error", repr(exc)))
        sender.send_bytes(payload)
        sender.close()

    process = ctx.Process(target=work, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeoutError(f"the computation ran out of its time bound of {timeout:g} s")
        kind, value = pickle.loads(receiver.recv_bytes())
    except EOFError as exc:
        raise TimeoutError("the worker stopped without an answer") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if kind == "error":
        raise RuntimeError(value)
    return value
