"""Fuzzing: random text and operator soup at the parser and the command line.

Every outcome is a result or a SigderivError, within its bound: the parser runs in a bounded
worker (a time bomb is a TimeoutError, not a hung test), the command line exits 0, 2 or 3
and never shows a traceback. JSON documents from elsewhere get the same: srepr soup and
wrong types in every field of a real document, read by ``Derivation.from_json`` and, when
read, rendered, each in its bounded worker. A second fuzzer, atheris, runs on the parser and
on the JSON reader for a fixed budget when it is installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sympy as sp
from hostile import assert_safe, rendered, with_words
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sigderiv import Derivation, SigderivError, derive, render
from sigderiv.cli import app
from sigderiv.input.parse import CONSTANTS, FUNCTIONS, parse
from sigderiv.sandbox.bound import run_bounded

ROOT = Path(__file__).resolve().parent.parent

#: Seconds one fuzzed parse may take, and one fuzzed command line.
PARSE_BOUND = 5.0
CLI_BOUND = 3.0

# The parser's own tokens, and a few it refuses, to build inputs that get past the first
# character: names, numbers, operators, parentheses and the unicode people type or paste.
NAMES = sorted(FUNCTIONS) + sorted(CONSTANTS) + ["x", "y", "k", "t", "kx", "foo", "__import__"]
NUMBERS = ["0", "1", "2", "0.5", ".5", "1e3", "2e-3", "10", "99999999999", "007", "1e999"]
OPERATORS = ["+", "-", "*", "/", "^", "**", "−", "×", "·", "÷", "√", "²", "⁻¹", "³", "%", "//"]
PUNCTUATION = ["(", ")", "(", ")", ",", ".", "=", "'", "[", "]", " ", "  ", "\t"]
UNICODE = ["π", "σ", "х", "𝑥", "\u200b", "α", "ｘ", "\x00", "\u202e", "\x1b", "é"]
# The shorthands of issue 17: bracketless functions, powers on their names, juxtaposed words.
SHORTHANDS = ["sin ", "ln ", "sin^2 ", "cos² ", "e^x ", " x", " y", "xy", "2xy", "xyz", " "]
TOKENS = NAMES + NUMBERS + OPERATORS + PUNCTUATION + UNICODE + SHORTHANDS

soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map("".join)
#: Mostly shorthands, so the new reading rules get most of the examples.
shorthand_soup = st.lists(
    st.sampled_from(SHORTHANDS * 4 + ["x", "y", "2", "(", ")", "+", "-", "*", "/", "^", ","]),
    min_size=1,
    max_size=30,
).map("".join)
text = st.text(max_size=40)

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def parse_bounded(source: str, known: tuple[str, ...] = ()) -> sp.Expr | SigderivError:
    """Parse ``source`` in a bounded worker; return the expression or the SigderivError."""
    try:
        return run_bounded(lambda: parse(source, known), PARSE_BOUND, what="parsing")
    except SigderivError as error:
        return error


def assert_parse_outcome(source: str, known: tuple[str, ...] = ()) -> None:
    """A result or a SigderivError, and an error points into the text."""
    started = time.monotonic()
    got = parse_bounded(source, known)
    assert time.monotonic() - started < PARSE_BOUND + 2
    if isinstance(got, SigderivError):
        assert str(got)
        position = getattr(got, "position", None)
        assert position is None or 0 <= position <= len(source)
    else:
        assert isinstance(got, sp.Expr)


@settings(FUZZ, max_examples=150)
@given(text)
def test_random_text_at_the_parser(source: str) -> None:
    assert_parse_outcome(source)


@settings(FUZZ, max_examples=250)
@given(soup)
def test_operator_soup_at_the_parser(source: str) -> None:
    assert_parse_outcome(source)


@settings(FUZZ, max_examples=150)
@given(shorthand_soup, st.sampled_from([(), ("x",), ("x", "y")]))
def test_shorthand_soup_at_the_parser(source: str, known: tuple[str, ...]) -> None:
    assert_parse_outcome(source, known)


@settings(FUZZ, max_examples=40)
@given(st.one_of(soup, shorthand_soup, text))
def test_fuzz_at_the_command_line(source: str) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(
        app,
        ["derive", "--ascii", "--timeout", str(CLI_BOUND), "--", source],
        env={"COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert time.monotonic() - started < CLI_BOUND + 5
    assert result.exit_code in (0, 2, 3), (source, result.stderr)
    assert "Traceback" not in result.output
    if result.exit_code:
        assert result.stdout == ""
        assert result.stderr.startswith("error: ")


# ---- JSON documents from elsewhere --------------------------------------------------------

#: Seconds one fuzzed document may take to read, and to render.
LOAD_BOUND = 5.0
RENDER_BOUND = 5.0

X = "Symbol('x')"
SREPR_TOKENS = [
    *("Add(", "Mul(", "Pow(", "sin(", "exp(", "log(", "sigma(", "Derivative(", "Tuple(", "Subs("),
    *("polygamma(", "Piecewise(", "ExprCondPair(", "StrictLessThan(", "And(", "Lambda(", "Str("),
    *("UnevaluatedExpr(", "Paren(", "Function('f')(", "Float(", "Rational(", "Integer("),
    *(X, X, "Symbol('y')", "Integer(2)", "Integer(-1)", "Integer(10)", "Integer(1000000000)"),
    *("Float('1e999999')", "Float('0.5')", "'x'", "'1e99'", "true", "oo", "nan", "zoo", "pi"),
    *(", ", ", ", ")", ")", ")", "(", " ", "precision=53", "evaluate=False", "**", "__import__"),
]
srepr_soup = st.lists(st.sampled_from(SREPR_TOKENS), min_size=1, max_size=30).map("".join)
JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def document() -> dict:
    """A real document with every kind of field: steps, substeps, checks, definitions."""
    return json.loads(derive("sigmoid").to_json())


def _expressions(data: dict) -> list[dict]:
    """Every {"srepr", "latex", "text"} object of a document, in a fixed order."""
    found: list[dict] = []
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "srepr" in node:
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _containers(data: dict) -> list[tuple[dict, str]]:
    """Every (object, key) of a document, to put a wrong value in."""
    found: list[tuple[dict, str]] = []
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found += [(node, key) for key in node]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def assert_document_outcome(text: str) -> None:
    """A Derivation that renders (or a SigderivError), every step within its bound."""
    started = time.monotonic()
    try:
        loaded = Derivation.from_json(text, timeout=LOAD_BOUND)
    except SigderivError as error:
        assert str(error)
        return
    finally:
        assert time.monotonic() - started < LOAD_BOUND + 2
    for fmt in ("text", "json", "html"):
        started = time.monotonic()
        try:
            shown = render(loaded, fmt, timeout=RENDER_BOUND)
        except SigderivError as error:
            assert str(error)
            continue
        assert time.monotonic() - started < RENDER_BOUND + 2
        assert isinstance(shown, str)
        if fmt == "json":
            assert "NaN" not in shown and "Infinity" not in shown


@settings(FUZZ, max_examples=60)
@given(data=st.data(), soup=srepr_soup)
def test_srepr_soup_in_every_expression_of_a_document(document, data, soup: str) -> None:
    changed = json.loads(json.dumps(document))
    targets = _expressions(changed)
    target = data.draw(st.sampled_from(targets))
    target["srepr"] = soup
    assert_document_outcome(json.dumps(changed))


@settings(FUZZ, max_examples=60)
@given(data=st.data(), value=JSON_VALUES)
def test_wrong_values_in_every_field_of_a_document(document, data, value: object) -> None:
    changed = json.loads(json.dumps(document))
    owner, key = data.draw(st.sampled_from(_containers(changed)))
    owner[key] = value
    assert_document_outcome(json.dumps(changed))


ATHERIS_HARNESS = textwrap.dedent(
    """
    import sys

    import atheris
    import sympy  # imported before instrumentation: only sigderiv is instrumented

    with atheris.instrument_imports():
        from sigderiv.errors import SigderivError
        from sigderiv.input.parse import parse

    KNOWN = [(), ("x",), ("x", "y")]  # the variable, and a problem's symbols: 2xy is 2·x·y


    def one_input(data: bytes) -> None:
        fuzzed = atheris.FuzzedDataProvider(data)
        known = KNOWN[fuzzed.ConsumeIntInRange(0, len(KNOWN) - 1)]
        text = fuzzed.ConsumeUnicodeNoSurrogates(120)
        try:
            parse(text, known)
        except SigderivError:
            pass


    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
    """
)


def _fuzz(tmp_path: Path, name: str, harness_text: str, seeds: list[str]) -> None:
    """Run an atheris harness for a fixed budget on a seed corpus; it must end cleanly."""
    harness = tmp_path / name
    harness.write_text(harness_text)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, seed in enumerate(seeds):
        (corpus / f"seed{i}").write_text(seed)
    done = subprocess.run(
        [
            sys.executable,
            str(harness),
            "-runs=3000",
            "-max_total_time=8",
            "-timeout=10",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_atheris_on_the_parser(tmp_path: Path) -> None:
    """Coverage-guided fuzzing for a fixed budget; any other exception is a crash."""
    pytest.importorskip("atheris")
    seeds = ["1/(1+e^(-x))", "sin²(x)cos(x)", "√(x+1)×2π", "log(x, 2)"]
    seeds += ["sin x cos x", "sin^2 x + ln ln x", "e^x sin 2x", "x^2 y + 2xy", "sin²x y³"]
    _fuzz(tmp_path, "fuzz_parse.py", ATHERIS_HARNESS, seeds)


#: Characters that try to leave a text field: line breaks, controls, bidi, markup of each format.
ESCAPES = ["\n", "\r", "\x85", "\u2028", "\x1b", "\x9b", "\u202e", "\x07", "\x00", "\t"]
MARKUP = ["[", "]", "[/]", "[link=x]", "%", "\\", "{", "}", "$", "#", "`", "*", "_", "<", "&"]
WORDS = ["input", "write18", "immediate", "a", " ", "σ", "x"]
hostile_words = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(ESCAPES + MARKUP + WORDS), max_size=20).map("".join),
)


@pytest.fixture(scope="module")
def clean_sigmoid():
    sigmoid = derive("sigmoid")
    return sigmoid, rendered(with_words(sigmoid, "plain words"))


@settings(FUZZ, max_examples=60)
@given(words=hostile_words)
def test_fuzz_every_text_field_of_a_derivation(words: str, clean_sigmoid) -> None:
    """Titles, explanations, check methods and details, warnings and the name: any words
    render in every format, and none escapes its field."""
    sigmoid, clean = clean_sigmoid
    for label, output in rendered(with_words(sigmoid, words)).items():
        assert_safe(label, output, clean[label])


ATHERIS_JSON_HARNESS = textwrap.dedent(
    """
    import json
    import sys

    import atheris
    import sympy  # imported before instrumentation: only sigderiv is instrumented

    with atheris.instrument_imports():
        from sigderiv import Derivation, derive
        from sigderiv.errors import SigderivError

    DOCUMENT = json.loads(derive("x^2", bounded=False).to_json())


    def one_input(data: bytes) -> None:
        fuzzed = atheris.FuzzedDataProvider(data)
        document = json.loads(json.dumps(DOCUMENT))
        where = fuzzed.ConsumeIntInRange(0, 3)
        srepr = fuzzed.ConsumeUnicodeNoSurrogates(200)
        if where == 0:
            document["function"]["srepr"] = srepr
        elif where == 1:
            document["steps"][0]["after"]["srepr"] = srepr
        elif where == 2:
            document["result"]["srepr"] = srepr
        else:
            text = srepr  # the whole document
        if where < 3:
            text = json.dumps(document)
        try:
            Derivation.from_json(text, bounded=False)
        except SigderivError:
            pass


    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
    """
)


def test_atheris_on_the_json_reader(tmp_path: Path) -> None:
    """Coverage-guided fuzzing of from_json (in-process, so a slow input is a crash too)."""
    pytest.importorskip("atheris")
    seeds = ["\x00Pow(Symbol('x'), Integer(2))", "\x01Float('1e99')", "\x02sin(Symbol('x'))"]
    _fuzz(tmp_path, "fuzz_json.py", ATHERIS_JSON_HARNESS, seeds)
