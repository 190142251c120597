"""Test helper: the join contract of a derivation's steps."""

from __future__ import annotations

from itertools import pairwise

import sympy as sp

from sigderiv.model.steps import Step


def assert_joined(steps: tuple[Step, ...], start: sp.Expr, end: sp.Expr) -> None:
    """Steps join end to end from start to end, and so do the substeps of each step."""
    assert steps
    assert steps[0].before == start
    for previous, following in pairwise(steps):
        assert previous.after == following.before, (previous.rule, following.rule)
    assert steps[-1].after == end
    for step in steps:
        if step.substeps:
            assert_joined(step.substeps, step.before, step.after)
