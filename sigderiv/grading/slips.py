"""Guess the slip behind a wrong line by making the engine's rules slip on purpose.

The engine differentiates the function once more for every rule it applies, each time
with that one rule done the way learners get it wrong: the chain rule without the inner
derivative, the quotient rule the wrong way round, the power rule without lowering the
exponent, a table derivative with the wrong sign, a product rule term left out, ... A
wrong line that has the value of one of these slipped derivatives gets that slip's hint.
Lines that go wrong in the algebra are compared with the previous line changed the same
way (a term's sign flipped, a term or a factor dropped, a power off by one). What nothing
explains gets an honest, general hint. Everything here operates on any function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import sympy as sp

from sigderiv.engine.numeric import Probe, Values
from sigderiv.engine.strategies import derivative_passes
from sigderiv.errors import SigderivError
from sigderiv.expr.build import derivative
from sigderiv.expr.functions import Defined, NamedFunction, write_out
from sigderiv.expr.letters import equation
from sigderiv.expr.points import close, is_real
from sigderiv.expr.walk import rewrite as rewrite_form
from sigderiv.grading.moves import canonical, form_key, normal
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules import first_rewrite
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, info

__all__ = ["KINDS", "Diagnosis", "Slip"]

#: Every kind of slip, with what it means; ``Slip.kind`` is one of these keys.
KINDS: dict[str, str] = {
    "carried": "follows from an earlier wrong line",
    "lost_sign": "the line is the negative of the derivative, or a sign went missing",
    "missing_chain_factor": "the chain rule's factor d/dx(inner function) is missing",
    "inner_not_differentiated": "the chain rule multiplies by the inner function itself",
    "outer_not_differentiated": "the chain rule keeps the outer function undifferentiated",
    "wrong_power": "an exponent is off by one (the power rule, or a power in the algebra)",
    "power_factor": "the power rule's factor n is missing or wrong",
    "power_rule_on_exponential": "the power rule applied to an exponential e^u",
    "missing_log_factor": "d/dx a^u without the factor ln a",
    "quotient_order": "the quotient rule's numerator the wrong way round: u·v′ − u′·v",
    "quotient_swapped": "the quotient rule divided by u² instead of v²",
    "quotient_denominator": "the quotient rule's denominator is not v²",
    "quotient_sign": "the quotient rule with a plus: u′·v + u·v′",
    "quotient_of_derivatives": "the quotient of the derivatives u′/v′",
    "product_of_derivatives": "the product of the derivatives u′·v′",
    "product_term_missing": "a term of the product rule is missing",
    "product_sign": "the product rule with a minus",
    "outer_derivative": "a derivative from the table with a wrong sign",
    "constant_not_zero": "the derivative of a constant kept instead of 0",
    "constant_factor": "a constant factor lost or added",
    "term_missing": "a term of a sum left out",
    "sign_flip": "the sign of one term changed from the line before",
    "factor_missing": "a factor of the line before left out",
    "not_differentiated": "the line is the function itself",
    "differentiated_twice": "the line is the second derivative",
    "generic": "no single slip explains the line",
}


#: Which slip to name when several explain a line equally well: the commoner first.
PRIORITY: tuple[str, ...] = (
    "missing_chain_factor",
    "wrong_power",
    "power_factor",
    "quotient_order",
    "product_term_missing",
    "product_of_derivatives",
    "quotient_of_derivatives",
    "outer_derivative",
    "constant_not_zero",
    "lost_sign",
    "quotient_sign",
    "quotient_denominator",
    "quotient_swapped",
    "product_sign",
    "inner_not_differentiated",
    "outer_not_differentiated",
    "power_rule_on_exponential",
    "missing_log_factor",
    "constant_factor",
    "term_missing",
)


def _rank(kind: str) -> int:
    return PRIORITY.index(kind) if kind in PRIORITY else len(PRIORITY)


@dataclass(frozen=True)
class Slip:
    """The likely slip behind a wrong line: a stable ``kind`` (see KINDS) and a hint."""

    kind: str
    hint: Words


@dataclass(frozen=True)
class _Mutant:
    """The derivative once more, with one rule slipped: its kind, hint, forms and values.

    The forms are the whole expression just after the slip (its pending derivatives done by
    SymPy), as a learner writes it when they do the small derivatives in their head, and
    the engine's own form at the end.
    """

    kind: str
    hint: Words
    forms: tuple[sp.Expr, ...]
    values: Values

    def form_keys(self, ordered: bool = False) -> set[str]:
        """The form keys of every form."""
        return {form_key(f, ordered=ordered) for f in self.forms}


# ---- the slipped derivatives ------------------------------------------------------------------


#: The title that marks the slipped rewrite in a run.
_SLIPPED = Words.plain("slipped")


def _done(node: sp.Expr) -> sp.Expr | None:
    return node.doit() if isinstance(node, sp.Derivative) else None


def _run(start: sp.Expr, x: sp.Symbol, rewrite_of: Callable) -> tuple[sp.Expr, sp.Expr | None]:
    """Return the end of the engine's passes, and the whole expression just after a slip."""
    expr, slipped = start, None
    for applied in derivative_passes(start, x, rewrite_of):
        for one in applied:
            if one.rewrite.title == _SLIPPED:
                slipped = rewrite_form(one.after, _done)
        expr = applied[-1].after
    return expr, slipped


def _recorded(start: sp.Expr, x: sp.Symbol) -> list[tuple[sp.Expr, Rewrite]]:
    calls: list[tuple[sp.Expr, Rewrite]] = []

    def record(u: sp.Expr, var: sp.Symbol) -> Rewrite | None:
        rewrite = first_rewrite(u, var)
        if rewrite is not None:
            calls.append((u, rewrite))
        return rewrite

    _run(start, x, record)
    return calls


#: Most slipped derivatives built for one function.
MAX_MUTANTS = 200


def mutants(function: sp.Expr, x: sp.Symbol, probe: Probe) -> Iterator[_Mutant]:
    """Yield the function's derivative with one rule slipped, for each rule and each slip."""
    starts = [function]
    if function.has(NamedFunction, Defined) and write_out(function) != function:
        starts.append(write_out(function))
    made = 0
    for f in starts:
        start = derivative(f, x)
        try:
            calls = _recorded(start, x)
        except SigderivError:
            continue
        for index, (u, rewrite) in enumerate(calls):
            finder = info(rewrite.rule).slips
            for made_wrong in finder(u, x, rewrite) if finder is not None else ():
                kind, hint, after = made_wrong.kind, made_wrong.hint, made_wrong.after
                made += 1
                if made > MAX_MUTANTS:
                    return
                count = 0

                def rewrite_of(
                    v: sp.Expr, var: sp.Symbol, at: int = index, new: sp.Expr = after
                ) -> Rewrite | None:
                    nonlocal count
                    count += 1
                    if count - 1 == at:
                        return Rewrite(Rule.DIFFERENTIATE, _SLIPPED, Words(), new)
                    return first_rewrite(v, var)

                try:
                    form, at_slip = _run(start, x, rewrite_of)
                except (SigderivError, TypeError, ValueError, ArithmeticError):
                    continue
                forms = (form,) if at_slip is None else (at_slip, form)
                yield _Mutant(kind, hint, forms, probe.values(form))


# ---- the diagnosis ----------------------------------------------------------------------------


def _number(value: complex) -> sp.Expr:
    """A ratio as a learner writes it: 2, 1/3, −1/2 when it is one, else six digits."""
    near = Fraction(value.real).limit_denominator(1000)
    if is_real(value) and close(float(near), value.real):
        return sp.Rational(near.numerator, near.denominator)
    return sp.Float(f"{value.real:.6g}")


class Diagnosis:
    """Finds the slip behind wrong lines of one derivation; built once, asked per line.

    A worker rather than data: it keeps the slipped derivatives, built on first need.
    """

    def __init__(self, function: sp.Expr, variable: sp.Symbol) -> None:
        self.function = function
        self.variable = variable
        self.probe = Probe(variable)

    @cached_property
    def derivative(self) -> Values:
        """The derivative's values at the probe's points."""
        return self.probe.values(sp.Derivative(self.function, self.variable, evaluate=False))

    @cached_property
    def mutants(self) -> list[_Mutant]:
        """The slipped derivatives that differ from the derivative."""
        return [
            m
            for m in mutants(self.function, self.variable, self.probe)
            if not self.probe.same(m.values, self.derivative, at_least=1)
        ]

    def inner_functions(self) -> list[sp.Expr]:
        """Every inner function w ≠ x of a g(w) or a power inside the function."""
        x = self.variable
        found: list[sp.Expr] = []
        for node in sp.preorder_traversal(write_out(self.function)):
            if isinstance(node, sp.Function) and len(node.args) == 1:
                candidates = [node.args[0]]
            elif isinstance(node, sp.Pow):
                candidates = [node.base if not node.exp.has(x) else node.exp]
            else:
                continue
            found.extend(w for w in candidates if w.has(x) and w != x)
        return list(dict.fromkeys(found))

    def slip(
        self,
        line: sp.Expr,
        form: sp.Expr | None,
        previous: sp.Expr | None = None,
        previous_form: sp.Expr | None = None,
        previous_number: int | None = None,
        previous_wrong: bool = False,
    ) -> Slip:
        """Return the likely slip behind ``line`` (wrong), given the line before it."""
        values = self.probe.values(line)
        if (
            previous_wrong
            and previous is not None
            and self.probe.same(values, self.probe.values(previous))
        ):
            return Slip(
                "carried",
                Words.plain(
                    f"This follows from line {previous_number}, which is already wrong: the "
                    "slip there carries over."
                ),
            )
        algebra_first = previous is not None and not previous.has(sp.Derivative)
        if algebra_first and not previous_wrong:
            found = self._algebra(values, previous_form or previous, previous_number)
            if found is not None:
                return found
        found = self._differentiation(line, form, values)
        if found is not None:
            return found
        if previous is not None and not previous_wrong and not algebra_first:
            found = self._algebra(values, previous_form or previous, previous_number)
            if found is not None:
                return found
        return self._relations(values, previous_number)

    def _differentiation(self, line: sp.Expr, form: sp.Expr | None, values: Values) -> Slip | None:
        """The slipped derivative with this line's value, its form decides between several."""
        matches = [m for m in self.mutants if self.probe.same(m.values, values)]
        matches.sort(key=lambda m: _rank(m.kind))  # stable: the engine's order within a kind
        if not matches:
            return None
        written = form if form is not None else line
        keyed = [m for m in matches if form_key(written) in m.form_keys()]
        if len({m.kind for m in keyed}) > 1:
            ordered = [m for m in keyed if form_key(written, ordered=True) in m.form_keys(True)]
            keyed = ordered or keyed
        if keyed:
            return Slip(keyed[0].kind, keyed[0].hint)
        value = canonical(line, self.variable)
        alike = [m for m in matches if any(canonical(f, self.variable) == value for f in m.forms)]
        if len({m.kind for m in alike}) == 1:
            return Slip(alike[0].kind, alike[0].hint)
        pool = alike or matches
        first = pool[0]
        other = next((m for m in pool if m.kind != first.kind), None)
        negated = tuple(-v if v is not None else None for v in self.derivative)
        if self.probe.same(values, negated):
            likely = " Likely: " + first.hint + ((" Or: " + other.hint) if other else Words())
            return Slip(
                "lost_sign",
                "This line is the negative of the derivative: a sign was lost." + likely,
            )
        return Slip(first.kind, first.hint + ((" (Or: " + other.hint + ")") if other else Words()))

    def _algebra(self, values: Values, previous: sp.Expr, number: int | None) -> Slip | None:
        before = normal(previous)
        where = f"line {number}" if number is not None else "the line before"
        for slipped in _algebra_slips(before, where):
            kind, hint, changed = slipped.kind, slipped.hint, slipped.after
            if self.probe.same(self.probe.values(changed), values):
                return Slip(kind, hint)
        return None

    def _relations(self, values: Values, number: int | None) -> Slip:
        x, f = self.variable, self.function
        negated = tuple(-v if v is not None else None for v in self.derivative)
        if self.probe.same(values, negated):
            return Slip(
                "lost_sign",
                words(
                    "This line is the negative of the derivative: a sign was lost (a minus in a "
                    "rule, in a derivative such as {example}, or in front of a bracket).",
                    example=equation(derivative(-x, x), sp.S.NegativeOne),
                ),
            )
        for w in self.inner_functions():
            w_prime = self.probe.values(sp.diff(w, x))
            scaled = tuple(
                a * b if a is not None and b is not None else None
                for a, b in zip(values, w_prime, strict=True)
            )
            if self.probe.same(scaled, self.derivative):
                return Slip(
                    "missing_chain_factor",
                    words(
                        "A chain-rule factor is missing: multiply by the derivative of the "
                        "inner function, {rule}.",
                        rule=equation(derivative(w, x), sp.diff(w, x)),
                    ),
                )
        ratio = self.probe.ratio(values, self.derivative)
        if ratio is not None:
            return Slip(
                "constant_factor",
                words(
                    "This line is {ratio} times the derivative: a constant factor was lost or "
                    "added on the way.",
                    ratio=_number(ratio),
                ),
            )
        if self.probe.same(values, self.probe.values(f)):
            return Slip(
                "not_differentiated",
                Words.plain("This line is the function itself, not its derivative."),
            )
        second = self.probe.values(sp.Derivative(f, (x, 2), evaluate=False))
        if self.probe.same(values, second):
            return Slip(
                "differentiated_twice",
                Words.plain(
                    "This line is the second derivative: it differentiates once too often."
                ),
            )
        if number is not None:
            return Slip(
                "generic",
                Words.plain(
                    f"Line {number} is right but this line is not equal to it: recheck the work "
                    "between them; the values below show where they part."
                ),
            )
        return Slip(
            "generic",
            words(
                "This line is not the derivative of {f}: compare it with the engine's steps "
                "(sigderiv derive).",
                f=f,
            ),
        )


#: Most changed copies of the previous line tried for one wrong line.
MAX_ALGEBRA_SLIPS = 120


def _nodes(expr: sp.Expr, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], sp.Expr]]:
    """Yield (path, node) for every node, depth first; a path lists argument indices."""
    yield path, expr
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow, sp.UnevaluatedExpr)) or (
        isinstance(expr, sp.Function) and not isinstance(expr, Defined)
    ):
        for i, arg in enumerate(expr.args):
            yield from _nodes(arg, (*path, i))


def _at(expr: sp.Expr, path: tuple[int, ...], new: sp.Expr) -> sp.Expr:
    """Return ``expr`` with the one node at ``path`` replaced by ``new``, the form kept."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _at(args[path[0]], path[1:], new)
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow)):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def _changes(node: sp.Expr, where: str) -> Iterator[Slipped]:
    """The ways algebra gets ``node`` wrong: a sign, a term, a factor, a power."""
    if isinstance(node, sp.Add):
        terms = list(node.args)
        for i, term in enumerate(terms):
            flipped = [sp.Mul(sp.S.NegativeOne, t) if j == i else t for j, t in enumerate(terms)]
            yield Slipped(
                "sign_flip",
                words(
                    "The sign of {term} changed between {where} and this line.",
                    term=term,
                    where=where,
                ),
                sp.Add(*flipped, evaluate=False),
            )
            rest = [t for j, t in enumerate(terms) if j != i]
            yield Slipped(
                "term_missing",
                words("The term {term} of {where} is missing here.", term=term, where=where),
                sp.Add(*rest, evaluate=False) if len(rest) > 1 else rest[0],
            )
    elif isinstance(node, sp.Mul):
        factors = list(node.args)
        for i, factor in enumerate(factors):
            if factor.is_Number:
                continue
            rest = [f for j, f in enumerate(factors) if j != i]
            yield Slipped(
                "factor_missing",
                words(
                    "The factor {factor} of {where} is missing here.", factor=factor, where=where
                ),
                sp.Mul(*rest, evaluate=False) if len(rest) > 1 else rest[0],
            )
    elif isinstance(node, sp.Pow) and node.exp.is_Rational and node.base.has(sp.Symbol):
        for step in (-1, 1):
            new = sp.Pow(node.base, node.exp + step, evaluate=False)
            yield Slipped(
                "wrong_power",
                words(
                    "A power is off by one: {power} of {where} became {new}.",
                    power=node,
                    where=where,
                    new=new,
                ),
                new,
            )


def _algebra_slips(before: sp.Expr, where: str) -> Iterator[Slipped]:
    """The previous line changed the way algebra goes wrong, one place at a time."""
    made = 0
    for path, node in _nodes(before):
        for slipped in _changes(node, where):
            made += 1
            if made > MAX_ALGEBRA_SLIPS:
                return
            yield Slipped(slipped.kind, slipped.hint, _at(before, path, slipped.after))
