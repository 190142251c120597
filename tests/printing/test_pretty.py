"""The pretty printer draws each exact subexpression once per printer, and hands out copies."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter

from sigderiv.printing.layout import fit
from sigderiv.printing.pretty import glyphs, pretty, printer

X = sp.Symbol("x")
SIGMOID = 1 / (1 + sp.exp(-X))


def _drawn_count(monkeypatch: pytest.MonkeyPatch) -> list[sp.Basic]:
    """Record every exponential SymPy's own printer draws."""
    drawn: list[sp.Basic] = []
    original = PrettyPrinter._print_ExpBase

    def counting(self: PrettyPrinter, e: sp.Basic) -> object:
        drawn.append(e)
        return original(self, e)

    monkeypatch.setattr(PrettyPrinter, "_print_ExpBase", counting)
    return drawn


@pytest.mark.parametrize(
    "exprs",
    [
        (sp.Derivative(SIGMOID, X), sp.exp(-X) / (1 + sp.exp(-X)) ** 2),
        (sp.exp(-X) * (1 + sp.exp(-X)) + sp.exp(-X) ** 2 + sp.sin(sp.exp(-X)),),
        (sp.exp(X) + sp.exp(2 * X), sp.exp(X) * (1 + sp.exp(X))),
    ],
)
def test_each_exact_subexpression_is_drawn_once_by_a_printer(
    monkeypatch: pytest.MonkeyPatch, exprs: tuple[sp.Expr, ...]
) -> None:
    expected = fit(*exprs, width=80)  # drawn whole and term by term
    drawn = _drawn_count(monkeypatch)
    assert fit(*exprs, width=80) == expected
    assert len(drawn) == len(set(drawn))  # the whole side and its pieces share the drawings


@pytest.mark.parametrize("ascii", [False, True])
def test_a_form_changed_by_its_caller_is_drawn_afresh_for_the_next(ascii: bool) -> None:
    chosen = printer(SIGMOID, ascii=ascii)
    with glyphs(ascii):
        first = chosen._print(SIGMOID)
        first.baseline += 3
        first.binding = 0
        again = chosen._print(SIGMOID)
    assert again.baseline == first.baseline - 3 and again.binding != 0
    with glyphs(ascii):
        assert again.render(wrap_line=False) == pretty(SIGMOID, ascii=ascii)


@pytest.mark.parametrize("number", [sp.Float(0.1), sp.Float("0.12345678901234567890", 20)])
def test_a_float_is_drawn_as_sympy_draws_it_outermost_and_inside(number: sp.Float) -> None:
    assert pretty(number) == sp.pretty(number)
    # inside, SymPy shortens it; ours juxtaposes, as a teacher writes
    assert pretty(number * X) == sp.pretty(number * X).replace("⋅", "")
    assert pretty(number, sp.sin(number)) == f"{sp.pretty(number)} = {sp.pretty(sp.sin(number))}"
