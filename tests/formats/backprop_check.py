"""Run generated torch or jax modules under their framework's gradient checker; print JSON.

``python backprop_check.py SPEC.json``: SPEC names the framework and, for each case, the
module's file, the function to call, extra arguments, the points and SymPy's slopes there.
It runs in a process of its own (tests/formats/test_code.py starts it) because JAX and
PyTorch start threads, and sigderiv forks its bounded workers: a fork after those threads
start can deadlock.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback
from typing import Any

import numpy as np


def load(path: str) -> Any:
    """Import the generated module at ``path`` (our own generated code)."""
    spec = importlib.util.spec_from_file_location("generated", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_torch(case: dict[str, Any]) -> None:
    """gradcheck in float64, the slopes against SymPy's, and what forward saved."""
    import torch

    f = getattr(load(case["path"]), case["function"])
    x = torch.tensor(case["points"], dtype=torch.float64, requires_grad=True)

    def fn(t: Any) -> Any:
        return f(t, *case["args"])

    assert torch.autograd.gradcheck(fn, (x,), eps=1e-6, atol=1e-8, rtol=1e-7)
    saved: list[Any] = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t) or t, lambda t: t):
        y = fn(x)
    (slope,) = torch.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(slope.numpy(), case["slopes"], rtol=1e-12, atol=1e-12)
    if case["only_out"]:
        assert len(saved) == 1 and torch.equal(saved[0], y), "forward saves its output alone"


def check_jax(case: dict[str, Any]) -> None:
    """check_grads in reverse mode, float64, and the slopes against SymPy's."""
    import jax
    from jax.test_util import check_grads

    jax.config.update("jax_enable_x64", True)
    f = getattr(load(case["path"]), case["function"])
    x = jax.numpy.asarray(case["points"])

    def fn(t: Any) -> Any:
        return f(t, *case["args"])

    check_grads(fn, (x,), order=1, modes=("rev",), eps=1e-6, atol=1e-7, rtol=1e-7)
    slope = jax.grad(lambda t: fn(t).sum())(x)
    np.testing.assert_allclose(np.asarray(slope), case["slopes"], rtol=1e-12, atol=1e-12)


def main(spec_path: str) -> None:
    """Check every case of the spec and print {case id: "ok" or the traceback} as JSON."""
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)
    check = {"torch": check_torch, "jax": check_jax}[spec["framework"]]
    results = {}
    for case in spec["cases"]:
        try:
            check(case)
            results[case["id"]] = "ok"
        except Exception:  # report each case's failure; the test shows it
            results[case["id"]] = traceback.format_exc()
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1])
