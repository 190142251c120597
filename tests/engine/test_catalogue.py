"""The activation catalogue through the engine: every entry derives, proven, to its published form.

Nothing here trusts a hand-written derivative: each result is compared with SymPy's derivative
of the entry's written-out definition, and the forms in terms of the function's own value are
asserted both as an identity and structurally (the named function must be there).
"""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive, explicit, sigma
from sigderiv.expr.functions import CATALOGUE, NAMES, CatalogueEntry, Defined, masked, write_out
from sigderiv.model.steps import Derivation
from sigderiv.printing.inline import inline

X = sp.Symbol("x")

#: The entries whose derivative ends in terms of their own value; the rest end in terms of
#: other known functions (softplus′ = σ) or of x.
OWN_VALUE = {"sigmoid", "tanh", "exp", "elu", "selu", "celu"}


@pytest.fixture(scope="module")
def derivations(catalogue_derivations: dict[str, Derivation]) -> dict[str, Derivation]:
    """Every entry's ``derive(name)``, derived once for the session (tests/conftest.py)."""
    assert set(catalogue_derivations) == set(CATALOGUE)
    return catalogue_derivations


def real(expr: sp.Expr) -> sp.Expr:
    """``expr`` written out, derivatives done, every symbol real (as the engine checks)."""
    return explicit(expr, real=True)


def same(ours: sp.Expr, theirs: sp.Expr, entry: CatalogueEntry) -> bool:
    """True when two expressions agree, parameters at their defaults if simplify needs that."""
    difference = real(ours) - real(theirs)
    if sp.simplify(difference) == 0:
        return True
    at_defaults = difference.xreplace(
        {s: v for s in difference.free_symbols for p, v in entry.parameters if s.name == p.name}
    )
    return sp.simplify(at_defaults) == 0


def shows(expr: sp.Expr, kind: type) -> bool:
    """True when ``kind`` appears in ``expr`` outside the definitions named functions carry."""
    return masked(expr)[0].has(kind)


def own(entry: CatalogueEntry) -> sp.Expr:
    return entry.apply(X)


def has_own_value(result: sp.Expr, entry: CatalogueEntry) -> bool:
    """True when ``result`` contains the entry's own application f(x) (σ(x), tanh(x), ELU(x))."""
    value = own(entry)
    if isinstance(value, Defined):
        return any(d.plain() == value for d in result.atoms(Defined))
    return result.has(value)


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_entry_derives_with_every_step_verified(
    derivations: dict[str, Derivation], name: str
) -> None:
    d = derivations[name]
    assert d.name == name
    assert d.verified, [(s.rule, s.check) for s in d.walk() if not s.verified]


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_entry_equals_sympy_on_the_written_out_definition(
    derivations: dict[str, Derivation], name: str
) -> None:
    entry = CATALOGUE[name]
    d = derivations[name]
    reference = sp.diff(write_out(entry.definition(X)), X)
    assert same(d.result, reference, entry), inline(d.result)


def test_which_entries_end_in_their_own_value(derivations: dict[str, Derivation]) -> None:
    found = {name for name, d in derivations.items() if has_own_value(d.result, CATALOGUE[name])}
    assert found == OWN_VALUE


# ---- the published forms ----------------------------------------------------------------------

S = sigma(X)
T = sp.tanh(X)
SOFTPLUS = CATALOGUE["softplus"].apply(X)


def test_sigmoid(derivations: dict[str, Derivation]) -> None:
    assert derivations["sigmoid"].result == S * (1 - S)


def test_tanh(derivations: dict[str, Derivation]) -> None:
    assert derivations["tanh"].result == 1 - T**2


def test_exp(derivations: dict[str, Derivation]) -> None:
    assert derivations["exp"].result == sp.exp(X)


def test_softplus_is_sigma(derivations: dict[str, Derivation]) -> None:
    assert derivations["softplus"].result == S


def test_logsigmoid_is_one_minus_sigma(derivations: dict[str, Derivation]) -> None:
    assert derivations["logsigmoid"].result == 1 - S


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("silu", S * (1 + X * (1 - S))),
        (
            "swish",
            sigma(sp.Symbol("beta") * X)
            * (1 + sp.Symbol("beta") * X * (1 - sigma(sp.Symbol("beta") * X))),
        ),
        ("mish", sp.tanh(SOFTPLUS) + X * S * (1 - sp.tanh(SOFTPLUS) ** 2)),
        ("softsign", 1 / (1 + sp.Abs(X)) ** 2),
        ("tanhshrink", T**2),
    ],
)
def test_published_form_in_some_arrangement(
    derivations: dict[str, Derivation], name: str, published: sp.Expr
) -> None:
    """Equal as a polynomial in the named functions: the same form up to arrangement."""
    result = derivations[name].result
    assert sp.expand(result - published) == 0, inline(result)
    assert same(result, published, CATALOGUE[name])


def test_mish_names_both_functions(derivations: dict[str, Derivation]) -> None:
    result = derivations["mish"].result
    assert result.has(S) and result.has(sp.tanh(SOFTPLUS))
    assert not shows(result, sp.exp)


@pytest.mark.parametrize("name", ["elu", "selu", "celu"])
def test_elu_family_is_piecewise_with_the_own_value_below_zero(
    derivations: dict[str, Derivation], name: str
) -> None:
    entry = CATALOGUE[name]
    result = derivations[name].result
    assert isinstance(result, sp.Piecewise)
    (positive, above), (negative, below) = result.args
    assert above == (X > 0) and below == sp.true
    assert not positive.has(X)  # 1, or λ for SELU
    assert has_own_value(negative, entry)
    assert not shows(negative, sp.exp)
    reference = sp.diff(write_out(entry.definition(X)), X)
    assert same(result, reference, entry)


@pytest.mark.parametrize(
    ("name", "pieces"),
    [
        ("relu", [(1, X > 0), (0, True)]),
        ("leaky_relu", [(1, X >= 0), (sp.Symbol("s"), True)]),
    ],
)
def test_piecewise_linear_entries(
    derivations: dict[str, Derivation], name: str, pieces: list[tuple[sp.Expr, object]]
) -> None:
    assert derivations[name].result == sp.Piecewise(*pieces)


@pytest.mark.parametrize("name", ["hardsigmoid", "hardtanh", "hardswish", "gelu", "gelu_tanh"])
def test_closed_forms_in_x(derivations: dict[str, Derivation], name: str) -> None:
    """No own value to reuse: the result is written in x, with no named function left over."""
    result = derivations[name].result
    assert not result.has(Defined)


@pytest.mark.parametrize(("alias", "name"), [("σ", "sigmoid"), ("SiLU", "silu"), ("ELU", "elu")])
def test_aliases_derive_the_same(derivations: dict[str, Derivation], alias: str, name: str) -> None:
    assert NAMES[alias] is CATALOGUE[name]
    assert derive(alias).result == derivations[name].result


def test_named_functions_keep_their_definitions(derivations: dict[str, Derivation]) -> None:
    """No step rewrites the definition a named function carries (softplus stays ln(1 + e^y))."""
    definitions = {
        applied.name: applied.args[1]
        for entry in CATALOGUE.values()
        if isinstance(applied := entry.apply(X), Defined)
    }
    for name, d in derivations.items():
        for step in d.walk():
            for side in (step.before, step.after):
                for applied in side.atoms(Defined):
                    # .doit(): display.tidy reorders the factors of a product inside a
                    # definition too (CELU's y/α); that changes no content
                    definition = applied.args[1].doit()
                    assert definition == definitions[applied.name].doit(), (name, step.title)
            assert "_" not in step.title, (name, step.title)  # no dummy y shows through


def test_named_functions_give_numbers() -> None:
    """N(σ(2)) and N(ELU(−1)) are numbers, from the definitions."""
    import math

    from sigderiv import sigma

    assert abs(float(sp.N(sigma(2))) - 1 / (1 + math.exp(-2))) < 1e-12
    elu = CATALOGUE["elu"].apply(sp.Integer(-1)).subs(sp.Symbol("alpha"), 1)
    assert abs(float(sp.N(elu)) - (math.exp(-1) - 1)) < 1e-12
