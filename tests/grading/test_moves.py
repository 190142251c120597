"""The moves between a learner's lines: candidates are typed records, not tuples."""

from __future__ import annotations

import dataclasses

import sympy as sp

from sigderiv.grading.moves import Candidate, Move, algebra_candidates


def test_a_candidate_is_a_frozen_record_whose_move_is_its_rule_and_title() -> None:
    x = sp.Symbol("x")
    found = list(algebra_candidates(sp.exp(x) * sp.exp(-x) + x - x, x))
    assert found and all(isinstance(c, Candidate) for c in found)
    first = found[0]
    assert dataclasses.is_dataclass(first) and first.move == Move(first.rule, first.title)
    try:
        first.title = "changed"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a Candidate must be frozen")
