"""What a cold command loads: the structure behind the start-up figures of benchmarks/run.py.

No timing here (speed is measured in benchmarks/run.py): these tests pin which modules each
process imports, the renderer the worker loads ahead, and the page's equations written once.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from sigderiv.console import (
    _PAGE,
    _PLOT,
    _TERMINAL,
    _imports_frozen,
    _load,
    renderers,
    warms,
    workers,
)
from sigderiv.printing import mathml_layout
from sigderiv.printing.mathml_layout import TIERS, fitted

ROOT = Path(__file__).resolve().parents[1]

#: Runs the console script's main with the arguments given, and prints the modules the
#: command line's own process (not its worker) had loaded when it ended.
_MODULES_AT_EXIT = """\
import json, os, sys
main_pid, real_exit = os.getpid(), os._exit
def _exit(code):
    if os.getpid() == main_pid:
        sys.stdout.flush()
        os.write(2, ("MODULES " + json.dumps(sorted(sys.modules)) + "\\n").encode())
    real_exit(code)
os._exit = _exit
sys.argv = ["sigderiv", *sys.argv[1:]]
from sigderiv.console import main
main()
"""

#: Never loaded by the command line's process for derive or plot: the web layer, the
#: notebook, grading, and what only the worker needs to render (numpy, matplotlib).
NEVER = ("fastapi", "uvicorn", "starlette", "pydantic", "IPython", "jsonschema", "matplotlib")
NEVER_OURS = ("sigderiv.web", "sigderiv.grading", "sigderiv.cli_serve.", "sigderiv.formats.html")


def _loaded_at_exit(*args: str, cwd: Path) -> set[str]:
    """The modules the ``sigderiv ARGS`` process had loaded when it exited."""
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_AT_EXIT, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"NO_COLOR": "1", "COLUMNS": "80", "PATH": "", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = next(s for s in done.stderr.splitlines() if s.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize(
    ("args", "also_never"),
    [
        pytest.param(("derive",), ("numpy", "sigderiv.formats.terminal"), id="derive"),
        pytest.param(("derive", "tanh(x)^2", "--ascii"), ("numpy",), id="derive ascii"),
        pytest.param(("derive", "-o", "page.html"), ("numpy",), id="derive page"),
        pytest.param(("plot", "sigmoid", "-o", "f.png"), ("numpy", "rich"), id="plot"),
    ],
)
def test_the_command_line_process_loads_only_what_it_uses(
    args: tuple[str, ...], also_never: tuple[str, ...], tmp_path: Path
) -> None:
    if args[0] == "plot":
        pytest.importorskip("matplotlib")
    loaded = _loaded_at_exit(*args, cwd=tmp_path)
    assert "sigderiv.cli" in loaded  # the probe saw the command line's own process
    heavy = {m for m in loaded if m.split(".")[0] in NEVER + also_never}
    ours = {m for m in loaded if m.startswith(NEVER_OURS) or m in also_never}
    assert not heavy
    assert not ours


def test_importing_the_console_script_loads_neither_sympy_nor_the_cli() -> None:
    code = "import sigderiv.console, sys; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert not {m for m in out if m.split(".")[0] in ("sympy", "typer", "rich", "numpy")}
    assert "sigderiv.cli" not in out


def test_the_console_script_is_the_light_entry_point() -> None:
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    scripts = project.split("[project.scripts]\n", 1)[1].split("\n\n", 1)[0]
    assert scripts.strip() == 'sigderiv = "sigderiv.console:main"'


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["derive"], _TERMINAL),
        (["derive", "tanh(x)", "--ascii", "--order", "2"], _TERMINAL),
        (["derive", "-o", "page.html"], _PAGE),
        (["derive", "x^2", "--output=Page.HTML"], _PAGE),
        (["derive", "-f", "html"], _PAGE),
        (["derive", "--format=html", "--fragment"], _PAGE),
        (["derive", "-o", "steps.tex"], ()),
        (["derive", "-f", "json"], ()),
        (["derive", "--output=steps.md"], ()),
        (["plot", "gelu", "-o", "f.svg"], _PLOT),
        (["check", "lines.txt"], ()),
        (["serve"], ()),
        ([], ()),
    ],
)
def test_the_worker_loads_the_renderer_the_command_will_use(
    argv: list[str], expected: tuple[str, ...]
) -> None:
    assert renderers(argv) == expected


CORES = max(1, os.cpu_count() or 1)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["derive"], 1),
        (["derive", "--jobs", "3"], 1),  # one problem: --jobs is not read there
        (["derive", "--input", "sheet.txt", "-o", "s.html"], CORES),
        (["derive", "--input=sheet.txt", "-o", "s.html", "--jobs", "3"], 3),
        (["derive", "--input", "sheet.txt", "-j", "1"], 1),
        (["list"], CORES),
        (["list", "--jobs=4"], 4),
        (["list", "--jobs", "zero"], 1),  # typer refuses it; the guess stays harmless
        (["check", "lines.txt"], 1),
        ([], 1),
    ],
)
def test_the_command_line_forks_a_kept_worker_for_each_job(argv: list[str], expected: int) -> None:
    assert workers(argv) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["derive"], False),  # one call, sent as soon as typer has read the arguments
        (["derive", "tanh(x)", "-o", "page.html"], False),
        (["plot", "gelu"], False),
        (["check", "lines.txt"], False),
        (["grad", "w*x", "--wrt", "w"], False),
        (["serve"], True),  # idle until the first request
        (["list"], CORES > 1),
        (["derive", "--input", "sheet.txt", "--jobs", "2"], True),
        (["derive", "--input", "sheet.txt", "-j", "1"], False),
        ([], False),
    ],
)
def test_only_a_server_or_a_batch_warms_its_worker_with_a_derivation(
    argv: list[str], expected: bool
) -> None:
    assert warms(argv) is expected


@pytest.mark.parametrize("enabled", [True, False])
def test_what_is_imported_is_frozen_out_of_the_collector(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with _imports_frozen():
            assert not gc.isenabled()  # no collection while the modules arrive
            made = [[index] for index in range(2_000)]
        assert gc.get_freeze_count() >= len(made)  # never scanned again
        assert gc.isenabled() is enabled  # the collector is back as it was
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_command_line_freezes_its_imports_before_the_worker_is_forked() -> None:
    code = (
        "import gc, sys\n"
        "import sigderiv.engine.deriver as d\n"
        "def noted(*args, **kwargs): print(gc.get_freeze_count() > 10_000, gc.isenabled())\n"
        "d.prepare = noted\n"
        "sys.argv = ['sigderiv', 'derive', '--version']\n"
        "from sigderiv.console import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.split()[:2] == ["True", "True"]


def test_loading_ahead_skips_what_is_not_installed() -> None:
    _load(("sigderiv_there_is_no_such_module", "json"))
    assert "json" in sys.modules


X, Y = sp.symbols("x y")


@pytest.mark.parametrize(
    "exprs",
    [
        pytest.param((sp.Derivative(X**2, X), 2 * X), id="short"),
        pytest.param((sp.Derivative(1 / (1 + sp.exp(-X)), X), sp.exp(-X) / (1 + sp.exp(-X)) ** 2)),
        pytest.param(
            (
                sp.Derivative(sp.Add(*(sp.sin((i + 1) * X) * Y**i for i in range(9))), X),
                sp.Add(*((i + 1) * sp.cos((i + 1) * X) * Y**i for i in range(9))),
            ),
            id="long sum",
        ),
        pytest.param(
            (
                sp.Mul(*(X + i for i in range(1, 12))),
                sp.expand(sp.Mul(*(X + i for i in range(1, 12)))),
            ),
            id="long product",
        ),
    ],
)
def test_an_equation_is_written_whole_at_most_once_for_all_tiers(
    exprs: tuple[sp.Expr, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[sp.Expr, ...]] = []
    real = mathml_layout.mathml

    def counted(*args: sp.Expr, **kwargs: object) -> str:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mathml_layout, "mathml", counted)
    versions = fitted(*exprs)
    assert len(calls) <= 1
    tiers = [t for _, ts in versions for t in ts]
    assert tiers == list(range(len(TIERS)))  # every tier has its version, in order
    assert len({text for text, _ in versions}) == len(versions)  # alike tiers share one


@pytest.mark.parametrize("warm", [True, False])
def test_the_worker_runs_what_prepare_is_given_and_warms_up_only_if_asked(
    warm: bool, tmp_path: Path
) -> None:
    derived, mark = tmp_path / "derived", tmp_path / "loaded"
    code = (
        "from functools import partial\nfrom pathlib import Path\n"
        "import sigderiv.engine.deriver as d\n"
        "inner = d._derive\n"
        "def noted(expr, *args, **kwargs):\n"
        f"    if expr == d.WARM_UP: Path({str(derived)!r}).write_text(expr)\n"
        "    return inner(expr, *args, **kwargs)\n"
        "d._derive = noted\n"
        f"d.prepare(then=partial(Path({str(mark)!r}).write_text, 'in the worker'), warm={warm})\n"
        "print(d.derive('x^2').result)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "2*x"  # served by the worker, after what it was given
    assert mark.read_text() == "in the worker"  # what it is given runs either way
    assert derived.exists() is warm  # the warm-up derivation only if asked
