"""Substitution of named functions: their definition, wherever it appears, becomes the name."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import mul, tidy
from sigderiv.expr.functions import CATALOGUE, Defined, masked, operations, sigma
from sigderiv.expr.letters import equation
from sigderiv.expr.walk import has_type, rewrite
from sigderiv.model.steps import Rule
from sigderiv.model.words import listed, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring


def _one_plus_exp(expr: sp.Expr) -> sp.Expr | None:
    """Return w when ``expr`` is 1 + e^w (in either order)."""
    if isinstance(expr, sp.Add) and len(expr.args) == 2 and sp.S.One in expr.args:
        other = expr.args[1] if expr.args[0] == 1 else expr.args[0]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def _reciprocal_base(expr: sp.Expr) -> sp.Expr | None:
    """Return w when ``expr`` is 1/(1 + e^w)."""
    if isinstance(expr, sp.Pow) and expr.exp == -1:
        return _one_plus_exp(expr.base)
    return None


# The forms are matched by structure rather than with Wild patterns: SymPy's matcher on a
# product with more factors (x·e^x·(1 − t²)/(1 + e^x)) either fails or hands the e^x to the
# wrong slot, and would turn 1/(1 + e^x) into σ(−x) next to an e^x that should pair with it.
def _paired(expr: sp.Expr) -> frozenset[sp.Expr]:
    """Return every w for which e^w appears in ``expr`` outside a 1 + e^w."""
    bases = {b: sp.Dummy() for b in expr.atoms(sp.Add) if _one_plus_exp(b) is not None}
    return frozenset(e.args[0] for e in expr.xreplace(bases).atoms(sp.exp))


def _negated(w: sp.Expr, paired: frozenset[sp.Expr]) -> bool:
    """True when 1/(1 + e^w) is to be named σ(−w).

    Always when w = −u (that is σ(u)); for w = u only when no e^u elsewhere could pair with
    it into σ(u), the positive form that the later steps find.
    """
    return w.could_extract_minus_sign() or w not in paired


def _named_match(
    node: sp.Expr, paired: frozenset[sp.Expr] = frozenset()
) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """Return (replacement, written form, named) when ``node`` shows a named function."""
    softplus = CATALOGUE["softplus"].apply
    if isinstance(node, sp.log) and (w := _one_plus_exp(node.args[0])) is not None:
        return softplus(w), node, softplus(w)
    w = _reciprocal_base(node)
    if w is not None and _negated(w, paired):
        return sigma(-w), node, sigma(-w)
    if not isinstance(node, sp.Mul):
        return None
    factors = list(node.args)
    for i, factor in enumerate(factors):
        w = _reciprocal_base(factor)
        if w is None:
            continue
        if sp.exp(w) in factors:
            j = factors.index(sp.exp(w))
            kept = [f for k, f in enumerate(factors) if k not in (i, j)]
            named = sigma(w)
            return mul(*kept, named) if kept else named, sp.exp(w) * factor, named
        if _negated(w, paired):
            named = sigma(-w)
            return mul(*factors[:i], named, *factors[i + 1 :]), factor, named
    return None


def _unwrap_plain(node: sp.Expr) -> sp.Expr | None:
    """Drop an UnevaluatedExpr wrapper whose content is no longer a fraction."""
    if type(node) is sp.UnevaluatedExpr and not any(
        isinstance(e, sp.Pow) and e.exp.is_negative for e in sp.preorder_traversal(node.args[0])
    ):
        return node.args[0]
    return None


def _has_exponential(expr: sp.Expr) -> bool:
    """True when ``expr`` has an exponential, which every form substitution looks for has.

    A quick no for the many derivatives without one, before the walks over the whole
    expression that matching needs.
    """
    return has_type(expr, (sp.exp, type(sp.E)))  # e itself is the one instance of Exp1


#: How many times substitution looks again inside what an earlier match kept.
_MAX_PASSES = 8


@declaring(
    "substitute",
    "Substitute the named function",
    name="substituting the named function",
    family=Family.ALGEBRA,
    rewrite="a written form of a named function → its name",
    when="1/(1 + e^(−u)) → σ(u), eᵘ/(1 + eᵘ) → σ(u), ln(1 + eᵘ) → softplus(u)",
    example="log(1+e^x)",
)
def substitute_named(expr: sp.Expr) -> Rewrite | None:
    """definition(u) -> F(u) for each named function F, e.g. 1/(1 + e**(-u)) -> σ(u)."""
    if not _has_exponential(expr):
        return None
    found: list[tuple[sp.Expr, sp.Expr]] = []
    paired = _paired(masked(expr.doit())[0])

    def swap(node: sp.Expr) -> sp.Expr | None:
        if isinstance(node, Defined):  # its definition travels inside: only its argument
            argument = rewrite(node.argument, swap)
            if argument is node.argument:
                return node
            return Defined(*node.args[:2], argument, *node.args[3:])
        match = _named_match(node, paired)
        if match is None:
            return None
        found.append(match[1:])
        return match[0]

    after = rewrite(expr, swap)
    if not found:  # the written form may only show once SymPy has put the products together
        after = rewrite(expr.doit(), swap)
    if not found:
        return None
    for _ in range(_MAX_PASSES):  # a match replaces a whole product: look again inside it
        count = len(found)
        after = rewrite(after, swap)
        if len(found) == count:
            break
    after = _flatten_unwrapped(after)
    pairs = list(dict.fromkeys(found))
    said = listed([equation(named, node) for node, named in pairs], "; ", "definition")
    return Rewrite(
        Rule.SUBSTITUTE,
        words("Substitute {names}", names=listed([n for _, n in pairs], role="name")),
        words("Recognise a named function and swap it in: {said}.", said=said),
        after,
    )


def _flatten_unwrapped(expr: sp.Expr) -> sp.Expr:
    """Unwrap plain UnevaluatedExpr factors left in products."""

    def unwrap_in_mul(node: sp.Expr) -> sp.Expr | None:
        if isinstance(node, sp.Mul) and any(isinstance(a, sp.UnevaluatedExpr) for a in node.args):
            args = [_unwrap_plain(a) or a for a in node.args]
            return sp.Mul(*args, evaluate=False)
        return None

    return rewrite(expr, unwrap_in_mul)


def _solved(w: sp.Expr) -> list[tuple[sp.Expr, sp.Expr, sp.Expr]]:
    """Return (name, its definition, e^w solved for in it) for σ(w), and tanh(w/2) when w = 2u.

    tanh(u) = (e^(2u) − 1)/(e^(2u) + 1) reads an exponent 2u: tanh(x/2) for e^x is a form
    no one writes, and trying it costs a cancellation for nothing.
    """
    named = sigma(w)
    found = [(named, 1 / (1 + sp.exp(-w)), named / (1 - named))]
    half = w / 2
    if sp.count_ops(half) < sp.count_ops(w):
        t = sp.tanh(half)
        found.append((t, (sp.exp(w) - 1) / (sp.exp(w) + 1), (1 + t) / (1 - t)))
    return found


@declaring(
    "solve_substitute",
    "Write in terms of the named function",
    name="solving for the named function",
    family=Family.ALGEBRA,
    rewrite="e^w → σ(w)/(1 − σ(w)), from σ = 1/(1 + e^(−w)), or e^(2u) → (1 + tanh(u))/(1 − "
    "tanh(u)), whichever is shorter, when no e^(±w) is left and the result is no longer",
    when="(x + eˣ + 1)·eˣ/(eˣ + 1)² → σ(x)·(1 + x·(1 − σ(x))), 4/(2 + e^(2x) + e^(−2x)) → "
    "1 − tanh²(x)",
    example="x e^x/(1+e^x)",
)
def solve_for_named(expr: sp.Expr) -> Rewrite | None:
    """e^w -> σ(w)/(1 − σ(w)) or (1 + tanh(w/2))/(1 − tanh(w/2)), when that leaves no e^(±w)."""
    if not _has_exponential(expr):
        return None
    value, back = masked(expr.doit())  # never into a named function's own definition
    before_ops = operations(value)
    for atom in sorted(value.atoms(sp.exp), key=sp.default_sort_key):
        w = -atom.args[0] if atom.args[0].could_extract_minus_sign() else atom.args[0]
        written = []
        for named, definition, grows in _solved(w):
            new = value.xreplace({sp.exp(w): grows, sp.exp(-w): 1 / grows})
            if new.has(sp.exp(w), sp.exp(-w)):
                break  # the same exponentials stay whichever name is tried
            new = sp.factor_terms(sp.cancel(new))
            if operations(new) <= before_ops:
                written.append((operations(new), named, definition, grows, new))
        if not written:
            continue
        _, named, definition, grows, new = min(written, key=lambda found: found[0])
        return Rewrite(
            Rule.SOLVE_SUBSTITUTE,
            words("Write in terms of {named}", named=named),
            words(
                "Solve {definition} for the exponential: {solved}. Substitute it and cancel: "
                "what remains is written with {named} alone.",
                definition=equation(named, definition),
                solved=equation(sp.exp(w), grows),
                named=named,
            ),
            tidy(new.xreplace(back)),
        )
    return None
