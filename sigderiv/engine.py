"""derive(): run the strategies, build the step tree and check every step."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import sympy as sp

from . import display
from .display import inline
from .errors import ParseError, SigderivError, VerificationError
from .functions import NamedFunction, lookup
from .rules import first_rewrite
from .rules.algebra import add_subtract_constant, cancel, factor_out, reduce, split_fraction
from .rules.base import Rewrite
from .rules.substitute import substitute_named
from .steps import Check, CheckStatus, Derivation, Rule, Step
from .strategies import Applied, derivative_passes, in_sequence
from .verify import DEFAULT_TIMEOUT, check_identity

_RULE_NAMES = {
    Rule.QUOTIENT_RULE: "the quotient rule",
    Rule.PRODUCT_RULE: "the product rule",
    Rule.CHAIN_RULE: "the chain rule",
    Rule.SUM_RULE: "the sum rule",
    Rule.CONSTANT_MULTIPLE_RULE: "the constant multiple rule",
    Rule.POWER_RULE: "the power rule",
    Rule.LINEAR_RULE: "the linear rule",
    Rule.EXPONENTIAL_RULE: "the exponential rule",
    Rule.CONSTANT_RULE: "the constant rule",
}


class _Checker:
    """Checks step identities, reusing the result where two steps claim the same identity."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._seen: dict[tuple[sp.Expr, sp.Expr], Check] = {}

    def step(
        self,
        rule: Rule,
        title: str,
        explanation: str,
        before: sp.Expr,
        after: sp.Expr,
        substeps: Sequence[Step] = (),
        local: tuple[sp.Expr, sp.Expr] | None = None,
    ) -> Step:
        """Return the checked step; raise VerificationError if its identity is false."""
        key = (before, after)
        check = self._seen.get(key)
        if check is None:
            check = self._seen[key] = check_identity(before, after, self.timeout)
        if check.status is CheckStatus.FAILED:
            where = ", ".join(f"{k} = {v}" for k, v in check.counterexample)
            raise VerificationError(
                f"step '{title}' ({rule}) does not hold: {inline(before)} ≠ {inline(after)}"
                + (f" at {where}" if where else "")
            )
        return Step(rule, title, explanation, before, after, tuple(substeps), check, local)

    def applied(self, applied: Applied) -> Step:
        """Return the checked step for one lifted rewrite."""
        rewrite: Rewrite = applied.rewrite
        return self.step(
            rewrite.rule,
            rewrite.title,
            rewrite.explanation,
            applied.before,
            applied.after,
            local=applied.local,
        )


def _as_symbol(var: str | sp.Symbol) -> sp.Symbol:
    if isinstance(var, sp.Symbol):
        return var
    if isinstance(var, str) and var.isidentifier() and var.isascii() and not var.startswith("_"):
        return sp.Symbol(var)
    raise ParseError(f"the variable must be a plain name such as x, not {var!r}", str(var), 0)


def _as_function(expr: str | sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, str | None]:
    """Return (function, catalogue name) for a catalogue name, expression text or SymPy expr."""
    if isinstance(expr, str):
        entry = lookup(expr.strip())
        if entry is not None:
            return entry.definition(x), entry.name
        from .parse import parse

        return parse(expr), None
    if isinstance(expr, sp.Basic) and isinstance(expr, sp.Expr):
        return expr, None
    raise ParseError(f"expected text or a SymPy expression, not {type(expr).__name__}")


def _named_in(expr: sp.Expr) -> list[NamedFunction]:
    return sorted(expr.atoms(NamedFunction), key=sp.default_sort_key)


def _definition_step(checker: _Checker, start: sp.Expr) -> Step | None:
    """σ(u) -> 1/(1 + e^(−u)): write named functions in the input by their definitions."""
    named = _named_in(start)
    if not named:
        return None
    after = start.xreplace({f: f.expand_definition() for f in named})
    said = "; ".join(f"{inline(f)} = {inline(f.expand_definition())}" for f in named)
    return checker.step(
        Rule.DEFINITION,
        "Write out the definition",
        f"To differentiate, write each named function by its definition: {said}.",
        start,
        after,
    )


def _differentiation_steps(checker: _Checker, start: sp.Expr, x: sp.Symbol) -> list[Step]:
    steps: list[Step] = []
    for number, applied in enumerate(derivative_passes(start, x, first_rewrite)):
        substeps = [checker.applied(a) for a in applied]
        before, after = applied[0].before, applied[-1].after
        if number == 0:
            used = [r.rule for r in substeps if r.rule is not Rule.CONSTANT_RULE] or [
                Rule.CONSTANT_RULE
            ]
            names = list(dict.fromkeys(_RULE_NAMES[r] for r in used))
            title = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            title = title[0].upper() + title[1:]
            rule = Rule.DIFFERENTIATE
            explanation = (
                substeps[0].explanation
                if len(substeps) == 1
                else f"Differentiate from the outside in, using {', then '.join(names)}."
            )
        else:
            inner = [a.local[0].expr for a in applied if a.local is not None]
            shown = ", ".join(inline(u) for u in dict.fromkeys(inner))
            title = f"Differentiate the inner function{'s' if len(inner) > 1 else ''} {shown}"
            rule = Rule.INNER_DERIVATIVE
            explanation = (
                substeps[0].explanation
                if len(substeps) == 1
                else "Differentiate what the chain rule left: the derivative of the inner function."
            )
        steps.append(checker.step(rule, title, explanation, before, after, substeps))
    return steps


def _over_a_sum(function: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Return D when the function is c/D with c constant and D a sum depending on x."""
    num, den = sp.fraction(function, exact=True)
    if num.has(x) or not isinstance(den, sp.Add) or not den.has(x):
        return None
    return den


def _in_terms_step(
    checker: _Checker, expr: sp.Expr, function: sp.Expr, x: sp.Symbol
) -> Step | None:
    """Rewrite N/D**n through 1/D when the function is c/D: add and subtract, split, ..."""
    base = _over_a_sum(function, x)
    if base is None:
        return None
    rules = [partial(r, x=x) for r in (add_subtract_constant, split_fraction, cancel, factor_out)]
    applied = in_sequence(expr, rules)
    if not applied or applied[0].rewrite.rule is not Rule.ADD_SUBTRACT_ONE:
        return None
    substeps = [checker.applied(a) for a in applied]
    unit = inline(1 / base)
    return checker.step(
        Rule.REWRITE_IN_TERMS,
        f"Rewrite in terms of {unit}",
        f"The function itself is {inline(function)}, so any {unit} in the derivative is the "
        f"function again. Add and subtract a constant to make the denominator appear in the "
        f"numerator, split the fraction, cancel, and factor: what remains is written with "
        f"{unit} only.",
        applied[0].before,
        applied[-1].after,
        substeps,
    )


def derive(
    expr: str | sp.Expr,
    var: str | sp.Symbol = "x",
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Derivation:
    """Derive d/dvar(expr) step by step, checking every step; return the Derivation.

    ``expr`` is a catalogue name (``"sigmoid"``), expression text (``"1/(1+exp(-x))"``)
    or a SymPy expression. Raises a :class:`~sigderiv.errors.SigderivError` for input it
    cannot read or derive, and :class:`~sigderiv.errors.VerificationError` if a step fails.
    """
    x = _as_symbol(var)
    function, name = _as_function(expr, x)
    checker = _Checker(timeout)
    start = display.derivative(function, x)
    steps: list[Step] = []
    written_out = function
    definition = _definition_step(checker, start)
    if definition is not None:
        steps.append(definition)
        written_out = definition.after.expr
    steps.extend(_differentiation_steps(checker, steps[-1].after if steps else start, x))
    current = steps[-1].after if steps else start
    reduced = reduce(current)
    if reduced is not None:
        steps.append(checker.applied(Applied(reduced, current, reduced.after)))
        current = reduced.after
    bridge = _in_terms_step(checker, current, written_out, x)
    if bridge is not None:
        steps.append(bridge)
        current = bridge.after
    substituted = substitute_named(current)
    if substituted is not None:
        steps.append(checker.applied(Applied(substituted, current, substituted.after)))
        current = substituted.after
    named = {f.func for step in steps for f in _named_in(step.after)} | {
        f.func for f in _named_in(start)
    }
    definitions = tuple((f(x), f.definition(x)) for f in sorted(named, key=lambda f: f.__name__))
    if not steps:
        raise SigderivError("nothing to derive")
    return Derivation(
        function=function,
        variable=x,
        result=display.evaluated(current),
        steps=tuple(steps),
        name=name,
        definitions=definitions,
    )
