"""The parser is the only door: the whole pipeline runs with eval, exec and string sympify gone.

``builtins.eval`` and ``builtins.exec`` raise, and so do ``sympy.sympify`` and
``sympy.parsing.sympy_parser.parse_expr`` when handed a string (SymPy's own arithmetic calls
sympify on numbers and expressions all the time; that stays). Every valid input then goes
through parse, derive (in the worker, whose checks fork workers of their own, and in this
process), every step's check, every renderer that imports, JSON there and back, and the
command line. A tripped wire is written to a file, because a worker cannot report otherwise,
and because code that catches the exception must not hide it.
"""

from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sympy
import sympy.parsing.sympy_parser
from typer.testing import CliRunner

from sigderiv import Derivation, derive
from sigderiv.cli import app
from sigderiv.engine.verify import check_identity
from sigderiv.expr.functions import CATALOGUE
from sigderiv.input.parse import parse

try:
    from sigderiv import check
except ImportError:  # check() is being written by another developer
    check = None

#: Valid inputs covering the grammar: catalogue names, unicode, implicit products, functions.
VALID_INPUTS: tuple[str, ...] = (
    *CATALOGUE,
    "1/(1+e^(-x))",
    "1/(1+exp(-k*x))",
    "σ(2x)",
    "3e^x + 2x²",
    "√(x+1) × 2π",
    "0.5x − 1e-3",
    "x(x+1)",
    "log(x, 2)",
    "ln(x)/x",
    "sin(x^2)",
    "sin²(x)cos(x)",
    "tan(x)",
    "atan(x)",
    "asin(x)",
    "sinh(x)+cosh(x)",
    "atanh(x)",
    "erf(x)",
    "abs(x)",
    "x^x",
    "x^k",
    "cbrt(x)",
    "root(x, 5)",
    "f(g(x))",
    "x/(1+e^(-x))",
    "softplus(2x)",
)

#: A learner's derivations for ``sigderiv check``: right, wrong, and in LaTeX.
WORKINGS: tuple[str, ...] = (
    "1/(1+e^(-x))\n= e^(-x)/(1+e^(-x))^2\n= σ(x)(1 − σ(x))",
    "x^2 sin(x)\n= 2x sin(x) + x^2 cos(x)",
    "x^3\n= 3x^3",
    "\\frac{1}{1+e^{-x}}\n= \\frac{e^{-x}}{(1+e^{-x})^2}",
)

#: Inputs that also go through every renderer, the JSON round trip and the command line.
FULL_PIPELINE: tuple[str, ...] = ("sigmoid", "elu", "σ(2x)", "sin²(x)cos(x)", "x^x", "softplus")

#: Who may still call eval/exec while sigderiv code is on the stack: the import system
#: (module files), class creation (dataclasses, namedtuple), type hints (typing), and SymPy's
#: code generation for polynomial monomials (from integers). None of them sees user text.
ALLOWED_CALLERS = frozenset(
    {
        "importlib._bootstrap",
        "importlib._bootstrap_external",
        "dataclasses",
        "collections",
        "typing",
        "inspect",
        "sympy.polys.monomials",
    }
)


def _in_sigderiv() -> bool:
    """True when sigderiv code is on the call stack."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_globals.get("__name__", "").startswith("sigderiv"):
            return True
        frame = frame.f_back
    return False


class Tripwire:
    """Replacements for eval, exec, sympify and parse_expr that log and raise."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def trip(self, what: str, argument: object) -> None:
        """Append one line to the log (from any process) and raise."""
        caller = sys._getframe(2).f_globals.get("__name__", "?")
        line = f"{os.getpid()} {what} from {caller}: {str(argument)[:100]!r}\n"
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        raise RuntimeError(f"tripwire: {what} called")

    def builtin(self, what: str, real: Callable[..., Any]) -> Callable[..., Any]:
        """eval or exec: refused with sigderiv on the stack, but for the allowed callers."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if _in_sigderiv() and caller not in ALLOWED_CALLERS:
                self.trip(what, args[0] if args else "")
            return real(*args, **kwargs)

        return guarded

    def strings(self, what: str, real: Callable[..., Any]) -> Callable[..., Any]:
        """sympify or parse_expr: refused whenever the argument is a string."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if args and isinstance(args[0], str):
                self.trip(what, args[0])
            return real(*args, **kwargs)

        return guarded

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Put the wires in place for this process and every worker it forks."""
        monkeypatch.setattr(builtins, "eval", self.builtin("eval", builtins.eval))
        monkeypatch.setattr(builtins, "exec", self.builtin("exec", builtins.exec))
        module = sys.modules["sympy.core.sympify"]  # sympy.core.sympify is also the function
        sympify = self.strings("sympify", module.sympify)
        monkeypatch.setattr(sympy, "sympify", sympify)
        monkeypatch.setattr(module, "sympify", sympify)
        parser = sympy.parsing.sympy_parser
        monkeypatch.setattr(parser, "parse_expr", self.strings("parse_expr", parser.parse_expr))
        monkeypatch.setattr(parser, "eval_expr", self.strings("eval_expr", parser.eval_expr))

    def tripped(self) -> list[str]:
        """The lines logged so far, by this process and its workers."""
        return self.log.read_text().splitlines() if self.log.exists() else []


def renderers() -> Iterator[tuple[str, Callable[[Derivation], str]]]:
    """Every output format whose module imports now (others are being written)."""
    from sigderiv.formats import Format, formatter

    for fmt in Format:
        try:
            made = formatter(fmt)
        except ImportError:
            continue
        yield fmt.value, made.render


def run_pipeline(text: str, *, full: bool) -> None:
    """Parse, derive, check, render and (when ``full``) round-trip and run the CLI on ``text``."""
    if text not in CATALOGUE:
        parse(text)
    d = derive(text)
    assert d.result is not None
    for step in d.walk():
        assert step.check is not None
    if not full:
        from sigderiv.formats.terminal import render_text

        assert render_text(d)
        return
    assert derive(text, bounded=False).result == d.result
    first = d.steps[0]
    assert check_identity(first.before, first.after).verified
    for name, render in renderers():
        assert render(d), name
    if hasattr(Derivation, "from_json"):
        assert Derivation.from_json(d.to_json()).result == d.result
    result = CliRunner().invoke(app, ["derive", text, "--ascii"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def warm() -> None:
    """Run the pipeline once before the wires go in: lazy imports happen here."""
    run_pipeline("sigmoid", full=True)
    # SymPy's simplify imports sympy.physics.units on first use, which sympifies its unit
    # prefixes' names ('yotta'): SymPy's own text, not ours. The proofs simplify in workers
    # and plots sample with numpy, so this process never imports it by chance: import it
    # here, before the wires, so that every later worker inherits it.
    import sympy.physics.units  # noqa: F401


@pytest.fixture
def tripwire(warm: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tripwire:
    """Put the wires in, for this process and every worker it forks."""
    wire = Tripwire(tmp_path / "tripwire.log")
    wire.install(monkeypatch)
    return wire


def test_the_wires_work(tripwire: Tripwire) -> None:
    """Sanity: each wire trips on its own, even from a forked worker."""
    from sigderiv.sandbox.bound import run_bounded

    with pytest.raises(RuntimeError, match="tripwire"):
        sympy.sympify("x + 1")
    with pytest.raises(RuntimeError, match="tripwire"):
        sympy.parsing.sympy_parser.parse_expr("x")
    assert sympy.sympify(2) == sympy.Integer(2)  # not a string: SymPy's arithmetic still works
    with pytest.raises(RuntimeError, match="tripwire"):
        run_bounded(lambda: sympy.S("x"), 5)  # a worker reports through the log too
    assert len(tripwire.tripped()) == 3
    tripwire.log.unlink()


def test_whole_pipeline_runs_without_eval_exec_or_string_sympify(tripwire: Tripwire) -> None:
    for text in VALID_INPUTS:
        run_pipeline(text, full=text in FULL_PIPELINE)
    if check is not None:  # a learner's working, checked line by line, plain text and LaTeX
        for working in WORKINGS:
            assert check(working).lines
            result = CliRunner().invoke(app, ["check", "-", "--ascii"], input=working)
            assert result.exit_code in (0, 1, 3), result.output
    assert tripwire.tripped() == []


def test_hostile_input_trips_no_wire(tripwire: Tripwire) -> None:
    from sigderiv import SigderivError

    for text in (
        "__import__('os').system('true')",
        "eval('1')",
        "x.__class__",
        "Symbol('x')",
        "sympify('x')",
        "f('x')",
        "lambda: 1",
    ):
        with pytest.raises(SigderivError):
            derive(text)
        result = CliRunner().invoke(app, ["derive", text])
        assert result.exit_code == 2
    assert tripwire.tripped() == []
