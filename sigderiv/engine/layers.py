"""Backpropagation's derivation: name the layers, then the chain rule through them, layer by layer.

For L = −(y·ln a + (1 − y)·ln(1 − a)), a = σ(z), z = w·x + b the steps are the ones an ML text
writes: ∂L/∂w = ∂L/∂a·∂a/∂z·∂z/∂w, each factor derived on its own (the loss's 1/(a(1 − a)),
σ′ = σ(1 − σ) in terms of a, the slope x), then the product, where a(1 − a) cancels, and the
names written back: (σ(w·x + b) − y)·x.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

import sympy as sp

from sigderiv.errors import UnsupportedError
from sigderiv.expr.build import derivative, product
from sigderiv.expr.functions import is_named
from sigderiv.expr.intermediate import Intermediate, direct, under_names
from sigderiv.expr.letters import letters
from sigderiv.input.guard import Layers
from sigderiv.model.steps import Rule, Step
from sigderiv.model.words import words
from sigderiv.printing.inline import inline
from sigderiv.rules.base import Rewrite
from sigderiv.rules.layers import (
    chain_layers,
    chain_of,
    factor_denominator,
    in_terms_of,
    multiply_layers,
    name_layers,
    written_back,
)
from sigderiv.rules.substitute import substitute_named

#: d/dv(expr) step by step: the engine's steps from d/dv(expr) to its compact form.
Differentiate = Callable[[sp.Expr, sp.Symbol], list[Step]]
#: Check one step: (rule, title, explanation, before, after, substeps, local) -> Step.
CheckStep = Callable[..., Step]


def _depends(expr: sp.Expr, x: sp.Symbol) -> bool:
    """True when ``expr`` holds x other than inside a named quantity."""
    return expr.xreplace({q: sp.Dummy() for q in direct(expr)}).has(x)


def _compound(node: sp.Basic, x: sp.Symbol) -> bool:
    return isinstance(node, sp.Expr) and not node.is_Atom and node.has(x)


def _activation(node: sp.Basic) -> bool:
    """An activation applied: σ(u), softplus(u), a catalogue function, tanh(u)."""
    return is_named(node) or isinstance(node, sp.tanh)


def find_layers(function: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, ...]:
    """Return the values to name, innermost first: (w·x + b, σ(w·x + b)), or ().

    The outer layer is the largest part that the function repeats or that is an activation
    applied to more than a variable; its argument, when it is more than a variable, is the
    layer below it (the pre-activation).
    """
    counts = Counter(sp.preorder_traversal(function))
    candidates = [
        node
        for node, count in counts.items()
        if node != function
        and _compound(node, x)
        and (count >= 2 or (_activation(node) and _compound(node.args[0], x)))
    ]
    if not candidates:
        return ()
    candidates.sort(key=sp.default_sort_key)
    outer = max(candidates, key=lambda n: (sp.count_ops(n), counts[n]))
    if isinstance(outer, sp.Function) and len(outer.args) == 1 and _compound(outer.args[0], x):
        return (outer.args[0], outer)
    return (outer,)


def named(
    function: sp.Expr, x: sp.Symbol, values: Sequence[sp.Expr], names: Sequence[str] = ()
) -> Intermediate | None:
    """Return the loss L with the layers ``values`` (innermost first) under their names.

    None when the function does not depend on x through them alone, one inside the next
    (then there is no chain of layers to differentiate through).
    """
    if not values:
        return None
    wanted = (
        list(names) or (["z", "a"] if len(values) == 2 else ["u", "a", "h", "g"])[: len(values)]
    )
    chosen = letters(function, *wanted, "L")
    quantities: list[tuple[sp.Expr, Intermediate]] = []

    def under(expr: sp.Expr) -> sp.Expr:
        for expanded, quantity in reversed(quantities):  # the outermost first
            expr = under_names(expr, {expanded: quantity})
        return expr

    for value, letter in zip(values, chosen, strict=False):
        quantities.append((value, Intermediate(letter.name, under(value))))
    loss = Intermediate(chosen[-1].name, under(function))
    chain = chain_of(loss)
    if len(chain) != len(values) + 1:
        return None
    for outer, inner in itertools.pairwise(chain):
        if direct(outer.value) != {inner} or _depends(outer.value, x):
            return None
    return loss if _depends(chain[-1].value, x) else None


def parse_layers(
    function: sp.Expr, x: sp.Symbol, given: Sequence[tuple[str, sp.Expr]]
) -> Intermediate:
    """Return the loss with the layers the user named (``[("z", w*x + b), ("a", σ(z))]``).

    Each value may use the names before it. Raises UnsupportedError when a value does not
    occur in the function or the layers do not form a chain through x.
    """
    expanded: list[sp.Expr] = []
    for name, value in given:
        value = value.xreplace(
            {sp.Symbol(n): e for (n, _), e in zip(given, expanded, strict=False)}
        )
        if not function.has(value):
            raise UnsupportedError(f"{name} = {inline(value)} does not occur in {inline(function)}")
        expanded.append(value)
    loss = named(function, x, expanded, [n for n, _ in given])
    if loss is None:
        raise UnsupportedError(
            f"the layers {', '.join(n for n, _ in given)} do not form a chain from "
            f"{inline(function)} to {x}: each must hold the next one, and {x} only the last"
        )
    return loss


def _mapped(step: Step, mapping: dict[sp.Basic, sp.Basic]) -> Step:
    """The same step with plain symbols made the quantities they stand for."""
    local = step.local
    return replace(
        step,
        before=step.before.xreplace(mapping),
        after=step.after.xreplace(mapping),
        substeps=tuple(_mapped(s, mapping) for s in step.substeps),
        local=None if local is None else (local[0].xreplace(mapping), local[1].xreplace(mapping)),
    )


def _lifted(step: Step, around: Callable[[sp.Expr], sp.Expr], *, top: bool = False) -> Step:
    """The same step on the whole product: the factor rewritten in place, shown on its own."""
    local = (step.before, step.after) if top or step.local is None else step.local
    return replace(
        step,
        before=around(step.before),
        after=around(step.after),
        substeps=tuple(_lifted(s, around) for s in step.substeps),
        local=local,
    )


def _kept(factors: Sequence[sp.Expr]) -> list[sp.Expr]:
    """Each layer's factor kept whole in the product: a(1 − a), not its factors spread out."""
    return [sp.UnevaluatedExpr(f) if isinstance(f, sp.Mul) else f for f in factors]


class _Steps:
    """The steps made so far, each checked as it is added."""

    def __init__(self, check: CheckStep, start: sp.Expr) -> None:
        self.check = check
        self.steps: list[Step] = []
        self.start = start

    @property
    def current(self) -> sp.Expr:
        return self.steps[-1].after if self.steps else self.start

    def add(self, rewrite: Rewrite | None, substeps: Sequence[Step] = ()) -> bool:
        if rewrite is None:
            return False
        made = self.check(
            rewrite.rule, rewrite.title, rewrite.explanation, self.current, rewrite.after, substeps
        )
        self.steps.append(made)
        return True


def _layer(check: CheckStep, factor: sp.Derivative, differentiate: Differentiate) -> list[Step]:
    """The steps from ∂outer/∂inner to its compact form, in terms of outer where it helps."""
    outer, inner = factor.expr, factor.variables[0]
    local = _Steps(check, factor)
    local.add(
        Rewrite(
            Rule.LAYERS,
            words("Write {q} out", q=outer),
            words("{definition}", definition=sp.Eq(outer, outer.value, evaluate=False)),
            derivative(outer.value, inner),
        )
    )
    variable = inner.symbol if isinstance(inner, Intermediate) else inner
    back = {variable: inner} if isinstance(inner, Intermediate) else {}
    plain = outer.value.xreplace({v: k for k, v in back.items()})
    for step in differentiate(plain, variable):
        local.steps.append(_mapped(step, back) if back else step)
    local.add(factor_denominator(local.current))
    local.add(in_terms_of(local.current, outer))
    return local.steps


def layered(
    check: CheckStep,
    function: sp.Expr,
    x: sp.Symbol,
    loss: Intermediate,
    differentiate: Differentiate,
    written: Rewrite | None = None,
) -> list[Step]:
    """Backpropagation's steps for d/dx ``function``, whose layers ``loss`` names.

    ``written`` first writes the function with its named functions (1/(1 + e^(−z)) as σ(z)),
    when the layers are named in that form.
    """
    steps = _Steps(check, derivative(function, x))
    if written is not None:
        steps.add(replace(written, after=derivative(written.after, x)))
    steps.add(name_layers(steps.current, loss))
    steps.add(chain_layers(steps.current))
    factors = [a.args[0] if isinstance(a, sp.UnevaluatedExpr) else a for a in steps.current.args]
    for i, factor in enumerate(list(factors)):

        def around(part: sp.Expr, i: int = i) -> sp.Expr:
            return product(*_kept(factors[:i]), *_kept([part]), *_kept(factors[i + 1 :]))

        inner_steps = _layer(check, factor, differentiate)
        result = inner_steps[-1].after
        lifted = [_lifted(s, around, top=True) for s in inner_steps]
        outer, inner = factor.expr, factor.variables[0]
        steps.add(
            Rewrite(
                Rule.DIFFERENTIATE,
                words("Differentiate {outer} in {inner}", outer=outer, inner=inner),
                words(
                    "The layer {definition}, differentiated in {inner}: {result}.",
                    definition=sp.Eq(outer, outer.value, evaluate=False),
                    inner=inner,
                    result=sp.Eq(factor, result, evaluate=False),
                ),
                around(result),
            ),
            lifted,
        )
        factors[i] = result
    steps.add(multiply_layers(steps.current))
    steps.add(written_back(steps.current))
    return steps.steps


def layered_steps(
    check: CheckStep, function: sp.Expr, x: sp.Symbol, layers: Layers, differentiate: Differentiate
) -> list[Step] | None:
    """Backpropagation's steps through the layers asked for, or None when there are none."""
    if layers is None or layers is False:
        return None
    written = substitute_named(function)
    shown = written.after if written is not None else function
    if layers is True:
        loss = named(shown, x, find_layers(shown, x))
        if loss is None:
            return None
    else:
        from sigderiv.input.parse import parse

        given = [(n, parse(v) if isinstance(v, str) else v) for n, v in layers]
        loss = parse_layers(shown, x, given)
    return layered(check, function, x, loss, differentiate, written)


__all__ = ["find_layers", "layered", "layered_steps", "named", "parse_layers"]
