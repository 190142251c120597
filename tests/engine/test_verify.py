"""The identity check of one step: verified, failed with a counterexample, or unverified."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from sigderiv import CheckStatus, explicit, sigma
from sigderiv.engine.general import (
    CHAIN_RULE_PROOF,
    _by_chain_rule,
    _false_for_one,
    _pending,
    check_rewrite,
)
from sigderiv.engine.verify import _rational, _routes_for, check_identity
from sigderiv.expr.build import add, fraction, mul, power, product

X, K, T = sp.symbols("x k t")
E = sp.exp
D = sp.Derivative


def unevaluated_derivative(expr: sp.Expr, var: sp.Symbol = X) -> sp.Expr:
    """d/dvar(expr), left pending."""
    return D(expr, var, evaluate=False)


# ---- explicit ---------------------------------------------------------------------------------


def test_explicit_expands_named_functions(x: sp.Symbol, k: sp.Symbol, t: sp.Symbol) -> None:
    assert explicit(sigma(x)) == 1 / (1 + E(-x))
    assert explicit(sigma(k * x)) == 1 / (1 + E(-k * x))
    assert explicit(2 * sigma(t) * (1 - sigma(t))) == 2 / (1 + E(-t)) * (1 - 1 / (1 + E(-t)))


def test_explicit_evaluates_pending_derivatives() -> None:
    assert explicit(unevaluated_derivative(X**3)) == 3 * X**2
    assert explicit(unevaluated_derivative(E(-K * X))) == -K * E(-K * X)
    assert explicit(unevaluated_derivative(T**2, T)) == 2 * T


def test_explicit_expands_inside_derivatives() -> None:
    result = explicit(unevaluated_derivative(sigma(X)))
    assert not result.has(sigma) and not result.has(sp.Derivative)
    assert sp.simplify(result - E(-X) / (1 + E(-X)) ** 2) == 0


def test_explicit_removes_display_wrappers() -> None:
    den = 1 + E(-X)
    shown = product(1 / den, add(1, -1 / den))
    assert shown.has(sp.UnevaluatedExpr)
    result = explicit(shown)
    assert not result.has(sp.UnevaluatedExpr)
    assert result == 1 / den * (1 - 1 / den)
    assert explicit(mul(E(X), sp.Integer(-1))) == -E(X)


# ---- verified ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(sigma(X), 1 / (1 + E(-X)), id="definition"),
        pytest.param(unevaluated_derivative(X**3), 3 * X**2, id="power rule"),
        pytest.param((X + 1) ** 2, X**2 + 2 * X + 1, id="expand"),
        pytest.param(
            fraction(add(1, E(-X), -1), power(1 + E(-X), 2)),
            E(-X) / (1 + E(-X)) ** 2,
            id="add and subtract",
        ),
        pytest.param(unevaluated_derivative(sigma(X)), sigma(X) * (1 - sigma(X)), id="sigma prime"),
        pytest.param(
            K * E(-K * X) / (1 + E(-K * X)) ** 2,
            K * sigma(K * X) * (1 - sigma(K * X)),
            id="k sigma(kx)",
        ),
        pytest.param(
            -3 * E(X) / (2 + E(X)) ** 2,
            -3 / (2 + E(X)) * (1 - 2 / (2 + E(X))),
            id="3/(2+e^x)",
        ),
        pytest.param(E(X) * E(X), E(2 * X), id="exponent law"),
        pytest.param(sp.sin(X) ** 2 + sp.cos(X) ** 2, sp.Integer(1), id="needs simplify"),
    ],
)
def test_true_identities_are_verified(before: sp.Expr, after: sp.Expr) -> None:
    check = check_identity(before, after, timeout=10)
    assert check.status is CheckStatus.VERIFIED, check
    assert check.verified
    assert check.counterexample == ()
    assert check.seconds >= 0


def test_an_identity_that_needs_simplify_says_so() -> None:
    # sin² + cos² = 1 and the half angles are proven exactly (the pythagorean route); Γ is not
    check = check_identity(sp.gamma(X + 1), X * sp.gamma(X), timeout=10)
    assert check.method == "simplify"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (-2 * sp.sin(X) * sp.cos(X), -sp.sin(2 * X)),
        (sp.cos(X) ** 2 - sp.sin(X) ** 2, sp.cos(2 * X)),
        (sp.tan(X) ** 2 + 1, 1 / sp.cos(X) ** 2),
        (2 * sp.sinh(K * X) * sp.cosh(K * X), sp.sinh(2 * K * X)),
    ],
    ids=str,
)
def test_a_trigonometric_identity_goes_the_pythagorean_route_second(
    before: sp.Expr, after: sp.Expr
) -> None:
    assert [m for m, _ in _routes_for(before - after)][:2] == ["rational", "pythagorean"]
    assert check_identity(before, after, timeout=10).method == "pythagorean"


@pytest.mark.parametrize(
    "difference",
    [E(X) * E(-X) - 1, (X + 1) ** 2 - X**2 - 2 * X - 1, sp.sqrt(X) / X - 1 / sp.sqrt(X)],
)
def test_without_trigonometric_functions_the_routes_keep_their_order(
    difference: sp.Expr,
) -> None:
    names = [m for m, _ in _routes_for(difference)]
    assert names[:4] == ["rational", "roots", "cancel", "expand"]
    assert names[-2:] == ["pythagorean", "exponentials"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (E(-X) / (1 + E(-X)) ** 2, E(X) / (E(X) + 1) ** 2),
        ((X * E(-X) + 1 + E(-X)) / (1 + E(-X)) ** 2, (X + E(X) + 1) * E(X) / (E(X) + 1) ** 2),
        (4 / (E(2 * X) + 2 + E(-2 * X)), 1 - sp.tanh(X) ** 2),
        (E(X / 2) ** 2 * sp.cosh(X), (E(2 * X) + 1) / 2),
    ],
    ids=str,
)
def test_powers_of_e_that_cancel_go_the_exponentials_route_first(
    before: sp.Expr, after: sp.Expr
) -> None:
    assert [m for m, _ in _routes_for(before - after)][:2] == ["exponentials", "rational"]
    assert check_identity(before, after, timeout=10).method == "exponentials"


@pytest.mark.parametrize(
    "difference",
    [X * E(X) - E(X) * X, sp.tanh(X) ** 2 + 1 / sp.cosh(X) ** 2 - 1, E(X) * sp.sin(X) - 1],
    ids=str,
)
def test_one_power_of_e_and_no_hyperbolic_function_keeps_the_rational_route_first(
    difference: sp.Expr,
) -> None:
    assert next(m for m, _ in _routes_for(difference)) == "rational"


def test_a_structural_identity_is_cheap() -> None:
    check = check_identity(sigma(X), 1 / (1 + E(-X)))
    assert check.method == "structural"


@pytest.mark.parametrize(
    ("difference", "zero"),
    [
        pytest.param(
            E(-X) / (1 + E(-X)) ** 2 - (1 / (1 + E(-X)) - 1 / (1 + E(-X)) ** 2), True, id="split"
        ),
        pytest.param(sp.sin(X) / (1 + sp.cos(X)) - sp.sin(X) / (1 + sp.cos(X)), True, id="trig"),
        pytest.param((sp.sqrt(X) + 1) ** 2 - X - 2 * sp.sqrt(X) - 1, False, id="sqrt squared"),
        pytest.param(mul(E(X), E(-X)) - 1, False, id="exponent law needs cancel"),
        pytest.param(sp.sin(X) ** 2 + sp.cos(X) ** 2 - 1, False, id="pythagoras"),
        pytest.param(sp.Float(0.1) * X + sp.Float(0.2) * X - sp.Float(0.3) * X, False, id="floats"),
        pytest.param((X + 1) ** 40 - (X + 1) ** 40, True, id="equal high powers"),
        pytest.param(
            power(E(X) + 1, 40) - mul(power(E(X) + 1, 39), E(X) + 1), False, id="high power atom"
        ),
    ],
)
def test_the_rational_route_proves_rational_identities_in_the_atoms(
    difference: sp.Expr, zero: bool
) -> None:
    assert (_rational(difference) == 0) is zero


def test_the_rational_route_settles_the_split_fraction_step() -> None:
    den = 1 + E(-X)
    check = check_identity(
        fraction(add(1, E(-X), -1), power(den, 2)),
        add(fraction(den, power(den, 2)), -fraction(1, power(den, 2))),
    )
    assert check.method == "rational"


# ---- failed -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "symbols"),
    [
        pytest.param(X**2, X**3, {"x"}, id="x^2 = x^3"),
        pytest.param(sigma(X), 1 / (1 + E(X)), {"x"}, id="wrong sign"),
        pytest.param(unevaluated_derivative(E(2 * X)), E(2 * X), {"x"}, id="chain forgotten"),
        pytest.param(
            unevaluated_derivative(sigma(X)), sigma(X) * (1 + sigma(X)), {"x"}, id="sigma prime"
        ),
        pytest.param(K * X, X, {"k", "x"}, id="parameter"),
        pytest.param(unevaluated_derivative(T**3, T), 3 * T, {"t"}, id="in t"),
    ],
)
def test_false_identities_fail_with_a_counterexample(
    before: sp.Expr, after: sp.Expr, symbols: set[str]
) -> None:
    check = check_identity(before, after, timeout=10)
    assert check.status is CheckStatus.FAILED
    assert not check.verified
    where = dict(check.counterexample)
    assert symbols <= where.keys()
    assert {"before", "after"} <= where.keys()
    assert where["before"] != where["after"]
    # the counterexample is a real one: the two sides differ at that point
    point = {sp.Symbol(name): sp.Float(where[name]) for name in symbols}
    left = explicit(before).evalf(subs=point)
    right = explicit(after).evalf(subs=point)
    assert abs(left - right) > 1e-6


# ---- unverified -------------------------------------------------------------------------------


def test_running_out_of_time_is_unverified_not_verified() -> None:
    started = time.perf_counter()
    check = check_identity(sp.gamma(X + 1), X * sp.gamma(X), timeout=1e-3)
    assert time.perf_counter() - started < 5
    assert check.status is CheckStatus.UNVERIFIED
    assert not check.verified
    assert check.counterexample == ()
    assert "ran out" in check.detail


def test_a_false_identity_fails_even_with_no_time() -> None:
    check = check_identity(sp.sin(X) ** 2, sp.Integer(1), timeout=1e-3)
    assert check.status is CheckStatus.FAILED


# ---- general proofs of a rule's rewrite -------------------------------------------------------


def test_pending_derivatives_are_found_outside_function_applications() -> None:
    w = sp.sin(X) + X**2
    inside = unevaluated_derivative(X**3)
    result = sp.Mul(sp.cos(w + inside), unevaluated_derivative(w), evaluate=False) + sp.Piecewise(
        (unevaluated_derivative(X), X > 0), (0, True)
    )
    assert _pending(result) == {unevaluated_derivative(w), unevaluated_derivative(X)}


def test_check_rewrite_proves_a_shape_once_for_every_inner_function() -> None:
    proven: dict = {}
    for inner in (X**2, sp.exp(X) + 1, sp.sin(sp.sin(X))):
        check = check_rewrite(
            unevaluated_derivative(sp.sin(inner)),
            sp.cos(inner) * unevaluated_derivative(inner),
            proven,
        )
        assert check is not None and check.verified
    assert len(proven) == 1


def test_check_rewrite_remembers_a_shape_it_could_not_prove() -> None:
    proven: dict = {}
    wrong = check_rewrite(unevaluated_derivative(sp.sin(X**2)), sp.cos(X**2), proven)
    assert wrong is None
    assert list(proven.values()) == [None]


@pytest.mark.parametrize(
    ("factors", "method"),
    [(3, "general (structural)"), (12, CHAIN_RULE_PROOF), (40, CHAIN_RULE_PROOF)],
    ids=["few parts: in general", "many parts: by the chain rule", "forty parts"],
)
def test_a_rewrite_with_many_parts_is_proven_directly(factors: int, method: str) -> None:
    from sigderiv.rules.differentiation import product_rule

    u = sp.Mul(*(X + k for k in range(1, factors + 1)))
    rewrite = product_rule(u, X)
    assert rewrite is not None
    check = check_rewrite(unevaluated_derivative(u), rewrite.after, {})
    assert check is not None and check.verified and check.method == method


def test_a_wrong_rewrite_with_many_parts_is_not_proven() -> None:
    u = sp.Mul(*(X + k for k in range(1, 13)))
    wrong = sp.Add(*(unevaluated_derivative(X + k) for k in range(1, 13)), evaluate=False)
    assert check_rewrite(unevaluated_derivative(u), wrong, {}) is None


V = sp.Function("V")


@pytest.mark.parametrize(
    ("left", "right", "false"),
    [
        pytest.param(
            sp.Derivative(sp.asin(V(X)), X).doit(),
            sp.Derivative(V(X), X) / sp.sqrt(1 - 4 * X**2),
            True,
            id="asin of 2x written in x",
        ),
        pytest.param(
            sp.Derivative(sp.atan(V(X)), X).doit(),
            sp.Derivative(V(X), X) / (X**4 + 1),
            True,
            id="atan of x² written in x",
        ),
        pytest.param(
            sp.Derivative(sp.sin(V(X)), X).doit(),
            sp.cos(V(X)) * sp.Derivative(V(X), X),
            False,
            id="chain rule",
        ),
        pytest.param(
            sp.Derivative(V(X) ** 2, X).doit(),
            V(X) * sp.Derivative(V(X), X) + sp.Derivative(V(X), X) * V(X),
            False,
            id="product rule",
        ),
        pytest.param(
            sp.Derivative(sp.sin(V(X)), X, 2).doit(),
            -sp.sin(V(X)) * sp.Derivative(V(X), X) ** 2
            + sp.cos(V(X)) * sp.Derivative(V(X), (X, 2)),
            False,
            id="second derivative",
        ),
    ],
)
def test_a_general_identity_false_for_one_value_and_slope_is_refuted(
    left: sp.Expr, right: sp.Expr, false: bool
) -> None:
    assert _false_for_one(left, right) is false


@pytest.mark.parametrize(
    ("derivative", "result", "method"),
    [
        (D(sigma(X), X), sigma(X) * (1 - sigma(X)), "general (rational)"),
        (D(sigma(2 * X), X), 2 * sigma(2 * X) * (1 - sigma(2 * X)), "general (rational)"),
    ],
    ids=["σ′ = σ(1 − σ)", "σ(2x)′"],
)
def test_a_general_identity_the_first_route_proves_is_not_sampled_for_refuting(
    monkeypatch: pytest.MonkeyPatch, derivative: sp.Expr, result: sp.Expr, method: str
) -> None:
    import sigderiv.engine.general as general

    def sampled(*_args: object) -> bool:
        raise AssertionError("sampled before the first route was tried")

    monkeypatch.setattr(general, "_false_for_one", sampled)
    check = check_rewrite(derivative, result, {})
    assert check is not None and check.method == method


def test_a_general_identity_false_for_one_value_is_refuted_after_the_first_route() -> None:
    asin_of_2x = D(sp.asin(2 * X), X)
    assert check_rewrite(asin_of_2x, D(2 * X, X) / sp.sqrt(1 - X**2), {}) is None


def _product_rule_terms(parts: list[sp.Expr]) -> list[sp.Expr]:
    return [
        sp.Mul(*parts[:i], unevaluated_derivative(p), *parts[i + 1 :], evaluate=False)
        for i, p in enumerate(parts)
    ]


@pytest.mark.parametrize(
    "parts",
    [
        [X + k for k in range(1, 10)],
        [sp.sin(k * X) for k in range(1, 10)],
        [sp.exp(X + k) for k in range(1, 10)],
        [sp.sqrt(X + k) for k in range(1, 10)],
    ],
    ids=["x + k", "sin(kx)", "exp(x + k)", "sqrt(x + k)"],
)
def test_the_chain_rule_route_proves_the_product_rule_and_refuses_wrong_ones(
    parts: list[sp.Expr],
) -> None:
    u = sp.Mul(*parts)
    terms = _product_rule_terms(parts)
    assert _by_chain_rule(X, u, sp.Add(*terms, evaluate=False), parts)
    # a term left out, a sign flipped, the product of the derivatives: never proven
    assert not _by_chain_rule(X, u, sp.Add(*terms[1:], evaluate=False), parts)
    flipped = sp.Add(sp.Mul(-1, terms[0], evaluate=False), *terms[1:], evaluate=False)
    assert not _by_chain_rule(X, u, flipped, parts)
    derivatives = sp.Mul(*(unevaluated_derivative(p) for p in parts), evaluate=False)
    assert not _by_chain_rule(X, u, derivatives, parts)


def test_the_chain_rule_route_differentiates_x_and_powers_of_the_parts() -> None:
    parts = [X + k for k in range(1, 10)]
    u = sp.Mul(3, X**2, *(p**2 for p in parts))
    # d/dx (3x²·Π vᵢ²) = 6x·Π vᵢ² + Σ 3x²·2vᵢ·vᵢ′·Π_{j≠i} vⱼ²
    rest = [p**2 for p in parts]
    terms = [sp.Mul(6, X, *rest, evaluate=False)] + [
        sp.Mul(3, X**2, 2, p, unevaluated_derivative(p), *rest[:i], *rest[i + 1 :], evaluate=False)
        for i, p in enumerate(parts)
    ]
    assert _by_chain_rule(X, u, sp.Add(*terms, evaluate=False), parts)


@pytest.mark.parametrize(
    ("u", "result"),
    [
        pytest.param(sp.asin(2 * X), D(2 * X, X) / sp.sqrt(1 - 4 * X**2), id="asin"),
        pytest.param(sp.erf(3 * X), 2 * E(-9 * X**2) * D(3 * X, X) / sp.sqrt(sp.pi), id="erf"),
        # x³ and x⁷ are no integer powers of x²: they stay in x, beside the unknown
        pytest.param(sp.atan(X**2), D(X**2, X) * X**3 / (X**3 + X**7), id="atan, x³ beside x²"),
    ],
)
def test_a_rewrite_written_in_x_is_proven_by_its_own_check(u: sp.Expr, result: sp.Expr) -> None:
    """Not in general (the general identity is false), but the step itself holds."""
    assert check_rewrite(unevaluated_derivative(u), result, {}) is None
    assert check_identity(unevaluated_derivative(u), result).verified


_ROOT = sp.sqrt(X**2 + 1)


@pytest.mark.parametrize(
    ("u", "result", "method"),
    [
        # x⁴ is (x²)²: the general identity d/dx atan(V) = V′/(V² + 1)
        pytest.param(
            sp.atan(X**2), D(X**2, X) / (X**4 + 1), "general (structural)", id="atan of x²"
        ),
        # x/√(x² + 1) holds (x² + 1)^(−1/2) = 1/V: d/dx (x/V) = (−x·V′ + V·1)/V²
        pytest.param(
            X / _ROOT,
            fraction(
                add(-X * unevaluated_derivative(_ROOT), _ROOT * unevaluated_derivative(X)),
                power(_ROOT, 2),
            ),
            "general (rational)",
            id="quotient over a root",
        ),
        # the result's 1/√x is 1/V: d/dx log(V) = V′/V
        pytest.param(
            sp.log(sp.sqrt(X)),
            D(sp.sqrt(X), X) / sp.sqrt(X),
            "general (structural)",
            id="log of a root",
        ),
    ],
)
def test_a_power_of_a_part_is_a_power_of_its_unknown(
    u: sp.Expr, result: sp.Expr, method: str
) -> None:
    """b^(k·e) = (b^e)^k for an integer k: the other powers of a part's base are written in
    the part's unknown, on both sides, and the rewrite is proven in general."""
    check = check_rewrite(unevaluated_derivative(u), result, {})
    assert check is not None and check.verified and check.method == method


@pytest.mark.parametrize(
    ("u", "wrong"),
    [
        pytest.param(sp.atan(X**2), D(X**2, X) / (X**4 + 2), id="atan of x², a 2 for a 1"),
        pytest.param(
            X / _ROOT,
            fraction(add(-X * unevaluated_derivative(_ROOT), _ROOT), _ROOT),
            id="quotient over a root, its denominator not squared",
        ),
    ],
)
def test_a_wrong_rewrite_with_powers_of_a_part_is_not_proven(u: sp.Expr, wrong: sp.Expr) -> None:
    assert check_rewrite(unevaluated_derivative(u), wrong, {}) is None


@pytest.mark.parametrize(
    ("u", "result"),
    [
        # not polynomials in the parts: left to the other routes
        (sp.Mul(*(sp.sin(X + k) for k in range(1, 10))), sp.S.Zero),
        (sp.Mul(*(1 / (X + k) for k in range(1, 10))), sp.S.Zero),
        (sp.Mul(sp.Float(0.5), *(X + k for k in range(1, 10))), sp.S.Zero),
    ],
    ids=["a function of a part", "a negative power", "a float"],
)
def test_the_chain_rule_route_refuses_what_is_no_polynomial(u: sp.Expr, result: sp.Expr) -> None:
    assert not _by_chain_rule(X, u, result, [X + k for k in range(1, 10)])


def test_a_long_products_rule_step_is_proven_by_the_chain_rule() -> None:
    from sigderiv import derive

    derivation = derive(sp.Mul(*(X + k for k in range(1, 25))), bounded=False)
    product = derivation.steps[0].substeps[0]
    assert product.rule.value == "product_rule"
    assert product.check is not None and product.check.method == CHAIN_RULE_PROOF


ALPHA = sp.Symbol("alpha")
ELU = sp.Piecewise((X, X > 0), (ALPHA * (E(X) - 1), True))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            sp.Piecewise((1, X > 0), (ALPHA * E(X), True)),
            sp.Piecewise((1, X > 0), (ALPHA + ELU, True)),
            id="ELU′ in terms of ELU",
        ),
        pytest.param(
            sp.Piecewise((2 * X, X > 1), (sp.sin(X) ** 2 + sp.cos(X), True)) + X,
            sp.Piecewise((3 * X, X > 1), (sp.sin(X) ** 2 + sp.cos(X) + X, True)),
            id="a term added into each piece",
        ),
        pytest.param(
            sp.Piecewise((X**2 - 1, X < 0), (0, True)) / (X - 1),
            sp.Piecewise((X + 1, X < 0), (0, True)),
            id="a piece cancelled",
        ),
    ],
)
def test_the_piecewise_route_proves_pieces_one_by_one(before: sp.Expr, after: sp.Expr) -> None:
    check = check_identity(before, after)
    assert check.verified and check.method == "piecewise"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            (1 + sp.Abs(X) - X * sp.sign(X)) / (1 + sp.Abs(X)) ** 2,
            1 / (1 + sp.Abs(X)) ** 2,
            id="softsign′",
        ),
        pytest.param(
            sp.Abs(sp.sin(X)) * sp.cos(X) / 2,
            sp.sin(X) * sp.sign(sp.sin(X)) * sp.cos(X) / 2,
            id="|sin x| against sin x·sign(sin x)",
        ),
    ],
)
def test_the_signs_route_writes_abs_as_u_times_sign(before: sp.Expr, after: sp.Expr) -> None:
    check = check_identity(before, after)
    assert check.verified and check.method == "signs"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (sp.Piecewise((1, X > 0), (ALPHA * E(X), True)), sp.Piecewise((1, X > 0), (ALPHA, True))),
        ((1 + sp.Abs(X) + X * sp.sign(X)) / (1 + sp.Abs(X)) ** 2, 1 / (1 + sp.Abs(X)) ** 2),
    ],
    ids=["a wrong piece", "a wrong sign"],
)
def test_the_piece_and_sign_routes_never_prove_a_wrong_step(
    before: sp.Expr, after: sp.Expr
) -> None:
    assert check_identity(before, after).status is CheckStatus.FAILED


def test_the_chain_rule_route_multiplies_linearly_often_in_the_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A term of n − 1 factors is one monomial: ring products grow with n, not n²."""
    from sympy.polys.rings import PolyElement

    products: list[int] = []
    multiply = PolyElement.__mul__

    def counting(self: PolyElement, other: object) -> object:
        products.append(1)
        return multiply(self, other)

    monkeypatch.setattr(PolyElement, "__mul__", counting)
    counts = {}
    for n in (10, 40):
        parts = [X + k for k in range(1, n + 1)]
        products.clear()
        terms = _product_rule_terms(parts)
        assert _by_chain_rule(X, sp.Mul(*parts), sp.Add(*terms, evaluate=False), parts)
        counts[n] = len(products)
    assert counts[40] <= 4 * counts[10] + 4  # linear: n² products would be 16×


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (sp.Derivative(sigma(2 * X), X), sp.Derivative(1 / (1 + E(-2 * X)), X)),
        (sp.Derivative(X * sigma(X), X), sp.Derivative(X / (1 + E(-X)), X)),
        (sigma(K * X) + sigma(T), 1 / (1 + E(-K * X)) + 1 / (1 + E(-T))),
    ],
)
def test_a_definition_written_out_is_proven_without_taking_derivatives(
    before: sp.Expr, after: sp.Expr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sides that are one expression once named functions are written out: no doit, no route."""
    import sigderiv.engine.verify as verify

    def not_needed(expr: sp.Expr) -> sp.Expr:
        raise AssertionError("the check took the derivatives of a step proven by its form")

    monkeypatch.setattr(verify, "_checked", not_needed)
    check = check_identity(before, after)
    assert check.verified and check.method == "structural"


def test_a_definition_written_wrong_is_still_refuted() -> None:
    check = check_identity(sp.Derivative(sigma(2 * X), X), sp.Derivative(1 / (1 + E(2 * X)), X))
    assert check.status is CheckStatus.FAILED
