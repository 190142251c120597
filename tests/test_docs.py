"""Generated blocks in the README and docs match what the code prints now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _refresh_module():
    spec = importlib.util.spec_from_file_location("refresh_docs", ROOT / "tools/refresh_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


refresh = _refresh_module()


@pytest.mark.parametrize("page", refresh.PAGES)
def test_generated_blocks_are_current(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert refresh.MARKER.search(text) or refresh.GENERATED.search(text), f"{page}: no block"
    assert refresh.refreshed(text) == text, f"{page} is stale: run python tools/refresh_docs.py"


def test_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    main = text.index("<!-- main-command -->")
    test = text.index("<!-- test-command -->")
    assert main < test < text.index("## What you see")
    assert "sigderiv derive" in text[main : main + 80]
    assert 'pip install ".[test,plot]"' in text[test : test + 80]
