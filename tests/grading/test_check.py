"""sigderiv.check and `sigderiv check`: a learner's derivation, line by line.

The gallery in tests/grading/check_gallery/ holds one derivation per file, plain text or LaTeX, each
with its expectations in ``# expect:`` header comments (which the checker skips like any
comment): ``first_error=N slip=KIND hint="words the hint must contain"``, ``line N carried``
for a later line that only carries the error, or ``correct`` and ``rules=...`` for a
derivation that is right throughout.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

import pytest
import sympy as sp
from typer.testing import CliRunner

import sigderiv
from sigderiv import ParseError, Rule, check
from sigderiv.cli import app
from sigderiv.formats.check_view import check_data, check_text
from sigderiv.grading.check import Report, Verdict
from sigderiv.grading.slips import KINDS
from sigderiv.model.steps import Check, CheckStatus

GALLERY = sorted((Path(__file__).parent / "check_gallery").glob("*.txt"))
runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

SIGMOID_WRONG = """\
1/(1+e^(-x))
= (0·(1+e^(−x)) − 1·e^(−x))/(1+e^(−x))²
= −e^(−x)/(1+e^(−x))²
"""


def expectations(text: str) -> dict[str, object]:
    """Read the ``# expect:`` header of a gallery file."""
    found: dict[str, object] = {"carried": []}
    for line in text.splitlines():
        if not line.startswith("# expect:"):
            continue
        said = line.removeprefix("# expect:").strip()
        if said == "correct":
            found["correct"] = True
        elif said.startswith("rules="):
            found["rules"] = said.removeprefix("rules=").split(",")
        elif match := re.fullmatch(r"line (\d+) carried", said):
            found["carried"].append(int(match.group(1)))
        else:
            match = re.fullmatch(r'first_error=(\d+) slip=(\w+) hint="([^"]*)"', said)
            assert match is not None, f"unreadable expectation: {line}"
            found["first_error"] = int(match.group(1))
            found["slip"] = match.group(2)
            found["hint"] = match.group(3)
    return found


def run(*args: str, input: str | None = None):  # noqa: A002 - CliRunner's own name
    return runner.invoke(app, ["check", *args], env=ENV, input=input)


# ---- the gallery ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GALLERY, ids=lambda p: p.stem)
def test_gallery(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = expectations(text)
    report = check(text)
    if expected.get("correct"):
        assert report.first_error is None
        assert all(line.status is Verdict.CORRECT for line in report.lines), check_text(report)
        if "rules" in expected:
            assert [str(line.rule) for line in report.lines] == expected["rules"]
        return
    assert report.first_error == expected["first_error"], check_text(report)
    before = [line for line in report.lines if line.number < report.first_error]
    assert all(line.status is Verdict.CORRECT for line in before)
    first = next(line for line in report.lines if line.number == report.first_error)
    assert first.status is Verdict.WRONG
    assert first.slip == expected["slip"], first.hint
    assert expected["hint"] in first.hint
    assert first.rule is None
    example = first.counterexample
    assert example is not None and example.line != example.derivative
    assert example.point and example.point[0][0] == "x"
    for number in expected["carried"]:
        later = next(line for line in report.lines if line.number == number)
        assert later.status is Verdict.WRONG and later.slip == "carried"


def test_the_gallery_covers_the_brief() -> None:
    names = {p.stem.split("_")[0] for p in GALLERY}
    assert {"sigmoid", "tanh", "softplus", "product", "power", "log", "exp", "sqrt"} <= names
    slips = {expectations(p.read_text(encoding="utf-8")).get("slip") for p in GALLERY}
    wanted = {
        "lost_sign",
        "missing_chain_factor",
        "wrong_power",
        "quotient_order",
        "inner_not_differentiated",
        "constant_factor",
    }
    assert wanted <= slips
    assert slips - {None} <= set(KINDS)


# ---- right derivations ------------------------------------------------------------------------


def test_a_right_derivation_names_each_move() -> None:
    report = check(["f(x) = x^3 + 2x", "f'(x) = 3x^2 + 2"])
    assert report.correct and report.first_error is None
    (line,) = report.lines
    assert line.number == 2 and line.status == "correct"
    assert line.rule is Rule.SUM_RULE
    assert line.expr == 3 * sp.Symbol("x") ** 2 + 2


@pytest.mark.parametrize(
    "first",
    [
        "d/dx (x^2 sin(x))",
        "d/dx[x^2 sin(x)]",
        "(d/dx) x^2 sin(x)",
        "(d/dx)(x^2 sin(x))",
        "y = x^2 sin(x)",
        r"\frac{d}{dx}\left(x^{2}\sin x\right)",
        r"\frac{\mathrm{d}}{\mathrm{d}x} x^2 \sin(x)",
    ],
)
def test_the_first_line_in_every_notation(first: str) -> None:
    x = sp.Symbol("x")
    report = check([first, "= 2x sin(x) + x^2 cos(x)"])
    assert report.function == x**2 * sp.sin(x)
    assert report.correct


def test_latex_and_plain_text_mix_and_catalogue_names() -> None:
    report = check(
        [
            "sigmoid",
            r"\sigma\left(x\right)\left(1-\sigma\left(x\right)\right)",
            "= σ(x) − σ(x)²",
            r"= \frac{e^{-x}}{\left(1+e^{-x}\right)^2}",
        ]
    )
    assert report.function == sigderiv.sigma(sp.Symbol("x"))
    assert [line.status for line in report.lines] == [Verdict.CORRECT] * 3
    assert report.lines[0].rule is Rule.NAMED_FUNCTION_RULE


def test_several_forms_on_one_line_share_its_number() -> None:
    report = check("x^2 = d/dx x^2 = 2x = 2·x^1\n# a comment\n\n= 2x + 0")
    assert [line.number for line in report.lines] == [1, 1, 4]
    assert report.lines[0].text == "2x"
    assert report.correct


def test_pending_derivatives_in_a_line() -> None:
    report = check(
        [
            "x^2 sin(x)",
            "= d/dx(x^2)·sin(x) + x^2·d/dx(sin(x))",
            "= 2x sin(x) + x^2 cos(x)",
        ]
    )
    assert [line.rule for line in report.lines] == [Rule.PRODUCT_RULE, Rule.POWER_RULE]
    assert report.lines[0].expr.has(sp.Derivative)


def test_another_variable() -> None:
    report = check(["1/(1+e^(-t))", "= e^(-t)/(1+e^(-t))^2"], var="t")
    assert report.correct and report.variable == sp.Symbol("t")
    with pytest.raises(ParseError, match="in t"):
        check(["1/(1+e^(-t))", "= d/dx (e^(-t))"], var="t")


# ---- undecided lines --------------------------------------------------------------------------


def test_a_line_not_proven_in_time_is_unknown_never_wrong() -> None:
    # Γ′(x + 1) = x·Γ(x)·ψ(x + 1) needs simplify (2·sin(x)·cos(x) = sin(2x) no longer does:
    # the pythagorean route proves it); tanh′ = 1/cosh² is proven exactly in eˣ
    report = check(["Gamma(x + 1)", "= x*Gamma(x)*polygamma(0, x + 1)"], timeout=0.001)
    (line,) = report.lines
    assert line.status is Verdict.UNKNOWN
    assert report.status is Verdict.UNKNOWN and not report.correct
    assert report.first_error is None
    assert line.counterexample is None and "not decided" in line.hint
    assert check(["Gamma(x + 1)", "= x*Gamma(x)*polygamma(0, x + 1)"]).correct  # given the time
    assert check(["sin(x)^2", "= sin(2*x)"], timeout=0.001).correct  # exactly, in no time
    assert check(["tanh(x)", "= 1/cosh(x)^2"], timeout=0.001).correct  # no simplify needed


# ---- unreadable input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "message", "column"),
    [
        (["x^2", "= 2x +* 1"], "line 2: missing operand", 6),
        (["x^2", r"= \foo{x}"], r"line 2: unknown LaTeX command \foo", 2),
        (["x^2", r"= 2x_{1}"], "subscripts", 4),
        (["x^2", "= d/dy (x^2)"], "this derivation is in x", 2),
        (["2 d/dx(x)"], "the first line is the function", 0),
        (["x^2", "= 2x + d/dx(d/dx(x))"], "a derivative inside a derivative", 7),
    ],
)
def test_unreadable_lines_name_the_line_and_the_column(
    lines: list[str], message: str, column: int
) -> None:
    with pytest.raises(ParseError) as caught:
        check(lines)
    error = caught.value
    assert message in str(error)
    assert error.position == column
    assert error.caret().splitlines()[-1] == " " * column + "^"


@pytest.mark.parametrize("text", ["", "# only a comment\n\n", "x^2\n# nothing after it"])
def test_nothing_to_check(text: str) -> None:
    with pytest.raises(ParseError, match=r"empty input|nothing to check"):
        check(text)


# ---- the report as data -----------------------------------------------------------------------


def test_the_report_is_frozen_data() -> None:
    report = check(SIGMOID_WRONG)
    assert isinstance(report, Report) and report.first_error == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.lines[0].status = Verdict.CORRECT  # type: ignore[misc]
    data = check_data(report)
    assert data["schema"] == "sigderiv.check/1"
    assert data["first_error"] == 2 and data["status"] == "wrong"
    first, second = data["lines"]
    assert first["slip"] == "missing_chain_factor"
    assert first["counterexample"]["point"] == {"x": "0.3141"}
    assert first["counterexample"]["line"] == "−0.243934"
    assert first["counterexample"]["derivative"] == "0.243934"
    assert second["slip"] == "carried"
    json.dumps(data)


def test_a_line_right_on_part_of_the_line_is_no_constant_multiple() -> None:
    (line,) = check(["relu(x)", "= 1"]).lines  # 1 for x > 0, but 0 ≠ c·1 for x < 0
    assert line.status is Verdict.WRONG and line.slip == "generic"
    assert line.counterexample is not None and line.counterexample.derivative == "0"


def test_a_wrong_check_needs_no_counterexample_from_the_check() -> None:
    # the Check's own counterexample is used when there is one; else the probe finds a point
    report = check(["x^2", "= x"])
    assert report.lines[0].counterexample is not None
    assert Check(CheckStatus.FAILED, "numeric").counterexample == ()


# ---- the command line -------------------------------------------------------------------------


def test_cli_right_derivation_exits_0() -> None:
    result = run(str(Path(__file__).parent / "check_gallery" / "sigmoid_correct.txt"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"^ +5 ✓ .*Quotient rule$", out, re.M)
    assert re.search(r"^ +8 ✓ \(1\+e\^\(−x\)−1\).* Add and subtract one$", out, re.M)
    assert "8 of 8 lines proven correct." in out
    assert "d/dx (1/(1 + e^(−x))) = σ(x)(1 − σ(x))" in out


def test_cli_wrong_derivation_exits_1_with_the_hint_and_the_point() -> None:
    result = run("-", input=SIGMOID_WRONG)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert re.search(r"^ +2 ✗ \(0·\(1\+e\^\(−x\)\) − 1·e\^\(−x\)\)", out, re.M)
    prose = re.sub(r"\s+", " ", out)
    assert "multiply by its derivative d/dx (−x) = −1; that factor is missing" in prose
    assert "At x = 0.3141 this line is −0.243934; the derivative is 0.243934." in prose
    assert "This follows from line 2" in prose
    assert "First error on line 2: the chain rule's factor" in prose


def test_cli_ascii() -> None:
    result = run("--ascii", input=SIGMOID_WRONG)
    assert result.exit_code == 1
    assert result.stdout.isascii()
    assert "[x]" in result.stdout and "d/dx (-x) = -1" in re.sub(r"\s+", " ", result.stdout)


def test_cli_json() -> None:
    result = run("-", "--format", "json", input=SIGMOID_WRONG)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["first_error"] == 2
    assert [line["status"] for line in data["lines"]] == ["wrong", "wrong"]
    assert data["function"]["expr"]["sympy"] == "1/(1 + exp(-x))"


def test_cli_unreadable_input_exits_2_with_a_caret() -> None:
    result = run("-", input="x^2\n= 2x +* 1\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "error: line 2: missing operand before '*'"
    assert lines[1:] == ["= 2x +* 1", "      ^"]
    assert "Traceback" not in result.stderr


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nowhere.txt"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_cli_undecided_line_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules["sigderiv.grading.check"]
    undecided = Check(CheckStatus.UNVERIFIED, "numeric", 0.0, "simplify ran out of 1 s")
    monkeypatch.setattr(module, "check_identity", lambda *args, **kwargs: undecided)
    result = run("-", input="tanh(x)\n= 1/cosh(x)^2\n")
    assert result.exit_code == 3, result.output
    assert re.search(r"^ +2 \? 1/cosh\(x\)\^2", result.stdout, re.M)
    assert "0 of 1 line proven correct, 1 not decided in time." in result.stdout


def test_cli_var(tmp_path: Path) -> None:
    path = tmp_path / "work.tex"
    path.write_text("\\frac{1}{1+e^{-t}}\n&= \\frac{e^{-t}}{(1+e^{-t})^2}\n", encoding="utf-8")
    result = run(str(path), "--var", "t")
    assert result.exit_code == 0, result.output
    assert "d/dt (1/(1 + e^(−t))) = σ(t)(1 − σ(t))" in result.stdout


def test_every_slip_kind_is_documented() -> None:
    page = (Path(__file__).parents[2] / "docs" / "check.md").read_text(encoding="utf-8")
    missing = [kind for kind in KINDS if f"| `{kind}` |" not in page]
    assert not missing


def test_a_time_bomb_line_is_killed_at_the_bound() -> None:
    import time

    from sigderiv import TimeoutError as SigderivTimeout

    started = time.perf_counter()
    with pytest.raises(SigderivTimeout, match="time bound"):
        check(["x^2", "asinh(sech((k-0.5)^200))"], total_timeout=1.0)
    assert time.perf_counter() - started < 10


# ---- reading within bounds ----------------------------------------------------------------------


def test_an_endless_file_is_refused_after_max_input_bytes() -> None:
    from sigderiv.input.limits import MAX_INPUT_BYTES

    result = run("/dev/zero")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: /dev/zero is longer than {MAX_INPUT_BYTES} bytes; the limit is "
        f"MAX_INPUT_BYTES = {MAX_INPUT_BYTES}\n"
    )
    assert result.stdout == ""


def test_too_much_standard_input_is_refused() -> None:
    result = run("-", input="x^2\n" + "2x\n" * 400_000)
    assert result.exit_code == 2 and "MAX_INPUT_BYTES" in result.stderr
    result = run("-", input="x^2\n" + "\n" * 10_001)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: standard input has more than 10000 lines")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.txt"
    file.write_bytes(b"\xef\xbb\xbfx^2\n2x\n")
    result = run("--ascii", str(file))
    assert result.exit_code == 0, result.stderr
    assert "1 of 1 line proven correct." in result.stdout
    assert check("\ufeffx^2\n2x").correct


def test_the_library_reads_no_more_than_max_input_lines_of_an_iterable() -> None:
    import itertools

    from sigderiv import LimitError

    endless = itertools.chain(["x^2"], itertools.repeat("2x"))
    with pytest.raises(LimitError, match="MAX_INPUT_LINES = 10000"):
        check(endless)
    with pytest.raises(LimitError, match="MAX_INPUT_LINES"):
        check("x^2\n" + "2x\r" * 10_001)


@pytest.mark.parametrize(
    "line",
    ["d/dx(x^2) + Dpending0", "d/dx(Dpending0 + x)", "2x + Dpending0", "2x + D pending1"],
)
def test_the_placeholder_name_is_refused_on_every_line(line: str) -> None:
    """A learner's own Dpending0 was replaced by the pending derivative when the line had d/dx."""
    with pytest.raises(ParseError, match="the name Dpending is reserved") as caught:
        check(f"x^2\n{line}")
    assert caught.value.text == line
    result = run("-", input=f"x^2\n{line}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: line 2: the name Dpending is reserved")


#: A check that takes about 0.3 s (four lines of σ′, each proven), thirty times the bound
#: below: x² and 2x alone now check within 10 ms, and the bound would not be reached.
_SLOW_CHECK = "1/(1+e^(-x))\ne^(-x)/(1+e^(-x))^2\n1/(1+e^(-x)) - 1/(1+e^(-x))^2\nσ(x)(1 - σ(x))\n"


def test_the_whole_check_time_out_names_total_timeout() -> None:
    result = run("--total-timeout", "0.01", "-", input=_SLOW_CHECK)
    assert result.exit_code == 3, result.output
    assert result.stderr == (
        "error: the check ran out of its time bound of 0.01 s (--total-timeout sets it)\n"
    )


def test_check_hints_that_state_a_wrong_derivative_as_fact() -> None:
    # The sign slipped in cos′, inside ln(cos x); the hint states only the table's entries,
    # both of them, and that a sign is wrong: never that ln(cos x)′ is 1/cos x.
    working = [
        r"\frac{d}{dx} \ln(\cos x)",
        r"= \frac{1}{\cos x} \cdot \frac{d}{dx}\cos x",
        r"= \frac{1}{\cos x} \cdot \sin x",
    ]
    report = check(working, bounded=False)
    wrong = report.lines[-1]
    assert wrong.status is Verdict.WRONG and wrong.slip == "outer_derivative"
    hint = str(wrong.hint)
    assert "d/dy ln(y) = 1/y" in hint and "d/dx cos(x) = −sin(x)" in hint
    assert "the derivative of ln" not in hint.lower()
