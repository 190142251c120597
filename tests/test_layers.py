"""The shape of the package: what an import loads, what the facade gives, how long modules get."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sigderiv"
#: The longest a module may be, in lines.
MAX_MODULE_LINES = 600


def _loaded_by(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``statement``."""
    code = f"{statement}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(output.split())


@pytest.mark.parametrize(
    "statement",
    ["import sigderiv", "import sigderiv.model.steps", "from sigderiv import derive, check"],
)
def test_the_library_loads_no_terminal_cli_or_renderer(statement: str) -> None:
    loaded = _loaded_by(statement)
    assert not {m for m in loaded if m.split(".")[0] in ("rich", "typer", "click")}
    assert not {m for m in loaded if m.startswith(("sigderiv.formats", "sigderiv.cli"))}


def test_import_sigderiv_loads_only_the_facade() -> None:
    ours = {m for m in _loaded_by("import sigderiv") if m.startswith("sigderiv")}
    assert ours == {"sigderiv", "sigderiv._version", "sigderiv.errors"}


@pytest.mark.parametrize(
    ("module", "function"),
    [("sigderiv.grading.check", "check"), ("sigderiv.formats", "render")],
)
def test_the_facade_shadows_no_submodule(module: str, function: str) -> None:
    import sigderiv

    imported = importlib.import_module(module)
    assert type(imported).__name__ == "module"
    assert callable(getattr(sigderiv, function))
    assert getattr(sigderiv, function) is getattr(imported, function)


def test_every_public_name_is_there() -> None:
    import sigderiv

    for name in sigderiv.__all__:
        assert getattr(sigderiv, name) is not None
    assert set(sigderiv.__all__) <= set(dir(sigderiv))
    with pytest.raises(AttributeError):
        _ = sigderiv.no_such_name  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_module_is_longer_than_the_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines"
