"""Many derivations at once: an exercise sheet's problems over worker processes, each bounded.

Each problem is derived as :func:`sigderiv.engine.deriver.derive` derives one, in a worker
process bounded in time and memory; ``jobs`` of them run at once, one on each of ``jobs``
threads that wait for their worker: ``jobs`` kept workers, forked and warmed up once, serve
one problem after another. Results come in the order they finish,
each carrying its problem's line, so a caller can write each one as soon as it is there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sympy as sp

from sigderiv.engine.deriver import derivation_call, prepare
from sigderiv.input.limits import CHECK_TIMEOUT, MEMORY, TIMEOUT, check_memory
from sigderiv.model.steps import Derivation
from sigderiv.sandbox.bound import submit

__all__ = ["Failure", "Outcome", "Problem", "default_jobs", "derive_all", "read_problems"]


@dataclass(frozen=True)
class Problem:
    """One problem of a sheet: its 1-based line number and the text on that line."""

    line: int
    text: str


@dataclass(frozen=True)
class Failure:
    """Why a problem has no derivation: the error's class name and its message."""

    kind: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """A problem and its derivation, or why there is none; ``extra`` is what ``then`` made."""

    problem: Problem
    derivation: Derivation | None = None
    failure: Failure | None = None
    extra: Any = None
    error: Exception | None = field(default=None, compare=False, repr=False)  # the raised one

    @property
    def ok(self) -> bool:
        """True when the problem was derived."""
        return self.failure is None


def read_problems(text: str) -> tuple[Problem, ...]:
    """Return a sheet's problems: one per line, blank lines and ``#`` comments skipped."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            problems.append(Problem(number, stripped))
    return tuple(problems)


def default_jobs() -> int:
    """The number of problems derived at once unless told: the machine's cores."""
    return max(1, os.cpu_count() or 1)


#: What runs on each derivation in its worker: ``then(problem, derivation)``.
Then = Callable[[Problem, Derivation], Any]


def _derived_then(
    work: Callable[[], Derivation], problem: Problem, then: Then | None
) -> tuple[Derivation, Any]:
    """In the worker: the derivation, and what ``then`` makes of it there (None without)."""
    derivation = work()
    return derivation, None if then is None else then(problem, derivation)


def _one(
    problem: Problem,
    var: str | sp.Symbol,
    timeout: float | None,
    check_timeout: float,
    memory: int | None,
    then: Then | None,
) -> Outcome:
    """Derive one problem in its bounded worker; an error becomes the outcome's failure."""
    try:
        work = derivation_call(problem.text, var, timeout=timeout, check_timeout=check_timeout)
        derivation, extra = submit(
            partial(_derived_then, work, problem, then),
            timeout,
            memory=check_memory(memory),
            what="the derivation",
        ).result()
        return Outcome(problem, derivation, extra=extra)
    except Exception as error:  # recorded: the other problems go on
        return Outcome(problem, failure=Failure(type(error).__name__, str(error)), error=error)


def derive_all(
    problems: Iterable[Problem | str],
    var: str | sp.Symbol = "x",
    *,
    jobs: int | None = None,
    timeout: float | None = TIMEOUT,
    check_timeout: float = CHECK_TIMEOUT,
    memory: int | None = MEMORY,
    then: Then | None = None,
) -> Iterator[Outcome]:
    """Derive every problem, ``jobs`` at once (default: the cores); yield them as they finish.

    Each problem is bounded as ``derive(text, var, timeout=..., check_timeout=...,
    memory=...)`` is; one that cannot be read or derived yields an Outcome with its
    :class:`Failure` and the others go on. ``then``, a function that pickles (a module-level
    function or a ``functools.partial`` of one), runs as ``then(problem, derivation)`` inside
    each problem's worker,
    within the same bound, and its value is the outcome's ``extra`` (the command line
    renders there). Plain strings are numbered 1, 2, ... in the order given.
    """
    listed: Sequence[Problem] = [
        p if isinstance(p, Problem) else Problem(n, p) for n, p in enumerate(problems, start=1)
    ]
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    if not listed:
        return
    prepare(memory, count=jobs)  # a kept worker for each thread, warming up as they start
    job = partial(_one, var=var, timeout=timeout, check_timeout=check_timeout, memory=memory)
    waiting = iter(listed)
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sigderiv-batch")
    running: set[Future[Outcome]] = set()
    try:
        for problem in waiting:  # never more queued than run: an interrupt stops soon
            running.add(pool.submit(job, problem, then=then))
            if len(running) >= jobs:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                following = next(waiting, None)
                if following is not None:
                    running.add(pool.submit(job, following, then=then))
                yield future.result()
    finally:  # stopped early (^C, a caller that stopped reading): wait for nothing
        pool.shutdown(wait=False, cancel_futures=True)
