"""The code formats (numpy, torch, jax): generated modules run and backpropagate correctly.

Each module is our own generated text, exec'd in a fresh namespace. The backward pass is
compared with SymPy's exact derivative of the written-out function (to 1e-12, relative and
absolute) and with a five-point central difference of the module's own forward (step 1e-3,
truncation error ~h⁴, to 1e-9). PyTorch's gradcheck and JAX's check_grads run in float64
where those frameworks are installed (the backprop extra), in a process of their own
(tests/formats/backprop_check.py): their threads must not meet sigderiv's forks.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import sympy as sp
from typer.testing import CliRunner

from sigderiv import derive, render
from sigderiv.cli import app
from sigderiv.errors import UnsupportedError
from sigderiv.expr.functions import CATALOGUE, write_out
from sigderiv.formats.base import Format
from sigderiv.model.steps import Derivation

#: Points more than 2h (the difference's reach) away from every corner (0, ±1, ±3).
POINTS = np.array([-4.2, -2.1, -0.7, 0.3, 1.6, 3.3])
H = 1e-3
#: Functions outside the catalogue: a required parameter, own values found by the engine
#: from text (σ, exp), polynomials, a chain, |x| and an erf.
PARAMETRIC = "1/(1+exp(-k*x))"  # k: a required parameter, 1.7 in the tests
OTHERS = (PARAMETRIC, "1/(1+e^(-x))", "exp(2x)", "x^3 - 2x", "sin(x^2)", "abs(x)*x")


def module(text: str) -> SimpleNamespace:
    """Run a generated module in a fresh namespace and return its names."""
    namespace: dict[str, Any] = {}
    exec(compile(text, "<generated>", "exec"), namespace)  # our own generated code
    return SimpleNamespace(**namespace)


def code(derivation: Derivation, fmt: str) -> str:
    """The derivation in a code format, rendered in this process."""
    return render(derivation, fmt, bounded=False)


def defaults(d: Derivation) -> dict[sp.Symbol, sp.Expr]:
    """The catalogue parameters of ``d`` at their defaults ({} outside the catalogue)."""
    entry = CATALOGUE.get(d.name or "")
    return dict(entry.parameters) if entry is not None else {}


def exact(d: Derivation, at: dict[sp.Symbol, float]) -> Callable[[float], float]:
    """SymPy's derivative of the written-out function, at 30 digits, as a function of x."""
    x = sp.Symbol(d.variable.name, real=True)  # so that d/dx |x| is sign(x)
    f = write_out(d.function).subs(d.variable, x)
    derivative = sp.diff(f, x).subs(defaults(d)).subs(at)
    return lambda v: float(derivative.subs(x, v).evalf(30))


def five_point(f: Callable[[np.ndarray], np.ndarray], xs: np.ndarray) -> np.ndarray:
    """The five-point central difference of ``f`` at ``xs``: error ~h⁴·f⁽⁵⁾/30."""
    return (-f(xs + 2 * H) + 8 * f(xs + H) - 8 * f(xs - H) + f(xs - 2 * H)) / (12 * H)


def check_numpy(d: Derivation, **params: float) -> SimpleNamespace:
    """Check the numpy module of ``d`` against SymPy and finite differences; return it."""
    m = module(code(d, "numpy"))
    forward = lambda xs: np.broadcast_to(m.forward(xs, **params), xs.shape)  # noqa: E731
    out = forward(POINTS)
    symbols = {sp.Symbol(k.rstrip("_")): v for k, v in params.items()}
    f = write_out(d.function).subs(defaults(d)).subs(symbols)
    want_f = [float(f.subs(d.variable, v).evalf(30)) for v in POINTS]
    np.testing.assert_allclose(out, want_f, rtol=1e-12, atol=1e-14)
    grad = np.linspace(0.5, 2.0, POINTS.size)
    got = np.broadcast_to(m.backward(grad, POINTS, out, **params), POINTS.shape) / grad
    slope = exact(d, symbols)
    np.testing.assert_allclose(got, [slope(v) for v in POINTS], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got, five_point(forward, POINTS), rtol=1e-9, atol=1e-9)
    return m


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_numpy_backpropagates(
    name: str, catalogue_derivations: dict[str, Derivation]
) -> None:
    """Every catalogue entry's numpy backward is its derivative, vectorised, from forward."""
    d = catalogue_derivations[name]
    if d.function.has(sp.erf):
        pytest.importorskip("scipy", reason="numpy has no vectorised erf; scipy.special has")
    m = check_numpy(d)
    wanted = {p.name if p.name != "lambda" else "lambda_": float(v) for p, v in defaults(d).items()}
    signature = inspect.signature(m.forward).parameters
    assert {k: v.default for k, v in signature.items() if k != "x"} == wanted


@pytest.mark.parametrize("text", OTHERS)
def test_other_functions_numpy(text: str) -> None:
    """Outside the catalogue: a free symbol is a required parameter; own values are found."""
    d = derive(text)
    params = {"k": 1.7} if text == PARAMETRIC else {}
    m = check_numpy(d, **params)
    assert list(inspect.signature(m.backward).parameters) == ["grad", "x", "out", *params]


def test_sigmoid_backward_uses_its_output(sigmoid: Derivation) -> None:
    """The sigmoid's backward is grad·out·(1 − out): no exp, and x is not needed."""
    text = code(sigmoid, "numpy")
    backward = text[text.index("def backward") :]
    assert "out*(1 - out)" in backward.replace(" * ", "*")
    assert "exp" not in backward
    assert "σ(x)(1 − σ(x))" in backward  # the derivation's result, in a comment above
    assert "sigderiv" in text[: text.index('"""', 3)]  # the docstring says who derived it


@pytest.mark.parametrize("fmt", ["numpy", "torch", "jax"])
@pytest.mark.parametrize("text", ["tanh", "exp", "elu", "celu", "selu", "1/(1+e^(-x))"])
def test_own_value_means_out(text: str, fmt: str) -> None:
    """Where the result is in terms of the function's own value, backward reads ``out``."""
    source = code(derive(text), fmt)
    after = source[source.rindex("# f′") :].splitlines()
    body = next(line for line in after if line.strip().startswith("return"))  # backward's
    assert "out" in body
    if text in ("tanh", "exp", "1/(1+e^(-x))"):
        assert "exp" not in body and "tanh" not in body


def test_cse_names_a_repeated_part(catalogue_derivations: dict[str, Derivation]) -> None:
    """mish′ uses tanh(softplus(x)) twice: the code computes it once."""
    text = code(catalogue_derivations["mish"], "numpy")
    backward = text[text.index("def backward") :]
    assert backward.count("numpy.tanh") == 1
    assert "t0 = " in backward


def test_piecewise_is_vectorised(catalogue_derivations: dict[str, Derivation]) -> None:
    """A piecewise derivative comes out as numpy.select over arrays, not a Python ``if``."""
    text = code(catalogue_derivations["hardswish"], "numpy")
    assert "numpy.select" in text
    code_lines = [line for line in text.split('"""')[-1].splitlines() if "#" not in line]
    assert not any(" if " in line for line in code_lines)


@pytest.mark.parametrize("fmt", ["numpy", "torch", "jax"])
def test_refuses_what_has_no_code(fmt: str) -> None:
    """A higher derivative or an unknown function has no backward code: UnsupportedError."""
    with pytest.raises(UnsupportedError, match="order"):
        code(derive("sigmoid", order=2), fmt)
    with pytest.raises(UnsupportedError, match="unknown function"):
        code(derive("f(x)^2"), fmt)


def test_names_cannot_escape() -> None:
    """Symbols that are Python keywords or module names are renamed; the module still runs."""
    x = sp.Symbol("x")
    lam, grad = sp.Symbol("lambda"), sp.Symbol("grad")
    d = derive(lam * sp.exp(grad * x), x)
    m = module(code(d, "numpy"))
    params = list(inspect.signature(m.forward).parameters)
    assert params == ["x", "grad_", "lambda_"]
    assert np.isclose(m.backward(1.0, 0.5, m.forward(0.5, 2.0, 3.0), 2.0, 3.0), 6 * np.exp(1.0))


def test_py_suffix_is_numpy(tmp_path: Path) -> None:
    """``-o backward.py`` writes the numpy module; ``-f torch`` and ``-f jax`` print theirs."""
    assert Format.from_path("backward.py") is Format.NUMPY
    runner = CliRunner()
    target = tmp_path / "backward.py"
    result = runner.invoke(app, ["derive", "sigmoid", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "def backward(grad, x, out):" in target.read_text(encoding="utf-8")
    for fmt, marker in [("numpy", "def forward(x):"), ("torch", "torch.autograd.Function")]:
        result = runner.invoke(app, ["derive", "tanh", "-f", fmt])
        assert result.exit_code == 0, result.output
        assert marker in result.output
    result = runner.invoke(app, ["derive", "sigmoid", "-f", "jax"])
    assert "jax.custom_vjp" in result.output


def test_no_framework_at_import() -> None:
    """Importing sigderiv and its code formats, and writing their code, loads no framework."""
    probe = (
        "import sys, sigderiv, sigderiv.formats.code, sigderiv.formats.numpy_code;"
        "from sigderiv import derive, render;"
        "d = derive('sigmoid');"
        "[render(d, f, bounded=False) for f in ('numpy', 'torch', 'jax')];"
        "print(sorted({'torch', 'jax'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


# ---- PyTorch and JAX: their own gradient checkers, in a process of their own ---------------


def cases(catalogue: dict[str, Derivation], fmt: str, where: Path) -> list[dict[str, Any]]:
    """Each catalogue entry and each of OTHERS as a case for tests/formats/backprop_check.py."""
    found = []
    derivations = {**catalogue, **{text: derive(text) for text in OTHERS}}
    for key, d in derivations.items():
        path = where / f"case{len(found)}.py"
        path.write_text(code(d, fmt), encoding="utf-8")
        slope = exact(d, {sp.Symbol("k"): 1.7})
        found.append(
            {
                "id": key,
                "path": str(path),
                "function": d.name or "derived",
                "args": [1.7] if key == PARAMETRIC else [],
                "points": POINTS.tolist(),
                "slopes": [slope(v) for v in POINTS],
                "only_out": key in ("sigmoid", "tanh", "exp", "1/(1+e^(-x))", "exp(2x)"),
            }
        )
    return found


def checked(fmt: str, module: str, catalogue: dict[str, Derivation], where: Path) -> dict[str, str]:
    """Run the checker on every case in a fresh process; {case id: "ok" or the traceback}."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(
            f"{'PyTorch' if fmt == 'torch' else 'JAX'} is not installed (pip install '.[backprop]')"
        )
    spec = where / "spec.json"
    spec.write_text(json.dumps({"framework": fmt, "cases": cases(catalogue, fmt, where)}))
    checker = Path(__file__).with_name("backprop_check.py")
    run = subprocess.run(
        [sys.executable, str(checker), str(spec)], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def torch_results(
    catalogue_derivations: dict[str, Derivation], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Every torch case checked by torch.autograd.gradcheck in float64."""
    return checked("torch", "torch", catalogue_derivations, tmp_path_factory.mktemp("torch"))


@pytest.fixture(scope="module")
def jax_results(
    catalogue_derivations: dict[str, Derivation], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Every jax case checked by jax.test_util.check_grads in float64."""
    return checked("jax", "jax", catalogue_derivations, tmp_path_factory.mktemp("jax"))


@pytest.mark.parametrize("key", [*sorted(CATALOGUE), *OTHERS])
def test_torch_gradcheck(key: str, torch_results: dict[str, str]) -> None:
    """gradcheck passes, the slopes are SymPy's, the sigmoid's forward saves only its output."""
    assert torch_results[key] == "ok", torch_results[key]


@pytest.mark.parametrize("key", [*sorted(CATALOGUE), *OTHERS])
def test_jax_check_grads(key: str, jax_results: dict[str, str]) -> None:
    """check_grads passes in reverse mode and the slopes are SymPy's."""
    assert jax_results[key] == "ok", jax_results[key]


def test_torch_saves_only_the_output(sigmoid: Derivation) -> None:
    """The sigmoid's forward saves its output alone, and backward reads it back."""
    text = code(sigmoid, "torch")
    assert "ctx.save_for_backward(out)" in text
    assert "(out,) = ctx.saved_tensors" in text


@pytest.mark.parametrize("fmt", ["numpy", "torch", "jax"])
def test_hostile_name_stays_in_its_docstring(sigmoid: Derivation, fmt: str) -> None:
    """A name from elsewhere (a JSON document) cannot end a docstring or a comment early."""
    hostile = 'x"""\nraise SystemExit  # \\'
    d = replace(sigmoid, name=hostile)
    text = code(d, fmt)
    tree = ast.parse(text)
    assert "raise SystemExit" in (ast.get_docstring(tree) or "")  # shown, as words
    assert not any(isinstance(node, ast.Raise) for node in ast.walk(tree))
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert all(name.isidentifier() for name in names)
