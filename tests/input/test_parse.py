"""Tests for sigderiv.input.parse: accepted and refused inputs with positions, limits, safety."""

from __future__ import annotations

import ast
import builtins
import sys
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sigderiv.errors import LimitError, ParseError, SigderivError
from sigderiv.expr.functions import sigma
from sigderiv.input import parse as parse_module
from sigderiv.input import shorthand as shorthand_module
from sigderiv.input import tokens as tokens_module
from sigderiv.input import vocabulary as vocabulary_module
from sigderiv.input.parse import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, parse

x, y, z, k, a, b, c = sp.symbols("x y z k a b c")

ACCEPTED: list[tuple[str, sp.Expr]] = [
    # atoms, numbers and floats as exact rationals
    ("x", x),
    ("  x\t", x),
    ("42", sp.Integer(42)),
    ("007", sp.Integer(7)),
    ("0.5", sp.Rational(1, 2)),
    (".25", sp.Rational(1, 4)),
    ("2.", sp.Integer(2)),
    ("1e-3", sp.Rational(1, 1000)),
    ("2.5E3", sp.Integer(2500)),
    ("1.5e+2", sp.Integer(150)),
    ("0.1 + 0.2", sp.Rational(3, 10)),
    ("9" * 100, sp.Integer(int("9" * 100))),
    ("x_1", sp.Symbol("x_1")),
    ("x2", sp.Symbol("x2")),
    ("kx", sp.Symbol("kx")),
    ("alpha", sp.Symbol("alpha")),
    ("I", sp.Symbol("I")),
    # operators
    ("x + y - z", x + y - z),
    ("a/b/c", a / b / c),
    ("1/2 x", x / 2),
    ("x^2", x**2),
    ("x**2", x**2),
    ("x^-1", 1 / x),
    ("2^3^2", sp.Integer(512)),
    ("-x^2", -(x**2)),
    ("--x", x),
    ("+x", x),
    ("2*-x", -2 * x),
    ("x\n+ 1", x + 1),
    # constants and e-powers
    ("pi", sp.pi),
    ("π", sp.pi),
    ("e", sp.E),
    ("E", sp.E),
    ("e^(-x)", sp.exp(-x)),
    ("e**x", sp.exp(x)),
    ("E^x", sp.exp(x)),
    ("1/(1+e^(-x))", 1 / (1 + sp.exp(-x))),
    ("1/(1+e^-x)", 1 / (1 + sp.exp(-x))),
    ("1 / (1 + exp(-x))", 1 / (1 + sp.exp(-x))),
    # functions and aliases
    ("exp(-x)", sp.exp(-x)),
    ("log(x)", sp.log(x)),
    ("ln(x)", sp.log(x)),
    ("log(x, 2)", sp.log(x, 2)),
    ("sqrt(x)", sp.sqrt(x)),
    ("cbrt(x)", sp.cbrt(x)),
    ("root(x, 3)", sp.root(x, 3)),
    ("sin(x) + cos(x) + tan(x)", sp.sin(x) + sp.cos(x) + sp.tan(x)),
    ("cot(x) + sec(x) + csc(x)", sp.cot(x) + sp.sec(x) + sp.csc(x)),
    ("asin(x) + arcsin(y)", sp.asin(x) + sp.asin(y)),
    ("acos(x) + arccos(y)", sp.acos(x) + sp.acos(y)),
    ("atan(x) + arctan(y)", sp.atan(x) + sp.atan(y)),
    ("acot(x) + asec(x) + acsc(x)", sp.acot(x) + sp.asec(x) + sp.acsc(x)),
    ("sinh(x) + cosh(x) + tanh(x)", sp.sinh(x) + sp.cosh(x) + sp.tanh(x)),
    ("coth(x) + sech(x) + csch(x)", sp.coth(x) + sp.sech(x) + sp.csch(x)),
    ("asinh(x) + acosh(x) + atanh(x)", sp.asinh(x) + sp.acosh(x) + sp.atanh(x)),
    ("acoth(x) + asech(x) + acsch(x)", sp.acoth(x) + sp.asech(x) + sp.acsch(x)),
    ("arctanh(x)", sp.atanh(x)),
    ("erf(x)", sp.erf(x)),
    ("abs(x) + Abs(y)", sp.Abs(x) + sp.Abs(y)),
    ("sign(x)", sp.sign(x)),
    ("sigmoid(x)", sigma(x)),
    ("sigma(x)", sigma(x)),
    ("σ(x)", sigma(x)),
    ("logistic(x)", sigma(x)),
    ("sigmoid(k*x)", sigma(k * x)),
    ("σ(k x)", sigma(k * x)),
    ("sigmoid(x)(1 - sigmoid(x))", sigma(x) * (1 - sigma(x))),
    ("sin(cos(x))", sp.sin(sp.cos(x))),
    ("sin^2(x)", sp.sin(x) ** 2),
    ("sin²(x)", sp.sin(x) ** 2),
    ("2cos^2(3x)", 2 * sp.cos(3 * x) ** 2),
    ("sin²(cos²(x))", sp.sin(sp.cos(x) ** 2) ** 2),
    # unicode operators
    ("x−1", x - 1),
    ("x–1", x - 1),
    ("2×x", 2 * x),
    ("2·x", 2 * x),
    ("2⋅x", 2 * x),
    ("2∗x", 2 * x),
    ("x÷2", x / 2),
    ("x²", x**2),
    ("x³", x**3),
    ("x¹⁰", x**10),
    ("x⁻¹", 1 / x),
    ("(x+1)²", (x + 1) ** 2),
    ("2x²", 2 * x**2),
    ("x²y", x**2 * y),
    ("e^x²", sp.exp(x**2)),
    ("√x", sp.sqrt(x)),
    ("√(x+1)", sp.sqrt(x + 1)),
    ("2√x", 2 * sp.sqrt(x)),
    ("√2x", sp.sqrt(2) * x),
    ("x√y", x * sp.sqrt(y)),
    ("√x²", sp.sqrt(x**2)),
    ("√8", 2 * sp.sqrt(2)),
    ("x\u00a0+\u20091", x + 1),
    ("2πx", 2 * sp.pi * x),
    # implicit multiplication
    ("2x", 2 * x),
    ("2(x+1)", 2 * (x + 1)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x(x+1)", x * (x + 1)),
    ("(x+1)x", x * (x + 1)),
    ("(x+1)2", 2 * (x + 1)),
    ("(x)(2)", 2 * x),
    ("2 sin(x)", 2 * sp.sin(x)),
    ("2sin(x)", 2 * sp.sin(x)),
    ("sin(x)cos(x)", sp.sin(x) * sp.cos(x)),
    ("2pi", 2 * sp.pi),
    ("2π", 2 * sp.pi),
    ("pi(x+1)", sp.pi * (x + 1)),
    ("e(x+1)", sp.E * (x + 1)),
    ("3e^x", 3 * sp.exp(x)),
    ("2e-x", 2 * sp.E - x),
    ("2e-3x", x / 500),
    ("k x", k * x),
    ("2 x y", 2 * x * y),
    ("x sigmoid(x)", x * sigma(x)),
    ("x" + "+x" * 999, 1000 * x),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted(text: str, expected: sp.Expr) -> None:
    assert parse(text) == expected


def test_symbols_are_plain() -> None:
    parsed = parse("x")
    assert parsed == sp.Symbol("x")
    assert parsed.assumptions0 == sp.Symbol("x").assumptions0


def test_functions_table_entries_parse() -> None:
    for name, (function, arities) in FUNCTIONS.items():
        if name == "piecewise":
            continue  # its arguments are values and conditions: tests/input/test_pieces.py
        arguments = ", ".join(["x", "2", "3", "4"][: arities[0]])
        values = [x, sp.Integer(2), sp.Integer(3), sp.Integer(4)][: arities[0]]
        assert parse(f"{name}({arguments})") == function(*values), name


REFUSED: list[tuple[str, str, int]] = [
    ("", "empty input", 0),
    ("   ", "empty input", 0),
    ("x.__class__", "attribute access is not allowed", 1),
    ("(x).real", "attribute access is not allowed", 3),
    ("x.5", "attribute access is not allowed", 1),
    ("__import__('os').system('ls')", "names starting with '_'", 0),
    ("2 + _x", "names starting with '_'", 4),
    ("lambda: 1", "lambda", 0),
    ("[x for x in y]", "square brackets", 0),
    ("x[0]", "square brackets", 1),
    ("sin(x for x in y)", "comprehensions", 6),
    ("'abc'", "strings are not allowed", 0),
    ('x + "1"', "strings are not allowed", 4),
    ("{x}", "braces", 0),
    ("x < 1", "a comparison is only allowed as a condition of piecewise", 2),
    ("x >= 1", "a comparison is only allowed as a condition of piecewise", 2),
    ("x == 1", "comparisons are not allowed", 2),
    ("x != 1", "comparisons are not allowed", 2),
    ("x in y", "comparisons are not allowed", 2),
    ("x and y", "boolean operators", 2),
    ("x or y", "boolean operators", 2),
    ("not x", "boolean operators", 0),
    ("x if y else z", "conditional expressions", 2),
    ("None", "keyword", 0),
    ("x = 1", "'=' is not allowed", 2),
    ("(y := 1)", "assignment expressions", 3),
    ("foo(x)", "unknown function 'foo'", 0),
    ("2 + Sin(x)", "unknown function 'Sin'", 4),
    ("sin(x, y)", "sin takes 1 argument, not 2", 0),
    ("x + log(x, 2, 3)", "log takes 1 or 2 arguments, not 3", 4),
    ("root(x)", "root takes 2 arguments, not 1", 0),
    ("sin()", "sin takes 1 argument, not 0", 0),
    ("log(x, base=2)", "keyword arguments are not allowed", 11),
    ("sin(*x)", "starred arguments", 4),
    ("log(x, *y)", "starred arguments", 7),
    ("х + 1", "character 'х' (CYRILLIC SMALL LETTER HA, U+0445) is not allowed", 0),
    ("1 + 𝑥", "MATHEMATICAL ITALIC SMALL X, U+1D465", 4),
    ("α + 1", "GREEK SMALL LETTER ALPHA, U+03B1", 0),
    ("x\u200b+1", "ZERO WIDTH SPACE, U+200B", 1),
    ("x\u200d+1", "ZERO WIDTH JOINER, U+200D", 1),
    ("\ufeffx", "ZERO WIDTH NO-BREAK SPACE, U+FEFF", 0),
    ("x\u202e+1", "RIGHT-TO-LEFT OVERRIDE, U+202E", 1),
    ("x\x00", "control character, U+0000", 1),
    ("ˣ", "MODIFIER LETTER SMALL X, U+02E3", 0),
    ("x⁻", "SUPERSCRIPT MINUS", 1),
    ("x % 2", "PERCENT SIGN", 2),
    ("x & y", "bitwise operators", 2),
    ("~x", "bitwise operators", 0),
    ("(x+1", "'(' is never closed", 0),
    ("((x)", "'(' is never closed", 0),
    ("x+1)", "unmatched ')'", 3),
    ("x+", "missing operand after '+'", 1),
    ("x^", "missing operand after '^'", 1),
    ("x**", "missing operand after '**'", 1),
    ("2*(x-)", "missing operand after '-'", 4),
    ("*x", "missing operand before '*'", 0),
    ("x + * y", "missing operand before '*'", 4),
    ("x // 2", "missing operand before '/'", 3),
    ("²", "missing operand before '²'", 0),
    ("√", "missing operand after '√'", 0),
    ("exp", "exp is a function; write exp(...)", 0),
    ("2 sin", "sin is a function; write sin(...)", 2),
    ("sin -x", "sin is a function", 0),
    ("σ", "σ is a function", 0),
    ("()", "empty parentheses", 0),
    ("x, y", "commas are only allowed between function arguments", 1),
    ("(x, y)", "commas are only allowed between function arguments", 2),
    ("log(x,)", "missing argument after ','", 5),
    ("log(,x)", "missing argument before ','", 4),
    ("log(x+,2)", "missing operand after '+'", 5),
    ("2 3", "missing operator between two numbers", 2),
    ("1.2.3", "malformed number", 3),
    (".²", "unexpected '.'", 0),
    ("sin^-1(x)", "ambiguous", 3),
    ("1/0", "division by zero", 1),
    ("x/(1-1)", "division by zero", 1),
    ("0^-1", "division by zero", 1),
    ("log(0)", "undefined", 0),
    ("1 + tan(pi/2)", "undefined", 4),
    ("log(x, 1)", "base must be positive and not 1", 7),
]


@pytest.mark.parametrize(("text", "fragment", "position"), REFUSED)
def test_refused(text: str, fragment: str, position: int) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in info.value.message
    assert info.value.position == position
    assert info.value.text == text


LIMITS: list[tuple[str, str]] = [
    ("x" * (MAX_LENGTH + 1), "MAX_LENGTH = 2000"),
    ("9" * 200, "MAX_DIGITS = 100"),
    ("0." + "1" * 101, "MAX_DIGITS = 100"),
    ("1e999", "MAX_DIGITS = 100"),
    ("(" * 500 + "x" + ")" * 500, "MAX_DEPTH = 60"),
    ("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH, "MAX_DEPTH = 60"),
    ("sin(" * 70 + "x" + ")" * 70, "MAX_DEPTH = 60"),
    ("-" * 100 + "x", "MAX_DEPTH = 60"),
    ("x^" * 70 + "x", "MAX_DEPTH = 60"),
    ("√" * 70 + "x", "MAX_DEPTH = 60"),
    ("2π" * 1000, "MAX_NODES = 2000"),
    ("x**99999", "MAX_EXPONENT = 10000"),
    ("x^-10001", "MAX_EXPONENT = 10000"),
    ("x^(10^5)", "MAX_EXPONENT = 10000"),
    ("root(x, 1/100000)", "MAX_EXPONENT = 10000"),
    ("2^10000^10000", "MAX_NUMBER_DIGITS = 4000"),
    ("10^4000", "MAX_NUMBER_DIGITS = 4000"),
    ("2^9000 * 2^9000", "MAX_NUMBER_DIGITS = 4000"),
    ("sqrt(3^1000 + 1)", "MAX_DIGITS = 100"),
    ("√(3^1000 + 1)", "MAX_DIGITS = 100"),
    ("(3^1000 + 1)^0.5", "MAX_DIGITS = 100"),
    ("exp(log(3^1000 + 1)/2)", "MAX_DIGITS = 100"),
    ("exp(10000*log(10^99 + 1))", "MAX_NUMBER_DIGITS = 4000"),
    ("((10^99 + 1)^(1/2))^10000", "MAX_NUMBER_DIGITS = 4000"),
]


@pytest.mark.parametrize(("text", "fragment"), LIMITS)
def test_limits(text: str, fragment: str) -> None:
    with pytest.raises(LimitError, match=fragment.replace("^", r"\^")):
        parse(text)


def test_depth_just_under_the_limit() -> None:
    depth = MAX_DEPTH - 1
    assert parse("(" * depth + "x" + ")" * depth) == x


@pytest.mark.parametrize("error", [RecursionError, MemoryError])
def test_parser_exhaustion_becomes_limit_error(
    monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    def explode(*args: object, **kwargs: object) -> ast.AST:
        raise error

    monkeypatch.setattr(parse_module.ast, "parse", explode)
    with pytest.raises(LimitError, match="MAX_DEPTH"):
        parse("x + 1")


def test_python_syntax_error_maps_to_original_column(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: str, *args: object, **kwargs: object) -> ast.AST:
        raise SyntaxError("invalid syntax", ("<unknown>", 1, source.index("+") + 1, source))

    monkeypatch.setattr(parse_module.ast, "parse", refuse)
    with pytest.raises(ParseError) as info:
        parse("2x  + 1")
    assert info.value.position == 4


def test_whitelist_refuses_foreign_nodes() -> None:
    for source in ("_0.real", "_0[0]", "_0 < 1", "_0 % 2", "'s'", "1", "_0(_0)"):
        builder = parse_module._Builder(
            "x", source, [0] * len(source), [parse_module._Token("name", "x", "x", 0)]
        )
        with pytest.raises(ParseError, match=r"not allowed|only named functions"):
            builder.build(ast.parse(source, mode="eval"))


def test_caret_points_at_the_users_character() -> None:
    with pytest.raises(ParseError) as info:
        parse("π·x + fоо(x)")  # Cyrillic 'о'
    assert info.value.caret() == "π·x + fоо(x)\n       ^"


SAFE_INPUTS = [
    "1/(1+e^-x)",
    "sigmoid(k x) + σ(x)²",
    "0.5x − 1e-3",
    "√(x+1) × 2π",
    "log(x, 2) + sin^2(x)",
    "x(x+1)(x-1)",
]


def test_never_uses_eval_exec_or_sympify(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def forbidden(name: str) -> object:
        def refuse(*args: object, **kwargs: object) -> object:
            calls.append(name)
            raise AssertionError(f"{name} was called")

        return refuse

    def no_strings(name: str, original: object) -> object:
        # SymPy's own operators call sympify on SymPy objects; only strings are forbidden.
        def guarded(value: object = None, *args: object, **kwargs: object) -> object:
            if isinstance(value, str):
                calls.append(name)
                raise AssertionError(f"{name} was called with a string")
            return original(value, *args, **kwargs)  # type: ignore[operator]

        return guarded

    sympify_module = sys.modules["sympy.core.sympify"]
    monkeypatch.setattr(builtins, "eval", forbidden("eval"))
    monkeypatch.setattr(builtins, "exec", forbidden("exec"))
    monkeypatch.setattr(sp, "sympify", no_strings("sympy.sympify", sp.sympify))
    monkeypatch.setattr(sympify_module, "sympify", no_strings("sympify", sympify_module.sympify))
    monkeypatch.setattr(sp, "parse_expr", forbidden("parse_expr"))
    monkeypatch.setattr(
        sys.modules["sympy.parsing.sympy_parser"], "parse_expr", forbidden("parse_expr")
    )
    for text in SAFE_INPUTS:
        assert isinstance(parse(text), sp.Basic)
    assert calls == []


@pytest.mark.parametrize(
    "module", [parse_module, tokens_module, vocabulary_module, shorthand_module]
)
def test_source_has_no_string_evaluators(module: object) -> None:
    source = Path(module.__file__).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    forbidden = {"eval", "exec", "compile", "sympify", "parse_expr", "S", "Float", "symbols"}
    used: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.alias):
            used.add(node.asname or node.name)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("sp", "sympy", "builtins")
        ):
            used.add(node.attr)
    assert not used & forbidden


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_arbitrary_text_parses_or_raises_our_errors(text: str) -> None:
    try:
        result = parse(text)
    except SigderivError:
        return
    assert isinstance(result, sp.Basic)


@settings(deadline=None, max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [*"xk2.9()+-*/^, eE", "sin", "log", "π", "σ", "√", "²", "⁻", "0", "y", "xy", "ln "]
        )
    ).map("".join)
)
def test_expression_like_text_parses_or_raises_our_errors(text: str) -> None:
    try:
        result = parse(text)
    except SigderivError:
        return
    assert isinstance(result, sp.Basic)


# ---- issue 17: undefined values and a logarithm's base ------------------------------------

UNDEFINED: list[tuple[str, str, int]] = [
    ("zoo", "zoo is complex infinity, not a number: it has no derivative", 0),
    ("x + zoo", "zoo is complex infinity", 4),
    ("nan", "nan is 'not a number', an undefined value", 0),
    ("2*NaN", "NaN is 'not a number'", 2),
    ("oo", "oo is infinity, not a number: it has no derivative", 0),
    ("-oo", "oo is infinity", 1),
    ("x^oo", "oo is infinity", 2),
    ("inf", "inf is infinity", 0),
    ("sin(Inf)", "Inf is infinity", 4),
    ("1/infinity", "infinity is infinity", 2),
    ("Infinity - x", "Infinity is infinity", 0),
    ("3oo", "oo is infinity", 1),
    ("log(x, 0)", "a logarithm's base must be positive and not 1 (here it is 0)", 7),
    ("log(x, -2)", "a logarithm's base must be positive and not 1 (here it is -2)", 7),
    ("log(x, 1)", "a logarithm's base must be positive and not 1 (here it is 1)", 7),
    ("x + log(x,2-1)", "base must be positive and not 1 (here it is 1)", 10),
    ("log(x, cos(0))", "(here it is 1)", 7),
    ("log(x, sin(1) - 1)", "base must be positive", 7),
    ("log(x, sqrt(-1))", "(here it is I)", 7),
]


@pytest.mark.parametrize(("text", "fragment", "position"), UNDEFINED)
def test_undefined_values_and_bad_bases_are_refused(
    text: str, fragment: str, position: int
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in info.value.message
    assert info.value.position == position


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log(x, a)", sp.log(x) / sp.log(a)),  # a symbolic base stays allowed
        ("log(x, 2)", sp.log(x) / sp.log(2)),
        ("log(x, 1/2)", -sp.log(x) / sp.log(2)),
        ("log(x, e)", sp.log(x)),
        ("log(x, pi - 3)", sp.log(x) / sp.log(sp.pi - 3)),
        ("info + oops + nano", sp.Symbol("info") + sp.Symbol("oops") + sp.Symbol("nano")),
    ],
)
def test_good_bases_and_longer_names_are_accepted(text: str, expected: sp.Expr) -> None:
    assert parse(text) == expected


# ---- issue 17: unknown functions close to a known one -------------------------------------

UNKNOWN_FUNCTIONS: list[tuple[str, str]] = [
    ("sinn(x)", "unknown function 'sinn': did you mean sin?"),
    ("x + coss(x)", "unknown function 'coss': did you mean cos?"),
    ("Sin(x)", "unknown function 'Sin': did you mean sin?"),
    ("Exp(2x)", "unknown function 'Exp': did you mean exp?"),
    ("tanhh(x)", "unknown function 'tanhh': did you mean tanh?"),
    ("sigmoud(x)", "unknown function 'sigmoud': did you mean sigmoid?"),
    ("softpls(x)", "unknown function 'softpls': did you mean softplus?"),
    ("sqr(x)", "unknown function 'sqr': did you mean sqrt?"),
    ("foo(x)", "unknown function 'foo' (write foo*(...) to multiply)"),
    ("ab(x)", "unknown function 'ab' (write ab*(...) to multiply)"),  # too short to guess
    ("beta(x + 1)", "unknown function 'beta': did you mean Beta?"),
    ("gammma(x)", "unknown function 'gammma': did you mean Gamma?"),
]


@pytest.mark.parametrize(("text", "message"), UNKNOWN_FUNCTIONS)
def test_unknown_function_names_the_close_one(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.message == message
    assert "did you mean" not in message or "to multiply" not in info.value.message
