"""Equations that fit: the terminal and text views break long equations at =, then terms."""

from __future__ import annotations

import io
import re

import pytest
import sympy as sp
from rich.cells import cell_len
from rich.console import Console

from sigderiv import Derivation, render
from sigderiv.formats.terminal import Heading, Math, TerminalFormatter
from sigderiv.printing.layout import Cut, Line, fit, plan
from sigderiv.printing.pretty import pretty

from .conftest import LONG, label

x, y = sp.symbols("x y")


def _widths(text: str) -> list[int]:
    return [cell_len(line) for line in text.splitlines()]


def _cuts(*widths: float) -> list[Cut]:
    """Terms of the given widths, joined by " + "."""
    return [Cut(0 if i == 0 else 3, 0 if i == 0 else 2, w, 0) for i, w in enumerate(widths)]


# ---- the plan, from widths alone ---------------------------------------------------------------


def test_a_short_equation_stays_on_one_line() -> None:
    laid = plan([_cuts(10), _cuts(5, 5)], 40, 3, 2, 2)
    assert laid.mode == "line"
    assert laid.lines == (Line(0, 0, 1), Line(1, 0, 2))


def test_a_long_right_side_breaks_at_the_equals_sign_first() -> None:
    # 20 + 3 + 35 is too wide for 50; the right side fits alone under "= ": no term is cut.
    laid = plan([_cuts(20), _cuts(10, 10, 9)], 50, 3, 2, 2)
    assert laid.mode == "hanging"
    assert laid.lines == (Line(0, 0, 1), Line(1, 0, 3))


def test_a_chain_puts_each_side_on_a_line_of_its_own_under_the_first_equals_sign() -> None:
    laid = plan([_cuts(5), _cuts(20), _cuts(20), _cuts(20)], 40, 3, 2, 2)
    assert laid.mode == "aligned"
    assert [line.side for line in laid.lines] == [1, 2, 3]


def test_a_side_too_wide_for_a_line_breaks_between_terms() -> None:
    laid = plan([_cuts(5), _cuts(15, 15, 15, 15)], 40, 3, 2, 2)
    assert [(line.start, line.stop) for line in laid.lines if line.side == 1] == [(0, 2), (2, 4)]


def test_a_term_too_wide_for_a_line_breaks_between_its_factors() -> None:
    factors = [Cut(0, 0, 12, 0), *(Cut(1, 1, 12, 1) for _ in range(4))]
    laid = plan([_cuts(5), factors], 50, 3, 2, 2)  # 64 wide: two lines of 38 and 26
    spans = [(line.start, line.stop) for line in laid.lines if line.side == 1]
    assert len(spans) == 2 and spans[0][0] == 0 and spans[-1][1] == 5


# ---- the pretty forms ---------------------------------------------------------------------------


def test_fit_draws_the_same_pieces_as_the_unbroken_form() -> None:
    """Breaking changes where the pieces stand, never the pieces: same glyphs, same order."""
    terms = sp.Add(*(sp.Mul(k, x**k, sp.sin(x), evaluate=False) for k in range(2, 9)))
    lhs = sp.Derivative(terms, x)
    rhs = sp.Add(*(sp.Mul(-k, x ** (k - 1), sp.cos(x), evaluate=False) for k in range(2, 9)))
    whole = pretty(lhs, rhs)
    broken = fit(lhs, rhs, width=40)
    assert max(_widths(broken)) <= 40 < max(_widths(whole))

    def glyphs(text: str) -> str:
        return re.sub(r"\s+", "", "".join(sorted(text)))

    assert glyphs(broken.replace("=", "")) == glyphs(whole.replace("=", ""))
    rows = broken.splitlines()
    assert any(row.lstrip().startswith("= ") for row in rows)
    assert any(row.lstrip().startswith("- ") for row in rows)  # the sign opens its line


def test_continuation_lines_stand_under_the_first_right_hand_side() -> None:
    rhs = sp.Add(*(sp.Symbol(f"a{i}") * sp.Symbol(f"b{i}") for i in range(12)), evaluate=False)
    lines = fit(y, rhs, width=30).splitlines()
    assert lines[0].startswith("y = ")
    assert all(line.startswith("    + ") for line in lines[1:]), lines


def test_an_atom_wider_than_the_width_is_the_only_thing_past_it() -> None:
    wide = sp.Symbol("w" * 50)
    lines = fit(y, wide + x, width=30).splitlines()
    assert [cell_len(line) > 30 for line in lines].count(True) == 1


# ---- the views: no line wider than the width ----------------------------------------------------


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("text", [label(t, order) for t, _, order in LONG])
@pytest.mark.parametrize("fmt", ["text", "terminal"])
def test_no_line_is_wider_than_the_width(
    long_derivations: dict[str, Derivation], text: str, width: int, fmt: str
) -> None:
    options = {"color": False} if fmt == "terminal" else {}
    shown = render(long_derivations[text], fmt, bounded=False, width=width, **options)
    widths = _widths(shown)
    assert max(widths) <= width, [ln for ln in shown.splitlines() if cell_len(ln) > width]
    assert max(widths) > width - 15  # the room is used: not laid out for a narrower page


def test_the_text_format_is_80_columns_by_default(long_derivations: dict[str, Derivation]) -> None:
    shown = render(long_derivations["(3x+2)^5 (x-1)^2"], "text", bounded=False)
    assert max(_widths(shown)) == 80


def test_the_terminal_lays_math_out_for_its_own_width() -> None:
    rhs = sp.Add(*(sp.Symbol(f"a{i}") * sp.exp(sp.Symbol(f"b{i}")) for i in range(16)))
    for width in (40, 70, 120):
        console = Console(file=io.StringIO(), width=width, color_system=None)
        with console.capture() as capture:
            console.print(Math((y, rhs)), crop=False)
        widths = _widths(capture.get())
        assert max(widths) <= width and max(widths) > width - 16


def test_a_wrapped_step_title_continues_under_its_words() -> None:
    console = Console(file=io.StringIO(), width=40, color_system=None)
    from rich.text import Text

    words = Text("Differentiate the inner functions 1 + x², 1, x² and the rest of them  ✓")
    with console.capture() as capture:
        console.print(Heading(Text("Step 12. "), words))
    lines = capture.get().splitlines()
    assert len(lines) >= 2 and lines[0].startswith("Step 12. Differentiate")
    assert all(line.startswith(" " * 9) and line[9] != " " for line in lines[1:]), lines
    assert all(line == line.rstrip() and cell_len(line) <= 40 for line in lines)


def test_the_terminal_formatter_default_is_80_columns(
    long_derivations: dict[str, Derivation],
) -> None:
    shown = TerminalFormatter(color=False).render(long_derivations["sigmoid (order 2)"])
    assert max(_widths(shown)) <= 80
