"""Batch derivation: many problems over worker processes, each as derive() derives it alone."""

from __future__ import annotations

import os

import pytest
import sympy as sp
from untimed import timeless

from sigderiv import derive
from sigderiv.engine.batch import Failure, Outcome, Problem, default_jobs, derive_all, read_problems
from sigderiv.engine.catalogue import CatalogueRow, catalogue
from sigderiv.formats.json import document
from sigderiv.model.steps import Derivation
from sigderiv.sandbox import kept

SHEET = """\
# week 3
x^2*sin(x)

1/(1 + x^2)
   # an indented comment
x +* 1
tanh(x)
exp(-x^2)
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SHEET, ((2, "x^2*sin(x)"), (4, "1/(1 + x^2)"), (6, "x +* 1"), (7, "tanh(x)"))),
        ("", ()),
        ("\n\n# only comments\n", ()),
        ("  sin(x)  \r\ncos(x)\n", ((1, "sin(x)"), (2, "cos(x)"))),
    ],
)
def test_read_problems_skips_blank_lines_and_comments(
    text: str, expected: tuple[tuple[int, str], ...]
) -> None:
    found = read_problems(text)
    assert tuple((p.line, p.text) for p in found)[: len(expected)] == expected


def same(a: Derivation, b: Derivation) -> bool:
    """True when two derivations hold the same steps, checks and result (timings aside)."""
    return timeless(document(a)) == timeless(document(b))


def _by_line(outcomes: list[Outcome]) -> dict[int, Outcome]:
    return {o.problem.line: o for o in outcomes}


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_problem_derived_as_derive_alone_derives_it(jobs: int) -> None:
    problems = read_problems(SHEET)
    outcomes = list(derive_all(problems, jobs=jobs))
    assert sorted(o.problem.line for o in outcomes) == [p.line for p in problems]
    by_line = _by_line(outcomes)
    for problem in problems:
        outcome = by_line[problem.line]
        assert outcome.problem == problem
        if problem.text == "x +* 1":
            continue
        assert outcome.ok and outcome.derivation is not None
        assert same(outcome.derivation, derive(problem.text))  # steps, checks, result


@pytest.mark.parametrize(
    ("text", "kind", "said"),
    [
        ("x +* 1", "ParseError", "missing operand"),
        ("sin(x, y)", "ParseError", "sin takes 1 argument, not 2"),
        ("import os", "ParseError", "is a Python keyword"),
        ("x" + "^x" * 400, "LimitError", "MAX_DEPTH"),
    ],
)
def test_a_bad_line_is_recorded_and_the_rest_derived(text: str, kind: str, said: str) -> None:
    problems = (Problem(1, "x^3"), Problem(2, text), Problem(3, "cos(x)"))
    outcomes = _by_line(list(derive_all(problems, jobs=2)))
    bad = outcomes[2]
    assert not bad.ok and bad.derivation is None
    assert isinstance(bad.failure, Failure) and bad.failure.kind == kind
    assert said in bad.failure.message
    assert outcomes[1].ok and outcomes[3].ok
    assert outcomes[1].derivation is not None
    assert outcomes[1].derivation.result == 3 * sp.Symbol("x") ** 2


def _text_and_steps(problem: Problem, derivation: Derivation) -> tuple[int, int]:
    """A ``then`` for the test: the problem's line and its derivation's number of steps."""
    return problem.line, len(derivation.steps)


def test_then_runs_in_the_worker_on_each_derivation() -> None:
    problems = [Problem(5, "x^2 + 1"), Problem(9, "sin(x)*cos(x)")]
    outcomes = _by_line(list(derive_all(problems, jobs=2, then=_text_and_steps)))
    for line, outcome in outcomes.items():
        assert outcome.derivation is not None
        assert outcome.extra == (line, len(outcome.derivation.steps))


def _worker_pid(problem: Problem, derivation: Derivation) -> int:
    """A ``then`` for the test: the process that derived the problem."""
    return os.getpid()


@pytest.mark.fresh_worker
def test_each_job_has_a_kept_worker_that_serves_one_problem_after_another() -> None:
    problems = ["x", "x^2", "sin(x)", "x^3", "cos(x)", "exp(x)"]
    outcomes = list(derive_all(problems, jobs=2, then=_worker_pid))
    pids = {outcome.extra for outcome in outcomes}
    assert all(outcome.ok for outcome in outcomes)
    assert pids <= set(kept.workers()) and len(kept.workers()) == 2  # no worker forked a call


def test_plain_strings_are_numbered_in_order_and_results_come_as_they_finish() -> None:
    outcomes = list(derive_all(["x", "x^2", "x^3"], jobs=1))
    # one job: they finish in the order given
    assert [(o.problem.line, o.problem.text) for o in outcomes] == [
        (1, "x"),
        (2, "x^2"),
        (3, "x^3"),
    ]


def test_no_problems_and_bad_jobs() -> None:
    assert list(derive_all([], jobs=2)) == []
    with pytest.raises(ValueError, match="jobs"):
        list(derive_all(["x"], jobs=0))
    assert default_jobs() >= 1


def test_the_catalogue_in_parallel_is_the_catalogue_one_after_another(
    catalogue_rows: tuple[CatalogueRow, ...],
) -> None:
    # the session's rows are derived with the default jobs, the cores: two or more here
    parallel = catalogue_rows if default_jobs() >= 2 else catalogue(jobs=2)
    seen: list[tuple[int, int]] = []
    sequential = catalogue(jobs=1, progress=lambda done, total: seen.append((done, total)))
    assert len(sequential) == len(parallel)
    for one, other in zip(sequential, parallel, strict=True):
        assert (one.entry, one.named, one.definition) == (
            other.entry,
            other.named,
            other.definition,
        )
        assert same(one.derivation, other.derivation)
    total = len(catalogue_rows)
    assert seen == [(n, total) for n in range(1, total + 1)]
