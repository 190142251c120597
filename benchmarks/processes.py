"""The sections that time whole ``sigderiv`` processes: cold start, page, plots, list, batch."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import HERE, ROOT, figure, interleaved, run_child


def _p18_env() -> dict[str, str]:
    """The children's environment: this checkout's sigderiv, bytecode cached as users have it.

    PYTHONDONTWRITEBYTECODE (set on some machines) would make every cold start compile
    sigderiv from source; a user's install has its __pycache__ written once.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


#: Runs the command in its arguments and prints its wall seconds and peak resident KiB. A
#: child forked straight from this (large) process would start with this process's pages
#: resident, and its peak memory would read as at least ours: a small launcher forks it.
_P18_LAUNCHER = """\
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _p18_run(argv: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Run ``argv`` in :func:`_p18_env`; return (wall seconds, peak resident memory in KiB)."""
    launched = subprocess.run(
        [sys.executable, "-S", "-c", _P18_LAUNCHER, *argv],
        cwd=cwd,
        env=_p18_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, peak, code = launched.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{argv} failed")
    return float(elapsed), int(peak)


def _p18_pairs(
    ours: list[str], theirs: list[str], repeats: int, cwd: Path = ROOT
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (time, peak KiB) of ``ours`` and of ``theirs``, run as interleaved pairs.

    One unmeasured run of each first writes the bytecode caches and warms the disk cache.
    """
    _p18_run(theirs, cwd)
    _p18_run(ours, cwd)
    times: tuple[list[float], list[float]] = ([], [])
    memory: tuple[list[int], list[int]] = ([], [])
    for _ in range(repeats):
        for side, argv in ((1, theirs), (0, ours)):
            t, m = _p18_run(argv, cwd)
            times[side].append(t)
            memory[side].append(m)
    return (
        (statistics.median(times[0]), statistics.median(memory[0]) / 1024),
        (statistics.median(times[1]), statistics.median(memory[1]) / 1024),
    )


def _p18_console_script() -> str | None:
    """The installed ``sigderiv`` console script of this Python's environment, if any."""
    beside = Path(sys.executable).parent / "sigderiv"
    if beside.is_file():
        return str(beside)
    return shutil.which("sigderiv")


def cli_cold_start(repeats: int) -> list[str]:
    """`sigderiv derive` (sigmoid, full terminal output) against `python -c "import sympy"`.

    Measured twice: through the installed console script (what users run) and through
    ``python -m sigderiv``.
    """
    theirs = [sys.executable, "-c", "import sympy"]
    runs = [("python -m sigderiv", [sys.executable, "-m", "sigderiv", "derive"])]
    script = _p18_console_script()
    if script is not None:
        runs.insert(0, ("console script", [script, "derive"]))
    lines = []
    for label, ours in runs:
        (t, m), (base_t, base_m) = _p18_pairs(ours, theirs, repeats)
        lines.append(figure(f"CLI cold start, {label} (time)", t, base_t, "s", 1.15))
        lines.append(figure(f"CLI cold start, {label} (peak memory)", m, base_m, "MiB", 1.1))
    if script is None:
        lines.append("CLI cold start, console script: no sigderiv script installed here")
    # the floor: what any command that derives and writes with rich must load and do
    floor = [sys.executable, "-c", _P18_FLOOR]
    (t, m), (base_t, base_m) = _p18_pairs(floor, theirs, repeats)
    lines.append(
        f"    the floor (import sympy and rich.console, one diff): {t / base_t:.2f}× the time, "
        f"{m / base_m:.2f}× the memory ({m:.1f} MiB) of import sympy"
    )
    return lines


#: The floor of a cold command: SymPy and rich imported, one small derivative taken (SymPy
#: imports sympy.tensor and sympy.combinatorics on the first sum it builds).
_P18_FLOOR = (
    "import sympy, rich.console; x = sympy.Symbol('x'); sympy.diff(1/(1 + sympy.exp(-x)), x)"
)


def html_page(repeats: int) -> list[str]:
    """`sigderiv derive -o page.html` against `sigderiv derive` (both cold processes)."""
    with tempfile.TemporaryDirectory() as tmp:
        page = str(Path(tmp) / "page.html")
        ours = [sys.executable, "-m", "sigderiv", "derive", "-o", page]
        theirs = [sys.executable, "-m", "sigderiv", "derive"]
        (t, _), (base_t, _) = _p18_pairs(ours, theirs, repeats)
    return [figure("derive -o page.html vs derive", t, base_t, "s", 1.3)]


#: The baseline of a plot: importing SymPy and matplotlib's pyplot, then saving one line.
_P18_MATPLOTLIB = (
    "import sympy, matplotlib.pyplot as plt; plt.plot([0, 1], [0, 1]); plt.savefig('x.png')"
)


def plots(repeats: int) -> list[str]:
    """`sigderiv plot sigmoid` against pyplot saving a line; `plot gelu` against `plot sigmoid`."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return ["plots: matplotlib is not installed (the plot extra)"]
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)

        def plot(name: str) -> list[str]:
            return [sys.executable, "-m", "sigderiv", "plot", name, "-o", str(here / "f.png")]

        (t, _), (base_t, _) = _p18_pairs(
            plot("sigmoid"), [sys.executable, "-c", _P18_MATPLOTLIB], repeats, cwd=here
        )
        (gelu, _), (sigmoid, _) = _p18_pairs(plot("gelu"), plot("sigmoid"), repeats, cwd=here)
    return [
        figure("plot sigmoid vs pyplot saving a line", t, base_t, "s", 1.5),
        figure("plot gelu vs plot sigmoid", gelu, sigmoid, "s", 1.2),
    ]


def list_vs_derive(repeats: int) -> list[str]:
    """`sigderiv list` (the catalogue over the cores) against one `sigderiv derive`, both cold."""
    python = sys.executable
    ours, theirs = interleaved(
        lambda: run_child([python, "-m", "sigderiv", "list"])[0],
        lambda: run_child([python, "-m", "sigderiv", "derive"])[0],
        repeats,
    )
    return [figure("sigderiv list vs one derive (cold CLI)", ours, theirs, "s", 3)]


def batch_sheet(repeats: int) -> list[str]:
    """`derive --input problems.txt --jobs 2` against `--jobs 1` (one after another), cold CLI."""
    import tempfile

    problems = HERE / "problems.txt"
    count = sum(
        1 for t in problems.read_text(encoding="utf-8").splitlines() if t.strip()[:1] not in "#"
    )

    def sheet(jobs: int) -> Callable[[], float]:
        def run() -> float:
            with tempfile.TemporaryDirectory() as tmp:
                out = str(Path(tmp) / "sheet.jsonl")
                argv = [sys.executable, "-m", "sigderiv", "derive", "--input", str(problems)]
                return run_child([*argv, "-o", out, "--jobs", str(jobs)])[0]

        return run

    ours, theirs = interleaved(sheet(2), sheet(1), repeats)
    return [figure(f"batch of {count} problems, --jobs 2 vs 1", ours, theirs, "s", 0.6)]
