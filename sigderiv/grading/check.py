"""check(): a learner's derivation, line by line: right or wrong, which rule, which slip.

The engine derives f once; a line written as one of its proven forms (or as an earlier line
proven right) is proven by that equality and named by the engine's rule that led there
(:mod:`sigderiv.grading.chain`). Every other line is compared with d/dx f by the engine's
identity check (bounded in time, so a line can also be *unknown*). A right line is named with
the rule that best explains the move from the line before it (:mod:`sigderiv.grading.moves`);
a wrong one gets a point where it and the derivative differ, with both values, and a hint at
the likely slip (:mod:`sigderiv.grading.slips`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import partial

import sympy as sp

from sigderiv.engine.deriver import derive
from sigderiv.engine.numeric import format_number
from sigderiv.engine.verify import DEFAULT_TIMEOUT, check_identity, explicit
from sigderiv.errors import LimitError, SigderivError
from sigderiv.expr.points import close
from sigderiv.grading.chain import SAME_FORM, Chain, FormKey, chain_of, key_of
from sigderiv.grading.moves import Move, explain_move
from sigderiv.grading.slips import Diagnosis
from sigderiv.input import guard
from sigderiv.input.limits import MAX_INPUT_LINES, MEMORY, TIMEOUT, check_memory, check_seconds
from sigderiv.input.working import Working, Written, read_working
from sigderiv.model.steps import Check, CheckStatus, Derivation, Rule
from sigderiv.model.words import Words
from sigderiv.sandbox.bound import run_bounded

__all__ = ["Counterexample", "Line", "Report", "Verdict", "check"]


class Verdict(str, Enum):
    """What a line is: proven equal to the derivative, shown unequal, or not decided."""

    CORRECT = "correct"
    WRONG = "wrong"
    UNKNOWN = "unknown"  # not proven in time, and no point found where it differs

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Counterexample:
    """A point where a wrong line and the derivative differ, with both values there."""

    point: tuple[tuple[str, str], ...]  # (("x", "0.3141"),): the variable and any constants
    line: str  # the line's value at the point
    derivative: str  # the derivative's value at the point

    def where(self) -> str:
        """Return the point as text: "x = 0.3141"."""
        return ", ".join(f"{name} = {value}" for name, value in self.point)


@dataclass(frozen=True)
class Line:
    """One checked line of the learner's working."""

    number: int  # 1-based line number in the input
    text: str  # as typed
    expr: sp.Expr  # as read
    status: Verdict
    rule: Rule | None = None  # the engine rule that best explains the move to this line
    title: Words = field(default_factory=Words)  # that move in words: "Quotient rule"
    hint: Words = field(default_factory=Words)  # for a wrong line, the slip; unknown: why
    slip: str | None = None  # the slip's stable kind (sigderiv.grading.slips.KINDS)
    counterexample: Counterexample | None = None
    check: Check | None = None


@dataclass(frozen=True)
class Report:
    """The check of one derivation: the function, its derivative, and every line."""

    variable: sp.Symbol
    function: sp.Expr
    function_text: str
    function_number: int  # the line the function is on
    derivative: sp.Expr  # the engine's result (SymPy's when the engine has no rule)
    lines: tuple[Line, ...]
    derivation: Derivation | None = None  # the engine's own steps, when it has them
    warnings: tuple[str, ...] = ()  # about the reading: a word such as xy taken as one symbol

    @property
    def first_error(self) -> int | None:
        """The 1-based number of the first wrong line, or None."""
        return next((line.number for line in self.lines if line.status is Verdict.WRONG), None)

    @property
    def status(self) -> Verdict:
        """WRONG if a line is wrong, else UNKNOWN if one is undecided, else CORRECT."""
        statuses = {line.status for line in self.lines}
        for verdict in (Verdict.WRONG, Verdict.UNKNOWN):
            if verdict in statuses:
                return verdict
        return Verdict.CORRECT

    @property
    def correct(self) -> bool:
        """True when every line was proven equal to the derivative."""
        return self.status is Verdict.CORRECT

    def count(self, status: Verdict | str) -> int:
        """Return how many lines have ``status``."""
        return sum(line.status == status for line in self.lines)


_VERDICTS = {
    CheckStatus.VERIFIED: Verdict.CORRECT,
    CheckStatus.FAILED: Verdict.WRONG,
    CheckStatus.UNVERIFIED: Verdict.UNKNOWN,
}


def _engine(working: Working, timeout: float) -> Derivation | None:
    try:
        return derive(working.function, working.variable, check_timeout=timeout, bounded=False)
    except SigderivError:  # no rule yet, or a limit: the check goes on without its steps
        return None


def _counterexample(result: Check, diagnosis: Diagnosis, claim: Written) -> Counterexample | None:
    values = dict(result.counterexample)
    if "before" in values and "after" in values:
        point = tuple((n, v) for n, v in result.counterexample if n not in ("before", "after"))
        try:
            line, expected = complex(values["after"]), complex(values["before"])
        except ValueError:
            return Counterexample(point, values["after"], values["before"])
        return Counterexample(point, format_number(line), format_number(expected))
    probe = diagnosis.probe
    mine = probe.values(claim.value)
    for where, a, b in zip(probe.points, mine, diagnosis.derivative, strict=True):
        if a is not None and b is not None and not close(a, b):
            point = ((diagnosis.variable.name, f"{where:g}"),)
            return Counterexample(point, format_number(a), format_number(b))
    return None


def check(
    lines: str | Iterable[str],
    var: str | sp.Symbol = "x",
    *,
    timeout: float = DEFAULT_TIMEOUT,
    total_timeout: float | None = TIMEOUT,
    memory: int | None = MEMORY,
    bounded: bool = True,
) -> Report:
    """Check a derivation: the function on the first line, then forms of its derivative.

    ``lines`` is the whole text or its lines, plain text or LaTeX. ``timeout`` bounds the
    slow route of each line's proof; a line not proven in time is ``unknown``. The whole
    check, reading the lines included, runs in a forked worker bounded by ``total_timeout``
    seconds (TimeoutError) and ``memory`` bytes (LimitError), as ``derive`` does;
    ``bounded=False`` runs it in this process. Raises
    :class:`~sigderiv.errors.ParseError` (with the line number and column) for a line that
    cannot be read.
    """
    x = guard.variable(var)
    if check_seconds(timeout, "timeout") is None:
        raise LimitError("timeout= must be a number of seconds, not None")
    total_timeout = check_seconds(total_timeout, "total_timeout")
    memory = check_memory(memory)
    # An iterable is read here, in the caller: no more of it than the limit and one line.
    text = lines if isinstance(lines, str) else list(itertools.islice(lines, MAX_INPUT_LINES + 1))
    work = partial(_check, text, x, timeout)
    if not bounded:
        return work()
    return run_bounded(work, total_timeout, memory=memory, what="the check")


def _proof(
    chain: Chain | None, at: int | None, proven: dict[FormKey, int], key: FormKey | None
) -> Check | None:
    """The proof of a line written as a proven form: the engine's, or an earlier line's."""
    started = time.perf_counter()
    if chain is not None and at is not None:
        return chain.proof(at, time.perf_counter() - started)
    number = proven.get(key) if key is not None else None
    if number is None:
        return None
    detail = f"written as line {number}, proven equal to the derivative"
    return Check(CheckStatus.VERIFIED, SAME_FORM, time.perf_counter() - started, detail)


def _engine_move(chain: Chain | None, before: FormKey | None, at: int | None) -> Move | None:
    """The engine's move from the line before (its key) to this one, both in its chain."""
    if chain is None or at is None:
        return None
    start = chain.index(before)
    return chain.move(start, at) if start is not None and start < at else None


def _check(lines: str | Iterable[str], var: sp.Symbol, timeout: float) -> Report:
    """Check the derivation in this process (see :func:`check`)."""
    working = read_working(lines, var)
    x, start = working.variable, working.start
    derivation = _engine(working, timeout)
    steps = derivation.steps if derivation is not None else ()
    diagnosis = Diagnosis(working.function, x)
    chain = chain_of(derivation, start)
    proven: dict[FormKey, int] = {}  # the form of each line proven right: its line number
    checked: list[Line] = []
    previous: Written | None = None
    previous_status = Verdict.CORRECT
    previous_key = key_of(start)
    for claim in working.claims:
        form = claim.form if claim.form is not None else claim.value
        key = key_of(form)
        at = chain.index(key) if chain is not None else None
        result = _proof(chain, at, proven, key) or check_identity(start, claim.value, timeout)
        status = _VERDICTS[result.status]
        line = Line(claim.number, claim.text, claim.value, status, check=result)
        if status is Verdict.WRONG:
            slip = diagnosis.slip(
                claim.value,
                claim.form,
                previous=previous.value if previous is not None else None,
                previous_form=previous.form if previous is not None else None,
                previous_number=previous.number if previous is not None else None,
                previous_wrong=previous_status is Verdict.WRONG,
            )
            line = replace(
                line,
                hint=slip.hint,
                slip=slip.kind,
                counterexample=_counterexample(result, diagnosis, claim),
            )
        else:
            before = previous if previous is not None else Written(0, "", start, start)
            before_form = before.form if before.form is not None else before.value
            move = _engine_move(chain, previous_key, at)
            if move is None:
                move = explain_move(
                    before_form,
                    form,
                    x,
                    steps,
                    before_value=before.value,
                    after_value=claim.value,
                )
            hint = Words()
            if status is Verdict.UNKNOWN:
                hint = Words.plain(f"not decided: {result.detail or 'not proven in time'}")
            line = replace(line, rule=move.rule, title=move.title, hint=hint)
        if status is Verdict.CORRECT and key is not None:
            proven.setdefault(key, claim.number)
        checked.append(line)
        previous, previous_status, previous_key = claim, status, key
    result_expr = derivation.result if derivation is not None else explicit(start)
    return Report(
        variable=x,
        function=working.function,
        function_text=working.given.text,
        function_number=working.given.number,
        derivative=result_expr,
        lines=tuple(checked),
        derivation=derivation,
        warnings=guard.name_warnings(working.one_names, x),
    )
