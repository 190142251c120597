"""Issue 17, the shorthands learners write: sin x, sin^2 x, sin²x, e^x sin x, 2xy.

Each table is input -> the reading (a SymPy expression) or the message and exit code; the
property at the end says the bracketless form reads as the bracketed one, over a grammar of
shorthands.
"""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sigderiv import check, derive
from sigderiv.cli import app
from sigderiv.errors import LimitError, ParseError
from sigderiv.expr.functions import sigma
from sigderiv.formats.check_view import check_data
from sigderiv.input.latex import translate
from sigderiv.input.parse import parse, read

x, y, z, k, t = sp.symbols("x y z k t")

#: What learners type, with the variable x known, and what textbooks mean by it.
SHORTHANDS: list[tuple[str, sp.Expr]] = [
    ("sin x", sp.sin(x)),
    ("ln x", sp.log(x)),
    ("ln x + 1", sp.log(x) + 1),
    ("exp x", sp.exp(x)),
    ("sqrt x", sp.sqrt(x)),
    ("σ x", sigma(x)),
    ("sigmoid 2x", sigma(2 * x)),
    ("sin^2 x", sp.sin(x) ** 2),
    ("sin**2 x", sp.sin(x) ** 2),
    ("sin²x", sp.sin(x) ** 2),
    ("cos³ x", sp.cos(x) ** 3),
    ("tanh^2 x + 1", sp.tanh(x) ** 2 + 1),
    ("x²", x**2),
    ("x³y", x**3 * y),
    ("e^x sin x", sp.exp(x) * sp.sin(x)),
    ("x^2 sin x", x**2 * sp.sin(x)),
    ("2 sin x", 2 * sp.sin(x)),
    ("sin x cos x", sp.sin(x) * sp.cos(x)),
    ("sin 2x", sp.sin(2 * x)),
    ("sin 2x cos 3x", sp.sin(2 * x) * sp.cos(3 * x)),
    ("sin x^2", sp.sin(x**2)),
    ("sin 2(x+1)", sp.sin(2 * (x + 1))),
    ("sin sin x", sp.sin(sp.sin(x))),
    ("ln ln x", sp.log(sp.log(x))),
    ("sin √x", sp.sin(sp.sqrt(x))),
    ("e^sin x", sp.exp(sp.sin(x))),
    ("log(sin x, 2)", sp.log(sp.sin(x), 2)),
    ("(sin x)^2", sp.sin(x) ** 2),
    ("sin x/2", sp.sin(x) / 2),
    ("sin x*y", sp.sin(x) * y),
    ("sin x - cos x", sp.sin(x) - sp.cos(x)),
    ("f x", sp.Function("f")(x)),
    ("2xy", 2 * sp.Symbol("xy")),  # y is not known here: one name (and a warning)
    ("x^2 y + 2xy", x**2 * y + 2 * x * y),  # y stands alone, so xy is x·y
    ("xe^x", x * sp.exp(x)),  # x is known and e is Euler's number
    ("3kx + k", 3 * k * x + k),
]


@pytest.mark.parametrize(("text", "expected"), SHORTHANDS)
def test_shorthands_learners_write_are_read_as_textbooks_mean(text: str, expected: sp.Expr) -> None:
    assert read(text, ("x",)).expr == expected


#: What is not read as a shorthand, and what it is read as instead.
NOT_SHORTHANDS: list[tuple[str, sp.Expr, tuple[str, ...]]] = [
    ("xy", sp.Symbol("xy"), ("xy",)),  # y unknown: one symbol
    ("kx", sp.Symbol("kx"), ("kx",)),
    ("sinx", sp.Symbol("sinx"), ("sinx",)),  # no space: one name, as sinh is
    ("bias", sp.Symbol("bias"), ("bias",)),
    ("alpha x", sp.Symbol("alpha") * x, ()),  # a Greek name is one symbol, no warning
    ("theta + xi", sp.Symbol("theta") + sp.Symbol("xi"), ()),
    ("x1 x2", sp.Symbol("x1") * sp.Symbol("x2"), ()),  # a digit: one name
    ("w_1 x", sp.Symbol("w_1") * x, ()),
    ("sin (x) y", sp.sin(x) * y, ()),  # brackets: the argument ends there
    ("sin(x)^2", sp.sin(x) ** 2, ()),
    ("sin x e^x", sp.sin(x * sp.exp(x)), ()),  # juxtaposed: still in the argument
    ("sin x y", sp.sin(x * y), ()),
]


@pytest.mark.parametrize(("text", "expected", "one_names"), NOT_SHORTHANDS)
def test_what_is_not_read_as_a_shorthand(
    text: str, expected: sp.Expr, one_names: tuple[str, ...]
) -> None:
    reading = read(text, ("x",))
    assert reading.expr == expected
    assert reading.one_names == one_names


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("sin -x", "sin is a function; write sin(...)", 0),
        ("sin", "sin is a function", 0),
        ("sin^-1 x", "'sin' to a negative power is ambiguous", 3),
        ("sin x)", "unmatched ')'", 5),
        ("(sin x", "'(' is never closed", 0),
        ("sin x, 2", "commas are only allowed between function arguments", 5),
    ],
)
def test_a_shorthand_that_cannot_be_read_is_refused_where_it_goes_wrong(
    text: str, message: str, column: int
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.message.startswith(message)
    assert info.value.position == column


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("2xy", ("x", "y"), 2 * x * y),
        ("2xy", ("y",), 2 * sp.Symbol("xy")),
        ("2xy + y", ("x",), 2 * x * y + y),
        ("xyz", ("x", "y", "z"), x * y * z),
        ("xyz", ("x", "y"), sp.Symbol("xyz")),
        ("kt", ("t", "k"), k * t),
        ("ee", ("x",), sp.Symbol("ee")),  # no letter is a symbol: not e·e
        ("xy", ("xy",), sp.Symbol("xy")),  # the problem's own name stays whole
    ],
)
def test_a_word_of_known_letters_is_their_product(
    text: str, known: tuple[str, ...], expected: sp.Expr
) -> None:
    assert parse(text, known) == expected


@pytest.mark.parametrize(
    ("text", "var", "warning"),
    [
        ("2xy", "y", "'xy' is one name, not x*y; write x y or x*y if that is what you mean"),
        ("w*x + bias", "x", "'bias' is one name, not b*i*a*s; write b i a s or b*i*a*s"),
        ("ke^x", "x", "'ke' is one name, not k*e; write k e or k*e for the product"),
        ("kx^2", "x", "'kx' is one name, not k*x"),
        ("sinx", "x", "'sinx' is one name; write sin(x) or sin x for the function applied to x"),
        ("2*sinn", "x", "'sinn' is one name, not a function: did you mean sin(...)?"),
    ],
)
def test_a_multi_letter_name_taken_as_one_symbol_warns(text: str, var: str, warning: str) -> None:
    assert any(w.startswith(warning) for w in derive(text, var).warnings)
    result = CliRunner().invoke(app, ["derive", "--ascii", "--var", var, "--", text])
    assert result.exit_code == 0, result.output
    assert f"warning: {warning}" in result.stderr


@pytest.mark.parametrize("text", ["alpha*x", "x_1 + x", "x2*x", "x^2 y + 2xy", "sin x cos x"])
def test_names_that_read_as_one_symbol_by_their_look_give_no_warning(text: str) -> None:
    assert not any("one name" in w for w in derive(text).warnings)


@pytest.mark.parametrize(
    ("args", "stream", "message", "code"),
    [
        (["2*sigmoud"], "stderr", "sigmoud is not in the catalogue: did you mean sigmoid?", 0),
        (["sigmoud + 1"], "stderr", "sigmoud is not in the catalogue: did you mean sigmoid?", 0),
        (["2*sigmoud(x)"], "stderr", "unknown function 'sigmoud': did you mean sigmoid?", 2),
        (["sinn(x)+1"], "stderr", "unknown function 'sinn': did you mean sin?", 2),
        (["x + sinn x"], "stderr", "'sinn' is one name, not a function: did you mean sin", 0),
    ],
)
def test_the_typo_hint_works_inside_larger_expressions(
    args: list[str], stream: str, message: str, code: int
) -> None:
    result = CliRunner().invoke(app, ["derive", "--ascii", "--", *args])
    assert result.exit_code == code, result.output
    assert message in getattr(result, stream)


@pytest.mark.parametrize(
    ("lines", "var"),
    [
        (["x^2 y", "= 2xy"], "x"),
        (["x^2 y", "= 2 y x"], "x"),
        (["x^2 y^3", "= 3x^2y^2"], "y"),
        (["k t^2", "= 2kt"], "t"),
        (["sin(x)^2", "= 2 sin x d/dx sin x", "= 2 sin x cos x", "= sin 2x"], "x"),
        (["\\sin^2 x", "= 2\\sin x\\cos x"], "x"),
    ],
)
def test_check_reads_the_shorthands_as_the_learner_means_them(lines: list[str], var: str) -> None:
    report = check(lines, var, bounded=False)
    assert report.correct, [(line.text, line.status, line.expr) for line in report.lines]
    assert report.warnings == ()


def test_check_warns_about_a_word_taken_as_one_symbol() -> None:
    report = check(["x^2 ab", "= 2x ab"], bounded=False)
    assert report.correct
    assert report.warnings == ("'ab' is one name, not a*b; write a b or a*b for the product",)
    assert check_data(report)["warnings"] == list(report.warnings)
    result = CliRunner().invoke(app, ["check", "--ascii", "-"], input="x^2 ab\n= 2x ab\n")
    assert result.exit_code == 0, result.output
    assert "warning: 'ab' is one name, not a*b" in result.stderr


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"\sin x", "sin x"),
        (r"\sin 2x \cos x", "sin 2x cos x"),
        (r"\ln x^2", "ln x^2"),
        (r"\sin^2 x", "sin^2 x"),
        (r"e^x \sin x", "e^x sin x"),
        (r"\sin 2\pi x", "sin 2pi x"),
        (r"\sin xy", "sin x y"),  # in LaTeX, letters side by side are always a product
        (r"\tanh^{2}x", "tanh^2 x"),
    ],
)
def test_latex_and_text_read_bracketless_functions_alike(latex: str, text: str) -> None:
    assert parse(translate(latex)[0]) == parse(text)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("sin " * 400 + "x", "MAX_DEPTH"),
        ("ln^2 " * 300 + "x", "MAX_DEPTH"),
        ("y " + "xy" * 990, "MAX_NODES"),
        ("x" * 1999, "MAX_NODES"),
    ],
)
def test_long_shorthand_runs_meet_the_parser_s_limits(text: str, limit: str) -> None:
    with pytest.raises(LimitError, match=limit):
        parse(text, ("x",))


# ---- the property: a bracketless form reads as the bracketed one -----------------------------

FUNCTION_NAMES = ["sin", "cos", "tanh", "ln", "exp", "sqrt", "σ", "sigmoid", "f"]
POWERS = [("", ""), ("^2", "^2"), ("²", "^2"), ("**3", "^3")]
#: Factors that may follow one another with a space (no number after a number).
FACTORS = ["x", "y", "x^2", "(x+1)", "√x", "e^x", "x²", "π", "y³"]
COEFFICIENTS = ["", "2", "3.5"]


@st.composite
def factors(draw: st.DrawFn, first_bracket: bool = True) -> tuple[list[str], list[str]]:
    """Juxtaposed factors after an optional coefficient: as typed, and bracketed."""
    coefficient = draw(st.sampled_from(COEFFICIENTS))
    chosen = draw(st.lists(st.sampled_from(FACTORS), min_size=0 if coefficient else 1, max_size=3))
    if not first_bracket and not coefficient and chosen[0].startswith("("):
        chosen[0] = "x"  # sin (x+1) y: the brackets right after a name are its call's
    typed = [coefficient, *chosen] if coefficient else chosen
    return typed, [f"({f})" for f in typed]


@st.composite
def application(draw: st.DrawFn) -> tuple[str, str]:
    """A function written without brackets, and the same with them."""
    name = draw(st.sampled_from(FUNCTION_NAMES))
    written, power = draw(st.sampled_from(POWERS))
    if name == "f":
        written = power = ""
    typed, bracketed = draw(factors(first_bracket=False))
    return f"{name}{written} " + " ".join(typed), f"({name}({'*'.join(bracketed)}){power})"


@st.composite
def shorthand(draw: st.DrawFn) -> tuple[str, str]:
    """Sums of products: factors, then functions without brackets; and the bracketed reading.

    A factor after a bracketless function would join its argument, so functions come last.
    """
    terms = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        typed, bracketed = draw(factors()) if draw(st.booleans()) else ([], [])
        for bare, full in draw(st.lists(application(), min_size=0 if typed else 1, max_size=3)):
            typed, bracketed = [*typed, bare], [*bracketed, full]
        terms.append((" ".join(typed), "*".join(bracketed)))
    operator = draw(st.sampled_from([" + ", " - "]))
    return operator.join(t[0] for t in terms), operator.join(t[1] for t in terms)


@settings(deadline=None, max_examples=200)
@given(shorthand())
def test_a_bracketless_form_reads_as_the_bracketed_one(pair: tuple[str, str]) -> None:
    bare, bracketed = pair
    assert parse(bare, ("x", "y")) == parse(bracketed, ("x", "y")), pair
