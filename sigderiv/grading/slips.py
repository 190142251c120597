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
from sigderiv.expr.build import add, derivative, fraction, mul, power
from sigderiv.expr.functions import Defined, NamedFunction, write_out
from sigderiv.expr.walk import rewrite as rewrite_form
from sigderiv.grading.moves import canonical, form_key, normal
from sigderiv.model.steps import Rule
from sigderiv.printing.inline import inline
from sigderiv.rules import first_rewrite
from sigderiv.rules.base import Rewrite
from sigderiv.rules.table import known

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
    hint: str


@dataclass(frozen=True)
class _Mutant:
    """The derivative once more, with one rule slipped: its kind, hint, forms and values.

    The forms are the whole expression just after the slip (its pending derivatives done by
    SymPy), as a learner writes it when they do the small derivatives in their head, and
    the engine's own form at the end.
    """

    kind: str
    hint: str
    forms: tuple[sp.Expr, ...]
    values: Values

    def form_keys(self, ordered: bool = False) -> set[str]:
        """The form keys of every form."""
        return {form_key(f, ordered=ordered) for f in self.forms}


Slipped = tuple[str, str, sp.Expr]  # (kind, hint, what the slipped rule writes instead)

# ---- one rule, done wrong ---------------------------------------------------------------------


def _quotient(u: sp.Expr, x: sp.Symbol) -> list[Slipped]:
    num, den = sp.fraction(u, exact=True)
    du, dv = derivative(num, x), derivative(den, x)
    minus = sp.S.NegativeOne
    where = f"(here u = {inline(num)}, v = {inline(den)})"
    right = add(mul(du, den), mul(minus, num, dv))
    slips = [
        (
            "quotient_order",
            f"Quotient rule the wrong way round: the numerator is u′·v − u·v′ {where}, not "
            "u·v′ − u′·v; swapping the two terms flips the sign.",
            fraction(add(mul(num, dv), mul(minus, du, den)), power(den, 2)),
        ),
        (
            "quotient_sign",
            f"The quotient rule subtracts: (u′·v − u·v′)/v² {where}; this line adds the terms.",
            fraction(add(mul(du, den), mul(num, dv)), power(den, 2)),
        ),
        (
            "quotient_denominator",
            f"The quotient rule divides by v², the denominator squared: ({inline(den)})², not "
            f"{inline(den)}.",
            fraction(right, den),
        ),
        (
            "quotient_of_derivatives",
            "The derivative of a quotient is not the quotient of the derivatives u′/v′: "
            f"use the quotient rule (u′·v − u·v′)/v² {where}.",
            fraction(du, dv),
        ),
    ]
    if num != 1:
        slips.append(
            (
                "quotient_swapped",
                f"Quotient rule with numerator and denominator swapped: divide by v² = "
                f"({inline(den)})², the denominator squared, not by u² = ({inline(num)})² "
                f"{where}.",
                fraction(right, power(num, 2)),
            )
        )
    else:
        slips.append(
            (
                "quotient_denominator",
                f"The quotient rule divides by v² = ({inline(den)})²; this line has no "
                "denominator.",
                right,
            )
        )
    return slips


def _product(u: sp.Expr, x: sp.Symbol) -> list[Slipped]:
    factors = list(sp.Mul.make_args(u))
    terms = [
        mul(*(derivative(f, x) if i == j else f for j, f in enumerate(factors)))
        for i in range(len(factors))
    ]
    slips: list[Slipped] = [
        (
            "product_of_derivatives",
            "The derivative of a product is not the product of the derivatives: the product "
            "rule gives u′·v + u·v′, one term per factor differentiated.",
            mul(*(derivative(f, x) for f in factors)),
        )
    ]
    for i, f in enumerate(factors):
        slips.append(
            (
                "product_term_missing",
                f"The product rule has one term per factor: the term in which {inline(f)} is "
                "differentiated is missing (u′·v + u·v′).",
                add(*(t for j, t in enumerate(terms) if j != i)),
            )
        )
    if len(terms) == 2:
        slips.append(
            (
                "product_sign",
                "The product rule adds its terms: u′·v + u·v′, not u′·v − u·v′.",
                add(terms[0], mul(sp.S.NegativeOne, terms[1])),
            )
        )
    return slips


def _power(
    u: sp.Expr, x: sp.Symbol, base: sp.Expr, n: sp.Expr, scale: sp.Expr, then: sp.Expr
) -> list[tuple[str, str, sp.Expr]]:
    """The power rule on scale·base^n slipped, each result times ``then`` (the chain factor)."""
    right = inline(n * base ** (n - 1))

    def times(*factors: sp.Expr) -> sp.Expr:
        kept = [f for f in (scale, *factors, then) if f != 1]
        return mul(*kept) if kept else sp.S.One

    return [
        (
            "wrong_power",
            f"Power rule: the exponent drops by one, d/d{x} {inline(base**n)} = {right}; this "
            f"line keeps the exponent {inline(n)}.",
            times(n, power(base, n)),
        ),
        (
            "wrong_power",
            f"Power rule: the exponent drops by one, {inline(n)} − 1 = {inline(n - 1)}, it does "
            f"not grow to {inline(n + 1)}: d/d{x} {inline(base**n)} = {right}.",
            times(n, power(base, n + 1)),
        ),
        (
            "power_factor",
            f"Power rule: bring the exponent down as a factor, d/d{x} {inline(base**n)} = "
            f"{right}; the factor {inline(n)} is missing.",
            times(power(base, n - 1)),
        ),
    ]


def _table(
    core: sp.Expr, inner: sp.Expr, x: sp.Symbol, scale: sp.Expr, then: sp.Expr
) -> list[tuple[str, str, sp.Expr]]:
    """A table derivative g′ with its sign wrong, or the sign of one of its terms."""
    entry = known(core)
    if entry is None or entry.rule is Rule.FALLBACK:
        return []
    y = sp.Dummy("y")
    prime = entry.derivative(y)
    words = entry.words.format(y=inline(inner) if inner != x else str(x))
    variants = [sp.Mul(sp.S.NegativeOne, prime, evaluate=False)]
    for node in sp.preorder_traversal(prime):
        if isinstance(node, sp.Add):
            for term in node.args:
                variants.append(prime.xreplace({node: node - 2 * term}))
    slips: list[tuple[str, str, sp.Expr]] = []
    for variant in variants:
        at = variant.xreplace({y: inner})
        kept = [f for f in (scale, at, then) if f != 1]
        slips.append(
            (
                "outer_derivative",
                f"A sign slipped in a derivative from the table: {words}.",
                mul(*kept),
            )
        )
    return slips


def _chain(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    pending = [f for f in sp.Mul.make_args(rewrite.after) if isinstance(f, sp.Derivative)]
    if not pending:
        return []
    d_inner = pending[-1]
    inner = d_inner.expr
    outer = [f for f in sp.Mul.make_args(rewrite.after) if f is not d_inner]
    at_inner = mul(*outer) if outer else sp.S.One
    _, rest = u.as_independent(x, as_Add=True)
    scale, core = rest.as_independent(x, as_Add=False)
    w, w_prime = inline(inner), inline(sp.diff(inner, x))
    slips: list[Slipped] = [
        (
            "missing_chain_factor",
            f"Chain rule: {inline(u)} has the inner function {w}, so multiply by its "
            f"derivative d/d{x}({w}) = {w_prime}; that factor is missing.",
            at_inner,
        ),
        (
            "inner_not_differentiated",
            f"Chain rule: multiply by the derivative of the inner function, d/d{x}({w}) = "
            f"{w_prime}, not by the inner function {w} itself.",
            mul(at_inner, inner),
        ),
    ]
    exponential = isinstance(core, sp.exp) or (
        isinstance(core, sp.Pow) and not core.base.has(x) and core.exp == inner
    )
    if isinstance(core, sp.Pow) and core.base == inner and not core.exp.has(x):
        slips.extend(_power(u, x, inner, core.exp, scale, d_inner))
    elif exponential:
        base = sp.E if isinstance(core, sp.exp) else core.base
        if base != sp.E:
            slips.append(
                (
                    "missing_log_factor",
                    f"d/d{x} a^u = a^u·ln(a)·u′: the factor ln({inline(base)}) is missing.",
                    mul(rest, d_inner),
                )
            )
        slips.append(
            (
                "power_rule_on_exponential",
                f"{inline(core)} is an exponential, not a power of {w}: the power rule does not "
                f"apply; d/d{x} {inline(core)} = {inline(core)}·d/d{x}({w}).",
                mul(*(f for f in (scale, inner, power(base, inner - 1)) if f != 1), d_inner),
            )
        )
    else:
        slips.append(
            (
                "outer_not_differentiated",
                f"Chain rule: differentiate the outer function too; in front of d/d{x}({w}) "
                f"stands g′({w}) = {inline(at_inner)}, not {inline(rest)}.",
                mul(rest, d_inner),
            )
        )
        if isinstance(core, sp.Function):
            slips.extend(_table(core, inner, x, scale, d_inner))
    return slips


def _slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The ways a learner gets the rule ``rewrite`` (applied to d/dx u) wrong."""
    rule = rewrite.rule
    if rule is Rule.QUOTIENT_RULE:
        return _quotient(u, x)
    if rule is Rule.PRODUCT_RULE:
        return _product(u, x)
    if rule is Rule.CHAIN_RULE:
        return _chain(u, x, rewrite)
    if rule is Rule.POWER_RULE:
        return _power(u, x, u.base, u.exp, sp.S.One, sp.S.One)
    if rule is Rule.CONSTANT_RULE and u != 0:
        return [
            (
                "constant_not_zero",
                f"The derivative of a constant is 0: d/d{x}({inline(u)}) = 0, not {inline(u)}.",
                u,
            )
        ]
    if rule is Rule.LINEAR_RULE:
        slope = rewrite.after
        slips: list[Slipped] = []
        if slope.could_extract_minus_sign():  # d/dx(−x) = 1: a sign lost; never 1 -> −1
            slips.append(
                ("lost_sign", f"d/d{x}({inline(u)}) = {inline(slope)}: the sign was lost.", -slope)
            )
        offset = sp.expand(u).coeff(x, 0)
        if offset != 0:
            slips.append(
                (
                    "constant_not_zero",
                    f"In d/d{x}({inline(u)}) the constant {inline(offset)} has derivative 0.",
                    slope + offset,
                )
            )
        return slips
    if rule is Rule.CONSTANT_MULTIPLE_RULE:
        const, rest = u.as_independent(x, as_Add=False)
        return [
            (
                "constant_factor",
                f"The constant factor {inline(const)} was lost: d/d{x}({inline(const)}·u) = "
                f"{inline(const)}·u′.",
                derivative(rest, x),
            )
        ]
    if rule is Rule.SUM_RULE:
        return [
            (
                "term_missing",
                f"The derivative of the term {inline(t)} is missing: the sum rule "
                "differentiates every term.",
                add(*(derivative(s, x) for s in u.args if s is not t)),
            )
            for t in u.args
            if t.has(x)
        ]
    if rule is Rule.EXPONENTIAL_RULE and isinstance(u, sp.Pow):
        return [
            (
                "missing_log_factor",
                f"d/d{x} a^{x} = a^{x}·ln(a): the factor ln({inline(u.base)}) is missing.",
                u,
            )
        ]
    if isinstance(u, sp.Function) and u.args and u.args[-1] == x:
        slips = _table(u, x, x, sp.S.One, sp.S.One)
        if isinstance(u, sp.exp):
            slips.append(
                (
                    "power_rule_on_exponential",
                    f"e^{x} is an exponential, not a power of {x}: the power rule does not "
                    f"apply; d/d{x} e^{x} = e^{x}.",
                    mul(x, power(sp.E, x - 1)),
                )
            )
        return slips
    return []


# ---- the slipped derivatives ------------------------------------------------------------------


#: The title that marks the slipped rewrite in a run.
_SLIPPED = "slipped"


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
            for kind, hint, after in _slips(u, x, rewrite):
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
                        return Rewrite(Rule.DIFFERENTIATE, _SLIPPED, "", new)
                    return first_rewrite(v, var)

                try:
                    form, slipped = _run(start, x, rewrite_of)
                except (SigderivError, TypeError, ValueError, ArithmeticError):
                    continue
                forms = (form,) if slipped is None else (slipped, form)
                yield _Mutant(kind, hint, forms, probe.values(form))


# ---- the diagnosis ----------------------------------------------------------------------------


def _number(value: complex) -> str:
    """A ratio as a learner writes it: 2, 1/3, −1/2 when it is one, else six digits."""
    near = Fraction(value.real).limit_denominator(1000)
    if abs(value.imag) < 1e-9 and abs(float(near) - value.real) < 1e-9 * (1 + abs(value.real)):
        return inline(sp.Rational(near.numerator, near.denominator))
    return f"{value.real:.6g}"


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
                f"This follows from line {previous_number}, which is already wrong: the "
                "slip there carries over.",
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
            likely = f" Likely: {first.hint}" + (f" Or: {other.hint}" if other else "")
            return Slip(
                "lost_sign",
                "This line is the negative of the derivative: a sign was lost." + likely,
            )
        return Slip(first.kind, first.hint + (f" (Or: {other.hint})" if other else ""))

    def _algebra(self, values: Values, previous: sp.Expr, number: int | None) -> Slip | None:
        before = normal(previous)
        where = f"line {number}" if number is not None else "the line before"
        for kind, hint, changed in _algebra_slips(before, where):
            if self.probe.same(self.probe.values(changed), values):
                return Slip(kind, hint)
        return None

    def _relations(self, values: Values, number: int | None) -> Slip:
        x, f = self.variable, self.function
        negated = tuple(-v if v is not None else None for v in self.derivative)
        if self.probe.same(values, negated):
            return Slip(
                "lost_sign",
                "This line is the negative of the derivative: a sign was lost (a minus in a "
                "rule, in a derivative such as d/dx(−x) = −1, or in front of a bracket).",
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
                    f"A chain-rule factor is missing: multiply by the derivative of the "
                    f"inner function, d/d{x}({inline(w)}) = {inline(sp.diff(w, x))}.",
                )
        ratio = self.probe.ratio(values, self.derivative)
        if ratio is not None:
            return Slip(
                "constant_factor",
                f"This line is {_number(ratio)} times the derivative: a constant factor was "
                "lost or added on the way.",
            )
        if self.probe.same(values, self.probe.values(f)):
            return Slip(
                "not_differentiated",
                "This line is the function itself, not its derivative.",
            )
        second = self.probe.values(sp.Derivative(f, (x, 2), evaluate=False))
        if self.probe.same(values, second):
            return Slip(
                "differentiated_twice",
                "This line is the second derivative: it differentiates once too often.",
            )
        if number is not None:
            return Slip(
                "generic",
                f"Line {number} is right but this line is not equal to it: recheck the work "
                "between them; the values below show where they part.",
            )
        return Slip(
            "generic",
            f"This line is not the derivative of {inline(f)}: compare it with the engine's "
            "steps (sigderiv derive).",
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
            yield (
                "sign_flip",
                f"The sign of {inline(term)} changed between {where} and this line.",
                sp.Add(*flipped, evaluate=False),
            )
            rest = [t for j, t in enumerate(terms) if j != i]
            yield (
                "term_missing",
                f"The term {inline(term)} of {where} is missing here.",
                sp.Add(*rest, evaluate=False) if len(rest) > 1 else rest[0],
            )
    elif isinstance(node, sp.Mul):
        factors = list(node.args)
        for i, factor in enumerate(factors):
            if factor.is_Number:
                continue
            rest = [f for j, f in enumerate(factors) if j != i]
            yield (
                "factor_missing",
                f"The factor {inline(factor)} of {where} is missing here.",
                sp.Mul(*rest, evaluate=False) if len(rest) > 1 else rest[0],
            )
    elif isinstance(node, sp.Pow) and node.exp.is_Rational and node.base.has(sp.Symbol):
        for step in (-1, 1):
            new = sp.Pow(node.base, node.exp + step, evaluate=False)
            yield (
                "wrong_power",
                f"A power is off by one: {inline(node)} of {where} became {inline(new)}.",
                new,
            )


def _algebra_slips(before: sp.Expr, where: str) -> Iterator[Slipped]:
    """The previous line changed the way algebra goes wrong, one place at a time."""
    made = 0
    for path, node in _nodes(before):
        for kind, hint, new in _changes(node, where):
            made += 1
            if made > MAX_ALGEBRA_SLIPS:
                return
            yield kind, hint, _at(before, path, new)
