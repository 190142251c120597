"""Backpropagation's rewrites: name the layers, the chain rule through them, multiply back."""

from __future__ import annotations

import itertools

import sympy as sp

from sigderiv.expr.build import fraction, product
from sigderiv.expr.functions import is_named
from sigderiv.expr.intermediate import Intermediate, direct, unnamed
from sigderiv.expr.letters import equation
from sigderiv.expr.walk import evaluated
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, listed, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring

#: What derive's example of these rules passes: the neuron's cross-entropy, in w.
_NEURON = "-(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))"
_OPTIONS: tuple[tuple[str, object], ...] = (("var", "w"), ("layers", True))


def chain_of(loss: Intermediate) -> tuple[Intermediate, ...]:
    """Return the quantities from the loss inwards: L, a, z (each holds the next one)."""
    chain = [loss]
    while True:
        inner = sorted(direct(chain[-1].value), key=sp.default_sort_key)
        if len(inner) != 1:
            return tuple(chain)
        chain.append(inner[0])


def role(quantity: Intermediate, outer: Intermediate | None) -> str:
    """How an ML text names a quantity: the loss, the activation σ(z), the pre-activation z."""
    if outer is None:
        return "the loss"
    if is_named(quantity.value) or isinstance(quantity.value, (sp.tanh, sp.exp)):
        return "the activation"
    if isinstance(outer.value, sp.Function) and outer.value.args == (quantity,):
        return "the pre-activation"
    return "the layer"


@declaring(
    "layers",
    "Name the layers",
    name="naming the layers",
    family=Family.ALGEBRA,
    rewrite="f(g(h(x))) → L, where z = h(x), a = g(z), L = f(a): each layer under its name; "
    "at the end, the names written back",
    when="−y·ln(σ(wx + b)) − … → L with z = wx + b, a = σ(z)",
    example=_NEURON,
    options=_OPTIONS,
)
def name_layers(derivative: sp.Derivative, loss: Intermediate) -> Rewrite | None:
    """d/dx f -> d/dx L, where L = f with its layers under their names."""
    if unnamed(loss) != derivative.expr:
        return None
    chain = chain_of(loss)
    outers = (None, *chain[:-1])
    said = [
        words(role(q, outer) + " {q}", q=equation(q, q.value))
        for q, outer in zip(reversed(chain), reversed(outers), strict=True)
    ]
    parts: Words = said[0]
    for more in said[1:]:
        parts += words(", ") + more
    return Rewrite(
        Rule.LAYERS,
        Words.plain("Name the layers"),
        words(
            "Name each layer's value, the way a forward pass computes it: {parts}. "
            "Backpropagation works through these names from the outside in.",
            parts=parts,
        ),
        sp.Derivative(loss, *derivative.variables, evaluate=False),
    )


@declaring(
    "chain_layers",
    "The chain rule through the layers",
    name="the chain rule through the layers",
    family=Family.ALGEBRA,
    rewrite="dL/dx → ∂L/∂a·∂a/∂z·∂z/∂x, for L = f(a), a = g(z), z = h(x)",
    when="d/dw L → ∂L/∂a·∂a/∂z·∂z/∂w",
    example=_NEURON,
    options=_OPTIONS,
)
def chain_layers(derivative: sp.Derivative) -> Rewrite | None:
    """dL/dx -> ∂L/∂a·∂a/∂z·∂z/∂x, for L = f(a), a = g(z), z = h(x)."""
    loss = derivative.expr
    if not isinstance(loss, Intermediate):
        return None
    (x,) = derivative.variables
    chain = chain_of(loss)
    if len(chain) < 2:
        return None
    factors = [
        sp.Derivative(outer, inner, evaluate=False) for outer, inner in itertools.pairwise(chain)
    ]
    factors.append(sp.Derivative(chain[-1], x, evaluate=False))
    shown = product(*factors)
    return Rewrite(
        Rule.CHAIN_LAYERS,
        Words.plain("The chain rule through the layers"),
        words(
            "{loss} depends on {x} only through the layers, so its derivative is the product "
            "of each layer's derivative in the one below it: {chain}.",
            loss=loss,
            x=x,
            chain=equation(derivative, shown),
        ),
        shown,
    )


def _opens_positive(factor: sp.Expr) -> bool:
    """True for a sum whose constant term is not negative: 1 − a rather than a − 1."""
    if not isinstance(factor, sp.Add):
        return True
    constant = factor.as_coeff_Add()[0]
    return not (constant.is_number and constant.is_negative)


@declaring(
    "factor_denominator",
    "Factor the denominator",
    name="factoring the denominator",
    family=Family.ALGEBRA,
    rewrite="N/P → ±N/(P₁·P₂·…): the denominator as a product of its factors, each opening "
    "with a positive constant",
    when="(y − a)/(a² − a) → (a − y)/(a(1 − a))",
    example=_NEURON,
    options=_OPTIONS,
)
def factor_denominator(expr: sp.Expr) -> Rewrite | None:
    """N/P -> ±N/(P₁·P₂·…), the denominator's factors opening with a positive constant."""
    numerator, denominator = sp.fraction(sp.cancel(sp.together(evaluated(expr))))
    if not isinstance(denominator, sp.Add) or not denominator.free_symbols:
        return None
    sign, parts = sp.factor_list(denominator)
    if sum(m for _, m in parts) < 2:
        return None
    factors = []
    for base, multiplicity in parts:
        if not _opens_positive(base):
            base = sp.expand(-base)
            sign *= (-1) ** multiplicity
        factors.append(base**multiplicity)
    numerator = sp.expand(sign * numerator)
    after = fraction(numerator, sp.Mul(*factors, evaluate=False))
    return Rewrite(
        Rule.FACTOR_DENOMINATOR,
        Words.plain("Factor the denominator"),
        words(
            "Factor the denominator {denominator}, so that what cancels later can be seen.",
            denominator=denominator,
        ),
        after,
    )


def _reads_well(factor: sp.Expr) -> bool:
    """True for a sum that opens the way a text writes it: 1 − a, a − y (not a − 1, y − a).

    A positive constant term where there is one; else its largest term positive (the
    prediction before the label).
    """
    constant, rest = factor.as_coeff_Add()
    if constant != 0:
        return bool(constant > 0)
    terms = sorted(sp.Add.make_args(rest), key=lambda t: (-sp.count_ops(t), sp.default_sort_key(t)))
    return not terms[0].could_extract_minus_sign()


def _sum_signed(expr: sp.Expr) -> sp.Expr:
    """−x·(y − a) -> x·(a − y), σ·(σ − 1)·(y − σ) -> σ·(1 − σ)·(σ − y): signs moved in pairs."""
    coefficient, rest = expr.as_coeff_Mul()
    factors = list(sp.Mul.make_args(rest))
    turned = [i for i, f in enumerate(factors) if isinstance(f, sp.Add) and not _reads_well(f)]
    if coefficient.is_negative and len(turned) % 2 == 1:
        coefficient = -coefficient
    elif len(turned) % 2 == 1:
        turned = turned[:-1]  # an odd one out keeps its sign: no minus in front
    for i in turned:
        factors[i] = sp.expand(-factors[i])
    return sp.Mul(coefficient, *factors) if turned else expr


@declaring(
    "multiply_layers",
    "Multiply the layers' derivatives",
    name="multiplying the layers' derivatives",
    family=Family.ALGEBRA,
    rewrite="(N/D)·D·c → N·c: the factors one layer's derivative shares with another's cancel",
    when="(a − y)/(a(1 − a))·a(1 − a)·x → x(a − y)",
    example=_NEURON,
    options=_OPTIONS,
)
def multiply_layers(expr: sp.Expr) -> Rewrite | None:
    """(N/D)·D·c -> N·c: multiply the layers' derivatives, cancelling what they share."""
    if not isinstance(expr, sp.Mul):
        return None
    value = _sum_signed(sp.factor(sp.cancel(evaluated(expr))))
    if sp.count_ops(value) < sp.count_ops(expr):
        said = (
            "Multiply the layers' derivatives together and cancel the factors they share: "
            "what one layer's derivative divides by, the next one multiplies by."
        )
    else:
        value = sp.Mul(*(a.doit() if isinstance(a, sp.UnevaluatedExpr) else a for a in expr.args))
        said = "Multiply the layers' derivatives together; no factor of one cancels another."
        if value == expr:
            return None
    return Rewrite(
        Rule.MULTIPLY_LAYERS,
        Words.plain("Multiply the layers' derivatives"),
        Words.plain(said),
        value,
    )


def written_back(expr: sp.Expr) -> Rewrite | None:
    """L(a(z)) -> f(g(h(x))): every name written back as its value, at the end."""
    if not expr.has(Intermediate):
        return None
    names = sorted(direct(expr), key=sp.default_sort_key)
    values = listed([equation(q, unnamed(q)) for q in names])
    return Rewrite(
        Rule.LAYERS,
        words("Write {names} back", names=sp.Tuple(*names) if len(names) > 1 else names[0]),
        words("Substitute each layer's value for its name: {values}.", values=values),
        unnamed(expr),
    )


def in_terms_of(expr: sp.Expr, quantity: Intermediate) -> Rewrite | None:
    """g′(z) -> in terms of a, where a = g(z): σ(z)(1 − σ(z)) -> a(1 − a)."""
    if not expr.has(quantity.value):
        return None
    after = expr.xreplace({quantity.value: quantity})
    return Rewrite(
        Rule.LAYERS,
        words("Write in terms of {a}", a=quantity),
        words(
            "{a} is this layer's output, which the forward pass already computed: {definition}.",
            a=quantity,
            definition=equation(quantity, quantity.value),
        ),
        after,
    )


__all__ = [
    "chain_layers",
    "chain_of",
    "factor_denominator",
    "in_terms_of",
    "multiply_layers",
    "name_layers",
    "written_back",
]
