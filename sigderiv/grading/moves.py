"""Name the move between two lines of a learner's working with the engine's rule ids.

Every rule of the engine is tried on the previous line: each differentiation rule on each
pending derivative (and the engine's own order, rule after rule), and each algebra rule
(reduce, add and subtract, split, cancel, factor, substitute, the named simplifications).
The move is the rule whose result has the new line's *form*: first compared as written
(terms in any order, ``1·u`` as ``u``), then as SymPy writes both. Identity of values
proves nothing here: every correct line has the same value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import sympy as sp

from sigderiv.engine.strategies import derivative_passes
from sigderiv.errors import SigderivError
from sigderiv.expr.functions import Defined, masked, write_out
from sigderiv.expr.walk import replace
from sigderiv.expr.walk import rewrite as rewrite_form
from sigderiv.model.steps import Rule, Step
from sigderiv.model.words import Words
from sigderiv.rules import DIFFERENTIATION_RULES, first_rewrite
from sigderiv.rules.algebra import add_subtract_constant, cancel, factor_out, reduce, split_fraction
from sigderiv.rules.base import Rewrite
from sigderiv.rules.simplify import TRANSFORMS, honest
from sigderiv.rules.substitute import solve_for_named, substitute_named

__all__ = ["Candidate", "Move", "canonical", "explain_move", "form_key", "normal", "summary"]


@dataclass(frozen=True)
class Move:
    """The rule that best explains a line, with its title; rule None for plain algebra."""

    rule: Rule | None
    title: Words


UNCHANGED = Move(None, Words.plain("the same as the line before"))
ALGEBRA = Move(None, Words.plain("algebra"))

# ---- forms ------------------------------------------------------------------------------------


def _is_numeric(factor: sp.Expr) -> bool:
    return bool(factor.is_Number) or (
        isinstance(factor, sp.Pow) and factor.base.is_Number and factor.exp.is_Integer
    )


def normal(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` as written but tidied: no wrappers, e^u as exp(u), (b^m)^n as b^(mn),
    nested sums and products flattened and the numbers of a product multiplied together."""
    if isinstance(expr, sp.UnevaluatedExpr):
        return normal(expr.args[0])
    if isinstance(expr, sp.Derivative):
        return sp.Derivative(normal(expr.expr), *expr.variable_count, evaluate=False)
    if isinstance(expr, Defined):
        return Defined(*expr.args[:2], normal(expr.args[2]), *expr.args[3:])
    if not expr.args or not isinstance(expr, sp.Expr):
        return expr
    args = [normal(a) for a in expr.args]
    if isinstance(expr, sp.Add):
        flat = [t for a in args for t in (a.args if isinstance(a, sp.Add) else (a,))]
        return sp.Add(*flat, evaluate=False)
    if isinstance(expr, sp.Mul):
        flat = [f for a in args for f in (a.args if isinstance(a, sp.Mul) else (a,))]
        numbers = [f for f in flat if _is_numeric(f)]
        rest = [f for f in flat if not _is_numeric(f)]
        coefficient = sp.Mul(*numbers)
        if coefficient == 0:
            return sp.S.Zero  # 0·(1 + e^(−x)) is written 0 as often as not
        if coefficient != 1 or not rest:
            rest.insert(0, coefficient)
        return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
    if isinstance(expr, sp.Pow):
        base, exponent = args
        if base is sp.E:
            return sp.exp(exponent, evaluate=False)
        if exponent == 1:
            return base
        if isinstance(base, sp.Pow) and exponent.is_Integer and base.exp.is_Number:
            return sp.Pow(base.base, base.exp * exponent, evaluate=False)
        if isinstance(base, sp.exp) and exponent.is_Integer:
            return sp.exp(sp.Mul(exponent, base.args[0]), evaluate=False)
        return sp.Pow(base, exponent, evaluate=False)
    try:
        with sp.evaluate(False):
            return expr.func(*args)
    except (TypeError, ValueError):
        return expr


def _key(expr: sp.Expr, ordered: bool) -> str:
    if isinstance(expr, (sp.Add, sp.Mul)):
        sign = "+" if isinstance(expr, sp.Add) else "*"
        keys = [_key(a, ordered) for a in expr.args]
        return sign + "(" + ",".join(keys if ordered and sign == "+" else sorted(keys)) + ")"
    if isinstance(expr, sp.Derivative):
        return f"D({_key(expr.expr, ordered)};{expr.variable_count})"
    if isinstance(expr, Defined):
        return f"{expr.name}({_key(expr.argument, ordered)})"
    if expr.args and isinstance(expr, sp.Expr):
        name = type(expr).__name__
        return f"{name}(" + ",".join(_key(a, ordered) for a in expr.args) + ")"
    return sp.srepr(expr)


def form_key(expr: sp.Expr, *, ordered: bool = False) -> str:
    """Return a key equal for two forms written alike, up to the order of factors and, unless
    ``ordered``, of terms: u′·v − u·v′ and −u·v′ + u′·v have one key, and two ordered ones."""
    return _key(normal(expr), ordered)


def canonical(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Return ``expr`` the way SymPy writes it, pending derivatives kept (d/dx of a constant
    is 0 and d/dx x is 1 all the same)."""
    swaps: dict[sp.Expr, sp.Expr] = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Derivative) and node not in swaps:
            inner = canonical(node.expr, x)
            if not inner.has(x):
                swaps[node] = sp.S.Zero
            elif inner == x:
                swaps[node] = sp.S.One
            else:
                swaps[node] = sp.Symbol(f"d/d{x}[{sp.srepr(inner)}]")
    try:
        return expr.xreplace(swaps).doit()
    except (TypeError, ValueError, ArithmeticError):
        return expr


# ---- candidates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A line a rule leads to: the move (its rule and title) and the expression after it."""

    rule: Rule
    title: Words
    after: sp.Expr

    @property
    def move(self) -> Move:
        """Return the move that this candidate stands for."""
        return Move(self.rule, self.title)


def _pending(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    found = [
        node
        for node in sp.preorder_traversal(expr)
        if isinstance(node, sp.Derivative) and node.variable_count == ((x, 1),)
    ]
    return list(dict.fromkeys(found))


class Named(Protocol):
    """A rewrite or a step: anything with a rule and a title."""

    @property
    def rule(self) -> Rule: ...

    @property
    def title(self) -> Words: ...


def summary(rewrites: Sequence[Named]) -> tuple[Rule, Words]:
    """The main rule of a run of rewrites (the first that is not the constant rule), and
    the titles of the rules used: "Quotient rule and chain rule"."""
    real = [r for r in rewrites if r.rule is not Rule.CONSTANT_RULE] or list(rewrites)
    titles = list(dict.fromkeys(str(r.title) for r in real))
    words = [titles[0], *(t[0].lower() + t[1:] for t in titles[1:])]
    title = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return real[0].rule, Words.plain(title)


def _done(node: sp.Expr) -> sp.Expr | None:
    return node.doit() if isinstance(node, sp.Derivative) else None


def differentiation_candidates(expr: sp.Expr, x: sp.Symbol) -> Iterator[Candidate]:
    """The engine's rewrites, one more each time; then every rule that applies to each
    pending derivative, also with the small derivatives it leaves done at once."""
    bases = list(dict.fromkeys([expr, write_out(expr)]))
    for base in bases:
        done: list[Rewrite] = []
        try:
            for applied in derivative_passes(base, x, first_rewrite):
                for one in applied:
                    done.append(one.rewrite)
                    yield Candidate(*summary(done), one.after)
        except SigderivError:
            continue
    for base in bases:
        for node in _pending(base, x):
            for rule in DIFFERENTIATION_RULES:
                try:
                    rewrite = rule(node.expr, x)
                except (TypeError, ValueError, ArithmeticError, NotImplementedError):
                    continue
                if rewrite is None:
                    continue
                after = replace(base, node, rewrite.after)
                yield Candidate(rewrite.rule, rewrite.title, after)
                yield Candidate(rewrite.rule, rewrite.title, rewrite_form(after, _done))


def _algebra_rules(x: sp.Symbol) -> list[Callable[[sp.Expr], Rewrite | None]]:
    return [  # the specific rules first: reduce (SymPy's evaluation) also cancels D/D²
        partial(add_subtract_constant, x=x),
        partial(split_fraction, x=x),
        partial(cancel, x=x),
        partial(factor_out, x=x),
        substitute_named,
        solve_for_named,
        reduce,
    ]


def algebra_candidates(expr: sp.Expr, x: sp.Symbol) -> Iterator[Candidate]:
    """Each algebra rule of the engine, and each named simplification, on ``expr``."""
    for rule in _algebra_rules(x):
        try:
            rewrite = rule(expr)
        except (SigderivError, TypeError, ValueError, AttributeError, ArithmeticError):
            continue
        if rewrite is not None:
            yield Candidate(rewrite.rule, rewrite.title, rewrite.after)
    value, back = masked(expr.doit())
    for transform in TRANSFORMS:
        if transform.only_with and not value.has(*transform.only_with):
            continue
        try:
            result = transform.apply(value, x)
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
        # named for what it did: a learner's multiplying out is Expand, never Factor
        title, _ = honest(transform, value, result)
        yield Candidate(Rule.SIMPLIFY, title, result.xreplace(back))


# ---- the move ---------------------------------------------------------------------------------


#: The rules that differentiate: a move from a line without pending derivatives is none.
DIFFERENTIATING = frozenset(
    {
        Rule.DIFFERENTIATE,
        Rule.INNER_DERIVATIVE,
        Rule.HIGHER_ORDER,
        Rule.ORDER,
        Rule.DEFINITION,
        *(r for r in Rule if r.value.endswith("_rule")),
        Rule.UNDEFINED_FUNCTION,
        Rule.LOG_DIFFERENTIATION,
        Rule.FALLBACK,
    }
)


def _step_rule(step: Step) -> Rule:
    if step.rule is Rule.DIFFERENTIATE and step.substeps:
        return step.substeps[0].rule
    return step.rule


def explain_move(
    before: sp.Expr,
    after: sp.Expr,
    x: sp.Symbol,
    steps: Sequence[Step] = (),
    *,
    before_value: sp.Expr | None = None,
    after_value: sp.Expr | None = None,
) -> Move:
    """Return the move from ``before`` to ``after`` (forms as written; values if known)."""
    before_value = before if before_value is None else before_value
    after_value = after if after_value is None else after_value
    target = form_key(after)
    if target == form_key(before):
        if normal(after) == normal(before):
            return UNCHANGED
        if sp.count_ops(after) < sp.count_ops(before):
            return Move(Rule.REDUCE, Words.plain("Reduce"))
        return Move(None, Words.plain("the same, rearranged"))
    candidates: list[Candidate] = []
    pending = bool(_pending(before_value, x))
    if pending:
        candidates.extend(differentiation_candidates(normal(before), x))
        # SymPy's derivative of a named function is no learner's rule: its definition is
        candidates.sort(key=lambda c: c.rule is Rule.FALLBACK)
    else:
        for base in dict.fromkeys([normal(before), before_value]):
            candidates.extend(algebra_candidates(base, x))
    for candidate in candidates:
        if form_key(candidate.after) == target:
            return candidate.move
    goal = canonical(after_value, x)
    start = canonical(before_value, x)
    for candidate in candidates:
        value = canonical(candidate.after, x)
        if value != start and value == goal:
            return candidate.move
    if goal == start:
        if sp.count_ops(normal(after)) < sp.count_ops(normal(before)):
            return Move(Rule.REDUCE, Words.plain("Reduce"))
        return ALGEBRA
    for step in (s for top in steps for s in top.walk()):
        rule = _step_rule(step)
        if rule in DIFFERENTIATING and not pending:
            continue
        if form_key(step.after) == target or canonical(step.after, x) == goal:
            return Move(rule, step.title)
    if pending and not _pending(after_value, x) and candidates:
        return Move(candidates[0].rule, candidates[0].title + ", then algebra")
    return ALGEBRA
